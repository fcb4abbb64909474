"""Checks across the whole inventory: references, addressing and topology.

Each check adds findings with a stable code (see :data:`nornir_tasks.errors.CATALOG`), the file and line
of the entity concerned, and a hint. Checks run on whatever part of the inventory was valid, so one run
reports every problem at once.
"""

from __future__ import annotations

import ipaddress
from collections import defaultdict
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Iterable

from nornir_tasks.errors import Severity
from nornir_tasks.inventory.validate_models import check_models
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

#: An allocation not reviewed within this many days draws a warning (Circular 19/2023: yearly review).
REVIEW_DAYS = 365


def run_checks(result: LoadResult, ctx: _Ctx, *, today: date) -> None:
    from nornir_tasks.inventory.geocheck import geography_issues
    from nornir_tasks.inventory.history import history_issues

    inv = result.inventory
    _check_references(inv, ctx)
    _check_addressing(inv, ctx, today)
    _check_topology(inv, ctx)
    check_models(inv, ctx)
    _add_issues(ctx, [*geography_issues(inv), *history_issues(inv, today)])


def _add_issues(ctx: _Ctx, issues: Iterable[Any]) -> None:
    """Findings from the pure checks (:class:`nornir_tasks.inventory.history.Issue`), with file and line."""
    for issue in issues:
        file, path = ctx.where(issue.kind, issue.key)
        ctx.add(issue.code, issue.message, issue.hint, file=file, path=(*path, *issue.path) if file else (),
                severity=issue.severity, host=issue.key if issue.kind == "device" else None)


# ---------------------------------------------------------------------------------------------------------
def _dev_where(ctx: _Ctx, name: str, *rest: Any) -> dict[str, Any]:
    file, path = ctx.where("device", name)
    return {"file": file, "path": (*path, *rest) if file else (), "host": name}


def _check_end(inv: Inventory, ctx: _Ctx, kind: str, key: str, side: str, end: End,
               used: dict[tuple[str, str], str], itf_names: dict[str, set[str]] | None = None) -> None:
    if "hosts.yaml" in ctx.failed_files:
        return  # hosts.yaml itself could not be read: that finding says it all
    file, path = ctx.where(kind, key)
    where = {"file": file, "path": (*path, side)}
    invalid_devices = ctx.invalid.get("device", set())
    dev = inv.devices.get(end.device)
    if dev is None:
        c = inv.circuits.get(key) if kind == "circuit" else None
        if c is not None:   # the other end's site cannot be judged for connectivity: this finding comes first
            other = inv.devices.get((c.z if side == "a" else c.a).device)
            if other is not None:
                ctx.tainted_sites.add(other.site)
        if end.device not in invalid_devices:
            ctx.add("INV-021", f"{kind} {key} end {side} names device {end.device!r}, which is not in hosts.yaml",
                    "fix the device name or add the device", **where)
        return
    if (end.interface not in itf_names[dev.name]) if itf_names is not None else dev.interface(end.interface) is None:
        names = ", ".join(i.name for i in dev.interfaces) or "none"
        ctx.add("INV-022",
                f"{kind} {key} end {side} names interface {end.interface!r}, which device {end.device} does not have",
                f"use one of its interfaces ({names}) or add the interface to the device", **where)
        return
    slot = (end.device, end.interface)
    if slot in used:
        ctx.add("INV-023", f"interface {end.label()} is used by {used[slot]} and again by {kind} {key}",
                "one interface carries one circuit or cable: use a sub-interface or another port", **where)
    else:
        used[slot] = f"{kind} {key}"


