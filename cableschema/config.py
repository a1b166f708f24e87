"""Configuration: ``[tool.cableschema]`` in ``pyproject.toml`` or a ``cableschema.toml``.

Found by walking up from the linted paths (their common directory) to the filesystem root; the
first directory holding either file wins, ``cableschema.toml`` before ``pyproject.toml`` (and a
``pyproject.toml`` without a ``[tool.cableschema]`` table is passed over). Command-line options
override the file. A bad key or value is a :class:`ConfigError` naming it (exit status 2).

Keys (kebab-case, as in the file)::

    select = ["ALL"]              # codes or prefixes
    ignore = ["H212"]
    extend-select = []
    per-file-ignores = {"scraped/*.txt" = ["W601", "W602"]}
    fail-on = "error"             # error | warning | info
    severity = {T507 = "info"}    # per code or prefix
    include = ["*.html", "*.txt", "*.json", "*.jsonl", "*.csv", "*.pdf"]
    exclude = [".git", "node_modules"]
    extend-exclude = []
    max-record-size = "64MB"
    jobs = 0                      # 0 = one per CPU
    cache = true
    cache-dir = ".cableschema_cache"
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .selection import SEVERITIES as SEVERITY_LEVELS
from .selection import Selection, SelectionError, parse_code, parse_codes

DEFAULT_INCLUDE = (
    "*.html",
    "*.htm",
    "*.xhtml",
    "*.txt",
    "*.text",
    "*.json",
    "*.jsonl",
    "*.ndjson",
    "*.csv",
    "*.pdf",
    "*.cable",
)
DEFAULT_EXCLUDE = (
    ".git",
    ".hg",
    ".svn",
    ".tox",
    ".nox",
    ".venv",
    "venv",
    "node_modules",
    "__pycache__",
    ".cableschema_cache",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".hypothesis",
)
CONFIG_FILES = ("cableschema.toml", "pyproject.toml")


class ConfigError(ValueError):
    """A configuration problem; the message is one line and names the key."""


@dataclass(frozen=True)
class Settings:
    """Everything a run needs, from defaults, the configuration file and the command line."""

    selection: Selection = field(default_factory=Selection)
    fail_on: str = "error"
    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    max_record_bytes: int = 64 * 1024 * 1024
    jobs: int = 0
    cache: bool = True
    cache_dir: Path | None = None
    config_path: Path | None = None
    input_format: str | None = None
    unsafe_fixes: bool = False

    def with_overrides(self, **changes: Any) -> Settings:
        return replace(self, **changes)

    def cache_directory(self) -> Path:
        """Where the cache is (whether or not this run uses it): ``cache-dir``, or
        ``.cableschema_cache`` in the current directory."""
        return self.cache_dir if self.cache_dir is not None else Path.cwd() / ".cableschema_cache"


#: The largest record size limit: no cable comes near it, and a limit past what a read can ask for
#: (an index of 64 bits) made readers fail instead of reporting.
MAX_RECORD_LIMIT = 4 * 1024**3


def _size(value: Any, key: str) -> int:
    size = None
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        size = value
    elif isinstance(value, str):
        match = re.fullmatch(r"\s*([0-9]{1,30})\s*([KMG]?)B?\s*", value.upper())
        if match and int(match.group(1)) > 0:
            size = int(match.group(1)) * {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3}[match.group(2)]
    if size is None:
        raise ConfigError(f"{key}: {_short(value)} is not a size (e.g. 64MB, 500KB, 1048576)")
    if size > MAX_RECORD_LIMIT:
        raise ConfigError(f"{key}: {_short(value)} is over the largest limit, 4GB")
    return size


def parse_size(value: str, key: str = "--max-record-size") -> int:
    return _size(value, key)


def _string_list(value: Any, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) and v.strip() for v in value):
        return tuple(value)
    raise ConfigError(f"{key}: expected a list of non-empty strings, got {_short(value)}")


def _short(value: Any) -> str:
    """A value as a message shows it: its repr, cut to one short line."""
    text = repr(value)
    return text if len(text) <= 80 else f"{text[:77]}..."


def _read_toml(path: Path) -> dict[str, Any]:
    """A TOML file's table; any way it cannot be read is a :class:`ConfigError` naming it."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    import tomllib  # here: a run with --isolated, or with no configuration file, reads no TOML

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{path}: not valid TOML: nested too deeply to read") from None
    except ValueError:  # an integer of more digits than int() converts
        raise ConfigError(f"{path}: not valid TOML: a number too long to read") from None


