"""FRR: what keeps a remediation or rollback acceptable to vtysh.

From FRR's user guide and real FRR 8.4 (tests/fixtures/compliance/frr): an interface may carry several
``ip address`` lines (no ``secondary`` keyword), so a changed address is removed and added, never replaced;
commands FRR overwrites in place but cannot negate with their old value (``no exec-timeout 0 0`` is refused)
are single-valued; a kernel interface cannot be deleted (``% Only inactive interfaces can be deleted``), so
it is emptied line by line.
"""

from __future__ import annotations

from nornir_tasks.platforms.spec import ChangeRules, NegateRule, OrderRule, Protect, ReplaceRule

#: (section, command) pairs FRR replaces in place; an empty section means top level.
_REPLACE: tuple[tuple[str, ...], ...] = (
    ("line vty", "exec-timeout "),
    ("router ospf", "ospf router-id "),
    ("router ospf", "auto-cost reference-bandwidth "),
    ("router bgp ", "bgp router-id "),
    ("interface ", "ip ospf cost "),
    ("interface ", "ip ospf hello-interval "),
    ("interface ", "ip ospf dead-interval "),
    ("interface ", "mtu "),
    ("interface ", "description "),
    ("log syslog",),
    ("hostname ",),
    ("banner motd ",),
)

RULES = ChangeRules(
    order=(
        OrderRule(path=("vrf ",), weight=-100, why="a VRF exists before an interface or route uses it"),
        OrderRule(path=("ip prefix-list",), weight=-50, why="a prefix list exists before a route map uses it"),
        OrderRule(path=("no ip prefix-list",), weight=-50),
        OrderRule(path=("route-map ",), weight=-40, why="a route map exists before BGP uses it"),
        OrderRule(path=("no route-map ",), weight=-40),
        OrderRule(path=("no ip route ",), weight=100, why="a new route before the old one goes"),
        OrderRule(path=("no vrf ",), weight=100, why="a VRF goes only after nothing uses it"),
        OrderRule(path=("interface ", "no ip address "), weight=100,
                  why="the new address is up before the old one goes"),
    ),
    replace=(*(ReplaceRule(path=p) for p in _REPLACE),
             # one value per neighbour: FRR changes it in place ("no neighbor X remote-as" would drop the neighbour)
             *(ReplaceRule(path=("router bgp ", "neighbor "), key=rf"^neighbor (\S+) ({word}) ")
               for word in ("remote-as", "description", "update-source", "timers connect", "ebgp-multihop"))),
    negate=(
        # FRR refuses "no password <old>": a vty/enable password goes with the bare negation
        NegateRule(match=r"^password\b.*", use="no password"),
        NegateRule(match=r"^enable password\b.*", use="no enable password"),
        NegateRule(match=r"^banner motd\b.*", use="no banner motd"),
        # FRR refuses "no description <text>" (% Unknown command): the bare form
        NegateRule(match=r"^description\b.*", use="no description"),
        NegateRule(match=r"^ip ospf authentication-key\b.*", use="no ip ospf authentication-key", parent="interface "),
        NegateRule(match=r"^ip ospf message-digest-key (\d+)\b.*", use=r"no ip ospf message-digest-key \1",
                   parent="interface "),
        NegateRule(match=r"^neighbor (\S+) password\b.*", use=r"no neighbor \1 password", parent="router bgp "),
    ),
    protect=Protect(
        sections=(r"^line vty$", r"^vrf (?:mgmt|MGMT|management)$"),
        vrf_binding=r"^vrf (?P<vrf>\S+)",
        mgmt_vrfs=("mgmt", "MGMT", "management"),
        physical_interfaces=r"^(?!lo$)\S+$",
        interface_reset="substatements",
    ),
    banners=("banner motd",),
)
