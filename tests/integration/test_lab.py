"""The virtual lab against real FRR routers, lldpd and sshd (the sample province, built once per session).

Expectations come from the inventory (circuits, links, addresses), not from the lab's own plan, so a planning
mistake fails these tests.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import paramiko
import pytest

from nornir_tasks.inventory.load import load_inventory
from nornir_tasks.lab.executor import Lab, netns_exists
from nornir_tasks.model import RoutingProtocol
from nornir_tasks.render.context import ACTIVE_FOR_CONFIG, lab_ifname

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
INV = load_inventory(ROOT / "inventory").inventory


def _cli(*args: str, timeout: int = 240) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "nornir_tasks.cli", *args], cwd=ROOT, env=dict(os.environ),
                          capture_output=True, text=True, timeout=timeout)


def _until(check, timeout: float = 30, step: float = 0.5):
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(step)


def _running(pid: int) -> bool:
    """A process that exists and is not a zombie (PID 1 of a container may never reap orphans)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _circuits(protocol: RoutingProtocol):
    return [c for c in INV.circuits.values() if c.status in ACTIVE_FOR_CONFIG and c.routing.protocol is protocol]


def _lab_if(device: str, interface: str) -> str:
    dev = INV.devices[device]
    return lab_ifname(dev, dev.interface(interface))


def _ospf_full(lab, name: str) -> dict[str, str]:
    """interface → neighbour address of full adjacencies."""
    data = json.loads(lab.vtysh(name, "show ip ospf neighbor json") or "{}")
    out = {}
    for entries in data.get("neighbors", {}).values():
        for e in entries:
            if str(e.get("nbrState", "")).startswith("Full"):
                out[e["ifaceName"].split(":")[0]] = e["ifaceAddress"]
    return out


def _lldp(lab, name: str) -> dict[str, tuple[str, str]]:
    r = lab.router(name)
    proc = subprocess.run(["lldpcli", "-u", str(lab.lab.paths.lldpd / f"{r.netns}.sock"), "-f", "json", "show",
                           "neighbors"], capture_output=True, text=True, check=True)
    itfs = json.loads(proc.stdout).get("lldp", {}).get("interface") or []
    if isinstance(itfs, dict):
        itfs = [{k: v} for k, v in itfs.items()]
    out = {}
    for item in itfs:
        for local, body in item.items():
            out[local] = (next(iter(body["chassis"])), body["port"]["id"]["value"])
    return out


def test_every_device_is_a_running_router(lab):
    status = lab.status()
    assert sorted(r.name for r in status.routers) == sorted(INV.devices)
    down = {r.name: r.daemons for r in status.routers if not r.running}
    assert not down, f"routers with daemons down: {down}"
    assert all(status.sshd.values())
    assert lab.converged.converged(), [r.name for r in lab.converged.routers if not r.converged()]


def test_ospf_adjacency_on_every_ospf_circuit(lab):
    circuits = _circuits(RoutingProtocol.OSPF)
    assert len(circuits) >= 10
    for c in circuits:
        for mine, theirs in ((c.a, c.z), (c.z, c.a)):
            peer_ip = str(INV.devices[theirs.device].interface(theirs.interface).ipv4.ip)
            full = _until(lambda: _ospf_full(lab, mine.device).get(_lab_if(mine.device, mine.interface)) == peer_ip,
                          timeout=20)
            assert full, f"{c.id}: {mine.device} has no full OSPF adjacency to {peer_ip}"


def test_bgp_sessions_established(lab):
    circuits = _circuits(RoutingProtocol.BGP)
    assert circuits
    for c in circuits:
        for mine, theirs in ((c.a, c.z), (c.z, c.a)):
            data = json.loads(lab.vtysh(mine.device, "show bgp summary json"))
            states = {addr: p["state"] for af in data.values() if isinstance(af, dict)
                      for addr, p in (af.get("peers") or {}).items()}
            peer = INV.devices[theirs.device].interface(theirs.interface)
            for fam in ("ipv4", "ipv6"):
                addr = getattr(peer, fam)
                if addr is not None and getattr(INV.devices[mine.device].interface(mine.interface), fam):
                    key = next(k for k in states if k == str(addr.ip) or _same_ip(k, str(addr.ip)))
                    assert states[key] == "Established", f"{c.id}: {mine.device} → {addr.ip} is {states[key]}"


def _same_ip(a: str, b: str) -> bool:
    import ipaddress

    return ipaddress.ip_address(a) == ipaddress.ip_address(b)


def test_lldp_neighbours_match_links_and_circuits(lab):
    wired = [x for x in [*INV.circuits.values(), *INV.links.values()]
             if getattr(x, "status", None) in (None, *ACTIVE_FOR_CONFIG)]
    assert len(wired) > 20
    for x in wired:
        for mine, theirs in ((x.a, x.z), (x.z, x.a)):
            want = (theirs.device, _lab_if(theirs.device, theirs.interface))
            got = _until(lambda: _lldp(lab, mine.device).get(_lab_if(mine.device, mine.interface)) == want, 20)
            assert got, f"{x.id}: {mine.device} does not see {want} over LLDP"


