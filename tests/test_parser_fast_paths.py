"""The parser's fast paths give exactly what the plain computations they replace give.

* Hinted searches: a hint says that every match of a pattern contains a literal a bounded number
  of characters after its start, so that only positions near that literal need trying. A grammar
  edit that breaks the claim (a longer label, a new alternative that starts elsewhere) fails here.
* Bracket pairing paragraph by paragraph, and span pairing with a heap, against the one-pass and
  backward-scan versions they replaced.
* The readers' two-step split of site artefacts against the one-step split, and the JSON string
  decoding by one split against the token-by-token decoding it replaced.
"""

from __future__ import annotations

import io
import json
import random
import re
from unittest import mock

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cableschema import parser
from cableschema.document import Document, SourceMap
from cableschema.parser import Item, Parts
from cableschema.readers import iter_file, read
from cableschema.readers._decode import bounded_lines

from .conftest import corpus_files, requires_corpus

#: Pieces of text around the patterns' literals: labels whole and broken, case variants, and the
#: characters a case-blind pattern matches to ASCII letters.
TOKENS = (
    "E.O. 12958:", "EO 13526", "e.o.12958", "E.012958", "EO13526:", "E. O. : 1295", "E.0. 12958 ",
    "SipdisE.o. 12958", "E0 12958:", "1", "12",
    "12958", "DECL: 1/1/2017", "AGS: ", "TGS:", "TABS :", "PROGRAM REF:", "RETEL:", "(U) SUBJECT:",
    "TAGS: ", "Tags:", "TAGS PGOV, ", "TAGS ", "tags", "TAG", "subj:", "SUBJECT :",
    "Subject: ", "SUBJ", "REFTEL:", "ref:", "REFS :", "REF", "Classified by:", "CLASSIFIED  BY", "classified",
    "1. (C)", "2a.  (S/NF)", "12.(U)", "3 .(C)", "12a.   (C)", "9b. \t (U)", "(", ")", ". ", ": ", "\u2019",
    "\u201d", "-", " ", "  ", "\t",
    "x", "A", "a", "PGOV", "\u017fubject:", "\u0130", "\u0131", "\u212a", "\u017f", "T\u0130GS", "\\",
)  # fmt: skip


def _random_texts(count: int, seed: int) -> list[str]:
    chooser = random.Random(seed)
    return ["".join(chooser.choice(TOKENS) for _ in range(chooser.randint(0, 24))) for _ in range(count)]


def _spans(matches: list[re.Match[str]]) -> list[tuple[tuple[int, int], dict[str, str | None]]]:
    return [(match.span(), match.groupdict()) for match in matches]


def _check(hint: parser._Hint, text: str, start: int, end: int) -> None:
    pattern = hint.pattern
    expected = list(pattern.finditer(text, start, end))
    assert _spans(list(parser._hinted_finditer(hint, text, start, end))) == _spans(expected), (pattern, text)
    found = parser._hinted_search(hint, text, start, end)
    first = pattern.search(text, start, end)
    assert (found and found.span()) == (first and first.span()), (pattern.pattern, text, start, end)


@pytest.mark.parametrize("hint", parser.HINTS, ids=lambda hint: hint.pattern.pattern[:24])
def test_hinted_searches_equal_the_pattern_searches(hint: parser._Hint) -> None:
    chooser = random.Random(8)
    for text in _random_texts(1500, seed=parser.HINTS.index(hint)):
        start = chooser.randint(0, len(text))
        _check(hint, text, 0, len(text))
        _check(hint, text, start, chooser.randint(start, len(text)))


@requires_corpus
def test_hinted_searches_equal_the_pattern_searches_on_real_lines() -> None:
    lines: list[str] = []
    for path in corpus_files()[::40]:
        for document in read(path):
            lines.extend(line for line in document.text.split("\n") if len(line) > 40)
    assert len(lines) > 1000
    for hint in parser.HINTS:
        for line in lines:
            _check(hint, line, 0, len(line))


def _inline_paragraphs(line: str) -> list[tuple[int, int, str, str | None, str, tuple[int, int]]]:
    """The matches of grammar.PARAGRAPH_INLINE as the parser reads them from its dots."""
    found = []
    for match in parser._PARAGRAPH_INLINE_DOT.finditer(line):
        start, number, sub = parser._paragraph_at_dot(line, match.start())
        found.append((start, match.end(), number, sub, match.group("mark"), match.span("mark")))
    return found


def _check_inline_paragraphs(line: str) -> None:
    from cableschema import grammar

    expected = [
        (m.start(), m.end(), m.group("number"), m.group("sub"), m.group("mark"), m.span("mark"))
        for m in grammar.PARAGRAPH_INLINE.finditer(line)
    ]
    assert _inline_paragraphs(line) == expected, line


#: Numbers, letters, dots, blanks and marks, and what may stand before a number.
INLINE_PIECES = (
    "1", "2", "0", "9", "12", "123", "a", "b", "Z", ".", ". ", " ", "\t", "   ", "(", ")", "(C)", "(S/NF)",
    "(U)", "(SBU)", "(LOU)", "(TS-X)", "(C//REL)", "C", "S", "/", "-", "\n", "\u2019", "\u201d", ":", "!",
    "]", "'", '"', "x", "\u2003", "\u0660",
)  # fmt: skip


def test_inline_paragraphs_are_found_at_their_dots_as_the_pattern_finds_them() -> None:
    chooser = random.Random(9)
    found = 0
    for pieces in (INLINE_PIECES, TOKENS):
        for _ in range(40000):
            line = "".join(chooser.choice(pieces) for _ in range(chooser.randint(0, 30)))
            _check_inline_paragraphs(line)
            found += bool(_inline_paragraphs(line))
    assert found > 1000


@requires_corpus
def test_inline_paragraphs_are_found_at_their_dots_on_real_lines() -> None:
    found = 0
    for path in corpus_files()[::4]:
        for document in iter_file(path):
            if not isinstance(document, Document):
                continue  # a file that is not read (a PDF)
            for line in document.text.split("\n"):
                if "(" in line:
                    _check_inline_paragraphs(line)
                    found += len(_inline_paragraphs(line))
    assert found > 50


def test_the_character_tables_match_the_regex_engine() -> None:
    """The fold traps are every character a case-blind pattern reads as an ASCII letter; the
    whitespace list (used by str.rstrip and str.split in place of ``\\s``) is what ``\\s``
    matches."""
    letters = re.compile("[a-z]", re.I)
    space = re.compile(r"\s")
    characters = [chr(code) for code in range(0x110000)]
    traps = [c for c in characters[128:] if letters.fullmatch(c)]
    assert sorted(traps) == sorted(parser._FOLD_TRAPS)
    assert [c for c in characters if len(c.lower()) != 1] == ["\u0130"]
    assert "".join(c for c in characters if space.match(c)) == parser.WHITESPACE
    assert "".join(c for c in characters if c.isspace()) == parser.WHITESPACE


