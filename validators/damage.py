"""T5xx: damage to the text itself: broken and glued words, cut endings, markup and encoding
left-overs, garbled and duplicated spans, control characters."""

from __future__ import annotations

import array
import bisect
import collections
import functools
import html.entities
import itertools
import operator
import re
import string
from collections.abc import Callable, Container, Iterable, Iterator, Sequence

from cableschema import _regex, lexicon
from cableschema.parser import lowered_pieces
from cableschema.rules import Context, FixSpec, TextEdit, Violation, rule

from .site import dump_rows

#: Past this many findings of one rule in one cable the rest are counted in one last finding:
#: a file with a stray character on each of a million lines is one problem, not a million.
MAX_FINDINGS = 200


def _capped(violations: Iterator[Violation], what: str) -> Iterator[Violation]:
    """At most MAX_FINDINGS violations, then one that counts the rest (only counted)."""
    for shown, violation in enumerate(violations):
        if shown < MAX_FINDINGS:
            yield violation
            continue
        rest = 1 + sum(1 for _ in violations)
        yield Violation(
            f"{rest} more {what} in this cable from here on, not listed one by one",
            violation.start,
            violation.end,
        )
        return


# -- T501 word-split-across-lines ------------------------------------------------------------------

#: The last word of a line: letters after a space, a quote, a hyphen or the line start. A word
#: after ``/``, ``(``, ``,`` or ``'`` is an abbreviation part (``AF/E``), a label (``(B``) or a
#: possessive written with a comma (``AG,s``), not a word half.
_LAST_WORD = _regex.compile(r"(?:^|(?<=[ \t\"“‘-]))([A-Za-z]{1,40})$")
#: The first word of a line, ended by a space, sentence punctuation or the line end; a word that
#: goes on with ``-``, ``/`` or a digit is a compound (``u-turn``) or an abbreviation (``S/CT``).
_FIRST_WORD = _regex.compile(r"[ \t]{0,40}([A-Za-z]{1,40})(?=$|[ \t.,;:!?)\"'”’])")
_ASCII_LETTERS = string.ascii_letters
_WORD_BOUNDARY = ' \t"“‘-'
_WORD_END = " \t.,;:!?)\"'”’"


def _last_word(line: str) -> int | None:
    """Where :data:`_LAST_WORD`'s word starts in ``line`` (None when it has none), found with
    string methods: the line's trailing ASCII letters, at most 40, after a boundary."""
    before = line.rstrip(_ASCII_LETTERS)
    if not 1 <= len(line) - len(before) <= 40 or (before and before[-1] not in _WORD_BOUNDARY):
        return None
    return len(before)


def _first_word(line: str) -> tuple[int, int] | None:
    """The span of :data:`_FIRST_WORD`'s word in ``line`` (None when it has none): after at most
    40 blanks, 1 to 40 ASCII letters ended by the line end, a space or a punctuation mark."""
    body = line.lstrip(" \t")
    start = len(line) - len(body)
    rest = body.lstrip(_ASCII_LETTERS)
    length = len(body) - len(rest)
    if start > 40 or not 1 <= length <= 40 or (rest and rest[0] not in _WORD_END):
        return None
    return start, start + length


#: Lines whose words are trusted to carry a trailing space when enough of them do.
_REDACTION = _regex.compile(r"[Xx]{3}")
_HABIT_MIN_LINES = 5
_HABIT_SHARE = 0.9


#: A line break before a lower-case letter: the end of a wrapped line, maybe.
_WRAP = _regex.compile(r"\n(?=[a-z])")
#: A cable has a few thousand lines at most; past this many candidate breaks the text is no
#: cable's prose and the rest is not looked at (the work stays bounded on any input).
_MAX_CANDIDATES = 20_000


#: A line break between an ASCII letter and an ASCII letter (after at most 40 blanks), with the
#: next line's leading letters: the only breaks where T501 can find a word (its halves are ASCII
#: letters, :func:`_first_word` allows 40 blanks). Found from the newline, a literal: the regex
#: engine skips to each in C. A capitalised next line (a new sentence or a name) is left out
#: unless its word is all capitals after two capitals, as :func:`_split_evidence`'s first case
#: test lets through only a tail in lower case or an all-capitals word broken (two capitals or
#: more at the head's end): a sixth of the corpus's 59,000 breaks, each a step in Python.
_LETTER_BREAK = _regex.compile(
    r"\n(?<=[A-Za-z]\n)(?=[ \t]{0,40}[a-z]|(?<=[A-Z]{2}\n)[ \t]{0,40}[A-Z]+(?![A-Za-z]))[ \t]{0,40}([A-Za-z]+)"
)
#: How far back from a line's end its last word is read: T501 takes words of 40 letters at most.
_HEAD_REACH = 41


def _joined_word_breaks(
    text: str, lines: list[str], starts: Sequence[int], first: int, last: int, words: Container[str]
) -> list[int]:
    """The lines ``first <= i < last - 1`` that end in a letter while the next starts with one
    (after blanks), the first :data:`_MAX_CANDIDATES` of them, keeping only those where the
    line's trailing ASCII letters and the next line's leading ones make a known word (what T501
    asks first: no word, no finding).

    A region of fewer lines than the cap cannot reach it, so only the breaks between ASCII
    letters are looked for, with one regex over the text (not a pass per line), and the halves
    read from the text just searched: the other breaks never give a finding. Nor do those whose
    case :func:`_split_evidence` turns down, which the regex leaves out too (see
    :data:`_LETTER_BREAK`). A longer region takes every letter (``str.isalpha``) and the cap as
    before, so the same findings are made on any input."""
    if last - first > _MAX_CANDIDATES:
        return _known_joins(lines, _letter_breaks(lines, first, last), words)
    end = starts[last] if last < len(starts) else len(text)
    found: list[int] = []
    # A step a break between letters (some 60,000 in the corpus): names bound once, and the
    # head's start clamped with a conditional rather than a call to max().
    known = words.__contains__
    letters = _ASCII_LETTERS
    for match in _LETTER_BREAK.finditer(text, starts[first], end):
        newline = match.start()
        # The head's letters, cut at _HEAD_REACH: a longer word is no finding (see _last_word).
        before = text[newline - _HEAD_REACH if newline > _HEAD_REACH else 0 : newline]
        if known((before[len(before.rstrip(letters)) :] + match.group(1)).lower()):
            found.append(bisect.bisect_right(starts, newline) - 1)
    return found


def _letter_breaks(lines: list[str], first: int, last: int) -> list[int]:
    """The lines ``first <= i < last - 1`` that end in a letter while the next starts with one
    (after blanks), the first :data:`_MAX_CANDIDATES` of them. Done with ``map`` over the lines,
    in C."""
    ends_alpha = map(str.isalpha, map(str.__getitem__, lines[first : last - 1], itertools.repeat(slice(-1, None))))
    heads = list(itertools.compress(range(first, last - 1), ends_alpha))
    bodies = map(str.lstrip, map(lines.__getitem__, map((1).__add__, heads)), itertools.repeat(" \t"))
    starts_alpha = map(str.isalpha, map(str.__getitem__, bodies, itertools.repeat(slice(1))))
    return list(itertools.islice(itertools.compress(heads, starts_alpha), _MAX_CANDIDATES))


def _known_joins(lines: list[str], found: list[int], words: Container[str]) -> list[int]:
    """Of the lines ``found`` (each ending in a letter while the next starts with one), those
    where the line's trailing ASCII letters and the next line's leading ones make a known word
    (what T501 asks first: no word, no finding). Done with ``map`` over the lines, in C."""
    if not found:
        return found
    head_lines = list(map(lines.__getitem__, found))
    tail_bodies = list(map(str.lstrip, map(lines.__getitem__, map((1).__add__, found)), itertools.repeat(" \t")))
    letters = itertools.repeat(_ASCII_LETTERS)
    head_words = map(
        operator.getitem,
        head_lines,
        map(slice, map(len, map(str.rstrip, head_lines, letters)), itertools.repeat(None)),
    )
    tail_words = map(
        operator.getitem,
        tail_bodies,
        map(slice, map(operator.sub, map(len, tail_bodies), map(len, map(str.lstrip, tail_bodies, letters)))),
    )
    joined = map(str.lower, map(operator.add, head_words, tail_words))
    return list(itertools.compress(found, map(words.__contains__, joined)))


def _trailing_space_habit(text: str, start: int, end: int) -> bool:
    """Whether the cable's wrapped lines end with a space (``word \\nword``): then a wrapped
    line without one is evidence of a break."""
    wrapped = spaced = 0
    for match in _WRAP.finditer(text, start, end):
        before = match.start() - 1
        while before >= start and text[before] in " \t":
            before -= 1
        if before >= start and text[before].isalpha():
            wrapped += 1
            spaced += before != match.start() - 1
    return wrapped >= _HABIT_MIN_LINES and spaced >= _HABIT_SHARE * wrapped


#: How much likelier the joined word must be than the two halves meeting by chance at a line
#: break: lift = cables(joined) * N / (cables(head) * cables(tail)), N the cables the list was
#: built from. ``the`` / ``re`` gives 4.6 and ``in`` / ``to`` 0.5 (real pairs); ``crack`` /
#: ``ing`` 150 and ``Sum`` / ``mary`` 5,000 (broken words).
_LIFT = 20.0
#: With the trailing-space evidence the joined word need only be the likelier reading.
_LIFT_WITH_HABIT = 1.0


