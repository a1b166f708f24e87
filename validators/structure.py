"""S4xx: the body's structure: paragraph numbers and portion markings, summary/comment/note
openers and closers, section headings and the signature."""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Iterator
from typing import NamedTuple

from cableschema import _regex
from cableschema.parser import Item, pair_spans
from cableschema.rules import Context, Violation, rule

from ._shared import LEVEL_NAMES, cable_class, capped, per_cable

# -- paragraphs -------------------------------------------------------------------------------------


class _Paragraph(NamedTuple):
    item: Item
    number: int
    main: bool  # in the cable's main numbering (not a list that restarts at 1 inside a paragraph)


#: ``_Paragraph`` from an (item, number, main) tuple, made in C: the class's own ``__new__`` is a
#: Python function, called for each paragraph of each cable.
_make_paragraph = functools.partial(tuple.__new__, _Paragraph)


@per_cable
def _paragraphs(ctx: Context) -> list[_Paragraph]:
    """The numbered paragraphs (sub-paragraphs ``2a.`` left out), each marked as part of the main
    numbering or of a list that restarted at 1 inside a paragraph. In a cable whose paragraphs
    carry portion markings, an unmarked number that does not continue the numbering is a list
    item, not a paragraph."""
    items = [item for item in ctx.parts.paragraphs if not item.values.get("sub")]
    numbers = [int(item.values["number"]) for item in items]
    if not numbers or numbers == list(range(numbers[0], numbers[0] + len(numbers))):
        # Numbered one after the other (most cables): every paragraph continues the numbering,
        # marked or not (the next marked one always comes after), so all are in it.
        return list(map(_make_paragraph, zip(items, numbers, itertools.repeat(True))))
    marks = [bool(item.values.get("marking")) for item in items]
    marked = sum(marks)
    uses_marks = marked >= 2 or (marked == 1 and bool(items) and marks[0])
    result: list[_Paragraph] = []
    levels: list[int] = []  # the last number of the main numbering, then of the lists inside it
    # The number of the next marked paragraph after each one: an unmarked number in a marked
    # cable continues the numbering only if the next marked paragraph comes after it.
    next_marked: list[int | None] = [None] * len(items)
    following: int | None = None
    for position in range(len(items) - 1, -1, -1):
        next_marked[position] = following
        if marks[position]:
            following = int(items[position].values["number"])
    for position, item in enumerate(items):
        number = int(item.values["number"])
        ahead = next_marked[position]
        if uses_marks and not marks[position] and levels:
            # In a marked cable an unmarked number is a paragraph only where it continues the
            # numbering up to the next marked one (a redacted "3.xxxxxxxxxxxx"); else a list item.
            if len(levels) == 1 and number == levels[0] + 1 and (ahead is None or ahead > number):
                levels[0] = number
                result.append(_Paragraph(item, number, True))
            else:
                result.append(_Paragraph(item, number, False))
            continue
        if not levels:
            levels.append(number)
            result.append(_Paragraph(item, number, True))
            continue
        if number == levels[-1] + 1:
            levels[-1] = number
            result.append(_Paragraph(item, number, len(levels) == 1))
            continue
        outer = next((depth for depth in range(len(levels) - 1) if number == levels[depth] + 1), None)
        if outer is not None:  # back to an outer numbering: "4. ... 1. 2. 3. (a list) ... 5."
            del levels[outer + 1 :]
            levels[-1] = number
            result.append(_Paragraph(item, number, outer == 0))
            continue
        if number == 1 and len(levels) < 4:  # a list, or a quoted text, restarts at 1
            levels.append(number)
            result.append(_Paragraph(item, number, False))
            continue
        if not marks[position] and (uses_marks or number > levels[-1] + 10):
            result.append(_Paragraph(item, number, False))  # "10. percent", "72. EMAIL": not a paragraph
            continue
        levels[-1] = number
        result.append(_Paragraph(item, number, len(levels) == 1))
    return result