def _labels_opening(line: str) -> set[str]:
    """The labels whose patterns match at the start of the line, as _inline_labels tries them."""
    indent = len(line) - len(line.lstrip())
    return {
        kind
        for kind, hint, at_start in parser._Parser._LABEL_PATTERNS
        if (at_start is not None and at_start.match(line)) or hint.pattern.match(line, indent)
    }


def test_the_opening_of_a_line_tells_the_only_label_that_can_match() -> None:
    chooser = random.Random(3)
    lines = [chooser.choice(("", " ", "\t", "   ")) + text for text in _random_texts(6000, seed=9)]
    shouted = zip(TOKENS * 40, lines, strict=False)
    lines += [chooser.choice(("", "  ")) + token.upper() + text for token, text in shouted]
    opening = 0
    for line in lines:
        kinds = _labels_opening(line)
        if kinds:
            opening += 1
            assert kinds == {parser._Parser._label_kind(line, len(line) - len(line.lstrip()))}, line
    assert opening > 1000


SIGNATURE_TOKENS = (
    "End", "END", "Comment", "COMMENT", "Summary", "Note", "TEXT", "Text", ".", "!", "?", '"', "\u201d", ")", " ",
    "  ", "\t", "#", "SMITH", "JONES", "O'BRIEN", "A", "x", "word", "End Comment.", "END  SUMMARY", "\u3000", "-",
    "'", "a.", "Sobel", "\n",
)  # fmt: skip


def test_the_signature_tail_is_searched_from_where_it_can_start() -> None:
    chooser = random.Random(2)
    lines = ["".join(chooser.choice(SIGNATURE_TOKENS) for _ in range(chooser.randint(0, 12))) for _ in range(40000)]
    matched = 0
    for line in lines:
        expected = parser._SIGNATURE_TAIL.search(line)
        found = parser._SIGNATURE_TAIL.search(line, parser._signature_tail_floor(line))
        assert (expected and (expected.span(), expected.groupdict())) == (found and (found.span(), found.groupdict()))
        matched += expected is not None
    assert matched > 200


MARKER_TOKENS = (
    "ANKARA", "NEW DELHI", "ABU DHABI", " ", "  ", "\t", "00001384", "0000138", "002", "002.2", " OF ", "OF",
    "003", "1234", "x", "a", ",", "(", ".", "Of", "of 2007", "SECTION 01 OF 02", "\u3000", "9", "PAGE 02",
    "ANKARA 00001384 002 OF 003", "NEW DELHI 00000012  001.2 OF 004", "THE FIELD TRIPOLI 00000772 003.2 OF 003",
    "ABU DHABI 00000123 \t002 OF 002",
)  # fmt: skip


def test_inline_markers_are_found_in_the_runs_around_their_hits() -> None:
    from cableschema import grammar

    chooser = random.Random(4)
    lines = ["".join(chooser.choice(MARKER_TOKENS) for _ in range(chooser.randint(0, 20))) for _ in range(4000)]
    text = "\n".join(lines)
    walker = parser._Parser(Document(text=text, path="x.txt", format="text", source_map=SourceMap.identity(text)))
    matched = 0
    for index, line in enumerate(lines):
        base = walker.starts[index]
        hits = [hit.start() for hit in parser._MARKER_HINT.finditer(text, base, base + len(line))]
        expected = [m.span() for m in grammar.PAGE_MARKER_INLINE.finditer(text, base, base + len(line))]
        assert [m.span() for m in walker._inline_markers(index, hits)] == expected, line
        matched += len(expected)
    assert matched > 300


def test_addressee_lines_are_told_by_their_capitals_as_before() -> None:
    chooser = random.Random(6)
    pieces = ("RUEHC/SECSTATE", " WASHDC", " PRIORITY", " 0824", "Embassy", " x", "AMEMBASSY", " ", "-", "9", "É", "é")
    text = "\n".join("".join(chooser.choice(pieces) for _ in range(chooser.randint(0, 9))) for _ in range(3000))
    walker = parser._Parser(Document(text=text, path="x.txt", format="text", source_map=SourceMap.identity(text)))
    walker.parts = parser._blank_parts(walker.document)
    told = 0
    for index, line in enumerate(walker.lines):
        letters = [c for c in line if c.isalpha()]
        expected = bool(letters) and sum(c.isupper() for c in letters) >= 0.9 * len(letters) and len(line) < 120
        assert walker._is_addressee(line, index) == expected, line
        told += expected
    assert 100 < told < 2900


# -- bracket pairing -------------------------------------------------------------------------------

_PAREN_EVENTS = re.compile(r"[()\[\]]|\n[ \t]*(?=[0-9]{1,3}[a-z]?\.[ \t]*[(A-Z]|-{5})")


def _paren_matches_in_one_pass(text: str, start: int) -> dict[int, int]:
    """Every bracket of the text from ``start`` paired in one pass (the reference)."""
    matches: dict[int, int] = {}
    stacks: dict[str, list[int]] = {"(": [], "[": []}
    closing = {")": "(", "]": "["}
    for event in _PAREN_EVENTS.finditer(text, start):
        char = event.group()
        if char in stacks:
            stacks[char].append(event.start())
        elif char in closing:
            stack = stacks[closing[char]]
            if stack:
                matches[stack.pop()] = event.end()
        else:
            stacks["("].clear()
            stacks["["].clear()
    return matches


@pytest.mark.parametrize("near", [parser._Parser._PAREN_NEAR, 4])  # a closer found near, or paired with the rest
def test_brackets_pair_paragraph_by_paragraph_as_in_one_pass(near: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parser._Parser, "_PAREN_NEAR", near)
    chooser = random.Random(5)
    pieces = ("(", ")", "[", "]", "x", " ", "\n", "\n1. A", "\n  12a. (C)", "\n-----", "\n\n", "(Note: ", ")", "\n1. )")
    for _ in range(3000):
        text = "".join(chooser.choice(pieces) for _ in range(chooser.randint(0, 40)))
        document = Document(text=text, path="x.txt", format="text", source_map=SourceMap.identity(text))
        walker = parser._Parser(document)
        walker.parts = parser._blank_parts(document)
        walker.parts.header.end_line = chooser.randint(0, len(walker.lines))
        end_line = walker.parts.header.end_line
        start = walker.starts[end_line] if end_line < len(walker.starts) else 0
        expected = _paren_matches_in_one_pass(text, start)
        positions = list(range(len(text)))
        chooser.shuffle(positions)  # openers ask in any order
        for position in positions:
            assert walker._paren_close(text, position) == expected.get(position), (text, position)


