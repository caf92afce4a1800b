"""Worker processes that share the machine's cores between validation and black.

Both jobs are pure Python and CPU-bound, so threads would queue on the GIL. On Linux
the workers are forked: they start in a few milliseconds and inherit the loaded spec,
which would otherwise take up to half a second to pickle for a large spec.
"""

from __future__ import annotations

import itertools
import logging
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

__all__ = ["Workers", "available_cores", "start_workers"]

log = logging.getLogger(__name__)

T = TypeVar("T")

# Work registered before the workers fork; a worker finds it here by number, so the
# arguments are never pickled.
_INHERITED: dict[int, tuple[Callable[..., Any], tuple[Any, ...]]] = {}
_TOKENS = itertools.count()


def available_cores() -> int:
    """Count the cores this process may run on (the affinity mask, where the OS has one)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _ignore_interrupt() -> None:
    # Ctrl-C reaches the whole process group; the parent handles it and stops the
    # workers, so they stay quiet instead of each printing a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run_inherited(token: int) -> Any:
    function, args = _INHERITED[token]
    return function(*args)


class Workers:
    """A process pool plus a way to hand work to it without pickling the arguments.

    Args:
        executor: the pool, or None to run everything in the calling process.
        jobs: the number of worker processes.
        forks: whether the pool forks, so that work registered before the first
            submission reaches the workers by inheritance.
    """

    def __init__(self, executor: Executor | None, jobs: int, forks: bool) -> None:
        self.executor = executor
        self.jobs = jobs if executor is not None else 1
        self.forks = forks
        self.started = False
        self._tokens: list[int] = []

    @property
    def parallel(self) -> bool:
        return self.executor is not None

    def submit(self, function: Callable[..., T], *args: Any) -> Future[T]:
        """Run a module-level function in a worker; arguments and result are pickled."""
        if self.executor is None:
            return _completed(function, *args)
        self.started = True
        return self.executor.submit(function, *args)

    def submit_inherited(self, function: Callable[..., T], *args: Any) -> Future[T]:
        """Run a function whose arguments a forked worker inherits instead of unpickling.

        Only the first submissions to a forking pool can use inheritance, because the
        workers fork then; later ones fall back to pickling the arguments.
        """
        if self.executor is None:
            return _completed(function, *args)
        if not self.forks or self.started:
            return self.submit(function, *args)
        token = next(_TOKENS)
        _INHERITED[token] = (function, args)
        self._tokens.append(token)
        return self.submit(_run_inherited, token)

    def close(self, cancel: bool) -> None:
        """Stop the workers; with `cancel`, drop queued work and end running work too."""
        if self.executor is not None and cancel:
            # Nothing waits for the results any more, so a running validation or
            # black chunk is ended instead of being waited for.
            processes = list(getattr(self.executor, "_processes", {}).values())
            self.executor.shutdown(wait=False, cancel_futures=True)
            for process in processes:
                process.terminate()
            for process in processes:
                process.join()
        elif self.executor is not None:
            self.executor.shutdown(wait=True)
        for token in self._tokens:
            _INHERITED.pop(token, None)


def _completed(function: Callable[..., T], *args: Any) -> Future[T]:
    future: Future[T] = Future()
    try:
        future.set_result(function(*args))
    except BaseException as exc:
        future.set_exception(exc)
        if not isinstance(exc, Exception):
            raise
    return future


@contextmanager
def start_workers(jobs: int | None = None) -> Iterator[Workers]:
    """Yield a pool of `jobs` processes (default: one per available core).

    With one job, or where worker processes cannot be started, the work runs in the
    calling process instead, with the same results.
    """
    jobs = available_cores() if jobs is None else jobs
    workers = Workers(None, 1, forks=False)
    if jobs > 1:
        workers = _make_pool(jobs)
    try:
        yield workers
    except BaseException:
        workers.close(cancel=True)
        raise
    workers.close(cancel=False)


def _make_pool(jobs: int) -> Workers:
    # fork is safe only while this process has a single thread. A lock that another
    # thread holds at fork time stays locked forever in the child.
    forks = (
        sys.platform == "linux"
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
    )
    context = multiprocessing.get_context("fork" if forks else None)
    try:
        executor = ProcessPoolExecutor(
            max_workers=jobs, mp_context=context, initializer=_ignore_interrupt
        )
    except (OSError, NotImplementedError, ImportError) as exc:
        # Some sandboxes lack the semaphores multiprocessing needs.
        log.info("running in one process: cannot start worker processes: %s", exc)
        return Workers(None, 1, forks=False)
    return Workers(executor, jobs, forks=forks)
