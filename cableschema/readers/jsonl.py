"""JSON Lines (and JSON) records of cables.

Two layouts are known, and a lenient fallback:

* the mongoexport of cablegatesearch.net (``wikileaks-11-28-10.json``): ``_id``, ``reference_id``,
  ``origin``, ``date_time``, ``classification``, ``header``, ``body``, all newlines deleted;
* cableschema's own ``cable/1-0-0`` documents (``cableschema parse --format jsonl``): the cable is
  re-read from its ``text``;
* otherwise any object with a ``text``, ``body`` or ``content`` string, and metadata under common
  names (``id``, ``date``, ``created``...).

Positions map into the raw line, escapes included, so a finding points at the right column of the
JSON string. Files are read line by line: memory does not grow with the file.
"""

from __future__ import annotations

import bisect
import io
import json
from array import array
from collections.abc import Iterable, Iterator
from itertools import accumulate
from json.decoder import scanstring  # type: ignore[attr-defined]

from .. import _regex
from ..document import Anchors, Document, LineIndex, Metadata, ReadProblem, SourceMap
from ._artefacts import escape_ends
from ._decode import LongLine

_DECODER = json.JSONDecoder(strict=False)
_WS = _regex.compile(r"[ \t\n\r]*")
_ESCAPE_OR_PILCROW = _regex.compile(
    r"\\u(?P<hi>[dD][89abAB][0-9a-fA-F]{2})\\u(?P<lo>[dD][c-fC-F][0-9a-fA-F]{2})"
    r"|(?P<pil>(?:¶|\\u00[bB]6)(?=[ \t]{0,3}(?:[0-9]{1,3}[a-z]?|[A-Za-z])[.)]))"
    r"|\\r\\n|\\u(?P<hex>[0-9a-fA-F]{4})|\\(?P<char>[\"\\/bfnrt])"
)
_SIMPLE = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\n", "t": "\t"}
#: What follows a pilcrow that stands before a label (``¶ 1.``, ``¶A)``).
_BEFORE_LABEL = r"[ \t]{0,3}(?:[0-9]{1,3}[a-z]?|[A-Za-z])[.)]"
_LABEL_AHEAD = _regex.compile(_BEFORE_LABEL)
# The same tokens in one group for ``split``. Every alternative opens with its literal (``\`` or
# ``¶``), so the regex engine skips ahead to those two characters (with a group around each kind
# of token it tried every alternative at every character, 20 ns a character). A pilcrow written
# ``\u00b6`` is removed, while the same escape not before a label is the character: the two are
# told apart by the text after the token (no token starts with a character the label is made of,
# so that text is what the lookahead read).
_SPLIT = _regex.compile(
    r"(\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}"
    r"|¶(?=" + _BEFORE_LABEL + r")|\\u00[bB]6(?=" + _BEFORE_LABEL + r")"
    r"|\\r\\n|\\u[0-9a-fA-F]{4}|\\[\"\\\\/bfnrt])"
)


def _escape_value(token: str) -> str:
    """What an escape (not a pilcrow) decodes to, as _string_map decodes it."""
    match = _ESCAPE_OR_PILCROW.fullmatch(token)
    assert match is not None and not match.group("pil")
    if match.group("hi"):
        return chr(0x10000 + ((int(match.group("hi"), 16) - 0xD800) << 10) + int(match.group("lo"), 16) - 0xDC00)
    if match.group("hex"):
        value = int(match.group("hex"), 16)
        return "\n" if value == 0x0D else chr(value)
    if match.group("char"):
        return _SIMPLE[match.group("char")]
    return "\n"  # \r\n


class _Escapes(dict[str, str]):
    """Escape -> its value, remembered (at most 65,536 distinct escapes, plus pairs: bounded)."""

    def __missing__(self, token: str) -> str:
        value = _escape_value(token)
        if len(self) < 4096:
            self[token] = value
        return value


_ESCAPES = _Escapes({"¶": ""})
_ESCAPED_PILCROWS = ("\\u00b6", "\\u00B6")