def _split_evidence(head: str, tail: str, habit: Callable[[], bool]) -> str | None:
    """Why ``head`` + ``tail`` is one broken word, or None when the evidence is not there.
    ``habit()`` says whether the cable's wrapped lines carry a trailing space (asked last: it
    reads the whole cable)."""
    joined = head + tail
    if len(joined) < 3:
        return None
    if tail[0].isupper() and not (head.isupper() and tail.isupper() and len(head) >= 2):
        return None  # a new sentence or a name, unless an all-capitals word was broken (_LETTER_BREAK's test too)
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
    if lift >= _LIFT_WITH_HABIT and habit():
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

    known_habit: list[bool] = []

    def habit() -> bool:
        if not known_habit:
            known_habit.append(_trailing_space_habit(text, region_start, region_end))
        return known_habit[0]

    seen: set[int] = set()
    words = lexicon.words()
    # (line of the head, line of the tail): each line break between a letter and a letter
    # (after blanks), up to _MAX_CANDIDATES of them, whose two words join into a known one.
    candidates = [(index, index + 1) for index in _joined_word_breaks(text, lines, starts, first, last, words)]
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
        head_at = _last_word(head_text)
        tail_span = _first_word(tail_text)
        if head_at is None or tail_span is None:
            continue
        head, tail = head_text[head_at:], tail_text[tail_span[0] : tail_span[1]]
        if (head + tail).lower() not in words:
            continue  # the joined form is no word (the first thing _split_evidence asks)
        adjacent = tail_line == head_line + 1
        why = _split_evidence(head, tail, habit)
        if why is None:
            continue
        seen.add(head_line)
        joined = head + tail
        start = starts[head_line] + head_at
        end = starts[tail_line] + tail_span[1]
        head_end = starts[head_line] + len(head_text)
        tail_start = starts[tail_line] + tail_span[0]
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
_NOT_THE_ENDING = _regex.compile(
    r"^(?:NNNN|Nnnn|BT|#{1,3}|>|<[^<>]{1,80}>|(?:UNCLASSIFIED|CONFIDENTIAL|SECRET|LIMITED OFFICIAL USE)(?:\s+\S+)?)$"
)
#: A complete transport trailer (``=====CABLE ENDS=====``); anything shorter was cut.
_WHOLE_TRAILER = _regex.compile(r"^=+\s*CABLE\s+ENDS\s*=+$", re.I)
#: The start of a trailer banner cut anywhere: ``=====CABLE END``, ``=========CAB``.
_CUT_TRAILER = _regex.compile(r"^={5,}\s*C(?:A(?:B(?:L(?:E(?:\s+(?:E(?:N(?:D(?:S)?)?)?)?)?)?)?)?)?\s*=*$", re.I)
#: A closing marker cut after ``End`` or inside its second word (``End comm``).
_END_FRAGMENT = _regex.compile(
    r"(?:^|(?<=[.!?\"”)\s(]))(?P<end>\(?(?:End|END))(?:\s+(?:of\s+)?(?P<word>[A-Za-z]{1,8}))?\s*$"
)
_MARKER_WORDS = ("summary", "comment", "note", "text", "cable", "quote")
#: The last word of a sentence that runs on: a lower-case word, or anything ended by a comma,
#: a dash or an opening bracket.
_RUN_ON_WORD = _regex.compile(r"[a-z][a-z'’-]*|.*[,;(–-]")
#: Words no sentence ends on: a text whose last word is one of these was cut, even when too little
#: of the sentence is left to tell prose from a table row ("2. In a").
_DANGLING_WORDS = frozenset({"a", "an", "the", "of", "to", "and", "or", "with", "for", "by", "in", "on", "at", "from"})
_URL_OR_MAIL = _regex.compile(r"(?:https?://|www\.|@|\.(?:htm|html|cfm|asp)\b)", re.I)
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


def _last_words(text: str, count: int) -> list[str]:
    """The last ``count`` of ``text``'s words (``\\S+``, as ``str.split`` cuts them), without
    splitting the rest of it."""
    return text.rsplit(None, count)[-count:]


def _end_fragment(line: str) -> re.Match[str] | None:
    """``_END_FRAGMENT.search(line)`` for a line without trailing blanks, trying only where a
    match can start: its ``End`` (or ``(End``) ends one of the last three words, as only ``of``
    and a short word may follow it. The search itself would try every offset of the line."""
    ends: list[int] = []
    position = len(line)
    for word in reversed(_last_words(line, 3)):
        ends.append(position)
        position = len(line[: position - len(word)].rstrip())
    for end in reversed(ends):
        for start in (end - 4, end - 3):
            if start >= 0 and (match := _END_FRAGMENT.match(line, start)) is not None:
                return match
    return None


def _looks_like_address(text: str) -> bool:
    """:data:`_URL_OR_MAIL` in ``text``; each of its forms holds a ".", "@" or ":" (characters
    without case), looked for first: the case-blind search tries every offset."""
    return ("." in text or "@" in text or ":" in text) and _URL_OR_MAIL.search(text) is not None


#: The words :func:`_stops_mid_sentence` reads from the end: the last one and up to seven before.
_WORDS_READ = 8
_initial = operator.itemgetter(0)


def _lower_initials(words: list[str], before: str) -> int:
    """How many of the words of ``before`` and then ``words`` start with a lower-case letter,
    counted up to 2 (all that is asked). A ``before`` that ``str.isupper`` accepts has no
    lower-case character at all, and is not split."""
    found = sum(map(str.islower, map(_initial, words)))
    if found >= 2 or not before or before.isupper():
        return found
    return found + sum(map(str.islower, map(_initial, before.split())))


def _stops_mid_sentence(text: str) -> bool:
    """The last words run on: the final word is lower case (or ends with a comma, a dash, a
    bracket), or a short run of capitalised words (a title, a name) follows a lower-case word,
    as in ``met with Prime Minister``. Capitals after a full stop are a signer."""
    # The last eight words are all that is read one by one; the text before them (``before``,
    # a whole flattened cable at times) is not split unless its words must be counted.
    pieces = text.rsplit(None, _WORDS_READ)
    before, words = (pieces[0], pieces[1:]) if len(pieces) > _WORDS_READ else ("", pieces)
    return _words_stop_mid_sentence(words, lambda: _lower_initials(words, before))


def _words_stop_mid_sentence(words: list[str], lower_initials: Callable[[], int]) -> bool:
    """:func:`_stops_mid_sentence` of a text's last words (at least seven, or all); the number of
    the text's words with a lower-case initial (2 is enough) is asked only where it decides."""
    if len(words) < 3 or _looks_like_address(" ".join(words[-3:])):
        return False
    last = words[-1].lstrip("\"“‘'") or words[-1]  # the word after an opening quote: 'was "a'
    if last not in _DANGLING_WORDS and lower_initials() < 2:
        return False  # not prose: a table row, a list of tags, an archive stamp
    if _RUN_ON_WORD.fullmatch(last):
        return True
    if re.fullmatch(r"[A-Z]{3,}", last) and (lexicon.count(last) or 0) < _COMMON_WORD_CABLES:
        return False  # a signer in capitals, even where the full stop before it was lost
    if re.fullmatch(r"[A-Z][a-z]+", last) and (lexicon.count(last) or 0) >= _COMMON_WORD_CABLES:
        return True  # "... in Guinea. The", "... in April. NSC Director": no signer's name
    index = len(words) - 1
    # Back over the capitalised words; a run of more than 5 is no title (and the walk stops).
    while index >= len(words) - 7 and index >= 0 and words[index][:1].isupper() and words[index].strip("'’-").isalpha():
        index -= 1
    if index < 0 or index == len(words) - 1 or len(words) - 1 - index > 5:
        return False
    return bool(re.fullmatch(r"[a-z]{2,}", words[index]))


def _cut_word(text: str) -> str | None:
    """The last word of ``text`` when it is a lower-case fragment no cable uses as a word."""
    words = _last_words(text, 3)
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
    line = _without_trailing_markup(lines[index])
    base = parts.line_starts[index]
    if _CUT_TRAILER.match(line.strip()) and not _WHOLE_TRAILER.match(line.strip()):
        yield ctx.at_line(index, f'the transport trailer is cut short: "{line.strip()}" for "=====CABLE ENDS====="')
        return
    end = _end_fragment(line)
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
    if len(_last_words(tail, 3)) < 3 and index > parts.header.end_line:
        tail = _without_trailing_markup(lines[index - 1]).strip() + " " + tail
    if _stops_mid_sentence(tail):
        words = _last_words(line, 6)
        last = " ".join(words)
        start = base + line.rfind(words[-1]) if words else base
        yield Violation(
            f'the text stops mid-sentence ("...{last}") and no signer follows: the rest of the cable is lost',
            start,
            base + len(line),
        )


#: The character that opens each kind of T504 leftover, by the character that ends it.
_MARKUP_OPENERS = {">": "<", ";": "&", "\\": "\\"}
#: The longest leftover looked for from its last character: a tag with its attributes.
_MARKUP_REACH = 320
#: Leftovers stripped from one line's end at most: a line that ends in more is T504's to report,
#: and T502 reads what is left of it (a bounded cost for a line of 500,000 ``<br>``).
_MARKUP_STEPS = 100


def _without_trailing_markup(line: str) -> str:
    """``line`` without trailing blanks and the leftovers T504 reports at its end (``<br>``,
    ``&#x000A;``, a backslash: its own pattern, ``_MARKUP``): a sentence that ends
    "reshuffle.&#x000A;" ended. The end moves back one leftover a step, without copying the
    line."""
    end = len(line.rstrip())
    for _ in range(_MARKUP_STEPS):
        if not end:
            break
        opener = _MARKUP_OPENERS.get(line[end - 1])
        start = line.rfind(opener, max(0, end - _MARKUP_REACH), end) if opener else -1
        match = _MARKUP.match(line, start, end) if start >= 0 else None
        if match is None or match.end() != end:
            break
        end = start
        while end and line[end - 1].isspace():
            end -= 1
    return line[:end]


def _is_cut_marker_word(word: str) -> bool:
    lowered = word.lower()
    return any(full.startswith(lowered) and full != lowered for full in _MARKER_WORDS)


# -- T504 markup-leftover ---------------------------------------------------------------------------

