"""Readers: a source file or record becomes one or more :class:`~cableschema.document.Document`.

Formats are detected by content (never by extension alone) and can be forced:

========== =====================================================================================
html       a cablegate page (every variant: 2010-2011 snapshots, 4/5-column tables, mirrors)
page-text  text copied from a cable page: site text, the metadata line, then the cable (the seed)
pre-text   the scraped body ``<code><pre>`` element with ``¶`` anchors and tag links
text       plain cable text, e.g. PDF-to-text output (CRLF, Latin-1)
jsonl      JSON Lines records (the cablegatesearch mongoexport or ``cable/1-0-0`` documents)
json       one JSON document or an array of them (``cableschema parse --format json``)
csv        the cables.csv layout
========== =====================================================================================
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from .._open import open_input, read_small
from ..document import STDIN, Document, ReadProblem
from . import csv as csv_reader
from . import html as html_reader
from . import jsonl as jsonl_reader
from . import text as text_reader
from ._decode import NotText, bounded_lines, decode, text_stream

FORMATS = ("html", "page-text", "pre-text", "text", "jsonl", "json", "csv")
#: Formats read record by record from a stream.
STREAMED = ("jsonl", "csv")
DEFAULT_MAX_RECORD_BYTES = 64 * 1024 * 1024
_SNIFF = 256 * 1024


class ReadError(Exception):
    """A file cannot be read at all; the message is one line."""


#: Formats a file's name settles when its first characters do not: a JSON Lines file whose first
#: line is broken (cut, or a log line before the records) was read as one text, and its good
#: records were never linted as records.
_FORMAT_OF_SUFFIX = {".jsonl": "jsonl", ".ndjson": "jsonl", ".jsonlines": "jsonl", ".json": "json", ".csv": "csv"}
_RECORD_FORMATS = ("jsonl", "json", "csv")


def detect_format(head: str, path: str | None = None) -> str:
    """Guess the format of a source from its first characters, and from its name (``path``) when
    those say it is no format of records and the name says it is one."""
    guess = _format_of_head(head)
    if path is not None and guess not in _RECORD_FORMATS:
        return _FORMAT_OF_SUFFIX.get(os.path.splitext(path)[1].lower(), guess)
    return guess


def _format_of_head(head: str) -> str:
    stripped = head.lstrip("\ufeff \t\r\n")
    if stripped.startswith("{"):
        first_line = stripped.split("\n", 1)[0].rstrip()
        if first_line.endswith("}") and "\n" in stripped.strip():
            return "jsonl"
        if first_line.endswith("}") and stripped.strip() == first_line:
            return "jsonl"
        return "json"
    if stripped.startswith("["):
        return "json"
    if text_reader.looks_like_pre_text(stripped):
        return "pre-text"
    if html_reader.looks_like(stripped):
        return "html"
    if csv_reader.looks_like(stripped):
        return "csv"
    return "text"


def _opens_a_long_line(head: str) -> bool:
    """The sniff opens a JSON object and holds no newline: whether it is JSON Lines or one JSON
    document is told by the end of the first line, which the sniff does not reach."""
    stripped = head.lstrip("\ufeff \t\r\n")
    return stripped.startswith("{") and "\n" not in stripped


def read_head(handle: BinaryIO, max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES) -> tuple[bytes, bool]:
    """The first bytes of a file to detect its format by, and whether more may follow.

    That is 256 KB, or, when those open a JSON object on a line they do not end, the file up to
    its first newline (a JSON Lines record of 300 KB was cut before its end and taken for JSON:
    one document read of 51), as far as the record size limit."""
    head = _read_up_to(handle, _SNIFF)
    if len(head) < _SNIFF or b"\n" in head:
        return head, len(head) == _SNIFF
    try:
        opens = _opens_a_long_line(decode(head, complete=False).text)
    except NotText:
        return head, True
    if not opens:
        return head, True
    chunks = [head]
    size = len(head)
    while size <= max_record_bytes:
        chunk = handle.read(min(size, max_record_bytes + 1 - size))  # doubling: linear in the line
        if not chunk:
            return b"".join(chunks), False
        chunks.append(chunk)
        size += len(chunk)
        if b"\n" in chunk:
            break
    return b"".join(chunks), True


def _problem_from(exc: BaseException, path: str) -> ReadProblem:
    return ReadProblem(path, str(exc))


def _read_up_to(handle: BinaryIO, limit: int) -> bytes:
    """At most ``limit`` more bytes of a file. What is left of a regular file is read by its
    size: ``read(limit)`` makes a buffer of ``limit`` bytes (256 KB for a 6 KB cable, 64 MB for
    the rest of a page), which the allocator maps and frees for every file."""
    try:
        remaining = os.fstat(handle.fileno()).st_size - handle.tell()
    except OSError:  # not a file (io.UnsupportedOperation is one), or a pipe
        remaining = -1
    if remaining < 0:
        # A pipe: read a block at a time, never asking for the whole limit at once (a buffer of
        # the limit's size is made for the read, gigabytes for a limit of gigabytes).
        blocks = []
        size = 0
        while size < limit and (block := handle.read(min(1 << 20, limit - size))):
            blocks.append(block)
            size += len(block)
        return b"".join(blocks)
    if remaining >= limit:
        return handle.read(limit)
    data = handle.read(remaining + 1)  # one byte more: a file that grew since is read on
    if len(data) > remaining:
        data += handle.read(limit - len(data))
    return data


def iter_file(
    path: str | os.PathLike[str],
    format: str | None = None,
    *,
    display_path: str | None = None,
    max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES,
) -> Iterator[Document | ReadProblem]:
    """Read a file, streaming records for JSON Lines and CSV; ``-`` is standard input. Never
    raises for bad content."""
    shown = display_path if display_path is not None else str(path)
    if str(path) == STDIN:
        yield from _iter_stdin(shown, format, max_record_bytes)
        return
    small = read_small(path, min(_SNIFF - 1, max_record_bytes))
    if small is not None:
        # The whole file in one read (see read_small): what the head below would have been,
        # with nothing more to read; a format read record by record is streamed from it.
        head = _text_of(small, shown)
        if isinstance(head, ReadProblem):
            yield head
            return
        chosen = format or detect_format(head, os.fspath(path))
        if chosen in STREAMED:
            yield from _iter_stream(io.BufferedReader(io.BytesIO(small)), chosen, shown, max_record_bytes)
            return
        del small
        yield from read_string(head, shown, chosen)
        return
    try:
        with open_input(path) as handle:
            head_bytes, more = read_head(handle, max_record_bytes)
            try:
                head = decode(head_bytes, complete=not more).text if head_bytes else ""
            except NotText as exc:
                yield ReadProblem(shown, str(exc))
                return
            chosen = format or detect_format(head, os.fspath(path))
            if chosen in STREAMED:
                handle.seek(0)
                yield from _iter_stream(handle, chosen, shown, max_record_bytes)
                return
            # Never a negative size: the head is past a limit under 256 KB (that was a ValueError).
            rest = _read_up_to(handle, max(0, max_record_bytes + 1 - len(head_bytes))) if more else b""
            data = head_bytes + rest
            if len(data) > max_record_bytes:
                yield ReadProblem(shown, _too_large(chosen, max_record_bytes))
                return
    except OSError as exc:
        what = "folder" if isinstance(exc, IsADirectoryError) or os.path.isdir(path) else "file"
        yield ReadProblem(shown, f"cannot read {what}: {exc.strerror or exc}")
        return
    if not rest:  # the whole file was in the head, already decoded: do not decode it twice
        yield from read_string(head, shown, chosen)
        return
    # The file's bytes are let go once decoded: held while its documents were read and linted,
    # the bytes read, their concatenation and the text were three copies of a large file.
    del head_bytes, rest, head
    text = _text_of(data, shown)
    del data
    if isinstance(text, ReadProblem):
        yield text
        return
    yield from read_string(text, shown, chosen)


def _too_large(chosen: str, max_record_bytes: int) -> str:
    """Why a file read whole is not read: a JSON file may hold an array of any number of
    cables, and says how to read them (it was told that no single cable is that large)."""
    limit = f"file is over the record size limit of {max_record_bytes:,} bytes (--max-record-size)"
    if chosen == "json":
        return (
            f"{limit}: a JSON file is read whole; written as JSON Lines, one record a line "
            "(jq -c '.[]'), its records are read one at a time at any size"
        )
    return f"{limit}; a single cable is never that large"


def _iter_stdin(shown: str, format: str | None, max_record_bytes: int) -> Iterator[Document | ReadProblem]:
    """Standard input, read whole up to the record size limit (a pipe cannot be read twice, and
    only the process that was given it can read it)."""
    try:
        data = _read_up_to(sys.stdin.buffer, max_record_bytes + 1)
    except (OSError, AttributeError) as exc:  # closed, or replaced by an object without bytes
        yield ReadProblem(shown, f"cannot read standard input: {exc}")
        return
    if len(data) > max_record_bytes:
        yield ReadProblem(
            shown,
            f"standard input is over the record size limit of {max_record_bytes:,} bytes (--max-record-size)",
        )
        return
    yield from read_bytes(data, shown, format)


def _iter_stream(
    handle: io.BufferedReader, chosen: str, shown: str, max_record_bytes: int
) -> Iterator[Document | ReadProblem]:
    try:
        stream = text_stream(handle)
    except NotText as exc:
        yield ReadProblem(shown, str(exc))
        return
    with stream:  # closed with its file: left to the collector, it said "unclosed file" (-X dev)
        if chosen == "jsonl":
            yield from jsonl_reader.iter_lines(bounded_lines(stream, max_record_bytes), shown, max_record_bytes)
        else:
            yield from csv_reader.iter_stream(stream, shown, max_record_bytes)


def read_bytes(data: bytes, path: str = "<bytes>", format: str | None = None) -> Iterator[Document | ReadProblem]:
    """Read one source from memory."""
    text = _text_of(data, path)
    if isinstance(text, ReadProblem):
        yield text
        return
    yield from read_string(text, path, format)


def _text_of(data: bytes, path: str) -> str | ReadProblem:
    """A source's text, or why it is not text."""
    try:
        return decode(data).text
    except NotText as exc:
        return ReadProblem(path, str(exc))


