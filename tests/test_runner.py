"""Parallel runs, the content cache, chunked large files, crash isolation and progress."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from cableschema import runner
from cableschema.cli import main
from cableschema.config import Settings
from cableschema.engine import discover
from cableschema.model import Finding
from cableschema.rules import REGISTRY, Rule

from .conftest import SAMPLE


def _lint(paths: list[str], **changes) -> list[tuple]:
    settings = Settings(**{"cache": False, **changes})
    files, _ = discover(paths, settings)
    result = runner.lint_paths(files, settings, quiet=True)
    return [(f.path, f.record, f.line, f.column, f.code, f.message) for f in result.findings]


def _big_jsonl(path: Path, records: int = 300) -> None:
    source = (SAMPLE / "jsonl" / "wikileaks-11-28-10.first5.json").read_text(encoding="utf-8").splitlines()
    with open(path, "w", encoding="utf-8") as stream:
        for index in range(records):
            record = json.loads(source[index % len(source)])
            record["reference_id"] = record["_id"] = f"06ASTANA{index + 1}" if index % 7 else "06ASTANA"
            stream.write(json.dumps(record) + "\n")
        stream.write("{broken\n")


def test_parallel_output_equals_serial_output(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(runner, "CHUNK_THRESHOLD", 1_000_000)
    monkeypatch.setattr(runner, "CHUNK_RECORDS", 40)
    shutil.copytree(SAMPLE, tmp_path / "sample")
    _big_jsonl(tmp_path / "sample" / "big.jsonl")
    assert os.path.getsize(tmp_path / "sample" / "big.jsonl") > runner.CHUNK_THRESHOLD
    serial = _lint([str(tmp_path)], jobs=1)
    parallel = _lint([str(tmp_path)], jobs=2)
    assert serial == parallel
    big = [f for f in parallel if f[0].endswith("big.jsonl")]
    assert [f[1] for f in big] == sorted(f[1] for f in big)  # sorted by record
    assert any(f[4] == "E001" and f[2] == 301 for f in big)  # the broken last line
    assert sum(1 for f in big if f[4] == "M101") == len(range(0, 300, 7))


def test_a_large_file_in_chunks_gives_what_the_whole_file_gives(tmp_path, monkeypatch) -> None:
    shutil.copytree(SAMPLE, tmp_path / "sample")
    _big_jsonl(tmp_path / "sample" / "big.jsonl")
    whole = _lint([str(tmp_path)], jobs=1)  # under CHUNK_THRESHOLD: read whole
    monkeypatch.setattr(runner, "CHUNK_THRESHOLD", 1_000_000)
    monkeypatch.setattr(runner, "CHUNK_RECORDS", 40)
    assert _lint([str(tmp_path)], jobs=1) == whole
    assert _lint([str(tmp_path)], jobs=2) == whole
    assert _lint([str(tmp_path / "sample" / "big.jsonl")], jobs=2) == [f for f in whole if f[0].endswith("big.jsonl")]


def _tasks_run(monkeypatch) -> list[tuple[str, int]]:
    """(file name, chunk number) of every task linted from now on (run in this process)."""
    calls: list[tuple[str, int]] = []
    original = runner._execute

    def counting(task, settings=None):
        calls.append((os.path.basename(task.path), task.part))
        return original(task, settings)

    monkeypatch.setattr(runner, "_execute", counting)
    return calls


def _cached_large_file_run(tmp_path, monkeypatch, jobs: int):
    """The sample with a large JSON Lines file (cut in chunks of 40 records), linted once with the
    cache: the file, the settings, the files and the findings."""
    monkeypatch.setattr(runner, "CHUNK_THRESHOLD", 1_000_000)
    monkeypatch.setattr(runner, "CHUNK_RECORDS", 40)
    monkeypatch.setattr(runner, "_SETTLED_NS", -(10**12))  # the file is seconds old, not minutes
    shutil.copytree(SAMPLE, tmp_path / "sample")
    big = tmp_path / "sample" / "big.jsonl"
    _big_jsonl(big)
    settings = Settings(cache=True, cache_dir=tmp_path / "cache", jobs=jobs)
    files, _ = discover([str(tmp_path / "sample")], settings)
    return big, settings, files, list(runner.lint_paths(files, settings, quiet=True).findings)


def _lose_chunk_entry(settings: Settings, big: Path, index: int) -> list[str]:
    """Delete the cache entry of one chunk of ``big``; the keys of its chunks."""
    cache = runner.Cache(settings.cache_dir, settings)
    listed = cache.chunk_list(cache.key(str(big)))
    cache.abandon()  # the file index it began
    assert listed is not None
    (settings.cache_dir / f"v{runner.CACHE_VERSION}" / listed[index][:2] / listed[index]).unlink()
    return listed


def test_a_large_file_is_cached_chunk_by_chunk(tmp_path, monkeypatch) -> None:
    big, settings, files, cold = _cached_large_file_run(tmp_path, monkeypatch, jobs=1)
    calls = _tasks_run(monkeypatch)
    cut: list[str] = []
    original_chunks = runner._chunks

    def counting_chunks(path, fmt, settings):
        cut.append(os.path.basename(path))
        return original_chunks(path, fmt, settings)

    monkeypatch.setattr(runner, "_chunks", counting_chunks)
    assert list(runner.lint_paths(files, settings, quiet=True).findings) == cold
    assert calls == [] and cut == []  # the chunks' keys were kept: the file is not even read again
    # A chunk's entry lost: the file is cut again from there, and only that chunk linted.
    assert len(_lose_chunk_entry(settings, big, 5)) == 8
    assert list(runner.lint_paths(files, settings, quiet=True).findings) == cold
    assert calls == [("big.jsonl", 5)] and cut == ["big.jsonl"]
    calls.clear()
    # One record changed in the middle of the file: only its chunk is linted again, and the
    # findings of the chunks around it, from the cache, come in their places.
    lines = big.read_text(encoding="utf-8").splitlines(keepends=True)
    record = json.loads(lines[100])
    record["reference_id"] = record["_id"] = "06ASTANA"
    lines[100] = json.dumps(record) + "\n"
    big.write_text("".join(lines), encoding="utf-8")
    monkeypatch.setattr(runner, "_SETTLED_NS", 0)
    changed = list(runner.lint_paths(files, settings, quiet=True).findings)
    assert calls == [("big.jsonl", 2)]
    assert changed == list(runner.lint_paths(files, Settings(cache=False, jobs=1), quiet=True).findings)
    assert changed != cold
    # The same with workers: the changed chunk comes back from one while the chunks after it
    # are read from the cache, and is reported before them.
    record["reference_id"] = record["_id"] = "07ASTANA101"
    lines[100] = json.dumps(record) + "\n"
    big.write_text("".join(lines), encoding="utf-8")
    parallel = Settings(cache=True, cache_dir=tmp_path / "cache", jobs=2)
    fresh = list(runner.lint_paths(files, Settings(cache=False, jobs=1), quiet=True).findings)
    assert list(runner.lint_paths(files, parallel, quiet=True).findings) == fresh
    assert fresh not in (cold, changed)


def test_a_large_file_that_cannot_be_cut_after_some_chunks_came_from_the_cache(tmp_path, monkeypatch) -> None:
    """Its remaining part is the whole file's lint, and every file after it is still reported
    (the part came as chunk 0 once, and the run never reported the files after it)."""
    big, settings, files, cold = _cached_large_file_run(tmp_path, monkeypatch, jobs=2)
    _lose_chunk_entry(settings, big, 3)
    monkeypatch.setattr(runner, "_chunks", lambda path, fmt, settings: None)  # it cannot be opened now
    result = runner.lint_paths(files, settings, quiet=True)
    found = [(f.path, f.record, f.line, f.code) for f in result.findings]
    others = [(f.path, f.record, f.line, f.code) for f in cold if not f.path.endswith("big.jsonl")]
    assert [f for f in found if not f[0].endswith("big.jsonl")] == others
    # The three chunks before the lost entry are there (the whole file's lint, here readable, adds
    # its own findings beside them).
    big_found = [f for f in found if f[0].endswith("big.jsonl")]
    cached = [(f.path, f.record, f.line, f.code) for f in cold if f.path.endswith("big.jsonl") and f.record <= 120]
    assert cached and all(big_found.count(f) >= cached.count(f) for f in cached)


def test_a_large_file_goes_to_the_store_chunk_by_chunk(tmp_path, monkeypatch) -> None:
    from cableschema import finding_store

    shutil.copytree(SAMPLE, tmp_path / "sample")
    _big_jsonl(tmp_path / "sample" / "big.jsonl")
    expected = _lint([str(tmp_path)], jobs=1)
    monkeypatch.setattr(runner, "CHUNK_THRESHOLD", 1_000_000)
    monkeypatch.setattr(runner, "CHUNK_RECORDS", 40)
    monkeypatch.setattr(finding_store, "MEMORY_LIMIT", 30)
    settings = Settings(cache=False, jobs=2)
    files, _ = discover([str(tmp_path)], settings)
    result = runner.lint_paths(files, settings, quiet=True)
    assert result.findings._sorted and result.findings.spilled
    assert [(f.path, f.record, f.line, f.column, f.code, f.message) for f in result.findings] == expected


def test_warm_run_reads_the_cache_only(tmp_path, monkeypatch) -> None:
    shutil.copytree(SAMPLE, tmp_path / "sample")
    settings = Settings(cache=True, cache_dir=tmp_path / "cache", jobs=1)
    files, _ = discover([str(tmp_path / "sample")], settings)
    cold = list(runner.lint_paths(files, settings, quiet=True).findings)
    calls = []
    original = runner._execute
    monkeypatch.setattr(runner, "_execute", lambda task, s=None: calls.append(task) or original(task, s))
    warm = list(runner.lint_paths(files, settings, quiet=True).findings)
    assert warm == cold and calls == []
    # An edited file is linted again; the others still come from the cache.
    seed = tmp_path / "sample" / "text" / "07ASTANA2221.scraped.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    runner.lint_paths(files, settings, quiet=True)
    assert [Path(t.path).name for t in calls] == ["07ASTANA2221.scraped.txt"]
    # A different configuration does not read the old entries.
    other = Settings(cache=True, cache_dir=tmp_path / "cache", jobs=1, input_format="text")
    calls.clear()
    runner.lint_paths(files, other, quiet=True)
    assert len(calls) == len(files)


def test_files_of_one_content_and_other_names_do_not_share_findings(tmp_path) -> None:
    """A reader takes the reference ID from the file's name when the text has none."""
    (tmp_path / "cables").mkdir()
    for name in ("07STOCKHOLM696.txt", "08ABUJA1016.txt"):
        (tmp_path / "cables" / name).write_text("Appears in these articles:<br />\n", encoding="utf-8")

    def reference_ids(**changes: object) -> list[tuple[str, str | None]]:
        settings = Settings(**{"jobs": 1, **changes})
        files, _ = discover([str(tmp_path / "cables")], settings)
        findings = list(runner.lint_paths(files, settings, quiet=True).findings)
        return [(Path(f.path).name, f.reference_id) for f in findings]

    expected = reference_ids(cache=False)
    assert ("08ABUJA1016.txt", "08ABUJA1016") in expected
    for _ in ("fill", "warm"):
        assert reference_ids(cache=True, cache_dir=tmp_path / "cache") == expected


