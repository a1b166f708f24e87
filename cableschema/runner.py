"""Running the engine over many files: the order of results, progress, and the cache.

Results come back sorted by path (then record) whatever the number of workers.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from .config import Settings, find_config
from .engine import FileResult, RunResult, lint_file, run


def lint_paths(files: Sequence[str], settings: Settings, quiet: bool = False) -> RunResult:
    """Lint the given files (already discovered) and run the corpus rules."""
    results: list[FileResult] = [lint_file(path, settings) for path in files]
    return run(files, settings, results)


def clean_cache(paths: Sequence[str]) -> list[str]:
    """Remove the cache directories that runs over ``paths`` would use."""
    removed: list[str] = []
    config = find_config(paths)
    candidates = [Path.cwd() / ".cableschema_cache"]
    if config is not None:
        candidates.insert(0, config.parent / ".cableschema_cache")
    for candidate in candidates:
        if candidate.is_dir():
            try:
                shutil.rmtree(candidate)
                removed.append(str(candidate))
            except OSError as exc:
                print(f"cableschema: cannot remove {candidate}: {exc.strerror or exc}", file=sys.stderr)
    return removed
