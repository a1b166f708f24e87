"""Damage put into real cables at a known line, one kind per rule, seeded.

Each ``inject_<CODE>`` takes a real cable (``tests/realcables.py``: page text, metadata block then
the cable) and a random generator, and returns the damaged text and the 1-based line where the
rule must report the damage, or None when that cable offers no place for it (the caller then
draws another). The damage copies what real copies show (``shared/spec/damage.md``) and is never
shaped after the rules' own patterns: chrome comes from several kinds of site, in their words.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass

from cableschema.config import Settings
from cableschema.engine import lint_text
from cableschema.selection import Selection

from .realcables import RealCable, real_cables

Injected = tuple[str, int] | None

_PLAIN_WORD = re.compile(r"(?:(?<=[ \t])|^)([A-Za-z]{4,20})(?=[ \t.,;:]|$)")
_PROSE = re.compile(r"[a-z]{3,} [a-z]{2,} [a-z]{2,}")
_SENTENCE_END = re.compile(r"[.!?:;\"')”]\s*$")


def _lines(cable: RealCable) -> list[str]:
    return cable.text.split("\n")


def _body_lines(cable: RealCable) -> tuple[list[str], list[int]]:
    """The page text's lines and the indices of the cable's prose lines (after its top block)."""
    lines = _lines(cable)
    start = cable.first_cable_line - 1
    prose = [
        index
        for index in range(start, len(lines))
        if _PROSE.search(lines[index]) and len(lines[index].strip()) >= 30 and "XXXX" not in lines[index].upper()
    ]
    return lines, prose


# -- T501: a word broken by a hard line break -------------------------------------------------------


def inject_T501(cable: RealCable, rng: random.Random) -> Injected:
    lines, prose = _body_lines(cable)
    rng.shuffle(prose)
    for index in prose:
        line = lines[index]
        words = list(_PLAIN_WORD.finditer(line))
        if not words:
            continue
        word = rng.choice(words)
        cut = rng.randint(1, len(word.group(1)) - 1)
        position = word.start(1) + cut
        lines[index : index + 1] = [line[:position], line[position:]]
        return "\n".join(lines), index + 1
    return None


# -- T502: the text stops early ---------------------------------------------------------------------


def inject_T502(cable: RealCable, rng: random.Random) -> Injected:
    lines, prose = _body_lines(cable)
    if len(prose) < 4:
        return None
    kind = rng.choice(("mid-sentence", "end-marker", "cut-trailer"))
    if kind == "end-marker":
        # "... citizens. End comment." cut after "End" (the seed), or after part of the word.
        index = rng.choice(prose[len(prose) // 2 :])
        line = lines[index].rstrip()
        if not _SENTENCE_END.search(line):
            return None
        tail = rng.choice(("End", "End ", "END", "End comm", "End summ", "(End"))
        return "\n".join([*lines[:index], f"{line} {tail}"]), index + 1
    if kind == "cut-trailer":
        # A trailer banner cut short after the signature: "=====CABLE END" (09CAIRO1447).
        end = len(lines)
        while end > 0 and not lines[end - 1].strip():
            end -= 1
        cut = rng.choice(("=======================CABLE END", "=========CABLE E", "====================CAB"))
        return "\n".join([*lines[:end], "", cut]), end + 2
    # Mid-sentence: a line of the second half cut after a word that does not end a sentence.
    index = rng.choice(prose[len(prose) // 2 :])
    line = lines[index]
    ends = [m.end() for m in re.finditer(r"[A-Za-z]{2,}(?= )", line) if m.end() > 12]
    if not ends:
        return None
    return "\n".join([*lines[:index], line[: rng.choice(ends)]]), index + 1


# -- W601 / W602: site chrome around the cable ------------------------------------------------------

#: What blogs, forums and news sites put around a pasted cable, in their own words.
LEADING_CHROME: tuple[tuple[str, ...], ...] = (
    ("Skip to content", "Home | About | Contact", "Posted on December 3, 2010 by admin", "Leave a comment"),
    ("Menu", "Search this site", "Wikileaks cable: Kazakh elections", "Posted by Anna at 10:42 AM"),
    # a headline in capitals and the sentences a blog writes to introduce the cable
    (
        "Skip to content",
        "EMBASSY CABLES SHOW DOUBTS OVER REFORMS",
        "Posted on March 8, 2011 by admin",
        "Here is the full text of the cable, as it was released; our analysis follows tomorrow.",
        "Read it below and tell us what you think in the comments.",
    ),
    ("Sign in", "Get started", "Follow", "5 min read", "Share this story"),
    ("Forum Index -> World Politics", "Reply with quote", "Posted: Mon Dec 06, 2010 3:21 pm    Post subject:"),
    ("Advertisement", "Related: The US embassy cables", "Share this article on Facebook", "Sign up to our newsletter"),
    ("Tumblr", "Reblog", "Source: wikileaks.ch", "#cablegate #wikileaks"),
    ("View original cable on WikiLeaks", "Browse by tag | Browse by origin | Browse by date"),
    ("Newer Post", "Older Post", "Home", "Labels: cablegate, Kazakhstan"),
)
TRAILING_CHROME: tuple[tuple[str, ...], ...] = (
    ("Leave a Reply", "Your email address will not be published. Required fields are marked *", "Post Comment"),
    ("Posted by Anonymous at 3:14 PM", "2 comments:", "Email This", "BlogThis!", "Share to Twitter"),
    ("Share this:", "Twitter", "Facebook", "Like this:", "Like Loading...", "Related"),
    ("Reply With Quote", "Report Post", "Quick Navigation World Politics Top"),
    ("Advertisement", "Most popular", "Copyright 2010 Guardian News and Media Limited. All rights reserved."),
    ("Notes", "Reblog", "Posted 2 days ago", "Powered by Tumblr"),
    ("Filed under: Wikileaks", "Tags: cablegate, diplomacy", "Permalink", "Comments (3)"),
    ("Sign up for our newsletter", "Privacy Policy | Terms of Use", "(c) 2011 The Daily Mirror"),
)


def _strip_metadata(cable: RealCable, rng: random.Random) -> list[str]:
    """The cable's lines, with the pasted metadata block removed half the time (plain text)."""
    lines = _lines(cable)
    if rng.random() < 0.5:
        return lines[cable.first_cable_line - 1 :]
    return lines


