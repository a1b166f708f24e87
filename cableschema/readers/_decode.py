"""Bytes to text: the encodings scraped cables come in, and what is not text at all."""

from __future__ import annotations

import codecs
from dataclasses import dataclass


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


def decode(data: bytes) -> Decoded:
    """Decode a source file. Raises :class:`NotText` with a one-line reason."""
    for magic, what in _BINARY_MAGIC:
        if data.startswith(magic):
            raise NotText(f"not a text file: {what}")
    if data.startswith(codecs.BOM_UTF8):
        return Decoded(data[3:].decode("utf-8", errors="replace"), "utf-8-sig")
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        try:
            return Decoded(data.decode("utf-16"), "utf-16")
        except UnicodeDecodeError as exc:
            raise NotText(f"broken UTF-16: {exc.reason} at byte {exc.start}") from None
    guessed = _utf16_without_bom(data)
    if guessed:
        try:
            return Decoded(data.decode(guessed), guessed)
        except UnicodeDecodeError:
            pass
    # Many NUL bytes mean binary; a stray NUL in text is a T508 finding, not a reason to give up.
    sample = data[:65536]
    if 0 in sample and sample.count(0) > max(8, len(sample) // 100):
        raise NotText("not a text file: binary data (NUL bytes)")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    # Not UTF-8: PDF-derived texts are Latin-1/cp1252 (a lone 0xB6 is the pilcrow). Decide between
    # "legacy 8-bit text" and "UTF-8 with damage" by how much of it fails as UTF-8.
    text = data.decode("utf-8", errors="replace")
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