def test_a_warm_run_loads_neither_the_rules_nor_the_parser(tmp_path) -> None:
    """A run served by the cache reads the rules' severities from the cache's table and the
    corpus rules' findings from the cache: it imports no rule, no parser, no reader, no lxml
    and starts no worker. No run of lint imports pydantic or the models (the cold one neither:
    it never validates a Cable), nor lxml for the sites' plain metadata tables."""
    shutil.copytree(SAMPLE, tmp_path / "sample")
    script = (
        "import sys\n"
        "from cableschema.cli import main\n"
        "main(['lint', '--isolated', '--exit-zero', '-q', '--format', 'json', '-o', 'report.json', 'sample'])\n"
        "heavy = ('cableschema.validators', 'cableschema.parser', 'cableschema.readers', 'lxml', 'multiprocessing')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)))\n"
        "print(sorted(m for m in sys.modules if m.startswith(('pydantic', 'cableschema.model', 'lxml'))))\n"
    )
    runs = [
        subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, check=True)
        for _ in ("cold", "warm")
    ]
    assert "cableschema.validators" in runs[0].stdout.splitlines()[0]
    assert runs[0].stdout.splitlines()[1] == "[]"
    assert runs[1].stdout.split() == ["[]", "[]"] and runs[1].stderr == ""
    cold = (tmp_path / "report.json").read_text(encoding="utf-8")
    third = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, check=True)
    assert third.stdout.split() == ["[]", "[]"]
    assert (tmp_path / "report.json").read_text(encoding="utf-8") == cold


def test_the_corpus_rules_see_every_change_of_a_warm_run(tmp_path) -> None:
    """The corpus rules' findings are kept under the run's files and their keys: another file,
    or another text in one, runs them again."""
    source = (SAMPLE / "text" / "04MADRID893.txt").read_text(encoding="utf-8")
    for folder in ("x", "y"):
        (tmp_path / "a" / folder).mkdir(parents=True)
    (tmp_path / "a" / "x" / "04MADRID893.txt").write_text(source, encoding="utf-8")
    settings = Settings(cache=True, cache_dir=tmp_path / "cache", jobs=1)

    def duplicates() -> list[str]:
        files, _ = discover([str(tmp_path / "a")], settings)
        findings = list(runner.lint_paths(files, settings, quiet=True).findings)
        return [Path(f.path).parent.name for f in findings if f.code == "M108"]

    assert duplicates() == [] and duplicates() == []
    other = source.replace("police records", "criminal records")
    (tmp_path / "a" / "y" / "04MADRID893.txt").write_text(other, encoding="utf-8")
    assert duplicates() == ["y"] and duplicates() == ["y"]
    (tmp_path / "a" / "y" / "04MADRID893.txt").write_text(source, encoding="utf-8")  # the same text again
    assert duplicates() == [] and duplicates() == []


def test_unchanged_files_are_not_read_again(tmp_path, monkeypatch) -> None:
    """A warm run finds each entry from the file index (size, mtime, ctime, inode) without
    reading the file; a file rewritten with its old size and mtime has a new ctime and is read
    and linted again."""
    import builtins

    monkeypatch.setattr(runner, "_SETTLED_NS", -(10**12))  # the copies are seconds old, not minutes
    shutil.copytree(SAMPLE / "text", tmp_path / "text")
    settings = Settings(cache=True, cache_dir=tmp_path / "cache", jobs=1)
    files, _ = discover([str(tmp_path / "text")], settings)
    cold = list(runner.lint_paths(files, settings, quiet=True).findings)
    index = tmp_path / "cache" / f"v{runner.CACHE_VERSION}" / runner.MEMO_FILE
    assert len(index.read_text(encoding="utf-8").splitlines()) == len(files)

    opened: list[str] = []
    real_open = builtins.open

    def watching_open(file, *args, **kwargs):
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", watching_open)
    calls = []
    original = runner._execute
    monkeypatch.setattr(runner, "_execute", lambda task, s=None: calls.append(task) or original(task, s))
    assert list(runner.lint_paths(files, settings, quiet=True).findings) == cold
    assert calls == [] and not [p for p in opened if p.startswith(str(tmp_path / "text"))]

    seed = tmp_path / "text" / "07ASTANA2221.scraped.txt"
    before = seed.stat()
    data = seed.read_bytes()
    seed.write_bytes(data.replace(b"comple\nx", b"complex\n", 1))  # same size, other text
    os.utime(seed, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the old mtime
    assert seed.stat().st_size == before.st_size and seed.stat().st_mtime_ns == before.st_mtime_ns
    warm = list(runner.lint_paths(files, settings, quiet=True).findings)
    assert [Path(t.path).name for t in calls] == ["07ASTANA2221.scraped.txt"]
    assert [f for f in warm if f.code == "T501" and "07ASTANA" in f.path] == []


def test_the_file_index_keeps_what_is_current_and_drops_what_changed(tmp_path, monkeypatch) -> None:
    """New lines are written as the run learns them, the old lines still true are kept (even for
    files outside this run), a changed file's old line is replaced, and no half-written index
    file is left behind."""
    monkeypatch.setattr(runner, "_SETTLED_NS", -(10**12))
    shutil.copytree(SAMPLE / "text", tmp_path / "text")
    settings = Settings(cache=True, cache_dir=tmp_path / "cache", jobs=1)
    files, _ = discover([str(tmp_path / "text")], settings)
    runner.lint_paths(files, settings, quiet=True)
    index = tmp_path / "cache" / f"v{runner.CACHE_VERSION}" / runner.MEMO_FILE

    def lines() -> dict[str, str]:
        return dict(line.split("\t", 1) for line in index.read_text(encoding="utf-8").splitlines())

    first = lines()
    assert sorted(first) == sorted(str(Path(f).resolve()) for f in files)
    changed = tmp_path / "text" / "04MADRID893.txt"
    changed.write_bytes(changed.read_bytes() + b"\n")
    runner.lint_paths(files[:2], settings, quiet=True)  # a run over part of the tree
    second = lines()
    assert sorted(second) == sorted(first)
    assert second[str(changed)] != first[str(changed)]
    assert second[str(changed)].split("\t")[0] == str(changed.stat().st_size)
    del first[str(changed)], second[str(changed)]
    assert second == first
    assert [p.name for p in index.parent.iterdir() if p.name.startswith(".tmp-")] == []


def _cached_sample_run(tmp_path: Path, monkeypatch) -> tuple[Settings, list[str], list, Path]:
    """A cached run over a copy of the sample's texts: its settings, files, findings and the
    cache's file index."""
    monkeypatch.setattr(runner, "_SETTLED_NS", -(10**12))
    shutil.copytree(SAMPLE / "text", tmp_path / "text")
    settings = Settings(cache=True, cache_dir=tmp_path / "cache", jobs=1)
    files, _ = discover([str(tmp_path / "text")], settings)
    cold = list(runner.lint_paths(files, settings, quiet=True).findings)
    index = tmp_path / "cache" / f"v{runner.CACHE_VERSION}" / runner.MEMO_FILE
    return settings, files, cold, index


def test_a_corrupt_file_index_is_ignored_with_one_warning(tmp_path, monkeypatch, capsys) -> None:
    settings, files, cold, index = _cached_sample_run(tmp_path, monkeypatch)
    index.write_text("not\tan index\n", encoding="utf-8")
    assert list(runner.lint_paths(files, settings, quiet=True).findings) == cold
    err = capsys.readouterr().err
    assert err.count("warning") == 1 and "index" in err
    assert len(index.read_text(encoding="utf-8").splitlines()) == len(files)  # written anew


def test_a_file_index_larger_than_any_is_not_read(tmp_path, monkeypatch, capsys) -> None:
    """An index over _MEMO_MAX_BYTES is damaged: it is refused unread, with one warning, and
    the run is as without it (it was read whole, however large)."""
    import tracemalloc

    settings, files, cold, index = _cached_sample_run(tmp_path, monkeypatch)
    line = "/elsewhere/{:07}.txt\t1234\t1\t2\t3\t" + "a" * 64 + "\n"
    index.write_text("".join(map(line.format, range(400_000))), encoding="utf-8")  # 40 MB
    monkeypatch.setattr(runner, "_MEMO_MAX_BYTES", 10_000_000)
    tracemalloc.start()
    try:
        assert list(runner.lint_paths(files, settings, quiet=True).findings) == cold
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    err = capsys.readouterr().err
    assert err.count("warning") == 1 and "file index" in err
    assert peak < 20_000_000, f"{peak / 1e6:.0f} MB"


def test_corrupt_cache_is_ignored_with_one_warning(tmp_path, monkeypatch, capsys) -> None:
    shutil.copytree(SAMPLE / "text", tmp_path / "text")
    settings = Settings(cache=True, cache_dir=tmp_path / "cache", jobs=1)
    files, _ = discover([str(tmp_path / "text")], settings)
    cold = list(runner.lint_paths(files, settings, quiet=True).findings)
    for entry in (tmp_path / "cache" / f"v{runner.CACHE_VERSION}").glob("??/*"):
        entry.write_text("{not an entry", encoding="utf-8")
    warm = list(runner.lint_paths(files, settings, quiet=True).findings)
    assert warm == cold
    err = capsys.readouterr().err
    assert err.count("warning") == 1 and "linting its input again (the rest of the cache is used)" in err
    # The damaged entries were written anew: the next run is all from the cache, without a word.
    calls = _tasks_run(monkeypatch)
    assert list(runner.lint_paths(files, settings, quiet=True).findings) == cold
    assert calls == [] and capsys.readouterr().err == ""


def test_an_entry_changed_into_another_well_formed_one_is_ignored_with_one_warning(tmp_path, capsys) -> None:
    """Cached findings are not validated again: the entry's checksum tells a damaged one, even
    when what is left still reads as a well-formed entry."""
    import marshal

    shutil.copytree(SAMPLE / "text", tmp_path / "text")
    settings = Settings(cache=True, cache_dir=tmp_path / "cache", jobs=1)
    files, _ = discover([str(tmp_path / "text")], settings)
    cold = list(runner.lint_paths(files, settings, quiet=True).findings)
    changed = 0
    for entry in (tmp_path / "cache" / f"v{runner.CACHE_VERSION}").glob("??/*"):
        check, _, body = entry.read_bytes().partition(b"\n")
        data = marshal.loads(body)
        if type(data) is not list:
            continue  # the corpus rules' findings of the run, with the digest of its keys
        # A group's entry: each file's key and outcome (format, error, findings, cables).
        outcomes = [member[1] for member in data if member is not None]
        for _, _, findings, _ in outcomes:
            if findings:
                findings[0] = (*findings[0][:6], findings[0][6] + 1, *findings[0][7:])  # another line
                changed += 1
        if outcomes:
            entry.write_bytes(check + b"\n" + marshal.dumps(data))
    assert changed
    warm = list(runner.lint_paths(files, settings, quiet=True).findings)
    assert warm == cold
    err = capsys.readouterr().err
    assert err.count("warning") == 1 and "cache entry" in err


def test_a_cached_finding_is_the_finding_that_was_stored(tmp_path) -> None:
    shutil.copytree(SAMPLE, tmp_path / "sample")
    settings = Settings(cache=True, cache_dir=tmp_path / "cache", jobs=1)
    files, _ = discover([str(tmp_path / "sample")], settings)
    cold = list(runner.lint_paths(files, settings, quiet=True).findings)
    warm = list(runner.lint_paths(files, settings, quiet=True).findings)
    assert any(f.fix is not None for f in warm)
    assert warm == cold
    assert [Finding.model_validate(f.model().model_dump()) for f in warm] == [f.model() for f in warm]  # all valid


def test_a_result_the_cache_cannot_store_is_linted_again_with_one_warning(tmp_path, monkeypatch, capsys) -> None:
    """Entries are marshal data, which holds only plain types: a rule's message of a str subclass
    (what lxml's text results are) must cost the cache, not the run."""
    from cableschema.rules import Violation

    class Text(str):
        pass

    def subclassed_message(ctx):
        yield Violation(Text("a message of a str subclass"), 0, 1)

    monkeypatch.setitem(REGISTRY, "T597", Rule("T597", "odd-message", "error", "x", "", "cable", subclassed_message))
    shutil.copytree(SAMPLE / "text", tmp_path / "text")
    settings = Settings(cache=True, cache_dir=tmp_path / "cache", jobs=1)
    files, _ = discover([str(tmp_path / "text")], settings)
    first = list(runner.lint_paths(files, settings, quiet=True).findings)
    second = list(runner.lint_paths(files, settings, quiet=True).findings)
    assert any(f.code == "T597" for f in first)
    assert second == first
    err = capsys.readouterr().err
    assert err.count("warning") == 2 and "cannot store" in err  # one a run


def test_unwritable_cache_is_ignored_with_one_warning(tmp_path, capsys) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache directory should be", encoding="utf-8")
    settings = Settings(cache=True, cache_dir=blocker, jobs=1)
    files, _ = discover([str(SAMPLE / "text")], settings)
    result = runner.lint_paths(files, settings, quiet=True)
    assert result.findings
    err = capsys.readouterr().err
    assert err == f"cableschema: warning: the cache {blocker} is not a directory; going on without the cache\n"
    # The command says so once too, though it looks for a kept report before the run.
    (tmp_path / "work").mkdir()
    (tmp_path / "work" / ".cableschema_cache").write_text("a file", encoding="utf-8")
    shutil.copytree(SAMPLE / "text", tmp_path / "work" / "text")
    with contextlib.chdir(tmp_path / "work"):
        assert main(["lint", "--isolated", "--format", "json", "-o", "report.json", "text"]) == 1
    assert capsys.readouterr().err.count("warning") == 1


def test_two_runs_at_once_share_the_cache_safely(tmp_path) -> None:
    shutil.copytree(SAMPLE, tmp_path / "sample")
    (tmp_path / "cableschema.toml").write_text('cache-dir = "cache"\n', encoding="utf-8")
    command = [
        sys.executable,
        "-m",
        "cableschema",
        "lint",
        "--exit-zero",
        "-q",
        "--format",
        "json",
        str(tmp_path / "sample"),
    ]
    first = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path)
    second = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path)
    outputs = [p.communicate(timeout=300) for p in (first, second)]
    third = subprocess.run(command, capture_output=True, cwd=tmp_path, timeout=300, check=False)
    reports = [json.loads(out) for out, _ in outputs] + [json.loads(third.stdout)]
    assert reports[0]["findings"] == reports[1]["findings"] == reports[2]["findings"]
    assert b"warning" not in third.stderr
    assert (tmp_path / "cache" / "CACHEDIR.TAG").exists()


