"""Checks across the whole inventory: references, addressing and topology — a pure function over the model.

:func:`validate` takes an :class:`~nornir_tasks.model.Inventory` (from YAML files, NetBox or anything else) and
returns :class:`EntityFinding` s keyed by the entity they are about (``("device", "r1")``, ``("circuit", id)``,
``("site", id)``, ``("lan", "<site>#<index>")``, ``("lans", site)``, ``("allocation", "<index>")``,
``("group", name)``) and a field path inside it. It reads no file. :class:`Gaps` says what the source could not
provide (entities that failed their schema, collections it could not read), so that consequences of one problem
are not reported twice. The YAML loader then adds file and line to each finding (:func:`locate`); another
source can show the entity and path as they are. Every finding has a stable code (see
:data:`nornir_tasks.errors.CATALOG`) and a hint, and one run reports every problem at once.
"""

from __future__ import annotations

import ipaddress
from collections import defaultdict
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Iterable

from pydantic import BaseModel, ConfigDict, Field

from nornir_tasks.errors import Finding, Severity
from nornir_tasks.model import (
    AccessLevel,
    AdminLevel,
    CircuitStatus,
    End,
    Interface,
    InterfaceKind,
    Inventory,
    Network,
    Role,
    SiteStatus,
    SiteType,
    Zone,
)

if TYPE_CHECKING:
    from nornir_tasks.inventory.load import LoadResult, _Ctx

IPNet = ipaddress.IPv4Network | ipaddress.IPv6Network
Entity = tuple[str, str]
PathKey = tuple[Any, ...]

#: An allocation not reviewed within this many days draws a warning (Circular 19/2023: yearly review).
REVIEW_DAYS = 365

#: Collections a source may fail to provide, and the YAML file each comes from.
COLLECTION_FILES = {"device": "hosts.yaml", "site": "sites.yaml", "group": "groups.yaml",
                    "circuit": "circuits.yaml", "link": "links.yaml"}


class EntityFinding(BaseModel):
    """One problem, keyed by the entity it is about and the field path inside it (no file, no line).

    Examples:
        >>> f = EntityFinding(code="INV-020", message="bad site", hint="fix it", entity=("device", "r1"),
        ...                   path=("data", "site"), host="r1")
        >>> f.entity, f.path, f.severity.value
        (('device', 'r1'), ('data', 'site'), 'error')
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    message: str
    hint: str
    entity: tuple[str, str] | None = None
    path: tuple[Any, ...] = ()
    host: str | None = None
    severity: Severity = Severity.ERROR


class Gaps(BaseModel):
    """What the source could not provide, so that its consequences are not reported again.

    ``invalid``: kind → ids of entities that failed their schema (they are not in the model); ``unread``: kinds
    whose whole collection could not be read (``device``, ``site``, ``group``, ``circuit``, ``link``);
    ``broken_pairs``: the two ends of circuits/links that failed their schema; ``tainted_sites``: sites with a
    device or circuit that failed its schema (their connectivity is not judged).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    invalid: dict[str, frozenset[str]] = Field(default_factory=dict)
    unread: frozenset[str] = frozenset()
    broken_pairs: frozenset[frozenset[tuple[str, str]]] = frozenset()
    tainted_sites: frozenset[str] = frozenset()

    def bad(self, kind: str) -> frozenset[str]:
        return self.invalid.get(kind, frozenset())


class _Out:
    """The findings of one run, in order, plus the sites found tainted on the way (a run's own state).
    Checks in other modules take it as a :class:`nornir_tasks.inventory.validate_models.FindingSink`."""

    def __init__(self, gaps: Gaps) -> None:
        self.gaps = gaps
        self.items: list[EntityFinding] = []
        self.tainted: set[str] = set(gaps.tainted_sites)

    def add(self, code: str, message: str, hint: str, entity: Entity | None, *path: Any, host: str | None = None,
            severity: Severity = Severity.ERROR) -> None:
        self.items.append(EntityFinding(code=code, message=message, hint=hint, entity=entity, path=tuple(path),
                                        host=host, severity=severity))

    def device(self, code: str, message: str, hint: str, name: str, *path: Any) -> None:
        self.add(code, message, hint, ("device", name), *path, host=name)


