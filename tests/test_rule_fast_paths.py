"""The rules' fast paths give exactly what the plain computations they stand for give.

Each fast path of ``validators/damage.py`` is pitted against its exact fallback (or the plain
search it replaces) on random text built from the pieces the patterns look for, with Hypothesis:

* T501: the one-regex search for breaks between ASCII letters against the line-by-line fallback
  that regions of more than ``_MAX_CANDIDATES`` lines take, as far as T501 reads them.
* T504: the merged searches of each kind of leftover, on both sides of the ``_MARKUP_MERGED``
  matches they take before handing over to the one pattern, against that pattern alone.
* T507: the colon labels found from the colons (and past ``_MAX_COLONS`` label by label), the
  case-shape search for ``withEmbassy`` glue, and the glue points with their cheap backward
  pre-checks, against plain searches of every pattern.
  T507's places, each stretch of a line searched for a space once, against each searched for.
* T502: the closing-marker search tried at the ends of the last words, against the full search;
  the end of a sentence read from the last words, against every word split and counted.
* T509: the once-word windowing of the repeat search against every window, the words split in
  one go against token by token, and the word offsets found when asked.
* T508: the byte pre-check against the control-character search.
* T505: the strict UTF-8 encoding that tells a text with surrogates against the surrogate search.
"""

from __future__ import annotations

import random
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from cableschema.validators import damage
from hypothesis import given, settings
from hypothesis import strategies as st

from cableschema import lexicon

from .conftest import ROOT

SETTINGS = settings(max_examples=150, deadline=None)


def _texts(pieces: tuple[str, ...], max_size: int = 60) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(pieces), max_size=max_size).map("".join)


def _context(text: str) -> Any:
    """What the fast paths read of a Context: the text, its lines and their offsets."""
    lines = text.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    return SimpleNamespace(text=text, lines=lines, parts=SimpleNamespace(line_starts=starts))


# -- T501 -------------------------------------------------------------------------------------------

#: Word halves that join into known words ("comple" + "x"), blanks, punctuation, non-ASCII letters
#: (``str.isalpha`` but no ASCII letter: only the fallback looks at their breaks).
T501_PIECES = (
    "comple", "x", "Opport", "unity", "the", "re", "in", "to", "crack", "ing", "Sum", "mary", "SUMM", "ARY",
    "\n", "\n", "\n", "\n  ", "\n\t", "\n      ", "\n \t      ", " ", "  ", "-", ".", ",", "\"", "é", "ß",
    "Ω", "a" * 41, "\n" + " " * 41, "XXXX", "(", "/",
    # Whole breaks (a known word's halves), with a few to forty blanks and more
    "comple\n      x ", "Opport\n\t \t \t unity.", "\ncrack\n" + " " * 40 + "ing ", "Sum\n" + " " * 41 + "mary ",
)  # fmt: skip


def _what_t501_reads(lines: list[str], breaks: list[int], words: dict[str, int]) -> list[int]:
    """The breaks T501 goes on with: a head word without trailing blanks, a tail word, the two
    joined a known word, and a tail in lower case unless an all-capitals word was broken (its
    first tests of each candidate; the last is :func:`damage._split_evidence`'s case test)."""
    kept = []
    for index in breaks:
        head_text, tail_text = lines[index], lines[index + 1]
        if head_text != head_text.rstrip():
            continue
        head_at, tail_span = damage._last_word(head_text), damage._first_word(tail_text)
        if head_at is None or tail_span is None:
            continue
        head, tail = head_text[head_at:], tail_text[tail_span[0] : tail_span[1]]
        if tail[0].isupper() and not (head.isupper() and tail.isupper() and len(head) >= 2):
            continue
        if (head + tail).lower() in words:
            kept.append(index)
    return kept


