"""Import bundles (folder and zip), report writers (JSON, CSV, Markdown, HTML), the SQLite snapshot."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from nornir_tasks.compliance.baseline import BaselineFile, BaselineSet, Rule
from nornir_tasks.compliance.import_bundle import clean_output, load_bundle
from nornir_tasks.compliance.run import DeviceState, RunningConfig, Unreachable, run_compliance
from nornir_tasks.compliance.store import device_history, save_run, trend
from nornir_tasks.compliance.waivers import WaiverRegister
from nornir_tasks.errors import ComplianceError
from nornir_tasks.inventory.load import load_or_raise
from nornir_tasks.reports.compliance_csv import devices_csv, features_csv, findings_csv
from nornir_tasks.reports.compliance_html import to_html
from nornir_tasks.reports.compliance_json import to_json
from nornir_tasks.reports.compliance_markdown import to_markdown
from nornir_tasks.rollout.compliance_data import read_latest
from nornir_tasks.settings import Settings
from nornir_tasks.store import connect

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "tests" / "fixtures" / "compliance"
TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
SECRET_HASH = "$9$oNguHz1xvBkT0E"


@pytest.fixture(scope="module")
def inv():
    return load_or_raise(ROOT / "inventory", today=TODAY).inventory


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    return Settings(inventory_dir=tmp_path, state_dir=tmp_path / ".state", build_dir=tmp_path / "build")


def _rules() -> BaselineSet:
    rule = Rule(id="C6", title="Nhật ký tập trung", severity="M", basis="Nghị định 53/2022/NĐ-CP",
                config={"frr": [{"require": [r"^log syslog\b"]}],
                        "cisco_ios": [{"require": [r"^logging host {logging_hosts}( vrf \S+)?$"]}]})
    return BaselineSet((BaselineFile(version="1", effective=date(2025, 7, 1), grace_days=0, rules=(rule,)),))


@pytest.fixture()
def run(settings, inv):
    frr_i = (FIX / "frr/ospf_drift/intended.cfg").read_text()
    frr_r = (FIX / "frr/ospf_drift/running.cfg").read_text()
    ios_i = (FIX / "cisco_ios/drift/intended.cfg").read_text()
    ios_r = (FIX / "cisco_ios/drift/running.cfg").read_text()
    running = {"lcu-sin-ho-ce01": RunningConfig(text=frr_r, collected_at=NOW),
               "lcu-tu-ce01": RunningConfig(text=ios_r, collected_at=NOW),
               "lcu-gw01": Unreachable(error="SSH timed out")}
    intended = {"lcu-sin-ho-ce01": frr_i, "lcu-tu-ce01": ios_i}
    return run_compliance(settings, inv, ["lcu-sin-ho-ce01", "lcu-tu-ce01", "lcu-gw01"], running, intended, TODAY,
                          baselines=_rules(), waivers=WaiverRegister(), now=NOW)


# -- import bundles ----------------------------------------------------------------------------------------
def _bundle_files() -> dict[str, str]:
    frr_r = (FIX / "frr/ospf_drift/running.cfg").read_text()
    return {"lcu-sin-ho-ce01.txt": "lcu-sin-ho-ce01# show running-config\n" + frr_r + "lcu-sin-ho-ce01#",
            "lcu-bum-to-ce01.cfg": (FIX / "frr/ospf_clean/running.cfg").read_text().replace("lcu-sin-ho", "lcu-bum-to"),
            "manifest.yaml": "collected_at: 2026-11-20\nhosts:\n  lcu-bum-to-ce01: {collected_at: 2026-11-18}\n"}


@pytest.mark.parametrize("kind", ["folder", "zip"])
def test_import_bundle_folder_and_zip(tmp_path: Path, inv, settings, kind: str):
    files = _bundle_files()
    if kind == "folder":
        src = tmp_path / "bundle"
        src.mkdir()
        for name, text in files.items():
            (src / name).write_text(text)
    else:
        src = tmp_path / "bundle.zip"
        with zipfile.ZipFile(src, "w") as zf:
            for name, text in files.items():
                zf.writestr(f"thu-thap/{name}", text)
    got = load_bundle(src, inv)
    assert set(got.running) == {"lcu-sin-ho-ce01", "lcu-bum-to-ce01"}
    a, b = got.running["lcu-sin-ho-ce01"], got.running["lcu-bum-to-ce01"]
    assert a.source == "offline" and a.collected_at.date() == date(2026, 11, 20) and b.collected_at.date() == date(2026, 11, 18)
    assert "show running-config" not in a.text and not a.text.rstrip().endswith("#")
    intended = {"lcu-sin-ho-ce01": (FIX / "frr/ospf_drift/intended.cfg").read_text()}
    res = run_compliance(settings, inv, ["lcu-sin-ho-ce01"], got.running, intended, TODAY, baselines=_rules(),
                         waivers=WaiverRegister(), platform="frr", only="config")
    d = res.devices[0]
    assert d.source == "offline" and d.state is DeviceState.NON_COMPLIANT
    assert any("reported offline (collected 2026-11-20)" in n for n in d.notes)


def test_import_bundle_refuses_unknown_hosts_and_empty(tmp_path: Path, inv):
    src = tmp_path / "b"
    src.mkdir()
    (src / "no-such-router.cfg").write_text("hostname x\n")
    with pytest.raises(ComplianceError) as exc:
        load_bundle(src, inv)
    assert exc.value.code == "CMP-003" and "no-such-router.cfg" in exc.value.message
    with pytest.raises(ComplianceError, match="not found"):
        load_bundle(tmp_path / "missing", inv)
    (tmp_path / "x.zip").write_bytes(b"not a zip")
    with pytest.raises(ComplianceError, match="neither a folder nor a zip"):
        load_bundle(tmp_path / "x.zip", inv)


def test_clean_output_keeps_config_lines():
    text = "<lcu-hdnd-ce01>display current-configuration\n#\nsysname lcu-hdnd-ce01\n  ---- More ----\nreturn\n"
    assert clean_output(text) == "#\nsysname lcu-hdnd-ce01\nreturn\n"


# -- reports -----------------------------------------------------------------------------------------------
def test_json_report_has_devices_summaries_and_no_secret(run):
    data = json.loads(to_json(run))
    states = {d["name"]: d["state"] for d in data["run"]["devices"]}
    assert states == {"lcu-sin-ho-ce01": "non_compliant", "lcu-tu-ce01": "non_compliant", "lcu-gw01": "unreachable"}
    s = data["summary"]
    assert s["totals"]["non_compliant"] == 2 and s["by_province"]["12"]["unreachable"] == 1
    assert s["by_region"]["TDMNPB"]["devices"] == 3
    assert s["by_feature"]["logging"]["non_compliant"] == 2
    assert s["by_rule"]["C6"]["fail"] == 2
    assert "remediations" not in data["run"]
    assert SECRET_HASH not in to_json(run) and "tslcd-ro" not in to_json(run)


def test_csv_reports(run):
    rows = list(csv.DictReader(io.StringIO(devices_csv(run).lstrip("\ufeff"))))
    assert [r["state"] for r in rows] == ["non_compliant", "non_compliant", "unreachable"]
    assert rows[2]["state_vi"] == "không kết nối được"
    finds = list(csv.DictReader(io.StringIO(findings_csv(run).lstrip("\ufeff"))))
    assert {f["rule"] for f in finds if f["device"] == "lcu-tu-ce01"} >= {"C6", "feature:logging", "feature:acl"}
    feats = list(csv.DictReader(io.StringIO(features_csv(run).lstrip("\ufeff"))))
    assert any(f["feature"] == "static" and f["compliant"] == "0" for f in feats)
    assert devices_csv(run).startswith("\ufeff")


def test_markdown_and_html_reports(run):
    md = to_markdown(run)
    assert "+ log syslog informational" in md and "- ip route 192.0.2.0/24 Null0" in md
    assert "không tuân thủ" in md and unicodedata.is_normalized("NFC", md)
    html = to_html(run)
    assert html.startswith("<!DOCTYPE html>") and "không kết nối được" in html
    assert "http://" not in html and "https://" not in html and "<script src" not in html
    assert "&lt;secret&gt;" in html or "secret" not in html
    for text in (md, html):
        assert SECRET_HASH not in text


# -- the store -------------------------------------------------------------------------------------------
def test_snapshot_and_trend_and_rollout_view(tmp_path: Path, run):
    conn = connect(tmp_path)
    save_run(conn, run)
    later = run.model_copy(update={"run_id": "later", "taken_at": datetime(2026, 11, 26, tzinfo=UTC)})
    save_run(conn, later, source="offline")
    rows = trend(conn)
    assert [r["id"] for r in rows] == [run.run_id, "later"]
    assert rows[0]["non_compliant"] == 2 and rows[0]["unreachable"] == 1 and rows[1]["source"] == "offline"
    assert [s for _, s in device_history(conn, "lcu-gw01")] == ["unreachable", "unreachable"]
    n = conn.execute("SELECT count(*) FROM compliance_findings WHERE run_id = ?", (run.run_id,)).fetchone()[0]
    assert n == sum(len(d.findings) for d in run.devices)
    view = read_latest(conn)      # what the rollout stage reads
    assert view is not None and view.run_id == "later" and view.states["lcu-tu-ce01"] == "non_compliant"
