"""Regression tests for the remediation and rollback defects of issue [A1] §2, [R2] items 4–5 and [T1] (placeholder
keyed by line alone). Each failed on the code before the platform registry (commit a27db9c): the configs are in
the vendors' documented syntax (Cisco IOS XE configuration guides; FRR lines as FRR 8.4 prints them)."""

from __future__ import annotations

import pytest

from nornir_tasks.compliance.check import compare_text
from nornir_tasks.compliance.remediation import placeholder_map, predict, restore_placeholders
from nornir_tasks.compliance.secrets import MASK, mask_secrets


def _lines(text: str, comment: str = "!") -> list[str]:
    """The command lines of a remediation (refusal comments left out)."""
    return [ln for ln in text.splitlines() if ln.strip() and not ln.startswith(comment)]


def _cmp(plat: str, intended: str, running: str):
    return compare_text(plat, mask_secrets(plat, intended), mask_secrets(plat, running))


# --- FRR: a changed interface address is removed, not kept beside the new one --------------------------------

def test_frr_interface_address_change_removes_the_old_address() -> None:
    intended = "interface eth1\n ip address 10.0.0.5/30\nexit\n"
    running = "interface eth1\n ip address 10.0.0.1/30\nexit\n"
    comp = _cmp("frr", intended, running)
    assert [ln.strip() for ln in _lines(comp.remediation)] == [
        "interface eth1", "ip address 10.0.0.5/30", "no ip address 10.0.0.1/30", "exit"]
    assert [ln.strip() for ln in _lines(comp.rollback)] == [
        "interface eth1", "ip address 10.0.0.1/30", "no ip address 10.0.0.5/30", "exit"]
    after = predict("frr", running, comp.remediation)
    assert _cmp("frr", intended, after).compliant, after


def test_napalm_frr_uses_the_same_rules_for_an_address_change() -> None:
    from napalm_frr import config as frrconf

    cmds = frrconf.commands(frrconf.remediation("interface eth1\n ip address 10.0.0.1/30\n",
                                                "interface eth1\n ip address 10.0.0.5/30\n"))
    assert cmds == ["interface eth1", "ip address 10.0.0.5/30", "no ip address 10.0.0.1/30", "exit"]


# --- placeholders: keyed by parent path and line, so TACACS+ keeps its own key --------------------------------

_AAA_INTENDED = """\
tacacs server TAC1
 address ipv4 10.0.250.10
 key 6 <secret:GOVNET_TACACS_KEY>
radius server RAD1
 address ipv4 10.0.250.20
 key 6 <secret:GOVNET_RADIUS_KEY>
"""
_AAA_RUNNING = """\
tacacs server TAC1
 address ipv4 10.0.250.11
radius server RAD1
 address ipv4 10.0.250.21
"""


def test_tacacs_and_radius_keys_keep_their_own_placeholder() -> None:
    masked = mask_secrets("cisco_ios", _AAA_INTENDED)
    # the remediation as hier_config prints it from the masked configs (both servers new)
    remediation = masked.replace("\n ", "\n  ")
    text = restore_placeholders(remediation, placeholder_map(_AAA_INTENDED, masked))
    blocks = text.split("radius server RAD1")
    assert len(blocks) == 2, text
    assert "key 6 <secret:GOVNET_TACACS_KEY>" in blocks[0] and "GOVNET_RADIUS_KEY" not in blocks[0], text
    assert "key 6 <secret:GOVNET_RADIUS_KEY>" in blocks[1] and "GOVNET_TACACS_KEY" not in blocks[1], text


def test_compare_puts_each_placeholder_back_under_its_own_section() -> None:
    masked = mask_secrets("cisco_ios", _AAA_INTENDED)
    comp = compare_text("cisco_ios", masked, mask_secrets("cisco_ios", _AAA_RUNNING), original_intended=_AAA_INTENDED)
    tac, rad = comp.remediation.split("radius server RAD1")
    assert "<secret:GOVNET_TACACS_KEY>" in tac and "<secret:GOVNET_RADIUS_KEY>" in rad
    assert MASK not in comp.remediation


# --- single-valued commands replace; protected lines stay ------------------------------------------------------

def test_hostname_is_replaced_never_negated() -> None:
    comp = _cmp("cisco_ios", "hostname lcu-sin-ho-ce01\n", "hostname Router\n")
    assert _lines(comp.remediation) == ["hostname lcu-sin-ho-ce01"]
    assert _lines(comp.rollback) == ["hostname Router"]


