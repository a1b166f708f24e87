"""Hostile and broken input: never a traceback, never a hang, never a leaked or lost byte.

The hostile files are built here by a fixture (no binaries are committed). Time limits are on
CPU time of this process, which other load on a shared machine barely moves.
"""

from __future__ import annotations

import codecs
import io
import json
import os
import pickle
import shutil
import stat
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from cableschema import readers
from cableschema.config import ConfigError, Settings
from cableschema.engine import lint_file, lint_text
from cableschema.parser import parse
from cableschema.readers import read_bytes
from cableschema.readers._decode import LongLine, bounded_lines
from cableschema.selection import Selection

SECRET = "CABLESCHEMA-SECRET-7c2f"

SEED_BODY = (
    "UNCLAS SECTION 01 OF 02 ASTANA 002221\n\nSIPDIS\n\nE.O. 12958: N/A\nTAGS: PGOV KZ\nSUBJECT: X\n\n"
    "1. (SBU) Summary: text. End summary.\n"
)


def _html_page(pre_body: str, head: str = "") -> str:
    return (
        f"<?xml version='1.0' encoding='utf-8' ?>{head}<html><body><table class='cable'>"
        "<tr><th>Reference ID</th><th>Created</th><th>Classification</th><th>Origin</th></tr>"
        "<tr><td><a href='/cable/2007/08/07ASTANA2221.html'>07ASTANA2221</a></td>"
        "<td><a href='/date/2007-08_0.html'>2007-08-14 08:37</a></td>"
        "<td><a href='/classification/1_0.html'>UNCLASSIFIED</a></td>"
        "<td><a href='/origin/1_0.html'>Embassy Astana</a></td></tr>"
        f"</table><code><pre>R 140837Z AUG 07</pre></code><code><pre>{pre_body}</pre></code></body></html>"
    )


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    secret = tmp_path_factory.mktemp("outside") / "secret.txt"  # outside the linted directory
    secret.write_text(SECRET, encoding="utf-8")
    files: dict[str, bytes] = {
        "empty.txt": b"",
        "nul-bytes.bin": bytes(range(256)) * 64,
        "image.png": b"\x89PNG\r\n\x1a\n" + os.urandom(4096),
        "invalid-utf8.txt": SEED_BODY.encode() + b"\xff\xfe\xfa broken \xc3\x28 bytes\n",
        "utf16-bom.txt": codecs.BOM_UTF16_LE + SEED_BODY.encode("utf-16-le"),
        "utf16-no-bom.txt": SEED_BODY.encode("utf-16-le"),
        "latin1.txt": SEED_BODY.replace("text", "caf\u00e9 \u00b6").encode("latin-1"),
        "mixed-endings.txt": SEED_BODY.replace("\n", "\r\n", 3).replace("\n\n", "\r\r", 1).encode(),
        "broken-lines.jsonl": (
            json.dumps({"reference_id": "07ASTANA2221", "body": SEED_BODY})
            + '\n{"reference_id": "x", "body": "cut\n'
            + "[1, 2, 3]\n"
            + "{" * 100000
            + "\n"
            + json.dumps({"reference_id": "07ASTANA2222", "body": SEED_BODY})
            + "\n"
        ).encode(),
        "bad-rows.csv": (
            b'1,"8/14/2007 8:37","07ASTANA2221","Embassy Astana","UNCLASSIFIED","","","1. (U) Text."\n'
            b'2,"8/14/2007 8:37","07ASTANA2222","Embassy Astana"\n'
            b'3,"8/14/2007 8:37","07ASTANA2223","Embassy Astana","UNCLASSIFIED","","","runaway quote\n1. (U) more\n'
        ),
        "unclosed.html": _html_page("1. (U) text <b><i><a href='x'>unclosed")
        .replace("</pre></code></body></html>", "")
        .encode(),
        "nested.html": _html_page(SEED_BODY).replace("<body>", "<body>" + "<div>" * 10000).encode(),
        "xxe.html": _html_page(
            SEED_BODY + "&xxe; &xxe2;",
            head=f'<!DOCTYPE html [<!ENTITY xxe SYSTEM "file://{secret}"><!ENTITY xxe2 SYSTEM "{secret}">]>',
        )
        .replace("<td><a href='/date/", "<td>&xxe;<a href='/date/")
        .encode(),
        "entity-bomb.html": _html_page(
            SEED_BODY + "&lol9;",
            head='<!DOCTYPE html [<!ENTITY lol "lol">'
            + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
            + "]>",
        )
        .replace("<td><a href='/date/", "<td>&lol9;<a href='/date/")
        .encode(),
        # Pages without a <pre>, read as their text shows (each tag and line break a step).
        "no-pre-line-breaks.html": ("<html><body>" + "<br>" * 1_000_000).encode(),
        "no-pre-tags.html": ("<html><body><p>" + SEED_BODY + "<span><b>x</b></span> &amp; " * 200_000).encode(),
        "no-pre-xxe.html": (
            f'<!DOCTYPE html [<!ENTITY xxe SYSTEM "file://{secret}">]><html><body><p>&xxe; '
            + SEED_BODY.replace("\n", "<br>\n")
            + "</p><!-- unclosed comment"
        ).encode(),
    }
    for name, line in (
        ("spaces", " " * 2_000_000),
        ("dashes", "-" * 2_000_000),
        ("x-run", "X" * 2_000_000),
        ("markers", "End summary (Comment: " * 90_000),
        ("long-word", "a" * 2_000_000),
        ("markup", "<br>" * 500_000),
    ):
        files[f"line-{name}.txt"] = (SEED_BODY + line + "\n").encode()
    for name, data in files.items():
        (root / name).write_bytes(data)
    secret.unlink()  # re-created by the tests that need it, so that it is never left behind
    (root.parent / f"{root.name}-secret-path").write_text(str(secret), encoding="utf-8")
    return root


def _secret_path(hostile: Path) -> Path:
    return Path((hostile.parent / f"{hostile.name}-secret-path").read_text(encoding="utf-8"))


def _run(command: list[str]) -> tuple[subprocess.CompletedProcess[str], float, float]:
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    while process.poll() is None:
        peak = max(peak, _tree_rss(process.pid))
        time.sleep(0.05)
    out, err = process.communicate()
    return subprocess.CompletedProcess(command, process.returncode, out, err), time.perf_counter() - start, peak / 1e6


def _tree_rss(pid: int) -> int:
    try:
        from benchmarks.run import _tree_rss as tree_rss
    except ImportError:  # pragma: no cover
        return 0
    return tree_rss(pid)


