"""Instruments appear in Vietnamese citation form in the rollout dashboard, the workbook and compliance reports."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import yaml
from openpyxl import load_workbook

from nornir_tasks.inventory.load import load_or_raise
from nornir_tasks.reports.rollout_html import to_html
from nornir_tasks.reports.rollout_xlsx import to_xlsx
from nornir_tasks.rollout.plans import load_plans
from nornir_tasks.rollout.service import rollout_status
from tests.conftest import ROOT, run_cli

IPV6 = "Quyết định số 38/QĐ-BTTTT ngày 14/01/2021 của Bộ Thông tin và Truyền thông"


def _result():
    inv = load_or_raise(ROOT / "inventory", today=date(2026, 11, 25)).inventory
    return rollout_status(inv, load_plans(ROOT / "inventory" / "plans"), as_of=date(2025, 11, 25))


def test_dashboard_and_workbook_cite_the_instrument_and_say_why_a_target_is_illustrative() -> None:
    result = _result()
    html = to_html(result, "vi")
    assert IPV6 in html and "QĐ-TTg ngày 14/01/2021" not in html
    assert "Vì sao là minh họa" in html and "Miền núi (ước lượng theo vùng)" in html
    assert 'class="derived-pt"' in html            # burn-up points derived from the status history
    wb = load_workbook(io.BytesIO(to_xlsx(result, "vi")))
    cells = [c.value for row in wb.worksheets[0].iter_rows() for c in row if isinstance(c.value, str)]
    assert any(v.startswith(IPV6) for v in cells)
    assert any("Vì sao là minh họa" in v for v in cells)


def test_compliance_reports_cite_in_vietnamese_form(tmp_path: Path) -> None:
    cfg = yaml.safe_load((ROOT / "config.yaml").read_text())
    cfg["user_defined"]["govnet"].update({
        "inventory_dir": str(ROOT / "inventory"), "templates_dir": str(ROOT / "templates"),
        "baseline_dir": str(ROOT / "inventory" / "baselines"), "build_dir": "build", "reports_dir": "reports",
        "state_dir": ".state"})
    cfg["inventory"]["options"]["inventory_dir"] = str(ROOT / "inventory")
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(cfg, allow_unicode=True))
    proc = run_cli("compliance", "--config", str(tmp_path / "config.yaml"), "--only", "inventory", cwd=tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    md = (tmp_path / "reports" / "compliance" / "compliance.md").read_text(encoding="utf-8")
    assert "Nghị định số 85/2016/NĐ-CP ngày 01/07/2016 của Chính phủ" in md
    html = (tmp_path / "reports" / "compliance" / "compliance.html").read_text(encoding="utf-8")
    assert "Nghị định số 85/2016/NĐ-CP ngày 01/07/2016 của Chính phủ" in html
