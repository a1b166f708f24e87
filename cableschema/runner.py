"""Running the engine over many files: worker processes, the content cache and progress.

* **Order**: results come back sorted by path, then record, whatever the number of workers.
* **Parallel**: files are linted in worker processes (``--jobs``, default one per usable CPU, see
  :func:`available_cpus`); a large JSON Lines or CSV file is read record by record in the main
  process and its records are sent to the workers in chunks, so one big file uses every core and
  memory stays flat.
* **Cache**: the findings of a file are stored under a hash of its bytes, its name, the
  cableschema code and the effective configuration for that path; an unchanged corpus re-lints
  from the cache. Files are kept in groups, an entry a group (see :func:`group_ends`), each file
  under its own key: a changed file is linted again alone. A corrupt or unwritable cache is
  ignored with one warning; entries are written with a rename, so two runs at once never see half
  an entry.
* **Crash isolation**: a worker that dies is reported and its work is retried once in the main
  process.
"""

from __future__ import annotations

import codecs
import contextlib
import gc
import hashlib
import importlib.util
import json
import marshal
import os
import re
import signal
import sys
import time
import zlib
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, Protocol, TextIO, cast

from . import __version__, _regex
from ._open import open_input
from .config import Settings, find_config
from .document import STDIN, Document, ReadProblem
from .engine import (
    CorpusRules,
    FileResult,
    RunResult,
    _path_key,
    cable_from_row,
    cable_row,
    corpus_findings,
    lint_file,
    lint_items,
)
from .finding_store import FindingStore
from .findings import PlainFinding, finding_from_row, finding_row, findings_from_rows
from .rules import REGISTRY, CorpusEntry, load

# The readers, the rules and the worker pool are imported when a file must be linted: a run that
# finds every file in the cache needs none of them.

#: Streamed formats above this size are split into chunks of records for the workers.
CHUNK_THRESHOLD = 4 * 1024 * 1024
CHUNK_RECORDS = 1000
#: ... or this many characters of records, whichever comes first: what is in flight to the
#: workers stays small however long the records are (a cable is 2-60 KB).
CHUNK_CHARS = 1_000_000
BATCH_FILES = 64
#: A file this large is a task of its own, not one of a batch: the files batched with it would
#: wait for it (the real corpus's 2.5 MB file of 219 JSON records, one a line, takes a worker a
#: third of a second).
ALONE_BYTES = 256 * 1024
#: Results held for emission in order at most (a run served by the cache reads ahead no further).
READY_LIMIT = 512
CACHE_VERSION = 4
#: The content digest of each file as last seen, by its size, mtime, ctime and inode: a file
#: whose stat is unchanged is not read again to find its cache entry (git's index does the same).
MEMO_FILE = "files.tsv"
#: What a path in the file index may not hold: its field separator and any line end.
_UNLISTABLE = _regex.compile(r"[\t\n\r]")
#: The fingerprint of the code (see :meth:`Cache._code`), with the stats of its files.
CODE_FILE = "code"
#: The file that marks a cache folder (https://bford.info/cachedir/): backup tools skip it.
CACHE_TAG = "CACHEDIR.TAG"
#: A file changed less than this long ago may still be being written: its digest is not kept.
_SETTLED_NS = 2_000_000_000
#: An entry no run has read or written for this long is removed (see :meth:`Cache.prune`).
_UNUSED_NS = 30 * 86_400 * 10**9
#: ... and a temporary file this old was left by a run that was stopped. An entry read is marked
#: used (its mtime set) when it was last marked this long ago, and the cache is pruned as often.
_DAY_NS = 86_400 * 10**9
#: The file whose mtime says when the cache was last pruned.
PRUNED_FILE = "pruned"
#: A run of at most this many files and findings keeps its whole result in one cache entry, its
#: run pack, as well as its groups': a run over the same unchanged files reads that one entry.
#: Larger runs read their groups' entries: a pack would be held whole in memory.
RUN_PACK_FILES = 20_000
RUN_PACK_FINDINGS = 50_000
#: A report whose text compresses to at most this many bytes is kept to be written again by the
#: same command over the same files (see :meth:`Cache.report`). A JSON report compresses about
#: 14 to 1: this is a report of some 400 MB, which a warm run reads whole.
REPORT_PACKED_BYTES = 32_000_000
#: How much of a kept report is unpacked at a time as it is written.
_REPORT_PIECE = 1 << 20
#: Files are kept in the cache in groups of about this many, an entry a group (see group_ends):
#: an entry a file took a first run over the real corpus a quarter more time than a run without
#: the cache, most of it creating 2,134 files.
GROUP_SPAN = 64
#: ... and at most this many.
GROUP_LIMIT = 512
_MEMO_LIMIT = 1_000_000
#: A file index of more than this is damaged (one of _MEMO_LIMIT lines takes about 300 MB).
_MEMO_MAX_BYTES = 1 << 30

# -- work units ------------------------------------------------------------------------------------


@dataclass
class _Task:
    order: int  # position of the file in the run
    part: int  # chunk number within the file (0 for a whole file)
    path: str
    fmt: str | None = None
    records: list[Any] | None = None  # a chunk: numbered lines (jsonl) or records (csv)
    last: bool = True  # the file's last part
    key: str | None = None  # the cache key of the file, or of the chunk
    done: float = 1.0  # the share of the file read once this part is (for the progress bar)
    size: int = 0  # the file's size when planned (a whole file's task)


#: A part ready without linting (from the cache): (order, part, result, last, done), as in _Task.
_Ready = tuple[int, int, FileResult, bool, float]

_worker_settings: Settings | None = None


def _init_worker(settings: Settings) -> None:
    global _worker_settings
    # Ctrl-C reaches every process of the terminal's group: the main process stops the run and
    # says so in one line; a worker would print a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_settings = settings
    load()


def _execute(task: _Task, settings: Settings | None = None) -> FileResult:
    settings = settings if settings is not None else _worker_settings
    assert settings is not None
    if task.records is None:
        return lint_file(task.path, settings)
    from .readers import csv as csv_reader
    from .readers import jsonl as jsonl_reader
    from .readers import text as text_reader

    items: Iterable[Document | ReadProblem]
    if task.fmt == "jsonl":
        items = jsonl_reader.documents_from_lines(task.records, task.path, settings.max_record_bytes)
    elif task.fmt == "json":
        items = jsonl_reader.documents_from_array_pieces(task.records, task.path)
    elif task.fmt in _CUT_FORMATS:
        items = text_reader.documents_from_pieces(task.records, task.path)
    else:
        items = csv_reader.documents_from_records(task.records, task.path)
    return lint_items(task.path, items, settings, complete=False)


#: Formats read whole that a large file of is cut into its cables, when it holds several (a dump
#: of page texts, a JSON array): each chunk of them a task.
_CUT_FORMATS = ("text", "page-text", "json")


def _streamed_format(path: str, settings: Settings) -> str | None:
    """The format of a large file when it is one cut into chunks of records: read record by record
    (JSON Lines, CSV), or a text that may hold several cables (see :func:`_text_chunks`); else
    None."""
    from .readers import STREAMED, detect_format, read_head
    from .readers._decode import NotText, decode

    fmt = settings.input_format
    if not fmt:
        try:
            with open_input(path) as handle:  # the head iter_file detects the format by
                head, _ = read_head(handle, settings.max_record_bytes)
            fmt = detect_format(decode(head, complete=False).text, path) if head else None
        except (OSError, NotText):
            return None
    return fmt if fmt in STREAMED or fmt in _CUT_FORMATS else None


def _chunks(path: str, fmt: str, settings: Settings) -> Iterator[tuple[list[Any], int]] | None:
    """Records of a large streamed file, in chunks, each with the bytes of the file read through
    it; None when the file cannot be opened as text."""
    from .readers import csv as csv_reader
    from .readers._decode import NotText, bounded_lines, text_stream

    if fmt in _CUT_FORMATS:
        try:
            return _json_chunks(path, settings) if fmt == "json" else _text_chunks(path, settings)
        except Exception:  # (MemoryError too) the reader's own code, in this process: the file's
            return None  # own lint, in a worker, reads it again and reports what goes wrong
    try:
        handle = open_input(path)  # (closed by the generator)
    except OSError:
        return None
    try:
        opened = text_stream(handle)
    except NotText:
        handle.close()
        return None

    def generate() -> Iterator[tuple[list[Any], int]]:
        with opened as stream:
            # A line over the record size limit is not held whole (see bounded_lines).
            records: Iterator[Any] = (
                enumerate(bounded_lines(stream, settings.max_record_bytes), 1)
                if fmt == "jsonl"
                else csv_reader.numbered_stream_records(stream, settings.max_record_bytes)
            )
            for chunk in _in_chunks(records, lambda record: record[-1]):
                # The binary file's position: what the text stream has read, ahead of the
                # records by at most its buffer.
                yield chunk, handle.tell()

    return generate()


def _in_chunks(records: Iterable[Any], text_of: Callable[[Any], str | None]) -> Iterator[list[Any]]:
    """Records in chunks of :data:`CHUNK_RECORDS`, or of :data:`CHUNK_CHARS` characters of their
    texts (``text_of``; None for a record that has none), whichever comes first."""
    chunk: list[Any] = []
    size = 0
    for record in records:
        chunk.append(record)
        text = text_of(record)
        size += len(text) if text is not None else 0
        if len(chunk) >= CHUNK_RECORDS or size >= CHUNK_CHARS:
            yield chunk
            chunk = []
            size = 0
    if chunk:
        yield chunk


