"""R1 hardening, state: private file modes (#4), lab state kept apart (#5), an all-or-nothing backup store (#8),
a corrupt store is a sentence (#14)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from nornir_tasks.backup.store import BackupStore, Collected
from nornir_tasks.errors import BackupError, GovnetError
from nornir_tasks.paths import Paths
from nornir_tasks.settings import Settings
from nornir_tasks.store import DB_NAME, connect
from tests.conftest import ROOT, run_cli

T0 = datetime(2025, 11, 4, 2, 0, tzinfo=UTC)
FIX = ROOT / "tests" / "fixtures" / "compliance" / "frr"
HOST = "lcu-sin-ho-ce01"


def mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True).stdout


# -- #4 file modes ----------------------------------------------------------------------------------------
def test_backups_and_index_are_private(tmp_path: Path) -> None:
    state = tmp_path / ".state"
    store = BackupStore(state)
    store.record([Collected(host="r1", platform="frr", text="hostname r1\n")], now=T0)
    assert mode(state) == 0o700 and mode(state / "backups") == 0o700
    assert mode(state / "backups" / "r1.cfg") == 0o600
    assert mode(state / "backups" / "index.json") == 0o600
    git_files = [p for p in (state / "backups" / ".git").rglob("*")]
    assert git_files and all(mode(p) & 0o077 == 0 for p in git_files if p.is_file()), "git objects readable by others"


def test_files_of_an_older_version_are_tightened(tmp_path: Path) -> None:
    root = tmp_path / ".state" / "backups"
    root.mkdir(parents=True)
    os.chmod(tmp_path / ".state", 0o755)
    (root / "r1.cfg").write_text("hostname r1\n")
    os.chmod(root / "r1.cfg", 0o644)
    BackupStore(tmp_path / ".state").record([Collected(host="r1", platform="frr", text="hostname r1\n")], now=T0)
    assert mode(root / "r1.cfg") == 0o600 and mode(tmp_path / ".state") == 0o700


def test_sqlite_store_is_private(tmp_path: Path) -> None:
    conn = connect(tmp_path / ".state")
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    assert mode(tmp_path / ".state") == 0o700 and mode(tmp_path / ".state" / DB_NAME) == 0o600
    for extra in (tmp_path / ".state").glob(DB_NAME + "-*"):     # WAL and shared memory follow the database
        assert mode(extra) == 0o600, extra


# -- #14 a corrupt store ---------------------------------------------------------------------------------
def test_corrupt_sqlite_is_a_sentence(tmp_path: Path) -> None:
    (tmp_path / DB_NAME).write_bytes(b"this is not a database" * 100)
    with pytest.raises(GovnetError) as exc:
        connect(tmp_path)
    assert exc.value.code == "RLT-004" and "not a readable SQLite database" in exc.value.message


# -- #8 all or nothing ------------------------------------------------------------------------------------
def test_run_that_reached_no_device_makes_no_commit(tmp_path: Path) -> None:
    store = BackupStore(tmp_path)
    first = store.record([Collected(host="r1", platform="frr", text="hostname r1\n")], now=T0)
    down = store.record([Collected(host="r1", platform="frr", error="[DEV-001] r1: unreachable")], now=T0)
    assert down.commit is None and "no device was reached" in down.message
    assert [c for c, _ in store.commits()] == [first.commit]
    assert store.read("r1") == "hostname r1\n" and store.index()["r1"].status == "unreachable"


def test_fresh_git_lock_stops_the_run_before_anything_is_written(tmp_path: Path) -> None:
    store = BackupStore(tmp_path)
    store.record([Collected(host="r1", platform="frr", text="hostname r1\n")], now=T0)
    lock = store.root / ".git" / "index.lock"
    lock.write_text("")
    before = {p.name: p.read_bytes() for p in store.root.iterdir() if p.is_file()}
    with pytest.raises(BackupError) as exc:
        store.record([Collected(host="r1", platform="frr", text="hostname r1-new\n"),
                      Collected(host="r2", platform="frr", text="hostname r2\n")], now=T0)
    assert exc.value.code == "BKP-003" and "nothing was written" in exc.value.message
    assert {p.name: p.read_bytes() for p in store.root.iterdir() if p.is_file()} == before


def test_stale_git_lock_is_removed(tmp_path: Path) -> None:
    store = BackupStore(tmp_path)
    store.record([Collected(host="r1", platform="frr", text="hostname r1\n")], now=T0)
    lock = store.root / ".git" / "index.lock"
    lock.write_text("")
    old = time.time() - 3600
    os.utime(lock, (old, old))
    summary = store.record([Collected(host="r1", platform="frr", text="hostname r1-new\n")], now=T0)
    assert summary.commit and not lock.exists() and store.read("r1") == "hostname r1-new\n"


def test_failed_commit_puts_every_file_back(tmp_path: Path) -> None:
    store = BackupStore(tmp_path)
    store.record([Collected(host="r1", platform="frr", text="hostname r1\n")], now=T0)
    before = {p.name: p.read_bytes() for p in store.root.iterdir() if p.is_file()}
    head = store.root / ".git" / "HEAD"
    saved_head = head.read_text()
    head.write_text("not a ref\n")           # a real broken repository: every git command fails
    try:
        with pytest.raises(BackupError) as exc:
            store.record([Collected(host="r1", platform="frr", text="hostname r1-new\n"),
                          Collected(host="r2", platform="frr", text="hostname r2\n")], now=T0)
    finally:
        head.write_text(saved_head)
    assert "nothing was written" in exc.value.message
    assert {p.name: p.read_bytes() for p in store.root.iterdir() if p.is_file()} == before


# -- #5 a --lab rehearsal never touches production state ----------------------------------------------------
def test_lab_paths_are_apart_from_production() -> None:
    s = Settings(state_dir=Path("/p/.state"), build_dir=Path("/p/build"), reports_dir=Path("/p/reports"))
    prod, lab = Paths.of(s), Paths.of(s, lab=True)
    for field in ("state_dir", "backups_dir", "db", "journal", "known_hosts", "intended_dir", "remediation_dir",
                  "rollback_dir", "reports_dir"):
        a, b = getattr(prod, field), getattr(lab, field)
        assert a != b and not b.is_relative_to(a) or field in ("state_dir", "reports_dir"), field
    # the lab's state lives in a folder of its own that production never reads or writes
    assert not prod.backups_dir.is_relative_to(lab.state_dir) and not lab.backups_dir.is_relative_to(prod.backups_dir)


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    cfg = yaml.safe_load((ROOT / "config.yaml").read_text())
    cfg["user_defined"]["govnet"].update({
        "inventory_dir": str(ROOT / "inventory"), "templates_dir": str(ROOT / "templates"),
        "baseline_dir": str(ROOT / "inventory" / "baselines"), "build_dir": "build", "reports_dir": "reports",
        "state_dir": ".state"})
    cfg["inventory"]["options"]["inventory_dir"] = str(ROOT / "inventory")
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(cfg, allow_unicode=True))
    for folder in ("intended", "intended-lab"):
        (tmp_path / "build" / folder).mkdir(parents=True)
        (tmp_path / "build" / folder / f"{HOST}.cfg").write_text((FIX / "ospf_drift" / "intended.cfg").read_text())
    return tmp_path


def _backup(folder: Path, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{HOST}.cfg").write_text(text)
    (folder / "index.json").write_text(json.dumps({HOST: {"collected_at": "2026-11-24T07:00:00+00:00",
                                                          "status": "ok", "platform": "frr", "error": None}}))


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_compliance_lab_leaves_production_remediation_reports_and_store_alone(project: Path) -> None:
    cli = ("compliance", "--config", str(project / "config.yaml"), "--filter", HOST, "--as-of", "2026-11-25")
    _backup(project / ".state" / "backups", (FIX / "ospf_drift" / "running.cfg").read_text())
    assert run_cli(*cli, cwd=project).returncode == 1          # production: drift, remediation written
    prod_build = _tree(project / "build" / "remediation") | _tree(project / "build" / "rollback")
    prod_reports = _tree(project / "reports")
    prod_db = (project / ".state" / DB_NAME).read_bytes()
    assert prod_build and prod_reports
    # the lab router runs the clean config: the rehearsal finds it compliant
    _backup(project / ".state" / "lab" / "backups", (FIX / "ospf_clean" / "running.cfg").read_text())
    r = run_cli(*cli, "--lab", cwd=project)
    assert r.returncode == 0, r.stdout + r.stderr
    assert _tree(project / "build" / "remediation") | _tree(project / "build" / "rollback") == prod_build
    assert _tree(project / "reports" / "compliance") == {k.removeprefix("compliance/"): v
                                                         for k, v in prod_reports.items()}
    assert (project / ".state" / DB_NAME).read_bytes() == prod_db
    assert (project / "reports" / "lab" / "compliance" / "compliance.json").is_file()
    assert (project / ".state" / "lab" / DB_NAME).is_file()
    h = run_cli("compliance", "history", "--config", str(project / "config.yaml"), "--format", "json", cwd=project)
    assert [row["non_compliant"] for row in json.loads(h.stdout)] == [1]
