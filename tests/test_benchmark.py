"""The benchmark's own measures (benchmarks/run.py): not timings of the package, but what its
table is made of."""

from __future__ import annotations

import sys

from benchmarks.run import Growth, Measure, speed_ups, table, targets, timed

#: A child that forks a grandchild, waits for it, and prints the CPU seconds the grandchild spent:
#: the tree's CPU that :func:`timed` reports holds the grandchild's (a run's workers).
_TREE = """
import os, sys, time
pid = os.fork()
if pid == 0:
    total = 0
    for number in range(3_000_000):
        total += number * number
    os.write(1, f"{time.process_time()}".encode())
    os._exit(0)
os.waitpid(pid, 0)
"""


def test_timed_counts_the_cpu_of_the_whole_process_tree() -> None:
    seconds, peak, out, _, cpu = timed([sys.executable, "-c", _TREE], sample=False)
    grandchild = float(out)
    assert grandchild > 0.05
    assert cpu >= grandchild
    assert peak == 0.0  # not sampled
    assert seconds > 0


def _measure(run: str, seconds: float, cpu: float) -> Measure:
    return Measure("c", run, seconds, 10.0, files=1, cables=100, lines=1000, megabytes=1.0, runs=4, cpu_seconds=cpu)


def test_speed_up_of_the_parallel_run_and_the_cpus_it_kept_busy() -> None:
    measures = [
        _measure("floor: read + split lines", 0.1, 0.1),
        _measure("cold, --jobs 1", 2.0, 1.9),
        _measure("cold, --jobs 2", 1.0, 1.8),
        _measure("warm, --jobs 2", 0.1, 0.1),
    ]
    assert speed_ups(measures).splitlines() == [
        "",
        "parallel speed-up, cold:",
        "c: --jobs 2 2.00 times as fast as --jobs 1, 1.80 CPUs busy on average (1.80 s of CPU against 1.90 s)",
    ]
    rows = table(measures).splitlines()
    assert rows[0].split()[5:7] == ["CPU", "s"]
    assert rows[4].split()[4:7] == ["1.00", "10.00", "1.80"]  # seconds, x floor, CPU s


def test_no_speed_up_without_both_cold_runs() -> None:
    measures = [_measure("floor: read + split lines", 0.1, 0.1), _measure("cold, --jobs 2", 1.0, 1.8)]
    assert speed_ups(measures) == ""


def _row(corpus: str, run: str, seconds: float, peak: float = 0.0, cables: int = 100) -> Measure:
    return Measure(corpus, run, seconds, peak, files=1, cables=cables, lines=1000, megabytes=1.0, runs=1)


def test_targets_met_and_missed_with_how_far_over() -> None:
    measures = [
        _row("shared/corpus", "floor: read + split lines", 0.125),
        _row("shared/corpus", "cold, --jobs 1", 2.2),
        _row("shared/corpus", "cold, --jobs 2", 1.3),  # 10.4 times the floor: missed
        _row("shared/corpus", "warm, --jobs 2", 0.1),
        _row("generated 250,000", "floor: read + split lines", 6.0, cables=250_000),
        _row("generated 250,000", "cold, --jobs 2", 100.0, peak=260.0, cables=250_000),
        _row("one 200 MB JSONL", "floor: read + split lines", 0.5),
        _row("one 200 MB JSONL", "cold, --jobs 2", 9.0, peak=310.0),  # over 300 MB: missed
    ]
    growth = [Growth("generated 250,000", 250_000, 100.0, 10_000, 4.0, 4.0)]  # 0.4 ms both: 0%
    assert targets(measures, growth).splitlines() == [
        "",
        "targets:",
        "  MISSED  the real corpus within 10 times its floor: 10.40 times (1.300 s against 0.1250 s); 4.0% over",
        "  met     250,000 cables in under 120 s: 100.00 s (2,500 cables/s)",
        "  met     250,000 cables' peak under 500 MB: 260 MB",
        "  met     generated 250,000 a cable within 20% of 10,000, in turn: +0.0%",
        "  met     shared/corpus warm within 10% of cold: 7.7% (0.10 s against 1.30 s)",
        "  MISSED  one 200 MB JSON Lines file's peak under 300 MB: 310 MB; 3.3% over",
    ]


def test_a_growth_either_way_past_a_fifth_is_missed() -> None:
    slower = Growth("generated 50,000", 50_000, 25.0, 10_000, 4.0, 4.0)  # 0.5 ms against 0.4: +25%
    faster = Growth("generated 250,000", 250_000, 70.0, 10_000, 4.0, 4.0)  # 0.28 ms: -30%
    lines = targets([], [slower, faster]).splitlines()
    assert lines[2].startswith("  MISSED  generated 50,000 a cable within 20% of 10,000, in turn: +25.0%; ")
    assert lines[3].startswith("  MISSED  generated 250,000 a cable within 20% of 10,000, in turn: -30.0%; ")


def test_no_targets_without_their_measurements() -> None:
    assert targets([_row("generated 10,000", "cold, --jobs 2", 3.0)], []) == ""
