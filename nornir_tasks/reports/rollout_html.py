"""``dashboard.html``: one offline page for planners (no CDN, no server, no tile server: CSS, JS and charts inline).

* one card per target: status, numerator / denominator, share, expected share, deadline, forecast, the
  operator's reported figures beside govnet's own numbers, and a burn-up chart (actual vs expected over time,
  inline SVG drawn here);
* progress by province as bars (one chart per target, chosen from a list);
* a map of the sites coloured by their state for the chosen target, drawn from their coordinates (lon/lat
  projected to an inline SVG scatter; communes of the 2025 list that the inventory does not hold are light grey);
* a sortable, filterable table of lagging sites with the criterion each one fails (small inline JS).

Every label comes from :mod:`nornir_tasks.rollout.i18n` in Vietnamese or English.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta
from html import escape
from typing import Any

from nornir_tasks.reports.escape import script_json
from nornir_tasks.rollout.geography import communes
from nornir_tasks.rollout.i18n import (
    Lang,
    fmt_date,
    fmt_int,
    fmt_pct,
    fmt_value,
    label,
    level_label,
    scope_text,
    status_label,
)
from nornir_tasks.rollout.scoring import RolloutResult, TargetScore

STATUS_COLOUR = {
    "met": "#2e7d32", "on_track": "#7cb342", "at_risk": "#f9a825", "behind": "#ef6c00", "missed": "#c62828",
    "no_data": "#9e9e9e", "empty_scope": "#bdbdbd",
}
STATE_COLOUR = {"pass": "#2e7d32", "fail": "#d32f2f", "no_data": "#9e9e9e", "na": "#90a4ae", "out": "#e0e0e0"}


def _e(text: Any) -> str:
    return escape("" if text is None else str(text), quote=True)


def _json_script(data: Any, ident: str) -> str:
    # '<' as \u003c: neither '</script>' nor '<!--<script>' in a site name can end or bend the element
    return f'<script type="application/json" id="{ident}">{script_json(data)}</script>'


def _title(t: TargetScore, lang: Lang) -> str:
    return t.title_vi if lang == "vi" else t.title_en


# ---------------------------------------------------------------------------------------------------------
# Burn-up chart
# ---------------------------------------------------------------------------------------------------------
def burnup_svg(t: TargetScore, lang: Lang, width: int = 380, height: int = 190) -> str:
    """Inline SVG: the expected path (dashed), the threshold, the deadline, the measured trend and the
    operator's reported figures, over time."""
    left, right, top, bottom = 40, 12, 12, 28
    pw, ph = width - left - right, height - top - bottom
    dates = [d for d, _ in t.expected_path] + [t.as_of] + [p.as_of for p in t.trend] + [r.as_of for r in t.reported]
    d0, d1 = min(dates), max(dates)
    if d1 <= d0:
        d1 = d0 + timedelta(days=1)
    is_share = t.threshold_kind == "share"
    values = [v for _, v in t.expected_path] + [p.value for p in t.trend] + [t.threshold]
    ymax = 100.0 if is_share else max(values) * 1.05 or 1.0

    def x(d: date) -> float:
        return left + pw * (d - d0).days / (d1 - d0).days

    def y(v: float) -> float:
        return top + ph * (1 - min(max(v, 0.0), ymax) / ymax)

    out = [(f'<svg class="burnup" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
            f'aria-label="{_e(label("burnup", lang))}"><title>{_e(label("burnup", lang))}</title>')]
    for i in range(5):
        v = ymax * i / 4
        yy = y(v)
        out.append(f'<line x1="{left}" y1="{yy:.1f}" x2="{left + pw}" y2="{yy:.1f}" class="grid"/>')
        text = fmt_pct(v, lang) if is_share else fmt_int(round(v), lang)
        out.append(f'<text x="{left - 4}" y="{yy + 3:.1f}" class="ylab">{_e(text)}</text>')
    span = (d1 - d0).days
    for i in range(4):
        d = d0 + timedelta(days=round(span * i / 3))
        anchor = ("start", "middle", "middle", "end")[i]
        out.append(f'<text x="{x(d):.1f}" y="{height - 8}" class="xlab" text-anchor="{anchor}">'
                   f'{_e(fmt_date(d, lang))}</text>')
    ty = y(t.threshold)
    out.append(f'<line x1="{left}" y1="{ty:.1f}" x2="{left + pw}" y2="{ty:.1f}" class="threshold"/>')
    dx = x(t.deadline)
    out.append(f'<line x1="{dx:.1f}" y1="{top}" x2="{dx:.1f}" y2="{top + ph}" class="deadline">'
               f'<title>{_e(label("deadline", lang))} {_e(fmt_date(t.deadline, lang))}</title></line>')
    ax = x(t.as_of)
    out.append(f'<line x1="{ax:.1f}" y1="{top}" x2="{ax:.1f}" y2="{top + ph}" class="asof">'
               f'<title>{_e(label("as_of", lang))} {_e(fmt_date(t.as_of, lang))}</title></line>')
    pts = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in t.expected_path)
    out.append(f'<polyline points="{pts}" class="expected"><title>{_e(label("expected", lang))}</title></polyline>')
    if t.trend:
        pts = " ".join(f"{x(p.as_of):.1f},{y(p.value):.1f}" for p in t.trend)
        out.append(f'<polyline points="{pts}" class="actual"/>')
        for p in t.trend:
            note = f" ({label('derived_point', lang)})" if p.derived else (
                f" ({label('recorded_at', lang)} {p.recorded_at:%Y-%m-%d %H:%M})" if p.recorded_at else "")
            out.append(f'<circle cx="{x(p.as_of):.1f}" cy="{y(p.value):.1f}" r="3.2" '
                       f'class="{"derived-pt" if p.derived else "actual-pt"}">'
                       f'<title>{_e(fmt_date(p.as_of, lang))}: {_e(fmt_value(p.value, t.threshold_kind, lang))}'
                       f'{_e(note)}</title></circle>')
    for r in t.reported:
        fig = r.share if is_share else r.numerator
        if fig is None:
            continue
        cx, cy = x(r.as_of), y(float(fig))
        out.append(f'<path d="M{cx:.1f},{cy - 5:.1f} L{cx + 5:.1f},{cy:.1f} L{cx:.1f},{cy + 5:.1f} '
                   f'L{cx - 5:.1f},{cy:.1f} Z" class="reported-pt"><title>{_e(label("reported", lang))} '
                   f'{_e(fmt_date(r.as_of, lang))}: {_e(fmt_value(float(fig), t.threshold_kind, lang))}</title></path>')
    out.append("</svg>")
    return "".join(out)


