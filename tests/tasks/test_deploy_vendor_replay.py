"""The deploy device flow over a vendor NAPALM driver, with the device's answers replayed.

Arista EOS through NAPALM's own ``eos`` driver (its code runs unchanged; only the eAPI transport, pyeapi's
``Node.run_commands``, is replaced by :class:`EosReplay`). No Arista device or image is available to record from,
so the replayed answers are written in the vendor's **documented syntax** and marked as such:

* configuration sessions and the commit timer — EOS User Manual, "Configuration Sessions"
  (https://www.arista.com/en/um-eos/eos-configure-session): ``configure session NAME``, ``rollback clean-config``,
  ``commit timer hh:mm:ss`` (reverts unless ``configure session NAME commit`` follows), ``abort``;
  ``show configuration sessions detail`` lists a session in state ``pendingCommitTimer`` with ``commitBy``
  (seconds of uptime) — the JSON shape NAPALM's driver reads;
* eAPI errors — EOS Command API guide (https://www.arista.com/en/um-eos/eos-command-api): error code 1002 with
  ``CLI command N of M 'LINE' failed: invalid command``;
* ``show interfaces`` / ``show lldp neighbors`` JSON — the fields NAPALM's eos getters read
  (``lineProtocolStatus``, ``interfaceStatus``; ``lldpNeighbors[].port/neighborDevice/neighborPort``).

What is tested: the commit-confirm sequence (commit timer before any confirmation, confirm only after
verification), the revert sequence (``abort`` of the pending session when verification fails, then the running
config proven equal to the pre-change backup), and a refused line failing the device before anything is committed.
"""

from __future__ import annotations

import difflib
import itertools
from typing import Any

import pyeapi.eapilib
import pytest
from napalm import get_network_driver

from nornir_tasks.deploy.device import DeviceJob, deploy_device
from nornir_tasks.deploy.revert import RevertKind

RUNNING = """! device: lcu-tu-sw01 (DCS-7050SX3-48YC8, EOS-4.28.3M)
!
hostname lcu-tu-sw01
!
interface Ethernet1
   description to lcu-tu-fw01
   no switchport
   ip address 10.12.1.2/30
!
ip routing
!
end
"""


TOP_LEVEL = ("hostname ", "interface ", "ip routing", "ip route ", "router ", "vlan ")
MODES = ("interface ", "router ", "vlan ")