def test_netmiko_through_nornir_on_every_router(lab):
    from nornir_netmiko.tasks import netmiko_send_command

    nr = lab.nornir()
    result = nr.run(task=netmiko_send_command, command_string="show running-config", raise_on_error=False)
    assert sorted(result) == sorted(INV.devices)
    failed = {h: str(m.exception) for h, m in result.items() if m.failed}
    assert not failed
    for host, multi in result.items():
        running = multi[0].result
        assert f"hostname {host}" in running
        intended = (lab.lab.paths.intended(host)).read_text().splitlines()
        missing = [line for line in intended if line.strip() and line not in running.splitlines()]
        assert not missing, f"{host}: intended lines not running: {missing[:5]}"
        assert lab.password not in running


def test_ssh_login_lands_in_vtysh_and_second_login_gives_a_shell(lab):
    r = lab.router("lcu-tu-ce01")
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    client.connect(r.address, port=r.port, username=lab.username, password=lab.password, look_for_keys=False,
                   allow_agent=False, timeout=20)
    try:
        _, out, _ = client.exec_command("hostname; id -nG; ip -br link; lldpcli -f json show neighbors")
        text = out.read().decode()
        assert text.splitlines()[0] == "lcu-tu-ce01"
        assert {"frrvty", "frr", "adm"} <= set(text.splitlines()[1].split())
        assert "e0@" in text and '"lcu-gw01"' in text
        shell = client.invoke_shell()
        buf = b""
        deadline = time.monotonic() + 15
        while b"lcu-tu-ce01#" not in buf and time.monotonic() < deadline:
            if shell.recv_ready():
                buf += shell.recv(4096)
            time.sleep(0.05)
        assert b"lcu-tu-ce01#" in buf      # vtysh prompt, enable mode
    finally:
        client.close()
    bad = paramiko.SSHClient()
    bad.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    with pytest.raises(paramiko.AuthenticationException):
        bad.connect(r.address, port=r.port, username=lab.username, password=lab.password + "x",
                    look_for_keys=False, allow_agent=False, timeout=20)
    bad.close()


def test_link_fault_is_detected_and_recovers(lab):
    ce, gw = "lcu-tu-ce01", "lcu-gw01"
    ce_if = _lab_if(ce, INV.circuits["VNPT-LCU-L2-1001"].a.interface)
    try:
        proc = _cli("lab", "fault", "--config", str(lab.config), "--link", f"{gw}:{ce}", "down")
        assert proc.returncode == 0, proc.stderr
        assert _until(lambda: ce_if not in _ospf_full(lab, ce), 15), "OSPF adjacency survived the link fault"
        assert _until(lambda: ce_if not in _lldp(lab, ce), 20), "LLDP neighbour survived the link fault"
        st = next(r for r in lab.status().routers if r.name == ce)
        assert not st.converged() and len(st.ospf_full) < len(st.ospf_expected)
        proc = _cli("lab", "fault", "--config", str(lab.config), "--link", f"{gw}:{ce}", "up")
        assert proc.returncode == 0, proc.stderr
        assert _until(lambda: ce_if in _ospf_full(lab, ce), 30), "OSPF adjacency did not come back"
        assert _until(lambda: ce_if in _lldp(lab, ce), 30), "LLDP neighbour did not come back"
    finally:
        lab.reset(ce)
        lab.reset(gw)


def test_kill_a_router_and_a_daemon(lab):
    name = "lcu-bum-to-ce01"
    try:
        proc = _cli("lab", "fault", "--config", str(lab.config), "--kill", name)
        assert proc.returncode == 0, proc.stderr
        st = next(r for r in lab.status().routers if r.name == name)
        assert not any(st.daemons.values())
        proc = _cli("lab", "fault", "--config", str(lab.config), "--revive", name)
        assert proc.returncode == 0, proc.stderr
        assert _until(lambda: next(r for r in lab.status().routers if r.name == name).converged(), 40)
        proc = _cli("lab", "fault", "--config", str(lab.config), "--kill", name, "--daemon", "ospfd")
        assert proc.returncode == 0, proc.stderr
        # watchfrr restarts the daemon, and the adjacency comes back by itself
        assert _until(lambda: next(r for r in lab.status().routers if r.name == name).converged(), 40)
    finally:
        lab.reset(name)


