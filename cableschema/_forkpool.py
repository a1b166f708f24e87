"""The worker processes of a parallel run where the system forks: ``os.fork`` and two pipes a
worker, in place of :class:`concurrent.futures.ProcessPoolExecutor`.

Importing ``concurrent.futures.process`` (with ``multiprocessing``, ``logging``, ``socket`` and
``queue``) took 14-20 ms at the start of every parallel run, before any worker could begin: more
than 1% of a run of the real corpus. Its manager and queue-feeder threads and its shutdown cost a
few ms more. This module needs only what a run has imported already.

- Each worker is forked from the running process: it starts with the rules, the parser and the
  settings that process has loaded, as the executor's forked workers did.
- A worker holds at most two tasks: the one it runs and the next. The others wait here and go to
  the first worker that returns a result, so a worker held up by a large file does not keep
  tasks another could run.
- A message is its length (8 bytes) and a pickle. Results are read while tasks are written, so
  neither side can block the other on a full pipe.
- A worker that dies (killed for its memory, a crash in a library) closes its result pipe. Each
  task not yet done then raises :class:`WorkerDied`, and the pool takes no more, as a broken
  ``ProcessPoolExecutor`` does.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any

#: Where runs use this pool. Elsewhere the executor: Windows cannot fork, and on macOS a forked
#: process may not use some of the system's libraries (the executor spawns there).
AVAILABLE = sys.platform.startswith("linux") and hasattr(os, "fork") and hasattr(select, "poll")

_HEADER = 8
#: What one read takes from a pipe at most (a pipe holds 64 KB unless it was made larger).
_READ = 1 << 16
#: Tasks a worker holds at once: the one it runs, and the next, ready when it is done.
_HELD = 2


class WorkerDied(Exception):
    """A worker ended before it returned the result of a task it had been given."""


class Pending:
    """The result of one task: :meth:`result` waits for it."""

    def __init__(self, pool: ForkPool, message: bytes) -> None:
        self._pool = pool
        self.message: bytes | None = message  # let go once written
        self.outcome: tuple[bool, Any] | None = None

    def result(self) -> Any:
        while self.outcome is None:
            self._pool._step()
        ok, value = self.outcome
        if ok:
            return value
        raise value

    def done(self) -> bool:
        return self.outcome is not None


def wait_first(pending: list[Pending]) -> None:
    """Wait until one of ``pending`` is done (or failed). Those not done are of one pool: a pool
    that breaks fails every task it holds, so those of an earlier one are all done."""
    if pending and all(task.outcome is None for task in pending):
        pool = pending[0]._pool
        while all(task.outcome is None for task in pending):
            pool._step()


class _Worker:
    def __init__(self, pid: int, tasks: int, results: int) -> None:
        self.pid = pid
        self.tasks = tasks  # the write end of its task pipe (non-blocking)
        self.results = results  # the read end of its result pipe
        self.held: deque[Pending] = deque()  # given, result not yet read, in the order given
        self.unwritten = memoryview(b"")  # what is left to write of the last task given
        self.received = bytearray()  # result bytes read, not yet a whole message


class ForkPool:
    """``jobs`` forked workers, each running ``initializer(*initargs)`` first."""

    def __init__(self, jobs: int, initializer: Callable[..., None], initargs: tuple[Any, ...] = ()) -> None:
        if jobs < 1:  # (no worker would ever take a task, and a result would be waited for forever)
            raise ValueError(f"a pool of {jobs} workers")
        self._workers: list[_Worker] = []
        self._queue: deque[Pending] = deque()  # submitted, not yet given to a worker
        self._broken = False
        try:
            for _ in range(jobs):
                self._workers.append(self._fork(initializer, initargs))
        except BaseException:
            self.terminate()
            raise

    def _fork(self, initializer: Callable[..., None], initargs: tuple[Any, ...]) -> _Worker:
        task_read, task_write = os.pipe()
        result_read, result_write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker: it never returns from here
            code = 1
            try:
                for other in self._workers:  # held here, another's task pipe ends only when this exits
                    os.close(other.tasks)
                    os.close(other.results)
                os.close(task_write)
                os.close(result_read)
                initializer(*initargs)
                _serve(task_read, result_write)
                code = 0
            finally:
                os._exit(code)
        os.close(task_read)
        os.close(result_write)
        os.set_blocking(task_write, False)
        return _Worker(pid, task_write, result_read)

    def submit(self, function: Callable[..., Any], /, *args: Any) -> Pending:
        """Run ``function(*args)`` in a worker. Raises :class:`WorkerDied` once one has died."""
        if self._broken:
            raise WorkerDied("a worker process died: the pool takes no more tasks")
        pending = Pending(self, _message((function, args)))
        self._queue.append(pending)
        self._give()
        return pending

    def _give(self) -> None:
        """Give waiting tasks to the workers with room, and write what the pipes take now."""
        for worker in self._workers:
            while self._queue and len(worker.held) < _HELD and not worker.unwritten:
                pending = self._queue.popleft()
                worker.held.append(pending)
                assert pending.message is not None
                worker.unwritten = memoryview(pending.message)
                pending.message = None
                self._write(worker)

    def _write(self, worker: _Worker) -> None:
        """Write what the worker's task pipe takes now of the task it was given last."""
        try:
            while worker.unwritten:
                worker.unwritten = worker.unwritten[os.write(worker.tasks, worker.unwritten) :]
        except BlockingIOError:  # the pipe is full: the rest when it takes more (see _step)
            pass
        except OSError:  # the worker is gone: its result pipe says so when it is read
            worker.unwritten = memoryview(b"")

    def _step(self) -> None:
        """Wait until a worker returns a result (or dies), or its pipe takes more of a task; take
        it in. (``poll``, not ``select``: no limit on the descriptors' numbers.)"""
        if self._broken:
            self._fail(WorkerDied("the pool was shut down"))
            return
        poller = select.poll()
        for worker in self._workers:
            poller.register(worker.results, select.POLLIN)
            if worker.unwritten:
                poller.register(worker.tasks, select.POLLOUT)
        ready = dict(poller.poll())
        for worker in self._workers:
            if worker.tasks in ready and worker.unwritten:
                self._write(worker)
            if worker.results in ready:
                try:
                    data = os.read(worker.results, _READ)
                except OSError:
                    data = b""
                if not data:
                    self._broken = True
                    self._fail(WorkerDied(f"worker process {worker.pid} died"))
                    return
                self._take(worker, data)
        self._give()

    def _take(self, worker: _Worker, data: bytes) -> None:
        """Read the whole results in ``data`` (and what came before it) into their tasks."""
        worker.received += data
        for outcome in _whole_messages(worker.received):
            worker.held.popleft().outcome = outcome

    def _fail(self, failure: Exception) -> None:
        """Every task not done fails with ``failure``."""
        for worker in self._workers:
            for pending in worker.held:
                pending.outcome = (False, failure)
            worker.held.clear()
        for pending in self._queue:
            pending.outcome = (False, failure)
        self._queue.clear()

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        """End the workers once their tasks are done (``wait``: wait for them to exit). With
        ``cancel_futures``, tasks not done are dropped and the workers ended now."""
        if self._broken or (cancel_futures and (self._queue or any(worker.held for worker in self._workers))):
            self.terminate()
            return
        while self._queue or any(worker.held for worker in self._workers):
            self._step()  # (what is left is done first, as the executor does)
        workers, self._workers, self._broken = self._workers, [], True
        for worker in workers:
            with contextlib.suppress(OSError):
                os.close(worker.tasks)  # the worker reads the end of its tasks and exits
        for worker in workers:
            with contextlib.suppress(OSError):
                os.close(worker.results)
            if wait:
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(worker.pid, 0)

    def terminate(self) -> None:
        """End every worker now (SIGTERM, then SIGKILL after a second) and wait for each."""
        self._fail(WorkerDied("the pool was shut down"))
        workers, self._workers, self._broken = self._workers, [], True
        for worker in workers:
            for fd in (worker.tasks, worker.results):
                with contextlib.suppress(OSError):
                    os.close(fd)
            with contextlib.suppress(OSError):
                os.kill(worker.pid, signal.SIGTERM)
        deadline = time.monotonic() + 1.0
        for worker in workers:
            while True:
                try:
                    pid, _ = os.waitpid(worker.pid, os.WNOHANG)
                except ChildProcessError:
                    break
                if pid:
                    break
                if time.monotonic() > deadline:
                    with contextlib.suppress(OSError):
                        os.kill(worker.pid, signal.SIGKILL)
                    with contextlib.suppress(ChildProcessError):
                        os.waitpid(worker.pid, 0)
                    break
                time.sleep(0.005)


