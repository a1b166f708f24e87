"""The lint engine: find the files, read and parse each cable once, run the selected rules, map
their findings back to the source, and gather the run's results.

The engine owns selection, severity overrides, rule isolation (a rule that raises becomes E009),
corpus rules (which see the whole run), caching and parallelism; rules and reporters know
nothing of these. :func:`lint_file` is a pure function of a path and the settings, so that it can
run in worker processes and be cached by content.
"""

from __future__ import annotations

import hashlib
import operator
import os
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

from . import __version__, _regex
from .config import Settings
from .document import STDIN, Document, ReadProblem
from .findings import (
    PlainEdit,
    PlainFinding,
    PlainFix,
    finding_from_row,
    finding_row,
    findings_from_rows,
    from_values,
)
from .rules import (
    REGISTRY,
    Context,
    CorpusEntry,
    FileContext,
    Rule,
    Violation,
    load,
    rules_by_scope,
)
from .selection import GlobSet

# The parser and the readers are imported by the functions that lint, not here: a run that finds
# every file in the cache needs neither (nor the rules, which import them).
if TYPE_CHECKING:
    from .model import Finding
    from .parser import ParsedCable

SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}
_WS = _regex.compile(r"\s+")


@dataclass(slots=True)
class FileResult:
    """The outcome of linting one file."""

    path: str
    format: str | None = None
    findings: list[PlainFinding] = field(default_factory=list)
    cables: list[CorpusEntry] = field(default_factory=list)
    error: str | None = None

    @property
    def reference_ids(self) -> list[str]:
        return [c.reference_id for c in self.cables if c.reference_id]

    def __reduce__(self) -> tuple[Callable[..., FileResult], tuple[object, ...]]:
        # Results come back from the workers pickled, their findings and cables as rows of values
        # without the path, which is the file's (see finding_row).
        return (
            _unpack_file_result,
            (
                self.path,
                self.format,
                [finding_row(f) if f.path == self.path else f for f in self.findings],
                [cable_row(c) if type(c) is CorpusEntry and c.path == self.path else c for c in self.cables],
                self.error,
            ),
        )


_PATH_OF = operator.attrgetter("path")
_CODE_OF = operator.attrgetter("code")
_SEVERITY_OF = operator.attrgetter("severity")
_NAME_OF = operator.attrgetter("name")
_FIX_OF = operator.attrgetter("fix")


@dataclass(slots=True)
class FindingCounts:
    """What reporters and the exit status count over a run's findings, counted in one pass."""

    total: int = 0
    by_path: Counter[str] = field(default_factory=Counter)
    by_code: Counter[str] = field(default_factory=Counter)
    by_severity: Counter[str] = field(default_factory=Counter)
    fixable_by_code: Counter[str] = field(default_factory=Counter)  # findings with any fix
    safe_fixes: int = 0  # findings with a safe fix
    names: dict[str, str] = field(default_factory=dict)  # each code's rule name, as its findings say

    def add_all(self, findings: list[PlainFinding]) -> None:
        """Count ``findings`` in: a field at a time, by Counter's loop in C (one Python loop over
        the findings cost 2 µs a finding)."""
        self.total += len(findings)
        self.by_path.update(map(_PATH_OF, findings))
        codes = list(map(_CODE_OF, findings))
        self.by_code.update(codes)
        self.by_severity.update(map(_SEVERITY_OF, findings))
        self.names.update(zip(codes, map(_NAME_OF, findings), strict=True))
        fixes = list(map(_FIX_OF, findings))
        if fixes.count(None) != len(fixes):
            self.fixable_by_code.update(code for code, fix in zip(codes, fixes, strict=True) if fix is not None)
            self.safe_fixes += sum(1 for fix in fixes if fix is not None and fix.applicability == "safe")

    @classmethod
    def of(cls, findings: Iterable[PlainFinding]) -> FindingCounts:
        counts = cls()
        counts.add_all(list(findings))
        return counts

    def worst_rank(self) -> int:
        """The rank of the most severe finding's severity; -1 when there is none."""
        return max((SEVERITY_RANK[severity] for severity in self.by_severity), default=-1)


