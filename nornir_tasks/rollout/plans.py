"""Plans as data: ``inventory/plans/*.yaml`` → typed :class:`Plan` models, with findings naming file/line/field.

A plan file holds one plan::

    id: vnpt-2025-uplink
    title: {vi: "...", en: "..."}
    instrument: {number: "...", date: 2025-06-29, issuer: VNPT}
    geography: "2025"                 # 2025 structure (34 provinces) by default, or "pre-2025"
    start: 2025-01-01                 # where every target's expected path starts (at 0)
    sources: [{title: "...", url: "..."}]
    phases: [{id: p1, title: {vi: "...", en: "..."}, deadline: 2025-06-29}]
    targets:
      - id: commune-uplink-200
        title: {vi: "...", en: "..."}
        metric: uplink_bandwidth_min      # a NAMED metric (see nornir_tasks.rollout.metrics.METRICS)
        params: {mbps: 200}               # typed parameters of that metric
        scope: {levels: [commune]}        # level, region, mountainous, provinces, site_types, roles, statuses
        threshold: {share: 100}           # percent of the sites in scope, or {count: N}
        phase: p1                         # or deadline: YYYY-MM-DD
        milestones: [{date: 2025-03-31, share: 50}]
        source: "where the number came from"   # or illustrative: true
        reported:                         # figures the operator reported (kept apart from what govnet computes)
          - {share: 88.6, numerator: 2943, denominator: 3321, as_of: 2025-06-29, note: "..."}

A target is either measurable (``metric`` + ``params``) or ``reported_only: true`` (govnet cannot measure it,
e.g. e-mail use; its status comes from the operator's figures and is labelled as such).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from nornir_tasks.citations import Citation
from nornir_tasks.errors import Finding, RolloutError, Severity
from nornir_tasks.inventory.yamlio import Locator, PathKey, ReadFailed, read_yaml
from nornir_tasks.model import AdminLevel, Name, ProvinceCode, Region, Role, SafeStr, SiteStatus, SiteType
from nornir_tasks.rollout.geography import provinces
from nornir_tasks.rollout.metrics import METRICS, Params, describe_params, parse_params


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Text(_Frozen):
    """A label in both languages (Vietnamese with correct diacritics, and English)."""

    vi: Annotated[SafeStr, Field(min_length=1)]
    en: Annotated[SafeStr, Field(min_length=1)]

    def get(self, lang: str) -> str:
        return self.vi if lang == "vi" else self.en


class Instrument(Citation):
    """The legal or operator document a plan comes from: kind, number, date, issuer, article/section, URL
    (:class:`nornir_tasks.citations.Citation`; reports show :meth:`~nornir_tasks.citations.Citation.vi`)."""


class Source(_Frozen):
    title: SafeStr
    url: Annotated[str, Field(pattern=r"^https?://\S+$")] | None = None
    note: SafeStr | None = None


class Phase(_Frozen):
    id: Name
    title: Text
    deadline: dt.date


class Scope(_Frozen):
    """Which sites a target is measured on. Empty lists mean "any". Decommissioned sites are left out unless
    ``statuses`` names them."""

    levels: tuple[AdminLevel, ...] = ()
    regions: tuple[Region, ...] = ()
    mountainous: bool | None = None
    provinces: tuple[ProvinceCode, ...] = ()
    site_types: tuple[SiteType, ...] = ()
    roles: tuple[Role, ...] = ()          # the site has a device of one of these roles
    statuses: tuple[SiteStatus, ...] = ()


class Threshold(_Frozen):
    """``share`` (percent of the sites in scope, 0 < share ≤ 100) or ``count`` (number of sites)."""

    share: float | None = None
    count: Annotated[int, Field(ge=1, le=10_000_000)] | None = None

    @field_validator("share")
    @classmethod
    def _share_range(cls, v: float | None) -> float | None:
        if v is not None and not 0 < v <= 100:
            raise ValueError("a share is a percentage above 0 and at most 100")
        return v

    @model_validator(mode="after")
    def _one_kind(self) -> Threshold:
        if (self.share is None) == (self.count is None):
            raise ValueError("give exactly one of share (percent) or count (number of sites)")
        return self

    @property
    def kind(self) -> Literal["share", "count"]:
        return "share" if self.share is not None else "count"

    @property
    def value(self) -> Fraction:
        return Fraction(str(self.share)) if self.share is not None else Fraction(self.count or 0)


class Milestone(_Frozen):
    """A point of the expected path: on ``date``, ``share`` percent (or ``count`` sites) should meet the target."""

    date: dt.date
    share: float | None = None
    count: Annotated[int, Field(ge=0, le=10_000_000)] | None = None

    @field_validator("share")
    @classmethod
    def _share_range(cls, v: float | None) -> float | None:
        if v is not None and not 0 <= v <= 100:
            raise ValueError("a share is a percentage from 0 to 100")
        return v

    @model_validator(mode="after")
    def _one_kind(self) -> Milestone:
        if (self.share is None) == (self.count is None):
            raise ValueError("give exactly one of share or count")
        return self

    @property
    def value(self) -> Fraction:
        return Fraction(str(self.share)) if self.share is not None else Fraction(self.count or 0)


class ReportedFigure(_Frozen):
    """A figure the operator reported; shown beside govnet's own numbers, never mixed into them."""

    share: Annotated[float, Field(ge=0, le=100)] | None = None
    numerator: Annotated[int, Field(ge=0)] | None = None
    denominator: Annotated[int, Field(ge=1)] | None = None
    as_of: dt.date
    note: SafeStr | None = None
    source: SafeStr | None = None

    @model_validator(mode="after")
    def _has_value(self) -> ReportedFigure:
        if self.share is None and self.numerator is None:
            raise ValueError("a reported figure needs share (percent) or numerator (with denominator)")
        if self.numerator is not None and self.denominator is not None and self.numerator > self.denominator:
            raise ValueError("numerator is larger than denominator")
        return self

    @property
    def value_share(self) -> Fraction | None:
        if self.share is not None:
            return Fraction(str(self.share))
        if self.numerator is not None and self.denominator:
            return Fraction(self.numerator * 100, self.denominator)
        return None


