"""R1 hardening #14, #15, #16 (null key): every bad input below is a coded sentence and exit 2, never a
traceback."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, edit_yaml, run_cli

HOST = "lcu-sin-ho-ce01"


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "inventory", tmp_path / "inventory")
    cfg = yaml.safe_load((ROOT / "config.yaml").read_text())
    cfg["user_defined"]["govnet"].update({"templates_dir": str(ROOT / "templates"),
                                          "baseline_dir": "inventory/baselines", "plans_dir": "inventory/plans"})
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(cfg, allow_unicode=True))
    return tmp_path


def _config(project: Path, fn) -> None:
    data = yaml.safe_load((project / "config.yaml").read_text())
    fn(data)
    (project / "config.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))


def _sentence(project: Path, *args: str, code: str | None = None) -> str:
    r = run_cli(*args, cwd=project)
    assert "Traceback" not in r.stderr, r.stderr[-2000:]
    assert r.returncode == 2, (r.returncode, r.stdout[-500:], r.stderr[-1000:])
    assert code is None or f"[{code}]" in r.stderr + r.stdout, r.stderr
    return r.stderr + r.stdout


@pytest.mark.parametrize("shape", [{"inventory": "hello"}, {"user_defined": [1]},
                                   {"inventory": {"options": "x"}}])
def test_config_shapes(project: Path, shape: dict) -> None:
    _config(project, lambda d: d.update(shape))
    _sentence(project, "inventory", "list", code="CFG-002")


@pytest.mark.parametrize("key,value", [("backup_max_age_days", 10**30), ("connect_timeout", 10**30)])
def test_huge_settings(project: Path, key: str, value: int) -> None:
    _config(project, lambda d: d["user_defined"]["govnet"].update({key: value}))
    _sentence(project, "compliance", "--only", "config", code="CFG-002")


@pytest.mark.parametrize("args", [("compliance", "--only", "inventory", "--as-of", "0001-01-01"),
                                  ("rollout", "status", "--as-of", "9999-12-31"),
                                  ("inventory", "validate", "--as-of", "0001-01-01")])
def test_as_of_out_of_range(project: Path, args: tuple[str, ...]) -> None:
    _sentence(project, *args, code="CFG-003")


def test_history_limit_huge(project: Path) -> None:
    _sentence(project, "compliance", "history", "--limit", "9" * 30)


def test_build_dir_is_a_file(project: Path) -> None:
    _config(project, lambda d: d["user_defined"]["govnet"].update(build_dir="config.yaml"))
    _sentence(project, "render", "-f", HOST, code="CFG-006")


def test_out_in_a_read_only_place(project: Path) -> None:
    _sentence(project, "render", "-f", HOST, "--out", "/proc/govnet-out", code="CFG-006")


def test_corrupt_store(project: Path) -> None:
    (project / ".state").mkdir()
    (project / ".state" / "govnet.sqlite").write_bytes(b"not a database " * 200)
    for args in (("compliance", "history"), ("rollout", "status", "--as-of", "2025-11-25")):
        _sentence(project, *args, code="RLT-004")


def test_non_utf8_backup(project: Path) -> None:
    backups = project / ".state" / "backups"
    backups.mkdir(parents=True)
    (backups / f"{HOST}.cfg").write_bytes(b"hostname \xff\xfe\n")
    _sentence(project, "compliance", "-f", HOST, "--only", "config", code="BKP-002")


def test_huge_grace_days_plan_count_and_asn(project: Path) -> None:
    inv = project / "inventory"
    base = inv / "baselines" / "national-2025.1.yaml"
    base.write_text(base.read_text().replace("grace_days: 90", "grace_days: " + "9" * 25))
    _sentence(project, "compliance", "--only", "inventory", "--as-of", "2026-01-01", code="CMP-001")
    base.write_text(base.read_text().replace("grace_days: " + "9" * 25, "grace_days: 90"))
    circuits = inv / "circuits.yaml"
    circuits.write_text(circuits.read_text().replace("bgp_a_asn: 65012", "bgp_a_asn: " + "9" * 5000, 1))
    assert "about 5000 digits" in _sentence(project, "inventory", "validate", code="INV-012")


def test_plan_count_huge(project: Path) -> None:
    plan = project / "inventory" / "plans" / "qd-33-2025.yaml"
    text = plan.read_text()
    assert "share:" in text
    plan.write_text(text.replace("{share: 100}", "{count: " + "9" * 30 + "}", 1))
    _sentence(project, "rollout", "status", "--as-of", "2025-11-25", code="RLT-001")


@pytest.mark.parametrize("kind", ["dev-zero", "fifo"])
def test_hosts_yaml_special_file(project: Path, kind: str) -> None:
    hosts = project / "inventory" / "hosts.yaml"
    hosts.unlink()
    if kind == "fifo":
        os.mkfifo(hosts)
    else:
        hosts.symlink_to("/dev/zero")
    _sentence(project, "inventory", "validate", code="INV-008")


def test_too_many_entries(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from nornir_tasks.inventory import load

    monkeypatch.setattr(load, "MAX_ENTRIES", 5)          # a small limit stands in for 200,000
    result = load.load_inventory(project / "inventory")
    assert any(f.code == "INV-006" and f.file == "hosts.yaml" for f in result.findings)


def test_null_key_is_not_a_host_named_none(project: Path) -> None:
    hosts = project / "inventory" / "hosts.yaml"
    hosts.write_text(hosts.read_text() + "~:\n  hostname: 10.12.254.99\n  platform: frr\n")
    from nornir_tasks.inventory.load import load_inventory

    result = load_inventory(project / "inventory")
    assert "None" not in result.inventory.devices
    assert any(f.code == "INV-016" and "None" in f.message for f in result.findings)
