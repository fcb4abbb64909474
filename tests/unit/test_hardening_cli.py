"""R1 hardening at the command line: no run destroys data (#6, #7), names are never Rich markup (#12)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, edit_yaml, run_cli

HOST = "lcu-sin-ho-ce01"


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A project folder with its own inventory copy, config.yaml and a backup in its state folder."""
    shutil.copytree(ROOT / "inventory", tmp_path / "inventory")
    cfg = yaml.safe_load((ROOT / "config.yaml").read_text())
    cfg["user_defined"]["govnet"].update({"templates_dir": str(ROOT / "templates"),
                                          "baseline_dir": "inventory/baselines", "plans_dir": "inventory/plans"})
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(cfg, allow_unicode=True))
    backups = tmp_path / ".state" / "backups"
    backups.mkdir(parents=True)
    (backups / f"{HOST}.cfg").write_text("hostname lcu-sin-ho-ce01\n")
    return tmp_path


# -- #7 an empty filter ------------------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["", "   ", "province="])
def test_empty_filter_is_refused(project: Path, value: str) -> None:
    r = run_cli("inventory", "list", "--filter", value, cwd=project)
    assert r.returncode == 2 and "[CFG-003]" in r.stderr and "empty" in r.stderr, r.stdout[:300] + r.stderr
    assert "Traceback" not in r.stderr


# -- #6 never write over the inventory, the state, or someone else's folder ---------------------------------
def test_generate_never_replaces_the_inventory(project: Path) -> None:
    before = _tree(project / "inventory")
    for extra in ([], ["--force"]):
        r = run_cli("inventory", "generate", "--scope", "province=12", "--out", "inventory", *extra, cwd=project)
        assert r.returncode == 2 and "[CFG-005]" in r.stderr, r.stdout + r.stderr
    assert _tree(project / "inventory") == before


def test_generate_refuses_the_root_and_a_foreign_folder(project: Path, tmp_path: Path) -> None:
    r = run_cli("inventory", "generate", "--scope", "province=12", "--out", "/", cwd=project)
    assert r.returncode == 2 and "[CFG-005]" in r.stderr, r.stderr
    foreign = tmp_path / "notes"
    foreign.mkdir()
    (foreign / "hosts.yaml").write_text("# someone's hand-written file\n")
    r = run_cli("inventory", "generate", "--scope", "province=12", "--out", str(foreign), cwd=project)
    assert r.returncode == 2 and "[CFG-005]" in r.stderr and "--force" in r.stderr, r.stderr
    assert (foreign / "hosts.yaml").read_text() == "# someone's hand-written file\n"


def test_render_never_writes_into_the_state_folder(project: Path) -> None:
    before = _tree(project / ".state")
    r = run_cli("render", "--filter", HOST, "--out", ".state/backups", "--force", cwd=project)
    assert r.returncode == 2 and "[CFG-005]" in r.stderr, r.stdout + r.stderr
    assert _tree(project / ".state") == before


@pytest.mark.parametrize("out", ["/dev/null", "config.yaml"])
def test_render_out_must_be_a_folder(project: Path, out: str) -> None:
    r = run_cli("render", "--filter", HOST, "--out", out, cwd=project)
    assert r.returncode == 2 and "[CFG-005]" in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert Path("/dev/null").is_char_device()


def test_render_into_its_own_folder_twice_and_a_new_one(project: Path) -> None:
    for _ in range(2):
        r = run_cli("render", "--filter", HOST, "--out", "build/mine", cwd=project)
        assert r.returncode == 0, r.stderr
    assert (project / "build" / "mine" / f"{HOST}.cfg").is_file()


# -- #12 Rich markup in names ------------------------------------------------------------------------------
def test_markup_in_a_site_name_is_printed_as_written(project: Path) -> None:
    name = "Xã [/] [link=https://evil.example]bấm vào[/link] [bold]"
    edit_yaml(project / "inventory" / "sites.yaml", lambda d: d["12-sin-ho"].update(name=name))
    env = {"FORCE_COLOR": "1", "TERM": "xterm-256color"}    # as on a terminal: Rich would draw links there
    r = run_cli("inventory", "show", HOST, cwd=project, env=env)
    assert r.returncode == 0, r.stderr
    assert name in r.stdout and "\x1b]8;" not in r.stdout      # no terminal hyperlink
    r = run_cli("inventory", "validate", cwd=project, env=env)
    assert "Traceback" not in r.stderr and "MarkupError" not in r.stderr