# -- span pairing ----------------------------------------------------------------------------------


def _pairs_by_backward_scan(spans: list[Item], line_starts: list[int], text_end: int) -> list[tuple[int, int | None]]:
    """The span pairing with a backward scan per unmatched closer (the reference)."""
    import bisect

    stacks: dict[str, list[Item]] = {"summary": [], "comment": [], "note": []}
    pairs: list[tuple[Item, Item | None]] = []
    index_of: dict[int, int] = {}

    def close_by_paren(before: int, kind: str) -> None:
        stack = stacks[kind]
        while stack and stack[-1].values.get("closes_at") is not None and stack[-1].values["closes_at"] <= before:
            opener = stack.pop()
            end = opener.values["closes_at"]
            line = bisect.bisect_right(line_starts, end - 1) - 1
            pairs[index_of[id(opener)]] = (opener, Item(line, end - 1, end, {"kind": kind, "paren": True}))

    for event in spans:
        kind = event.values["kind"]
        for other in stacks:
            close_by_paren(event.start, other)
        if event.values["event"] == "open":
            stacks[kind].append(event)
            index_of[id(event)] = len(pairs)
            pairs.append((event, None))
            continue
        stack = stacks[kind]
        if not stack:
            reopened = next(
                (
                    position
                    for position in range(len(pairs) - 1, -1, -1)
                    if (closer := pairs[position][1]) is not None
                    and closer.values.get("paren")
                    and pairs[position][0].values["kind"] == kind
                    and event.start - pairs[position][0].start < 3000
                ),
                None,
            )
            if reopened is not None:
                pairs[reopened] = (pairs[reopened][0], event)
            else:
                pairs.append((event, None))
            continue
        if kind == "summary":
            while stack:
                opener = stack.pop()
                pairs[index_of[id(opener)]] = (opener, event)
            continue
        opener = stack.pop()
        pairs[index_of[id(opener)]] = (opener, event)
    for other in stacks:
        close_by_paren(text_end, other)
    return [(opener.start, closer and closer.start) for opener, closer in pairs]


