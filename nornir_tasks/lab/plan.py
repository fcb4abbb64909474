"""Pure planning of a lab: which routers (network namespaces), which interfaces and veth pairs, which
loopback management addresses and SSH ports, which adjacencies to expect. Data only — nothing here runs a
command; :mod:`nornir_tasks.lab.executor` turns a :class:`LabPlan` into namespaces and processes.

Every selected device becomes one FRR router in its own namespace ``<tag><index>`` (``gv1``, ``gv2``, ...).
Interfaces keep the names the lab rendering uses (:func:`~nornir_tasks.render.context.lab_ifname`: FRR devices
keep their Linux names, others become ``e<index>``); management interfaces are not created. A circuit (in a
status that is configured) or a link whose both ends are selected becomes a veth pair; every other configured
interface becomes a stub interface (dummy, or ifb where the kernel lacks the dummy module), so its addresses
exist and its prefix is announced; ``<parent>.<vlan>`` interfaces that only the config names (LAN
sub-interfaces) become VLAN interfaces on their parent (stubs where the kernel lacks 802.1Q).
"""

from __future__ import annotations

import ipaddress
import re
from collections import deque
from typing import Iterable, Literal, Mapping

from pydantic import BaseModel, ConfigDict, Field

from nornir_tasks.errors import LabError
from nornir_tasks.model import Circuit, Inventory, InterfaceKind, Link, RoutingProtocol
from nornir_tasks.platforms import LAB_PLATFORM
from nornir_tasks.render.context import ACTIVE_FOR_CONFIG, lab_ifname

#: Routers per sshd: OpenSSH listens on at most 16 sockets.
ROUTERS_PER_SSHD = 16
_TAG = re.compile(r"^[a-z]{1,6}$")
_IFNAME_MAX = 15
_CONFIG_IF = re.compile(r"^interface (\S+)", re.MULTILINE)
_SUBIF = re.compile(r"^(\S+)\.(\d{1,4})$")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class LabInterface(_Frozen):
    """One interface inside a router's namespace."""

    name: str                                           # Linux name inside the namespace
    kind: Literal["veth", "stub", "vlan"]
    inventory_name: str | None = None                   # the device's own interface name
    parent: str | None = None                           # vlan: the parent interface
    vlan: int | None = None
    peer_router: str | None = None                      # veth: the device at the other end
    peer_interface: str | None = None                   # veth: the lab name of the other end


class LabRouter(_Frozen):
    """One device, emulated by one FRR instance in one network namespace."""

    name: str                                           # device name (also the router's hostname)
    index: int
    netns: str                                          # namespace and FRR pathspace name
    address: str                                        # 127.x.y.z the router's SSH listens on
    port: int
    platform: str                                       # the device's own platform
    role: str
    loopback: str | None = None                         # loopback_ipv4 put on lo, e.g. "10.12.255.1/32"
    interfaces: tuple[LabInterface, ...] = ()
    sshd: int = 0                                       # which sshd (group of 16) serves this router

    @property
    def emulated(self) -> bool:
        """True when the device is not an FRR router and FRR stands in for it."""
        return self.platform != LAB_PLATFORM.value

    def interface(self, name: str) -> LabInterface | None:
        return next((i for i in self.interfaces if i.name == name), None)


class LabLink(_Frozen):
    """A veth pair: one circuit or link whose both ends are in the lab."""

    id: str
    kind: Literal["circuit", "link"]
    a_router: str
    a_interface: str                                    # lab names
    z_router: str
    z_interface: str
    protocol: str | None = None                         # circuits: static / ospf / bgp
    bgp_peers: tuple[tuple[str, str, str], ...] = ()    # (router, neighbour address, peer router)

    def ends(self) -> tuple[tuple[str, str], tuple[str, str]]:
        return (self.a_router, self.a_interface), (self.z_router, self.z_interface)


