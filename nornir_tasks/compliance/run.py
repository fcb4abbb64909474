"""One compliance run: every selected device ends in exactly one state, with the findings that led there.

``run_compliance(settings, inv, names, running, intended, today)`` is the whole check as a function of its
inputs (the baseline folder and waiver register are read from ``settings`` unless passed in). The CLI, the
import of hand-collected configs, the lab tests and the benchmark all call it.

**States and their precedence** (the first that holds wins):

1. ``not_applicable`` — the device's site is not in service (planned, ordered, decommissioned), or nothing
   applies to it (no intended config to compare and no baseline rule in scope).
2. ``unreachable`` — its configuration is needed (``only`` is not ``inventory``) but the last collection
   failed or none was ever made. Never reported as non-compliant: we do not know.
3. ``stale`` — the configuration we hold is older than ``backup_max_age_days``: findings are listed, but
   the verdict waits for a fresh backup.
4. ``non_compliant`` — at least one failing finding (a feature that differs from intended, a baseline rule
   past its grace period) that no waiver covers.
5. ``waived`` — there are failing findings and a current waiver covers every one of them.
6. ``compliant`` — nothing fails (warnings and rules still in their grace period — "due by DATE" — allowed).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from nornir_tasks.compliance.baseline import (
    ActiveRule,
    BaselineSet,
    LineIndex,
    evaluate_config,
    load_baselines,
)
from nornir_tasks.compliance.check import FeatureResult, compare, parse_config
from nornir_tasks.compliance.guard import GuardContext, Refusal
from nornir_tasks.compliance.inventory_rules import CHECKS, Outcome, RuleContext
from nornir_tasks.compliance.remediation import PlaceholderMap, placeholder_map
from nornir_tasks.compliance.secrets import mask_secrets
from nornir_tasks.compliance.waivers import WaiverRegister, load_waivers
from nornir_tasks.model import Inventory, Platform, SiteStatus
from nornir_tasks.platforms import get as get_platform
from nornir_tasks.render.context import lab_ifname
from nornir_tasks.settings import Settings


class DeviceState(str, Enum):
    COMPLIANT = "compliant"
    NON_COMPLIANT = "non_compliant"
    UNREACHABLE = "unreachable"
    STALE = "stale"
    WAIVED = "waived"
    NOT_APPLICABLE = "not_applicable"


#: The states in precedence order (see the module docstring) and their Vietnamese names for reports.
STATE_ORDER = (DeviceState.NOT_APPLICABLE, DeviceState.UNREACHABLE, DeviceState.STALE, DeviceState.NON_COMPLIANT,
               DeviceState.WAIVED, DeviceState.COMPLIANT)
STATE_VI = {
    DeviceState.COMPLIANT: "tuân thủ",
    DeviceState.NON_COMPLIANT: "không tuân thủ",
    DeviceState.UNREACHABLE: "không kết nối được",
    DeviceState.STALE: "quá hạn",
    DeviceState.WAIVED: "miễn trừ",
    DeviceState.NOT_APPLICABLE: "không áp dụng",
}

Only = Literal["all", "config", "inventory"]


class _M(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RunningConfig(_M):
    """A running configuration we hold for a device: from the backup store or from an imported bundle."""

    text: str
    collected_at: datetime | None = None
    source: Literal["backup", "offline"] = "backup"


class Unreachable(_M):
    """The device could not be collected; ``last_collected_at`` is when a backup last succeeded, if ever."""

    error: str
    last_collected_at: datetime | None = None


class WaiverRef(_M):
    approver: str
    expires: date
    reason: str


class RuleFinding(_M):
    """One failing (or warning, due, waived) check on one device."""

    rule: str
    title: str
    severity: Literal["H", "M", "L"]
    kind: Literal["feature", "config", "inventory"]
    basis: str = ""
    origin: str = ""
    status: Literal["fail", "warn", "due", "waived"]
    message: str
    due_by: date | None = None
    waiver: WaiverRef | None = None
    hint: str = ""


class DeviceResult(_M):
    name: str
    site: str
    site_name: str
    province: str
    region: str
    level: str
    role: str
    platform: str
    state: DeviceState
    reason: str
    source: Literal["backup", "offline", "none"] = "none"
    collected_at: datetime | None = None
    features: tuple[FeatureResult, ...] = ()
    findings: tuple[RuleFinding, ...] = ()
    rules_checked: int = 0
    remediation_lines: int = 0
    notes: tuple[str, ...] = ()
    #: lines left out of the remediation or rollback (protected, or holding a masked secret), with code and why
    refused: tuple[Refusal, ...] = ()


class ComplianceRun(_M):
    run_id: str
    taken_at: datetime
    today: date
    only: Only
    baseline: str
    baseline_version: str | None
    devices: tuple[DeviceResult, ...]
    #: host → (remediation, rollback) for non-compliant devices; not part of reports.
    remediations: dict[str, tuple[str, str]] = Field(default_factory=dict, exclude=True)

    def counts(self) -> dict[str, int]:
        out = {s.value: 0 for s in STATE_ORDER}
        for d in self.devices:
            out[d.state.value] += 1
        return out

    @property
    def failed(self) -> bool:
        """True when anything is non-compliant or unreachable (the CLI's exit code 1)."""
        return any(d.state in (DeviceState.NON_COMPLIANT, DeviceState.UNREACHABLE) for d in self.devices)


_OUT_OF_SERVICE = {SiteStatus.PLANNED, SiteStatus.ORDERED, SiteStatus.DECOMMISSIONED}
_FEATURE_SEVERITY: Literal["M"] = "M"


@dataclass
class _Job:
    """Everything one device check needs, shared by all devices of a run."""

    inv: Inventory
    rules: list[ActiveRule]
    waivers: WaiverRegister
    ctx: RuleContext
    today: date
    only: Only
    max_age: timedelta
    remediate: bool
    platform: Platform | None = None       # the lab: every device is an FRR router
    problems: Mapping[str, str] | None = None
    login_user: str | None = None          # the account govnet logs in with: its login path is protected
    known: tuple[str, ...] = ()            # the login password and enable secret: scrubbed wherever they appear


def _finding(job: _Job, dev: str, site: str, rule_id: str, title: str, severity: Any, kind: Any, message: str,
             *, status: str = "fail", basis: str = "", origin: str = "", due_by: date | None = None,
             hint: str = "") -> RuleFinding:
    waiver = None
    if status in ("fail", "due"):
        w = job.waivers.find(rule_id, dev, site, job.today)
        if w is not None and status == "fail":
            status = "waived"
            waiver = WaiverRef(approver=w.approver, expires=w.expires, reason=w.reason)
    return RuleFinding(rule=rule_id, title=title, severity=severity, kind=kind, basis=basis, origin=origin,
                       status=status, message=message, due_by=due_by, waiver=waiver, hint=hint)  # type: ignore[arg-type]


def _check_device(job: _Job, name: str, running: RunningConfig | Unreachable | None,
                  intended: str | None) -> tuple[DeviceResult, tuple[str, str] | None]:
    inv = job.inv
    dev = inv.devices[name]
    site = inv.sites[dev.site]
    plat = job.platform or dev.platform
    base: dict[str, Any] = {"name": name, "site": site.id, "site_name": site.name, "province": site.province_code,
                            "region": site.region.value, "level": site.level.value, "role": dev.role.value,
                            "platform": plat.value}
    if site.status in _OUT_OF_SERVICE:
        return DeviceResult(**base, state=DeviceState.NOT_APPLICABLE,
                            reason=f"site {site.id} is {site.status.value}, not in service"), None
    want_config = job.only != "inventory"
    want_inventory = job.only != "config"
    notes: list[str] = []
    findings: list[RuleFinding] = []
    features: tuple[FeatureResult, ...] = ()
    remediation: tuple[str, str] | None = None
    source: Any = "none"
    collected_at: datetime | None = None
    parsed_running = None
    unreachable_reason: str | None = None
    refused: tuple[Refusal, ...] = ()

    if want_config:
        if isinstance(running, RunningConfig):
            source, collected_at = running.source, running.collected_at
            parsed_running = parse_config(plat, mask_secrets(plat, running.text, job.known))
        elif isinstance(running, Unreachable):
            collected_at = running.last_collected_at
            unreachable_reason = f"could not be reached: {running.error}"
        else:
            unreachable_reason = "no running configuration collected yet (run 'govnet backup')"

    shared = None
    rules_checked = 0
    for ar in job.rules:
        rule = ar.rule
        if not rule.scope.matches(dev, site):
            continue
        due = ar.in_grace(job.today)
        if rule.config is not None:
            checks = rule.config.get(plat)
            if not want_config or checks is None or parsed_running is None:
                continue
            if shared is None:
                shared = job.ctx.shared(name)
            idx = _index(parsed_running)
            outcomes: list[Outcome] = evaluate_config(checks, idx, shared, dev)
        else:
            if not want_inventory:
                continue
            outcomes = CHECKS[rule.check](job.ctx, dev, rule.params)   # type: ignore[index]
        rules_checked += 1
        for o in outcomes:
            status = "warn" if o.status == "warn" else ("due" if due else "fail")
            findings.append(_finding(job, name, site.id, rule.id, rule.title, rule.severity, rule.kind, o.message,
                                     status=status, basis=rule.basis_text, origin=ar.origin,
                                     due_by=ar.due_by if due else None, hint=rule.hint))

    compared = False
    if want_config and parsed_running is not None:
        if intended is None:
            why = (job.problems or {}).get(name)
            notes.append(f"no intended configuration, features not compared: {why}" if why else
                         "no intended configuration: features not compared (run 'govnet render')")
        else:
            masked = mask_secrets(plat, intended)

            def placeholders(intended: str = intended, masked: str = masked) -> PlaceholderMap:
                return placeholder_map(intended, masked)

            guard_ctx = GuardContext(login_user=job.login_user, mgmt_interfaces=tuple(
                lab_ifname(dev, i) if job.platform is not None else i.name
                for i in dev.interfaces if i.kind.value == "mgmt"))
            comp = compare(parse_config(plat, masked), parsed_running, remediate=job.remediate,
                           placeholders=placeholders, context=guard_ctx)
            refused = comp.refused
            notes.extend(r.sentence() for r in refused)
            compared = True
            features = comp.features
            for f in features:
                if not f.compliant:
                    parts = []
                    if f.missing:
                        parts.append(f"{sum(1 for ln in f.missing if not ln.startswith(' '))} section(s) with "
                                     f"missing lines")
                    if f.extra:
                        parts.append(f"{sum(1 for ln in f.extra if not ln.startswith(' '))} section(s) with "
                                     "extra lines")
                    if f.order_differs:
                        parts.append("lines in another order")
                    findings.append(_finding(job, name, site.id, f"feature:{f.name}", f"{f.name} as intended",
                                             _FEATURE_SEVERITY, "feature",
                                             f"{f.name} differs from the intended config: " + ", ".join(parts),
                                             hint="apply the remediation config"))
            if comp.remediation:
                remediation = (comp.remediation, comp.rollback)

    failing = [f for f in findings if f.status == "fail"]
    waived = [f for f in findings if f.status == "waived"]
    if not compared and rules_checked == 0 and unreachable_reason is None:
        state, reason = DeviceState.NOT_APPLICABLE, "nothing applies: no intended config and no rule in scope"
    elif unreachable_reason is not None:
        state, reason = DeviceState.UNREACHABLE, unreachable_reason
    elif want_config and collected_at is not None and collected_at.date() < job.today - job.max_age:
        state = DeviceState.STALE
        reason = (f"configuration collected {collected_at.date().isoformat()}, older than "
                  f"{job.max_age.days} days: back it up again")
    elif failing:
        state = DeviceState.NON_COMPLIANT
        reason = f"{len(failing)} failing finding(s): " + ", ".join(sorted({f.rule for f in failing}))
    elif waived:
        state, reason = DeviceState.WAIVED, f"{len(waived)} finding(s) waived: " + ", ".join(sorted({f.rule for f in waived}))
    else:
        dues = [f.due_by for f in findings if f.status == "due" and f.due_by is not None]
        state = DeviceState.COMPLIANT
        reason = "as intended and as the baseline requires"
        if dues:
            reason += f"; {len(dues)} finding(s) due by {min(dues).isoformat()}"
    if state is not DeviceState.NON_COMPLIANT:
        remediation = None       # only non-compliant devices get a remediation to push
    if source == "offline":
        notes.append(f"reported offline (collected {collected_at.date().isoformat() if collected_at else 'on an unknown date'})")
    comment = get_platform(plat).comment_prefixes[0]      # refusals are listed as comments, not lines to push
    rem_lines = sum(1 for ln in remediation[0].splitlines() if not ln.startswith(comment)) if remediation else 0
    return DeviceResult(**base, state=state, reason=reason, source=source, collected_at=collected_at,
                        features=features, findings=tuple(findings), rules_checked=rules_checked,
                        remediation_lines=rem_lines, notes=tuple(notes), refused=refused), remediation


def _index(parsed: Any) -> LineIndex:
    idx = getattr(parsed, "_line_index", None)
    if idx is None:
        idx = LineIndex(parsed)
        parsed._line_index = idx
    return idx


# The job of a forked worker pool: set just before the pool forks and read by the children (copy-on-write);
# never used outside run_compliance.
_FORKED: dict[str, Any] = {}


def _chunk(args: tuple[list[str], dict[str, Any], dict[str, Any]]) -> list[tuple[DeviceResult, tuple[str, str] | None]]:
    names, running, intended = args
    job: _Job = _FORKED["job"]
    return [_check_device(job, n, running.get(n), intended.get(n)) for n in names]


def feature_rule_ids() -> set[str]:
    """``feature:<name>`` for every feature govnet compares on some platform (what a waiver may name).

    Examples:
        >>> "feature:ntp" in feature_rule_ids()
        True
    """
    from nornir_tasks.platforms import PLATFORMS

    return {f"feature:{f.name}" for spec in PLATFORMS.values() for f in spec.features.features}


def run_compliance(settings: Settings, inv: Inventory, names: list[str],
                   running: Mapping[str, RunningConfig | Unreachable], intended: Mapping[str, str], today: date, *,
                   only: Only = "all", baselines: BaselineSet | None = None, waivers: WaiverRegister | None = None,
                   remediate: bool = True, workers: int = 1, now: datetime | None = None,
                   platform: Platform | str | None = None, problems: Mapping[str, str] | None = None) -> ComplianceRun:
    """Check ``names`` and return the run (pure when ``baselines`` and ``waivers`` are given).

    ``running`` maps a host to its running config or to :class:`Unreachable`; a host absent from it has never
    been collected. ``intended`` maps a host to its intended config text. ``workers > 1`` checks devices in
    that many forked processes (large fleets only; the result is the same). ``platform`` compares every
    device as that platform (``frr`` for the lab); ``problems`` says why a host has no intended config.
    """
    if baselines is None:
        baselines = load_baselines(settings.resolve(settings.baseline_dir))
    if waivers is None:
        waivers = load_waivers(settings.resolve(settings.inventory_dir) / "waivers.yaml",
                               known_devices=set(inv.devices), known_sites=set(inv.sites),
                               known_rules=baselines.rule_ids() | feature_rule_ids(), today=today)
    rules = baselines.rules_for(today)
    job = _Job(inv=inv, rules=rules, waivers=waivers, ctx=RuleContext.build(inv, today), today=today, only=only,
               max_age=timedelta(days=settings.backup_max_age_days), remediate=remediate,
               platform=Platform(platform) if platform is not None else None, problems=problems,
               login_user=settings.credential("username"),
               known=tuple(v for v in (settings.credential("password"), settings.credential("enable_secret")) if v))
    results: list[tuple[DeviceResult, tuple[str, str] | None]]
    if workers > 1 and len(names) >= 200 and hasattr(os, "fork"):
        import multiprocessing

        size = max(50, len(names) // (workers * 4))
        chunks = [names[i:i + size] for i in range(0, len(names), size)]
        _FORKED["job"] = job
        import gc

        gc.freeze()     # keep the shared inventory out of the children's garbage collector (fewer copied pages)
        try:
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
                parts = pool.map(_chunk, [(c, {n: running[n] for n in c if n in running},
                                           {n: intended[n] for n in c if n in intended}) for c in chunks])
                results = [r for part in parts for r in part]
        finally:
            _FORKED.clear()
            gc.unfreeze()
    else:
        results = [_check_device(job, n, running.get(n), intended.get(n)) for n in names]
    taken = now or datetime.now(UTC)
    cur = baselines.current_version(today)
    return ComplianceRun(
        run_id=taken.strftime("%Y%m%dT%H%M%S%fZ"), taken_at=taken, today=today, only=only,
        baseline=baselines.describe(today), baseline_version=f"{cur.baseline} {cur.version}" if cur else None,
        devices=tuple(r for r, _ in results),
        remediations={r.name: rem for r, rem in results if rem is not None})
