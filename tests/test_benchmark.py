"""The benchmark's own measures (benchmarks/run.py): not timings of the package, but what its
table is made of."""

from __future__ import annotations

import sys

from benchmarks.run import Measure, speed_ups, table, timed

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
