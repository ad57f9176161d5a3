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


def print_growth(label: str, make: Callable[[object], object]) -> None:
    """A 350-question paper against a 35-question one: linear growth is 10."""
    from tests.factories import response_with_questions

    small, large = response_with_questions(35), response_with_questions(350)
    large_s, small_s, ratio = paired(lambda: make(large), lambda: make(small), runs=3)
    print(
        f"  {label}350-question paper / 35-question paper: {ratio:.2f} "
        f"({large_s * 1000:.0f} / {small_s * 1000:.0f} ms; target at most 12, linear is 10)"
    )
