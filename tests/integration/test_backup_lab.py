"""Backup, device access and the napalm_frr driver against the lab's real FRR routers (session fixture ``lab``).

Each test uses its own state folder (backups, known_hosts), so the tests do not depend on one another or on other
stages' tests; routers a test changes are put back with ``lab.reset``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import napalm
import pytest
import yaml
from napalm.base import models
from napalm.base.exceptions import CommitError
from napalm.base.test.helpers import test_model as napalm_model_ok

from nornir_tasks.inventory.load import load_inventory
from nornir_tasks.lab.executor import choose_port
from nornir_tasks.render.context import lab_ifname

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
INV = load_inventory(ROOT / "inventory").inventory
NATIVE = "lcu-skhcn-ce01"       # an FRR device in the inventory (not emulated)
GATEWAY = "lcu-gw01"            # many neighbours


def _until(check, timeout: float = 60, step: float = 0.5):
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(step)


def _project(lab, tmp: Path, *, lab_dir: Path | None = None) -> Path:
    """A config.yaml like the lab's, with a private state folder (and optionally another lab_dir)."""
    data = yaml.safe_load(lab.config.read_text(encoding="utf-8"))
    govnet = data["user_defined"]["govnet"]
    govnet["state_dir"] = str(tmp / "state")
    if lab_dir is not None:
        govnet["lab_dir"] = str(lab_dir)
    govnet["connect_timeout"] = 10
    path = tmp / f"config-{len(list(tmp.glob('config-*.yaml')))}.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def _overlay_with(lab, tmp: Path, name: str, hostname: str, port: int) -> Path:
    """A copy of the lab overlay where one device is reached at another address/port; returns its lab_dir."""
    data = yaml.safe_load(lab.overlay.read_text(encoding="utf-8"))
    host = data["hosts"][name]
    host["hostname"], host["port"] = hostname, port
    for conn in host.get("connection_options", {}).values():
        optional = (conn.get("extras") or {}).get("optional_args")
        if isinstance(optional, dict) and "port" in optional:
            optional["port"] = port
    alt = tmp / f"alt-lab-{hostname}-{port}"
    alt.mkdir(parents=True, exist_ok=True)
    (alt / "overlay.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    return alt


def _backup(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "nornir_tasks.cli", "backup", "--config", str(config), "--lab",
                           *args], cwd=ROOT, env=dict(os.environ), capture_output=True, text=True, timeout=300, check=False)


def _state(config: Path) -> Path:
    """The state folder of ``backup --lab`` runs: the lab's own, apart from production (nornir_tasks.paths)."""
    return Path(yaml.safe_load(config.read_text())["user_defined"]["govnet"]["state_dir"]) / "lab"


def _index(config: Path) -> dict:
    return json.loads((_state(config) / "backups" / "index.json").read_text(encoding="utf-8"))


def _driver(lab, name: str, known_hosts: Path):
    r = lab.router(name)
    drv = napalm.get_network_driver("frr")(r.address, lab.username, lab.password, timeout=30, optional_args={
        "port": r.port, "alt_host_keys": True, "alt_key_file": str(known_hosts), "conn_timeout": 20})
    drv.open()
    return drv


