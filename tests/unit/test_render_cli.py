"""``govnet render``: files at the fixed path, written only when changed, a summary, exit 1 on a failed host."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from typer.testing import CliRunner

from nornir_tasks.cli import app

ROOT = Path(__file__).resolve().parents[2]


def _config(tmp_path: Path, templates: Path) -> Path:
    cfg = tmp_path / "config.yaml"
    cfg.write_text(yaml.safe_dump({"user_defined": {"govnet": {
        "inventory_dir": str(ROOT / "inventory"), "templates_dir": str(templates),
        "build_dir": str(tmp_path / "build")}}}), encoding="utf-8")
    return cfg


def test_render_writes_files_then_nothing_changes(tmp_path: Path) -> None:
    cfg = _config(tmp_path, ROOT / "templates")
    runner = CliRunner()
    first = runner.invoke(app, ["render", "--config", str(cfg), "--filter", "platform=frr", "--format", "json"])
    assert first.exit_code == 0, first.output
    data = json.loads(first.stdout)
    assert data["summary"] == {"rendered": 4, "changed": 4, "unchanged": 0, "failed": 0}
    out = tmp_path / "build" / "intended"
    files = sorted(p.name for p in out.glob("*.cfg"))
    assert files == sorted(f"{h['host']}.cfg" for h in data["hosts"])
    mtimes = {p: p.stat().st_mtime_ns for p in out.glob("*.cfg")}
    second = runner.invoke(app, ["render", "--config", str(cfg), "--filter", "platform=frr", "--format", "json"])
    assert second.exit_code == 0
    assert json.loads(second.stdout)["summary"] == {"rendered": 4, "changed": 0, "unchanged": 4, "failed": 0}
    assert {p: p.stat().st_mtime_ns for p in out.glob("*.cfg")} == mtimes


def test_render_table_summary_and_lab_path(tmp_path: Path) -> None:
    cfg = _config(tmp_path, ROOT / "templates")
    result = CliRunner().invoke(app, ["render", "--config", str(cfg), "--lab", "--filter", "lcu-gw01"])
    assert result.exit_code == 0, result.output
    assert "rendered\tchanged\tunchanged\tfailed" in result.stdout and "1\t1\t0\t0" in result.stdout
    text = (tmp_path / "build" / "intended-lab" / "lcu-gw01.cfg").read_text(encoding="utf-8")
    assert text.startswith("hostname lcu-gw01\n") and "interface e0\n" in text


def test_render_failed_host_exit_1_with_sentence(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    snippet = templates / "frr" / "features" / "bgp.j2"
    snippet.write_text("{% if bgp %}\nrouter bgp {{ bgp.local_as_typo }}\n{% endif %}\n", encoding="utf-8")
    cfg = _config(tmp_path, templates)
    out = tmp_path / "elsewhere"
    result = CliRunner().invoke(app, ["render", "--config", str(cfg), "--filter", "platform=frr", "--out", str(out)])
    assert result.exit_code == 1, result.output
    # lcu-skhcn-ce01 is the only FRR device with a BGP circuit: it fails, the others are written
    assert "lcu-skhcn-ce01: template frr/features/bgp.j2:2: undefined variable" in result.output
    assert "local_as_typo" in result.output and "[RND-003]" in result.output
    assert "3\t3\t0\t1" in result.stdout
    assert sorted(p.name for p in out.glob("*.cfg")) == ["lcu-bum-to-ce01.cfg", "lcu-dao-san-ce01.cfg",
                                                          "lcu-sin-ho-ce01.cfg"]


def test_render_bad_filter_is_usage_error(tmp_path: Path) -> None:
    cfg = _config(tmp_path, ROOT / "templates")
    proc = subprocess.run([sys.executable, "-m", "nornir_tasks.cli", "render", "--config", str(cfg),
                           "--filter", "no-such-host-*"], check=False, capture_output=True, text=True, cwd=tmp_path,
                          timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("[CFG-003] no device matches --filter no-such-host-*") and "Traceback" not in proc.stderr
