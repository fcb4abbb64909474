"""Lab planning, start configs and the parsers of FRR / lldpd output (pure; no routers needed)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from nornir_tasks.errors import GovnetError
from nornir_tasks.inventory.load import load_inventory
from nornir_tasks.lab.build import lab_configs
from nornir_tasks.lab.configs import DRIFT_KINDS, apply_drift, baseline_config, parse_blocks, seed_drift
from nornir_tasks.lab.executor import (
    bgp_established,
    daemons_file,
    login_wrapper,
    lldp_neighbors,
    ospf_full_interfaces,
    overlay_data,
    sshd_config,
    LabPaths,
)
from nornir_tasks.lab.plan import ROUTERS_PER_SSHD, plan_lab
from nornir_tasks.render.context import ACTIVE_FOR_CONFIG

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "tests" / "fixtures" / "lab" / "frr"
INV = load_inventory(ROOT / "inventory").inventory


@pytest.fixture(scope="module")
def configs() -> dict[str, str]:
    return lab_configs(INV, list(INV.devices), ROOT / "templates")


@pytest.fixture(scope="module")
def plan(configs):
    return plan_lab(INV, list(INV.devices), tag="gv", slot=3, port=2222, configs=configs)


def test_one_router_per_device_with_unique_names_and_addresses(plan):
    assert [r.name for r in plan.routers] == list(INV.devices)
    assert len({r.netns for r in plan.routers}) == len(plan.routers)
    assert len({r.address for r in plan.routers}) == len(plan.routers)
    assert all(r.address.startswith("127.3.") and r.port == 2222 for r in plan.routers)
    assert all(len(g) <= ROUTERS_PER_SSHD for g in plan.sshd_groups)
    assert sorted(n for g in plan.sshd_groups for n in g) == sorted(INV.devices)


def test_every_configured_circuit_and_link_is_a_veth_pair(plan):
    wanted = {c.id for c in INV.circuits.values() if c.status in ACTIVE_FOR_CONFIG} | set(INV.links)
    assert {link.id for link in plan.links} == wanted
    for link in plan.links:
        a, z = plan.router(link.a_router), plan.router(link.z_router)
        assert a.interface(link.a_interface).peer_interface == link.z_interface
        assert z.interface(link.z_interface).peer_router == a.name


def test_interfaces_fit_linux_and_mgmt_is_left_out(plan):
    for r in plan.routers:
        dev = INV.devices[r.name]
        non_mgmt = [i for i in dev.interfaces if i.kind.value != "mgmt"]
        assert [i.inventory_name for i in r.interfaces if i.inventory_name] == [i.name for i in non_mgmt]
        assert all(len(i.name) <= 15 for i in r.interfaces)
    gw = plan.router("lcu-gw01")
    # circuits not configured yet (planned) are not wired: their gateway interfaces are stubs
    unwired = {c.z.interface for c in INV.circuits.values() if c.status not in ACTIVE_FOR_CONFIG}
    assert unwired
    assert {i.inventory_name for i in gw.interfaces if i.kind == "stub"} == unwired
    assert plan.router("lcu-skhcn-ce01").interfaces[0].name == "eth0"        # FRR devices keep their names


def test_config_only_subinterfaces_become_vlans(plan, configs):
    vlans = [(r.name, i.name, i.parent, i.vlan) for r in plan.routers for i in r.interfaces if i.kind == "vlan"]
    assert vlans, "the sample has LAN segments that only the config names"
    for name, itf, parent, vlan in vlans:
        assert f"interface {itf}" in configs[name] and itf == f"{parent}.{vlan}"


def test_expected_adjacencies_follow_the_routing_of_circuits(plan):
    ospf = [c for c in INV.circuits.values() if c.status in ACTIVE_FOR_CONFIG and c.routing.protocol.value == "ospf"]
    assert len(plan.expected_ospf("lcu-gw01")) == len(ospf)
    assert sorted(a for a, _ in plan.expected_bgp("lcu-skhcn-ce01")) == ["10.12.240.13", "2001:db8:12:ff03::3"]
    assert plan.expected_lldp("lcu-tu-fw01") == [("e0", "lcu-tu-ce01", "e1"), ("e1", "lcu-tu-sw01", "e0")]


def test_bad_selection_tag_and_slot_are_refused():
    with pytest.raises(GovnetError) as exc:
        plan_lab(INV, [])
    assert exc.value.code == "LAB-005"
    with pytest.raises(GovnetError):
        plan_lab(INV, ["lcu-gw01"], tag="Bad-Tag")
    with pytest.raises(GovnetError):
        plan_lab(INV, ["lcu-gw01"], slot=0)


def test_baseline_keeps_only_hostname_and_addresses(configs):
    base = baseline_config(configs["lcu-tu-ce01"])
    assert base.startswith("hostname lcu-tu-ce01\n")
    assert "ip address 10.12.240.2/30" in base
    assert "router ospf" not in base and "description" not in base and "log syslog" not in base


def test_drift_covers_every_kind_that_frr_can_hold_and_changes_one_thing(configs):
    roles = {n: d.role.value for n, d in INV.devices.items()}
    drifted, drifts = seed_drift(configs, roles)
    assert set(drifted) == set(configs)
    kinds = {d.kind for ds in drifts.values() for d in ds}
    assert kinds == set(DRIFT_KINDS) - {"vty_acl"}   # the FRR templates have no 'line vty' (FRR has no vty ACL there)
    for name, ds in drifts.items():
        assert len(ds) == 1
        before = [line for b in parse_blocks(configs[name]) for line in b.lines()]
        after = [line for b in parse_blocks(drifted[name]) for line in b.lines()]
        d = ds[0]
        gone = [line for line in before if line not in after]
        new = [line for line in after if line not in before]
        assert gone == ([d.intended] if d.intended else []), name
        assert new == ([d.running] if d.running else []), name
    assert seed_drift(configs, roles) == (drifted, drifts)        # deterministic
    assert all(d.kind != "forwarding" for n, ds in drifts.items() if roles[n] == "gateway" for d in ds)


def test_drift_that_does_not_apply_is_refused():
    with pytest.raises(ValueError):
        apply_drift("hostname r1\n", "ospf_cost")


def test_parsers_on_recorded_frr_and_lldpd_output():
    full = ospf_full_interfaces(__import__("json").loads((FIX / "ospf_neighbor.json").read_text()))
    assert full == {"e2"}
    est = bgp_established(__import__("json").loads((FIX / "bgp_summary.json").read_text()))
    assert est == {"10.0.12.1", "10.12.240.14", "2001:db8:0:12::", "2001:db8:12:ff03::2"}
    many = lldp_neighbors((FIX / "lldp_neighbors_gw.json").read_text())
    assert ("e2", "lcu-tu-ce01", "e0") in many and ("e0", "rcn-pe01", "e0") in many and len(many) == 4
    assert lldp_neighbors((FIX / "lldp_neighbors_one.json").read_text()) == {("e0", "lcu-tu-fw01", "e1")}
    assert lldp_neighbors("not json") == set()


def test_generated_files(plan, tmp_path):
    paths = LabPaths(tmp_path, plan.tag)
    text = sshd_config(plan, 0, paths, "gvuser")
    assert text.count("ListenAddress") == len(plan.sshd_groups[0]) <= 16
    assert "Port 2222" in text and "AllowUsers gvuser" in text and "PermitRootLogin no" in text
    assert f'ForceCommand sudo -n {paths.login} gv1 "$SSH_ORIGINAL_COMMAND"' in text
    assert "bgpd=yes" in daemons_file(True) and "bgpd=no" in daemons_file(False)
    wrapper = login_wrapper(paths.run)
    assert "vtysh -N" in wrapper and "setpriv" in wrapper and str(paths.run) in wrapper
    hosts = overlay_data(plan)["hosts"]
    assert set(hosts) == set(INV.devices)
    assert all(h["platform"] == "frr" and "password" not in str(h) for h in hosts.values())


def test_missing_packages_are_named_with_the_apt_get_line(monkeypatch):
    from nornir_tasks.lab import executor

    if os.geteuid() != 0:
        with pytest.raises(GovnetError) as exc:
            executor.preflight()
        assert exc.value.code == "LAB-001"
        return
    monkeypatch.setitem(executor.REQUIRED, "/usr/lib/frr/no-such-daemon", "frr-extra")
    with pytest.raises(GovnetError) as exc:
        executor.preflight()
    assert exc.value.code == "LAB-002"
    assert "frr-extra" in exc.value.message and "apt-get install -y frr" in exc.value.hint
