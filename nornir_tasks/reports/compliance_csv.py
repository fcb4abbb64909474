"""Compliance run → CSV files for spreadsheets: one row per device, per finding and per feature.

Written as UTF-8 with a byte-order mark so that Excel shows Vietnamese diacritics correctly.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from nornir_tasks.compliance.run import STATE_VI, ComplianceRun
from nornir_tasks.fileio import write_if_changed
from nornir_tasks.reports.escape import csv_cell

DEVICE_COLUMNS = ["device", "site", "site_name", "province", "region", "level", "role", "platform", "state",
                  "state_vi", "reason", "source", "collected_at", "failing", "due", "waived", "remediation_lines"]
FINDING_COLUMNS = ["device", "site", "province", "rule", "title", "kind", "severity", "status", "due_by",
                   "waiver_approver", "waiver_expires", "message", "basis", "origin"]
FEATURE_COLUMNS = ["device", "platform", "feature", "compliant", "missing", "extra", "order_differs"]


def _text(header: list[str], rows: Sequence[Sequence[object]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow(["" if v is None else csv_cell(v) for v in r])   # no cell is ever a formula (OWASP)
    return "\ufeff" + buf.getvalue()


def devices_csv(run: ComplianceRun) -> str:
    """One row per device.

    Examples:
        >>> from datetime import date, datetime
        >>> run = ComplianceRun(run_id="x", taken_at=datetime(2026, 1, 1), today=date(2026, 1, 1), only="all",
        ...                     baseline="b", baseline_version=None, devices=())
        >>> devices_csv(run).splitlines()[0][1:40]
        'device,site,site_name,province,region,l'
    """
    rows = []
    for d in run.devices:
        st = [f.status for f in d.findings]
        rows.append([d.name, d.site, d.site_name, d.province, d.region, d.level, d.role, d.platform, d.state.value,
                     STATE_VI[d.state], d.reason, d.source, d.collected_at.isoformat() if d.collected_at else None,
                     st.count("fail"), st.count("due"), st.count("waived"), d.remediation_lines])
    return _text(DEVICE_COLUMNS, rows)


def findings_csv(run: ComplianceRun) -> str:
    rows = []
    for d in run.devices:
        for f in d.findings:
            rows.append([d.name, d.site, d.province, f.rule, f.title, f.kind, f.severity, f.status,
                         f.due_by.isoformat() if f.due_by else None, f.waiver.approver if f.waiver else None,
                         f.waiver.expires.isoformat() if f.waiver else None, f.message, f.basis, f.origin])
    return _text(FINDING_COLUMNS, rows)


def features_csv(run: ComplianceRun) -> str:
    rows = [[d.name, d.platform, f.name, int(f.compliant), len(f.missing), len(f.extra), int(f.order_differs)]
            for d in run.devices for f in d.features]
    return _text(FEATURE_COLUMNS, rows)


def write_csv(run: ComplianceRun, out_dir: Path) -> list[Path]:
    out = []
    for name, text in (("compliance-devices.csv", devices_csv(run)), ("compliance-findings.csv", findings_csv(run)),
                       ("compliance-features.csv", features_csv(run))):
        write_if_changed(out_dir / name, text)
        out.append(out_dir / name)
    return out
