"""Cablegate HTML pages (``wikileaks.org/cable/YYYY/MM/<ID>.html`` and its mirrors), and any other
page that holds a cable (a page without a ``<pre>`` is read as its text shows: :mod:`._flow`).

A page holds a navigation sidebar (35-40 KB), a ``<table class='cable'>`` of release metadata
(Reference ID | Created | [Released] | Classification | Origin, optionally followed by an "Appears
in these articles" row) and one or two ``<code><pre>`` blocks: the header, then the body.

The sidebar is never parsed: the table is cut out of the raw text and read as the sites write it
(plain rows of cells); a table of any other markup goes to lxml's HTML parser alone (network
access and entity resolution off). The sidebar is scanned once, for the heading and the table
together. The ``<pre>`` blocks are decoded by :mod:`._artefacts`, which keeps a map back to the
physical line and column of the page.
"""

from __future__ import annotations

import itertools
import re
from functools import cache
from typing import TYPE_CHECKING

from .. import _regex
from ..document import AnchorPairs, Document, Metadata, ReadProblem, SourceMap, extended
from . import _artefacts
from ._flow import flow_text
from .text import pasted_metadata, reference_id_from_filename

if TYPE_CHECKING:
    from lxml import html as lxml_html

_TABLE = _regex.compile(r"<table\b[^<>]{0,200}class\s*=\s*['\"]?cable\b[^<>]{0,200}>", re.I)
_TABLE_END = _regex.compile(r"</table\s*>", re.I)
_PRE_OPEN = _regex.compile(r"<pre\b[^<>]{0,200}>", re.I)
_PRE_CLOSE = _regex.compile(r"</pre\s*>", re.I)
_ROW = _regex.compile(r"<tr\b[^<>]{0,200}>", re.I)
_CELL = _regex.compile(r"<t([dh])\b[^<>]{0,200}>", re.I)
_LINK_TEXT = _regex.compile(r"<a\b[^<>]{0,1000}>([^<>]{0,300})</a\s*>", re.I)
_H3_VIEWING = _regex.compile(r"<h3>\s*Viewing cable\s+(?P<id>[^,<]{1,60}),\s*(?P<subject>[^<]{0,2000})</h3>", re.I)
#: The heading and the table in one scan (``_landmarks``). Neither match holds a ``<`` but at its
#: tags' starts, so neither can start inside the other, and the scan finds each where its own
#: search would. The lookahead lets most of the sidebar's 1,900 tags be passed over at once.
_LANDMARKS = _regex.compile(
    rf"<(?=[hHtT])(?:(?P<heading>{_H3_VIEWING.pattern.removeprefix('<')})"
    rf"|(?P<table>{_TABLE.pattern.removeprefix('<')}))",
    re.I,
)


@cache
def _parser() -> lxml_html.HTMLParser:
    """lxml's HTML parser, imported on first use: the sites' tables are plain markup, read
    without it (``_plain_cell_texts``), and importing lxml took 7 ms before each run forked."""
    from lxml import html as lxml_html

    return lxml_html.HTMLParser(
        no_network=True,
        remove_blank_text=False,
        remove_comments=True,
        remove_pis=True,
        huge_tree=False,
        recover=True,
    )


_HEADER_KEYS = {
    "reference id": "reference_id",
    "created": "created",
    "released": "released",
    "classification": "classification",
    "origin": "origin",
}
#: Pages bigger than this are refused: the largest real page is under 200 KB.
MAX_PAGE_CHARS = 64 * 1024 * 1024


def looks_like(head: str) -> bool:
    if "<" not in head:  # every sign of a page opens with a bracket: a plain text has none to lower-case or scan
        return False
    lowered = head[:8192].lower()
    return (
        "<html" in lowered
        or "<!doctype html" in lowered
        or bool(_TABLE.search(head[:200000]))
        or "<h3>viewing cable" in lowered
    )


