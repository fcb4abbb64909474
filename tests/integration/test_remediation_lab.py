"""Every drift class, on real FRR routers of the lab: drift the router, find it with ``govnet backup --lab`` and
``govnet compliance --lab``, push the remediation file govnet wrote (napalm_frr over SSH), run both again: the
router is compliant. Then the rollback file brings the drift back (the same features differ again).

Drift classes ([A1] §2): an interface address change (FRR keeps both addresses unless the old one is removed),
a removed static route, a changed OSPF cost, a BGP neighbour change (remote AS and description), and the lab's
own seeded drift. Each case resets its router first and last (``lab.reset``)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import napalm
import pytest
import yaml

from nornir_tasks.compliance.remediation import paths_for

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


class _Project:
    """A config.yaml like the lab's with private state/build/reports folders."""

    def __init__(self, lab: Any, folder: Path) -> None:
        data = yaml.safe_load(lab.config.read_text(encoding="utf-8"))
        for key in ("state_dir", "build_dir", "reports_dir"):
            data["user_defined"]["govnet"][key] = str(folder / key.removesuffix("_dir"))
        self.config = folder / "config.yaml"
        self.config.write_text(yaml.safe_dump(data), encoding="utf-8")
        self.build = folder / "build" / "lab"
        self.known = folder / "known_hosts"

    def govnet(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "nornir_tasks.cli", *args, "--config", str(self.config), "--lab"],
                              cwd=ROOT, env=dict(os.environ), capture_output=True, text=True, timeout=600,
                              check=False)

    def check(self, name: str) -> dict[str, Any]:
        """Back up one router and check it; its device row of the compliance report."""
        backup = self.govnet("backup", "-f", name, "--format", "json")
        assert backup.returncode == 0, backup.stdout + backup.stderr
        proc = self.govnet("compliance", "--only", "config", "-f", name, "--format", "json")
        assert proc.stdout.strip(), proc.stderr
        (device,) = [d for d in json.loads(proc.stdout)["run"]["devices"] if d["name"] == name]
        return device


def _push(lab: Any, name: str, config: str, known: Path) -> None:
    r = lab.router(name)
    drv = napalm.get_network_driver("frr")(r.address, lab.username, lab.password, timeout=30, optional_args={
        "port": r.port, "alt_host_keys": True, "alt_key_file": str(known), "conn_timeout": 20})
    drv.open()
    try:
        drv.load_merge_candidate(config=config)
        assert drv.compare_config(), f"{name}: the pushed config changes nothing"
        drv.commit_config()
    finally:
        drv.close()


def _sections(running: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    head = ""
    for line in running.splitlines():
        if line and not line[0].isspace() and line not in ("!", "exit", "end"):
            head = line
            out.setdefault(head, [])
        elif line.startswith(" ") and head:
            out[head].append(line.strip())
    return out


def _address_change(running: str) -> list[str]:
    for head, lines in _sections(running).items():
        for ln in lines:
            m = re.fullmatch(r"ip address (\d+\.\d+\.\d+\.)(\d+)/(\d+)", ln)
            if head.startswith("interface ") and m and int(m.group(3)) <= 29 and head != "interface lo":
                new = f"{m.group(1)}{int(m.group(2)) + 4}/{m.group(3)}"
                return [head, f"no {ln}", f"ip address {new}"]
    raise AssertionError("no interface address to change")


def _static_removed(running: str) -> list[str]:
    route = next(ln for ln in running.splitlines() if ln.startswith("ip route "))
    return [f"no {route}"]


def _ospf_cost(running: str) -> list[str]:
    for head, lines in _sections(running).items():
        if head.startswith("interface ") and any(ln.startswith("ip ospf area") for ln in lines):
            cost = next((ln for ln in lines if ln.startswith("ip ospf cost ")), None)
            return [head, "ip ospf cost 77" if cost != "ip ospf cost 77" else "ip ospf cost 78"]
    raise AssertionError("no OSPF interface")


def _bgp_neighbour(running: str) -> list[str]:
    for head, lines in _sections(running).items():
        if head.startswith("router bgp "):
            for ln in lines:
                m = re.fullmatch(r"neighbor (\S+) remote-as (\d+)", ln)
                if m:
                    return [head, f"neighbor {m.group(1)} remote-as {int(m.group(2)) + 1}",
                            f"neighbor {m.group(1)} description drift: wrong peer"]
    raise AssertionError("no BGP neighbour")


#: drift class → (router, what to type into vtysh given its running config). Leaf CE routers: drifting them
#: disturbs no other router's routing for long.
CASES: dict[str, tuple[str, Callable[[str], list[str]]]] = {
    "interface_address": ("lcu-sin-ho-ce01", _address_change),
    "static_route_removed": ("lcu-snv-ce01", _static_removed),
    "ospf_cost": ("lcu-sin-ho-ce01", _ospf_cost),
    "bgp_neighbour": ("lcu-skhcn-ce01", _bgp_neighbour),
}


@pytest.fixture(scope="module")
def project(lab: Any, tmp_path_factory: pytest.TempPathFactory) -> _Project:
    return _Project(lab, tmp_path_factory.mktemp("remediation-lab"))


def _remediate(lab: Any, project: _Project, name: str) -> None:
    before = project.check(name)
    assert before["state"] == "non_compliant", before["reason"]
    differing = {f["name"] for f in before["features"] if not f["compliant"]}
    rem_path, back_path = paths_for(project.build, name)
    remediation, rollback = rem_path.read_text(encoding="utf-8"), back_path.read_text(encoding="utf-8")
    _push(lab, name, remediation, project.known)
    after = project.check(name)
    assert after["state"] == "compliant", (remediation, after["reason"], after["features"])
    assert not rem_path.exists()
    _push(lab, name, rollback, project.known)
    again = project.check(name)
    assert {f["name"] for f in again["features"] if not f["compliant"]} == differing, rollback


@pytest.mark.parametrize("kind", list(CASES))
def test_each_drift_class_is_remediated_on_real_frr(lab: Any, project: _Project, kind: str) -> None:
    name, drift = CASES[kind]
    lab.reset(name)
    try:
        running = lab.vtysh(name, "show running-config")
        commands = drift(running)
        lab.vtysh(name, "configure terminal", *commands)
        _remediate(lab, project, name)
    finally:
        lab.reset(name)


def test_the_seeded_lab_drift_is_remediated(lab: Any, project: _Project) -> None:
    name = "lcu-mttq-ce01"
    lab.reset(name)
    try:
        drifts = lab.drift([name])
        assert drifts[name], "the lab seeded no drift"
        _remediate(lab, project, name)
    finally:
        lab.reset(name)