def _read_whole(path: str, settings: Settings, worth: Callable[[bytes], bool]) -> str | None:
    """The text of a file read whole, as ``iter_file`` reads it, when ``worth`` says its bytes
    may hold several cables; else, or when it is over the record size limit, not text or gone,
    None: the file's own lint reads it, or says why it cannot."""
    from .readers._decode import NotText, decode

    try:
        with open_input(path) as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > settings.max_record_bytes:
                return None
            data = handle.read(size + 1)
    except OSError:
        return None
    if len(data) > settings.max_record_bytes or not worth(data):
        return None
    try:
        text = decode(data).text
    except NotText:
        return None
    return text.removeprefix("\ufeff")  # (as read_string reads it)


def _text_chunks(path: str, settings: Settings) -> Iterator[tuple[list[Any], int]] | None:
    """The cables of a large text that holds several (a dump: see ``read_texts``), in chunks of
    :func:`~cableschema.readers.text.cable_pieces`, each with the characters of the file read
    through it; None for a text of one document, or one not read whole (see :func:`_read_whole`).
    Each cable of a dump is under a table's "Reference ID" heading: a text with fewer than two is
    one document, told without decoding it."""
    from .readers import text as text_reader

    raw = _read_whole(path, settings, lambda data: data.count(b"eference") + data.count(b"EFERENCE") > 1)
    pieces = text_reader.cable_pieces(raw, path) if raw is not None else None
    if raw is None or pieces is None:
        return None
    return _chunked((record, line, raw[start:end]) for record, line, start, end in pieces)


def _json_chunks(path: str, settings: Settings) -> Iterator[tuple[list[Any], int]] | None:
    """The objects of a large JSON array (``cableschema parse --format json`` writes one), in
    chunks of :func:`~cableschema.readers.jsonl.array_pieces`, each with the characters of the
    file read through it; None for anything else (see there and :func:`_read_whole`)."""
    from .readers import jsonl as jsonl_reader

    # (An array opens with "[", after a byte order mark and blanks.)
    raw = _read_whole(path, settings, lambda data: re.match(rb"(?:\xef\xbb\xbf)?[ \t\r\n]*\[", data) is not None)
    pieces = jsonl_reader.array_pieces(raw) if raw is not None else None
    if raw is None or pieces is None:
        return None
    return _chunked(
        (record, line, raw[line_start:end], start - line_start) for record, line, line_start, start, end in pieces
    )


def _chunked(pieces: Iterator[tuple[Any, ...]]) -> Iterator[tuple[list[Any], int]]:
    """Pieces of a file read whole, each ``(record, first_line, text, ...)``, in chunks, each with
    the characters of the pieces given through it. The pieces' texts are cut from the file's as
    they are sent: the main process holds the file's text and one chunk's copy."""
    read = 0
    for chunk in _in_chunks(pieces, lambda piece: piece[2]):
        read += sum(len(piece[2]) for piece in chunk)
        yield chunk, read


# -- cache -----------------------------------------------------------------------------------------


#: The suffixes of the package's files that decide its findings: its code and its data.
_CODE_SUFFIXES = (".py", ".txt", ".tsv", ".json")


def _code_files() -> list[tuple[str, str]]:
    """cableschema's own code and data files, and the rules' (``validators``): each one's name
    relative to its root and its path, sorted."""
    roots = [os.path.dirname(os.path.realpath(__file__))]
    # Found, not imported: a run served by the cache never imports the rules.
    validators = importlib.util.find_spec("cableschema.validators")
    if validators is not None and validators.submodule_search_locations:
        roots.append(os.path.realpath(next(iter(validators.submodule_search_locations))))
    found: list[tuple[str, str]] = []
    for root in roots:
        named: list[tuple[str, str]] = []
        for folder, subfolders, names in os.walk(root):
            subfolders[:] = [name for name in subfolders if name != "__pycache__"]
            for name in names:
                if name.endswith(_CODE_SUFFIXES):
                    path = os.path.join(folder, name)
                    named.append((Path(os.path.relpath(path, root)).as_posix(), path))
        found += sorted(named)
    return found


def _code_fingerprint(files: Sequence[tuple[str, str]]) -> str:
    """A hash of cableschema's own code and data, so that a changed rule never reads old results."""
    digest = hashlib.sha256(__version__.encode())
    for name, path in files:
        digest.update(name.encode())
        with open(path, "rb") as handle:
            digest.update(handle.read())
    return digest.hexdigest()


def _stat_stamp(status: os.stat_result) -> str:
    """A file's size, mtime, ctime and inode as the file index writes them, each followed by a
    tab: while they are unchanged, so is the file's content (as git's index takes it)."""
    return f"{status.st_size}\t{status.st_mtime_ns}\t{status.st_ctime_ns}\t{status.st_ino}\t"


def _settled(status: os.stat_result, now: int) -> bool:
    """Whether a file was last changed long enough before ``now`` not to be still being
    written: only then may its stamp stand for its content."""
    return now - max(status.st_mtime_ns, status.st_ctime_ns) > _SETTLED_NS


def _code_stamp(files: Sequence[tuple[str, str]]) -> str | None:
    """A hash of the code files' names and stats (as the file index keeps a file's), which stands
    for their content (see :meth:`Cache._code`); None when one is missing or changed so lately
    that it may still be being written."""
    digest = hashlib.sha256(__version__.encode())
    now = time.time_ns()
    for name, path in files:
        try:
            status = os.stat(path)
        except OSError:
            return None
        if not _settled(status, now):
            return None
        digest.update(f"{name}\t{_stat_stamp(status)}\n".encode())
    return digest.hexdigest()


# A cache entry holds plain values in marshal's format (as ``__pycache__`` does, and for this
# Python only: its version is in the key): findings and cables as the engine's rows, tuples of
# their fields; reading one is five times faster than reading JSON. A path is not stored for a
# file's own findings and cables: it is the file's, and an entry serves any file of its name and
# content.


#: What follows a damaged entry of a file's (or a chunk's) findings.
_RELINT = "linting its input again (the rest of the cache is used)"
#: What follows a damaged run pack.
_UNPACKED = "reading its groups' entries"
#: What follows a damaged kept report.
_REWRITTEN = "writing the report anew"


class KeptReport(NamedTuple):
    """A report as the cache keeps it, to be written again by the same command over the same
    files (see :meth:`Cache.report`)."""

    #: The report's text in UTF-8, lone surrogates and all (``surrogatepass``), compressed with
    #: zlib (see :class:`ReportPacker`): kept whole, the report of 42,680 files took 140 MB.
    packed: bytes
    #: The text holds no lone surrogate (a file name that is not UTF-8 puts one in).
    plain: bool
    #: What the command wrote to standard error (``--statistics``).
    err: str
    #: The exit status the findings gave.
    status: int

    @classmethod
    def of(cls, text: str, err: str, status: int) -> KeptReport:
        packer = ReportPacker(limit=sys.maxsize)
        packer.add(text)
        packed, plain = packer.finish() or (b"", True)
        return cls(packed, plain, err, status)

    def write(self, stream: TextIO) -> None:
        """Write the report to ``stream`` as its reporter wrote it, a piece at a time: its bytes
        straight to the stream's buffer when the stream writes text as UTF-8 and a newline as
        itself (any file of ``--output``; standard output on a POSIX system and a UTF-8 locale or
        for a machine format), which spares a decode and an encode; else the text."""
        buffer = getattr(stream, "buffer", None)
        encoding = getattr(stream, "encoding", None)
        inflate = zlib.decompressobj()
        pending = self.packed
        if (
            self.plain
            and buffer is not None
            and encoding is not None
            and codecs.lookup(encoding).name == "utf-8"
            and os.linesep == "\n"
        ):
            stream.flush()
            write_bytes = buffer.write
        else:
            # A piece may end inside a character: the decoder keeps its first bytes for the next.
            decoder = codecs.getincrementaldecoder("utf-8")("surrogatepass")

            def write_bytes(piece: bytes) -> int:
                return stream.write(decoder.decode(piece))

        while pending:
            write_bytes(inflate.decompress(pending, _REPORT_PIECE))
            pending = inflate.unconsumed_tail
        write_bytes(inflate.flush())


class ReportPacker:
    """Packs a report's text as it is written (see :class:`KeptReport`), a few pieces at a time:
    what a run holds of its report is its compressed bytes, a fourteenth of its text. Past
    ``limit`` compressed bytes it gives up, and keeps nothing."""

    #: Characters gathered before they are compressed: the reporters write a finding in two or
    #: three pieces, and each call of the compressor costs about as much as a short piece.
    _GATHER = 1 << 16

    def __init__(self, limit: int | None = None) -> None:
        self._limit = REPORT_PACKED_BYTES if limit is None else limit
        self._deflate = zlib.compressobj(1)  # the fastest level: 14 to 1 on a JSON report
        self._gathered: list[str] = []
        self._gathered_chars = 0
        self._packed: list[bytes] | None = []
        self._packed_bytes = 0
        self._plain = True

    def add(self, text: str) -> None:
        if self._packed is None:
            return
        self._gathered.append(text)
        self._gathered_chars += len(text)
        if self._gathered_chars >= self._GATHER:
            self._pack()

    def _pack(self) -> None:
        text = "".join(self._gathered)
        self._gathered.clear()
        self._gathered_chars = 0
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:
            data = text.encode("utf-8", "surrogatepass")
            self._plain = False
        self._keep(self._deflate.compress(data))

    def _keep(self, packed: bytes) -> None:
        if self._packed is None:
            return
        self._packed_bytes += len(packed)
        if self._packed_bytes > self._limit:
            self._packed = None  # too large to keep: what was packed is let go at once
        elif packed:
            self._packed.append(packed)

    def finish(self) -> tuple[bytes, bool] | None:
        """The packed report and whether it is plain (see :class:`KeptReport`); None when it
        grew past the limit."""
        if self._packed is None:
            return None
        self._pack()
        self._keep(self._deflate.flush())
        return None if self._packed is None else (b"".join(self._packed), self._plain)


