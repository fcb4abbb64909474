"""Waves of a deploy run, as a pure function of the inventory and the options.

Rules, in order:

1. **Far end first.** The management station reaches a commune router through its province's gateway, and the
   gateway through the regional centre: a device's *management path* is the chain of devices between it and
   the top of the network (the central level, or the highest level present). Devices are ordered by their
   distance from the top, farthest first, so a change that cuts a path is found at the far end before the
   devices that carry the path to everybody else are touched.
2. **Never with a device its management path depends on.** A wave never holds a device together with one of
   its ancestors (or descendants) on that path: if the ancestor's change went wrong, the far device could be
   neither verified nor reverted over the network.
3. **Canary first.** ``--canary N`` devices form the first wave on their own.
4. **Grouped by province** (by default): after the canaries, each province's devices are split into waves of
   ``--wave-size`` (a count or a percentage of the selection); a wave never mixes provinces.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import defaultdict, deque
from collections.abc import Iterable, Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict

from nornir_tasks.errors import GovnetError
from nornir_tasks.model import AdminLevel, CircuitStatus, Inventory

_AMOUNT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$")
_LEVEL_RANK = {AdminLevel.CENTRAL: 0, AdminLevel.PROVINCE: 1, AdminLevel.DISTRICT_LEGACY: 2,
               AdminLevel.COMMUNE: 3}


class Amount(BaseModel):
    """A count (``5``) or a share of the selection (``10%``), as ``--wave-size`` and ``--max-failures`` take.

    Examples:
        >>> Amount.parse("10%", "--wave-size").of(32), Amount.parse("3", "--wave-size").of(32)
        (3, 3)
        >>> Amount.parse("0", "--max-failures").of(50), Amount.parse("0%", "--max-failures").of(50)
        (0, 0)
        >>> Amount.parse("10%", "--max-failures").of(15)
        1
        >>> Amount.parse("ten", "--wave-size")
        Traceback (most recent call last):
        ...
        nornir_tasks.errors.GovnetError: --wave-size 'ten' is neither a count (N) nor a percentage (P%)
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    value: float
    percent: bool = False

    @classmethod
    def parse(cls, text: str | int, option: str) -> Amount:
        m = _AMOUNT.match(str(text))
        if m is None:
            raise GovnetError(f"{option} {str(text)!r} is neither a count (N) nor a percentage (P%)",
                              code="DPL-009", hint=f"write e.g. {option} 5 or {option} 10%")
        value, pct = float(m.group(1)), bool(m.group(2))
        if pct and value > 100:
            raise GovnetError(f"{option} {text} is more than 100%", code="DPL-009",
                              hint="a percentage is between 0% and 100%")
        if not pct and value != int(value):
            raise GovnetError(f"{option} {text} is not a whole number of devices", code="DPL-009",
                              hint=f"write e.g. {option} 5 or {option} 10%")
        return cls(value=value, percent=pct)

    def of(self, total: int) -> int:
        """The amount as a number of devices out of ``total`` (a percentage rounds down, counts are exact)."""
        if self.percent:
            return int(math.floor(total * self.value / 100 + 1e-9))
        return int(self.value)

    def __str__(self) -> str:
        return f"{self.value:g}%" if self.percent else f"{int(self.value)}"


def wave_size_of(amount: Amount | None, total: int) -> int:
    """Devices per wave: the amount (at least 1), or every device when no size is given.

    Examples:
        >>> wave_size_of(Amount.parse("10%", "--wave-size"), 5), wave_size_of(None, 7)
        (1, 7)
    """
    if amount is None:
        return max(1, total)
    return max(1, amount.of(total) if amount.percent else int(amount.value))


def too_many_failures(failures: int, allowed: Amount | None, total: int) -> bool:
    """True when more than the allowed number of devices failed (``--max-failures N``: stop when failures > N).

    Examples:
        >>> too_many_failures(1, Amount.parse("0", "--max-failures"), 10)
        True
        >>> too_many_failures(1, Amount.parse("1", "--max-failures"), 10), too_many_failures(5, None, 10)
        (False, False)
    """
    return allowed is not None and failures > allowed.of(total)


class Topology(BaseModel):
    """Each device's distance from the top of the network and the devices its management path goes through."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    depth: dict[str, int]
    ancestors: dict[str, frozenset[str]]

    def related(self, a: str, b: str) -> bool:
        """True when one of the two devices is on the other's management path."""
        return a in self.ancestors.get(b, frozenset()) or b in self.ancestors.get(a, frozenset())


def topology(inv: Inventory) -> Topology:
    """The management topology of the whole inventory: breadth-first from the devices of the highest
    administrative level present, over active circuits and in-site links. Every neighbour one step closer to
    the top is on the device's path (a site with a primary and a backup gateway depends on both).

    Examples:
        >>> from nornir_tasks.inventory.load import load_or_raise
        >>> t = topology(load_or_raise("inventory").inventory)
        >>> t.depth["lcu-gw01"] < t.depth["lcu-sin-ho-ce01"], "lcu-gw01" in t.ancestors["lcu-sin-ho-ce01"]
        (True, True)
    """
    graph: dict[str, set[str]] = defaultdict(set)
    for c in inv.circuits.values():
        if c.status is CircuitStatus.ACTIVE and c.a.device in inv.devices and c.z.device in inv.devices:
            graph[c.a.device].add(c.z.device)
            graph[c.z.device].add(c.a.device)
    for link in inv.links.values():
        if link.a.device in inv.devices and link.z.device in inv.devices:
            graph[link.a.device].add(link.z.device)
            graph[link.z.device].add(link.a.device)
    rank = {n: _LEVEL_RANK.get(inv.site_of(n).level, 9) for n in inv.devices}
    depth: dict[str, int] = {}
    parents: dict[str, set[str]] = defaultdict(set)
    remaining = set(inv.devices)
    while remaining:   # one breadth-first search per part of the network, from its highest level
        top = min(rank[n] for n in remaining)
        queue = deque(sorted(n for n in remaining if rank[n] == top))
        for n in queue:
            depth[n] = 0
        while queue:
            n = queue.popleft()
            remaining.discard(n)
            for m in sorted(graph[n]):
                if m not in depth:
                    depth[m] = depth[n] + 1
                    queue.append(m)
                if depth[m] == depth[n] + 1:
                    parents[m].add(n)
    ancestors: dict[str, frozenset[str]] = {}
    for n in sorted(inv.devices, key=lambda x: depth[x]):
        acc: set[str] = set()
        for p in parents[n]:
            acc.add(p)
            acc |= ancestors[p]
        ancestors[n] = frozenset(acc)
    return Topology(depth=depth, ancestors=ancestors)


