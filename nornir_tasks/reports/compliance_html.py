"""Compliance run → one offline HTML page (inline CSS and a few lines of inline JS; no CDN, no server).

Totals as coloured tiles, tables per region / province / feature / rule, and a filterable device table whose
rows open to show each device's findings and missing (+) / extra (−) lines. All text is escaped.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from nornir_tasks.compliance.run import STATE_ORDER, STATE_VI, ComplianceRun, DeviceState
from nornir_tasks.compliance.summary import summarize
from nornir_tasks.fileio import write_if_changed

COLOUR = {"compliant": "#2e7d32", "non_compliant": "#c62828", "unreachable": "#6a1b9a", "stale": "#ef6c00",
          "waived": "#1565c0", "not_applicable": "#78909c"}
_STATES = [s.value for s in STATE_ORDER]

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:1.5rem;color:#222}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem}
.tiles{display:flex;gap:.6rem;flex-wrap:wrap}.tile{color:#fff;padding:.6rem .9rem;border-radius:6px;min-width:8rem}
.tile b{font-size:1.5rem;display:block}
table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}.st{color:#fff;border-radius:4px;padding:0 .35rem;white-space:nowrap}
pre{background:#fafafa;border:1px solid #eee;padding:.4rem;margin:.3rem 0;white-space:pre-wrap}
.add{color:#1b5e20}.del{color:#b71c1c}details summary{cursor:pointer}
"""

_JS = """
function filt(){const q=document.getElementById('q').value.toLowerCase();const s=document.getElementById('s').value;
document.querySelectorAll('#devices tbody tr').forEach(r=>{const ok=(!q||r.dataset.k.includes(q))&&(!s||r.dataset.s===s);
r.style.display=ok?'':'none';});}
"""


def _e(v: Any) -> str:
    return escape("" if v is None else str(v), quote=True)


def _badge(state: str) -> str:
    return f'<span class="st" style="background:{COLOUR[state]}">{_e(state)} — {_e(STATE_VI[DeviceState(state)])}</span>'


def _counts_table(title: str, groups: dict[str, dict[str, Any]]) -> str:
    head = "".join(f"<th>{_e(s)}</th>" for s in _STATES)
    rows = "".join(
        f"<tr><td>{_e(k)}</td><td>{v['devices']}</td>" + "".join(f"<td>{v[s]}</td>" for s in _STATES)
        + f"<td>{'' if v['compliant_pct'] is None else _e(v['compliant_pct']) + '%'}</td></tr>"
        for k, v in groups.items())
    return f"<table><thead><tr><th>{_e(title)}</th><th>devices</th>{head}<th>compliant %</th></tr></thead><tbody>{rows}</tbody></table>"


