"""Runs one function over many items on every core, results in the items' order: parsing, checking and rendering
are thousands of independent small jobs, and one Python process uses one core."""
from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

MIN_ITEMS_PER_WORKER = 64
"""Below this many items per core, starting the workers costs more than it saves."""

_job: tuple[Callable, Sequence, list[tuple[int, int]], object] | None = None
"""The function, items, slices and next-slice counter of the running map: forked workers inherit them instead of
receiving them pickled."""


def cores() -> int:
    """Return how many cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def ordered_map(function: Callable[[Item], Result], items: Sequence[Item], workers: int | None = None) -> list[Result]:
    """Return ``[function(item) for item in items]``, computed by this process and ``workers - 1`` forked ones
    (default: one in all per core). The results must pickle; ``function`` and ``items`` need not, as the workers
    are forks."""
    workers = min(workers or cores(), len(items) // MIN_ITEMS_PER_WORKER)
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [function(item) for item in items]
    global _job
    context = multiprocessing.get_context("fork")
    # Many small slices, taken in turn as each process frees up: pages differ a hundredfold in size.
    size = max(1, len(items) // (workers * 16))
    slices = [(start, min(start + size, len(items))) for start in range(0, len(items), size)]
    _job = (function, items, slices, context.Value("i", 0))
    try:
        # This process works too instead of waiting: its results need no pickling, and a fork's memory (which
        # counts whole in each process's resident size) is counted once less.
        with context.Pool(workers - 1) as pool:
            # A task per slice, so that the workers send each slice's results as it is done, not all at the end.
            theirs = [pool.apply_async(_run_next_slice) for _ in slices]
            done = dict(iter(_run_next_slice, None))
            done.update(taken for part in theirs if (taken := part.get()) is not None)
    finally:
        _job = None
    return [result for index in range(len(slices)) for result in done[index]]


def _run_next_slice() -> tuple[int, list] | None:
    """Return the number and results of the next slice no process has taken yet, or None when none is left."""
    function, items, slices, taken = _job  # type: ignore[misc]
    with taken.get_lock():  # type: ignore[attr-defined]
        index = taken.value  # type: ignore[attr-defined]
        taken.value += 1  # type: ignore[attr-defined]
    if index >= len(slices):
        return None
    start, end = slices[index]
    return index, [function(items[position]) for position in range(start, end)]