_TEXT_KEYS = ("text", "body", "content", "cable", "full_text")
_HEADER_KEYS = ("header", "head")
_META_KEYS = {
    "reference_id": ("reference_id", "_id", "id", "mrn", "ref_id", "referenceid", "cable_id"),
    "created": ("created", "date_time", "date", "datetime", "created_at", "cabledate"),
    "released": ("released", "release_date", "released_at"),
    "classification": ("classification", "class"),
    "origin": ("origin", "location", "from"),
}


class _NotAnObject(ValueError):
    pass


#: A string literal longer than this is decoded a window at a time: a split of the whole of one
#: dense with escapes held a string and three list slots an escape (over 100 bytes each; a 20 MB
#: record of escapes took 2 GB while it was read).
_WINDOW = 1 << 18
#: No token reads further than this past its start (a surrogate pair is 12 characters, an escaped
#: pilcrow and the label its lookahead reads 14): a token found this far from a window's end is
#: found as it is in the whole literal.
_REACH = 32


def _string_map(raw: str, start: int, end: int, text_offset: int, anchors: Anchors, decoded: str | None = None) -> str:
    """Decode the JSON string literal ``raw[start:end]`` (quotes included), appending to
    ``anchors`` one at its start and one after every escape (and removed pilcrow). A split a
    window at a time, the bookkeeping in C. ``decoded``, the literal as JSON decodes it (the caller
    has it), lets a literal of two-character escapes only take its text from there."""
    inner_start, inner_end = start + 1, end - 1
    anchors.append(text_offset, inner_start)
    if raw.find("\\", inner_start, inner_end) < 0 and raw.find("¶", inner_start, inner_end) < 0:
        return raw[inner_start:inner_end]
    if inner_end - inner_start <= _WINDOW:
        piece = raw[inner_start:inner_end]
        if decoded is not None and _two_character_escapes_only(piece, decoded):
            return _map_two_character_escapes(piece, decoded, inner_start, text_offset, anchors)
        return _decode_window(piece, inner_start, text_offset, anchors, None)[0]
    pieces: list[str] = []
    position, produced = inner_start, text_offset
    while position < inner_end:
        window_end = min(position + _WINDOW, inner_end)
        # Only the tokens that start before ``limit`` are kept: they are the whole literal's,
        # and the next window starts where a scan of the whole literal would go on after them.
        limit = None if window_end == inner_end else _WINDOW - _REACH
        text, consumed = _decode_window(raw[position:window_end], position, produced, anchors, limit)
        pieces.append(text)
        produced += len(text)
        position += consumed
    return "".join(pieces)


def _two_character_escapes_only(piece: str, decoded: str) -> bool:
    """Whether every escape of the literal ``piece`` (its inside) is two characters that JSON
    decodes to one, as this reader does: ``\\"``, ``\\/``, ``\\b``, ``\\f``, ``\\n``, ``\\t``,
    and no pilcrow. As nearly every record's text is (``\\n`` and ``\\"``). ``decoded`` is the
    literal as JSON decodes it: a ``\\u`` escape makes it shorter than one character a
    backslash, and only ``\\\\``, ``\\r`` and a pilcrow put a backslash, a CR or a pilcrow in it."""
    return (
        len(decoded) == len(piece) - piece.count("\\")
        and "\\" not in decoded
        and "\r" not in decoded
        and "¶" not in decoded
    )


def _map_two_character_escapes(piece: str, decoded: str, source_start: int, text_start: int, anchors: Anchors) -> str:
    """:func:`_decode_window` of a whole literal's inside of two-character escapes only (see
    :func:`_two_character_escapes_only`): the text is JSON's, and the anchors come from a split
    on the backslashes, in C (the token split took 130 us for an 8.7 KB body)."""
    parts = piece.split("\\")
    source_ends, text_ends = escape_ends(parts[:-1], source_start, text_start)
    anchors.text.extend(text_ends)
    anchors.source.extend(source_ends)
    return decoded


