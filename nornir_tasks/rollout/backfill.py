"""Trend points derived from the inventory's dated history, so the burn-up chart and the forecast do not depend only
on snapshots someone remembered to record.

For every month in which a site, circuit or device changed status (or a circuit was activated), the inventory is
rebuilt as it stood at the end of that month (:func:`nornir_tasks.inventory.history.inventory_as_of`) and every
measured target is counted on it. The points are marked ``derived``; a stored snapshot of the same date wins over
them. Targets that need a compliance snapshot have no history to derive from and get no derived points. At most
:data:`MAX_POINTS` months (the latest ones) are derived.
"""

from __future__ import annotations

from calendar import monthrange
from collections import defaultdict
from datetime import date, timedelta

from nornir_tasks.inventory.history import change_dates
from nornir_tasks.model import Inventory
from nornir_tasks.rollout.forecast import TrendPoint
from nornir_tasks.rollout.metrics import METRICS, MetricData
from nornir_tasks.rollout.plans import PlanSet, ResolvedTarget
from nornir_tasks.rollout.scoring import ScopeCache, count_target

#: The most month-end points derived per run (the most recent ones).
MAX_POINTS = 24


def month_end(day: date) -> date:
    """The last day of ``day``'s month.

    Examples:
        >>> month_end(date(2024, 2, 10)), month_end(date(2025, 12, 31))
        (datetime.date(2024, 2, 29), datetime.date(2025, 12, 31))
    """
    return day.replace(day=monthrange(day.year, day.month)[1])


def sample_dates(changes: list[date], start: date, as_of: date, max_points: int = MAX_POINTS) -> list[date]:
    """Month ends at which to derive points: the end of every month with a change, from ``start`` to before
    ``as_of``, plus the month end just before the first of them (the level before things changed).

    Examples:
        >>> sample_dates([date(2024, 1, 15), date(2024, 1, 20), date(2024, 3, 2)], date(2021, 1, 1), date(2024, 6, 1))
        [datetime.date(2023, 12, 31), datetime.date(2024, 1, 31), datetime.date(2024, 3, 31)]
        >>> sample_dates([date(2024, 5, 3)], date(2021, 1, 1), date(2024, 5, 20))
        [datetime.date(2024, 4, 30)]
    """
    ends = sorted({month_end(d) for d in changes if start <= d < as_of})
    if ends:
        before = ends[0].replace(day=1) - timedelta(days=1)
        if before >= start:
            ends.insert(0, before)
    ends = [d for d in ends if d < as_of]
    return ends[-max_points:]


def derive_points(inv: Inventory, targets: list[ResolvedTarget], as_of: date,
                  max_points: int = MAX_POINTS) -> dict[str, list[TrendPoint]]:
    """Derived trend points per target key ``plan/target``, oldest first (see the module docstring)."""
    measured = [rt for rt in targets if rt.target.metric in METRICS and rt.params is not None
                and not METRICS[rt.target.metric or ""].needs_compliance]
    if not measured:
        return {}
    start = min(rt.plan.start for rt in measured)
    out: dict[str, list[TrendPoint]] = defaultdict(list)
    for day in sample_dates(change_dates(inv), start, as_of, max_points):
        data = MetricData.build(inv, as_of=day)
        scopes = ScopeCache(data)
        for rt in measured:
            if day < rt.plan.start:
                continue
            num, den = count_target(rt, data, scopes)
            if not den:
                continue
            value = num * 100 / den if rt.target.threshold.kind == "share" else float(num)
            out[rt.key].append(TrendPoint(as_of=day, value=value, numerator=num, denominator=den, recorded=False,
                                          derived=True))
    return dict(out)


def derived_history(inv: Inventory, plans: PlanSet, as_of: date, plan_id: str | None = None,
                    max_points: int = MAX_POINTS) -> dict[str, list[TrendPoint]]:
    """:func:`derive_points` for every target of ``plans`` (or of ``plan_id``)."""
    return derive_points(inv, plans.targets(plan_id), as_of, max_points)