# A table of plain markup, as the cable sites write it: rows of cells holding text, links and line
# breaks, lower-case tags, quoted attributes, no entity or comment, no character that an HTML parser
# alters (controls, surrogates) but CR, a blank to both (the "Appears in these articles" rows of
# August 2011 end their lines in CRLF). lxml gives each such cell's text pieces joined; they are
# joined here without a parse (which cost more than the rest of the page's metadata, and its
# import 25 ms in each worker).
_BLANKS = r"[ \t\r\n]*+"
_ATTRIBUTES = r"(?:[ \t\n]++[a-z]{1,20}+=(?:'[^'<>]*+'|\"[^\"<>]*+\"))*+[ \t\n]*+"
_PLAIN_TEXT = r"[^<>&\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]"
_CELL_CONTENT = rf"(?:{_PLAIN_TEXT}++|<a{_ATTRIBUTES}>{_PLAIN_TEXT}*+</a>|<br{_ATTRIBUTES}/?>)*+"
_PLAIN_CELL = rf"<(t[dh]){_ATTRIBUTES}>{_CELL_CONTENT}</\1>"
_PLAIN_TABLE = _regex.compile(
    rf"<table{_ATTRIBUTES}>{_BLANKS}(?:<tr{_ATTRIBUTES}>{_BLANKS}(?:{_PLAIN_CELL}{_BLANKS})*+</tr>{_BLANKS})*+</table>"
)
#: The tags inside the cells of such a table.
_INLINE_TAG = _regex.compile(r"</?a\b[^<>]*>|<br\b[^<>]*>")


def _plain_cell_texts(table_html: str) -> list[list[str]] | None:
    """``_cell_texts`` of a table of plain markup, or None for any other table."""
    if _PLAIN_TABLE.fullmatch(table_html) is None:
        return None
    rows: list[list[str]] = []
    # Without the cells' own tags, only a row's end starts "</tr", only a cell's end "</t"
    # otherwise, and only a row's or a cell's opening "<t"; no attribute holds a ">".
    for row in _INLINE_TAG.sub("", table_html).split("</tr>")[:-1]:
        cells: list[str] = []
        for piece in row.split("</t")[:-1]:
            cells.append(" ".join(piece[piece.index(">", piece.rfind("<t")) + 1 :].split()))
        rows.append(cells)
    return rows


def _cell_texts(table_html: str) -> list[list[str]]:
    """Rows of cell texts of the metadata table, parsed by lxml (unless it is plain markup)."""
    plain = _plain_cell_texts(table_html)
    return plain if plain is not None else _parsed_cell_texts(table_html)


def _parsed_cell_texts(table_html: str) -> list[list[str]]:
    """Rows of cell texts of the metadata table, parsed by lxml."""
    from lxml import etree
    from lxml import html as lxml_html

    try:
        fragment = lxml_html.fragment_fromstring(table_html, create_parent="div", parser=_parser())
    except (etree.ParserError, ValueError):
        return []
    rows: list[list[str]] = []
    for tr in fragment.iter("tr"):
        rows.append([" ".join(cell.text_content().split()) for cell in tr if cell.tag in ("td", "th")])
    return rows


def _value_spans(raw: str, start: int, end: int) -> list[tuple[int, int]]:
    """Source spans of each cell's visible value (the link text, or the cell's text) in the
    table's second row, the values: the names' row before it is not read (the spans of both
    rows took a tenth of a page's reading)."""
    rows = list(itertools.islice(_ROW.finditer(raw, start, end), 3))
    if len(rows) < 2:
        return []
    row_start, row_end = rows[1].end(), rows[2].end() if len(rows) > 2 else end
    cells: list[tuple[int, int]] = []
    cell_starts = [m.end() for m in _CELL.finditer(raw, row_start, row_end)]
    for c_index, cell_start in enumerate(cell_starts):
        cell_end = cell_starts[c_index + 1] if c_index + 1 < len(cell_starts) else row_end
        link = _LINK_TEXT.search(raw, cell_start, cell_end)
        if link:
            value_start, value_end = link.span(1)
        else:
            close = raw.find("<", cell_start, cell_end)
            value_start, value_end = cell_start, close if close >= 0 else cell_end
        # Trim whitespace so that the span points at the value itself (strip tests the
        # characters as str.isspace does).
        value = raw[value_start:value_end]
        stripped = value.lstrip()
        value_start += len(value) - len(stripped)
        cells.append((value_start, value_start + len(stripped.rstrip())))
    return cells


#: A metadata table is about a kilobyte. Only its first two rows are read (the names, then the
#: values), so it is cut after them: a page of 60 MB whose table held a million rows took 2.2 GB
#: and 16 s to parse whole, and the "Appears in these articles" row of August 2011 holds links
#: whose text has raw "&"s, which only lxml reads as a browser does (its import took 25 ms in each
#: worker, for a row that is not read).
MAX_TABLE_CHARS = 64 * 1024


