"""Trend points derived from the inventory's dated history, so the burn-up chart and the forecast do not depend only
on snapshots someone remembered to record.

For every month (or quarter) in which a site, circuit or device changed status (or a circuit was activated), the
inventory is rebuilt as it stood at the end of that month (:func:`nornir_tasks.inventory.history.inventory_as_of`) and every
measured target is counted on it. The points are marked ``derived``; a stored snapshot of the same date wins over
them. Targets that need a compliance snapshot have no history to derive from and get no derived points. At most
:data:`MAX_POINTS` months (the latest ones) are derived for the reports, the last year's quarter ends for
``rollout status`` (:data:`RESOLUTIONS`).
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


def period_end(day: date, months: int = 1) -> date:
    """The last day of ``day``'s month (``months=1``) or quarter (``months=3``).

    Examples:
        >>> period_end(date(2024, 2, 10)), period_end(date(2024, 2, 10), 3)
        (datetime.date(2024, 2, 29), datetime.date(2024, 3, 31))
    """
    last_month = ((day.month - 1) // months + 1) * months
    return month_end(day.replace(month=last_month, day=1))


def sample_dates(changes: list[date], start: date, as_of: date, max_points: int = MAX_POINTS,
                 months: int = 1) -> list[date]:
    """Period ends at which to derive points: the end of every month (or quarter, ``months=3``) with a change, from
    ``start`` to before ``as_of``, plus the period end just before the first of them (the level before things
    changed); the latest ``max_points`` of them.

    Examples:
        >>> sample_dates([date(2024, 1, 15), date(2024, 1, 20), date(2024, 3, 2)], date(2021, 1, 1), date(2024, 6, 1))
        [datetime.date(2023, 12, 31), datetime.date(2024, 1, 31), datetime.date(2024, 3, 31)]
        >>> sample_dates([date(2024, 5, 3)], date(2021, 1, 1), date(2024, 5, 20))
        [datetime.date(2024, 4, 30)]
        >>> sample_dates([date(2024, 1, 15), date(2024, 5, 3)], date(2021, 1, 1), date(2024, 12, 1), months=3)
        [datetime.date(2023, 12, 31), datetime.date(2024, 3, 31), datetime.date(2024, 6, 30)]
    """
    ends = sorted({period_end(d, months) for d in changes if start <= d < as_of})
    if ends:
        first_month = (ends[0].month - 1) // months * months + 1
        before = period_end(ends[0].replace(month=first_month, day=1) - timedelta(days=1), months)
        if before >= start:
            ends.insert(0, before)
    ends = [d for d in ends if d < as_of]
    return ends[-max_points:]


def derive_points(inv: Inventory, targets: list[ResolvedTarget], as_of: date,
                  max_points: int = MAX_POINTS, months: int = 1) -> dict[str, list[TrendPoint]]:
    """Derived trend points per target key ``plan/target``, oldest first (see the module docstring). Each point
    rebuilds the inventory of its day (about 0.1 s on the national inventory), hence ``max_points``."""
    measured = [rt for rt in targets if rt.target.metric in METRICS and rt.params is not None
                and not METRICS[rt.target.metric or ""].needs_compliance]
    if not measured:
        return {}
    start = min(rt.plan.start for rt in measured)
    out: dict[str, list[TrendPoint]] = defaultdict(list)
    for day in sample_dates(change_dates(inv), start, as_of, max_points, months):
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


#: How much history each kind of run derives: ``months`` — up to 24 month ends (the reports' burn-up chart);
#: ``quarters`` — the quarter ends of the last year (enough for ``status``'s trend column and the forecast,
#: which fits the last 365 days, at a fifth of the cost).
RESOLUTIONS = {"months": (MAX_POINTS, 1), "quarters": (5, 3)}


def derived_history(inv: Inventory, plans: PlanSet, as_of: date, plan_id: str | None = None,
                    resolution: str = "months") -> dict[str, list[TrendPoint]]:
    """:func:`derive_points` for every target of ``plans`` (or of ``plan_id``) at a :data:`RESOLUTIONS` step."""
    max_points, months = RESOLUTIONS[resolution]
    return derive_points(inv, plans.targets(plan_id), as_of, max_points, months)
