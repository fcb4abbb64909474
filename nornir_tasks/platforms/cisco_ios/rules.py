"""Cisco IOS / IOS-XE: what keeps a remediation or rollback acceptable to the device and keeps our access.

Syntax from Cisco's IOS XE configuration guides (``default interface``, ``vrf definition``, ``line vty``,
``banner``, ``username``); shared with Arista EOS where the commands are the same.
"""

from __future__ import annotations

from nornir_tasks.platforms.spec import ChangeRules, NegateRule, OrderRule, Protect, ReplaceRule


def _o(weight: int, *path: str, why: str = "") -> OrderRule:
    return OrderRule(path=path, weight=weight, why=why)


def _r(*path: str) -> ReplaceRule:
    return ReplaceRule(path=path)


#: Definitions before the lines that use them; removals that could cut access after the additions.
ORDER = (
    _o(-100, "vrf definition", why="a VRF exists before an interface or route uses it"),
    _o(-100, "ip vrf ", why="a VRF exists before an interface or route uses it"),
    _o(-90, "aaa new-model", why="AAA is on before its methods are set"),
    _o(-85, "username ", why="the local fallback user exists before a login method relies on it"),
    _o(-80, "tacacs server ", why="a server exists before a server group lists it"),
    _o(-80, "radius server ", why="a server exists before a server group lists it"),
    _o(-70, "aaa group server ", why="a server group exists before a method list names it"),
    _o(-60, "ip access-list", why="an access list exists before a vty line or interface uses it"),
    _o(-60, "no ip access-list", why="a replaced access list is removed right before it is written again"),
    _o(-60, "ipv6 access-list"),
    _o(-60, "no ipv6 access-list"),
    _o(-50, "ip prefix-list"),
    _o(-50, "no ip prefix-list"),
    _o(-40, "route-map "),
    _o(-40, "no route-map "),
    _o(100, "no vrf definition", why="a VRF goes only after nothing uses it"),
    _o(100, "no ip vrf ", why="a VRF goes only after nothing uses it"),
    _o(100, "no username ", why="an old login goes after the new one exists"),
    _o(100, "no aaa ", why="an old login method goes after the new one is set"),
    _o(100, "no tacacs", why="an old TACACS+ server goes after the new one is set"),
    _o(100, "no radius", why="an old RADIUS server goes after the new one is set"),
    _o(100, "no ip route ", why="a new route (the default route to us, say) before the old one goes"),
    _o(100, "line vty", "no access-class", why="a new vty filter before the old one goes"),
)

#: Single-valued commands: a new value replaces the old in place, the old one is never negated.
REPLACE = (
    _r("hostname "), _r("ip domain name "), _r("ip domain-name "), _r("enable secret "), _r("clock timezone "),
    _r("ip ssh version "), _r("ip ssh time-out "), _r("ip ssh authentication-retries "),
    _r("ip ssh source-interface "), _r("ip tacacs source-interface "), _r("ip radius source-interface "),
    _r("snmp-server location "), _r("snmp-server contact "), _r("logging buffered "), _r("logging trap "),
    _r("logging source-interface "), _r("ntp source "), _r("banner motd"), _r("banner login"), _r("banner exec"),
    _r("banner incoming"),
    ReplaceRule(path=("username ",), key=r"^username (\S+)"),
    _r("interface ", "description "), _r("interface ", "ip address "), _r("interface ", "mtu "),
    _r("interface ", "bandwidth "), _r("interface ", "ip ospf cost "), _r("interface ", "speed "),
    _r("interface ", "duplex "),
    _r("line ", "exec-timeout "), _r("line ", "transport input "), _r("line ", "login authentication "),
    _r("line ", "access-class "),
    _r("router ospf ", "router-id "), _r("router ospf ", "auto-cost reference-bandwidth "),
    _r("router bgp ", "bgp router-id "),
    *(ReplaceRule(path=("router bgp ", "neighbor "), key=rf"^neighbor (\S+) ({word}) ")
      for word in ("remote-as", "description", "update-source")),
    _r("tacacs server ", "address ipv4 "), _r("tacacs server ", "key "),
    _r("radius server ", "address ipv4 "), _r("radius server ", "key "),
)

#: Removals that must not repeat a value (the device refuses it, or it is a secret we do not hold).
NEGATE = (
    NegateRule(match=r"^username (\S+)\b.*", use=r"no username \1"),
    NegateRule(match=r"^enable (secret|password)\b.*", use=r"no enable \1"),
    NegateRule(match=r"^banner (\S+)\b.*", use=r"no banner \1"),
    NegateRule(match=r"^(tacacs-server|radius-server) key\b.*", use=r"no \1 key"),
    NegateRule(match=r"^key\b.*", use="no key", parent="tacacs server "),
    NegateRule(match=r"^key\b.*", use="no key", parent="radius server "),
    NegateRule(match=r"^snmp-server user (\S+) (\S+) v3\b.*", use=r"no snmp-server user \1 \2 v3"),
    NegateRule(match=r"^ip ospf authentication-key\b.*", use="no ip ospf authentication-key", parent="interface "),
    NegateRule(match=r"^ip ospf message-digest-key (\d+)\b.*", use=r"no ip ospf message-digest-key \1",
               parent="interface "),
    NegateRule(match=r"^neighbor (\S+) password\b.*", use=r"no neighbor \1 password", parent="router bgp "),
    NegateRule(match=r"^password\b.*", use="no password", parent="line "),
)

MGMT_VRFS = ("Mgmt-intf", "Mgmt-vrf", "MGMT", "mgmt", "management")

PROTECT = Protect(
    sections=(r"^line (?:vty|con|console)\b", r"^aaa new-model$", r"^aaa authentication login\b",
              r"^aaa authorization exec\b", r"^username {login_user}(?: |$)", r"^ip ssh version\b",
              r"^ip route vrf (?:Mgmt-intf|Mgmt-vrf|MGMT|mgmt|management) ",
              r"^(?:vrf definition|ip vrf) (?:Mgmt-intf|Mgmt-vrf|MGMT|mgmt|management)$"),
    children=((r"^line (?:vty|con)", r"^(?:login|transport input)\b"),),
    mgmt_interfaces=(r"^GigabitEthernet0$", r"^Management\d", r"^mgmt\d"),
    vrf_binding=r"^(?:ip )?vrf forwarding (?P<vrf>\S+)",
    mgmt_vrfs=MGMT_VRFS,
    physical_interfaces=r"^(?:GigabitEthernet|TenGigabitEthernet|TwentyFiveGigE|FortyGigabitEthernet|HundredGigE|"
                        r"FastEthernet|Ethernet|Serial|Cellular)\d+(?:/\d+)*$",
    interface_reset="default",
    interface_reset_command="default interface {name}",
)

RULES = ChangeRules(order=ORDER, replace=REPLACE, negate=NEGATE, protect=PROTECT,
                    banners=("banner ",))
