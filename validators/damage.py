"""T5xx: damage to the text itself: broken and glued words, cut endings, markup and encoding
left-overs, garbled and duplicated spans, control characters."""

from __future__ import annotations

import re
from collections.abc import Iterator

from cableschema import lexicon
from cableschema.rules import Context, FixSpec, TextEdit, Violation, rule

# -- T501 word-split-across-lines ------------------------------------------------------------------

#: A line break between two letters (the second line may be indented).
_BREAK = re.compile(r"(?<=[A-Za-z])\n(?=[ \t]{0,40}[A-Za-z])")
#: The last word of a line: letters after a space, a quote, a hyphen or the line start. A word
#: after ``/``, ``(``, ``,`` or ``'`` is an abbreviation part (``AF/E``), a label (``(B``) or a
#: possessive written with a comma (``AG,s``), not a word half.
_LAST_WORD = re.compile(r"(?:^|(?<=[ \t\"“‘-]))([A-Za-z]{1,40})$")
#: The first word of a line, ended by a space, sentence punctuation or the line end; a word that
#: goes on with ``-``, ``/`` or a digit is a compound (``u-turn``) or an abbreviation (``S/CT``).
_FIRST_WORD = re.compile(r"[ \t]{0,40}([A-Za-z]{1,40})(?=$|[ \t.,;:!?)\"'”’])")
#: Lines whose words are trusted to carry a trailing space when enough of them do.
_REDACTION = re.compile(r"[Xx]{3}")
_HABIT_MIN_LINES = 5
_HABIT_SHARE = 0.9


def _trailing_space_habit(ctx: Context, first: int, last: int) -> bool:
    """Whether the cable's wrapped lines end with a space (``word \\nword``): then a wrapped
    line without one is evidence of a break."""
    lines = ctx.lines
    wrapped = spaced = 0
    for index in range(first, last - 1):
        line = lines[index]
        following = lines[index + 1]
        if not following[:1].islower():
            continue
        body = line.rstrip()
        if body and body[-1].isalpha():
            wrapped += 1
            if len(body) != len(line):
                spaced += 1
    return wrapped >= _HABIT_MIN_LINES and spaced >= _HABIT_SHARE * wrapped


#: How much likelier the joined word must be than the two halves meeting by chance at a line
#: break: lift = cables(joined) * N / (cables(head) * cables(tail)), N the cables the list was
#: built from. ``the`` / ``re`` gives 4.6 and ``in`` / ``to`` 0.5 (real pairs); ``crack`` /
#: ``ing`` 150 and ``Sum`` / ``mary`` 5,000 (broken words).
_LIFT = 20.0
#: With the trailing-space evidence the joined word need only be the likelier reading.
_LIFT_WITH_HABIT = 1.0


def _split_evidence(head: str, tail: str, habit: bool) -> str | None:
    """Why ``head`` + ``tail`` is one broken word, or None when the evidence is not there."""
    joined = head + tail
    if len(joined) < 3:
        return None
    if tail[0].isupper() and not (head.isupper() and tail.isupper() and len(head) >= 2):
        return None  # a new sentence or a name, unless an all-capitals word was broken
    if len(tail) == 1 and tail.isupper() and len(head) < 3:
        return None
    if _REDACTION.search(head) or _REDACTION.search(tail):
        return None  # a redaction next to a word: "XXXXXXXXXXXX" / "said"
    joined_cables = lexicon.count(joined)
    if joined_cables is None:
        return None
    head_cables = lexicon.count(head)
    tail_cables = lexicon.count(tail)
    if len(head) == 1 and head.isupper() and tail_cables:
        return None  # a label or an initial: "refs B" / "and C"
    if head_cables is None and tail_cables is None:
        return "neither part is a word"
    if head_cables is None:
        return f'"{head}" is not a word'
    if tail_cables is None:
        return f'"{tail}" is not a word'
    # Both halves are words somewhere: how much likelier is the joined word than the two
    # meeting at a line break by chance? Words only the curated lists know count half a cable.
    total = lexicon.cables_read()
    head_weight = min(max(head_cables, 0.5), total)
    tail_weight = min(max(tail_cables, 0.5), total)
    lift = max(joined_cables, 1) * total / (head_weight * tail_weight)
    rarer, rarer_cables = (head, head_cables) if head_weight <= tail_weight else (tail, tail_cables)
    if lift >= _LIFT:
        return f'"{rarer}" stands alone in {rarer_cables} of {total} real cables, "{joined.lower()}" in {joined_cables}'
    if habit and lift >= _LIFT_WITH_HABIT:
        return "the line lacks the trailing space the cable's other wrapped lines carry"
    return None