class Target(_Frozen):
    id: Name
    title: Text
    metric: Name | None = None
    params: dict[str, Any] = Field(default_factory=dict)
    reported_only: bool = False
    scope: Scope = Scope()
    scope_note: Text | None = None
    threshold: Threshold
    deadline: dt.date | None = None
    phase: Name | None = None
    milestones: tuple[Milestone, ...] = ()
    at_risk_margin: Annotated[float, Field(gt=0, le=100)] = 10.0
    source: SafeStr | None = None
    article: SafeStr | None = None           # the article / section of the plan's instrument the number is in
    illustrative: bool = False
    illustrative_reason: SafeStr | None = None   # why govnet marks the number as its own inference
    reported: tuple[ReportedFigure, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Target:
        if self.reported_only:
            if self.metric is not None or self.params:
                raise ValueError("a reported_only target has no metric or params (govnet does not measure it)")
        elif self.metric is None:
            raise ValueError("name a metric (see 'govnet rollout metrics') or mark the target reported_only: true")
        if not self.source and not self.illustrative:
            raise ValueError("say where the number came from (source: ...) or mark it illustrative: true")
        if self.illustrative and not self.illustrative_reason:
            raise ValueError("say why the target is illustrative (illustrative_reason: ...): what govnet inferred "
                             "that the instrument does not say")
        if self.deadline is None and self.phase is None:
            raise ValueError("give a deadline (YYYY-MM-DD) or the phase whose deadline applies")
        return self


class Plan(_Frozen):
    id: Name
    title: Text
    instrument: Instrument
    geography: Literal["2025", "pre-2025"] = "2025"
    start: dt.date
    sources: tuple[Source, ...] = ()
    phases: tuple[Phase, ...] = ()
    targets: Annotated[tuple[Target, ...], Field(min_length=1)]
    notes: SafeStr | None = None


@dataclass(frozen=True)
class ResolvedTarget:
    """A target with everything scoring needs resolved: its plan, its deadline, its typed params."""

    plan: Plan
    target: Target
    deadline: dt.date
    params: Params | None
    file: str
    index: int = 0                      # position in the plan's targets (for line look-ups)
    path: Path | None = None            # the plan file

    @property
    def key(self) -> str:
        return f"{self.plan.id}/{self.target.id}"


@dataclass
class PlanSet:
    plans: list[Plan] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)           # plan id → file name
    findings: list[Finding] = field(default_factory=list)
    paths: dict[str, Path] = field(default_factory=dict)          # plan id → file path

    def line_of(self, plan_id: str, key_path: PathKey) -> int | None:
        """Line of a value in a plan's file (None when the plan did not come from a file)."""
        path = self.paths.get(plan_id)
        return Locator(path).line(key_path) if path is not None else None

    def targets(self, plan_id: str | None = None) -> list[ResolvedTarget]:
        out = []
        for plan in self.plans:
            if plan_id is not None and plan.id != plan_id:
                continue
            phases = {p.id: p.deadline for p in plan.phases}
            for i, t in enumerate(plan.targets):
                deadline = t.deadline or phases[t.phase or ""]
                params = parse_params(t.metric, t.params) if t.metric else None
                out.append(ResolvedTarget(plan, t, deadline, params, self.files.get(plan.id, ""), i,
                                          self.paths.get(plan.id)))
        return out

    def get(self, plan_id: str) -> Plan:
        for p in self.plans:
            if p.id == plan_id:
                return p
        known = ", ".join(p.id for p in self.plans) or "none"
        raise RolloutError(f"no plan with id {plan_id!r}", code="RLT-003", hint=f"known plans: {known}")


