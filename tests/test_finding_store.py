"""The store of a run's findings: the same findings in the same order as the sorted list they
replace, whether they stay in memory or go to disk, and counts equal to counting the list."""

from __future__ import annotations

import os
import random
import tempfile
from pathlib import Path

import pytest

from cableschema import finding_store, runner
from cableschema.config import Settings
from cableschema.engine import FindingCounts, _sort_findings, discover, run
from cableschema.finding_store import FindingStore
from cableschema.findings import PlainFinding as Finding

SAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "sample"


@pytest.fixture(scope="module")
def sample_findings() -> list[Finding]:
    """Every finding of the sample corpus (all formats, fixes and records), sorted as a run sorts."""
    settings = Settings(cache=False)
    files, _ = discover([str(SAMPLE)], settings)
    findings = list(run(files, settings).findings)
    assert len(findings) > 80 and len({f.path for f in findings}) > 10
    return findings


@pytest.mark.parametrize("limit", [1, 3, 50, 100_000])
def test_a_store_gives_back_what_was_appended_in_order(sample_findings: list[Finding], limit: int) -> None:
    store = FindingStore(memory_limit=limit)
    store.extend(sample_findings)
    assert list(store) == sample_findings
    assert list(store) == sample_findings  # it can be read again
    assert len(store) == len(sample_findings)
    assert store.spilled == (limit < len(sample_findings))
    assert len(store._held) < limit


@pytest.mark.parametrize("limit", [2, 100_000])
def test_late_findings_are_merged_into_their_place(sample_findings: list[Finding], limit: int) -> None:
    rng = random.Random(7)
    late = rng.sample(sample_findings, 40)
    early = [f for f in sample_findings if all(f is not g for g in late)]
    store = FindingStore(memory_limit=limit)
    store.extend(early)
    store.add_late(list(reversed(late)))  # any order: the store sorts them
    expected = early + late
    _sort_findings(expected)
    assert list(store) == expected


