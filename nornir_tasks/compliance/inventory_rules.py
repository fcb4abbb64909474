"""Named checks over the inventory model, used by baseline rules of kind ``check: <name>``.

Each check is a pure function ``(ctx, device, params) -> list[Outcome]``: an empty list means the device
passes; an outcome with ``status="warn"`` informs without making the device non-compliant. The shared,
once-per-run look-ups live in :class:`RuleContext`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from nornir_tasks.inventory.validate import connected_sites, gateways_by_province
from nornir_tasks.model import (
    AccessLevel,
    AdminLevel,
    Circuit,
    CircuitStatus,
    Device,
    Inventory,
    IpAllocation,
    Lan,
    Link,
    Network,
    Platform,
    Role,
    SiteStatus,
    SiteType,
    Zone,
)


@dataclass(frozen=True)
class Outcome:
    """A check's verdict on one device: ``fail`` or ``warn``, and a sentence that says what and where."""

    status: str
    message: str


@dataclass
class RuleContext:
    """Look-ups built once per run (not per device)."""

    inv: Inventory
    today: date
    connected: set[str] = field(default_factory=set)
    gateways: dict[str, set[str]] = field(default_factory=dict)
    circuits_of: dict[str, list[Circuit]] = field(default_factory=dict)
    links_of: dict[str, list[Link]] = field(default_factory=dict)
    devices_at: dict[str, list[Device]] = field(default_factory=dict)
    lans_at: dict[str, list[Lan]] = field(default_factory=dict)
    tslcd_allocs: list[IpAllocation] = field(default_factory=list)
    allocs_at: dict[str, list[IpAllocation]] = field(default_factory=dict)
    _by_len: dict[tuple[int, int], dict[int, list[IpAllocation]]] = field(default_factory=dict)
    _shared: dict[tuple[str, ...], Any] = field(default_factory=dict)

    def covering(self, net: Any) -> list[IpAllocation]:
        """TSLCD allocations that contain ``net`` (an index by prefix length: a few dict look-ups, not a scan)."""
        if not self._by_len:
            for a in self.tslcd_allocs:
                p = a.prefix
                self._by_len.setdefault((p.version, p.prefixlen), {}).setdefault(int(p.network_address), []).append(a)
        out: list[IpAllocation] = []
        addr = int(net.network_address)
        bits = net.max_prefixlen
        for (version, length), table in self._by_len.items():
            if version != net.version or length > net.prefixlen:
                continue
            key = (addr >> (bits - length)) << (bits - length)
            out.extend(table.get(key, ()))
        return out

    def shared(self, device: str) -> Any:
        """Merged shared data of a device, cached by its group chain (many devices share one chain)."""
        groups = self.inv.groups
        chain = tuple(g for g in self.inv.group_chain(device) if g in groups)
        hit = self._shared.get(chain)
        if hit is None:
            hit = self._shared[chain] = self.inv.shared_for(device)
        return hit

    @classmethod
    def build(cls, inv: Inventory, today: date) -> RuleContext:
        ctx = cls(inv=inv, today=today, connected=connected_sites(inv), gateways=dict(gateways_by_province(inv)))
        circ: dict[str, list[Circuit]] = defaultdict(list)
        for c in inv.circuits.values():
            circ[c.a.device].append(c)
            if c.z.device != c.a.device:
                circ[c.z.device].append(c)
        links: dict[str, list[Link]] = defaultdict(list)
        for link in inv.links.values():
            links[link.a.device].append(link)
            links[link.z.device].append(link)
        at: dict[str, list[Device]] = defaultdict(list)
        for d in inv.devices.values():
            at[d.site].append(d)
        lans: dict[str, list[Lan]] = defaultdict(list)
        for lan in inv.lans:
            lans[lan.site].append(lan)
        ctx.circuits_of, ctx.links_of, ctx.devices_at, ctx.lans_at = circ, links, at, lans
        ctx.tslcd_allocs = [a for a in inv.allocations if a.network is Network.TSLCD]
        for a in inv.allocations:
            if a.site:
                ctx.allocs_at.setdefault(a.site, []).append(a)
        return ctx


Check = Callable[[RuleContext, Device, dict[str, Any]], list[Outcome]]


def level2_own_province(ctx: RuleContext, dev: Device, params: dict[str, Any]) -> list[Outcome]:
    """A1: an active commune site has an active level-II TSLCD circuit to a gateway of its own province."""
    site = ctx.inv.sites[dev.site]
    if site.level is not AdminLevel.COMMUNE or site.status is not SiteStatus.ACTIVE or site.id in ctx.connected:
        return []
    return [Outcome("fail", f"site {site.id} ({site.name}) has no active level-II TSLCD circuit to a gateway of "
                            f"province {site.province_code}")]


