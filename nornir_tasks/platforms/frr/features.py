"""FRR compliance features (see :mod:`nornir_tasks.compliance.features` for the rules of a table)."""

from __future__ import annotations

from nornir_tasks.model import Platform
from nornir_tasks.platforms.spec import PlatformFeatures
from nornir_tasks.platforms.spec import feature as _f

FEATURES = PlatformFeatures(
    platform=Platform.FRR,
    ignore=(r"^Building configuration", r"^Current configuration", r"^frr version ", r"^frr defaults ",
            r"^!", r"^end$", r"^exit$", r"^exit-vrf$", r"^exit-address-family$"),
    features=(
        _f("hostname", "hostname"),
        _f("banner", "banner"),
        _f("logging", "log "),
        _f("interfaces", "interface "),
        _f("ospf", "router ospf"),
        _f("bgp", "router bgp"),
        _f("static", "ip route ", "ipv6 route "),
        _f("forwarding", "ip forwarding", "ipv6 forwarding", "no ip forwarding", "no ipv6 forwarding"),
        _f("prefix_lists", "ip prefix-list", "ipv6 prefix-list", ordered=True),
        _f("route_maps", "route-map"),
        # vty logins FRR itself can hold: a password or user left on a router is drift, not a default
        _f("management", "password ", "enable password ", "username ", "line vty"),
    ))
