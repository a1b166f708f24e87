"""The founding example: the seed's whole report, every rule of the catalogue selected.

It has site text before and after the cable (W601, W602), a word broken across lines (T501) and a
last line cut at a bare "End" (T502); it has no TAGS, SUBJECT, FM or TO lines (H211, H213, H214)
and a heading lost between two dashed lines (S410). Nothing else: its page markers, ID, DE line,
DTG, paragraph numbers and markings agree.
"""

from __future__ import annotations

from cableschema.config import Settings
from cableschema.engine import lint_file

from .conftest import FIXTURES, SAMPLE_SEED, check_snapshot

EXPECTED = [
    ("W601", 1),
    ("H214", 10),
    ("H211", 12),
    ("H213", 12),
    ("S410", 26),
    ("T501", 88),
    ("T502", 203),
    ("W602", 206),
]


def test_the_seed_report_is_exactly_its_damage(update_snapshots: bool) -> None:
    result = lint_file(str(SAMPLE_SEED), Settings(cache=False), display_path="07ASTANA2221.scraped.txt")
    assert [(f.code, f.line) for f in result.findings] == EXPECTED
    snapshot = [f.model().model_dump(mode="json", exclude={"fingerprint"}) for f in result.findings]
    check_snapshot(FIXTURES / "snapshots" / "seed-report.json", snapshot, update_snapshots)
