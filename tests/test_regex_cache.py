"""The cache of compiled patterns (cableschema._regex): a pattern built from it is the pattern
``re.compile`` makes, a run after the first compiles none, and a damaged, refused or unwritable
cache only costs the time it was to save."""

from __future__ import annotations

import ast
import json
import marshal
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from cableschema import _regex

#: A fresh process that loads the rules, then says how many patterns it compiled itself.
_LOAD = (
    "import json\n"
    "from cableschema import _regex\n"
    "from cableschema.rules import load\n"
    "compiled = []\n"
    "make = _regex._make\n"
    "_regex._make = lambda pattern, flags: compiled.append(pattern) or make(pattern, flags)\n"
    "load()\n"
    "print(json.dumps(len(compiled)))\n"
)


def _load_in(cache_home: Path, **env: str) -> int:
    environment = {**os.environ, "XDG_CACHE_HOME": str(cache_home), **env}
    done = subprocess.run([sys.executable, "-c", _LOAD], capture_output=True, text=True, env=environment, check=True)
    assert done.stderr == ""
    count: int = json.loads(done.stdout)
    return count


def _cache_files(cache_home: Path) -> list[Path]:
    return sorted((cache_home / "cableschema").glob("regex-*.marshal"))


def test_the_second_run_compiles_no_pattern_and_builds_each_as_re_compile_does(tmp_path: Path) -> None:
    first = _load_in(tmp_path)
    assert first > 200  # the package's patterns, compiled by the first run
    (path,) = _cache_files(tmp_path)
    written = path.stat().st_mtime_ns
    assert _load_in(tmp_path) == 0
    assert path.stat().st_mtime_ns == written  # nothing new: not written again
    entries = _regex._read(str(path))
    assert len(entries) >= first  # and the few compiled by the imports before the count began
    for (pattern, flags), entry in entries.items():
        built, compiled = _regex._build(pattern, entry), re.compile(pattern, flags)
        # Equal patterns have the same text, flags and program (CPython compares all three).
        assert built == compiled, pattern
        assert (built.groups, built.groupindex, built.flags) == (compiled.groups, compiled.groupindex, compiled.flags)


def test_a_changed_pattern_is_compiled_and_added(tmp_path: Path) -> None:
    _load_in(tmp_path)
    (path,) = _cache_files(tmp_path)
    entries = marshal.loads(path.read_bytes())
    dropped = list(entries)[-1]  # one of the rules' patterns: compiled once the count began
    del entries[dropped]
    path.write_bytes(marshal.dumps(entries))
    assert _load_in(tmp_path) == 1
    assert dropped in _regex._read(str(path))


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not marshal at all",
        marshal.dumps(["a list"]),
        marshal.dumps({("x", 0): "a string"}),
        marshal.dumps({("[a-z]+", 0): (0, b"\x01\x02\x03\x04", 0, {}, ())}),  # a program the engine refuses
        marshal.dumps({("[a-z]+", 0): (0, (lambda: 0).__code__, 0, {}, ())}),  # code is never taken
    ],
)
def test_a_damaged_cache_is_compiled_past(tmp_path: Path, content: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = Path(_regex._path() or "")
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    monkeypatch.setattr(_regex, "_entries", None)
    monkeypatch.setattr(_regex, "_new", {})
    assert _regex.compile("[a-z]+") == re.compile("[a-z]+")
    assert _regex.compile("(?P<word>[a-z]+)", re.I).groupindex == {"word": 1}
    assert _load_in(tmp_path) > 200  # and a run goes on, compiling every pattern, and rewrites it
    assert _load_in(tmp_path) == 0


def test_the_cache_can_be_turned_off_or_be_unwritable(tmp_path: Path) -> None:
    assert _load_in(tmp_path, CABLESCHEMA_REGEX_CACHE="0") > 200
    assert not (tmp_path / "cableschema").exists()
    (tmp_path / "cableschema").write_text("a file where the folder would be", encoding="utf-8")
    assert _load_in(tmp_path) > 200
    assert _load_in(tmp_path) > 200  # nothing could be kept: each run compiles, and says nothing


def test_what_re_compile_refuses_it_refuses_alike() -> None:
    with pytest.raises(re.error, match="missing \\)"):
        _regex.compile("(unclosed")
    assert _regex.compile(b"bytes") == re.compile(b"bytes")  # type: ignore[arg-type]


def test_the_package_compiles_its_patterns_through_the_cache() -> None:
    """A module's or a class's ``re.compile`` would work, uncached: each is 0.1-0.5 ms of every
    run. (One in a function compiles its own pattern when called, cached by ``re``.)"""
    root = Path(__file__).resolve().parent.parent
    allowed = {"_regex.py"}  # the fallback itself
    found = []
    for path in [*(root / "cableschema").rglob("*.py"), *(root / "validators").glob("*.py")]:
        if path.name in allowed or "_strategies" in path.parts:
            continue
        pending: list[ast.AST] = [ast.parse(path.read_text(encoding="utf-8"))]
        while pending:
            node = pending.pop()
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                    continue
                if (
                    isinstance(child, ast.Call)
                    and isinstance(child.func, ast.Attribute)
                    and child.func.attr == "compile"
                    and isinstance(child.func.value, ast.Name)
                    and child.func.value.id == "re"
                ):
                    found.append(f"{path.relative_to(root)}:{child.lineno}")
                pending.append(child)
    assert found == []