def _may_be_ours(path: Path) -> bool:
    """Whether a pyproject.toml that cannot be read as TOML may hold this tool's settings."""
    try:
        with path.open("rb") as stream:
            return b"cableschema" in stream.read()
    except OSError:
        return False


def _resolve(path: str | os.PathLike[str]) -> Path:
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError):  # a symbolic link loop (RuntimeError before Python 3.13)
        return Path(os.path.abspath(path))


def _is_file(path: Path) -> bool:
    return _holds(path.is_file)


def _is_dir(path: Path) -> bool:
    return _holds(path.is_dir)


def _holds(test: Callable[[], bool]) -> bool:
    """``test()``, false where the path cannot be looked at (a name too long, a NUL in it, no
    permission on a folder above it)."""
    try:
        return test()
    except (OSError, ValueError):
        return False


def find_config(paths: Sequence[str | os.PathLike[str]]) -> Path | None:
    """The configuration file for these paths: walk up from their common directory.

    A ``pyproject.toml`` that cannot be read as TOML is returned when it may hold this tool's
    settings (it names cableschema), so that loading it reports the problem; otherwise it is
    passed over with a warning."""
    resolved = [_resolve(p) for p in paths] or [Path.cwd()]
    try:
        common = Path(os.path.commonpath([str(p) for p in resolved]))
    except ValueError:  # paths on different drives
        common = Path.cwd()
    directory = common if _is_dir(common) else common.parent
    for candidate_dir in (directory, *directory.parents):
        for name in CONFIG_FILES:
            candidate = candidate_dir / name
            if not _is_file(candidate):
                continue
            if name == "pyproject.toml":
                try:
                    data = _read_toml(candidate)
                except ConfigError as exc:
                    if _may_be_ours(candidate):
                        return candidate
                    print(f"cableschema: warning: {exc}; passed over", file=sys.stderr)
                    continue
                tool = data.get("tool", {})
                if isinstance(tool, dict) and "cableschema" not in tool:
                    continue  # not this tool's (a [tool] that is not a table is an error)
            return candidate
    return None


def load_table(path: Path) -> dict[str, Any]:
    """The cableschema table of a configuration file."""
    data = _read_toml(path)
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        raise ConfigError(f"{path}: tool: expected a table ([tool.cableschema]), got {_short(tool)}")
    # cableschema.toml holds the keys at its top level, or under [tool.cableschema] too.
    table = tool.get("cableschema", {} if path.name == "pyproject.toml" else data)
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.cableschema] must be a table, got {_short(table)}")
    return table


_KEYS = {
    "select",
    "ignore",
    "extend-select",
    "per-file-ignores",
    "fail-on",
    "severity",
    "include",
    "exclude",
    "extend-exclude",
    "max-record-size",
    "jobs",
    "cache",
    "cache-dir",
    "input-format",
}