def validate(inv: Inventory, *, today: date, gaps: Gaps | None = None) -> list[EntityFinding]:
    """Every cross-entity finding of ``inv`` (references, addressing, topology), in a stable order.

    Examples:
        >>> validate(Inventory(sites={}, devices={}, circuits={}), today=date(2026, 1, 1))
        []
    """
    from nornir_tasks.inventory.geocheck import geography_issues
    from nornir_tasks.inventory.history import history_issues
    from nornir_tasks.inventory.validate_models import check_models
    from nornir_tasks.inventory.validate_text import check_ascii

    out = _Out(gaps or Gaps())
    _check_references(inv, out)
    _check_addressing(inv, out, today)
    _check_topology(inv, out)
    check_models(inv, out)
    check_ascii(inv, out)
    for issue in [*geography_issues(inv), *history_issues(inv, today)]:
        out.add(issue.code, issue.message, issue.hint, (issue.kind, issue.key), *issue.path,
                host=issue.key if issue.kind == "device" else None, severity=issue.severity)
    return out.items


def locate(findings: Iterable[EntityFinding], origins: Mapping[tuple[str, str], tuple[str, PathKey]],
           line_of: Callable[[str, PathKey], int | None]) -> list[Finding]:
    """Findings with file, line and dotted field: an entity's origin ``(file, key path)`` joined with the finding's
    path; ``line_of(file, path)`` finds the line. An entity without an origin keeps only its host.

    Examples:
        >>> f = EntityFinding(code="INV-020", message="m", hint="h", entity=("device", "r1"), path=("data", "site"),
        ...                   host="r1")
        >>> [x.location() for x in locate([f], {("device", "r1"): ("hosts.yaml", ("r1",))}, lambda f, p: 7)]
        ['hosts.yaml:7 r1.data.site']
        >>> [x.location() for x in locate([f], {}, lambda f, p: 7)]
        ['r1']
    """
    from nornir_tasks.inventory.load import dotted

    out = []
    for f in findings:
        origin = origins.get(f.entity) if f.entity is not None else None
        file, line, field = None, None, None
        if origin is not None:
            file, key = origin
            full = (*key, *f.path)
            line, field = line_of(file, full), dotted(full) if full else None
        out.append(Finding(code=f.code, severity=f.severity, message=f.message, hint=f.hint, file=file, line=line,
                           field=field, host=f.host))
    return out


def gaps_of(ctx: _Ctx) -> Gaps:
    """The YAML loader's gaps: invalid entities, unreadable files, broken circuit/link ends, tainted sites."""
    unread = frozenset(kind for kind, file in COLLECTION_FILES.items() if file in ctx.failed_files)
    return Gaps(invalid={k: frozenset(v) for k, v in ctx.invalid.items()}, unread=unread,
                broken_pairs=frozenset(ctx.raw_pairs), tainted_sites=frozenset(ctx.tainted_sites))


def run_checks(result: LoadResult, ctx: _Ctx, *, today: date) -> None:
    """The YAML loader's step: validate the model, then locate each finding in its file."""
    found = validate(result.inventory, today=today, gaps=gaps_of(ctx))
    ctx.findings.extend(locate(found, ctx.origins, ctx.locate))


# ---------------------------------------------------------------------------------------------------------
def _check_end(inv: Inventory, out: _Out, kind: str, key: str, side: str, end: End,
               used: dict[tuple[str, str], str], itf_names: dict[str, set[str]]) -> None:
    if "device" in out.gaps.unread:
        return  # the devices could not be read at all: that finding says it all
    entity = (kind, key)
    dev = inv.devices.get(end.device)
    if dev is None:
        c = inv.circuits.get(key) if kind == "circuit" else None
        if c is not None:   # the other end's site cannot be judged for connectivity: this finding comes first
            other = inv.devices.get((c.z if side == "a" else c.a).device)
            if other is not None:
                out.tainted.add(other.site)
        if end.device not in out.gaps.bad("device"):
            out.add("INV-021", f"{kind} {key} end {side} names device {end.device!r}, which is not in hosts.yaml",
                    "fix the device name or add the device", entity, side)
        return
    if end.interface not in itf_names[dev.name]:
        names = ", ".join(i.name for i in dev.interfaces) or "none"
        out.add("INV-022",
                f"{kind} {key} end {side} names interface {end.interface!r}, which device {end.device} does not have",
                f"use one of its interfaces ({names}) or add the interface to the device", entity, side)
        return
    slot = (end.device, end.interface)
    if slot in used:
        out.add("INV-023", f"interface {end.label()} is used by {used[slot]} and again by {kind} {key}",
                "one interface carries one circuit or cable: use a sub-interface or another port", entity, side)
    else:
        used[slot] = f"{kind} {key}"