# ---------------------------------------------------------------------------------------------------------
# Province bars
# ---------------------------------------------------------------------------------------------------------
def province_bars_svg(t: TargetScore, lang: Lang, width: int = 720) -> str:
    """Horizontal bars: the share of each province, with the expected share marked."""
    rows = t.groups.get("province", [])
    label_w, bar_w, row_h = 220, width - 220 - 130, 20
    height = row_h * max(len(rows), 1) + 10
    out = [(f'<svg class="bars" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
            f'aria-label="{_e(label("by_province", lang))}">')]
    for i, g in enumerate(rows):
        y0 = 5 + i * row_h
        share = g.share or 0.0
        colour = STATUS_COLOUR.get(g.status.value if g.status else "no_data", "#9e9e9e")
        out.append(f'<text x="{label_w - 6}" y="{y0 + 13}" text-anchor="end" class="blab">{_e(g.label)}</text>')
        out.append(f'<rect x="{label_w}" y="{y0 + 3}" width="{bar_w}" height="{row_h - 6}" class="track"/>')
        out.append(f'<rect x="{label_w}" y="{y0 + 3}" width="{bar_w * share / 100:.1f}" height="{row_h - 6}" '
                   f'fill="{colour}"><title>{_e(g.label)}: {g.numerator} / {g.denominator}</title></rect>')
        if t.threshold_kind == "share":
            ex = label_w + bar_w * t.expected / 100
            out.append(f'<line x1="{ex:.1f}" y1="{y0 + 1}" x2="{ex:.1f}" y2="{y0 + row_h - 1}" class="exp-mark"/>')
        out.append(f'<text x="{label_w + bar_w + 6}" y="{y0 + 13}" class="bval">{g.numerator} / {g.denominator} '
                   f'({_e(fmt_pct(g.share, lang))})</text>')
    out.append("</svg>")
    return "".join(out)


