"""Trend and forecast completion date from stored snapshots.

Method (also in docs/rollout.md): the points are the snapshots stored with ``govnet rollout status --record``
(one per as-of date; the latest recording of a date wins), the points derived from the inventory's dated history
(month ends, see :mod:`nornir_tasks.rollout.backfill`; a stored snapshot of the same date wins) and the current
measurement when its date is not stored yet. With fewer than :data:`MIN_POINTS` distinct dates the answer is "not enough data". Otherwise an
ordinary least-squares line ``value = a + b·days`` is fitted over the points of the last :data:`WINDOW_DAYS` days
(all points when that window holds fewer than :data:`MIN_POINTS` dates) (value = percent of sites for a
share threshold, number of sites for a count threshold) and the forecast completion date is the first day on
which that line reaches the threshold. A slope of zero or less gives "no progress" (no date is invented); a
target already met needs no forecast.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from datetime import date, timedelta
from fractions import Fraction
from typing import Literal

from pydantic import BaseModel, ConfigDict

#: Fewest distinct dates a forecast is computed from.
MIN_POINTS = 3
#: The line is fitted over the points of the last year before the latest one (when they are at least
#: MIN_POINTS), so years of history derived from the inventory do not hide a recent stall.
WINDOW_DAYS = 365


class TrendPoint(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    as_of: date
    value: float          # percent (share threshold) or number of sites (count threshold)
    numerator: int
    denominator: int
    recorded: bool = True  # False for the current, not yet stored measurement
    derived: bool = False  # True for a point computed from the inventory's dated history (not a stored snapshot)
    recorded_at: dt.datetime | None = None   # when a stored snapshot was taken (may be long after as_of)


class Forecast(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    state: Literal["forecast", "not_enough_data", "no_progress", "met"]
    method: str = ("least-squares line over the last 365 days of trend points (snapshots and points derived from the "
                   "status history) by day; completion = first day the line reaches the threshold")
    points: int
    date: dt.date | None = None
    slope_per_30_days: float | None = None
    on_time: bool | None = None


def merge_points(stored: Sequence[TrendPoint], current: TrendPoint | None) -> list[TrendPoint]:
    """Stored points plus the current one when its date is not stored, sorted by date. A point derived from
    history gives way to a stored snapshot or the current measurement of the same date.

    Examples:
        >>> a = TrendPoint(as_of=date(2025, 1, 1), value=10, numerator=1, denominator=10)
        >>> b = TrendPoint(as_of=date(2025, 2, 1), value=20, numerator=2, denominator=10, recorded=False)
        >>> [p.value for p in merge_points([a], b)]
        [10.0, 20.0]
        >>> [p.value for p in merge_points([a], a.model_copy(update={"value": 99.0, "recorded": False}))]
        [10.0]
    """
    by_date: dict[date, TrendPoint] = {}
    for p in stored:
        if not p.derived or p.as_of not in by_date:
            by_date[p.as_of] = p
    if current is not None and (current.as_of not in by_date or by_date[current.as_of].derived):
        by_date[current.as_of] = current
    return [by_date[d] for d in sorted(by_date)]


def fit_line(points: Sequence[tuple[float, float]]) -> tuple[float, float]:
    """Least-squares intercept and slope of ``y = a + b·x``.

    Examples:
        >>> fit_line([(0, 1), (1, 3), (2, 5)])
        (1.0, 2.0)
    """
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    if sxx == 0:
        return my, 0.0
    b = sum((x - mx) * (y - my) for x, y in points) / sxx
    return my - b * mx, b


def forecast(points: Sequence[TrendPoint], required: Fraction | float, deadline: date) -> Forecast:
    """Forecast the completion date from the trend (see the module docstring for the method).

    Examples:
        >>> pts = [TrendPoint(as_of=date(2025, 1, 1) + timedelta(days=30 * i), value=v, numerator=0,
        ...                   denominator=1) for i, v in enumerate([40, 50, 60])]
        >>> f = forecast(pts, 100, date(2025, 12, 31))
        >>> f.state, f.date, f.slope_per_30_days, f.on_time
        ('forecast', datetime.date(2025, 6, 30), 10.0, True)
        >>> forecast(pts[:2], 100, date(2025, 12, 31)).state
        'not_enough_data'
        >>> forecast([p.model_copy(update={"value": 40.0}) for p in pts], 100, date(2025, 12, 31)).state
        'no_progress'
    """
    n = len({p.as_of for p in points})
    req = float(required)
    if points and points[-1].value >= req:
        return Forecast(state="met", points=n)
    if n < MIN_POINTS:
        return Forecast(state="not_enough_data", points=n)
    recent = [p for p in points if (points[-1].as_of - p.as_of).days <= WINDOW_DAYS]
    if len({p.as_of for p in recent}) >= MIN_POINTS:
        points = recent
    origin = points[0].as_of
    xy = [(float((p.as_of - origin).days), p.value) for p in points]
    a, b = fit_line(xy)
    if b <= 1e-12:
        return Forecast(state="no_progress", points=n, slope_per_30_days=round(b * 30, 3))
    days = math.ceil((req - a) / b - 1e-9)
    last = points[-1].as_of
    when = max(origin + timedelta(days=days), last)
    return Forecast(state="forecast", points=n, date=when, slope_per_30_days=round(b * 30, 3),
                    on_time=when <= deadline)