def _message(value: object) -> bytes:
    """``value`` as a message: the length of its pickle (8 bytes), then the pickle."""
    data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    return len(data).to_bytes(_HEADER, "little") + data


def _whole_messages(received: bytearray) -> Iterator[Any]:
    """The values of the whole messages at the start of ``received``, each taken out of it as it
    is read (what is left is the start of a message still to come)."""
    while len(received) >= _HEADER:
        end = _HEADER + int.from_bytes(received[:_HEADER], "little")
        if len(received) < end:
            return
        value = pickle.loads(received[_HEADER:end])
        del received[:end]
        yield value


def _serve(tasks: int, results: int) -> None:
    """A worker's loop: read a task, run it, write its outcome; until its task pipe ends."""
    received = bytearray()
    while data := os.read(tasks, _READ):
        received += data
        for function, args in _whole_messages(received):
            try:
                outcome: tuple[bool, Any] = (True, function(*args))
            except Exception as exc:  # raised by Pending.result, as a future would
                outcome = (False, exc)
            try:
                message = _message(outcome)
            except Exception as exc:  # an outcome that cannot be pickled: said, not a dead worker
                message = _message((False, RuntimeError(f"a worker's result cannot be pickled: {exc}")))
            unwritten = memoryview(message)
            while unwritten:
                unwritten = unwritten[os.write(results, unwritten) :]
