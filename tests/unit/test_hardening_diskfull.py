"""R1 hardening #14: a full disk while the reports are written is a sentence (CFG-006, exit 2), and the store
already holds the run (it is written first). The disk is really full: a 64 KB tmpfs (needs root, as the lab does)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, run_cli

HOST = "lcu-sin-ho-ce01"
FIX = ROOT / "tests" / "fixtures" / "compliance" / "frr"


@pytest.fixture()
def full_disk(tmp_path: Path):
    if os.geteuid() != 0:
        pytest.fail("this test mounts a small tmpfs and needs root (like the lab tests)")
    mnt = tmp_path / "small"
    mnt.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mnt)], check=True)
    try:
        (mnt / "filler").write_bytes(b"\0" * 60 * 1024)
        yield mnt
    finally:
        subprocess.run(["umount", str(mnt)], check=False)


def test_full_disk_while_writing_reports(tmp_path: Path, full_disk: Path) -> None:
    cfg = yaml.safe_load((ROOT / "config.yaml").read_text())
    cfg["user_defined"]["govnet"].update({
        "inventory_dir": str(ROOT / "inventory"), "templates_dir": str(ROOT / "templates"),
        "baseline_dir": str(ROOT / "inventory" / "baselines"), "build_dir": "build", "state_dir": ".state",
        "reports_dir": str(full_disk / "reports")})
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(cfg, allow_unicode=True))
    (tmp_path / "build" / "intended").mkdir(parents=True)
    (tmp_path / "build" / "intended" / f"{HOST}.cfg").write_text((FIX / "ospf_drift" / "intended.cfg").read_text())
    backups = tmp_path / ".state" / "backups"
    backups.mkdir(parents=True)
    (backups / f"{HOST}.cfg").write_text((FIX / "ospf_drift" / "running.cfg").read_text())
    (backups / "index.json").write_text(json.dumps({HOST: {"collected_at": "2026-11-24T07:00:00+00:00",
                                                           "status": "ok", "platform": "frr", "error": None}}))
    r = run_cli("compliance", "--config", str(tmp_path / "config.yaml"), "-f", HOST, "--as-of", "2026-11-25",
                cwd=tmp_path)
    assert r.returncode == 2 and "[CFG-006]" in r.stderr and "Traceback" not in r.stderr, r.stderr[-1500:]
    assert "No space left on device" in r.stderr
    conn = sqlite3.connect(tmp_path / ".state" / "govnet.sqlite")
    assert conn.execute("SELECT COUNT(*) FROM compliance_runs").fetchone()[0] == 1     # the run is stored
    assert not [p for p in full_disk.rglob(".*.*") if p.is_file()]                   # no temp file left behind