def _decode_window(
    piece: str, source_start: int, text_start: int, anchors: Anchors, limit: int | None
) -> tuple[str, int]:
    """Decode ``piece`` (at ``source_start`` in the record, its text at ``text_start``), or with
    a ``limit`` its start up to the end of the last token that starts before ``limit`` (at least
    ``limit`` characters). Returns the text and how many characters of ``piece`` it decodes."""
    parts = _SPLIT.split(piece)
    # parts: text, token, text, ...
    tokens = parts[1::2]
    values = list(map(_ESCAPES.__getitem__, tokens))  # "¶" (only ever a pilcrow) is ""
    if "\\u00b6" in piece or "\\u00B6" in piece:
        for index, token in enumerate(tokens):
            if token in _ESCAPED_PILCROWS and _LABEL_AHEAD.match(parts[2 * index + 2]):
                values[index] = ""
    del tokens
    # Where each part ends in the record: a token's end is at an even index.
    source_ends = array(anchors.source.typecode, accumulate(map(len, parts), initial=source_start))
    consumed = len(piece)
    if limit is not None:
        kept = bisect.bisect_left(source_ends[1::2], source_start + limit)  # tokens starting before
        after = source_ends[2 * kept]  # the end of the last of them
        cut = max(after, source_start + limit)
        consumed = cut - source_start
        del parts[2 * kept + 1 :], values[kept:], source_ends[2 * kept + 1 :]
        parts[2 * kept] = parts[2 * kept][: cut - after]
    parts[1::2] = values
    text_ends = array(anchors.text.typecode, accumulate(map(len, parts), initial=text_start))
    anchors.text.extend(text_ends[2::2])
    anchors.source.extend(source_ends[2::2])
    return "".join(parts), consumed


#: A JSON object's top-level values: ``{key: (value, literal_start, literal_end)}`` for the
#: strings, ``{key: (start, end)}`` for the others (numbers, null, arrays, objects).
_Strings = dict[str, tuple[str, int, int]]
_Others = dict[str, tuple[int, int]]


def _top_level_strings(raw: str, start: int) -> tuple[_Strings, _Others, int]:
    """Scan one JSON object at ``raw[start]``: its top-level values with their spans.

    Returns the string values, the spans of the other values, and the end offset of the object.
    Raises ValueError (with a position) on invalid JSON.
    """
    position = _WS.match(raw, start).end()  # type: ignore[union-attr]
    if position >= len(raw) or raw[position] != "{":
        raise _NotAnObject("not a JSON object")
    strings: _Strings = {}
    others: _Others = {}
    position = _WS.match(raw, position + 1).end()  # type: ignore[union-attr]
    if position < len(raw) and raw[position] == "}":
        return strings, others, position + 1
    while True:
        if position >= len(raw) or raw[position] != '"':
            raise json.JSONDecodeError("Expecting property name enclosed in double quotes", raw, position)
        key, position = scanstring(raw, position + 1, False)
        position = _WS.match(raw, position).end()  # type: ignore[union-attr]
        if position >= len(raw) or raw[position] != ":":
            raise json.JSONDecodeError("Expecting ':' delimiter", raw, position)
        position = _WS.match(raw, position + 1).end()  # type: ignore[union-attr]
        if position < len(raw) and raw[position] == '"':
            value, end = scanstring(raw, position + 1, False)
            strings.setdefault(key, (value, position, end))
        else:
            _, end = _DECODER.raw_decode(raw, position)
            others.setdefault(key, (position, end))
        position = _WS.match(raw, end).end()  # type: ignore[union-attr]
        if position < len(raw) and raw[position] == ",":
            position = _WS.match(raw, position + 1).end()  # type: ignore[union-attr]
            continue
        if position < len(raw) and raw[position] == "}":
            return strings, others, position + 1
        raise json.JSONDecodeError("Expecting ',' delimiter", raw, position)