@pytest.fixture(params=["fork pool", "executor"])
def pool_kind(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each worker pool a run may use: the fork pool (Linux), and the executor (elsewhere)."""
    from cableschema import _forkpool

    if request.param == "fork pool" and not _forkpool.AVAILABLE:
        pytest.skip("the fork pool is used on Linux only")
    if request.param == "executor":
        monkeypatch.setattr(_forkpool, "AVAILABLE", False)
    return str(request.param)


def test_a_dying_worker_is_reported_and_its_files_retried_each_alone(monkeypatch, capsys, tmp_path, pool_kind) -> None:
    """A worker that dies (killed for memory, a crash in a library) takes its batch with it: each of
    the batch's files is linted again in a process of its own. One that kills that process too is
    an E001, and the run goes on (linted again in the main process, it ended the whole run)."""
    main_pid = os.getpid()
    once = tmp_path / "died once"

    def die_in_workers(ctx):
        name = os.path.basename(ctx.document.path)
        if os.getpid() != main_pid and (name == "06LIMA622.html" or (name == "07BERN881.html" and not once.exists())):
            once.touch()
            os._exit(3)
        return iter(())

    monkeypatch.setitem(REGISTRY, "T598", Rule("T598", "dying-rule", "error", "x", "", "cable", die_in_workers))
    findings = _lint([str(SAMPLE / "html")], jobs=2)
    assert "worker process died" in capsys.readouterr().err
    alone = [f for f in findings if os.path.basename(f[0]) == "06LIMA622.html"]
    assert [(f[4], f[5]) for f in alone] == [
        ("E001", "cannot lint: every process that linted it died (out of memory, or a crash)")
    ]
    serial = _lint([str(SAMPLE / "html")], jobs=1)  # in this process: no rule dies
    assert [f for f in findings if f not in alone] == [f for f in serial if os.path.basename(f[0]) != "06LIMA622.html"]
    assert any(f[0].endswith("07BERN881.html") for f in findings)  # died once, linted again


def test_a_pool_that_breaks_between_submissions_is_replaced(monkeypatch, capsys, pool_kind) -> None:
    """A worker can die before its result is looked at; the pool then refuses the next batch
    (``submit`` raises). That batch must be linted all the same, with the same findings."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from cableschema._forkpool import ForkPool, WorkerDied

    expected = _lint([str(SAMPLE)], jobs=1)
    pool, error = (ForkPool, WorkerDied) if pool_kind == "fork pool" else (ProcessPoolExecutor, BrokenProcessPool)
    original = pool.submit
    calls = {"n": 0}

    def refuse_the_third(self, fn, /, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise error("a child process terminated abruptly")
        return original(self, fn, *args, **kwargs)

    monkeypatch.setattr(pool, "submit", refuse_the_third)
    assert _lint([str(SAMPLE)], jobs=2) == expected
    assert "worker process died" in capsys.readouterr().err
    assert calls["n"] > 3


def test_no_progress_bar_off_a_terminal(capsys) -> None:
    main(["lint", "--isolated", "--no-cache", "--exit-zero", str(SAMPLE)])
    assert "\r" not in capsys.readouterr().err


def test_progress_bar_on_a_terminal() -> None:
    class Terminal:
        def __init__(self) -> None:
            self.written = ""

        def isatty(self) -> bool:
            return True

        def write(self, text: str) -> None:
            self.written += text

        def flush(self) -> None:
            pass

    stream = Terminal()
    progress = runner.Progress(total=3, stream=stream, started=0.0)  # type: ignore[arg-type]
    progress.advance(2)
    assert "1/3 files, 2 cables" in stream.written and "left" in stream.written
    # Half of one large file: no file done yet, but the bar moves and the time left is known.
    stream.written = ""
    progress = runner.Progress(total=1, stream=stream, started=time.monotonic() - 10)  # type: ignore[arg-type]
    progress.advance(40, last=False, done=0.5)
    assert "[============>" in stream.written and "0/1 files, 40 cables" in stream.written
    assert "0:10 left" in stream.written
    progress._last = 0.0
    progress.advance(40)
    assert stream.written.endswith("1/1 files, 80 cables, 8 cables/s, 0:00 left\x1b[K")


class _TerminalOnStderr:
    """Standard error on a terminal (its size is what ``os.get_terminal_size`` says of fd 2)."""

    written = ""

    def isatty(self) -> bool:
        return True

    def fileno(self) -> int:
        return 2

    def write(self, text: str) -> None:
        self.written += text

    def flush(self) -> None:
        pass


def test_the_progress_bar_fits_the_terminal_and_is_erased(monkeypatch) -> None:
    """A line wider than the terminal wraps, and the next "\r" rewrites only its last row: each
    update left a line above the report on an 80-column terminal."""
    monkeypatch.setattr(runner.os, "get_terminal_size", lambda fd: os.terminal_size((40, 24)))
    stream = _TerminalOnStderr()
    progress = runner.Progress(total=250_000, stream=stream, started=time.monotonic() - 100)  # type: ignore[arg-type]
    progress.advance(123_456)
    progress.close()
    lines = stream.written.split("\r")[1:]
    assert len(lines) == 2 and lines[1] == "\x1b[K"
    assert lines[0].endswith("\x1b[K") and len(lines[0].removesuffix("\x1b[K")) == 39


@pytest.mark.parametrize(("columns", "width"), [("", 80), ("50", 50), ("x", 80), ("0", 80)])
def test_a_terminal_of_no_size_gets_a_whole_progress_line(monkeypatch, columns: str, width: int) -> None:
    """A pseudo-terminal given no size says 0 columns: the line is cut to $COLUMNS, else 80, not
    to the 20 characters that kept only the bar."""
    monkeypatch.setattr(runner.os, "get_terminal_size", lambda fd: os.terminal_size((0, 0)))
    monkeypatch.setenv("COLUMNS", columns)
    stream = _TerminalOnStderr()
    progress = runner.Progress(total=250_000, stream=stream, started=time.monotonic() - 100)  # type: ignore[arg-type]
    progress.advance(123_456)
    line = stream.written.removeprefix("\r").removesuffix("\x1b[K")
    assert len(line) == width - 1 and line.startswith("[>                       ] 1/250000 files, ")


@pytest.mark.parametrize("jobs", [1, 2])
def test_progress_counts_each_chunk_of_a_large_file(tmp_path, monkeypatch, jobs: int) -> None:
    calls: list[tuple[int, bool, float]] = []
    monkeypatch.setattr(runner.Progress, "advance", lambda self, *args: calls.append(args))
    big, settings, files, _ = _cached_large_file_run(tmp_path, monkeypatch, jobs=jobs)
    parts = [call for call in calls[files.index(str(big)) :] if not call[1]]
    assert len(parts) == 7  # the chunks before the last of 301 records, 40 a chunk
    shares = [done for _, _, done in parts]
    assert shares == sorted(shares) and shares[0] > 0 and shares[-1] < 1
    assert sum(1 for _, last, _ in calls if last) == len(files)
    # From the cache, each chunk's share is its place in the list of the file's chunks.
    cables = sum(cables for cables, _, _ in calls)
    calls.clear()
    runner.lint_paths(files, settings, quiet=True)
    assert [done for _, last, done in calls if not last] == [n / 8 for n in range(1, 8)]
    assert sum(cables for cables, _, _ in calls) == cables > 0


def test_clean_removes_the_cache(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SAMPLE / "text", tmp_path / "text")
    main(["lint", "--isolated", "--exit-zero", "-q", "text"])
    assert (tmp_path / ".cableschema_cache").is_dir()
    assert main(["clean"]) == 0
    assert not (tmp_path / ".cableschema_cache").exists()


def test_a_full_disk_under_the_report_is_one_line_of_error(capsys) -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    status = main(["lint", str(SAMPLE), "--no-cache", "-q", "--format", "json", "-o", "/dev/full"])
    err = capsys.readouterr().err
    assert status == 2
    assert err.splitlines() == ["cableschema: error: No space left on device"]


def test_workers_started_by_spawn_give_what_forked_ones_give(monkeypatch) -> None:
    # macOS and Windows start worker processes by spawn, not fork: each imports the package anew
    # and gets its settings and tasks pickled.
    import concurrent.futures
    import multiprocessing

    from cableschema import _forkpool

    expected = _lint([str(SAMPLE)], jobs=2)
    monkeypatch.setattr(_forkpool, "AVAILABLE", False)  # the executor, as off Linux

    methods: list[str] = []

    class Spawned(concurrent.futures.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs) -> None:
            context = multiprocessing.get_context("spawn")
            methods.append(context.get_start_method())
            super().__init__(*args, mp_context=context, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Spawned)
    assert _lint([str(SAMPLE)], jobs=2) == expected
    assert methods == ["spawn"]


@pytest.mark.parametrize(
    ("files", "limit"),
    [
        ({"cpu.max": "200000 100000\n"}, 2),
        ({"cpu.max": "150000 100000\n"}, 2),  # one and a half CPUs: two workers
        ({"cpu.max": "max 100000\n"}, None),
        ({"cpu/cpu.cfs_quota_us": "100000\n", "cpu/cpu.cfs_period_us": "100000\n"}, 1),
        ({"cpu,cpuacct/cpu.cfs_quota_us": "-1\n", "cpu,cpuacct/cpu.cfs_period_us": "100000\n"}, None),
        ({"cpu.max": "garbage\n"}, None),
        ({}, None),
    ],
)
def test_the_default_jobs_follow_a_containers_cpu_limit(tmp_path, monkeypatch, files, limit) -> None:
    for name, content in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(content, encoding="ascii")
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(64)), raising=False)
    assert runner.available_cpus(str(tmp_path)) == (limit or 64)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0}, raising=False)  # taskset -c 0
    assert runner.available_cpus(str(tmp_path)) == 1


