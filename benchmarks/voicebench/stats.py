"""Medians, 95th percentiles and ratios: the numbers every figure of the report is made of.

Nearest-rank percentiles: with the few dozen turns a run has, an interpolated p95 would invent
a value no turn had; the nearest rank is always a measured turn.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile of non-empty ``values`` (``share`` in [0, 1])."""
    if not values:
        raise ValueError("percentile of no values")
    ordered = sorted(values)
    # round() first: 0.95 * 20 is 18.999999999999996 in floats, and must be rank 19.
    rank = max(1, min(len(ordered), math.ceil(round(share * len(ordered), 9))))
    return ordered[rank - 1]


def summarize(values: Iterable[float | None]) -> dict[str, float | int | None]:
    """Count, median, p95, min and max of the measured values (None = not measured)."""
    measured = [float(v) for v in values if v is not None]
    if not measured:
        return {"n": 0, "median": None, "p95": None, "min": None, "max": None}
    return {"n": len(measured), "median": statistics.median(measured),
            "p95": percentile(measured, 0.95), "min": min(measured), "max": max(measured)}


def ratio(baseline: float | None, streamed: float | None) -> float | None:
    """How many times the baseline's figure is the streamed one's (2.0: streamed is twice as
    fast, or uses half as much); None when either is missing or the streamed one is zero."""
    if baseline is None or streamed is None or streamed == 0:
        return None
    return baseline / streamed
