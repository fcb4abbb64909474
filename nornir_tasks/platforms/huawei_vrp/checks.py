"""Huawei VRP: rules a rendered config must satisfy for the device to take it as meant (data; see
:mod:`nornir_tasks.platforms.checks`). Written from Huawei's documented syntax: no VRP runs here."""

from __future__ import annotations

from nornir_tasks.platforms.checks import Check

_AR_CFG = "https://support.huawei.com/enterprise/en/doc/EDOC1100331435"

CHECKS = (
    Check(id="vrp-views-closed", kind="views_closed", requires="quit",
          why="'#' is a comment: after 'acl number 2000' the CLI is still in the ACL view, and VRP does not look "
              "up 'undo …' commands in parent views; every view is left with 'quit'",
          source=_AR_CFG + " (CLI overview: command views, 'quit')"),
    Check(id="vrp-global-ipv6", kind="before", pattern=r"^\s+ipv6 enable$", requires=r"^ipv6$",
          when="ipv6_global",
          why="VRP5 (AR, S, USG) ignores interface IPv6 until 'ipv6' is enabled in the system view",
          source=_AR_CFG + " (IPv6 addresses: enabling IPv6 globally, 'ipv6')"),
    Check(id="vrp8-undo-shutdown", kind="section_has",
          pattern=r"^interface (GigabitEthernet|XGigabitEthernet|Ethernet|\d+GE)\S*$",
          requires=r"^\s+(undo )?shutdown$", when="ports_down_default",
          why="NE40E physical ports are shut by default: each one used says 'undo shutdown' (or 'shutdown')",
          source="https://support.huawei.com/enterprise/en/doc/EDOC1100055044 (interface management: 'undo shutdown')"),
    Check(id="vrp8-commit", kind="before", pattern=r"^return$", requires=r"^commit$", when="commit_required",
          why="VRP8 applies the candidate configuration only on 'commit' (two-stage commit)",
          source="https://support.huawei.com/enterprise/en/doc/EDOC1100055044 (configuration commit: 'commit')"),
    Check(id="usg-manager-user", kind="forbid", pattern=r"^\s+local-user \S+ privilege level", when="manager_user",
          why="USG administrators are 'manager-user … level 15'; 'local-user … privilege level' is the AR/S form",
          source="https://support.huawei.com/enterprise/en/doc/EDOC1100092598 (administrator: 'manager-user')"),
    Check(id="vrp-routed-portswitch", kind="section_has", pattern=r"^interface GigabitEthernet0/0/[0-7]$",
          requires=r"^\s+(undo portswitch|port link-type|port default vlan|shutdown)$", when="layer2_default",
          why="AR600/AR6100 GE ports start in layer 2: a routed port needs 'undo portswitch' before its address",
          source=_AR_CFG + " (switching the working mode of an Ethernet interface, 'undo portswitch')"),
)
