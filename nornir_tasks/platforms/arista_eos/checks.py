"""Arista EOS: rules a rendered config must satisfy for the device to take it as meant (data; see
:mod:`nornir_tasks.platforms.checks`). Written from Arista's documented syntax: no EOS runs here."""

from __future__ import annotations

from nornir_tasks.platforms.checks import Check

CHECKS = (
    Check(id="eos-no-subinterface", kind="forbid", pattern=r"^\s+encapsulation dot1q vlan ", when="not subinterfaces",
          why="the model has no layer-3 sub-interfaces (DCS-7010TX-48): LANs of one port are VLANs with "
              "interface Vlan<id>",
          source="https://www.arista.com/en/um-eos/eos-layer-3-configuration (sub-interfaces: supported platforms)"),
    Check(id="eos-vrf-defined-first", kind="before", pattern=r"^\s+vrf (\S+)$", requires=r"^vrf instance {0}$",
          why="an interface joins a VRF only after 'vrf instance' creates it",
          source="https://www.arista.com/en/um-eos/eos-vrfs"),
    Check(id="eos-mgmt-vrf-route", kind="present", pattern=r"^   vrf (MGMT|mgmt|Mgmt-intf|Mgmt-vrf)$",
          requires=r"^ip route vrf {0} 0\.0\.0\.0/0 ",
          why="without a default route in the management VRF, NTP, syslog and AAA servers on other subnets are "
              "unreachable",
          source="https://www.arista.com/en/um-eos/eos-vrfs (static routes in a VRF)"),
)