@rule("T501", "word-split-across-lines", "error", "a word broken across a line break", fix="safe")
def word_split_across_lines(ctx: Context) -> Iterator[Violation]:
    """## What it does
    Reports a word broken across a line break: ``comple`` at the end of one line and ``x`` at
    the start of the next, or ``Opport`` / ``unity`` in a real cable. It decides on evidence,
    not on shape: the joined form must be a known word, and either one of the halves is not a
    word, or the cable ends its wrapped lines with a space (as most cables do) and this line has
    none. A page marker between the halves does not hide the break. A line that ends with a
    hyphen (``REPRESENTA-`` / ``TIVES``) is normal hyphenation and is not reported.

    The word list is built from words seen whole in real cables plus SCOWL's English lists
    (``tools/build_lexicon.py``), shipped with the package.

    ## Why it matters
    A broken word is two non-words to a search index, a spelling check or a language model, and
    the place is easy to miss when reading.

    ## Example
    ```text
    6. (SBU) The local NSDP office was also housed in a small office in
    a Soviet-era apartment comple
    x, not far from the Ak Zhol headquarters.
    ```

    ```text
    x.txt:2:24: T501 [error] "comple" + "x" looks like one word ("complex") broken across lines
    ```

    ## Fix
    Safe: joins the halves by deleting the line break between them (and the next line's
    indentation). When a page marker sits between them the fix is unsafe: it moves the second
    half up to the first and leaves the marker where it is.
    """
    parts = ctx.parts
    text = ctx.text
    lines = ctx.lines
    # From the end of a pasted metadata block when there is one: a broken word in the first
    # line may be what kept the parser from seeing where the cable starts.
    first = parts.metadata_lines[1] if parts.metadata_lines is not None else parts.cable_start_line
    last = parts.cable_end_line
    if first >= last:
        return
    starts = parts.line_starts
    region_start = starts[first]
    region_end = starts[last] if last < len(starts) else len(text)
    markers = {item.line for item in parts.page_markers if not item.values.get("inline")}
    habit = _trailing_space_habit(ctx, first, last)
    seen: set[int] = set()
    candidates: list[tuple[int, int]] = []  # (line of the head, line of the tail)
    for match in _BREAK.finditer(text, region_start, region_end):
        line = ctx.parsed.document.cable_line(match.start()) - 1
        candidates.append((line, line + 1))
    for marker_line in markers:
        # head ... [blank] MARKER [blank] ... tail
        before = marker_line - 1
        while before >= first and not lines[before].strip():
            before -= 1
        after = marker_line + 1
        while after < last and not lines[after].strip():
            after += 1
        if before >= first and after < last and before not in markers and after not in markers:
            candidates.append((before, after))
    for head_line, tail_line in sorted(candidates):
        if head_line in seen or head_line in markers or tail_line in markers:
            continue
        head_text = lines[head_line]
        tail_text = lines[tail_line]
        if head_text != head_text.rstrip():
            continue  # a trailing space: the writer ended the word here
        head_match = _LAST_WORD.search(head_text, max(0, len(head_text) - 41))
        tail_match = _FIRST_WORD.match(tail_text)
        if head_match is None or tail_match is None:
            continue
        head, tail = head_match.group(1), tail_match.group(1)
        adjacent = tail_line == head_line + 1
        why = _split_evidence(head, tail, habit)
        if why is None:
            continue
        seen.add(head_line)
        joined = head + tail
        start = starts[head_line] + head_match.start(1)
        end = starts[tail_line] + tail_match.end(1)
        head_end = starts[head_line] + len(head_text)
        tail_start = starts[tail_line] + tail_match.start(1)
        if adjacent:
            fix = FixSpec("safe", f'join "{joined}"', (TextEdit(head_end, tail_start, ""),))
            where = "across lines"
        else:
            fix = FixSpec(
                "unsafe",
                f'join "{joined}" before the page marker',
                (TextEdit(head_end, head_end, tail), TextEdit(tail_start, tail_start + len(tail), "")),
            )
            where = "across a page marker"
        yield Violation(f'"{head}" + "{tail}" looks like one word ("{joined}") broken {where}: {why}', start, end, fix)


