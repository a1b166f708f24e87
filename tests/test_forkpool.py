"""The fork pool (cableschema._forkpool) on its own: results in order, large messages both ways,
errors, a worker that dies, balance between workers, and ending them."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cableschema import _forkpool
from cableschema._forkpool import ForkPool, WorkerDied

pytestmark = pytest.mark.skipif(not _forkpool.AVAILABLE, reason="the fork pool is used on Linux only")


@pytest.fixture(autouse=True)
def _bounded() -> Iterator[None]:
    """A pool that hangs (a pipe left open, a deadlock) fails its test instead of the run."""

    def hung(signum: int, frame: object) -> None:
        raise TimeoutError("the pool hung")

    before = signal.signal(signal.SIGALRM, hung)
    signal.alarm(60)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, before)


_STATE: dict[str, object] = {}


def _remember(value: object) -> None:
    _STATE["initialized"] = value


def _initialized(_: object = None) -> object:
    return _STATE.get("initialized")


def _square(number: int) -> int:
    return number * number


def _pid_after(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def _echo_size(data: bytes) -> tuple[int, bytes]:
    return len(data), data[:3] * 500_000  # 1.5 MB back for a large task: both pipes overfill


def _fail(message: str) -> None:
    raise ValueError(message)


def _unpicklable(_: object) -> object:
    return lambda: None


def _die(_: object) -> None:
    os._exit(7)


def _children() -> set[int]:
    """This process's child processes, live or not yet waited for (from /proc)."""
    return _children_of(os.getpid(), zombies=True)


def test_results_come_back_for_each_task_whatever_the_worker() -> None:
    before = _children()
    pool = ForkPool(3, _remember, ("set in each worker",))
    pending = [pool.submit(_square, number) for number in range(200)]
    assert [each.result() for each in pending] == [number * number for number in range(200)]
    assert pool.submit(_initialized).result() == "set in each worker"
    pool.shutdown()
    assert _children() == before  # every worker exited and was waited for


def test_large_tasks_and_results_do_not_block_either_side() -> None:
    pool = ForkPool(2, _remember, (None,))
    data = b"abc" * 1_000_000  # 3 MB a task, 1.5 MB a result, against 64 KB pipes
    pending = [pool.submit(_echo_size, data) for _ in range(6)]
    assert all(each.result() == (len(data), b"abc" * 500_000) for each in pending)
    pool.shutdown()


def test_an_exception_in_a_task_is_raised_by_its_result_and_the_pool_goes_on() -> None:
    pool = ForkPool(2, _remember, (None,))
    failing = pool.submit(_fail, "a bad task")
    after = pool.submit(_square, 7)
    with pytest.raises(ValueError, match="a bad task"):
        failing.result()
    assert after.result() == 49
    with pytest.raises(RuntimeError, match="cannot be pickled"):
        pool.submit(_unpicklable, None).result()
    assert pool.submit(_square, 8).result() == 64
    pool.shutdown()


def test_a_worker_that_dies_fails_what_is_not_done_and_the_pool_takes_no_more() -> None:
    before = _children()
    pool = ForkPool(2, _remember, (None,))
    done = pool.submit(_square, 3)
    assert done.result() == 9
    dying = pool.submit(_die, None)
    time.sleep(0.3)  # dead, and not yet known to be: tasks given it now meet a closed pipe
    after = [pool.submit(_square, number) for number in range(4)]
    with pytest.raises(WorkerDied):
        dying.result()
    for each in after:
        with pytest.raises(WorkerDied):
            each.result()
    with pytest.raises(WorkerDied):
        pool.submit(_square, 4)
    assert done.result() == 9  # a result taken before stays
    pool.shutdown(wait=False, cancel_futures=True)
    assert _children() == before


def test_a_worker_held_up_by_a_long_task_leaves_the_waiting_tasks_to_the_other() -> None:
    pool = ForkPool(2, _remember, (None,))
    slow = pool.submit(_pid_after, 1.5)
    quick = [pool.submit(_pid_after, 0.01) for _ in range(20)]
    pids = [each.result() for each in quick]
    slow_pid = slow.result()
    # The slow worker holds the one task given it next; the 19 others go to the other worker.
    assert sum(pid != slow_pid for pid in pids) >= 19
    pool.shutdown()


