"""Shared test helpers: where the real corpus is, snapshots, and small builders."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

# The compiled-pattern cache (cableschema._regex) that the suite's runs and its subprocesses write,
# in a directory of its own, removed at the end: not the user's ~/.cache.
os.environ["XDG_CACHE_HOME"] = _TEST_CACHE_HOME = tempfile.mkdtemp(prefix="cableschema-test-cache-")
atexit.register(shutil.rmtree, _TEST_CACHE_HOME, True)

# The suite is derandomized by default so that a CI run is the same run every time: a property
# that fails, fails on every machine. `pytest --hypothesis-profile=explore` draws fresh examples
# each run: do that when changing the strategies or the rules.
settings.register_profile("default", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False, database=None)
settings.load_profile("default")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SAMPLE = FIXTURES / "sample"
SHARED = Path(os.environ.get("CABLESCHEMA_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus"
SEED = SHARED / "seed" / "07ASTANA2221.scraped.txt"
SAMPLE_SEED = SAMPLE / "text" / "07ASTANA2221.scraped.txt"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-snapshots",
        action="store_true",
        default=False,
        help="rewrite snapshot files from the current output instead of comparing",
    )


@pytest.fixture
def update_snapshots(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-snapshots"))


def corpus_files() -> list[Path]:
    """Every data file of ../shared/corpus (empty when it is absent)."""
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.name not in ("INDEX.tsv", "SOURCES.md"))


requires_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")


def check_snapshot(path: Path, actual: Any, update: bool) -> None:
    """Compare ``actual`` (JSON-able) with the snapshot at ``path``; write it when updating."""
    rendered = json.dumps(actual, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
    if update or not path.exists():
        if not update:
            pytest.fail(f"snapshot {path.relative_to(ROOT)} is missing; run pytest --update-snapshots")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(rendered, encoding="utf-8")
        return
    expected = path.read_text(encoding="utf-8")
    if expected != rendered:
        assert json.loads(expected) == actual, f"snapshot {path.relative_to(ROOT)} differs"


def sample_files() -> Iterator[Path]:
    for path in sorted(SAMPLE.rglob("*")):
        if path.is_file() and path.name != "SOURCES.md":
            yield path


@pytest.fixture(autouse=True)
def _work_in_a_temporary_directory(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs write their cache next to the working directory: never into the checkout."""
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))