@pytest.mark.parametrize("seed", range(6))
def test_a_few_late_findings_merge_as_heapq_merges_them(sample_findings: list[Finding], seed: int) -> None:
    import heapq

    from cableschema.engine import _finding_key

    rng = random.Random(seed)
    many = rng.sample(sample_findings, rng.randrange(0, len(sample_findings)))
    _sort_findings(many)
    few = rng.sample(sample_findings, rng.randrange(1, 12))
    # Ties (an equal key in both: the appended one comes first), files of their own before, among
    # and after the others, and a file with no other finding.
    few += [f._replace(fingerprint="0" * 16) for f in many[:: max(1, len(many) // 3)]][:3]
    few += [f._replace(path=p) for f, p in zip(few, ["a", "zzz/z.txt", "fixtures/sample/m.txt"], strict=False)]
    _sort_findings(few)
    expected = list(heapq.merge(many, few, key=_finding_key))
    merged = list(finding_store._merge_few(iter(many), few))
    assert [id(f) for f in merged] == [id(f) for f in expected]


def test_findings_appended_out_of_order_are_still_read_in_order(sample_findings: list[Finding]) -> None:
    shuffled = list(sample_findings)
    random.Random(3).shuffle(shuffled)
    store = FindingStore(memory_limit=5)
    store.extend(shuffled)
    assert list(store) == sample_findings


def test_files_appended_in_reverse_order_are_still_read_in_order(sample_findings: list[Finding]) -> None:
    by_path: dict[str, list[Finding]] = {}
    for finding in sample_findings:
        by_path.setdefault(finding.path, []).append(finding)
    store = FindingStore(memory_limit=5)
    for path in reversed(list(by_path)):
        store.extend(by_path[path])  # each file's own findings in order
    assert list(store) == sample_findings


def test_one_files_findings_appended_out_of_order_are_still_read_in_order(sample_findings: list[Finding]) -> None:
    path = max({f.path for f in sample_findings}, key=lambda p: sum(f.path == p for f in sample_findings))
    own = [f for f in sample_findings if f.path == path]
    assert len({(f.line, f.column) for f in own}) > 5
    store = FindingStore(memory_limit=5)
    store.extend(reversed(own))
    assert list(store) == own


def test_the_counts_are_the_counts_of_the_findings(sample_findings: list[Finding]) -> None:
    store = FindingStore(memory_limit=4)
    store.extend(sample_findings[:100])
    store.add_late(sample_findings[100:])
    assert store.counts == FindingCounts.of(sample_findings)
    counts = store.counts
    assert counts.total == len(sample_findings)
    assert counts.by_code["T501"] == sum(f.code == "T501" for f in sample_findings)
    assert counts.safe_fixes == sum(f.fix is not None and f.fix.applicability == "safe" for f in sample_findings)
    assert counts.worst_rank() == 2


def test_a_store_that_cannot_write_keeps_its_findings_in_memory(
    sample_findings: list[Finding], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tempfile, "TemporaryFile", refuse)
    store = FindingStore(memory_limit=3)
    store.extend(sample_findings)
    assert list(store) == sample_findings
    assert not store.spilled
    warnings = capsys.readouterr().err.splitlines()
    assert len(warnings) == 1 and "No space left on device" in warnings[0]


def test_a_run_that_goes_to_disk_reports_what_a_run_in_memory_does(
    sample_findings: list[Finding], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(cache=False, jobs=1)
    files, _ = discover([str(SAMPLE)], settings)
    monkeypatch.setattr(finding_store, "MEMORY_LIMIT", 2)
    result = runner.lint_paths(files, settings, quiet=True, discovered=True)
    assert isinstance(result.findings, FindingStore) and result.findings.spilled
    assert list(result.findings) == sample_findings
    # The findings are the store's, not also kept with each file's result.
    assert all(not file.findings for file in result.files)
    assert result.counts == FindingCounts.of(sample_findings)
    assert result.exit_status("error") == 1


class _Text(str):
    """A str subclass, as lxml's text results are: marshal stores none."""


def test_findings_marshal_cannot_store_are_spilled_by_pickle_and_come_back(sample_findings: list[Finding]) -> None:
    findings = [f._replace(message=_Text(f.message)) if 40 <= i < 45 else f for i, f in enumerate(sample_findings)]
    store = FindingStore(memory_limit=20)
    for finding in findings:  # one at a time: a chunk is written out every 20
        store.append(finding)
    assert list(store) == findings
    pickled = [chunk[2] for chunk in store._chunks]
    assert any(pickled) and not all(pickled)  # only the chunks that need it


def test_findings_that_cannot_be_read_back_are_an_error_of_the_machine(sample_findings: list[Finding]) -> None:
    """A spilled chunk that comes back short (a disk error, the file cut) or garbled is one
    OSError that says what failed, which the command prints in one line: not a traceback from
    marshal, and not a report silently missing the chunk's findings."""
    for damage in ("cut", "garbled"):
        store = FindingStore(memory_limit=20)
        store.extend(sample_findings[:100])
        assert store.spilled and store._spill is not None
        offset, size, _ = store._chunks[0]
        if damage == "cut":
            store._spill.truncate(offset + size // 2)
        else:
            store._spill.seek(offset)
            store._spill.write(b"\xff")  # no type code of marshal's
        with pytest.raises(OSError, match="cannot read the findings back from their temporary file"):
            list(store)


class _FullDisk:
    """A report's stream on a disk that fills after a few writes."""

    def __init__(self, stream: object) -> None:
        self.stream = stream
        self.writes = 0

    def write(self, text: str) -> int:
        self.writes += 1
        if self.writes > 5:
            raise OSError(28, "No space left on device")
        return self.stream.write(text)  # type: ignore[attr-defined, no-any-return]

    def close(self) -> None:
        self.stream.close()  # type: ignore[attr-defined]


@pytest.mark.parametrize("command", ["lint", "parse"])
def test_a_run_that_fails_while_its_report_is_written_leaves_no_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """A full disk under the report (or the findings' temporary file failing) half-way through:
    exit status 2, one line on standard error, and no half-written report for a CI step to read
    as if it were whole. (What was at the report's path before is replaced in any case: the run
    truncates it when it opens it.)"""
    from cableschema import cli

    report = tmp_path / "report.json"
    report.write_text("an old report", encoding="utf-8")
    open_output = cli._open_output
    monkeypatch.setattr(cli, "_open_output", lambda path, machine: _FullDisk(open_output(path, machine)))
    options = ["--isolated", "--no-cache", "--jobs", "1"] if command == "lint" else []
    status = cli.main([command, str(SAMPLE), *options, "--format", "json", "-o", str(report)])
    assert status == 2
    assert capsys.readouterr().err.splitlines() == ["cableschema: error: No space left on device"]
    assert not report.exists()


def test_a_device_named_as_the_report_is_left_alone_when_the_run_fails(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from cableschema import cli
    from cableschema.reporters import json_report

    def fail(*args: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(json_report, "report", fail)
    options = ["--isolated", "--no-cache", "--jobs", "1", "--format", "json", "-o", os.devnull]
    assert cli.main(["lint", str(SAMPLE), *options]) == 2
    assert capsys.readouterr().err.splitlines() == ["cableschema: error: Input/output error"]
    assert os.path.exists(os.devnull) and not os.path.isfile(os.devnull)


def test_a_store_written_out_and_never_closed_closes_its_file_when_collected(sample_findings: list[Finding]) -> None:
    """A program that lints through the Python API need not close its run's store: collected, it
    closes its temporary file (the collector said "unclosed file" before, under -X dev)."""
    import gc
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        store = FindingStore(memory_limit=1)
        store.extend(sample_findings)
        assert list(store) == sample_findings and store._chunks
        del store
        gc.collect()
    assert [str(warning.message) for warning in caught if warning.category is ResourceWarning] == []
