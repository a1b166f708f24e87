"""Text files: scraped pages, scraped ``<pre>`` bodies and plain (PDF-derived) cable text.

* **page-text**: text copied from a cable page, like the seed: site text, then the line
  ``Reference ID Created Released Classification Origin`` and its values, then the cable. The
  site text stays in the document (the leading-site-text rule reports it); the metadata block is
  read into :class:`Metadata` and the cable starts after it.
* **pre-text**: the body ``<code><pre>…</pre></code>`` element of a page with real newlines and
  the site's links and ``¶`` anchors kept; they are decoded like a page's ``<pre>``.
* **text**: anything else, e.g. PDF-to-text output (CRLF, Latin-1, ``¶`` before labels).
"""

from __future__ import annotations

import bisect
import itertools
import os
import re
from pathlib import PurePath

from .. import _regex
from ..document import AnchorPairs, Document, LineIndex, Metadata, SourceMap
from . import _artefacts

_PRE_START = _regex.compile(r"^\s{0,20}(?:<code>\s*)?<pre\b[^<>]{0,200}>", re.I)
#: The blanks after ``</pre>`` are taken possessively (``\s*+``): what may follow them, ``</code>`` or
#: the end, does not start with a blank, so no match is lost, and a ``</pre>`` followed by a long
#: run of blanks and then text is no longer tried once per split of the run (quadratic: 200,000
#: spaces took minutes).
_PRE_END = _regex.compile(r"</pre\s*>\s*+(?:</code\s*>)?\s*$", re.I)


def _pre_end(raw: str, start: int) -> re.Match[str] | None:
    """``_PRE_END.search(raw, start)``, trying only where a match can start. Between a match's
    ``</pre`` and the end stand only blanks and ``</code>``: it opens at the last ``</`` of the
    text or, before a ``</code>``, at the one before. (The search tried every ``<`` of the page.)"""
    last = raw.rfind("</", start)
    if last < 0:
        return None
    before = raw.rfind("</", start, last)
    if before >= 0:
        match = _PRE_END.match(raw, before)
        if match is not None:
            return match
    return _PRE_END.match(raw, last)


_META_HEADER = _regex.compile(
    r"^[ \t]*Reference[ \t]+ID\s+Created\s+(?:Released\s+)?Classification\s+Origin[ \t]*$",
    re.M | re.I,
)
_CLASSIFICATION_VALUE = (
    r"(?i:UNCLASSIFIED//FOR OFFICIAL USE ONLY|CONFIDENTIAL//NOFORN|SECRET//NOFORN|UNCLASSIFIED|"
    r"CONFIDENTIAL|SECRET|[A-Z/ ]{3,40}?)"
)
_STAMP = r"[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?"
_META_VALUES = _regex.compile(
    r"^[ \t]*(?P<reference_id>[0-9A-Za-z]{4,50})\s+(?P<created>" + _STAMP + r")"
    r"(?:\s+(?P<released>" + _STAMP + r"))?\s+(?P<classification>" + _CLASSIFICATION_VALUE + r")"
    r"\s+(?P<origin>[^\n\t]{2,80}?)[ \t]*$",
    re.M,
)
_FILENAME_ID = _regex.compile(r"^([0-9]{2}[A-Z][A-Z0-9]{2,45}?[0-9]+)(?:[._-].*)?$")


def reference_id_from_filename(path: str) -> str | None:
    """``cables/04MADRID893.txt`` -> ``04MADRID893`` when the stem is shaped like an ID."""
    # The last part of a POSIX path, as PurePath names it (without parsing the path).
    stem = path.rpartition("/")[2] if os.sep == "/" else ""
    if stem in ("", "."):
        stem = PurePath(path).name
    match = _FILENAME_ID.match(stem.split(".")[0])
    return match.group(1) if match else None


def looks_like_pre_text(head: str) -> bool:
    return bool(_PRE_START.match(head))


#: A line break between two cells copied one per line.
_CELL_BREAK = _regex.compile(r"[ \t]*\n[ \t]*(?=\S)")


#: What follows a newline that ``_CELL_BREAK`` joins.
_AFTER_CELL_BREAK = _regex.compile(r"[ \t]*(?=\S)")


def _first_joined_line(window: str, cells: int = 7) -> str:
    """The first line of the window after up to ``cells - 1`` cell breaks are joined. Every break
    holds one newline: where the first newline is not one, the first line is as written, and the
    join (a scan of the whole window, every character tried) is not needed."""
    first = window.find("\n")
    if first < 0 or _AFTER_CELL_BREAK.match(window, first + 1) is None:
        return window if first < 0 else window[:first]
    return _CELL_BREAK.sub(" ", window, count=cells - 1).split("\n", 1)[0]


