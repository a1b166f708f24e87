"""Bytes to text: the encodings scraped cables come in, and what is not text at all."""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol


class NotText(Exception):
    """The bytes are not a text file (binary, PDF, image, undecodable)."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


_BINARY_MAGIC = (
    (b"%PDF-", "a PDF file: convert it to text first (pdftotext keeps the layout cableschema reads)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x1f\x8b", "a gzip archive: decompress it first"),
    (b"7z\xbc\xaf", "a 7z archive: extract it first"),
    (b"BZh", "a bzip2 archive: decompress it first"),
    (b"\x7fELF", "an executable"),
)
_HIGH_BYTES = bytes(range(0x80, 0x100))
_CONTROL_BYTES = bytes(range(0x09)) + bytes(range(0x0E, 0x20))


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM: every other byte NUL in the first kilobytes."""
    sample = data[:4096]
    if len(sample) < 4 or 0 not in sample:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_nuls > 0.4 * half and even_nuls < 0.05 * half:
        return "utf-16-le"
    if even_nuls > 0.4 * half and odd_nuls < 0.05 * half:
        return "utf-16-be"
    return None


#: Byte order marks and the codecs that read them. UTF-32's first: its little-endian mark opens
#: with UTF-16's (FF FE).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)


def _as(data: bytes, encoding: str, complete: bool, errors: str = "strict") -> str:
    """``data.decode(encoding, errors)``; when not ``complete``, a character cut at the end is left
    out (the data is the head of a longer file), not an error."""
    if complete:
        return data.decode(encoding, errors)
    return codecs.getincrementaldecoder(encoding)(errors).decode(data, final=False)


def decode(data: bytes, complete: bool = True) -> Decoded:
    """Decode a source file. Raises :class:`NotText` with a one-line reason. ``complete=False``:
    ``data`` is the first bytes of a longer file, which may end inside a character (the head a
    format or a stream's encoding is told by: a head of UTF-8 that ended inside an "é" was taken
    for cp1252, and the whole stream decoded as mojibake)."""
    for magic, what in _BINARY_MAGIC:
        if data.startswith(magic):
            raise NotText(f"not a text file: {what}")
    if data.startswith(codecs.BOM_UTF8):
        return Decoded(_as(data[3:], "utf-8", complete, "replace"), "utf-8-sig")
    for bom, encoding, name in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(_as(data, encoding, complete), encoding)
            except UnicodeDecodeError as exc:
                raise NotText(f"broken {name}: {exc.reason} at byte {exc.start}") from None
    guessed = _utf16_without_bom(data)
    if guessed:
        try:
            return Decoded(_as(data, guessed, complete), guessed)
        except UnicodeDecodeError:
            pass
    # Many NUL bytes mean binary; a stray NUL in text is a T508 finding, not a reason to give up.
    sample = data[:65536]
    if 0 in sample and sample.count(0) > max(8, len(sample) // 100):
        raise NotText("not a text file: binary data (NUL bytes)")
    try:
        return Decoded(_as(data, "utf-8", complete), "utf-8")
    except UnicodeDecodeError:
        pass
    # Not UTF-8: PDF-derived texts are Latin-1/cp1252 (a lone 0xB6 is the pilcrow). Decide between
    # "legacy 8-bit text" and "UTF-8 with damage" by how much of it fails as UTF-8.
    text = _as(data, "utf-8", complete, "replace")
    bad = text.count("\ufffd")
    high = len(sample) - len(sample.translate(None, _HIGH_BYTES))  # bytes >= 0x80, counted in C
    if (bad and bad >= 0.5 * max(1, min(high, len(text)))) or bad > 0.02 * max(1, len(text)):
        control = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
        if control > max(8, len(sample) // 50):
            raise NotText("not a text file: undecodable bytes and control characters")
        try:
            return Decoded(data.decode("cp1252"), "cp1252")
        except UnicodeDecodeError:
            return Decoded(data.decode("latin-1"), "latin-1")
    return Decoded(text, "utf-8 (with invalid bytes replaced)")


def text_stream(handle: io.BufferedReader) -> io.TextIOWrapper:
    """A text stream over a binary file read record by record, in the encoding its first 4 KB
    show, undecodable bytes replaced, newlines as they are. Raises :class:`NotText`."""
    head = handle.peek(4096)[:4096]
    encoding = decode(head, complete=False).encoding if head else "utf-8"
    if encoding.startswith("utf-8") and "replaced" in encoding:
        encoding = "utf-8"
    return io.TextIOWrapper(handle, encoding=encoding, errors="replace", newline="")


class LongLine(str):
    """The first ``limit + 1`` characters of a line over the limit of :func:`bounded_lines`, with
    the ``length`` of the whole line, which was never held."""

    length: int

    def __new__(cls, start: str, length: int) -> LongLine:
        line = super().__new__(cls, start)
        line.length = length
        return line

    def __repr__(self) -> str:  # in a chunk's cache key: two long lines differ by their length too
        return f"LongLine({str.__repr__(self)}, {self.length})"

    def __reduce__(self) -> tuple[type[LongLine], tuple[str, int]]:
        return LongLine, (str(self), self.length)


#: Characters of a long line's rest read at a time while skipping it.
_SKIP_BLOCK = 1 << 20


class LineSource(Protocol):
    """What :func:`bounded_lines` reads: a text stream's lines, whole or ``size`` characters at most."""

    def readline(self, size: int = -1, /) -> str: ...

    def __iter__(self) -> Iterator[str]: ...


def bounded_lines(stream: LineSource, limit: int | None) -> Iterator[str]:
    """The lines of ``stream``, as iterating it gives them, but a line over ``limit`` characters
    is not read whole: it comes as a :class:`LongLine` (its start and its length), so that one
    runaway line of gigabytes costs no more memory than the limit."""
    if limit is None:
        yield from stream
        return
    readline = stream.readline
    while line := readline(limit + 1):
        # Complete: under the limit, or ended by a newline (a line cut at the limit just after a
        # carriage return is taken as ended there).
        if len(line) <= limit or line[-1] in "\r\n":
            yield line
            continue
        length = len(line)
        while rest := readline(_SKIP_BLOCK):
            length += len(rest)
            if rest[-1] == "\n" or (rest[-1] == "\r" and len(rest) < _SKIP_BLOCK):
                break
        yield LongLine(line, length)