def to_html(run: ComplianceRun) -> str:
    """The page as text.

    Examples:
        >>> from datetime import date, datetime
        >>> run = ComplianceRun(run_id="x", taken_at=datetime(2026, 1, 1), today=date(2026, 1, 1), only="all",
        ...                     baseline="national <2025.1>", baseline_version=None, devices=())
        >>> "national &lt;2025.1&gt;" in to_html(run), "http" in to_html(run).split("<body>")[0]
        (True, False)
    """
    s = summarize(run)
    t = s["totals"]
    tiles = "".join(f'<div class="tile" style="background:{COLOUR[st]}"><b>{t[st]}</b>{_e(STATE_VI[DeviceState(st)])}'
                    f"<br><small>{_e(st)}</small></div>" for st in _STATES)
    feat = "".join(f"<tr><td>{_e(k)}</td><td>{v['compared']}</td><td>{v['compliant']}</td><td>{v['non_compliant']}</td>"
                   f"<td>{v['missing']}</td><td>{v['extra']}</td></tr>" for k, v in s["by_feature"].items())
    rules = "".join(f"<tr><td>{_e(k)}</td><td>{_e(v['title'])}</td><td>{_e(v['severity'])}</td><td>{v['fail']}</td>"
                    f"<td>{v['due']}</td><td>{_e(v['due_by'] or '')}</td><td>{v['waived']}</td><td>{v['warn']}</td>"
                    f"<td>{_e(v['basis'])}</td></tr>" for k, v in s["by_rule"].items())
    dev_rows = []
    for d in run.devices:
        detail = []
        for n in d.notes:
            detail.append(f"<div>note: {_e(n)}</div>")
        for f in d.findings:
            extra = f" — due by {_e(f.due_by.isoformat())}" if f.due_by else ""
            if f.waiver:
                extra += (f" — waived by {_e(f.waiver.approver)} until {_e(f.waiver.expires.isoformat())}: "
                          f"{_e(f.waiver.reason)}")
            detail.append(f"<div><b>{_e(f.rule)}</b> [{_e(f.severity)}/{_e(f.status)}] {_e(f.message)}{extra}</div>")
        for feature in d.features:
            if feature.compliant:
                continue
            body = "".join(f'<span class="add">+ {_e(ln)}</span>\n' for ln in feature.missing)
            body += "".join(f'<span class="del">- {_e(ln)}</span>\n' for ln in feature.extra)
            if feature.order_differs:
                body += "# same lines, different order\n"
            detail.append(f"<div>feature <b>{_e(feature.name)}</b></div><pre>{body}</pre>")
        info = f"<details><summary>{_e(d.reason)}</summary>{''.join(detail)}</details>" if detail else _e(d.reason)
        key = _e(f"{d.name} {d.site} {d.site_name} {d.province} {d.region} {d.platform} {d.role}".lower())
        when = d.collected_at.date().isoformat() if d.collected_at else ""
        dev_rows.append(f'<tr data-k="{key}" data-s="{_e(d.state.value)}"><td>{_e(d.name)}</td><td>{_e(d.site_name)}'
                        f"<br><small>{_e(d.site)}</small></td><td>{_e(d.province)}</td><td>{_e(d.platform)}</td>"
                        f"<td>{_badge(d.state.value)}</td><td>{_e(d.source)} {_e(when)}</td><td>{info}</td></tr>")
    options = "".join(f'<option value="{_e(st)}">{_e(st)} — {_e(STATE_VI[DeviceState(st)])}</option>' for st in _STATES)
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Báo cáo tuân thủ cấu hình {_e(run.today.isoformat())}</title><style>{_CSS}</style></head>
<body>
<h1>Báo cáo tuân thủ cấu hình — compliance report {_e(run.today.isoformat())}</h1>
<p>Run <code>{_e(run.run_id)}</code>, taken {_e(run.taken_at.isoformat())}, scope <b>{_e(run.only)}</b>.
Baseline: {_e(run.baseline)}.</p>
<div class="tiles">{tiles}</div>
<h2>Theo vùng — by region</h2>{_counts_table("region", s["by_region"])}
<h2>Theo tỉnh — by province</h2>{_counts_table("province", s["by_province"])}
<h2>Theo điểm — by site</h2>{_counts_table("site", s["by_site"])}
<h2>Theo tính năng — by feature</h2>
<table><thead><tr><th>feature</th><th>compared</th><th>compliant</th><th>non-compliant</th><th>missing lines</th><th>extra lines</th></tr></thead><tbody>{feat}</tbody></table>
<h2>Theo quy tắc — by rule</h2>
<table><thead><tr><th>rule</th><th>title</th><th>severity</th><th>fail</th><th>due</th><th>due by</th><th>waived</th><th>warn</th><th>basis</th></tr></thead><tbody>{rules}</tbody></table>
<h2>Thiết bị — devices</h2>
<p><input id="q" placeholder="tìm / search" oninput="filt()"> <select id="s" onchange="filt()"><option value="">tất cả / all</option>{options}</select></p>
<table id="devices"><thead><tr><th>device</th><th>site</th><th>province</th><th>platform</th><th>state</th><th>source</th><th>details</th></tr></thead>
<tbody>{''.join(dev_rows)}</tbody></table>
<script>{_JS}</script>
</body></html>
"""


def write_html(run: ComplianceRun, out_dir: Path) -> Path:
    path = out_dir / "compliance.html"
    write_if_changed(path, to_html(run))
    return path