def test_wait_first_returns_once_any_task_is_done() -> None:
    pool = ForkPool(2, _remember, (None,))
    slow = pool.submit(_pid_after, 1.5)
    behind = pool.submit(_square, 2)  # the slow worker's next task, held by it
    quick = pool.submit(_square, 3)  # the other worker's
    started = time.monotonic()
    _forkpool.wait_first([slow, behind, quick])
    assert quick.done() and not slow.done() and not behind.done()
    assert time.monotonic() - started < 1.0
    _forkpool.wait_first([slow, behind, quick])  # one done already: no wait
    assert not slow.done()
    assert isinstance(slow.result(), int) and behind.result() == 4
    pool.shutdown()


def test_a_pool_of_no_workers_is_refused() -> None:
    with pytest.raises(ValueError, match="0 workers"):
        ForkPool(0, _remember, (None,))


def test_terminate_ends_a_worker_stuck_in_a_task() -> None:
    before = _children()
    pool = ForkPool(2, _remember, (None,))
    stuck = pool.submit(_pid_after, 300)
    time.sleep(0.2)
    started = time.monotonic()
    pool.terminate()
    assert time.monotonic() - started < 5
    assert _children() == before
    with pytest.raises(WorkerDied):
        stuck.result()


def test_shutdown_finishes_the_tasks_given() -> None:
    pool = ForkPool(2, _remember, (None,))
    pending = [pool.submit(_pid_after, 0.05) for _ in range(6)]
    pool.shutdown(wait=True)
    assert all(isinstance(each.result(), int) for each in pending)


def test_a_worker_holds_no_other_workers_pipes() -> None:
    """Each worker closes the pipes of those forked before it. Held open there, a worker's task
    pipe would end only when every later worker had exited."""
    pool = ForkPool(4, _remember, (None,))
    pending = [pool.submit(_pid_after, 0.2) for _ in range(8)]
    assert len({each.result() for each in pending}) == 4  # each worker took tasks
    pipes = {worker.pid: {os.fstat(worker.tasks).st_ino, os.fstat(worker.results).st_ino} for worker in pool._workers}
    for pid, own in pipes.items():
        held = set()
        for fd in os.listdir(f"/proc/{pid}/fd"):
            with contextlib.suppress(OSError):
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
                if target.startswith("pipe:["):
                    held.add(int(target[6:-1]))
        others = set().union(*(inodes for other, inodes in pipes.items() if other != pid))
        assert own <= held
        assert not held & others
    pool.shutdown(wait=True)


def test_workers_do_not_outlive_a_run_that_is_killed(tmp_path: Path) -> None:
    """Killed (SIGKILL: no clean-up of its own), a run's workers end too, within a batch: a task
    pipe that ends, or a result nobody reads. The executor's workers waited for work forever,
    holding the caller's standard output and error open (a CI step that reads them hung)."""
    from .conftest import SAMPLE

    page = (SAMPLE / "html" / "07BERN881.html").read_bytes()
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for index in range(600):
        (corpus / f"{index:04d}.html").write_bytes(page)
    run = subprocess.Popen(
        [sys.executable, "-m", "cableschema", "lint", str(corpus), "--isolated", "--no-cache", "--jobs", "2", "-q"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
    )
    deadline = time.monotonic() + 30
    while len(_children_of(run.pid)) < 2 and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    workers = _children_of(run.pid)
    assert len(workers) == 2, "the run ended or never forked its workers"
    time.sleep(0.2)  # the workers are linting
    run.kill()
    run.communicate(timeout=30)  # the pipes end: no worker holds them open
    for pid in workers:
        while os.path.exists(f"/proc/{pid}") and time.monotonic() < deadline:
            time.sleep(0.01)
        assert not os.path.exists(f"/proc/{pid}")


def _children_of(parent: int, zombies: bool = False) -> set[int]:
    found = set()
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat", encoding="ascii") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[1] == str(parent) and (zombies or fields[0] != "Z"):
                found.add(int(name))
    return found