# ---------------------------------------------------------------------------------------------------------
# Map
# ---------------------------------------------------------------------------------------------------------
def map_svg(result: RolloutResult, lang: Lang, width: int = 720) -> str:
    """Sites at their coordinates (equirectangular projection scaled by the cosine of the mean latitude);
    each dot carries ``data-i`` (its index in the embedded site list) so the page can recolour it."""
    placed = [(i, s) for i, s in enumerate(result.sites) if s.lat is not None and s.lon is not None]
    if not placed:
        return f'<p class="muted">{_e(label("no_data", lang))}</p>'
    lats = [s.lat for _, s in placed]
    lons = [s.lon for _, s in placed]
    lat0, lat1 = min(lats), max(lats)  # type: ignore[type-var]
    lon0, lon1 = min(lons), max(lons)  # type: ignore[type-var]
    pad = max(0.15, 0.06 * max(lat1 - lat0, lon1 - lon0))  # type: ignore[operator]
    lat0, lat1, lon0, lon1 = lat0 - pad, lat1 + pad, lon0 - pad, lon1 + pad  # type: ignore[operator]
    k = math.cos(math.radians((lat0 + lat1) / 2))
    span_x, span_y = (lon1 - lon0) * k, (lat1 - lat0)
    scale = width / span_x
    height = min(int(span_y * scale) + 1, 1100)
    scale = min(scale, height / span_y)

    def xy(lat: float, lon: float) -> tuple[float, float]:
        return (lon - lon0) * k * scale, (lat1 - lat) * scale

    out = [(f'<svg id="map" viewBox="0 0 {span_x * scale:.0f} {height}" width="{span_x * scale:.0f}" '
            f'height="{height}" role="img" aria-label="{_e(label("map", lang))}">'
            f'<rect x="0" y="0" width="100%" height="100%" class="sea"/>')]
    site_communes = set()
    for _, s in placed:
        site_communes.add((round(s.lat, 3), round(s.lon, 3)))  # type: ignore[arg-type]
    bg = []
    for c in communes().values():
        if c.lat is None or c.lon is None or not (lat0 <= c.lat <= lat1 and lon0 <= c.lon <= lon1):
            continue
        if (round(c.lat, 3), round(c.lon, 3)) in site_communes:
            continue
        cx, cy = xy(c.lat, c.lon)
        bg.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="1.6"><title>{_e(c.name)}</title></circle>')
    out.append('<g class="bg">' + "".join(bg) + "</g><g class=\"sites\">")
    radius = 4.0 if len(placed) < 400 else 2.6
    for i, s in placed:
        cx, cy = xy(s.lat, s.lon)  # type: ignore[arg-type]
        out.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{radius}" data-i="{i}"><title>{_e(s.name)}</title></circle>')
    out.append("</g></svg>")
    return "".join(out)


