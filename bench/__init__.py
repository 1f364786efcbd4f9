"""Benchmarks of RedPinar with a province's worth of data: `make bench` (see docs/benchmarks.md)."""
import math
import os

PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUTPUT_DIR = os.path.join(PROJECT_ROOT, "bench", "output")


def median_and_p95(durations):
    """(median, 95th percentile) of some durations; None for both when there are none."""
    # Nearest-rank percentile: the p95 is always a time that was really measured.
    if not durations:
        return None, None
    ordered = sorted(durations)
    middle = len(ordered) // 2
    median = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    return median, ordered[math.ceil(0.95 * len(ordered)) - 1]