def settings_from_table(table: Mapping[str, Any], source: Path | None = None) -> Settings:
    """Validate a configuration table into :class:`Settings`."""
    where = f"{source}: " if source else ""
    for key in table:
        if key not in _KEYS:
            hint = ""
            close = [k for k in _KEYS if k.replace("-", "_") == key or k.replace("-", "") == key.replace("_", "")]
            if close:
                hint = f" (did you mean {close[0]!r}?)"
            raise ConfigError(f"{where}unknown key {key!r}{hint}")
    try:
        select = parse_codes(_string_list(table["select"], "select"), "select") if "select" in table else ("ALL",)
        ignore = parse_codes(_string_list(table.get("ignore", []), "ignore"), "ignore")
        extend = parse_codes(_string_list(table.get("extend-select", []), "extend-select"), "extend-select")
        if not select and not extend:
            raise ConfigError(f"{where}select: empty, so no rule would run")
        per_file: list[tuple[str, tuple[str, ...]]] = []
        raw_pfi = table.get("per-file-ignores", {})
        if not isinstance(raw_pfi, Mapping):
            raise ConfigError(f"{where}per-file-ignores: expected a table of glob = [codes], got {_short(raw_pfi)}")
        for glob, codes in raw_pfi.items():
            if not glob.strip():
                raise ConfigError(f"{where}per-file-ignores: {glob!r} is not a glob")
            key = f"per-file-ignores.{glob}"
            per_file.append((glob, parse_codes(_string_list(codes, key), key)))
        severity: dict[str, str] = {}
        raw_severity = table.get("severity", {})
        if not isinstance(raw_severity, Mapping):
            raise ConfigError(
                f'{where}severity: expected a table of CODE = "error|warning|info", got {_short(raw_severity)}'
            )
        for code, level in raw_severity.items():
            key = f"severity.{code}" if code.strip() else f"severity.{code!r}"
            parsed_code = parse_code(code, key)
            if not isinstance(level, str) or level not in SEVERITY_LEVELS:
                raise ConfigError(f"{where}{key}: {_short(level)} is not one of error, warning, info")
            severity[parsed_code] = level
    except (SelectionError, ConfigError) as exc:
        message = str(exc)
        raise ConfigError(message if message.startswith(where) else f"{where}{message}") from None
    fail_on = table.get("fail-on", "error")
    if not isinstance(fail_on, str) or fail_on not in SEVERITY_LEVELS:
        raise ConfigError(f"{where}fail-on: {_short(fail_on)} is not one of error, warning, info")
    try:
        include = _string_list(table["include"], "include") if "include" in table else DEFAULT_INCLUDE
        exclude = _string_list(table["exclude"], "exclude") if "exclude" in table else DEFAULT_EXCLUDE
        exclude = exclude + _string_list(table.get("extend-exclude", []), "extend-exclude")
        max_record_bytes = (
            _size(table["max-record-size"], "max-record-size") if "max-record-size" in table else 64 * 1024 * 1024
        )
    except ConfigError as exc:
        raise ConfigError(f"{where}{exc}") from None
    jobs = table.get("jobs", 0)
    if not isinstance(jobs, int) or isinstance(jobs, bool) or jobs < 0:
        raise ConfigError(f"{where}jobs: {_short(jobs)} is not a whole number >= 0")
    cache = table.get("cache", True)
    if not isinstance(cache, bool):
        raise ConfigError(f"{where}cache: {_short(cache)} is not true or false")
    cache_dir = table.get("cache-dir")
    if cache_dir is not None and (not isinstance(cache_dir, str) or not cache_dir.strip() or "\0" in cache_dir):
        raise ConfigError(f"{where}cache-dir: {_short(cache_dir)} is not a path")
    input_format = table.get("input-format")
    if input_format is not None:
        from .readers import FORMATS

        if not isinstance(input_format, str) or input_format not in FORMATS:
            raise ConfigError(f"{where}input-format: {_short(input_format)} is not one of {', '.join(FORMATS)}")
    base = source.parent if source else Path.cwd()
    if cache_dir is not None and Path(os.path.abspath(base / cache_dir)) in (
        Path(os.path.abspath(base)),
        *Path(os.path.abspath(base)).parents,
    ):
        # The cache marks its folder for backup tools to skip and `clean` removes it: not the
        # project's own folder, nor one that holds it.
        raise ConfigError(
            f"{where}cache-dir: {_short(cache_dir)} is the project's folder or holds it; name one of its own"
        )
    return Settings(
        selection=Selection(select, ignore, extend, tuple(per_file), severity),
        fail_on=fail_on,
        include=include,
        exclude=exclude,
        max_record_bytes=max_record_bytes,
        jobs=jobs,
        cache=cache,
        cache_dir=(base / cache_dir) if cache_dir else (base / ".cableschema_cache" if source else None),
        config_path=source,
        input_format=input_format,
    )


def load_settings(paths: Sequence[str | os.PathLike[str]], config: str | None = None) -> Settings:
    """Settings for a run over ``paths``: an explicit file, the discovered one, or defaults."""
    path = Path(config) if config else find_config(paths)
    if path is None:
        return Settings()
    if config and not path.is_file():
        raise ConfigError(f"{path}: no such configuration file")
    return settings_from_table(load_table(path), path)