def _check_references(inv: Inventory, ctx: _Ctx) -> None:
    invalid_sites = ctx.invalid.get("site", set())
    sites_unread = "sites.yaml" in ctx.failed_files
    known_groups = set(inv.groups) | ctx.invalid.get("group", set())
    groups_unread = "groups.yaml" in ctx.failed_files
    for dev in inv.devices.values():
        if dev.site not in inv.sites and dev.site not in invalid_sites and not sites_unread:
            ctx.add("INV-020", f"device {dev.name} names site {dev.site!r}, which is not in sites.yaml",
                    "fix the site id or add the site to sites.yaml", **_dev_where(ctx, dev.name, "data", "site"))
        for i, g in enumerate(dev.groups):
            if g not in known_groups and "__" not in g and not groups_unread:
                ctx.add("INV-024", f"device {dev.name} is in group {g!r}, which groups.yaml does not define",
                        "add the group to groups.yaml or remove it from the host",
                        **_dev_where(ctx, dev.name, "groups", i))
        seen: set[str] = set()
        for i, itf in enumerate(dev.interfaces):
            if itf.name in seen:
                ctx.add("INV-025", f"device {dev.name} lists interface {itf.name} twice",
                        "merge the two entries", **_dev_where(ctx, dev.name, "data", "interfaces", i, "name"))
            seen.add(itf.name)
    for group in inv.groups.values():
        for i, parent in enumerate(group.groups):
            if parent not in known_groups and "__" not in parent:
                ctx.add("INV-024", f"group {group.name} is in group {parent!r}, which groups.yaml does not define",
                        "add that group or remove the reference", file="groups.yaml", path=(group.name, "groups", i))
    used: dict[tuple[str, str], str] = {}
    names = {d.name: {i.name for i in d.interfaces} for d in inv.devices.values()}   # speed: no linear scans
    for c in inv.circuits.values():
        _check_end(inv, ctx, "circuit", c.id, "a", c.a, used, names)
        _check_end(inv, ctx, "circuit", c.id, "z", c.z, used, names)
    for link in inv.links.values():
        _check_end(inv, ctx, "link", link.id, "a", link.a, used, names)
        _check_end(inv, ctx, "link", link.id, "z", link.z, used, names)
    vlans: dict[tuple[str, int], int] = {}
    for idx, lan in enumerate(inv.lans):
        file, path = ctx.where("lan", f"{lan.site}#{idx}")
        if lan.site not in inv.sites and lan.site not in invalid_sites and not sites_unread:
            ctx.add("INV-026", f"LANs are listed for site {lan.site!r}, which is not in sites.yaml",
                    "fix the site id", file=file, path=path[:1])
        if lan.gateway and lan.gateway not in inv.devices and lan.gateway not in ctx.invalid.get("device", set()) \
                and "hosts.yaml" not in ctx.failed_files:
            ctx.add("INV-026", f"VLAN {lan.vlan} at {lan.site} names gateway {lan.gateway!r}, which is not in hosts.yaml",
                    "fix the device name", file=file, path=(*path, "gateway"))
        key = (lan.site, lan.vlan)
        if key in vlans:
            ctx.add("INV-035", f"VLAN {lan.vlan} is defined twice at site {lan.site}",
                    "give each LAN of a site its own VLAN id", file=file, path=(*path, "vlan"))
        vlans[key] = idx
    for idx, alloc in enumerate(inv.allocations):
        if alloc.site and alloc.site not in inv.sites and alloc.site not in invalid_sites and not sites_unread:
            file, path = ctx.where("allocation", str(idx))
            ctx.add("INV-027", f"allocation {alloc.prefix} names site {alloc.site!r}, which is not in sites.yaml",
                    "fix the site id", file=file, path=(*path, "site"))


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