def _table_end(raw: str, start: int, end: int) -> int:
    """Where the metadata table ``raw[start:end]`` is read up to: the start of its third row, or
    its end (at most :data:`MAX_TABLE_CHARS` characters in)."""
    limit = min(end, start + MAX_TABLE_CHARS)
    third = next(itertools.islice(_ROW.finditer(raw, start, limit), 2, None), None)
    if third is not None:
        return third.start()
    return end if end - start <= MAX_TABLE_CHARS else limit


def _metadata(raw: str, table: re.Match[str] | None, table_end_match: re.Match[str] | None) -> Metadata:
    metadata = Metadata()
    if not table:
        return metadata
    table_end = table_end_match.end() if table_end_match else min(len(raw), table.end() + 20000)
    read_to = _table_end(raw, table.start(), table_end)
    rows = _cell_texts(raw[table.start() : read_to] + ("</table>" if read_to < table_end else ""))
    if not rows:
        return metadata
    header = [cell.strip().lower() for cell in rows[0]]
    keys = [_HEADER_KEYS.get(name) for name in header]
    if not any(keys) or len(rows) < 2:
        return metadata
    values = rows[1]
    value_spans = _value_spans(raw, table.start(), read_to)
    for index, key in enumerate(keys):
        if key is None or index >= len(values):
            continue
        setattr(metadata, key, values[index] or None)
        if index < len(value_spans):
            metadata.spans[key] = value_spans[index]
    if metadata.reference_id:
        metadata.reference_id_from = "container"
    return metadata


#: The text before the first landmark of the last page read in this process, in blocks of
#: _SIDEBAR_BLOCK characters: a site's pages open alike (a head, a sidebar of 35 KB and 1,900
#: tags) up to the first thing of their own (a link with the cable's ID, the title), and what
#: the pages share is then scanned once, not once a page.
#: Each block is kept with the newlines it holds: a page's lines are numbered from its start, and
#: the first position looked up on a page (in its cable, 60 KB in) counted the sidebar's again.
_known_sidebar: list[list[tuple[str, int]]] = [[]]
_SIDEBAR_BLOCK = 2048
#: A sidebar is remembered up to this size (what it costs to keep and to compare).
_SIDEBAR_LIMIT = 1 << 20


def _landmarks(raw: str) -> tuple[re.Match[str] | None, re.Match[str] | None, int, int]:
    """``_TABLE.search(raw)`` and ``_H3_VIEWING.search(raw)``, found in one scan of the page: the
    sidebar before them is read once, not once for each, and what of it the page before in this
    process had too is not read again.

    The page before had no landmark start in the text it shares with this one, and a match that
    ends inside that text depends on it alone: a landmark can only start there by running past
    its end. Such a match holds no ``<`` but at its start and in a heading's closing ``</h3>``,
    so it starts at one of the shared text's last two ``<``: the scan starts at the second last.

    Also an offset and the number of newlines before it in the page: the end of the remembered
    blocks it shares, their newlines counted once (or 0, 0)."""
    table = heading = None
    blocks = _known_sidebar[0]
    shared = kept = newlines = 0
    for block, block_newlines in blocks:
        if not raw.startswith(block, shared):
            break
        shared += len(block)
        newlines += block_newlines
        kept += 1
    start = max(0, raw.rfind("<", 0, max(0, raw.rfind("<", 0, shared)))) if shared else 0
    for match in _LANDMARKS.finditer(raw, start):
        if match.group("table") is not None:
            table = table or match
        else:
            heading = heading or match
        if table is not None and heading is not None:
            break
    first = min((match.start() for match in (table, heading) if match is not None), default=0)
    if shared < first <= _SIDEBAR_LIMIT:  # the blocks this page shares are kept, the rest are its own
        fresh = [raw[at : min(at + _SIDEBAR_BLOCK, first)] for at in range(shared, first, _SIDEBAR_BLOCK)]
        counted = [(block, block.count("\n")) for block in fresh]
        _known_sidebar[0] = [*blocks[:kept], *counted]
        shared = first
        newlines += sum(block_newlines for _, block_newlines in counted)
    return table, heading, shared, newlines


