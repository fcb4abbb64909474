"""Arista EOS: the IOS rules, with EOS's management VRF and interface names.

Syntax from Arista's EOS User Manual (``default interface``, ``vrf instance``, ``management ssh``, ``banner``).
"""

from __future__ import annotations

from nornir_tasks.platforms.cisco_ios.rules import NEGATE, ORDER, REPLACE
from nornir_tasks.platforms.spec import ChangeRules, OrderRule, Protect, ReplaceRule

PROTECT = Protect(
    sections=(r"^management ssh$", r"^management api http-commands$", r"^aaa authentication login\b",
              r"^aaa authorization exec\b", r"^username {login_user}(?: |$)",
              r"^ip route vrf (?:MGMT|mgmt|management) ", r"^vrf instance (?:MGMT|mgmt|management)$"),
    mgmt_interfaces=(r"^Management\d",),
    vrf_binding=r"^vrf (?:forwarding )?(?P<vrf>\S+)",
    mgmt_vrfs=("MGMT", "mgmt", "management"),
    physical_interfaces=r"^Ethernet\d+(?:/\d+)*$",
    interface_reset="default",
    interface_reset_command="default interface {name}",
)

RULES = ChangeRules(
    order=(OrderRule(path=("vrf instance",), weight=-100, why="a VRF exists before an interface uses it"),
           OrderRule(path=("no vrf instance",), weight=100, why="a VRF goes only after nothing uses it"),
           *ORDER),
    replace=(*REPLACE, ReplaceRule(path=("interface ", "vrf ")), ReplaceRule(path=("management ssh", "idle-timeout ")),
             ReplaceRule(path=("vlan ", "name "))),
    negate=NEGATE, protect=PROTECT, banners=("banner ",))