# ---------------------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------------------
_TAGS = re.compile(r"^(constrained-|function-)|\[|^(str|int|float|bool|none)$")


def _clean(loc: tuple[Any, ...]) -> PathKey:
    return tuple(p for p in loc if not (isinstance(p, str) and _TAGS.search(p)))


def _dotted(path: PathKey) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + str(part)
    return out


class _Ctx:
    def __init__(self, path: Path, label: str) -> None:
        self.label = label
        self.locator = Locator(path)
        self.findings: list[Finding] = []

    def add(self, code: str, path: PathKey, message: str, hint: str,
            severity: Severity = Severity.ERROR) -> None:
        self.findings.append(Finding(code=code, severity=severity, file=self.label, line=self.locator.line(path),
                                     field=_dotted(path) or None, message=message, hint=hint))


def _hint_for(err: Any, path: PathKey) -> str:
    etype = err["type"]
    last = str(path[-1]) if path else ""
    if etype == "extra_forbidden":
        return "remove it or check its spelling against docs/rollout.md"
    if etype == "missing":
        return "add the field (see docs/rollout.md for the plan format)"
    if etype.startswith("date") or last in {"deadline", "date", "as_of", "start"}:
        return "write the date as YYYY-MM-DD, e.g. 2025-12-31"
    if "provinces" in path:
        return "write a province as its two-digit code, e.g. '12' for Lai Châu"
    if "share" in path or "count" in path or last == "threshold":
        return "write share: <percent, above 0 and at most 100> or count: <number of sites>"
    if etype == "enum":
        return "use one of the allowed values listed"
    return "fix the value (see docs/rollout.md)"


def _describe(err: Any) -> str:
    etype = err["type"]
    if etype == "extra_forbidden":
        return "unknown key"
    if etype == "missing":
        return "required field is missing"
    msg = str(err.get("msg", "")).removeprefix("Value error, ")
    value = err.get("input")
    if isinstance(value, (dict, list)):
        return msg
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
        shown = f"a number of about {int(value.bit_length() * 0.30103)} digits"   # repr() of 5000 digits raises
    else:
        shown = repr(value)
    return f"{msg} (got {shown[:77] + '...' if len(shown) > 80 else shown})"