class Wave(BaseModel):
    """One wave: its place in the run, what it is, and its devices (in the order they start)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    index: int
    kind: Literal["canary", "wave"]
    province: str | None
    hosts: tuple[str, ...]


def _fill(ordered: Sequence[str], size: int, topo: Topology) -> list[list[str]]:
    """Split an ordered list into waves of at most ``size``, never two related devices in one wave; a device
    that conflicts with the open wave goes to the next (order otherwise kept).

    Examples:
        >>> t = Topology(depth={"a": 0, "b": 1, "c": 1}, ancestors={"a": frozenset(), "b": frozenset({"a"}),
        ...              "c": frozenset({"a"})})
        >>> _fill(["b", "c", "a"], 5, t), _fill(["b", "c", "a"], 1, t)
        ([['b', 'c'], ['a']], [['b'], ['c'], ['a']])
    """
    waves: list[list[str]] = []
    pending = list(ordered)
    while pending:
        wave: list[str] = []
        later: list[str] = []
        for name in pending:
            if len(wave) < size and not any(topo.related(name, w) for w in wave) and not later_blocks(name, later, topo):
                wave.append(name)
            else:
                later.append(name)
        waves.append(wave)
        pending = later
    return waves


def later_blocks(name: str, later: Sequence[str], topo: Topology) -> bool:
    """True when a device already pushed to a later wave is a descendant of ``name`` (the far end goes first).

    Examples:
        >>> t = Topology(depth={"a": 0, "b": 1}, ancestors={"a": frozenset(), "b": frozenset({"a"})})
        >>> later_blocks("a", ["b"], t), later_blocks("b", ["a"], t)
        (True, False)
    """
    return any(name in topo.ancestors.get(x, frozenset()) for x in later)


def _group_order(groups: dict[str | None, list[str]], topo: Topology) -> list[str | None]:
    """Province groups in code order, except that a group holding a device on another group's management path
    comes after that group (the central level after the provinces it serves).

    Examples:
        >>> t = Topology(depth={"pe": 0, "ce": 1}, ancestors={"pe": frozenset(), "ce": frozenset({"pe"})})
        >>> _group_order({"01": ["pe"], "12": ["ce"]}, t)
        ['12', '01']
    """
    pending = sorted(groups, key=lambda p: (p is None, p or ""))
    out: list[str | None] = []
    while pending:
        for g in pending:
            blocked = any(h in topo.ancestors.get(x, frozenset())
                          for other in pending if other != g for x in groups[other] for h in groups[g])
            if not blocked:
                break
        else:  # a cycle cannot happen (ancestors are strictly closer to the top); keep code order if it did
            g = pending[0]
        out.append(g)
        pending.remove(g)
    return out


def plan_waves(inv: Inventory, names: Iterable[str], *, canary: int = 0, wave_size: Amount | None = None,
               by_province: bool = True, topo: Topology | None = None) -> tuple[Wave, ...]:
    """The waves of a run over ``names``.

    Examples:
        >>> from nornir_tasks.inventory.load import load_or_raise
        >>> inv = load_or_raise("inventory").inventory
        >>> waves = plan_waves(inv, ["lcu-gw01", "lcu-sin-ho-ce01", "lcu-tu-ce01", "lcu-tu-fw01"], canary=1,
        ...                    wave_size=Amount.parse("10", "--wave-size"))
        >>> [(w.kind, w.hosts) for w in waves]
        [('canary', ('lcu-tu-fw01',)), ('wave', ('lcu-sin-ho-ce01', 'lcu-tu-ce01')), ('wave', ('lcu-gw01',))]
    """
    topo = topo or topology(inv)
    selected = list(dict.fromkeys(names))
    ordered = sorted(selected, key=lambda n: (-topo.depth.get(n, 0), n))
    size = wave_size_of(wave_size, len(selected))
    waves: list[Wave] = []
    rest = ordered
    if canary > 0:
        first = _fill(ordered, canary, topo)[0]
        waves.append(Wave(index=0, kind="canary", province=None, hosts=tuple(first)))
        rest = [n for n in ordered if n not in set(first)]
    groups: dict[str | None, list[str]] = {}
    for n in rest:
        key = inv.site_of(n).province_code if by_province else None
        groups.setdefault(key, []).append(n)
    for province in _group_order(groups, topo):
        for hosts in _fill(groups[province], size, topo):
            waves.append(Wave(index=len(waves), kind="wave", province=province, hosts=tuple(hosts)))
    return tuple(waves)


def diff_hash(text: str) -> str:
    """A short, stable fingerprint of a (masked) change, for the journal and reports.

    Examples:
        >>> diff_hash(""), diff_hash("+ hostname r2\\n") == diff_hash("+ hostname r2\\n")
        ('', True)
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16] if text else ""