def _glued(ctx: Context, before: Item | None, after: Item, number: int) -> bool:
    """Paragraph ``number`` is there, run into the text of the one before (its line break lost):
    ``... is not requested. 8. Comment: ...``."""
    start = before.end if before is not None else ctx.parts.line_starts[ctx.parts.header.end_line]
    wanted = str(number)
    if ctx.text.find(wanted, start, after.start) < 0:
        return False  # the number is nowhere between them (the search below tries every offset)
    # A match's number is the whole run of digits it starts at (no match starts inside a run), and
    # none starts inside another's: the one for this number is among the pattern's matches. (A
    # pattern for each number cost each process a compilation, half a millisecond, per number.)
    return any(match[1] == wanted for match in _GLUED_NUMBER.finditer(ctx.text, start, after.start))


#: A paragraph number at a sentence's end, for :func:`_glued`.
_GLUED_NUMBER = _regex.compile(r"(?:^|(?<=[.!?\"')\]:\-”]\s)|(?<=[.!?\"')\]:\-”]))\s*([0-9]+)\s?\.\s*[A-Z(\[]", re.M)


@rule("S401", "paragraph-numbering-broken", "warning", "paragraph numbers skip, repeat or go back")
def paragraph_numbering_broken(ctx: Context) -> Iterator[Violation]:
    """## What it does
    Checks that the cable's numbered paragraphs follow each other: ``1.``, ``2.``, ``3.``.
    Sub-paragraphs (``2a.``), ``¶`` anchors and numbered lists that restart at 1 inside a
    paragraph (and the numbering that resumes after them) are not counted as breaks. Reports a
    skipped number at the paragraph after the gap, a number used twice, and a number that goes
    back.

    ## Why it matters
    A skipped number is the trace of a lost paragraph: newspaper versions removed whole
    paragraphs, scrapes lose them at page breaks. A repeated or backward number marks text that
    was duplicated or reassembled.

    ## Example
    ```text
    UNCLAS ASTANA 002221

    1. (SBU) Text.
    2. (SBU) Text.
    4. (SBU) Text.
    ```

    ```text
    x.txt:5:1: S401 [warning] paragraph 4 follows paragraph 2: paragraph 3 is missing
    ```

    ## Fix
    None.
    """
    return capped(_paragraph_numbering_broken(ctx))


def _paragraph_numbering_broken(ctx: Context) -> Iterator[Violation]:
    paragraphs = _paragraphs(ctx)
    numbers = [paragraph.number for paragraph in paragraphs if paragraph.main]
    if not numbers or (numbers[0] <= 1 and numbers == list(range(numbers[0], numbers[0] + len(numbers)))):
        return  # numbered one after the other from 1 (or 0), as most cables are: nothing below reports
    previous: int | None = None
    last: Item | None = None
    for paragraph in paragraphs:
        if not paragraph.main:
            continue
        number = paragraph.number
        item = paragraph.item
        if previous is None:
            if number > 2:
                yield Violation(
                    f"the first numbered paragraph is {number}: paragraphs 1 to {number - 1} are missing",
                    item.start,
                    item.end,
                )
            elif number == 2:
                yield Violation("the first numbered paragraph is 2: paragraph 1 is missing", item.start, item.end)
        elif number > previous + 1 and not _glued(ctx, last, item, previous + 1):
            missing = (
                f"paragraph {previous + 1} is missing"
                if number == previous + 2
                else f"paragraphs {previous + 1} to {number - 1} are missing"
            )
            yield Violation(f"paragraph {number} follows paragraph {previous}: {missing}", item.start, item.end)
        elif number == previous:
            yield Violation(f"paragraph {number} is numbered twice", item.start, item.end)
        elif number < previous:
            yield Violation(f"paragraph {number} follows paragraph {previous}", item.start, item.end)
        previous, last = number, item


# -- portion markings -------------------------------------------------------------------------------

_MARK_LEVELS = {"U": 0, "SBU": 0, "LOU": 0, "C": 1, "S": 2, "TS": 3}
_MARK_HEAD = _regex.compile(r"[/ -]")
_NOFORN_MARK = _regex.compile(r"(?:^|[/ ])(?:NF|NOFORN)\b")
_ENTIRE_TEXT = _regex.compile(r"ENTIRE\s+TEXT", re.I)


