"""Decoding of site artefacts, with anchors for the source map.

The cablegate site writes newlines as ``&#x000A;``, wraps TAGS in links and puts a
``<a id='par1' href='#par1'>¶</a>`` anchor before paragraph labels; text exports keep the ``¶``.
These are artefacts of the site, not of the cable, so readers decode them. Anything else that
looks like markup (a stray ``<br>``, a fake entity like ``S&ED;``) is left in the text for the
markup-leftover rule to report.
"""

from __future__ import annotations

import bisect
import html.entities
import operator
from array import array
from collections.abc import Iterator
from itertools import accumulate, compress, count

from .. import _regex
from ..document import AnchorPairs, Anchors

# Every alternative is bounded and starts with a literal, so the scan is linear and the regex
# engine skips ahead to the next ``<``, ``&``, CR or ``¶``.
#: The sign may come as "Â¶", its UTF-8 read as Windows-1252: the anchor all the same (a fix that
#: stripped only the "¶" of it left the link open).
_ANCHOR = r"<a\b[^<>]{0,500}>\s{0,3}Â?¶\s{0,3}</a\s*>"
_OPEN = r"<a\b[^<>]{0,500}>"
_CLOSE = r"</a\s*>"
_HEX = r"&#[xX][0-9a-fA-F]{1,6};"
_DEC = r"&#[0-9]{1,7};"
_NAMED = r"&[A-Za-z][A-Za-z0-9]{1,31};"
_CRLF = r"\r\n?"
_PILCROW = r"¶(?=[ \t]{0,3}(?:[0-9]{1,3}[a-z]?|[A-Za-z])[.)])"
#: One capturing group around the whole token: ``split`` returns text and tokens alternately.
_MARKUP_SPLIT = _regex.compile("(" + "|".join((_ANCHOR, _OPEN, _CLOSE, _HEX, _DEC, _NAMED, _CRLF, _PILCROW)) + ")")
_TEXT_SPLIT = _regex.compile("(" + _CRLF + "|" + _PILCROW + ")")
# The same tokens split in two steps, each scan skipping ahead to one literal (the one-step scan
# stops at every character of its class): links and anchors first, then, between them, entities
# (and line ends and pilcrows where there are any). No token of the second kind contains "<",
# so none spans a link, and a link is found by either scan alike.
_LINK_SPLIT = _regex.compile("(" + "|".join((_ANCHOR, _OPEN, _CLOSE)) + ")")
_ENTITY_SPLIT = _regex.compile("(" + "|".join((_HEX, _DEC, _NAMED)) + ")")
_REST_SPLIT = _regex.compile("(" + "|".join((_HEX, _DEC, _NAMED, _CRLF, _PILCROW)) + ")")
_HTML5 = html.entities.html5
#: How the cablegate site writes a newline.
_NEWLINE_ENTITY = "&#x000A;"


def _replacement(token: str) -> str:
    """What a token decodes to; the token itself when it is left in the text (not a real entity,
    or a carriage return written as an entity)."""
    first = token[0]
    if first == "&":
        value: str | None
        try:
            if token[2:3] in ("x", "X") and token[1] == "#":
                value = chr(int(token[3:-1], 16))
            elif token[1] == "#":
                value = chr(int(token[2:-1]))
            else:
                value = _HTML5.get(token[1:])
        except (ValueError, OverflowError):
            value = None
        return token if value is None or value == "\r" else value
    if first == "\r":
        return "\n"
    return ""  # links, anchors and pilcrows are removed


class _Replacements(dict[str, str]):
    """Token -> replacement, remembered for the few distinct tokens real pages use (a bounded
    number, so that hostile input cannot grow it without end)."""

    def __missing__(self, token: str) -> str:
        value = _replacement(token)
        if len(self) < 4096:
            self[token] = value
        return value


_REPLACEMENTS = _Replacements()


