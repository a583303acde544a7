"""Run independent per-file work on a process pool, with results in input order.

``run_ordered(func, context, items, jobs)`` returns ``[func(context, item) for item in items]``.
With ``jobs`` > 1 and more than ``threshold`` items the calls run in ``jobs`` worker processes
(``concurrent.futures.ProcessPoolExecutor`` with the *spawn* start method, so workers never
inherit locks or threads of the parent); otherwise, or if the pool cannot start, in this process.
Either way the result list is in the order of ``items``: output never depends on ``jobs``.

``func`` must be a module-level function and ``context``, ``items`` and the results picklable
(plain data); ``context`` is sent to each worker once, not with every item.  A worker process
keeps it in a per-process slot for the life of the pool (this module's only state, and it
exists only inside worker processes).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

__all__ = [
    "DEFAULT_THRESHOLD",
    "GC_THRESHOLDS",
    "Terminated",
    "cpu_count",
    "effective_jobs",
    "run_ordered",
    "threshold",
]

C = TypeVar("C")
T = TypeVar("T")
R = TypeVar("R")

DEFAULT_THRESHOLD = 1000  # measured break-even on 2 CPUs: ~470 files lose 0.5 s, ~4,700 gain 1.5 s

_WORKER: dict[str, Any] = {}  # inside a worker process: the context of its pool


def effective_jobs(jobs: int) -> int:
    """``jobs``, at most the number of CPUs available to this process (0: that number).

    A config file (in CI: a pull request) saying ``jobs = 48`` on a 2-CPU runner would start 48
    interpreters for no gain; more workers than CPUs never make the pass faster."""
    cpus = cpu_count()
    return cpus if jobs <= 0 else min(jobs, cpus)


def cpu_count() -> int:
    """CPUs available to this process."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def threshold() -> int:
    """Items above which a pool is used: :data:`DEFAULT_THRESHOLD`, or
    ``ENVLINT_PARALLEL_THRESHOLD`` (tests and benchmarks use it to force either way)."""
    value = os.environ.get("ENVLINT_PARALLEL_THRESHOLD", "")
    return int(value) if value.isdigit() else DEFAULT_THRESHOLD


# A run allocates millions of small objects that live to its end (syntax nodes, per-file facts);
# the default thresholds (700, 10, 10) traverse them again and again for cycles they do not form.
# Collecting 100x less often saves ~9 % of a cold run's CPU at 100 services (same peak memory).
# Set by the console entry and in each worker.
GC_THRESHOLDS = (70_000, 50, 100)


class Terminated(BaseException):
    """SIGTERM arrived (raised by the CLI's handler; a BaseException so that no ``except
    Exception`` around a rule or fact builder turns it into a finding)."""


def _init(func: Callable[..., Any], context: object) -> None:
    import gc
    import signal

    gc.set_threshold(*GC_THRESHOLDS)  # as in the parent (spawned workers start with defaults)
    # Ctrl-C reaches the whole process group: the parent handles it and ends the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER["func"] = func
    _WORKER["context"] = context


def _call_chunk(items: Sequence[Any]) -> list[Any]:
    func = _WORKER["func"]
    context = _WORKER["context"]
    return [func(context, item) for item in items]


def run_ordered(
    func: Callable[[C, T], R],
    context: C,
    items: Sequence[T],
    jobs: int,
    threshold: int = DEFAULT_THRESHOLD,
) -> list[R]:
    """``[func(context, item) for item in items]``, on ``jobs`` processes when it pays off."""
    workers = min(effective_jobs(jobs), len(items))
    if workers <= 1 or len(items) <= threshold:
        return [func(context, item) for item in items]
    try:
        return _pooled(func, context, items, workers)
    except (OSError, ImportError, RuntimeError, EOFError):
        # no processes here (sandbox, frozen app, broken pool): same answer, one process
        return [func(context, item) for item in items]


def _pooled(func: Callable[[C, T], R], context: C, items: Sequence[T], workers: int) -> list[R]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # Contiguous chunks (neighbouring files share a service, so a worker's caches stay warm),
    # small enough that the slowest chunk does not leave the other workers idle at the end.
    size = max(1, min(256, len(items) // (workers * 8) or 1))
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    ctx = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init,
                               initargs=(func, context))  # fmt: skip
    try:
        out: list[R] = []
        for result in pool.map(_call_chunk, chunks):
            out.extend(result)
    except BaseException:  # SIGTERM, Ctrl-C, a failure: no worker outlives this call
        _terminate(pool)
        raise
    pool.shutdown(wait=True)
    return out


def _terminate(pool: Any) -> None:
    """Stop a pool now: cancel what is queued and end its processes (``shutdown`` alone would
    wait for the running chunks, and a killed parent leaves its workers behind)."""
    handles = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in handles:
        process.terminate()
    for process in handles:
        process.join(timeout=2)
        if process.is_alive():
            process.kill()
            process.join(timeout=2)