def inject_W601(cable: RealCable, rng: random.Random) -> Injected:
    lines = _strip_metadata(cable, rng)
    chrome = list(rng.choice(LEADING_CHROME))
    rng.shuffle(chrome)
    chrome = chrome[: rng.randint(2, len(chrome))]
    gap = [""] if rng.random() < 0.5 else []
    return "\n".join([*chrome, *gap, *lines]), 1


def inject_W602(cable: RealCable, rng: random.Random) -> Injected:
    lines = _strip_metadata(cable, rng)
    end = len(lines)
    while end > 0 and not lines[end - 1].strip():
        end -= 1
    chrome = list(rng.choice(TRAILING_CHROME))
    chrome = chrome[: rng.randint(2, len(chrome))]
    gap = rng.choice(([], [""], ["", ""]))
    first = end + len(gap) + 1
    return "\n".join([*lines[:end], *gap, *chrome, ""]), first


# -- T504: markup left in the text ------------------------------------------------------------------

_MARKUP = (
    lambda line, rng: line.rstrip() + " <br>",
    lambda line, rng: line.rstrip() + " \\",
    lambda line, rng: line.replace(" and ", " &amp; ", 1) if " and " in line else "&quot;" + line.strip() + "&quot;",
    lambda line, rng: line + "&#x000A;",
    lambda line, rng: "<a id='par3' href='#par3'>" + line,
    lambda line, rng: line.replace(" ", " <b>", 1) + "</b>",
    lambda line, rng: line.replace("'", "&#39;", 1) if "'" in line else line.rstrip() + "</pre></code>",
    lambda line, rng: line.rstrip() + " &nbsp;",
)


def inject_T504(cable: RealCable, rng: random.Random) -> Injected:
    lines, prose = _body_lines(cable)
    if not prose:
        return None
    index = rng.choice(prose)
    lines[index] = rng.choice(_MARKUP)(lines[index], rng)
    return "\n".join(lines), index + 1


# -- T508: control characters -----------------------------------------------------------------------

_CONTROLS = [chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, *range(0x80, 0xA0))]


def inject_T508(cable: RealCable, rng: random.Random) -> Injected:
    lines, prose = _body_lines(cable)
    if not prose:
        return None
    index = rng.choice(prose)
    line = lines[index]
    position = rng.randint(0, len(line))
    lines[index] = line[:position] + rng.choice(_CONTROLS) * rng.randint(1, 3) + line[position:]
    return "\n".join(lines), index + 1


INJECTORS: dict[str, Callable[[RealCable, random.Random], Injected]] = {
    "T501": inject_T501,
    "T502": inject_T502,
    "W601": inject_W601,
    "W602": inject_W602,
    "T504": inject_T504,
    "T508": inject_T508,
}


@dataclass
class Outcome:
    code: str
    found: int
    trials: int
    clean_fired: int
    clean_trials: int
    misses: list[str]
    false_positives: list[str]
    raw_fired: int = 0
    raw_trials: int = 0

    @property
    def recall(self) -> float:
        return self.found / self.trials if self.trials else 0.0

    @property
    def false_positive_rate(self) -> float:
        return self.clean_fired / self.clean_trials if self.clean_trials else 0.0


def lines_reported(text: str, code: str) -> list[int]:
    settings = Settings(selection=Selection(select=(code,)), cache=False)
    return [f.line for f in lint_text(text, settings, path="x.txt") if f.code == code]


def evaluate(
    code: str, count: int = 100, seed: int = 20101128, clean_filter: Callable[[str], bool] | None = None
) -> Outcome:
    """Inject ``count`` cases of ``code``'s damage into distinct real cables; lint the damaged
    and the undamaged texts with that rule alone. ``clean_filter`` keeps, for the false-positive
    rate, only the undamaged texts it accepts (all are counted in ``raw_*``)."""
    rng = random.Random(f"{code}-{seed}")
    pool = real_cables(count * 3, seed=seed)
    inject = INJECTORS[code]
    found = trials = clean_fired = clean_trials = raw_fired = raw_trials = 0
    misses: list[str] = []
    false_positives: list[str] = []
    for cable in pool:
        if trials == count:
            break
        injected = inject(cable, rng)
        if injected is None:
            continue
        text, line = injected
        trials += 1
        if line in lines_reported(text, code):
            found += 1
        else:
            misses.append(f"{cable.reference_id}: line {line}: {text.split(chr(10))[line - 1][:80]!r}")
        fired = bool(lines_reported(cable.text, code))
        raw_trials += 1
        raw_fired += fired
        if clean_filter is not None and not clean_filter(cable.text):
            continue
        clean_trials += 1
        if fired:
            clean_fired += 1
            false_positives.append(cable.reference_id)
    return Outcome(code, found, trials, clean_fired, clean_trials, misses, false_positives, raw_fired, raw_trials)