# ---------------------------------------------------------------------------------------------------------
# Cards
# ---------------------------------------------------------------------------------------------------------
def _forecast_text(t: TargetScore, lang: Lang) -> str:
    fc = t.forecast
    if fc is None:
        return "—"
    if fc.state == "forecast":
        when = label("on_time" if fc.on_time else "late", lang)
        slope = fmt_value(fc.slope_per_30_days, t.threshold_kind, lang) + label("per_30_days", lang)
        return f"{fmt_date(fc.date, lang)} ({when}; {slope}; {fc.points} {label('snapshots', lang)})"
    key = {"met": "already_met"}.get(fc.state, fc.state)
    return f"{label(key, lang)} ({fc.points} {label('snapshots', lang)})"


def card_html(t: TargetScore, lang: Lang) -> str:
    st = t.status.value
    colour = STATUS_COLOUR.get(st, "#9e9e9e")
    badges = [f'<span class="badge" style="background:{colour}">{_e(status_label(st, lang))}</span>']
    if t.illustrative:
        badges.append(f'<span class="badge illus">{_e(label("illustrative", lang))}</span>')
    if t.reported_only:
        badges.append(f'<span class="badge rep">{_e(label("reported_only", lang))}</span>')
    if t.numerator is not None and t.denominator is not None:
        big = (f'<span class="share">{_e(fmt_pct(t.share, lang))}</span> '
               f'<span class="frac" data-key="{_e(t.key)}">{t.numerator} / {t.denominator}</span>')
    elif t.actual is not None:
        big = f'<span class="share">{_e(fmt_value(t.actual, t.threshold_kind, lang))}</span>'
    else:
        big = f'<span class="share muted">{_e(label("no_data", lang))}</span>'
    pct_actual = (t.actual or 0.0) / t.threshold * 100 if t.threshold_kind == "count" else (t.actual or 0.0)
    pct_expected = t.expected / t.threshold * 100 if t.threshold_kind == "count" else t.expected
    bar = (f'<div class="pbar" title="{_e(label("progress", lang))}"><div class="fill" style="width:'
           f'{min(pct_actual, 100):.2f}%;background:{colour}"></div><div class="mark" style="left:'
           f'{min(pct_expected, 100):.2f}%" title="{_e(label("expected", lang))}"></div></div>')
    rows = [
        ("threshold", fmt_value(t.threshold, t.threshold_kind, lang)),
        ("expected", fmt_value(t.expected, t.threshold_kind, lang) + f" ({label('as_of', lang).lower()} "
                                                                      f"{fmt_date(t.as_of, lang)})"),
        ("deadline", fmt_date(t.deadline, lang)),
        ("rule", label(t.rule, lang)),
    ]
    if not t.reported_only:
        rows.append(("forecast", _forecast_text(t, lang)))
    if t.metric:
        params = ", ".join(f"{k}={v}" for k, v in t.params.items())
        rows.append(("metric", f"{t.metric}" + (f" ({params})" if params else "")))
    rows.append(("scope", scope_text(t.scope, lang)))
    for r in t.reported:
        fig = (f"{fmt_pct(r.share, lang)}" if r.share is not None else "") + (
            f" ({fmt_int(r.numerator, lang)} / {fmt_int(r.denominator, lang)})" if r.numerator is not None else "")
        rows.append(("reported", f"{fig.strip()} — {fmt_date(r.as_of, lang)}" + (f" — {r.note}" if r.note else "")))
    if t.article:
        rows.append(("article", t.article))
    rows.append(("source", t.source or label("illustrative", lang)))
    if t.illustrative and t.illustrative_reason:
        rows.append(("illustrative_reason", t.illustrative_reason))
    for w in t.warnings:
        rows.append(("warnings", label(w, lang)))
    dl = "".join(f"<dt>{_e(label(k, lang))}</dt><dd>{_e(v)}</dd>" for k, v in rows)
    return (f'<article class="card" id="card-{_e(t.key)}" data-status="{st}"><h3>{_e(_title(t, lang))}</h3>'
            f'<div class="badges">{"".join(badges)}</div><div class="big">{big}</div>{bar}'
            f'{burnup_svg(t, lang)}<dl>{dl}</dl></article>')


