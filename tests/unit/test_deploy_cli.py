"""`govnet deploy` usage errors are sentences with exit 2, before any device is contacted; the help spells out
what --max-failures counts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    config = tmp_path / "config.yaml"
    config.write_text(yaml.safe_dump({"user_defined": {"govnet": {
        "inventory_dir": str(ROOT / "inventory"), "templates_dir": str(ROOT / "templates"),
        "state_dir": str(tmp_path / "state"), "build_dir": str(tmp_path / "build"),
        "reports_dir": str(tmp_path / "reports"), "lab_dir": str(tmp_path / "lab")}}}), encoding="utf-8")
    env = {**os.environ, "GOVNET_USERNAME": "u", "GOVNET_PASSWORD": "p", "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "nornir_tasks.cli", "deploy", "--config", str(config), *args],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.parametrize(("args", "code"), [
    (["--wave-size", "abc"], "DPL-009"),
    (["--max-failures", "150%"], "DPL-009"),
    (["--resume", "no-such-run"], "DPL-008"),
    (["--lab", "-f", "lcu-gw01"], "LAB-004"),
    (["-f", "no-such-device"], "CFG-003"),
])
def test_usage_errors_exit_2_with_a_sentence(tmp_path: Path, args: list[str], code: str) -> None:
    proc = _run(tmp_path, *args)
    assert proc.returncode == 2, proc.stderr
    assert f"[{code}]" in proc.stderr and "Traceback" not in proc.stderr


def test_help_spells_out_more_than(tmp_path: Path) -> None:
    proc = _run(tmp_path, "--help")
    assert proc.returncode == 0
    text = " ".join(proc.stdout.split())
    assert "MORE THAN this many devices" in text and "--allow-no-revert" in text and "--resume" in text


def test_history_lists_nothing_yet(tmp_path: Path) -> None:
    proc = _run(tmp_path, "history", "--format", "json")
    assert proc.returncode == 0 and proc.stdout.strip() == "[]"