def test_span_pairing_equals_the_backward_scan() -> None:
    chooser = random.Random(11)
    for _ in range(2000):
        size = chooser.randint(1, 8000)
        spans: list[Item] = []
        for start in sorted(chooser.sample(range(size), min(size, chooser.randint(0, 30)))):
            event = chooser.choice(("open", "close"))
            values = {"kind": chooser.choice(("summary", "comment", "note")), "event": event}
            if event == "open" and chooser.random() < 0.5:
                values["closes_at"] = chooser.randint(start + 1, start + 4000)
            spans.append(Item(start // 80, start, start + 5, values))
        line_starts = list(range(0, size + 4001, 80))
        lines = ["x" * 79] * len(line_starts)
        parts = Parts(lines, line_starts, 0, len(lines), None, None, None, parser.Header())
        parts.spans = spans
        text_end = line_starts[-1] + 79
        got = [(opener.start, closer and closer.start) for opener, closer in parser.pair_spans(parts)]
        assert got == _pairs_by_backward_scan(spans, line_starts, text_end)


# -- site artefacts --------------------------------------------------------------------------------

ARTEFACT_TOKENS = (
    "a", " ", "\n", "\r", "\r\n", "¶", "¶ 1.", "¶A)", "&#x000A;", "&#xD;", "&#13;", "&#x110000;", "&amp;", "&quot;",
    "&foo;", "&#65;", "<a href='x'>", "</a>", "</a >", "<a id='p' href='#p'>¶</a>", "<a id='p'> ¶ </a>", "<", "&",
    "&#x", ";", "1.", "<a href='&amp;'>", "<a ¶>", "<br>", "<a\n>", "¶<a",
)  # fmt: skip


def test_artefacts_split_in_two_steps_as_in_one() -> None:
    from cableschema.readers import _artefacts

    chooser = random.Random(12)
    for carriage_returns in (False, True):
        tokens = [t for t in ARTEFACT_TOKENS if carriage_returns or "\r" not in t]
        for _ in range(20000):
            piece = "".join(chooser.choice(tokens) for _ in range(chooser.randint(0, 30)))
            assert _artefacts._split(piece) == _artefacts._MARKUP_SPLIT.split(piece), piece


#: Pieces of long inputs: runs that a token's attempt reads far into (a link's opening reads 503
#: characters; the blanks after "</a" are read to their end), many tokens a window.
LONG_ARTEFACT_TOKENS = (
    *ARTEFACT_TOKENS, "</a", " " * 300, "\r\n" * 200, "x" * 400, "<a " + "y" * 480 + ">", "<a " + "y" * 498 + ">",
)  # fmt: skip


def _decoded_in_one_split(
    raw: str, start: int, end: int, markup: bool, offset: int
) -> tuple[str, list[tuple[int, int]]]:
    from cableschema.readers import _artefacts

    window = _artefacts._WINDOW
    _artefacts._WINDOW = len(raw) + 1
    try:
        text, anchors = _artefacts.decode(raw, start, end, markup=markup, text_offset=offset)
    finally:
        _artefacts._WINDOW = window
    assert isinstance(anchors, list)
    return text, anchors


@pytest.mark.parametrize("window", [1030, 1100, 1500, 2100])
def test_artefacts_decode_a_window_at_a_time_as_in_one_split(window: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """A long text or ``<pre>`` is split a window at a time (bounded memory): a token, or the
    blanks after a link's ``</a`` (read to their end, however many), across a window's end is
    found as in the whole piece, and the anchors are the same."""
    from cableschema.document import Anchors
    from cableschema.readers import _artefacts

    monkeypatch.setattr(_artefacts, "_WINDOW", window)
    chooser = random.Random(window)
    windowed = 0
    for _ in range(300):
        raw = "".join(chooser.choice(LONG_ARTEFACT_TOKENS) for _ in range(chooser.randint(0, 120)))
        if chooser.random() < 0.2:  # a link's end with blanks across windows, closed or not
            at = chooser.randint(0, len(raw))
            blanks = " \n\r" * chooser.randint(300, 1500)
            raw = raw[:at] + "</a" + blanks + chooser.choice([">", "x", ""]) + raw[at:]
        start, offset = chooser.randint(0, 5), chooser.randint(0, 3)
        end = max(start, len(raw) - chooser.randint(0, 5))
        for markup in (True, False):
            text, anchors = _artefacts.decode(raw, start, end, markup=markup, text_offset=offset)
            assert (text, list(anchors)) == _decoded_in_one_split(raw, start, end, markup, offset), raw
            windowed += isinstance(anchors, Anchors)
    assert windowed > 300


def _string_map_by_token(raw: str, start: int, end: int, offset: int) -> tuple[str, list[tuple[int, int]]]:
    """A JSON string literal decoded escape by escape (the reference)."""
    from cableschema.readers.jsonl import _ESCAPE_OR_PILCROW, _SIMPLE

    inner_start, inner_end = start + 1, end - 1
    pieces: list[str] = []
    anchors = [(offset, inner_start)]
    produced = offset
    position = inner_start
    for match in _ESCAPE_OR_PILCROW.finditer(raw, inner_start, inner_end):
        token_start, token_end = match.span()
        if match.group("hi"):
            high, low = int(match.group("hi"), 16), int(match.group("lo"), 16)
            replacement = chr(0x10000 + ((high - 0xD800) << 10) + low - 0xDC00)
        elif match.group("pil"):
            replacement = ""
        elif match.group("hex"):
            value = int(match.group("hex"), 16)
            replacement = "\n" if value == 0x0D else chr(value)
        elif match.group("char"):
            replacement = _SIMPLE[match.group("char")]
        else:  # \r\n
            replacement = "\n"
        pieces.append(raw[position:token_start])
        produced += token_start - position
        pieces.append(replacement)
        produced += len(replacement)
        position = token_end
        anchors.append((produced, token_end))
    pieces.append(raw[position:inner_end])
    return "".join(pieces), anchors


JSON_TOKENS = (
    "a", " ", "1.", "A)", "\\n", "\\r\\n", "\\r", "\\u000d", "\\u000D", "\\u00b6", "\\u00B6", "¶",
    "\\ud83d\\ude00", "\\ud83d", "\\ude00", "\\\\", '\\"', "\\/", "\\t", "\\b", "\\f", "\\u0041", "x",
    "  ", "\\u00b6 1.", "¶ A)", "\\u00b6A)",
)  # fmt: skip


def _string_map(raw: str, start: int, end: int, offset: int) -> tuple[str, list[tuple[int, int]]]:
    from cableschema.document import Anchors
    from cableschema.readers import jsonl

    anchors = Anchors()
    text = jsonl._string_map(raw, start, end, offset, anchors, json.decoder.scanstring(raw, start + 1, False)[0])
    return text, list(anchors)


def test_json_strings_decode_in_one_split_as_token_by_token() -> None:
    chooser = random.Random(13)
    for _ in range(20000):
        raw = 'x"' + "".join(chooser.choice(JSON_TOKENS) for _ in range(chooser.randint(0, 20))) + '"y'
        offset = chooser.randint(0, 3)
        assert _string_map(raw, 1, len(raw) - 1, offset) == _string_map_by_token(raw, 1, len(raw) - 1, offset), raw


@pytest.mark.parametrize("window", [33, 34, 40, 47, 64, 100])
def test_json_strings_decode_a_window_at_a_time_as_token_by_token(window: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """A long literal is split a window at a time (bounded memory): a token or a pilcrow's label
    across a window's end is found as in the whole literal."""
    from cableschema.readers import jsonl

    monkeypatch.setattr(jsonl, "_WINDOW", window)
    chooser = random.Random(window)
    for _ in range(3000):
        raw = 'x"' + "".join(chooser.choice(JSON_TOKENS) for _ in range(chooser.randint(0, 80))) + '"y'
        offset = chooser.randint(0, 3)
        assert _string_map(raw, 1, len(raw) - 1, offset) == _string_map_by_token(raw, 1, len(raw) - 1, offset), raw


def _is_strong_uncached(line: str) -> bool:
    """``chrome.is_strong`` as it was before short lines were remembered."""
    from cableschema import chrome

    stripped = line.strip()
    if not stripped or len(stripped) > chrome._SEARCH_LIMIT or chrome._PARAGRAPH.match(stripped):
        return False
    if chrome._STRONG_ANYWHERE.search(stripped):
        return True
    if len(stripped) > chrome._SHORT:
        return False
    if chrome._STRONG_SHORT.search(stripped):
        return True
    url = chrome._URL.search(stripped)
    return bool(url and not chrome._CABLE_URL.search(stripped) and len(stripped.split()) <= 8)


CHROME_TOKENS = (
    "Leave a reply", "3 comments", "Log in", "share this", "facebook", "Home", "wikileaks", "©", "|",
    "http://example.com/x", "state.gov", "1. (C)", "SUMMARY", "PEMBERTON", "NNNN", "you are commenting using",
    "%s", "{{", " ", "  ", "\t", "a", "A", ".", "#tag", "#Tag2", "x" * 60, "Reply", "posted: ",
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(CHROME_TOKENS) | st.text(max_size=5), max_size=30).map("".join))
def test_chrome_strong_lines_remembered_as_searched(line: str) -> None:
    from cableschema import chrome

    assert chrome.is_strong(line) == _is_strong_uncached(line)
    assert chrome.is_strong(line) == _is_strong_uncached(line)  # the second time from the cache


@requires_corpus
def test_chrome_strong_lines_remembered_as_searched_on_real_lines() -> None:
    from cableschema import chrome

    for path in corpus_files()[::25]:
        for document in iter_file(path):
            if not isinstance(document, Document):
                continue
            for line in document.text.split("\n")[-40:] + document.text.split("\n")[:40]:
                assert chrome.is_strong(line) == _is_strong_uncached(line), line


BEFORE_TOKENS = (
    "1.", "2a.", "12)", " ", "  ", "\t", "\u2003", "(C)", "(SBU)", "--", "-", ".", ")", "]", ":", ";", "!", "?", '"',
    "\u201d", "'", "and", "&", "Introduction", ",", "x", "A", "the", "\n", "(", "[",
)  # fmt: skip


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(BEFORE_TOKENS) | st.text(max_size=3), max_size=14).map("".join))
def test_opener_context_patterns_are_tried_only_where_they_can_end(text: str) -> None:
    """``_span_event`` tries ``_AT_PARAGRAPH_START`` and ``_SUMMARY_PREFIX`` on the text before
    an opener (without trailing blanks) only when its last character can end a match."""
    before = text.rstrip()
    if parser._Parser._AT_PARAGRAPH_START.search(before) is not None and before:
        assert before[-1] in parser._Parser._AT_PARAGRAPH_START_ENDINGS, before
    if parser._Parser._SUMMARY_PREFIX.search(before) is not None:
        assert before.endswith(("and", "&")), before


CELL_TEXTS = (
    "Reference ID", "09STOCKHOLM31", "2009-01-15 17:05", " ", "  ", "\n", "\t", "\xa0", "\u2028", "\u3000", "é",
    "\u00b6", "x", "A", "'", '"', "=", "/", ":", "&amp;", "&", "<", ">", "\r", "\r\n", "\x00", "\x0c", "\x85",
    "\ud800", "\ufffe", "\U0001f600", "<!-- c -->", "<b>", "</b>", "<br />", "<br>", "<br/>", "<BR>",
)  # fmt: skip
ATTRIBUTES = ("", " class='cable'", ' href="/x?a=1&amp;b=2"', " colspan='5'", " nowrap", " title='a>b'", "\n", " x=y")


@st.composite
def _tables(draw: st.DrawFn) -> str:
    def attributes() -> str:
        return draw(st.sampled_from(ATTRIBUTES))

    def text() -> str:
        return "".join(draw(st.lists(st.sampled_from(CELL_TEXTS), max_size=4)))

    rows = []
    for _ in range(draw(st.integers(0, 3))):
        cells = []
        for _ in range(draw(st.integers(0, 3))):
            tag = draw(st.sampled_from(("td", "th", "TD")))
            items = []
            for _ in range(draw(st.integers(0, 3))):
                kind = draw(st.sampled_from(("text", "link", "break")))
                if kind == "text":
                    items.append(text())
                elif kind == "link":
                    items.append(f"<a{attributes()}>{text()}</a>")
                else:
                    items.append(draw(st.sampled_from(("<br />", "<br>", "<br/>"))))
            closing = draw(st.sampled_from((tag, tag, "td", "th")))
            cells.append(f"<{tag}{attributes()}>{''.join(items)}</{closing}>" + draw(st.sampled_from(("", "\n", " "))))
        rows.append(f"<tr{attributes()}>\n{''.join(cells)}</tr>\n")
    return f"<table{attributes()}>\n{''.join(rows)}</table>"


@settings(max_examples=1500, deadline=None)
@given(_tables())
def test_plain_metadata_tables_read_as_lxml_reads_them(table: str) -> None:
    from cableschema.readers.html import _parsed_cell_texts, _plain_cell_texts

    plain = _plain_cell_texts(table)
    if plain is not None:
        assert plain == _parsed_cell_texts(table)


def test_the_plain_table_reading_serves_real_pages() -> None:
    from cableschema.readers.html import _parsed_cell_texts, _plain_cell_texts

    table = (
        "<table class='cable'>\n<tr>\n<th>Reference ID</th>\n<th>Created</th>\n</tr>\n<tr>\n<td>\n"
        "<a href='/cable/2001/07/01VATICAN3507.html'>01VATICAN3507</a>\n</td>\n<td>\n"
        "<a href='/date/2001-07_0.html'>2001-07-03 12:12</a>\n</td>\n</tr>\n<tr>\n<td colspan='5'>\n"
        "Appears in these articles:<br />\n<a href='http://example.org/a'>http://example.org/a</a><br />\n"
        "</td>\n</tr>\n</table>"
    )
    assert (
        _plain_cell_texts(table)
        == _parsed_cell_texts(table)
        == [
            ["Reference ID", "Created"],
            ["01VATICAN3507", "2001-07-03 12:12"],
            ["Appears in these articles: http://example.org/a"],
        ]
    )


WINDOW_TOKENS = ("97ATHENS6492", " ", "  ", "\t", "\n", "\n\n", " \n", "\n ", "\u2003", "x", "CONFIDENTIAL", "\r")


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(WINDOW_TOKENS) | st.text(max_size=3), max_size=16).map("".join))
def test_metadata_values_line_joined_as_by_the_full_join(window: str) -> None:
    from cableschema.readers.text import _CELL_BREAK, _first_joined_line

    assert _first_joined_line(window) == _CELL_BREAK.sub(" ", window, count=6).split("\n", 1)[0]