# ---------------------------------------------------------------------------------------------------------
# backup
# ---------------------------------------------------------------------------------------------------------
def test_backup_every_router(lab, tmp_path: Path) -> None:
    config = _project(lab, tmp_path)
    proc = _backup(config, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    n = len(lab.hosts)
    assert doc["summary"] == f"backup: {n} ok, 0 unreachable, {n} changed"
    backups = _state(config) / "backups"
    assert not (_state(config).parent / "backups").exists()   # a --lab run never writes production backups
    index = _index(config)
    for name in lab.hosts:
        text = (backups / f"{name}.cfg").read_text(encoding="utf-8")
        hostname = [line for line in text.splitlines() if line.startswith("hostname ")]
        assert hostname == [f"hostname {name}"], name          # each router's own config, read over SSH
        assert "Building configuration" not in text and "Current configuration" not in text
        assert index[name]["status"] == "ok" and index[name]["platform"] == "frr"
    known = (_state(config) / "known_hosts").read_text()
    missing = [n for n in lab.hosts if f"{lab.router(n).address} " not in known]
    assert not missing, known                    # every host key remembered on first use (parallel logins)
    log = subprocess.run(["git", "-C", str(backups), "log", "--format=%s"], capture_output=True, text=True,
                         check=True).stdout
    assert log.splitlines() == [doc["summary"]]

    again = _backup(config, "--format", "json")
    assert again.returncode == 0 and json.loads(again.stdout)["summary"] == f"backup: {n} ok, 0 unreachable, 0 changed"
    shown = _backup(config, "--diff")
    assert shown.returncode == 0 and "(no configuration changed)" in shown.stdout


def test_diff_shows_what_changed_since_the_previous_run(lab, tmp_path: Path) -> None:
    config = _project(lab, tmp_path)
    assert _backup(config, "-f", NATIVE).returncode == 0
    try:
        lab.vtysh(NATIVE, "configure terminal", "ip route 10.123.45.0/24 Null0")
        proc = _backup(config, "-f", NATIVE, "--format", "json")
        assert proc.returncode == 0 and json.loads(proc.stdout)["summary"] == "backup: 1 ok, 0 unreachable, 1 changed"
        diff = _backup(config, "-f", NATIVE, "--diff").stdout
        assert "+ip route 10.123.45.0/24 Null0" in diff and f"{NATIVE}.cfg" in diff
    finally:
        lab.reset(NATIVE)


def test_secrets_never_reach_backups_reports_or_logs(lab, tmp_path: Path) -> None:
    """The test login password and router keys put into a running config appear nowhere govnet writes."""
    ospf_key = "Xk9-" + lab.password[:8]
    itf = lab_ifname(INV.devices[NATIVE], next(i for i in INV.devices[NATIVE].interfaces if i.kind.value == "wan"))
    config = _project(lab, tmp_path)
    try:
        lab.vtysh(NATIVE, "configure terminal", f"password {lab.password}", f"interface {itf}",
                  f"ip ospf message-digest-key 7 md5 {ospf_key}", f"description login {lab.password}")
        running = lab.vtysh(NATIVE, "show running-config")
        assert lab.password in running and ospf_key in running       # the secrets really are on the router
        runs = [_backup(config, "--debug", "--format", fmt) for fmt in ("json", "table")]
        runs.append(_backup(config, "--diff"))
        for proc in runs:
            assert proc.returncode == 0, proc.stderr
            for secret in (lab.password, ospf_key):
                assert secret not in proc.stdout and secret not in proc.stderr
        state = _state(config)
        files = [p for p in state.rglob("*") if p.is_file()]
        assert any(p.name == f"{NATIVE}.cfg" for p in files)
        history = subprocess.run(["git", "-C", str(state / "backups"), "log", "-p", "--all"], capture_output=True,
                                 text=True, check=True).stdout
        for secret in (lab.password, ospf_key):
            assert secret not in history
            for p in files:
                assert secret.encode() not in p.read_bytes(), p
        saved = (state / "backups" / f"{NATIVE}.cfg").read_text()
        assert "password <secret:removed>" in saved and "md5 <secret:removed>" in saved
    finally:
        lab.reset(NATIVE)


def test_unreachable_router_keeps_its_last_backup(lab, tmp_path: Path) -> None:
    config = _project(lab, tmp_path)
    assert _backup(config, "-f", NATIVE).returncode == 0
    before = _index(config)[NATIVE]
    saved = (_state(config) / "backups" / f"{NATIVE}.cfg").read_text()
    slot = lab.router(NATIVE).address.split(".")[1]
    dead = f"127.{slot}.200.9"                     # nothing listens there
    alt = _project(lab, tmp_path, lab_dir=_overlay_with(lab, tmp_path, NATIVE, dead, 22))
    proc = _backup(alt, "-f", NATIVE, "--format", "json")
    assert proc.returncode == 1
    row = json.loads(proc.stdout)["hosts"][0]
    assert row["status"] == "unreachable" and row["error"].startswith("[DEV-001]") and dead in row["error"]
    after = _index(config)[NATIVE]
    assert after["status"] == "unreachable" and after["collected_at"] == before["collected_at"]
    assert (_state(config) / "backups" / f"{NATIVE}.cfg").read_text() == saved
    assert "Traceback" not in proc.stderr


def _start_sshd(lab, name: str, folder: Path, address: str, port: int) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    key = folder / "hostkey"
    for p in (key, key.with_suffix(".pub")):
        p.unlink(missing_ok=True)
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    pidfile = folder / "sshd.pid"
    pidfile.unlink(missing_ok=True)
    cfg = folder / "sshd_config"
    cfg.write_text("\n".join([
        f"Port {port}", f"ListenAddress {address}", f"HostKey {key}", f"PidFile {pidfile}", "UsePAM no",
        "PasswordAuthentication yes", "KbdInteractiveAuthentication no", "PubkeyAuthentication no",
        "PermitRootLogin no", f"AllowUsers {lab.username}", "LogLevel VERBOSE",
        f'ForceCommand sudo -n {lab.lab.paths.login} {lab.router(name).netns} "$SSH_ORIGINAL_COMMAND"', ""]))
    subprocess.run(["/usr/sbin/sshd", "-f", str(cfg), "-E", str(folder / "sshd.log")], check=True)
    assert _until(lambda: pidfile.exists() and pidfile.read_text().strip(), 10)
    return int(pidfile.read_text().strip())


def test_changed_host_key_fails_the_host_without_sending_the_password(lab, tmp_path: Path) -> None:
    slot = lab.router(NATIVE).address.split(".")[1]
    address = f"127.{slot}.200.1"
    port = choose_port(address)
    alt = _project(lab, tmp_path, lab_dir=_overlay_with(lab, tmp_path, NATIVE, address, port))
    sshd = tmp_path / "sshd"
    pid = _start_sshd(lab, NATIVE, sshd, address, port)
    try:
        first = _backup(alt, "-f", NATIVE)
        assert first.returncode == 0, first.stdout + first.stderr
        known = (_state(alt) / "known_hosts").read_text()
        assert f"[{address}]:{port} ssh-ed25519 " in known or (port == 22 and f"{address} ssh-ed25519 " in known)
        os.kill(pid, 15)
        assert _until(lambda: not Path(f"/proc/{pid}").exists(), 10)
        pid = _start_sshd(lab, NATIVE, sshd, address, port)       # same address, a new host key
        log_before = (sshd / "sshd.log").read_text()
        second = _backup(alt, "-f", NATIVE, "--format", "json")
        assert second.returncode == 1
        row = json.loads(second.stdout)["hosts"][0]
        assert row["error"].startswith("[DEV-002]") and "interception" in row["error"]
        assert (_state(alt) / "known_hosts").read_text() == known            # the remembered key is kept
        assert (_state(alt) / "backups" / f"{NATIVE}.cfg").exists()          # and so is the last backup
        log_after = (sshd / "sshd.log").read_text()
        assert log_before.count("Accepted password") == 1
        new = log_after[len(log_before):]
        assert "Accepted password" not in new and "Failed password" not in new   # no password was offered
    finally:
        os.kill(pid, 15)


def _backup_env(config: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "nornir_tasks.cli", "backup", "--config", str(config), "--lab",
                           *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)


def test_wrong_password_is_a_sentence_per_host_and_never_shown(lab, tmp_path: Path) -> None:
    """DEV-003 for real: the lab's sshd refuses a wrong GOVNET_PASSWORD. Each host gets one coded sentence
    naming it, the run exits 1 without a traceback, the last backups are kept, and neither the wrong nor the
    right password appears in the output, the reports or the backups."""
    config = _project(lab, tmp_path)
    assert _backup(config, "-f", NATIVE, "-f", GATEWAY).returncode == 0
    saved = {n: (_state(config) / "backups" / f"{n}.cfg").read_text() for n in (NATIVE, GATEWAY)}
    wrong = "Wr0ng-" + lab.password[::-1]
    env = {**os.environ, "GOVNET_PASSWORD": wrong}
    proc = _backup_env(config, env, "-f", NATIVE, "-f", GATEWAY, "--format", "json")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    rows = {r["host"]: r for r in json.loads(proc.stdout)["hosts"]}
    assert set(rows) == {NATIVE, GATEWAY}
    for name, row in rows.items():
        assert row["status"] == "unreachable", row
        assert row["error"].startswith(f"[DEV-003] {name} (") and "authentication failed" in row["error"], row
    table = _backup_env(config, env, "-f", NATIVE)
    assert table.returncode == 1
    assert f"{NATIVE} (" in table.stdout + table.stderr and "authentication failed" in table.stdout + table.stderr
    for out in (proc, table):
        text = out.stdout + out.stderr
        assert "Traceback" not in text and wrong not in text and lab.password not in text, text
    for n, before in saved.items():
        assert (_state(config) / "backups" / f"{n}.cfg").read_text() == before
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    for p in written:
        data = p.read_bytes()
        assert wrong.encode() not in data and lab.password.encode() not in data, p


def test_refused_login_on_one_host_leaves_the_others_fine(lab, tmp_path: Path) -> None:
    """One host's account refused for real (the overlay gives that host a user the router does not have; the
    password stays the one from the environment): that host fails with DEV-003, the others are backed up."""
    alt = _overlay_with(lab, tmp_path, GATEWAY, lab.router(GATEWAY).address, lab.router(GATEWAY).port)
    overlay = alt / "overlay.yaml"
    data = yaml.safe_load(overlay.read_text(encoding="utf-8"))
    for conn in data["hosts"][GATEWAY]["connection_options"].values():
        conn["username"] = "nosuch" + lab.username[3:]
    overlay.write_text(yaml.safe_dump(data), encoding="utf-8")
    config = _project(lab, tmp_path, lab_dir=alt)
    proc = _backup(config, "-f", NATIVE, "-f", GATEWAY, "--format", "json")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    rows = {r["host"]: r for r in json.loads(proc.stdout)["hosts"]}
    assert rows[GATEWAY]["error"].startswith(f"[DEV-003] {GATEWAY} (") and rows[GATEWAY]["status"] == "unreachable"
    assert rows[NATIVE]["status"] == "ok" and not rows[NATIVE]["error"], rows[NATIVE]
    assert "Traceback" not in proc.stderr and lab.password not in proc.stdout + proc.stderr


# ---------------------------------------------------------------------------------------------------------
# napalm_frr against a real router
# ---------------------------------------------------------------------------------------------------------
def test_getters_match_napalm_models_and_the_inventory(lab, tmp_path: Path) -> None:
    drv = _driver(lab, GATEWAY, tmp_path / "known_hosts")
    try:
        facts = drv.get_facts()
        assert napalm_model_ok(models.FactsDict, facts)
        assert facts["hostname"] == GATEWAY and facts["vendor"] == "FRRouting"
        dev = INV.devices[GATEWAY]
        lab_names = {lab_ifname(dev, i) for i in dev.interfaces if i.kind.value != "mgmt"}
        interfaces = drv.get_interfaces()
        for data in interfaces.values():
            assert napalm_model_ok(models.InterfaceDict, data)
        assert lab_names <= set(interfaces) and set(facts["interface_list"]) == set(interfaces)
        ips = drv.get_interfaces_ip()
        for itf in dev.interfaces:
            if itf.ipv4 is not None and itf.kind.value != "mgmt":
                got = ips[lab_ifname(dev, itf)]["ipv4"][str(itf.ipv4.ip)]
                assert napalm_model_ok(models.InterfacesIPDictEntry, got)
                assert got["prefix_length"] == itf.ipv4.network.prefixlen
        config = drv.get_config()
        assert napalm_model_ok(models.ConfigurationDict, config)
        assert f"hostname {GATEWAY}" in config["running"]
        peers = {c.a.device if c.z.device == GATEWAY else c.z.device for c in INV.circuits_of(GATEWAY)
                 if c.status.value == "active"} & set(lab.hosts)
        assert peers

        def all_peers_seen():
            found = drv.get_lldp_neighbors()
            return found if peers <= {n["hostname"] for entries in found.values() for n in entries} else None

        neighbors = _until(all_peers_seen)
        assert neighbors, "LLDP neighbours of the gateway did not all appear"
        for local, entries in neighbors.items():
            assert local in interfaces
            for entry in entries:
                assert napalm_model_ok(models.LLDPNeighborDict, entry)
                peer = INV.devices[entry["hostname"]]
                assert entry["port"] in {lab_ifname(peer, i) for i in peer.interfaces}
        assert drv.is_alive() == {"is_alive": True}
    finally:
        drv.close()


def test_merge_compare_commit_compare_rollback(lab, tmp_path: Path) -> None:
    drv = _driver(lab, NATIVE, tmp_path / "known_hosts")
    try:
        before = drv.get_config(retrieve="running")["running"]
        candidate = "ip route 10.123.46.0/24 Null0\n"
        drv.load_merge_candidate(config=candidate)
        assert drv.compare_config() == "+ ip route 10.123.46.0/24 Null0"
        assert "10.123.46.0" not in drv.get_config(retrieve="running")["running"]     # nothing sent yet
        drv.commit_config()
        assert "ip route 10.123.46.0/24 Null0" in lab.vtysh(NATIVE, "show running-config")
        drv.load_merge_candidate(config=candidate)
        assert drv.compare_config() == ""
        drv.discard_config()
        drv.rollback()
        assert drv.get_config(retrieve="running")["running"] == before
    finally:
        drv.close()
        lab.reset(NATIVE)


def test_replace_candidate_and_refused_lines(lab, tmp_path: Path) -> None:
    drv = _driver(lab, NATIVE, tmp_path / "known_hosts")
    try:
        before = drv.get_config(retrieve="running")["running"]
        drv.load_replace_candidate(config=before + "ip route 10.123.47.0/24 Null0\n")
        assert drv.compare_config() == "+ ip route 10.123.47.0/24 Null0"
        drv.commit_config()
        drv.load_replace_candidate(config=before)
        assert drv.compare_config() == "- ip route 10.123.47.0/24 Null0"
        drv.commit_config()
        assert drv.get_config(retrieve="running")["running"] == before
        drv.load_merge_candidate(config="ip route 10.123.48.0/24 Null0\ninterface lo\n ip ospf no-such-thing\n")
        with pytest.raises(CommitError):
            drv.commit_config()
        assert drv.get_config(retrieve="running")["running"] == before     # a refused change leaves nothing
    finally:
        drv.close()
        lab.reset(NATIVE)


def test_commit_with_revert_in_reverts_unless_confirmed(lab, tmp_path: Path) -> None:
    drv = _driver(lab, NATIVE, tmp_path / "known_hosts")
    try:
        before = drv.get_config(retrieve="running")["running"]
        drv.load_merge_candidate(config="ip route 10.123.49.0/24 Null0\n")
        drv.commit_config(revert_in=2)
        assert drv.has_pending_commit()
        assert "10.123.49.0/24" in lab.vtysh(NATIVE, "show running-config")
        assert _until(lambda: not drv.has_pending_commit(), 60)
        assert _until(lambda: "10.123.49.0/24" not in lab.vtysh(NATIVE, "show running-config"), 30)
        assert drv.get_config(retrieve="running")["running"] == before

        drv.load_merge_candidate(config="ip route 10.123.50.0/24 Null0\n")
        drv.commit_config(revert_in=600)
        drv.confirm_commit()
        assert not drv.has_pending_commit()
        assert "10.123.50.0/24" in drv.get_config(retrieve="running")["running"]
        drv.rollback()
        assert drv.get_config(retrieve="running")["running"] == before
    finally:
        drv.close()
        lab.reset(NATIVE)