# -- T502 truncated-ending --------------------------------------------------------------------------

#: Lines after the last words of a cable that do not count as its ending.
_NOT_THE_ENDING = re.compile(
    r"^(?:NNNN|Nnnn|BT|#{1,3}|>|<[^<>]{1,80}>|(?:UNCLASSIFIED|CONFIDENTIAL|SECRET|LIMITED OFFICIAL USE)(?:\s+\S+)?)$"
)
#: A complete transport trailer (``=====CABLE ENDS=====``); anything shorter was cut.
_WHOLE_TRAILER = re.compile(r"^=+\s*CABLE\s+ENDS\s*=+$", re.I)
#: The start of a trailer banner cut anywhere: ``=====CABLE END``, ``=========CAB``.
_CUT_TRAILER = re.compile(r"^={5,}\s*C(?:A(?:B(?:L(?:E(?:\s+(?:E(?:N(?:D(?:S)?)?)?)?)?)?)?)?)?\s*=*$", re.I)
#: A closing marker cut after ``End`` or inside its second word (``End comm``).
_END_FRAGMENT = re.compile(
    r"(?:^|(?<=[.!?\"”)\s(]))(?P<end>\(?(?:End|END))(?:\s+(?:of\s+)?(?P<word>[A-Za-z]{1,8}))?\s*$"
)
_MARKER_WORDS = ("summary", "comment", "note", "text", "cable", "quote")
#: The last word of a sentence that runs on: a lower-case word, or anything ended by a comma,
#: a dash or an opening bracket.
_RUN_ON_WORD = re.compile(r"[a-z][a-z'’-]*|.*[,;(–-]")
_URL_OR_MAIL = re.compile(r"(?:https?://|www\.|@|\.(?:htm|html|cfm|asp)\b)", re.I)
_WORDS = re.compile(r"\S+")
#: A capitalised last word this common is no signer's name (``The``, ``Director``); the most
#: common surname among the corpus's signers, ``Young``, is in 160 cables.
_COMMON_WORD_CABLES = 300
#: A lower-case last word seen in fewer real cables than this is a cut word (``wi``, ``t``).
_CUT_WORD_CABLES = 10


def _last_content_line(ctx: Context) -> int | None:
    parts = ctx.parts
    lines = ctx.lines
    skip = {item.line for item in parts.page_markers if not item.values.get("inline")}
    skip.update(item.line for item in parts.trailers)
    floor = parts.header.end_line
    index = parts.cable_end_line - 1
    while index >= floor:
        stripped = lines[index].strip().rstrip("\\").strip()
        if stripped and index not in skip and not _NOT_THE_ENDING.match(stripped):
            return index
        index -= 1
    return None


def _stops_mid_sentence(text: str) -> bool:
    """The last words run on: the final word is lower case (or ends with a comma, a dash, a
    bracket), or a short run of capitalised words (a title, a name) follows a lower-case word,
    as in ``met with Prime Minister``. Capitals after a full stop are a signer."""
    words = _WORDS.findall(text)
    if len(words) < 3 or _URL_OR_MAIL.search(" ".join(words[-3:])):
        return False
    if sum(1 for word in words if word[:1].islower()) < 2:
        return False  # not prose: a table row, a list of tags, an archive stamp
    last = words[-1]
    if _RUN_ON_WORD.fullmatch(last):
        return True
    if re.fullmatch(r"[A-Z]{3,}", last) and (lexicon.count(last) or 0) < _COMMON_WORD_CABLES:
        return False  # a signer in capitals, even where the full stop before it was lost
    if re.fullmatch(r"[A-Z][a-z]+", last) and (lexicon.count(last) or 0) >= _COMMON_WORD_CABLES:
        return True  # "... in Guinea. The", "... in April. NSC Director": no signer's name
    index = len(words) - 1
    while index >= 0 and words[index][:1].isupper() and words[index].strip("'’-").isalpha():
        index -= 1
    if index < 0 or index == len(words) - 1 or len(words) - 1 - index > 5:
        return False
    return bool(re.fullmatch(r"[a-z]{2,}", words[index]))


