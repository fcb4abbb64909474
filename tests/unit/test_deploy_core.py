"""The pure core of `govnet deploy`: waves, stop rule, secrets at push time, the journal and the lock."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from nornir_tasks.deploy.journal import Journal, new_run_id, unfinished_steps
from nornir_tasks.deploy.plan import Amount, plan_waves, too_many_failures, topology
from nornir_tasks.deploy.secrets import substitute
from nornir_tasks.errors import CATALOG, DeployError, GovnetError
from nornir_tasks.inventory.load import load_or_raise

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def inv():  # type: ignore[no-untyped-def]
    return load_or_raise(ROOT / "inventory").inventory


def test_every_wave_respects_size_province_and_management_path(inv) -> None:  # type: ignore[no-untyped-def]
    names = list(inv.devices)
    topo = topology(inv)
    for canary in (0, 1, 3):
        for size in ("1", "4", "25%", "100%"):
            waves = plan_waves(inv, names, canary=canary, wave_size=Amount.parse(size, "--wave-size"))
            flat = [h for w in waves for h in w.hosts]
            assert sorted(flat) == sorted(names), "every device exactly once"
            limit = Amount.parse(size, "--wave-size").of(len(names)) if size.endswith("%") else int(size)
            position = {h: w.index for w in waves for h in w.hosts}
            for w in waves:
                assert w.hosts
                if w.kind == "canary":
                    assert w.index == 0 and len(w.hosts) <= canary
                else:
                    assert len(w.hosts) <= max(1, limit)
                    assert {inv.site_of(h).province_code for h in w.hosts} == {w.province}
                for a in w.hosts:
                    for b in w.hosts:
                        assert a == b or not topo.related(a, b), f"{a} and {b} share a management path in one wave"
            for h in names:   # far end first: a device's ancestors come in later waves only
                for anc in topo.ancestors[h]:
                    assert position[anc] > position[h], f"{anc} (on {h}'s path) must come after it"


def test_canary_is_first_and_alone(inv) -> None:  # type: ignore[no-untyped-def]
    waves = plan_waves(inv, ["lcu-sin-ho-ce01", "lcu-tu-ce01", "lcu-ubnd-ce01"], canary=1,
                       wave_size=Amount.parse("10", "--wave-size"))
    assert waves[0].kind == "canary" and len(waves[0].hosts) == 1
    assert all(w.kind == "wave" for w in waves[1:])


@pytest.mark.parametrize(("text", "total", "failures", "stop"), [
    ("0", 10, 0, False), ("0", 10, 1, True), ("2", 10, 2, False), ("2", 10, 3, True),
    ("20%", 10, 2, False), ("20%", 10, 3, True), ("0%", 5, 1, True)])
def test_max_failures_means_more_than(text: str, total: int, failures: int, stop: bool) -> None:
    assert too_many_failures(failures, Amount.parse(text, "--max-failures"), total) is stop


@pytest.mark.parametrize("bad", ["", "-1", "1.5", "150%", "abc", "5 %x"])
def test_bad_amounts_are_a_sentence(bad: str) -> None:
    with pytest.raises(GovnetError) as err:
        Amount.parse(bad, "--wave-size")
    assert err.value.code == "DPL-009" and err.value.code in CATALOG


def test_secret_substitution_is_in_memory_and_masked_back() -> None:
    env = {"GV_T_HASH": "$9$abc/def", "GV_T_KEY": "k3y-Value"}
    text = "username a secret 9 <secret:GV_T_HASH>\nkey <secret:GV_T_KEY>\n"
    sub = substitute(text, "cisco_ios", env, host="r1")
    assert "$9$abc/def" in sub.text and "k3y-Value" in sub.text
    assert "$9$" not in repr(sub) and "k3y" not in str(sub)
    assert sub.mask(sub.text) == text
    with pytest.raises(DeployError) as err:
        substitute(text, "cisco_ios", {"GV_T_HASH": "x"}, host="r1")
    assert err.value.code == "DPL-001" and "GV_T_KEY" in err.value.message
    for line in ("snmp-server community <removed> RO\n", " password <secret>\n", "key <redacted>\n"):
        with pytest.raises(DeployError) as err:
            substitute("hostname r1\n" + line, "cisco_ios", env, host="r1")
        assert err.value.code == "DPL-002"
    with pytest.raises(DeployError):
        substitute("key <secret:GV_T_KEY>\n", "cisco_ios", {"GV_T_KEY": "a\nreload"}, host="r1")


def test_journal_records_steps_and_runs(tmp_path: Path) -> None:
    j = Journal(tmp_path, operator="tester")
    rid = new_run_id()
    j.start_run(rid, commit=True, lab=True, selection=["a", "b"], options={"canary": 1})
    j.step(rid, "a", "push", "start", diff_hash="abc")
    j.step(rid, "a", "push", "end", outcome="ok", diff_hash="abc")
    j.step(rid, "b", "push", "start")
    assert unfinished_steps(j.steps(rid)) == [("b", "push")]
    j.step(rid, "b", "push", "end", outcome="failed")
    j.step(rid, "a", "done", "end", outcome="changed")
    j.finish_run(rid, "finished")
    rec = j.require_run(rid)
    assert rec.status == "finished" and rec.selection == ("a", "b") and rec.options == {"canary": 1}
    assert rec.operator == "tester" and j.outcomes([rid]) == {"a": "changed"}
    assert not unfinished_steps(j.steps(rid))
    with pytest.raises(DeployError) as err:
        j.require_run("nope")
    assert err.value.code == "DPL-008"


def test_journal_steps_from_many_threads(tmp_path: Path) -> None:
    j = Journal(tmp_path)
    rid = new_run_id()
    j.start_run(rid, commit=False, lab=False, selection=[], options={})

    def work(i: int) -> None:
        for s in ("reachable", "backup", "diff"):
            j.step(rid, f"h{i}", s, "start")
            j.step(rid, f"h{i}", s, "end", outcome="ok")

    threads = [threading.Thread(target=work, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(j.steps(rid)) == 20 * 3 * 2 and not unfinished_steps(j.steps(rid))


def test_lock_refuses_a_live_holder_and_takes_over_a_dead_one(tmp_path: Path) -> None:
    first, second = Journal(tmp_path), Journal(tmp_path)
    a, b = new_run_id(), new_run_id()
    assert first.acquire(a, ["r1", "r2"]).acquired == ("r1", "r2")
    got = second.acquire(b, ["r2", "r3"])
    assert got.acquired == ("r3",) and got.refused == {"r2": a}
    first.release(a)
    assert second.acquire(b, ["r2"]).acquired == ("r2",)
    second.release(b)
    # a lock left by a process that is gone is stale: taken over, and said so
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True)
    pid = int(dead.stdout)
    first._conn.execute("INSERT INTO deploy_locks (host, run_id, machine, pid, since) VALUES (?, ?, ?, ?, ?)",
                        ("r9", "old-run", first.machine, pid, "2026-01-01T00:00:00+00:00"))
    got = second.acquire(b, ["r9"])
    assert got.acquired == ("r9",) and got.taken_over == {"r9": "old-run"}
    assert os.getpid() != pid
