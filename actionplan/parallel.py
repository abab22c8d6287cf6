"""Runs one function over many items on every core, results in the items' order: parsing, checking and rendering
are thousands of independent small jobs, and one Python process uses one core."""
from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Sequence
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


def ordered_map(function: Callable[[Item], Result], items: Sequence[Item], workers: int | None = None) -> list[Result]:
    """Return ``[function(item) for item in items]``, computed by ``workers`` forked processes (default: one per
    core). The results must pickle; ``function`` and ``items`` need not, as the workers are forks."""
    workers = min(workers or cores(), len(items) // MIN_ITEMS_PER_WORKER)
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [function(item) for item in items]
    global _job
    _job = (function, items)
    try:
        # A worker sets aside the heap it inherits: a collection would walk all of it, and copy every page it touched.
        with multiprocessing.get_context("fork").Pool(workers, initializer=gc.freeze) as pool:
            parts = pool.map(_run_slice, _slices(len(items), workers), chunksize=1)
    finally:
        _job = None
    return [result for part in parts for result in part]


class MapLater:
    """``ordered_map`` started on forked processes, so that this process can meanwhile go on, with other workers of
    its own; used as a context manager, which stops the workers if the results were not waited for."""

    def __init__(self, function: Callable[[Item], Result], items: Sequence[Item], workers: int = 1) -> None:
        self._function, self._items, self._pool, self._pending = function, items, None, None
        workers = min(workers, len(items) // MIN_ITEMS_PER_WORKER)
        if workers < 1 or "fork" not in multiprocessing.get_all_start_methods():
            return  # done when the results are asked for
        global _job
        _job = (function, items)
        try:
            # The workers are forked here, with the job: _job is then free for the maps this process runs meanwhile.
            self._pool = multiprocessing.get_context("fork").Pool(workers, initializer=gc.freeze)
        finally:
            _job = None
        self._pending = self._pool.map_async(_run_slice, _slices(len(items), workers), chunksize=1)

    def results(self) -> list:
        """Wait for the results and return them, in the items' order."""
        if self._pending is None:
            return [self._function(item) for item in self._items]
        try:
            return [result for part in self._pending.get() for result in part]
        finally:
            self._stop()

    def _stop(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None

    def __enter__(self) -> MapLater:
        return self

    def __exit__(self, *exc) -> None:
        self._stop()


def _slices(count: int, workers: int) -> list[tuple[int, int]]:
    """Return bounds of many small slices of ``count`` items, handed out as workers free up: pages differ a
    hundredfold in size."""
    size = max(1, count // (workers * 16))
    return [(start, min(start + size, count)) for start in range(0, count, size)]


def _run_slice(bounds: tuple[int, int]) -> list:
    function, items = _job  # type: ignore[misc]
    return [function(items[index]) for index in range(*bounds)]