class Cache:
    """Findings per input, keyed by content, code and configuration."""

    def __init__(self, directory: Path, settings: Settings) -> None:
        self.directory = directory
        self.warned = False
        self.writable = True
        self._owned: bool | None = None  # whether the folder is the cache's own (see _claim)
        # Plain strings, not Paths: a warm run looks up every file, tens of thousands a run.
        self._root = os.path.join(os.fspath(directory), f"v{CACHE_VERSION}")
        self._made: set[str] = set()  # entry folders known to exist
        self._cwd = os.path.join(os.getcwd(), "")
        code = self._code()
        severities = self._rule_severities(code)
        selection = settings.selection
        base = {
            "cache": CACHE_VERSION,
            "code": code,
            "python": [sys.implementation.cache_tag, marshal.version],  # the entries' format
            "input_format": settings.input_format,
            "max_record_bytes": settings.max_record_bytes,
            "selected": [c for c in severities if selection.is_selected(c)],
            "severity": {c: selection.severity_of(c, default) for c, default in severities.items()},
        }
        self._base = hashlib.sha256(json.dumps(base, sort_keys=True).encode()).hexdigest()
        self._base_digest = hashlib.sha256(self._base.encode())  # each key goes on from a copy
        self._per_file = selection.per_file_ignores
        self._selection = selection
        self._selected_by_ignores: dict[tuple[str, ...], bytes] = {}  # see _key_of
        self._codes = list(severities)
        # path -> "size\tmtime\tctime\tinode\tdigest", as in the index file: one string an entry,
        # not a tuple of five objects (a quarter of a million files).
        self._memo: dict[str, str] | None = None  # read on first use
        self._memo_changed = False
        self._next_index: TextIO | None = None  # the next index file, written as the run learns
        self._next_index_name = ""
        self.changed_groups: set[int] = set()  # the first orders of the groups whose entries are written anew
        # The key of each file sent to be linted whole, with its stat when the key was taken (see
        # as_keyed), by its order in the run, until its result comes back.
        self._taken: dict[int, tuple[str, tuple[str, bool]]] = {}

    def _code(self) -> str:
        """The fingerprint of cableschema's code and data (:func:`_code_fingerprint`). Reading
        every file of it (1.8 MB) took 11 ms of a 0.16 s run served by the cache: the fingerprint
        is kept with the files' stats, and taken from there while they are unchanged (as the file
        index does for the linted files)."""
        files = _code_files()
        stamp = _code_stamp(files)
        location = os.path.join(self._root, CODE_FILE)
        if stamp is not None:
            kept = self._read_checked(location, "reading the code again")
            if type(kept) is tuple and len(kept) == 2 and kept[0] == stamp and isinstance(kept[1], str):
                return kept[1]
        code = _code_fingerprint(files)
        if stamp is not None:
            self._write_checked(location, (stamp, code))
        return code

    def _rule_severities(self, code: str) -> dict[str, str]:
        """Every rule's default severity, by code. A process that has not loaded the rules reads
        them from the table kept for this code (``code`` is its fingerprint): importing every
        rule costs more than the rest of a run served by the cache."""
        location = os.path.join(self._root, f"rules-{code}")
        if not REGISTRY:
            table = self._read_checked(location, "loading the rules")
            if isinstance(table, dict):
                return table
            severities: dict[str, str] = {rule_code: rule.severity for rule_code, rule in load().items()}
            self._write_checked(location, severities)  # the rules of this code, and only those
            return severities
        # The rules are loaded already, or the caller registered some (they are not in the table).
        return {rule_code: rule.severity for rule_code, rule in load().items()}

    def warn(self, message: str, consequence: str = "going on without the cache") -> None:
        """One warning a run, whatever goes wrong with the cache: it is never an error."""
        if not self.warned:
            print(f"cableschema: warning: {message}; {consequence}", file=sys.stderr)
            self.warned = True

    def key(self, path: str, status: os.stat_result | None = None) -> str | None:
        """The key of a whole file (``status``: its stat, when the caller took it already)."""
        content = self._content_digest(path, status)
        if content is None:
            return None
        return self._key_of(path, content.encode())

    @staticmethod
    def taken(status: os.stat_result) -> tuple[str, bool]:
        """The stat a file's key was taken with, and whether the file was settled then (see
        :meth:`as_keyed`)."""
        return _stat_stamp(status), _settled(status, time.time_ns())

    def as_keyed(self, path: str, key: str, taken: tuple[str, bool]) -> bool:
        """Whether a file is still what its ``key`` was taken of (``taken``: its stat then), so
        that what was read of it since (by a worker, or to cut it in chunks) is what the key
        stands for. Else a file saved during the run was kept under its old content's key with
        its new content's findings, and given back for the old content ever after. An unchanged
        stat tells it, unless the file changed so lately before that a change after could keep
        the stat (within one tick of the file system's clock): such a file is read again."""
        stamp, settled = taken
        try:
            if _stat_stamp(os.stat(path)) != stamp:
                return False
        except OSError:
            return False
        if settled:
            return True
        digest = _file_digest(path)
        return digest is not None and self._key_of(path, digest.encode()) == key

    def sent(self, order: int, key: str, status: os.stat_result) -> None:
        """A file goes to be linted whole: note its key and stat (see :meth:`linted_as_keyed`)."""
        self._taken[order] = (key, self.taken(status))

    def linted_as_keyed(self, order: int, path: str) -> bool:
        """Whether the file of a result that came back was linted as its key stands (see
        :meth:`as_keyed`)."""
        sent = self._taken.pop(order, None)
        return sent is not None and self.as_keyed(path, *sent)

    def chunk_key(self, path: str, fmt: str, records: list[Any]) -> str:
        """The key of one chunk of a large file: its records with their line numbers, read as
        ``fmt``. Hashed as their repr, which is the same for equal records (marshal's bytes are
        not: they depend on which strings are shared)."""
        return self._key_of(path, f"chunk {fmt}\n{records!r}".encode())

    def _key_of(self, path: str, content: bytes) -> str:
        digest = self._base_digest.copy()
        if self._per_file:
            # Per-file ignores make the selection depend on the path: its codes are those of the
            # path's ignores, found once for all the codes (each code found them again: 55 times
            # 40 globs a file kept a run of 10,000 files served by the cache busy for 41 s).
            ignores = self._selection.file_ignores(path)
            selected = self._selected_by_ignores.get(ignores)
            if selected is None:
                codes = [c for c in self._codes if self._selection.is_selected(c, ignores=ignores)]
                selected = json.dumps(codes).encode()
                if len(self._selected_by_ignores) < 4096:
                    self._selected_by_ignores[ignores] = selected
            digest.update(selected)
        digest.update(content)
        # The readers take a cable's reference ID from its file's name when the text has none:
        # two files of one content but other names have other findings.
        digest.update(path.rpartition(os.sep)[2].encode("utf-8", "surrogateescape"))
        return digest.hexdigest()

    def known_key(self, path: str) -> str | None:
        """The key of a whole file when the file index knows its content (its stat is unchanged
        since it was read); None when it would have to be read."""
        try:
            status = os.stat(path)
        except OSError:
            return None
        content = self._known_digest(path, status)[2]
        return None if content is None else self._key_of(path, content.encode())

    def _known_digest(self, path: str, status: os.stat_result) -> tuple[str, str, str | None]:
        """The file's index key (its absolute path), its stat as the index writes it, and its
        digest as the index knows it for that stat (None when it does not)."""
        stamp = _stat_stamp(status)
        memo = self._load_memo()
        where = self._where(path)
        known = memo.get(where)
        if known is not None and known.startswith(stamp) and len(known) == len(stamp) + 64:
            return where, stamp, known[len(stamp) :]
        return where, stamp, None

    def _content_digest(self, path: str, status: os.stat_result | None = None) -> str | None:
        """SHA-256 of the file's bytes; taken from the memo when the file's stat is unchanged."""
        if status is None:
            try:
                status = os.stat(path)
            except OSError:
                return None
        where, stamp, value = self._known_digest(path, status)
        if value is not None:
            return value
        memo = self._load_memo()
        known = memo.get(where)  # of another stat: out of date
        value = _file_digest(path)
        if value is None:
            return None
        if known is not None:
            del memo[where]  # out of date
            self._memo_changed = True
        if _settled(status, time.time_ns()) and not _UNLISTABLE.search(where):
            self._learn(f"{where}\t{stamp}{value}\n")
        return value

    def _learn(self, line: str) -> None:
        """Write a new index line straight to the next index file, not to the memo: a first run
        over a quarter of a million files would otherwise hold them all until it ends."""
        if not self.writable:
            return
        try:
            if self._next_index is None:
                import tempfile  # here: 2.4 ms of every run's start, most of which write no cache

                self._prepare(self._root)
                handle, self._next_index_name = tempfile.mkstemp(prefix=".tmp-", dir=self._root)
                self._next_index = os.fdopen(handle, "w", encoding="utf-8", errors="surrogateescape", newline="\n")
            self._next_index.write(line)
            self._memo_changed = True
        except OSError as exc:
            self.writable = False
            self.warn(f"cannot write the cache in {self.directory} ({exc.strerror or exc})")

    def _load_memo(self) -> dict[str, str]:
        if self._memo is not None:
            return self._memo
        memo: dict[str, str] = {}
        location = os.path.join(self._root, MEMO_FILE)
        try:
            # Lines end at "\n" only: a path with another line end ("\r") is not written, but an
            # index that holds one is still read line by line, not cut at it.
            with open(location, encoding="utf-8", errors="surrogateescape", newline="\n") as stream:
                # An index larger than any run's could be is damaged: it is not read.
                if os.fstat(stream.fileno()).st_size > _MEMO_MAX_BYTES:
                    raise ValueError("larger than any index")
                for line in stream:
                    path, known = line.rstrip("\n").split("\t", 1)
                    if known.count("\t") != 4:
                        raise ValueError(f"not five fields: {line!r}")
                    memo[path] = known
        except (FileNotFoundError, NotADirectoryError):
            pass  # a new cache (or none at all: the entries say so)
        except (OSError, ValueError) as exc:
            memo = {}
            self.warn(f"the cache's file index {location} is unreadable ({type(exc).__name__})", "reading every file")
        self._memo = memo
        return memo

    def save(self) -> None:
        """Write the file index, atomically, when this run learned something new: the lines it
        learned, then the old ones still in the memo; then let the memo go (it is read again if
        this cache serves another run)."""
        memo, self._memo = self._memo, None
        if memo is None or not self._memo_changed or not self.writable:
            self.abandon()
            return
        if len(memo) > _MEMO_LIMIT:  # runs over other trees add up: forget the files gone
            memo = {path: known for path, known in memo.items() if os.path.exists(path)}
        try:
            if self._next_index is None:
                self._learn("")  # nothing new, only entries dropped: the index is still rewritten
            stream, temporary = self._next_index, self._next_index_name
            if stream is None:
                return  # it cannot be written, and _learn said so
            self._next_index = None
            with stream:
                for path, known in memo.items():
                    stream.write(f"{path}\t{known}\n")
            os.replace(temporary, os.path.join(self._root, MEMO_FILE))
            self._memo_changed = False
        except OSError as exc:
            self.writable = False
            self.abandon()
            self.warn(f"cannot write the cache in {self.directory} ({exc.strerror or exc})")

    def prune(self) -> None:
        """Remove what no run has used for 30 days: entries of an older cableschema or another
        configuration, of files long gone or of reports kept for other options, which no run
        reads again (each upgrade would otherwise leave a whole cache's worth behind, and a
        cache that CI saves would grow without end); an older layout's folder (``v3``) as its
        files age alike; and temporary files a day old, which a run that was stopped left.
        The file index and the code's fingerprint are rewritten as they are used, and kept.
        Done at most once a day, at the end of a run not served whole by one entry (its run pack
        or its kept report); never an error."""
        if not self.writable or not (self._owned if self._owned is not None else _tagged(os.fspath(self.directory))):
            return
        now = time.time_ns()
        marker = os.path.join(self._root, PRUNED_FILE)
        try:
            if 0 <= now - os.stat(marker).st_mtime_ns < _DAY_NS:  # (a mark in the future: a clock set back)
                return
        except FileNotFoundError:
            pass
        except OSError:
            return
        try:
            # Marked first: a run ending at the same time finds it done.
            with open(marker, "wb"):
                pass
            versions = [entry for entry in os.scandir(self.directory) if re.fullmatch(r"v[0-9]+", entry.name)]
        except OSError:
            return
        for version in versions:
            current = version.path == self._root
            for folder in [version.path, *_subfolders(version.path, _ENTRY_FOLDER)]:
                at_root = folder == version.path
                for entry in _files(folder):
                    temporary = entry.name.startswith(".tmp-")
                    named = (_ROOT_FILE if at_root else _ENTRY_FILE).fullmatch(entry.name)
                    if (current and at_root and not temporary) or not named:
                        continue  # the index, the fingerprint, this marker; a file the cache never names
                    with contextlib.suppress(OSError):
                        if now - entry.stat().st_mtime_ns > (_DAY_NS if temporary else _UNUSED_NS):
                            os.unlink(entry.path)
                if not current and not at_root:
                    # (This version's folders stay: 256 at most, and a run may be writing there.)
                    with contextlib.suppress(OSError):
                        os.rmdir(folder)  # only when empty
            if not current:
                with contextlib.suppress(OSError):
                    os.rmdir(version.path)

    def abandon(self) -> None:
        """Remove an index file this run began but did not finish (an interrupted run)."""
        stream, self._next_index = self._next_index, None
        if stream is not None:
            stream.close()
            with contextlib.suppress(OSError):
                os.unlink(self._next_index_name)

    def _entry(self, key: str) -> str:
        return f"{self._root}{os.sep}{key[:2]}{os.sep}{key}"

    def get(self, key: str, path: str) -> FileResult | None:
        """The result kept under ``key`` (a chunk's) for the file ``path``."""
        entry = self._entry(key)
        data = self._read_checked(entry)
        return None if data is None else self.outcome(data, path, entry)

    def outcome(self, stored: Any, path: str, entry: str | None = None) -> FileResult | None:
        """The result of the file ``path`` from what an entry keeps of it (see :func:`outcome_row`);
        None (with a warning) when that is damaged."""
        try:
            fmt, error, findings, cables = stored
            return FileResult(
                path=path,
                format=fmt,
                error=error,
                findings=findings_from_rows(findings, path),
                cables=[cable_from_row(row, path) for row in cables],
            )
        except (ValueError, TypeError) as exc:
            self._unreadable(entry or f"of {path}", exc, _RELINT)
            return None

    def put(self, key: str, result: FileResult) -> None:
        self._write_checked(
            self._entry(key), outcome_row((result.format, result.error, result.findings, result.cables))
        )

    def chunk_list(self, key: str) -> list[str] | None:
        """The keys of the chunks of the large file whose key is ``key``, as put_chunk_list kept
        them; None when there are none."""
        data = self._read_checked(self._entry(_chunk_list_key(key)), "cutting the file again")
        if not isinstance(data, list) or not all(isinstance(chunk_key, str) for chunk_key in data) or not data:
            return None
        return data

    def put_chunk_list(self, key: str, chunk_keys: list[str]) -> None:
        """Keep the keys of a large file's chunks under its own key. Written once the file has
        been cut, maybe before its chunks' entries are: a reader finds an entry missing and cuts
        the file again from there."""
        self._write_checked(self._entry(_chunk_list_key(key)), chunk_keys)

    def _where(self, path: str) -> str:
        """A file's absolute path, not normalised (another spelling of it only misses): its key
        in the file index and its name in the entries named for files."""
        return path if path.startswith(os.sep) else self._cwd + path

    def _named_entry(self, kind: str, files: Sequence[str], *, as_given: bool = False) -> str:
        """An entry of ``kind`` named for the configuration and the files' absolute paths (a run
        from another folder names the same files alike), not for their keys: each run over them
        writes it anew rather than adding one (a run pack kept under its files' keys added 2 MB
        to the cache each time a file of the real corpus changed). A group's entry keeps each
        file's key; a run's holds the digest of the keys it was made with (see
        :meth:`_read_run_entry`). ``as_given``: named for the paths as the run gives them
        instead, for an entry whose findings name other files (M108's "also at b/x.txt"): a run
        over the same files spelled another way (absolute, from another folder) must not be
        given the other spelling."""
        digest = hashlib.sha256(f"{kind}\t{self._base}\n".encode())
        where = (lambda path: path) if as_given else self._where
        for path in files:
            digest.update(f"{where(path)}\n".encode("utf-8", "surrogateescape"))
        return self._entry(digest.hexdigest())

    @staticmethod
    def _keys_digest(keys: Sequence[str | None]) -> str:
        return hashlib.sha256("\n".join(map(str, keys)).encode()).hexdigest()

    def _read_run_entry(self, entry: str, keys: Sequence[str | None], consequence: str) -> Any:
        """What a run's entry holds when it was made with these ``keys``; None when it is missing,
        damaged (with a warning) or of other keys (a file changed since)."""
        data = self._read_checked(entry, consequence)
        if data is None:
            return None
        if type(data) is not tuple or len(data) != 2:
            self._unreadable(entry, ValueError("not a run's entry"), consequence)
            return None
        made_with, held = data
        return held if made_with == self._keys_digest(keys) else None

    def _write_run_entry(self, entry: str, keys: Sequence[str | None], held: Any) -> None:
        self._write_checked(entry, (self._keys_digest(keys), held))

    def known_keys(self, files: Sequence[str]) -> list[str | None] | None:
        """The keys of ``files`` when the file index knows every one unchanged; else None."""
        keys: list[str | None] = []
        for path in files:
            key = self.known_key(path) if path != STDIN else None
            if key is None:
                return None
            keys.append(key)
        return keys

    @staticmethod
    def kept_whole(files: Sequence[str]) -> bool:
        """Whether a run over ``files`` is small enough for the cache to keep its whole result
        in one entry, its run pack (larger runs are read from their groups' entries)."""
        return 0 < len(files) <= RUN_PACK_FILES

    def run_pack(self, files: Sequence[str]) -> RunResult | None:
        """The whole result of a run over ``files``, from its run pack, when every file is one
        the file index knows unchanged and the pack was kept (see :meth:`keep_run_pack`)."""
        keys = self.known_keys(files) if self.kept_whole(files) else None
        if keys is None:
            return None
        entry = self._named_entry("run pack", files, as_given=True)
        data = self._read_run_entry(entry, keys, _UNPACKED)
        if data is None:
            return None
        try:
            outcomes, finding_rows = data
            results = [
                FileResult(path, fmt, [], [cable_from_row(row, path) for row in cables], error)
                for path, (fmt, error, cables) in zip(files, outcomes, strict=True)
            ]
            store = FindingStore()
            store.extend([finding_from_row(row, files[index]) for index, row in finding_rows], in_order=True)
        except (ValueError, TypeError, IndexError) as exc:
            self._unreadable(entry, exc, _UNPACKED)
            return None
        return RunResult(files=results, findings=store)

    def report(self, files: Sequence[str], kind: str, shape: str) -> KeptReport | None:
        """The report a command wrote over ``files``, to be written again (see
        :class:`KeptReport`). Kept only when every file is one the file index knows unchanged
        (as the run pack is) and the report was written of the same ``kind`` and ``shape``
        (what shapes it besides the findings: see the command line's ``_report_kind`` and
        ``_report_shape``). A report is kept for each kind, in one entry whatever its shape, so
        that a baseline changed each week leaves no old reports behind. Rebuilding a run's
        findings from its pack and writing them out again was most of a run served by the
        cache: 70 of 160 ms over the real corpus, and 2.4 of 3.4 s over 42,680 files (from their groups)."""
        # The shape is compared before the files' keys are taken: a report kept for another
        # baseline is passed over at the cost of reading its entry, not of a stat of every file
        # (1.2 s for a quarter of a million), which the run then takes again.
        entry = self._named_entry(f"report {kind}", files)
        data = self._read_checked(entry, _REWRITTEN)
        if data is None:
            return None
        if (
            type(data) is not tuple
            or [type(value) for value in data] != [str, str, tuple]
            or [type(value) for value in data[2]] != [bytes, bool, str, int]
        ):
            self._unreadable(entry, ValueError("not a report"), _REWRITTEN)
            return None
        made_with, kept_shape, report = data
        if kept_shape != shape:
            return None
        keys = self.known_keys(files)
        if keys is None or made_with != self._keys_digest(keys):
            return None
        return KeptReport(*report)

    def keep_report(self, files: Sequence[str], kind: str, shape: str, report: KeptReport) -> None:
        """Keep a report (see :meth:`report`), when every file's key is known."""
        # The keys as the files are now, not as the run began: a file changed under the run
        # has another stat, no known key, and its report is not kept.
        keys = self.known_keys(files)
        if keys is not None:
            self._write_checked(
                self._named_entry(f"report {kind}", files), (self._keys_digest(keys), shape, tuple(report))
            )

    def group(self, group: Sequence[str]) -> list[tuple[str, Any] | None] | None:
        """What the group's entry keeps of each of its files, in order: its key and its outcome
        ``(format, error, finding rows, cable rows)``, or None for a file it keeps nothing of;
        None when the entry is missing or damaged."""
        entry = self._named_entry("group", group)
        data = self._read_checked(entry)
        if data is None:
            return None
        if (
            not isinstance(data, list)
            or len(data) != len(group)
            or not all(member is None or (type(member) is tuple and len(member) == 2) for member in data)
        ):
            self._unreadable(entry, ValueError("not a group of this many files"), _RELINT)
            return None
        return data

    def keep_group(self, group: Sequence[str], members: list[tuple[str, Any] | None]) -> None:
        """Keep what a group's files gave (see :meth:`group`) as its entry."""
        self._write_checked(self._named_entry("group", group), members)

    def keep_run_pack(self, files: Sequence[str], keys: Sequence[str | None], run: RunResult) -> None:
        """Keep the whole result of a run over ``files`` (in its files' order) as its run pack,
        when it is small enough and every file has a key."""
        if not self.kept_whole(files) or len(run.findings) > RUN_PACK_FINDINGS or None in keys:
            return
        place = {path: index for index, path in enumerate(files)}
        if len(place) != len(files) or [result.path for result in run.files] != list(files):
            return
        outcomes = [
            (result.format, result.error, [cable_row(cable) for cable in result.cables]) for result in run.files
        ]
        # Each finding's file by its place in the run, its values as a row: in report order, the
        # corpus rules' among them.
        try:
            finding_rows = [(place[finding.path], finding_row(finding)) for finding in run.findings]
        except KeyError:  # a finding of a file not in the run: not a run the pack can give back
            return
        self._write_run_entry(self._named_entry("run pack", files, as_given=True), keys, (outcomes, finding_rows))

    def corpus_rules(self, files: Sequence[str], keys: Sequence[str | None]) -> CorpusRules:
        """The corpus rules' findings, kept under the run's files and their keys (which decide
        every cable the rules see), so that a run served by the cache need not load the rules."""
        if None in keys:
            return corpus_findings
        entry = self._named_entry("corpus rules", files, as_given=True)

        def cached(entries: Sequence[CorpusEntry], settings: Settings) -> list[PlainFinding]:
            again = "running the corpus rules again"
            data = self._read_run_entry(entry, keys, again)
            if data is not None:
                try:
                    return [finding_from_row(stored, path) for path, stored in data]
                except (ValueError, TypeError) as exc:
                    self._unreadable(entry, exc, again)
            findings = corpus_findings(entries, settings)
            self._write_run_entry(entry, keys, [(finding.path, finding_row(finding)) for finding in findings])
            return findings

        return cached

    def _read_checked(self, entry: str, consequence: str = _RELINT) -> Any:
        """What an entry holds: None when there is none or (with a warning) when it is damaged:
        what it held is then made again, and the entry written anew."""
        try:
            data = _read_bytes(entry, mark_used=self.writable)
            newline = data.find(b"\n")
            if newline < 0:
                raise ValueError("no checksum")
            body = memoryview(data)[newline + 1 :]  # not copied: a kept report is megabytes
            # The checksum, not validating every finding, tells a damaged entry: an intact one was
            # written by this very code (its fingerprint is in the key), so its values are right.
            if data[:newline] != b"%08x" % zlib.crc32(body):
                raise ValueError("checksum mismatch")
            return marshal.loads(body)
        except FileNotFoundError:
            return None
        except (OSError, ValueError, EOFError, TypeError) as exc:
            self._unreadable(entry, exc, consequence)
            return None

    def _unreadable(self, entry: str, exc: Exception, consequence: str) -> None:
        self.warn(f"cache entry {entry} is unreadable ({type(exc).__name__})", consequence)

    def _write_checked(self, entry: str, data: Any) -> None:
        """Write an entry with its checksum, atomically (a rename): a run at the same time reads
        the whole entry or none."""
        if not self.writable:
            return
        try:
            body = marshal.dumps(data)
        except ValueError:  # a value of a type marshal does not store (a str subclass, say)
            self.warn(f"cannot store a result in the cache entry {entry}", "that file is linted again next time")
            return
        folder = os.path.dirname(entry)
        temporary = None
        try:
            import tempfile

            if folder not in self._made:
                self._prepare(folder)
                self._made.add(folder)
            handle, temporary = tempfile.mkstemp(prefix=".tmp-", dir=folder)
            with os.fdopen(handle, "wb") as stream:
                stream.write(b"%08x\n" % zlib.crc32(body))
                stream.write(body)
            os.replace(temporary, entry)
        except OSError as exc:
            if temporary is not None:  # a full disk: what was written of it goes
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
            self.writable = False
            self.warn(f"cannot write the cache in {self.directory} ({exc.strerror or exc})")

    def _prepare(self, folder: str) -> None:
        """Make a folder of the cache; the first time, see whether the cache's own folder is
        cableschema's (:meth:`_claim`)."""
        if self._owned is None:
            self._owned = self._claim()
        os.makedirs(folder, exist_ok=True)

    def _claim(self) -> bool:
        """Whether the cache's folder is cableschema's: one that holds its tag, or a new or empty
        one, which is then tagged and given a ``.gitignore`` of everything in it. A folder of
        other files that ``cache-dir`` names is written to as it is, but neither tagged nor ever
        pruned: what else is in it is not the cache's to remove."""
        directory = os.fspath(self.directory)
        if _tagged(directory):
            return True
        try:
            if os.listdir(directory):
                return False
        except FileNotFoundError:
            pass
        os.makedirs(directory, exist_ok=True)
        with open(os.path.join(directory, CACHE_TAG), "w", encoding="utf-8") as tag:
            tag.write(_TAG_TEXT)
        with open(os.path.join(directory, ".gitignore"), "w", encoding="utf-8") as ignore:
            ignore.write("*\n")
        return True