@functools.lru_cache(maxsize=1024)
def _marking_facts(marking: str) -> tuple[int | None, bool]:
    """A portion marking's level (None when its head is no level) and whether it says NOFORN;
    a cable repeats a handful of markings over its paragraphs."""
    head = _MARK_HEAD.split(marking, maxsplit=1)[0].upper()
    return _MARK_LEVELS.get(head), bool(_NOFORN_MARK.search(marking.upper()))


def _mark_span(ctx: Context, item: Item) -> tuple[int, int]:
    span = item.values.get("mark_span")
    if span is None:
        return item.start, item.end
    base = ctx.parts.line_starts[item.line]
    return base + span[0] - 1, base + span[1] + 1


def _entire_text(ctx: Context) -> bool:
    """``C - ENTIRE TEXT``: one marking for the whole cable, so paragraphs are not marked."""
    parts = ctx.parts
    if any(_ENTIRE_TEXT.search(str(item.values.get("mark") or "")) for item in parts.paragraphs[:3]):
        return True
    start = parts.line_starts[min(parts.header.end_line, len(parts.lines) - 1)]
    end_line = min(max(parts.body_top_end_line, parts.header.end_line) + 3, len(parts.lines) - 1)
    end = parts.line_starts[end_line] + len(parts.lines[end_line])
    # The case-blind search tries every offset; T, E and X have no case-blind equivalents but
    # themselves, so a block without "text" in lower case cannot match.
    if "text" not in ctx.text[start:end].lower():
        return False
    return bool(_ENTIRE_TEXT.search(ctx.text, start, end))


@rule("S402", "portion-marking-missing", "info", "a numbered paragraph of a classified cable without a mark")
def portion_marking_missing(ctx: Context) -> Iterator[Violation]:
    """## What it does
    In a classified cable whose paragraphs carry portion markings (``1. (C)``), reports numbered
    paragraphs without one. Cables that mark none of their paragraphs (older cables, ``C -
    ENTIRE TEXT``) and numbered lists inside a paragraph are not checked.

    ## Why it matters
    Each paragraph of a classified cable says its own classification (5 FAH-1 H-246.2). A
    paragraph without a mark in a marked cable lost it to a scrape or a redaction, and cannot be
    released or filtered by its level.

    ## Example
    ```text
    C O N F I D E N T I A L ASTANA 002221

    1. (C) Text.
    2. Text.
    3. (C) Text.
    ```

    ```text
    x.txt:4:1: S402 [info] paragraph 2 of a CONFIDENTIAL cable has no portion marking
    ```

    ## Fix
    None.
    """
    return capped(_portion_marking_missing(ctx))


def _portion_marking_missing(ctx: Context) -> Iterator[Violation]:
    klass = cable_class(ctx)
    if klass is None or klass.level == 0:
        return
    paragraphs = [p for p in _paragraphs(ctx) if p.main]
    unmarked = [p for p in paragraphs if not p.item.values.get("marking")]
    # Every paragraph marked (most marked cables) is no finding: the block is not read for
    # "ENTIRE TEXT" then.
    if not unmarked or len(unmarked) == len(paragraphs) or _entire_text(ctx):
        return
    for paragraph in unmarked:
        values = paragraph.item.values
        mark = values.get("mark")
        detail = f" ('({mark})' is not one)" if mark else ""
        yield Violation(
            f"paragraph {paragraph.number} of a {klass.name} cable has no portion marking{detail}",
            paragraph.item.start,
            paragraph.item.end,
        )


