"""Decoding of site artefacts, with anchors for the source map.

The cablegate site writes newlines as ``&#x000A;``, wraps TAGS in links and puts a
``<a id='par1' href='#par1'>¶</a>`` anchor before paragraph labels; text exports keep the ``¶``.
These are artefacts of the site, not of the cable, so readers decode them. Anything else that
looks like markup (a stray ``<br>``, a fake entity like ``S&ED;``) is left in the text for the
markup-leftover rule to report.
"""

from __future__ import annotations

import html.entities
import re

# One pass over the raw text; each alternative is bounded, so the scan is linear.
_MARKUP_TOKEN = re.compile(
    r"(?=[<&\r¶])(?:(?P<anchor><a\b[^<>]{0,500}>\s{0,3}¶\s{0,3}</a\s*>)"
    r"|(?P<open><a\b[^<>]{0,500}>)"
    r"|(?P<close></a\s*>)"
    r"|(?P<hex>&#[xX](?P<hexval>[0-9a-fA-F]{1,6});)"
    r"|(?P<dec>&#(?P<decval>[0-9]{1,7});)"
    r"|(?P<named>&(?P<name>[A-Za-z][A-Za-z0-9]{1,31});)"
    r"|(?P<crlf>\r\n?)"
    r"|(?P<pilcrow>¶(?=[ \t]{0,3}(?:[0-9]{1,3}[a-z]?|[A-Za-z])[.)])))"
)
_TEXT_TOKEN = re.compile(r"(?P<crlf>\r\n?)|(?P<pilcrow>¶(?=[ \t]{0,3}(?:[0-9]{1,3}[a-z]?|[A-Za-z])[.)]))")
_HTML5 = html.entities.html5


def _decode_entity(match: re.Match[str]) -> str | None:
    kind = match.lastgroup
    try:
        if kind == "hex":
            return chr(int(match.group("hexval"), 16))
        if kind == "dec":
            return chr(int(match.group("decval")))
    except (ValueError, OverflowError):
        return None
    if kind == "named":
        return _HTML5.get(match.group("name") + ";")
    return None


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
    """
    if end is None:
        end = len(raw)
    pattern = _MARKUP_TOKEN if markup else _TEXT_TOKEN
    pieces: list[str] = []
    anchors: list[tuple[int, int]] = [(text_offset, start)]
    produced = text_offset
    position = start
    for match in pattern.finditer(raw, start, end):
        kind = match.lastgroup
        if kind in ("hex", "dec", "named"):
            replacement = _decode_entity(match)
            if replacement is None or replacement == "\r":
                continue  # not a real entity: leave it in the text for T504
        elif kind == "crlf":
            replacement = "\n"
        else:  # anchor, open, close, pilcrow: removed
            replacement = ""
        token_start, token_end = match.span()
        pieces.append(raw[position:token_start])
        produced += token_start - position
        pieces.append(replacement)
        produced += len(replacement)
        position = token_end
        anchors.append((produced, token_end))
    pieces.append(raw[position:end])
    return "".join(pieces), anchors