_HTML_TAGS = (
    "a|abbr|b|big|blockquote|body|br|center|cite|code|dd|del|div|dl|dt|em|font|form|h[1-6]|head|hr|html|i|"
    "iframe|img|input|ins|kbd|label|li|link|meta|nobr|noscript|ol|option|p|pre|q|s|samp|script|select|small|"
    "span|strike|strong|style|sub|sup|table|tbody|td|textarea|tfoot|th|thead|title|tr|tt|u|ul|var|wbr"
)
#: Every kind of leftover. Each starts with its own literal character (the backslash's
#: lookbehind comes after it), which the engine skips to in C; the empty group at the end of
#: each names the kind (``lastgroup``).
_MARKUP_ALTERNATIVES = (
    r"</?(?:" + _HTML_TAGS + r")(?:\s[^<>\n]{0,300})?\s*/?>(?P<tag>)",
    r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});(?P<entity>)",
    r"¶(?P<pilcrow>)",
    r"\\(?<!\\\\)[ \t]*$(?P<backslash>)",
)
#: Each kind alone, searched for from its literal (see :func:`_markup_matches`).
_MARKUP_KINDS = tuple(_regex.compile(alternative, re.I | re.M) for alternative in _MARKUP_ALTERNATIVES)
#: The literal character each of :data:`_MARKUP_KINDS` starts with.
_MARKUP_LITERALS = ("<", "&", "¶", "\\")
#: Every kind in one pattern: its search starts with a class of four characters, tried at each
#: offset (slower on a long text than the four searches of _MARKUP_KINDS).
_MARKUP = _regex.compile("|".join(_MARKUP_ALTERNATIVES), re.I | re.M)
_ENTITY_SPACES = {"nbsp", "ensp", "emsp", "thinsp"}


@functools.lru_cache(maxsize=1024)
def _decoded_entity(entity: str) -> str | None:
    """What an entity stands for, or None when it is no entity (``&ED;`` in ``S&ED;``)."""
    name = entity[1:-1]
    if name.startswith(("#x", "#X")):
        try:
            return chr(int(name[2:], 16))
        except (ValueError, OverflowError):
            return None
    if name.startswith("#"):
        try:
            return chr(int(name[1:]))
        except (ValueError, OverflowError):
            return None
    if name.lower() in _ENTITY_SPACES:
        return " "
    return html.entities.html5.get(name + ";")


@rule("T504", "markup-leftover", "warning", "entities, tags, ¶ anchors, line-final \\ left in text", fix="safe")
def markup_leftover(ctx: Context) -> Iterator[Violation]:
    """## What it does
    Reports web markup left in the cable's text after the site's own artefacts were decoded:
    HTML tags (a stray ``<br>`` inside the ``<pre>`` block, ``</table>``, ``<strong>``),
    entities nobody decoded (``&amp;``, ``&#x000A;`` in a text copy), fake entities made when an
    unescaped ``&`` was serialised again (``S&ED;``, ``R&D;``), ``¶`` signs of paragraph links
    left before wrapped years (``in ¶2004.``) and the line-final backslashes of a database dump
    (`` \\`` before each newline).

    Each leftover is reported once a cable, where it first stands, with how many times the
    cable holds it: an export that left ``<br>`` at the end of every line did one thing wrong,
    and 200 findings of it buried the cable's other findings.

    ## Why it matters
    Markup is not the cable's text: it breaks searches and diffs, shows up in quotations and
    marks a copy that went through a broken export.

    ## Example
    ```text
    SIPDIS <br>
    E.O. 12958: DECL: 02/28/2012 <br>
    TAGS: PREL PGOV IN
    SUBJECT: VISIT OF THE FOREIGN SECRETARY
    1. (C) Summary: the talks went well.
    ```

    ```text
    x.txt:1:8: T504 [warning] HTML tag "<br>" left in the text (2 times)
    ```

    ## Fix
    Safe: decodes a real entity (``&amp;`` to ``&``, ``&nbsp;`` to a space, ``&#x000A;`` to a
    newline) and strips a tag, a stray ``¶`` or a line-final backslash, every one of a finding
    at once (up to 20,000 in a cable). A fake entity (``S&ED;``) gets an unsafe fix that deletes
    its ``;``: whether the ``;`` was the cable's own cannot be known.
    """
    return _grouped_markup(_markup_matches(ctx))


def _markup_matches(ctx: Context) -> Iterator[re.Match[str]]:
    text = ctx.text
    if "<" not in text and "&" not in text and "¶" not in text and "\\" not in text:  # four memchr, no generator
        return iter(())
    parts = ctx.parts
    start = parts.line_starts[parts.cable_start_line] if parts.cable_start_line < len(parts.line_starts) else 0
    end = parts.line_starts[parts.cable_end_line] if parts.cable_end_line < len(parts.line_starts) else len(text)
    return _leftmost_markup(text, start, end)


#: Matches found from the kinds' own searches before the rest is left to _MARKUP's (a text
#: full of markup: each match here costs a search in Python).
_MARKUP_MERGED = 64


def _leftmost_markup(text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    """``_MARKUP.finditer(text, start, end)``, from the next match of each kind: the leftmost one
    is the alternation's (no two kinds start at one offset), and the search goes on past it."""
    # A kind whose character is nowhere in the text is not searched for: a memchr rules it out,
    # where its search would read the whole region (most texts hold one or two of the four).
    pending = [
        kind.search(text, start, end) if literal in text else None
        for kind, literal in zip(_MARKUP_KINDS, _MARKUP_LITERALS, strict=True)
    ]
    position = start
    for _ in range(_MARKUP_MERGED):
        leftmost = min(filter(None, pending), key=_match_start, default=None)
        if leftmost is None:
            return
        yield leftmost
        position = leftmost.end()
        for index, match in enumerate(pending):
            if match is not None and match.start() < position:  # this one, or one inside it
                pending[index] = _MARKUP_KINDS[index].search(text, position, end)
    yield from _MARKUP.finditer(text, position, end)


_match_start = operator.methodcaller("start")


#: Edits the fixes of one cable's T504 findings hold at most, past each finding's first: a dump
#: of one cable with a backslash on each of a million lines is told in one finding, whose fix
#: does not hold a million edits (run it again).
_MAX_MARKUP_EDITS = 20_000


def _grouped_markup(matches: Iterator[re.Match[str]]) -> Iterator[Violation]:
    """One violation for each distinct leftover (its text; every line-final backslash is one),
    at its first place, in the order they first appear; past :data:`MAX_FINDINGS` of them, one
    that counts the leftovers of the others."""
    firsts: dict[str, re.Match[str]] = {}
    counts: collections.Counter[str] = collections.Counter()
    edits: dict[str, list[TextEdit]] = {}
    budget = _MAX_MARKUP_EDITS
    unlisted: re.Match[str] | None = None  # the first leftover of a kind past the listed ones
    unlisted_count = 0
    for match in matches:
        key = _markup_key(match.group())
        held = edits.get(key)
        if held is None:
            if len(firsts) >= MAX_FINDINGS:
                unlisted = unlisted or match
                unlisted_count += 1
                continue
            firsts[key] = match
            edits[key] = [_markup_edit(match)]
        elif budget > 0:
            held.append(_markup_edit(match))
            budget -= 1
            if budget == 0:
                counts[key] += 1
                break
        counts[key] += 1
    # The fixes' edits are spent: the rest are only counted, a few thousand at a time, in C (a
    # step in Python each took twice as long as finding them, on a line of 4,000,000 "<br>").
    while chunk := list(itertools.islice(matches, _COUNTED_AT_ONCE)):
        found = list(map(_MATCHED_TEXT, chunk))
        for text, number in collections.Counter(found).items():  # (in the order first found)
            key = _markup_key(text)
            if key not in firsts:
                if len(firsts) >= MAX_FINDINGS:
                    unlisted = unlisted or chunk[found.index(text)]
                    unlisted_count += number
                    continue
                firsts[key] = chunk[found.index(text)]
                edits[key] = [_markup_edit(firsts[key])]
            counts[key] += number
    for key, first in firsts.items():
        yield _markup_violation(first, counts[key], tuple(edits[key]))
    if unlisted is not None:
        yield Violation(
            f"{unlisted_count:,} more markup leftovers of other kinds in this cable, not listed one by one",
            unlisted.start(),
            unlisted.end(),
        )


_MATCHED_TEXT = operator.methodcaller("group")
#: Leftovers counted at once past the fixes' edits.
_COUNTED_AT_ONCE = 4096


def _markup_key(found: str) -> str:
    """What makes leftovers one: their text, but every line-final backslash (with whatever
    blanks follow it) is one leftover. No other kind starts with a backslash."""
    return "\\" if found[0] == "\\" else found


def _markup_edit(match: re.Match[str]) -> TextEdit:
    """What a fix does to one leftover: a real entity decoded, a fake one's ``;`` deleted, the
    rest stripped (a backslash with the blanks after it)."""
    first, last = match.span()
    if match.lastgroup == "entity":
        decoded = _decoded_entity(match.group())
        return TextEdit(last - 1, last, "") if decoded is None else TextEdit(first, last, decoded)
    return TextEdit(first, last, "")


def _markup_violation(match: re.Match[str], count: int, edits: tuple[TextEdit, ...]) -> Violation:
    """The finding of a leftover the cable holds ``count`` times, ``match`` the first."""
    text = match.string
    kind = match.lastgroup
    found = match.group()
    first, last = match.span()
    times = f" ({count:,} times)" if count > 1 else ""
    # "all 47", or "the first 10,000 of 12,000": what the fix does, said in its message.
    every = (
        "" if count == 1 else f"all {count:,} " if len(edits) == count else f"the first {len(edits):,} of {count:,} "
    )
    if kind == "tag":
        fix = FixSpec("safe", f'strip {every}"{found}"', edits)
        return Violation(f'HTML tag "{found[:60]}" left in the text{times}', first, last, fix)
    if kind == "entity":
        decoded = _decoded_entity(found)
        if decoded is None:
            word = re.search(r"[A-Za-z0-9]*$", text[max(0, first - 20) : first])
            shown = (word.group() if word else "") + found
            what = f'"{shown}"' if count == 1 else f'{every}"{found}"'
            fix = FixSpec("unsafe", f'delete the ";" of {what}', edits)
            said = f'the cable says "{shown[:-1]}"'
            return Violation(
                f'"{shown}" is no entity: an unescaped "&" serialised again as one ({said}){times}',
                first,
                last,
                fix,
            )
        fix = FixSpec("safe", f'decode {every}"{found}"', edits)
        return Violation(f'entity "{found}" left undecoded (it stands for {decoded!r}){times}', first, last, fix)
    if kind == "pilcrow":
        fix = FixSpec("safe", f'strip {every or "the "}"¶"', edits)
        return Violation(f'"¶" of a paragraph link left in the text{times}', first, last, fix)
    on_lines = f" on {count:,} lines" if count > 1 else ""
    fix = FixSpec("safe", "strip the backslash" if count == 1 else f"strip {every}backslashes", edits)
    return Violation(
        f'line-final "\\" (a newline escaped by a database dump) left in the text{on_lines}', first, first + 1, fix
    )


# -- T508 control-characters ------------------------------------------------------------------------

_CONTROL = _regex.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]+")
_CONTROL_CHARACTERS = tuple(chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)))
_NOT_CONTROL = bytes(byte for byte in range(256) if chr(byte) not in _CONTROL_CHARACTERS)