@rule(
    "S403",
    "portion-marking-exceeds-classification",
    "error",
    "(S) in a CONFIDENTIAL cable, /NF in a non-NOFORN one",
)
def portion_marking_exceeds_classification(ctx: Context) -> Iterator[Violation]:
    """## What it does
    Compares each paragraph's portion marking with the cable's classification (the release's,
    or the classification line's when there is no release metadata): no paragraph may be marked
    above the cable (``(S)`` in a CONFIDENTIAL cable), and ``/NF`` (NOFORN) marks need a NOFORN
    cable (``//NOFORN`` in the release classification, or NOFORN in the caption block).
    Releasability marks (``(C/REL LIBYA)``, ``(S//REL NATO, ISAF)``) are not caveats. Reported
    once per cable and kind, at the first such paragraph, with how many there are.

    ## Why it matters
    A cable is classified at its highest paragraph. A paragraph marked above it means the cable
    was released under too low a classification, or the marks were garbled.

    ## Example
    ```text
    C O N F I D E N T I A L VILNIUS 000084

    1. (C) Text.
    2. (S) Text.
    3. (C/NF) Text.
    ```

    ```text
    x.txt:4:4: S403 [error] paragraph 2 is marked (S) but the cable is CONFIDENTIAL (1 paragraph above it)
    x.txt:5:4: S403 [error] paragraph 3 is marked (C/NF) but the cable is not NOFORN (1 paragraph marked NOFORN)
    ```

    ## Fix
    None.
    """
    klass = cable_class(ctx)
    if klass is None:
        return
    above: list[Item] = []
    noforn: list[Item] = []
    for item in ctx.parts.paragraphs:
        marking = item.values.get("marking")
        if not marking:
            continue
        level, says_noforn = _marking_facts(str(marking))
        if level is not None and level > klass.level:
            above.append(item)
        if not klass.noforn and says_noforn:
            noforn.append(item)
    if above:
        first = above[0]
        start, end = _mark_span(ctx, first)
        count = f"{len(above)} paragraph{'s' if len(above) != 1 else ''} above it"
        yield Violation(
            f"paragraph {first.values['number']} is marked ({first.values['marking']}) but the cable is "
            f"{LEVEL_NAMES[klass.level]} ({count})",
            start,
            end,
        )
    if noforn:
        first = noforn[0]
        start, end = _mark_span(ctx, first)
        count = f"{len(noforn)} paragraph{'s' if len(noforn) != 1 else ''} marked NOFORN"
        yield Violation(
            f"paragraph {first.values['number']} is marked ({first.values['marking']}) but the cable is not "
            f"NOFORN ({count})",
            start,
            end,
        )


# -- summary, comment, note -------------------------------------------------------------------------


def _unpaired(ctx: Context, kind: str, event: str) -> list[Item]:
    return _all_unpaired(ctx).get((kind, event), [])


@per_cable
def _all_unpaired(ctx: Context) -> dict[tuple[str, str], list[Item]]:
    """The openers and closers left unpaired, by kind and event, in text order (six rules ask)."""
    found: dict[tuple[str, str], list[Item]] = {}
    for opener, closer in pair_spans(ctx.parts):
        values = opener.values
        key = (values["kind"], values["event"])
        if closer is None:
            found.setdefault(key, []).append(opener)
    return found


def _span_text(ctx: Context, item: Item) -> str:
    return " ".join(ctx.text[item.start : item.end].split())


def _closer_without_opener(ctx: Context, kind: str) -> Iterator[Violation]:
    """S405, S407, S409: an ``End summary``/``End comment``/``End note`` that nothing opened."""
    for closer in _unpaired(ctx, kind, "close"):
        yield Violation(f"{_span_text(ctx, closer)!r} closes a {kind} that was never opened", closer.start, closer.end)


def _bracket_or_begin_not_closed(ctx: Context, kind: str) -> Iterator[Violation]:
    """S406, S408: a ``(Comment:``/``(Note:`` or ``Begin ...`` opener left open. A plain
    ``Comment:`` paragraph needs no closer: the cable's closing comment often has none."""
    for opener in _unpaired(ctx, kind, "open"):
        values = opener.values
        if not (values.get("bracketed") or values.get("begin")):
            continue
        detail = (
            f"no 'End {kind}' and no closing parenthesis in its paragraph"
            if values.get("bracketed")
            else f"no 'End {kind}' follows"
        )
        yield Violation(f"{_span_text(ctx, opener)!r} is never closed: {detail}", opener.start, opener.end)