#: The metadata table of WikiLeaks' Public Library of US Diplomacy (PlusD) copied as text: a
#: row a label, ``Canonical ID:`` first, the cable's date as a line of its own before it.
_PLUSD_ID = _regex.compile(
    r"^[ \t]*Canonical ID:[ \t]*(?P<id>[0-9]{2}[A-Z][A-Z0-9]{1,45}?[0-9]+)(?:_[a-z]{1,2})?[ \t]*$", re.M
)
_PLUSD_ROW = _regex.compile(r"[ \t]*[A-Z][A-Za-z ]{1,40}:?\t[^\n]*\n")
_PLUSD_CLASSIFICATION = _regex.compile(
    r"^[ \t]*Original Classification:[ \t]*(?P<value>[A-Z][A-Z/ ]{2,40}?)[ \t]*$", re.M
)
_PLUSD_DATE = _regex.compile(
    r"^[ \t]*Date:[ \t]*(?P<value>(?P<year>(?:19|20)[0-9]{2}) (?P<month>[A-Z][a-z]{2,8}) (?P<day>[0-9]{1,2}), "
    r"(?P<time>[0-9]{1,2}:[0-9]{2}))",
    re.M,
)
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
         "November", "December"),
        1,
    )
}  # fmt: skip


def _plusd_block(text: str) -> tuple[Metadata, int] | None:
    """The PlusD table (see :data:`_PLUSD_ID`): the ID without PlusD's ``_a``, the original
    classification and the date, and the offset after the table's last row."""
    found = _PLUSD_ID.search(text, 0, min(len(text), 200000))
    if found is None:
        return None
    metadata = Metadata(reference_id=found.group("id"), reference_id_from="container")
    metadata.spans["reference_id"] = found.span("id")
    end = found.end() + 1
    while (row := _PLUSD_ROW.match(text, end)) is not None:
        end = row.end()
    classification = _PLUSD_CLASSIFICATION.search(text, found.start(), end)
    if classification is not None:
        metadata.classification = classification.group("value")
        metadata.spans["classification"] = classification.span("value")
    date = _PLUSD_DATE.search(text, max(0, found.start() - 2000), found.start())
    if date is not None and date.group("month") in _MONTHS:
        hour, minute = date.group("time").split(":")
        month = _MONTHS[date.group("month")]
        metadata.created = f"{date.group('year')}-{month:02d}-{int(date.group('day')):02d} {int(hour):02d}:{minute}"
        metadata.spans["created"] = date.span("value")
    return metadata, min(end, len(text))


def metadata_block(text: str) -> tuple[Metadata, int] | None:
    """Find the pasted metadata table; return it and the offset just after its values."""
    header = _META_HEADER.search(text, 0, min(len(text), 200000))
    if not header:
        return _plusd_block(text)
    # Values follow on the next line; cells copied one per line are joined first.
    window_end = min(len(text), header.end() + 600)
    window = text[header.end() : window_end].lstrip("\n")
    # The values on one line as written come first: a joined line took the rows after them
    # ("Appears in these articles:", its links) into the Origin, and matched nothing.
    newline = window.find("\n")
    match = _META_VALUES.match((window if newline < 0 else window[:newline]) + "\n")
    # Else the cells copied one a line, as many as the header's (four without Released).
    cells = 5 if "released" in header.group().lower() else 4
    for joined in (cells, 7):
        match = match or _META_VALUES.match(_first_joined_line(window, joined) + "\n")
    metadata = Metadata()
    if not match:
        return metadata, header.end()
    # Map the joined values back: find each value in the raw window, in order.
    cursor = header.end()
    for key in ("reference_id", "created", "released", "classification", "origin"):
        value = match.group(key)
        if value is None:
            continue
        value = value.strip()
        setattr(metadata, key, value)
        found = text.find(value, cursor, window_end)
        if found >= 0:
            metadata.spans[key] = (found, found + len(value))
            cursor = found + len(value)
    metadata.reference_id_from = "container"
    end_of_values = text.find("\n", cursor)
    return metadata, (len(text) if end_of_values < 0 else end_of_values + 1)


#: A quoting prefix of a mail or a post: ``>`` (after up to three blanks), as often as the
#: quote is nested, each with the blank after it.
_QUOTE_PREFIX = _regex.compile(r"^[ \t]{0,3}>(?:[ \t]?>)*[ \t]?", re.M)
#: Lines looked at to tell a quoted text: a mail's quote starts within its headers' reach.
_QUOTE_SAMPLE = 400