class EosReplay:
    """pyeapi ``Node`` stand-in answering in EOS's documented syntax, with the state a session changes."""

    def __init__(self, running: str, *, invalid: tuple[str, ...] = (), lose_lldp_after_commit: bool = False) -> None:
        self.running = running
        self.startup = running
        self.rollback0 = running
        self.invalid = invalid
        self.lose_lldp = lose_lldp_after_commit
        self.sessions: dict[str, list[str]] = {}
        self.pending: str | None = None
        self.pending_pre: str | None = None
        self.commands: list[str] = []
        self.uptime = 1000.0

    # -- helpers ------------------------------------------------------------------------------------------
    @staticmethod
    def _text(lines: list[str]) -> str:
        return "\n".join(lines) + "\n"

    def _session_config(self, name: str) -> str:
        """The session's config as EOS prints it: a header comment, mode children indented three spaces,
        ``!`` between top-level blocks, ``end`` last (commands arrive unindented: EOS tracks the mode)."""
        out = [RUNNING.splitlines()[0]]
        in_mode = False
        for line in self.sessions[name]:
            if line == "end":
                continue
            top = line.startswith(TOP_LEVEL)
            if top:
                out.append("!")
                in_mode = line.startswith(MODES)
                out.append(line)
            else:
                out.append(("   " if in_mode else "") + line)
        return self._text([*out, "!", "end"])

    def _lldp(self) -> dict[str, Any]:
        if self.lose_lldp and self.pending is not None:
            return {"lldpNeighbors": []}
        return {"lldpNeighbors": [{"port": "Ethernet1", "neighborDevice": "lcu-tu-fw01", "neighborPort": "ge-0/0/1",
                                   "ttl": 120}]}

    # -- the transport --------------------------------------------------------------------------------------
    def run_commands(self, commands: list[Any], encoding: str = "json", **kwargs: Any) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        session: str | None = None
        for i, raw in enumerate(commands, 1):
            cmd = raw["cmd"] if isinstance(raw, dict) else raw
            self.commands.append(cmd)
            if session is not None and cmd not in ("end",) and not cmd.startswith("configure session"):
                if cmd == "rollback clean-config":
                    self.sessions[session] = []
                elif cmd in self.invalid:
                    del self.sessions[session]
                    raise pyeapi.eapilib.CommandError(
                        1002, f"CLI command {i} of {len(commands)} '{cmd}' failed: invalid command",
                        commands=commands)
                else:
                    self.sessions[session].append(cmd)
                out.append({})
                continue
            out.append(self._one(cmd))
            if cmd.startswith("configure session ") and len(cmd.split()) == 3:
                session = cmd.split()[2]
                self.sessions.setdefault(session, [])
            elif cmd == "end":
                session = None
        return out

    def _one(self, cmd: str) -> dict[str, Any]:
        words = cmd.split()
        if cmd == "show running-config":
            return {"output": self.running}
        if cmd == "show startup-config":
            return {"output": self.startup}
        if cmd.startswith("show session-config named ") and cmd.endswith(" diffs"):
            name = words[3]
            diff = difflib.unified_diff(self.running.splitlines(), self._session_config(name).splitlines(),
                                        "system:/running-config", f"session:/{name}-session-config", lineterm="")
            return {"output": "\n".join(diff)}
        if cmd == "copy startup-config flash:rollback-0":
            self.rollback0 = self.startup
            return {"messages": ["Copy completed successfully."]}
        if cmd.startswith("configure session ") and words[3:5] == ["commit", "timer"]:
            name = words[2]
            self.pending, self.pending_pre = name, self.running
            self.running = self._session_config(name)
            h, m, s = (int(x) for x in words[5].split(":"))
            self.commit_by = self.uptime + h * 3600 + m * 60 + s
            return {}
        if cmd.startswith("configure session ") and words[3:] == ["commit"]:
            name = words[2]
            if self.pending == name:
                self.pending = self.pending_pre = None
            else:
                self.running = self._session_config(name)
            return {}
        if cmd.startswith("configure session ") and words[3:] == ["abort"]:
            if self.pending == words[2] and self.pending_pre is not None:
                self.running = self.pending_pre
                self.pending = self.pending_pre = None
            self.sessions.pop(words[2], None)
            return {}
        if cmd.startswith("configure session ") or cmd == "end":
            return {}
        if cmd == "configure replace flash:rollback-0":
            self.running = self.rollback0
            return {}
        if cmd == "write memory":
            self.startup = self.running
            return {"messages": ["Copy completed successfully."]}
        if cmd == "show configuration sessions detail":
            sessions = {}
            if self.pending is not None:
                sessions[self.pending] = {"state": "pendingCommitTimer", "commitBy": self.commit_by,
                                          "description": "", "instances": {}}
            return {"sessions": sessions, "maxSavedSessions": 1, "maxOpenSessions": 5}
        if cmd == "show version":
            return {"uptime": self.uptime, "modelName": "DCS-7050SX3-48YC8", "version": "4.28.3M"}
        if cmd == "show interfaces":
            return {"interfaces": {"Ethernet1": {"lineProtocolStatus": "up", "interfaceStatus": "connected",
                                                 "description": "to lcu-tu-fw01", "mtu": 1500,
                                                 "bandwidth": 10000000000, "physicalAddress": "00:1c:73:00:00:01"}}}
        if cmd == "show lldp neighbors":
            return self._lldp()
        if "bgp" in cmd:
            return {"vrfs": {}}
        raise AssertionError(f"the replay has no answer for {cmd!r}")


def _driver(replay: EosReplay) -> Any:
    drv = get_network_driver("eos")("lcu-tu-sw01", "u", "p", optional_args={"lock_disable": True})
    drv.device = replay          # NAPALM's eos code runs unchanged over the replayed eAPI transport
    return drv


def _job(intended: str) -> DeviceJob:
    return DeviceJob(host="lcu-tu-sw01", platform="arista_eos", intended=intended, commit=True,
                     revert=RevertKind.NATIVE_COMMIT_CONFIRM, revert_in=120, verify_timeout=3, verify_hold=0,
                     lldp_peers=("lcu-tu-fw01",))