@rule("S404", "summary-not-closed", "warning", "Summary: opened and never closed by End summary")
def summary_not_closed(ctx: Context) -> Iterator[Violation]:
    """## What it does
    Reports a summary opened in the text (``1. (C) Summary:``, ``BEGIN SUMMARY``, ``Summary and
    Comment:``) with no ``End summary`` after it (any case: ``END SUMMARY.``, ``End Summary and
    Comment``). A ``SUMMARY`` heading (a line of its own, often between dashed lines) opens a
    section and needs no closer.

    ## Why it matters
    Tools that extract the summary read up to ``End summary``; without it they take the whole
    cable. A closer lost in a copy also marks text lost at that place.

    ## Example
    ```text
    UNCLAS ASTANA 002221

    1. (SBU) Summary: The election campaign is under way.
    2. (SBU) Details follow.
    ```

    ```text
    x.txt:3:10: S404 [warning] 'Summary:' opens a summary that no 'End summary' closes
    ```

    ## Fix
    None.
    """
    return capped(_summary_not_closed(ctx))


def _summary_not_closed(ctx: Context) -> Iterator[Violation]:
    for opener in _unpaired(ctx, "summary", "open"):
        if opener.values.get("heading"):
            continue
        yield Violation(
            f"{_span_text(ctx, opener)!r} opens a summary that no 'End summary' closes", opener.start, opener.end
        )


@rule("S405", "end-summary-without-start", "warning", "End summary with no opener")
def end_summary_without_start(ctx: Context) -> Iterator[Violation]:
    """## What it does
    Reports ``End summary`` with no summary opened before it (``Summary:``, a ``SUMMARY``
    heading, ``BEGIN SUMMARY``).

    ## Why it matters
    Summary extraction needs both ends. A closer without an opener means the opener was lost
    (often with the first paragraph), or that ``Summary`` was garbled.

    ## Example
    ```text
    UNCLAS MOSCOW 002452

    1. (C) A Moscow court suspended the CEO on August 14. End summary.
    2. (C) Details follow.
    ```

    ```text
    x.txt:3:55: S405 [warning] 'End summary' closes a summary that was never opened
    ```

    ## Fix
    None.
    """
    return capped(_closer_without_opener(ctx, "summary"))


@rule("S406", "comment-not-closed", "warning", "(Comment: or Begin comment never closed")
def comment_not_closed(ctx: Context) -> Iterator[Violation]:
    """## What it does
    Reports a bracketed ``(Comment:`` whose parenthesis does not close in its paragraph and that
    no ``End comment`` closes, and a ``Begin comment`` never closed. A closing, unbracketed
    ``Comment:`` paragraph needs no ``End comment`` and is not reported.

    ## Why it matters
    Comments are the post's opinion, separated from what contacts said; a comment that never
    closes lets the opinion run into the reporting, and marks text lost after it.

    ## Example
    ```text
    UNCLAS ASTANA 002221

    1. (SBU) He said so. (Comment: This is unlikely to
    change.

    2. (SBU) Details follow.
    ```

    ```text
    x.txt:3:22: S406 [warning] '(Comment:' is never closed: no 'End comment' and no closing parenthesis
    in its paragraph
    ```

    ## Fix
    None.
    """
    return capped(_bracket_or_begin_not_closed(ctx, "comment"))


@rule("S407", "end-comment-without-start", "warning", "End comment with no opener")
def end_comment_without_start(ctx: Context) -> Iterator[Violation]:
    """## What it does
    Reports ``End comment`` with no comment opened before it: ``Comment:`` (at a paragraph's or
    sentence's start, also ``Embassy comment:``), ``(Comment:`` or ``Begin comment``.

    ## Why it matters
    A closer without an opener means the opener, and with it the start of the comment, was
    lost or garbled: readers cannot tell where the post's opinion begins.

    ## Example
    ```text
    UNCLAS ASTANA 002221

    1. (SBU) He said so. This is unlikely to change. End comment.
    ```

    ```text
    x.txt:3:50: S407 [warning] 'End comment' closes a comment that was never opened
    ```

    ## Fix
    None.
    """
    return capped(_closer_without_opener(ctx, "comment"))