def _check_devices(inv: Inventory, out: _Out) -> None:
    gaps = out.gaps
    known_groups = set(inv.groups) | gaps.bad("group")
    for dev in inv.devices.values():
        if dev.site not in inv.sites and dev.site not in gaps.bad("site") and "site" not in gaps.unread:
            out.device("INV-020", f"device {dev.name} names site {dev.site!r}, which is not in sites.yaml",
                       "fix the site id or add the site to sites.yaml", dev.name, "data", "site")
        for i, g in enumerate(dev.groups):
            if g not in known_groups and "__" not in g and "group" not in gaps.unread:
                out.device("INV-024", f"device {dev.name} is in group {g!r}, which groups.yaml does not define",
                           "add the group to groups.yaml or remove it from the host", dev.name, "groups", i)
        seen: set[str] = set()
        for i, itf in enumerate(dev.interfaces):
            if itf.name in seen:
                out.device("INV-025", f"device {dev.name} lists interface {itf.name} twice",
                           "merge the two entries", dev.name, "data", "interfaces", i, "name")
            seen.add(itf.name)
    for group in inv.groups.values():
        for i, parent in enumerate(group.groups):
            if parent not in known_groups and "__" not in parent:
                out.add("INV-024", f"group {group.name} is in group {parent!r}, which groups.yaml does not define",
                        "add that group or remove the reference", ("group", group.name), "groups", i)


def _check_joins(inv: Inventory, out: _Out) -> None:
    used: dict[tuple[str, str], str] = {}
    names = {d.name: {i.name for i in d.interfaces} for d in inv.devices.values()}   # speed: no linear scans
    for c in inv.circuits.values():
        _check_end(inv, out, "circuit", c.id, "a", c.a, used, names)
        _check_end(inv, out, "circuit", c.id, "z", c.z, used, names)
    for link in inv.links.values():
        _check_end(inv, out, "link", link.id, "a", link.a, used, names)
        _check_end(inv, out, "link", link.id, "z", link.z, used, names)


def _check_lans(inv: Inventory, out: _Out) -> None:
    gaps = out.gaps
    vlans: dict[tuple[str, int], int] = {}
    for idx, lan in enumerate(inv.lans):
        entity = ("lan", f"{lan.site}#{idx}")
        if lan.site not in inv.sites and lan.site not in gaps.bad("site") and "site" not in gaps.unread:
            out.add("INV-026", f"LANs are listed for site {lan.site!r}, which is not in sites.yaml",
                    "fix the site id", ("lans", lan.site))
        if lan.gateway and lan.gateway not in inv.devices and lan.gateway not in gaps.bad("device") \
                and "device" not in gaps.unread:
            out.add("INV-026", f"VLAN {lan.vlan} at {lan.site} names gateway {lan.gateway!r}, which is not in hosts.yaml",
                    "fix the device name", entity, "gateway")
        key = (lan.site, lan.vlan)
        if key in vlans:
            out.add("INV-035", f"VLAN {lan.vlan} is defined twice at site {lan.site}",
                    "give each LAN of a site its own VLAN id", entity, "vlan")
        vlans[key] = idx
    for idx, alloc in enumerate(inv.allocations):
        if alloc.site and alloc.site not in inv.sites and alloc.site not in gaps.bad("site") \
                and "site" not in gaps.unread:
            out.add("INV-027", f"allocation {alloc.prefix} names site {alloc.site!r}, which is not in sites.yaml",
                    "fix the site id", ("allocation", str(idx)), "site")