_TAG_TEXT = "Signature: 8a477f597d28d172789f06886806bc55\n# cableschema's cache: safe to delete\n"


def _tagged(directory: str) -> bool:
    """Whether a folder holds cableschema's cache tag (another tool's ``CACHEDIR.TAG`` is not it)."""
    try:
        with open(os.path.join(directory, CACHE_TAG), "rb") as tag:
            return tag.read(len(_TAG_TEXT) + 1) == _TAG_TEXT.encode()
    except OSError:
        return False


def _chunk_list_key(key: str) -> str:
    """Where a large file's list of chunk keys is kept: apart from whole files' entries."""
    return hashlib.sha256(f"chunks\t{key}".encode()).hexdigest()


def _file_digest(path: str) -> str | None:
    """SHA-256 of a file's bytes; None when it cannot be read."""
    digest = hashlib.sha256()
    try:
        with open_input(path) as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def _read_bytes(path: str, mark_used: bool = False) -> bytes:
    """A file's bytes, read without a buffered stream, in one read of the size it has (one copy:
    a kept report is megabytes) and on to its end should it have grown: half the cost of
    ``open(path, "rb").read()`` for a small file, and a run served by the cache reads one entry a
    group of files. ``mark_used``: set its mtime to now when it is more than a day old, which
    keeps an entry that runs read from being pruned (see :meth:`Cache.prune`)."""
    handle = os.open(path, os.O_RDONLY)
    try:
        status = os.fstat(handle)
        if mark_used and time.time_ns() - status.st_mtime_ns > _DAY_NS:
            with contextlib.suppress(OSError):  # a cache on a read-only disk is still read
                os.utime(handle if os.utime in os.supports_fd else path)
        chunks = [os.read(handle, status.st_size + 1)]
        while chunks[-1]:
            chunks.append(os.read(handle, 1 << 20))
        return chunks[0] if len(chunks) == 2 else b"".join(chunks)
    finally:
        os.close(handle)