@dataclass
class RunResult:
    """The outcome of a run: per-file results and all findings, in a stable order.

    ``findings`` is a list, or for a run of the command line a
    :class:`~cableschema.finding_store.FindingStore` (which may hold them on disk; iterate it,
    do not index it); then the ``files``' own ``findings`` lists are empty."""

    files: list[FileResult]
    findings: Collection[PlainFinding]
    baseline_matched: int | None = None
    baseline_stale: int | None = None
    fixed: int = 0

    @property
    def cables(self) -> int:
        return sum(len(f.cables) for f in self.files)

    @property
    def counts(self) -> FindingCounts:
        """The findings' counts: kept by a store, counted afresh from a list."""
        kept = getattr(self.findings, "counts", None)
        return kept if isinstance(kept, FindingCounts) else FindingCounts.of(self.findings)

    def exit_status(self, fail_on: str) -> int:
        return 1 if self.counts.worst_rank() >= SEVERITY_RANK[fail_on] else 0


# -- discovery -------------------------------------------------------------------------------------


def discover(paths: Sequence[str], settings: Settings) -> tuple[list[str], list[str]]:
    """Files to lint (sorted) and paths that are neither a file nor a directory (missing, or a
    pipe, socket or device). Files named explicitly are always linted; files found in
    directories must match ``include`` and not ``exclude``; pipes, sockets and devices found in
    directories are passed over (reading a named pipe waits for a writer, forever)."""
    found: list[str] = []
    missing: list[str] = []
    exclude = GlobSet(settings.exclude)
    include = GlobSet(settings.include)
    extensionless = "*" in "".join(settings.include)
    cache = _identity(settings.cache_directory())

    def wanted(full: str, name: str) -> bool:
        if exclude.matches(full, name):
            return False
        return include.matches(full, name) or ("." not in name and extensionless)

    for given in paths:
        if os.path.isfile(given) or given == STDIN:
            found.append(given)
        elif os.path.isdir(given):
            _walk(given, exclude, wanted, found, cache)
        else:
            missing.append(given)
    # One directory walked in name order is already in _path_key's order (unless a name holds
    # a backslash, which _path_key reads as a separator): sorting 250,000 keys again is skipped.
    if len(paths) == 1 and not any("\\" in path for path in found):
        return found, missing
    return sorted(set(found), key=_path_key), missing


def _identity(path: os.PathLike[str]) -> tuple[int, int] | None:
    """A directory's device and inode; None when there is none."""
    try:
        status = os.stat(path)
    except (OSError, ValueError):
        return None
    return (status.st_dev, status.st_ino)


def _walk(
    directory: str,
    exclude: GlobSet,
    wanted: Callable[[str, str], bool],
    found: list[str],
    skipped: tuple[int, int] | None = None,
) -> None:
    """Files under ``directory``, depth first, each directory's entries in name order, so that the
    list comes out sorted by path parts. Like ``os.walk``, links to directories are not followed;
    a directory that cannot be read is listed itself, as a file, so that the run reports it (an
    E001) rather than passing its files over in silence. A stack of listings, not recursion: a
    tree thousands of directories deep is walked like any other. ``skipped``: the device and
    inode of a directory not to enter, the cache's (its entries would be linted under any
    ``include``, and change from run to run, whatever the name of the folder ``cache-dir`` sets)."""
    top = _listing(directory)
    if top is None:
        found.append(directory)
        return
    listings = [top]
    while listings:
        item = next(listings[-1], None)
        if item is None:
            listings.pop()
            continue
        full, name, entry = item
        try:
            is_directory = entry.is_dir()
        except OSError:
            continue
        if is_directory:
            if not entry.is_symlink() and not exclude.matches(full, name) and not _is(entry, skipped):
                listing = _listing(full)
                if listing is None:
                    found.append(full)  # unreadable: linted, so that it is reported (E001), not missed
                else:
                    listings.append(listing)
        elif wanted(full, name) and (entry.is_file() or _broken_link(entry)):
            found.append(full)


def _listing(directory: str) -> Iterator[tuple[str, str, os.DirEntry[str]]] | None:
    """(path, name, entry) of a directory's entries in name order; None when it cannot be read."""
    try:
        with os.scandir(directory) as listing:
            entries = sorted((entry.name, entry) for entry in listing)
    except OSError:
        return None
    prefix = os.path.join(directory, "")  # os.path.join(directory, name) for every name, made once
    return ((prefix + name, name, entry) for name, entry in entries)


def _is(entry: os.DirEntry[str], identity: tuple[int, int] | None) -> bool:
    """Whether a directory entry is the directory of that device and inode (the inode is in the
    listing; the device takes a stat, made only for the one inode that matches)."""
    if identity is None:
        return False
    try:
        return entry.inode() == identity[1] and entry.stat(follow_symlinks=False).st_dev == identity[0]
    except OSError:
        return False