def bandwidth_min(ctx: RuleContext, dev: Device, params: dict[str, Any]) -> list[Outcome]:
    """A5: the device's active level-II uplinks (customer end) carry at least ``min_mbps``; between
    ``warn_mbps`` and ``min_mbps`` is a warning, below ``warn_mbps`` a failure."""
    target = int(params.get("min_mbps", 200))
    warn = int(params.get("warn_mbps", target))
    out = []
    for c in ctx.circuits_of.get(dev.name, []):
        if c.a.device != dev.name or c.status is not CircuitStatus.ACTIVE or c.network is not Network.TSLCD \
                or c.access_level is not AccessLevel.II:
            continue
        if c.bandwidth_mbps < warn:
            out.append(Outcome("fail", f"circuit {c.id} runs at {c.bandwidth_mbps} Mbps, below the "
                                       f"{target} Mbps target (and below {warn} Mbps)"))
        elif c.bandwidth_mbps < target:
            out.append(Outcome("warn", f"circuit {c.id} runs at {c.bandwidth_mbps} Mbps, below the {target} Mbps target"))
    return out


def _tslcd_prefixes(ctx: RuleContext, dev: Device) -> list[tuple[str, Any]]:
    facing = {c.a.interface if c.a.device == dev.name else c.z.interface
              for c in ctx.circuits_of.get(dev.name, []) if c.network is Network.TSLCD}
    out = []
    for itf in dev.interfaces:
        if itf.zone is Zone.TSLCD or itf.name in facing:
            for addr in (itf.ipv4, itf.ipv6):
                if addr is not None:
                    out.append((itf.name, addr.network))
    return out


def prefixes_in_allocation(ctx: RuleContext, dev: Device, params: dict[str, Any]) -> list[Outcome]:
    """B1: every prefix on a TSLCD-facing interface lies in an allocation (by ``allocated_by`` if given)."""
    by = set(params.get("allocated_by", []))
    out = []
    for itf, net in _tslcd_prefixes(ctx, dev):
        if not any(not by or a.allocated_by.value in by for a in ctx.covering(net)):
            out.append(Outcome("fail", f"{itf} uses {net}, which lies in no TSLCD allocation"))
    return out


def allocations_reviewed(ctx: RuleContext, dev: Device, params: dict[str, Any]) -> list[Outcome]:
    """B3: the allocations of the device's site and those holding its TSLCD prefixes were reviewed within
    ``days`` (365)."""
    limit = ctx.today - timedelta(days=int(params.get("days", 365)))
    mine = list(ctx.allocs_at.get(dev.site, ()))
    for _itf, net in _tslcd_prefixes(ctx, dev):
        mine.extend(ctx.covering(net))
    out = []
    seen: set[Any] = set()
    for a in mine:
        if a.prefix in seen:
            continue
        seen.add(a.prefix)
        if a.last_review < limit:
            out.append(Outcome("fail", f"allocation {a.prefix} ({a.agency}) was last reviewed on "
                                       f"{a.last_review.isoformat()}"))
    return out


_SWITCHES = {Role.CORE_SWITCH, Role.DISTRIBUTION_SWITCH, Role.ACCESS_SWITCH}


def firewall_between_lan_and_ce(ctx: RuleContext, dev: Device, params: dict[str, Any]) -> list[Outcome]:
    """C1: a CE router does not route an agency LAN itself nor connect straight to a LAN switch; a site with
    LANs has a firewall."""
    if dev.role is not Role.CE_ROUTER:
        return []
    out = []
    lans = [lan for lan in ctx.lans_at.get(dev.site, []) if lan.zone is Zone.LAN]
    for lan in lans:
        if lan.gateway == dev.name:
            out.append(Outcome("fail", f"the CE routes LAN VLAN {lan.vlan} ({lan.name}) itself, with no firewall "
                                       "in between"))
    for link in ctx.links_of.get(dev.name, []):
        peer = link.z.device if link.a.device == dev.name else link.a.device
        pdev = ctx.inv.devices.get(peer)
        if pdev is not None and pdev.role in _SWITCHES:
            out.append(Outcome("fail", f"link {link.id} joins the CE straight to switch {peer}"))
    if lans and not any(d.role is Role.FIREWALL for d in ctx.devices_at.get(dev.site, [])):
        out.append(Outcome("fail", f"site {dev.site} has {len(lans)} LAN(s) but no firewall"))
    return out


def no_internet_at_state_secret(ctx: RuleContext, dev: Device, params: dict[str, Any]) -> list[Outcome]:
    """C3: no device at a state-secret site ends an Internet circuit."""
    site = ctx.inv.sites[dev.site]
    if not site.state_secret:
        return []
    return [Outcome("fail", f"circuit {c.id} connects this state-secret site to the Internet")
            for c in ctx.circuits_of.get(dev.name, [])
            if c.network is Network.INTERNET and c.status is not CircuitStatus.DECOMMISSIONED]