class LabPlan(_Frozen):
    """Everything ``govnet lab up`` builds, as data (saved in ``<lab_dir>/state.json``)."""

    tag: str
    slot: int
    port: int
    routers: tuple[LabRouter, ...]
    links: tuple[LabLink, ...] = ()
    sshd_groups: tuple[tuple[str, ...], ...] = Field(default=())

    def router(self, name: str) -> LabRouter:
        for r in self.routers:
            if r.name == name:
                return r
        raise KeyError(name)

    def names(self) -> list[str]:
        return [r.name for r in self.routers]

    def links_between(self, a: str, b: str) -> list[LabLink]:
        """Links joining routers ``a`` and ``b`` (either direction)."""
        return [link for link in self.links if {link.a_router, link.z_router} == {a, b}]

    def expected_ospf(self, name: str) -> list[tuple[str, str]]:
        """(interface, peer router) pairs on which ``name`` should have a full OSPF adjacency."""
        out = []
        for link in self.links:
            if link.protocol != RoutingProtocol.OSPF.value:
                continue
            if link.a_router == name:
                out.append((link.a_interface, link.z_router))
            elif link.z_router == name:
                out.append((link.z_interface, link.a_router))
        return out

    def expected_bgp(self, name: str) -> list[tuple[str, str]]:
        """(neighbour address, peer router) pairs for which ``name`` should have an established session."""
        return [(addr, peer) for link in self.links for (r, addr, peer) in link.bgp_peers if r == name]

    def expected_lldp(self, name: str) -> list[tuple[str, str, str]]:
        """(local interface, peer router, peer interface) LLDP neighbours ``name`` should see."""
        out = []
        for link in self.links:
            if link.a_router == name:
                out.append((link.a_interface, link.z_router, link.z_interface))
            if link.z_router == name:
                out.append((link.z_interface, link.a_router, link.a_interface))
        return out


def router_address(slot: int, index: int) -> str:
    """The loopback address (127.<slot>.<hi>.<lo>) router number ``index`` (1-based) listens on.

    Examples:
        >>> router_address(1, 1), router_address(1, 250), router_address(7, 251)
        ('127.1.0.1', '127.1.0.250', '127.7.1.1')
    """
    hi, lo = divmod(index - 1, 250)
    return f"127.{slot}.{hi}.{lo + 1}"


def config_interfaces(config: str) -> list[str]:
    """Interface names a rendered FRR config configures, in order.

    Examples:
        >>> config_interfaces("hostname r1\\ninterface e0\\n ip address 10.0.0.1/31\\nexit\\ninterface e1.30\\nexit\\n")
        ['e0', 'e1.30']
    """
    return _CONFIG_IF.findall(config)