@rule("T508", "control-characters", "error", "NUL or other control characters", fix="unsafe")
def control_characters(ctx: Context) -> Iterator[Violation]:
    """## What it does
    Reports control characters in the text: NUL, the other C0 controls except tab and the line
    ends, DEL, and the C1 controls (U+0080 to U+009F, the usual trace of Windows-1252 text
    decoded as Latin-1). Each run of them is one finding.

    ## Why it matters
    No cable has them. They break terminals, XML and JSON tools and databases (many refuse NUL),
    and they mark a file damaged in transfer or decoded with the wrong encoding.

    ## Example
    ```text
    1. (C) The Minister\x07 said the talks would resume.
    ```

    ```text
    x.txt:1:20: T508 [error] control character U+0007 in the text
    ```

    ## Fix
    None by default: what the character replaced is unknown. An unsafe fix deletes it.
    """
    return _capped(_control_characters(ctx), "lines with control characters")


def _control_characters(ctx: Context) -> Iterator[Violation]:
    """One finding per line: its control characters, named, and an unsafe fix deleting them."""
    text = ctx.text
    # One byte a character (above U+00FF a "?", no control character), the bytes that are no
    # control character deleted: most texts have none left.
    if not text.encode("latin-1", "replace").translate(None, _NOT_CONTROL):
        return
    matches = _CONTROL.finditer(text)
    pending: list[re.Match[str]] = []
    line_end = -1
    for match in matches:
        if pending and match.start() > line_end:
            yield _control_violation(pending)
            pending = []
        if not pending:
            found = text.find("\n", match.start())
            line_end = found if found >= 0 else len(text)
        pending.append(match)
    if pending:
        yield _control_violation(pending)


def _control_violation(runs: list[re.Match[str]]) -> Violation:
    characters = "".join(run.group() for run in runs)
    names = ", ".join(sorted({f"U+{ord(c):04X}" + (" (NUL)" if c == "\x00" else "") for c in characters}))
    if len(names) > 80:
        names = names[:80].rsplit(", ", 1)[0] + ", ..."
    noun = "character" if len(characters) == 1 else f"characters ({len(characters)})"
    start, end = runs[0].start(), runs[-1].end()
    text = runs[0].string
    # One edit over the span the finding names: the same text without its control characters.
    fix = FixSpec("unsafe", "delete the control characters", (TextEdit(start, end, _CONTROL.sub("", text[start:end])),))
    return Violation(f"control {noun} {names} in the text", start, end, fix)


# -- T505 encoding-damage ---------------------------------------------------------------------------

_REPLACEMENT = _regex.compile(r"\ufffd+")
#: Half of a UTF-16 pair, alone: a broken ``\ud83d`` escape in JSON or ``&#xD800;`` in a page.
_SURROGATES = _regex.compile("[\ud800-\udfff]+")


def _has_surrogates(text: str) -> bool:
    """Whether ``text`` holds a surrogate code point (what :data:`_SURROGATES` matches). Strict
    UTF-8 encoding, in C, fails on those and on nothing else: some ten times faster than the
    regex's character class tried at every offset of the quarter of the texts that are not ASCII."""
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


#: UTF-8 read as Windows-1252 or Latin-1: ``â€™`` for ’, ``Ã©`` for é, ``Â`` before a sign.
_MOJIBAKE = _regex.compile(
    r"(?:â€[\x80-\xbf™œžŸ˜“”¦¢¡\u02dc\u201a-\u201e]|Ã[\x80-\xbf\u0152\u0160\u0178\u017d]|Â[\xa0-\xbf])+"
)
#: Curly quotes turned into ``&`` and ``8`` by the cables' own transmission: ``&old regimes8``.
_AMP_QUOTE = _regex.compile(r"(?<![A-Za-z0-9&;])&(?=[A-Za-z])(?![A-Za-z0-9#]{1,31};)")
_EIGHT_CLOSE = _regex.compile(r"(?:(?<=[A-Za-z]{2})|(?<=[.,?!;:'’]))8(?![0-9A-Za-z])")
_QUOTE_SPAN = 600


@rule("T505", "encoding-damage", "warning", "U+FFFD, mojibake, quote marks turned into & and 8", fix="unsafe")
def encoding_damage(ctx: Context) -> Iterator[Violation]:
    """## What it does
    Reports characters that an encoding mistake changed: U+FFFD replacement characters (bytes
    that did not decode), lone UTF-16 surrogates (half a character, from a broken ``\\ud83d``
    escape or ``&#xD800;`` entity), mojibake (UTF-8 read as Windows-1252: ``â€™`` for ``’``, ``Ã©`` for
    ``é``) and curly quotes that the cables' own transmission turned into ``&`` and ``8``
    (``the &old regimes8 would``): an ``&`` opening a quotation that an ``8`` closes.

    ## Why it matters
    Damaged characters break searches for names and quotations, and mojibake spreads: each
    further wrong decoding makes it worse.

    ## Example
    ```text
    1. (C) He said the &old regimes8 would not return.
    ```

    ```text
    x.txt:1:20: T505 [warning] quote marks turned into "&" and "8": &old regimes8 (for "old regimes")
    ```

    ## Fix
    None by default. For ``&``/``8`` quotations an unsafe fix puts straight quotes back.
    """
    return _capped(_encoding_damage(ctx), "damaged characters")


def _encoding_damage(ctx: Context) -> Iterator[Violation]:
    text = ctx.text
    for match in _REPLACEMENT.finditer(text) if "\ufffd" in text else ():
        count = len(match.group())
        yield Violation(
            f"{count} U+FFFD replacement character{'s' if count > 1 else ''}: bytes that did not decode",
            match.start(),
            match.end(),
        )
    for match in _SURROGATES.finditer(text) if _has_surrogates(text) else ():
        halves = ", ".join(f"\\u{ord(half):04x}" for half in match.group()[:3])
        count = len(match.group())
        yield Violation(
            f"{count} lone UTF-16 surrogate{'s' if count > 1 else ''} ({halves}): half a character, not text",
            match.start(),
            match.end(),
        )
    if "â" in text or "Ã" in text or "Â" in text:
        for match in _MOJIBAKE.finditer(text):
            garbled = match.group()
            try:
                meant = garbled.encode("cp1252").decode("utf-8")
            except (UnicodeEncodeError, UnicodeDecodeError):
                meant = "?"
            yield Violation(
                f'mojibake "{garbled}" (UTF-8 read as Windows-1252; it stands for "{meant}")',
                match.start(),
                match.end(),
            )
    if "&" not in text:
        return
    position = 0
    while True:
        found = text.find("&", position)
        if found < 0:
            return
        opening = _AMP_QUOTE.match(text, found)
        if opening is None:
            position = found + 1
            continue
        limit = min(len(text), opening.end() + _QUOTE_SPAN)
        following = text.find("&", opening.end(), limit)
        closing = _EIGHT_CLOSE.search(text, opening.end(), following if following >= 0 else limit)
        if closing is None:
            position = opening.end()
            continue
        quoted = text[opening.end() : closing.start()]
        shown = " ".join(quoted.split())
        if len(shown) > 40:
            shown = shown[:18] + " ... " + shown[-18:]
        fix = FixSpec(
            "unsafe",
            "put straight quotes back",
            (TextEdit(opening.start(), opening.end(), '"'), TextEdit(closing.start(), closing.end(), '"')),
        )
        yield Violation(
            f'quote marks turned into "&" and "8": &{shown}8 (for "{shown}")',
            opening.start(),
            closing.end(),
            fix,
        )
        position = closing.end()


# -- T506 garbled-span ------------------------------------------------------------------------------

_TOKEN = _regex.compile(r"\S+")
#: The first word from an offset, after any whitespace: ``text[offset:].split(None, 1)[0]``
#: (``\s`` is what ``str.split`` splits on) without the copy.
_FIRST_TOKEN = _regex.compile(r"\s*(\S+)")
_TRIM = "()[]{}\"'“”‘’,.;:!?*-"
#: Noise that replaced lost text, one clue per pattern.
_LOWER_Q = _regex.compile(r"[a-z]Q(?!u)")  # "aQQ3pQclared", "QWeQre", "PresidentQs"; "TelQuel" is a name
_Q_WORD = _regex.compile(r"^Q(?!u)([a-z]{3,})$")  # "Qthe", "Qwould": a Q glued before a whole word
_INNER_SYMBOL = _regex.compile(r"[A-Za-z0-9][#~^|{}\\][A-Za-z0-9]")  # "t#QSQ", "S|ddeutsche"
_DOUBLE_Q = _regex.compile(r"[A-Za-z0-9]QQ|QQ[A-Za-z0-9]")  # "sec7QQQsUUS"; "Tencent QQ" stands alone
_CASE_FLIP = _regex.compile(r"[a-z]{2}[A-Z]")  # "natL7G"; chemical formulas flip after one letter (X3NiCoMoTi)
_LETTER_DIGIT_LETTER = _regex.compile(r"[A-Za-z][0-9]+[A-Za-z]")
#: A word after a glued Q must be common for the Q to be noise (``Qthe``), not a name (``Qassem``).
_Q_WORD_CABLES = 3
_GLUED_Q = _regex.compile(r"[a-z][.!?,;:]Q$")  # "image.Q"
_ADDRESS = _regex.compile(r"https?:|www\.|\.(?:com|org|net|gov|mil|int|edu)\b|@[a-z]", re.I)
#: Rows of a database dump (``09HAVANA683|09MADRID1146``, ``"The Hague",SECRET``) are W605's.
_DUMP_FIELDS = _regex.compile(r"[0-9]{2}[A-Z]{3,}[0-9]+\||\|[0-9]{2}[A-Z]{3,}[0-9]|\",|,\"")