#: The names the cache gives its folders and files (in every layout so far), and only those are
#: pruned: an entry's folder, an entry, and a version folder's own files.
_ENTRY_FOLDER = _regex.compile(r"[0-9a-f]{2}")
_ENTRY_FILE = _regex.compile(r"[0-9a-f]{64}|\.tmp-.+")
_ROOT_FILE = _regex.compile(r"files\.tsv|code|pruned|rules-[0-9a-f]+|\.tmp-.+")


def _subfolders(folder: str, named: re.Pattern[str]) -> list[str]:
    try:
        return [
            entry.path
            for entry in os.scandir(folder)
            if named.fullmatch(entry.name) and entry.is_dir(follow_symlinks=False)
        ]
    except OSError:
        return []


def _files(folder: str) -> list[os.DirEntry[str]]:
    try:
        return [entry for entry in os.scandir(folder) if entry.is_file(follow_symlinks=False)]
    except OSError:
        return []


def cache_directory(settings: Settings) -> Path:
    return settings.cache_directory()


# -- progress --------------------------------------------------------------------------------------


@dataclass
class Progress:
    """A progress line on standard error, only on a terminal, only for runs over a second."""

    total: int
    stream: TextIO = field(default_factory=lambda: sys.stderr)
    enabled: bool = True
    started: float = field(default_factory=time.monotonic)
    files: int = 0
    cables: int = 0
    _last: float = 0.0
    _shown: bool = False

    @classmethod
    def create(cls, total: int, quiet: bool) -> Progress:
        stream = sys.stderr
        enabled = (
            not quiet
            and hasattr(stream, "isatty")
            and stream.isatty()
            and not os.environ.get("CI")
            and os.environ.get("TERM") != "dumb"
        )
        return cls(total=total, stream=stream, enabled=enabled)

    def advance(self, cables: int, last: bool = True, done: float = 1.0) -> None:
        """A file, or a part of a large one, is done: ``cables`` more cables, the file finished
        when ``last``, else ``done`` (the share of it read so far) counts towards the bar."""
        self.cables += cables
        if last:
            self.files += 1
        if not self.enabled:
            return
        now = time.monotonic()
        elapsed = now - self.started
        if elapsed < 1.0 or now - self._last < 0.1:
            return
        self._last = now
        rate = self.cables / elapsed if elapsed else 0.0
        # A large file under way counts by the share of its bytes read: a run of one 2 GB file
        # shows its progress and an estimate long before the file is done.
        share = (self.files + (0.0 if last else done)) / max(1, self.total)
        remaining = elapsed * (1 - share) / share if share > 0 else None
        left = "?:??" if remaining is None else f"{int(remaining) // 60}:{int(remaining) % 60:02d}"
        width = 24
        filled = min(width, int(width * share))
        bar = "=" * filled + ">" + " " * (width - filled)
        line = (
            f"[{bar[:width]}] {self.files}/{self.total} files, {self.cables} cables, {rate:,.0f} cables/s, {left} left"
        )
        # Within the terminal's width (asked each time: it may be resized): a line that wraps is
        # not rewritten by the next "\r", and each update would leave a line behind.
        self.stream.write("\r" + line[: self._columns() - 1] + _ERASE_LINE)
        self.stream.flush()
        self._shown = True

    def _columns(self) -> int:
        """The terminal's width. A pseudo-terminal given no size (``docker run -t``, ``script``)
        says 0 columns: then ``$COLUMNS``, else 80, as ``shutil.get_terminal_size`` falls back
        (the bar was cut to its first 19 characters, its counts and rate lost)."""
        try:
            columns = os.get_terminal_size(self.stream.fileno()).columns
        except (OSError, ValueError, AttributeError):
            columns = 0
        if columns <= 0:
            given = os.environ.get("COLUMNS", "")
            columns = int(given) if given.isdecimal() and int(given) > 0 else 80
        return max(20, columns)

    def close(self) -> None:
        if self._shown:
            self.stream.write("\r" + _ERASE_LINE)
            self.stream.flush()


