"""The structure rules (M1xx, H2xx, P3xx, S4xx) on the founding example and on small cases that
fixtures cannot hold (a file's own name)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cableschema.config import Settings
from cableschema.engine import lint_file
from cableschema.selection import Selection

from .conftest import SAMPLE_SEED, SEED

STRUCTURE = ("M1", "H2", "P3", "S4")


def _findings(path: Path, select: tuple[str, ...] = STRUCTURE) -> list[tuple[str, int, int | None, str]]:
    settings = Settings(selection=Selection(select=select), cache=False)
    result = lint_file(str(path), settings)
    return [(f.code, f.line, f.end_line, f.message) for f in result.findings]


@pytest.mark.parametrize("path", [SEED, SAMPLE_SEED], ids=["shared-seed", "sample-seed"])
def test_seed_reports_only_its_real_state(path: Path) -> None:
    """07ASTANA2221 as scraped has no TAGS, SUBJECT, FM or TO lines and lost a heading between two
    dashed lines; its ID, DE line, DTG, page markers, paragraph numbers and markings agree."""
    if not path.exists():
        pytest.skip(f"{path} is not present")
    findings = _findings(path)
    assert sorted(code for code, *_ in findings) == ["H211", "H213", "H214", "S410"]
    heading = next(f for f in findings if f[0] == "S410")
    assert (heading[1], heading[2]) == (26, 27)
    header = next(f for f in findings if f[0] == "H214")
    assert header[1] == 10 and "no FM and no TO" in header[3]


def test_file_named_by_another_id(tmp_path: Path) -> None:
    text = SAMPLE_SEED.read_text(encoding="utf-8")
    renamed = tmp_path / "07ASTANA2212.txt"
    renamed.write_text(text, encoding="utf-8")
    findings = _findings(renamed, ("M103",))
    assert [(code, line) for code, line, _, _ in findings] == [("M103", 7)]
    assert "the file name says 07ASTANA2212" in findings[0][3]
    same = tmp_path / "07ASTANA2221.txt"
    same.write_text(text, encoding="utf-8")
    assert _findings(same, ("M103",)) == []


def test_rules_are_quiet_on_a_text_without_a_cable(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Nothing here but a note about cables.\n", encoding="utf-8")
    assert [f for f in _findings(path) if f[0] != "E002"] == []


@pytest.mark.parametrize(
    "line",
    [" " * 2_000_000, "-" * 2_000_000, "X" * 2_000_000, "(" * 500_000, "(Note: " * 200_000, "a" * 2_000_000],
    ids=["spaces", "dashes", "x", "parens", "notes", "word"],
)
def test_pathological_lines_stay_fast(tmp_path: Path, line: str) -> None:
    import time

    path = tmp_path / "x.txt"
    path.write_text("UNCLAS ASTANA 002221\n\n1. (SBU) Summary: text.\n" + line + "\n", encoding="utf-8")
    started = time.perf_counter()
    _findings(path)
    assert time.perf_counter() - started < 10
