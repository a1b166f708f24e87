"""The lint engine: selection, configuration, exit status, baselines, isolation, corpus rules."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cableschema.cli import main
from cableschema.config import Settings
from cableschema.engine import lint_file
from cableschema.rules import REGISTRY, Rule
from cableschema.selection import Glob, Selection, SelectionError, glob_match, parse_codes

from .conftest import SAMPLE, SAMPLE_SEED


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(args)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


# -- selection -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("select", "ignore", "code", "selected"),
    [
        (("ALL",), (), "T501", True),
        (("ALL",), ("T5",), "T501", False),
        (("T501",), ("T5",), "T501", True),  # the longer prefix wins
        (("T5",), ("T501",), "T501", False),
        (("T5",), ("T501",), "T502", True),
        (("T",), ("T5",), "T601", True),
        (("M1",), (), "T501", False),
        (("ALL",), ("ALL",), "M101", False),  # a tie goes to ignore
        (("W",), ("W60",), "W601", False),
    ],
)
def test_longest_prefix_wins(select, ignore, code, selected) -> None:
    assert Selection(select=select, ignore=ignore).is_selected(code) is selected


def test_extend_select_and_per_file_ignores() -> None:
    selection = Selection(select=("M",), extend_select=("W601",), per_file_ignores=(("scraped/*.txt", ("W6",)),))
    assert selection.is_selected("W601", "corpus/a.txt")
    assert not selection.is_selected("W601", "corpus/scraped/a.txt")
    assert not selection.is_selected("W602", "corpus/a.txt")


def test_bad_codes_are_rejected_with_their_name() -> None:
    with pytest.raises(SelectionError, match="'X1'"):
        parse_codes("T5,X1", "--select")


_GLOB_PIECES = st.sampled_from(["a", "b", "/", "*", "?", ".", "[ab]", "[!a]", "**", "\\", "x.txt"])


@settings(max_examples=3000, deadline=None, database=None)
@given(
    st.lists(_GLOB_PIECES, max_size=6).map("".join),
    st.lists(st.sampled_from(["a", "b", "/", ".", "x.txt", "ab"]), max_size=8).map("".join),
)
def test_a_compiled_glob_matches_as_glob_match_does(pattern: str, path: str) -> None:
    """selection.Glob (per-file ignores and exclude patterns, compiled once) holds to glob_match,
    the fnmatch of the path, its name, or its trailing parts."""
    normalised = path.replace("\\", "/")
    assert Glob(pattern).matches(normalised) == glob_match(normalised, pattern)


def test_a_file_s_cache_key_finds_its_per_file_ignores_once(tmp_path, monkeypatch) -> None:
    """The cache's key of a file names the codes selected for it: the file's per-file ignores were
    found again for each of the 55 codes (40 globs on 10,000 files kept a run served by the cache
    busy for 41 s); they are found once a file, and the codes once a set of ignores."""
    from cableschema import runner
    from cableschema.selection import Selection as SelectionClass

    calls: list[str | None] = []
    original = SelectionClass.file_ignores
    monkeypatch.setattr(
        SelectionClass, "file_ignores", lambda self, path: (calls.append(path), original(self, path))[1]
    )
    selection = Selection(per_file_ignores=(("*1.txt", ("T501",)), ("sub/*.txt", ("W6",))))
    cache = runner.Cache(tmp_path / "cache", Settings(selection=selection))
    names = [f"sub/{n}.txt" for n in range(30)] + [f"{n}.txt" for n in range(30)]
    for name in names:
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("the same text")
    calls.clear()
    keys = [cache.key(str(tmp_path / name)) for name in names]
    assert sorted(calls) == sorted(str(tmp_path / name) for name in names)
    # Files of one content but other ignores have other keys; of the same ignores, the same but
    # for the name (the readers take an ID from it).
    assert len(set(keys)) == len(names)
    assert cache._selected_by_ignores.keys() == {(), ("T501",), ("W6",), ("T501", "W6")}


def test_severity_override_by_prefix() -> None:
    selection = Selection(severity={"W6": "error", "W602": "info"})
    assert selection.severity_of("W601", "warning") == "error"
    assert selection.severity_of("W602", "warning") == "info"
    assert selection.severity_of("M101", "error") == "error"


# -- the command line ------------------------------------------------------------------------------


def test_seed_exit_statuses(capsys) -> None:
    status, out, _ = run_cli(["lint", "--isolated", "--no-cache", str(SAMPLE_SEED)], capsys)
    assert "W601" in out and "W602" in out
    errors = [line for line in out.splitlines() if "[error]" in line]
    assert status == (1 if errors else 0)
    assert run_cli(["lint", "--isolated", "--select", "W6", "--fail-on", "warning", str(SAMPLE_SEED)], capsys)[0] == 1
    assert run_cli(["lint", "--isolated", "--select", "W6", str(SAMPLE_SEED)], capsys)[0] == 0
    assert (
        run_cli(
            ["lint", "--isolated", "--select", "W6", "--fail-on", "warning", "--exit-zero", str(SAMPLE_SEED)],
            capsys,
        )[0]
        == 0
    )
    status, _, err = run_cli(["lint", "--select", "X9", str(SAMPLE_SEED)], capsys)
    assert status == 2 and "X9" in err and len(err.strip().splitlines()) == 1
    status, _, err = run_cli(["lint", "/no/such/path"], capsys)
    assert status == 2 and "no such file" in err
    status, _, err = run_cli(["lint", "--format", "nope", str(SAMPLE_SEED)], capsys)
    assert status == 2


def test_error_finding_fails_the_run(tmp_path, capsys) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"reference_id": "7575LIBREVILLE1895", "body": "1. (C) Text."}\n', encoding="utf-8")
    status, out, _ = run_cli(["lint", "--isolated", str(path)], capsys)
    assert status == 1 and "M101" in out


def _write_config(directory: Path, name: str, body: str) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_text(body, encoding="utf-8")


def test_config_discovery_and_override(tmp_path, capsys) -> None:
    project = tmp_path / "project"
    _write_config(project, "pyproject.toml", '[tool.cableschema]\nignore = ["W602"]\nfail-on = "warning"\n')
    target = project / "corpus" / "deep"
    target.mkdir(parents=True)
    shutil.copy(SAMPLE_SEED, target / "seed.txt")
    status, out, _ = run_cli(["lint", "--no-cache", str(target)], capsys)
    assert "W601" in out and "W602" not in out and status == 1  # fail-on warning from the file
    status, out, _ = run_cli(["lint", "--no-cache", "--select", "W602", "--fail-on", "error", str(target)], capsys)
    assert "W602" not in out  # still ignored: --select replaces select, the file's ignore stays
    status, out, _ = run_cli(["lint", "--no-cache", "--isolated", "--select", "W602", str(target)], capsys)
    assert "W602" in out and status == 0
    # cableschema.toml next to the files wins over a pyproject further up
    _write_config(project / "corpus", "cableschema.toml", 'select = ["W602"]\n')
    status, out, _ = run_cli(["lint", "--no-cache", str(target)], capsys)
    assert "W602" in out and "W601" not in out


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ('[tool.cableschema]\nselectt = ["W6"]\n', "selectt"),
        ('[tool.cableschema]\nfail-on = "fatal"\n', "fail-on"),
        ('[tool.cableschema]\nselect = ["Q1"]\n', "Q1"),
        ('[tool.cableschema]\nseverity = {T501 = "loud"}\n', "severity.T501"),
        ("[tool.cableschema]\njobs = -1\n", "jobs"),
        ("[tool.cableschema\n", "TOML"),
    ],
)
def test_bad_configuration_is_one_line_exit_2(tmp_path, capsys, body, needle) -> None:
    _write_config(tmp_path, "pyproject.toml", body)
    shutil.copy(SAMPLE_SEED, tmp_path / "seed.txt")
    config = tmp_path / "pyproject.toml"
    status, _, err = run_cli(["lint", "--config", str(config), str(tmp_path / "seed.txt")], capsys)
    assert status == 2
    assert needle in err and len(err.strip().splitlines()) == 1


def test_per_file_ignores_from_the_command_line(tmp_path, capsys) -> None:
    (tmp_path / "scraped").mkdir()
    shutil.copy(SAMPLE_SEED, tmp_path / "scraped" / "seed.txt")
    shutil.copy(SAMPLE_SEED, tmp_path / "seed.txt")
    _status, out, _ = run_cli(
        ["lint", "--isolated", "--select", "W6", "--per-file-ignores", "scraped/*.txt:W601", str(tmp_path)],
        capsys,
    )
    lines = out.splitlines()
    assert any("scraped" in line and "W602" in line for line in lines)
    assert not any("scraped" in line and "W601" in line for line in lines)
    assert any("scraped" not in line and "W601" in line for line in lines)


# -- baselines -------------------------------------------------------------------------------------


def test_baseline_survives_inserted_lines_and_reports_new_findings(tmp_path, capsys) -> None:
    path = tmp_path / "seed.txt"
    shutil.copy(SAMPLE_SEED, path)
    baseline = tmp_path / "baseline.json"
    run_cli(["lint", "--isolated", "--write-baseline", str(baseline), str(path)], capsys)
    recorded = json.loads(baseline.read_text())["entries"]
    assert {e["code"] for e in recorded} >= {"W601", "W602"}
    status, out, _ = run_cli(["lint", "--isolated", "--baseline", str(baseline), str(path)], capsys)
    assert out.strip() == "" and status == 0
    # Insert lines above the findings: they move, the baseline still matches them.
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    lines[8:8] = ["", "", ""]
    path.write_text(
        "\n".join(lines).replace("UNCLASSIFIED//FOR OFFICIAL USE ONLY", "UNCLASSIFIED//FOUO"),
        encoding="utf-8",
    )
    status, out, _ = run_cli(["lint", "--isolated", "--baseline", str(baseline), str(path)], capsys)
    assert [line.split(": ")[1].split()[0] for line in out.splitlines()] == ["M106"], out
    assert status == 1
    status, out, _ = run_cli(["lint", "--isolated", "--baseline", str(baseline), "--statistics", str(path)], capsys)
    assert "hidden by the baseline" in out and "stale baseline entries" in out


def test_stale_baseline_entries_are_counted(tmp_path, capsys) -> None:
    path = tmp_path / "seed.txt"
    shutil.copy(SAMPLE_SEED, path)
    baseline = tmp_path / "baseline.json"
    run_cli(["lint", "--isolated", "--write-baseline", str(baseline), str(path)], capsys)
    run_cli(["lint", "--isolated", "--fix", str(path)], capsys)  # the W6 findings are gone
    _, out, _ = run_cli(["lint", "--isolated", "--baseline", str(baseline), "--statistics", str(path)], capsys)
    stale = [line for line in out.splitlines() if "stale" in line]
    assert stale and int(stale[0].split()[0]) >= 2


def test_bad_baseline_is_a_usage_error(tmp_path, capsys) -> None:
    baseline = tmp_path / "b.json"
    baseline.write_text("{}", encoding="utf-8")
    status, _, err = run_cli(["lint", "--isolated", "--baseline", str(baseline), str(SAMPLE_SEED)], capsys)
    assert status == 2 and "baseline" in err


# -- isolation and corpus rules --------------------------------------------------------------------


def test_a_failing_rule_becomes_e009_and_the_others_still_run(monkeypatch) -> None:
    def explode(ctx):
        raise IndexError("list index out of range")

    monkeypatch.setitem(REGISTRY, "T599", Rule("T599", "exploding-rule", "error", "x", "", "cable", explode))
    result = lint_file(str(SAMPLE_SEED), Settings(cache=False))
    codes = [f.code for f in result.findings]
    assert "E009" in codes and "W601" in codes and "W602" in codes
    (e009,) = [f for f in result.findings if f.code == "E009"]
    assert "T599" in e009.message and "IndexError" in e009.message


def test_duplicate_ids_are_seen_across_the_run(tmp_path, capsys) -> None:
    shutil.copy(SAMPLE / "html/06LIMA622.html", tmp_path / "a.html")
    shutil.copy(SAMPLE / "html/variant-4col-06LIMA622.html", tmp_path / "b.html")  # same text
    _, out, _ = run_cli(["lint", "--isolated", "--select", "M108", str(tmp_path)], capsys)
    assert "M108" not in out
    shutil.copy(SAMPLE / "jsonl/06LIMA622.cable.jsonl", tmp_path / "c.jsonl")
    text = (tmp_path / "c.jsonl").read_text(encoding="utf-8").replace("SENDERO LUMINOSO", "SENDERO ROJO")
    (tmp_path / "c.jsonl").write_text(text, encoding="utf-8")
    _, out, _ = run_cli(["lint", "--isolated", "--select", "M108", str(tmp_path)], capsys)
    assert out.count("M108") == 1 and "c.jsonl" in out


def test_a_copy_whose_line_breaks_were_deleted_is_the_same_text(tmp_path, capsys) -> None:
    # The release's JSON Lines batch has every newline deleted: its records differ from the pages
    # only in whitespace, which T507 reports; M108 is for texts that really differ.
    shutil.copy(SAMPLE / "html/04ANKARA348.html", tmp_path / "a.html")
    batch = (SAMPLE / "jsonl/wikileaks-11-28-10.first5.json").read_text(encoding="utf-8").splitlines()
    (first,) = [line for line in batch if '"04ANKARA348"' in line]
    (tmp_path / "b.json").write_text(first + "\n", encoding="utf-8")
    _, out, _ = run_cli(["lint", "--isolated", "--select", "M108", str(tmp_path)], capsys)
    assert "M108" not in out
    (tmp_path / "b.json").write_text(first.replace("Erdogan", "Gul", 1) + "\n", encoding="utf-8")
    _, out, _ = run_cli(["lint", "--isolated", "--select", "M108", str(tmp_path)], capsys)
    assert out.count("M108") == 1 and "b.json" in out


def test_output_order_is_stable_and_sorted(tmp_path, capsys) -> None:
    _, out, _ = run_cli(["lint", "--isolated", "--exit-zero", str(SAMPLE)], capsys)
    paths = [line.split(":")[0] for line in out.splitlines()]
    assert paths == sorted(paths, key=lambda p: Path(p).parts)


def test_discovery_walks_in_path_order_without_following_directory_links(tmp_path) -> None:
    from cableschema.engine import _path_key, discover

    for name in ["b.txt", "a/z.txt", "a/b/c.html", "a.txt", "c/x.json", "c/.git/d.txt", "node_modules/e.txt", "d.pdf"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / "notes.md").write_text("x", encoding="utf-8")
    (tmp_path / "link").symlink_to(tmp_path / "a", target_is_directory=True)
    (tmp_path / "file-link.txt").symlink_to(tmp_path / "b.txt")
    files, missing = discover([str(tmp_path)], Settings())
    relative = [Path(f).relative_to(tmp_path).as_posix() for f in files]
    assert relative == ["a/b/c.html", "a/z.txt", "a.txt", "b.txt", "c/x.json", "d.pdf", "file-link.txt"]
    assert files == sorted(files, key=_path_key) and not missing
    # Several paths (and a path given twice) are merged into one sorted list.
    again, _ = discover([str(tmp_path / "c"), str(tmp_path / "a"), str(tmp_path / "a")], Settings())
    assert again == sorted(set(again), key=_path_key) and len(again) == 3
