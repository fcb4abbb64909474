"""Huawei VRP: what keeps a remediation or rollback acceptable to the device and keeps our access.

Syntax from Huawei's AR/NE configuration guides (``undo``, ``user-interface vty``, ``ip binding
vpn-instance``, ``header``, ``local-user``). A physical interface cannot be deleted (``undo interface`` is for
logical ones): its lines are undone one by one.
"""

from __future__ import annotations

from nornir_tasks.platforms.spec import ChangeRules, NegateRule, OrderRule, Protect, ReplaceRule


def _r(*path: str) -> ReplaceRule:
    return ReplaceRule(path=path)


RULES = ChangeRules(
    order=(
        OrderRule(path=("ip vpn-instance ",), weight=-100, why="a VPN instance exists before an interface binds it"),
        OrderRule(path=("acl ",), weight=-60, why="an ACL exists before a user-interface or interface uses it"),
        OrderRule(path=("undo acl ",), weight=-60),
        OrderRule(path=("ip ip-prefix ",), weight=-50),
        OrderRule(path=("undo ip ip-prefix ",), weight=-50),
        OrderRule(path=("route-policy ",), weight=-40),
        OrderRule(path=("undo ip vpn-instance ",), weight=100, why="a VPN instance goes after nothing binds it"),
        OrderRule(path=("undo ip route-static ",), weight=100, why="a new route before the old one goes"),
        OrderRule(path=("undo hwtacacs",), weight=100),
        OrderRule(path=("undo radius",), weight=100),
    ),
    replace=(
        _r("sysname "), _r("clock timezone "), _r("header login"), _r("header shell"),
        _r("snmp-agent sys-info location "), _r("snmp-agent sys-info contact "),
        _r("interface ", "description "), _r("interface ", "ip address "), _r("interface ", "ospf cost "),
        _r("interface ", "mtu "),
        _r("user-interface ", "idle-timeout "), _r("user-interface ", "authentication-mode "),
        _r("user-interface ", "protocol inbound "),
        _r("ospf ", "router-id "), _r("bgp ", "router-id "),
    ),
    negate=(
        NegateRule(match=r"^local-user (\S+) password\b.*", use=r"undo local-user \1 password", parent="aaa"),
        NegateRule(match=r"^header (\S+)\b.*", use=r"undo header \1"),
        NegateRule(match=r"^peer (\S+) password\b.*", use=r"undo peer \1 password", parent="bgp "),
    ),
    protect=Protect(
        sections=(r"^user-interface (?:vty|con|console)\b", r"^aaa$", r"^stelnet server enable$",
                  r"^ssh server enable$", r"^ip vpn-instance (?:MGMT|mgmt|__MGMT_VPN__)$"),
        children=((r"^aaa$", r"^local-user {login_user} "), (r"^aaa$", r"^authentication-scheme "),
                  (r"^user-interface ", r"^(?:authentication-mode|protocol inbound)\b")),
        mgmt_interfaces=(r"^MEth\d", r"^GigabitEthernet0/0/0$"),
        vrf_binding=r"^ip binding vpn-instance (?P<vrf>\S+)",
        mgmt_lines=(r"^ip address\b", r"^ipv6 address\b", r"^ip binding vpn-instance\b"),
        shutdown="shutdown",
        mgmt_vrfs=("MGMT", "mgmt", "__MGMT_VPN__"),
        physical_interfaces=r"^(?:GigabitEthernet|XGigabitEthernet|25GE|40GE|100GE|Ethernet|MEth)\d+(?:/\d+)*$",
        interface_reset="substatements",
    ),
    banners=("header ",),
)
