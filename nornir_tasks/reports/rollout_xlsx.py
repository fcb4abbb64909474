"""``rollout.xlsx``: the workbook planners print.

Sheets: a summary (one row per target), one sheet per measured target with a row per province, and one sheet
of sites with their state for every target. Every sheet is formatted to print: landscape, fit to one page
wide, the header row repeated on every page, the header frozen, column widths set, status cells coloured.
"""

from __future__ import annotations

import io
import re
from datetime import datetime, time

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from nornir_tasks.reports.escape import guard_sheet
from nornir_tasks.rollout.i18n import (
    Lang,
    fmt_date,
    label,
    level_label,
    region_label,
    scope_text,
    status_label,
)
from nornir_tasks.rollout.scoring import RolloutResult, TargetScore

STATUS_FILL = {
    "met": "C8E6C9", "on_track": "DCEDC8", "at_risk": "FFECB3", "behind": "FFE0B2", "missed": "FFCDD2",
    "no_data": "E0E0E0", "empty_scope": "EEEEEE",
    "pass": "C8E6C9", "fail": "FFCDD2", "na": "ECEFF1", "out": "FAFAFA",
}
_HEAD_FILL = PatternFill("solid", fgColor="1F3864")
_HEAD_FONT = Font(bold=True, color="FFFFFF")
_THIN = Side(style="thin", color="BDBDBD")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def _title(t: TargetScore, lang: Lang) -> str:
    return t.title_vi if lang == "vi" else t.title_en


def _setup(ws: Worksheet, headers: list[str], widths: list[int], title: str) -> None:
    ws.append(headers)
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
        cell = ws.cell(row=1, column=i)
        cell.fill = _HEAD_FILL
        cell.font = _HEAD_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.border = _BORDER
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    ws.oddHeader.center.text = title[:200]
    ws.oddFooter.right.text = "&P / &N"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}1"


def _finish(ws: Worksheet) -> None:
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.border = _BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=isinstance(cell.value, str) and len(cell.value) > 30)
    ws.auto_filter.ref = f"A1:{get_column_letter(ws.max_column)}{ws.max_row}"


_FILLS = {key: PatternFill("solid", fgColor=colour) for key, colour in STATUS_FILL.items()}


def _fill(ws: Worksheet, row: int, col: int, key: str | None) -> None:
    if key and key in _FILLS:
        ws.cell(row=row, column=col).fill = _FILLS[key]


def _sheet_name(used: set[str], base: str) -> str:
    name = _BAD_SHEET_CHARS.sub("-", base)[:31]
    n = 2
    while name in used:
        suffix = f" ({n})"
        name = name[: 31 - len(suffix)] + suffix
        n += 1
    used.add(name)
    return name


def _source(t: TargetScore, lang: Lang) -> str:
    """Where a target's number came from; for an illustrative target, why govnet marks it so."""
    text = t.source or label("illustrative", lang)
    if t.illustrative and t.illustrative_reason:
        text += f" — {label('illustrative_reason', lang)}: {t.illustrative_reason}"
    return text


