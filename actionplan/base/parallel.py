"""Runs one function over many items on every core, results in the items' order: parsing, checking and rendering
are thousands of independent small jobs, and one Python process uses one core."""
from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

MIN_ITEMS_PER_WORKER = 64
"""Below this many items per core, starting the workers costs more than it saves."""

_job: tuple[Callable, Sequence] | None = None
"""The function and items of the running map: forked workers inherit them instead of receiving them pickled."""


def cores() -> int:
    """Return how many cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def ordered_map(function: Callable[[Item], Result], items: Sequence[Item], workers: int | None = None,
                per_worker: int | None = None) -> list[Result]:
    """Return ``[function(item) for item in items]``, computed by ``workers`` forked processes (default: one per
    core), each given ``per_worker`` items at least (default ``MIN_ITEMS_PER_WORKER``; fewer, where each item is long
    work). The results must pickle; ``function`` and ``items`` need not, as the workers are forks."""
    workers = min(workers or cores(), len(items) // (per_worker or MIN_ITEMS_PER_WORKER))
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [function(item) for item in items]
    global _job
    _job = (function, items)
    # Many small slices, handed out as workers free up: pages differ a hundredfold in size.
    size = max(1, len(items) // (workers * 16))
    slices = [(start, min(start + size, len(items))) for start in range(0, len(items), size)]
    # A worker sets aside the heap it inherits: a collection would walk all of it, and copy every page it touched.
    # concurrent.futures, not multiprocessing.Pool: a worker that dies (killed, out of memory) breaks the pool and
    # the map raises, where a Pool would wait for its results forever.
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"), initializer=gc.freeze)
    try:
        parts = list(pool.map(_run_slice, slices))
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    finally:
        _job = None
    pool.shutdown()
    return [result for part in parts for result in part]


def _run_slice(bounds: tuple[int, int]) -> list:
    function, items = _job  # type: ignore[misc]
    return [function(items[index]) for index in range(*bounds)]