_PRE_PIECES = ["</pre>", "</PRE >", "</code>", "</", "<pre>", " ", "\n", "x", "</pre", ">", "\r\n"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PRE_PIECES), max_size=12).map("".join))
def test_the_end_of_a_pre_text_is_searched_where_it_can_start(raw: str) -> None:
    from cableschema.readers import text

    for start in range(0, len(raw) + 1, 3):
        expected = text._PRE_END.search(raw, start)
        found = text._pre_end(raw, start)
        assert (found.span() if found else None) == (expected.span() if expected else None), (raw, start)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", "\n", "\r\n", "\r", "é"]), max_size=30).map("".join))
def test_line_starts_of_a_source_with_carriage_returns_as_by_the_pattern(source: str) -> None:
    from cableschema import document

    assert document._find_line_starts(source) == [0, *(m.end() for m in document.LINE_BREAK.finditer(source))]


_PAGE_PIECES = [
    "<h3>Viewing cable 06LIMA622, SUBJECT ONE</h3>",
    "<H3> viewing CABLE 07X1, s</h3>",
    "<h3>Viewing cable ",
    ",",
    "</h3>",
    "<table class='cable'>",
    "<TABLE id=x class=CABLE>",
    "<table>",
    "<tr><td>x</td></tr>",
    "</table>",
    "<a href='t'>",
    "<h3>",
    "<t",
    "x",
    "\n",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PAGE_PIECES), max_size=14).map("".join))
def test_page_landmarks_in_one_scan_are_those_of_two_searches(raw: str) -> None:
    from cableschema.readers import html

    table, heading, _, _ = html._landmarks(raw)
    expected_table, expected_heading = html._TABLE.search(raw), html._H3_VIEWING.search(raw)
    assert (table.span() if table else None) == (expected_table.span() if expected_table else None)
    assert (heading.span() if heading else None) == (expected_heading.span() if expected_heading else None)
    if heading is not None and expected_heading is not None:
        assert heading.group("id", "subject") == expected_heading.group(1, 2)
        assert heading.span("id") == expected_heading.span(1)


def _expected_landmarks(raw: str) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    from cableschema.readers import html

    table, heading = html._TABLE.search(raw), html._H3_VIEWING.search(raw)
    return (table.span() if table else None), (heading.span() if heading else None)


