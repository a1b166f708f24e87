"""Decoding of site artefacts, with anchors for the source map.

The cablegate site writes newlines as ``&#x000A;``, wraps TAGS in links and puts a
``<a id='par1' href='#par1'>¶</a>`` anchor before paragraph labels; text exports keep the ``¶``.
These are artefacts of the site, not of the cable, so readers decode them. Anything else that
looks like markup (a stray ``<br>``, a fake entity like ``S&ED;``) is left in the text for the
markup-leftover rule to report.
"""

from __future__ import annotations

import html.entities
import operator
import re
from itertools import accumulate, compress

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
_MARKUP_SPLIT = re.compile("(" + "|".join((_ANCHOR, _OPEN, _CLOSE, _HEX, _DEC, _NAMED, _CRLF, _PILCROW)) + ")")
_TEXT_SPLIT = re.compile("(" + _CRLF + "|" + _PILCROW + ")")
# The same tokens split in two steps, each scan skipping ahead to one literal (the one-step scan
# stops at every character of its class): links and anchors first, then, between them, entities
# (and line ends and pilcrows where there are any). No token of the second kind contains "<",
# so none spans a link, and a link is found by either scan alike.
_LINK_SPLIT = re.compile("(" + "|".join((_ANCHOR, _OPEN, _CLOSE)) + ")")
_ENTITY_SPLIT = re.compile("(" + "|".join((_HEX, _DEC, _NAMED)) + ")")
_REST_SPLIT = re.compile("(" + "|".join((_HEX, _DEC, _NAMED, _CRLF, _PILCROW)) + ")")
_HTML5 = html.entities.html5


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
            pieces.extend(_ENTITY_SPLIT.split(part))
        else:
            pieces.append(part)
    return pieces


def decode(
    raw: str,
    start: int = 0,
    end: int | None = None,
    *,
    markup: bool,
    text_offset: int = 0,
) -> tuple[str, list[tuple[int, int]]]:
    """Decode ``raw[start:end]``; return the text and its anchors ``(text_pos, source_pos)``.

    Text positions start at ``text_offset`` (the length of text already produced before this
    piece), source positions are offsets into ``raw``. ``markup`` decodes links, anchors and
    entities (HTML ``<pre>`` content); without it only line ends and ``¶`` labels are decoded.
    An anchor follows every decoded token.
    """
    if end is None:
        end = len(raw)
    piece = raw if start == 0 and end == len(raw) else raw[start:end]
    pieces = _split(piece) if markup else _TEXT_SPLIT.split(piece) if "\r" in piece or "¶" in piece else [piece]
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
