"""Juniper Junos: rules a rendered config must satisfy for the device to take it as meant (data; see
:mod:`nornir_tasks.platforms.checks`). Written from Juniper's documented syntax: no Junos runs here."""

from __future__ import annotations

from nornir_tasks.platforms.checks import Check

_ZONES = ("https://www.juniper.net/documentation/us/en/software/junos/security-policies/topics/topic-map/"
          "security-zone-configuration.html")

CHECKS = (
    Check(id="srx-unit-in-zone", kind="present",
          pattern=r"^set interfaces (?!fxp0 |lo0 )(\S+) unit (\d+) family inet6? address ",
          requires=r"^set security zones security-zone \S+ interfaces {0}\.{1} ", when="flow_mode",
          why="an SRX in flow mode drops every packet of an interface in no security zone, its own OSPF, BGP "
              "and SSH included",
          source=_ZONES),
    Check(id="srx-routing-protocols-allowed", kind="present",
          pattern=r"^set protocols (ospf) area \S+ interface (?!lo0)(\S+?)(?:\.0)? interface-type ",
          requires=r"^set security zones security-zone \S+ interfaces {1}(?:\.0)? host-inbound-traffic protocols {0}$",
          when="flow_mode",
          why="host-inbound-traffic must admit the routing protocol on the zone interface of an adjacency (passive "
              "interfaces have none), or the SRX drops it",
          source=_ZONES + " (host-inbound traffic)"),
    Check(id="srx300-no-fxp0", kind="forbid", pattern=r"^set interfaces fxp0 ", when="not dedicated_mgmt",
          why="SRX300 has no dedicated fxp0 (it exists only in a chassis cluster): manage it in-band on a ge- port",
          source="https://www.juniper.net/documentation/us/en/hardware/srx300/topics/topic-map/srx300-overview.html"),
)