#: With pieces of tags: a sidebar can end inside a heading's closing tag.
_SIDEBAR_PIECES = [*_PAGE_PIECES, "</", "h3>", "</h", "3>", "<"]


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.sampled_from(_SIDEBAR_PIECES), max_size=10).map("".join),
    st.lists(st.sampled_from(_SIDEBAR_PIECES), max_size=8).map("".join),
    st.lists(st.sampled_from(_SIDEBAR_PIECES), max_size=8).map("".join),
)
@example("<h3>Viewing cable 06X1, s</", "<table class='cable'>", "h3>")  # the heading starts at the second last "<"
def test_page_landmarks_after_a_page_with_the_same_sidebar(shared: str, first: str, second: str) -> None:
    """The sidebar of the page before, remembered, is not scanned again: a page that opens with
    it, whatever follows (a landmark that starts inside it and runs past its end too), has the
    landmarks of two searches."""
    from cableschema.readers import html

    for raw in (shared + first, shared + second, shared[: len(shared) // 2] + second, second):
        table, heading, _, _ = html._landmarks(raw)
        assert ((table.span() if table else None), (heading.span() if heading else None)) == _expected_landmarks(raw)


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.sampled_from(_SIDEBAR_PIECES), max_size=10).map("".join),
    st.lists(st.lists(st.sampled_from(_SIDEBAR_PIECES), max_size=8).map("".join), min_size=1, max_size=4),
    st.integers(1, 9),
)
def test_page_newlines_counted_once_are_the_pages(shared: str, tails: list[str], block: int) -> None:
    """The newlines a page's remembered sidebar blocks hold, counted when they were kept, are the
    page's own before the offset given, for pages in any order (blocks of any size)."""
    from cableschema.readers import html

    saved = html._SIDEBAR_BLOCK
    html._SIDEBAR_BLOCK = block
    try:
        for tail in [*tails, *tails]:
            for raw in (shared + tail, shared[: len(shared) // 2] + tail, tail):
                _, _, offset, newlines = html._landmarks(raw)
                assert 0 <= offset <= len(raw)
                assert raw.count("\n", 0, offset) == newlines
    finally:
        html._SIDEBAR_BLOCK = saved


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(["ab", "\n", "\n\n", "x", "\r\n", "é"]), max_size=40).map("".join),
    st.integers(-1, 90),
    st.lists(st.integers(-2, 90), max_size=20),
)
def test_lines_counted_from_an_offset_give_the_same_positions(source: str, offset: int, lookups: list[int]) -> None:
    """A map told how many newlines come before an offset (an HTML page's sidebar, counted once)
    places every position where one that counted them itself does."""
    from cableschema.document import SourceMap

    told, reference = SourceMap.identity(source, 4), SourceMap.identity(source, 4)
    told.count_lines_from(offset, source.count("\n", 0, max(offset, 0)))
    for at in lookups:
        assert told.position_of_source_offset(at) == reference.position_of_source_offset(at), at


@requires_corpus
def test_page_positions_with_the_sidebar_counted_once_on_real_pages() -> None:
    from cableschema.document import SourceMap
    from cableschema.readers import html

    pages = [path for path in corpus_files() if path.suffix == ".html"]
    for path in pages[:60]:
        raw = path.read_text(encoding="utf-8", errors="replace")
        for document in html.read(raw, str(path)):
            assert not isinstance(document, html.ReadProblem)
            reference = SourceMap(raw, document.source_map.anchors)
            for at in range(0, len(document.text) + 1, 97):
                assert document.source_map.position(at) == reference.position(at), (path, at)


def _all_cell_spans(raw: str, start: int, end: int) -> list[list[tuple[int, int]]]:
    """The spans of every row's cells, as the reader found them before it read the values' alone."""
    from cableschema.readers import html

    rows: list[list[tuple[int, int]]] = []
    row_starts = [m.end() for m in html._ROW.finditer(raw, start, end)]
    for index, row_start in enumerate(row_starts):
        row_end = row_starts[index + 1] if index + 1 < len(row_starts) else end
        cells: list[tuple[int, int]] = []
        cell_starts = [m.end() for m in html._CELL.finditer(raw, row_start, row_end)]
        for c_index, cell_start in enumerate(cell_starts):
            cell_end = cell_starts[c_index + 1] if c_index + 1 < len(cell_starts) else row_end
            link = html._LINK_TEXT.search(raw, cell_start, cell_end)
            if link:
                value_start, value_end = link.span(1)
            else:
                close = raw.find("<", cell_start, cell_end)
                value_start, value_end = cell_start, close if close >= 0 else cell_end
            while value_start < value_end and raw[value_start].isspace():
                value_start += 1
            while value_end > value_start and raw[value_end - 1].isspace():
                value_end -= 1
            cells.append((value_start, value_end))
        rows.append(cells)
    return rows


_CELL_PIECES = [
    "<tr>",
    "<TR class=x>",
    "<td>",
    "<th>",
    "</td>",
    "<a href='x'>",
    "</a>",
    " ",
    "\n",
    "\xa0",
    "\u2003",
    "ab",
    "<",
    ">",
]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_CELL_PIECES), max_size=30).map("".join), st.integers(0, 5), st.integers(0, 8))
def test_value_spans_are_the_second_rows_cell_spans(raw: str, start: int, cut: int) -> None:
    from cableschema.readers import html

    end = max(start, len(raw) - cut)
    rows = _all_cell_spans(raw, start, end)
    assert html._value_spans(raw, start, end) == (rows[1] if len(rows) > 1 else [])


@requires_corpus
def test_page_landmarks_in_one_scan_on_real_pages() -> None:
    from cableschema.readers import html

    pages = [path for path in corpus_files() if path.suffix == ".html"]
    assert pages
    for path in pages[::5]:
        raw = path.read_text(encoding="utf-8", errors="replace")
        table, heading, _, _ = html._landmarks(raw)
        expected_table, expected_heading = html._TABLE.search(raw), html._H3_VIEWING.search(raw)
        assert (table.span() if table else None) == (expected_table.span() if expected_table else None), path
        assert (heading.span() if heading else None) == (expected_heading.span() if expected_heading else None), path


_LOWER_PIECES = ["a", "A", "Σ", "ΑΣ", "İ", "'", ".", " ", "\n", "ß", "É"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_LOWER_PIECES), max_size=40).map("".join), st.integers(1, 6))
def test_a_long_text_is_lower_cased_a_piece_at_a_time_as_at_once(text: str, piece: int) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parser, "_LOWER_PIECE", piece)
        assert parser._lower(text) == text.lower()