def _check_references(inv: Inventory, out: _Out) -> None:
    _check_devices(inv, out)
    _check_joins(inv, out)
    _check_lans(inv, out)


# ---------------------------------------------------------------------------------------------------------
def _pairs(inv: Inventory) -> set[frozenset[tuple[str, str]]]:
    """Interface pairs joined by a circuit or a link (they legitimately share a subnet)."""
    out: set[frozenset[tuple[str, str]]] = set()
    for c in inv.circuits.values():
        out.add(frozenset({(c.a.device, c.a.interface), (c.z.device, c.z.interface)}))
    for link in inv.links.values():
        out.add(frozenset({(link.a.device, link.a.interface), (link.z.device, link.z.interface)}))
    return out


def _tslcd_interfaces(inv: Inventory) -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    for dev in inv.devices.values():
        for itf in dev.interfaces:
            if itf.zone is Zone.TSLCD:
                out.add((dev.name, itf.name))
    for c in inv.circuits.values():
        if c.network is Network.TSLCD:
            out.add((c.a.device, c.a.interface))
            out.add((c.z.device, c.z.interface))
    return out


def _covering(allocs: list[IPNet], net: IPNet) -> bool:
    return any(net.version == a.version and net.subnet_of(a) for a in allocs)  # type: ignore[arg-type]


class _Cover:
    """:func:`_covering` for many look-ups: allocations indexed by (version, prefix length), so a look-up
    costs one set probe per distinct allocation length instead of a scan of every allocation.

    Examples:
        >>> cover = _Cover([ipaddress.ip_network("10.12.0.0/16"), ipaddress.ip_network("2001:db8::/32")])
        >>> cover.covers(ipaddress.ip_network("10.12.5.0/24")), cover.covers(ipaddress.ip_network("10.13.0.0/30"))
        (True, False)
        >>> cover.covers(ipaddress.ip_network("10.0.0.0/8")), cover.covers(ipaddress.ip_network("2001:db8:1::/64"))
        (False, True)
    """

    def __init__(self, allocs: Iterable[IPNet]) -> None:
        self._by: dict[tuple[int, int], set[int]] = defaultdict(set)
        for a in allocs:
            self._by[(a.version, a.prefixlen)].add(int(a.network_address))

    def covers(self, net: IPNet) -> bool:
        version, plen, bits = net.version, net.prefixlen, net.max_prefixlen
        addr = int(net.network_address)
        for (v, alen), starts in self._by.items():
            if v == version and alen <= plen and (addr >> (bits - alen)) << (bits - alen) in starts:
                return True
        return False


def _overlaps_sorted(items: Iterable[tuple[IPNet, Any]]) -> list[tuple[tuple[IPNet, Any], tuple[IPNet, Any]]]:
    """Pairs of overlapping networks (a sweep over networks sorted by first address)."""
    found = []
    for version in (4, 6):
        # speed: first and last address as plain ints, computed once per network
        keyed = []
        for it in items:
            net = it[0]
            if net.version == version:
                start, plen = int(net.network_address), net.prefixlen
                keyed.append((start, -plen, start + (1 << (net.max_prefixlen - plen)) - 1, it))
        keyed.sort(key=lambda k: (k[0], k[1]))
        active: list[tuple[int, tuple[IPNet, Any]]] = []
        for start, _, last, item in keyed:
            active = [a for a in active if a[0] >= start]
            for a in active:
                found.append((a[1], item))
            active.append((last, item))
    return found


# ---------------------------------------------------------------------------------------------------------
Holder = tuple[str, str, int]      # (device, interface name, interface index; -1 for the loopback)