# ---------------------------------------------------------------------------------------------------------
# Page
# ---------------------------------------------------------------------------------------------------------
CSS = """
*{box-sizing:border-box}body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;
margin:0;color:#212121;background:#f5f6f8}header{background:#1f3864;color:#fff;padding:14px 24px}
header h1{margin:0;font-size:22px}header p{margin:4px 0 0;opacity:.85}main{padding:16px 24px}
h2{font-size:19px;margin:24px 0 8px}h2 small{font-weight:normal;color:#616161;font-size:13px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(400px,1fr));gap:14px}
.card{background:#fff;border-radius:8px;padding:12px 14px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
.card h3{font-size:15px;margin:0 0 6px}.badges{margin-bottom:6px}.badge{display:inline-block;color:#fff;
border-radius:10px;padding:1px 9px;font-size:12px;margin-right:4px}.badge.illus{background:#6a1b9a}
.badge.rep{background:#455a64}.big{font-size:26px;margin:4px 0}.big .frac{font-size:16px;color:#424242}
.muted{color:#9e9e9e}.pbar{position:relative;height:10px;background:#e0e0e0;border-radius:5px;margin:6px 0 8px}
.pbar .fill{height:100%;border-radius:5px}.pbar .mark{position:absolute;top:-3px;width:2px;height:16px;
background:#1565c0}dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 10px;font-size:12.5px;margin:6px 0 0}
dt{color:#616161}dd{margin:0}svg text{font-size:10px;fill:#424242}.ylab{text-anchor:end}
.grid{stroke:#eeeeee}.threshold{stroke:#2e7d32;stroke-dasharray:2 3}.deadline{stroke:#c62828;stroke-dasharray:4 3}
.asof{stroke:#757575}.expected{fill:none;stroke:#1565c0;stroke-width:1.6;stroke-dasharray:6 4}
.actual{fill:none;stroke:#212121;stroke-width:2}.actual-pt{fill:#212121}.derived-pt{fill:#fff;stroke:#212121;stroke-width:1.5}.reported-pt{fill:#ff8f00}
.panel{background:#fff;border-radius:8px;padding:12px 14px;box-shadow:0 1px 3px rgba(0,0,0,.12);overflow:auto}
.track{fill:#eeeeee}.exp-mark{stroke:#1565c0;stroke-width:2}.blab,.bval{font-size:11px}
.sea{fill:#eef3f8}.bg circle{fill:#cfd8dc}.sites circle{stroke:#fff;stroke-width:.6}
.legend span{display:inline-block;margin-right:12px;font-size:12px}.legend i{display:inline-block;width:10px;
height:10px;border-radius:5px;margin-right:4px;vertical-align:middle}select,input{font:inherit;padding:3px 6px}
table{border-collapse:collapse;width:100%;font-size:12.5px;background:#fff}th,td{border-bottom:1px solid #eee;
padding:4px 6px;text-align:left;vertical-align:top}th{cursor:pointer;background:#eceff1;position:sticky;top:0}
th.sorted-asc::after{content:" ▲"}th.sorted-desc::after{content:" ▼"}.tablewrap{max-height:560px;overflow:auto}
footer{padding:12px 24px;color:#757575;font-size:12px}
@media print{.cards{display:block}.card{break-inside:avoid;margin-bottom:10px}.tablewrap{max-height:none}}
"""