#: Every clue of noise holds one of these characters (a ``Q`` or a symbol inside a word).
_NOISE_MARKS = ("Q", "#", "~", "^", "|", "{", "}", "\\")


def _noise(token: str) -> bool:
    """A token that no writer would type: the clues of lost text in the cables."""
    if len(token) > 60 or _ADDRESS.search(token) or _DUMP_FIELDS.search(token):
        return False
    word = token.strip(_TRIM)
    if _LOWER_Q.search(word) or _GLUED_Q.search(token.rstrip("\"'”’)")) or _DOUBLE_Q.search(word):
        return True
    q_word = _Q_WORD.match(word)
    if q_word and (lexicon.count(q_word.group(1)) or 0) >= _Q_WORD_CABLES and not lexicon.is_word(word):
        return True  # "Qthe", "Qwould"; but "Qassem", "Qirbi" are names
    if _INNER_SYMBOL.search(word):
        return True
    return bool(_CASE_FLIP.search(word) and _LETTER_DIGIT_LETTER.search(word))


def _odd(token: str) -> bool:
    """A token that may belong to a noise run next to a clear one (``420Q``, ``QSQ``)."""
    word = token.strip(_TRIM)
    return bool(word) and (
        bool(re.search(r"[0-9]Q|Q[0-9]|QQ", word))
        or (bool(re.search(r"[0-9]", word)) and bool(_CASE_FLIP.search(word)))
    )


@rule("T506", "garbled-span", "warning", "noise runs where text was lost")
def garbled_span(ctx: Context) -> Iterator[Violation]:
    """## What it does
    Reports runs of noise where the cable's text was lost in transmission: the "Q" garbling of
    some cables (``India's natL7G t#QSQ concentrated``, ``an aQQ3pQclared``, ``QWeQre not
    worried about our image.Q``), symbols inside words (``QA"z_1in``) and a ``Q`` glued to a whole
    word (``the Qwould likely``), letters replaced by ``Q`` or ``|`` (``PresidentQs``,
    ``S|ddeutsche``). Each run of neighbouring noisy words is one finding.

    Names are not noise: ``Qatar``, ``Qom``, ``al-Qaida``, cable jargon such as ``GoI`` or
    ``PolOff`` and model names such as ``H1N1`` or ``A400M`` are never reported.

    ## Why it matters
    The words under the noise are lost: a reader or a program that takes the text at face value
    misreads the sentence, and the cable should be fetched again from a better copy.

    ## Example
    ```text
    1. (S) The change would improve the function and transparency of India's natL7G t#QSQ
    concentrated national security decision making.
    ```

    ```text
    x.txt:1:74: T506 [warning] garbled text where characters were lost: "natL7G t#QSQ"
    ```

    ## Fix
    None: the lost words cannot be recovered from the noise.
    """
    return _capped(_garbled_spans(ctx), "garbled spans")


def _garbled_spans(ctx: Context) -> Iterator[Violation]:
    text = ctx.text
    if (  # each mark looked for with memchr, in turn (a generator over them cost as much)
        "Q" not in text
        and "#" not in text
        and "~" not in text
        and "^" not in text
        and "|" not in text
        and "{" not in text
        and "}" not in text
        and "\\" not in text
    ):
        return
    parts = ctx.parts
    lines = ctx.lines
    starts = parts.line_starts
    document = ctx.parsed.document
    region_start = starts[parts.header.end_line] if parts.header.end_line < len(starts) else len(text)
    region_end = starts[parts.cable_end_line] if parts.cable_end_line < len(starts) else len(text)
    clues: dict[int, list[int]] = {}  # line -> offsets of its clues
    for mark in _NOISE_MARKS:
        position = text.find(mark, region_start, region_end)
        while position >= 0:
            before = text[position - 1] if position > 0 else " "
            after = text[position + 1] if position + 1 < len(text) else " "
            if mark == "Q":
                clue = (
                    before.islower()
                    or before.isdigit()
                    or before in ".,;:!?"
                    or after.isdigit()
                    or after == "Q"
                    or (after.islower() and after != "u")
                )
            else:
                clue = before.isalnum() and after.isalnum()
            if clue:
                clues.setdefault(document.cable_line(position) - 1, []).append(position)
            position = text.find(mark, position + 1, region_end)
    for index in sorted(clues):
        line = lines[index]
        for begin, finish in _noise_runs(line, sorted(offset - starts[index] for offset in clues[index])):
            shown = line[begin:finish]
            if len(shown) > 60:
                shown = shown[:57] + "..."
            yield Violation(
                f'garbled text where characters were lost: "{shown}"', starts[index] + begin, starts[index] + finish
            )


_NON_BLANKS = _regex.compile(r"\S*")


def _noise_runs(line: str, columns: list[int]) -> Iterator[tuple[int, int]]:
    """The runs of noisy tokens (``\\S+``) in ``line`` around the tokens holding a clue (at the
    sorted ``columns``; a clue is no blank, so it is inside a token), as spans: each flagged
    token, with the odd tokens before it and the flagged or odd ones after it. Only the tokens
    near the clues are read, from the line and from its reverse (a flattened line holds
    thousands of tokens and a clue or two)."""
    size = len(line)
    backwards = line[::-1]
    holding: list[tuple[int, int]] = []
    for column in columns:
        if holding and column < holding[-1][1]:
            continue  # in the token just found
        finish = _NON_BLANKS.match(line, column).end()  # type: ignore[union-attr]
        begin = size - _NON_BLANKS.match(backwards, size - 1 - column).end()  # type: ignore[union-attr]
        holding.append((begin, finish))
    flagged = [span for span in holding if _noise(line[span[0] : span[1]])]
    flagged_set = set(flagged)
    reported_to = 0
    for first_span in flagged:
        if first_span[0] < reported_to:
            continue  # inside the run just reported
        begin, finish = first_span
        while (before := _TOKEN.search(backwards, size - begin)) is not None and _odd(
            line[size - before.end() : size - before.start()]
        ):
            begin = size - before.end()
        while (after := _TOKEN.search(line, finish)) is not None and (
            after.span() in flagged_set or _odd(after.group())
        ):
            finish = after.end()
        yield begin, finish
        reported_to = finish


# -- T507 glued-words -------------------------------------------------------------------------------

#: Where a line break was deleted between two lines and nothing put in its place: a label or a
#: handling word fused to the word before it, a reference letter or a paragraph number fused to
#: the text before it, a lower-case word fused to a capitalised one. Each is found from a literal
#: (fast on any text) and then checked around it.
#: The labels, each searched from its first letters (a literal, fast on any text).
#: Each with its literal start; the pattern is matched in place where the literal is found.
_GLUED_LABELS = tuple(
    (literal, _regex.compile(pattern))
    for literal, pattern in (
        ("SUBJ", r"SUBJ(?:ECT)?\s*:"),
        ("Subj", r"Subject\s*:"),
        ("TAGS", r"TAGS\s*:"),
        ("Tags", r"Tags\s*:"),
        ("REF", r"REFS?\s*:"),
        ("Ref", r"Refs?\s*:"),
        ("E.O.", r"E\.O\.\s?1[0-9]{4}"),
        ("E.o.", r"E\.o\.\s?1[0-9]{4}"),
        ("SIPDIS", r"SIPDIS"),
        ("Sipdis", r"Sipdis"),
    )
)
_COLON_LABELS = _GLUED_LABELS[:6]  # a word, blanks, a colon
#: The words the colon labels can end with, and the pattern of each.
_COLON_WORDS = (
    ("SUBJECT", _GLUED_LABELS[0][1]),
    ("SUBJ", _GLUED_LABELS[0][1]),
    ("Subject", _GLUED_LABELS[1][1]),
    ("TAGS", _GLUED_LABELS[2][1]),
    ("Tags", _GLUED_LABELS[3][1]),
    ("REFS", _GLUED_LABELS[4][1]),
    ("REF", _GLUED_LABELS[4][1]),
    ("Refs", _GLUED_LABELS[5][1]),
    ("Ref", _GLUED_LABELS[5][1]),
)
_COLON_WORD_ENDS = tuple(word for word, _ in _COLON_WORDS)
_EO_LABELS = {"O": _GLUED_LABELS[6][1], "o": _GLUED_LABELS[7][1]}
_WORD_LABELS = _GLUED_LABELS[8:]
#: SIPDIS and Sipdis in one search (neither overlaps the other: the same matches as theirs).
_WORD_LABEL = _regex.compile("|".join(pattern.pattern for _, pattern in _WORD_LABELS))
#: Past this many colons in a cable the colon labels are searched word by word.
_MAX_COLONS = 5_000
_GLUED_REF_LETTER = _regex.compile(r"\.(?<=[0-9][A-H]\.)\s+[A-Z]{3,}\s+[0-9]")  # "ANKARA 1074B. ANKARA 1231"
_BEFORE_PARAGRAPH = _regex.compile(r"[a-z]{2}[.!?][1-9][0-9]?\.\s{0,2}$")
#: "Berlin.6. (U)": a portion mark after a paragraph number glued to a sentence's end. The
#: lookbehinds (one a width of _BEFORE_PARAGRAPH) let through only the marks it would accept,
#: and not the one in each numbered paragraph.
_GLUED_PARAGRAPH = _regex.compile(
    r"\((?:"
    + "|".join(
        rf"(?<=[a-z]{{2}}[.!?][1-9]{digits}\.{blanks}\()" for digits in ("", "[0-9]") for blanks in ("", r"\s", r"\s\s")
    )
    + r")(?:U|C|S|SBU|S/NF|C/NF|S//NF)\)"
)
_CAMEL_CLUE = _regex.compile(r"[a-z]{3}[A-Z][a-z]{2}")  # "withEmbassy", "sawMedvedev"
_WORD_BEFORE = _regex.compile(r"(?<![A-Za-z])[a-z]{3,}$")
_WORD_AFTER = _regex.compile(r"[A-Z][a-z]{2,}(?![A-Za-z])")
#: Lines this long were made by deleting line breaks (a JSON record, a paragraph on one line):
#: only there is a lower-case word fused to a capitalised one glue, elsewhere it is a typo.
_FLATTENED = 200