def _addresses(inv: Inventory) -> tuple[dict[tuple[int, int], list[Holder]], dict[tuple[int, int], Any],
                                         dict[IPNet, list[Holder]]]:
    """Every interface address: holders per address, the first address object per address, holders per subnet."""
    by_addr: dict[tuple[int, int], list[Holder]] = defaultdict(list)
    ip_of: dict[tuple[int, int], Any] = {}    # (version, address) -> the first interface holding it
    by_net: dict[IPNet, list[Holder]] = defaultdict(list)
    for dev in inv.devices.values():
        for i, itf in enumerate(dev.interfaces):
            for fam in ("ipv4", "ipv6"):
                addr = getattr(itf, fam)
                if addr is None:
                    continue
                key = (addr.version, int(addr))   # speed: addr.ip would build (and hash) a new object
                holders = by_addr[key]
                if not holders:
                    ip_of[key] = addr
                holders.append((dev.name, itf.name, i))
                if addr.network.prefixlen < addr.max_prefixlen:
                    by_net[addr.network].append((dev.name, itf.name, i))
        if dev.loopback_ipv4 is not None:
            key = (4, int(dev.loopback_ipv4))
            holders = by_addr[key]
            if not holders:
                ip_of[key] = dev.loopback_ipv4
            holders.append((dev.name, "loopback", -1))
    return by_addr, ip_of, by_net


def _check_duplicates(out: _Out, by_addr: dict[tuple[int, int], list[Holder]], ip_of: dict[tuple[int, int], Any]) -> None:
    for key, holders in by_addr.items():
        if len(holders) > 1:
            ip = ip_of[key].ip
            first = holders[0]
            for dev_name, itf_name, i in holders[1:]:
                path = ("data", "interfaces", i, "ipv4" if ip.version == 4 else "ipv6") if i >= 0 else ("data", "loopback_ipv4")
                out.device("INV-030", f"address {ip} on {dev_name}:{itf_name} is already used on {first[0]}:{first[1]}",
                           "give every interface its own address", dev_name, *path)


def _check_p2p(inv: Inventory, out: _Out) -> None:
    """Point-to-point ends share one /30 or /31 (or /126, /127, /64 for IPv6)."""
    # speed: name -> first interface of that name, as Device.interface() finds it, without linear scans
    itf_by_name = {d.name: {i.name: i for i in reversed(d.interfaces)} for d in inv.devices.values()}

    def check(kind: str, key: str, a: End, z: End) -> None:
        if a.device not in inv.devices or z.device not in inv.devices:
            return
        ia, iz = itf_by_name[a.device].get(a.interface), itf_by_name[z.device].get(z.interface)
        if ia is None or iz is None:
            return
        for fam, allowed in (("ipv4", (30, 31)), ("ipv6", (64, 126, 127))):
            xa, xz = getattr(ia, fam), getattr(iz, fam)
            if xa is None or xz is None:
                continue
            if xa.network != xz.network or xa.network.prefixlen not in allowed:
                out.add("INV-032",
                        f"{kind} {key}: ends {a.label()} ({xa}) and {z.label()} ({xz}) are not in the same "
                        f"/{' or /'.join(map(str, allowed))}",
                        "address both ends from one point-to-point subnet", (kind, key))

    for c in inv.circuits.values():
        check("circuit", c.id, c.a, c.z)
    for link in inv.links.values():
        check("link", link.id, link.a, link.z)


Tag = tuple[str, Any]     # ("itf", (device, interface, index)) or ("lan", (site, vlan, index))
_REUSE_HINT = "prefixes must not be reused across sites or agencies: take a free prefix from the allocation"


def _users_by_net(inv: Inventory, by_net: dict[IPNet, list[Holder]]) -> dict[IPNet, list[tuple[str, Tag]]]:
    """Sites using each subnet: interface subnets (not the out-of-band management network) and LAN prefixes."""
    users: dict[IPNet, list[tuple[str, Tag]]] = defaultdict(list)   # net -> [(site, tag)]
    for net, holders in by_net.items():
        for dev_name, itf_name, i in holders:
            dev = inv.devices[dev_name]
            if dev.interfaces[i].kind is InterfaceKind.MGMT:
                continue
            users[net].append((dev.site, ("itf", (dev_name, itf_name, i))))
    for idx, lan in enumerate(inv.lans):
        for lnet in (lan.ipv4, lan.ipv6):
            if lnet is not None:
                users[lnet].append((lan.site, ("lan", (lan.site, lan.vlan, idx))))
    return users


