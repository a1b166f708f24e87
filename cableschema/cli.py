"""The command line: ``cableschema lint | parse | rule | rules | schema | generate | clean``.

Exit status: 0 when no finding is at or above ``--fail-on``, 1 when one is, 2 for usage or
configuration errors. Findings go to standard output, progress and diagnostics to standard
error. Errors are one line; no traceback reaches the user.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import errno
import gc
import io
import json
import os
import stat
import sys
import typing
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from . import __version__

if TYPE_CHECKING:
    from collections import Counter

    from .config import Settings
    from .document import Document
    from .engine import RunResult
    from .reporters import ReportContext
    from .runner import Cache, ReportPacker

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A usage or configuration error: printed as one line, exit status 2."""


def _terminal_columns() -> int:
    """``shutil.get_terminal_size().columns``, without importing shutil: it imports the zlib, bz2
    and lzma modules, 3.5 ms of every run's start, where argparse sizes a help formatter for each
    option it is given (``$COLUMNS``, else the width of the terminal on standard output, else 80)."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):  # no standard output, or not a terminal
            columns = 0
    return columns or 80


class _HelpFormatter(argparse.HelpFormatter):
    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None):
        # (argparse's own default: the terminal's width less 2)
        super().__init__(prog, indent_increment, max_help_position, _terminal_columns() - 2 if width is None else width)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> Any:  # argparse's own errors: one line, exit 2
        self.exit(EXIT_USAGE, f"cableschema: error: {message}\n")


def _add_lint(sub: Any) -> None:
    lint = sub.add_parser(
        "lint",
        help="lint cables: files and directories (recursively)",
        description="Lint cable files: HTML pages, text, JSON Lines, CSV. Directories are searched recursively.",
    )
    lint.add_argument("paths", nargs="*", metavar="PATH", help="files or directories (default: .)")
    lint.add_argument("--format", choices=("text", "json", "sarif", "junit", "github"), default="text")
    lint.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE instead of standard output")
    lint.add_argument("--select", metavar="CODES", help="comma-separated codes or prefixes to run (ALL for every rule)")
    lint.add_argument("--extend-select", metavar="CODES", help="codes or prefixes to add to the selection")
    lint.add_argument("--ignore", metavar="CODES", help="codes or prefixes not to run")
    lint.add_argument(
        "--per-file-ignores",
        metavar="GLOB:CODES",
        action="append",
        default=[],
        help="ignore codes for files matching GLOB (repeatable), e.g. 'scraped/*.txt:W601,W602'",
    )
    lint.add_argument(
        "--severity",
        metavar="CODE=LEVEL",
        action="append",
        default=[],
        help="override a code's (or prefix's) severity, e.g. T507=info (repeatable)",
    )
    lint.add_argument(
        "--fail-on",
        choices=("error", "warning", "info"),
        help="lowest severity that fails the run (default: error)",
    )
    lint.add_argument("--exit-zero", action="store_true", help="exit 0 even when findings fail the run")
    lint.add_argument("--baseline", metavar="FILE", help="report only findings not recorded in FILE")
    lint.add_argument("--write-baseline", metavar="FILE", help="record the current findings in FILE")
    lint.add_argument("--statistics", action="store_true", help="print counts per code (and stale baseline entries)")
    lint.add_argument(
        "--config", metavar="FILE", help="configuration file (default: found by walking up from the paths)"
    )
    lint.add_argument("--isolated", action="store_true", help="ignore configuration files")
    lint.add_argument(
        "--include", metavar="GLOB", action="append", help="file globs to lint in directories (repeatable)"
    )
    lint.add_argument(
        "--exclude",
        metavar="GLOB",
        action="append",
        help="globs of files and directories to skip (repeatable)",
    )
    lint.add_argument("--extend-exclude", metavar="GLOB", action="append", default=[], help="add to the exclusions")
    lint.add_argument("--input-format", metavar="FORMAT", help="read every file as FORMAT instead of detecting it")
    lint.add_argument("--max-record-size", metavar="SIZE", help="largest file or record read (default 64MB)")
    lint.add_argument("--jobs", "-j", type=int, metavar="N", help="worker processes (default: one per usable CPU)")
    lint.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    lint.add_argument("--fix", action="store_true", help="apply safe fixes to the files")
    lint.add_argument("--unsafe-fixes", action="store_true", help="also apply fixes that are not certain")
    lint.add_argument("--diff", action="store_true", help="show the fixes as a diff; write nothing")
    lint.add_argument("--quiet", "-q", action="store_true", help="no progress bar and no summary line")
    lint.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    lint.add_argument("--no-show-source", action="store_true", help="do not show source lines under findings")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="cableschema",
        description="Data quality and schema validation for the cables of the Cablegate release.",
    )
    parser.add_argument("--version", action="version", version=f"cableschema {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    _add_lint(sub)

    parse = sub.add_parser("parse", help="parse cables into cable/1-0-0 documents")
    parse.add_argument("paths", nargs="+", metavar="PATH")
    parse.add_argument("--format", choices=("json", "jsonl", "text"), default="json")
    parse.add_argument("--input-format", metavar="FORMAT", help="read every file as FORMAT instead of detecting it")
    parse.add_argument("--output", "-o", metavar="FILE")

    rule = sub.add_parser("rule", help="print a rule's documentation")
    rule.add_argument("code", metavar="CODE")

    rules = sub.add_parser("rules", help="print the rule catalogue")
    rules.add_argument("--format", choices=("text", "json", "markdown"), default="text")

    for module_name in ("schema_cli", "generate"):
        try:
            module = __import__(f"{__package__}.{module_name}", fromlist=["add_parser"])
        except ImportError:  # pragma: no cover - a subcommand still being written
            continue
        module.add_parser(sub)

    clean = sub.add_parser("clean", help="remove the cache directory")
    clean.add_argument("paths", nargs="*", metavar="PATH", help="where to look for the configuration (default: .)")
    return parser


# -- lint ------------------------------------------------------------------------------------------


def _settings_for_lint(args: argparse.Namespace) -> Any:
    from .config import ConfigError, Settings, load_settings, parse_size
    from .selection import Selection, SelectionError, parse_codes, parse_severity

    paths = args.paths or ["."]
    try:
        settings = Settings() if args.isolated else load_settings(paths, args.config)
        selection = settings.selection
        changes: dict[str, Any] = {}
        if args.select is not None:
            changes["select"] = parse_codes(args.select, "--select")
        if args.ignore is not None:
            changes["ignore"] = selection.ignore + parse_codes(args.ignore, "--ignore")
        if args.extend_select is not None:
            changes["extend_select"] = selection.extend_select + parse_codes(args.extend_select, "--extend-select")
        per_file = list(selection.per_file_ignores)
        for item in args.per_file_ignores:
            glob, sep, codes = item.rpartition(":")
            if not sep or not glob:
                raise UsageError(f"--per-file-ignores: {item!r} is not GLOB:CODES")
            per_file.append((glob, parse_codes(codes, "--per-file-ignores")))
        severity = dict(selection.severity)
        for item in args.severity:
            parsed, level = parse_severity(item, "--severity")
            severity[parsed] = level
        selection = Selection(
            select=changes.get("select", selection.select),
            ignore=changes.get("ignore", selection.ignore),
            extend_select=changes.get("extend_select", selection.extend_select),
            per_file_ignores=tuple(per_file),
            severity=severity,
        )
        overrides: dict[str, Any] = {"selection": selection}
        if args.fail_on:
            overrides["fail_on"] = args.fail_on
        if args.include:
            overrides["include"] = tuple(args.include)
        if args.exclude:
            overrides["exclude"] = tuple(args.exclude)
        if args.extend_exclude:
            overrides["exclude"] = overrides.get("exclude", settings.exclude) + tuple(args.extend_exclude)
        if args.input_format:
            from .readers import FORMATS  # the readers are loaded when a file is read, not before

            if args.input_format not in FORMATS:
                raise UsageError(f"--input-format: {args.input_format!r} is not one of {', '.join(FORMATS)}")
            overrides["input_format"] = args.input_format
        if args.max_record_size:
            overrides["max_record_bytes"] = parse_size(args.max_record_size)
        if args.jobs is not None:
            if args.jobs < 0:
                raise UsageError("--jobs must be 0 (one per CPU) or more")
            overrides["jobs"] = args.jobs
        if args.no_cache:
            overrides["cache"] = False
        if args.unsafe_fixes:
            overrides["unsafe_fixes"] = True
        return settings.with_overrides(**overrides)
    except (ConfigError, SelectionError) as exc:
        raise UsageError(str(exc)) from None


def _open_output(path: str | None, machine: bool) -> TextIO:
    """Where the report goes. A file name that is not UTF-8 (its bytes kept as lone surrogates, as
    Python reads them) is written as a ``\\udcXX`` escape, which a JSON reader reads back as the
    same name; a character the terminal's encoding lacks, likewise. JSON and XML (``machine``) are
    UTF-8 on standard output too, whatever the locale."""
    if path is None:
        if isinstance(sys.stdout, io.TextIOWrapper):
            sys.stdout.reconfigure(encoding="utf-8" if machine else None, errors="backslashreplace")
        return sys.stdout
    try:
        return open(path, "w", encoding="utf-8", errors="backslashreplace", newline="\n")
    except OSError as exc:
        raise UsageError(f"--output: cannot write {path}: {exc.strerror or exc}") from None


@contextlib.contextmanager
def _report_output(path: str | None, machine: bool) -> Iterator[TextIO]:
    """The report's stream (:func:`_open_output`), closed at the end. A run that fails while its
    report is written (a full disk, the findings' temporary file unreadable, Ctrl-C) leaves no
    half-written report behind for the next CI step to read: the file is removed, and the command
    says why in one line. A device, a pipe or a link named by ``-o`` (``/dev/null``) is only closed."""
    stream = _open_output(path, machine)
    if stream is sys.stdout:
        yield stream
        return
    try:
        yield stream
        stream.close()  # it flushes: a full disk shows here
    except BaseException:
        with contextlib.suppress(OSError, ValueError):
            stream.close()
        assert path is not None
        with contextlib.suppress(OSError):
            if stat.S_ISREG(os.lstat(path).st_mode):  # not through a link (/dev/stdout is one)
                os.unlink(path)
        raise


def _check_writable(option: str, target: str) -> None:
    """A usage error when ``target`` cannot be written: its folder is missing, or it is a folder."""
    folder = os.path.dirname(os.path.abspath(target))
    if os.path.isdir(target):
        raise UsageError(f"{option}: cannot write {target}: it is a directory")
    if not os.path.isdir(folder):
        raise UsageError(f"{option}: cannot write {target}: no directory {folder}")
    # The report is written into the file (or made in its folder); a baseline is made in the
    # folder of the file it replaces and renamed over it.
    exists = os.path.exists(target)
    needed = [target] if exists else [folder]
    if option == "--write-baseline" and os.path.isfile(target):
        needed.append(os.path.dirname(os.path.realpath(target)))
    for place in needed:
        if not os.access(place, os.W_OK | (os.X_OK if os.path.isdir(place) else 0)):
            raise UsageError(f"{option}: cannot write {target}: permission denied ({place})")


def _one_of(target: str, files: Sequence[str]) -> str | None:
    """The one of ``files`` that is the file ``target``, looked for by its name and the name of
    the file it links to (a quarter of a million files are not each looked up); a file of
    several names (hard links) is looked for among all of them."""
    try:
        status = os.stat(target)
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(status.st_mode):
        return None
    names = {os.path.basename(target), os.path.basename(os.path.realpath(target))}
    for path in files:
        if os.path.basename(path) in names:
            with contextlib.suppress(OSError, ValueError):
                if os.path.samefile(path, target):
                    return path
    if status.st_nlink > 1:
        for path in files:
            with contextlib.suppress(OSError, ValueError):
                other = os.stat(path)
                if (other.st_ino, other.st_dev) == (status.st_ino, status.st_dev):
                    return path
    return None


def _not_found(path: str) -> str:
    """Why a path given on the command line is not linted."""
    import stat

    try:
        mode = os.stat(path).st_mode
    except OSError as exc:  # missing, a link to nothing, a loop of links, a folder not to be entered
        return f"{path}: {(exc.strerror or 'no such file or directory').lower()}"
    kind = "a named pipe" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
    return f"{path}: {kind}, not a file; give its content on standard input ('-') instead"


def _color(choice: str, stream: TextIO) -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    return hasattr(stream, "isatty") and stream.isatty() and os.environ.get("TERM") != "dumb"


def command_lint(args: argparse.Namespace) -> int:
    from . import baseline as baseline_module
    from .engine import discover
    from .runner import lint_paths, open_cache

    settings = _settings_for_lint(args)
    paths = args.paths or ["."]
    files, missing = discover(paths, settings)
    if missing:
        raise UsageError(_not_found(missing[0]))
    for option, target in (("--output", args.output), ("--write-baseline", args.write_baseline)):
        if target and (linted := _one_of(target, files)) is not None:
            # An earlier report or baseline in the linted tree is no input; a file linted under
            # another name (a link to it) is one, and writing the report there would change it.
            if linted in paths or os.path.abspath(linted) != os.path.abspath(target):
                raise UsageError(f"{option}: {target} is one of the files linted; writing there would replace it")
            files.remove(linted)
        if target:
            _check_writable(option, target)  # before the run, not after half an hour of it
    entries = None
    if args.baseline:  # read before the run: a bad baseline is said at once
        try:
            entries = baseline_module.load(args.baseline)
        except baseline_module.BaselineError as exc:
            raise UsageError(str(exc)) from None
    if args.diff:
        # The diff is the whole output: nothing else is written, so no option that writes
        # something else is taken (and silently dropped).
        given = [
            option for option, value in (("--output", args.output), ("--write-baseline", args.write_baseline)) if value
        ] + (["--format"] if args.format != "text" else [])
        if given:
            raise UsageError(f"--diff writes only the diff: it cannot be combined with {', '.join(given)}")
    if args.fix or args.diff:
        from .document import STDIN
        from .fix_runner import fix_files

        if STDIN in files:
            raise UsageError("--fix and --diff change files; standard input ('-') is not one")

        outcome = fix_files(files, settings, diff=args.diff, quiet=args.quiet)
        if args.diff:  # as gofmt -d: 1 when there is a diff, so that CI can ask "anything to fix?"
            return EXIT_FINDINGS if outcome.fixed and not args.exit_zero else EXIT_OK
        return _report(args, settings, files, outcome, entries)
    # A report of a run over unchanged files is written again from the cache, as it was (see
    # Cache.report); never when the run writes anything besides it (a fix, a baseline).
    cache = None
    if settings.cache and not args.write_baseline:
        cache = open_cache(settings)
        if cache is None:  # its place is taken, as open_cache said: the run goes on without it
            settings = dataclasses.replace(settings, cache=False)
    kind = _report_kind(args, settings)
    shape = _report_shape(files, entries) if cache is not None else ""
    if cache is not None and (kept := cache.report(files, kind, shape)) is not None:
        with _report_output(args.output, machine=args.format in ("json", "sarif", "junit")) as stream:
            kept.write(stream)
        sys.stderr.write(kept.err)
        return EXIT_OK if args.exit_zero else kept.status
    run = lint_paths(files, settings, quiet=args.quiet, discovered=True, cache=cache)
    return _report(args, settings, files, run, entries, cache, (kind, shape))


def _report_context(args: argparse.Namespace, settings: Settings) -> ReportContext:
    from .reporters import ReportContext

    is_text = args.format == "text"
    return ReportContext(
        color=is_text and args.output is None and _color(args.color, sys.stdout),
        show_source=is_text and args.output is None and not args.no_show_source and sys.stdout.isatty(),
        statistics=args.statistics and is_text,
        fail_on=settings.fail_on,
        summary=not args.quiet,
    )


def _report_kind(args: argparse.Namespace, settings: Settings) -> str:
    """The options that shape what a lint writes besides its findings: the report's format and
    context, and the statistics on standard error. A report kept in the cache is kept for these
    (a command that alternates two keeps two), and for the files' names (see Cache.report)."""
    kind = {
        "format": args.format,
        "context": dataclasses.asdict(_report_context(args, settings)),
        "statistics": args.statistics,
        "quiet": args.quiet,
    }
    return json.dumps(kind, sort_keys=True)


def _report_shape(files: Sequence[str], entries: Counter[tuple[str, str, str]] | None) -> str:
    """What else shapes a report, besides the files' contents, the code and the configuration
    (which the cache's keys hold): the files' names as given (a report names them so) and the
    baseline's entries as read. A report kept for others is written anew, in its place."""
    import hashlib

    baseline = None if entries is None else hashlib.sha256(repr(sorted(entries.items())).encode()).hexdigest()
    # A digest, not the names: a run names a quarter of a million files. Each name ends at a
    # newline, which its JSON string writes as an escape (in ASCII: a name may hold a lone
    # surrogate).
    quoted = json.encoder.encode_basestring_ascii
    names = hashlib.sha256()
    for path in files:
        names.update(f"{quoted(path)}\n".encode())
    return json.dumps({"files": names.hexdigest(), "baseline": baseline})


class _Recording(io.TextIOBase):
    """A report's stream that packs what is written to it, to be kept in the cache (see
    ``ReportPacker``)."""

    def __init__(self, stream: TextIO, packer: ReportPacker) -> None:
        super().__init__()
        self._stream = stream
        self.packer = packer

    def write(self, text: str) -> int:
        written = self._stream.write(text)
        self.packer.add(text)
        return written

    def writable(self) -> bool:
        return True

    def flush(self) -> None:
        if not self._stream.closed:  # (this object's own close, when it is collected, flushes)
            self._stream.flush()


def _report(
    args: argparse.Namespace,
    settings: Settings,
    files: Sequence[str],
    run: RunResult,
    entries: Counter[tuple[str, str, str]] | None,
    cache: Cache | None = None,
    kept_as: tuple[str, str] = ("", ""),
) -> int:
    """Write the run's report, and keep it in the ``cache`` (as ``kept_as``: its kind and shape)
    when it can be written again: return the exit status."""
    from . import baseline as baseline_module
    from .document import STDIN
    from .reporters import REPORTERS
    from .runner import KeptReport, ReportPacker

    # What the run holds now lives until the command ends: the collector need not walk it again
    # each time reading the findings back for the report makes new objects (it took a third of
    # that reading over 174,906 findings). Not done by lint_paths: a program that calls it keeps
    # its collector as it was.
    gc.freeze()
    if args.write_baseline:
        try:
            count = baseline_module.write(run.findings, args.write_baseline)
        except OSError as exc:
            raise UsageError(f"--write-baseline: cannot write {args.write_baseline}: {exc.strerror or exc}") from None
        if not args.quiet:
            print(
                f"cableschema: wrote {count} finding(s) to the baseline {args.write_baseline}",
                file=sys.stderr,
            )
    if entries is not None:
        filtered = baseline_module.apply(run.findings, entries)
        run.findings = filtered.findings
        run.baseline_matched = filtered.matched
        run.baseline_stale = filtered.stale
    recording: _Recording | None = None
    with _report_output(args.output, machine=args.format in ("json", "sarif", "junit")) as stream:
        if cache is not None and STDIN not in files:  # standard input has no key to keep it under
            recording = _Recording(stream, ReportPacker())
            stream = typing.cast(TextIO, recording)
        REPORTERS[args.format](run, _report_context(args, settings), stream)
    err = io.StringIO()
    if args.statistics and args.format != "text":
        from .reporters.text import statistics

        statistics(run, err)
        sys.stderr.write(err.getvalue())
    status = run.exit_status(settings.fail_on)
    if cache is not None and recording is not None and (packed := recording.packer.finish()) is not None:
        cache.keep_report(files, *kept_as, KeptReport(*packed, err.getvalue(), status))
    return EXIT_OK if args.exit_zero else status


# -- parse -----------------------------------------------------------------------------------------


def command_parse(args: argparse.Namespace) -> int:
    from .document import Document
    from .parser import parse
    from .readers import FORMATS, iter_file

    if args.input_format and args.input_format not in FORMATS:
        raise UsageError(f"--input-format: {args.input_format!r} is not one of {', '.join(FORMATS)}")
    from .config import Settings
    from .engine import discover

    files, missing = discover(args.paths, Settings())
    if missing:
        raise UsageError(_not_found(missing[0]))
    status = EXIT_OK
    first = True
    written = 0
    not_well_formed: list[str] = []  # the first one's place and errors, then one entry a document
    schema = ""
    with _report_output(args.output, machine=args.format != "text") as stream:
        if args.format == "json":
            stream.write("[")
        for path in files:
            for item in iter_file(path, args.input_format):
                if not isinstance(item, Document):
                    where = f"{item.path}:{item.line}" if item.line > 1 else item.path
                    print(f"cableschema: {where}: {item.message}", file=sys.stderr)
                    status = EXIT_FINDINGS
                    continue
                parsed = parse(item)
                if args.format == "text":
                    stream.write(parsed.document.text)
                    if not parsed.document.text.endswith("\n"):
                        stream.write("\n")
                    continue
                document = parsed.data
                written += 1
                if parsed.cable is None:
                    errors = "; ".join(f"{error.pointer}: {error.message}" for error in parsed.errors[:2])
                    not_well_formed.append("" if not_well_formed else f"{_record_place(item)}: {errors}")
                    schema = f"cable/{document.get('schema_version')}"
                if args.format == "jsonl":
                    stream.write(json.dumps(document, ensure_ascii=False) + "\n")
                else:
                    stream.write(("\n" if first else ",\n") + json.dumps(document, ensure_ascii=False, indent=2))
                first = False
        if args.format == "json":
            stream.write("\n]\n" if not first else "]\n")
    if not_well_formed:
        # Written as read all the same (never a value dropped), but not as the schema wants them.
        print(
            f"cableschema: {len(not_well_formed):,} of {written:,} documents are not well-formed cables "
            f"and do not validate against {schema} (the first, {not_well_formed[0]}); "
            "`cableschema lint` says what is wrong with each",
            file=sys.stderr,
        )
    return status


def _record_place(document: Document) -> str:
    """A document's file, and its record in a file of many."""
    return document.path if document.record is None else f"{document.path} record {document.record}"


# -- rules -----------------------------------------------------------------------------------------


def command_rule(args: argparse.Namespace) -> int:
    from .rules import load

    registry = load()
    code = args.code.upper()
    rule = registry.get(code)
    if rule is None:
        by_name = {r.name: r for r in registry.values()}
        rule = by_name.get(args.code.lower())
    if rule is None:
        raise UsageError(f"no rule {args.code!r}; `cableschema rules` lists them")
    print(f"# {rule.code} {rule.name}\n")
    print(f"Default severity: {rule.severity}. Fix: {rule.fix or 'none'}.\n")
    print(rule.docs)
    return EXIT_OK


def command_rules(args: argparse.Namespace) -> int:
    from .docs import catalogue_markdown
    from .rules import load

    registry = load()
    if args.format == "json":
        rows = [
            {
                "code": r.code,
                "name": r.name,
                "severity": r.severity,
                "fix": r.fix,
                "scope": r.scope,
                "summary": r.summary,
            }
            for r in registry.values()
        ]
        print(json.dumps(rows, indent=2))
    elif args.format == "markdown":
        print(catalogue_markdown(registry), end="")
    else:
        for r in registry.values():
            fix = "fix" if r.fix else ""
            print(f"{r.code}  {r.name:<40} {r.severity:<8} {fix:<4} {r.summary}")
    return EXIT_OK


def command_clean(args: argparse.Namespace) -> int:
    from .runner import clean_cache

    removed = clean_cache(args.paths or ["."])
    for path in removed:
        print(f"cableschema: removed {path}", file=sys.stderr)
    if not removed:
        print("cableschema: no cache to remove", file=sys.stderr)
    return EXIT_OK


COMMANDS = {
    "lint": command_lint,
    "parse": command_parse,
    "rule": command_rule,
    "rules": command_rules,
    "clean": command_clean,
}


class _ClosedOutput(io.TextIOBase):
    """Standard output of a process started without one (``cableschema lint corpus >&-``, where
    Python has None): a report written there ends the command with one line, as a full disk does;
    a report written to ``-o FILE`` does not need it."""

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "standard output is closed")


