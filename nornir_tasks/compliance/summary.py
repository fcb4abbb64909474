"""Aggregates of a compliance run: per site, province, region, feature and rule. Pure; the report writers
and the terminal summary all read these."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from nornir_tasks.compliance.run import STATE_ORDER, ComplianceRun, DeviceResult


def _count(devices: list[DeviceResult]) -> dict[str, Any]:
    out: dict[str, Any] = {s.value: 0 for s in STATE_ORDER}
    for d in devices:
        out[d.state.value] += 1
    judged = sum(out[s] for s in ("compliant", "non_compliant", "waived"))
    out["devices"] = len(devices)
    out["compliant_pct"] = round(100.0 * (out["compliant"] + out["waived"]) / judged, 1) if judged else None
    return out


def by_key(run: ComplianceRun, key: str) -> dict[str, dict[str, Any]]:
    """Counts of states grouped by a device attribute (``site``, ``province``, ``region``, ``platform``, ``role``).

    ``compliant_pct`` counts compliant and waived devices among those judged (unreachable, stale and not
    applicable devices are not judged), None when no device was judged.
    """
    groups: dict[str, list[DeviceResult]] = defaultdict(list)
    for d in run.devices:
        groups[str(getattr(d, key))].append(d)
    return {k: _count(v) for k, v in sorted(groups.items())}


def by_feature(run: ComplianceRun) -> dict[str, dict[str, int]]:
    """Per feature: devices compared, compliant, non-compliant, and missing/extra line totals."""
    out: dict[str, dict[str, int]] = {}
    for d in run.devices:
        for f in d.features:
            row = out.setdefault(f.name, {"compared": 0, "compliant": 0, "non_compliant": 0, "missing": 0, "extra": 0})
            row["compared"] += 1
            row["compliant" if f.compliant else "non_compliant"] += 1
            row["missing"] += len(f.missing)
            row["extra"] += len(f.extra)
    return dict(sorted(out.items()))


def by_rule(run: ComplianceRun) -> dict[str, dict[str, Any]]:
    """Per rule (and ``feature:<name>``): how many devices fail, are due, waived or warned, and its title."""
    out: dict[str, dict[str, Any]] = {}
    for d in run.devices:
        seen: set[tuple[str, str]] = set()
        for f in d.findings:
            row = out.setdefault(f.rule, {"title": f.title, "severity": f.severity, "kind": f.kind, "basis": f.basis,
                                          "fail": 0, "due": 0, "waived": 0, "warn": 0, "due_by": None})
            if (f.rule, f.status) in seen:
                continue
            seen.add((f.rule, f.status))
            row[f.status] += 1
            if f.due_by is not None:
                row["due_by"] = f.due_by.isoformat()
    return dict(sorted(out.items()))


def summarize(run: ComplianceRun) -> dict[str, Any]:
    """Everything a report shows besides the device list."""
    return {
        "totals": _count(list(run.devices)),
        "by_region": by_key(run, "region"),
        "by_province": by_key(run, "province"),
        "by_site": by_key(run, "site"),
        "by_platform": by_key(run, "platform"),
        "by_feature": by_feature(run),
        "by_rule": by_rule(run),
    }