def _cut_word(text: str) -> str | None:
    """The last word of ``text`` when it is a lower-case fragment no cable uses as a word."""
    words = _WORDS.findall(text)
    if len(words) < 3 or not re.fullmatch(r"[a-z]{1,20}", words[-1]):
        return None
    cables = lexicon.count(words[-1])
    return words[-1] if cables is None or cables < _CUT_WORD_CABLES else None


@rule("T502", "truncated-ending", "error", "the text stops mid-marker, mid-sentence, or in a cut trailer")
def truncated_ending(ctx: Context) -> Iterator[Violation]:
    """## What it does
    Reports a cable whose text stops before its end: inside a closing marker (a bare ``End``
    where ``End comment.`` or ``End summary.`` was cut), in the middle of a sentence with no
    signer after it, or inside a transport trailer (``=====CABLE END`` for
    ``=====CABLE ENDS=====``). Page markers that promise more pages than remain are P305's.

    ## Why it matters
    A cut cable reads as complete to a program: its last paragraph, its comment and its signer
    are lost without a trace, and statistics over endings, signers or comments are wrong.

    ## Example
    ```text
    13. (SBU) Comment: The reports of high voter interest in the elections are
    inconsistent with Post's observations elsewhere, and may reflect the
    fact that the interlocutors are active members of civil society and
    do not represent an average cross-section of local citizens. End
    ```

    ```text
    x.txt:4:62: T502 [error] the text stops at "End": a closing marker ("End comment." or "End summary.") was cut
    ```

    ## Fix
    None: the lost text cannot be guessed. Take the cable from another copy.
    """
    parts = ctx.parts
    lines = ctx.lines
    for item in parts.trailers:
        banner = lines[item.line].strip().rstrip("\\").strip()
        if not _WHOLE_TRAILER.match(banner):
            yield ctx.at_line(item.line, f'the transport trailer is cut short: "{banner}" for "=====CABLE ENDS====="')
            return
    index = _last_content_line(ctx)
    if index is None:
        return
    raw = lines[index]
    line = raw.rstrip().rstrip("\\").rstrip()
    base = parts.line_starts[index]
    if _CUT_TRAILER.match(line.strip()) and not _WHOLE_TRAILER.match(line.strip()):
        yield ctx.at_line(index, f'the transport trailer is cut short: "{line.strip()}" for "=====CABLE ENDS====="')
        return
    end = _END_FRAGMENT.search(line)
    if end and (end.group("word") is None or _is_cut_marker_word(end.group("word"))):
        shown = line[end.start() :].strip()
        yield Violation(
            f'the text stops at "{shown}": a closing marker ("End comment." or "End summary.") was cut',
            base + end.start("end"),
            base + len(line),
        )
        return
    if parts.signature is not None:
        # The signer survived but the paragraph before it was cut: "... close relations wi" / "Hofmann".
        signed = parts.signature.line
        before = signed - 1
        while before > parts.header.end_line and not lines[before].strip():
            before -= 1
        if (
            signed == index
            and before > parts.header.end_line
            and lines[signed].strip() == parts.signature.values["value"]
        ):
            previous = lines[before].rstrip().rstrip("\\").rstrip()
            fragment = _cut_word(previous)
            if fragment is not None:
                start = parts.line_starts[before] + previous.rfind(fragment)
                yield Violation(
                    f'the last paragraph stops inside a word ("...{" ".join(previous.split()[-5:])}") '
                    f"before the signer {parts.signature.values['value']}: the rest of it is lost",
                    start,
                    start + len(fragment),
                )
        return
    tail = line.strip()
    if len(_WORDS.findall(tail)) < 3 and index > parts.header.end_line:
        tail = lines[index - 1].strip().rstrip("\\").strip() + " " + tail
    if _stops_mid_sentence(tail):
        words = _WORDS.findall(line)
        last = " ".join(words[-6:])
        start = base + line.rfind(words[-1]) if words else base
        yield Violation(
            f'the text stops mid-sentence ("...{last}") and no signer follows: the rest of the cable is lost',
            start,
            base + len(line),
        )


def _is_cut_marker_word(word: str) -> bool:
    lowered = word.lower()
    return any(full.startswith(lowered) and full != lowered for full in _MARKER_WORDS)
