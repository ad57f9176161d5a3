"""Timing for the benchmarks: two things measured alternately, so a noisy machine
slows both alike, and compared by the median of their pairwise ratios."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def seconds(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def paired(
    a: Callable[[], object], b: Callable[[], object], runs: int = 7
) -> tuple[float, float, float]:
    """Medians of a and b, and the median of the pairwise ratios a/b."""
    times_a, times_b, ratios = [], [], []
    for _ in range(runs):
        ta, tb = seconds(a), seconds(b)
        times_a.append(ta)
        times_b.append(tb)
        ratios.append(ta / tb)
    return statistics.median(times_a), statistics.median(times_b), statistics.median(ratios)
