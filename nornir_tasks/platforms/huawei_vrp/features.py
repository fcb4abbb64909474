"""Huawei VRP compliance features (see :mod:`nornir_tasks.compliance.features` for the rules of a table)."""

from __future__ import annotations

from nornir_tasks.model import Platform
from nornir_tasks.platforms.spec import PlatformFeatures
from nornir_tasks.platforms.spec import feature as _f

FEATURES = PlatformFeatures(
    platform=Platform.HUAWEI_VRP,
    ignore=(r"^#", r"^!", r"^return$", r"^quit$", r"^commit$", r"^<.*>$", r"^\[.*\]$"),
    features=(
        _f("hostname", "sysname"),
        _f("banner", "header"),
        _f("aaa", "aaa", "hwtacacs-server", "radius-server", "hwtacacs"),
        _f("management", "stelnet", "telnet", "ssh ", "user-interface", "undo telnet", "undo ssh"),
        _f("dns", "dns "),
        _f("ntp", "ntp-service", "clock timezone"),
        _f("logging", "info-center"),
        _f("snmp", "snmp-agent"),
        _f("interfaces", "interface "),
        _f("ospf", "ospf"),
        _f("bgp", "bgp "),
        _f("static", "ip route-static", "ipv6 route-static"),
        _f("acl", "acl ", ordered=True),
        _f("vrfs", "ip vpn-instance"),
        _f("vlans", "vlan "),
        _f("prefix_lists", "ip ip-prefix", "ip ipv6-prefix", ordered=True),
        _f("route_maps", "route-policy"),
    ))
