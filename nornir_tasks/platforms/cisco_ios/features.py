"""Cisco IOS / IOS-XE compliance features (see :mod:`nornir_tasks.compliance.features` for the rules of a table)."""

from __future__ import annotations

from nornir_tasks.model import Platform
from nornir_tasks.platforms.spec import PlatformFeatures
from nornir_tasks.platforms.spec import feature as _f

#: What ``show running-config`` prints that is not configuration (shared with Arista EOS).
IOS_IGNORE = (r"^Building configuration", r"^Current configuration", r"^! Last configuration change",
              r"^! NVRAM config last updated", r"^version ", r"^end$", r"^!", r"^ntp clock-period ")

FEATURES = PlatformFeatures(
    platform=Platform.CISCO_IOS, multiline_banner=True, ignore=IOS_IGNORE,
    features=(
        _f("hostname", "hostname"),
        _f("banner", "banner"),
        _f("local_users", "username", "enable secret"),
        _f("aaa", "aaa ", "tacacs", "radius", "ip tacacs", "ip radius"),
        _f("management", "ip ssh", "line vty", "line con"),
        _f("dns", "ip domain", "ip name-server"),
        _f("ntp", "ntp ", "clock timezone"),
        _f("logging", "logging"),
        _f("snmp", "snmp-server"),
        _f("interfaces", "interface "),
        _f("ospf", "router ospf"),
        _f("bgp", "router bgp"),
        _f("static", "ip route ", "ipv6 route ", "ipv6 unicast-routing", "ip routing"),
        _f("acl", "ip access-list", "ipv6 access-list", "access-list", ordered=True),
        _f("vrfs", "vrf definition", "ip vrf "),
        _f("vlans", "vlan "),
        _f("services", "service ", "no service ", "no ip ", "ip http", "ip cef", "ipv6 cef"),
        _f("prefix_lists", "ip prefix-list", "ipv6 prefix-list", ordered=True),
        _f("route_maps", "route-map"),
    ))
