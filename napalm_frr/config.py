"""Pure helpers over FRR configuration text: normalising ``show running-config`` for hier_config, and turning
a hier_config tree into the command sequence vtysh accepts (every section closed explicitly).

No device access here, so these functions are easy to test and reuse (compliance reads FRR configs the same way).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

from hier_config import HConfig, get_hconfig
from hier_config.models import IdempotentCommandsRule, MatchRule, NegationDefaultWithRule
from hier_config.platforms.cisco_ios.driver import HConfigDriverCiscoIOS
from hier_config.platforms.driver_base import HConfigDriverRules

#: Lines FRR prints that are not configuration: section closers, separators, banners of ``show running-config``.
_NOISE_EXACT = frozenset({"!", "end", "exit", "exit-vrf", "exit-address-family", "exit-vnc", "quit"})
_NOISE_PREFIX = ("frr version ", "frr defaults ", "Building configuration", "Current configuration")

#: Closing word for a section whose first line starts with the key (FRR's own words); otherwise ``exit``.
_CLOSERS: tuple[tuple[str, str], ...] = (
    ("address-family ", "exit-address-family"),
    ("vrf ", "exit-vrf"),
    ("vnc ", "exit-vnc"),
)


#: (section, command) pairs FRR replaces in place; an empty section means top level.
_FRR_IDEMPOTENT: tuple[tuple[str, str], ...] = (
    ("line vty", "exec-timeout "),
    ("router ospf", "ospf router-id "),
    ("router ospf", "auto-cost reference-bandwidth "),
    ("router bgp ", "bgp router-id "),
    ("interface ", "ip ospf cost "),
    ("interface ", "ip ospf hello-interval "),
    ("interface ", "ip ospf dead-interval "),
    ("interface ", "mtu "),
    ("", "log syslog"),
    ("", "hostname "),
)


class HConfigDriverFRR(HConfigDriverCiscoIOS):
    """hier_config's Cisco IOS rules adjusted to FRR: an interface may carry several ``ip address`` /
    ``ipv6 address`` lines (no ``secondary`` keyword), so a new address does not replace the old one; and
    commands FRR overwrites in place but cannot negate with their old arguments (``no exec-timeout 0 0`` is
    refused) are idempotent."""

    @staticmethod
    def _instantiate_rules() -> HConfigDriverRules:
        rules = HConfigDriverCiscoIOS._instantiate_rules()
        keep = [r for r in rules.idempotent_commands
                if not any(isinstance(m.startswith, str) and m.startswith.startswith(("ip address", "ipv6 address"))
                           for m in r.match_rules)]
        for parent, command in _FRR_IDEMPOTENT:
            keep.append(IdempotentCommandsRule(
                match_rules=(MatchRule(startswith=parent), MatchRule(startswith=command)) if parent
                else (MatchRule(startswith=command),)))
        # FRR refuses "no password <old>": a vty/enable password goes with the bare negation
        negate = [*rules.negate_with, *(NegationDefaultWithRule(match_rules=(MatchRule(startswith=p),),
                                                                use="no " + p.strip())
                                        for p in ("password ", "enable password "))]
        return rules.model_copy(update={"idempotent_commands": keep, "negate_with": negate})


@lru_cache(maxsize=1)
def driver() -> HConfigDriverFRR:
    """The (stateless, shared) hier_config driver for FRR."""
    return HConfigDriverFRR()


def normalize(text: str) -> str:
    """FRR configuration text as hier_config wants it: without ``!``/``exit``/``end`` and version banner lines.

    Examples:
        >>> print(normalize("frr version 8.4.4\\nhostname r1\\n!\\ninterface lo\\n ip address 10.0.0.1/32\\nexit\\n!\\nend\\n"))
        hostname r1
        interface lo
         ip address 10.0.0.1/32
        <BLANKLINE>
    """
    out = []
    for raw in text.replace("\r", "").split("\n"):
        line = raw.rstrip()
        stripped = line.strip()
        if not stripped or stripped in _NOISE_EXACT or stripped.startswith(_NOISE_PREFIX):
            continue
        out.append(line)
    return "\n".join(out) + "\n" if out else ""


def tree(text: str) -> HConfig:
    """A hier_config tree of FRR text (Cisco IOS rules, which fit FRR once the noise lines are gone, with
    :class:`HConfigDriverFRR`'s adjustments).

    Examples:
        >>> commands(remediation("interface lo\\n ip address 10.0.0.1/32\\n",
        ...                      "interface lo\\n ip address 10.0.0.1/32\\n ip address 10.0.0.2/32\\n"))
        ['interface lo', 'ip address 10.0.0.2/32', 'exit']
        >>> [c.text for c in tree("hostname r1\\n!\\ninterface lo\\n ip address 10.0.0.1/32\\nexit\\n").children]
        ['hostname r1', 'interface lo']
    """
    return get_hconfig(driver(), normalize(text))


def closer(section: str) -> str:
    """The word that leaves a section in vtysh.

    Examples:
        >>> closer("address-family ipv4 unicast"), closer("interface eth0")
        ('exit-address-family', 'exit')
    """
    for prefix, word in _CLOSERS:
        if section.startswith(prefix):
            return word
    return "exit"


def commands(config: HConfig) -> list[str]:
    """The command sequence that applies ``config`` in vtysh's configure mode, each section closed explicitly
    (vtysh does not fall back to the parent node the way a config file load does).

    Examples:
        >>> commands(tree("interface lo\\n ip address 10.0.0.1/32\\nno ip route 10.9.0.0/16 Null0\\n"))
        ['interface lo', 'ip address 10.0.0.1/32', 'exit', 'no ip route 10.9.0.0/16 Null0']
    """

    def walk(children: Iterable) -> Iterator[str]:
        for child in children:
            yield child.text
            if child.children:
                yield from walk(child.children)
                yield closer(child.text)

    return list(walk(config.children))


def remediation(running: str, target: str) -> HConfig:
    """Commands that take a device from ``running`` to ``target`` (both FRR text).

    Examples:
        >>> commands(remediation("hostname r1\\nip route 10.9.0.0/16 Null0\\n", "hostname r1\\n"))
        ['no ip route 10.9.0.0/16 Null0']
        >>> commands(remediation("hostname r1\\npassword s3cret\\n", "hostname r1\\n"))
        ['no password']
    """
    return tree(running).config_to_get_to(tree(target))


def merged(running: str, candidate: str) -> HConfig:
    """The configuration expected after merging ``candidate`` into ``running`` (hier_config's prediction).

    Examples:
        >>> sorted(c.text for c in merged("hostname r1\\n", "ip route 10.9.0.0/16 Null0\\n").children)
        ['hostname r1', 'ip route 10.9.0.0/16 Null0']
    """
    return tree(running).future(tree(candidate))


def diff(running: str, target: HConfig) -> str:
    """A unified-style diff (``-`` leaves, ``+`` arrives) from running text to a target tree; empty if equal.

    Examples:
        >>> diff("hostname r1\\n", tree("hostname r2\\n"))
        '- hostname r1\\n+ hostname r2'
    """
    return "\n".join(tree(running).unified_diff(target))