def _is_quoted(text: str) -> bool:
    """Most lines (of the first few hundred that are not blank) start with ``>``: a cable quoted
    in a mail, a post or a forum's reply."""
    # (The split's last item is the rest of the text, left out.)
    lines = [line for line in text.split("\n", _QUOTE_SAMPLE * 2)[: _QUOTE_SAMPLE * 2] if line.strip()][:_QUOTE_SAMPLE]
    quoted = sum(1 for line in lines if line.lstrip(" \t").startswith(">"))
    return len(lines) >= 10 and quoted * 5 >= len(lines) * 3


def _unquoted(text: str, source_map: SourceMap) -> tuple[str, AnchorPairs, int]:
    """``text`` without its quoting prefixes, anchors that map it to the source through
    ``source_map`` (which maps ``text``), and the offset in it where the lines quoted the most
    (the cable's) end: the prefixes are a transport's, not the cable's, and a caption, TAGS or
    SUBJECT line behind one was not read."""
    kept: list[tuple[int, int]] = []  # (start, end) in text of each piece kept
    position = 0
    removed = 0  # characters of prefixes removed so far
    deepest, deepest_end = 0, 0  # the most ">" of a prefix, and where its last line starts (unquoted)
    for prefix in _QUOTE_PREFIX.finditer(text):
        if prefix.start() > position:
            kept.append((position, prefix.start()))
        removed += prefix.end() - prefix.start()
        depth = prefix.group().count(">")
        if depth >= deepest:
            deepest, deepest_end = depth, prefix.end() - removed
        position = prefix.end()
    if position < len(text):
        kept.append((position, len(text)))
    inner = source_map.anchors
    inner_texts = [anchor[0] for anchor in inner]
    anchors: list[tuple[int, int]] = []
    produced = 0
    for start, end in kept:
        anchors.append((produced, source_map.source_offset(start)))
        # The source map's own anchors inside the piece (a CRLF, a pilcrow), moved with it.
        first = bisect.bisect_right(inner_texts, start)
        last = bisect.bisect_left(inner_texts, end)
        anchors.extend((produced + inner[index][0] - start, inner[index][1]) for index in range(first, last))
        produced += end - start
    unquoted = "".join(text[start:end] for start, end in kept)
    line_end = unquoted.find("\n", deepest_end)
    return unquoted, anchors or [(0, 0)], len(unquoted) if line_end < 0 else line_end + 1


def pasted_metadata(text: str, source_map: SourceMap, path: str) -> tuple[Metadata, int]:
    """The metadata table pasted in ``text`` (its spans as offsets in ``source_map``'s source)
    and the offset after it; else the ID the file's name gives, and 0."""
    found = metadata_block(text)
    metadata, cable_start = found if found is not None else (Metadata(), 0)
    metadata.spans = {
        key: (source_map.source_offset(a), source_map.source_offset(b)) for key, (a, b) in metadata.spans.items()
    }
    if not metadata.reference_id:
        from_name = reference_id_from_filename(path)
        if from_name:
            metadata.reference_id = from_name
            metadata.reference_id_from = "filename"
    return metadata, cable_start


def read_text(raw: str, path: str) -> Document:
    """A page-text or plain text file (already decoded); a quoted one is read without its
    quoting prefixes."""
    text, anchors = _artefacts.decode(raw, markup=False)
    source_map = SourceMap(raw, anchors) if len(anchors) > 1 else SourceMap.identity(raw)
    quoted_end = None
    if ">" in text and _is_quoted(text):
        text, anchors, quoted_end = _unquoted(text, source_map)
        source_map = SourceMap(raw, anchors)
    return _text_document(text, source_map, path, quoted_end=quoted_end)


def _text_document(
    text: str, source_map: SourceMap, path: str, *, quoted_end: int | None = None, record: int | None = None
) -> Document:
    """A text's document, under the metadata table pasted in it (when there is one)."""
    metadata, cable_start = pasted_metadata(text, source_map, path)
    fmt = "page-text" if metadata.reference_id_from == "container" or cable_start else "text"
    return Document(
        text=text,
        path=path,
        format=fmt,
        source_map=source_map,
        metadata=metadata,
        cable_start=cable_start,
        quoted_end=quoted_end,
        record=record,
    )


