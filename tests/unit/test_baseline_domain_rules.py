"""Baseline rules A2, A7, C2 and C11 (docs/DOMAIN.md), and every baseline rule citing its instrument."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError

from nornir_tasks.compliance.baseline import Rule, load_baselines
from nornir_tasks.compliance.inventory_rules import (
    RuleContext,
    backbone_diverse_backup,
    no_abolished_district,
    os_supported,
    separate_zones_tslcd_internet,
)
from nornir_tasks.inventory.load import load_or_raise
from nornir_tasks.model import Device, Interface
from tests.unit.rollout_fixtures import circuit, device, gateway, inventory, site

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 11, 25)


def _ctx(inv, today: date = TODAY) -> RuleContext:
    return RuleContext.build(inv, today)


# --- A2 --------------------------------------------------------------------------------------------------
def _backbone(*far_ends: tuple[str, str]):
    gs, gw = gateway("12")
    rc, rc_bk = site("c-rc", level="central", province="01", region="DBSH"), \
        site("c-rc-bk", level="central", province="01", region="DBSH")
    pes = [device("pe1", "c-rc", role="gateway", wan=[("x0", None), ("x1", None)]),
           device("pe2", "c-rc-bk", role="gateway", wan=[("x0", None)])]
    circuits = [circuit(f"L1-{i}", ("gw12", f"g{i}"), (dev, itf), level="I")
                for i, (dev, itf) in enumerate(far_ends)]
    return inventory([gs, rc, rc_bk], [gw, *pes], circuits), gw


@pytest.mark.parametrize("ends,expected", [
    ([("pe1", "x0"), ("pe2", "x0")], []),
    ([("pe1", "x0")], ["fail"]),
    ([], ["fail"]),
    ([("pe1", "x0"), ("pe1", "x1")], ["fail"]),
])
def test_a2_provincial_centre_needs_a_diverse_backup(ends, expected) -> None:
    inv, gw = _backbone(*ends)
    assert [o.status for o in backbone_diverse_backup(_ctx(inv), gw, {})] == expected


def test_a2_passes_on_the_sample() -> None:
    inv = load_or_raise(ROOT / "inventory", today=TODAY).inventory
    assert backbone_diverse_backup(_ctx(inv), inv.devices["lcu-gw01"], {}) == []


# --- A7 --------------------------------------------------------------------------------------------------
def _district(status: str):
    gs, gw = gateway("12")
    d = site("12-h-sin-ho", level="district-legacy", status=status, commune="03478", site_type="peoples_committee")
    ce = device("h-ce", d.id)
    c = circuit("C-H", ("h-ce", "eth0"), ("gw12", "g0"), status="active" if status != "decommissioned"
                else "decommissioned")
    return inventory([gs, d], [gw, ce], [c]), ce, gw


def test_a7_nothing_hangs_off_an_abolished_district() -> None:
    inv, ce, gw = _district("active")
    params = {"abolished_on": date(2025, 7, 1)}
    assert [o.status for o in no_abolished_district(_ctx(inv), ce, params)] == ["fail"]
    assert [o.status for o in no_abolished_district(_ctx(inv), gw, params)] == ["fail"]   # its circuit ends there
    assert no_abolished_district(_ctx(inv, date(2025, 6, 30)), ce, params) == []          # before the reform
    gone, ce2, gw2 = _district("decommissioned")
    assert no_abolished_district(_ctx(gone), ce2, params) == []
    assert no_abolished_district(_ctx(gone), gw2, params) == []


# --- C2 --------------------------------------------------------------------------------------------------
def _edge(role: str, inet_zone: str = "internet"):
    gs, gw = gateway("12")
    s = site("12-stc", level="province")
    isp = site("isp", level="province", site_type="other")
    itfs = (Interface(name="t0", kind="wan", zone="tslcd"), Interface(name="i0", kind="wan", zone=inet_zone))
    edge = Device(name="edge", hostname="192.0.2.9", platform="juniper_junos", site=s.id, role=role, interfaces=itfs)
    isp_r = device("isp-r", "isp")
    cs = [circuit("C-T", ("edge", "t0"), ("gw12", "g0")),
          circuit("C-I", ("edge", "i0"), ("isp-r", "eth0"), network="internet", level=None)]
    return inventory([gs, s, isp], [gw, edge, isp_r], cs), edge


@pytest.mark.parametrize("role,zone,expected", [
    ("firewall", "internet", []),
    ("firewall", "tslcd", ["fail"]),        # both in one zone
    ("ce_router", "internet", ["fail"]),    # no firewall between them
])
def test_c2_tslcd_and_internet_end_in_separate_firewall_zones(role, zone, expected) -> None:
    inv, edge = _edge(role, zone)
    assert [o.status for o in separate_zones_tslcd_internet(_ctx(inv), edge, {})] == expected


# --- C11 -------------------------------------------------------------------------------------------------
TABLE = {"table": [
    {"platform": "juniper_junos", "train": "21.2", "end_of_support": "2024-06-29", "verified": True,
     "source": "https://support.juniper.net/support/eol/software/junos/"},
    {"platform": "juniper_junos", "train": "21.4", "end_of_support": "2025-06-21", "verified": False,
     "source": "https://support.juniper.net/support/eol/software/junos/"},
    {"platform": "cisco_ios", "train": "17.9", "end_of_support": "2030-01-01", "verified": True,
     "source": "https://www.cisco.com/c/en/us/products/eos-eol-listing.html"},
]}


@pytest.mark.parametrize("platform,version,expected", [
    ("juniper_junos", "21.2R3-S4", ["fail"]),    # verified and past
    ("juniper_junos", "21.4R3-S5", ["warn"]),    # past, but the date is not verified: a warning only
    ("juniper_junos", "21.20R1", []),            # another train (no row)
    ("cisco_ios", "17.9.4a", []),                # still supported
    ("frr", "8.4.4", []),                        # no row for the platform
])
def test_c11_os_past_end_of_support(platform, version, expected) -> None:
    gs, _ = gateway("12")
    dev = device("r1", gs.id, platform=platform, os_version=version)
    inv = inventory([gs], [dev], [])
    out = os_supported(_ctx(inv), dev, TABLE)
    assert [o.status for o in out] == expected
    if out:
        assert "support.juniper.net" in out[0].message


def test_c11_table_is_typed_when_the_baseline_loads() -> None:
    with pytest.raises(ValidationError):
        Rule(id="C11", title="t", severity="L", basis="b", check="os_supported",
             params={"table": [{"platform": "juniper_junos", "train": "21.2"}]})   # no date, no source


# --- citations -------------------------------------------------------------------------------------------
def test_every_baseline_rule_cites_its_instrument_and_b6_is_the_ministers_decision() -> None:
    bs = load_baselines(ROOT / "inventory" / "baselines")
    rules = {a.rule.id: a.rule for a in bs.rules_for(TODAY)}
    assert {"A2", "A7", "C2", "C11"} <= set(rules)
    for rid, rule in rules.items():
        assert rule.cites and all(c.kind is not None and c.number for c in rule.cites), rid
    b6 = rules["B6"]
    assert b6.basis_text == "Quyết định số 38/QĐ-BTTTT ngày 14/01/2021 của Bộ Thông tin và Truyền thông"
    assert "TTg" not in b6.basis and "TTg" not in b6.basis_text
    for path in (ROOT / "inventory" / "baselines").rglob("*.yaml"):
        assert "38/2021/QĐ-TTg" not in path.read_text(encoding="utf-8"), path
