"""Compliance run → Markdown (for a ticket, a wiki page or an e-mail): totals, regions, provinces, features,
rules, then every device that is not compliant with its findings and missing/extra lines."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from nornir_tasks.compliance.run import STATE_ORDER, STATE_VI, ComplianceRun, DeviceState
from nornir_tasks.compliance.summary import summarize
from nornir_tasks.fileio import write_if_changed
from nornir_tasks.reports.escape import markdown_text

_STATES = [s.value for s in STATE_ORDER]


def _cell(v: Any) -> str:
    return "" if v is None else markdown_text(v)     # a site name or reason is text, never HTML or Markdown


def _fence(lines: list[str]) -> str:
    """A code fence longer than any run of backticks in ``lines`` (a config line cannot close it)."""
    longest = max((len(run) for ln in lines for run in re.findall(r"`+", ln)), default=0)
    return "`" * max(3, longest + 1)


def _table(header: list[str], rows: Iterable[list[Any]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(_cell(v) for v in r) + " |" for r in rows]
    return out


def _counts_rows(groups: dict[str, dict[str, Any]]) -> list[list[Any]]:
    return [[k, v["devices"], *(v[s] for s in _STATES), "" if v["compliant_pct"] is None else f"{v['compliant_pct']}%"]
            for k, v in groups.items()]


def to_markdown(run: ComplianceRun) -> str:
    """The report as Markdown text.

    Examples:
        >>> from datetime import date, datetime
        >>> run = ComplianceRun(run_id="x", taken_at=datetime(2026, 1, 1), today=date(2026, 1, 1), only="all",
        ...                     baseline="national 2025.1", baseline_version="national 2025.1", devices=())
        >>> to_markdown(run).splitlines()[0]
        '# Báo cáo tuân thủ cấu hình — compliance report (2026-01-01)'
    """
    s = summarize(run)
    lines = [f"# Báo cáo tuân thủ cấu hình — compliance report ({run.today.isoformat()})", "",
             f"- Run: `{run.run_id}`, taken {run.taken_at.isoformat()}, scope: {run.only}",
             f"- Baseline: {markdown_text(run.baseline)}", ""]
    head = ["", "devices", *[f"{s_} ({STATE_VI[DeviceState(s_)]})" for s_ in _STATES], "compliant %"]
    lines += ["## Tổng hợp — totals", ""] + _table(head, _counts_rows({"all": s["totals"]})) + [""]
    lines += ["## Theo vùng — by region", ""] + _table(["region", *head[1:]], _counts_rows(s["by_region"])) + [""]
    lines += ["## Theo tỉnh — by province", ""] + _table(["province", *head[1:]], _counts_rows(s["by_province"])) + [""]
    lines += ["## Theo điểm — by site", ""] + _table(["site", *head[1:]], _counts_rows(s["by_site"])) + [""]
    lines += ["## Theo tính năng — by feature", ""] + _table(
        ["feature", "compared", "compliant", "non-compliant", "missing lines", "extra lines"],
        [[k, v["compared"], v["compliant"], v["non_compliant"], v["missing"], v["extra"]]
         for k, v in s["by_feature"].items()]) + [""]
    lines += ["## Theo quy tắc — by rule", ""] + _table(
        ["rule", "title", "severity", "fail", "due", "due by", "waived", "warn", "basis"],
        [[k, v["title"], v["severity"], v["fail"], v["due"], v["due_by"] or "", v["waived"], v["warn"], v["basis"]]
         for k, v in s["by_rule"].items()]) + [""]
    lines += ["## Thiết bị — devices", ""]
    lines += _table(["device", "site", "platform", "state", "reason"],
                    [[d.name, d.site, d.platform, f"{d.state.value} ({STATE_VI[d.state]})", d.reason]
                     for d in run.devices]) + [""]
    for d in run.devices:
        if d.state is DeviceState.COMPLIANT and not d.findings:
            continue
        lines += [f"### {markdown_text(d.name)} — {d.state.value} ({STATE_VI[d.state]})", "",
                  f"{markdown_text(d.reason)}.", ""]
        for n in d.notes:
            lines.append(f"- note: {markdown_text(n)}")
        for f in d.findings:
            extra = f" (due by {f.due_by.isoformat()})" if f.due_by else ""
            if f.waiver:
                extra += (f" (waived by {markdown_text(f.waiver.approver)} until {f.waiver.expires.isoformat()}: "
                          f"{markdown_text(f.waiver.reason)})")
            lines.append(f"- **{markdown_text(f.rule)}** \\[{f.severity}/{f.status}\\] {markdown_text(f.message)}{extra}")
        for feat in d.features:
            if feat.compliant:
                continue
            body = [f"+ {ln}" for ln in feat.missing] + [f"- {ln}" for ln in feat.extra]
            if feat.order_differs:
                body.append("# same lines, different order")
            fence = _fence(body)
            lines += ["", f"Feature `{feat.name}`:", "", fence + "diff", *body, fence]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def write_markdown(run: ComplianceRun, out_dir: Path) -> Path:
    path = out_dir / "compliance.md"
    write_if_changed(path, to_markdown(run))
    return path