#: How the heading of a further metadata table opens, as pages and exports write it: each place
#: found is read with :data:`_META_HEADER` from its line's start (a find is a tenth of the
#: pattern's search, which tries every character of the text).
_HEADING_OPENINGS = ("Reference", "REFERENCE", "reference")


def _heading_lines(text: str, after: int) -> list[int]:
    """The starts of the lines past ``after`` that are the heading of a metadata table."""
    found: set[int] = set()
    for opening in _HEADING_OPENINGS:
        at = text.find(opening, after)
        while at >= 0:
            line_start = text.rfind("\n", 0, at) + 1
            if line_start > after and _META_HEADER.match(text, line_start) is not None:
                found.add(line_start)
            at = text.find(opening, at + len(opening))
    return sorted(found)


#: A text is cut into at most this many cables (a 64 MB dump, the largest file read whole, of
#: cables of 3 KB), and a piece shorter than this is no cable of its own: each piece that holds
#: no cable is kept until the file is done (for E002), some 5 KB each, so that a text of nothing
#: but tables takes no more than one document of it did.
_MAX_CABLES = 20_000
_MIN_CABLE_CHARS = 256


def read_texts(raw: str, path: str) -> list[Document]:
    """:func:`read_text`, or one document a cable for a text that holds several, one after
    another, each under its own pasted metadata table (a dump of page texts or exports): each
    is linted as the cable it is, and a text of thousands takes the memory of one. A table whose
    reference ID is the one before's (a cut preview and the page again, T509's) or that gives
    none stays in the cable before it. Each cable is a record, numbered from 1 in the file."""
    whole = read_text(raw, path)
    spans = _cable_spans(whole, raw, path)
    if spans is None:
        return [whole]
    lines = LineIndex(raw)
    return [_piece_document(raw, start, end, path, record, 1, lines) for record, (start, end) in enumerate(spans, 1)]


def cable_pieces(raw: str, path: str) -> list[tuple[int, int, int, int]] | None:
    """The cables of a text that :func:`read_texts` reads as several, each as ``(record,
    first_line, start, end)``: its number, the line of the file it starts on, and its span of
    ``raw``. :func:`documents_from_pieces` reads each span as :func:`read_texts` reads it (a large
    dump is linted a share of its cables in each worker). None for a text of one document."""
    spans = _cable_spans(read_text(raw, path), raw, path)
    if spans is None:
        return None
    lines = LineIndex(raw).starts()
    # A cut is at a line's start, in the source as in the text: the piece's lines are the file's
    # from that one on, and its positions (line, column) those the whole text gives.
    return [(record, bisect.bisect_right(lines, start), start, end) for record, (start, end) in enumerate(spans, 1)]


def documents_from_pieces(pieces: list[tuple[int, int, str]], path: str) -> list[Document]:
    """The documents of :func:`cable_pieces`' cables, each given as ``(record, first_line,
    source)``, its span's text."""
    return [_piece_document(source, 0, len(source), path, record, first_line) for record, first_line, source in pieces]


def _cable_spans(whole: Document, raw: str, path: str) -> list[tuple[int, int]] | None:
    """The spans of ``raw`` (the source of ``whole``, its :func:`read_text`) that are a cable
    each, in order (see :func:`read_texts`), or None when it is one document."""
    if whole.quoted_end is not None or whole.metadata.reference_id_from != "container":
        return None
    text = whole.text
    starts = _heading_lines(text, whole.cable_start)
    if not starts:
        return None
    cuts = [0]
    previous_id = whole.metadata.reference_id
    previous_start = 0
    for start in starts:
        if start - previous_start < _MIN_CABLE_CHARS:
            previous_start = start
            continue
        previous_start = start
        found = metadata_block(text[start : start + 4096])
        reference_id = found[0].reference_id if found is not None else None
        if reference_id and reference_id != previous_id:
            cuts.append(start)
            previous_id = reference_id
            if len(cuts) == _MAX_CABLES:
                break  # the rest is the last cable's, as a text of one cable is read
    if len(cuts) == 1:
        return None
    cuts.append(len(text))
    source_map = whole.source_map
    # Each piece is decoded from its own span of the source, as the whole was (a cut is at a
    # line's start, never inside a CRLF or a paragraph label).
    return [
        (source_map.source_offset(start), source_map.source_offset(end) if end < len(text) else len(raw))
        for start, end in itertools.pairwise(cuts)
    ]


