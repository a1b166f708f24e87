"""``lint --fix`` and ``--diff``: lint, apply fixes, lint again until nothing more is fixable."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from .config import Settings
from .engine import FileResult, RunResult, lint_file, run
from .fixes import FixError, apply, fixable, plan

MAX_PASSES = 10


def fix_files(files: Sequence[str], settings: Settings, diff: bool = False, quiet: bool = False) -> RunResult:
    results: list[FileResult] = []
    total_fixed = 0
    for path in files:
        result = lint_file(path, settings)
        if diff:
            candidates = [f for f in result.findings if fixable(f, settings.unsafe_fixes)]
            if candidates:
                try:
                    fix_plan = plan(path, candidates, settings.unsafe_fixes)
                except FixError as exc:
                    print(f"cableschema: {exc}", file=sys.stderr)
                else:
                    sys.stdout.write(fix_plan.diff())
                    total_fixed += fix_plan.applied if fix_plan.changed else 0  # what --fix would fix
            results.append(result)
            continue
        for _ in range(MAX_PASSES):
            candidates = [f for f in result.findings if fixable(f, settings.unsafe_fixes)]
            if not candidates:
                break
            try:
                fix_plan = plan(path, candidates, settings.unsafe_fixes)
                if not fix_plan.changed:
                    break
                apply(fix_plan)
            except FixError as exc:
                print(f"cableschema: {exc}", file=sys.stderr)
                break
            total_fixed += fix_plan.applied
            result = lint_file(path, settings)
        results.append(result)
    outcome = run(files, settings, results)
    outcome.fixed = total_fixed
    if total_fixed and not quiet and not diff:
        print(f"cableschema: fixed {total_fixed} finding(s)", file=sys.stderr)
    return outcome