def _run(replay: EosReplay, intended: str, journal: list[tuple[str, str, str]]) -> Any:
    drv = _driver(replay)
    return deploy_device(_job(intended), connect=lambda: drv, fresh_login=lambda: None,
                         record=lambda step, phase, **kw: journal.append((step, phase, kw.get("outcome", ""))),
                         save_backup=lambda text: "memory", env={}, sanitize=lambda text: text,
                         sleep=lambda s: None, clock=itertools.count(0.0, 0.5).__next__)


INTENDED = RUNNING.replace("ip routing\n", "ip routing\n!\nip route 10.250.0.0/24 Null0\n")


def test_commit_timer_then_confirm_after_verification() -> None:
    replay = EosReplay(RUNNING)
    journal: list[tuple[str, str, str]] = []
    res = _run(replay, INTENDED, journal)
    assert res.outcome == "changed", res
    assert "+ip route 10.250.0.0/24 Null0" in res.diff
    timer = next(i for i, c in enumerate(replay.commands) if c.endswith("commit timer 00:02:00"))
    confirm = next(i for i, c in enumerate(replay.commands) if c.startswith("configure session") and c.endswith(" commit"))
    verify_end = next(i for i, (s, p, _) in enumerate(journal) if s == "verify" and p == "end")
    assert timer < confirm and journal[verify_end][2] == "ok"
    assert replay.pending is None and "ip route 10.250.0.0/24 Null0" in replay.running
    assert [s for s, p, _ in journal if p == "end"][-2:] == ["confirm", "done"]


def test_failed_verification_aborts_the_pending_session_and_proves_the_config_is_back() -> None:
    replay = EosReplay(RUNNING, lose_lldp_after_commit=True)
    journal: list[tuple[str, str, str]] = []
    res = _run(replay, INTENDED, journal)
    assert res.outcome == "reverted" and res.code == "DPL-006" and res.revert_verified is True, res
    assert any(c.name == "lldp" and not c.ok for c in res.checks)
    assert any(c.endswith(" abort") for c in replay.commands)
    assert not any(c.startswith("configure session") and c.endswith(" commit") for c in replay.commands)
    assert replay.running == RUNNING


def test_refused_line_fails_before_anything_is_committed() -> None:
    replay = EosReplay(RUNNING, invalid=("ip route 10.250.0.0/24 Null0",))
    res = _run(replay, INTENDED, [])
    assert res.outcome == "failed" and res.step == "diff"
    assert "invalid command" in (res.error or "")
    assert not any("commit" in c for c in replay.commands) and replay.running == RUNNING


@pytest.mark.parametrize(("kind", "pushed"), [(RevertKind.NONE, False)])
def test_platform_without_revert_is_refused_unless_allowed(kind: RevertKind, pushed: bool) -> None:
    replay = EosReplay(RUNNING)
    drv = _driver(replay)
    job = _job(INTENDED).model_copy(update={"revert": kind})
    res = deploy_device(job, connect=lambda: drv, fresh_login=lambda: None, record=lambda *a, **k: None,
                        save_backup=lambda t: "m", env={}, sanitize=lambda t: t, sleep=lambda s: None)
    assert res.outcome == "refused" and res.code == "DPL-004"
    assert ("ip route 10.250.0.0/24 Null0" in replay.running) is pushed


def test_device_lacking_what_its_revert_needs_is_refused() -> None:
    """IOS-style: the platform can revert, but only with a config section this device does not have."""
    replay = EosReplay(RUNNING)
    drv = _driver(replay)
    job = _job(INTENDED).model_copy(update={"revert_needs": "archive"})
    res = deploy_device(job, connect=lambda: drv, fresh_login=lambda: None, record=lambda *a, **k: None,
                        save_backup=lambda t: "m", env={}, sanitize=lambda t: t, sleep=lambda s: None)
    assert res.outcome == "refused" and res.code == "DPL-004" and "'archive'" in (res.error or "")
    assert not any("commit" in c for c in replay.commands) and replay.running == RUNNING
