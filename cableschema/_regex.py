"""Regular expressions compiled once per machine, not once per run.

The package compiles some 250 patterns as its readers, parser and rules load: 60 ms at the start
of every run, a third of linting one file, and done before the workers of a large run can start.
``re`` compiles in Python (it parses the pattern, then generates the program its engine runs), and
does it again in each process. :func:`compile` keeps each pattern's program in a file and, in later
runs, builds the pattern from it with the one engine call ``re.compile`` ends with
(``_sre.compile``; ``re/_compiler.py`` is the same from Python 3.11 to 3.13).

- The file is in the user's cache directory (``$XDG_CACHE_HOME/cableschema``, else
  ``~/.cache/cableschema``; ``%LOCALAPPDATA%`` on Windows), named for the interpreter and the
  engine's version (``_sre.MAGIC``), so that no program reaches an engine it was not made for.
  ``CABLESCHEMA_REGEX_CACHE=0`` turns it off.
- A pattern is looked up by its text and flags: a pattern changed or added is compiled as usual
  and the file is written again (to a temporary file, then renamed) by :func:`save`.
- Whatever goes wrong (no cache directory, a file damaged or of another layout, an engine that
  refuses a program, which it checks) ends in plain ``re.compile``, silently: the cache only
  ever saves time.
"""

from __future__ import annotations

import _sre  # type: ignore[import-not-found]  # the regex engine: no stubs
import marshal
import os
import re
import sys
from array import array
from re import _compiler, _parser  # type: ignore[attr-defined]
from typing import Any

#: The layout of the file's entries, for when it changes.
_LAYOUT = 1
#: Entries kept at most (the package has about 250 patterns, 184 KB), and the largest file read.
_MAX_ENTRIES = 4096
_MAX_BYTES = 32 * 1024 * 1024

#: (pattern, flags) -> (flags of the compiled pattern, program, groups, groupindex, indexgroup)
_Entry = tuple[int, bytes, int, dict[str, int], tuple[str | None, ...]]

_entries: dict[tuple[str, int], _Entry] | None = None
_new: dict[tuple[str, int], _Entry] = {}


def compile(pattern: str, flags: int | re.RegexFlag = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, from the program a run before this one made."""
    flags = int(flags)
    if type(pattern) is not str:  # a str subclass or bytes: as re.compile does
        return re.compile(pattern, flags)
    key = (pattern, flags)
    entry = _known().get(key)
    if entry is not None and _well_formed(key, entry):
        try:
            return _build(pattern, entry)
        except Exception:  # an engine that refuses the program: compile it as usual
            _known().pop(key, None)
    try:
        entry = _make(pattern, flags)
        compiled = _build(pattern, entry)
    except Exception:  # what re.compile says of a bad pattern, said by re.compile itself
        return re.compile(pattern, flags)
    _new[key] = entry
    return compiled


def _make(pattern: str, flags: int) -> _Entry:
    """What ``re._compiler.compile`` computes before it calls the engine."""
    if flags & re.DEBUG:
        raise ValueError("re.DEBUG prints as it compiles")
    parsed = _parser.parse(pattern, flags)
    program = array("I", _compiler._code(parsed, flags))
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return (int(flags | parsed.state.flags), program.tobytes(), parsed.state.groups - 1, groupindex, tuple(indexgroup))


def _build(pattern: str, entry: _Entry) -> re.Pattern[str]:
    final_flags, program, groups, groupindex, indexgroup = entry
    code = array("I")
    code.frombytes(program)
    compiled: re.Pattern[str] = _sre.compile(pattern, final_flags, code.tolist(), groups, groupindex, indexgroup)
    return compiled


def _path() -> str | None:
    setting = os.environ.get("CABLESCHEMA_REGEX_CACHE", "")
    if setting.lower() in ("0", "no", "off", "false"):
        return None
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or ""
    else:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    if not base or not os.path.isabs(base):
        return None
    tag = sys.implementation.cache_tag or "python"
    name = f"regex-{tag}-{_sre.MAGIC}-{_sre.CODESIZE}-{_LAYOUT}.marshal"
    return os.path.join(base, "cableschema", name)


def _known() -> dict[tuple[str, int], _Entry]:
    global _entries
    if _entries is None:
        _entries = _read(_path())
    return _entries


def _read(path: str | None) -> dict[tuple[str, int], _Entry]:
    if path is None:
        return {}
    try:
        with open(path, "rb") as stream:
            content = stream.read(_MAX_BYTES + 1)
        if len(content) > _MAX_BYTES:
            return {}
        data: Any = marshal.loads(content)  # loads, not load: load reads an object at a time
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    # Each entry is checked when it is used (a run that compiles a few patterns checks a few):
    # only plain values of the expected shapes are taken (marshal can also hold code objects).
    return data if isinstance(data, dict) else {}


def _well_formed(key: Any, value: Any) -> bool:
    return (
        type(key) is tuple
        and len(key) == 2
        and type(key[0]) is str
        and type(key[1]) is int
        and type(value) is tuple
        and len(value) == 5
        and type(value[0]) is int
        and type(value[1]) is bytes
        and type(value[2]) is int
        and type(value[3]) is dict
        and all(type(name) is str and type(index) is int for name, index in value[3].items())
        and type(value[4]) is tuple
        and all(name is None or type(name) is str for name in value[4])
    )


def save() -> None:
    """Write the patterns compiled since the file was read, with what it held, if there are any."""
    global _entries
    path = _path()
    if not _new or path is None:
        return
    entries = {key: entry for key, entry in _known().items() if _well_formed(key, entry)} | _new
    if len(entries) > _MAX_ENTRIES:  # keep this run's patterns, drop the others
        entries = {key: entries[key] for key in list(entries)[-_MAX_ENTRIES:]}
    _new.clear()
    _entries = entries
    from .fixes import write_atomically  # here: only a run that compiled a new pattern writes

    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        write_atomically(path, marshal.dumps(entries))
    except (OSError, ValueError):
        pass  # a read-only home, a full disk: the next run compiles again
