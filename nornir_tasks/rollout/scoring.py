"""Scoring: (inventory, compliance snapshot, plans, as-of date, stored trend) → progress per target.

For each target: the sites in scope, numerator / denominator, the share now, the expected share at the as-of
date, a status, the lagging sites with the criterion each fails, and the same numbers per province, region and
administrative level. The rules (also in docs/rollout.md):

Expected path
    The points ``(plan start, 0)``, the target's milestones and ``(deadline, threshold)``, joined by straight
    lines. Before the first point the expectation is the first point's value, after the deadline it is the
    threshold. (A milestone dated on or before the plan start replaces the implicit start point.)

Status, first rule that applies wins (A = actual, R = threshold, E = expected at the as-of date, D = as-of
date, T = deadline, M = the target's ``at_risk_margin``, in percentage points for a share threshold and in
percent of R for a count threshold):

1. ``no_data`` — govnet cannot compute A (metric data missing, or a reported-only target without a figure);
2. ``empty_scope`` — no site is in scope (a warning, never a division by zero);
3. ``met`` — A ≥ R, whatever the date;
4. ``missed`` — D > T (the deadline day itself still counts as in time);
5. ``on_track`` — A ≥ E, unless the forecast completion date is later than T, which makes it ``at_risk``;
6. ``at_risk`` — E − A ≤ M;
7. ``behind`` — otherwise.

Comparisons are exact (fractions), so a share exactly on the threshold is met.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from enum import Enum
from fractions import Fraction
from itertools import pairwise
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from nornir_tasks.errors import Finding, Severity
from nornir_tasks.model import Site, SiteStatus
from nornir_tasks.rollout.forecast import Forecast, TrendPoint, forecast, merge_points
from nornir_tasks.rollout.geography import communes, province_name
from nornir_tasks.rollout.metrics import FAIL, METRICS, NA, NO_DATA, PASS, MetricData, Outcome
from nornir_tasks.rollout.plans import PlanSet, ResolvedTarget, Scope, Target

GROUPINGS = ("province", "region", "level")


class Status(str, Enum):
    MET = "met"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    BEHIND = "behind"
    MISSED = "missed"
    NO_DATA = "no_data"
    EMPTY_SCOPE = "empty_scope"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class GroupScore(_Frozen):
    by: Literal["province", "region", "level"]
    key: str
    label: str
    numerator: int
    denominator: int
    share: float | None
    status: Status | None


class LaggingSite(_Frozen):
    site: str
    name: str
    province: str
    level: str
    region: str
    state: Literal["fail", "no_data"]
    reason: str                      # i18n key
    reason_args: dict[str, Any]


class Reported(_Frozen):
    as_of: date
    share: float | None
    numerator: int | None
    denominator: int | None
    note: str | None
    source: str | None
    status: Status | None            # the status this figure would give, labelled as reported


class TargetScore(_Frozen):
    plan: str
    target: str
    key: str
    title_vi: str
    title_en: str
    metric: str | None
    params: dict[str, Any]
    reported_only: bool
    scope: dict[str, Any]
    threshold_kind: Literal["share", "count"]
    threshold: float
    deadline: date
    as_of: date
    illustrative: bool
    illustrative_reason: str | None = None
    article: str | None = None
    source: str | None
    numerator: int | None
    denominator: int | None
    not_applicable: int
    no_data_sites: int
    share: float | None              # percent
    actual: float | None             # share (percent) or count, in the threshold's unit
    expected: float                  # in the threshold's unit
    expected_path: list[tuple[date, float]]
    status: Status
    rule: str                        # which status rule fired (i18n key rule_<n>)
    warnings: list[str]
    groups: dict[str, list[GroupScore]]
    lagging: list[LaggingSite]
    reported: list[Reported]
    trend: list[TrendPoint]
    forecast: Forecast | None


class PlanScore(_Frozen):
    id: str
    title_vi: str
    title_en: str
    instrument: dict[str, Any]
    citation_vi: str = ""            # the instrument as Vietnamese documents cite it
    file: str
    targets: list[TargetScore]


class SiteRow(_Frozen):
    site: str
    name: str
    province: str
    level: str
    region: str
    site_type: str
    status: str
    lat: float | None
    lon: float | None
    states: dict[str, str]           # target key → pass | fail | na | no_data | out (not in scope)


class RolloutResult(_Frozen):
    as_of: date
    plans: list[PlanScore]
    sites: list[SiteRow]
    warnings: list[Finding]


# ---------------------------------------------------------------------------------------------------------
# Pure rules
# ---------------------------------------------------------------------------------------------------------
def expected_path(start: date, milestones: Iterable[tuple[date, Fraction]], deadline: date,
                  required: Fraction) -> list[tuple[date, Fraction]]:
    """The points of the expected path (see the module docstring).

    Examples:
        >>> expected_path(date(2021, 1, 1), [(date(2022, 12, 31), Fraction(50))], date(2025, 12, 31), Fraction(100))
        [(datetime.date(2021, 1, 1), Fraction(0, 1)), (datetime.date(2022, 12, 31), Fraction(50, 1)), (datetime.date(2025, 12, 31), Fraction(100, 1))]
    """
    ms = sorted(milestones)
    points: list[tuple[date, Fraction]] = []
    if not ms or ms[0][0] > start:
        points.append((start, Fraction(0)))
    points.extend(m for m in ms if m[0] < deadline)
    points.append((deadline, required))
    return points


def expected_at(path: Sequence[tuple[date, Fraction]], when: date) -> Fraction:
    """Linear interpolation on the expected path.

    Examples:
        >>> p = [(date(2025, 1, 1), Fraction(0)), (date(2025, 1, 11), Fraction(100))]
        >>> expected_at(p, date(2025, 1, 6)), expected_at(p, date(2024, 1, 1)), expected_at(p, date(2026, 1, 1))
        (Fraction(50, 1), Fraction(0, 1), Fraction(100, 1))
    """
    if when <= path[0][0]:
        return path[0][1]
    for (d0, v0), (d1, v1) in pairwise(path):
        if when <= d1:
            span = (d1 - d0).days
            return v1 if span == 0 else v0 + (v1 - v0) * Fraction((when - d0).days, span)
    return path[-1][1]


def decide_status(actual: Fraction | None, required: Fraction, expected: Fraction, as_of: date, deadline: date,
                  margin: Fraction, *, empty: bool = False, forecast_date: date | None = None) -> tuple[Status, str]:
    """The status and the number of the rule that gave it (rules in the module docstring).

    Examples:
        >>> d, T = date(2025, 6, 1), date(2025, 12, 31)
        >>> decide_status(Fraction(100), Fraction(100), Fraction(60), d, T, Fraction(10))
        (<Status.MET: 'met'>, 'rule_3')
        >>> decide_status(Fraction(60), Fraction(100), Fraction(60), d, T, Fraction(10))[0].value
        'on_track'
        >>> decide_status(Fraction(50), Fraction(100), Fraction(60), d, T, Fraction(10))[0].value
        'at_risk'
        >>> decide_status(Fraction(49), Fraction(100), Fraction(60), d, T, Fraction(10))[0].value
        'behind'
        >>> decide_status(Fraction(99), Fraction(100), Fraction(100), T, T, Fraction(10))[0].value
        'at_risk'
        >>> decide_status(Fraction(99), Fraction(100), Fraction(100), date(2026, 1, 1), T, Fraction(10))[0].value
        'missed'
    """
    if actual is None:
        return Status.NO_DATA, "rule_1"
    if empty:
        return Status.EMPTY_SCOPE, "rule_2"
    if actual >= required:
        return Status.MET, "rule_3"
    if as_of > deadline:
        return Status.MISSED, "rule_4"
    if actual >= expected:
        if forecast_date is not None and forecast_date > deadline:
            return Status.AT_RISK, "rule_5b"
        return Status.ON_TRACK, "rule_5"
    if expected - actual <= margin:
        return Status.AT_RISK, "rule_6"
    return Status.BEHIND, "rule_7"


def in_scope(site: Site, scope: Scope, roles_at_site: set[str] | None = None) -> bool:
    """Whether a site is in a target's scope (decommissioned sites only when ``statuses`` names them).

    Examples:
        >>> s = Site(id="s", name="Xã A", level="commune", province_code="12", commune_code="03390",
        ...          region="TDMNPB", site_type="commune_hq", status="active", mountainous=True)
        >>> in_scope(s, Scope(levels=["commune"], mountainous=True)), in_scope(s, Scope(provinces=["01"]))
        (True, False)
    """
    if scope.statuses:
        if site.status not in scope.statuses:
            return False
    elif site.status is SiteStatus.DECOMMISSIONED:
        return False
    if scope.levels and site.level not in scope.levels:
        return False
    if scope.regions and site.region not in scope.regions:
        return False
    if scope.mountainous is not None and site.mountainous != scope.mountainous:
        return False
    if scope.provinces and site.province_code not in scope.provinces:
        return False
    if scope.site_types and site.site_type not in scope.site_types:
        return False
    return not scope.roles or bool((roles_at_site or set()) & {r.value for r in scope.roles})


def _share(num: int, den: int) -> Fraction | None:
    return Fraction(num * 100, den) if den else None


def _f(x: Fraction | None, nd: int = 2) -> float | None:
    return None if x is None else round(float(x), nd)


# ---------------------------------------------------------------------------------------------------------
# Scoring one target
# ---------------------------------------------------------------------------------------------------------
def _group_label(key: str, by: str, geography: str) -> str:
    return province_name(key, geography) if by == "province" else key  # type: ignore[arg-type]


class ScopeCache:
    """Sites in scope per distinct scope (several targets share one), sorted by id, with their group keys."""

    def __init__(self, data: MetricData) -> None:
        self.data = data
        self.roles = _roles_by_site(data)
        self.sites = sorted(data.inventory.sites.values(), key=lambda s: s.id)
        self.keys = {s.id: (s.province_code, s.region.value, s.level.value) for s in self.sites}
        self._cache: dict[Scope, list[Site]] = {}

    def __call__(self, scope: Scope) -> list[Site]:
        hit = self._cache.get(scope)
        if hit is None:
            hit = self._cache[scope] = [s for s in self.sites if in_scope(s, scope, self.roles.get(s.id))]
        return hit


def count_target(rt: ResolvedTarget, data: MetricData, scopes: ScopeCache) -> tuple[int, int]:
    """Numerator and denominator of a measured target (sites passing, sites counted), nothing else: what a point
    of the burn-up chart needs. A target whose metric is unknown or unavailable counts (0, 0)."""
    metric = METRICS.get(rt.target.metric or "")
    if metric is None or rt.params is None or not metric.available(data):
        return 0, 0
    num = den = 0
    for site in scopes(rt.target.scope):
        state = metric.evaluate(data, site, rt.params).state
        if state != NA:
            den += 1
            num += state == PASS
    return num, den


def score_target(rt: ResolvedTarget, data: MetricData, as_of: date, *,
                 history: Sequence[TrendPoint] = (), scopes: ScopeCache | None = None,
                 outcomes_out: dict[str, str] | None = None) -> TargetScore:
    """Score one target. ``history`` holds the stored snapshots of this target (for trend and forecast);
    ``outcomes_out``, when given, receives site id → state for every site in scope."""
    t: Target = rt.target
    plan = rt.plan
    required = t.threshold.value
    is_share = t.threshold.kind == "share"
    margin = Fraction(str(t.at_risk_margin)) if is_share else required * Fraction(str(t.at_risk_margin)) / 100
    path = expected_path(plan.start, [(m.date, m.value) for m in t.milestones], rt.deadline, required)
    expected = expected_at(path, as_of)
    warnings: list[str] = []
    scopes = scopes if scopes is not None else ScopeCache(data)
    scope_sites = scopes(t.scope)
    group_keys = scopes.keys

    numerator = denominator = na = no_data = 0
    lagging: list[LaggingSite] = []
    groups: dict[str, dict[str, list[int]]] = {by: defaultdict(lambda: [0, 0]) for by in GROUPINGS}
    actual: Fraction | None = None
    metric = METRICS.get(t.metric or "")
    available = metric is not None and metric.available(data)
    if metric is not None and rt.params is not None:
        for site in scope_sites:
            out: Outcome = metric.evaluate(data, site, rt.params) if available else Outcome(NO_DATA)
            if outcomes_out is not None:
                outcomes_out[site.id] = out.state
            if out.state == NA:
                na += 1
                continue
            denominator += 1
            ok = out.state == PASS
            numerator += ok
            for by, key in zip(GROUPINGS, group_keys[site.id]):
                cell = groups[by][key]
                cell[0] += ok
                cell[1] += 1
            if out.state in (FAIL, NO_DATA) and available:
                no_data += out.state == NO_DATA
                reason = out.reason
                lagging.append(LaggingSite(site=site.id, name=site.name, province=site.province_code,
                                           level=site.level.value, region=site.region.value,
                                           state="fail" if out.state == FAIL else "no_data",
                                           reason=reason.key if reason else "no_data",
                                           reason_args=reason.kwargs() if reason else {}))
        if not available:
            warnings.append("warn_no_compliance")
        elif denominator:
            actual = _share(numerator, denominator) if is_share else Fraction(numerator)
        else:
            actual = Fraction(0)
    if not t.reported_only and available and denominator == 0:
        warnings.append("warn_empty_scope")

    # figures reported by the operator: kept apart; a reported-only target takes its status from them
    reported: list[Reported] = []
    for fig in sorted(t.reported, key=lambda r: r.as_of):
        fig_actual = fig.value_share if is_share else (Fraction(fig.numerator) if fig.numerator is not None else None)
        fig_status = None
        if fig_actual is not None:
            fig_status, _ = decide_status(fig_actual, required, expected_at(path, fig.as_of), fig.as_of,
                                          rt.deadline, margin)
        reported.append(Reported(as_of=fig.as_of, share=_f(fig.value_share), numerator=fig.numerator,
                                 denominator=fig.denominator, note=fig.note, source=fig.source, status=fig_status))
    if t.reported_only:
        usable = [f for f in t.reported if f.as_of <= as_of]
        if usable:
            latest = max(usable, key=lambda f: f.as_of)
            actual = latest.value_share if is_share else (
                Fraction(latest.numerator) if latest.numerator is not None else None)
        else:
            warnings.append("warn_no_reported_figure")

    # trend and forecast (measured targets only)
    trend: list[TrendPoint] = []
    fc: Forecast | None = None
    if not t.reported_only and actual is not None and denominator:
        current = TrendPoint(as_of=as_of, value=float(actual), numerator=numerator, denominator=denominator,
                             recorded=False)
        trend = merge_points([p for p in history if p.as_of <= as_of], current)
        fc = forecast(trend, required, rt.deadline)
    fc_date = fc.date if fc is not None and fc.state == "forecast" else None
    status, rule = decide_status(actual, required, expected, as_of, rt.deadline, margin,
                                 empty=(not t.reported_only and denominator == 0), forecast_date=fc_date)

    group_scores: dict[str, list[GroupScore]] = {}
    for by in GROUPINGS:
        rows = []
        for key in sorted(groups[by]):
            num, den = groups[by][key]
            g_share = _share(num, den)
            g_status = None
            if is_share and g_share is not None:
                g_status, _ = decide_status(g_share, required, expected, as_of, rt.deadline, margin)
            rows.append(GroupScore(by=by, key=key, label=_group_label(key, by, plan.geography), numerator=num,  # type: ignore[arg-type]
                                   denominator=den, share=_f(g_share), status=g_status))
        group_scores[by] = rows

    share = _share(numerator, denominator) if (not t.reported_only and denominator and available) else (
        actual if t.reported_only and is_share else None)
    return TargetScore(
        plan=plan.id, target=t.id, key=rt.key, title_vi=t.title.vi, title_en=t.title.en, metric=t.metric,
        params=rt.params.model_dump(mode="json") if rt.params is not None else {},
        reported_only=t.reported_only, scope=t.scope.model_dump(mode="json", exclude_defaults=True),
        threshold_kind=t.threshold.kind, threshold=float(required), deadline=rt.deadline, as_of=as_of,
        illustrative=t.illustrative, illustrative_reason=t.illustrative_reason, article=t.article, source=t.source,
        numerator=numerator if not t.reported_only and available else None,
        denominator=denominator if not t.reported_only and available else None,
        not_applicable=na, no_data_sites=no_data, share=_f(share), actual=_f(actual), expected=_f(expected) or 0.0,
        expected_path=[(d, float(v)) for d, v in path], status=status, rule=rule, warnings=warnings,
        groups=group_scores, lagging=lagging, reported=reported, trend=trend, forecast=fc)


def _roles_by_site(data: MetricData) -> dict[str, set[str]]:
    return {sid: {d.role.value for d in devs} for sid, devs in data.devices_by_site.items()}


# ---------------------------------------------------------------------------------------------------------
# Scoring plans
# ---------------------------------------------------------------------------------------------------------
def score(plans: PlanSet, data: MetricData, as_of: date, *, plan_id: str | None = None,
          history: dict[str, list[TrendPoint]] | None = None, with_sites: bool = True) -> RolloutResult:
    """Score every target of every plan (or of ``plan_id``) at ``as_of``; ``with_sites=False`` leaves out the
    per-site table (the map and the workbook need it, the status command does not)."""
    if plan_id is not None:
        plans.get(plan_id)
    scopes = ScopeCache(data)
    states: dict[str, dict[str, str]] = defaultdict(dict)
    plan_scores: list[PlanScore] = []
    warnings: list[Finding] = []
    by_plan: dict[str, list[TargetScore]] = defaultdict(list)
    for rt in plans.targets(plan_id):
        outcomes: dict[str, str] = {}
        ts = score_target(rt, data, as_of, history=(history or {}).get(rt.key, ()), scopes=scopes,
                          outcomes_out=outcomes if with_sites else None)
        for sid, st in outcomes.items():
            states[sid][rt.key] = st
        by_plan[rt.plan.id].append(ts)
        for w in ts.warnings:
            if w == "warn_empty_scope":
                scope_path = ("targets", rt.index, "scope") if "scope" in rt.target.model_fields_set else (
                    "targets", rt.index)
                warnings.append(Finding(code="RLT-005", severity=Severity.WARNING, file=rt.file,
                                        line=plans.line_of(rt.plan.id, scope_path),
                                        field=f"targets[{rt.index}]" + (".scope" if len(scope_path) == 3 else ""),
                                        message=f"target {rt.key}: no site of the inventory is in its scope",
                                        hint="check the scope, or the inventory (--inventory) it is measured on"))
    for plan in plans.plans:
        if plan.id in by_plan:
            plan_scores.append(PlanScore(id=plan.id, title_vi=plan.title.vi, title_en=plan.title.en,
                                         instrument=plan.instrument.model_dump(mode="json", exclude_none=True),
                                         citation_vi=plan.instrument.vi(),
                                         file=plans.files.get(plan.id, ""), targets=by_plan[plan.id]))
    keys = [t.key for p in plan_scores for t in p.targets]
    cmap = communes()
    rows: list[SiteRow] = []
    for site in scopes.sites if with_sites else ():
        lat = lon = None
        if site.coordinates is not None:
            lat, lon = site.coordinates.lat, site.coordinates.lon
        elif site.commune_code and site.commune_code in cmap:
            lat, lon = cmap[site.commune_code].lat, cmap[site.commune_code].lon
        got = states.get(site.id, {})
        rows.append(SiteRow.model_construct(
            site=site.id, name=site.name, province=site.province_code, level=site.level.value,
            region=site.region.value, site_type=site.site_type.value, status=site.status.value,
            lat=lat, lon=lon, states={k: got.get(k, "out") for k in keys}))
    return RolloutResult(as_of=as_of, plans=plan_scores, sites=rows, warnings=warnings)