def _split(piece: str) -> list[str]:
    """``_MARKUP_SPLIT.split(piece)``, in two scans that skip ahead to literals."""
    if "\r" in piece:
        return _MARKUP_SPLIT.split(piece)
    outer = _LINK_SPLIT.split(piece) if "<" in piece else [piece]
    pieces: list[str] = []
    for index, part in enumerate(outer):
        if index % 2:
            pieces.append(part)  # a link or an anchor
        elif "¶" in part:
            pieces.extend(_REST_SPLIT.split(part))
        elif "&" in part:
            lines = part.split(_NEWLINE_ENTITY)
            if len(lines) > 1 and "&" not in "".join(lines):
                # Only the site's newlines (most pages): a split on the literal, several times
                # faster than the pattern's, which stops at each one. No token holds a "&" but
                # at its start, so each "&#x000A;" is a token of the pattern's split.
                spliced = [_NEWLINE_ENTITY] * (2 * len(lines) - 1)
                spliced[::2] = lines
                pieces.extend(spliced)
            else:
                pieces.extend(_ENTITY_SPLIT.split(part))
        else:
            pieces.append(part)
    return pieces


#: A piece longer than this is decoded a window of this many characters at a time, its anchors
#: kept as :class:`Anchors` (8 bytes an anchor). The split of a whole piece held a string and
#: list slots a token, and its anchors a tuple and a list slot each: a 20 MB text with CRLF line
#: ends peaked at 577 MB while it was read and kept 210 MB. Real pages and texts are all shorter
#: (the largest real page is under 200 KB): they take the one-split path, unchanged.
_WINDOW = 1 << 18
#: No attempt at a token reads more than this past its start (a link's opening reads 503
#: characters, an anchor 516), except the blanks after the ``</a`` of a link's end, which
#: :func:`_cut` looks after.
_REACH = 1024
_BLANKS = _regex.compile(r"\s*+")


def _blanks_end(raw: str, at: int, end: int) -> int:
    """Where the blanks (``\\s``, as the patterns read them) from ``at`` end, at most ``end``."""
    blanks = _BLANKS.match(raw, at, end)
    assert blanks is not None  # the pattern matches the empty string
    return blanks.end()


def decode(
    raw: str,
    start: int = 0,
    end: int | None = None,
    *,
    markup: bool,
    text_offset: int = 0,
) -> tuple[str, AnchorPairs]:
    """Decode ``raw[start:end]``; return the text and its anchors ``(text_pos, source_pos)``.

    Text positions start at ``text_offset`` (the length of text already produced before this
    piece), source positions are offsets into ``raw``. ``markup`` decodes links, anchors and
    entities (HTML ``<pre>`` content); without it only line ends and ``¶`` labels are decoded.
    An anchor follows every decoded token. The anchors are a list of pairs, or for a piece over
    :data:`_WINDOW` characters with tokens in it, :class:`Anchors`.
    """
    if end is None:
        end = len(raw)
    if end - start > _WINDOW:
        return _decode_long(raw, start, end, markup, text_offset)
    piece = raw if start == 0 and end == len(raw) else raw[start:end]
    if not markup and "\r" not in piece and "¶" not in piece:
        return piece, [(text_offset, start)]
    pieces = _split(piece) if markup else _TEXT_SPLIT.split(piece)
    if len(pieces) == 1:
        return piece, [(text_offset, start)]
    # pieces alternate text, token, text, ..., text: everything below runs in C, not per token.
    tokens = pieces[1::2]
    replacements = list(map(_REPLACEMENTS.__getitem__, tokens))
    source_ends = list(accumulate(map(len, pieces), initial=start))
    pieces[1::2] = replacements
    text_ends = list(accumulate(map(len, pieces), initial=text_offset))
    # After the token at pieces[2k + 1]: cumulative lengths at index 2k + 2.
    after = zip(text_ends[2::2], source_ends[2::2], strict=True)
    anchors = [(text_offset, start)]
    kept = list(map(operator.ne, tokens, replacements))
    anchors.extend(after if all(kept) else compress(after, kept))
    return "".join(pieces), anchors