def _piece_document(
    source: str, start: int, end: int, path: str, record: int, first_line: int, lines: LineIndex | None = None
) -> Document:
    """The document of one cable of a text of several: ``source[start:end]``, ``source`` starting
    on line ``first_line`` of the file (``lines``: its line index, shared by its pieces)."""
    piece, anchors = _artefacts.decode(source, start, end, markup=False)
    # (Every piece holds a table that reads: each is "page-text".)
    return _text_document(piece, SourceMap(source, anchors, first_line=first_line, lines=lines), path, record=record)


def read_pre_texts(raw: str, path: str) -> list[Document]:
    """A scraped ``<code><pre>`` body with real newlines; or, for a text of several such bodies
    one after another (scraped bodies put in one file), one document a body, each a record
    numbered from 1 in the file. Read as one, the later cables were the first one's text and
    their ``</pre>`` and ``<pre>`` tags markup in it."""
    opening = _PRE_START.match(raw)
    start = opening.end() if opening else 0
    closing = _pre_end(raw, start)
    end = closing.start() if closing else len(raw)
    text, anchors = _artefacts.decode(raw, start, end, markup=True)
    source_map = SourceMap(raw, anchors)
    joins = _pre_joins(text)
    if not joins:
        return [_pre_text_document(text, source_map, path, reference_id_from_filename(path))]
    # The file's name names one cable at most: none of its bodies takes an ID from it. Each body
    # is decoded from its own span of the source, as the whole was (no token the decoding
    # replaces holds a "<" but at its start: none spans a join's tags).
    lines = LineIndex(raw)
    bounds = [0, *(offset for join in joins for offset in join.span()), len(text)]
    documents = []
    for record, (piece_start, piece_end) in enumerate(zip(bounds[::2], bounds[1::2], strict=True), 1):
        source_start = source_map.source_offset(piece_start)
        source_end = source_map.source_offset(piece_end) if piece_end < len(text) else end
        piece, piece_anchors = _artefacts.decode(raw, source_start, source_end, markup=True)
        documents.append(
            _pre_text_document(piece, SourceMap(raw, piece_anchors, lines=lines), path, None, record=record)
        )
    return documents


#: Where one ``<pre>`` body ends and the next opens, in a text of several: ``</pre>`` and
#: ``</code>``, then ``<code>`` and ``<pre ...>``, with blanks between (possessive: no backtracking
#: into a long run of them).
_PRE_JOIN = _regex.compile(r"</pre\s*>\s*+(?:</code\s*>\s*+)?(?:<code>\s*+)?<pre\b[^<>]{0,200}>", re.I)
#: Joins of ``<pre>`` bodies looked at in one text (see :func:`_pre_joins`).
_MAX_PRE_JOINS = 4 * _MAX_CABLES


def _pre_joins(text: str) -> list[re.Match[str]]:
    """The joins of :data:`_PRE_JOIN` in a decoded ``<pre>`` body that part two bodies. The tags
    between two bodies are no site artefact: the decoding keeps them, and a body that is one
    cable's holds no "<" at all (a find in C; the source has its links).

    A body shorter than :data:`_MIN_CABLE_CHARS` holds no cable: it stays in the body before it
    (the first, in the one after it), its tags markup for markup-leftover to report. At most
    :data:`_MAX_CABLES` bodies, and joins looked at among the first :data:`_MAX_PRE_JOINS`: the
    rest is the last body's, as a text of one body is read (a text of nothing but tags is not
    gone through a join at a time)."""
    first = text.find("<")
    if first < 0:
        return []
    joins: list[re.Match[str]] = []
    piece_start = 0  # where the body the next cut would end starts
    pending: re.Match[str] | None = None  # a join with a body long enough before it
    for join in itertools.islice(_PRE_JOIN.finditer(text, first), _MAX_PRE_JOINS):
        at = join.start()
        if pending is not None:
            if at - pending.end() >= _MIN_CABLE_CHARS:  # and one long enough after it
                joins.append(pending)
                piece_start = pending.end()
                if len(joins) == _MAX_CABLES - 1:
                    return joins
            pending = None
        if at - piece_start >= _MIN_CABLE_CHARS:
            pending = join
    if pending is not None and len(text) - pending.end() >= _MIN_CABLE_CHARS:
        joins.append(pending)
    return joins


def _pre_text_document(
    text: str, source_map: SourceMap, path: str, reference_id: str | None, record: int | None = None
) -> Document:
    """The document of a decoded ``<pre>`` body."""
    metadata = Metadata()
    if reference_id:
        metadata.reference_id = reference_id
        metadata.reference_id_from = "filename"
    return Document(
        text=text,
        path=path,
        format="pre-text",
        source_map=source_map,
        metadata=metadata,
        body_start=0,
        record=record,
    )