JS = r"""
(function(){
  var D = JSON.parse(document.getElementById('govnet-data').textContent);
  // map: recolour the sites for the chosen target
  var sel = document.getElementById('map-target');
  function paint(){
    var key = sel.value, dots = document.querySelectorAll('#map .sites circle');
    for (var i = 0; i < dots.length; i++) {
      var s = D.sites[+dots[i].getAttribute('data-i')];
      var st = key === '*' ? s.worst : (s.states[key] || 'out');
      dots[i].setAttribute('fill', D.stateColour[st] || '#e0e0e0');
      dots[i].setAttribute('data-state', st);
    }
  }
  if (sel) { sel.addEventListener('change', paint); paint(); }
  // province bars: show the chosen target's chart
  var bsel = document.getElementById('bars-target');
  function showBars(){
    var charts = document.querySelectorAll('.barchart');
    for (var i = 0; i < charts.length; i++) charts[i].hidden = charts[i].getAttribute('data-key') !== bsel.value;
  }
  if (bsel) { bsel.addEventListener('change', showBars); showBars(); }
  // lagging sites: filter, sort, render (at most LIMIT rows at once)
  var LIMIT = 2000, rows = D.lagging, sortCol = 0, sortDir = 1;
  var body = document.getElementById('lag-body'), count = document.getElementById('lag-count');
  var q = document.getElementById('lag-filter'), tsel = document.getElementById('lag-target');
  function render(){
    var needle = (q.value || '').toLowerCase().normalize('NFC'), key = tsel.value, out = [];
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i];
      if (key !== '*' && r[7] !== key) continue;
      if (needle && r.join(' ').toLowerCase().indexOf(needle) < 0) continue;
      out.push(r);
    }
    out.sort(function(a, b){ var x = a[sortCol], y = b[sortCol]; return (x < y ? -1 : x > y ? 1 : 0) * sortDir; });
    var html = [];
    for (var j = 0; j < Math.min(out.length, LIMIT); j++) {
      var cells = [];
      for (var c = 0; c < 7; c++) { var t = document.createElement('td'); t.textContent = out[j][c]; cells.push(t.outerHTML); }
      html.push('<tr>' + cells.join('') + '</tr>');
    }
    body.innerHTML = html.join('');
    count.textContent = Math.min(out.length, LIMIT) + ' / ' + out.length;
  }
  var heads = document.querySelectorAll('#lag-table th');
  for (var h = 0; h < heads.length; h++) (function(col, th){
    th.addEventListener('click', function(){
      sortDir = sortCol === col ? -sortDir : 1; sortCol = col;
      for (var k = 0; k < heads.length; k++) heads[k].className = '';
      th.className = sortDir > 0 ? 'sorted-asc' : 'sorted-desc';
      render();
    });
  })(h, heads[h]);
  if (q) { q.addEventListener('input', render); tsel.addEventListener('change', render); render(); }
})();
"""

_STATE_RANK = {"fail": 4, "no_data": 3, "pass": 2, "na": 1, "out": 0}


