"""R1 hardening: every CLI command, given edge values of --out, --as-of and --filter, answers with a sentence and
exit 2 — never a traceback. The commands are found by walking the Typer app, so a new command is covered too.

Commands that build the lab (root, namespaces) or talk to NetBox are left out: with these (all invalid) values
they stop at the same shared checks before doing anything.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.main import get_command
from typer.testing import CliRunner

from nornir_tasks.cli import app
from nornir_tasks.errors import GovnetError
from tests.conftest import ROOT

SKIP = {("lab", "up"), ("netbox", "push"), ("netbox", "pull")}
EDGE = {
    "--filter": ["", "   ", "=", "province=", "nosuch=1"],
    "--as-of": ["0001-01-01", "9999-12-31", "2025-02-30", "", "yesterday"],
    "--out": ["/", "/dev/null", "config.yaml", "inventory", ".state"],
}
#: Required arguments: a value that exists, so the option under test is what is judged.
ARGS = {("inventory", "show"): ["lcu-sin-ho-ce01"], ("compliance", "import"): ["bundle"]}


def _commands() -> list[tuple[tuple[str, ...], list[str]]]:
    out = []

    def walk(cmd: Any, path: tuple[str, ...]) -> None:
        subs = getattr(cmd, "commands", None)
        if subs:
            if path and cmd.callback is not None:
                out.append((path, [o for p in cmd.params for o in p.opts]))
            for name, sub in subs.items():
                walk(sub, (*path, name))
        else:
            out.append((path, [o for p in cmd.params for o in p.opts]))

    walk(get_command(app), ())
    return out


CASES = [(path, opt, value) for path, opts in _commands() if path not in SKIP
         for opt in EDGE if opt in opts for value in EDGE[opt]]


def test_the_walk_covers_every_kind_of_command() -> None:
    covered = {path for path, _, _ in CASES}
    assert {("render",), ("backup",), ("compliance",), ("compliance", "import"), ("rollout", "report"),
            ("inventory", "generate"), ("inventory", "validate"), ("deploy",), ("play",)} <= covered


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("walk")
    shutil.copytree(ROOT / "inventory", base / "inventory")
    cfg = yaml.safe_load((ROOT / "config.yaml").read_text())
    cfg["user_defined"]["govnet"].update({"templates_dir": str(ROOT / "templates"),
                                          "baseline_dir": "inventory/baselines", "plans_dir": "inventory/plans"})
    (base / "config.yaml").write_text(yaml.safe_dump(cfg, allow_unicode=True))
    (base / ".state" / "backups").mkdir(parents=True)
    (base / "bundle").mkdir()
    (base / "bundle" / "lcu-sin-ho-ce01.cfg").write_text("hostname lcu-sin-ho-ce01\n")
    return base


@pytest.mark.parametrize("path,opt,value", CASES, ids=[f"{' '.join(p)} {o}={v!r}" for p, o, v in CASES])
def test_edge_values_give_a_sentence(project: Path, monkeypatch: pytest.MonkeyPatch, path, opt, value) -> None:
    monkeypatch.chdir(project)
    monkeypatch.setenv("GOVNET_USERNAME", "walker")
    monkeypatch.setenv("GOVNET_PASSWORD", "not-used-anywhere")
    before = sorted(str(p) for p in (project / ".state").rglob("*"))
    result = CliRunner().invoke(app, [*path, *ARGS.get(path, []), opt, value])
    exc = result.exception
    if exc is not None and not isinstance(exc, SystemExit):
        # govnet.cli.main turns these two into a coded sentence and exit 2; anything else is a traceback
        assert isinstance(exc, (GovnetError, OSError)), f"{type(exc).__name__}: {exc}"
        code = 2
    else:
        code = result.exit_code
    assert code == 2, (code, result.output[-600:])
    assert sorted(str(p) for p in (project / ".state").rglob("*")) == before     # nothing was written to state