#: Characters without a lower case (curly quotes, a dash, a lone surrogate) and with one.
_LOWER_OTHERS = ["a", "A", "Z", " ", "\u2019", "\u201c", "\u2013", "\ud800", "\U0001f600", "Σ", "İ", "É", "ſ", "\u212a"]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(_LOWER_OTHERS), max_size=20).map("".join))
def test_a_text_whose_other_characters_have_no_lower_case_is_lower_cased_as_str_does(text: str) -> None:
    assert parser._lower(text) == text.lower()


# -- CSV: the fields and lines of cables.csv read in C ----------------------------------------------

#: What a CSV field or line is made of: escapes of every kind, quotes, line ends, pilcrows.
CSV_PIECES = (
    "a", "word ", "1.", "\\", "\\\n", "\\\r\n", "\\\\", '\\"', '"', '""', "\n", "\r\n", "\r", "¶", "¶ 2.", "é",
)  # fmt: skip


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(CSV_PIECES), max_size=12), st.integers(0, 5), st.integers(0, 40))
def test_csv_fields_decode_as_token_by_token(pieces: list[str], lead: int, text_offset: int) -> None:
    from cableschema.readers.csv import _decode_field, _decode_tokens

    record = "x," * lead + "".join(pieces) + ",y"
    start, end = 2 * lead, len(record) - 2
    assert _decode_field(record, start, end, text_offset) == _decode_tokens(record, start, end, text_offset)


def _records_token_by_token(lines: list[str], max_chars: int | None) -> list[tuple[int, str | None]]:
    """The CSV reader's record assembly as it was, every line read token by token."""
    from cableschema.readers.csv import _QUOTE_TOKEN

    found: list[tuple[int, str | None]] = []
    buffer: list[str] = []
    size = start_line = 0
    in_quotes = False
    for number, line in enumerate(lines, 1):
        if not buffer:
            start_line = number
        buffer.append(line)
        size += len(line)
        escaped_newline = False
        for token in _QUOTE_TOKEN.finditer(line):
            if token.group() == '"':
                in_quotes = not in_quotes
            elif token.group() in ("\\\n", "\\\r", "\\"):
                escaped_newline = True
        if (in_quotes or escaped_newline) and (max_chars is None or size <= max_chars):
            continue
        if in_quotes or (max_chars is not None and size > max_chars):
            found.append((start_line, None))
            in_quotes = False
        else:
            found.append((start_line, "".join(buffer)))
        buffer, size = [], 0
    if buffer:
        found.append((start_line, None if in_quotes else "".join(buffer)))
    return found


@settings(max_examples=3000, deadline=None)
@given(
    st.one_of(
        st.lists(st.sampled_from(CSV_PIECES), max_size=30).map(lambda pieces: "".join(pieces).splitlines(True)),
        st.lists(st.lists(st.sampled_from(CSV_PIECES), max_size=6).map("".join), max_size=8),  # any strings
    ),
    st.sampled_from([None, 5, 30]),
)
def test_csv_records_assemble_as_token_by_token(lines: list[str], max_chars: int | None) -> None:
    from cableschema.readers.csv import _records

    assert list(_records(lines, max_chars)) == _records_token_by_token(lines, max_chars)


def _split_by_pattern(record: str) -> list[tuple[int, int, bool]] | None:
    """The CSV reader's field split as it was: each quoted field matched by a pattern."""
    from cableschema.readers.csv import _UNQUOTED

    quoted = re.compile(r'"((?:[^"\\]++|\\.|"")*+)"', re.S)
    fields: list[tuple[int, int, bool]] = []
    position = 0
    end = len(record.rstrip("\r\n"))
    while True:
        if position < end and record[position] == '"':
            match = quoted.match(record, position)
            if not match:
                return None
            fields.append((match.start(1), match.end(1), True))
        else:
            match = _UNQUOTED.match(record, position)
            assert match is not None
            fields.append((match.start(), match.end(), False))
        position = match.end()
        if position >= end:
            return fields
        if record[position] != ",":
            return None
        position += 1


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from((*CSV_PIECES, ",", ',"', '",', '"""', "1")), max_size=30).map("".join))
def test_csv_fields_split_as_by_pattern(record: str) -> None:
    from cableschema.readers.csv import _split

    assert _split(record) == _split_by_pattern(record)


def _text_stream(text: str, binary: bool) -> io.TextIOBase:
    """``text`` as a text stream that keeps line ends: in memory, or decoded from bytes as a file is."""
    if binary:
        return io.TextIOWrapper(io.BytesIO(text.encode("utf-8")), encoding="utf-8", newline="")
    return io.StringIO(text, newline="")


@settings(max_examples=3000, deadline=None)
@given(
    st.lists(st.sampled_from((*CSV_PIECES, ",", "1,", "x\n", "\u2028", "\x0b")), max_size=40).map("".join),
    st.integers(1, 9),
    st.sampled_from(["none", "least", "over", "under", "large"]),
    st.booleans(),
)
def test_csv_records_read_in_blocks_as_line_by_line(text: str, block: int, limit: str, binary: bool) -> None:
    """Records found a block at a time are the records assembled line by line, line numbers,
    runaway records, line ends split across blocks and all. Blocks of a few characters make every
    record cross them, and records a block long be read line by line from there on."""
    from cableschema.readers import csv as csv_reader

    # No limit; the smallest the block reader takes, or a character more; one it leaves to lines.
    least = 4 * block
    max_chars = {"none": None, "least": least, "over": least + 1, "under": least - 1, "large": 10**9}[limit]
    with mock.patch.object(csv_reader, "_BLOCK", block), mock.patch.object(csv_reader, "_BLOCKS_FROM", 4 * block):
        found = list(csv_reader.stream_records(_text_stream(text, binary), max_chars))
    expected = list(csv_reader._records(bounded_lines(_text_stream(text, binary), max_chars), max_chars))
    assert found == expected


@settings(max_examples=2000, deadline=None)
@given(
    st.lists(st.sampled_from(("a", "bc", "\n", "\r", "\r\n")), max_size=20).map("".join),
    st.integers(0, 60),
    st.lists(st.integers(-1, 6), min_size=1, max_size=30),
)
def test_a_stream_with_text_put_back_reads_lines_as_the_stream(text: str, cut: int, sizes: list[int]) -> None:
    from cableschema.readers.csv import _PutBack

    cut = min(cut, len(text))
    whole = io.StringIO(text, newline="")
    put_back = _PutBack(text[:cut], io.StringIO(text[cut:], newline=""))
    for size in sizes:
        assert put_back.readline(size) == whole.readline(size)
    assert list(put_back) == list(whole)


# -- JSON Lines: string literals of two-character escapes decoded in C --------------------------------