def _check_plan(ctx: _Ctx, plan: Plan) -> None:
    """Checks across fields: metric names and params, phases, provinces of the geography, milestones."""
    phases = {p.id: p.deadline for p in plan.phases}
    for k, phase in enumerate(plan.phases):
        if phase.deadline <= plan.start:
            ctx.add("RLT-001", ("phases", k, "deadline"), f"phase {phase.id} is due {phase.deadline}, which is not "
                    f"after the plan's start {plan.start}", "a deadline comes after the start: fix one of the two dates")
    known_provinces = provinces(plan.geography)
    seen: set[str] = set()
    for i, t in enumerate(plan.targets):
        base: PathKey = ("targets", i)
        if t.id in seen:
            ctx.add("RLT-001", (*base, "id"), f"target id {t.id!r} is used twice in plan {plan.id}",
                    "give each target of a plan its own id")
        seen.add(t.id)
        if t.metric is not None:
            if t.metric not in METRICS:
                ctx.add("RLT-002", (*base, "metric"), f"target {t.id} names metric {t.metric!r}, which govnet "
                        "cannot measure", f"use one of: {', '.join(METRICS)} — or mark it reported_only: true")
            else:
                try:
                    parse_params(t.metric, t.params)
                except ValidationError as exc:
                    for err in exc.errors(include_url=False):
                        loc = _clean(err["loc"])
                        where = (*base, "params", *loc)
                        if err["type"] == "extra_forbidden":
                            ctx.add("RLT-002", where, f"metric {t.metric} has no parameter {loc[-1]!r}",
                                    f"{t.metric} takes: {describe_params(t.metric)}")
                        elif err["type"] == "missing":
                            ctx.add("RLT-002", where, f"metric {t.metric} needs parameter {loc[-1]!r}",
                                    f"{t.metric} takes: {describe_params(t.metric)}")
                        else:
                            ctx.add("RLT-002", where, f"parameter {_dotted(loc)} of {t.metric}: {_describe(err)}",
                                    _hint_for(err, where))
        if t.phase is not None and t.phase not in phases:
            ctx.add("RLT-001", (*base, "phase"), f"target {t.id} names phase {t.phase!r}, which the plan does "
                    "not define", f"use one of: {', '.join(phases) or 'none (add phases:)'} or give deadline:")
        for j, code in enumerate(t.scope.provinces):
            if code not in known_provinces:
                ctx.add("RLT-001", (*base, "scope", "provinces", j),
                        f"target {t.id} names province {code!r}, which is not a province of the {plan.geography} "
                        f"structure", "use a two-digit code of the official list (e.g. '12' Lai Châu, '01' Hà Nội)")
        deadline = t.deadline or phases.get(t.phase or "")
        if deadline is not None and deadline <= plan.start:
            ctx.add("RLT-001", (*base, "deadline" if t.deadline else "phase"),
                    f"target {t.id} is due {deadline}, which is not after the plan's start {plan.start}",
                    "a deadline comes after the start: fix one of the two dates")
        prev: Milestone | None = None
        for j, m in enumerate(t.milestones):
            where = (*base, "milestones", j)
            if (m.share is None) != (t.threshold.share is None):
                ctx.add("RLT-001", where, f"milestone {m.date} is a {'share' if m.share is not None else 'count'} "
                        f"but the threshold is a {t.threshold.kind}", f"write the milestone as {t.threshold.kind}:")
            elif m.value > t.threshold.value:
                ctx.add("RLT-001", where, f"milestone {m.date} expects more than the threshold",
                        "a milestone is a step on the way to the threshold")
            if deadline is not None and m.date > deadline:
                ctx.add("RLT-001", (*where, "date"), f"milestone {m.date} is after the deadline {deadline}",
                        "move the milestone before the deadline or move the deadline")
            if prev is not None and (m.date <= prev.date or m.value < prev.value):
                ctx.add("RLT-001", where, "milestones must go forward in time and never expect less than "
                        "the one before", "sort the milestones by date")
            prev = m


