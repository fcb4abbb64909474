"""Pure helpers over FRR configuration text: normalising ``show running-config`` for hier_config, and turning
a hier_config tree into the command sequence vtysh accepts (every section closed explicitly).

No device access here, so these functions are easy to test and reuse. The hier_config driver is govnet's one FRR
driver (:mod:`nornir_tasks.platforms.frr.driver`), so napalm_frr and compliance agree on every rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from hier_config import HConfig, get_hconfig

from nornir_tasks.platforms.frr.driver import HConfigDriverFRR
from nornir_tasks.platforms.frr.driver import driver as frr_driver

__all__ = ["HConfigDriverFRR", "closer", "commands", "diff", "driver", "merged", "normalize", "remediation", "tree"]

#: Lines FRR prints that are not configuration: section closers, separators, banners of ``show running-config``.
_NOISE_EXACT = frozenset({"!", "end", "exit", "exit-vrf", "exit-address-family", "exit-vnc", "quit"})
_NOISE_PREFIX = ("frr version ", "frr defaults ", "Building configuration", "Current configuration")

#: Closing word for a section whose first line starts with the key (FRR's own words); otherwise ``exit``.
_CLOSERS: tuple[tuple[str, str], ...] = (
    ("address-family ", "exit-address-family"),
    ("vrf ", "exit-vrf"),
    ("vnc ", "exit-vnc"),
)


def driver() -> HConfigDriverFRR:
    """The (stateless, shared) hier_config driver for FRR: the one govnet's compliance uses too."""
    return frr_driver()


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
    """A hier_config tree of FRR text (govnet's FRR driver, :class:`HConfigDriverFRR`).

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
        for child in sorted(children):
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
    return tree(running).config_to_get_to(tree(target)).set_order_weight()


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