# Cheap tests that rule out the clean case. A glued label, E.O. or paragraph number has a letter,
# a digit, "." or ")" just before it, and each test asks for that. They search the text read
# backwards (see _glue_points), where each pattern starts with a literal (a colon, a full stop, a
# closing bracket) the engine skips to in C; read forwards they start with a character class,
# tried at every offset. A hit only means the full search runs.
#: A colon, blanks and a colon label's word backwards ("TCEJBUS" for "SUBJECT"), then the
#: character before the word.
_GLUED_COLON_LABEL_BACKWARDS = _regex.compile(r":\s*(?:TCEJBUS|JBUS|tcejbuS|SGAT|sgaT|S?FER|s?feR)(?:[^\W_]|[.)])")
#: ".O.E" or ".o.E" (an E.O. label backwards), then the character before it; or "." and a letter
#: A to H after a digit (where _GLUED_REF_LETTER starts: "4B." backwards). One pass for both: the
#: text has hundreds of full stops, and each costs a try.
_GLUED_EO_OR_REF_BACKWARDS = _regex.compile(r"\.(?:[Oo]\.E(?:[^\W_]|[.)])|[A-H][0-9])")
#: :data:`_GLUED_PARAGRAPH` with its look-behinds, backwards: "(C) .6.nilreB" for "Berlin.6. (C)".
_GLUED_PARAGRAPH_BACKWARDS = _regex.compile(r"\)(?:U|C|S|UBS|FN/S|FN/C|FN//S)\(\s{0,2}\.[0-9]?[1-9][.!?][a-z]{2}")
#: How far before the region the backwards text reaches: the character before a label, and the
#: eight that _GLUED_PARAGRAPH's look-behinds read before its "(".
_LOOK_BEHIND = 16


def _label_matches(text: str, start: int, end: int, backwards: str, eo: bool) -> Iterator[re.Match[str]]:
    """The matches of each of :data:`_GLUED_LABELS` in ``text[start:end]``, as its own
    ``finditer`` would give them (in no particular order across patterns), but for the colon
    and E.O. labels of a text where no such label is glued (``backwards`` is the region read
    backwards, as :func:`_glue_points` makes it: one test each rules them out; ``eo`` is the
    E.O. labels' test, made there).

    Searching the text once per label was most of T507's time. The labels that end in a colon
    are found from the colons (a few dozen a cable, found with memchr): the word before each,
    past any blanks. No two matches of one of them overlap (a match holds one colon, at its
    end), nor do two of an E.O. label, found from the few "E."s. SIPDIS is searched for.
    """
    if _GLUED_COLON_LABEL_BACKWARDS.search(backwards):
        yield from _colon_label_matches(text, start, end)
    if eo:
        found = text.find("E.", start, end)
        while found >= 0:
            eo_pattern = _EO_LABELS.get(text[found + 2 : found + 3])
            if eo_pattern is not None and (match := eo_pattern.match(text, found, end)) is not None:
                yield match
            found = text.find("E.", found + 1, end)
    yield from _WORD_LABEL.finditer(text, start, end)


def _colon_label_matches(text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    """The matches of the colon labels (:data:`_COLON_LABELS`) in ``text[start:end]``."""
    colon = text.find(":", start, end)
    done = start  # past the last colon looked at
    for _ in range(_MAX_COLONS):
        if colon < 0:
            break
        done = colon + 1
        word_end = _blanks_before(text, start, colon)
        head = text[max(start, word_end - 7) : word_end]
        if head.endswith(_COLON_WORD_ENDS):
            for word, pattern in _COLON_WORDS:
                if head.endswith(word) and (match := pattern.match(text, word_end - len(word), end)) is not None:
                    yield match
                    break  # one word a pattern ends with here; one label a colon
        colon = text.find(":", colon + 1, end)
    else:
        # Too many colons to look at one by one: the rest searched label by label, from past
        # the last colon looked at (a label holds no colon before its own).
        if colon >= 0:
            yield from _literal_matches(text, _COLON_LABELS, done, end)


def _literal_matches(
    text: str, labels: tuple[tuple[str, re.Pattern[str]], ...], start: int, end: int
) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text, start, end)`` of each pattern, found from its literal start."""
    for literal, pattern in labels:
        found = text.find(literal, start, end)
        while found >= 0:
            match = pattern.match(text, found, end)
            found = text.find(literal, found + 1 if match is None else match.end(), end)
            if match is not None:
                yield match


def _blanks_before(text: str, start: int, position: int) -> int:
    """Where the run of blanks that ends at ``position`` starts (not before ``start``)."""
    if position <= start or not text[position - 1].isspace():
        return position
    width = 64
    while True:  # a window 4 times wider each time: linear in the run of blanks
        low = max(start, position - width)
        kept = len(text[low:position].rstrip())
        if kept or low == start:
            return low + kept
        width *= 4


def _glue_points(ctx: Context, start: int, end: int) -> list[tuple[int, int]]:
    """``(start, end)`` of each place where two lines were fused, in ``text[start:end]``."""
    text = ctx.text
    # The region read backwards, from a little before it (what the look-behinds see), for the
    # cheap tests of _label_matches and the paragraph numbers.
    low = max(0, start - _LOOK_BEHIND)
    # One reversed copy (a slice, then its reverse, copied the region twice); a stop of -1 would
    # mean the text's end, so a region from the text's start is read to its first character.
    backwards = text[end - 1 : low - 1 : -1] if low else text[end - 1 :: -1] if end else ""
    eo_or_ref = _GLUED_EO_OR_REF_BACKWARDS.search(backwards) is not None
    points: list[tuple[int, int]] = []
    for match in _label_matches(text, start, end, backwards, eo_or_ref):
        position, after = match.start(), match.end()
        before = text[position - 1] if position > 0 else " "
        if match.group()[:1] == "S" and match.group()[1:2] in "Ii":  # SIPDIS, Sipdis
            glued = before.isdigit() or before.islower() or (after < len(text) and text[after].isupper())
            if glued and not (match.group() == "SIPDIS" and before.isupper()):
                points.append((position, after))
        elif before.isalnum() or before in ".)":
            points.append((position, after))
    for match in _GLUED_REF_LETTER.finditer(text, start, end) if eo_or_ref else ():
        points.append((match.start() - 1, match.end()))
    for match in _GLUED_PARAGRAPH.finditer(text, start, end) if _GLUED_PARAGRAPH_BACKWARDS.search(backwards) else ():
        head = _BEFORE_PARAGRAPH.search(text, max(0, match.start() - 10), match.start())
        if head is not None:
            points.append((head.start() + 3, match.end()))
    for line_start, line_end in _long_lines(ctx, start, end):
        for flip in _camel_flips(text, line_start, line_end):
            points.extend(_camel_glue(text, flip))
    return sorted(points)


#: Each byte as its case: the ASCII lower-case letters ``a``, the capitals ``A``, anything else a space.
_CASE_SHAPE = bytes(
    ord("a") if chr(byte) in string.ascii_lowercase else ord("A") if chr(byte) in string.ascii_uppercase else ord(" ")
    for byte in range(256)
)
_CAMEL_SHAPE = b"aaaAaa"


def _camel_flips(text: str, start: int, end: int) -> Iterator[int]:
    """The offset of the capital of each :data:`_CAMEL_CLUE` match in ``text[start:end]`` (as its
    ``finditer`` gives them). The line is mapped to its letters' case a byte a character and
    searched for ``aaaAaa``: a regex that starts with a character class tries every position.
    (Latin-1 with ``?`` for what it cannot encode keeps one byte a character, and no byte above
    127 is an ASCII letter.)"""
    shape = text[start:end].encode("latin-1", "replace").translate(_CASE_SHAPE)
    free = 0  # where the next match may start (finditer's matches do not overlap)
    flip = shape.find(b"aA", 2)  # the rarer lower-to-capital flip first, then the letters around it
    while flip >= 0:
        if flip - 2 >= free and shape.startswith(_CAMEL_SHAPE, flip - 2):
            yield start + flip + 1
            free = flip + 4
        flip = shape.find(b"aA", flip + 1)


def _long_lines(ctx: Context, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The lines of ``text[start:end]`` (whole lines: ``start`` a line's start, ``end`` one's
    end or the start of the next) of :data:`_FLATTENED` characters or more."""
    starts = ctx.parts.line_starts
    lines = ctx.lines
    if max(map(len, lines), default=0) < _FLATTENED:
        return  # no long line in the whole text: the usual case, told by one pass
    first = bisect.bisect_left(starts, start)
    last = bisect.bisect_left(starts, end)
    long_enough = map(_FLATTENED.__le__, map(len, lines[first:last]))
    for index in itertools.compress(range(first, last), long_enough):
        line_start = starts[index]
        yield line_start, min(line_start + len(lines[index]), end)


def _camel_glue(text: str, flip: int) -> list[tuple[int, int]]:
    """``withEmbassy``: two known words, the second capitalised, with no space between."""
    head = _WORD_BEFORE.search(text, max(0, flip - 40), flip)
    tail = _WORD_AFTER.match(text, flip)
    if head is None or tail is None or (head.start() > 0 and text[head.start() - 1] in "./@_-"):
        return []
    if lexicon.is_word(head.group()) and lexicon.is_word(tail.group()):
        return [(head.start(), tail.end())]
    return []