def _first(strings: _Strings, names: Iterable[str]) -> tuple[str, int, int] | None:
    lowered = {key.lower(): item for key, item in strings.items()}
    for name in names:
        if name in lowered:
            return lowered[name]
    return None


def _document(
    raw: str,
    strings: _Strings,
    others: _Others,
    path: str,
    record: int,
    first_line: int,
    lines: LineIndex | None = None,
) -> Document | ReadProblem:
    is_cable_json = "schema_version" in strings and "text" in strings
    body = _first(strings, _TEXT_KEYS)
    if body is None:
        return ReadProblem(
            path,
            "record has no cable text (no 'text', 'body' or 'content' string)",
            line=first_line,
            record=record,
            code="E002",
        )
    header = None if is_cable_json else _first(strings, _HEADER_KEYS)
    pieces: list[str] = []
    anchors = Anchors(source_length=len(raw))
    produced = 0
    body_start: int | None = None
    if header is not None and header[0].strip():
        text = _string_map(raw, header[1], header[2], 0, anchors, header[0])
        pieces.append(text)
        produced = len(text)
        pieces.append("\n\n")
        anchors.append(produced, body[1] + 1)
        produced += 2
        body_start = produced
    pieces.append(_string_map(raw, body[1], body[2], produced, anchors, body[0]))
    metadata = Metadata()
    for field, names in _META_KEYS.items():
        if is_cable_json and field == "origin":
            names = ("origin",)
        found = _first(strings, names)
        if found is not None and found[0].strip():
            setattr(metadata, field, found[0].strip())
            metadata.spans[field] = (found[1] + 1, found[2] - 1)
        else:
            _note_unusable(raw, metadata, field, names, found, others)
    if metadata.reference_id:
        metadata.reference_id_from = "container"
    elif "reference_id" not in metadata.unusable and (metadata.unusable or metadata.created or metadata.classification):
        metadata.unusable["reference_id"] = "missing"  # release metadata without its key
    return Document(
        text="".join(pieces),
        path=path,
        format="cable-json" if is_cable_json else "jsonl",
        source_map=SourceMap(raw, anchors, first_line=first_line, lines=lines),
        record=record,
        metadata=metadata,
        body_start=body_start if body_start is not None else (None if is_cable_json else 0),
    )


def _note_unusable(
    raw: str,
    metadata: Metadata,
    field: str,
    names: Iterable[str],
    found: tuple[str, int, int] | None,
    others: _Others,
) -> None:
    """Say in ``metadata.unusable`` that the record holds ``field`` but not as text: a blank
    string, a number, null, an array or an object (the rules report it; it is no value to use)."""
    if found is not None:
        metadata.unusable[field] = "an empty string" if not found[0] else "blank"
        metadata.spans[field] = (found[1], found[2])
        return
    lowered = {key.lower(): span for key, span in others.items()}
    span = next((lowered[name] for name in names if name in lowered), None)
    if span is None:
        return
    start, end = span
    value = raw[start:end]
    kind = {"n": "null", "t": "true", "f": "false", "[": "an array", "{": "an object"}.get(value[:1])
    if kind is None:
        kind = f"the number {value[:40]}" + ("..." if len(value) > 40 else "")
    metadata.unusable[field] = kind
    metadata.spans[field] = span


def _problem(path: str, line: int, record: int, exc: Exception, whole_text: bool = False) -> ReadProblem:
    """A JSON error as a problem. ``whole_text``: the error's position is in the whole file (a
    JSON document), not in one line of JSON Lines that starts at ``line``."""
    if isinstance(exc, json.JSONDecodeError):
        at_line = exc.lineno if whole_text else line + exc.lineno - 1
        return ReadProblem(
            path, f"line {at_line} is not valid JSON: {exc.msg}", line=at_line, column=exc.colno, record=record
        )
    if isinstance(exc, RecursionError):
        return ReadProblem(path, f"line {line}: JSON nested too deeply", line=line, record=record)
    if "integer string conversion" in str(exc):  # Python's own advice, about its own setting
        return ReadProblem(path, f"line {line}: a JSON number too long to read", line=line, record=record)
    return ReadProblem(path, f"line {line}: {exc}", line=line, record=record)