JSON_PIECES = (
    "a", "word ", "1.", "é", "\\n", '\\"', "\\/", "\\t", "\\b", "\\f", "\\\\", "\\r", "\\r\\n", "\\u00e9",
    "\\u00b6 1.", "\\u00b6", "¶", "¶ 2.", "\\ud83d\\ude00",
)  # fmt: skip


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(JSON_PIECES), max_size=14), st.integers(0, 40))
def test_json_strings_decode_as_token_by_token(pieces: list[str], text_offset: int) -> None:
    from cableschema.document import Anchors
    from cableschema.readers.jsonl import _decode_window, _string_map

    inner = "".join(pieces)
    raw = 'x:"' + inner + '"}'
    anchors = Anchors()
    text = _string_map(raw, 2, len(raw) - 1, text_offset, anchors, json.decoder.scanstring(raw, 3, False)[0])
    expected_anchors = Anchors()
    expected_anchors.append(text_offset, 3)
    expected = _decode_window(inner, 3, text_offset, expected_anchors, None)[0]
    assert (text, list(anchors.text), list(anchors.source)) == (
        expected,
        list(expected_anchors.text),
        list(expected_anchors.source),
    )


def test_a_table_with_an_articles_row_is_read_without_lxml(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only a table's first two rows are read: the "Appears in these articles" row of August 2011,
    whose links' text holds raw "&"s (which only an HTML parser reads as a browser does) and
    whose lines end in CRLF, is cut off, and the plain reading serves the table."""
    from cableschema.readers import html

    table = (
        "<table class='cable'>\n<tr>\n<th>Reference ID</th>\n<th>Created</th>\n<th>Released</th>\n"
        "<th>Classification</th>\n<th>Origin</th>\n</tr>\n<tr>\n<td>\n"
        "<a href='/cable/2006/02/06SANJOSE337.html'>06SANJOSE337</a>\n</td>\n<td>\n"
        "<a href='/date/2006-02_0.html'>2006-02-13 21:09</a>\n</td>\n<td>\n"
        "<a href='/reldate/2011-03-08_0.html'>2011-03-08 16:04</a>\n</td>\n<td>\n"
        "<a href='/classification/5_0.html' title='unclassified//fouo'>UNCLASSIFIED</a>\n</td>\n<td>\n"
        "<a href='/origin/42_0.html'>Embassy San Jose</a>\n</td>\n</tr>\n<tr>\n<td colspan='5'>\n"
        "Appears in these articles:<br />\n<a href='http://x.pa/a.php?story_id=1&codeth=1593'>"
        "http://x.pa/a.php?story_id=1&codeth=1593</a><br />\r\n</td>\n</tr>\n</table>"
    )
    page = f"<html><body>{table}\n<pre>UNCLAS SAN JOSE 000337</pre>\n<pre>SUBJECT: X</pre></body></html>"
    expected = html._parsed_cell_texts(table)[:2]

    def no_lxml(table_html: str) -> list[list[str]]:
        raise AssertionError("lxml was asked to read a plain table")

    monkeypatch.setattr(html, "_parsed_cell_texts", no_lxml)
    (document,) = html.read(page, "06SANJOSE337.html")
    metadata = document.metadata
    assert [metadata.reference_id, metadata.created, metadata.released, metadata.classification, metadata.origin] == (
        expected[1]
    )


#: A line that each alternative of chrome._STRONG_ANYWHERE matches, in its order.
_STRONG_ANYWHERE_EXAMPLES = (
    "You are commenting using your WordPress.com account.",
    "Fill in your details below or click an icon to log in:",
    "Your email address will not be published.",
    "Required fields are marked *",
    "Notify me of follow-up comments by email.",
    "2 bloggers like this.",
    "Be the first to like this.",
    "Understanding cables",
    "Please mark messages with the hash tags #cablegate and a hash containing the ID",
    "Currently released so far... 251287 / 251,287",
    "This article is more than 10 years old",
    "Home | Cables | Search | About",
    "home / cables / search / about us",
    "Public Library of US Diplomacy",
    "Canonical ID:\t07ASTANA2221_a",
    "Post a comment or leave a trackback: Trackback URL.",
    "Reply With Quote",
    "Post subject: the cable",
    "Hello %s, welcome",
)


def test_every_site_phrase_passes_the_literals_that_rule_lines_out() -> None:
    """Each alternative of the site phrases holds one of the literals that rule a line of ASCII
    out before the search: an alternative added without one would be missed on such lines."""
    from cableschema import chrome

    for line in _STRONG_ANYWHERE_EXAMPLES:
        assert chrome._STRONG_ANYWHERE.search(line), line
        assert chrome._has_strong_phrase(line), line
    covered = {
        index
        for index, alternative in enumerate(chrome._STRONG_ANYWHERE.pattern.split("|(?:"))
        for line in _STRONG_ANYWHERE_EXAMPLES
        if re.search("(?:" + alternative if index else alternative, line, re.I)
    }
    assert len(covered) == chrome._STRONG_ANYWHERE.pattern.count("|(?:") + 1


def _tag_values_as_before(line: str) -> list[tuple[str, int, int]]:
    """The TAGS tokens' values as _tags read them before: each token stripped, then unbracketed."""
    found = []
    for token in parser._TAG_TOKENS.finditer(line):
        value = token.group().strip()
        if value.startswith("(") and value.endswith(")"):
            value = value[1:-1].strip()
        value = value.strip(".\\").upper()
        if not value or value.startswith("<"):
            continue
        found.append((value, token.start(), token.end()))
    return found


_TAG_PIECES = ("PGOV", "PREL", ", ", ",", ";", " ", "\t", "\u00a0", "\u2003", "(", ")", "(KDEM)", "( x )",
               "<br>", ".", "\\", "EFIN.", "tags", "\u017f")  # fmt: skip


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_TAG_PIECES) | st.text(max_size=3), max_size=20).map("".join))
def test_tag_tokens_read_without_strips_as_with_them(line: str) -> None:
    """_tags takes a token as matched (no blank at either end) and unbrackets it by its first
    character alone: the values and offsets are those of the strips and tests it replaced."""
    text = line.replace("\n", " ")
    walker = parser._Parser(Document(text=text, path="x.txt", format="text", source_map=SourceMap.identity(text)))
    walker.run()
    walker._tags(0, 0, 0, len(text), False, 1)
    expected = _tag_values_as_before(text)
    assert [(item.values["value"], item.start, item.end) for item in walker.parts.tag_items] == expected
    assert walker.parts.tags is not None
    assert walker.parts.tags.values["tags"] == [value for value, _, _ in expected]
