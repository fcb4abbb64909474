"""The report files: JSON, CSV, the Excel workbook (formatted to print) and the offline HTML dashboard, in
both languages, from the sample inventory and the seed plans."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from datetime import date

import pytest
from openpyxl import load_workbook

from nornir_tasks.inventory.load import load_or_raise
from nornir_tasks.reports.rollout_csv import to_csv
from nornir_tasks.reports.rollout_files import FILES, write_reports
from nornir_tasks.reports.rollout_html import dashboard_numbers, to_html
from nornir_tasks.reports.rollout_json import to_json
from nornir_tasks.reports.rollout_xlsx import to_xlsx
from nornir_tasks.rollout.i18n import LABELS, fmt_pct, label
from nornir_tasks.rollout.plans import load_plans
from nornir_tasks.rollout.service import rollout_status
from tests.conftest import ROOT

AS_OF = date(2025, 11, 25)


@pytest.fixture(scope="module")
def result():
    inv = load_or_raise(ROOT / "inventory", today=AS_OF).inventory
    return rollout_status(inv, load_plans(ROOT / "inventory" / "plans"), as_of=AS_OF)


def test_labels_have_both_languages_in_nfc():
    for key, (vi, en) in LABELS.items():
        assert vi and en, key
        assert unicodedata.normalize("NFC", vi) == vi, key
    assert [label(k, "vi") for k in ("met", "on_track", "at_risk", "behind", "missed")] == [
        "Đạt", "Đúng tiến độ", "Có nguy cơ chậm", "Chậm tiến độ", "Không đạt"]
    assert label("target", "vi") == "Mục tiêu" and label("deadline", "vi") == "Hạn chót"
    assert label("progress", "vi") == "Tiến độ"


def test_json_has_the_numbers(result):
    doc = json.loads(to_json(result, "vi"))
    assert doc["lang"] == "vi" and doc["as_of"] == "2025-11-25"
    targets = {t["key"]: t for p in doc["plans"] for t in p["targets"]}
    t = targets["vnpt-2025-uplink/commune-uplink-200"]
    assert (t["numerator"], t["denominator"]) == (8, 14)       # sample: 8 of 14 communes ≥ 200 Mbps
    assert t["reported"][0]["numerator"] == 2943
    assert targets["qd-48-2009/email-central"]["status"] == "no_data"


def test_csv_rows_and_labels(result):
    for lang, status_word in (("vi", "Không đạt"), ("en", "Missed")):
        text = to_csv(result, lang)
        assert text.startswith("\ufeff")
        rows = list(csv.reader(io.StringIO(text[1:])))
        header, body = rows[0], rows[1:]
        assert header[0].endswith("[plan]")
        overall = [r for r in body if r[3] == "all"]
        assert len(overall) == sum(len(p.targets) for p in result.plans)
        vnpt = next(r for r in overall if r[1] == "commune-uplink-200")
        assert (vnpt[6], vnpt[7], vnpt[14], vnpt[15]) == ("8", "14", "missed", status_word)
        assert any(r[3] == "province" and r[4] == "12" for r in body)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_workbook_sheets_and_print_setup(result, lang):
    wb = load_workbook(io.BytesIO(to_xlsx(result, lang)))
    measured = [t for p in result.plans for t in p.targets if not t.reported_only]
    assert len(wb.sheetnames) == 1 + len(measured) + 1
    assert wb.sheetnames[0] == label("summary", lang) and wb.sheetnames[-1] == label("sheet_sites", lang)
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape"
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == "$1:$1"
        assert ws.freeze_panes == "A2"
        assert ws.column_dimensions["A"].width > 5
    summary = wb.worksheets[0]
    assert summary.cell(1, 2).value == label("target", lang)
    statuses = {summary.cell(r, 10).value for r in range(2, summary.max_row + 1)}
    assert label("missed", lang) in statuses
    sites = wb.worksheets[-1]
    assert sites.max_row == 1 + len(result.sites)
    prov = wb.worksheets[1]
    assert prov.cell(2, 1).value in {"01", "12"}


def test_dashboard_is_offline_and_complete(result):
    html = to_html(result, "vi")
    assert "<script src" not in html and "<link rel=\"stylesheet\"" not in html
    assert not re.search(r"""(src|href)=["']https?://""", html)
    assert html.count('class="card"') == sum(len(p.targets) for p in result.plans)
    assert html.count('class="burnup"') == sum(len(p.targets) for p in result.plans)
    placed = sum(1 for s in result.sites if s.lat is not None)
    assert len(re.findall(r'<circle [^>]*data-i="', html)) == placed
    for text in dashboard_numbers(result, "vi"):
        assert text in html
    for word in ("Đạt", "Không đạt", "Chậm tiến độ", "Hạn chót", "Mục tiêu", "Tiến độ theo tỉnh"):
        assert word in html
    assert unicodedata.normalize("NFC", html) == html


def test_dashboard_english(result):
    html = to_html(result, "en")
    assert "Deadline" in html and "Missed" in html and '<html lang="en">' in html
    assert fmt_pct(57.14, "en") in html


def test_dashboard_escapes_names(result):
    site = result.sites[0].model_copy(update={"name": "<script>alert(1)</script>"})
    evil = result.model_copy(update={"sites": [site, *result.sites[1:]]})
    assert "<script>alert(1)" not in to_html(evil, "en")


def test_write_reports_writes_four_files_once(result, tmp_path):
    paths = write_reports(result, tmp_path, "vi")
    assert sorted(paths) == sorted(FILES)
    assert all(p.stat().st_size > 0 for p in paths.values())
    before = {n: p.stat().st_mtime_ns for n, p in paths.items() if n != "rollout.xlsx"}
    write_reports(result, tmp_path, "vi")
    assert before == {n: p.stat().st_mtime_ns for n, p in paths.items() if n != "rollout.xlsx"}


def test_count_and_reported_targets_render_everywhere(tmp_path):
    from nornir_tasks.rollout.metrics import MetricData
    from nornir_tasks.rollout.plans import Plan, PlanSet
    from nornir_tasks.rollout.scoring import score
    from tests.unit.rollout_fixtures import tiny

    base = {"title": {"vi": "Mục tiêu", "en": "Target"}, "deadline": "2025-12-31", "source": "test"}
    plan = Plan.model_validate({
        "id": "p", "title": {"vi": "Kế hoạch", "en": "Plan"}, "instrument": {"number": "1/2025"},
        "start": "2025-01-01", "targets": [
            {**base, "id": "count", "metric": "site_connected", "threshold": {"count": 3},
             "milestones": [{"date": "2025-06-30", "count": 1}],
             "reported": [{"numerator": 2, "as_of": "2025-05-01"}]},
            {**base, "id": "mail", "reported_only": True, "threshold": {"share": 60},
             "reported": [{"share": 45.5, "as_of": "2025-05-01", "note": "báo cáo quý"}]}]})
    result = score(PlanSet(plans=[plan], files={"p": "p.yaml"}), MetricData.build(tiny()), date(2025, 8, 1))
    count, mail = result.plans[0].targets
    assert count.threshold_kind == "count" and count.actual == 2.0
    assert mail.actual == 45.5 and mail.reported_only
    html = to_html(result, "vi")
    assert "3 điểm" in html and "45,5%" in html and "báo cáo quý" in html
    paths = write_reports(result, tmp_path, "en")
    assert json.loads(paths["rollout.json"].read_text(encoding="utf-8"))["plans"][0]["targets"][0]["actual"] == 2.0
    wb = load_workbook(paths["rollout.xlsx"])
    assert len(wb.sheetnames) == 3              # summary, the measured target, sites
