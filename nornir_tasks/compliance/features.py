"""Compliance features per platform, as data.

A *feature* is a named slice of a configuration (``ntp``, ``snmp``, ``interfaces`` ...) made of the
top-level sections whose first line starts with one of its prefixes. Intended and running configs are
compared feature by feature, so a report says "ntp: 1 missing, 1 extra" instead of one long diff.

Rules of the table:

* a top-level line belongs to the feature with the **longest** matching prefix (``ip route`` and
  ``ip access-list`` can live in different features);
* top-level lines that match no feature are **not** checked (vendor defaults such as ``boot-start-marker``
  or ``service timestamps`` would otherwise always differ) — the same choice as Golden Config;
* ``ordered`` features compare the sequence of lines, not only the set (access lists, prefix lists);
* ``ignore`` lists line patterns (regular expressions, matched on the stripped line) that are volatile or
  printed by the device alone and never belong to a comparison;
* ``multiline_banner``: the platform prints ``banner motd ^C ... ^C`` over several lines.

Adding a platform or feature is a change to :data:`FEATURES` only. A test checks that every platform of
:class:`~nornir_tasks.model.Platform` has an entry.
"""

from __future__ import annotations

import re
from functools import cache

from pydantic import BaseModel, ConfigDict

from nornir_tasks.model import Platform


class Feature(BaseModel):
    """One feature: a name, the section prefixes that belong to it, and whether order matters."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    prefixes: tuple[str, ...]
    ordered: bool = False


class PlatformFeatures(BaseModel):
    """The features of one platform plus how its configuration text is cleaned before parsing."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    platform: Platform
    features: tuple[Feature, ...]
    ignore: tuple[str, ...] = ()
    multiline_banner: bool = False
    indent_width_hint: int = 1


def _f(name: str, *prefixes: str, ordered: bool = False) -> Feature:
    return Feature(name=name, prefixes=prefixes, ordered=ordered)


_IOS_IGNORE = (r"^Building configuration", r"^Current configuration", r"^! Last configuration change",
               r"^! NVRAM config last updated", r"^version ", r"^end$", r"^!", r"^ntp clock-period ")

#: Platform → features. The feature names are shared across platforms where the meaning is the same, so a
#: report per feature covers the whole fleet.
FEATURES: dict[Platform, PlatformFeatures] = {
    Platform.CISCO_IOS: PlatformFeatures(
        platform=Platform.CISCO_IOS, multiline_banner=True, ignore=_IOS_IGNORE,
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
        )),
    Platform.ARISTA_EOS: PlatformFeatures(
        platform=Platform.ARISTA_EOS, multiline_banner=True, ignore=_IOS_IGNORE,
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
        )),
    Platform.FRR: PlatformFeatures(
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
        )),
    Platform.HUAWEI_VRP: PlatformFeatures(
        platform=Platform.HUAWEI_VRP,
        ignore=(r"^#", r"^!", r"^return$", r"^quit$", r"^<.*>$", r"^\[.*\]$"),
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
        )),
    Platform.JUNIPER_JUNOS: PlatformFeatures(
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
        )),
}


def features_for(platform: Platform | str) -> PlatformFeatures:
    """The feature table of a platform.

    Examples:
        >>> [f.name for f in features_for("frr").features][:4]
        ['hostname', 'banner', 'logging', 'interfaces']
    """
    return FEATURES[Platform(platform)]


class FeatureMatcher:
    """Assigns top-level lines to features (longest prefix wins); build once per platform."""

    def __init__(self, table: PlatformFeatures) -> None:
        self.table = table
        owner: dict[str, str] = {}
        for feat in table.features:
            for prefix in feat.prefixes:
                owner[prefix] = feat.name
        self._owner = owner
        ordered = sorted(owner, key=len, reverse=True)
        self._re = re.compile("|".join(re.escape(p) for p in ordered)) if ordered else None
        self._cache: dict[str, str | None] = {}
        self.ordered = {f.name: f.ordered for f in table.features}
        self.names = tuple(f.name for f in table.features)

    def feature_of(self, line: str) -> str | None:
        """The feature a top-level line belongs to, or None.

        Examples:
            >>> m = matcher("cisco_ios")
            >>> m.feature_of("ip route 0.0.0.0 0.0.0.0 10.0.0.1"), m.feature_of("ip access-list extended X")
            ('static', 'acl')
            >>> m.feature_of("boot-start-marker") is None
            True
        """
        hit = self._cache.get(line, "")
        if hit != "":
            return hit
        found = None
        if self._re is not None:
            m = self._re.match(line)
            if m is not None:
                found = self._owner[m.group(0)]
        if len(self._cache) < 100_000:
            self._cache[line] = found
        return found


@cache
def matcher(platform: Platform | str) -> FeatureMatcher:
    """The (cached) matcher of a platform."""
    return FeatureMatcher(features_for(platform))
