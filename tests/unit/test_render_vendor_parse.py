"""Intended configs of the vendor platforms we cannot run here (Huawei VRP, Juniper Junos, Arista EOS).

Each config is written in the vendor's documented syntax. What we can check without the vendor's software:
every rendered config parses with hier_config (the platform table names the driver; a duplicated line or
section raises ``DuplicateChildError``), no line is lost in parsing, rendering is byte-for-byte
deterministic, and the lines that carry the national baseline are there (SSH on, Telnet off, the approved NTP
servers, the central log collector, SNMPv3 only, circuit ids in descriptions, routing per circuit, one gateway
per LAN segment, secrets only as placeholders).

The golden fixtures of these platforms (``tests/fixtures/render/<platform>/<case>/expected.cfg``) are compared
with the renderer by ``test_render_golden.py``; here they must also parse.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hier_config import HConfig, Platform, get_hconfig

from nornir_tasks.platforms.masking import emits_for
from nornir_tasks.inventory.load import load_or_raise
from nornir_tasks.model import Inventory, SharedData
from nornir_tasks.platforms import info
from nornir_tasks.render.context import RenderContext, build_context
from nornir_tasks.render.engine import Renderer

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
FIXTURES = ROOT / "tests" / "fixtures" / "render"
VENDORS = ("huawei_vrp", "juniper_junos", "arista_eos")


@pytest.fixture(scope="module")
def inv() -> Inventory:
    return load_or_raise(ROOT / "inventory").inventory


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer(TEMPLATES)


def _sample_devices() -> list[str]:
    inv = load_or_raise(ROOT / "inventory").inventory
    return [d.name for d in inv.devices.values() if d.platform.value in VENDORS]


def _parse(platform: str, text: str) -> HConfig:
    return get_hconfig(Platform[info(platform).hier_config_os], text)


def _config_lines(platform: str, text: str) -> list[str]:
    """The lines a device would take: no comments, no EOS banner (hier_config folds it into one node), no end marker,
    no VRP view exit ('quit' leaves a view; it is not configuration)."""
    out, in_banner = [], False
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if in_banner:
            in_banner = line != "EOF"
            continue
        if not line or line.startswith(info(platform).comment_prefixes) or line in ("end", "return") \
                or (platform == "huawei_vrp" and line == "quit"):
            continue
        if platform == "arista_eos" and line.startswith("banner "):
            in_banner = True
            continue
        out.append(line)
    return out


def _texts(hc: HConfig) -> set[str]:
    return {child.text for child in hc.all_children()}


def _has(hc: HConfig, *path: str) -> bool:
    node: HConfig | object | None = hc
    for text in path:
        node = node.get_child(equals=text) if node is not None else None  # type: ignore[attr-defined]
    return node is not None


# What "SSH on, Telnet off, NTP, logging, SNMPv3" looks like on each platform, as hier_config sees it.
def _baseline_huawei(hc: HConfig, ctx: RenderContext) -> None:
    assert _has(hc, f"sysname {ctx.device.name}")
    assert _has(hc, "stelnet server enable") and _has(hc, "undo ssh server compatible-ssh1x enable")
    assert _has(hc, "undo telnet server enable") and not _has(hc, "telnet server enable")
    assert _has(hc, "user-interface vty 0 4", "protocol inbound ssh")
    for server in ctx.cfg.ntp_servers or ():
        assert _has(hc, f"ntp-service unicast-server {server}")
    for host in ctx.cfg.logging_hosts or ():
        assert _has(hc, f"info-center loghost {host}")
    assert _has(hc, "snmp-agent sys-info version v3")
    for user in ctx.cfg.local_users or ():
        assert _has(hc, "aaa", f"local-user {user.name} password irreversible-cipher <secret:{user.secret_env}_VRP>")
    if ctx.cfg.tacacs_servers:
        assert _has(hc, "aaa", "authentication-scheme TSLCD", "authentication-mode hwtacacs local")


def _baseline_eos(hc: HConfig, ctx: RenderContext) -> None:
    assert _has(hc, f"hostname {ctx.device.name}")
    assert _has(hc, "management ssh", "no shutdown") and not _has(hc, "management ssh", "shutdown")
    assert _has(hc, "management telnet", "shutdown")
    for server in ctx.cfg.ntp_servers or ():
        assert any(t.startswith(f"ntp server {server}") for t in _texts(hc))
    for host in ctx.cfg.logging_hosts or ():
        assert _has(hc, f"logging host {host}")
    for user in ctx.cfg.snmp_users or ():
        assert any(t.startswith(f"snmp-server user {user.name} {user.group} v3 auth ") for t in _texts(hc))
    if ctx.cfg.tacacs_servers:
        assert _has(hc, "aaa authentication login default group TSLCD-TACACS local")
    if ctx.cfg.banner:
        assert any(t.startswith("banner login") and ctx.cfg.banner in t for t in _texts(hc))


def _baseline_junos(hc: HConfig, ctx: RenderContext) -> None:
    texts = _texts(hc)
    assert f"set system host-name {ctx.device.name}" in texts
    assert "set system services ssh protocol-version v2" in texts
    assert "set system services ssh root-login deny" in texts
    assert not any(t.startswith("set system services telnet") for t in texts)
    for server in ctx.cfg.ntp_servers or ():
        assert f"set system ntp server {server}" in texts
    for host in ctx.cfg.logging_hosts or ():
        assert f"set system syslog host {host} any notice" in texts
    assert any(t.startswith("set snmp v3 usm local-engine user ") for t in texts)
    if ctx.cfg.tacacs_servers:
        assert "set system authentication-order tacplus" in texts


BASELINE = {"huawei_vrp": _baseline_huawei, "arista_eos": _baseline_eos, "juniper_junos": _baseline_junos}


@pytest.mark.parametrize("host", _sample_devices())
def test_sample_device_parses_and_holds_the_baseline(inv: Inventory, renderer: Renderer, host: str) -> None:
    platform = inv.devices[host].platform.value
    text = renderer.render(inv, host)
    hc = _parse(platform, text)                      # raises DuplicateChildError on a repeated line/section
    ctx = build_context(inv, host)

    # nothing is dropped or merged on the way into the tree
    missing = [line for line in _config_lines(platform, text) if line not in _texts(hc)]
    assert not missing, f"lines hier_config did not keep: {missing[:5]}"

    BASELINE[platform](hc, ctx)

    # SNMPv3 only; secrets only as placeholders naming environment variables
    assert "community" not in text
    # the local users' variable carries the platform's suffix: one variable per encoded form (platforms/*/secrets.py)
    user_suffix = next(e.suffix for e in emits_for(platform) if e.kind == "local_user")
    envs = {u.secret_env + user_suffix for u in ctx.cfg.local_users or ()}
    envs |= {s.key_env for s in (ctx.cfg.tacacs_servers or ()) + (ctx.cfg.radius_servers or ())}
    envs |= {e for u in ctx.cfg.snmp_users or () for e in (u.auth_env, u.priv_env)}
    assert set(re.findall(r"<secret:([A-Z0-9_]+)>", text)) == envs

    # circuit ids in descriptions; routing as each circuit says
    description_lines = [line for line in text.splitlines() if " description " in f" {line.strip()}"]
    for c in ctx.circuits:
        assert any(c.id in line for line in description_lines), f"{c.id} is in no description"
    if ctx.bgp:
        for n in ctx.bgp.neighbors:
            assert str(n.address) in text
    if ctx.ospf:
        for i, _area in ctx.ospf.interfaces:
            assert i.name in text
    for _prefix, hop in ctx.statics:
        assert str(hop) in text

    # every LAN this device routes has its gateway address and an ingress filter (a firewall: an address-book
    # entry its zone policies use) named after it
    for seg in ctx.segments:
        if seg.gateway_ipv4 is not None:
            assert str(seg.gateway_ipv4.ip) in text
            assert (f"LAN-{seg.name} " if ctx.device.role.value == "firewall" else f"SEG-{seg.name}-IN") in text


def test_rendering_is_deterministic_and_cache_transparent(inv: Inventory, renderer: Renderer) -> None:
    # the shared renderer has cached the shared-data snippets of every device rendered before; a fresh
    # renderer over a freshly loaded inventory without the cache must give the same bytes
    fresh = Renderer(TEMPLATES, cache=False)
    again = load_or_raise(ROOT / "inventory").inventory
    for host in _sample_devices():
        assert renderer.render(inv, host).encode() == fresh.render(again, host).encode(), host


def test_firewall_keeps_lans_apart_and_closed_to_the_tslcd(inv: Inventory, renderer: Renderer) -> None:
    firewalls = [d.name for d in inv.devices.values()
                 if d.platform.value == "juniper_junos" and d.role.value == "firewall"]
    assert firewalls
    for host in firewalls:
        texts = _texts(_parse("juniper_junos", renderer.render(inv, host)))
        assert "set security policies default-policy deny-all" in texts
        assert not any("from-zone trust to-zone trust" in t for t in texts)
        assert any(t.startswith("set security zones security-zone tslcd interfaces ") for t in texts)
        assert any(t.startswith("set security zones security-zone trust interfaces ") for t in texts)
        deny = "set security policies from-zone tslcd to-zone trust policy TSLCD-TO-LAN-DENY then deny"
        assert deny in texts
        assert any(t.startswith("set routing-options static route 0.0.0.0/0 next-hop ") for t in texts)


def test_ce_router_routes_to_the_lans_behind_its_firewall(inv: Inventory, renderer: Renderer) -> None:
    # lcu-hdnd-ce01 (Huawei) has a firewall that routes the site's LANs; OSPF must announce them
    hc = _parse("huawei_vrp", renderer.render(inv, "lcu-hdnd-ce01"))
    for lan in inv.lans:
        if lan.site == "12-hdnd" and lan.ipv4 is not None:
            assert any(t.startswith(f"ip route-static {lan.ipv4.network_address} {lan.ipv4.netmask} ")
                       for t in _texts(hc))
    assert _has(hc, "ospf 1 router-id 10.12.255.13", "import-route static route-policy LAN-BEHIND-FW")


def _fixture_cases() -> list[Path]:
    return sorted(p for platform in VENDORS for p in (FIXTURES / platform).glob("*/") if (p / "case.yaml").exists())


@pytest.mark.parametrize("case", _fixture_cases(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_golden_expected_config_parses(case: Path) -> None:
    platform = case.parent.name
    text = (case / "expected.cfg").read_text(encoding="utf-8")
    hc = _parse(platform, text)
    assert _config_lines(platform, text) and not [
        line for line in _config_lines(platform, text) if line not in _texts(hc)]


@pytest.mark.parametrize("platform", VENDORS)
def test_every_vendor_platform_has_cases_and_says_its_syntax_is_unverified(platform: str) -> None:
    folder = FIXTURES / platform
    assert [p for p in folder.glob("*/case.yaml")], f"no golden case for {platform}"
    note = (folder / "README.md").read_text(encoding="utf-8")
    assert "documented syntax" in note


def _variant(inv: Inventory, defaults: dict[str, object]) -> Inventory:
    """The sample network with other national defaults and no group data, interfaces given VRFs, MTU, cost
    and a shut port, so every optional branch of the templates runs."""
    devices = {}
    for name, dev in inv.devices.items():
        itfs = []
        for pos, itf in enumerate(dev.interfaces):
            extra: dict[str, object] = {}
            if itf.kind.value == "wan":
                extra = {"mtu": 1500, "ospf_cost": 10}
            elif itf.kind.value == "lan" and pos == len(dev.interfaces) - 2:
                extra = {"vrf": "AGENCY"}
            elif itf.kind.value == "mgmt":
                extra = {"enabled": False}
            itfs.append(itf.model_copy(update=extra))
        devices[name] = dev.model_copy(update={"interfaces": tuple(itfs)})
    return inv.model_copy(update={"defaults": SharedData.model_validate(defaults), "groups": {}, "devices": devices})


VARIANTS = {
    "no_shared_data": {},
    "ipv6_servers_radius_only": {
        "ntp_servers": ["2001:db8:0:250::1"], "logging_hosts": ["2001:db8:0:251::10", "10.0.251.10"],
        "radius_servers": [{"address": "2001:db8:0:250::20", "key_env": "GOVNET_RADIUS_KEY"}],
        "mgmt_acl": ["2001:db8:0:252::/64"], "banner": 'Cảnh báo: "chỉ người được cấp quyền"',
        "local_users": [{"name": "ops", "privilege": 5, "secret_env": "GOVNET_OPS_HASH"}],
        "snmp_users": [{"name": "mon", "group": "RO", "auth_env": "GOVNET_SNMP_AUTH", "priv_env": "GOVNET_SNMP_PRIV"}],
        "snmp_location": "Trung tâm dữ liệu",
    },
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_optional_data_renders_and_parses(inv: Inventory, variant: str) -> None:
    changed = _variant(inv, VARIANTS[variant])
    fresh = Renderer(TEMPLATES)
    for host in _sample_devices():
        platform = changed.devices[host].platform.value
        text = fresh.render(changed, host)
        hc = _parse(platform, text)
        assert not [line for line in _config_lines(platform, text) if line not in _texts(hc)], host
        assert "community" not in text
        if variant == "no_shared_data":
            assert "<secret:" not in text
            assert not any(k in text for k in ("ntp server", "ntp-service unicast-server", "set system ntp"))
        else:
            assert "2001:db8:0:250::1" in text and "GOVNET_RADIUS_KEY" in text, host
            if any(i.vrf for i in changed.devices[host].interfaces):
                vrf = re.compile(r"^(ip vpn-instance|vrf instance|set routing-instances) AGENCY\b", re.MULTILINE)
                assert vrf.search(text), host
