"""Juniper Junos (set-style) compliance features (see :mod:`nornir_tasks.compliance.features`)."""

from __future__ import annotations

from nornir_tasks.model import Platform
from nornir_tasks.platforms.spec import PlatformFeatures
from nornir_tasks.platforms.spec import feature as _f

FEATURES = PlatformFeatures(
    platform=Platform.JUNIPER_JUNOS,
    ignore=(r"^#", r"^## ", r"^version ", r"^set version "),
    features=(
        _f("hostname", "set system host-name"),
        _f("banner", "set system login message"),
        _f("local_users", "set system login", "set system root-authentication"),
        _f("aaa", "set system tacplus-server", "set system radius-server", "set system authentication-order",
           "set system accounting"),
        _f("management", "set system services"),
        _f("dns", "set system name-server", "set system domain-name"),
        _f("ntp", "set system ntp", "set system time-zone"),
        _f("logging", "set system syslog"),
        _f("snmp", "set snmp"),
        _f("interfaces", "set interfaces"),
        _f("ospf", "set protocols ospf"),
        _f("bgp", "set protocols bgp", "set routing-options autonomous-system", "set routing-options router-id"),
        _f("static", "set routing-options static", "set routing-options rib inet6.0 static"),
        _f("security", "set security"),
        _f("acl", "set firewall", ordered=True),
        _f("route_maps", "set policy-options"),
        _f("vlans", "set vlans"),
    ))