def to_xlsx(result: RolloutResult, lang: Lang = "en") -> bytes:
    """Build the workbook and return its bytes."""
    wb = Workbook()
    stamp = datetime.combine(result.as_of, time(0, 0))
    wb.properties.creator = "govnet"
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.properties.title = label("dashboard", lang)
    used: set[str] = set()

    # ---- summary ---------------------------------------------------------------------------------------
    ws = wb.active
    ws.title = _sheet_name(used, label("summary", lang))
    heads = [label("plan", lang), label("target", lang), label("scope", lang), label("threshold", lang),
             label("deadline", lang), label("numerator", lang), label("denominator", lang), label("actual", lang),
             label("expected", lang), label("status", lang), label("rule", lang), label("forecast", lang),
             label("reported", lang), label("source", lang), label("instrument", lang)]
    _setup(ws, heads, [16, 44, 26, 12, 12, 10, 10, 10, 10, 18, 34, 18, 26, 44, 50],
           f"{label('dashboard', lang)} — {label('as_of', lang)} {fmt_date(result.as_of, lang)}")
    r = 1
    for plan in result.plans:
        for t in plan.targets:
            scope = scope_text(t.scope, lang)
            fc = ""
            if t.forecast is not None:
                fc = fmt_date(t.forecast.date, lang) if t.forecast.state == "forecast" else label(
                    {"met": "already_met"}.get(t.forecast.state, t.forecast.state), lang)
            rep = "; ".join(f"{r.share if r.share is not None else r.numerator} ({fmt_date(r.as_of, lang)})"
                            for r in t.reported)
            title = _title(t, lang) + (f" [{label('illustrative', lang)}]" if t.illustrative else "") + (
                f" [{label('reported_only', lang)}]" if t.reported_only else "")
            actual = t.actual if t.actual is not None else None
            ws.append([plan.id, title, scope, t.threshold, t.deadline, t.numerator, t.denominator, actual,
                       t.expected, status_label(t.status.value, lang), label(t.rule, lang), fc, rep,
                       _source(t, lang), plan.citation_vi + (f", {t.article}" if t.article else "")])
            r += 1
            ws.cell(row=r, column=5).number_format = "yyyy-mm-dd" if lang == "en" else "dd/mm/yyyy"
            for col in (4, 8, 9):
                ws.cell(row=r, column=col).number_format = "0.00" if t.threshold_kind == "share" else "#,##0"
            _fill(ws, r, 10, t.status.value)
    _finish(ws)

    # ---- one sheet per measured target: a row per province ----------------------------------------------
    for plan in result.plans:
        for t in plan.targets:
            if t.reported_only:
                continue
            ws = wb.create_sheet(_sheet_name(used, f"{plan.id[:14]}.{t.target}"))
            _setup(ws, [label("province_code", lang), label("province", lang), label("numerator", lang),
                        label("denominator", lang), label("share", lang) + " (%)", label("expected", lang),
                        label("status", lang)], [10, 30, 12, 12, 12, 12, 20],
                   f"{plan.id} — {_title(t, lang)}")
            r = 1
            for g in t.groups.get("province", []):
                ws.append([g.key, g.label, g.numerator, g.denominator, g.share,
                           t.expected if t.threshold_kind == "share" else None,
                           status_label(g.status and g.status.value, lang)])
                r += 1
                _fill(ws, r, 7, g.status and g.status.value)
            ws.append([])
            ws.append(["", label("summary", lang), t.numerator, t.denominator, t.share, t.expected,
                       status_label(t.status.value, lang)])
            r += 2
            ws.cell(row=r, column=2).font = Font(bold=True)
            _fill(ws, r, 7, t.status.value)
            _finish(ws)

    # ---- sites × targets -------------------------------------------------------------------------------
    ws = wb.create_sheet(_sheet_name(used, label("sheet_sites", lang)))
    measured = [(p.id, t) for p in result.plans for t in p.targets if not t.reported_only]
    heads = [label("site", lang), label("site_name", lang), label("province", lang), label("level", lang),
             label("region", lang), label("site_status", lang)] + [f"{t.key}" for _, t in measured]
    _setup(ws, heads, [22, 40, 8, 12, 24, 16] + [14] * len(measured), label("sheet_sites", lang))
    r = 1
    for s in result.sites:
        ws.append([s.site, s.name, s.province, level_label(s.level, lang), region_label(s.region, lang),
                   label(s.status, lang)] + [label(s.states.get(t.key, "out"), lang) for _, t in measured])
        r += 1
    ws.auto_filter.ref = f"A1:{get_column_letter(len(heads))}{r}"
    if measured and r > 1:
        # one conditional format per state instead of a fill on each of 10,000 × targets cells (fast, and a
        # planner who edits a state sees its colour follow)
        area = f"G2:{get_column_letter(len(heads))}{r}"
        for key in ("pass", "fail", "na", "no_data"):
            text = label(key, lang).replace('"', '""')
            ws.conditional_formatting.add(area, CellIsRule(operator="equal", formula=[f'"{text}"'],
                                                           fill=PatternFill(bgColor=STATUS_FILL[key])))

    for sheet in wb.worksheets:
        guard_sheet(sheet)          # a site name such as =HYPERLINK(...) stays text (OWASP CSV injection)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