def iter_lines(
    lines: Iterable[str], path: str, max_record_chars: int | None = None
) -> Iterator[Document | ReadProblem]:
    """Read JSON Lines from an iterable of lines (a file object streams)."""
    return documents_from_lines(enumerate(lines, 1), path, max_record_chars)


def documents_from_lines(
    numbered: Iterable[tuple[int, str]], path: str, max_record_chars: int | None = None
) -> Iterator[Document | ReadProblem]:
    """Read ``(line_number, line)`` pairs: a whole file, or a chunk of one read elsewhere."""
    for number, line in numbered:
        if not line.strip():
            continue
        if max_record_chars is not None and len(line) > max_record_chars:
            length = line.length if isinstance(line, LongLine) else len(line)
            yield ReadProblem(
                path,
                f"record on line {number} has {length:,} characters, over the limit of "
                f"{max_record_chars:,} (--max-record-size)",
                line=number,
                record=number,
            )
            continue
        stripped = line.rstrip("\r\n")
        try:
            strings, others, end = _top_level_strings(stripped, 0)
            if stripped[end:].strip():
                raise json.JSONDecodeError("Extra data", stripped, end)
        except _NotAnObject:
            yield ReadProblem(path, f"line {number} is not a JSON object", line=number, record=number)
            continue
        except (ValueError, RecursionError) as exc:
            yield _problem(path, number, number, exc)
            continue
        yield _document(stripped, strings, others, path, number, number)


class _ArrayProblem(Exception):
    """Where a JSON array stops reading, and the JSON error that says why."""

    def __init__(self, position: int, error: Exception) -> None:
        super().__init__(str(error))
        self.position = position
        self.error = error


class _ArrayObjects:
    """The objects of the JSON array whose ``[`` is at ``opening``, read one at a time: each as
    ``(start, strings, others, end)`` (see :func:`_top_level_strings`). What does not read stops
    the iteration with :class:`_ArrayProblem` (the objects before it were given); ``close`` is
    the offset of the array's ``]`` once every object was read. :func:`read_json` reads an array
    with it, and :func:`array_pieces` cuts one with it, so the two read an array alike."""

    def __init__(self, raw: str, opening: int) -> None:
        self._raw = raw
        self._opening = opening
        self.close = -1

    def __iter__(self) -> Iterator[tuple[int, _Strings, _Others, int]]:
        raw = self._raw
        position = _WS.match(raw, self._opening + 1).end()  # type: ignore[union-attr]
        while position < len(raw) and raw[position] != "]":
            try:
                strings, others, end = _top_level_strings(raw, position)
            except (ValueError, RecursionError) as exc:
                raise _ArrayProblem(position, exc) from None
            yield position, strings, others, end
            position = _WS.match(raw, end).end()  # type: ignore[union-attr]
            if position < len(raw) and raw[position] == ",":
                position = _WS.match(raw, position + 1).end()  # type: ignore[union-attr]
            elif position >= len(raw) or raw[position] != "]":  # the records after were dropped
                raise _ArrayProblem(position, json.JSONDecodeError("Expecting ',' delimiter", raw, position))
        if position >= len(raw):
            raise _ArrayProblem(position, json.JSONDecodeError("Expecting ']'", raw, position))
        self.close = position


#: An array's object that starts further than this into its line is not cut out of the array
#: (see :func:`array_pieces`): its piece would take the line from its start.
_PIECE_INDENT = 1024


