"""Juniper Junos (set-style): what keeps a remediation or rollback acceptable to the device and keeps our access.

From Juniper's CLI User Guide: ``set`` of a single-valued statement replaces it, so it is never deleted first;
``delete`` of a statement removes it and everything below, so a physical interface is emptied statement by
statement rather than deleted as a whole; ``fxp0``/``em0``/``me0`` are the management ports.
"""

from __future__ import annotations

from nornir_tasks.platforms.spec import ChangeRules, NegateRule, OrderRule, Protect, ReplaceRule


def _r(*path: str) -> ReplaceRule:
    return ReplaceRule(path=path)


_MGMT = r"(?:fxp0|em0|me0|vme)"

RULES = ChangeRules(
    order=(
        OrderRule(path=("set routing-instances ",), weight=-100, why="an instance exists before it is used"),
        OrderRule(path=("set policy-options ",), weight=-50, why="a policy exists before a protocol uses it"),
        OrderRule(path=("set firewall ",), weight=-50, why="a filter exists before an interface uses it"),
        OrderRule(path=("delete routing-options static route 0.0.0.0/0",), weight=100,
                  why="a new default route before the old one goes"),
        OrderRule(path=("delete system login user ",), weight=100, why="an old login goes after the new one"),
        OrderRule(path=("delete system tacplus-server ",), weight=100),
        OrderRule(path=("delete system radius-server ",), weight=100),
        OrderRule(path=("delete routing-instances ",), weight=100),
    ),
    replace=(
        _r("set system host-name "), _r("set system time-zone "), _r("set system domain-name "),
        _r("set system login message "), _r("set routing-options router-id "),
        _r("set routing-options autonomous-system "), _r("set snmp location "), _r("set snmp contact "),
    ),
    negate=(
        # 'delete' names a statement without its value: a leaf holding a secret is deleted without it
        NegateRule(match=r"^set (system login user \S+ authentication (?:encrypted-password|plain-text-password-value))"
                         r"\b.*", use=r"delete \1"),
        NegateRule(match=r"^set (system root-authentication encrypted-password)\b.*", use=r"delete \1"),
        NegateRule(match=r"^set (system (?:tacplus|radius)-server \S+ secret)\b.*", use=r"delete \1"),
        NegateRule(match=r"^set (system login message)\b.*", use=r"delete \1"),
    ),
    protect=Protect(
        sections=(rf"^set interfaces {_MGMT}\b", r"^set system services ssh\b", r"^set system authentication-order\b",
                  r"^set system login user {login_user}\b", r"^set routing-instances mgmt_junos\b",
                  r"^set system management-instance\b"),
        mgmt_interfaces=(rf"^{_MGMT}$",),
        never_add=(rf"^set interfaces {_MGMT}(?: unit \d+)? disable$",),
        physical_interfaces=r"^(?:ge|xe|et|fe|mge)-\d+/\d+/\d+$",
        interface="set interfaces ",
        interface_reset="substatements",
    ),
    banners=("set system login message",),
)