def _broken_link(entry: os.DirEntry[str]) -> bool:
    """A link to nothing: linted, so that its file is reported unreadable rather than missed."""
    return entry.is_symlink() and not os.path.exists(entry.path)


def _path_key(path: str) -> tuple[str, ...]:
    """Paths sort by their parts, so that a directory's files come before its subdirectories'."""
    return tuple(path.replace("\\", "/").split("/"))


# -- findings --------------------------------------------------------------------------------------


def _fingerprint(code: str, reference_id: str | None, context: str) -> str:
    # surrogatepass: a lone surrogate (a "\ud800" escape in a JSON record) is damage to report,
    # not a reason to lose the record; every other text encodes as plain UTF-8.
    text = f"{code}\0{reference_id or ''}\0{' '.join(context.split())}"
    digest = hashlib.sha1(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:16]


def _text_context(document: Document, start: int, end: int) -> str:
    text = document.text
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", max(start, end))
    if line_end < 0:
        line_end = len(text)
    return text[line_start : min(line_end, line_start + 400)]  # (not a copy of a whole long line)


# -- cables as rows of values ----------------------------------------------------------------------

# A cable's corpus entry goes from a worker to the main process, and into the cache, as a row: the
# tuple of its values but its path (its file's, known to both ends), as findings do (see
# cableschema.findings.finding_row).

_CABLE_FIELDS = tuple(f.name for f in fields(CorpusEntry) if f.name != "path")
_cable_values = operator.attrgetter(*_CABLE_FIELDS)


def cable_row(cable: CorpusEntry) -> tuple[Any, ...]:
    """A cable's corpus entry as a row: its values but its path (the first field)."""
    values: tuple[Any, ...] = _cable_values(cable)
    return values


def cable_from_row(row: Sequence[Any], path: str) -> CorpusEntry:
    """The corpus entry :func:`cable_row` gave, for a file at ``path``."""
    return CorpusEntry(path, *row)


def _unpack_file_result(
    path: str,
    format: str | None,
    findings: list[tuple[Any, ...] | PlainFinding],
    cables: list[tuple[Any, ...] | CorpusEntry],
    error: str | None,
) -> FileResult:
    rows_only = all(type(f) is tuple for f in findings)  # nearly always: every finding of this path
    return FileResult(
        path,
        format,
        findings_from_rows(findings, path)
        if rows_only
        else [finding_from_row(f, path) if type(f) is tuple else f for f in findings],  # type: ignore[misc]
        [cable_from_row(c, path) if type(c) is tuple else c for c in cables],  # type: ignore[misc]
        error,
    )


def _finding(
    rule: Rule,
    violation: Violation,
    settings: Settings,
    path: str,
    document: Document | None,
    reference_id: str | None,
) -> PlainFinding:
    severity = settings.selection.severity_of(rule.code, rule.severity)
    cable_line: int | None = None
    fix: PlainFix | None = None
    record = violation.record
    if document is not None and violation.location is None:
        record = document.record
        source_map = document.source_map
        # Text offsets already mapped: a fix's edit mostly spans what its finding spans.
        known: dict[int, tuple[int, int]] = {}
        if violation.source_span is not None:
            start, end = violation.source_span
            line, column = source_map.position_of_source_offset(start)
            end_line, end_column = source_map.position_of_source_offset(max(start, end))
            context = source_map.source[start:end]
        else:
            start, end = violation.start, max(violation.start, violation.end)
            position = source_map.position
            line, column = known[start] = position(start)
            end_line, end_column = known[end] = position(end) if end != start else (line, column)
            cable_line = document.cable_line(start)
            context = _text_context(document, start, end)
        if violation.fix is not None and document.fixable:
            fix_edits = violation.fix.edits
            if len(fix_edits) > 2:  # (T504's strip every "<br>" of a cable)
                known.update(source_map.positions(offset for edit in fix_edits for offset in (edit.start, edit.end)))
            edits = []
            for edit in fix_edits:
                e_line, e_col = known.get(edit.start) or source_map.position(edit.start)
                e_end_line, e_end_col = known.get(edit.end) or source_map.position(edit.end)
                edits.append(from_values(PlainEdit, (e_line, e_col, e_end_line, e_end_col, edit.content)))
            fix = from_values(PlainFix, (violation.fix.applicability, violation.fix.message, tuple(edits)))
    else:
        line, column = violation.location or (1, 1)
        end_line, end_column = line, column
        context = violation.message
        if document is not None:
            record = record or document.record
    if end_line < line or (end_line == line and end_column < column):
        end_line, end_column = line, column
    # The fields in PlainFinding's order, built as a tuple (its keyword __new__ took a tenth of
    # a finding's time; a test holds the order to the model's).
    return from_values(
        PlainFinding,
        (
            path,
            record,
            violation.reference_id or reference_id,
            rule.code,
            rule.name,
            severity,
            violation.message,
            line,
            column,
            end_line,
            end_column,
            cable_line,
            fix,
            _fingerprint(rule.code, reference_id, context),
        ),
    )