def test_jobs_are_capped_at_four_a_usable_cpu(monkeypatch, capsys) -> None:
    monkeypatch.setattr(runner, "available_cpus", lambda: 2)
    assert runner._jobs(Settings(jobs=0)) == 2
    assert runner._jobs(Settings(jobs=8)) == 8 and capsys.readouterr().err == ""
    assert runner._jobs(Settings(jobs=100_000)) == 8  # not a hundred thousand processes
    assert capsys.readouterr().err == "cableschema: warning: 100000 jobs on 2 usable CPUs; using 8 (4 a CPU at most)\n"


# -- the run pack ----------------------------------------------------------------------------------


def _counting_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    reads: list[str] = []
    real = runner._read_bytes

    def counted(path: str, mark_used: bool = False) -> bytes:
        if os.path.basename(path) != runner.CODE_FILE:  # the code's fingerprint, read as the cache opens
            reads.append(path)
        return real(path, mark_used)

    monkeypatch.setattr(runner, "_read_bytes", counted)
    return reads


def _packed_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Settings, list[str], runner.RunResult]:
    monkeypatch.setattr(runner, "_SETTLED_NS", -(10**12))  # the copies are seconds old, not minutes
    shutil.copytree(SAMPLE, tmp_path / "sample")
    # Another text under a cable's ID: the corpus rules report it (M108) among the others.
    text = (SAMPLE / "text" / "04MADRID893.txt").read_text(encoding="utf-8").replace("the", "teh", 1)
    (tmp_path / "sample" / "copy").mkdir()
    (tmp_path / "sample" / "copy" / "04MADRID893.txt").write_text(text, encoding="utf-8")
    settings = Settings(cache=True, cache_dir=tmp_path / "cache", jobs=1)
    files, _ = discover([str(tmp_path / "sample")], settings)
    return settings, files, runner.lint_paths(files, settings, quiet=True, discovered=True)


def _outcome(run: runner.RunResult) -> tuple[list[object], list[object]]:
    return list(run.findings), [(r.path, r.format, r.error, r.cables) for r in run.files]


def test_an_unchanged_run_is_served_by_its_run_pack_alone(tmp_path, monkeypatch) -> None:
    settings, files, cold = _packed_run(tmp_path, monkeypatch)
    reads = _counting_reads(monkeypatch)
    warm = runner.lint_paths(files, settings, quiet=True, discovered=True)
    assert len(reads) == 1  # one entry, not one a file (and the corpus rules' one)
    assert _outcome(warm) == _outcome(cold)
    assert any(f.fix is not None for f in warm.findings) and any(f.code == "M108" for f in warm.findings)
    assert warm.counts == cold.counts and warm.exit_status("error") == cold.exit_status("error")


def _stand_in_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[list[tuple[str, str]], list[str], Settings]:
    """Two files, written just now, as the package's code; each fingerprint made of them counted."""
    (tmp_path / "code").mkdir()
    files = []
    for name in ("rules.py", "words.txt"):
        path = tmp_path / "code" / name
        path.write_text(f"# {name}\n", encoding="utf-8")
        files.append((name, str(path)))
    monkeypatch.setattr(runner, "_code_files", lambda: files)
    made: list[str] = []
    real = runner._code_fingerprint
    monkeypatch.setattr(runner, "_code_fingerprint", lambda code: made.append("made") or real(code))
    return files, made, Settings(cache=True, cache_dir=tmp_path / "cache", jobs=1)