def load_plan_file(path: Path, label: str | None = None) -> tuple[Plan | None, list[Finding]]:
    """Load one plan file. Never raises for bad data: problems become findings with file, line and field."""
    name = label or path.name
    ctx = _Ctx(path, name)
    try:
        raw = read_yaml(path, label=name)
    except ReadFailed as exc:
        return None, [exc.finding.model_copy(update={"code": "RLT-001"})]
    if not isinstance(raw, dict):
        ctx.add("RLT-001", (), f"the top level must be a mapping (one plan), but it is a {type(raw).__name__}",
                "start the file with 'id:', 'title:', 'targets:' ...")
        return None, ctx.findings
    try:
        plan = Plan.model_validate(raw)
    except ValidationError as exc:
        seen: set[PathKey] = set()
        errors = exc.errors(include_url=False)
        inner = {_clean(e["loc"])[:1] for e in errors if len(_clean(e["loc"])) > 1}
        for err in errors:
            path_key = _clean(err["loc"])
            if path_key in seen or (err["type"] == "too_short" and path_key in inner):
                continue  # "no valid target left" only repeats the errors of the targets themselves
            seen.add(path_key)
            code = "RLT-001"
            ctx.add(code, path_key, _describe(err), _hint_for(err, path_key))
        # still report unknown metrics of targets that were otherwise fine
        targets = raw.get("targets")
        for i, t in enumerate(targets if isinstance(targets, list) else []):
            if isinstance(t, dict) and isinstance(t.get("metric"), str) and t["metric"] not in METRICS:
                ctx.add("RLT-002", ("targets", i, "metric"), f"target names metric {t['metric']!r}, which govnet "
                        "cannot measure", f"use one of: {', '.join(METRICS)} — or mark it reported_only: true")
        return None, ctx.findings
    _check_plan(ctx, plan)
    return (plan if not ctx.findings else None), ctx.findings


def load_plans(folder: str | Path) -> PlanSet:
    """Load every ``*.yaml`` plan of ``folder`` (sorted by name). Never raises: see :func:`plans_or_raise`."""
    folder = Path(folder)
    out = PlanSet()
    if not folder.is_dir():
        out.findings.append(Finding(code="RLT-001", severity=Severity.ERROR, file=str(folder),
                                    message="plans folder not found",
                                    hint="create it with one YAML file per plan, or pass --plans DIR"))
        return out
    for path in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")):
        label = f"{folder.name}/{path.name}"
        plan, findings = load_plan_file(path, label)
        out.findings.extend(findings)
        if plan is None:
            continue
        if plan.id in out.files:
            out.findings.append(Finding(code="RLT-001", severity=Severity.ERROR, file=label,
                                        line=Locator(path).line(("id",)), field="id",
                                        message=f"plan id {plan.id!r} is also used by {out.files[plan.id]}",
                                        hint="give each plan its own id"))
            continue
        out.plans.append(plan)
        out.files[plan.id] = label
        out.paths[plan.id] = path
    if not out.plans and not out.findings:
        out.findings.append(Finding(code="RLT-001", severity=Severity.ERROR, file=str(folder),
                                    message="no plan files (*.yaml) in the plans folder",
                                    hint="add a plan; see docs/rollout.md"))
    return out


def plans_or_raise(folder: str | Path) -> PlanSet:
    """Load the plans; raise :class:`RolloutError` (carrying every finding) when any plan is bad."""
    result = load_plans(folder)
    errors = [f for f in result.findings if f.severity is Severity.ERROR]
    if errors:
        raise RolloutError(f"{len(errors)} problem(s) in the plans; first: {errors[0].sentence()}",
                           code=errors[0].code if errors[0].code.startswith("RLT") else "RLT-001",
                           hint="fix the plan files and run again", findings=errors)
    return result
