"""Playbooks: the whole file is validated first (file, line, field; exit 2), per-host `when:`, failure policy,
journal and resume. Device-changing steps are exercised on the FRR lab in tests/integration/test_playbook_lab.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nornir_tasks.playbook.model import PlaybookError, load
from tests.conftest import ROOT, run_cli

PLAYBOOKS = sorted((ROOT / "playbooks").glob("*.yaml"))


def test_ships_the_four_playbooks() -> None:
    assert {p.stem for p in PLAYBOOKS} >= {"audit", "provision-commune", "ipv6-wave", "uplink-upgrade"}


@pytest.mark.parametrize("path", PLAYBOOKS, ids=[p.stem for p in PLAYBOOKS])
def test_shipped_playbook_is_valid(path: Path) -> None:
    pb = load(path).playbook
    assert pb.steps and pb.name == path.stem


BAD = {
    "unknown top key": ("name: x\ncolour: red\nsteps:\n  - uses: render\n", 2, "colour", "unknown key"),
    "unknown stage": ("name: x\nsteps:\n  - uses: render\n  - uses: frobnicate\n", 4, "steps.1.uses",
                      "unknown stage 'frobnicate'"),
    "unknown option": ("name: x\nsteps:\n  - uses: backup\n  - uses: compliance\n    with:\n      only: config\n"
                       "      colour: red\n", 7, "steps.1.with.colour", "colour"),
    "wrong type": ("name: x\nsteps:\n  - uses: rollout.status\n    with:\n      record: sometimes\n", 5,
                   "steps.0.with.record", "record"),
    "later step in when": ("name: x\nsteps:\n  - uses: render\n    when: compliance.state == 'x'\n", 4,
                           "steps.0.when", "not an earlier step"),
    "code in when": ("name: x\nsteps:\n  - uses: render\n  - uses: backup\n    when: render.__class__\n", 5,
                     "steps.1.when", "not allowed"),
    "commit in with": ("name: x\nmode: apply\nsteps:\n  - uses: deploy\n    with: {commit: true}\n", 5,
                       "steps.0.with.commit", "cannot switch commit on"),
    "rollout on render": ("name: x\nsteps:\n  - uses: render\n    rollout: {canary: 1}\n", 4, "steps.0.rollout",
                          "does not change devices"),
    "out into state": ("name: x\nsteps:\n  - uses: render\n    with: {out: .state/backups}\n", 4,
                       "steps.0.with.out", "cannot choose its output folder"),
    "bad mode": ("name: x\nmode: yolo\nsteps:\n  - uses: render\n", 2, "mode", "check"),
    "duplicate ids": ("name: x\nsteps:\n  - uses: render\n  - uses: render\n", 4, "steps.1", "two steps"),
    "no steps": ("name: x\nsteps: []\n", 2, "steps", "at least 1"),
    "bad deploy amount": ("name: x\nsteps:\n  - uses: deploy\n    with: {wave_size: lots}\n", 4, "steps.0.with",
                          "wave"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_playbook_is_one_sentence_with_file_line_and_field(case: str, tmp_path: Path) -> None:
    text, line, field, words = BAD[case]
    path = tmp_path / "pb.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PlaybookError) as info:
        load(path)
    f = info.value.findings[0]
    assert (f.line, f.code) == (line, "PLY-001"), info.value.sentence()
    assert (f.field or "").startswith(field), info.value.sentence()
    assert words in info.value.sentence(), info.value.sentence()
    proc = run_cli("play", str(path))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and f"{path}:{line}" in proc.stderr, proc.stderr


def _state_config(tmp_path: Path) -> Path:
    cfg = tmp_path / "config.yaml"
    cfg.write_text(
        "inventory: {plugin: GovnetInventory, options: {inventory_dir: %s}}\n"
        "user_defined:\n  govnet:\n    inventory_dir: %s\n    templates_dir: %s\n    build_dir: %s\n"
        "    reports_dir: %s\n    state_dir: %s\n    baseline_dir: %s\n    plans_dir: %s\n" % (
            ROOT / "inventory", ROOT / "inventory", ROOT / "templates", tmp_path / "build", tmp_path / "reports",
            tmp_path / "state", ROOT / "inventory" / "baselines", ROOT / "inventory" / "plans"), encoding="utf-8")
    return cfg


def test_when_is_per_host_and_failures_stop_then_resume(tmp_path: Path) -> None:
    cfg = _state_config(tmp_path)
    pb = tmp_path / "pb.yaml"
    pb.write_text(
        "name: offline\nsteps:\n"
        "  - uses: render\n"
        "  - id: firewalls\n    uses: inventory.validate\n    when: render.status == 'changed'\n"
        "  - id: imported\n    uses: compliance.import\n    with: {bundle: %s}\n"
        "  - id: never\n    uses: render\n" % (tmp_path / "missing.zip"), encoding="utf-8")
    proc = run_cli("play", str(pb), "--config", str(cfg), "--filter", "lcu-sin-ho-*", "--filter", "lcu-tu-*",
                   "--format", "json")
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    hosts = report["hosts"]
    assert hosts and all(h["render"] == "changed" for h in hosts.values())
    assert all(h["firewalls"] == "ok" for h in hosts.values())
    assert all(h["imported"] == "failed" and h["never"] == "not_attempted" for h in hosts.values())
    assert report["stopped_at"] == 2 and Path(report["report"]).is_file()
    # the second render would change nothing: a `when:` on it is false for every host
    pb2 = tmp_path / "pb2.yaml"
    pb2.write_text("name: twice\nsteps:\n  - uses: render\n  - id: again\n    uses: inventory.validate\n"
                   "    when: render.changed\n", encoding="utf-8")
    again = json.loads(run_cli("play", str(pb2), "--config", str(cfg), "--filter", "lcu-sin-ho-*",
                               "--format", "json").stdout)
    assert {h["render"] for h in again["hosts"].values()} == {"ok"}
    assert {h["again"] for h in again["hosts"].values()} == {"skipped"}
    # resume: steps already done are not run again; the failed step runs again (and fails again)
    resumed = run_cli("play", "--resume", report["run_id"], "--config", str(cfg), "--format", "json")
    assert resumed.returncode == 1, resumed.stderr
    r2 = json.loads(resumed.stdout)
    assert r2["resumed_from"] == report["run_id"]
    assert set(r2["hosts"]) == set(hosts)
    assert all(h["render"] == "changed" and h["imported"] == "failed" for h in r2["hosts"].values())
    steps = {s["id"]: s for s in r2["steps"]}
    assert steps["render"]["counts"]["changed"] == len(hosts)      # carried over from the first run, not re-run
    history = json.loads(run_cli("play", "--history", "--config", str(cfg), "--format", "json").stdout)
    assert {h["run"] for h in history} >= {report["run_id"], r2["run_id"]}


def test_resume_refuses_a_changed_playbook(tmp_path: Path) -> None:
    cfg = _state_config(tmp_path)
    pb = tmp_path / "pb.yaml"
    pb.write_text("name: x\nsteps:\n  - uses: compliance.import\n    with: {bundle: %s}\n" % (tmp_path / "no.zip"),
                  encoding="utf-8")
    first = json.loads(run_cli("play", str(pb), "--config", str(cfg), "-f", "lcu-sin-ho-*", "--format", "json").stdout)
    pb.write_text(pb.read_text() + "  - uses: render\n", encoding="utf-8")
    proc = run_cli("play", "--resume", first["run_id"], "--config", str(cfg))
    assert proc.returncode == 2 and "PLY-002" in proc.stderr and "changed since" in proc.stderr, proc.stderr