#: The terminal's "erase to the end of the line" (every terminal the bar is shown on has it: not
#: on TERM=dumb).
_ERASE_LINE = "\x1b[K"


# -- the run ---------------------------------------------------------------------------------------


#: Workers per usable CPU at most: more only share the same CPUs, each with its own memory (and
#: ``--jobs 100000`` would start a hundred thousand processes).
MAX_JOBS_PER_CPU = 4


def _jobs(settings: Settings) -> int:
    cpus = available_cpus()
    if settings.jobs <= cpus * MAX_JOBS_PER_CPU:
        return settings.jobs or cpus
    print(
        f"cableschema: warning: {settings.jobs} jobs on {cpus} usable CPUs; "
        f"using {cpus * MAX_JOBS_PER_CPU} ({MAX_JOBS_PER_CPU} a CPU at most)",
        file=sys.stderr,
    )
    return cpus * MAX_JOBS_PER_CPU


def available_cpus(cgroup_root: str = "/sys/fs/cgroup") -> int:
    """The CPUs this process may use: those it is pinned to (``taskset``), no more than a
    container's CPU limit (``docker --cpus 2`` on a 64-core host gives 2, where ``os.cpu_count``
    gives 64: 64 workers on two CPUs' worth of time, each with its own memory)."""
    count = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    quota = _cgroup_cpu_limit(cgroup_root)
    return max(1, min(count, quota) if quota else count)