@settings(max_examples=300, deadline=None)
@given(_texts(T501_PIECES, 80), st.data())
def test_t501_breaks_found_by_one_regex_equal_the_line_by_line_fallback(text: str, data: st.DataObject) -> None:
    ctx = _context(text)
    lines, starts = ctx.lines, ctx.parts.line_starts
    words = lexicon.words()
    first = data.draw(st.integers(0, len(lines) - 1))
    last = data.draw(st.integers(first + 1, len(lines)))  # (T501 reads no region without lines)
    fast = damage._joined_word_breaks(text, lines, starts, first, last, words)
    fallback = damage._known_joins(lines, damage._letter_breaks(lines, first, last), words)
    assert _what_t501_reads(lines, fast, words) == _what_t501_reads(lines, fallback, words)


# -- T504 -------------------------------------------------------------------------------------------

T504_PIECES = (
    "<br>", "<BR/>", "</table>", "<p class=x>", "<b", ">", "<", "&amp;", "&#x000A;", "&#10;", "&ED;", "&", ";",
    "&nbsp", "¶", "\\", "\\\\", " \\", "\\\n", "\n", " ", "x", "S", "<<", "&#xZZ;",
)  # fmt: skip


def _markup_spans(matches: Any) -> list[tuple[tuple[int, int], str | None]]:
    return [(match.span(), match.lastgroup) for match in matches]