def _closed_streams_replaced() -> None:
    """Stand-ins for standard output and error when the process has none: standard error's
    lines then go nowhere, as its closing asked, rather than to standard output (``print`` writes
    there when its file is None)."""
    if sys.stdout is None:
        sys.stdout = _ClosedOutput()
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115


def main(argv: Sequence[str] | None = None) -> int:
    _closed_streams_replaced()
    try:
        return _run(argv)
    except KeyboardInterrupt:  # Ctrl-C, at any moment from here on (the modules a command needs
        # are imported by the command, not before this)
        pass
    except RuntimeError as exc:
        # Python 3.11 wraps what interrupts the creation of a class (in __set_name__) in a
        # RuntimeError: Ctrl-C while a module is imported.
        if not isinstance(exc.__cause__, KeyboardInterrupt):
            raise
    print("cableschema: interrupted", file=sys.stderr)
    return 130


def entry() -> NoReturn:
    """The ``cableschema`` command and ``python -m cableschema``: :func:`main`, then the process
    ends without the interpreter's teardown, which freed every module and object of the run one
    by one (16-23 ms, a tenth of linting one file). What a run leaves is complete before
    :func:`main` returns (reports and cache entries written and renamed, workers joined, the
    findings' temporary file deleted by the system); standard output and error are flushed here.
    Under a tracer, a profiler or coverage the interpreter exits as usual, so that their exit
    handlers run (``python -m cProfile -o``, for one, writes its file at exit)."""
    code = main()
    if sys.gettrace() is not None or sys.getprofile() is not None or "coverage" in sys.modules:
        sys.exit(code)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a reader that went away, or a closed stream: nothing to add
        pass
    os._exit(code)


def _run(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors
        return int(exc.code or 0)
    handler = COMMANDS.get(args.command) or getattr(args, "handler", None)
    try:
        return int(handler(args))  # type: ignore[misc]
    except UsageError as exc:
        print(f"cableschema: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ImportError as exc:
        if exc.name != "cableschema.validators":  # rules.RulePackMissing: a source tree's copy
            raise
        print(f"cableschema: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader of our output went away (e.g. `| head`): not an error of ours.
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        return EXIT_OK
    except OSError as exc:
        # The machine, not the input: a full disk under the report or the findings' temporary
        # file, a vanished output directory. One line, and not the exit status of a clean run.
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"cableschema: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