def _internal_error(
    message: str, settings: Settings, path: str, document: Document, reference_id: str | None
) -> PlainFinding:
    rule = REGISTRY["E009"]
    start = 0
    return _finding(rule, Violation(message, start, start), settings, path, document, reference_id)


# -- one cable, one file ---------------------------------------------------------------------------


#: ASCII whitespace, deleted from a body before it is hashed.
_ASCII_SPACE = bytes(c for c in range(128) if chr(c).isspace())
#: The other characters ``str.split()`` splits on: no-break, typographic and ideographic spaces,
#: line and paragraph separators (written out: finding them takes 1.1 million tests at import).
_WIDE_SPACES = (
    "\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


def _body_hash(parsed: ParsedCable) -> str:
    """A hash of the body with all its whitespace removed, so that re-wrapped copies of a text
    hash alike (M108): the UTF-8 of ``"".join(body.split())``. Deleting bytes is a third of the
    cost of splitting the text into words, which a body without non-ASCII spaces (nearly every
    cable, curly quotes and all) is spared."""
    parts = parsed.parts
    text = parsed.document.text
    starts = parts.line_starts
    # The body's lines are ``text.split("\n")[header end:cable end]``: the text from the first
    # one's start to the next line's start, whose extra newline is whitespace, deleted anyway.
    start = starts[parts.header.end_line] if parts.header.end_line < len(starts) else len(text)
    stop = starts[parts.cable_end_line] if parts.cable_end_line < len(starts) else len(text)
    body = text[start:stop]
    # UTF-8 never puts an ASCII byte inside a wider character's bytes: deleting the bytes of
    # ASCII whitespace deletes those characters and no others.
    data = body.encode("utf-8", "replace").translate(None, _ASCII_SPACE)
    if not body.isascii() and any(space in body for space in _WIDE_SPACES):
        data = "".join(body.split()).encode("utf-8", "replace")
    return hashlib.sha1(data).hexdigest()


def lint_document(
    document: Document, settings: Settings, rules: Sequence[Rule], path: str | None = None
) -> tuple[ParsedCable, list[PlainFinding]]:
    """Parse one document and run the cable rules on it."""
    from .parser import parse

    shown = path if path is not None else document.path
    parsed = parse(document)
    reference_id = parsed.reference_id
    findings: list[PlainFinding] = []
    if parsed.internal_error is not None and settings.selection.is_selected("E009", shown):
        findings.append(
            _internal_error(f"the parser failed: {parsed.internal_error}", settings, shown, document, reference_id)
        )
    if not parsed.is_cable:
        return parsed, findings  # E002 reports it; cable rules have nothing to check
    context = Context(document, parsed)
    for rule in rules:
        try:
            for violation in rule.check(context):  # type: ignore[misc]
                findings.append(_finding(rule, violation, settings, shown, document, reference_id))
        except Exception as exc:  # a failing rule must not stop the others
            if settings.selection.is_selected("E009", shown):
                findings.append(
                    _internal_error(
                        f"rule {rule.code} ({rule.name}) failed: {type(exc).__name__}: {exc}",
                        settings,
                        shown,
                        document,
                        reference_id,
                    )
                )
    return parsed, findings


def _selected(settings: Settings, path: str) -> tuple[list[Rule], list[Rule]]:
    """The cable rules and the file rules selected for a path; computed once per distinct
    per-file ignores, looked up once per file."""
    selection = settings.selection
    ignores = selection.file_ignores(path)
    key = (id(selection), ignores)
    # The registry as it is now, so that a rule added or replaced (tests do) is seen. Its rules
    # compare as themselves first: a tuple of them is checked faster than it is hashed.
    registry = tuple(REGISTRY.values())
    cached = _SELECTED.get(key)
    if cached is not None and cached[0] is selection and cached[1] == registry:
        return cached[2]
    load()
    rules = tuple(
        [r for r in rules_by_scope(scope) if selection.is_selected(r.code, ignores=ignores)]
        for scope in ("cable", "file")
    )
    if len(_SELECTED) > 256:
        _SELECTED.clear()
    _SELECTED[key] = (selection, tuple(REGISTRY.values()), (rules[0], rules[1]))
    return rules[0], rules[1]


_SELECTED: dict[tuple[object, ...], tuple[object, tuple[Rule, ...], tuple[list[Rule], list[Rule]]]] = {}


def lint_file(path: str, settings: Settings, display_path: str | None = None) -> FileResult:
    """Lint one file: every record, every selected rule. Never raises for bad content."""
    from .readers import iter_file

    shown = display_path if display_path is not None else path
    items = iter_file(path, settings.input_format, display_path=shown, max_record_bytes=settings.max_record_bytes)
    return lint_items(shown, items, settings)


_OUT_OF_MEMORY = "cannot lint file: out of memory (it needs more than this process may take)"


def lint_items(
    shown: str, items: Iterable[Document | ReadProblem], settings: Settings, complete: bool = True
) -> FileResult:
    """Lint what a reader yields for one file (or, ``complete=False``, for a chunk of its records)."""
    result = FileResult(path=shown)
    cable_rules, file_rules = _selected(settings, shown)
    problems: list[ReadProblem] = []
    documents: list[Document] = []
    parsed_all: list[ParsedCable] = []
    try:
        for item in items:
            if isinstance(item, ReadProblem):
                problems.append(item)
                continue
            result.format = result.format or item.format
            parsed, findings = lint_document(item, settings, cable_rules, shown)
            result.findings.extend(findings)
            if parsed.is_cable:
                result.cables.append(_corpus_entry(shown, parsed))
            if not parsed.is_cable:
                documents.append(item)
                parsed_all.append(parsed)
    except MemoryError:  # (what is held is let go with the frame: the run goes on)
        problems.append(ReadProblem(shown, _OUT_OF_MEMORY))
    except Exception as exc:  # an unexpected failure in a reader: report it, go on with the run
        problems.append(ReadProblem(shown, f"cannot read file: {type(exc).__name__}: {exc}"))
    if problems and not result.cables and not documents:
        result.error = problems[0].message
    file_context = FileContext(shown, result.format, problems, documents, parsed_all, len(result.cables), complete)
    for rule in file_rules:
        try:
            for violation in rule.check(file_context):  # type: ignore[misc]
                result.findings.append(_finding(rule, violation, settings, shown, None, violation.reference_id))
        except Exception as exc:  # a failing rule must not stop the others
            if settings.selection.is_selected("E009", shown):
                failure = Violation(
                    f"rule {rule.code} ({rule.name}) failed: {type(exc).__name__}: {exc}", location=(1, 1)
                )
                result.findings.append(_finding(REGISTRY["E009"], failure, settings, shown, None, None))
    result.findings.sort(key=_in_file_key)  # every finding here has the path ``shown``
    return result


def _corpus_entry(path: str, parsed: ParsedCable) -> CorpusEntry:
    document = parsed.document
    metadata_span = document.metadata.spans.get("reference_id")
    if metadata_span is not None:
        line, column = document.source_map.position_of_source_offset(metadata_span[0])
        end_line, end_column = document.source_map.position_of_source_offset(metadata_span[1])
        cable_line = None
    else:
        start = parsed.parts.line_starts[parsed.parts.cable_start_line] if parsed.parts.lines else 0
        line, column = document.position(start)
        end_line, end_column = line, column
        cable_line = document.cable_line(start)
    return CorpusEntry(
        path=path,
        record=document.record,
        reference_id=parsed.reference_id,
        text_hash=_body_hash(parsed),
        line=line,
        column=column,
        end_line=end_line,
        end_column=end_column,
        cable_line=cable_line,
    )


def _in_file_key(finding: PlainFinding) -> tuple[object, ...]:
    """The order of one file's findings: record, position, code and message."""
    return (finding.record or 0, finding.line, finding.column, finding.code, finding.message)


def _finding_key(finding: PlainFinding) -> tuple[object, ...]:
    """Findings sort by path, then as in their file."""
    return (_path_key(finding.path), *_in_file_key(finding))


def _sort_findings(findings: list[PlainFinding]) -> None:
    """Sort by _finding_key, splitting each distinct path once (a run's findings share few)."""
    path_keys: dict[str, tuple[str, ...]] = {}

    def key(finding: PlainFinding) -> tuple[object, ...]:
        path = finding.path
        path_key = path_keys.get(path)
        if path_key is None:
            path_key = path_keys[path] = _path_key(path)
        return (path_key, *_in_file_key(finding))

    findings.sort(key=key)


# -- the run ---------------------------------------------------------------------------------------


def corpus_findings(entries: Sequence[CorpusEntry], settings: Settings) -> list[PlainFinding]:
    load()
    findings: list[PlainFinding] = []
    for rule in rules_by_scope("corpus"):
        for violation in rule.check(entries):  # type: ignore[misc]
            entry = violation.entry
            if not settings.selection.is_selected(rule.code, entry.path):
                continue
            severity = settings.selection.severity_of(rule.code, rule.severity)
            findings.append(
                PlainFinding(
                    path=entry.path,
                    record=entry.record,
                    reference_id=entry.reference_id,
                    code=rule.code,
                    name=rule.name,
                    severity=severity,
                    message=violation.message,
                    line=entry.line,
                    column=entry.column,
                    end_line=entry.end_line,
                    end_column=entry.end_column,
                    cable_line=entry.cable_line,
                    fix=None,
                    fingerprint=_fingerprint(rule.code, entry.reference_id, violation.message),
                )
            )
    return findings


def iter_results(files: Sequence[str], settings: Settings) -> Iterator[FileResult]:
    """Lint files one after another (the parallel, cached runner is in :mod:`.runner`)."""
    for path in files:
        yield lint_file(path, settings)


CorpusRules = Callable[[Sequence[CorpusEntry], Settings], list[PlainFinding]]


def run(
    paths: Sequence[str],
    settings: Settings,
    results: Iterable[FileResult] | None = None,
    *,
    ordered: bool = False,
    corpus_rules: CorpusRules = corpus_findings,
) -> RunResult:
    """Lint paths (files and directories) and run the corpus rules over all their cables.
    ``ordered``: the results are already in the order ``discover`` gives. ``corpus_rules``: what
    finds the corpus rules' findings (the runner's cache keeps them)."""
    if results is None:
        files, _ = discover(paths, settings)
        results = iter_results(files, settings)
        ordered = True
    collected = list(results) if ordered else sorted(results, key=lambda r: _path_key(r.path))
    entries = [entry for result in collected for entry in result.cables]
    findings = [f for result in collected for f in result.findings]
    findings.extend(corpus_rules(entries, settings))
    _sort_findings(findings)
    return RunResult(files=collected, findings=findings)


# -- the Python API --------------------------------------------------------------------------------


def lint(
    source: str | os.PathLike[str],
    select: Sequence[str] | str | None = None,
    ignore: Sequence[str] | str | None = None,
) -> list[Finding]:
    """Lint a path (file or directory) or, when ``source`` is not an existing path, cable text.

    >>> findings = lint("07ASTANA2221 is not a cable")
    >>> [f.code for f in findings]
    ['E002']
    """
    from .selection import Selection, parse_codes

    settings = Settings(
        selection=Selection(
            select=parse_codes(select, "select") if select is not None else ("ALL",),
            ignore=parse_codes(ignore, "ignore"),
        ),
        cache=False,
    )
    as_path = os.fspath(source)
    if "\n" not in as_path and len(as_path) < 4096 and os.path.exists(as_path):
        findings: Iterable[PlainFinding] = run([as_path], settings).findings
    else:
        findings = lint_text(as_path, settings)
    return [finding.model() for finding in findings]


def lint_text(text: str, settings: Settings, path: str = "<string>", format: str | None = None) -> list[PlainFinding]:
    """Lint cable text held in memory."""
    from .readers import read_string

    cable_rules, file_rules = _selected(settings, path)
    findings: list[PlainFinding] = []
    documents: list[Document] = []
    parsed_all: list[ParsedCable] = []
    problems: list[ReadProblem] = []
    entries: list[CorpusEntry] = []
    for item in read_string(text, path, format):
        if isinstance(item, ReadProblem):
            problems.append(item)
            continue
        parsed, found = lint_document(item, settings, cable_rules, path)
        findings.extend(found)
        if parsed.is_cable:
            entries.append(_corpus_entry(path, parsed))
        else:
            documents.append(item)
            parsed_all.append(parsed)
    context = FileContext(path, None, problems, documents, parsed_all, len(entries))
    for rule in file_rules:
        for violation in rule.check(context):  # type: ignore[misc]
            findings.append(_finding(rule, violation, settings, path, None, violation.reference_id))
    findings.extend(corpus_findings(entries, settings))
    _sort_findings(findings)
    return findings


def tool_version() -> str:
    return __version__