def _describe(tag: Tag, net: IPNet) -> tuple[str, Entity, PathKey, str | None]:
    """What uses a subnet, in words, and where: (text, entity, path, host)."""
    kind, val = tag
    fam = "ipv4" if net.version == 4 else "ipv6"
    if kind == "itf":
        return f"{val[0]}:{val[1]} ({net})", ("device", val[0]), ("data", "interfaces", val[2], fam), val[0]
    return f"VLAN {val[1]} of site {val[0]} ({net})", ("lan", f"{val[0]}#{val[2]}"), (fam,), None


def _check_reuse(out: _Out, users_by_net: dict[IPNet, list[tuple[str, Tag]]],
                 pairs: set[frozenset[tuple[str, str]]], joins_unknown: bool) -> None:
    """Identical subnets at several sites: one finding per extra site, not one per pair (except the two ends of
    one circuit/link)."""
    for net, users in users_by_net.items():
        if len({s for s, _ in users}) < 2:
            continue
        itfs = [t[1][:2] for _, t in users if t[0] == "itf"]
        if len(users) == 2 and len(itfs) == 2 and (frozenset(itfs) in pairs or joins_unknown):
            continue
        first_site, first_tag = users[0]
        first_what = _describe(first_tag, net)[0]
        for site_id, tag in users[1:]:
            if site_id == first_site:
                continue
            if tag[0] == "itf" and first_tag[0] == "itf" and frozenset({tag[1][:2], first_tag[1][:2]}) in pairs:
                continue
            what, entity, path, host = _describe(tag, net)
            out.add("INV-031", f"{what} is also used by {first_what} at site {first_site}", _REUSE_HINT, entity,
                    *path, host=host)


def _check_overlaps(out: _Out, users_by_net: dict[IPNet, list[tuple[str, Tag]]]) -> None:
    """Different subnets that overlap across sites (nested prefixes inside one site are fine)."""
    for (na, ua), (nb, ub) in _overlaps_sorted(list(users_by_net.items())):
        if na == nb:
            continue
        sa = {s for s, _ in ua}
        sb = {s for s, _ in ub}
        if sa <= sb and sb <= sa:
            continue   # nested prefixes inside one site (a LAN and the interface addressed in it)
        other_site = next(iter(sa - sb), None) or next(iter(sa))
        other_what = _describe(ua[0][1], na)[0]
        for site_id, tag in ub:
            if site_id in sa:
                continue
            what, entity, path, host = _describe(tag, nb)
            out.add("INV-031", f"{what} overlaps {other_what} at site {other_site}", _REUSE_HINT, entity, *path,
                    host=host)
            break


def _check_allocations(inv: Inventory, out: _Out, today: date) -> None:
    """Allocations: overlaps between different agencies, review dates."""
    alloc_items = [(a.prefix, (idx, a)) for idx, a in enumerate(inv.allocations)]
    for (na, (_ia, aa)), (nb, (ib, ab)) in _overlaps_sorted(alloc_items):
        if aa.agency == ab.agency and aa.site == ab.site and na != nb:
            continue
        if na == nb or aa.agency != ab.agency or aa.site != ab.site:
            out.add("INV-031", f"allocation {nb} ({ab.agency}) overlaps allocation {na} ({aa.agency})",
                    "prefixes must not be duplicated across agencies or services (Circular 19/2023)",
                    ("allocation", str(ib)), "prefix")
    limit = today - timedelta(days=REVIEW_DAYS)
    for idx, alloc in enumerate(inv.allocations):
        if alloc.last_review < limit:
            out.add("INV-034", f"allocation {alloc.prefix} ({alloc.agency}) was last reviewed on "
                               f"{alloc.last_review.isoformat()}, more than 12 months ago",
                    "review its use and update last_review (Circular 19/2023 asks for a yearly review)",
                    ("allocation", str(idx)), "last_review", severity=Severity.WARNING)


