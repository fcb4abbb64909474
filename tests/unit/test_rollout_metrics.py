"""Every named metric on small inventories built to pass or fail exactly one criterion, boundaries included."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from nornir_tasks.rollout.compliance_data import ComplianceView, latest_compliance
from nornir_tasks.rollout.metrics import METRICS, MetricData, parse_params, version_key
from nornir_tasks.store import connect
from tests.unit.rollout_fixtures import circuit, device, gateway, inventory, site, tiny


def states(metric: str, params: dict | None = None, inv=None, compliance=None) -> dict[str, tuple[str, str | None]]:
    inv = inv or tiny()
    data = MetricData.build(inv, compliance)
    p = parse_params(metric, params)
    out = {}
    for sid, s in inv.sites.items():
        o = METRICS[metric].evaluate(data, s, p)
        out[sid] = (o.state, o.reason.key if o.reason else None)
    return out


def test_site_connected_needs_active_level_ii_to_own_province():
    got = states("site_connected")
    assert got["ok"] == ("pass", None)
    assert got["slow"] == ("pass", None)
    assert got["far"] == ("fail", "no_l2_circuit")       # its circuit ends in province 01
    assert got["down"] == ("fail", "no_l2_circuit")      # circuit only planned


def test_site_connected_ignores_level_i_and_internet_circuits():
    gs, gw = gateway()
    s = site("x")
    inv = inventory([gs, s], [gw, device("x-ce", "x", wan=[("eth0", None), ("eth1", None)])],
                    [circuit("C-1", ("x-ce", "eth0"), ("gw12", "g0"), level="I"),
                     circuit("C-2", ("x-ce", "eth1"), ("gw12", "g1"), network="internet")])
    assert states("site_connected", inv=inv)["x"][0] == "fail"


@pytest.mark.parametrize("mbps,expected", [(199, "fail"), (200, "pass"), (201, "pass")])
def test_uplink_bandwidth_boundary(mbps, expected):
    gs, gw = gateway()
    inv = inventory([gs, site("x")], [gw, device("x-ce", "x")], [circuit("C-1", ("x-ce", "eth0"), ("gw12", "g0"), mbps=mbps)])
    state, reason = states("uplink_bandwidth_min", {"mbps": 200}, inv)["x"]
    assert state == expected
    assert reason == (None if expected == "pass" else "uplink_too_slow")


def test_uplink_bandwidth_uses_the_fastest_active_uplink_and_says_when_there_is_none():
    got = states("uplink_bandwidth_min", {"mbps": 200})
    assert got["ok"][0] == "pass"        # 200 + 100 Mbps uplinks: the fastest counts
    assert got["slow"] == ("fail", "uplink_too_slow")
    assert got["down"] == ("fail", "no_uplink")


def test_uplink_reason_carries_the_numbers():
    inv = tiny()
    data = MetricData.build(inv)
    o = METRICS["uplink_bandwidth_min"].evaluate(data, inv.sites["slow"], parse_params("uplink_bandwidth_min", {"mbps": 200}))
    assert o.reason.kwargs() == {"have": 100, "need": 200}


def test_ipv6_on_wan():
    got = states("ipv6_on_wan")
    assert got["ok"] == ("pass", None)
    assert got["slow"] == ("fail", "no_ipv6_wan")
    assert got["down"] == ("fail", "no_uplink")


def test_device_os_min_equal_version_passes_older_fails_other_platform_not_applicable():
    inv = tiny()
    frr = states("device_os_min", {"platform": "frr", "version": "8.4.4"}, inv)
    assert frr["ok"] == ("pass", None)           # 8.4.4 == 8.4.4: exactly on the threshold
    assert frr["slow"] == ("na", None)           # no FRR device there
    newer = states("device_os_min", {"platform": "frr", "version": "8.5"}, inv)
    assert newer["ok"] == ("fail", "os_too_old")
    ios = states("device_os_min", {"platform": "cisco_ios", "version": "17.3"}, inv)
    assert ios["slow"] == ("fail", "os_too_old")


def test_device_os_min_unknown_version_fails_with_its_own_reason():
    gs, gw = gateway()
    inv = inventory([gs, site("x")], [gw, device("x-ce", "x", os_version=None)], [])
    assert states("device_os_min", {"platform": "frr", "version": "8"}, inv)["x"] == ("fail", "os_unknown")


@pytest.mark.parametrize("a,b", [("17.9.4a", "17.9.4"), ("17.10.1", "17.9.9"), ("21.4R3-S5", "21.4R3-S4"),
                                 ("V300R019C10SPC500", "V300R019C10SPC300"), ("9", "8.4.4")])
def test_version_key_orders_vendor_versions(a, b):
    assert version_key(a) > version_key(b)


def test_device_role_present():
    got = states("device_role_present", {"role": "firewall"})
    assert got["ok"] == ("pass", None)
    assert got["slow"] == ("fail", "role_missing")


def test_circuit_redundancy_and_diversity():
    got = states("circuit_redundancy", {})
    assert got["ok"] == ("pass", None)              # two active uplinks
    assert got["slow"] == ("fail", "single_uplink")
    diverse = states("circuit_redundancy", {"diverse": True})
    assert diverse["ok"] == ("fail", "uplinks_same_far_end")   # both end on gw12


def test_site_status_active():
    got = states("site_status_active")
    assert got["ok"] == ("pass", None)
    assert got["down"] == ("fail", "status_not_active")


def test_compliance_metric_without_snapshot_is_no_data_not_zero():
    assert not METRICS["compliant_with_baseline"].available(MetricData.build(tiny()))
    got = states("compliant_with_baseline", {"version": "2025.1"})
    assert got["ok"] == ("no_data", "no_compliance_snapshot")


def test_compliance_metric_reads_device_states():
    view = ComplianceView("r2", "2025-11-01T00:00:00", "national 2025.1",
                          {"ok-ce": "compliant", "ok-fw": "waived", "slow-ce": "non_compliant",
                           "far-ce": "unreachable"})
    got = states("compliant_with_baseline", {"version": "2025.1"}, compliance=view)
    assert got["ok"] == ("pass", None)
    assert got["slow"] == ("fail", "device_state")
    assert got["far"] == ("no_data", "device_state")          # unreachable is not non-compliant
    assert got["down"] == ("no_data", "device_not_checked")
    newer = states("compliant_with_baseline", {"version": "2026.1"}, compliance=view)
    assert newer["ok"] == ("no_data", "baseline_too_old")


def _run(run_id: str, when: str, version: str, states: dict[str, str], only: str = "all"):
    from datetime import datetime

    from nornir_tasks.compliance.run import ComplianceRun, DeviceResult

    devices = tuple(DeviceResult(name=h, site="s", site_name="Điểm s", province="12", region="TDMNPB",
                                 level="commune", role="ce_router", platform="frr", state=st, reason="test")
                    for h, st in states.items())
    taken = datetime.fromisoformat(when)
    return ComplianceRun(run_id=run_id, taken_at=taken, today=taken.date(), only=only, baseline="national",
                         baseline_version=f"national {version}", devices=devices)


def test_latest_compliance_reads_what_the_compliance_stage_stores(tmp_path):
    """The contract with [F4]: runs saved by nornir_tasks.compliance.store.save_run are read back here."""
    from nornir_tasks.compliance.store import save_run

    assert latest_compliance(tmp_path) is None                 # no store: None, and none is created
    assert not list(tmp_path.iterdir())
    conn = connect(tmp_path)
    assert latest_compliance(tmp_path) is None                 # store without compliance tables
    save_run(conn, _run("r1", "2025-10-01T00:00:00+00:00", "2025.1", {"a": "non_compliant", "b": "compliant"}))
    save_run(conn, _run("r2", "2025-11-01T00:00:00+00:00", "2025.2", {"a": "compliant"}))       # --filter a
    save_run(conn, _run("r3", "2025-11-02T00:00:00+00:00", "2025.2", {"a": "non_compliant"}, only="config"))
    conn.close()
    view = latest_compliance(tmp_path)
    assert view is not None and view.run_id == "r2" and view.version() == "2025.2"
    # a: from r2 (r3 was a partial --only run); b: from r1, the last run that checked it
    assert view.states == {"a": "compliant", "b": "compliant"}
    assert view.version("b") == "2025.1" and view.version("a") == "2025.2"


@pytest.mark.parametrize("metric,params", [
    ("uplink_bandwidth_min", {}),
    ("uplink_bandwidth_min", {"mbps": 200, "gbps": 1}),
    ("uplink_bandwidth_min", {"mbps": "fast"}),
    ("device_os_min", {"platform": "nokia_sros", "version": "1"}),
    ("device_role_present", {"role": "router"}),
    ("site_connected", {"x": 1}),
])
def test_params_are_typed(metric, params):
    with pytest.raises(ValidationError):
        parse_params(metric, params)


def test_every_metric_is_documented():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "rollout.md").read_text(encoding="utf-8")
    for name in METRICS:
        assert f"`{name}`" in doc, name