def test_seeded_drift_is_on_the_routers_and_reset_removes_it(lab):
    names = ["lcu-tu-ce01", "lcu-ubnd-ce01", "lcu-hdnd-ce01", "lcu-skhcn-ce01", "lcu-stc-ce01", "lcu-snv-ce01"]
    try:
        drifts = lab.drift(names)
        recorded = json.loads(lab.lab.paths.drift.read_text())
        assert set(names) <= set(recorded)
        kinds = {d.kind for ds in drifts.values() for d in ds}
        assert {"ospf_cost", "logging", "static_route", "forwarding"} <= kinds
        for name, ds in drifts.items():
            running = lab.vtysh(name, "show running-config").splitlines()
            for d in ds:
                if d.running is not None:
                    assert d.running in running, f"{name}: {d}"
                if d.intended is not None:
                    assert d.intended not in running, f"{name}: {d}"
    finally:
        for name in names:
            lab.reset(name)
    for name, ds in drifts.items():
        running = lab.vtysh(name, "show running-config").splitlines()
        for d in ds:
            if d.intended is not None:
                assert d.intended in running
            if d.running is not None:
                assert d.running not in running
    assert not set(names) & set(json.loads(lab.lab.paths.drift.read_text()))


def test_up_again_is_idempotent_and_status_is_good(lab):
    state = lab.lab.state
    watchfrr = {r.netns: (lab.lab.paths.frr_run(r.netns) / "watchfrr.pid").read_text() for r in state.plan.routers}
    proc = _cli("lab", "up", "--config", str(lab.config), "--tag", state.plan.tag, "--slot", str(state.plan.slot),
                "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["converged"] is True
    after = {r.netns: (lab.lab.paths.frr_run(r.netns) / "watchfrr.pid").read_text() for r in state.plan.routers}
    assert after == watchfrr       # nothing was restarted
    lab.lab = Lab(lab.lab_dir)     # the CLI rewrote the state file
    proc = _cli("lab", "status", "--config", str(lab.config), "--format", "json")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert json.loads(proc.stdout)["converged"] is True


def test_no_secret_in_lab_files(lab):
    for folder in (lab.lab_dir, lab.lab.paths.run):
        for path in Path(folder).rglob("*"):
            if path.is_file() and not path.is_socket() and path.parent.name != "uts":   # uts/: namespace mounts
                assert lab.password.encode() not in path.read_bytes(), path


def test_refuses_without_root(lab, tmp_path):
    proc = subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", sys.executable, "-m",
                           "nornir_tasks.cli", "lab", "up", "--config", str(ROOT / "config.yaml")], cwd=ROOT,
                          capture_output=True, text=True, timeout=60, env={**os.environ, "HOME": str(tmp_path)})
    assert proc.returncode == 2, proc.stderr
    assert "LAB-001" in proc.stderr and "root" in proc.stderr and "Traceback" not in proc.stderr


def test_small_lab_from_baseline_and_down_leaves_nothing(lab, tmp_path):
    """A second, independent lab: baseline start, then down removes every trace (run next to the shared one)."""
    cfg = tmp_path / "config.yaml"
    lab_dir = tmp_path / "lab2"
    cfg.write_text(lab.config.read_text().replace(str(lab.lab_dir), str(lab_dir)), encoding="utf-8")
    env = {**os.environ, "GOVNET_USERNAME": lab.username + "b"}
    args = ["lab", "up", "--config", str(cfg), "-f", "lcu-gw01", "-f", "lcu-tu-ce01", "-f", "lcu-skhcn-ce01",
            "--start-from", "baseline", "--tag", "gsmall", "--slot", str(lab.lab.state.plan.slot + 1 if
                                                                           lab.lab.state.plan.slot < 254 else 99),
            "--no-wait"]
    proc = subprocess.run([sys.executable, "-m", "nornir_tasks.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    small = Lab(lab_dir)
    assert small.state is not None
    namespaces = list(small.state.created.netns)
    r = small.state.plan.router("lcu-tu-ce01")
    running = small.vtysh(r, "show running-config")
    assert "ip address 10.12.240.2/30" in running and "router ospf" not in running and "log syslog" not in running
    pids = [*small.state.lldpd.values(), *small.state.sshd.values()]
    proc = subprocess.run([sys.executable, "-m", "nornir_tasks.cli", "lab", "down", "--config", str(cfg)], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert not any(netns_exists(ns) for ns in namespaces)
    assert not any(_running(p) for p in pids)
    assert subprocess.run(["getent", "passwd", env["GOVNET_USERNAME"]]).returncode != 0
    assert not any(Path("/etc/frr", ns).exists() or Path("/run/frr", ns).exists() for ns in namespaces)
    assert not Path("/run/govnet-lab/gsmall").exists() and not Path("/etc/sudoers.d/govnet-lab-gsmall").exists()
    assert not lab_dir.exists() or not any(lab_dir.iterdir())
    proc = subprocess.run([sys.executable, "-m", "nornir_tasks.cli", "lab", "down", "--config", str(cfg)], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and "nothing to remove" in proc.stderr