@SETTINGS
@given(_texts(T504_PIECES, 200), st.integers(0, 3), st.data())
def test_t504_merged_searches_equal_the_one_pattern(text: str, merged: int, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    expected = _markup_spans(damage._MARKUP.finditer(text, start, end))
    assert _markup_spans(damage._leftmost_markup(text, start, end)) == expected
    # Fewer merged matches than the text holds: the hand-over to the one pattern is exercised.
    kept, damage._MARKUP_MERGED = damage._MARKUP_MERGED, merged
    try:
        assert _markup_spans(damage._leftmost_markup(text, start, end)) == expected
    finally:
        damage._MARKUP_MERGED = kept


def test_t504_past_the_merged_matches_the_one_pattern_takes_over() -> None:
    text = "a<br>&amp;¶ \\\n" * (damage._MARKUP_MERGED + 10)
    expected = _markup_spans(damage._MARKUP.finditer(text, 0, len(text)))
    assert len(expected) > damage._MARKUP_MERGED
    assert _markup_spans(damage._leftmost_markup(text, 0, len(text))) == expected


# -- T507 -------------------------------------------------------------------------------------------

T507_PIECES = (
    "SUBJECT:", "SUBJ :", "Subject\t:", "TAGS:", "Tags:", "REF:", "REFS:", "Ref :", "Refs:", "SUBJECTS:", "E.O. 12958",
    "E.o.12958", "E.O. 1295", "E.", "SIPDIS", "Sipdis", "SipdisE.o. 12958", "1074B. ANKARA 1231", "B. ", "4",
    "ANKARA", " 1", "Berlin.6. (U)", "in.12.  (S/NF)", ".6. (C)", "(SBU)", ".", ")", ":", "  ", " ", "\n", "\n",
    "with", "Embassy", "sawMedvedev", "aaaAaa", "x", "Terrorism", "é", "_", "/", "-", "a" * 200,
)  # fmt: skip


@SETTINGS
@given(_texts(T507_PIECES), st.integers(0, 3))
def test_t507_colon_labels_found_from_the_colons_equal_the_label_searches(text: str, most: int) -> None:
    expected = sorted(
        match.span() for _, pattern in damage._COLON_LABELS for match in pattern.finditer(text, 0, len(text))
    )
    found = sorted(match.span() for match in damage._colon_label_matches(text, 0, len(text)))
    assert found == expected
    kept, damage._MAX_COLONS = damage._MAX_COLONS, most
    try:  # past the colons looked at one by one, the labels are searched for
        assert sorted(match.span() for match in damage._colon_label_matches(text, 0, len(text))) == expected
    finally:
        damage._MAX_COLONS = kept


@SETTINGS
@given(_texts((*T507_PIECES, "aB", "abC", "ÀbcDef", "abcDéf"), 80), st.data())
def test_t507_case_shape_search_equals_the_camel_pattern(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    expected = [match.start() + 3 for match in damage._CAMEL_CLUE.finditer(text, start, end)]
    assert list(damage._camel_flips(text, start, end)) == expected


def _plain_glue_points(ctx: Any, start: int, end: int) -> list[tuple[int, int]]:
    """:func:`damage._glue_points` without its pre-checks: every pattern searched in full."""
    text = ctx.text
    points: list[tuple[int, int]] = []
    for _, pattern in damage._GLUED_LABELS:
        for match in pattern.finditer(text, start, end):
            position, after = match.span()
            before = text[position - 1] if position > 0 else " "
            if match.group()[:1] == "S" and match.group()[1:2] in "Ii":
                glued = before.isdigit() or before.islower() or (after < len(text) and text[after].isupper())
                if glued and not (match.group() == "SIPDIS" and before.isupper()):
                    points.append((position, after))
            elif before.isalnum() or before in ".)":
                points.append((position, after))
    for match in damage._GLUED_REF_LETTER.finditer(text, start, end):
        points.append((match.start() - 1, match.end()))
    for match in damage._GLUED_PARAGRAPH.finditer(text, start, end):
        head = damage._BEFORE_PARAGRAPH.search(text, max(0, match.start() - 10), match.start())
        if head is not None:
            points.append((head.start() + 3, match.end()))
    starts = ctx.parts.line_starts
    for index, line in enumerate(ctx.lines):
        line_start = starts[index]
        if len(line) >= damage._FLATTENED and start <= line_start < end:
            line_end = min(line_start + len(line), end)
            for match in damage._CAMEL_CLUE.finditer(text, line_start, line_end):
                points.extend(damage._camel_glue(text, match.start() + 3))
    return sorted(points)


@SETTINGS
@given(_texts(T507_PIECES, 80), st.data())
def test_t507_glue_points_with_their_pre_checks_equal_the_plain_searches(text: str, data: st.DataObject) -> None:
    ctx = _context(text)
    starts = ctx.parts.line_starts
    first = data.draw(st.integers(0, len(starts)))
    last = data.draw(st.integers(first, len(starts)))
    start = starts[first] if first < len(starts) else len(text)
    end = starts[last] if last < len(starts) else len(text)
    assert damage._glue_points(ctx, start, end) == _plain_glue_points(ctx, start, end)


def _places_one_by_one(line: str, spans: list[tuple[int, int]]) -> list[str]:
    """T507's places as it found them before: each span's word searched for from the span, each
    place compared with every one before it."""
    places: list[str] = []
    for first, last in spans:
        begin = max(0, line.rfind(" ", 0, first) + 1)
        finish = line.find(" ", last)
        place = line[begin : finish if finish >= 0 else len(line)].strip()
        if place and place not in places and not any(place in other or other in place for other in places):
            places.append(place)
    return places


@settings(max_examples=1500, deadline=None)
@given(_texts(("a", "b", "ab", " ", "  ", "\t", "aB", "c d"), 50), st.data())
def test_t507_places_found_once_equal_each_searched_for(line: str, data: st.DataObject) -> None:
    offsets = st.integers(0, len(line))
    spans = sorted(data.draw(st.lists(st.tuples(offsets, offsets).map(sorted).map(tuple), max_size=12)))
    assert damage._fused_places(line, spans) == _places_one_by_one(line, spans)


def test_t507_places_past_the_compared_are_told_apart_by_equality() -> None:
    words = [f"w{n:03d}" for n in range(damage._PLACES_COMPARED + 20)]
    line = " ".join([*words, "w001x", words[-1]])  # the last two: inside an earlier place, and the same
    spans = [(line.index(word), line.index(word) + 1) for word in words]
    spans += [(line.index("w001x"), line.index("w001x") + 1), (len(line) - 1, len(line))]
    assert damage._fused_places(line, spans) == [*words, "w001x"]


# -- T502 -------------------------------------------------------------------------------------------

T502_PIECES = (
    "End", "END", "(End", "end", " ", "  ", "of", " comm", " Summary", " text.", ".", "\"", "”", ")", "(", "x",
    "Ender", "weEnd", "\t", "abcdefghi",
)  # fmt: skip


@SETTINGS
@given(_texts(T502_PIECES, 30))
def test_t502_marker_search_at_the_last_words_equals_the_full_search(text: str) -> None:
    line = text.rstrip()
    found, expected = damage._end_fragment(line), damage._END_FRAGMENT.search(line)
    assert (found and (found.span(), found.groupdict())) == (expected and (expected.span(), expected.groupdict()))


def _plain_stops_mid_sentence(text: str) -> bool:
    """:func:`damage._stops_mid_sentence` with every word of the text split and counted (the fast
    path is in what it splits and counts; the words are then read by the same function)."""
    words = text.split()
    return damage._words_stop_mid_sentence(words, lambda: sum(word[0].islower() for word in words))


SENTENCE_PIECES = (
    "met", "with", "Prime", "Minister", "The", "the", "a", "NSC", "Director", "TEFFT", "Young", "in", "April.",
    "said,", "was", '"a', "www.x.gov", "1.", "ᵃ", "ß", "É", "é", "Ǆ", "ǅ", "ǆ", "2", "-", " ", "  ", "\t", "\u00a0",
)  # fmt: skip


@SETTINGS
@given(
    st.lists(st.sampled_from(SENTENCE_PIECES), max_size=40).map(" ".join)
    # Lower-case words only before the last eight (the words not split one by one), or none
    | st.tuples(
        st.lists(st.sampled_from(SENTENCE_PIECES), max_size=12),
        st.lists(st.sampled_from(("The", "NSC", "É", "2", "Ǆ", "ǅ")), min_size=8, max_size=10),
    ).map(lambda pair: " ".join(pair[0] + pair[1]))
)
def test_t502_sentence_end_from_the_last_words_equals_every_word(text: str) -> None:
    assert damage._stops_mid_sentence(text) == _plain_stops_mid_sentence(text)


# -- T509 -------------------------------------------------------------------------------------------


def _plain_repeats(words: list[str]) -> list[tuple[int, int, int]]:
    """:func:`damage._repeats` over every window of ``_SHINGLE`` words (the fast path is in how
    the repeating windows are found; they are merged into runs by the same function)."""
    shingle = damage._SHINGLE
    first_seen: dict[tuple[str, ...], int] = {}
    copies: list[tuple[int, int]] = []
    for position in range(len(words) - shingle + 1):
        key = tuple(words[position : position + shingle])
        source = first_seen.setdefault(key, position)
        if source <= position - shingle:
            copies.append((position, source))
    return damage._runs_of(copies)


#: A few words, so that windows repeat; a copied block makes the long runs T509 reports.
_WORDS = st.lists(st.sampled_from(("a", "b", "c", "the", "said", "x", "y")), max_size=90)


@SETTINGS
@given(_WORDS, st.lists(st.tuples(st.integers(0, 90), st.integers(0, 40)), max_size=3))
def test_t509_once_word_windows_equal_every_window(words: list[str], copies: list[tuple[int, int]]) -> None:
    unique = iter(range(10**6))
    words = [word if word != "x" else f"x{next(unique)}" for word in words]  # words used once
    for at, length in copies:
        block = words[at : at + length]
        words[at:at] = block
    assert damage._repeats(words) == _plain_repeats(words)
    with pytest.MonkeyPatch.context() as patch:  # a long text's path: the counts read one at a time
        patch.setattr(damage, "_WORDS_AT_ONCE", 3)
        assert damage._repeats(words) == _plain_repeats(words)
    with pytest.MonkeyPatch.context() as patch:  # a text of many cables: windows looked up in shares
        patch.setattr(damage, "_WINDOWS_AT_ONCE", 4)
        assert damage._repeats(words) == _plain_repeats(words)


def test_t509_windows_that_only_share_a_hash_are_told_apart() -> None:
    """The shares' dicts are keyed by hash: here every window of one first letter has one hash,
    and the words still decide which windows are copies."""
    chooser = random.Random(509)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(damage, "_WINDOWS_AT_ONCE", 4)
        patch.setattr(damage, "hash", lambda window: ord(window[0][0]), raising=False)
        for _ in range(40):
            words = [chooser.choice(("a", "b", "c", "the", "said", "y")) for _ in range(chooser.randrange(20, 120))]
            at = chooser.randrange(len(words))
            words[at:at] = words[: chooser.randrange(25)]
            assert damage._repeats(words) == _plain_repeats(words)


T509_PIECES = ("word", "Word", "¶", "¶2", " ", "  ", "\t", "\n", "\n", "x¶y", "ÉTÉ", "ΑΣ", "a.b", "\u00a0", "\u2028")


@SETTINGS
@given(_texts(T509_PIECES, 60), st.data())
def test_t509_words_and_their_offsets_equal_the_tokens(text: str, data: st.DataObject) -> None:
    ctx = _context(text)
    ctx.parts.cable_end_line = len(ctx.lines)
    markers = set(data.draw(st.lists(st.integers(0, len(ctx.lines) - 1), max_size=3)))
    lines = damage._word_lines(ctx, 0, markers)
    tokens = [
        (ctx.parts.line_starts[index] + match.start(), match.group().replace("¶", "").lower())
        for index in lines
        for match in damage._TOKEN.finditer(ctx.lines[index])
        if match.group().replace("¶", "")
    ]
    assert damage._words(ctx, lines) == [word for _, word in tokens]
    with pytest.MonkeyPatch.context() as patch:  # a long text's path: a few characters at a time
        patch.setattr(damage, "_WORDS_AT_ONCE", data.draw(st.integers(1, 4)))
        assert damage._words(ctx, lines) == [word for _, word in tokens]
    offsets = damage._WordOffsets(ctx, lines)
    assert [offsets[index] for index in range(len(tokens))] == [offset for offset, _ in tokens]
    with pytest.raises(IndexError):
        offsets[len(tokens)]


# -- T508 -------------------------------------------------------------------------------------------


@SETTINGS
@given(st.text(st.characters(max_codepoint=0x2FF), max_size=40))
def test_t508_byte_pre_check_equals_the_control_search(text: str) -> None:
    ctx: Any = SimpleNamespace(text=text)
    assert bool(list(damage._control_characters(ctx))) == bool(damage._CONTROL.search(text))


# -- T505 -------------------------------------------------------------------------------------------

#: ASCII, Latin-1, the characters either side of the surrogates, both halves of a pair, and a
#: character past the Basic Multilingual Plane (each a different string kind).
T505_PIECES = ("a", " ", "é", "’", "\ud7ff", "\ud800", "\udbff", "\udc00", "\udfff", "\ue000", "\U0001f600")


@SETTINGS
@given(_texts(T505_PIECES, 12))
def test_t505_encoding_check_equals_the_surrogate_search(text: str) -> None:
    assert damage._has_surrogates(text) == (damage._SURROGATES.search(text) is not None)


# -- the lexicon ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "# comment\n# cables read: 3\n0\taaa ab\n2\taa\n17\tabc abd\n",
            {"aaa": 0, "ab": 0, "aa": 2, "abc": 17, "abd": 17},
        ),
        ("2\taa\n\nbroken line\n1\tab\n", {"aa": 2, "ab": 1}),  # blank and tab-less lines left out
        ("2\taa\nx\tab\n3\t\n", {"aa": 2}),  # a count that is no number, a count without words
    ],
)
def test_lexicon_table_reads_words_grouped_by_count(text: str, expected: dict[str, int]) -> None:
    assert {word: int(count) for word, count in lexicon._read_table(text).items()} == expected


def test_lexicon_as_the_build_tool_writes_it_reads_back(tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_lexicon", ROOT / "tools" / "build_lexicon.py")
    assert spec is not None and spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    counts = {f"w{index:04d}": index % 7 for index in range(2500)}  # several lines for count 0
    tool.write_lexicon(tmp_path / "lexicon.txt", ["# a header"], counts)
    text = (tmp_path / "lexicon.txt").read_text(encoding="utf-8")
    assert {word: int(count) for word, count in lexicon._read_table(text).items()} == counts


def test_lexicon_counts_are_numbers() -> None:
    assert lexicon.count("Embassy") == lexicon.count("embassy") and isinstance(lexicon.count("embassy"), int)
    assert lexicon.count("xqzjv") is None and "embassy" in lexicon.words()