def read_string(raw: str, path: str = "<string>", format: str | None = None) -> Iterator[Document | ReadProblem]:
    """Read one source given as text."""
    if raw.startswith("\ufeff"):
        raw = raw[1:]
    head = raw[:_SNIFF]
    if not format and _opens_a_long_line(head):  # up to the end of the first line (see read_head)
        end = raw.find("\n", _SNIFF)
        head = raw if end < 0 else raw[: end + 1]
    chosen = format or detect_format(head, path)
    if chosen not in FORMATS:
        raise ValueError(f"unknown input format {chosen!r}; choose from {', '.join(FORMATS)}")
    if chosen == "html":
        yield from html_reader.read(raw, path)
    elif chosen == "pre-text":
        yield from text_reader.read_pre_texts(raw, path)
    elif chosen in ("text", "page-text"):
        yield from text_reader.read_texts(raw, path)
    elif chosen == "jsonl":
        yield from jsonl_reader.iter_lines(io.StringIO(raw, newline=""), path)
    elif chosen == "json":
        yield from jsonl_reader.read_json(raw, path)
    else:
        yield from csv_reader.iter_stream(io.StringIO(raw, newline=""), path)


def read(source: str | bytes | os.PathLike[str], format: str | None = None) -> list[Document]:
    """Read a path (or the bytes of a source) into documents.

    Raises :class:`ReadError` with a one-line message when nothing could be read; records that
    fail in a file of many are skipped (``cableschema lint`` reports them as E001).
    """
    if isinstance(source, bytes):
        results = list(read_bytes(source, "<bytes>", format))
    else:
        path = Path(source)
        if path.is_dir():
            raise ReadError(f"{path}: is a directory; use cableschema.lint or iterate its files")
        results = list(iter_file(path, format))
    documents = [item for item in results if isinstance(item, Document)]
    problems = [item for item in results if isinstance(item, ReadProblem)]
    if not documents and problems:
        raise ReadError(f"{problems[0].path}: {problems[0].message}")
    return documents


__all__ = [
    "FORMATS",
    "ReadError",
    "detect_format",
    "iter_file",
    "read",
    "read_bytes",
    "read_head",
    "read_string",
]
