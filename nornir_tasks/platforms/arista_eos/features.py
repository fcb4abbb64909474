"""Arista EOS compliance features (see :mod:`nornir_tasks.compliance.features` for the rules of a table)."""

from __future__ import annotations

from nornir_tasks.model import Platform
from nornir_tasks.platforms.cisco_ios.features import IOS_IGNORE
from nornir_tasks.platforms.spec import PlatformFeatures
from nornir_tasks.platforms.spec import feature as _f

FEATURES = PlatformFeatures(
    platform=Platform.ARISTA_EOS, multiline_banner=True, ignore=IOS_IGNORE,
    features=(
        _f("hostname", "hostname"),
        _f("banner", "banner"),
        _f("local_users", "username", "enable secret", "enable password"),
        _f("aaa", "aaa ", "tacacs-server", "radius-server", "ip tacacs", "ip radius"),
        _f("management", "management ssh", "management telnet", "management api", "ip ssh"),
        _f("dns", "ip domain", "ip name-server", "dns domain"),
        _f("ntp", "ntp ", "clock timezone"),
        _f("logging", "logging"),
        _f("snmp", "snmp-server"),
        _f("interfaces", "interface "),
        _f("ospf", "router ospf"),
        _f("bgp", "router bgp"),
        _f("static", "ip route ", "ipv6 route ", "ip routing", "ipv6 unicast-routing"),
        _f("acl", "ip access-list", "ipv6 access-list", ordered=True),
        _f("vrfs", "vrf instance"),
        _f("vlans", "vlan "),
        _f("services", "service ", "no service "),
        _f("prefix_lists", "ip prefix-list", "ipv6 prefix-list", ordered=True),
        _f("route_maps", "route-map"),
    ))