def test_every_hostile_file_gets_an_answer_in_bounded_time_and_memory(hostile: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    command = [sys.executable, "-m", "cableschema", "lint", "--isolated", "--no-cache", "--include", "*",
               "--format", "json", "-o", str(report), str(hostile)]  # fmt: skip
    secret_path = _secret_path(hostile)
    secret_path.write_text(SECRET, encoding="utf-8")  # the file the XXE page points at
    try:
        completed, seconds, peak_mb = _run(command)
    finally:
        secret_path.unlink()
    assert completed.returncode in (0, 1), completed.stderr
    assert "Traceback" not in completed.stderr
    text = report.read_text(encoding="utf-8")
    assert SECRET not in text and SECRET not in completed.stdout and SECRET not in completed.stderr
    document = json.loads(text)
    reported = {Path(f["path"]).name for f in document["files"]}
    assert reported == {p.name for p in hostile.iterdir()}
    for summary in document["files"]:
        name = Path(summary["path"]).name
        if summary["cables"] == 0:
            codes = {f["code"] for f in document["findings"] if Path(f["path"]).name == name}
            assert codes & {"E001", "E002"}, f"{name}: no cable and neither E001 nor E002"
    assert seconds < 60, f"{seconds:.1f} s"
    if peak_mb:
        assert peak_mb < 500, f"{peak_mb:.0f} MB"


def test_broken_jsonl_lines_are_findings_and_good_lines_still_linted(hostile: Path) -> None:
    result = lint_file(str(hostile / "broken-lines.jsonl"), Settings(cache=False))
    e001_lines = sorted(f.line for f in result.findings if f.code == "E001")
    assert e001_lines == [2, 3, 4]
    assert [c.reference_id for c in result.cables] == ["07ASTANA2221", "07ASTANA2222"]


def test_csv_rows_with_wrong_columns_or_runaway_quotes(hostile: Path) -> None:
    result = lint_file(str(hostile / "bad-rows.csv"), Settings(cache=False))
    assert sorted(f.line for f in result.findings if f.code == "E001") == [2, 3]
    assert [c.reference_id for c in result.cables] == ["07ASTANA2221"]


def test_external_entities_and_bombs_are_inert(hostile: Path) -> None:
    secret_path = _secret_path(hostile)
    secret_path.write_text(SECRET, encoding="utf-8")
    try:
        for name in ("xxe.html", "entity-bomb.html"):
            start = time.process_time()
            items = list(read_bytes((hostile / name).read_bytes(), name))
            for item in items:
                text = getattr(item, "text", "") + json.dumps(
                    getattr(item, "metadata", None).__dict__ if hasattr(item, "metadata") else {}
                )
                assert SECRET not in text
                assert "lollollol" not in text
                parse(item) if hasattr(item, "text") else None
            assert time.process_time() - start < 2
    finally:
        secret_path.unlink()


@pytest.mark.parametrize("name", ["spaces", "dashes", "x-run", "markers", "long-word", "markup"])
def test_pathological_lines_lint_in_linear_time(hostile: Path, name: str) -> None:
    """Every rule on a 2 MB pathological line: under a second of CPU, and 2 MB costs about twice
    what 1 MB costs (no quadratic behaviour)."""
    full = (hostile / f"line-{name}.txt").read_text(encoding="utf-8")
    half = full[: len(SEED_BODY) + (len(full) - len(SEED_BODY)) // 2] + "\n"
    settings = Settings(selection=Selection(select=("ALL",)), cache=False)

    def cpu(text: str) -> float:
        start = time.process_time()
        lint_text(text, settings, path=f"line-{name}.txt")
        return time.process_time() - start

    cpu(SEED_BODY)  # warm up imports and caches
    whole = cpu(full)
    assert whole < 1.0, f"{name}: {whole:.2f} s of CPU for 2 MB"
    halved = max(cpu(half), 0.01)
    assert whole / halved < 3.5, f"{name}: 1 MB {halved:.3f} s, 2 MB {whole:.3f} s"


def test_a_one_line_json_array_maps_positions_in_linear_time() -> None:
    """``json.dumps`` and ``jq -c`` write an array on one line: each record's map counted the
    lines from the start of the file for its first finding (9 MB, 3,000 records: 400 s)."""
    from cableschema.readers import read_string

    record = {"reference_id": "07ASTANA2221", "body": SEED_BODY * 20}

    def cpu(count: int) -> float:
        raw = json.dumps([record] * count)
        start = time.process_time()
        for document in read_string(raw, "array.json"):
            assert isinstance(document, readers.Document)
            for offset in (0, len(document.text) // 2, len(document.text) - 1):
                document.position(offset)
        return time.process_time() - start

    cpu(10)
    whole = cpu(2000)  # 8 MB
    assert whole < 2.0, f"{whole:.2f} s of CPU for 2,000 records"
    halved = max(cpu(1000), 0.01)
    assert whole / halved < 3.0, f"1,000 records {halved:.3f} s, 2,000 records {whole:.3f} s"


def test_a_record_dense_with_escapes_is_read_in_memory_in_proportion_to_it() -> None:
    """Each escape of a JSON string (``\\n``, ``\\u00e9``) is an anchor of the record's source map.
    They were a list of tuples, 128 bytes an escape held, and the whole literal was split at once
    to read it: a 2.4 MB record took 226 MB to read and kept 77 MB, and a 20 MB file of escapes
    took 3.9 GB to lint. Anchors are now two arrays and a long literal is split a window at a time."""
    import tracemalloc

    from cableschema.readers import jsonl

    escapes = 600_000
    head = '{"reference_id": "07ASTANA2221", "text": "'
    line = head + "\\n\\u00e9" * (escapes // 2) + '"}'  # 2.4 MB
    tracemalloc.start()
    try:
        documents = list(jsonl.iter_lines([line], "dense.jsonl"))
        held, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    [document] = documents
    assert isinstance(document, readers.Document)
    assert document.text == "\n\u00e9" * (escapes // 2)
    assert len(document.source_map.anchors) == escapes + 1
    per_escape = (held - sys.getsizeof(document.text)) / escapes
    assert per_escape < 16, f"{per_escape:.1f} bytes held an escape"
    assert peak < 10 * len(line), f"{peak / len(line):.1f} bytes of memory a byte of the record while reading it"
    # The positions are as they were: each character at its escape, the end after the last.
    column = len(head) + 1
    assert document.position(0) == (1, column)
    assert document.position(1) == (1, column + 2)
    assert document.position(len(document.text) - 1) == (1, len(line) - 7)
    assert document.position(len(document.text)) == (1, len(line) - 1)


def test_a_text_with_crlf_line_ends_is_read_in_memory_in_proportion_to_it() -> None:
    """Each carriage return removed from a text is an anchor of its source map. They were a list
    of tuples, 128 bytes a line held, and the whole text was split at once to read it: a 2.4 MB
    text took 97 times its size to read, and a 20 MB one peaked at 577 MB while read. Anchors are
    now two arrays and a long text is split a window at a time."""
    import tracemalloc

    from cableschema.readers import text as text_reader

    lines = 600_000
    raw = "ab\r\n" * lines  # 2.4 MB
    tracemalloc.start()
    try:
        document = text_reader.read_text(raw, "crlf.txt")
        held, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert document.text == "ab\n" * lines
    assert len(document.source_map.anchors) == lines + 1
    per_line = (held - sys.getsizeof(document.text)) / lines
    assert per_line < 16, f"{per_line:.1f} bytes held a line"
    assert peak < 10 * len(raw), f"{peak / len(raw):.1f} bytes of memory a byte of the text while reading it"
    # The positions are as they were: a line end at its carriage return, the end after the last.
    assert document.position(0) == (1, 1)
    assert document.position(2) == (1, 3)
    assert document.position(3) == (2, 1)
    assert document.position(3 * 400_000 + 1) == (400_001, 2)
    assert document.position(len(document.text) - 1) == (lines, 3)
    assert document.position(len(document.text)) == (lines + 1, 1)


def test_a_csv_field_of_doubled_quotes_is_read_in_memory_in_proportion_to_it() -> None:
    """Each doubled quote of a CSV field is an anchor of the record's source map: 124 bytes a
    quote held in a list of tuples, and a 19 MB field of them held 1.15 GB once read. Anchors are
    now two arrays and the field's text is joined a block of pieces at a time."""
    import tracemalloc

    from cableschema.readers import csv as csv_reader

    quotes = 600_000
    head = '1,"8/6/2008 7:07","08BERLIN1068","Embassy Berlin","SECRET","","","'
    record = head + '""' * quotes + '"\n'  # 1.2 MB
    tracemalloc.start()
    try:
        documents = list(csv_reader.iter_lines([record], "quotes.csv"))
        held, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    [document] = documents
    assert isinstance(document, readers.Document)
    assert document.text == '"' * quotes
    assert len(document.source_map.anchors) == quotes + 1
    per_quote = (held - sys.getsizeof(document.text) - sys.getsizeof(record)) / quotes
    assert per_quote < 16, f"{per_quote:.1f} bytes held a quote"
    assert peak < 16 * len(record), f"{peak / len(record):.1f} bytes of memory a byte of the record while reading it"
    # The positions are as they were: each quote at its pair, the end after the last.
    column = len(head) + 1
    assert document.position(0) == (1, column)
    assert document.position(1) == (1, column + 2)
    assert document.position(quotes - 1) == (1, column + 2 * quotes - 2)
    assert document.position(quotes) == (1, column + 2 * quotes)


HEADED_CABLE = (
    "VZCZCXYZ0000\nOO RUEHWEB\nDE RUEHTA #2221 2260837\nZNR UUUUU ZZH\nR 140837Z AUG 07\n"
    "FM AMEMBASSY ASTANA\nTO RUEHC/SECSTATE WASHDC 0383\nINFO RUEHXX/ALMATY 0001\nBT\n"
    "UNCLAS SECTION 01 OF 02 ASTANA 002221\n\nNOFORN\nSIPDIS\n\nE.O. 12958: N/A\nTAGS: PGOV KZ\n"
    "{after_tags}\nSUBJECT: X\n\n-------\nSummary\n-------\n\n"
    "1. (SBU) Summary: text. End summary.\n{in_body}\n2. (SBU) Comment: more text. End comment.\n"
)


def _headed(run: str, after_tags: str = "", in_body: str = "", replace: tuple[str, str] = ("", "")) -> str:
    text = HEADED_CABLE.format(after_tags=after_tags.format(run=run), in_body=in_body.format(run=run))
    old, new = replace
    return text.replace(old, new.format(run=run), 1) if old else text


#: A long run of blanks or dashes in a line that a line pattern reads: each was quadratic (a
#: pattern that tried its tail at every split of the run: 100,000 characters took 30 s to minutes).
_LONG_RUN_CASES = {
    "pre-then-spaces": lambda run: "<pre>hello</pre>" + run.replace("-", " ") + "x",
    "pre-then-newlines": lambda run: "<pre>hello</pre>" + "\n" * len(run) + "x",
    "sipdis-spaces": lambda run: _headed(run, after_tags="SIPDIS{run}x"),
    "noforn-tabs": lambda run: _headed(run.replace(" ", "\t"), after_tags="NOFORN{run}x"),
    "fm-spaces": lambda run: _headed(run, replace=("FM AMEMBASSY ASTANA", "FM AMEMBASSY ASTANA{run}x")),
    "to-tabs": lambda run: _headed(run.replace(" ", "\t"), replace=("TO RUEHC/", "TO a{run}x\nTO RUEHC/")),
    "info-spaces": lambda run: _headed(run, replace=("INFO RUEHXX/ALMATY 0001", "INFO a{run}x")),
    "dtg-spaces": lambda run: _headed(run, replace=("R 140837Z AUG 07", "R 140837Z AUG 07 a{run}x")),
    "dtg-month-spaces": lambda run: _headed(run, replace=("R 140837Z AUG 07", "R 140837Z AUG{run}x")),
    "de-spaces": lambda run: _headed(run, replace=("DE RUEHTA #2221 2260837", "DE RUEHTA #2221 2260837{run}x")),
    "dash-line-after-tags": lambda run: _headed(run, after_tags="-----" + "-" * len(run) + "x"),
    "dash-line-in-body": lambda run: _headed(run, in_body="-----" + "-" * len(run) + "x"),
    "rule-then-tabs": lambda run: _headed(run.replace(" ", "\t"), in_body="-----{run}x"),
    "summary-tabs": lambda run: _headed(run.replace(" ", "\t"), after_tags="Summary{run}x"),
    "comment-spaces": lambda run: _headed(run, in_body="Post a comment{run}x"),
}


@pytest.mark.parametrize("name", sorted(_LONG_RUN_CASES))
def test_long_runs_of_blanks_or_dashes_in_a_line_lint_in_linear_time(name: str) -> None:
    """A run of 40,000 blanks (or dashes, or newlines) where a line pattern reads it: well under a
    second of CPU, and about twice what 20,000 cost (each was quadratic: 100,000 took 30 s or more)."""
    build = _LONG_RUN_CASES[name]
    settings = Settings(selection=Selection(select=("ALL",)), cache=False)

    def cpu(text: str) -> float:
        start = time.process_time()
        lint_text(text, settings, path="07ASTANA2221.txt")
        return time.process_time() - start

    cpu(build(" "))  # warm up imports and caches
    whole = cpu(build(" " * 40_000))
    assert whole < 1.0, f"{name}: {whole:.2f} s of CPU for a run of 40,000"
    halved = max(cpu(build(" " * 20_000)), 0.01)
    assert whole / halved < 3.5, f"{name}: 20,000 {halved:.3f} s, 40,000 {whole:.3f} s"


def test_a_record_over_the_size_limit_is_a_finding(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    small = json.dumps({"reference_id": "07ASTANA2221", "body": SEED_BODY})
    big = json.dumps({"reference_id": "07ASTANA2222", "body": SEED_BODY + "word " * 400_000})
    path.write_text(small + "\n" + big + "\n" + small.replace("2221", "2223") + "\n", encoding="utf-8")
    result = lint_file(str(path), Settings(cache=False, max_record_bytes=1_000_000))
    e001 = [f for f in result.findings if f.code == "E001"]
    assert [f.line for f in e001] == [2] and "limit" in e001[0].message
    assert [c.reference_id for c in result.cables] == ["07ASTANA2221", "07ASTANA2223"]
    text_file = tmp_path / "big.txt"
    text_file.write_text(SEED_BODY + "word " * 400_000, encoding="utf-8")
    result = lint_file(str(text_file), Settings(cache=False, max_record_bytes=1_000_000))
    assert [f.code for f in result.findings] == ["E001"]


def test_a_line_over_the_limit_is_never_read_whole() -> None:
    text = "a\n" + "b" * 50 + "\r\n" + "c\r" + "e" * 20 + "\n" + "d" * 30
    assert list(bounded_lines(io.StringIO(text, newline=""), None)) == list(io.StringIO(text, newline=""))
    assert list(bounded_lines(io.StringIO(text, newline=""), 60)) == list(io.StringIO(text, newline=""))
    stream = io.StringIO(text, newline="")
    asked: list[int] = []
    readline = stream.readline

    def spy(size: int = -1) -> str:
        asked.append(size)
        return readline(size)

    stream.readline = spy  # type: ignore[method-assign]
    lines = list(bounded_lines(stream, 20))
    # The whole lines as they are; a longer one as its first 21 characters and its length, and
    # the line after it whole (20 characters and a newline: 21 read, and whole).
    assert lines == ["a\n", "b" * 21, "c\r", "e" * 20 + "\n", "d" * 21]
    assert [type(line) for line in lines] == [str, LongLine, str, str, LongLine]
    assert [line.length for line in lines if isinstance(line, LongLine)] == [52, 30]
    assert all(0 < size <= 1 << 20 for size in asked)  # never an unbounded read
    assert pickle.loads(pickle.dumps(lines[1])).length == 52
    assert repr(lines[1]) != repr(LongLine(lines[1], 53))  # a chunk's cache key tells them apart


def _measured(lines: Iterable[str], longest: list[int]) -> Iterator[str]:
    most = 0
    for line in lines:
        most = max(most, len(line))
        yield line
    longest.append(most)


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "csv in blocks"])
def test_a_runaway_line_in_a_large_file_is_a_finding_and_the_records_after_it_are_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    from cableschema import runner

    from .conftest import SAMPLE

    if fmt == "csv in blocks":  # blocks small enough for the limit: the runaway line ends them
        fmt = "csv"
        monkeypatch.setattr(readers.csv_reader, "_BLOCK", 100_000)
        monkeypatch.setattr(readers.csv_reader, "_BLOCKS_FROM", 400_000)
    path = tmp_path / f"big.{fmt}"
    if fmt == "jsonl":
        record = json.dumps({"reference_id": "07ASTANA2221", "body": SEED_BODY})
        path.write_text(f"{record}\n{'x' * 3_000_000}\n{record.replace('2221', '2223')}\n", encoding="utf-8")
    else:
        rows = (SAMPLE / "csv" / "cables.csv").read_text(encoding="utf-8")
        path.write_text(f"{rows}{'x' * 3_000_000}\n{rows}", encoding="utf-8")
    settings = Settings(cache=False, max_record_bytes=1_000_000, jobs=1)
    longest: list[int] = []  # the longest line each reader was given: never the runaway one whole
    if fmt == "jsonl":
        given = readers.jsonl_reader.iter_lines
        monkeypatch.setattr(readers.jsonl_reader, "iter_lines", lambda lines, *a: given(_measured(lines, longest), *a))
    else:  # records a block holds are never longer than it; the rest is read line by line
        lines = readers.csv_reader.bounded_lines
        monkeypatch.setattr(readers.csv_reader, "bounded_lines", lambda *a: _measured(lines(*a), longest))
    whole = lint_file(str(path), settings)  # read as a stream
    monkeypatch.setattr(runner, "CHUNK_THRESHOLD", 1_000_000)
    execute = runner._execute
    monkeypatch.setattr(
        runner,
        "_execute",
        lambda task, *a: (longest.append(max(len(r[-1] or "") for r in task.records)), execute(task, *a))[1],
    )
    chunked = runner.lint_paths([str(path)], settings, quiet=True)  # cut in chunks
    assert len(longest) >= 2 and max(longest) <= 1_000_001
    for findings, cables in ((whole.findings, whole.cables), (list(chunked.findings), chunked.files[0].cables)):
        errors = [(f.line, f.message) for f in findings if f.code == "E001"]
        if fmt == "jsonl":
            assert errors == [
                (2, "record on line 2 has 3,000,001 characters, over the limit of 1,000,000 (--max-record-size)")
            ]
            assert [(c.reference_id, c.record) for c in cables] == [("07ASTANA2221", 1), ("07ASTANA2223", 3)]
        else:
            sample = lint_file(str(SAMPLE / "csv" / "cables.csv"), settings).cables
            assert len(errors) == 1 and "over the record size limit" in errors[0][1]
            assert [c.reference_id for c in cables] == [c.reference_id for c in sample] * 2
    assert list(whole.findings) == list(chunked.findings)


def test_a_json_array_over_the_limit_says_how_to_read_its_records(tmp_path: Path) -> None:
    """An array of cables may be any size: its E001 does not say that no cable is that large, but
    that JSON Lines are read a record at a time. A text over the limit still says the former."""
    from cableschema.config import Settings
    from cableschema.engine import lint_file

    settings = Settings(cache=False, max_record_bytes=1_000)
    array = tmp_path / "cables.json"
    array.write_text(json.dumps([{"reference_id": f"07ASTANA{n}", "body": "x" * 100} for n in range(20)]))
    text = tmp_path / "cable.txt"
    text.write_text("UNCLAS ASTANA 002221\n" * 100)
    messages = {
        path.name: [f.message for f in lint_file(str(path), settings).findings if f.code == "E001"]
        for path in (array, text)
    }
    assert messages == {
        "cables.json": [
            "file is over the record size limit of 1,000 bytes (--max-record-size): a JSON file is read whole; "
            "written as JSON Lines, one record a line (jq -c '.[]'), its records are read one at a time at any size"
        ],
        "cable.txt": [
            "file is over the record size limit of 1,000 bytes (--max-record-size); a single cable is never that large"
        ],
    }


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_is_passed_over_in_a_directory_and_refused_by_name(tmp_path: Path, capsys) -> None:
    from cableschema.cli import main
    from cableschema.engine import discover

    from .conftest import SAMPLE

    (tmp_path / "cable.txt").write_text(SEED_BODY, encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.txt")  # opening it would wait for a writer forever
    (tmp_path / "to-pipe.txt").symlink_to(tmp_path / "pipe.txt")
    (tmp_path / "broken.txt").symlink_to(tmp_path / "nowhere.txt")
    (tmp_path / "to-cable.txt").symlink_to(SAMPLE / "text" / "04MADRID893.txt")
    files, missing = discover([str(tmp_path)], Settings())
    assert [Path(f).name for f in files] == ["broken.txt", "cable.txt", "to-cable.txt"] and missing == []
    assert main(["lint", "--isolated", "--no-cache", "-q", "--select", "E001", str(tmp_path)]) == 1
    assert "broken.txt:1:1: E001 [error] cannot read file" in capsys.readouterr().out
    assert main(["lint", "--isolated", "--no-cache", str(tmp_path / "pipe.txt")]) == 2
    assert capsys.readouterr().err == (
        f"cableschema: error: {tmp_path / 'pipe.txt'}: a named pipe, not a file; "
        "give its content on standard input ('-') instead\n"
    )


def test_lint_without_fix_writes_nothing_but_the_cache_and_the_output(tmp_path: Path) -> None:
    from .conftest import SAMPLE

    corpus = tmp_path / "corpus"
    import shutil

    shutil.copytree(SAMPLE, corpus)
    before = {p: p.stat().st_mtime_ns for p in corpus.rglob("*")}
    out = tmp_path / "out.sarif"
    command = [sys.executable, "-m", "cableschema", "lint", "--exit-zero", "-q", "--format", "sarif"]
    subprocess.run([*command, "-o", str(out), str(corpus)], cwd=tmp_path, check=True, capture_output=True)
    after = {p: p.stat().st_mtime_ns for p in corpus.rglob("*")}
    assert before == after
    created = {p.relative_to(tmp_path).parts[0] for p in tmp_path.rglob("*")} - {"corpus"}
    assert created == {"out.sarif", ".cableschema_cache"}


@pytest.mark.parametrize(
    "interruption",
    [KeyboardInterrupt(), RuntimeError("Error calling __set_name__")],
    ids=["ctrl-c", "ctrl-c-in-a-class"],
)
def test_ctrl_c_at_any_moment_is_one_line_and_status_130(
    interruption: BaseException, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    from cableschema import cli

    if isinstance(interruption, RuntimeError):
        interruption.__cause__ = KeyboardInterrupt()

    def interrupted() -> None:
        raise interruption

    monkeypatch.setattr(cli, "build_parser", interrupted)  # before any command has begun
    assert cli.main(["lint", "."]) == 130
    assert capsys.readouterr().err == "cableschema: interrupted\n"
    monkeypatch.setattr(cli, "build_parser", lambda: (_ for _ in ()).throw(RuntimeError("a bug")))
    with pytest.raises(RuntimeError, match="a bug"):  # a real error is not taken for Ctrl-C
        cli.main(["lint", "."])


def test_workers_leave_ctrl_c_to_the_main_process() -> None:
    import signal

    from cableschema import runner

    before = signal.getsignal(signal.SIGINT)
    try:
        runner._init_worker(Settings())
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN  # no traceback from each worker
    finally:
        signal.signal(signal.SIGINT, before)


def test_the_small_commands_do_not_import_pydantic() -> None:
    code = "import sys; from cableschema.cli import main; main(['--version']); print('pydantic' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.splitlines()[-1] == "False"


def test_a_file_name_that_is_not_utf8_is_reported_in_every_format(tmp_path: Path, capsys) -> None:
    import xml.etree.ElementTree as ET

    from cableschema.cli import main

    from .conftest import SAMPLE_SEED

    name = os.fsdecode(b"seed\xfe.txt")  # Python keeps the byte as a lone surrogate
    try:
        (tmp_path / name).write_bytes(SAMPLE_SEED.read_bytes())
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system takes only UTF-8 names")
    corpus = str(tmp_path)
    for fmt in ("text", "json", "sarif", "junit", "github"):
        out = tmp_path.parent / f"{tmp_path.name}-out.{fmt}"
        assert main(["lint", corpus, "--isolated", "--no-cache", "--format", fmt, "-o", str(out)]) == 1, fmt
        assert capsys.readouterr().err == ""
        text = out.read_text(encoding="utf-8")  # valid UTF-8
        assert "seed\\udcfe.txt" in text, fmt
        if fmt in ("json", "sarif"):
            document = json.loads(text)
            if fmt == "json":  # the JSON escape reads back as the very name
                assert {os.fsencode(f["path"]) for f in document["findings"]} == {os.fsencode(tmp_path / name)}
        elif fmt == "junit":
            ET.fromstring(text)
    baseline = tmp_path.parent / f"{tmp_path.name}-baseline.json"
    main(["lint", corpus, "--isolated", "--no-cache", "-q", "--write-baseline", str(baseline)])
    capsys.readouterr()
    assert main(["lint", corpus, "--isolated", "--no-cache", "--baseline", str(baseline)]) == 0
    assert capsys.readouterr().out == ""


def test_a_lone_surrogate_is_reported_on_its_record_and_loses_nothing(tmp_path: Path) -> None:
    record = json.dumps({"reference_id": "07ASTANA2221", "body": SEED_BODY})
    broken = json.dumps(
        {"reference_id": "07ASTANA2222", "body": SEED_BODY.replace("Summary: text", "Summary: te\ud800xt")}
    )
    path = tmp_path / "records.jsonl"
    path.write_text(f"{record}\n{broken}\n{record.replace('2221', '2223')}\n", encoding="utf-8")
    assert "\\ud800" in path.read_text(encoding="utf-8")  # JSON's escape of the half character
    result = lint_file(str(path), Settings(cache=False, selection=Selection(select=("ALL",))))
    assert [c.reference_id for c in result.cables] == ["07ASTANA2221", "07ASTANA2222", "07ASTANA2223"]
    assert not [f for f in result.findings if f.code in ("E001", "E009")]
    assert [(f.line, f.message) for f in result.findings if f.code == "T505"] == [
        (2, "1 lone UTF-16 surrogate (\\ud800): half a character, not text")
    ]


def test_a_directory_tree_deeper_than_pythons_recursion_limit_is_walked(tmp_path: Path) -> None:
    from cableschema.engine import discover

    deepest = tmp_path
    for _ in range(sys.getrecursionlimit() + 200):  # (pathlib's and os's makedirs recurse)
        deepest = deepest / "d"
        deepest.mkdir()
    (deepest / "x.txt").write_text(SEED_BODY, encoding="utf-8")
    (tmp_path / "a.txt").write_text(SEED_BODY, encoding="utf-8")
    (tmp_path / "z.txt").write_text(SEED_BODY, encoding="utf-8")
    try:
        files, missing = discover([str(tmp_path)], Settings())
        assert files == [str(tmp_path / "a.txt"), str(deepest / "x.txt"), str(tmp_path / "z.txt")] and not missing
    finally:  # removed here, bottom up: pytest's own clean-up of old temporary folders recurses
        (deepest / "x.txt").unlink()
        while deepest != tmp_path:
            deepest.rmdir()
            deepest = deepest.parent


def test_standard_input_is_linted_and_parsed_as_dash() -> None:
    from .conftest import SAMPLE, SAMPLE_SEED

    def run(*args: str, given: bytes) -> subprocess.CompletedProcess[bytes]:
        command = [sys.executable, "-m", "cableschema", *args]
        return subprocess.run(command, input=given, capture_output=True, timeout=120, check=False)

    seed = SAMPLE_SEED.read_bytes()
    linted = run("lint", "-", "--isolated", "--no-cache", given=seed)
    from_file = run("lint", str(SAMPLE_SEED), "--isolated", "--no-cache", given=b"")
    assert linted.returncode == from_file.returncode == 1 and linted.stderr == b""
    assert linted.stdout == from_file.stdout.replace(str(SAMPLE_SEED).encode(), b"-")
    records = (SAMPLE / "jsonl" / "wikileaks-11-28-10.first5.json").read_bytes()
    counted = run("lint", "-", "--isolated", "--no-cache", "--statistics", "--exit-zero", given=records)
    assert counted.stdout.decode().splitlines()[-1].endswith("in 1 files, 5 cables")
    parsed = run("parse", "-", given=seed)
    assert parsed.returncode == 0 and json.loads(parsed.stdout)[0]["reference_id"] == "07ASTANA2221"
    binary = run("lint", "-", "--isolated", "--no-cache", "--select", "E001", given=bytes(range(256)) * 4)
    assert binary.returncode == 1 and b"-:1:1: E001" in binary.stdout
    too_big = run("lint", "-", "--isolated", "--no-cache", "--max-record-size", "1KB", given=seed)
    assert b"standard input is over the record size limit of 1,024 bytes" in too_big.stdout
    fixing = run("lint", "-", "--isolated", "--fix", given=seed)
    assert fixing.returncode == 2 and fixing.stderr.decode().count("\n") == 1


def test_a_closed_standard_output_or_error_is_one_line_not_a_traceback(tmp_path) -> None:
    """``cableschema lint corpus >&-``: Python has no standard output (None) at all."""
    from .conftest import SAMPLE_SEED

    def run(*args: str, closing: int) -> subprocess.CompletedProcess[bytes]:
        command = [sys.executable, "-m", "cableschema", "lint", str(SAMPLE_SEED), "--isolated", *args]
        # The other stream is a file: the closed one is then the only one the command lacks.
        with open(tmp_path / "other", "w+b") as other:
            result = subprocess.run(
                command,
                stdin=subprocess.DEVNULL,
                stdout=other if closing == 2 else None,
                stderr=other if closing == 1 else None,
                preexec_fn=lambda: os.close(closing),
                timeout=120,
                check=False,
            )
            other.seek(0)
            return subprocess.CompletedProcess(result.args, result.returncode, other.read(), b"")

    for extra in ([], ["--no-cache"]):
        closed = run(*extra, closing=1)
        assert closed.returncode == 2 and closed.stdout == b"cableschema: error: standard output is closed\n"
    written = run("-o", str(tmp_path / "report.txt"), closing=1)
    assert written.returncode == 1 and written.stdout == b""
    assert "T501" in (tmp_path / "report.txt").read_text(encoding="utf-8")
    quiet = run("--no-cache", "--select", "NOPE", closing=2)  # its error goes nowhere, not to stdout
    assert quiet.returncode == 2 and quiet.stdout == b""
    report = run("--no-cache", closing=2)
    assert report.returncode == 1 and b"T501" in report.stdout


# -- hostile configuration, selections, baselines and schema files ---------------------------------


def _cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    from cableschema.cli import main

    status = main(args)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def _one_line_error(status: int, err: str, needle: str) -> None:
    assert status == 2, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert err.startswith("cableschema: error: ") and needle in err, err


@pytest.fixture
def seed_file(tmp_path: Path) -> Path:
    from .conftest import SAMPLE_SEED

    path = tmp_path / "project" / "seed.txt"
    path.parent.mkdir()
    path.write_bytes(SAMPLE_SEED.read_bytes())
    return path


def test_a_symlink_loop_named_on_the_command_line_is_said_as_one(tmp_path: Path, capsys) -> None:
    (tmp_path / "loop2").symlink_to("loop1")
    (tmp_path / "loop1").symlink_to("loop2")
    status, _, err = _cli(["lint", "--no-cache", str(tmp_path / "loop1")], capsys)
    _one_line_error(status, err, "loop1: too many levels of symbolic links")
    status, _, err = _cli(["lint", "--no-cache", str(tmp_path / "none")], capsys)
    _one_line_error(status, err, "none: no such file or directory")


def test_a_json_number_too_long_to_read_is_said_plainly() -> None:
    from cableschema.readers import read_bytes

    (problem,) = read_bytes(b'{"_id": 1, "n": ' + b"9" * 100_000 + b"}\n", "x.jsonl", "jsonl")
    assert isinstance(problem, readers.ReadProblem) and problem.message == "line 1: a JSON number too long to read"


@pytest.mark.parametrize(
    ("name", "body", "needle"),
    [
        ("pyproject.toml", "tool = 5\n", "tool: expected a table"),
        ("pyproject.toml", 'tool = "cableschema"\n', "tool: expected a table"),
        ("cableschema.toml", "tool = 5\n", "tool: expected a table"),
        ("pyproject.toml", "[tool]\ncableschema = 5\n", "must be a table"),
        ("pyproject.toml", '[tool.cableschema]\nseverity = {"T507,T508" = "info"}\n', "severity.T507,T508"),
        ("pyproject.toml", '[tool.cableschema]\nseverity = {T507 = ["info"]}\n', "severity.T507"),
        ("pyproject.toml", '[tool.cableschema]\nseverity = ["T507"]\n', "severity:"),
        ("pyproject.toml", "[tool.cableschema]\nmax-record-size = true\n", "max-record-size"),
        ("pyproject.toml", f'[tool.cableschema]\nmax-record-size = "{"9" * 5000}MB"\n', "max-record-size"),
        ("pyproject.toml", "[tool.cableschema]\njobs = true\n", "jobs"),
        ("pyproject.toml", "[tool.cableschema]\ncache = 1\n", "cache"),
        ("pyproject.toml", '[tool.cableschema]\ncache-dir = "a\\u0000b"\n', "cache-dir"),
        ("pyproject.toml", '[tool.cableschema]\ninput-format = ["json"]\n', "input-format"),
        ("pyproject.toml", '[tool.cableschema]\nfail-on = ["error"]\n', "fail-on"),
        ("pyproject.toml", "[tool.cableschema]\nselect = [5]\n", "select"),
        ("pyproject.toml", "[tool.cableschema]\nselect = []\n", "select"),
        ("pyproject.toml", '[tool.cableschema]\ninclude = [""]\n', "include"),
        ("pyproject.toml", "[tool.cableschema]\nextend-exclude = true\n", "extend-exclude"),
        ("pyproject.toml", '[tool.cableschema]\nper-file-ignores = ["T5"]\n', "per-file-ignores"),
        ("pyproject.toml", '[tool.cableschema]\nper-file-ignores = {"*.txt" = {a = 1}}\n', "per-file-ignores"),
        ("pyproject.toml", '[tool.cableschema]\nper-file-ignores = {"" = ["T5"]}\n', "per-file-ignores"),
    ],
)
def test_configuration_values_of_the_wrong_shape_are_one_line_errors(
    seed_file: Path, capsys, name: str, body: str, needle: str
) -> None:
    (seed_file.parent / name).write_text(body, encoding="utf-8")
    status, _, err = _cli(["lint", "--no-cache", str(seed_file)], capsys)
    _one_line_error(status, err, needle)


def test_a_severity_naming_two_codes_on_the_command_line_is_a_usage_error(seed_file: Path, capsys) -> None:
    status, _, err = _cli(["lint", "--isolated", "--no-cache", "--severity", "T507,T508=info", str(seed_file)], capsys)
    _one_line_error(status, err, "--severity")


def test_deep_or_huge_configuration_files_are_one_line_errors(seed_file: Path, tmp_path: Path, capsys) -> None:
    deep = tmp_path / "deep.toml"
    deep.write_text("x = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    status, _, err = _cli(["lint", "--no-cache", "--config", str(deep), str(seed_file)], capsys)
    _one_line_error(status, err, "deep.toml")
    huge = tmp_path / "huge.toml"
    huge.write_text("x = " + "1" * 5000 + "\n", encoding="utf-8")
    status, _, err = _cli(["lint", "--no-cache", "--config", str(huge), str(seed_file)], capsys)
    _one_line_error(status, err, "huge.toml")
    # A pyproject.toml found on the way up, even one of another project: passed over with a warning.
    (seed_file.parent / "pyproject.toml").write_text(deep.read_text(encoding="utf-8"), encoding="utf-8")
    status, _, err = _cli(["lint", "--no-cache", str(seed_file)], capsys)
    assert status == 1 and "Traceback" not in err
    assert err.startswith("cableschema: warning: ") and "pyproject.toml" in err and len(err.splitlines()) == 1


@pytest.mark.parametrize(
    "content",
    [
        "[" * 100000 + "]" * 100000,
        '{"format": "cableschema-baseline/1", "entries": [' + "1" * 5000 + "]}",
        '{"format": "cableschema-baseline/1", "entries": [{"path": "a", "code": "T5", "fingerprint": {}}]}',
    ],
    ids=["deep", "huge-integer", "fingerprint-not-a-string"],
)
def test_a_deep_or_huge_baseline_is_a_one_line_error(seed_file: Path, tmp_path: Path, capsys, content: str) -> None:
    baseline = tmp_path / "baseline.json"
    baseline.write_text(content, encoding="utf-8")
    status, _, err = _cli(["lint", "--isolated", "--no-cache", "--baseline", str(baseline), str(seed_file)], capsys)
    _one_line_error(status, err, "baseline.json")


def test_schema_validate_of_deep_or_huge_json(tmp_path: Path, capsys) -> None:
    records = tmp_path / "records.jsonl"
    records.write_text('{"a": ' + "1" * 5000 + '}\n{"a": 1}\n', encoding="utf-8")
    array = tmp_path / "array.json"
    array.write_text('[{"a": 1},\n' + "2" * 5000 + "]\n", encoding="utf-8")
    status, out, err = _cli(["schema", "validate", str(records), str(array)], capsys)
    assert status == 1 and "Traceback" not in err
    lines = out.splitlines()
    assert len(lines) == 4 and f"{records}:1: /: not JSON: a number too long" in lines[0]
    assert f"{array}:2: /: not JSON: a number too long" in lines[3]
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100000 + "]" * 100000, encoding="utf-8")
    status, _, err = _cli(["schema", "validate", "--schema", str(deep), str(records)], capsys)
    _one_line_error(status, err, "nested too deeply")


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--severity", "=info"], "--severity"),
        (["--select", ""], "--select"),
        (["--select", ","], "--select"),
        (["--select", "T9"], "'T9' matches no rule"),
        (["--select", "E999"], "'E999' matches no rule"),
        (["--ignore", "E999"], "--ignore"),
        (["--ignore", ""], "--ignore"),
        (["--extend-select", "W9"], "--extend-select"),
        (["--per-file-ignores", "*.txt:"], "--per-file-ignores"),
        (["--per-file-ignores", "*.txt:T9"], "--per-file-ignores"),
    ],
)
def test_selections_that_select_nothing_are_usage_errors(seed_file: Path, capsys, args: list[str], needle: str) -> None:
    status, _, err = _cli(["lint", "--isolated", "--no-cache", *args, str(seed_file)], capsys)
    _one_line_error(status, err, needle)


@pytest.mark.parametrize("body", ['severity = {"" = "info"}\n', 'ignore = ["E999"]\n', 'select = ["T9"]\n'])
def test_configured_selections_that_select_nothing_are_errors(seed_file: Path, capsys, body: str) -> None:
    (seed_file.parent / "cableschema.toml").write_text(body, encoding="utf-8")
    status, _, err = _cli(["lint", "--no-cache", str(seed_file)], capsys)
    _one_line_error(status, err, "cableschema.toml")


@pytest.mark.parametrize("select", ["ALL", "T", "T50", "t5", "T507,W6", "W601"])
def test_selections_of_families_prefixes_and_codes_still_run(seed_file: Path, capsys, select: str) -> None:
    status, out, err = _cli(["lint", "--isolated", "--no-cache", "--select", select, str(seed_file)], capsys)
    assert status in (0, 1) and err == "" and out.strip()


def test_the_known_codes_are_the_registry() -> None:
    from cableschema.rules import load
    from cableschema.selection import RULE_CODES

    assert set(load()) == RULE_CODES  # add a new rule's code to selection.RULE_CODES


def test_a_broken_pyproject_is_reported(seed_file: Path, capsys) -> None:
    pyproject = seed_file.parent / "pyproject.toml"
    # It may hold this tool's settings: an error, as for cableschema.toml.
    pyproject.write_text('[tool.cableschema\nselect = ["T5"]\n', encoding="utf-8")
    status, _, err = _cli(["lint", "--no-cache", str(seed_file)], capsys)
    _one_line_error(status, err, "pyproject.toml: not valid TOML")
    pyproject.write_bytes(b'[tool.cableschema]\nselect = ["T5"]\n# \xff\n')
    status, _, err = _cli(["lint", "--no-cache", str(seed_file)], capsys)
    _one_line_error(status, err, "pyproject.toml: not UTF-8")
    # Another tool's broken file: a warning naming it, and the run goes on.
    pyproject.write_text('[project\nname = "x"\n', encoding="utf-8")
    status, out, err = _cli(["lint", "--no-cache", str(seed_file)], capsys)
    assert status == 1 and out.strip()
    assert err.startswith("cableschema: warning: ") and "pyproject.toml: not valid TOML" in err


def test_a_paragraph_anchor_whose_sign_is_mojibake_is_an_anchor() -> None:
    from cableschema.readers import read_string

    page = (
        "<code><pre>UNCLAS ASTANA 002221\n\nSIPDIS\n\nE.O. 12958: N/A\nTAGS: PGOV KZ\nSUBJECT: X\n\n"
        "<a id='par1' href='#par1'>{sign}</a>1. (SBU) The mayor met the minister.\n</pre></code>"
    )
    clean, mojibake = (next(iter(read_string(page.format(sign=sign), "p.txt"))) for sign in ("¶", "Â¶"))
    assert isinstance(clean, readers.Document) and isinstance(mojibake, readers.Document)
    assert mojibake.text == clean.text and "1. (SBU) The mayor" in clean.text
    # Before, "Â¶" stayed in the text, and T504's safe fix stripped the "¶" with the "</a>" it
    # ended on: "<a id='par1' href='#par1'>Â1. (SBU)", an open link, in the fixed file.
    findings = lint_text(page.format(sign="Â¶"), Settings(cache=False), path="p.txt")
    assert not [f for f in findings if f.code in ("T504", "T505")]


def test_a_report_is_never_written_over_a_linted_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from cableschema.cli import main

    monkeypatch.chdir(tmp_path)
    cable = tmp_path / "cable.txt"
    cable.write_text(SEED_BODY, encoding="utf-8")
    before = cable.read_bytes()
    for option in ("-o", "--write-baseline"):
        assert main(["lint", "--isolated", "--no-cache", "cable.txt", option, "cable.txt"]) == 2
        assert "is one of the files linted; writing there would replace it" in capsys.readouterr().err
        assert cable.read_bytes() == before
    # A report kept in the linted tree: the next run writes it again and does not lint it.
    for _ in range(2):
        main(["lint", "--isolated", "--no-cache", ".", "--format", "json", "-o", "report.json", "--exit-zero"])
        report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
        assert [entry["path"] for entry in report["files"]] == ["./cable.txt"]


def test_control_characters_from_a_file_cannot_forge_report_lines(tmp_path: Path, capsys) -> None:
    from cableschema.cli import main

    forged = "09X\nforged.txt:1:1: E001 [error] forged finding \x1b[31m"
    path = tmp_path / "records.jsonl"
    path.write_text(json.dumps({"reference_id": forged, "body": SEED_BODY}) + "\n", encoding="utf-8")
    for fmt in ("text", "github"):
        main(["lint", "--isolated", "--no-cache", "--format", fmt, str(path)])
        out = capsys.readouterr().out
        assert all(line.startswith((str(path), "::")) for line in out.splitlines()), fmt
        assert "\x1b" not in out and "forged finding \\x1b[31m" in out


def test_fix_writes_through_a_link_and_keeps_it(tmp_path: Path) -> None:
    from cableschema.cli import main

    from .conftest import SAMPLE_SEED

    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "cable.txt"
    target.write_bytes(SAMPLE_SEED.read_bytes())
    link = tmp_path / "link.txt"
    link.symlink_to(Path("real") / "cable.txt")
    main(["lint", "--isolated", "--no-cache", "-q", "--fix", "--exit-zero", str(link)])
    assert link.is_symlink() and os.readlink(link) == os.path.join("real", "cable.txt")
    assert target.read_bytes() != SAMPLE_SEED.read_bytes()  # the file the link names got the fixes


def test_fix_writes_a_file_of_several_names_in_place(tmp_path: Path) -> None:
    """A hard link is the same file under another name: the fix must reach every name."""
    from cableschema.cli import main

    from .conftest import SAMPLE_SEED

    first = tmp_path / "cable.txt"
    first.write_bytes(SAMPLE_SEED.read_bytes())
    first.chmod(0o640)
    other = tmp_path / "other-name.txt"
    os.link(first, other)
    main(["lint", "--isolated", "--no-cache", "-q", "--fix", "--exit-zero", str(first)])
    assert first.read_bytes() != SAMPLE_SEED.read_bytes()
    assert other.read_bytes() == first.read_bytes()  # one file, fixed under both names
    assert os.stat(first).st_ino == os.stat(other).st_ino and os.stat(first).st_nlink == 2
    assert oct(os.stat(first).st_mode & 0o777) == oct(0o640)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cable.txt", "other-name.txt"]  # no temporary left


def test_clean_removes_a_configured_cache_and_never_the_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    from cableschema.cli import main

    monkeypatch.chdir(tmp_path)
    (tmp_path / "cable.txt").write_text(SEED_BODY, encoding="utf-8")
    (tmp_path / "cableschema.toml").write_text('cache-dir = "build/lint-cache"\n', encoding="utf-8")
    main(["lint", ".", "-q", "--exit-zero"])
    assert (tmp_path / "build" / "lint-cache" / "CACHEDIR.TAG").is_file()
    assert main(["clean"]) == 0
    assert not (tmp_path / "build" / "lint-cache").exists() and (tmp_path / "cable.txt").is_file()
    assert main(["clean"]) == 0
    assert "no cache to remove" in capsys.readouterr().err
    # A folder of the project's own that also holds other files is never removed by clean.
    (tmp_path / "build" / "lint-cache").mkdir()
    (tmp_path / "build" / "lint-cache" / "CACHEDIR.TAG").write_text("x", encoding="utf-8")
    (tmp_path / "build" / "lint-cache" / "notes.txt").write_text("mine", encoding="utf-8")
    main(["clean"])
    assert (tmp_path / "build" / "lint-cache" / "notes.txt").is_file()
    # The project's folder, or one above it, is no cache folder.
    for folder in (".", ".."):
        (tmp_path / "cableschema.toml").write_text(f'cache-dir = "{folder}"\n', encoding="utf-8")
        assert main(["lint", ".", "-q", "--exit-zero"]) == 2
        assert "is the project's folder or holds it" in capsys.readouterr().err
    assert not (tmp_path / "CACHEDIR.TAG").exists()


def test_a_bad_report_target_or_baseline_is_said_before_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    from cableschema import cli, runner

    def no_run(*args: object, **kwargs: object) -> None:
        raise AssertionError("the run began")

    monkeypatch.setattr(runner, "lint_paths", no_run)
    cable = tmp_path / "cable.txt"
    cable.write_text(SEED_BODY, encoding="utf-8")
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    for option, target, said in (
        ("-o", str(tmp_path / "missing" / "r.json"), "no directory"),
        ("-o", str(tmp_path), "it is a directory"),
        ("--write-baseline", str(tmp_path / "missing" / "b.json"), "no directory"),
        ("--baseline", str(tmp_path / "broken.json"), "baseline is not valid JSON"),
    ):
        assert cli.main(["lint", "--isolated", "--no-cache", str(cable), option, target]) == 2
        assert said in capsys.readouterr().err


def test_t509_looks_up_the_windows_of_a_text_of_many_cables_a_share_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """A text file is one document, and T509 kept a dict of each of its distinct 10-word windows:
    415 MB for the 2 million windows of a 13.8 MB dump of the corpus's texts. Past
    ``_WINDOWS_AT_ONCE`` windows (250,000; 5,000 here, to keep the test small) it keeps their
    hashes in arrays and looks them up a share at a time: 73 bytes a word at its peak here,
    where one dict took 219."""
    import random
    import tracemalloc

    from cableschema.validators import damage

    chooser = random.Random(509)
    vocabulary = [f"w{index}" for index in range(5000)]
    words = [chooser.choice(vocabulary) for _ in range(40_000)]  # windows all distinct
    monkeypatch.setattr(damage, "_WINDOWS_AT_ONCE", 5000)
    tracemalloc.start()
    try:
        runs = damage._repeats(words)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert runs == []
    assert peak / len(words) < 120, f"{peak / len(words):.0f} bytes a word at the peak"


def test_a_named_pipe_in_a_files_place_is_an_error_not_a_wait(tmp_path) -> None:
    """A file replaced by a named pipe during a run: opening a pipe waits for a writer, for ever."""
    from cableschema._open import open_input
    from cableschema.engine import lint_file

    pipe = tmp_path / "07ASTANA2221.txt"
    os.mkfifo(pipe)
    with pytest.raises(OSError, match="not a regular file"):
        open_input(pipe)
    with pytest.raises(IsADirectoryError):
        open_input(tmp_path)
    result = lint_file(str(pipe), Settings())
    assert [(f.code, f.message) for f in result.findings] == [("E001", "cannot read file: not a regular file")]


def test_a_small_file_is_read_in_one_call_and_anything_else_left_to_open_input(tmp_path) -> None:
    """read_small gives the bytes of a regular file within the limit, and None (never an error,
    never a wait) for a larger file, a folder, a named pipe or a missing file: iter_file then
    reads them as before, and says why it cannot."""
    from cableschema._open import read_small
    from cableschema.engine import lint_file

    small = tmp_path / "small.txt"
    small.write_bytes(b"UNCLAS\n" * 10)
    assert read_small(small, 70) == b"UNCLAS\n" * 10
    assert read_small(small, 69) is None
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert read_small(empty, 10) == b""
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    assert read_small(pipe, 10) is None
    assert read_small(tmp_path, 10) is None
    assert read_small(tmp_path / "missing.txt", 10) is None
    assert [f.message for f in lint_file(str(pipe), Settings()).findings] == ["cannot read file: not a regular file"]
    too_large = Settings(max_record_bytes=50)
    assert [f.message for f in lint_file(str(small), too_large).findings] == [
        "file is over the record size limit of 50 bytes (--max-record-size); a single cable is never that large"
    ]


def test_a_baseline_is_written_through_a_link_or_a_device_and_keeps_its_mode(tmp_path, monkeypatch, capsys) -> None:
    from .conftest import SAMPLE_SEED

    monkeypatch.chdir(tmp_path)
    (tmp_path / "kept.json").write_text("{}", encoding="utf-8")
    os.chmod(tmp_path / "kept.json", 0o644)
    os.symlink("kept.json", tmp_path / "link.json")
    for target in ("link.json", os.devnull, "new.json"):
        assert _cli(["lint", str(SAMPLE_SEED), "--isolated", "--no-cache", "--write-baseline", target], capsys)[0] == 1
    assert os.path.islink(tmp_path / "link.json") and os.readlink(tmp_path / "link.json") == "kept.json"
    assert json.loads((tmp_path / "kept.json").read_text(encoding="utf-8"))["entries"]
    assert stat.S_IMODE(os.stat(tmp_path / "kept.json").st_mode) == 0o644
    mask = os.umask(0o022)
    os.umask(mask)
    assert stat.S_IMODE(os.stat(tmp_path / "new.json").st_mode) == 0o666 & ~mask
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_a_report_is_not_written_over_a_linted_file_through_a_link(tmp_path, capsys) -> None:
    from .conftest import SAMPLE_SEED

    (tmp_path / "in").mkdir()
    (tmp_path / "out").mkdir()
    for name in ("a.txt", "b.txt"):
        shutil.copy(SAMPLE_SEED, tmp_path / "in" / name)
    os.symlink(tmp_path / "in" / "a.txt", tmp_path / "out" / "report.txt")
    os.link(tmp_path / "in" / "b.txt", tmp_path / "out" / "hard.txt")
    for report in ("report.txt", "hard.txt"):
        for option in ("-o", "--write-baseline"):
            code, _, err = _cli(
                ["lint", str(tmp_path / "in"), "--no-cache", option, str(tmp_path / "out" / report)], capsys
            )
            assert code == 2 and "is one of the files linted" in err
    assert all((tmp_path / "in" / name).read_bytes() == SAMPLE_SEED.read_bytes() for name in ("a.txt", "b.txt"))
    # An earlier report in the linted tree, under its own name, is still no input.
    (tmp_path / "in" / "report.txt").write_text("old report\n", encoding="utf-8")
    code, _, _ = _cli(["lint", str(tmp_path / "in"), "--no-cache", "-o", str(tmp_path / "in" / "report.txt")], capsys)
    assert code == 1 and "T501" in (tmp_path / "in" / "report.txt").read_text(encoding="utf-8")


def test_diff_refuses_what_it_would_not_write(capsys) -> None:
    from .conftest import SAMPLE_SEED

    for extra in (["-o", "x.json"], ["--format", "json"], ["--write-baseline", "b.json"]):
        code, out, err = _cli(["lint", str(SAMPLE_SEED), "--isolated", "--diff", *extra], capsys)
        assert code == 2 and out == "" and "--diff writes only the diff" in err and extra[0] in err


def test_a_record_size_limit_is_at_most_4gb_and_a_pipe_is_read_a_block_at_a_time(capsys, monkeypatch) -> None:
    from cableschema.config import parse_size
    from cableschema.readers import _read_up_to

    assert parse_size("4GB") == 4 * 1024**3
    for value in ("5GB", "8589934592G", str(2**70)):
        with pytest.raises(ConfigError, match="over the largest limit, 4GB"):
            parse_size(value)

    asked: list[int] = []

    class Pipe(io.BytesIO):
        def fileno(self) -> int:
            raise io.UnsupportedOperation

        def read(self, size: int | None = -1) -> bytes:
            asked.append(size if size is not None else -1)
            return super().read(size)

    pipe = Pipe(b"x" * (3 << 20))
    assert len(_read_up_to(pipe, 3 * 1024**3)) == 3 << 20
    assert max(asked) <= 1 << 20  # never the whole limit at once


def test_a_folder_that_cannot_be_read_is_reported_not_passed_over(tmp_path, monkeypatch) -> None:
    from cableschema import engine
    from cableschema.engine import discover

    from .conftest import SAMPLE_SEED

    for folder in ("locked", "open"):
        (tmp_path / folder).mkdir()
        shutil.copy(SAMPLE_SEED, tmp_path / folder / "07ASTANA2221.txt")
    real_scandir = os.scandir

    def denied(path):  # what a folder of mode 000 gives a user who is not root
        if os.path.basename(path) == "locked":
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(engine.os, "scandir", denied)
    settings = Settings(cache=False, jobs=1, selection=Selection(select=("E001",)))
    for given in (tmp_path, tmp_path / "locked"):
        files, missing = discover([str(given)], settings)
        assert str(tmp_path / "locked") in files and not missing
        findings = [f for path in files for f in lint_file(path, settings).findings]
        assert [(f.path, f.code) for f in findings] == [(str(tmp_path / "locked"), "E001")]
        assert findings[0].message.startswith("cannot read folder")


def test_an_output_that_cannot_be_written_is_said_before_the_run(tmp_path, monkeypatch, capsys) -> None:
    """A folder the user may not write to: said at once, not after the whole run."""
    from cableschema import cli, runner

    from .conftest import SAMPLE_SEED

    (tmp_path / "closed").mkdir()
    real_access = os.access
    monkeypatch.setattr(cli.os, "access", lambda path, mode: "closed" not in str(path) and real_access(path, mode))
    monkeypatch.setattr(runner, "lint_paths", lambda *args, **kwargs: pytest.fail("the run started"))
    for option in ("-o", "--write-baseline"):
        code, _, err = _cli(["lint", str(SAMPLE_SEED), "--no-cache", option, str(tmp_path / "closed" / "x")], capsys)
        assert code == 2 and "permission denied" in err


def test_line_starts_kept_compact_give_the_same_findings(monkeypatch) -> None:
    """Past ``COMPACT_LINES`` lines a text's line starts are an array of machine integers (a text of
    bare newlines took 60 bytes a line): every rule reads them as it reads a list. Here every
    text's are an array, and the sample corpus gives the same findings."""
    from array import array

    from cableschema import document
    from cableschema.engine import discover

    from .conftest import SAMPLE

    settings = Settings(cache=False, jobs=1)
    files, _ = discover([str(SAMPLE)], settings)

    def findings() -> list[tuple[object, ...]]:
        return [tuple(f) for path in files for f in lint_file(path, settings).findings]

    as_lists = findings()
    monkeypatch.setattr(document, "COMPACT_LINES", 0)
    assert isinstance(parse("a\nb\n").parts.line_starts, array)
    assert isinstance(document._newline_starts("a\nb"), array) and isinstance(document._find_line_starts("a\rb"), array)
    assert findings() == as_lists and len(as_lists) > 80


def test_a_file_that_runs_out_of_memory_is_an_e001_and_the_run_goes_on(tmp_path: Path, monkeypatch) -> None:
    """Under ``--jobs 1`` the file is linted in this process: a MemoryError (a limit on the
    process's memory, ``ulimit -v``) is the file's finding, and the next file is linted."""
    from cableschema.cli import main

    reader = readers.iter_file

    def exhausted() -> Iterator[Any]:
        raise MemoryError
        yield

    def exhausting(path: str, *args: Any, **kwargs: Any) -> Any:
        return exhausted() if path.endswith("huge.txt") else reader(path, *args, **kwargs)

    monkeypatch.setattr(readers, "iter_file", exhausting)
    (tmp_path / "huge.txt").write_text(SEED_BODY, encoding="utf-8")
    (tmp_path / "07ASTANA2221.txt").write_text(SEED_BODY, encoding="utf-8")
    report = tmp_path / "report.json"
    args = ["lint", "--isolated", "--no-cache", "--jobs", "1", "--format", "json", "-o", str(report)]
    assert main([*args, str(tmp_path / "huge.txt"), str(tmp_path / "07ASTANA2221.txt")]) == 1
    files = {Path(f["path"]).name: f for f in json.loads(report.read_text(encoding="utf-8"))["files"]}
    assert files["huge.txt"]["error"] == "cannot lint file: out of memory (it needs more than this process may take)"
    assert files["07ASTANA2221.txt"] == {**files["07ASTANA2221.txt"], "error": None, "reference_ids": ["07ASTANA2221"]}


def test_a_source_tree_copy_without_its_rule_pack_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``python -m cableschema`` in a source checkout, with a non-editable install, imports
    ./cableschema, whose rule pack lives in ./validators: a one-line error, not a traceback."""
    import importlib

    from cableschema import cli, rules

    def missing(name: str) -> object:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)

    monkeypatch.setattr(rules.importlib, "import_module", missing)
    from .conftest import SAMPLE

    assert cli.main(["lint", str(SAMPLE)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("cableschema: error: the rule pack cableschema.validators is missing from ")
    assert "pip install -e ." in err and err.count("\n") == 1
    monkeypatch.undo()
    assert importlib.import_module("cableschema.validators")  # the real import is untouched


def test_a_missing_module_other_than_the_rule_pack_is_not_hidden(monkeypatch: pytest.MonkeyPatch) -> None:
    from cableschema import cli, rules

    def missing(name: str) -> object:
        raise ModuleNotFoundError("No module named 'lxml'", name="lxml")

    monkeypatch.setattr(rules.importlib, "import_module", missing)
    with pytest.raises(ModuleNotFoundError, match="lxml"):
        cli.main(["rules"])