def focal_point(ctx: RuleContext, dev: Device, params: dict[str, Any]) -> list[Outcome]:
    """D1: the device's site names a technical focal point and the responsible IT unit (``require``: extra
    fields such as ``phone``)."""
    site = ctx.inv.sites[dev.site]
    fp = site.focal_point
    if fp is None:
        return [Outcome("fail", f"site {site.id} names no technical focal point (đầu mối kỹ thuật)")]
    missing = [f for f in ("unit", *params.get("require", [])) if not getattr(fp, f, None)]
    if missing:
        return [Outcome("fail", f"the focal point of site {site.id} lacks: {', '.join(missing)}")]
    return []


def ipv6_on_wan(ctx: RuleContext, dev: Device, params: dict[str, Any]) -> list[Outcome]:
    """B6: every TSLCD-facing WAN interface carries an IPv6 address (IPv6 for Gov programme)."""
    facing = {c.a.interface if c.a.device == dev.name else c.z.interface
              for c in ctx.circuits_of.get(dev.name, []) if c.network is Network.TSLCD
              and c.status is CircuitStatus.ACTIVE}
    return [Outcome("fail", f"WAN interface {itf.name} has no IPv6 address")
            for itf in dev.interfaces if itf.name in facing and itf.ipv6 is None]





# ---------------------------------------------------------------------------------------------------------
# A2, A7, C2, C11 (docs/DOMAIN.md "Candidate compliance rules")
# ---------------------------------------------------------------------------------------------------------
def backbone_diverse_backup(ctx: RuleContext, dev: Device, params: dict[str, Any]) -> list[Outcome]:
    """A2: a provincial centre's gateway has an active level-I TSLCD circuit and a diverse backup: a second active
    level-I circuit that ends on another far-end device (at another site, unless ``same_site_ok``)."""
    site = ctx.inv.sites[dev.site]
    if dev.role is not Role.GATEWAY or site.site_type is not SiteType.PROVINCIAL_CENTRE:
        return []
    far: list[tuple[Circuit, str]] = []
    for c in ctx.circuits_of.get(dev.name, []):
        if c.status is not CircuitStatus.ACTIVE or c.network is not Network.TSLCD or c.access_level is not AccessLevel.I:
            continue
        other = c.z.device if c.a.device == dev.name else c.a.device
        far.append((c, other))
    if not far:
        return [Outcome("fail", f"gateway {dev.name} has no active level-I TSLCD circuit to the backbone")]
    if len(far) < 2:
        return [Outcome("fail", f"gateway {dev.name} has one active level-I circuit ({far[0][0].id}) and no backup")]
    devices = {d for _, d in far}
    if len(devices) < 2:
        return [Outcome("fail", f"the level-I circuits of {dev.name} ({', '.join(c.id for c, _ in far)}) all end on "
                                f"{far[0][1]}: the backup is not diverse")]
    far_sites = {ctx.inv.devices[d].site for d in devices if d in ctx.inv.devices}
    if len(far_sites) < 2 and not params.get("same_site_ok", False):
        return [Outcome("warn", f"the level-I circuits of {dev.name} end on two devices at one site "
                                f"({next(iter(far_sites), '?')}): diverse devices, not diverse sites")]
    return []


