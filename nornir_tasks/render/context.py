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
``lab``         True when rendering the lab (FRR) stand-in of a device
``mgmt``        the management :class:`InterfaceView` or None
``vrfs``        sorted VRF names used by the device's interfaces
``segments``    list of :class:`LanSegment`: how this device carries each LAN it routes
``hw``          the device model's row (:class:`~nornir_tasks.platforms.hardware.DeviceModel`) or None

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
    InterfaceKind,
    Inventory,
    Lan,
    Link,
    RoutingProtocol,
    SharedData,
    Site,
)
from nornir_tasks.platforms import get as get_platform
from nornir_tasks.platforms.hardware import DeviceModel, device_model

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
    if get_platform(device.platform).lab_native_names:
        return itf.name
    return f"e{device.interfaces.index(itf)}"


@dataclass(frozen=True)
class InterfaceView:
    """One interface as templates see it: every :class:`~nornir_tasks.model.Interface` field reads through
    (``i.name``, ``i.ipv4`` ...), plus what the rest of the inventory says about it."""

    itf: Interface
    circuit: Circuit | None = None
    link: Link | None = None
    peer_device: str | None = None
    peer_interface: str | None = None
    lab_name: str = ""
    ospf_area: str | None = None
    ospf_passive: bool = False

    def __getattr__(self, name: str) -> Any:   # templates read itf fields directly: i.name, i.ipv4 ...
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.itf, name)

    @property
    def is_routed(self) -> bool:
        return self.itf.ipv4 is not None or self.itf.ipv6 is not None

    @property
    def is_subif(self) -> bool:
        return "." in self.itf.name

    @property
    def parent(self) -> str:
        return self.itf.name.split(".", 1)[0]

    @property
    def descr(self) -> str | None:
        """The description to configure, built from the circuit or link the interface carries."""
        return interface_description(self.itf, self.circuit, self.link, self.peer_device)


def loopback_views(device: Device, interfaces: list[InterfaceView], name: str) -> list[InterfaceView]:
    """``[view]`` of a loopback interface ``name`` carrying ``device.loopback_ipv4``; ``[]`` when the device has
    no loopback address or the inventory already lists a loopback interface. A list, so templates can write
    ``interfaces + loopback_views(device, interfaces, "lo")``.

    Examples:
        >>> d = Device(name="r1", hostname="10.0.0.1", platform="frr", site="s", role="ce_router",
        ...            loopback_ipv4="10.255.0.1/32")
        >>> [(v.name, str(v.ipv4), v.lab_name) for v in loopback_views(d, [], "lo")]
        [('lo', '10.255.0.1/32', 'lo')]
    """
    if device.loopback_ipv4 is None or any(v.itf.kind is InterfaceKind.LOOPBACK for v in interfaces):
        return []
    itf = Interface.model_construct(name=name, kind=InterfaceKind.LOOPBACK, zone=None, vlan=None,
                                    ipv4=device.loopback_ipv4, ipv6=None, vrf=None, description=None, enabled=True,
                                    mtu=None, ospf_cost=None)
    # advertised (passive) in the area of the first OSPF circuit, as every platform advertises its loopback
    area = next((v.ospf_area for v in interfaces if v.ospf_area is not None and not v.ospf_passive), None)
    return [InterfaceView(itf, lab_name=name, ospf_area=area, ospf_passive=area is not None)]


def interface_description(itf: Interface, circuit: Circuit | None, link: Link | None, peer: str | None) -> str | None:
    """Description of an interface: circuit id, role, bandwidth and peer; link id and peer; else the inventory's.

    Examples:
        >>> itf = Interface(name="eth0", kind="wan", description="uplink")
        >>> interface_description(itf, None, None, None)
        'uplink'
        >>> lk = Link(id="ce-fw", a={"device": "r1", "interface": "eth1"}, z={"device": "fw1", "interface": "ge-0/0/0"})
        >>> interface_description(itf, None, lk, "fw1")
        'ce-fw to fw1'
    """
    if circuit is not None:
        return f"{circuit.id} {circuit.role.value} {circuit.bandwidth_mbps}M to {peer}"
    if link is not None:
        return f"{link.id} to {peer}"
    return itf.description


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
    interfaces: list[tuple[InterfaceView, str]]       # (interface, area) of OSPF circuits
    passive: list[InterfaceView]                      # LAN interfaces advertised but without neighbours
    hello: int | None
    dead: int | None
    area: str = "0"                                   # area LAN interfaces are advertised in
    networks: list[tuple[ipaddress.IPv4Network, str]] = field(default_factory=list)


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
    networks6: list[ipaddress.IPv6Network] = field(default_factory=list)