def _check_tslcd_facing(inv: Inventory, out: _Out) -> None:
    """Every TSLCD-facing prefix lies inside a TSLCD allocation."""
    tslcd_allocs = _Cover(a.prefix for a in inv.allocations if a.network is Network.TSLCD)
    positions: dict[str, dict[str, list[int]]] = {}   # device -> interface name -> indexes (names may repeat)
    for dev_name, itf_name in sorted(_tslcd_interfaces(inv)):
        dev = inv.devices.get(dev_name)
        if dev is None:
            continue
        slots = positions.get(dev_name)
        if slots is None:
            slots = positions[dev_name] = defaultdict(list)
            for i, itf in enumerate(dev.interfaces):
                slots[itf.name].append(i)
        for i in slots.get(itf_name, ()):
            _check_facing_interface(out, tslcd_allocs, dev_name, itf_name, i, dev.interfaces[i])


def _check_facing_interface(out: _Out, allocs: _Cover, dev_name: str, itf_name: str, i: int, itf: Interface) -> None:
    for fam in ("ipv4", "ipv6"):
        addr = getattr(itf, fam)
        if addr is not None and not allocs.covers(addr.network):
            out.device("INV-033", f"{dev_name}:{itf_name} faces the TSLCD network with {addr.network}, "
                                  "which lies in no TSLCD allocation",
                       "use a prefix the Central Post Office allocated, or record the allocation in "
                       "ip_allocations.yaml", dev_name, "data", "interfaces", i, fam)


def _check_addressing(inv: Inventory, out: _Out, today: date) -> None:
    by_addr, ip_of, by_net = _addresses(inv)
    _check_duplicates(out, by_addr, ip_of)
    _check_p2p(inv, out)
    users = _users_by_net(inv, by_net)
    pairs = _pairs(inv) | set(out.gaps.broken_pairs)
    _check_reuse(out, users, pairs, joins_unknown=bool(out.gaps.unread & {"circuit", "link"}))
    _check_overlaps(out, users)
    _check_allocations(inv, out, today)
    _check_tslcd_facing(inv, out)


# ---------------------------------------------------------------------------------------------------------
def gateways_by_province(inv: Inventory) -> dict[str, set[str]]:
    """Gateway devices (role gateway at a provincial centre) per province code."""
    out: dict[str, set[str]] = defaultdict(set)
    for dev in inv.devices.values():
        site = inv.sites.get(dev.site)
        if site is None:
            continue
        if dev.role is Role.GATEWAY and site.site_type is SiteType.PROVINCIAL_CENTRE:
            out[site.province_code].add(dev.name)
    return out


def circuits_by_device(inv: Inventory) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = defaultdict(list)
    for c in inv.circuits.values():
        out[c.a.device].append(c)
        if c.z.device != c.a.device:
            out[c.z.device].append(c)
    return out


def connected_sites(inv: Inventory) -> set[str]:
    """Sites with an active level-II TSLCD circuit from one of their devices to a gateway of their own province
    (DOMAIN rule A1). Used by validation, the baseline rules and the rollout metrics alike."""
    gateways = gateways_by_province(inv)
    out: set[str] = set()
    for c in inv.circuits.values():
        if c.status is not CircuitStatus.ACTIVE or c.access_level is not AccessLevel.II \
                or c.network is not Network.TSLCD:
            continue
        for near, far in ((c.a.device, c.z.device), (c.z.device, c.a.device)):
            dev = inv.devices.get(near)
            site = inv.sites.get(dev.site) if dev else None
            if site is not None and far in gateways.get(site.province_code, set()):
                out.add(site.id)
    return out


def _check_topology(inv: Inventory, out: _Out) -> None:
    if out.gaps.unread & {"device", "circuit"}:
        return  # cannot judge connectivity without the devices and circuits
    connected = connected_sites(inv)
    tainted = set(out.tainted)
    for pair in out.gaps.broken_pairs:
        for dev_name, _ in pair:
            dev = inv.devices.get(dev_name)
            if dev is not None:
                tainted.add(dev.site)
    for site in inv.sites.values():
        if site.level is not AdminLevel.COMMUNE or site.status is not SiteStatus.ACTIVE or site.id in connected:
            continue
        if site.id in tainted:
            continue  # one of its devices or circuits failed validation: that finding comes first
        out.add("INV-040", f"commune site {site.id} ({site.name}) is active but has no active level-II "
                           f"TSLCD circuit to a gateway of province {site.province_code}",
                "add or activate its level-II circuit, or set the site's status to what it really is "
                "(e.g. installed)", ("site", site.id), "status")