def _cgroup_cpu_limit(root: str) -> int | None:
    """The CPU limit of the process's cgroup, rounded up; None without one (or off Linux)."""
    candidates: list[tuple[str, str | None]] = [(os.path.join(root, "cpu.max"), None)]  # v2: "QUOTA PERIOD"
    for folder in ("cpu", "cpu,cpuacct"):  # cgroup v1: two files
        candidates.append(
            (os.path.join(root, folder, "cpu.cfs_quota_us"), os.path.join(root, folder, "cpu.cfs_period_us"))
        )
    for quota_file, period_file in candidates:
        try:
            with open(quota_file, encoding="ascii") as stream:
                fields = stream.read().split()
            if period_file is not None:
                with open(period_file, encoding="ascii") as stream:
                    fields.append(stream.read().strip())
            quota, period = int(fields[0]), int(fields[1])
        except (OSError, ValueError, IndexError):
            continue  # no such file, or "max" / "-1": no limit there
        if quota > 0 and period > 0:
            return -(-quota // period)
    return None


def lint_paths(
    files: Sequence[str],
    settings: Settings,
    quiet: bool = False,
    *,
    discovered: bool = False,
    cache: Cache | None = None,
) -> RunResult:
    """Lint the given files and run the corpus rules. ``discovered``: the files are in the order
    ``discover`` gives, so the results need no sorting. ``cache``: the run's cache, when the
    caller opened it already (:func:`open_cache`); else it is opened here, as the settings say."""
    with _fewer_collections():
        if cache is None:
            cache = open_cache(settings)
        if cache is not None and discovered:
            packed = cache.run_pack(files)
            if packed is not None:
                return packed
        progress = Progress.create(len(files), quiet)
        results: list[FileResult | None] = [None] * len(files)  # no placeholder objects: 250,000 files
        keys: list[str | None] = [None] * len(files)  # each file's cache key
        # Results come in file order: each file's findings go to the store as they come (on disk
        # past a bound), not kept with its result until the report.
        findings = FindingStore()
        ends = group_ends(files) if cache is not None else [len(files)]  # (68 ms for 250,000 files)
        groups = _Groups(cache, files, keys, ends) if cache is not None else None
        try:
            for order, part, last, done in _results(files, settings, cache, keys, ends):
                part = _share_strings(part, files[order])
                if groups is not None:
                    groups.add(order, part, last)
                findings.extend(part.findings)
                part.findings = []
                held = results[order]
                if held is None:
                    held = results[order] = part
                else:  # a later chunk of a large file
                    held.format = held.format or part.format
                    held.cables.extend(part.cables)
                    held.error = held.error or part.error
                if last and held.cables:
                    held.error = None  # a file with cables is readable, whatever one chunk said
                progress.advance(len(part.cables), last, done)
        except BaseException:
            findings.close()
            raise
        finally:
            progress.close()
            if cache is not None:
                cache.abandon()
        complete = [r if r is not None else FileResult(path=p) for r, p in zip(results, files, strict=True)]
        if not discovered:
            complete.sort(key=lambda r: _path_key(r.path))
        corpus_rules = cache.corpus_rules(files, keys) if cache is not None else corpus_findings
        findings.add_late(corpus_rules([entry for result in complete for entry in result.cables], settings))
        run = RunResult(files=complete, findings=findings)
        if cache is not None:
            if discovered:
                cache.keep_run_pack(files, keys, run)
            cache.prune()
        return run


_Outcome = tuple[str | None, str | None, list[PlainFinding], list[CorpusEntry]]


def outcome_row(outcome: _Outcome) -> tuple[str | None, str | None, list[Any], list[Any]]:
    """What the cache keeps of a file's (or a chunk's) result, its format, error, findings and
    cables: the findings and cables as rows, without their path (the file's own)."""
    fmt, error, findings, cables = outcome
    return fmt, error, [finding_row(finding) for finding in findings], [cable_row(cable) for cable in cables]


class _Groups:
    """The results of each group of files (see :func:`group_ends`) as they come, in the files'
    order, kept as the group's entry once its last file is done when a file of it was linted (or
    the entry was missing). A file cut in chunks (its chunks are entries of their own), read from
    standard input or without a key is kept as nothing."""

    def __init__(self, cache: Cache, files: Sequence[str], keys: list[str | None], ends: Sequence[int]) -> None:
        self.cache, self.files, self.keys = cache, files, keys
        self.ends = iter(ends)
        self.start, self.end = 0, next(self.ends, 0)
        # Each file's key and its result's parts (the findings list is the result's own: the run
        # takes it from the result, so it is held here, not read back from the result later).
        self.members: list[tuple[str, _Outcome] | None] = []
        self.cut: set[int] = set()  # orders of the group's files that came in parts

    def add(self, order: int, result: FileResult, last: bool) -> None:
        while order >= self.end:  # (a group's results come in its files' order)
            self.start, self.end = self.end, next(self.ends, len(self.files))
            self.members, self.cut = [], set()
        if not last or order in self.cut:
            self.cut.add(order)  # a part of a file cut in chunks
            if not last:
                return
            self.members.append(None)
        else:
            key = self.keys[order]
            outcome = (result.format, result.error, result.findings, result.cables)
            self.members.append((key, outcome) if key is not None and self.files[order] != STDIN else None)
        if order == self.end - 1:
            if self.start in self.cache.changed_groups and len(self.members) == self.end - self.start:
                group = self.files[self.start : self.end]
                self.cache.keep_group(
                    group, [_member_row(m, path) for m, path in zip(self.members, group, strict=True)]
                )
            self.members = []


def _member_row(member: tuple[str, _Outcome] | None, path: str) -> tuple[str, Any] | None:
    """What a group's entry keeps of one file (see :meth:`Cache.group`). A result with a finding
    of another file (none is known to happen) could not be kept path-free: it is kept as nothing."""
    if member is None or any(finding.path != path for finding in member[1][2]):
        return None
    return member[0], outcome_row(member[1])


def open_cache(settings: Settings) -> Cache | None:
    """The run's cache; None without one, or (with a warning) when its place is taken by a file."""
    if not settings.cache:
        return None
    directory = cache_directory(settings)
    if os.path.exists(directory) and not os.path.isdir(directory):
        print(
            f"cableschema: warning: the cache {directory} is not a directory; going on without the cache",
            file=sys.stderr,
        )
        return None
    return Cache(directory, settings)


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """The cyclic garbage collector run every 50,000 new objects, not every 700: a run keeps every
    finding it reads until it ends, and each collection went over them again (a sixth of a run
    served by the cache). What little cyclic garbage linting makes is still collected."""
    threshold = gc.get_threshold()
    gc.set_threshold(50_000, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)


_set_entry_path = CorpusEntry.__dict__["path"].__set__  # (the slot's own setter: the entry is frozen)


def _share_strings(result: FileResult, path: str) -> FileResult:
    """A result as the run keeps it: its path is the run's own string, not a copy unpickled from
    a worker, and its format is interned; about 200 bytes less for each of 250,000 files."""
    if result.path == path and result.path is not path:
        result.path = path
        for cable in result.cables:
            if cable.path == path:
                # An equal string in a frozen entry's slot: its value, hash and order unchanged
                # (making the entry again, 2-3 us a cable, was a tenth of the main process's work).
                _set_entry_path(cable, path)
    if result.format is not None:
        result.format = sys.intern(result.format)
    return result


def group_ends(files: Sequence[str]) -> list[int]:
    """Where each group of files kept in one cache entry ends (the index after its last file).

    A group ends after a file whose name hashes to a multiple of :data:`GROUP_SPAN`, or at
    :data:`GROUP_LIMIT` files: each file decides alone whether a group ends with it, so a file
    added or removed changes its own group only, and a run over part of a tree (a folder) finds
    the groups a run over the whole tree kept, but at its ends."""
    ends: list[int] = []
    last = 0
    for index, path in enumerate(files, 1):
        name = path.rpartition(os.sep)[2].encode("utf-8", "surrogateescape")
        if zlib.crc32(name) % GROUP_SPAN == 0 or index - last >= GROUP_LIMIT:
            ends.append(index)
            last = index
    if last < len(files):
        ends.append(len(files))
    return ends


def _plan(
    files: Sequence[str], settings: Settings, cache: Cache | None, keys: list[str | None], ends: Sequence[int]
) -> Iterator[_Task | _Ready]:
    """Tasks for the workers, or ready results from the cache (see :data:`_Ready`), in file order;
    each file's cache key is put in ``keys``. A large JSON Lines or CSV file is cut into chunks of
    records, each a task and a cache entry of its own: memory stays flat however large the file,
    and a file that grew at its end is linted again only from there. ``ends``: where the cache's
    groups end (see :func:`group_ends`), each read from its entry before its files are planned."""
    start = 0
    for end in ends:
        group = files[start:end]
        kept = cache.group(group) if cache is not None else None
        if cache is not None and kept is None:
            cache.changed_groups.add(start)
        for index, path in enumerate(group):
            for item in _plan_file(start + index, path, settings, cache, keys, kept[index] if kept else None):
                if cache is not None and not isinstance(item, tuple) and item.records is None and item.key is not None:
                    # A file linted whole: its group's entry is written anew. (Marked before the
                    # task goes out, so before its result, or any later file's, comes back.)
                    cache.changed_groups.add(start)
                yield item
        start = end
    if cache is not None:
        cache.save()  # every key is known: write the file index and let it go before the report


def _plan_file(
    order: int,
    path: str,
    settings: Settings,
    cache: Cache | None,
    keys: list[str | None],
    kept: tuple[str, Any] | None = None,
) -> Iterator[_Task | _Ready]:
    """The tasks or ready results of one file (see :func:`_plan`); ``kept``: what its group's
    entry keeps of it."""
    if path == STDIN:  # only this process can read it: linted here, never cached
        yield order, 0, lint_file(path, settings), True, 1.0
        return
    try:
        status: os.stat_result | None = os.stat(path)
    except OSError:
        status = None
    size = status.st_size if status is not None else 0
    fmt = _streamed_format(path, settings) if size > CHUNK_THRESHOLD else None
    key = keys[order] = cache.key(path, status) if cache is not None and status is not None else None
    if fmt is not None:
        taken = cache.taken(status) if cache is not None and status is not None else None
        given = yield from _plan_large(order, path, fmt, settings, cache, keys, size, taken)
        if given is None:
            return
        if given:
            # It cannot be opened now, after some of its chunks came from the cache: the rest is
            # the whole file's lint (which says why it cannot be read), as the next part.
            yield _Task(order, given, path)
            return
    if cache is not None and key is not None and kept is not None and kept[0] == key:
        cached = cache.outcome(kept[1], path)
        if cached is not None:
            yield order, 0, cached, True, 1.0
            return
    if cache is not None and key is not None and status is not None:
        cache.sent(order, key, status)
    yield _Task(order, 0, path, key=key, size=size)


def _plan_large(
    order: int,
    path: str,
    fmt: str,
    settings: Settings,
    cache: Cache | None,
    keys: list[str | None],
    size: int,
    taken: tuple[str, bool] | None = None,
) -> Generator[_Task | _Ready, None, int | None]:
    """The parts of a large file: when it is unchanged, its chunks' entries as the list kept under
    its key (in ``keys``) says, without reading and cutting it again; else (or from the first
    entry gone or damaged) its chunks. Returns None when every part was given, or the number
    given before the file could not be opened as text. ``taken``: its stat when its key was
    taken (see :meth:`Cache.as_keyed`)."""
    key = keys[order]
    listed = cache.chunk_list(key) if cache is not None and key is not None else None
    given = 0
    if listed is not None and cache is not None:
        for given, chunk_key in enumerate(listed):
            cached = cache.get(chunk_key, path)
            if cached is None:
                break
            yield order, given, cached, given == len(listed) - 1, (given + 1) / len(listed)
        else:
            return None
    chunks = _chunks(path, fmt, settings)
    if chunks is None:
        return given
    yield from _plan_chunks(order, path, fmt, chunks, cache, keys, given, size, taken)
    return None


def _plan_chunks(
    order: int,
    path: str,
    fmt: str,
    chunks: Iterator[tuple[list[Any], int]],
    cache: Cache | None,
    keys: list[str | None],
    skip: int,
    size: int,
    taken: tuple[str, bool] | None = None,
) -> Iterator[_Task | _Ready]:
    """The chunks of one large file, each from the cache or as a task, but the first ``skip``
    (given already); then their keys are listed under the file's key (in ``keys``), when the
    file is still as it was when that key was taken (``taken``: see :meth:`Cache.as_keyed`);
    else the file has no key (no run's entry keeps it). Each chunk's own key is of the records
    read, whatever happens to the file."""
    key = keys[order]
    chunk_keys: list[str] = []

    def unit(records: list[Any], part: int, last: bool, position: int) -> _Task | _Ready | None:
        chunk_key = cache.chunk_key(path, fmt, records) if cache is not None else None
        if chunk_key is not None:
            chunk_keys.append(chunk_key)
        if part < skip:
            return None
        done = 1.0 if last else min(1.0, position / size) if size else 0.0
        if cache is not None and chunk_key is not None:
            cached = cache.get(chunk_key, path)
            if cached is not None:
                return order, part, cached, last, done
        return _Task(order, part, path, fmt, records, last=last, key=chunk_key, done=done)

    previous: list[Any] | None = None
    position = 0
    part = 0
    for chunk, read in chunks:
        if previous is not None:
            item = unit(previous, part, False, position)
            if item is not None:
                yield item
            part += 1
        previous, position = chunk, read
    item = unit(previous or [], part, True, position)
    if item is not None:
        yield item
    if cache is not None and key is not None:
        if taken is not None and cache.as_keyed(path, key, taken):
            cache.put_chunk_list(key, chunk_keys)
        else:
            keys[order] = None


def _results(
    files: Sequence[str], settings: Settings, cache: Cache | None, keys: list[str | None], ends: Sequence[int]
) -> Iterator[tuple[int, FileResult, bool, float]]:
    """Results per file, or per chunk of a large file, as (order, result, last part, share of the
    file done), in file order (``ends``: the cache's groups, see :func:`group_ends`)."""
    jobs = _jobs(settings)
    plan = _plan(files, settings, cache, keys, ends)

    def finish(task: _Task, result: FileResult) -> FileResult:
        # A chunk's result is an entry of its own; a whole file's is kept with its group, when
        # the file was not changed under the run: else it is kept nowhere (no key).
        if cache is not None and task.key is not None:
            if task.records is not None:
                cache.put(task.key, result)
            elif not cache.linted_as_keyed(task.order, task.path):
                keys[task.order] = None
        return result

    if jobs == 1 or (len(files) <= 1 and not _is_large(files)):
        for item in plan:
            if isinstance(item, tuple):
                order, _, result, last, done = item
                yield order, result, last, done
            else:
                yield item.order, finish(item, _execute(item, settings)), item.last, item.done
        return
    yield from _parallel(files, settings, plan, jobs, finish)


def _is_large(files: Sequence[str]) -> bool:
    """Whether a run of one file may cut it into chunks for the workers."""
    try:
        return any(os.path.getsize(path) > CHUNK_THRESHOLD for path in files)
    except OSError:
        return False


def _execute_batch(tasks: list[_Task]) -> list[FileResult]:
    return [_execute(task) for task in tasks]


def _parallel(
    files: Sequence[str],
    settings: Settings,
    plan: Iterator[_Task | _Ready],
    jobs: int,
    finish: Callable[[_Task, FileResult], FileResult],
) -> Iterator[tuple[int, FileResult, bool, float]]:
    # Small files go to the workers in batches, so that inter-process traffic does not cost more
    # than the linting; chunks of a large file go one by one.
    batch_size = max(1, min(BATCH_FILES, len(files) // (jobs * 8) or 1))
    window = jobs * 3
    # What this process holds before the run (its modules, the settings) is not walked by its
    # collections during the run; pool() freezes again just before the workers are forked.
    gc.freeze()
    executor: _Pool | None = None
    in_flight: list[tuple[list[_Task], _TaskResult]] = []
    # Results not yet emitted, by file: a file's parts (chunks) are emitted as they come once the
    # files before it are done. Batches go out in file order and mostly come back in it; what
    # comes back past a file not yet done waits here, as far as READY_LIMIT lets the plan go on.
    ready: dict[int, dict[int, tuple[FileResult, bool, float]]] = {}
    next_order = 0
    exhausted = False
    batch: list[_Task] = []

    def pool() -> _Pool:
        """The workers, started for the first file that is not in the cache, once the rules (and
        the parser and readers they import) are loaded here: each worker is forked with them
        instead of importing them again."""
        nonlocal executor
        if executor is None:
            load()
            # Workers are forked: objects of this process that the collector never visits again
            # stay shared with them instead of being copied into each one on its first collection.
            gc.freeze()
            executor = _new_pool(jobs, settings)
        return executor

    def submit(tasks: list[_Task]) -> None:
        outcome: _TaskResult
        try:
            outcome = pool().submit(_execute_batch, tasks)
        except _broken_pool_errors() as exc:
            # A worker died before its result was looked at: the pool refuses new work. Hold the
            # batch as failed; the death is handled when the results before it are collected.
            outcome = _Failed(exc)
        in_flight.append((tasks, outcome))

    next_part = 0
    held = 0  # results in ``ready``

    def drain() -> Iterator[tuple[int, FileResult, bool, float]]:
        """Emit, in order, every result whose file's earlier parts and earlier files are out."""
        nonlocal next_order, next_part, held
        while next_part in ready.get(next_order, ()):
            result, last, done = ready[next_order].pop(next_part)
            held -= 1
            yield next_order, result, last, done
            if last:
                del ready[next_order]
                next_order, next_part = next_order + 1, 0
            else:
                next_part += 1

    try:
        while True:
            while not exhausted and len(in_flight) < window and held < READY_LIMIT:
                item = next(plan, None)
                if item is None:
                    exhausted = True
                    break
                if isinstance(item, tuple):
                    order, part, result, last, done = item
                    ready.setdefault(order, {})[part] = (result, last, done)
                    held += 1
                    continue
                if item.records is not None or item.size > ALONE_BYTES:
                    if batch:  # the files before this one go first
                        submit(batch)
                        batch = []
                    submit([item])
                    continue
                batch.append(item)
                if len(batch) >= batch_size or len(batch) >= (len(files) - batch[0].order) // (jobs * 2):
                    # Batches shrink towards the end (from 2 batches a worker left), so that the
                    # workers finish together: with whole batches to the end, one linted its last
                    # alone for up to a batch's time (64 files, 60-90 ms of 1 s on the corpus).
                    submit(batch)
                    batch = []
            if batch and (exhausted or not in_flight or held >= READY_LIMIT):
                submit(batch)
                batch = []
            yield from drain()
            if not in_flight:
                if exhausted:
                    break
                continue
            # The first batch done, not the oldest: while a worker lints a large file, the
            # others go on with the batches after it (their results wait here, in ``ready``).
            tasks, outcome = in_flight.pop(_first_done([outcome for _, outcome in in_flight]))
            try:
                results = outcome.result()
            except _broken_pool_errors():
                names = ", ".join(task.path for task in tasks)
                # (Any file of the pool's may have been the one: a death breaks every batch in
                # flight. Each is linted alone, and only one that dies alone is reported.)
                print(
                    f"cableschema: a worker process died; linting again, each in a process of its own: {names}",
                    file=sys.stderr,
                )
                if executor is not None:
                    executor.shutdown(wait=False, cancel_futures=True)
                executor = None  # a new pool for what is sent next
                results = [_execute_alone(task, settings) for task in tasks]
                # The other batches in flight died with the pool: send them again.
                pending, in_flight = [t for t, _ in in_flight], []
                for other in pending:
                    submit(other)
            for task, result in zip(tasks, results, strict=True):
                ready.setdefault(task.order, {})[task.part] = (finish(task, result), task.last, task.done)
                held += 1
            yield from drain()
    except BaseException:
        # Ctrl-C, or the report's reader gone: a worker may be stuck in a file (on a network
        # disk, say) and it ignores Ctrl-C; waiting for it would make Ctrl-C do nothing.
        if executor is not None:
            _stop_workers(executor)
            executor = None
        raise
    finally:
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
        gc.unfreeze()  # a long-lived caller's garbage is collected again


def _execute_alone(task: _Task, settings: Settings) -> FileResult:
    """A task in a process of its own, after a worker died during its batch: a file that kills
    every process that lints it (more memory than the machine has, a crash in a library) is
    reported as such, an E001, and the run goes on. (Linted again in the main process, it took
    the whole run down with it.)"""
    alone = _new_pool(1, settings)
    try:
        return cast("FileResult", alone.submit(_execute, task).result())
    except _broken_pool_errors():
        pass
    finally:
        alone.shutdown(wait=True, cancel_futures=True)
    problem = ReadProblem(task.path, "cannot lint: every process that linted it died (out of memory, or a crash)")
    return lint_items(task.path, [problem], settings, complete=task.records is None)


class _TaskResult(Protocol):
    """A task's result when it is done: a future of the executor, or of the fork pool."""

    def result(self) -> Any: ...

    def done(self) -> bool: ...


def _first_done(outcomes: Sequence[_TaskResult]) -> int:
    """The index of the first of ``outcomes`` that is done, once one is (waited for)."""
    from . import _forkpool

    while True:
        for index, outcome in enumerate(outcomes):
            if outcome.done():
                return index
        waiting = [outcome for outcome in outcomes if isinstance(outcome, _forkpool.Pending)]
        if waiting:
            _forkpool.wait_first(waiting)
        else:
            from concurrent.futures import FIRST_COMPLETED, Future, wait

            wait([outcome for outcome in outcomes if isinstance(outcome, Future)], return_when=FIRST_COMPLETED)


class _Pool(Protocol):
    """What a run asks of its workers: the executor, or the fork pool."""

    def submit(self, function: Callable[..., Any], /, *args: Any) -> _TaskResult: ...

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None: ...


class _Failed:
    """The outcome of a batch the pool refused."""

    def __init__(self, error: BaseException) -> None:
        self._error = error

    def result(self) -> Any:
        raise self._error

    def done(self) -> bool:
        return True


def _new_pool(jobs: int, settings: Settings) -> _Pool:
    """``jobs`` worker processes, each with the settings and the rules loaded: forked by
    :mod:`cableschema._forkpool` where it is available, else by the executor."""
    from . import _forkpool

    if _forkpool.AVAILABLE:
        return _forkpool.ForkPool(jobs, _init_worker, (settings,))
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(settings,))


def _broken_pool_errors() -> tuple[type[BaseException], ...]:
    """What a pool raises for a task once one of its workers has died."""
    from . import _forkpool

    if _forkpool.AVAILABLE:
        return (_forkpool.WorkerDied,)
    from concurrent.futures.process import BrokenProcessPool

    return (BrokenProcessPool,)


def _stop_workers(executor: _Pool) -> None:
    """End a pool now: pending tasks cancelled and the workers terminated, not waited for."""
    from . import _forkpool

    if isinstance(executor, _forkpool.ForkPool):
        executor.terminate()
        return
    processes = list((getattr(executor, "_processes", None) or {}).values())
    executor.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(Exception):
            process.terminate()
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(1)


def _holds_only_a_cache(directory: Path) -> bool:
    """Whether a configured cache directory holds nothing but what the cache writes: removing it
    then removes nothing else (a ``cache-dir = "."`` must not take the project with it)."""
    try:
        names = set(os.listdir(directory))
    except OSError:
        return False
    ours = {CACHE_TAG, ".gitignore"}
    return _tagged(os.fspath(directory)) and all(name in ours or re.fullmatch(r"v[0-9]+", name) for name in names)


def clean_cache(paths: Sequence[str]) -> list[str]:
    """Remove the cache directories that runs over ``paths`` would use."""
    from .config import ConfigError, load_settings

    removed: list[str] = []
    try:
        settings = load_settings(paths)
        config, configured = settings.config_path, settings.cache_dir
    except ConfigError:  # a broken configuration: its folder's default cache is still removed
        config, configured = find_config(paths), None
    candidates = [Path.cwd() / ".cableschema_cache"]
    if config is not None:
        candidates.insert(0, config.parent / ".cableschema_cache")
    if configured is not None and configured not in candidates and _holds_only_a_cache(configured):
        candidates.insert(0, configured)
    import shutil  # here: it imports the compression modules (3.5 ms of every run's start)

    for candidate in candidates:
        if candidate.is_dir():
            try:
                shutil.rmtree(candidate)
                removed.append(str(candidate))
            except OSError as exc:
                print(f"cableschema: cannot remove {candidate}: {exc.strerror or exc}", file=sys.stderr)
    return removed