@dataclass(frozen=True)
class LanSegment:
    """How this device carries one LAN it routes: on an interface that already has its subnet, or on a new
    dot1q sub-interface ``<parent>.<vlan>`` of its LAN interface."""

    lan: Lan
    interface: InterfaceView | None
    parent: str | None
    gateway_ipv4: ipaddress.IPv4Interface | None
    gateway_ipv6: ipaddress.IPv6Interface | None
    view: InterfaceView | None = None   # the new sub-interface (None when an interface already carries the LAN)

    @property
    def vlan(self) -> int:
        return self.lan.vlan

    @property
    def name(self) -> str:
        return self.lan.name

    @property
    def zone(self) -> str:
        return self.lan.zone.value

    @property
    def ifname(self) -> str | None:
        if self.interface is not None:
            return self.interface.name
        return f"{self.parent}.{self.lan.vlan}" if self.parent else None


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
    mgmt: InterfaceView | None = None
    vrfs: list[str] = field(default_factory=list)
    segments: list[LanSegment] = field(default_factory=list)
    hw: DeviceModel | None = None      # the device's model row (ports, management port, capabilities) or None

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
        self._itfs: dict[str, dict[str, Interface]] = {}

    def interface(self, device: str, name: str) -> Interface | None:
        """A device's interface by name (a dict per device, built on first use: gateways have hundreds)."""
        table = self._itfs.get(device)
        if table is None:
            dev = self.inv.devices.get(device)
            table = self._itfs[device] = {i.name: i for i in dev.interfaces} if dev is not None else {}
        return table.get(name)

    def shared(self, device: str) -> SharedData:
        # only groups with an entry in groups.yaml carry data: derived groups without one (site__<id>) add
        # nothing, so devices that differ only in those share one merged SharedData
        chain = tuple(g for g in self.inv.group_chain(device) if g in self.inv.groups)
        hit = self._shared.get(chain)
        if hit is None:
            hit = self._shared[chain] = self.inv.shared_for(device)
        return hit


def _first_host(net: ipaddress.IPv4Network | ipaddress.IPv6Network) -> ipaddress.IPv4Interface | ipaddress.IPv6Interface:
    """First usable address of a network with its prefix length (the LAN gateway by convention).

    Examples:
        >>> str(_first_host(ipaddress.ip_network("10.12.20.128/26")))
        '10.12.20.129/26'
        >>> str(_first_host(ipaddress.ip_network("2001:db8:12:1::/64")))
        '2001:db8:12:1::1/64'
    """
    return ipaddress.ip_interface(f"{net.network_address + 1}/{net.prefixlen}")


