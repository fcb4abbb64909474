"""The data a template sees for one device: the render context contract.

Every template of every platform gets the same variables (documented in ``templates/README.md``):

``device``      the :class:`~nornir_tasks.model.Device` (name, platform, role, loopback_ipv4, asn, ...)
``site``        its :class:`~nornir_tasks.model.Site`
``cfg``         merged shared data (:class:`~nornir_tasks.model.SharedData`: defaults ← groups ← host):
                ntp_servers, logging_hosts, tacacs_servers, radius_servers, dns_servers, domain_name, banner,
                local_users, snmp_users, snmp_location, mgmt_acl, timezone, ospf_hello, ospf_dead
``interfaces``  list of :class:`InterfaceView` (the interface plus the circuit/link it carries)
``circuits``    list of :class:`CircuitView` (this device's end of each circuit, with its routing)
``lans``        the site's :class:`~nornir_tasks.model.Lan` list (``lans_routed``: those this device routes)
``ospf``        :class:`OspfView` or None: router id, areas and interfaces that run OSPF on this device
``bgp``         :class:`BgpView` or None: local ASN, router id and neighbours from the circuits
``statics``     list of (prefix, next hop) static routes derived from static-routed circuits
``lab``         True when rendering the lab (FRR) stand-in of a device of another platform

Nothing here imports nornir; the context is built from the model alone.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Any

from nornir_tasks.model import (
    Circuit,
    CircuitStatus,
    Device,
    Interface,
    Inventory,
    Lan,
    Link,
    RoutingProtocol,
    SharedData,
    Site,
)

ACTIVE_FOR_CONFIG = {CircuitStatus.ACTIVE, CircuitStatus.ORDERED, CircuitStatus.SUSPENDED}


def lab_ifname(device: Device, itf: Interface) -> str:
    """Name of an interface inside the lab, where every device is an FRR router in a Linux namespace.

    FRR devices keep their own (Linux) names; other platforms' names (``GigabitEthernet0/0/1.101``) do not fit
    Linux's 15-character limit, so they become ``e<index in the device's interface list>``.

    Examples:
        >>> d = Device(name="r1", hostname="10.0.0.1", platform="cisco_ios", site="s", role="ce_router",
        ...            interfaces=[{"name": "GigabitEthernet0/0/0", "kind": "wan"}])
        >>> lab_ifname(d, d.interfaces[0])
        'e0'
    """
    if device.platform.value == "frr":
        return itf.name
    return f"e{device.interfaces.index(itf)}"


@dataclass(frozen=True)
class InterfaceView:
    itf: Interface
    circuit: Circuit | None = None
    link: Link | None = None
    peer_device: str | None = None
    peer_interface: str | None = None

    def __getattr__(self, name: str) -> Any:   # templates read itf fields directly: i.name, i.ipv4 ...
        return getattr(self.itf, name)

    @property
    def is_routed(self) -> bool:
        return self.itf.ipv4 is not None or self.itf.ipv6 is not None


@dataclass(frozen=True)
class CircuitView:
    circuit: Circuit
    side: str                      # "a" (customer end) or "z" (gateway end)
    interface: Interface
    peer_device: str
    peer_interface: Interface | None
    local_asn: int | None
    peer_asn: int | None

    @property
    def id(self) -> str:
        return self.circuit.id

    @property
    def protocol(self) -> str:
        return self.circuit.routing.protocol.value

    @property
    def peer_ipv4(self) -> ipaddress.IPv4Address | None:
        return self.peer_interface.ipv4.ip if self.peer_interface and self.peer_interface.ipv4 else None

    @property
    def peer_ipv6(self) -> ipaddress.IPv6Address | None:
        return self.peer_interface.ipv6.ip if self.peer_interface and self.peer_interface.ipv6 else None


@dataclass(frozen=True)
class OspfView:
    router_id: ipaddress.IPv4Address | None
    interfaces: list[tuple[InterfaceView, str]]       # (interface, area)
    passive: list[InterfaceView]                      # LAN interfaces advertised but without neighbours
    hello: int | None
    dead: int | None


@dataclass(frozen=True)
class BgpNeighbor:
    address: ipaddress.IPv4Address | ipaddress.IPv6Address
    remote_asn: int
    description: str
    circuit: str


@dataclass(frozen=True)
class BgpView:
    asn: int
    router_id: ipaddress.IPv4Address | None
    neighbors: list[BgpNeighbor]
    networks: list[ipaddress.IPv4Network]


@dataclass
class RenderContext:
    device: Device
    site: Site
    cfg: SharedData
    interfaces: list[InterfaceView]
    circuits: list[CircuitView]
    lans: list[Lan]
    lans_routed: list[Lan]
    ospf: OspfView | None
    bgp: BgpView | None
    statics: list[tuple[Any, Any]] = field(default_factory=list)
    lab: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


class ContextIndex:
    """Look-ups built once per inventory so building 10,000 contexts stays linear."""

    def __init__(self, inv: Inventory) -> None:
        self.inv = inv
        self.circuits: dict[str, list[Circuit]] = {}
        self.by_itf: dict[tuple[str, str], Circuit] = {}
        self.links: dict[tuple[str, str], Link] = {}
        self.lans: dict[str, list[Lan]] = {}
        for c in inv.circuits.values():
            self.circuits.setdefault(c.a.device, []).append(c)
            if c.z.device != c.a.device:
                self.circuits.setdefault(c.z.device, []).append(c)
            self.by_itf[(c.a.device, c.a.interface)] = c
            self.by_itf[(c.z.device, c.z.interface)] = c
        for link in inv.links.values():
            self.links[(link.a.device, link.a.interface)] = link
            self.links[(link.z.device, link.z.interface)] = link
        for lan in inv.lans:
            self.lans.setdefault(lan.site, []).append(lan)
        self._shared: dict[tuple[str, ...], SharedData] = {}

    def shared(self, device: str) -> SharedData:
        chain = tuple(self.inv.group_chain(device))
        hit = self._shared.get(chain)
        if hit is None:
            hit = self._shared[chain] = self.inv.shared_for(device)
        return hit


def build_context(inv: Inventory, name: str, *, index: ContextIndex | None = None, lab: bool = False) -> RenderContext:
    """The render context of one device.

    Examples:
        >>> from nornir_tasks.inventory.load import load_inventory
        >>> inv = load_inventory("inventory").inventory
        >>> ctx = build_context(inv, "lcu-sin-ho-ce01")
        >>> ctx.circuits[0].protocol, str(ctx.circuits[0].peer_ipv4)
        ('ospf', '10.12.240.41')
    """
    idx = index or ContextIndex(inv)
    dev = inv.devices[name]
    site = inv.sites[dev.site]
    itf_views: list[InterfaceView] = []
    for itf in dev.interfaces:
        c = idx.by_itf.get((name, itf.name))
        link = idx.links.get((name, itf.name))
        peer = None
        if c is not None:
            peer = c.z if (c.a.device, c.a.interface) == (name, itf.name) else c.a
        elif link is not None:
            peer = link.z if (link.a.device, link.a.interface) == (name, itf.name) else link.a
        itf_views.append(InterfaceView(itf, c, link, peer.device if peer else None, peer.interface if peer else None))

    circuits: list[CircuitView] = []
    statics: list[tuple[Any, Any]] = []
    bgp_neighbors: list[BgpNeighbor] = []
    ospf_itfs: list[tuple[InterfaceView, str]] = []
    by_name = {v.itf.name: v for v in itf_views}
    for c in idx.circuits.get(name, []):
        if c.status not in ACTIVE_FOR_CONFIG:
            continue
        side = "a" if c.a.device == name else "z"
        mine, theirs = (c.a, c.z) if side == "a" else (c.z, c.a)
        local = dev.interface(mine.interface)
        if local is None:
            continue
        peer_dev = inv.devices.get(theirs.device)
        peer_itf = peer_dev.interface(theirs.interface) if peer_dev else None
        r = c.routing
        local_asn = (r.bgp_a_asn if side == "a" else r.bgp_z_asn) if r.protocol is RoutingProtocol.BGP else None
        peer_asn = (r.bgp_z_asn if side == "a" else r.bgp_a_asn) if r.protocol is RoutingProtocol.BGP else None
        view = CircuitView(c, side, local, theirs.device, peer_itf, local_asn, peer_asn)
        circuits.append(view)
        if r.protocol is RoutingProtocol.OSPF:
            ospf_itfs.append((by_name[local.name], r.ospf_area))
        elif r.protocol is RoutingProtocol.BGP and peer_asn is not None:
            if view.peer_ipv4 is not None:
                bgp_neighbors.append(BgpNeighbor(view.peer_ipv4, peer_asn, f"{theirs.device} {c.id}", c.id))
            if view.peer_ipv6 is not None:
                bgp_neighbors.append(BgpNeighbor(view.peer_ipv6, peer_asn, f"{theirs.device} {c.id}", c.id))
        elif r.protocol is RoutingProtocol.STATIC and view.peer_ipv4 is not None:
            if side == "a":
                statics.append((ipaddress.IPv4Network("0.0.0.0/0"), view.peer_ipv4))
            else:
                for prefix in r.static_prefixes:
                    if prefix.version == 4:
                        statics.append((prefix, view.peer_ipv4))

    site_lans = idx.lans.get(site.id, [])
    routed = [lan for lan in site_lans if lan.gateway == name]
    lan_itfs = [v for v in itf_views if v.itf.kind.value == "lan" and v.itf.ipv4 is not None and v.link is None]
    shared = idx.shared(name)
    ospf = None
    if ospf_itfs:
        ospf = OspfView(dev.loopback_ipv4.ip if dev.loopback_ipv4 else None, ospf_itfs, lan_itfs,
                        shared.ospf_hello, shared.ospf_dead)
    bgp = None
    if bgp_neighbors:
        local_asns = {cv.local_asn for cv in circuits if cv.local_asn}
        asn = dev.asn or (min(local_asns) if local_asns else None)
        if asn is not None:
            nets = [v.itf.ipv4.network for v in lan_itfs if v.itf.ipv4 is not None]
            bgp = BgpView(asn, dev.loopback_ipv4.ip if dev.loopback_ipv4 else None, bgp_neighbors, nets)
    return RenderContext(device=dev, site=site, cfg=shared, interfaces=itf_views, circuits=circuits,
                         lans=site_lans, lans_routed=routed, ospf=ospf, bgp=bgp, statics=statics, lab=lab)
