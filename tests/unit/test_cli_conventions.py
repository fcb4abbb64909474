"""[U1] Conventions: ``govnet --version``, ``-h`` next to ``--help`` everywhere, and config.yaml found from a
subfolder (the nearest one above) or from ``GOVNET_CONFIG``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from nornir_tasks.cli import app
from tests.conftest import ROOT


def _govnet(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if k != "GOVNET_CONFIG"} | (env or {})
    return subprocess.run([sys.executable, "-m", "nornir_tasks.cli", *args], cwd=cwd, env=full,
                          capture_output=True, text=True, timeout=120)


def test_version() -> None:
    from importlib.metadata import version

    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"govnet {version('govnet')}"


def test_dash_h_is_help_everywhere() -> None:
    for path in ([], ["inventory"], ["inventory", "list"], ["rollout", "status"], ["compliance"], ["render"]):
        short = CliRunner().invoke(app, [*path, "-h"])
        assert short.exit_code == 0, (path, short.output)
        assert short.stdout == CliRunner().invoke(app, [*path, "--help"]).stdout and "Usage:" in short.stdout


def test_config_found_from_a_subfolder() -> None:
    result = _govnet("inventory", "list", "--filter", "site=sin-ho", "--format", "json",
                     cwd=ROOT / "inventory" / "plans")
    assert result.returncode == 0, result.stderr
    assert [d["name"] for d in json.loads(result.stdout)] == ["lcu-sin-ho-ce01"]


def test_config_from_the_environment(tmp_path: Path) -> None:
    result = _govnet("inventory", "list", "--filter", "site=sin-ho", "--format", "json", cwd=tmp_path,
                     env={"GOVNET_CONFIG": str(ROOT / "config.yaml")})
    assert result.returncode == 0, result.stderr
    assert [d["name"] for d in json.loads(result.stdout)] == ["lcu-sin-ho-ce01"]
    missing = _govnet("inventory", "list", cwd=tmp_path)
    assert missing.returncode == 2 and "CFG-001" in missing.stderr