@rule("T507", "glued-words", "warning", "words fused where line breaks were deleted")
def glued_words(ctx: Context) -> Iterator[Violation]:
    """## What it does
    Reports words fused where a copy deleted the line breaks without putting a space in their
    place: a label glued to the word before it (``TerrorismSUBJECT:``, ``PARTIESSUBJECT:``), a
    handling word glued on both sides (``ankara 000348SipdisE.o. 12958``), a lettered reference
    or a paragraph number glued to the text before it (``ANKARA 1074B. ANKARA``,
    ``Berlin.6. (U)``), and, in lines that deleted breaks made (200 characters or more), a
    known word glued to a capitalised one (``withEmbassy``); in a normal line that is a typo of
    the cable's own. One finding per line, naming each fused place.

    ## Why it matters
    Fused words hide the labels that parsers look for (a ``SUBJECT:`` glued to the last tag is
    no subject line) and make two words one for every search.

    ## Example
    ```jsonl
    {"reference_id": "06ABUDHABI1725", "body": "TAGS: PTER IZ AE TerrorismSUBJECT: SCENESETTER 1. (C) Text."}
    ```

    ```text
    x.jsonl:1:62: T507 [warning] words fused where a line break was deleted: "TerrorismSUBJECT:"
    ```

    ## Fix
    None: where the line break was cannot always be told (``SipdisE.o.`` lost two).
    """
    return _capped(_glued_words(ctx), "lines with fused words")


def _glued_words(ctx: Context) -> Iterator[Violation]:
    text = ctx.text
    parts = ctx.parts
    starts = parts.line_starts
    document = ctx.parsed.document
    region_start = starts[parts.cable_start_line] if parts.cable_start_line < len(starts) else len(text)
    region_end = starts[parts.cable_end_line] if parts.cable_end_line < len(starts) else len(text)
    by_line: dict[int, list[tuple[int, int]]] = {}
    for point in _glue_points(ctx, region_start, region_end):
        by_line.setdefault(document.cable_line(point[0]) - 1, []).append(point)
    for index, found in sorted(by_line.items()):
        line = ctx.lines[index]
        base = starts[index]
        places = _fused_places(line, [(first - base, last - base) for first, last in found])
        shown = ", ".join(f'"{place}"' for place in places[:3]) + (
            f" and {len(places) - 3} more" if len(places) > 3 else ""
        )
        noun = "a line break was" if len(places) == 1 else "line breaks were"
        first, last = found[0]
        yield Violation(
            f"words fused where {noun} deleted: {shown}",
            base + max(0, line.rfind(" ", 0, first - base) + 1),
            last,
        )


#: Places on a line compared with each other for containment: a line of more distinct fused
#: words than this is a flattened document, whose places beyond are told apart by equality alone
#: (comparing each with every one before it took minutes on a line of 1 MB).
_PLACES_COMPARED = 64


def _fused_places(line: str, spans: list[tuple[int, int]]) -> list[str]:
    """The distinct places (the space-delimited text around each of ``spans``, offsets in
    ``line`` sorted by start) in order, leaving out one inside or around a place before it.

    Each stretch of the line is searched for a space once: a line of one long word held thousands
    of spans, each of which searched back to the line's start and on to its end."""
    places: list[str] = []
    seen: set[str] = set()
    begin = 0  # after the last space before ``searched_back``
    searched_back = 0
    searched_from, finish = -1, -1  # ``finish``: the first space from ``searched_from``, or -1
    for first, last in spans:
        space = line.rfind(" ", searched_back, first)
        if space >= 0:
            begin = space + 1
        searched_back = max(searched_back, first)
        if not (0 <= searched_from <= last and (finish < 0 or finish >= last)):
            searched_from, finish = last, line.find(" ", last)
        place = line[begin : finish if finish >= 0 else len(line)].strip()
        if not place or place in seen:
            continue
        if len(places) < _PLACES_COMPARED and any(place in other or other in place for other in places):
            continue
        seen.add(place)
        places.append(place)
    return places


# -- T509 duplicated-text ---------------------------------------------------------------------------

#: A block counts as repeated when this many words in a row appear again, in the same order.
_SHINGLE = 10
_MIN_REPEAT_WORDS = 20
_MARKER_BEFORE = _regex.compile(r"[0-9]{8}\s+[0-9]{3}(?:\.[0-9])?\s+OF\s+[0-9]{3}\s*(?:SUBJECT:?\s*)?$", re.I)
_KEY_LENGTH = 16
_PREVIEW_END = _regex.compile(r"(?:\.\.\.|…)\s*$")


#: "..." or "…" at a line's end (before blanks), each searched for from its literal start: the
#: regex engine's search beats ``str.find("...")``, whose skip table gives up at every "n" (the
#: same hash bits as "."), and a "…" cannot be in an ASCII text (it gives up at once).
_PREVIEW_MARKS = (_regex.compile(r"\.\.\.[ \t]*(?:\n|\Z)"), _regex.compile(r"…[ \t]*(?:\n|\Z)"))


def _has_preview_line(text: str, start: int, end: int) -> bool:
    """A line of ``text[start:end]`` that ends in ``...`` or ``…`` (and spaces or tabs)."""
    dots, ellipsis = _PREVIEW_MARKS
    if dots.search(text, start, end) is not None:
        return True
    return "…" in text and ellipsis.search(text, start, end) is not None  # (a memchr first: almost no text has one)


def _may_start_over(ctx: Context, start: int, end: int) -> bool:
    """Cheap pre-check: a line ending in ``...``, or the start of a label (caption, E.O.,
    TAGS, SUBJECT) found twice in ``ctx.text[start:end]``."""
    text = ctx.text
    if _has_preview_line(text, start, end):
        return True
    parts = ctx.parts
    for item in (parts.caption, parts.eo, parts.tags, parts.subject):
        if item is None:
            continue
        key = text[item.start : item.start + _KEY_LENGTH]
        if "\n" in key or len(key) < _KEY_LENGTH:
            continue
        first = text.find(key, start, end)
        if first >= 0 and text.find(key, first + 1, end) >= 0:
            return True
    return False


def _word_lines(ctx: Context, first_line: int, markers: set[int]) -> list[int]:
    """The lines whose words T509 compares: from ``first_line`` to the cable's end, page markers
    left out."""
    return [index for index in range(first_line, ctx.parts.cable_end_line) if index not in markers]


#: A text of more words than this is read a piece at a time (see :func:`_words`), and its words
#: counted one at a time (:func:`_repeats`). Real cables have a few thousand.
_WORDS_AT_ONCE = 200_000


def _words(ctx: Context, lines: list[int]) -> list[str]:
    """The words T509 compares in ``lines``: the text's ``\\S+`` tokens, lower case, ``¶``
    removed (a token of ``¶`` alone is no word). One split of the joined lines gives the same
    words as a token at a time: neither lowering nor removing ``¶`` makes or takes a space.

    A long text is split a megabyte at a time, cut at whitespace, and each word kept once: the
    3 million words of a 20 MB text were as many strings (about 150 MB), most of them repeats.
    Once a piece is mostly new words, the rest is not deduplicated: that took longer than the
    split (0.8 s for 2.5 million distinct words) and kept nothing less."""
    text = ctx.lines
    chunk = "\n".join([text[index] for index in lines])
    if "¶" in chunk:
        chunk = chunk.replace("¶", "")
    piece = _WORDS_AT_ONCE * 5  # characters: about the words read at once
    if len(chunk) <= piece:
        return chunk.lower().split()
    words: list[str] = []
    known: dict[str, str] | None = {}
    for found in map(str.split, lowered_pieces(chunk, piece)):
        if known is None:
            words.extend(found)
        else:
            before = len(known)
            words.extend(map(known.setdefault, found, found))
            if len(known) - before > len(found) // 2:
                known = None
    return words


class _WordOffsets:
    """The text offset of the k-th word of :func:`_words`, found when asked: most cables never
    ask, and those that do ask for a handful."""

    def __init__(self, ctx: Context, lines: list[int]) -> None:
        self._ctx = ctx
        self._lines = lines
        text = ctx.lines
        # Each line's words counted in C (a generator over the lines cost a Python step each).
        unmarked = map(str.replace, map(text.__getitem__, lines), itertools.repeat("¶"), itertools.repeat(""))
        self._ends = list(itertools.accumulate(map(len, map(str.split, unmarked))))
        self._word_starts: dict[int, list[int]] = {}  # by line, as asked

    def __getitem__(self, word: int) -> int:
        at = bisect.bisect_right(self._ends, word)
        index = self._lines[at]
        skip = word - (self._ends[at - 1] if at else 0)
        starts = self._word_starts.get(index)
        if starts is None:
            # The line's words found once, not from its start for each word asked (a flattened
            # line of thousands of repeats asked for each of their words).
            line = self._ctx.lines[index]
            starts = self._word_starts[index] = [m.start() for m in _TOKEN.finditer(line) if m.group().replace("¶", "")]
        if skip >= len(starts):
            raise IndexError(word)
        return self._ctx.parts.line_starts[index] + starts[skip]


def _repeats(words: list[str]) -> list[tuple[int, int, int]]:
    """``(start, end, source)`` of each run of :data:`_MIN_REPEAT_WORDS` words or more that
    repeats, :data:`_SHINGLE` words at a time, the words from ``source`` on (and not
    overlapping them)."""
    count = len(words)
    if count < _SHINGLE:
        return []
    # A window of _SHINGLE words holding a word the cable uses once cannot come twice: only the
    # windows between two such words are compared (in prose, a few in a hundred). Each word's
    # count is read with one itemgetter call (a map over the Counter's __getitem__ is a call a
    # word), and the once-words walked in a plain loop (cheaper than pairing them all in C).
    uses = collections.Counter(words)
    # (A text of millions of words reads the counts one at a time: the call's arguments and its
    # result are two more tuples of them.)
    counts = operator.itemgetter(*words)(uses) if count <= _WORDS_AT_ONCE else map(uses.__getitem__, words)
    # Positions and where each was first seen are machine integers (8 bytes, not an int object
    # and a list slot each: 112 MB more for the 3 million words of a 20 MB text).
    positions = array.array("q")
    left = -1  # the last word used once (or the start)
    for right in itertools.chain([index for index, uses_of in enumerate(counts) if uses_of == 1], (count,)):
        if right - left > _SHINGLE:
            positions.extend(range(left + 1, right - _SHINGLE + 1))
        left = right
    first, distinct = _first_seen(tuple(words), positions)
    if distinct == len(first):
        return []  # no run of _SHINGLE words comes twice: the usual case
    # The positions that repeat an earlier key at least _SHINGLE words back, read as they come.
    earlier = map(operator.le, first, map((-_SHINGLE).__add__, positions))
    return _runs_of(itertools.compress(zip(positions, first, strict=True), earlier))