def to_html(result: RolloutResult, lang: Lang = "en") -> str:
    """The whole dashboard as one HTML document."""
    measured = [t for p in result.plans for t in p.targets if not t.reported_only]
    title = label("dashboard", lang)
    parts = [(f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
              f'<meta name="viewport" content="width=device-width, initial-scale=1">'
              f'<link rel="icon" href="data:,"><title>{_e(title)}</title><style>{CSS}</style></head><body>'
              f'<header><h1>{_e(title)}</h1><p>{_e(label("as_of", lang))}: '
              f'<b id="as-of">{_e(fmt_date(result.as_of, lang))}</b> · {len(result.plans)} '
              f'{_e(label("plans", lang).lower())} · {len(result.sites)} {_e(label("sites", lang).lower())}</p>'
              f'</header><main>')]
    counts: dict[str, int] = {}
    for plan in result.plans:
        for t in plan.targets:
            counts[t.status.value] = counts.get(t.status.value, 0) + 1
    chips = "".join(f'<span class="badge" style="background:{STATUS_COLOUR[k]}">{_e(status_label(k, lang))}: '
                    f'{counts[k]}</span>' for k in STATUS_COLOUR if k in counts)
    parts.append(f'<section class="overview"><h2>{_e(label("summary", lang))}</h2><div>{chips}</div></section>')
    for plan in result.plans:
        inst = plan.instrument
        inst_text = " ".join(str(v) for v in (inst.get("number"), fmt_date(inst.get("date"), lang)
                                             if inst.get("date") else None) if v)
        parts.append(f'<section class="plan" id="plan-{_e(plan.id)}"><h2>{_e(plan.title_vi if lang == "vi" else plan.title_en)} '
                     f'<small>{_e(label("instrument", lang))}: {_e(plan.citation_vi or inst_text)} · '
                     f'{_e(plan.id)}</small></h2>'
                     f'<div class="cards">{"".join(card_html(t, lang) for t in plan.targets)}</div></section>')

    def options(all_label: str | None) -> str:
        opts = [f'<option value="*">{_e(all_label)}</option>'] if all_label else []
        opts += [f'<option value="{_e(t.key)}">{_e(t.key)} — {_e(_title(t, lang))}</option>' for t in measured]
        return "".join(opts)

    if measured:
        parts.append(f'<section><h2>{_e(label("by_province", lang))}</h2><div class="panel">'
                     f'<label>{_e(label("target", lang))}: <select id="bars-target">{options(None)}</select></label>')
        for t in measured:
            parts.append(f'<div class="barchart" data-key="{_e(t.key)}">{province_bars_svg(t, lang)}</div>')
        parts.append("</div></section>")
        legend = "".join(f'<span><i style="background:{c}"></i>{_e(label(k, lang))}</span>'
                         for k, c in STATE_COLOUR.items())
        parts.append(f'<section><h2>{_e(label("map", lang))}</h2><div class="panel">'
                     f'<label>{_e(label("target", lang))}: <select id="map-target">'
                     f'{options(label("all_targets", lang))}</select></label>'
                     f'<div class="legend">{legend}</div>{map_svg(result, lang)}'
                     f'<p class="muted">{_e(label("map_note", lang))}</p></div></section>')
    lag_rows = []
    for t in measured:
        for s in t.lagging:
            lag_rows.append([_title(t, lang), s.site, s.name, s.province, level_label(s.level, lang),
                             label(s.reason, lang, **s.reason_args), label(s.state, lang), t.key])
    heads = ["target", "site", "site_name", "province", "level", "reason", "status"]
    parts.append(f'<section><h2>{_e(label("lagging", lang))} (<span id="lag-count">{len(lag_rows)}</span>)</h2>'
                 f'<div class="panel"><input id="lag-filter" type="search" placeholder="{_e(label("filter", lang))}"> '
                 f'<select id="lag-target">{options(label("all_targets", lang))}</select>'
                 f'<div class="tablewrap"><table id="lag-table"><thead><tr>'
                 + "".join(f"<th>{_e(label(h, lang))}</th>" for h in heads)
                 + '</tr></thead><tbody id="lag-body"></tbody></table></div></div></section>')
    sites = []
    for row in result.sites:
        worst = max(row.states.values(), key=lambda v: _STATE_RANK.get(v, 0), default="out")
        sites.append({"states": {k: v for k, v in row.states.items() if v != "out"}, "worst": worst})
    parts.append(f'</main><footer>{_e(label("generated_by", lang))} · {_e(fmt_date(result.as_of, lang))}</footer>')
    parts.append(_json_script({"sites": sites, "lagging": lag_rows, "stateColour": STATE_COLOUR}, "govnet-data"))
    parts.append(f"<script>{JS}</script></body></html>\n")
    return "".join(parts)


def dashboard_numbers(result: RolloutResult, lang: Lang) -> Sequence[str]:
    """The strings the dashboard must show for each measured target (used by the browser test)."""
    out = []
    for p in result.plans:
        for t in p.targets:
            if t.numerator is not None and t.denominator is not None:
                out.append(f"{t.numerator} / {t.denominator}")
                out.append(fmt_pct(t.share, lang))
    return out
