"""``govnet compliance`` as a user runs it: backups in the state folder, reports, remediation files, exit codes."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, run_cli

FIX = ROOT / "tests" / "fixtures" / "compliance" / "frr"
HOST = "lcu-sin-ho-ce01"
AS_OF = "2026-11-25"


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    cfg = yaml.safe_load((ROOT / "config.yaml").read_text())
    cfg["user_defined"]["govnet"].update({
        "inventory_dir": str(ROOT / "inventory"), "templates_dir": str(ROOT / "templates"),
        "baseline_dir": str(ROOT / "inventory" / "baselines"), "build_dir": "build", "reports_dir": "reports",
        "state_dir": ".state"})
    cfg["inventory"]["options"]["inventory_dir"] = str(ROOT / "inventory")
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(cfg, allow_unicode=True))
    (tmp_path / "build" / "intended").mkdir(parents=True)
    (tmp_path / "build" / "intended" / f"{HOST}.cfg").write_text((FIX / "ospf_drift" / "intended.cfg").read_text())
    return tmp_path


def backup(project: Path, text: str | None, status: str = "ok", when: str = "2026-11-24T07:00:00+00:00") -> None:
    d = project / ".state" / "backups"
    d.mkdir(parents=True, exist_ok=True)
    if text is not None:
        (d / f"{HOST}.cfg").write_text(text)
    (d / "index.json").write_text(json.dumps({HOST: {"collected_at": when, "status": status, "platform": "frr",
                                                     "error": None if status == "ok" else "SSH: timed out"}}))


def cli(project: Path, *args: str):
    return run_cli("compliance", "--config", str(project / "config.yaml"), *args, cwd=project)


def test_drift_exit_1_reports_remediation_and_snapshot(project: Path):
    backup(project, (FIX / "ospf_drift" / "running.cfg").read_text())
    r = cli(project, "--filter", HOST, "--as-of", AS_OF, "--format", "json")
    assert r.returncode == 1, r.stderr
    data = json.loads(r.stdout)
    (dev,) = data["run"]["devices"]
    assert dev["state"] == "non_compliant"
    assert {f["name"] for f in dev["features"] if not f["compliant"]} == {"logging", "interfaces", "static"}
    rem = (project / "build" / "remediation" / f"{HOST}.cfg").read_text()
    assert "no ip route 192.0.2.0/24 Null0" in rem and "log syslog informational" in rem
    assert (project / "build" / "rollback" / f"{HOST}.cfg").is_file()
    for name in ("compliance.json", "compliance.html", "compliance.md", "compliance-devices.csv",
                 "compliance-findings.csv", "compliance-features.csv"):
        assert (project / "reports" / "compliance" / name).is_file()
    assert (project / ".state" / "govnet.sqlite").is_file()
    # fixed: the device is compliant, its remediation files are removed, exit 0
    backup(project, (FIX / "ospf_clean" / "running.cfg").read_text())
    r2 = cli(project, "--filter", HOST, "--as-of", AS_OF)
    assert r2.returncode == 0, r2.stdout + r2.stderr
    assert not (project / "build" / "remediation" / f"{HOST}.cfg").exists()
    h = run_cli("compliance", "history", "--config", str(project / "config.yaml"), "--format", "json", cwd=project)
    assert [row["non_compliant"] for row in json.loads(h.stdout)] == [1, 0]


def test_unreachable_exit_1_and_stale(project: Path):
    backup(project, (FIX / "ospf_clean" / "running.cfg").read_text(), status="unreachable")
    r = cli(project, "--filter", HOST, "--as-of", AS_OF, "--format", "json", "--no-store")
    assert r.returncode == 1
    assert json.loads(r.stdout)["run"]["devices"][0]["state"] == "unreachable"
    backup(project, (FIX / "ospf_clean" / "running.cfg").read_text(), when="2026-09-01T07:00:00+00:00")
    r = cli(project, "--filter", HOST, "--as-of", AS_OF, "--format", "json", "--no-store")
    assert r.returncode == 0 and json.loads(r.stdout)["run"]["devices"][0]["state"] == "stale"


def test_only_inventory_needs_no_backup(project: Path):
    r = cli(project, "--filter", HOST, "--as-of", AS_OF, "--only", "inventory", "--format", "json", "--no-store")
    assert r.returncode == 0, r.stderr
    (dev,) = json.loads(r.stdout)["run"]["devices"]
    assert dev["state"] == "compliant" and not dev["features"]


def test_bad_waiver_file_is_exit_2_with_a_sentence(project: Path, tmp_path: Path):
    import shutil

    inv = tmp_path / "inv"
    shutil.copytree(ROOT / "inventory", inv)
    (inv / "waivers.yaml").write_text("- rule: C1\n  site: 12-tu\n  approver: y\n  expires: 2026-12-01\n")
    r = run_cli("compliance", "--config", str(project / "config.yaml"), "--inventory", str(inv), "--as-of", AS_OF,
                "--only", "inventory", "--no-store", cwd=project)
    assert r.returncode == 2
    assert "CMP-002" in r.stderr and "waivers.yaml:1" in r.stderr and "reason" in r.stderr
    assert "Traceback" not in r.stderr


def test_import_zip_from_the_command_line(project: Path, tmp_path: Path):
    z = tmp_path / "thu-thap.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr(f"{HOST}.txt", f"{HOST}# show running-config\n" + (FIX / "ospf_drift" / "running.cfg").read_text())
        zf.writestr("manifest.yaml", "collected_at: 2026-11-20\n")
    r = run_cli("compliance", "import", str(z), "--config", str(project / "config.yaml"), "--as-of", AS_OF,
                "--format", "json", cwd=project)
    assert r.returncode == 1, r.stderr
    (dev,) = json.loads(r.stdout)["run"]["devices"]
    assert dev["source"] == "offline" and dev["state"] == "non_compliant"
    assert dev["collected_at"].startswith("2026-11-20")
    bad = run_cli("compliance", "import", str(tmp_path / "nope.zip"), "--config", str(project / "config.yaml"), cwd=project)
    assert bad.returncode == 2 and "CMP-003" in bad.stderr