def _check_addressing(inv: Inventory, ctx: _Ctx, today: date) -> None:
    pairs = _pairs(inv) | ctx.raw_pairs
    by_addr: dict[Any, list[tuple[str, str, int]]] = defaultdict(list)
    ip_of: dict[tuple[int, int], Any] = {}    # (version, address) -> the first interface holding it
    by_net: dict[IPNet, list[tuple[str, str, int]]] = defaultdict(list)
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

    for key, holders in by_addr.items():
        if len(holders) > 1:
            ip = ip_of[key].ip
            first = holders[0]
            for dev_name, itf_name, i in holders[1:]:
                path = ("data", "interfaces", i, "ipv4" if ip.version == 4 else "ipv6") if i >= 0 else ("data", "loopback_ipv4")
                ctx.add("INV-030", f"address {ip} on {dev_name}:{itf_name} is already used on {first[0]}:{first[1]}",
                        "give every interface its own address", **_dev_where(ctx, dev_name, *path))

    # point-to-point ends share one /30 or /31 (or /126, /127, /64 for IPv6)
    # (speed: name -> first interface of that name, as Device.interface() finds it, without linear scans)
    itf_by_name = {d.name: {i.name: i for i in reversed(d.interfaces)} for d in inv.devices.values()}

    def check_p2p(kind: str, key: str, a: End, z: End) -> None:
        da, dz = inv.devices.get(a.device), inv.devices.get(z.device)
        if da is None or dz is None:
            return
        ia, iz = itf_by_name[a.device].get(a.interface), itf_by_name[z.device].get(z.interface)
        if ia is None or iz is None:
            return
        file, path = ctx.where(kind, key)
        for fam, allowed in (("ipv4", (30, 31)), ("ipv6", (64, 126, 127))):
            xa, xz = getattr(ia, fam), getattr(iz, fam)
            if xa is None or xz is None:
                continue
            if xa.network != xz.network or xa.network.prefixlen not in allowed:
                ctx.add("INV-032",
                        f"{kind} {key}: ends {a.label()} ({xa}) and {z.label()} ({xz}) are not in the same "
                        f"/{' or /'.join(map(str, allowed))}",
                        "address both ends from one point-to-point subnet", file=file, path=path)

    for c in inv.circuits.values():
        check_p2p("circuit", c.id, c.a, c.z)
    for link in inv.links.values():
        check_p2p("link", link.id, link.a, link.z)

    # overlapping subnets across sites: interface subnets (except the two ends of one circuit/link, and the
    # shared out-of-band management network) and LAN prefixes. Identical networks are grouped first so a
    # prefix reused at many sites gives one finding per extra site, not one per pair.
    users_by_net: dict[IPNet, list[tuple[str, Any]]] = defaultdict(list)   # net -> [(site, tag)]
    for net, users in by_net.items():
        for dev_name, itf_name, i in users:
            dev = inv.devices[dev_name]
            if dev.interfaces[i].kind is InterfaceKind.MGMT:
                continue
            users_by_net[net].append((dev.site, ("itf", (dev_name, itf_name, i))))
    for idx, lan in enumerate(inv.lans):
        for net in (lan.ipv4, lan.ipv6):
            if net is not None:
                users_by_net[net].append((lan.site, ("lan", (lan.site, lan.vlan, idx))))

    def describe(tag: Any, net: IPNet) -> tuple[str, dict[str, Any]]:
        kind, val = tag
        fam = "ipv4" if net.version == 4 else "ipv6"
        if kind == "itf":
            return f"{val[0]}:{val[1]} ({net})", _dev_where(ctx, val[0], "data", "interfaces", val[2], fam)
        file, path = ctx.where("lan", f"{val[0]}#{val[2]}")
        return f"VLAN {val[1]} of site {val[0]} ({net})", {"file": file, "path": (*path, fam)}

    hint = "prefixes must not be reused across sites or agencies: take a free prefix from the allocation"
    joins_unknown = bool(ctx.failed_files & {"circuits.yaml", "links.yaml"})
    for net, users in users_by_net.items():
        sites_here = {s for s, _ in users}
        if len(sites_here) < 2:
            continue
        itfs = [t[1][:2] for _, t in users if t[0] == "itf"]
        if len(users) == 2 and len(itfs) == 2 and (frozenset(itfs) in pairs or joins_unknown):
            continue
        first_site, first_tag = users[0]
        first_what, _ = describe(first_tag, net)
        for site_id, tag in users[1:]:
            if site_id == first_site:
                continue
            if tag[0] == "itf" and first_tag[0] == "itf" and frozenset({tag[1][:2], first_tag[1][:2]}) in pairs:
                continue
            what, where = describe(tag, net)
            ctx.add("INV-031", f"{what} is also used by {first_what} at site {first_site}", hint, **where)
    distinct = [(net, users) for net, users in users_by_net.items()]
    for (na, ua), (nb, ub) in _overlaps_sorted(distinct):
        if na == nb:
            continue
        sa = {s for s, _ in ua}
        sb = {s for s, _ in ub}
        if sa <= sb and sb <= sa:
            continue   # nested prefixes inside one site (a LAN and the interface addressed in it)
        other_site = next(iter(sa - sb), None) or next(iter(sa))
        other_what, _ = describe(ua[0][1], na)
        for site_id, tag in ub:
            if site_id in sa:
                continue
            what, where = describe(tag, nb)
            ctx.add("INV-031", f"{what} overlaps {other_what} at site {other_site}", hint, **where)
            break

    # allocations: overlaps between different agencies, review dates
    alloc_items = [(a.prefix, (idx, a)) for idx, a in enumerate(inv.allocations)]
    for (na, (ia, aa)), (nb, (ib, ab)) in _overlaps_sorted(alloc_items):
        if aa.agency == ab.agency and aa.site == ab.site and na != nb:
            continue
        if na == nb or aa.agency != ab.agency or aa.site != ab.site:
            file, path = ctx.where("allocation", str(ib))
            ctx.add("INV-031", f"allocation {nb} ({ab.agency}) overlaps allocation {na} ({aa.agency})",
                    "prefixes must not be duplicated across agencies or services (Circular 19/2023)",
                    file=file, path=(*path, "prefix"))
    limit = today - timedelta(days=REVIEW_DAYS)
    for idx, alloc in enumerate(inv.allocations):
        if alloc.last_review < limit:
            file, path = ctx.where("allocation", str(idx))
            ctx.add("INV-034", f"allocation {alloc.prefix} ({alloc.agency}) was last reviewed on "
                               f"{alloc.last_review.isoformat()}, more than 12 months ago",
                    "review its use and update last_review (Circular 19/2023 asks for a yearly review)",
                    file=file, path=(*path, "last_review"), severity=Severity.WARNING)

    # every TSLCD-facing prefix lies inside a TSLCD allocation
    tslcd_allocs = _Cover(a.prefix for a in inv.allocations if a.network is Network.TSLCD)
    facing = _tslcd_interfaces(inv)
    positions: dict[str, dict[str, list[int]]] = {}   # device -> interface name -> indexes (names may repeat)
    for dev_name, itf_name in sorted(facing):
        dev = inv.devices.get(dev_name)
        if dev is None:
            continue
        slots = positions.get(dev_name)
        if slots is None:
            slots = positions[dev_name] = defaultdict(list)
            for i, itf in enumerate(dev.interfaces):
                slots[itf.name].append(i)
        for i in slots.get(itf_name, ()):
            itf = dev.interfaces[i]
            for fam in ("ipv4", "ipv6"):
                addr = getattr(itf, fam)
                if addr is not None and not tslcd_allocs.covers(addr.network):
                    ctx.add("INV-033", f"{dev_name}:{itf_name} faces the TSLCD network with {addr.network}, "
                                       "which lies in no TSLCD allocation",
                            "use a prefix the Central Post Office allocated, or record the allocation in "
                            "ip_allocations.yaml", **_dev_where(ctx, dev_name, "data", "interfaces", i, fam))


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


def _check_topology(inv: Inventory, ctx: _Ctx) -> None:
    if ctx.failed_files & {"hosts.yaml", "circuits.yaml"}:
        return  # cannot judge connectivity without the devices and circuits
    connected = connected_sites(inv)
    tainted = set(ctx.tainted_sites)
    for pair in ctx.raw_pairs:
        for dev_name, _ in pair:
            dev = inv.devices.get(dev_name)
            if dev is not None:
                tainted.add(dev.site)
    for site in inv.sites.values():
        if site.level is not AdminLevel.COMMUNE or site.status is not SiteStatus.ACTIVE or site.id in connected:
            continue
        if site.id in tainted:
            continue  # one of its devices or circuits failed validation: that finding comes first
        file, path = ctx.where("site", site.id)
        ctx.add("INV-040", f"commune site {site.id} ({site.name}) is active but has no active level-II "
                           f"TSLCD circuit to a gateway of province {site.province_code}",
                "add or activate its level-II circuit, or set the site's status to what it really is "
                "(e.g. installed)", file=file, path=(*path, "status"))
