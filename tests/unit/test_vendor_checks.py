"""Rendered vendor configs a real device takes as meant: the rules are data in each platform package
(``nornir_tasks/platforms/<name>/checks.py``, each citing the vendor page it follows) and every rendered sample
device and golden case must satisfy them. Huawei VRP, Junos and EOS are checked against documented syntax
only (no vendor software runs here); FRR is checked by real FRR (vtysh --dryrun and the readback test).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from nornir_tasks.inventory.load import load_inventory, load_or_raise
from nornir_tasks.model import Inventory, Platform
from nornir_tasks.platforms.checks import checks_of, close_views, violations
from nornir_tasks.platforms.hardware import device_model
from nornir_tasks.render.engine import Renderer
from tests.conftest import ROOT, SAMPLE, edit_yaml

TEMPLATES = ROOT / "templates"
GOLDEN = ROOT / "tests" / "fixtures" / "render"


@pytest.fixture(scope="module")
def inv() -> Inventory:
    return load_or_raise(SAMPLE).inventory


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer(TEMPLATES)


def _sample_hosts() -> list[str]:
    return list(load_or_raise(SAMPLE).inventory.devices)


def _golden_cases() -> list[Path]:
    return sorted(p for p in GOLDEN.glob("*/*") if (p / "expected.cfg").is_file())


@pytest.mark.parametrize("host", _sample_hosts())
def test_sample_device_follows_its_platform_rules(inv: Inventory, renderer: Renderer, host: str) -> None:
    dev = inv.devices[host]
    text = renderer.render(inv, host)
    assert violations(dev.platform.value, text, device_model(dev.platform.value, dev.model)) == []


@pytest.mark.parametrize("case", _golden_cases(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_golden_case_follows_its_platform_rules(case: Path) -> None:
    spec = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
    inv = load_inventory(case / "inventory").inventory
    dev = inv.devices[spec["host"]]
    platform = spec.get("platform") or dev.platform.value
    hw = device_model(platform, dev.model) if platform == dev.platform.value else None
    assert violations(platform, (case / "expected.cfg").read_text(encoding="utf-8"), hw) == []


def test_every_rule_cites_its_source_and_says_why() -> None:
    rules = [c for p in Platform for c in checks_of(p.value)]
    assert len(rules) >= 12
    for rule in rules:
        assert rule.source.startswith("https://") and len(rule.why) > 20, rule.id
    assert len({r.id for r in rules}) == len(rules)


# -- Huawei VRP ---------------------------------------------------------------------------------------------
def test_vrp_undo_telnet_runs_in_the_system_view(inv: Inventory, renderer: Renderer) -> None:
    lines = renderer.render(inv, "lcu-hdnd-ce01").splitlines()
    at = lines.index("undo telnet server enable")
    assert lines[at - 2:at] == [" quit", "#"] and lines[at - 3].startswith(" rule 1000 deny")


def test_close_views_is_what_the_rule_checks() -> None:
    text = "#\nacl number 2000\n rule 5 permit\n#\nundo telnet server enable\naaa\n scheme a\n  mode x\n#\nreturn\n"
    assert violations("huawei_vrp", text) != []
    assert violations("huawei_vrp", close_views(text)) == []


def test_vrp_ipv6_is_enabled_in_the_system_view_first(inv: Inventory, renderer: Renderer) -> None:
    lines = renderer.render(inv, "lcu-hdnd-ce01").splitlines()
    assert "ipv6" in lines and lines.index("ipv6") < lines.index(" ipv6 enable")


def test_ar6140_routed_ports_leave_layer_2(inv: Inventory, renderer: Renderer) -> None:
    text = renderer.render(inv, "lcu-stc-ce01")
    for port in ("GigabitEthernet0/0/0", "GigabitEthernet0/0/1", "GigabitEthernet0/0/4"):
        assert f"interface {port}\n undo portswitch\n" in text
    assert "MEth" not in text


def _ne40e_text() -> str:
    case = GOLDEN / "huawei_vrp" / "gateway_ne40e"
    inv = load_inventory(case / "inventory").inventory
    return Renderer(TEMPLATES).render(inv, "lcu-gw01")


def test_ne40e_ports_come_up_and_the_change_is_committed() -> None:
    text = _ne40e_text()
    assert text.endswith("#\ncommit\n#\nreturn\n")
    sections = re.findall(r"(?ms)^interface (GigabitEthernet\S+)\n(.*?)^#", text)
    assert sections and all(" undo shutdown\n" in body for _name, body in sections)


def test_ne40e_is_driven_as_vrp8() -> None:
    from nornir_tasks.inventory.plugin import _platform_conn

    assert _platform_conn("huawei_vrp", "NE40E-X3A")["netmiko"].platform == "huawei_vrpv8"
    assert _platform_conn("huawei_vrp", "AR6140-S")["netmiko"].platform == "huawei"
    assert _platform_conn("huawei_vrp", None)["netmiko"].platform == "huawei"


def _usg_copy(inv_copy: Path) -> Path:
    def to_usg(d: dict) -> None:
        fw = d["lcu-hdnd-fw01"]
        fw["platform"] = "huawei_vrp"
        fw["data"].update(vendor="Huawei", model="USG6525E", os_version="V600R007C20SPC600")
        names = {"ge-0/0/0": "GigabitEthernet1/0/0", "ge-0/0/1": "GigabitEthernet1/0/1",
                 "ge-0/0/2": "GigabitEthernet1/0/2", "fxp0": "GigabitEthernet0/0/0"}
        for itf in fw["data"]["interfaces"]:
            itf["name"] = names[itf["name"]]

    def links(d: dict) -> None:
        for link in d.values():
            for side in ("a", "z"):
                if link[side]["device"] == "lcu-hdnd-fw01":
                    link[side]["interface"] = {"ge-0/0/0": "GigabitEthernet1/0/0",
                                               "ge-0/0/1": "GigabitEthernet1/0/1"}[link[side]["interface"]]

    edit_yaml(inv_copy / "hosts.yaml", to_usg)
    edit_yaml(inv_copy / "links.yaml", links)
    return inv_copy


def test_usg_administrators_are_manager_users(inv_copy: Path) -> None:
    result = load_inventory(_usg_copy(inv_copy))
    assert result.errors == [], [f.sentence() for f in result.errors]
    text = Renderer(TEMPLATES).render(result.inventory, "lcu-hdnd-fw01")
    assert " manager-user netadmin\n  password cipher <secret:GOVNET_NETADMIN_HASH_VRP>\n" in text
    assert "  level 15\n" in text and "privilege level" not in text
    assert " domain default\n" in text and "default_admin" not in text
    hw = device_model("huawei_vrp", "USG6525E")
    assert violations("huawei_vrp", text, hw) == []


# -- Juniper SRX --------------------------------------------------------------------------------------------
def test_srx_ce_router_has_zones_that_admit_its_own_protocols(inv: Inventory, renderer: Renderer) -> None:
    text = renderer.render(inv, "lcu-than-uyen-ce01")     # SRX345 CE, BGP to the gateway
    zone = "set security zones security-zone tslcd interfaces ge-0/0/0.0 host-inbound-traffic"
    assert f"{zone} protocols bgp" in text and f"{zone} system-services ssh" in text
    assert "set security zones security-zone trust interfaces ge-0/0/1.0 " in text
    assert "set security policies from-zone trust to-zone tslcd policy ROUTE-TRUST-TO-TSLCD then permit" in text


def test_srx300_is_managed_in_band(inv_copy: Path) -> None:
    def srx300(d: dict) -> None:
        fw = d["lcu-tu-fw01"]["data"]
        fw["model"] = "SRX300"
        for itf in fw["interfaces"]:
            if itf["name"] == "fxp0":
                itf["name"] = "ge-0/0/7"

    edit_yaml(inv_copy / "hosts.yaml", srx300)
    result = load_inventory(inv_copy)
    assert result.errors == [], [f.sentence() for f in result.errors]
    text = Renderer(TEMPLATES).render(result.inventory, "lcu-tu-fw01")
    assert "fxp0" not in text and "management-instance" not in text
    assert "set security zones security-zone mgmt interfaces ge-0/0/7.0 host-inbound-traffic system-services ssh" in text
    assert violations("juniper_junos", text, device_model("juniper_junos", "SRX300")) == []


# -- Cisco IOS-XE and Arista EOS ------------------------------------------------------------------------------
def test_ios_management_vrf_is_defined_first_and_routed(inv: Inventory, renderer: Renderer) -> None:
    lines = renderer.render(inv, "lcu-tu-ce01").splitlines()
    first_use = next(n for n, ln in enumerate(lines) if "Mgmt-intf" in ln)
    assert lines[first_use] == "vrf definition Mgmt-intf"
    assert "ip route vrf Mgmt-intf 0.0.0.0 0.0.0.0 10.12.254.254" in lines


def test_ios_banner_has_a_real_delimiter(inv: Inventory, renderer: Renderer) -> None:
    text = renderer.render(inv, "lcu-tu-ce01")
    assert "^C" not in text
    m = re.search(r"(?m)^banner motd (\S)\n(.*)\n(\S)$", text)
    assert m and m.group(1) == m.group(3) and m.group(1) not in m.group(2)


def test_ios_banner_as_the_device_prints_it_is_compliant(inv: Inventory, renderer: Renderer) -> None:
    from nornir_tasks.compliance.check import compare_text

    intended = renderer.render(inv, "lcu-tu-ce01")
    running = re.sub(r"(?m)^banner motd #$", "banner motd ^C", intended).replace("\n#\n", "\n^C\n", 1)
    assert "^C" in running
    banner = next(f for f in compare_text("cisco_ios", intended, running).features if f.name == "banner")
    assert banner.compliant


def test_snmp_authenticates_with_sha256_where_the_release_has_it(inv: Inventory, renderer: Renderer) -> None:
    new = renderer.render(inv, "lcu-tu-ce01")             # IOS-XE 17.9
    old = renderer.render(inv, "lcu-tan-uyen-ce01")       # IOS 15.5: SHA-1 is all it has
    assert " v3 auth sha-2 256 <secret:" in new
    assert " v3 auth sha <secret:" in old
    assert " v3 auth sha256 " in renderer.render(inv, "lcu-snv-ce01")
    assert "authentication-mode sha2-256" in renderer.render(inv, "lcu-hdnd-ce01")


def test_dcs_7010tx_carries_lan_segments_as_vlans(inv: Inventory, renderer: Renderer) -> None:
    text = renderer.render(inv, "lcu-snv-ce01")
    assert "encapsulation dot1q" not in text and "interface Ethernet2.30" not in text
    assert "interface Vlan30\n" in text and "switchport trunk native vlan 10" in text
    lines = text.splitlines()
    vlan10 = lines.index("interface Vlan10")
    assert lines[vlan10 + 2].startswith("   ip address ")


def test_eos_ssh_authentication_syntax_follows_the_release(inv: Inventory, renderer: Renderer) -> None:
    assert "authentication protocol keyboard-interactive password" in renderer.render(inv, "lcu-pa-tan-ce01")
    assert "authentication mode " not in renderer.render(inv, "lcu-snv-ce01")


# -- every platform advertises its loopback in OSPF -----------------------------------------------------------
LOOPBACK_ADVERTISED = {
    "cisco_ios": r"(?m)^ network {lo} 0\.0\.0\.0 area 0$",
    "huawei_vrp": r"(?m)^  network {lo} 0\.0\.0\.0$",
    "juniper_junos": r"(?m)^set protocols ospf area 0\.0\.0\.0 interface lo0\.0 passive$",
    "arista_eos": r"(?m)^   network {lo}/32 area 0\.0\.0\.0$",
    "frr": r"(?m)^interface lo\n ip address {lo}/32\n ip ospf area 0\n",
}


@pytest.mark.parametrize("platform", list(LOOPBACK_ADVERTISED))
def test_every_platform_advertises_its_loopback(inv_copy: Path, platform: str) -> None:
    edit_yaml(inv_copy / "hosts.yaml", lambda d: d["lcu-sin-ho-ce01"].update(platform=platform))
    inv = load_inventory(inv_copy).inventory
    lo = str(inv.devices["lcu-sin-ho-ce01"].loopback_ipv4.ip)
    text = Renderer(TEMPLATES).render(inv, "lcu-sin-ho-ce01")
    assert re.search(LOOPBACK_ADVERTISED[platform].format(lo=re.escape(lo)), text), text


# -- the generator's models (SRX300, AR651, USG6525E, NE40E, MX204, ASR1002-HX …) follow the rules too -------
def test_a_generated_province_follows_every_platform_rule(tmp_path: Path) -> None:
    from nornir_tasks.inventory.generate import generate

    generate("province=01", 1, tmp_path / "inv")
    result = load_inventory(tmp_path / "inv")
    assert result.errors == []
    inv = result.inventory
    renderer = Renderer(TEMPLATES)
    models = set()
    for dev in inv.devices.values():
        hw = device_model(dev.platform.value, dev.model)
        models.add(dev.model)
        assert violations(dev.platform.value, renderer.render(inv, dev.name), hw) == [], dev.name
    assert {"SRX300", "AR651", "USG6525E", "DCS-7010TX-48"} <= models


@pytest.mark.parametrize(("version", "auth"), [("15.9(3)M7", "sha"), ("16.12.4", "sha"), ("17.3.1", "sha-2 256")])
def test_snmp_sha2_starts_at_the_declared_release(inv_copy: Path, version: str, auth: str) -> None:
    from nornir_tasks.platforms.cisco_ios.checks import SNMP_SHA2_FROM_MAJOR

    assert (int(version.split(".")[0]) >= SNMP_SHA2_FROM_MAJOR) == (auth != "sha")
    edit_yaml(inv_copy / "hosts.yaml", lambda d: d["lcu-tu-ce01"]["data"].update(os_version=version))
    text = Renderer(TEMPLATES).render(load_inventory(inv_copy).inventory, "lcu-tu-ce01")
    assert f" v3 auth {auth} <secret:GOVNET_SNMP_AUTH>" in text
