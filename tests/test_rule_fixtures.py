"""Rule fixtures: ``fixtures/rules/<CODE>/`` holds files named by what they must give.

* ``bad-*``: real or realistic violations; the rule must report at least one finding;
* ``ok-*``: near misses (real variants that are not violations); the rule must stay silent.

Each file's findings for its rule (code, line, column, message) are kept as a snapshot beside it
(``<file>.snap.json``); ``pytest --update-snapshots`` rewrites them after a deliberate change.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cableschema.config import Settings
from cableschema.engine import lint_file, run
from cableschema.selection import Selection

from .conftest import FIXTURES, check_snapshot

RULE_FIXTURES = FIXTURES / "rules"


def fixture_files() -> list[Path]:
    if not RULE_FIXTURES.is_dir():
        return []
    return sorted(
        p
        for p in RULE_FIXTURES.glob("*/*")
        if p.is_file() and not p.name.endswith(".snap.json") and p.name.startswith(("bad-", "ok-"))
    )


@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_rule_fixture(path: Path, update_snapshots: bool) -> None:
    code = path.parent.name
    settings = Settings(selection=Selection(select=(code,)), cache=False)
    result = run([str(path)], settings, [lint_file(str(path), settings, display_path=path.name)])
    findings = [f for f in result.findings if f.code == code]
    if path.name.startswith("bad-"):
        assert findings, f"{code} is silent on {path.name}"
    else:
        assert not findings, f"{code} fires on the near miss {path.name}: {[f.message for f in findings]}"
    snapshot = [
        {"code": f.code, "line": f.line, "column": f.column, "end_line": f.end_line, "message": f.message}
        for f in findings
    ]
    check_snapshot(path.with_name(path.name + ".snap.json"), snapshot, update_snapshots)


def test_every_rule_with_a_check_has_fixtures() -> None:
    from cableschema.rules import load

    missing = []
    for code, rule in load().items():
        if rule.check is None:
            continue
        directory = RULE_FIXTURES / code
        names = [p.name for p in directory.iterdir()] if directory.is_dir() else []
        if not any(n.startswith("bad-") for n in names) or not any(n.startswith("ok-") for n in names):
            missing.append(code)
    assert not missing, f"rules without bad-/ok- fixtures: {missing}"