@rule("S408", "note-not-closed", "warning", "(Note: never closed")
def note_not_closed(ctx: Context) -> Iterator[Violation]:
    """## What it does
    Reports a bracketed ``(Note:`` whose parenthesis does not close in its paragraph and that no
    ``End note`` closes (``End Note.)`` inside the brackets closes it), and a ``Begin note``
    never closed.

    ## Why it matters
    A note that never closes swallows the text after it, and marks text lost where it was cut.

    ## Example
    ```text
    UNCLAS ASTANA 002221

    1. (SBU) He met the mayor. (Note: The mayor was appointed
    in May.

    2. (SBU) Details follow.
    ```

    ```text
    x.txt:3:28: S408 [warning] '(Note:' is never closed: no 'End note' and no closing parenthesis in its
    paragraph
    ```

    ## Fix
    None.
    """
    return capped(_bracket_or_begin_not_closed(ctx, "note"))


@rule("S409", "end-note-without-start", "warning", "End note with no opener")
def end_note_without_start(ctx: Context) -> Iterator[Violation]:
    """## What it does
    Reports ``End note`` with no note opened before it (``(Note:``, ``Note:`` opening a sentence,
    ``Begin note``).

    ## Why it matters
    A closer without an opener means the note's start was lost or garbled: readers cannot tell
    which text is the drafter's note.

    ## Example
    ```text
    UNCLAS ASTANA 002221

    1. (SBU) The mayor was appointed in May. End note.
    ```

    ```text
    x.txt:3:42: S409 [warning] 'End note' closes a note that was never opened
    ```

    ## Fix
    None.
    """
    return capped(_closer_without_opener(ctx, "note"))


# -- headings ---------------------------------------------------------------------------------------

#: ``-{5}[- \t]*+`` is ``-{5,}[- \t]*`` (the extra dashes go to the class), taken whole: a long run of
#: dashes, spaces or tabs that ends in text fails in one pass, not once per split of the run.
_RULE_LINE = _regex.compile(r"[ \t]*-{5}[- \t]*+")


def _rule_lines(ctx: Context, start: int, end: int) -> list[int]:
    """The lines of ``ctx.text[start:end]`` (whole lines) that are a heading rule: five dashes
    or more, with blanks and more dashes around them. Each ``-----`` is found with
    ``str.find``, its line checked once; the search goes on at the next line."""
    text = ctx.text
    parts = ctx.parts
    starts = parts.line_starts
    found: list[int] = []
    position = text.find("-----", start, end)
    while position >= 0:
        index = bisect.bisect_right(starts, position) - 1
        if _RULE_LINE.fullmatch(parts.lines[index]):
            found.append(index)
        if index + 1 >= len(starts):
            break
        position = text.find("-----", starts[index + 1], end)
    return found


#: Anything but whitespace (as ``str.strip`` reads it: the pattern's ``\s`` is the same test).
_NOT_BLANK = _regex.compile(r"\S")


