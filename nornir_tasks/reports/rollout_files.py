"""Writes the four rollout report files into one folder: dashboard.html, rollout.xlsx, rollout.csv, rollout.json.

Each file is written atomically (temp file + rename) and only when its content changed.
"""

from __future__ import annotations

from pathlib import Path

from nornir_tasks.fileio import write_if_changed
from nornir_tasks.reports.rollout_csv import to_csv
from nornir_tasks.reports.rollout_html import to_html
from nornir_tasks.reports.rollout_json import to_json
from nornir_tasks.reports.rollout_xlsx import to_xlsx
from nornir_tasks.rollout.i18n import Lang
from nornir_tasks.rollout.scoring import RolloutResult
from nornir_tasks.rollout.service import gc_paused

FILES = ("dashboard.html", "rollout.xlsx", "rollout.csv", "rollout.json")


def write_reports(result: RolloutResult, out_dir: str | Path, lang: Lang = "en") -> dict[str, Path]:
    """Write every report file; return file name → path."""
    out = Path(out_dir)
    paths = {name: out / name for name in FILES}
    with gc_paused():
        write_if_changed(paths["dashboard.html"], to_html(result, lang))
        write_if_changed(paths["rollout.xlsx"], to_xlsx(result, lang))
        write_if_changed(paths["rollout.csv"], to_csv(result, lang))
        write_if_changed(paths["rollout.json"], to_json(result, lang))
    return paths