#: A text of more windows than this finds their first copies a share of them at a time (see
#: :func:`_first_seen`). A real cable has a few thousand.
_WINDOWS_AT_ONCE = 250_000


def _first_seen(words: tuple[str, ...], positions: array.array[int]) -> tuple[array.array[int], int]:
    """For each position, the first position whose window of :data:`_SHINGLE` words is the same,
    and how many distinct windows there are.

    The windows are slices of a tuple (the keys themselves; slices of a list would each be copied
    again), made one at a time and each kept only the first time it is seen. A text of many
    cables has millions of distinct windows, and a dict of them all held 415 MB for 2 million
    (a 13 MB text): such a text is done by :func:`_first_seen_in_shares`."""
    if len(positions) > _WINDOWS_AT_ONCE:
        return _first_seen_in_shares(words, positions)
    first_seen: dict[tuple[str, ...], int] = {}  # setdefault keeps the smallest: positions come in order
    return array.array("q", map(first_seen.setdefault, _windows(words, positions), positions)), len(first_seen)


def _windows(words: tuple[str, ...], positions: Sequence[int]) -> Iterator[tuple[str, ...]]:
    """The window of :data:`_SHINGLE` words at each position, made one at a time, in C."""
    return map(words.__getitem__, map(slice, positions, map((_SHINGLE).__add__, positions)))


def _first_seen_in_shares(words: tuple[str, ...], positions: array.array[int]) -> tuple[array.array[int], int]:
    """:func:`_first_seen` in bounded memory. Each window's hash is kept as a machine integer,
    and the windows are looked up a share at a time (those whose hash falls in the share), in a
    dict keyed by hash that never holds more than about :data:`_WINDOWS_AT_ONCE`. Equal windows
    have equal hashes and so meet in one share. Two windows that only share a hash are told
    apart by their words, so the result is exact."""
    hashes = array.array("q", map(hash, _windows(words, positions)))
    shares = min(256, -(-len(positions) // _WINDOWS_AT_ONCE))
    # One byte of each hash picks its share (str hashes are random, and equal hashes have equal
    # bytes), and each window is appended to its share's arrays in C: a loop in Python took as
    # long as the lookups.
    share_of = hashes.tobytes()[:: hashes.itemsize].translate(bytes(byte % shares for byte in range(256)))
    share_positions = [array.array("q") for _ in range(shares)]
    share_hashes = [array.array("q") for _ in range(shares)]
    for arrays, values in ((share_positions, positions), (share_hashes, hashes)):
        appends = [values_of_share.append for values_of_share in arrays]
        collections.deque(map(operator.call, map(appends.__getitem__, share_of), values), maxlen=0)
    del hashes, share_of
    first_at = array.array("q", bytes(8 * (positions[-1] + 1)))  # by position: a share's are scattered
    distinct = 0
    for share in range(shares):
        chosen, chosen_hashes = share_positions[share], share_hashes[share]
        first_seen: dict[int, int] = {}
        sources = array.array("q", map(first_seen.setdefault, chosen_hashes, chosen))
        distinct += len(first_seen)
        del first_seen, chosen_hashes
        share_hashes[share] = array.array("q")
        repeated = list(itertools.compress(range(len(chosen)), map(operator.ne, sources, chosen)))
        copies = list(map(chosen.__getitem__, repeated))
        originals = list(map(sources.__getitem__, repeated))
        collided: dict[tuple[str, ...], int] = {}
        for index in itertools.compress(
            repeated, map(operator.ne, _windows(words, originals), _windows(words, copies))
        ):
            # Another window with the same hash came first: the words decide.
            position = chosen[index]
            key = words[position : position + _SHINGLE]
            distinct += key not in collided
            sources[index] = collided.setdefault(key, position)
        collections.deque(map(first_at.__setitem__, chosen, sources), maxlen=0)
        share_positions[share] = array.array("q")
    return array.array("q", map(first_at.__getitem__, positions)), distinct


def _runs_of(copies: Iterable[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """The runs of :func:`_repeats` from its ``(position, source)`` windows that repeat an earlier
    one, in position order: overlapping windows make one run. The windows are read once, in
    order (a text repeating itself has millions of them)."""
    runs: list[tuple[int, int, int]] = []
    run_start = run_end = source = -1
    for position, first in copies:
        if run_start >= 0 and position <= run_end:
            run_end = max(run_end, position + _SHINGLE)
            continue
        if run_start >= 0 and run_end - run_start >= _MIN_REPEAT_WORDS:
            runs.append((run_start, run_end, source))
        run_start, run_end, source = position, position + _SHINGLE, first
    if run_start >= 0 and run_end - run_start >= _MIN_REPEAT_WORDS:
        runs.append((run_start, run_end, source))
    return runs


def _duplicated_text(ctx: Context) -> Iterator[Violation]:
    """T509's findings, one a repeated block (see :func:`duplicated_text`)."""
    parts = ctx.parts
    lines = ctx.lines
    starts = parts.line_starts
    text = ctx.text
    first_line = parts.header.end_line
    if first_line >= parts.cable_end_line:
        return
    region_start = starts[first_line]
    region_end = starts[parts.cable_end_line] if parts.cable_end_line < len(starts) else len(text)
    if not _may_start_over(ctx, region_start, region_end):
        return  # the cheap check first: no cut preview, no label that comes twice
    markers = {item.line for item in parts.page_markers if not item.values.get("inline")}
    word_lines = _word_lines(ctx, first_line, markers)
    words = _words(ctx, word_lines)
    if len(words) < 2 * _MIN_REPEAT_WORDS:
        return
    runs = _repeats(words)
    if not runs:
        return
    offsets = _WordOffsets(ctx, word_lines)
    rows = dump_rows(ctx)
    # The labels at the top of the cable: a repeat that takes them along is the text starting over.
    labels = [
        (item.start, min(item.end, item.start + 300))
        for item in (parts.caption, parts.eo, parts.tags, parts.subject)
        if item is not None
    ]
    for run_start, run_end, source in runs:
        count = run_end - run_start
        start = offsets[run_start]
        head_line = ctx.document.cable_line(start) - 1
        preview_line = None
        for back in range(head_line - 1, max(first_line, head_line - 4) - 1, -1):
            if _PREVIEW_END.search(lines[back]):
                preview_line = back
                break
        if rows and rows[0].start < start:  # (the rows come in text order)
            continue  # the text again inside a raw database record: W605 reports the record
        source_start, source_end = offsets[source], offsets[source + count - 1]
        restart = any(first < source_end and source_start < last for first, last in labels)
        if preview_line is None and not restart:
            continue  # a summary may restate the body word for word; forms repeat their fields
        if run_start >= 2 and words[run_start - 2] == "section" and words[run_start - 1].isdigit():
            continue  # each section of a multi-section telegram repeats the caption and labels
        if _MARKER_BEFORE.search(text, max(0, start - 60), start):
            continue  # some posts repeat the subject on each page, after the page marker
        last_word = offsets[run_end - 1]
        # The last word's end, read from where it starts (``text[last_word:].split(None, 1)[0]``
        # copied the rest of the text for each repeat: quadratic in a text of thousands).
        word = _FIRST_TOKEN.match(text, last_word)
        end = last_word + (len(word.group(1)) if word is not None else len(text[last_word:].split(None, 1)[0]))
        source_line = ctx.document.cable_line(offsets[source])
        quoted = " ".join(text[offsets[source] : offsets[min(source + 6, len(words) - 1)]].split())
        preview = f", after a cut preview at line {preview_line + 1}" if preview_line is not None else ""
        what = "the text starts over: " if restart else ""
        yield Violation(
            f'{what}{count} words repeat the text of line {source_line} ("{quoted} ..."){preview}', start, end
        )


@rule("T509", "duplicated-text", "warning", "a block repeated (a cut preview followed by the full text)")
def duplicated_text(ctx: Context) -> Iterator[Violation]:
    """## What it does
    Reports a block of the cable's text that appears a second time: most often a page that
    showed a cut preview of the cable (``Ukrainian media is split on its covera...``) and then
    the whole text again from its caption, or a copy that pasted a long block twice. A repeat
    is at least 20 words in a row, compared without regard to line breaks, spacing or case, so a
    rewrapped copy is still found (page markers are not compared); it is reported when it
    follows a cut preview (a line ending in ``...``) or repeats the top of the cable (the text
    starting over). Repeats inside the body are normal and not reported: a summary restates the
    body word for word, lists repeat their fields, and each section of a multi-section telegram
    repeats the caption; the text repeated inside a raw database record is W605's.

    ## Why it matters
    Repeated text inflates word counts and search hits, and a preview left in front of the
    text hides where the cable really starts.

    ## Example
    ```text
    UNCLAS SECTION 01 OF 03 KYIV 001627
    SENSITIVE SIPDIS
    E.O. 12958: N/A
    TAGS: PBTS PINR PINS PNAT PREL PGOV KPAI GG UK
    SUBJECT: TFGG01 Ukrainian Media on Georgian Conflict
    1. (SBU) Summary:  Ukrainian media is split on its covera...

    UNCLAS SECTION 01 OF 03 KYIV 001627 SENSITIVE SIPDIS E.O. 12958: N/A
    TAGS: PBTS PINR PINS PNAT PREL PGOV KPAI GG UK
    SUBJECT: TFGG01 Ukrainian Media on Georgian Conflict 1. (SBU)
    Summary: Ukrainian media is split on its coverage of the conflict in Georgia.
    ```

    ```text
    x.txt:8:1: T509 [warning] the text starts over: 38 words repeat the text of line 1
        ("UNCLAS SECTION 01 OF 03 KYIV ..."), after a cut preview at line 6
    ```

    ## Fix
    None: which copy to keep is the reader's choice (usually the second, whole one).
    """
    return _capped(_duplicated_text(ctx), "repeated blocks")
