"""``rollout.csv``: one row per target and group (the target as a whole, then per province, region and level),
with headers and labels in the chosen language (each header keeps its stable machine key in brackets). The file
starts with a UTF-8 byte-order mark so that spreadsheet programs read the diacritics right."""

from __future__ import annotations

import csv
import io
from typing import Any

from nornir_tasks.reports.escape import csv_cell
from nornir_tasks.rollout.i18n import Lang, group_label, label, status_label
from nornir_tasks.rollout.scoring import RolloutResult, TargetScore

CSV_COLUMNS = ("plan", "target", "target_title", "group_by", "group", "group_label", "numerator",
               "denominator", "share", "threshold_kind", "threshold", "expected", "deadline", "as_of", "status",
               "status_label", "illustrative", "reported_only", "source")


def _header(lang: Lang) -> list[str]:
    """Headers in the chosen language, each with its stable machine key in brackets.

    Examples:
        >>> _header("vi")[:3]
        ['Kế hoạch [plan]', 'Mục tiêu [target]', 'Tên mục tiêu [target_title]']
    """
    names = {c: label(c, lang) for c in CSV_COLUMNS}
    names.update({"share": label("share", lang) + " (%)", "status": label("status", lang),
                  "status_label": label("status", lang) + f" ({lang})"})
    return [f"{names[c]} [{c}]" for c in CSV_COLUMNS]


def target_rows(t: TargetScore, lang: Lang) -> list[list[Any]]:
    """CSV rows of one target: the whole target, then every province, region and level group."""
    title = t.title_vi if lang == "vi" else t.title_en
    common = [t.threshold_kind, t.threshold, t.expected, t.deadline.isoformat(), t.as_of.isoformat()]
    tail = [t.illustrative, t.reported_only, t.source or ""]
    rows = [[t.plan, t.target, title, "all", "", "", "" if t.numerator is None else t.numerator,
             "" if t.denominator is None else t.denominator, "" if t.share is None else t.share, *common,
             t.status.value, status_label(t.status.value, lang), *tail]]
    for by, groups in t.groups.items():
        for g in groups:
            rows.append([t.plan, t.target, title, by, g.key, group_label(by, g.key, g.label, lang), g.numerator,
                         g.denominator, "" if g.share is None else g.share, *common,
                         "" if g.status is None else g.status.value, status_label(g.status and g.status.value, lang),
                         *tail])
    return rows


def to_csv(result: RolloutResult, lang: Lang = "en") -> str:
    """The numbers of every target, overall and per group, as CSV text (with a BOM)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(_header(lang))
    for plan in result.plans:
        for t in plan.targets:
            w.writerows([csv_cell(v) for v in row] for row in target_rows(t, lang))   # no formulas (OWASP)
    return "\ufeff" + buf.getvalue()