def test_vty_and_console_lines_are_never_removed() -> None:
    intended = "line con 0\n exec-timeout 5 0\nline vty 0 15\n transport input ssh\n"
    running = "line vty 0 4\n transport input ssh\n"
    comp = _cmp("cisco_ios", intended, running)
    assert not any(ln.startswith(("no line vty", "no line con")) for ln in _lines(comp.remediation))
    assert not any(ln.startswith(("no line vty", "no line con")) for ln in _lines(comp.rollback))
    assert {(r.code, r.side, r.line) for r in comp.refused} == {
        ("CMP-005", "remediation", "no line vty 0 4"), ("CMP-005", "rollback", "no line con 0"),
        ("CMP-005", "rollback", "no line vty 0 15")}
    assert "! CMP-005 remediation: left out 'no line vty 0 4'" in comp.remediation


def test_a_vrf_is_defined_before_the_lines_that_use_it() -> None:
    intended = ("interface GigabitEthernet0\n vrf forwarding Mgmt-intf\n ip address 10.0.254.2 255.255.255.0\n"
                "ip route vrf Mgmt-intf 0.0.0.0 0.0.0.0 10.0.254.1\n"
                "vrf definition Mgmt-intf\n address-family ipv4\n exit-address-family\n")
    comp = _cmp("cisco_ios", intended, "hostname r1\n")
    lines = _lines(comp.remediation)
    assert lines.index("vrf definition Mgmt-intf") < lines.index("interface GigabitEthernet0")
    assert lines.index("vrf definition Mgmt-intf") < lines.index("ip route vrf Mgmt-intf 0.0.0.0 0.0.0.0 10.0.254.1")
    back = _lines(comp.rollback)
    assert "no vrf definition Mgmt-intf" not in back, "the management VRF is never removed"


def test_rollback_resets_a_physical_port_instead_of_deleting_it() -> None:
    intended = "interface GigabitEthernet0/0/1\n description to lcu-gw01\n ip address 10.12.240.14 255.255.255.252\n"
    comp = _cmp("cisco_ios", intended, "hostname r1\n")
    assert "no interface GigabitEthernet0/0/1" not in _lines(comp.rollback)
    assert "default interface GigabitEthernet0/0/1" in _lines(comp.rollback)
    # a sub-interface is logical: it can go
    comp = _cmp("cisco_ios", "interface GigabitEthernet0/0/1.101\n encapsulation dot1Q 101\n", "hostname r1\n")
    assert "no interface GigabitEthernet0/0/1.101" in _lines(comp.rollback)


def test_the_management_interface_is_never_shut() -> None:
    intended = "interface GigabitEthernet0\n vrf forwarding Mgmt-intf\n ip address 10.0.254.2 255.255.255.0\n"
    running = intended + " shutdown\n"
    comp = _cmp("cisco_ios", intended, running)
    assert [ln.strip() for ln in _lines(comp.remediation)] == ["interface GigabitEthernet0", "no shutdown", "exit"]
    assert not any(ln.strip() == "shutdown" for ln in _lines(comp.rollback))
    assert [r.line for r in comp.refused] == ["interface GigabitEthernet0 / shutdown"]


def test_a_management_interface_named_by_the_inventory_is_protected_too() -> None:
    from nornir_tasks.compliance.guard import GuardContext

    intended = "interface GigabitEthernet0/0/2\n ip address 10.0.254.2 255.255.255.0\n"
    running = "interface GigabitEthernet0/0/2\n ip address 10.0.254.9 255.255.255.0\n"
    plain = compare_text("cisco_ios", intended, running)
    assert "ip address 10.0.254.2 255.255.255.0" in plain.remediation
    guarded = compare_text("cisco_ios", intended, running,
                           context=GuardContext(mgmt_interfaces=("GigabitEthernet0/0/2",)))
    assert "ip address" not in "\n".join(_lines(guarded.remediation))
    assert guarded.refused and guarded.refused[0].code == "CMP-005"


# --- masked secrets are never sent ---------------------------------------------------------------------------

def test_lines_holding_a_masked_secret_are_refused_and_listed() -> None:
    intended = "hostname r1\n"
    running = "hostname r1\nsnmp-server community tslcd-ro RO\nusername olduser privilege 1 password 0 Xy-old-9\n"
    comp = _cmp("cisco_ios", intended, running)
    for text in (comp.remediation, comp.rollback):
        assert not any(MASK in ln for ln in _lines(text)), text
        assert "tslcd-ro" not in text and "Xy-old-9" not in text
    assert "no username olduser" in _lines(comp.remediation)
    assert {(r.code, r.side, r.line) for r in comp.refused} == {
        ("CMP-006", "remediation", "no snmp-server community <secret> RO"),
        ("CMP-006", "rollback", "snmp-server community <secret> RO"),
        ("CMP-006", "rollback", "username olduser privilege 1 password 0 <secret>")}
    assert any("never keeps" in r.reason for r in comp.refused if r.side == "rollback")