def build_context(inv: Inventory, name: str, *, index: ContextIndex | None = None, lab: bool = False) -> RenderContext:
    """The render context of one device.

    Examples:
        >>> from nornir_tasks.inventory.load import load_inventory
        >>> inv = load_inventory("inventory").inventory
        >>> ctx = build_context(inv, "lcu-sin-ho-ce01")
        >>> ctx.circuits[0].protocol, str(ctx.circuits[0].peer_ipv4)
        ('ospf', '10.12.240.41')
        >>> [(i.name, i.ospf_area, i.ospf_passive) for i in ctx.interfaces]
        [('eth0', '0', False), ('eth1', '0', True), ('mgmt0', None, False)]
    """
    idx = index or ContextIndex(inv)
    dev = inv.devices[name]
    site = inv.sites[dev.site]
    shared = idx.shared(name)

    # 1. circuits ending on this device, and the routing they ask for
    circuits: list[CircuitView] = []
    statics: list[tuple[Any, Any]] = []
    bgp_neighbors: list[BgpNeighbor] = []
    ospf_area_of: dict[str, str] = {}
    for c in idx.circuits.get(name, []):
        if c.status not in ACTIVE_FOR_CONFIG:
            continue
        side = "a" if c.a.device == name else "z"
        mine, theirs = (c.a, c.z) if side == "a" else (c.z, c.a)
        local = idx.interface(name, mine.interface)
        if local is None:
            continue
        peer_dev = inv.devices.get(theirs.device)
        peer_itf = idx.interface(theirs.device, theirs.interface) if peer_dev else None
        r = c.routing
        local_asn = (r.bgp_a_asn if side == "a" else r.bgp_z_asn) if r.protocol is RoutingProtocol.BGP else None
        peer_asn = (r.bgp_z_asn if side == "a" else r.bgp_a_asn) if r.protocol is RoutingProtocol.BGP else None
        view = CircuitView(c, side, local, theirs.device, peer_itf, local_asn, peer_asn)
        circuits.append(view)
        if r.protocol is RoutingProtocol.OSPF:
            ospf_area_of.setdefault(local.name, r.ospf_area)
        elif r.protocol is RoutingProtocol.BGP and peer_asn is not None:
            if view.peer_ipv4 is not None:
                bgp_neighbors.append(BgpNeighbor(view.peer_ipv4, peer_asn, f"{theirs.device} {c.id}", c.id))
            if view.peer_ipv6 is not None:
                bgp_neighbors.append(BgpNeighbor(view.peer_ipv6, peer_asn, f"{theirs.device} {c.id}", c.id))
        elif r.protocol is RoutingProtocol.STATIC:
            if side == "a":
                if view.peer_ipv4 is not None:
                    statics.append((ipaddress.IPv4Network("0.0.0.0/0"), view.peer_ipv4))
                if view.peer_ipv6 is not None:
                    statics.append((ipaddress.IPv6Network("::/0"), view.peer_ipv6))
            else:
                for prefix in r.static_prefixes:
                    hop = view.peer_ipv4 if prefix.version == 4 else view.peer_ipv6
                    if hop is not None:
                        statics.append((prefix, hop))

    # 2. interfaces, with what the circuits and links say about them
    lan_names = {itf.name for itf in dev.interfaces
                 if itf.kind.value == "lan" and itf.ipv4 is not None and (name, itf.name) not in idx.links}
    area = next(iter(ospf_area_of.values()), None)
    native_names = get_platform(dev.platform).lab_native_names
    itf_views: list[InterfaceView] = []
    for pos, itf in enumerate(dev.interfaces):
        carried = idx.by_itf.get((name, itf.name))
        link = idx.links.get((name, itf.name))
        peer = None
        if carried is not None:
            peer = carried.z if (carried.a.device, carried.a.interface) == (name, itf.name) else carried.a
        elif link is not None:
            peer = link.z if (link.a.device, link.a.interface) == (name, itf.name) else link.a
        passive = area is not None and itf.name in lan_names and itf.name not in ospf_area_of
        itf_area = ospf_area_of.get(itf.name) or (area if passive else None)
        itf_views.append(InterfaceView(itf, carried, link, peer.device if peer else None, peer.interface if peer else None,
                                       itf.name if native_names else f"e{pos}", itf_area, passive))
    by_name = {v.itf.name: v for v in itf_views}
    by_network: dict[Any, InterfaceView] = {}
    for v in itf_views:
        if v.itf.ipv4 is not None:
            by_network.setdefault(v.itf.ipv4.network, v)

    # 3. LAN segments this device routes; a LAN no interface carries yet gets a dot1q sub-interface
    site_lans = idx.lans.get(site.id, [])
    routed = [lan for lan in site_lans if lan.gateway == name]
    segments: list[LanSegment] = []
    parent = next((v for v in itf_views if v.itf.kind.value == "lan" and not v.is_subif
                   and v.itf.name in lan_names), None) or \
        next((v for v in itf_views if v.itf.kind.value == "lan" and not v.is_subif), None)
    for lan in routed:
        carrier = by_network.get(lan.ipv4) if lan.ipv4 is not None else None
        if carrier is not None:
            segments.append(LanSegment(lan, carrier, None, carrier.itf.ipv4, carrier.itf.ipv6))
            continue
        gw4 = _first_host(lan.ipv4) if lan.ipv4 is not None else None
        gw6 = _first_host(lan.ipv6) if lan.ipv6 is not None else None
        sub = None
        if parent is not None:
            itf = Interface.model_construct(name=f"{parent.itf.name}.{lan.vlan}", kind=InterfaceKind.LAN, zone=lan.zone,
                                            vlan=lan.vlan, ipv4=gw4, ipv6=gw6, vrf=parent.itf.vrf,
                                            description=lan.description or lan.name, enabled=True, mtu=None,
                                            ospf_cost=None)
            sub = InterfaceView(itf, None, None, None, None, f"{parent.lab_name}.{lan.vlan}",
                                area if gw4 is not None else None, area is not None and gw4 is not None)
        segments.append(LanSegment(lan, None, parent.itf.name if parent else None, gw4, gw6, sub))  # type: ignore[arg-type]
    lan_itfs = [v for v in itf_views if v.itf.name in lan_names] + [s.view for s in segments if s.view is not None]

    # 4. routing views
    ospf = None
    if ospf_area_of and area is not None:
        networks = [(v4.network, a) for n, a in ospf_area_of.items() if (v4 := by_name[n].itf.ipv4) is not None]
        networks += [(v4.network, area) for v in lan_itfs if (v4 := v.itf.ipv4) is not None]
        ospf = OspfView(dev.loopback_ipv4.ip if dev.loopback_ipv4 else None,
                        [(by_name[n], a) for n, a in ospf_area_of.items()], lan_itfs,
                        shared.ospf_hello, shared.ospf_dead, area, networks)
    bgp = None
    if bgp_neighbors:
        local_asns = {cv.local_asn for cv in circuits if cv.local_asn}
        asn = dev.asn or (min(local_asns) if local_asns else None)
        if asn is not None:
            nets = [v.itf.ipv4.network for v in lan_itfs if v.itf.ipv4 is not None]
            nets6 = [v.itf.ipv6.network for v in lan_itfs if v.itf.ipv6 is not None]
            bgp = BgpView(asn, dev.loopback_ipv4.ip if dev.loopback_ipv4 else None, bgp_neighbors, nets, nets6)
    mgmt = next((v for v in itf_views if v.itf.kind.value == "mgmt"), None)
    vrfs = sorted({v.itf.vrf for v in itf_views if v.itf.vrf})
    return RenderContext(device=dev, site=site, cfg=shared, interfaces=itf_views, circuits=circuits,
                         lans=site_lans, lans_routed=routed, ospf=ospf, bgp=bgp, statics=statics, lab=lab,
                         mgmt=mgmt, vrfs=vrfs, segments=segments, hw=device_model(dev.platform.value, dev.model))
