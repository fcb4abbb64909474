"""Cisco IOS / IOS-XE: rules a rendered config must satisfy for the device to take it as meant (data; see
:mod:`nornir_tasks.platforms.checks`), and the banner delimiter. Written from Cisco's documented syntax: no
IOS runs here."""

from __future__ import annotations

from nornir_tasks.platforms.checks import Check

#: First IOS-XE major release whose ``snmp-server user … v3 auth`` takes ``sha-2 256`` (SHA-256, as Huawei,
#: Junos and EOS use for the same user); older releases (15.x, 16.x) only have ``sha`` (SHA-1).
SNMP_SHA2_FROM_MAJOR = 17

#: Banner delimiters, in order of preference: the first one the banner text does not contain is used. IOS
#: prints any delimiter as ``^C`` in ``show running-config``; typed as the two characters ``^`` and ``C``, the
#: caret itself becomes the delimiter and the banner ends early.
BANNER_DELIMITERS = "#%@~&"

_FUND = ("https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/fundamentals/command/fundamentals-cr-book/"
         "fundamentals-a1.html")
_VRF = ("https://www.cisco.com/c/en/us/td/docs/routers/asr1000/configuration/guide/chassis/asr1000-software-config-"
        "guide/management-ethernet.html")

CHECKS = (
    Check(id="ios-banner-delimiter", kind="forbid", pattern=r"^banner \S+ \^C$|^\^C$",
          why="'^C' typed as two characters makes '^' the delimiter: the banner would end at the first caret",
          source=_FUND + " (banner motd: 'delimiting character')"),
    Check(id="ios-vrf-defined-first", kind="before",
          pattern=r"\bvrf (?:forwarding )?(?!definition\b)(\S+)", requires=r"^vrf definition {0}$",
          why="a VRF is used (interface, AAA group, NTP, logging) only after 'vrf definition' creates it",
          source=_VRF),
    Check(id="ios-mgmt-vrf-route", kind="present", pattern=r"^ vrf forwarding (Mgmt-intf|Mgmt-vrf)$",
          requires=r"^ip route vrf {0} 0\.0\.0\.0 0\.0\.0\.0 ",
          why="without a default route in the management VRF, NTP, syslog and AAA servers on other subnets are "
              "unreachable",
          source=_VRF),
)


def banner_delimiter(text: str) -> str:
    """The first delimiter of :data:`BANNER_DELIMITERS` that the banner text does not contain.

    Examples:
        >>> banner_delimiter("CANH BAO: truy cap trai phep")
        '#'
        >>> banner_delimiter("ticket #12 and 50%")
        '@'
    """
    for ch in BANNER_DELIMITERS:
        if ch not in text:
            return ch
    raise ValueError("the banner text holds every delimiter character")
