"""CSV in the layout of the 2011 ``cables.csv``.

Eight columns ``id, created, reference_id, origin, classification, references, header, body``;
comma-separated, ``"``-quoted, **backslash** escapes (a newline inside a field is written as a
backslash and a newline, as MySQL's ``SELECT ... INTO OUTFILE`` does), doubled quotes accepted,
dates ``M/D/YYYY H:MM``, fields of any size (Python's csv module refuses fields over 128 KB by
default; this reader has no such limit but ``--max-record-size``).

A stream is read a block at a time and each record found in the block by its quotes and line ends
(:func:`stream_records`); a record longer than a block is assembled line by line, only until its
quotes balance. Memory stays proportional to the largest record, never to the file.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from typing import TextIO

from .. import _regex
from ..document import LINE_BREAK, AnchorPairs, Anchors, Document, Metadata, ReadProblem, SourceMap, extended
from ._artefacts import escape_ends
from ._decode import bounded_lines

COLUMNS = ("id", "created", "reference_id", "origin", "classification", "references", "header", "body")

_QUOTE_TOKEN = _regex.compile(r'\\.|\\$|"', re.S)
_UNQUOTED = _regex.compile(r'(?:[^,"\\\r\n]++|\\\r\n|\\.)*+', re.S)
_FIELD_DECODE = _regex.compile(
    # An escaped line end of a CRLF file is one: a backslash, CR and LF (the CR alone was taken as
    # the escaped character, the LF then made a second line).
    r'\\(?P<escaped>\r\n?|.)|(?P<dq>"")|(?P<crlf>\r\n?)'
    r"|(?P<pil>¶(?=[ \t]{0,3}(?:[0-9]{1,3}[a-z]?|[A-Za-z])[.)]))",
    re.S,
)
_CSV_DATE = _regex.compile(r"^\s*[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}\s+[0-9]{1,2}:[0-9]{2}")


def looks_like(head: str) -> bool:
    """First record: an integer id, a ``M/D/YYYY H:MM`` date, then an ID-shaped field."""
    first = head.split("\n", 1)[0]
    if first.lower().replace(" ", "").startswith("id,created,reference_id"):
        return True
    match = re.match(r'^"?([0-9]{1,7})"?,"?([^,"]{6,20})"?,"?([0-9A-Z]{4,60})"?,', first)
    return bool(match and _CSV_DATE.match(match.group(2)))


#: A line that ends in an escaped line end, the ``\\`` alone in a final line, as _QUOTE_TOKEN
#: finds them.
_ESCAPED_LINE_ENDS = ("\\\n", "\\\r\n", "\\\r", "\\")


def _records(lines: Iterable[str], max_chars: int | None, first: int = 1) -> Iterator[tuple[int, str | None]]:
    """Assemble physical lines into records: ``(first_line, text)``; text None when runaway.
    ``first``: the number of the first line."""
    buffer: list[str] = []
    size = 0
    start_line = 0
    in_quotes = False
    for number, line in enumerate(lines, first):
        if not buffer:
            start_line = number
        buffer.append(line)
        size += len(line)
        escapes = line.count("\\")
        if not escapes or (escapes == 1 and line.endswith(_ESCAPED_LINE_ENDS)):
            # No backslash but the one that escapes the line end (every line of a field in
            # cables.csv): every quote toggles, in C; the token loop took a fifth of a record's read.
            in_quotes ^= line.count('"') % 2 == 1
            escaped_newline = escapes == 1
        else:
            escaped_newline = False
            for token in _QUOTE_TOKEN.finditer(line):
                text = token.group()
                if text == '"':
                    in_quotes = not in_quotes
                elif text in ("\\\n", "\\\r", "\\"):
                    escaped_newline = True
        if (in_quotes or escaped_newline) and (max_chars is None or size <= max_chars):
            continue
        if in_quotes or (max_chars is not None and size > max_chars):
            yield start_line, None
            in_quotes = False
        else:
            yield start_line, "".join(buffer)
        buffer, size = [], 0
    if buffer:
        yield start_line, (None if in_quotes else "".join(buffer))


#: Characters read from a stream at a time by :func:`stream_records`; a record still open after
#: this many more is read line by line from there on (see :func:`stream_records`).
_BLOCK = 1 << 20
#: The smallest record size limit at which :func:`stream_records` reads blocks: a block and an
#: open record's start fit under it, so no record it finds, and no line of one, is over the limit.
_BLOCKS_FROM = 4 * _BLOCK
#: Everything between an unquoted field's start and its next quote, backslash or line end.
_PLAIN = _regex.compile(r'[^"\\\r\n]*+')


def _closing_quote(text: str, opening: int) -> int:
    """The quote that closes the quoted stretch opened at ``opening``: the next quote that no
    backslash escapes and no quote doubles (``""`` stands for a quote inside it); -1 when none
    does. An odd run of backslashes before a quote escapes it: a run starts after a character
    that is not a backslash, which no escape starts with, so its backslashes pair up from its
    start. Found with ``str.find``: a pattern stopped at each backslash that escapes a line end."""
    find = text.find
    close = opening
    while True:
        close = find('"', close + 1)
        if close < 0:
            return -1
        run = close - 1
        while text[run] == "\\":  # stops at the opening quote at the latest
            run -= 1
        if (close - 1 - run) % 2:
            continue
        if text.startswith('"', close + 1):
            close += 1  # a doubled quote
            continue
        return close


def _record_end(text: str, position: int, at_end: bool) -> int:
    """Where the record that starts at ``position`` ends, after its line end, as :func:`_records`
    assembles it; -1 when ``text`` ends first (``at_end``: nothing follows it, so a final CR is a
    line end, not maybe half of a CRLF).

    A backslash escapes the character after it (a CRLF after it whole), a quote not escaped
    opens or closes a quoted stretch (a doubled quote closes and opens it again), and a line end
    outside one, not escaped, ends the record."""
    length = len(text)
    plain = _PLAIN.match
    while True:
        position = plain(text, position).end()  # type: ignore[union-attr]  # (matches the empty string)
        if position >= length:
            return -1
        char = text[position]
        if char == '"':
            close = _closing_quote(text, position)
            if close < 0:
                return -1
            position = close + 1
        elif char == "\\":
            escaped = position + 1
            if escaped >= length or (text[escaped] == "\r" and escaped + 1 >= length and not at_end):
                return -1
            position = escaped + (2 if text.startswith("\r\n", escaped) else 1)
        elif char == "\n":
            return position + 1
        elif position + 1 < length:  # a CR
            return position + (2 if text[position + 1] == "\n" else 1)
        else:
            return length if at_end else -1


def _line_count(record: str) -> int:
    """The physical lines of a record that ends in a line end: its LFs, CRLFs and lone CRs (what a
    text stream reads as line ends). A record without a CR, nearly every one, is counted once."""
    lines = record.count("\n")
    if "\r" in record:
        lines += record.count("\r") - record.count("\r\n")
    return lines


def stream_records(
    stream: TextIO, max_chars: int | None, pending: str = "", number: int = 1
) -> Iterator[tuple[int, str | None]]:
    """``_records(bounded_lines(stream, max_chars), max_chars)``, read a block at a time: each
    record is found by :func:`_record_end` (a search for each of its quotes, in C: cables.csv's
    lines each end in an escaped line end, and assembling them one by one took most of the main
    process's time on a large file) and its lines counted in C.

    What the blocks cannot hold is read line by line as before, from where it starts: a record
    still open a block after its start (a runaway quote, a record of megabytes), or, when the
    size limit is under :data:`_BLOCKS_FROM`, the whole stream. The end of the stream, a record
    without a line end or an open quote, is assembled from its lines.

    ``pending``: text read from the stream already, to go before the rest; ``number``: the line it
    starts on."""
    if max_chars is not None and max_chars < _BLOCKS_FROM:
        yield from _records(
            bounded_lines(_PutBack(pending, stream) if pending else stream, max_chars), max_chars, number
        )
        return
    # ``pending``: the start of a record that the blocks read so far do not end; ``number``: the
    # line it starts on.
    while True:
        block = stream.read(_BLOCK)
        text = pending + block if pending else block
        at_end = not block
        position = 0
        while (end := _record_end(text, position, at_end)) >= 0:
            record = text[position:end]
            yield number, record
            number += _line_count(record)
            position = end
        pending = text[position:]
        if at_end:
            if pending:
                yield from _records(_physical_lines(pending), max_chars, number)
            return
        if len(pending) > _BLOCK:
            yield from _records(bounded_lines(_PutBack(pending, stream), max_chars), max_chars, number)
            return


#: A line as a text stream that keeps line ends as they are reads it: up to and with its LF, CRLF
#: or lone CR, or the last line without one.
_PHYSICAL_LINE = _regex.compile(r"[^\r\n]*+(?:\r\n?|\n)|[^\r\n]++")


def _physical_lines(text: str) -> list[str]:
    """The lines of ``text`` as ``io.StringIO(text, newline="")`` gives them."""
    return _PHYSICAL_LINE.findall(text)


class _PutBack:
    """A text stream (line ends kept as they are) with ``text`` put back before what is left of
    ``stream``: its lines read as the stream would have given them from where ``text`` started,
    for :func:`bounded_lines`."""

    def __init__(self, text: str, stream: TextIO) -> None:
        self._text = text
        self._stream = stream

    def __iter__(self) -> Iterator[str]:
        while line := self.readline():
            yield line

    def readline(self, size: int = -1, /) -> str:
        text = self._text
        if not text:
            return self._stream.readline(size)
        limit = len(text) if size < 0 else min(size, len(text))
        line_end = LINE_BREAK.search(text, 0, limit)
        if line_end is not None and (line_end.end() < len(text) or text[-1] == "\n"):
            self._text = text[line_end.end() :]
            return text[: line_end.end()]
        if 0 <= size <= len(text):  # no line end in the first ``size`` characters (a CR last, maybe half a CRLF)
            self._text = text[size:]
            return text[:size]
        self._text = ""
        if text[-1] == "\r":  # a line end, or the first half of one
            after = self._stream.read(1)
            if after == "\n":
                return text + after
            self._text = after
            return text
        return text + self._stream.readline(size - len(text) if size >= 0 else -1)


def _split(record: str) -> list[tuple[int, int, bool]] | None:
    """Field spans ``(start, end, quoted)`` of the record's content, or None when malformed."""
    fields: list[tuple[int, int, bool]] = []
    position = 0
    end = len(record.rstrip("\r\n"))
    while True:
        if position < end and record[position] == '"':
            close = _closing_quote(record, position)
            if close < 0:
                return None
            fields.append((position + 1, close, True))
            position = close + 1
        else:
            match = _UNQUOTED.match(record, position)
            assert match is not None  # the pattern matches the empty string
            fields.append((match.start(), match.end(), False))
            position = match.end()
        if position >= end:
            return fields
        if record[position] != ",":
            return None
        position += 1


#: A field longer than this keeps its anchors as :class:`Anchors` (8 bytes an anchor, where a list
#: of tuples took about 120) and joins its text a block of pieces at a time: a 19 MB field of
#: doubled quotes held 1.15 GB once read, 1.31 GB at the peak.
_COMPACT = 1 << 18
#: The pieces of a long field's text joined this many at a time.
_JOIN = 1 << 16


def _replacement(match: re.Match[str]) -> str:
    kind = match.lastgroup
    if kind == "escaped":
        replacement = match.group("escaped")
        return "\n" if replacement[:1] == "\r" else replacement
    if kind == "dq":
        return '"'
    if kind == "crlf":
        return "\n"
    return ""


def _decode_field(record: str, start: int, end: int, text_offset: int) -> tuple[str, AnchorPairs]:
    if end - start > _COMPACT:
        return _decode_long_field(record, start, end, text_offset)
    field = record[start:end]
    if (
        "\\\\" not in field
        and not field.endswith("\\")
        and "\r" not in field
        and "¶" not in field
        and '""' not in field
    ):
        return _decode_escapes(field, start, text_offset)
    return _decode_tokens(record, start, end, text_offset)


def _decode_tokens(record: str, start: int, end: int, text_offset: int) -> tuple[str, AnchorPairs]:
    """:func:`_decode_field` token by token: any field, escapes, doubled quotes and all."""
    pieces: list[str] = []
    anchors = [(text_offset, start)]
    produced = text_offset
    position = start
    for match in _FIELD_DECODE.finditer(record, start, end):
        replacement = _replacement(match)
        token_start, token_end = match.span()
        pieces.append(record[position:token_start])
        produced += token_start - position
        pieces.append(replacement)
        produced += len(replacement)
        position = token_end
        anchors.append((produced, token_end))
    pieces.append(record[position:end])
    return "".join(pieces), anchors


def _decode_escapes(field: str, start: int, text_offset: int) -> tuple[str, AnchorPairs]:
    """:func:`_decode_field` of a field whose only tokens are backslash escapes of one
    character other than a backslash or CR (``\\`` before each line end, as cables.csv writes
    every line of a header and a body, and ``\\"``), in C: the token loop took two thirds of
    a record's read. Each escape is its backslash removed."""
    pieces = field.split("\\")
    if len(pieces) == 1:
        return field, [(text_offset, start)]
    source_ends, text_ends = escape_ends(pieces[:-1], start, text_offset)
    return "".join(pieces), [(text_offset, start), *zip(text_ends, source_ends, strict=True)]


def _decode_long_field(record: str, start: int, end: int, text_offset: int) -> tuple[str, AnchorPairs]:
    """:func:`_decode_field` of a long field: the anchors in arrays, the text joined a block of
    pieces at a time (a list of all of them held two slots a token)."""
    anchors = Anchors(source_length=len(record))
    anchors.append(text_offset, start)
    add_text, add_source = anchors.text.append, anchors.source.append
    blocks: list[str] = []
    pieces: list[str] = []
    produced = text_offset
    position = start
    for match in _FIELD_DECODE.finditer(record, start, end):
        replacement = _replacement(match)
        token_start, token_end = match.span()
        pieces.append(record[position:token_start])
        pieces.append(replacement)
        produced += token_start - position + len(replacement)
        position = token_end
        add_text(produced)
        add_source(token_end)
        if len(pieces) >= _JOIN:
            blocks.append("".join(pieces))
            pieces.clear()
    pieces.append(record[position:end])
    blocks.append("".join(pieces))
    return "".join(blocks), anchors


def iter_lines(
    lines: Iterable[str], path: str, max_record_chars: int | None = None
) -> Iterator[Document | ReadProblem]:
    """Read cables.csv records from an iterable of lines."""
    return documents_from_records(numbered_records(lines, max_record_chars), path)


def iter_stream(stream: TextIO, path: str, max_record_chars: int | None = None) -> Iterator[Document | ReadProblem]:
    """Read cables.csv records from a text stream that keeps line ends as they are (``newline=""``)."""
    return documents_from_records(numbered_stream_records(stream, max_record_chars), path)


def _is_header_row(record: str) -> bool:
    return record.lstrip().lstrip('"').lower().startswith(("id,", 'id"'))


def numbered_records(
    lines: Iterable[str], max_record_chars: int | None = None
) -> Iterator[tuple[int, int, str | None]]:
    """``(row, first_line, record_text)``; text None for a runaway record; a header row is skipped."""
    return _numbered(_records(lines, max_record_chars))


def numbered_stream_records(
    stream: TextIO, max_record_chars: int | None = None
) -> Iterator[tuple[int, int, str | None]]:
    """:func:`numbered_records` of a text stream's lines, read a block at a time (see
    :func:`stream_records`); the end of a row cut off before the stream's start is a
    :class:`CutRow` of its own."""
    cut, pending, number = _past_a_cut_row(stream, max_record_chars)
    records = stream_records(stream, max_record_chars, pending, number)
    return _numbered(itertools.chain([(1, cut)], records) if cut is not None else records)


class CutRow(str):
    """The lines before a file's first row that are no row: text before the records, or the end
    of a row whose start is not in the file (a part of a larger file, ``split -l``)."""


#: A row's start: an integer id and a ``M/D/YYYY H:MM`` date, quoted or not.
_ROW_START = _regex.compile(r'"?[0-9]{1,7}"?,"?[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}\s+[0-9]{1,2}:[0-9]{2}"?,')
#: How far a stream is read for its first row's start when it does not open with one.
_LOOK_FOR_A_ROW = 1 << 20


def _past_a_cut_row(stream: TextIO, max_chars: int | None) -> tuple[CutRow | None, str, int]:
    """``(cut, pending, number)``: when the stream opens neither with a row nor with the header
    but a row starts within :data:`_LOOK_FOR_A_ROW` characters, the lines before that row (read
    with its quotes the wrong way round, they swallowed every row after them), that row's first
    line and its number; else None, what was read, and 1."""
    limit = _LOOK_FOR_A_ROW if max_chars is None else min(_LOOK_FOR_A_ROW, max_chars)
    lines: list[str] = []
    size = 0
    opened = False  # a line that is not blank was read
    while size < limit:
        line = stream.readline(limit - size)
        if not line:
            break
        if _ROW_START.match(line) or (not opened and _is_header_row(line)):
            if not opened:
                break
            return CutRow("".join(lines)), line, len(lines) + 1
        opened = opened or bool(line.strip())
        lines.append(line)
        size += len(line)
    else:
        return None, "".join(lines), 1
    return None, "".join(lines) + line, 1


def _numbered(records: Iterable[tuple[int, str | None]]) -> Iterator[tuple[int, int, str | None]]:
    row = 0
    first = True
    for first_line, record in records:
        if record is not None and not record.strip():
            continue
        if first and record is not None and _is_header_row(record):
            first = False
            continue
        first = False
        row += 1
        yield row, first_line, record


def documents_from_records(
    records: Iterable[tuple[int, int, str | None]], path: str
) -> Iterator[Document | ReadProblem]:
    """Documents of numbered records: a whole file, or a chunk of one assembled elsewhere."""
    for row, first_line, record in records:
        if isinstance(record, CutRow):
            last = first_line + _line_count(record) - 1
            lines = f"line {first_line} is" if last == first_line else f"lines {first_line}-{last} are"
            yield ReadProblem(
                path,
                f"{lines} no row: text before the first row, or the end of a row cut off at the file's "
                f"start (a part of a larger file?); the rows from line {last + 1} are read",
                line=first_line,
                record=row,
            )
            continue
        if record is None:
            yield ReadProblem(
                path,
                f"row starting on line {first_line} never closes its quote (runaway quote) or is "
                "over the record size limit",
                line=first_line,
                record=row,
            )
            continue
        yield _document(record, path, row, first_line)


def _document(record: str, path: str, row: int, first_line: int) -> Document | ReadProblem:
    spans = _split(record)
    if spans is None:
        return ReadProblem(
            path, f"row on line {first_line} is not valid CSV (stray quote)", line=first_line, record=row
        )
    if len(spans) != len(COLUMNS):
        return ReadProblem(
            path,
            f"row on line {first_line} has {len(spans)} fields, expected {len(COLUMNS)} "
            "(id, created, reference_id, origin, classification, references, header, body)",
            line=first_line,
            record=row,
        )
    values = [_decode_field(record, s, e, 0)[0] for s, e, _ in spans[:6]]
    header_text, header_anchors = _decode_field(record, spans[6][0], spans[6][1], 0)
    pieces: list[str] = []
    anchors: AnchorPairs = []
    produced = 0
    body_start = 0
    if header_text.strip():
        pieces.append(header_text)
        anchors = header_anchors
        produced = len(header_text)
        pieces.append("\n\n")
        anchors.extend([(produced, spans[7][0])])
        produced += 2
        body_start = produced
    body_text, body_anchors = _decode_field(record, spans[7][0], spans[7][1], produced)
    pieces.append(body_text)
    anchors = extended(anchors, body_anchors, len(record))
    metadata = Metadata(
        reference_id=values[2].strip() or None,
        created=values[1].strip() or None,
        origin=values[3].strip() or None,
        classification=values[4].strip() or None,
        references=[r for r in values[5].split("|") if r.strip()] or None,
        reference_id_from="container",
    )
    for key, index in (("reference_id", 2), ("created", 1), ("origin", 3), ("classification", 4)):
        metadata.spans[key] = (spans[index][0], spans[index][1])
    if metadata.reference_id is None:
        metadata.unusable["reference_id"] = "an empty column" if not values[2] else "blank"
    return Document(
        text="".join(pieces),
        path=path,
        format="csv",
        source_map=SourceMap(record, anchors, first_line=first_line),
        record=row,
        metadata=metadata,
        body_start=body_start,
    )