def array_pieces(raw: str) -> list[tuple[int, int, int, int, int]] | None:
    """The objects of a JSON array that :func:`read_json` reads cleanly, each as ``(record,
    first_line, line_start, start, end)``: its number, the line it starts on, that line's start,
    and its span of ``raw``. :func:`documents_from_array_pieces` reads the text from its line's
    start to its end as :func:`read_json` reads the object in the whole (a large array is linted
    a share of its records in each worker). None for anything else: one object, an array with a
    problem (read_json says it), or an object that starts further than :data:`_PIECE_INDENT`
    into its line (a minified array: each piece would hold the line before it)."""
    opening = _WS.match(raw, 0).end()  # type: ignore[union-attr]
    if not raw.startswith("[", opening):
        return None
    starts = LineIndex(raw).starts()
    pieces: list[tuple[int, int, int, int, int]] = []
    objects = _ArrayObjects(raw, opening)
    try:
        for start, _, _, end in objects:
            line = bisect.bisect_right(starts, start)
            if start - starts[line - 1] > _PIECE_INDENT:
                return None
            pieces.append((len(pieces) + 1, line, starts[line - 1], start, end))
    except _ArrayProblem:
        return None
    if _WS.match(raw, objects.close + 1).end() < len(raw):  # type: ignore[union-attr]
        return None
    return pieces if len(pieces) > 1 else None


def documents_from_array_pieces(pieces: list[tuple[int, int, str, int]], path: str) -> Iterator[Document | ReadProblem]:
    """The documents of :func:`array_pieces`' objects, each given as ``(record, first_line,
    source, start)``: the text from its line's start to its end, and where in it it starts."""
    for record, first_line, source, start in pieces:
        try:
            strings, others, _ = _top_level_strings(source, start)
        except (ValueError, RecursionError) as exc:  # (read cleanly in the whole: not seen)
            yield _problem(path, first_line, record, exc)
            continue
        yield _document(source, strings, others, path, record, first_line)


def read_json(raw: str, path: str) -> Iterator[Document | ReadProblem]:
    """A JSON file holding one cable document or an array of them (``parse --format json``), a
    document at a time: an array's documents are not all held at once (a 53 MB array of 6,000
    cables peaked at 292 MB when they were).

    What follows the document is not dropped without a word: objects one a line after a first
    one on a line of its own are JSON Lines, read as such; anything else is a problem (E001)."""
    position = _WS.match(raw, 0).end()  # type: ignore[union-attr]

    def line_of(offset: int) -> int:
        # Counted when a problem asks (a few a file), not a table of every line kept for them.
        return raw.count("\n", 0, offset) + 1

    def extra(end: int, record: int | None) -> ReadProblem | None:
        """A problem for what is after the document, if anything is."""
        after = _WS.match(raw, end).end()  # type: ignore[union-attr]
        if after >= len(raw):
            return None
        problem = _problem(path, line_of(after), 0, json.JSONDecodeError("Extra data", raw, after), whole_text=True)
        return ReadProblem(problem.path, problem.message, problem.line, problem.column, record)

    if raw.startswith("[", position):
        record = 0
        lines = LineIndex(raw)  # the records' maps share one table of the lines
        objects = _ArrayObjects(raw, position)
        try:
            for _, strings, others, _ in objects:
                record += 1
                yield _document(raw, strings, others, path, record, 1, lines)
        except _ArrayProblem as problem:  # in the next record, or between it and the one before
            yield _problem(path, line_of(problem.position), record + 1, problem.error, whole_text=True)
            return
        trailing = extra(objects.close + 1, None)
        if trailing is not None:
            yield trailing
        return
    try:
        strings, others, end = _top_level_strings(raw, position)
    except (ValueError, RecursionError) as exc:
        yield _problem(path, line_of(position), 1, exc, whole_text=True)
        return
    trailing = extra(end, None)
    if trailing is not None and trailing.line > line_of(end) and "\n" not in raw[position:end]:
        after = _WS.match(raw, end).end()  # type: ignore[union-attr]
        if raw.startswith("{", after):  # JSON Lines: read as such
            yield from iter_lines(io.StringIO(raw, newline=""), path)
            return
    document = _document(raw, strings, others, path, 1, 1)
    if isinstance(document, Document):
        document.record = None
    yield document
    if trailing is not None:
        yield trailing
