"""R1 hardening #16: policy files (baselines, waivers, plans) that are wrong in ways the schema allows are refused
with the file and line; expired waivers are warned about; a missing templates folder is exit 2."""

from __future__ import annotations

import logging
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from nornir_tasks.compliance.baseline import load_baselines
from nornir_tasks.compliance.waivers import load_waivers
from nornir_tasks.errors import ComplianceError
from nornir_tasks.rollout.plans import load_plan_file
from tests.conftest import ROOT, run_cli

TODAY = date(2026, 11, 25)


def test_duplicate_rule_id_in_a_baseline(tmp_path: Path) -> None:
    base = tmp_path / "baselines"
    shutil.copytree(ROOT / "inventory" / "baselines", base)
    path = base / "national-2025.1.yaml"
    data = yaml.safe_load(path.read_text())
    data["rules"].append(dict(data["rules"][0], title="a second rule with the same id"))
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    with pytest.raises(ComplianceError) as exc:
        load_baselines(base)
    assert exc.value.code == "CMP-001" and "used twice" in exc.value.message
    assert f"{path}:" in exc.value.message


def _waiver(tmp_path: Path, **changes) -> Path:
    entry = {"rule": "C1", "site": "12-stc", "reason": "Gói thầu 2026-17", "approver": "Sở KH&CN",
             "expires": "2027-03-31", **changes}
    path = tmp_path / "waivers.yaml"
    path.write_text(yaml.safe_dump([entry], allow_unicode=True))
    return path


@pytest.mark.parametrize("changes,words", [
    ({"reason": "   "}, "must not be empty"),
    ({"approver": ""}, "must not be empty"),
    ({"rule": "C99"}, "which no baseline defines"),
    ({"rule": "feature:teleport"}, "which no baseline defines"),
    ({"expires": "9999-12-31"}, "years ahead"),
])
def test_waivers_refused(tmp_path: Path, changes: dict, words: str) -> None:
    path = _waiver(tmp_path, **changes)
    with pytest.raises(ComplianceError) as exc:
        load_waivers(path, known_rules={"C1", "feature:ntp"}, today=TODAY)
    assert exc.value.code == "CMP-002" and words in exc.value.message and f"{path}:" in exc.value.message


def test_known_waivers_load_and_expired_ones_are_warned(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    assert load_waivers(_waiver(tmp_path, rule="feature:ntp"), known_rules={"C1", "feature:ntp"}, today=TODAY).waivers
    with caplog.at_level(logging.WARNING):
        reg = load_waivers(_waiver(tmp_path, expires="2026-01-31"), known_rules={"C1"}, today=TODAY)
    assert reg.waivers and any("expired on 2026-01-31" in r.getMessage() for r in caplog.records)


def test_plan_deadline_before_its_start(tmp_path: Path) -> None:
    src = ROOT / "inventory" / "plans" / "qd-33-2025.yaml"
    data = yaml.safe_load(src.read_text())
    data["targets"][0].pop("phase", None)
    data["targets"][0]["deadline"] = "2000-01-01"
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    _, findings = load_plan_file(path)
    assert any(f.code == "RLT-001" and "not after the plan's start" in f.message and f.line for f in findings)


def test_missing_templates_folder_exits_2(tmp_path: Path) -> None:
    cfg = yaml.safe_load((ROOT / "config.yaml").read_text())
    cfg["user_defined"]["govnet"].update({"inventory_dir": str(ROOT / "inventory"),
                                          "templates_dir": str(tmp_path / "nowhere")})
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(cfg, allow_unicode=True))
    r = run_cli("render", "-f", "lcu-sin-ho-ce01", cwd=tmp_path)
    assert r.returncode == 2 and "[RND-001]" in r.stderr and "templates folder" in r.stderr, r.stderr