def read(raw: str, path: str) -> list[Document | ReadProblem]:
    """Read one cablegate page (already decoded to text)."""
    if len(raw) > MAX_PAGE_CHARS:
        return [ReadProblem(path, f"page of {len(raw):,} characters is beyond the limit")]
    table, heading, counted, newlines = _landmarks(raw)
    table_end_match = _TABLE_END.search(raw, table.end()) if table else None
    metadata = _metadata(raw, table, table_end_match)
    if heading:
        metadata.subject = " ".join(heading.group("subject").split()) or None
        if not metadata.reference_id:
            metadata.reference_id = heading.group("id").strip()
            metadata.spans["reference_id"] = heading.span("id")
            metadata.reference_id_from = "container"
    if not metadata.reference_id:
        from_name = reference_id_from_filename(path)
        if from_name:
            metadata.reference_id = from_name
            metadata.reference_id_from = "filename"

    blocks: list[tuple[int, int]] = []
    search_from = 0
    if table:
        search_from = table_end_match.end() if table_end_match else table.end()
    for opening in _PRE_OPEN.finditer(raw, search_from):
        if blocks and opening.start() < blocks[-1][1]:
            continue
        closing = _PRE_CLOSE.search(raw, opening.end())
        blocks.append((opening.end(), closing.start() if closing else len(raw)))
        if not closing:
            break
    if not blocks:
        return [_flow_document(raw, path, metadata)]

    pieces: list[str] = []
    anchors: AnchorPairs = []
    produced = 0
    body_start: int | None = None
    # The first block is the header, the rest the body; a page with one block is body only.
    for index, (start, end) in enumerate(blocks):
        if index > 0:
            separator = "\n\n"
            pieces.append(separator)
            anchors.extend([(produced, start)])
            produced += len(separator)
            if index == 1:
                body_start = produced
        text, block_anchors = _decode_block(raw, start, end, produced)
        pieces.append(text)
        anchors = extended(anchors, block_anchors, len(raw))
        produced += len(text)
    if len(blocks) == 1:
        body_start = 0
    text = "".join(pieces)
    source_map = SourceMap(raw, anchors)
    source_map.count_lines_from(counted, newlines)
    return [
        Document(
            text=text,
            path=path,
            format="html",
            source_map=source_map,
            metadata=metadata,
            body_start=body_start,
        )
    ]


_BR = _regex.compile(r"<br\b[^<>]{0,200}>", re.I)
_LINE_END = _regex.compile(r"\n|&#[xX]0*[aA];|&#0*10;|&NewLine;")


def _decode_block(raw: str, start: int, end: int, produced: int) -> tuple[str, AnchorPairs]:
    """A ``<pre>`` block's text. A block whose only line breaks are ``<br>`` tags (a blog editor's
    "preformatted" block) has them read as line ends; anywhere else a ``<br>`` in a ``<pre>`` is
    left for T504, as damage of the text."""
    if _LINE_END.search(raw, start, end) is not None or _BR.search(raw, start, end) is None:
        return _artefacts.decode(raw, start, end, markup=True, text_offset=produced)
    pieces: list[str] = []
    anchors: AnchorPairs = []
    position = start
    for line_end in itertools.chain(_BR.finditer(raw, start, end), [None]):
        stop = line_end.start() if line_end is not None else end
        text, line_anchors = _artefacts.decode(raw, position, stop, markup=True, text_offset=produced)
        pieces.append(text)
        anchors = extended(anchors, line_anchors, len(raw))
        produced += len(text)
        if line_end is None:
            break
        pieces.append("\n")
        anchors.extend([(produced, line_end.start())])
        produced += 1
        position = line_end.end()
    return "".join(pieces), anchors


def _flow_document(raw: str, path: str, metadata: Metadata) -> Document:
    """A page with no ``<pre>`` (a blog's, a newspaper's, another site's): its text as a browser
    shows it, read as text copied from a page, with a metadata block if it holds one (a cable it
    does not hold is the engine's E002). A fix is not offered: an edit of the text is one of the
    page's markup, which the text does not show."""
    text, anchors = flow_text(raw)
    source_map = SourceMap(raw, anchors)
    cable_start = 0
    if metadata.reference_id_from != "container":  # (the page's own table or heading comes first)
        metadata, cable_start = pasted_metadata(text, source_map, path)
    return Document(
        text=text,
        path=path,
        format="html",
        source_map=source_map,
        metadata=metadata,
        cable_start=cable_start,
        fixable=False,
    )
