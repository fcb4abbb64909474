"""``govnet rollout status | report | metrics`` as a user runs them (subprocess), with a private state folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli


@pytest.fixture()
def config(tmp_path: Path) -> Path:
    """A config.yaml that reads the sample inventory and plans but keeps its store and reports in tmp_path."""
    cfg = tmp_path / "config.yaml"
    cfg.write_text(
        "user_defined:\n  govnet:\n"
        f"    inventory_dir: {ROOT / 'inventory'}\n"
        f"    plans_dir: {ROOT / 'inventory' / 'plans'}\n"
        f"    state_dir: {tmp_path / 'state'}\n"
        f"    reports_dir: {tmp_path / 'reports'}\n", encoding="utf-8")
    return cfg


def status(config: Path, *args: str) -> dict:
    proc = run_cli("rollout", "status", "--config", str(config), "--format", "json", *args)
    doc = json.loads(proc.stdout)
    behind = [t["key"] for p in doc["plans"] for t in p["targets"]
              if not t["reported_only"] and t["status"] in ("behind", "missed")]
    # exit 1 exactly when a measured target is Behind or Missed (documented in the command's help)
    assert proc.returncode == (1 if behind else 0), (behind, proc.stderr)
    return doc


def test_status_exits_1_when_a_target_is_missed(config):
    proc = run_cli("rollout", "status", "--config", str(config), "--format", "json", "--as-of", "2026-01-15")
    assert proc.returncode == 1, proc.stderr
    targets = {t["key"]: t for p in json.loads(proc.stdout)["plans"] for t in p["targets"]}
    assert targets["qd-942-2021/communes-connected"]["status"] == "missed"
    table = run_cli("rollout", "status", "--config", str(config), "--as-of", "2026-01-15")
    assert table.returncode == 1 and "behind plan or missed" in table.stderr and "communes-connected" in table.stderr
    doc = status(config, "--as-of", "2026-01-15")
    assert targets["vnpt-2025-uplink/commune-uplink-200"]["lagging"]
    assert not (config.parent / "state").exists()          # nothing recorded, no store created


def test_status_table_with_groups(config):
    proc = run_cli("rollout", "status", "--config", str(config), "--as-of", "2025-11-25", "--by", "level",
                   "--plan", "qd-942-2021")
    assert proc.returncode in (0, 1) and "Traceback" not in proc.stderr, proc.stderr
    assert "qd-942-2021/communes-connected" in proc.stdout and "ipv6-gov" not in proc.stdout
    assert "by level" in proc.stdout and "commune\t" in proc.stdout


def test_record_builds_a_trend_and_says_not_enough_data_until_three_dates(config):
    key = "qd-942-2021/communes-connected"

    def fc(doc):
        return next(t for p in doc["plans"] for t in p["targets"] if t["key"] == key)["forecast"]

    only = ("--plan", "qd-942-2021", "--no-history")     # recorded snapshots only
    assert fc(status(config, *only, "--as-of", "2025-09-01", "--record"))["state"] == "not_enough_data"
    assert fc(status(config, *only, "--as-of", "2025-10-01", "--record"))["points"] == 2
    third = status(config, *only, "--as-of", "2025-11-01")
    # three dates, same inventory: a flat trend — govnet says so instead of inventing a date
    assert fc(third)["state"] == "no_progress" and fc(third)["points"] == 3
    assert (config.parent / "state" / "govnet.sqlite").exists()


def test_report_writes_the_files(config, tmp_path):
    out = tmp_path / "out"
    proc = run_cli("rollout", "report", "--config", str(config), "--as-of", "2025-11-25", "--lang", "en",
                   "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["dashboard.html", "rollout.csv",
                                                                              "rollout.json", "rollout.xlsx"]
    assert (out / ".govnet-output").read_text() == "rollout report\n"     # marks the folder as this command's
    assert json.loads((out / "rollout.json").read_text(encoding="utf-8"))["lang"] == "en"
    proc = run_cli("rollout", "report", "--config", str(config), "--as-of", "2025-11-25")
    assert proc.returncode == 0 and (tmp_path / "reports" / "rollout" / "dashboard.html").exists()


@pytest.mark.parametrize("args,text", [
    (("--plan", "no-such-plan"), "no plan with id 'no-such-plan'"),
    (("--as-of", "31/12/2025"), "--as-of '31/12/2025' is not a date"),
])
def test_bad_usage_exits_2(config, args, text):
    proc = run_cli("rollout", "status", "--config", str(config), *args)
    assert proc.returncode == 2
    assert text in proc.stderr and "Traceback" not in proc.stderr


def test_metrics_lists_every_metric():
    from nornir_tasks.rollout.metrics import METRICS

    proc = run_cli("rollout", "metrics", "--format", "json")
    assert proc.returncode == 0
    assert [m["name"] for m in json.loads(proc.stdout)] == list(METRICS)
