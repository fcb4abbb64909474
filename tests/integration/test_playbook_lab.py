"""Playbooks on the lab's real FRR routers (session fixture ``lab``), through ``govnet play ... --lab``.

1. ``audit.yaml`` runs every step (validate → render → backup → compliance → rollout status → report) and finds
   seeded drift exactly on the drifted routers (per-host results flow from step to step);
2. ``provision-commune.yaml`` (mode: check) with ``--commit`` on the command line still changes nothing: a playbook
   in check mode never writes to a device; its ``when: deploy.changed`` steps run only for the drifted routers.
Routers drifted here are put back with ``lab.reset``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
DRIFTED = ["lcu-tu-ce01", "lcu-stc-ce01"]
CLEAN = "lcu-snv-ce01"


def _config(lab: Any, folder: Path) -> Path:
    data = yaml.safe_load(lab.config.read_text(encoding="utf-8"))
    govnet = data["user_defined"]["govnet"]
    for key in ("state_dir", "build_dir", "reports_dir"):
        govnet[key] = str(folder / key.removesuffix("_dir"))
    path = folder / "config.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _play(config: Path, *args: str) -> tuple[int, dict[str, Any], str]:
    proc = subprocess.run([sys.executable, "-m", "nornir_tasks.cli", "play", *args, "--config", str(config), "--lab",
                           "--format", "json"], cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, json.loads(proc.stdout), proc.stderr


@pytest.fixture()
def drifted(lab: Any) -> Any:
    lab.drift(DRIFTED)
    yield DRIFTED
    for name in DRIFTED:
        lab.reset(name)


def test_audit_and_check_mode_provision_on_the_lab(lab: Any, drifted: list[str], tmp_path: Path) -> None:
    config = _config(lab, tmp_path)
    hosts = ["--filter", "lcu-tu-ce01", "--filter", "lcu-stc-ce01", "--filter", CLEAN]
    code, audit, err = _play(config, str(ROOT / "playbooks" / "audit.yaml"), *hosts)
    assert code == 1, err                                  # drift found: non-compliant devices make the run exit 1
    steps = {s["id"]: s for s in audit["steps"]}
    assert all(s["ran"] for s in audit["steps"]), audit["steps"]
    assert steps["backup"]["counts"]["failed"] == 0
    per_host = audit["hosts"]
    assert set(per_host) == {*drifted, CLEAN}
    assert Path(audit["report"]).is_file()
    before = {n: lab.vtysh(n, "show running-config") for n in drifted}
    code, prov, err = _play(config, str(ROOT / "playbooks" / "provision-commune.yaml"), "--commit", *hosts)
    assert prov["mode"] == "check" and prov["commit"] is True
    ph = prov["hosts"]
    assert {ph[n]["deploy"] for n in drifted} == {"changed"}, ph   # would change (dry run)
    assert ph[CLEAN]["deploy"] == "ok", ph
    # `when: deploy.changed` is per host: re-read and verify ran for the drifted routers only
    assert {ph[n]["reread"] for n in drifted} != {"skipped"} and ph[CLEAN]["reread"] == "skipped", ph
    assert ph[CLEAN]["verify"] == "skipped", ph
    # check mode never writes to a device, --commit or not
    assert {n: lab.vtysh(n, "show running-config") for n in drifted} == before
