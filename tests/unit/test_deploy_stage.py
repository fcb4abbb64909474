"""DeployStage orchestration without devices: a fake wave runner stands in for Nornir (the device flow is tested
against real FRR in tests/integration/test_deploy_lab.py). Covers the stop rule, not-attempted devices,
Ctrl-C between devices, the lock, resume and the report."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest

from nornir_tasks.deploy.device import DeployResult
from nornir_tasks.deploy.journal import Journal, unfinished_steps
from nornir_tasks.deploy.stage import DeployOptions, DeployStage
from nornir_tasks.errors import DeployError
from nornir_tasks.inventory.load import load_or_raise
from nornir_tasks.paths import Paths
from nornir_tasks.settings import Settings
from nornir_tasks.stage import HostStatus, StageContext

ROOT = Path(__file__).resolve().parents[2]
HOSTS = ["lcu-sin-ho-ce01", "lcu-tu-ce01", "lcu-ubnd-ce01", "lcu-hdnd-ce01", "lcu-mttq-ce01", "lcu-snv-ce01"]


@pytest.fixture(scope="module")
def inv():  # type: ignore[no-untyped-def]
    return load_or_raise(ROOT / "inventory").inventory


def _ctx(tmp_path: Path, inv: Any, commit: bool = True, cancel: threading.Event | None = None) -> StageContext:
    s = Settings(inventory_dir=ROOT / "inventory", templates_dir=ROOT / "templates", state_dir=tmp_path / "state",
                 build_dir=tmp_path / "build", reports_dir=tmp_path / "reports")
    return StageContext(settings=s, inventory=inv, paths=Paths.of(s, lab=True), commit=commit, lab=True,
                        cancel=cancel or threading.Event())


class FakeRunner:
    """Journals like the real task does and returns the outcome the test asks for."""

    def __init__(self, outcome_of: dict[str, str], on_call: Any = None) -> None:
        self.outcome_of = outcome_of
        self.calls: list[list[str]] = []
        self.on_call = on_call

    def __call__(self, ctx: StageContext, hosts: Any, jobs: Any, env: dict[str, Any]) -> dict[str, DeployResult]:
        self.calls.append(list(hosts))
        out = {}
        for h in hosts:
            if self.on_call is not None:
                self.on_call(h)
            if ctx.cancel.is_set():
                outcome = "not_attempted"
            else:
                outcome = self.outcome_of.get(h, "changed")
                env["journal"].step(env["run_id"], h, "push", "start")
                env["journal"].step(env["run_id"], h, "push", "end", outcome="ok")
            env["journal"].step(env["run_id"], h, "done", "end", outcome=outcome)
            out[h] = DeployResult(host=h, platform="frr", outcome=outcome)  # type: ignore[arg-type]
        return out


def test_max_failures_zero_stops_and_reports_not_attempted(tmp_path: Path, inv: Any) -> None:
    runner = FakeRunner({"lcu-mttq-ce01": "failed"})
    stage = DeployStage(DeployOptions(wave_size="2", max_failures="0"), wave_runner=runner)
    report = stage.run(_ctx(tmp_path, inv), HOSTS)
    by = report.by_host()
    assert runner.calls == [["lcu-hdnd-ce01", "lcu-mttq-ce01"]]      # stopped after the failing (first) wave
    attempted = {h for c in runner.calls for h in c}
    for h in HOSTS:
        expected = HostStatus.NOT_ATTEMPTED if h not in attempted else by[h].status
        assert by[h].status is expected
    assert any(o.status is HostStatus.NOT_ATTEMPTED for o in report.outcomes)
    assert report.exit_code == 1 and any("more than --max-failures 0" in m for m in report.messages)
    data = json.loads(Path(report.files[0]).read_text())
    assert data["status"] == "stopped" and data["summary"]["not_attempted"] >= 1


def test_reverted_counts_as_failure_and_exit_one(tmp_path: Path, inv: Any) -> None:
    runner = FakeRunner({"lcu-tu-ce01": "reverted"})
    report = DeployStage(DeployOptions(), wave_runner=runner).run(_ctx(tmp_path, inv), HOSTS)
    assert report.exit_code == 1 and report.problems == 1
    assert report.by_host()["lcu-tu-ce01"].status is HostStatus.FAILED


def test_all_good_is_exit_zero(tmp_path: Path, inv: Any) -> None:
    report = DeployStage(DeployOptions(canary=1, wave_size="50%"), wave_runner=FakeRunner({})).run(
        _ctx(tmp_path, inv), HOSTS)
    assert report.exit_code == 0 and report.summary()["changed"] == len(HOSTS)


def test_ctrl_c_mid_wave_then_resume_finishes_without_repushing(tmp_path: Path, inv: Any) -> None:
    cancel = threading.Event()
    seen: list[str] = []

    def press_ctrl_c(host: str) -> None:
        seen.append(host)
        if len(seen) == 3:
            cancel.set()

    runner = FakeRunner({}, on_call=press_ctrl_c)
    ctx = _ctx(tmp_path, inv, cancel=cancel)
    report = DeployStage(DeployOptions(wave_size="2"), wave_runner=runner).run(ctx, HOSTS)
    first_changed = [o.host for o in report.outcomes if o.status is HostStatus.CHANGED]
    assert len(first_changed) == 2 and report.exit_code == 1
    with Journal(ctx.paths.state_dir) as j:
        rec = j.require_run(report.run_id or "")
        assert rec.status == "interrupted" and not unfinished_steps(j.steps(rec.run_id))
        assert set(j.outcomes([rec.run_id])) == set(HOSTS)      # every device has a final line
    runner2 = FakeRunner({})
    again = DeployStage(DeployOptions(resume=report.run_id), wave_runner=runner2).run(_ctx(tmp_path, inv), [])
    pushed_again = {h for c in runner2.calls for h in c}
    assert not pushed_again & set(first_changed), "a verified device was pushed again"
    assert pushed_again == set(HOSTS) - set(first_changed)
    assert again.exit_code == 0 and {o.host for o in again.outcomes} == set(HOSTS)


def test_locked_devices_are_refused(tmp_path: Path, inv: Any) -> None:
    ctx = _ctx(tmp_path, inv)
    with Journal(ctx.paths.state_dir) as other:
        other.start_run("other-run", commit=True, lab=True, selection=HOSTS[:2], options={})
        other.acquire("other-run", HOSTS[:2])
        runner = FakeRunner({})
        report = DeployStage(DeployOptions(), wave_runner=runner).run(ctx, HOSTS)
        by = report.by_host()
        for h in HOSTS[:2]:
            assert by[h].status is HostStatus.FAILED and by[h].code == "DPL-003" and "other-run" in (by[h].error or "")
        assert {h for c in runner.calls for h in c} == set(HOSTS[2:])
        assert other.locks() == {h: "other-run" for h in HOSTS[:2]}     # the other run's locks are untouched


def test_resume_of_unknown_run_is_a_sentence(tmp_path: Path, inv: Any) -> None:
    with pytest.raises(DeployError) as err:
        DeployStage(DeployOptions(resume="nope"), wave_runner=FakeRunner({})).run(_ctx(tmp_path, inv), [])
    assert err.value.code == "DPL-008"


def test_dry_run_takes_no_lock(tmp_path: Path, inv: Any) -> None:
    ctx = _ctx(tmp_path, inv, commit=False)
    with Journal(ctx.paths.state_dir) as other:
        other.start_run("holder", commit=True, lab=True, selection=HOSTS, options={})
        other.acquire("holder", HOSTS)
        report = DeployStage(DeployOptions(), wave_runner=FakeRunner({h: "would_change" for h in HOSTS})).run(ctx, HOSTS)
    assert report.summary()["changed"] == len(HOSTS) and report.exit_code == 0


def test_confirm_each_wave_stops_when_the_operator_says_no(tmp_path: Path, inv: Any) -> None:
    asked: list[int] = []

    def gate(event: Any) -> bool:
        asked.append(event.wave.index)
        return event.wave.index < 1          # yes to the first wave, no to the second

    runner = FakeRunner({})
    report = DeployStage(DeployOptions(wave_size="2", confirm_each_wave=True), wave_runner=runner,
                         on_wave_start=gate).run(_ctx(tmp_path, inv), HOSTS)
    assert asked == [0, 1] and len(runner.calls) == 1
    assert report.summary()["not_attempted"] == len(HOSTS) - 2
    assert any("did not confirm" in m for m in report.messages)
