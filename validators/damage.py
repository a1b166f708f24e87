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