def test_the_code_fingerprint_is_kept_while_the_code_files_are_unchanged(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(runner, "_SETTLED_NS", -(10**12))  # the files are seconds old, not minutes
    code, made, settings = _stand_in_code(tmp_path, monkeypatch)
    first = runner.Cache(tmp_path / "cache", settings)
    second = runner.Cache(tmp_path / "cache", settings)
    assert made == ["made"] and first._base == second._base
    # A changed file (the same size, its mtime put back: its ctime tells) makes it anew, and with
    # it every key: no finding of the old code is read.
    path = Path(code[0][1])
    before = path.stat()
    path.write_text("# RULES.PY\n", encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    third = runner.Cache(tmp_path / "cache", settings)
    assert made == ["made", "made"] and third._base != first._base
    assert runner.Cache(tmp_path / "cache", settings)._base == third._base and len(made) == 2


def test_a_code_file_changed_just_now_is_read_each_run(tmp_path, monkeypatch) -> None:
    """A file changed within the last two seconds may still be being written: the fingerprint
    made from it is not kept."""
    _, made, settings = _stand_in_code(tmp_path, monkeypatch)
    for _ in range(2):
        runner.Cache(tmp_path / "cache", settings)
    assert made == ["made", "made"]
    assert not (tmp_path / "cache" / f"v{runner.CACHE_VERSION}" / runner.CODE_FILE).exists()


def test_the_code_files_are_the_packages_code_and_data() -> None:
    names = [name for name, _ in runner._code_files()]
    assert {"runner.py", "parser.py", "damage.py", "data/tags.txt"} <= set(names)
    assert not any("__pycache__" in name or name.endswith(".pyc") for name in names)


def _groups(files: list[str]) -> list[list[str]]:
    """The files of each group the cache keeps in one entry."""
    ends = runner.group_ends(files)
    return [files[start:end] for start, end in zip([0, *ends], ends, strict=False)]


def test_a_run_with_a_changed_file_is_not_served_by_the_pack(tmp_path, monkeypatch) -> None:
    settings, files, _ = _packed_run(tmp_path, monkeypatch)
    changed = next(path for path in files if path.endswith("04MADRID893.txt"))
    with open(changed, "a", encoding="utf-8") as stream:
        stream.write("\nThe talks will go on, he said, with\n")
    reads = _counting_reads(monkeypatch)
    calls = _tasks_run(monkeypatch)
    warm = runner.lint_paths(files, settings, quiet=True, discovered=True)
    assert len(reads) == len(_groups(files)) + 1  # the groups' entries, and the corpus rules' (missed)
    assert calls == [("04MADRID893.txt", 0)]
    fresh = runner.lint_paths(files, Settings(cache=False, jobs=1), quiet=True, discovered=True)
    assert _outcome(warm) == _outcome(fresh)
    assert any(f.path == changed and f.code == "T502" for f in warm.findings)


def test_a_damaged_run_pack_is_read_past_with_one_warning(tmp_path, monkeypatch, capsys) -> None:
    settings, files, cold = _packed_run(tmp_path, monkeypatch)
    reads = _counting_reads(monkeypatch)
    runner.lint_paths(files, settings, quiet=True, discovered=True)
    (pack,) = reads
    with open(pack, "r+b") as stream:
        stream.seek(40)
        stream.write(b"\x00\xff" * 8)
    warm = runner.lint_paths(files, settings, quiet=True, discovered=True)
    assert _outcome(warm) == _outcome(cold)
    err = capsys.readouterr().err
    assert err.count("warning") == 1 and "reading its groups' entries" in err


def test_a_run_over_the_pack_limit_keeps_no_pack(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(runner, "RUN_PACK_FILES", 3)
    settings, files, cold = _packed_run(tmp_path, monkeypatch)
    assert len(files) > 3
    reads = _counting_reads(monkeypatch)
    warm = runner.lint_paths(files, settings, quiet=True, discovered=True)
    assert len(reads) == len(_groups(files)) + 1  # each group's entry and the corpus rules'
    assert _outcome(warm) == _outcome(cold)


def _entries(cache: Path) -> list[Path]:
    """The cache's entries (in its folders of two hex digits)."""
    return sorted(path for path in cache.glob("v*/??/*") if path.is_file())


def _age(path: Path, days: float) -> None:
    then = time.time() - days * 86_400
    os.utime(path, (then, then))


def test_the_cache_is_pruned_of_what_no_run_used_for_30_days(tmp_path, monkeypatch) -> None:
    """Entries no run read for 30 days (an upgrade's, another configuration's), a day-old
    temporary file and an old layout's folder go, once a day, at the end of a run that lints;
    what runs read stays, however old it was."""
    _grouped(monkeypatch)  # several entries: one a group
    settings, files, cold = _packed_run(tmp_path, monkeypatch)
    cache = tmp_path / "cache"
    root = cache / f"v{runner.CACHE_VERSION}"
    used = _entries(cache)
    assert len(used) > 3
    # An entry of an older cableschema, a temporary file of a stopped run, an older layout.
    stale = root / used[0].parent.name / ("0" * 64)
    stale.write_bytes(b"old")
    stopped = root / used[0].parent.name / ".tmp-stopped"
    stopped.write_bytes(b"half")
    (cache / "v3" / "ab").mkdir(parents=True)
    (cache / "v3" / "ab" / ("a" * 64)).write_bytes(b"old")
    (cache / "v3" / "files.tsv").write_bytes(b"")
    fresh_temporary = root / ".tmp-running"
    fresh_temporary.write_bytes(b"")
    for path in [*used, stale, stopped, *(cache / "v3").rglob("*")]:
        _age(path, 40)
    _age(stopped, 2)
    _age(root / runner.MEMO_FILE, 40)
    _age(root / runner.PRUNED_FILE, 2)
    warm = runner.lint_paths(files, settings, quiet=True, discovered=True)
    assert _outcome(warm) == _outcome(cold)
    # What this run read was marked used; the rest went.
    assert not stale.exists() and not stopped.exists() and not (cache / "v3").exists()
    assert fresh_temporary.exists() and (root / runner.MEMO_FILE).exists()
    kept = _entries(cache)
    assert kept and set(kept) <= set(used)
    assert all(time.time() - path.stat().st_mtime < 3600 for path in kept)
    # Pruned once a day: an unused entry stays until the marker is a day old.
    stale.write_bytes(b"old")
    _age(stale, 40)
    runner.lint_paths(files, settings, quiet=True, discovered=True)
    assert stale.exists()
    _age(root / runner.PRUNED_FILE, -400)  # marked in the future: the clock was set back since
    runner.lint_paths(files, settings, quiet=True, discovered=True)
    assert not stale.exists() and set(_entries(cache)) == set(kept)


def test_an_entry_read_is_marked_used_at_most_once_a_day(tmp_path, monkeypatch) -> None:
    settings, files, _ = _packed_run(tmp_path, monkeypatch)
    entries = _entries(tmp_path / "cache")
    for path in entries:
        _age(path, 0.5)
    before = {path: path.stat().st_mtime for path in entries}
    runner.lint_paths(files, settings, quiet=True, discovered=True)
    assert {path: path.stat().st_mtime for path in entries} == before  # half a day: not marked
    for path in entries:
        _age(path, 2)
    reads = _counting_reads(monkeypatch)
    runner.lint_paths(files, settings, quiet=True, discovered=True)
    (pack,) = reads
    assert time.time() - Path(pack).stat().st_mtime < 3600


def test_a_cache_that_cannot_be_pruned_is_used_as_it_is(tmp_path, monkeypatch, capsys) -> None:
    _grouped(monkeypatch)  # read from its groups: the run ends by pruning
    settings, files, cold = _packed_run(tmp_path, monkeypatch)
    root = tmp_path / "cache" / f"v{runner.CACHE_VERSION}"
    entries = _entries(tmp_path / "cache")
    for path in entries:
        _age(path, 40)
    _age(root / runner.PRUNED_FILE, 2)

    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(runner.os, "unlink", denied)
    monkeypatch.setattr(runner.os, "utime", denied)
    reads = _counting_reads(monkeypatch)
    warm = runner.lint_paths(files, settings, quiet=True, discovered=True)
    assert _outcome(warm) == _outcome(cold)
    assert capsys.readouterr().err == ""
    assert len(reads) > 3 and _entries(tmp_path / "cache") == entries  # read, and all still there


def _grouped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "RUN_PACK_FILES", 0)  # the groups' entries alone
    monkeypatch.setattr(runner, "GROUP_SPAN", 3)


def test_a_large_unchanged_run_is_served_an_entry_a_group(tmp_path, monkeypatch) -> None:
    _grouped(monkeypatch)
    settings, files, cold = _packed_run(tmp_path, monkeypatch)
    groups = len(_groups(files))
    assert groups > 3
    reads = _counting_reads(monkeypatch)
    calls = _tasks_run(monkeypatch)
    kept = _groups_kept(monkeypatch)
    warm = runner.lint_paths(files, settings, quiet=True, discovered=True)
    assert len(reads) == groups + 1 and calls == []  # and the corpus rules' entry
    assert _outcome(warm) == _outcome(cold)
    assert kept == []  # nothing written anew
    # With workers, results come back while the groups are still being planned: no entry either.
    reads.clear()
    parallel = runner.lint_paths(files, dataclasses.replace(settings, jobs=2), quiet=True, discovered=True)
    assert len(reads) == groups + 1 and kept == [] and _outcome(parallel) == _outcome(cold)


def _groups_kept(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The files of every group whose entry is written from now on."""
    kept: list[list[str]] = []
    original = runner.Cache.keep_group

    def counting(self, group, members):
        kept.append(list(group))
        return original(self, group, members)

    monkeypatch.setattr(runner.Cache, "keep_group", counting)
    return kept


def test_a_changed_file_is_linted_alone_and_its_group_kept_anew(tmp_path, monkeypatch) -> None:
    _grouped(monkeypatch)
    settings, files, _ = _packed_run(tmp_path, monkeypatch)
    groups = _groups(files)
    changed = groups[1][-1]
    with open(changed, "a", encoding="utf-8") as stream:
        stream.write("\nThe talks will go on, he said, with\n")
    reads = _counting_reads(monkeypatch)
    calls = _tasks_run(monkeypatch)
    kept = _groups_kept(monkeypatch)
    warm = runner.lint_paths(files, settings, quiet=True, discovered=True)
    # Every group's entry (the changed file's group keeps the others' findings), and the corpus
    # rules' entry (missed).
    assert len(reads) == len(groups) + 1
    assert calls == [(os.path.basename(changed), 0)] and kept == [groups[1]]
    fresh = runner.lint_paths(files, Settings(cache=False, jobs=1), quiet=True, discovered=True)
    assert _outcome(warm) == _outcome(fresh)
    reads.clear()
    calls.clear()
    again = runner.lint_paths(files, settings, quiet=True, discovered=True)
    assert len(reads) == len(groups) + 1 and _outcome(again) == _outcome(fresh)
    assert calls == []  # its group's entry was kept anew


def test_a_file_added_or_removed_leaves_the_other_groups_to_the_cache(tmp_path, monkeypatch) -> None:
    _grouped(monkeypatch)
    settings, files, cold = _packed_run(tmp_path, monkeypatch)
    added = tmp_path / "sample" / "text" / "09NEWCABLE1.txt"
    added.write_text((SAMPLE / "text" / "04MADRID893.txt").read_text(encoding="utf-8"), encoding="utf-8")
    more, _ = discover([str(tmp_path / "sample")], settings)
    new = [path for group in _groups(more) if group not in _groups(files) for path in group]
    # The files of the group the new file fell into (it may end a group of its own now).
    assert str(added) in new and [path for path in new if path != str(added)] in _groups(files)
    calls = _tasks_run(monkeypatch)
    warm = runner.lint_paths(more, settings, quiet=True, discovered=True)
    assert [name for name, _ in calls] == [os.path.basename(path) for path in new]
    fresh = runner.lint_paths(more, Settings(cache=False, jobs=1), quiet=True, discovered=True)
    assert _outcome(warm) == _outcome(fresh)
    # And removed again: the old files' groups are all still kept.
    added.unlink()
    calls.clear()
    again = runner.lint_paths(files, settings, quiet=True, discovered=True)
    assert calls == [] and _outcome(again) == _outcome(cold)


def test_a_run_over_a_folder_finds_the_groups_the_whole_tree_kept(tmp_path, monkeypatch) -> None:
    _grouped(monkeypatch)
    text = (SAMPLE / "text" / "04MADRID893.txt").read_text(encoding="utf-8")
    for folder in ("a", "b", "c"):
        (tmp_path / "tree" / folder).mkdir(parents=True)
        for number in range(12):
            name = f"04MADRID{number + 100}.txt"
            (tmp_path / "tree" / folder / name).write_text(text.replace("MADRID 893", f"MADRID {number}"), "utf-8")
    settings = Settings(cache=True, cache_dir=tmp_path / "cache", jobs=1)
    files, _ = discover([str(tmp_path / "tree")], settings)
    runner.lint_paths(files, settings, quiet=True, discovered=True)
    folder, _ = discover([str(tmp_path / "tree" / "b")], settings)
    whole = _groups(files)
    # The folder's files in a group that the whole tree's run did not have: those of its first
    # and last groups, cut by the folder's ends.
    unkept = [path for group in _groups(folder) if group not in whole for path in group]
    assert len(unkept) < len(folder) - 3
    calls = _tasks_run(monkeypatch)
    part = runner.lint_paths(folder, settings, quiet=True, discovered=True)
    assert [name for name, _ in calls] == [os.path.basename(path) for path in unkept]
    fresh = runner.lint_paths(folder, Settings(cache=False, jobs=1), quiet=True, discovered=True)
    assert _outcome(part) == _outcome(fresh)


def test_the_cache_does_not_grow_as_files_change(tmp_path, monkeypatch, capsys) -> None:
    """The groups' entries, the run pack and the corpus rules' entry are named for the files and
    written anew: a corpus whose files change run after run keeps as many entries (it kept one
    more run pack and corpus rules' entry a run), and an entry left by the older text is read
    past without a word."""
    settings, files, _ = _packed_run(tmp_path, monkeypatch)
    entries = tmp_path / "cache" / f"v{runner.CACHE_VERSION}"

    def kept() -> list[str]:
        return sorted(path.name for path in entries.glob("??/*"))

    first = kept()
    changed = next(path for path in files if path.endswith("04MADRID893.txt"))
    for round_ in range(3):
        with open(changed, "a", encoding="utf-8") as stream:
            stream.write(f"\nThe talks will go on, he said, round {round_}\n")
        run = runner.lint_paths(files, settings, quiet=True, discovered=True)
        fresh = runner.lint_paths(files, Settings(cache=False, jobs=1), quiet=True, discovered=True)
        assert _outcome(run) == _outcome(fresh)
        assert kept() == first
    reads = _counting_reads(monkeypatch)
    assert _outcome(runner.lint_paths(files, settings, quiet=True, discovered=True)) == _outcome(fresh)
    assert len(reads) == 1 and capsys.readouterr().err == ""  # the run pack, of the last text


def test_a_damaged_group_entry_is_read_past_with_one_warning(tmp_path, monkeypatch, capsys) -> None:
    _grouped(monkeypatch)
    settings, files, cold = _packed_run(tmp_path, monkeypatch)
    reads = _counting_reads(monkeypatch)
    runner.lint_paths(files, settings, quiet=True, discovered=True)
    with open(reads[1], "r+b") as stream:
        stream.seek(20)
        stream.write(b"\x00\xff" * 8)
    calls = _tasks_run(monkeypatch)
    warm = runner.lint_paths(files, settings, quiet=True, discovered=True)
    assert _outcome(warm) == _outcome(cold)
    assert [name for name, _ in calls] == [os.path.basename(path) for path in _groups(files)[1]]
    err = capsys.readouterr().err
    assert err.count("warning") == 1 and "linting its input again" in err


def test_groups_end_where_their_files_say() -> None:
    """Each file decides alone whether its group ends with it: a file added changes its own
    group only, and the groups inside a run over a part of the files are the whole run's."""
    files = sorted(f"corpus{os.sep}{year}{os.sep}{year}CABLE{n}.txt" for year in range(1990, 2000) for n in range(300))
    ends = runner.group_ends(files)
    sizes = [end - start for start, end in zip([0, *ends], ends, strict=False)]
    assert ends[-1] == len(files) and max(sizes) <= runner.GROUP_LIMIT
    assert 20 < len(ends) < 120  # about one group of 64 files
    groups = _groups(files)
    part = files[700:2200]
    inner = _groups(part)[1:-1]
    assert inner and all(group in groups for group in inner)
    for added in ("1995CABLE150a.txt", "1990CABLE0a.txt", "1999CABLE99a.txt"):
        grown = sorted([*files, f"corpus{os.sep}{added[:4]}{os.sep}{added}"])
        new = [path for group in _groups(grown) if group not in groups for path in group]
        # The added file and the one group it fell into (which it may have cut in two).
        assert [path for path in new if not path.endswith(added)] in groups


def test_the_command_ends_with_its_output_whole_and_its_exit_status(tmp_path) -> None:
    """``python -m cableschema`` (as the console script) ends without the interpreter's teardown:
    a report far beyond a pipe's buffer still arrives whole, and the exit status is kept."""
    shutil.copytree(SAMPLE, tmp_path / "sample")
    command = [sys.executable, "-m", "cableschema", "lint", "--isolated", "--no-cache", "--select", "ALL"]
    # Buffered output, as on most machines (this one may set PYTHONUNBUFFERED).
    env = {key: value for key, value in os.environ.items() if key != "PYTHONUNBUFFERED"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*command, *args, "sample"], capture_output=True, text=True, cwd=tmp_path, env=env)

    report_run = run("--format", "json")
    assert report_run.returncode == 1, report_run.stderr
    report = json.loads(report_run.stdout)
    assert len(report_run.stdout) > 65536 and report["summary"]["findings"] == len(report["findings"]) > 0
    clean = run("--exit-zero", "-q")
    assert clean.returncode == 0 and clean.stdout.count("\n") == len(report["findings"])


def test_the_command_under_a_profiler_exits_as_usual(tmp_path) -> None:
    """Under ``python -m cProfile -o`` the interpreter's exit runs, and the profile is written."""
    shutil.copytree(SAMPLE / "text", tmp_path / "text")
    profile = tmp_path / "lint.prof"
    command = [sys.executable, "-m", "cProfile", "-o", str(profile), "-m", "cableschema", "lint", "--isolated"]
    run = subprocess.run([*command, "--no-cache", "--exit-zero", "-q", "text"], capture_output=True, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert profile.stat().st_size > 0


# -- the kept report -------------------------------------------------------------------------------


def _lint_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, str, str]:
    """``cableschema lint`` in ``tmp_path``, its report written to report.out: the exit status,
    the report, standard output and standard error."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "report.out").unlink(missing_ok=True)
    status = main(["lint", "--isolated", "-o", "report.out", *args])
    out, err = capsys.readouterr()
    return status, (tmp_path / "report.out").read_text(encoding="utf-8"), out, err


def _kept_report_setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The sample copied in, settled at once; lint_paths counted as it is called."""
    monkeypatch.setattr(runner, "_SETTLED_NS", -(10**12))  # the copies are seconds old, not minutes
    shutil.copytree(SAMPLE, tmp_path / "sample")
    monkeypatch.chdir(tmp_path)
    runs: list[str] = []
    real = runner.lint_paths
    monkeypatch.setattr(runner, "lint_paths", lambda *a, **k: runs.append("run") or real(*a, **k))
    return runs


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "github"])
def test_a_run_over_unchanged_files_writes_the_kept_report(tmp_path, monkeypatch, capsys, fmt: str) -> None:
    runs = _kept_report_setup(tmp_path, monkeypatch)
    command = ("--format", fmt, "--statistics", "sample")
    fresh = _lint_command(tmp_path, monkeypatch, capsys, "--no-cache", *command)
    cold = _lint_command(tmp_path, monkeypatch, capsys, *command)
    warm = _lint_command(tmp_path, monkeypatch, capsys, *command)
    assert runs == ["run", "run"]  # the third wrote what the second kept
    assert fresh == cold == warm and fresh[0] == 1 and fresh[1]
    assert "total in" in (fresh[1] if fmt == "text" else fresh[3])  # the statistics
    assert _lint_command(tmp_path, monkeypatch, capsys, "--exit-zero", *command)[0] == 0


def test_the_kept_report_is_of_the_same_options_and_files(tmp_path, monkeypatch, capsys) -> None:
    """Each option that shapes the report, the files' names as given and their contents: another
    of any writes the report anew, as a run without the cache writes it."""
    runs = _kept_report_setup(tmp_path, monkeypatch)
    shutil.copytree(tmp_path / "sample" / "html", tmp_path / "elsewhere" / "html")
    baseline = tmp_path / "baseline.json"
    main(["lint", "--isolated", "--no-cache", "--write-baseline", str(baseline), "sample/html"])
    capsys.readouterr()
    variants = [
        ("--format", "json", "sample/html"),
        ("--format", "json", "--fail-on", "info", "sample/html"),
        ("--format", "json", "--fail-on", "info", "--statistics", "sample/html"),
        ("--format", "json", "--baseline", str(baseline), "sample/html"),
        ("--format", "json", "--select", "T5", "sample/html"),
        ("--format", "json", str(tmp_path / "sample" / "html")),
        ("--format", "json", "sample/./html"),
        ("--format", "json", "elsewhere/html"),
        ("--format", "text", "--color", "always", "sample/html"),
        ("--format", "text", "--color", "never", "sample/html"),
    ]
    for _ in ("fill", "again"):
        for variant in variants:
            fresh = _lint_command(tmp_path, monkeypatch, capsys, "--no-cache", *variant)
            assert _lint_command(tmp_path, monkeypatch, capsys, *variant) == fresh, variant
    runs.clear()
    for variant in variants[1:3] + variants[8:10] + variants[1:3] + variants[8:10]:
        _lint_command(tmp_path, monkeypatch, capsys, *variant)
    assert runs == []  # a report kept for each kind of report    # A baseline of other entries; a file changed.
    entries = json.loads(baseline.read_text(encoding="utf-8"))
    entries["entries"] = entries["entries"][1:]
    baseline.write_text(json.dumps(entries), encoding="utf-8")
    page = tmp_path / "sample" / "html" / "06LIMA622.html"
    page.write_text(page.read_text(encoding="utf-8").replace("Lima", "Lma", 1), encoding="utf-8")
    for variant in (variants[3], variants[0]):
        fresh = _lint_command(tmp_path, monkeypatch, capsys, "--no-cache", *variant)
        assert _lint_command(tmp_path, monkeypatch, capsys, *variant) == fresh, variant


def test_a_damaged_kept_report_is_written_anew_with_one_warning(tmp_path, monkeypatch, capsys) -> None:
    _kept_report_setup(tmp_path, monkeypatch)
    reads = _counting_reads(monkeypatch)
    cold = _lint_command(tmp_path, monkeypatch, capsys, "--format", "json", "sample")
    reads.clear()
    assert _lint_command(tmp_path, monkeypatch, capsys, "--format", "json", "sample") == cold
    (kept,) = reads  # the report's entry alone
    with open(kept, "r+b") as stream:
        stream.seek(80)
        stream.write(b"\x00\xff" * 8)
    status, report, out, err = _lint_command(tmp_path, monkeypatch, capsys, "--format", "json", "sample")
    assert (status, report, out) == cold[:3]
    assert err.count("warning") == 1 and "writing the report anew" in err
    assert _lint_command(tmp_path, monkeypatch, capsys, "--format", "json", "sample") == cold


def test_no_report_is_kept_past_its_size_limit_nor_for_a_run_that_writes_a_baseline(
    tmp_path, monkeypatch, capsys
) -> None:
    runs = _kept_report_setup(tmp_path, monkeypatch)
    monkeypatch.setattr(runner, "REPORT_PACKED_BYTES", 1000)
    for _ in range(2):
        _lint_command(tmp_path, monkeypatch, capsys, "--format", "json", "sample")
    assert runs == ["run", "run"]
    monkeypatch.setattr(runner, "REPORT_PACKED_BYTES", 10**9)
    runs.clear()
    for name in ("a.json", "b.json"):
        _lint_command(tmp_path, monkeypatch, capsys, "--format", "json", "--write-baseline", name, "sample")
        assert json.loads((tmp_path / name).read_text(encoding="utf-8"))["entries"]
    assert runs == ["run", "run"]


@pytest.mark.parametrize("output", ["file", "stdout"])
def test_a_kept_report_naming_a_file_that_is_not_utf8_is_written_as_it_was(
    tmp_path, monkeypatch, capsys, output: str
) -> None:
    """A file name that is not UTF-8 puts a lone surrogate in the report's text: written to a
    file or to standard output as a reporter writes it (an escape), from the cache as without it."""
    runs = _kept_report_setup(tmp_path, monkeypatch)
    text = (SAMPLE / "text" / "07ASTANA2221.scraped.txt").read_bytes()  # a cable with findings
    (tmp_path / "named").mkdir()
    (Path(os.fsdecode(bytes(tmp_path / "named") + b"/07ASTANA2221-caf\xe9.txt"))).write_bytes(text)
    (tmp_path / "named" / "07ASTANA2221-plain.txt").write_bytes(text)

    def lint(*args: str) -> tuple[int, str, str]:
        if output == "file":
            status, report, _, err = _lint_command(tmp_path, monkeypatch, capsys, *args)
            return status, report, err
        status = main(["lint", "--isolated", *args])
        out, err = capsys.readouterr()
        return status, out, err

    for fmt in ("json", "text"):
        command = ("--format", fmt, "named")
        fresh = lint("--no-cache", *command)
        assert "\\udce9" in fresh[1] and fresh[0] == 1
        runs.clear()
        assert lint(*command) == lint(*command) == fresh
        assert runs == ["run"]


def test_a_run_too_large_for_a_run_pack_keeps_its_report_compressed(tmp_path, monkeypatch, capsys) -> None:
    """A run of more files than a run pack holds is served its kept report too, which the cache
    keeps compressed."""
    runs = _kept_report_setup(tmp_path, monkeypatch)
    _grouped(monkeypatch)
    reads = _counting_reads(monkeypatch)
    fresh = _lint_command(tmp_path, monkeypatch, capsys, "--no-cache", "--format", "json", "sample")
    cold = _lint_command(tmp_path, monkeypatch, capsys, "--format", "json", "sample")
    reads.clear()
    assert _lint_command(tmp_path, monkeypatch, capsys, "--format", "json", "sample") == cold == fresh
    assert runs == ["run", "run"]
    (kept,) = reads  # the report's entry alone, no group's
    assert os.path.getsize(kept) < len(cold[1].encode()) / 5


def test_a_report_kept_for_another_shape_is_passed_over_without_the_files_keys(tmp_path, monkeypatch, capsys) -> None:
    """The shape (the files' names as given, the baseline) is compared first: a report kept for
    another baseline costs its entry's read, not a stat of every file."""
    _kept_report_setup(tmp_path, monkeypatch)
    kept: list[tuple[Any, ...]] = []
    keep = runner.Cache.keep_report
    monkeypatch.setattr(runner.Cache, "keep_report", lambda self, *a: kept.append(a) or keep(self, *a))
    _lint_command(tmp_path, monkeypatch, capsys, "--format", "json", "sample")
    ((files, kind, shape, report),) = kept
    cache = runner.open_cache(Settings())
    assert cache is not None
    asked: list[int] = []
    known_keys = runner.Cache.known_keys
    monkeypatch.setattr(runner.Cache, "known_keys", lambda self, f: asked.append(len(f)) or known_keys(self, f))
    assert cache.report(files, kind, shape.replace('"baseline": null', '"baseline": "1"')) is None
    assert asked == []
    assert cache.report(files, kind, shape) == report
    assert asked == [len(files)]
    (tmp_path / files[0]).touch()  # a file's stat changed: its key is not known without a read
    assert cache.report(files, kind, shape) is None


class _WriteSizes(io.BytesIO):
    def __init__(self) -> None:
        super().__init__()
        self.sizes: list[int] = []

    def write(self, data: Any) -> int:
        self.sizes.append(len(data))
        return super().write(data)


@pytest.mark.parametrize("piece", [1, 7, 1 << 20])
def test_a_kept_report_is_unpacked_whole_whatever_its_pieces(monkeypatch, piece: int) -> None:
    """Packed a few pieces at a time and unpacked ``piece`` bytes at a time, which may end inside
    a character: the text comes back whole, to a UTF-8 stream's buffer and to another encoding."""
    monkeypatch.setattr(runner, "_REPORT_PIECE", piece)
    lines = [f"{n} caf\xe9 \u201cd\xe9j\xe0\u201d \U0001f600 {'x' * (n % 97)}\n" for n in range(3000)]
    for odd in ("", "\udce9"):  # a name that is not UTF-8 puts a lone surrogate in the text
        packer = runner.ReportPacker()
        for line in [*lines[:1500], odd, *lines[1500:]]:
            packer.add(line)
        packed, plain = packer.finish() or (b"", False)
        text = "".join([*lines[:1500], odd, *lines[1500:]])
        assert plain == (not odd) and len(packed) < len(text) / 3
        kept = runner.KeptReport(packed, plain, "", 1)
        raw = _WriteSizes()
        stream = io.TextIOWrapper(raw, encoding="utf-8", errors="surrogateescape", newline="\n")
        kept.write(stream)
        stream.flush()
        assert raw.getvalue() == text.encode("utf-8", "surrogateescape")
        if plain and piece < 1000:  # never unpacked whole: a piece, or what zlib holds back
            assert len(raw.sizes) > 10 and max(raw.sizes) <= 1 << 16
        latin = io.TextIOWrapper(io.BytesIO(), encoding="latin-1", errors="backslashreplace", newline="\n")
        kept.write(latin)
        latin.flush()
        assert latin.buffer.getvalue() == text.encode("latin-1", "backslashreplace")  # type: ignore[attr-defined]


def test_a_report_past_the_packed_limit_is_let_go() -> None:
    packer = runner.ReportPacker(limit=2000)
    for n in range(20000):
        packer.add(f"{n:x}{n * 7919 % 65521:x}\n")  # hardly compressible
    assert packer.finish() is None


def test_a_kept_report_is_written_in_order_as_the_streams_encoding_writes_it() -> None:
    """Its bytes straight to a UTF-8 stream's buffer, after what the stream holds; its text to
    a stream of another encoding, which writes what that lacks as it would (an escape)."""
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
    stream.write("before ")
    runner.KeptReport.of("\u201creport\u201d\n", "", 1).write(stream)
    stream.write("after")
    stream.flush()
    assert raw.getvalue() == "before \u201creport\u201d\nafter".encode()
    latin = io.TextIOWrapper(io.BytesIO(), encoding="latin-1", errors="backslashreplace", newline="\n")
    runner.KeptReport.of("caf\xe9 \u201creport\u201d", "", 1).write(latin)
    latin.flush()
    assert latin.buffer.getvalue() == b"caf\xe9 \\u201creport\\u201d"  # type: ignore[attr-defined]


# -- what the cache must never give back ------------------------------------------------------------


def _edited_while_linted(monkeypatch: pytest.MonkeyPatch, target: Path, during: bytes, after: bytes) -> None:
    """From now on, ``target`` holds ``during`` while it is linted and ``after`` once it is."""
    original = runner._execute

    def editing(task, settings=None):
        if Path(task.path) != target:
            return original(task, settings)
        target.write_bytes(during)
        try:
            return original(task, settings)
        finally:
            target.write_bytes(after)

    monkeypatch.setattr(runner, "_execute", editing)


@pytest.mark.parametrize("settled", [True, False])
def test_a_file_saved_while_it_is_linted_is_not_kept_under_its_old_key(tmp_path, monkeypatch, settled) -> None:
    """The key is taken of the bytes the main process hashed; the file is linted from the bytes a
    worker reads later. When they differ, the result is not kept: it was kept under the old
    content's key with the new content's findings, and given back for the old content ever after.
    ``settled``: the file's stat tells the change (its ctime moves); else (a file changed so
    lately that the stat could stay) it is read again, here with a stat that only has its size."""
    if settled:
        monkeypatch.setattr(runner, "_SETTLED_NS", -(10**12))
    else:
        monkeypatch.setattr(runner, "_SETTLED_NS", 10**18)
        monkeypatch.setattr(runner, "_stat_stamp", lambda status: f"{status.st_size}\t")
    shutil.copytree(SAMPLE / "text", tmp_path / "text")
    target = tmp_path / "text" / "07ASTANA2221.scraped.txt"
    old = target.read_bytes()
    new = old.replace(b"comple\nx", b"complex\n")  # as long: only the content tells them apart
    assert len(new) == len(old) and new != old
    settings = Settings(cache=True, cache_dir=tmp_path / "cache", jobs=1)
    files, _ = discover([str(tmp_path / "text")], settings)
    # Linted as `new`, then saved back (or left) as it was when its key was taken.
    _edited_while_linted(monkeypatch, target, new, old if settled else new)
    runner.lint_paths(files, settings, quiet=True, discovered=True)
    monkeypatch.undo()
    if not settled:
        monkeypatch.setattr(runner, "_SETTLED_NS", 10**18)
        monkeypatch.setattr(runner, "_stat_stamp", lambda status: f"{status.st_size}\t")
        target.write_bytes(old)
    fresh = runner.lint_paths(files, Settings(cache=False, jobs=1), quiet=True, discovered=True)
    cached = runner.lint_paths(files, settings, quiet=True, discovered=True)
    assert _outcome(cached) == _outcome(fresh)
    assert any(f.path == str(target) and f.code == "T501" for f in fresh.findings)  # the old content's


def test_findings_naming_other_files_keep_the_spelling_of_the_run(tmp_path, monkeypatch, capsys) -> None:
    """M108 says where else a cable is ("also at c/a/x.txt"): a run over the same files spelled
    another way (absolute, or from another folder) gets its own spelling, from the run pack and
    from the corpus rules' entry alike."""
    monkeypatch.chdir(tmp_path)
    for folder, text in (("a", "the"), ("b", "thx")):
        (tmp_path / "c" / folder).mkdir(parents=True)
        seed = (SAMPLE / "text" / "07ASTANA2221.scraped.txt").read_text(encoding="utf-8")
        (tmp_path / "c" / folder / "07ASTANA2221.txt").write_text(seed.replace(" the ", f" {text} "), encoding="utf-8")
    monkeypatch.setattr(runner, "_SETTLED_NS", -(10**12))

    (tmp_path / "cableschema.toml").write_text('select = ["M108"]\n', encoding="utf-8")

    def m108(*args: str) -> list[str]:
        main(["lint", *args])
        return [line for line in capsys.readouterr().out.splitlines() if "M108" in line]

    relative = m108("c")
    assert relative and all("also at c/a/" in line for line in relative)
    absolute = m108(str(tmp_path / "c"))
    assert absolute == m108(str(tmp_path / "c"), "--no-cache")
    assert absolute and all(line.startswith(str(tmp_path)) and f"also at {tmp_path}" in line for line in absolute)
    _grouped(monkeypatch)  # no run pack: the corpus rules' entry is read
    assert m108("c") == relative and m108(str(tmp_path / "c")) == absolute


def test_a_file_name_with_a_carriage_return_leaves_the_file_index_readable(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setattr(runner, "_SETTLED_NS", -(10**12))
    shutil.copytree(SAMPLE / "text", tmp_path / "text")
    shutil.copy(tmp_path / "text" / "04MADRID893.txt", tmp_path / "text" / "04MADRID893\rcopy.txt")
    settings = Settings(cache=True, cache_dir=tmp_path / "cache", jobs=1)
    files, _ = discover([str(tmp_path / "text")], settings)
    runs = [runner.lint_paths(files, settings, quiet=True, discovered=True) for _ in range(3)]
    assert capsys.readouterr().err == ""
    assert _outcome(runs[2]) == _outcome(runs[0])
    index = (tmp_path / "cache" / f"v{runner.CACHE_VERSION}" / runner.MEMO_FILE).read_bytes()
    assert index.count(b"\n") == len(files) - 1 and b"\r" not in index  # every file but that one


def test_a_cache_dir_of_other_files_is_used_but_never_tagged_or_pruned(tmp_path, monkeypatch) -> None:
    """``cache-dir`` may name a folder of the project's: cableschema writes its entries there, but
    neither tags it (a .gitignore of everything would hide the project's files from git) nor
    prunes it (an old file under a "v4" folder is the user's)."""
    _grouped(monkeypatch)  # the run ends by pruning
    monkeypatch.setattr(runner, "_SETTLED_NS", -(10**12))
    data = tmp_path / "data"
    theirs = [data / "v1" / "results.csv", data / "v4" / "2023" / "notes.txt", data / "v4" / "ab" / ("c" * 64)]
    for path in theirs:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("the user's\n", encoding="utf-8")
        _age(path, 60)
    shutil.copytree(SAMPLE / "text", tmp_path / "text")
    settings = Settings(cache=True, cache_dir=data, jobs=1)
    files, _ = discover([str(tmp_path / "text")], settings)
    cold = runner.lint_paths(files, settings, quiet=True, discovered=True)
    warm = runner.lint_paths(files, settings, quiet=True, discovered=True)
    assert _outcome(warm) == _outcome(cold)
    assert all(path.exists() for path in theirs)
    assert not (data / runner.CACHE_TAG).exists() and not (data / ".gitignore").exists()
    assert _entries(data)  # used all the same


def test_the_cache_prunes_only_names_it_gives(tmp_path, monkeypatch) -> None:
    _grouped(monkeypatch)
    settings, files, cold = _packed_run(tmp_path, monkeypatch)
    root = tmp_path / "cache" / f"v{runner.CACHE_VERSION}"
    assert runner._tagged(str(tmp_path / "cache"))
    strangers = [root / "ab" / "notes.txt", root / "2023" / ("d" * 64), tmp_path / "cache" / "v3" / "results.csv"]
    ours = root / "ab" / ("e" * 64)
    for path in [*strangers, ours]:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")
        _age(path, 60)
    _age(root / runner.PRUNED_FILE, 2)
    warm = runner.lint_paths(files, settings, quiet=True, discovered=True)
    assert _outcome(warm) == _outcome(cold)
    assert all(path.exists() for path in strangers) and not ours.exists()


def test_the_cache_folder_is_never_linted(tmp_path, monkeypatch, capsys) -> None:
    """Under ``include = ["*"]`` a cache folder inside the linted tree, whatever its name, would be
    linted: its entries change run after run, and so would the report."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cables").mkdir()
    shutil.copy(SAMPLE / "text" / "07ASTANA2221.scraped.txt", tmp_path / "cables" / "07ASTANA2221")
    (tmp_path / "cableschema.toml").write_text('include = ["*"]\ncache-dir = "store"\n', encoding="utf-8")
    outputs = []
    for extra in ([], [], ["--no-cache"]):
        main(["lint", *extra])
        outputs.append(capsys.readouterr().out)
    assert (tmp_path / "store" / runner.CACHE_TAG).exists()
    assert outputs[0] == outputs[1] == outputs[2] and "store" not in outputs[0] and "07ASTANA2221" in outputs[0]


def test_a_cache_entry_that_cannot_be_written_leaves_no_temporary_file(tmp_path, monkeypatch, capsys) -> None:
    def full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(runner.os, "replace", full)
    shutil.copytree(SAMPLE / "text", tmp_path / "text")
    settings = Settings(cache=True, cache_dir=tmp_path / "cache", jobs=1)
    files, _ = discover([str(tmp_path / "text")], settings)
    runner.lint_paths(files, settings, quiet=True, discovered=True)
    assert capsys.readouterr().err.count("warning") == 1
    assert not [path for path in (tmp_path / "cache").rglob(".tmp-*")]


@pytest.mark.parametrize("kind", ["text dump", "JSON array"])
def test_a_large_dump_is_linted_a_chunk_of_its_cables_in_each_worker(tmp_path, monkeypatch, kind) -> None:
    """A large text of many cables (a dump of page texts) or a large JSON array of them (what
    ``parse --format json`` writes) is cut into its cables by the main process and sent to the
    workers in chunks, as a large JSON Lines file is: the findings, each cable's record and every
    position are those of the whole file read by one process."""
    from cableschema.engine import lint_file
    from cableschema.generate import generate

    generate(tmp_path / "corpus", 40, seed=3, damage_rate=0.7, fmt="text")
    paths = sorted((tmp_path / "corpus").rglob("*.txt"))
    texts = [path.read_text(encoding="utf-8") for path in paths]
    dump = tmp_path / "dump" / ("cables.txt" if kind == "text dump" else "cables.json")
    dump.parent.mkdir()
    if kind == "text dump":
        dump.write_bytes(
            "".join(text if text.endswith("\n") else text + "\n" for text in texts).replace("\n", "\r\n").encode()
        )
    else:
        assert main(["parse", *map(str, paths), "-o", str(dump)]) in (0, 1)
    monkeypatch.setattr(runner, "CHUNK_THRESHOLD", 10_000)
    monkeypatch.setattr(runner, "CHUNK_RECORDS", 6)
    log = tmp_path / "batches.log"
    monkeypatch.setenv("CABLESCHEMA_TEST_BATCH_LOG", str(log))
    monkeypatch.setattr(runner, "_execute_batch", _logged_batch)
    whole = lint_file(str(dump), Settings(cache=False))
    expected = [(f.path, f.record, f.line, f.column, f.code, f.message) for f in whole.findings]
    assert len({f[1] for f in expected}) > 10  # findings in many of the cables
    assert _lint([str(dump.parent)], jobs=2) == expected
    chunks = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert len(chunks) == 7  # 40 cables, 6 a chunk
    monkeypatch.setattr(runner, "_execute_batch", runner._execute_batch)
    assert _lint([str(dump.parent)], jobs=1) == expected
    # Cached: each chunk an entry, and the file's list of them; a second run reads them.
    settings = Settings(cache=True, cache_dir=tmp_path / "cache", jobs=2)
    files, _ = discover([str(dump.parent)], settings)
    for _ in range(2):
        run = runner.lint_paths(files, settings, quiet=True, discovered=True)
        assert [(f.path, f.record, f.line, f.column, f.code, f.message) for f in run.findings] == expected

    # The cut runs the reader's code in the main process: should it fail there, the file is
    # linted whole, in a worker, as before.
    def fail(*args: object) -> None:
        raise MemoryError

    from cableschema.readers import jsonl, text

    monkeypatch.setattr(text, "cable_pieces", fail)
    monkeypatch.setattr(jsonl, "array_pieces", fail)
    monkeypatch.setattr(runner, "_execute_batch", _logged_batch)
    log.write_text("")
    assert _lint([str(dump.parent)], jobs=2) == expected
    assert len(log.read_text(encoding="utf-8").splitlines()) == 1


def _logged_batch(tasks):
    """Each batch's start and end, and its files, in the log its worker appends to."""
    started = time.monotonic()
    if any(task.path.endswith("slow.txt") for task in tasks):
        time.sleep(1.5)
    results = [runner._execute(task) for task in tasks]
    line = json.dumps([started, time.monotonic(), [os.path.basename(task.path) for task in tasks]])
    with open(os.environ["CABLESCHEMA_TEST_BATCH_LOG"], "a", encoding="utf-8") as log:
        log.write(line + "\n")
    return results


def test_a_large_slow_file_is_a_task_alone_and_the_files_after_it_go_on(tmp_path, monkeypatch, pool_kind) -> None:
    """A file over ALONE_BYTES is sent alone, and the batches after it are not held up by it: the
    run takes the first batch done, not the oldest. (Taking the oldest, the other worker stopped
    once the six batches in flight were done, and waited for the large file.)"""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    source = (SAMPLE / "text" / "04MADRID893.txt").read_text(encoding="utf-8")
    (corpus / "00slow.txt").write_text(source + "\n" * 4000, encoding="utf-8")
    for index in range(60):
        (corpus / f"{index + 10}file.txt").write_text(source, encoding="utf-8")
    log = tmp_path / "batches.log"
    monkeypatch.setenv("CABLESCHEMA_TEST_BATCH_LOG", str(log))
    monkeypatch.setattr(runner, "ALONE_BYTES", len(source) + 1000)
    monkeypatch.setattr(runner, "_execute_batch", _logged_batch)  # the workers are forked with it
    parallel = _lint([str(corpus)], jobs=2)
    batches = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    (slow,) = [batch for batch in batches if "00slow.txt" in batch[2]]
    assert slow[2] == ["00slow.txt"]
    others = [batch for batch in batches if batch is not slow]
    assert sum(len(batch[2]) for batch in others) == 60
    # All but the batch its worker held next (given it before the slow file's end was known).
    assert sum(1 for batch in others if batch[1] < slow[1]) >= len(others) - 1
    monkeypatch.setattr(runner, "_execute_batch", runner._execute_batch)
    assert parallel == _lint([str(corpus)], jobs=1)


def _hanging_batch(tasks):
    if any(task.path.endswith("hang.txt") for task in tasks):
        time.sleep(120)  # a file on a disk that does not answer
    return [runner._execute(task) for task in tasks]


def test_ctrl_c_stops_a_run_whose_worker_is_stuck(tmp_path, monkeypatch) -> None:
    """The workers ignore Ctrl-C (the main process speaks for the run): the main process must not
    then wait for one stuck in a file, or Ctrl-C would do nothing."""
    import signal

    shutil.copytree(SAMPLE / "text", tmp_path / "text")
    shutil.copy(SAMPLE / "text" / "04MADRID893.txt", tmp_path / "text" / "hang.txt")
    monkeypatch.setattr(runner, "_execute_batch", _hanging_batch)  # the workers are forked with it
    settings = Settings(cache=False, jobs=2)
    files, _ = discover([str(tmp_path / "text")], settings)

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    started = time.monotonic()
    try:
        signal.setitimer(signal.ITIMER_REAL, 2.0)
        with pytest.raises(KeyboardInterrupt):
            runner.lint_paths(files, settings, quiet=True)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert time.monotonic() - started < 30