def plan_lab(inv: Inventory, names: Iterable[str], *, tag: str = "gv", slot: int = 1, port: int = 22,
             configs: Mapping[str, str] | None = None) -> LabPlan:
    """Plan the lab of the selected devices.

    ``configs`` (device → its lab config text) lets the plan add interfaces that only the config names
    (``e1.30`` LAN sub-interfaces become VLAN interfaces on ``e1``; any other unknown name a stub).

    Examples:
        >>> from nornir_tasks.inventory.load import load_inventory
        >>> inv = load_inventory("inventory").inventory
        >>> plan = plan_lab(inv, ["lcu-gw01", "lcu-tu-ce01", "lcu-tu-fw01"])
        >>> [(r.name, r.netns, r.address) for r in plan.routers]
        [('lcu-gw01', 'gv1', '127.1.0.1'), ('lcu-tu-ce01', 'gv2', '127.1.0.2'), ('lcu-tu-fw01', 'gv3', '127.1.0.3')]
        >>> [(link.id, link.a_interface, link.z_interface, link.protocol) for link in plan.links]
        [('VNPT-LCU-L2-1001', 'e0', 'e2', 'ospf'), ('lcu-tu-ce-fw', 'e1', 'e0', None)]
        >>> plan.expected_ospf("lcu-tu-ce01")
        [('e0', 'lcu-gw01')]
    """
    if not _TAG.match(tag):
        raise LabError(f"lab tag {tag!r} is not valid", code="CFG-003", hint="use 1–6 lower-case letters")
    if not 1 <= slot <= 254:
        raise LabError(f"lab slot {slot} is out of range", code="CFG-003", hint="use 1–254 (127.<slot>.x.y)")
    selected = [n for n in inv.devices if n in set(names)]
    if not selected:
        raise LabError("the lab selection is empty", code="LAB-005",
                       hint="check --filter with 'govnet inventory list --filter ...'")
    chosen = set(selected)
    index = {name: i + 1 for i, name in enumerate(selected)}

    # 1. veth pairs: configured circuits and links whose both ends are selected
    links: list[LabLink] = []
    paired: dict[tuple[str, str], tuple[str, str]] = {}   # (device, inventory if) -> (peer device, peer lab if)

    def lab_name(device: str, itf_name: str) -> str | None:
        dev = inv.devices[device]
        itf = dev.interface(itf_name)
        if itf is None or itf.kind is InterfaceKind.MGMT:
            return None
        return lab_ifname(dev, itf)

    candidates: list[tuple[str, str, object]] = []
    for c in inv.circuits.values():
        if c.status in ACTIVE_FOR_CONFIG:
            candidates.append(("circuit", c.id, c))
    for link in inv.links.values():
        candidates.append(("link", link.id, link))
    for kind, ident, obj in candidates:
        a, z = obj.a, obj.z  # type: ignore[attr-defined]
        if a.device not in chosen or z.device not in chosen or a.device == z.device:
            continue
        a_if, z_if = lab_name(a.device, a.interface), lab_name(z.device, z.interface)
        if a_if is None or z_if is None:
            continue
        if (a.device, a.interface) in paired or (z.device, z.interface) in paired:
            continue   # validation reports an interface used twice; the lab wires the first
        protocol = None
        bgp_peers: list[tuple[str, str, str]] = []
        if kind == "circuit":
            routing = obj.routing  # type: ignore[attr-defined]
            protocol = routing.protocol.value
            if routing.protocol is RoutingProtocol.BGP:
                a_itf = inv.devices[a.device].interface(a.interface)
                z_itf = inv.devices[z.device].interface(z.interface)
                for fam in ("ipv4", "ipv6"):
                    ai, zi = getattr(a_itf, fam), getattr(z_itf, fam)
                    if ai is not None and zi is not None:
                        bgp_peers.append((a.device, str(zi.ip), z.device))
                        bgp_peers.append((z.device, str(ai.ip), a.device))
        links.append(LabLink(id=ident, kind=kind, a_router=a.device, a_interface=a_if, z_router=z.device,  # type: ignore[arg-type]
                             z_interface=z_if, protocol=protocol, bgp_peers=tuple(bgp_peers)))
        paired[(a.device, a.interface)] = (z.device, z_if)
        paired[(z.device, z.interface)] = (a.device, a_if)

    # 2. routers with their interfaces
    routers: list[LabRouter] = []
    for name in selected:
        dev = inv.devices[name]
        itfs: list[LabInterface] = []
        for itf in dev.interfaces:
            if itf.kind is InterfaceKind.MGMT:
                continue
            lname = lab_ifname(dev, itf)
            if len(lname) > _IFNAME_MAX:
                raise LabError(f"{name}: interface {itf.name} is longer than Linux allows ({_IFNAME_MAX} characters)",
                               code="LAB-003", hint="rename the interface of this FRR device in hosts.yaml")
            peer = paired.get((name, itf.name))
            if peer is not None:
                itfs.append(LabInterface(name=lname, kind="veth", inventory_name=itf.name,
                                         peer_router=peer[0], peer_interface=peer[1]))
            else:
                itfs.append(LabInterface(name=lname, kind="stub", inventory_name=itf.name))
        known = {i.name for i in itfs}
        for extra in config_interfaces((configs or {}).get(name, "")):
            if extra in known or extra == "lo" or len(extra) > _IFNAME_MAX:
                continue
            m = _SUBIF.match(extra)
            if m and m.group(1) in known and 1 <= int(m.group(2)) <= 4094:
                itfs.append(LabInterface(name=extra, kind="vlan", parent=m.group(1), vlan=int(m.group(2))))
            else:
                itfs.append(LabInterface(name=extra, kind="stub"))
            known.add(extra)
        i = index[name]
        routers.append(LabRouter(
            name=name, index=i, netns=f"{tag}{i}", address=router_address(slot, i), port=port,
            platform=dev.platform.value, role=dev.role.value,
            loopback=str(ipaddress.IPv4Interface(dev.loopback_ipv4)) if dev.loopback_ipv4 else None,
            interfaces=tuple(itfs), sshd=(i - 1) // ROUTERS_PER_SSHD))
    groups: dict[int, list[str]] = {}
    for r in routers:
        groups.setdefault(r.sshd, []).append(r.name)
    return LabPlan(tag=tag, slot=slot, port=port, routers=tuple(routers), links=tuple(links),
                   sshd_groups=tuple(tuple(groups[k]) for k in sorted(groups)))


def connected_slice(inv: Inventory, n: int) -> list[str]:
    """N device names grown breadth-first from the first provincial gateway along configured circuits and links
    (a connected piece of the network, for labs and benchmarks of a given size)."""
    adj: dict[str, list[str]] = {}
    joins: list[Circuit | Link] = [*inv.circuits.values(), *inv.links.values()]
    for x in joins:
        status = getattr(x, "status", None)
        if status is not None and status not in ACTIVE_FOR_CONFIG:
            continue
        adj.setdefault(x.a.device, []).append(x.z.device)
        adj.setdefault(x.z.device, []).append(x.a.device)
    start = next(d.name for d in inv.devices.values() if d.role.value == "gateway" and d.name in adj
                 and not d.name.startswith("rc"))
    seen, queue = [start], deque([start])
    while queue and len(seen) < n:
        for peer in adj.get(queue.popleft(), []):
            if peer not in seen and len(seen) < n:
                seen.append(peer)
                queue.append(peer)
    return seen
