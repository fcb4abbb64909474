"""Fault injection against the real FRR lab: `govnet deploy` run as the operator runs it (the CLI in a
subprocess), faults caused for real (a line FRR refuses, a change that breaks OSPF, a router killed mid-wave,
a wrong password refused by the router's sshd, SIGINT, the deploy process killed between commit and confirm,
two overlapping runs). Each test puts the routers it touched back with ``lab.reset``.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

import pytest

from nornir_tasks.deploy.journal import Journal, unfinished_steps
from nornir_tasks.paths import Paths

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


def _until(check: Callable[[], Any], timeout: float = 60, step: float = 0.5) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(step)


def _paths(lab: Any) -> Paths:
    return Paths.of(lab.settings, lab=True)


def _cmd(lab: Any, *args: str) -> list[str]:
    return [sys.executable, "-m", "nornir_tasks.cli", "deploy", "--config", str(lab.config), "--lab", *args]


def _deploy(lab: Any, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(_cmd(lab, *args), cwd=ROOT, env={**os.environ, **(env or {})}, capture_output=True,
                          text=True, timeout=600, check=False)


def _start(lab: Any, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(_cmd(lab, *args), cwd=ROOT, env=dict(os.environ), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _filters(hosts: list[str]) -> list[str]:
    return [x for h in hosts for x in ("-f", h)]


def _json(proc: subprocess.CompletedProcess[str] | tuple[str, str]) -> dict[str, Any]:
    out = proc.stdout if isinstance(proc, subprocess.CompletedProcess) else proc[0]
    return json.loads(out)


def _by_host(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {h["host"]: h for h in doc["hosts"]}


def _route(n: int) -> str:
    return f"ip route 10.250.{n}.0/24 Null0"


class Intended:
    """Per-test overrides of lab intended configs (``<build>/intended-lab/<host>.cfg``), removed afterwards
    together with a reset of every router touched."""

    def __init__(self, lab: Any) -> None:
        self.lab = lab
        self.touched: list[str] = []
        self.folder = _paths(lab).intended_dir

    def base(self, host: str) -> str:
        return self.lab.lab.paths.intended(host).read_text(encoding="utf-8")

    def set(self, host: str, text: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / f"{host}.cfg").write_text(text, encoding="utf-8")
        self.touched.append(host)

    def add(self, host: str, *lines: str) -> None:
        self.set(host, self.base(host).rstrip("\n") + "\n" + "\n".join(lines) + "\n")

    def cleanup(self) -> None:
        for host in dict.fromkeys(self.touched):
            (self.folder / f"{host}.cfg").unlink(missing_ok=True)
            self.lab.reset(host)


@pytest.fixture
def intended(lab: Any):  # type: ignore[no-untyped-def]
    handle = Intended(lab)
    try:
        yield handle
    finally:
        handle.cleanup()


def _running(lab: Any, host: str) -> str:
    return lab.vtysh(host, "show running-config")


def _journal(lab: Any) -> Journal:
    return Journal(_paths(lab).state_dir)


def _latest_run(lab: Any, after: frozenset[str]) -> str | None:
    """The newest journaled run that was not there when ``after`` was taken (see :func:`_mark`)."""
    with _journal(lab) as j:
        runs = [r for r in j.runs(50) if r.run_id not in after]
    return runs[0].run_id if runs else None


def _mark(lab: Any) -> frozenset[str]:
    # the run ids already in the journal: a time stamp is not enough, run ids have a one-second resolution and the
    # previous test's last run may share the second
    with _journal(lab) as j:
        return frozenset(r.run_id for r in j.runs(50))


def _ospf_full(lab: Any, host: str) -> set[str]:
    data = json.loads(lab.vtysh(host, "show ip ospf neighbor json") or "{}")
    return {rid for rid, entries in (data.get("neighbors") or {}).items()
            if any(str(e.get("nbrState", "")).startswith("Full") for e in entries)}


# 1 ------------------------------------------------------------------------------------------------------------
def test_rejected_line_fails_that_device_only_and_leaves_nothing_behind(lab: Any, intended: Intended) -> None:
    bad, good = "lcu-binh-lu-ce01", "lcu-doan-ket-ce01"
    before = _running(lab, bad)
    text = intended.base(bad)
    assert "\ninterface lo\n" in text
    intended.set(bad, text.replace("\ninterface lo\n", "\ninterface lo\n ip ospf no-such-thing\n", 1) + _route(1) + "\n")
    intended.add(good, _route(2))
    proc = _deploy(lab, *_filters([bad, good]), "--commit", "--format", "json")
    doc = _json(proc)
    hosts = _by_host(doc)
    assert proc.returncode == 1, proc.stderr
    assert hosts[bad]["outcome"] == "failed" and hosts[bad]["code"] == "DPL-005" and hosts[bad]["step"] == "push"
    assert hosts[bad]["revert_verified"] is True, hosts[bad]
    assert "10.250.1.0/24" not in _running(lab, bad) and _running(lab, bad) == before
    assert hosts[good]["outcome"] == "changed" and "10.250.2.0/24" in _running(lab, good)


# 2 ------------------------------------------------------------------------------------------------------------
def test_change_that_breaks_ospf_is_reverted_and_the_adjacency_comes_back(lab: Any, intended: Intended) -> None:
    host = "lcu-sin-ho-ce01"
    assert _until(lambda: _ospf_full(lab, host), 30), "precondition: OSPF up"
    neighbours = _ospf_full(lab, host)
    text = intended.base(host)
    assert " ip ospf area 0\n" in text
    broken = text.replace(" ip ospf area 0\n", " ip ospf area 0.0.0.9\n", 1)   # area mismatch on the uplink
    intended.set(host, broken)
    proc = _deploy(lab, "-f", host, "--commit", "--format", "json", "--verify-timeout", "20")
    res = _by_host(_json(proc))[host]
    assert proc.returncode == 1
    assert res["outcome"] == "reverted" and res["code"] == "DPL-006" and res["revert_verified"] is True, res
    assert any(c["name"] == "ospf" and not c["ok"] for c in res["checks"])
    assert _until(lambda: _ospf_full(lab, host) >= neighbours, 30), "adjacency back after the revert"


# 3 ------------------------------------------------------------------------------------------------------------
def test_router_killed_mid_wave_stops_the_run_and_resume_finishes(lab: Any, intended: Intended) -> None:
    from nornir_tasks.cli.context import inventory_from
    from nornir_tasks.deploy.plan import Amount, plan_waves

    hosts = ["lcu-tan-phong-ce01", "lcu-phong-tho-ce01", "lcu-than-uyen-ce01", "lcu-tan-uyen-ce01",
             "lcu-muong-te-ce01"]
    for i, h in enumerate(hosts):
        intended.add(h, _route(10 + i))
    waves = plan_waves(inventory_from(lab.settings).inventory, hosts, canary=1,
                       wave_size=Amount.parse("2", "--wave-size"))
    assert len(waves) == 3
    victim = waves[1].hosts[0]
    mark = _mark(lab)
    proc = _start(lab, *_filters(hosts), "--commit", "--canary", "1", "--wave-size", "2", "--max-failures", "0",
                  "--pause-between", "15", "--format", "json")
    try:
        run_id = _until(lambda: _latest_run(lab, mark), 60)
        assert run_id

        def canary_done() -> bool:
            with _journal(lab) as j:
                return bool(j.outcomes([run_id]))
        assert _until(canary_done, 120)
        lab.lab.kill(victim)                  # the router crashes during the soak before its wave
        out, err = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
    doc = json.loads(out)
    res = _by_host(doc)
    assert proc.returncode == 1, err
    assert res[waves[0].hosts[0]]["outcome"] == "changed"
    assert res[victim]["outcome"] == "failed" and res[victim]["step"] == "reachable", res[victim]
    for h in waves[2].hosts:
        assert res[h]["outcome"] == "not_attempted"
    lab.lab.revive(victim)
    assert _until(lambda: all(lab.lab.daemons(lab.router(victim)).values()), 60)
    again = _deploy(lab, "--resume", doc["run_id"], "--commit", "--format", "json")
    res2 = _by_host(_json(again))
    assert again.returncode == 0, again.stderr
    assert {h: r["outcome"] for h, r in res2.items()} == {h: "changed" for h in hosts}
    with _journal(lab) as j:
        pushed = {s.host for s in j.steps(_json(again)["run_id"]) if s.step == "push"}
    assert waves[0].hosts[0] not in pushed and victim in pushed      # the verified canary was not pushed again
    for i, h in enumerate(hosts):
        assert f"10.250.{10 + i}.0/24" in _running(lab, h)


# 4 ------------------------------------------------------------------------------------------------------------
def test_wrong_password_is_a_sentence_for_that_host_and_the_others_proceed(lab: Any, intended: Intended) -> None:
    """The router's sshd really refuses the login: one host's password is wrong in the Nornir inventory."""
    from nornir_tasks.cli.context import inventory_from
    from nornir_tasks.deploy.stage import DeployOptions, DeployStage
    from nornir_tasks.stage import HostStatus, StageContext

    wrong, right = "lcu-bum-to-ce01", "lcu-pa-tan-ce01"
    intended.add(wrong, _route(20))
    intended.add(right, _route(21))
    loaded = inventory_from(lab.settings)

    def nornir(names: Any) -> Any:
        nr = lab.nornir(list(names))
        if wrong in nr.inventory.hosts:
            nr.inventory.hosts[wrong].password = lab.password + "-wrong"
        return nr

    ctx = StageContext(settings=lab.settings, inventory=loaded.inventory, paths=_paths(lab), nornir=nornir,
                       commit=True, lab=True)
    report = DeployStage(DeployOptions()).run(ctx, [wrong, right])
    by = report.by_host()
    assert by[wrong].status is HostStatus.FAILED and by[wrong].code == "DEV-003"
    assert "authentication failed" in (by[wrong].error or "") and lab.password not in (by[wrong].error or "")
    assert by[right].status is HostStatus.CHANGED and "10.250.21.0/24" in _running(lab, right)
    assert "10.250.20.0/24" not in _running(lab, wrong)


# 5 ------------------------------------------------------------------------------------------------------------
def test_sigint_mid_wave_keeps_the_journal_consistent_and_resume_completes(lab: Any, intended: Intended) -> None:
    hosts = ["lcu-skhcn-ce01", "lcu-stc-ce01", "lcu-snv-ce01", "lcu-mttq-ce01", "lcu-hdnd-ce01", "lcu-ubnd-ce01"]
    for i, h in enumerate(hosts):
        intended.add(h, _route(30 + i))
    mark = _mark(lab)
    proc = _start(lab, *_filters(hosts), "--commit", "--wave-size", "2", "--verify-hold", "6", "--format", "json")
    try:
        run_id = _until(lambda: _latest_run(lab, mark), 60)
        assert run_id

        def pushing() -> bool:
            with _journal(lab) as j:
                return any(s.step == "push" and s.phase == "start" for s in j.steps(run_id))
        assert _until(pushing, 120)
        proc.send_signal(signal.SIGINT)       # Ctrl-C while the first wave is in flight
        out, err = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 1, err
    assert "no new device will start" in err
    doc = json.loads(out)
    res = _by_host(doc)
    with _journal(lab) as j:
        rec = j.require_run(run_id)
        steps = j.steps(run_id)
        assert rec.status == "interrupted"
        assert not unfinished_steps(steps), unfinished_steps(steps)          # nothing left half-recorded
        assert set(j.outcomes([run_id])) == set(hosts)
    first = {h for h, r in res.items() if r["outcome"] == "changed"}
    assert first and any(r["outcome"] == "not_attempted" for r in res.values())
    for h, r in res.items():                  # in-flight devices finished: changed and confirmed, or untouched
        assert r["outcome"] in ("changed", "not_attempted"), r
        assert (f"10.250.{30 + hosts.index(h)}.0/24" in _running(lab, h)) == (h in first)
    again = _deploy(lab, "--resume", run_id, "--commit", "--format", "json")
    assert again.returncode == 0, again.stderr
    assert {r["outcome"] for r in _json(again)["hosts"]} == {"changed"}
    with _journal(lab) as j:
        pushed = {s.host for s in j.steps(_json(again)["run_id"]) if s.step == "push"}
    assert not pushed & first and pushed == set(hosts) - first


# 6 ------------------------------------------------------------------------------------------------------------
def test_deploy_killed_after_commit_before_confirm_router_returns_by_itself(lab: Any, intended: Intended) -> None:
    host = "lcu-dao-san-ce01"
    before = _running(lab, host)
    intended.add(host, _route(40))
    mark = _mark(lab)
    proc = _start(lab, "-f", host, "--commit", "--revert-in", "15", "--verify-hold", "30", "--verify-timeout", "60")
    try:
        run_id = _until(lambda: _latest_run(lab, mark), 60)

        def pushed() -> bool:
            with _journal(lab) as j:
                return any(s.step == "push" and s.phase == "end" and s.outcome == "ok" for s in j.steps(run_id))
        assert _until(pushed, 120)
        assert "10.250.40.0/24" in _running(lab, host)
        proc.send_signal(signal.SIGKILL)      # the session dies: no confirm, no explicit revert, no close()
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    with _journal(lab) as j:
        assert not any(s.step == "confirm" for s in j.steps(run_id))
    assert _until(lambda: "10.250.40.0/24" not in _running(lab, host), 60), "the router did not go back by itself"
    assert _running(lab, host) == before


# 7 ------------------------------------------------------------------------------------------------------------
def test_idempotent_and_no_secret_value_is_ever_written(lab: Any, intended: Intended) -> None:
    hosts = ["lcu-tu-ce01", "lcu-tu-fw01"]
    secret = "Dp" + os.urandom(6).hex()
    for i, h in enumerate(hosts):
        intended.add(h, _route(50 + i), "password <secret:GVT_DEPLOY_TEST_PW>")
    first = _deploy(lab, *_filters(hosts), "--commit", "--format", "json", env={"GVT_DEPLOY_TEST_PW": secret})
    assert first.returncode == 0, first.stderr
    assert {r["outcome"] for r in _json(first)["hosts"]} == {"changed"}
    assert all(f"password {secret}" in _running(lab, h) for h in hosts)
    second = _deploy(lab, *_filters(hosts), "--commit", "--format", "json", env={"GVT_DEPLOY_TEST_PW": secret})
    assert second.returncode == 0, second.stderr
    assert {r["outcome"] for r in _json(second)["hosts"]} == {"unchanged"}
    missing = _deploy(lab, *_filters(hosts), "--commit", "--format", "json", env={"GVT_DEPLOY_TEST_PW": ""})
    assert missing.returncode == 1
    assert {r["code"] for r in _json(missing)["hosts"]} == {"DPL-001"}
    assert {r["step"] for r in _json(missing)["hosts"]} == {"prepare"}
    # the value never reaches a report, the journal, a backup or the output
    for text in (first.stdout, first.stderr, second.stdout, second.stderr):
        assert secret not in text
    for folder in (_paths(lab).state_dir, _paths(lab).reports_dir):
        for path in Path(folder).rglob("*"):
            if path.is_file():
                assert secret.encode() not in path.read_bytes(), path


# 8 ------------------------------------------------------------------------------------------------------------
def test_overlapping_runs_the_second_refuses_locked_devices(lab: Any, intended: Intended) -> None:
    a_hosts = ["lcu-than-uyen-ce01", "lcu-tan-uyen-ce01", "lcu-muong-te-ce01"]
    b_hosts = ["lcu-muong-te-ce01", "lcu-ubnd-ce01"]
    for i, h in enumerate(dict.fromkeys(a_hosts + b_hosts)):
        intended.add(h, _route(60 + i))
    mark = _mark(lab)
    first = _start(lab, *_filters(a_hosts), "--commit", "--canary", "1", "--pause-between", "60", "--format", "json")
    try:
        run_a = _until(lambda: _latest_run(lab, mark), 60)

        def locked() -> bool:
            with _journal(lab) as j:
                return set(a_hosts) <= set(j.locks())
        assert run_a and _until(locked, 60)
        second = _deploy(lab, *_filters(b_hosts), "--commit", "--format", "json")
        res = _by_host(_json(second))
        assert second.returncode == 1
        assert res["lcu-muong-te-ce01"]["code"] == "DPL-003" and run_a in res["lcu-muong-te-ce01"]["error"]
        assert res["lcu-ubnd-ce01"]["outcome"] == "changed"
        first.send_signal(signal.SIGINT)
        first.communicate(timeout=300)
    finally:
        if first.poll() is None:
            first.kill()
    with _journal(lab) as j:
        assert not set(a_hosts) & set(j.locks())        # released when the first run ended

