"""``govnet backup`` as a user runs it, for the cases that need no device: bad usage is a sentence and exit 2."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.conftest import ROOT, run_cli


def _config(tmp_path: Path) -> Path:
    config = tmp_path / "config.yaml"
    config.write_text(yaml.safe_dump({"user_defined": {"govnet": {
        "inventory_dir": str(ROOT / "inventory"), "state_dir": str(tmp_path / "state"),
        "lab_dir": str(tmp_path / "no-lab")}}}), encoding="utf-8")
    return config


def test_missing_password_variable_is_exit_2_before_any_connection(tmp_path: Path) -> None:
    proc = run_cli("backup", "--config", str(_config(tmp_path)), env={"GOVNET_USERNAME": "u", "GOVNET_PASSWORD": ""})
    assert proc.returncode == 2
    assert proc.stderr.startswith("[CFG-004] environment variable GOVNET_PASSWORD")
    assert "Traceback" not in proc.stderr and not (tmp_path / "state" / "backups").exists()


def test_lab_without_overlay_is_exit_2(tmp_path: Path) -> None:
    proc = run_cli("backup", "--config", str(_config(tmp_path)), "--lab",
                   env={"GOVNET_USERNAME": "u", "GOVNET_PASSWORD": "p-123456"})
    assert proc.returncode == 2 and proc.stderr.startswith("[LAB-004]")


def test_unknown_filter_is_exit_2(tmp_path: Path) -> None:
    proc = run_cli("backup", "--config", str(_config(tmp_path)), "-f", "no-such-device-*",
                   env={"GOVNET_USERNAME": "u", "GOVNET_PASSWORD": "p-123456"})
    assert proc.returncode == 2 and proc.stderr.startswith("[CFG-003]")


def test_diff_before_any_run(tmp_path: Path) -> None:
    proc = run_cli("backup", "--config", str(_config(tmp_path)), "--diff")
    assert proc.returncode == 0
    assert "no backup run yet" in proc.stderr and "(no configuration changed)" in proc.stdout
