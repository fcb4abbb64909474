"""Checks after a push, as pure functions of what was read from the device before and after the change.

A device passes when everything that worked before the change still works after it:

- **config** — the running config, re-read, is compliant with the intended config for every feature the change
  touched (compliance re-run on those features; secrets masked on both sides);
- **interfaces** — every interface that was up before is up, unless the intended config shuts it down;
- **ospf** / **bgp** — every adjacency that was full / established before is again;
- **lldp** — every LLDP neighbour seen before (on a link of the inventory: the neighbour is a device the
  inventory connects to this one) is seen again;
- **reachable** — a new login over the management path succeeds.

After a revert, :func:`same_config` says whether the running config equals the pre-change backup.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict

from nornir_tasks.model import Inventory, Platform

CheckName = Literal["config", "interfaces", "ospf", "bgp", "lldp", "reachable"]


class _M(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Snapshot(_M):
    """What a device showed at one moment. ``None`` means "could not be read" (the check is not applicable)."""

    interfaces_up: frozenset[str] | None = None
    ospf_full: frozenset[str] | None = None
    bgp_established: frozenset[str] | None = None
    lldp: frozenset[tuple[str, str]] | None = None      # (local interface, neighbour system name)


class Check(_M):
    name: CheckName
    ok: bool
    detail: str = ""


def _lost(before: frozenset[str] | None, after: frozenset[str] | None, what: str,
          allowed: Iterable[str] = ()) -> tuple[bool, str]:
    if not before:
        return True, f"no {what} before the change"
    now = after or frozenset()
    lost = sorted(set(before) - set(now) - set(allowed))
    if lost:
        return False, f"{what} lost: {', '.join(lost)}"
    return True, f"{len(before)} {what} as before"


def compare_snapshots(before: Snapshot, after: Snapshot, *, shut_by_change: Iterable[str] = (),
                      lldp_peers: Iterable[str] | None = None) -> list[Check]:
    """The interface, adjacency and LLDP checks.

    ``shut_by_change``: interfaces the intended config shuts down (their going down is the change, not a fault).
    ``lldp_peers``: device names the inventory links to this one; LLDP neighbours of other names are ignored
    (None: every neighbour counts).

    Examples:
        >>> b = Snapshot(interfaces_up=frozenset({"eth0", "eth1"}), ospf_full=frozenset({"eth0>10.0.0.2"}),
        ...              lldp=frozenset({("eth0", "r2")}))
        >>> a = Snapshot(interfaces_up=frozenset({"eth0"}), ospf_full=frozenset(), lldp=frozenset({("eth0", "r2")}))
        >>> [(c.name, c.ok) for c in compare_snapshots(b, a, shut_by_change=["eth1"])]
        [('interfaces', True), ('ospf', False), ('bgp', True), ('lldp', True)]
        >>> [c.detail for c in compare_snapshots(b, a) if not c.ok]
        ['interfaces lost: eth1', 'OSPF neighbours lost: eth0>10.0.0.2']
    """
    out: list[Check] = []
    ok, detail = _lost(before.interfaces_up, after.interfaces_up, "interfaces", shut_by_change)
    out.append(Check(name="interfaces", ok=ok, detail=detail.replace("interfaces as", "interfaces up as")))
    ok, detail = _lost(before.ospf_full, after.ospf_full, "OSPF neighbours")
    out.append(Check(name="ospf", ok=ok, detail=detail))
    ok, detail = _lost(before.bgp_established, after.bgp_established, "BGP sessions")
    out.append(Check(name="bgp", ok=ok, detail=detail))
    peers = set(lldp_peers) if lldp_peers is not None else None
    lb = frozenset(f"{i}>{p}" for i, p in (before.lldp or ()) if peers is None or p in peers)
    la = frozenset(f"{i}>{p}" for i, p in (after.lldp or ()))
    ok, detail = _lost(lb if before.lldp is not None else None, la, "LLDP neighbours")
    out.append(Check(name="lldp", ok=ok, detail=detail))
    return out


def config_check(platform: Platform | str, intended: str, before: str, after: str) -> Check:
    """Compliance of the running config after the change, on the features that differed before it.

    Examples:
        >>> i = "hostname r1\\nip route 10.9.0.0/16 Null0\\n"
        >>> config_check("frr", i, "hostname r1\\n", i).ok, config_check("frr", i, "hostname r1\\n", "hostname r1\\n").ok
        (True, False)
    """
    from nornir_tasks.compliance.check import compare_text
    from nornir_tasks.compliance.secrets import mask_secrets

    plat = Platform(platform)
    mi, mb, ma = (mask_secrets(plat, t) for t in (intended, before, after))
    touched = {f.name for f in compare_text(plat, mi, mb, remediate=False).features if not f.compliant}
    now = {f.name: f for f in compare_text(plat, mi, ma, remediate=False).features}
    bad = sorted(n for n in touched if n in now and not now[n].compliant)
    if bad:
        return Check(name="config", ok=False, detail=f"features still different from intended: {', '.join(bad)}")
    return Check(name="config", ok=True, detail=f"{len(touched)} changed feature(s) compliant"
                 if touched else "no feature differed")


def shut_interfaces(intended: str, shutdown: str = "shutdown", interface: str = "interface ") -> list[str]:
    """Interfaces the (indented) intended config shuts down.

    Examples:
        >>> shut_interfaces("interface eth0\\n shutdown\\nexit\\ninterface eth1\\n ip address 10.0.0.1/31\\n")
        ['eth0']
    """
    out: list[str] = []
    current: str | None = None
    for line in intended.splitlines():
        if line.startswith(interface):
            current = line[len(interface):].strip()
        elif not line.startswith((" ", "\t")):
            current = None
        elif current is not None and line.strip() == shutdown:
            out.append(current)
    return out


def lldp_peers(inv: Inventory, device: str) -> list[str]:
    """Names of the devices the inventory connects to ``device`` (circuits and in-site links).

    Examples:
        >>> from nornir_tasks.inventory.load import load_or_raise
        >>> "lcu-gw01" in lldp_peers(load_or_raise("inventory").inventory, "lcu-tu-ce01")
        True
    """
    peers: set[str] = set()
    for c in inv.circuits_of(device):
        peers.add(c.z.device if c.a.device == device else c.a.device)
    for link in inv.links.values():
        if link.a.device == device:
            peers.add(link.z.device)
        elif link.z.device == device:
            peers.add(link.a.device)
    return sorted(peers)


def config_paths(text: str, comment_prefixes: tuple[str, ...] = ("!", "#"),
                 noise: tuple[str, ...] = ("end", "exit", "exit-vrf", "exit-address-family", "quit", "return")
                 ) -> frozenset[tuple[str, ...]]:
    """Each configuration line with its parent sections (by indentation), order and blank lines ignored.

    Examples:
        >>> sorted(config_paths("hostname r1\\n!\\ninterface eth0\\n ip address 10.0.0.1/31\\nexit\\n"))
        [('hostname r1',), ('interface eth0',), ('interface eth0', 'ip address 10.0.0.1/31')]
    """
    out: set[tuple[str, ...]] = set()
    stack: list[tuple[int, str]] = []
    for raw in text.replace("\r", "").splitlines():
        stripped = raw.strip()
        if not stripped or stripped.startswith(comment_prefixes) or stripped in noise:
            continue
        if stripped.startswith(("frr version ", "frr defaults ", "Building configuration", "Current configuration")):
            continue
        indent = len(raw) - len(raw.lstrip())
        while stack and stack[-1][0] >= indent:
            stack.pop()
        path = tuple(s for _, s in stack) + (stripped,)
        out.add(path)
        stack.append((indent, stripped))
    return frozenset(out)


def same_config(before: str, after: str, comment_prefixes: tuple[str, ...] = ("!", "#")) -> tuple[bool, str]:
    """Whether two (sanitized) configs are the same, and if not the first few differing lines.

    Examples:
        >>> same_config("hostname r1\\n!\\n", "hostname r1\\n")
        (True, '')
        >>> same_config("hostname r1\\n", "hostname r2\\n")
        (False, '- hostname r1; + hostname r2')
    """
    a, b = config_paths(before, comment_prefixes), config_paths(after, comment_prefixes)
    if a == b:
        return True, ""
    gone = [" > ".join(p) for p in sorted(a - b)][:5]
    new = [" > ".join(p) for p in sorted(b - a)][:5]
    return False, "; ".join([*(f"- {x}" for x in gone), *(f"+ {x}" for x in new)])