class AbolishedParams(BaseModel):
    """A7's parameters: the day the district level ended."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    abolished_on: date = date(2025, 7, 1)


def no_abolished_district(ctx: RuleContext, dev: Device, params: dict[str, Any]) -> list[Outcome]:
    """A7: after the district level was abolished (2025-07-01), no device sits at a district-level site that is
    not decommissioned, and no live circuit of the device ends at one."""
    p = AbolishedParams.model_validate(params)
    if ctx.today < p.abolished_on:
        return []
    sites = ctx.inv.sites
    out = []
    site = sites[dev.site]
    if site.level is AdminLevel.DISTRICT_LEGACY and site.status is not SiteStatus.DECOMMISSIONED:
        out.append(Outcome("fail", f"site {site.id} is a district-level site ({site.status.value}); the district "
                                   f"level ended on {p.abolished_on}: re-home it to its commune or province"))
    for c in ctx.circuits_of.get(dev.name, []):
        if c.status is CircuitStatus.DECOMMISSIONED:
            continue
        other = ctx.inv.devices.get(c.z.device if c.a.device == dev.name else c.a.device)
        far = sites.get(other.site) if other is not None else None
        if far is not None and far.id != site.id and far.level is AdminLevel.DISTRICT_LEGACY:
            out.append(Outcome("fail", f"circuit {c.id} ({c.status.value}) ends at district-level site {far.id}; "
                                       f"the district level ended on {p.abolished_on}"))
    return out


def separate_zones_tslcd_internet(ctx: RuleContext, dev: Device, params: dict[str, Any]) -> list[Outcome]:
    """C2: where a device ends both a TSLCD and an Internet circuit, it is a firewall and the two end in
    separate zones (the TSLCD side in zone ``tslcd``, the Internet side in zone ``internet``)."""
    ends: dict[Network, list[tuple[Circuit, str]]] = defaultdict(list)
    for c in ctx.circuits_of.get(dev.name, []):
        if c.status is CircuitStatus.DECOMMISSIONED or c.network not in (Network.TSLCD, Network.INTERNET):
            continue
        ends[c.network].append((c, c.a.interface if c.a.device == dev.name else c.z.interface))
    if not ends.get(Network.TSLCD) or not ends.get(Network.INTERNET):
        return []
    if dev.role is not Role.FIREWALL:
        return [Outcome("fail", f"{dev.role.value} {dev.name} ends both TSLCD ({ends[Network.TSLCD][0][0].id}) and "
                                f"Internet ({ends[Network.INTERNET][0][0].id}) circuits: terminate them on a firewall, "
                                "in separate zones")]
    out = []
    zone_of = {itf.name: itf.zone for itf in dev.interfaces}
    for network, want in ((Network.TSLCD, Zone.TSLCD), (Network.INTERNET, Zone.INTERNET)):
        for c, itf in ends[network]:
            if zone_of.get(itf) is not want:
                have = zone_of.get(itf)
                out.append(Outcome("fail", f"{network.value} circuit {c.id} ends on {itf} in zone "
                                           f"{have.value if have else 'none'}, not in zone {want.value}"))
    return out


class EndOfSupport(BaseModel):
    """One row of the end-of-support table: a platform's software train and the day its support ends."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    platform: Platform
    train: str = Field(min_length=1)          # version prefix: "21.2", "16.9", "15.5(3)M", "4.28"
    end_of_support: date
    source: str = Field(min_length=1)         # the vendor's lifecycle page (URL) the date is read from
    verified: bool = False                    # True once the date was checked against that page


class EndOfSupportParams(BaseModel):
    """C11's parameters: the table (data with its sources)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    table: tuple[EndOfSupport, ...] = Field(min_length=1)


def _train_matches(version: str, train: str) -> bool:
    """Whether ``version`` belongs to ``train`` (a prefix that ends at a number boundary).

    Examples:
        >>> _train_matches("21.2R3-S4", "21.2"), _train_matches("21.20R1", "21.2"), _train_matches("15.5(3)M10", "15.5(3)M")
        (True, False, True)
    """
    if not version.startswith(train):
        return False
    rest = version[len(train):]
    return not rest or not (rest[0].isdigit() and train[-1].isdigit())


def os_supported(ctx: RuleContext, dev: Device, params: dict[str, Any]) -> list[Outcome]:
    """C11: the device's OS train is not past its end of support in the table; a date not yet verified against
    the vendor's page only warns."""
    if not dev.os_version:
        return []
    table = EndOfSupportParams.model_validate(params).table
    rows = [r for r in table if r.platform is dev.platform and _train_matches(dev.os_version, r.train)]
    if not rows:
        return []
    row = max(rows, key=lambda r: len(r.train))
    if ctx.today <= row.end_of_support:
        return []
    status = "fail" if row.verified else "warn"
    note = "" if row.verified else " (date not yet verified against the vendor's page)"
    return [Outcome(status, f"{dev.platform.value} {dev.os_version} (train {row.train}) is past its end of support "
                            f"on {row.end_of_support}{note}; source: {row.source}")]


#: Check name (as written in baseline files) → function.
CHECKS: dict[str, Check] = {
    "level2_own_province": level2_own_province,
    "bandwidth_min": bandwidth_min,
    "prefixes_in_allocation": prefixes_in_allocation,
    "allocations_reviewed": allocations_reviewed,
    "firewall_between_lan_and_ce": firewall_between_lan_and_ce,
    "no_internet_at_state_secret": no_internet_at_state_secret,
    "focal_point": focal_point,
    "ipv6_on_wan": ipv6_on_wan,
    "backbone_diverse_backup": backbone_diverse_backup,
    "no_abolished_district": no_abolished_district,
    "separate_zones_tslcd_internet": separate_zones_tslcd_internet,
    "os_supported": os_supported,
}

#: Typed parameters of the checks that have them (validated when the baseline is loaded).
CHECK_PARAMS: dict[str, type[BaseModel]] = {
    "no_abolished_district": AbolishedParams,
    "os_supported": EndOfSupportParams,
}