# --- banners: one unit on every platform ---------------------------------------------------------------------

_BANNER = "CẢNH BÁO: chỉ người được cấp quyền"


@pytest.mark.parametrize(("plat", "old", "new", "removal"), [
    ("cisco_ios", "banner exec ^C\nSame text\n^C\nbanner motd ^C\nSame text\n^C\n",
     f"banner motd ^C\n{_BANNER}\n^C\n", "no banner exec"),
    ("arista_eos", "banner login\nSame text\nEOF\nbanner motd\nSame text\nEOF\n",
     f"banner motd\n{_BANNER}\nEOF\n", "no banner login"),
    ("frr", "banner motd line Same text\n", "hostname r1\n", "no banner motd"),
    ("huawei_vrp", 'header login information "Same text"\nheader shell information "Same text"\n',
     f'header shell information "{_BANNER}"\n', "undo header login"),
    ("juniper_junos", 'set system login message "Same text"\n', "set system host-name r1\n",
     "delete system login message"),
])
def test_a_banner_is_changed_and_removed_as_one_unit(plat: str, old: str, new: str, removal: str) -> None:
    comp = _cmp(plat, new, old)
    lines = _lines(comp.remediation, "#" if plat in ("huawei_vrp", "juniper_junos") else "!")
    assert removal in lines
    assert not any(ln.strip() == "Same text" or ln.startswith(removal + " ") for ln in lines), lines
    after = predict(plat, old, comp.remediation)          # hier_config reads it back: no DuplicateChildError
    assert _cmp(plat, new, after).compliant, after
    back = predict(plat, after, comp.rollback)
    assert _cmp(plat, old, back).compliant, back


# --- through a whole compliance run: refusals in the report, each server with its own key ------------------------

def test_a_run_lists_refusals_and_keeps_each_servers_placeholder(tmp_path) -> None:
    from datetime import UTC, date, datetime
    from pathlib import Path

    from nornir_tasks.compliance.baseline import BaselineSet
    from nornir_tasks.compliance.run import RunningConfig, run_compliance
    from nornir_tasks.compliance.waivers import WaiverRegister
    from nornir_tasks.inventory.load import load_or_raise
    from nornir_tasks.reports.compliance_markdown import to_markdown
    from nornir_tasks.settings import Settings

    root = Path(__file__).resolve().parents[2]
    fix = root / "tests" / "fixtures" / "compliance" / "cisco_ios" / "drift"
    intended = (fix / "intended.cfg").read_text(encoding="utf-8")
    running = (fix / "running.cfg").read_text(encoding="utf-8")
    # the drift touches both server blocks: each lost its key
    running = "\n".join(ln for ln in running.splitlines() if not ln.startswith(" key ")) + "\n"
    today = date(2026, 11, 25)
    inv = load_or_raise(root / "inventory", today=today).inventory
    run = run_compliance(Settings(inventory_dir=tmp_path, state_dir=tmp_path / ".state", build_dir=tmp_path / "b"),
                         inv, ["lcu-tu-ce01"], {"lcu-tu-ce01": RunningConfig(text=running, collected_at=datetime(
                             2026, 11, 25, 8, 0, tzinfo=UTC))}, {"lcu-tu-ce01": intended}, today,
                         baselines=BaselineSet(()), waivers=WaiverRegister())
    (dev,) = run.devices
    remediation, rollback = run.remediations["lcu-tu-ce01"]
    tacacs = [("tacacs server" + part).split("radius server")[0] for part in remediation.split("tacacs server")[1:]]
    assert len(tacacs) == 2, remediation
    assert all("key 6 <secret:GOVNET_TACACS_KEY>" in b and "GOVNET_RADIUS_KEY" not in b for b in tacacs), remediation
    assert "radius server LCU-RADIUS-1\n  key 6 <secret:GOVNET_RADIUS_KEY>" in remediation, remediation
    assert {r.code for r in dev.refused} == {"CMP-006"}
    assert any("CMP-006" in n for n in dev.notes)
    assert "CMP-006" in to_markdown(run)
    assert not any(MASK in ln for ln in _lines(remediation)) and not any(MASK in ln for ln in _lines(rollback))
    assert dev.remediation_lines == len(_lines(remediation))