def _decode_long(raw: str, start: int, end: int, markup: bool, text_offset: int) -> tuple[str, AnchorPairs]:
    """:func:`decode` of a long piece, a window at a time, each window tokenised as the whole
    piece is (see :func:`_cut`), the anchors kept compactly."""
    whole = start == 0 and end == len(raw)
    if not markup and raw.find("\r", start, end) < 0 and raw.find("¶", start, end) < 0:
        return raw if whole else raw[start:end], [(text_offset, start)]
    anchors = Anchors(source_length=len(raw))
    anchors.append(text_offset, start)
    texts: list[str] = []
    position, produced = start, text_offset
    while position < end:
        window_end, limit = _cut(raw, position, end, markup)
        text, position = _decode_window(raw, position, window_end, limit, markup, produced, anchors)
        texts.append(text)
        produced += len(text)
    if len(anchors) == 1:  # nothing decoded: the text is the piece (the source itself when whole)
        return raw if whole else "".join(texts), [(text_offset, start)]
    return "".join(texts), anchors


def _cut(raw: str, position: int, end: int, markup: bool) -> tuple[int, int]:
    """The window from ``position``: its end and the limit before which the tokens it finds
    are those of the whole piece. An attempt at a token from before the limit reads only inside
    the window: a bounded reach, but for the blanks after a link's ``</a``, read up to the
    first other character; when the window ends in such blanks, the limit is moved back before
    the ``</a`` (or, when it is at the window's start, the window goes on past the blanks)."""
    window_end = position + _WINDOW
    while True:
        if window_end >= end:
            return end, end
        limit = window_end - _REACH
        close = raw.rfind("</a", position, window_end) if markup else -1
        if close < 0 or _blanks_end(raw, close + 3, window_end) < window_end:
            return window_end, limit
        if close - _REACH > position:
            return window_end, min(limit, close - _REACH)
        window_end = _blanks_end(raw, close + 3, end) + 1


def _decode_window(
    raw: str, position: int, window_end: int, limit: int, markup: bool, produced: int, anchors: Anchors
) -> tuple[str, int]:
    """Decode ``raw[position:window_end]``, or when ``limit`` is before its end, up to the end
    of the last token that starts before ``limit`` (and at least to ``limit``), appending to
    ``anchors``; the text starts at ``produced``. Returns the text and where it ends in ``raw``."""
    window = raw[position:window_end]
    parts = _split(window) if markup else _TEXT_SPLIT.split(window)
    del window
    # Where each part ends in ``raw``: token k (parts[2k + 1]) starts at 2k + 1, ends at 2k + 2.
    source_ends = array(anchors.source.typecode, accumulate(map(len, parts), initial=position))
    cut = window_end
    if limit < window_end:
        kept = bisect.bisect_left(source_ends[1::2], limit)  # the tokens that start before it
        after = source_ends[2 * kept]  # the end of the last of them
        cut = max(after, limit)
        del parts[2 * kept + 1 :], source_ends[2 * kept + 1 :]
        parts[2 * kept] = parts[2 * kept][: cut - after]
    tokens = parts[1::2]
    replacements = list(map(_REPLACEMENTS.__getitem__, tokens))
    parts[1::2] = replacements
    text_ends = array(anchors.text.typecode, accumulate(map(len, parts), initial=produced))
    decoded = list(map(operator.ne, tokens, replacements))
    del tokens, replacements
    if all(decoded):
        anchors.text.extend(text_ends[2::2])
        anchors.source.extend(source_ends[2::2])
    else:
        anchors.text.extend(compress(text_ends[2::2], decoded))
        anchors.source.extend(compress(source_ends[2::2], decoded))
    return "".join(parts), cut


def escape_ends(parts: list[str], source_start: int, text_start: int) -> tuple[Iterator[int], Iterator[int]]:
    """Where each escape ends in the source and in the text, in C, for a piece split on its
    backslashes (``parts``, its last part left out) where every backslash opens an escape of two
    characters that decodes to one: each part after the first opens with that character. After
    the k-th escape the text holds the parts before it and that character; the source, those, k
    backslashes and that character. (CSV's line-end and quote escapes, JSON's ``\\n``.)"""
    lengths = list(accumulate(map(len, parts)))
    return map((source_start + 1).__add__, map(operator.add, lengths, count(1))), map((text_start + 1).__add__, lengths)