def _wrap_width(ctx: Context, first: int, last: int) -> int:
    """The width the cable's text was wrapped at: the 90th percentile of its long lines."""
    lengths = sorted(len(line.rstrip()) for line in ctx.lines[first:last] if len(line.rstrip()) >= 40)
    if not lengths:
        return 0
    return lengths[min(len(lengths) - 1, (len(lengths) * 9) // 10)]


@rule("S410", "empty-section-heading", "warning", "two heading rules with nothing between (a lost heading)")
def empty_section_heading(ctx: Context) -> Iterator[Violation]:
    """## What it does
    Section headings are set between dashed lines (``----`` / ``HEADING`` / ``----``). Reports
    two dashed lines with nothing but blank lines between them: the heading was lost. A dashed
    line too long for the text's width that wrapped onto the next line is one line, not two.

    ## Why it matters
    The heading names the section; a copy that lost it lost text, usually where a scrape or
    a converter dropped a line.

    ## Example
    ```text
    UNCLAS ASTANA 002221

    1. (SBU) Summary: The campaign is under way.  End summary.
    --------------------------------------------- ------
    --------------------------------------------- ------
    2. (SBU) Details follow.
    ```

    ```text
    x.txt:4:1: S410 [warning] two heading rules with nothing between them: the section heading was lost
    ```

    ## Fix
    None.
    """
    return capped(_empty_section_heading(ctx))


def _empty_section_heading(ctx: Context) -> Iterator[Violation]:
    parts = ctx.parts
    first_line = max(parts.header.end_line, parts.cable_start_line)
    if first_line >= parts.cable_end_line:
        return
    start = parts.line_starts[first_line]
    end = parts.line_end(parts.cable_end_line - 1)
    rules = _rule_lines(ctx, start, end)
    if len(rules) < 2:
        return
    known_width: list[int] = []

    def width() -> int:  # asked only for two rules on adjacent lines: it reads every line
        if not known_width:
            known_width.append(_wrap_width(ctx, first_line, parts.cable_end_line))
        return known_width[0]

    lines = parts.lines
    starts = parts.line_starts
    text = ctx.text
    index = 0
    while index + 1 < len(rules):
        top, bottom = rules[index], rules[index + 1]
        # A line with words between them: searched for in the text, not line by line (two rules
        # far apart stripped every line of the cable between them).
        if bottom > top + 1 and _NOT_BLANK.search(text, starts[top + 1], starts[bottom]) is not None:
            index += 1
            continue
        top_length, bottom_length = len(lines[top].rstrip()), len(lines[bottom].rstrip())
        # A wrapped rule: the lower line is the rest of the upper one (shorter), or the upper one
        # fills the text's width.
        wrapped = bottom == top + 1 and (bottom_length < top_length - 3 or bool(width() and top_length >= width() - 4))
        if wrapped:
            # One long rule wrapped over two lines: it continues as the lower line.
            rules[index + 1] = bottom
            index += 1
            continue
        begin, _ = ctx.line_span(top)
        _, finish = ctx.line_span(bottom)
        yield Violation("two heading rules with nothing between them: the section heading was lost", begin, finish)
        index += 2


# -- signature --------------------------------------------------------------------------------------

_SENTENCE_END = _regex.compile(r"[.!?\"”')\]]\s*$")


@rule("S411", "signature-missing", "info", "no signer at the end of a complete cable")
def signature_missing(ctx: Context) -> Iterator[Violation]:
    """## What it does
    Reports a cable that ends complete (its last sentence ends, its page markers reach the last
    page) but with no signer: the surname(s) in capitals on the last line (``TEFFT``, ``VAN
    VOORST``), also run onto the last sentence (``...global trends. SCOBEY``). Cables that stop
    mid-sentence are left to the truncation rules.

    ## Why it matters
    The signer is the cable's author of record (ambassador, charge, Secretary). A complete text
    without one lost its last line, or had it replaced by a site's footer.

    ## Example
    ```text
    UNCLAS ASTANA 002221

    1. (SBU) Text of the cable.
    2. (SBU) The last paragraph ends here.
    ```

    ```text
    x.txt:4:1: S411 [info] the cable ends without a signer (the last line is '2. (SBU) The last paragraph
    ends here.')
    ```

    ## Fix
    None.
    """
    parts = ctx.parts
    if parts.signature is not None or not parts.paragraphs or parts.header.partial is not None:
        return
    last = parts.cable_end_line - 1
    floor = max(parts.body_top_end_line, parts.header.end_line)
    while last >= floor and (not parts.lines[last].strip() or last in {t.line for t in parts.trailers}):
        last -= 1
    if last < floor:
        return
    text = parts.lines[last].strip()
    if (not _SENTENCE_END.search(text) or text.endswith("...")) and not parts.trailers:
        return  # stops mid-sentence or in a cut preview: truncated, not unsigned
    markers = [m for m in parts.page_markers if m.values["style"] == "modern"]
    if markers and int(markers[-1].values["page"]) < int(markers[-1].values["total"]):
        return
    shown = text if len(text) <= 60 else text[:57] + "..."
    start, end = ctx.line_span(last)
    yield Violation(f"the cable ends without a signer (the last line is {shown!r})", start, end)
