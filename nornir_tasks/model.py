"""The one typed model of the dedicated network: sites, devices, interfaces, circuits, links, LANs and
IP allocations. Every stage (render, compliance, rollout, reports, lab) reads this model; nothing here
imports nornir.

All models are frozen pydantic v2 models with ``extra="forbid"``. Every free-text string that could reach
a device configuration is a :data:`SafeStr`: normalised to Unicode NFC (Vietnamese diacritics compare
equal however they were typed) and refused when it holds a newline or any other control character, so a
description such as ``"uplink\\n no aaa new-model"`` can never inject a command.
"""

from __future__ import annotations

import datetime as _dt
import ipaddress
import re
import unicodedata
from datetime import date
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_HOSTNAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]{0,62})")
_DNSNAME = re.compile(r"(?=.{1,253}\Z)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*")


def check_safe_text(value: str) -> str:
    """Normalise to NFC and refuse control characters (newline, tab, escape, ...).

    Examples:
        >>> check_safe_text("Xã Bình Lư")
        'Xã Bình Lư'
        >>> check_safe_text("uplink\\n no aaa new-model")
        Traceback (most recent call last):
        ...
        ValueError: contains a newline or control character (U+000A), which could inject a device command
        >>> check_safe_text("admin\u202e")
        Traceback (most recent call last):
        ...
        ValueError: contains an invisible format control character (U+202E, zero-width or bidirectional), which hides what the device will really get
    """
    if not isinstance(value, str):
        raise TypeError("must be text")
    if value.isascii() and value.isprintable():
        return value   # speed: plain printable ASCII has no control character and is already NFC
    match = _CONTROL.search(value)
    if match:
        raise ValueError(
            f"contains a newline or control character (U+{ord(match.group()):04X}), "
            "which could inject a device command"
        )
    for ch in value:
        if unicodedata.category(ch) == "Cf":
            # zero-width and bidirectional-override characters: invisible in review, real on the device
            raise ValueError(f"contains an invisible format control character (U+{ord(ch):04X}, zero-width or "
                             "bidirectional), which hides what the device will really get")
    return unicodedata.normalize("NFC", value)


def to_ascii(value: str) -> str:
    """Vietnamese text without diacritics (``đ`` → ``d``), for platforms whose CLI takes ASCII only.

    Raises ValueError for a character with no ASCII form: it must never become ``?``, the IOS/VRP CLI's
    context-help key.

    Examples:
        >>> to_ascii("CẢNH BÁO: Đảng ủy xã Bình Lư")
        'CANH BAO: Dang uy xa Binh Lu'
        >>> to_ascii("Trạm 5 → 6")
        Traceback (most recent call last):
        ...
        ValueError: 'Trạm 5 → 6' holds '→' (U+2192), which has no ASCII form; this platform's CLI takes ASCII only and would get '?', its context-help key
    """
    if value.isascii():
        return value
    text = unicodedata.normalize("NFC", value).replace("đ", "d").replace("Đ", "D")
    out = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
    if not out.isascii():
        bad = next(ch for ch in out if not ch.isascii())
        raise ValueError(f"{value!r} holds {bad!r} (U+{ord(bad):04X}), which has no ASCII form; this platform's "
                         "CLI takes ASCII only and would get '?', its context-help key")
    return out


def _check_name(value: str) -> str:
    if not _HOSTNAME.fullmatch(value):     # fullmatch: '$' would let a final newline through
        raise ValueError(
            f"{value!r} is not a valid name: use 1–63 letters, digits, '.', '_' or '-', starting with a letter or digit"
        )
    return value


def _check_hostname(value: str) -> str:
    try:
        ipaddress.ip_address(value)
        return value
    except ValueError:
        pass
    if not _DNSNAME.fullmatch(value):
        raise ValueError(f"{value!r} is neither an IP address nor a valid DNS host name")
    return value


def _to_str(value: Any) -> Any:
    # YAML turns 12 into an int; codes are strings ("12", "03388").
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _pad(width: int):
    def pad(value: Any) -> Any:
        value = _to_str(value)
        if isinstance(value, str) and value.isdigit():
            return value.zfill(width)
        return value

    return pad


SafeStr = Annotated[str, AfterValidator(check_safe_text)]
#: An interface name: letters, digits and ``/ : . _ -`` only (a ``"`` or space would break a Junos ``set`` line or an
#: IOS ``interface`` line), starting with a letter or digit.
IfName = Annotated[str, AfterValidator(check_safe_text),
                   Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9/:._-]*$")]


def _check_banner(value: str | None) -> str | None:
    """A login banner: one line of text that is not a line the platform reads as the banner's end.

    Examples:
        >>> _check_banner("CẢNH BÁO: chỉ người được phép")
        'CẢNH BÁO: chỉ người được phép'
        >>> _check_banner(" EOF ")
        Traceback (most recent call last):
        ...
        ValueError: a banner line 'EOF' ends the banner on Arista EOS: the rest would be read as commands
    """
    if value is not None and value.strip() == "EOF":
        raise ValueError("a banner line 'EOF' ends the banner on Arista EOS: the rest would be read as commands")
    return value


Banner = Annotated[SafeStr, AfterValidator(_check_banner)]
Name = Annotated[str, AfterValidator(_check_name)]
HostName = Annotated[str, AfterValidator(_check_hostname)]
ProvinceCode = Annotated[str, BeforeValidator(_pad(2)), Field(pattern=r"^\d{2}$")]
CommuneCode = Annotated[str, BeforeValidator(_pad(5)), Field(pattern=r"^\d{5}$")]
VlanId = Annotated[int, Field(ge=1, le=4094)]
_V4IF = re.compile(r"(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})/([0-9]{1,2})")


def _fast_ipv4_interface(value: Any) -> Any:
    """Speed only: build ``a.b.c.d/len`` from integers, skipping ipaddress' slower string parser (the national
    inventory has ~35,000 such values). Anything else, including every invalid value, is passed on unchanged
    to pydantic's own IPv4Interface validation, so results and error messages are the same.

    Examples:
        >>> _fast_ipv4_interface("10.12.240.1/30") == ipaddress.IPv4Interface("10.12.240.1/30")
        True
        >>> _fast_ipv4_interface("10.12.240.256/30"), _fast_ipv4_interface("010.1.1.1/8")
        ('10.12.240.256/30', '010.1.1.1/8')
    """
    if type(value) is str:
        m = _V4IF.fullmatch(value)
        if m is not None:
            a, b, c, d, plen = map(int, m.groups())
            if a <= 255 and b <= 255 and c <= 255 and d <= 255 and plen <= 32:
                return ipaddress.IPv4Interface(((a << 24) | (b << 16) | (c << 8) | d, plen))
    return value


IPv4If = Annotated[ipaddress.IPv4Interface, BeforeValidator(_fast_ipv4_interface)]
IPv6If = ipaddress.IPv6Interface


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=False)


# ---------------------------------------------------------------------------------------------------------
# Enumerations (stored on disk by value, never by position)
# ---------------------------------------------------------------------------------------------------------
class Platform(str, Enum):
    CISCO_IOS = "cisco_ios"
    HUAWEI_VRP = "huawei_vrp"
    JUNIPER_JUNOS = "juniper_junos"
    ARISTA_EOS = "arista_eos"
    FRR = "frr"


class AdminLevel(str, Enum):
    CENTRAL = "central"
    PROVINCE = "province"
    COMMUNE = "commune"
    DISTRICT_LEGACY = "district-legacy"


class SiteStatus(str, Enum):
    PLANNED = "planned"
    ORDERED = "ordered"
    INSTALLED = "installed"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    DECOMMISSIONED = "decommissioned"


class SiteType(str, Enum):
    """What kind of place a site is."""

    REGIONAL_CENTRE = "regional_centre"          # backbone centre (North, Central, South) or its backup
    PROVINCIAL_CENTRE = "provincial_centre"      # provincial centre with the connection gateway
    PARTY_COMMITTEE = "party_committee"          # Tỉnh ủy / Đảng ủy
    PEOPLES_COMMITTEE = "peoples_committee"      # UBND
    PEOPLES_COUNCIL = "peoples_council"          # HĐND
    DEPARTMENT = "department"                    # sở, ban, ngành
    FATHERLAND_FRONT = "fatherland_front"        # Mặt trận Tổ quốc
    COMMUNE_HQ = "commune_hq"                    # shared commune headquarters (Đảng ủy + UBND + HĐND + MTTQ)
    DATA_CENTRE = "data_centre"
    OTHER = "other"


class AccessLevel(str, Enum):
    I = "I"      # noqa: E741 - the network's own name: access level I (central → province)
    II = "II"    # access level II (province → commune)


class Role(str, Enum):
    CE_ROUTER = "ce_router"
    GATEWAY = "gateway"              # provincial connection gateway / regional centre router
    FIREWALL = "firewall"
    CORE_SWITCH = "core_switch"
    DISTRIBUTION_SWITCH = "distribution_switch"
    ACCESS_SWITCH = "access_switch"
    ENCRYPTOR = "encryptor"


class InterfaceKind(str, Enum):
    WAN = "wan"
    LAN = "lan"
    MGMT = "mgmt"
    LOOPBACK = "loopback"


class Zone(str, Enum):
    TSLCD = "tslcd"
    INTERNET = "internet"
    LAN = "lan"
    MGMT = "mgmt"
    DMZ = "dmz"
    INTERNAL = "internal"   # device-to-device inside a site (CE ↔ firewall ↔ switch)


class Network(str, Enum):
    TSLCD = "tslcd"
    INTERNET = "internet"
    METRONET = "metronet"


class CircuitRole(str, Enum):
    PRIMARY = "primary"
    BACKUP = "backup"


class CircuitStatus(str, Enum):
    PLANNED = "planned"
    ORDERED = "ordered"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    DECOMMISSIONED = "decommissioned"


class RoutingProtocol(str, Enum):
    STATIC = "static"
    OSPF = "ospf"
    BGP = "bgp"


class Region(str, Enum):
    """The statistics office's six socio-economic regions (codes of ``data/regions-63.csv``)."""

    TDMNPB = "TDMNPB"          # Trung du và miền núi phía Bắc
    DBSH = "DBSH"              # Đồng bằng sông Hồng
    BTB_DHMT = "BTB_DHMT"      # Bắc Trung Bộ và duyên hải miền Trung
    TAY_NGUYEN = "TAY_NGUYEN"  # Tây Nguyên
    DNB = "DNB"                # Đông Nam Bộ
    DBSCL = "DBSCL"            # Đồng bằng sông Cửu Long


# ---------------------------------------------------------------------------------------------------------
# Sites
# ---------------------------------------------------------------------------------------------------------
class Coordinates(Frozen):
    lat: Annotated[float, Field(ge=-90, le=90)]
    lon: Annotated[float, Field(ge=-180, le=180)]


class FocalPoint(Frozen):
    """Technical focal point (đầu mối kỹ thuật) and the responsible IT unit."""

    name: SafeStr
    unit: SafeStr | None = None
    phone: Annotated[str, Field(pattern=r"^\+?[0-9 .-]{6,20}$")] | None = None
    email: Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")] | None = None


class StatusChange(Frozen):
    """One dated status change of a site or device (``history: [{status: installed, date: 2024-03-01}, ...]``).

    Before its first entry a site counts as planned and a device as not there yet; a site or device without
    history has held its current status all along (see :mod:`nornir_tasks.inventory.history`).
    """

    status: SiteStatus
    date: _dt.date
    note: SafeStr | None = None


class CircuitStatusChange(Frozen):
    """One dated status change of a circuit (its first ``active`` entry is its activation date)."""

    status: CircuitStatus
    date: _dt.date
    note: SafeStr | None = None


class Site(Frozen):
    id: Name
    name: SafeStr
    agency: SafeStr | None = None
    level: AdminLevel
    province_code: ProvinceCode
    commune_code: CommuneCode | None = None
    region: Region
    mountainous: bool = False
    site_type: SiteType
    status: SiteStatus
    access_level: AccessLevel | None = None
    state_secret: bool = False
    focal_point: FocalPoint | None = None
    coordinates: Coordinates | None = None
    legacy_district: SafeStr | None = None
    notes: SafeStr | None = None
    history: tuple[StatusChange, ...] = ()

    @model_validator(mode="after")
    def _commune_needs_code(self) -> Site:
        if self.level is AdminLevel.COMMUNE and self.commune_code is None:
            raise ValueError("a commune site needs commune_code (the 5-digit code from the 2025 list)")
        return self


# ---------------------------------------------------------------------------------------------------------
# Devices and interfaces
# ---------------------------------------------------------------------------------------------------------
class Interface(Frozen):
    name: IfName
    kind: InterfaceKind
    zone: Zone | None = None
    vlan: VlanId | None = None
    ipv4: IPv4If | None = None
    ipv6: IPv6If | None = None
    vrf: Name | None = None
    description: SafeStr | None = None
    enabled: bool = True
    mtu: Annotated[int, Field(ge=576, le=9216)] | None = None
    ospf_cost: Annotated[int, Field(ge=1, le=65535)] | None = None


class Device(Frozen):
    """A device as the inventory describes it (hosts.yaml entry, fully validated)."""

    name: Name
    hostname: HostName
    platform: Platform
    port: Annotated[int, Field(ge=1, le=65535)] | None = None
    groups: tuple[Name, ...] = ()
    site: Name
    role: Role
    vendor: SafeStr | None = None
    model: SafeStr | None = None
    os_version: SafeStr | None = None
    serial: SafeStr | None = None
    loopback_ipv4: IPv4If | None = None
    asn: Annotated[int, Field(ge=1, le=4294967295)] | None = None
    interfaces: tuple[Interface, ...] = ()
    managed_by: SafeStr | None = None   # e.g. "VNPT" for provider-managed CE routers
    history: tuple[StatusChange, ...] = ()
    custom: dict[Name, SafeStr | int | bool | float | None] = Field(default_factory=dict)

    def interface(self, name: str) -> Interface | None:
        for itf in self.interfaces:
            if itf.name == name:
                return itf
        return None


# ---------------------------------------------------------------------------------------------------------
# Circuits, links, LANs, allocations
# ---------------------------------------------------------------------------------------------------------
class End(Frozen):
    device: Name
    interface: IfName

    def label(self) -> str:
        return f"{self.device}:{self.interface}"


class Routing(Frozen):
    """PE–CE routing of a circuit."""

    protocol: RoutingProtocol
    ospf_area: Annotated[str, BeforeValidator(_to_str), Field(pattern=r"^(\d+|\d+\.\d+\.\d+\.\d+)$")] = "0"
    bgp_a_asn: Annotated[int, Field(ge=1, le=4294967295)] | None = None
    bgp_z_asn: Annotated[int, Field(ge=1, le=4294967295)] | None = None
    static_prefixes: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()

    @model_validator(mode="after")
    def _bgp_needs_asns(self) -> Routing:
        if self.protocol is RoutingProtocol.BGP and (self.bgp_a_asn is None or self.bgp_z_asn is None):
            raise ValueError("BGP routing needs bgp_a_asn and bgp_z_asn")
        return self


class Circuit(Frozen):
    """A WAN circuit (kênh truyền). ``a`` is the customer (CE) end, ``z`` the provider/gateway end."""

    id: Annotated[str, AfterValidator(check_safe_text), Field(min_length=3, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")]
    provider: SafeStr
    network: Network
    access_level: AccessLevel | None = None
    service: SafeStr = "L3VPN"
    a: End
    z: End
    bandwidth_mbps: Annotated[int, Field(ge=1, le=400000)]
    role: CircuitRole = CircuitRole.PRIMARY
    routing: Routing
    status: CircuitStatus
    activation_date: date | None = None
    description: SafeStr | None = None
    history: tuple[CircuitStatusChange, ...] = ()


class Link(Frozen):
    """A cable inside or between sites that is not a provider circuit (CE ↔ firewall, firewall ↔ switch)."""

    id: Name
    a: End
    z: End
    description: SafeStr | None = None


class Lan(Frozen):
    """A LAN segment (VLAN) at a site."""

    site: Name
    vlan: VlanId
    name: Annotated[str, AfterValidator(check_safe_text), Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_-]+$")]
    zone: Zone = Zone.LAN
    ipv4: ipaddress.IPv4Network | None = None
    ipv6: ipaddress.IPv6Network | None = None
    gateway: Name | None = None      # device that routes this VLAN
    description: SafeStr | None = None


class AllocatedBy(str, Enum):
    CENTRAL_POST_OFFICE = "central_post_office"   # Cục Bưu điện Trung ương
    PROVINCE = "province"
    AGENCY = "agency"


class IpAllocation(Frozen):
    prefix: ipaddress.IPv4Network | ipaddress.IPv6Network
    family: Literal[4, 6]
    allocated_by: AllocatedBy
    agency: SafeStr
    site: Name | None = None
    purpose: SafeStr
    network: Network = Network.TSLCD
    last_review: date

    @model_validator(mode="after")
    def _family_matches(self) -> IpAllocation:
        if self.prefix.version != self.family:
            raise ValueError(f"prefix {self.prefix} is IPv{self.prefix.version} but family says {self.family}")
        return self


# ---------------------------------------------------------------------------------------------------------
# Shared settings that live in groups.yaml / defaults.yaml (merged: defaults ← groups ← host)
# ---------------------------------------------------------------------------------------------------------
class LocalUser(Frozen):
    """A local account. The secret is never in the repository: ``secret_env`` names the environment variable
    that holds the *hashed* secret (e.g. a type-9 hash for IOS)."""

    name: Name
    privilege: Annotated[int, Field(ge=0, le=15)] = 15
    secret_env: Annotated[str, Field(pattern=r"^[A-Z_][A-Z0-9_]*$")]


class SnmpV3User(Frozen):
    name: Name
    group: Name
    auth_env: Annotated[str, Field(pattern=r"^[A-Z_][A-Z0-9_]*$")]
    priv_env: Annotated[str, Field(pattern=r"^[A-Z_][A-Z0-9_]*$")]


class AaaServer(Frozen):
    address: ipaddress.IPv4Address | ipaddress.IPv6Address
    key_env: Annotated[str, Field(pattern=r"^[A-Z_][A-Z0-9_]*$")]
    name: Name | None = None


class SharedData(Frozen):
    """Data a group or the defaults may carry. Everything optional; the host sees the merged result."""

    ntp_servers: tuple[ipaddress.IPv4Address | ipaddress.IPv6Address, ...] | None = None
    logging_hosts: tuple[ipaddress.IPv4Address | ipaddress.IPv6Address, ...] | None = None
    tacacs_servers: tuple[AaaServer, ...] | None = None
    radius_servers: tuple[AaaServer, ...] | None = None
    dns_servers: tuple[ipaddress.IPv4Address | ipaddress.IPv6Address, ...] | None = None
    domain_name: HostName | None = None
    banner: Banner | None = None
    local_users: tuple[LocalUser, ...] | None = None
    snmp_users: tuple[SnmpV3User, ...] | None = None
    snmp_location: SafeStr | None = None
    mgmt_acl: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] | None = None
    timezone: SafeStr | None = None
    ospf_hello: Annotated[int, Field(ge=1, le=65535)] | None = None
    ospf_dead: Annotated[int, Field(ge=1, le=65535)] | None = None
    custom: dict[Name, SafeStr | int | bool | float | None] | None = None


class Group(Frozen):
    name: Name
    groups: tuple[Name, ...] = ()
    data: SharedData = SharedData()
    platform: Platform | None = None
    connection_options: dict[str, Any] = Field(default_factory=dict)


SHARED_FIELDS: tuple[str, ...] = tuple(SharedData.model_fields)


class Inventory(Frozen):
    """The whole network, validated. Look-ups are dictionaries keyed by id/name."""

    sites: dict[str, Site]
    devices: dict[str, Device]
    circuits: dict[str, Circuit]
    links: dict[str, Link] = Field(default_factory=dict)
    lans: tuple[Lan, ...] = ()
    allocations: tuple[IpAllocation, ...] = ()
    groups: dict[str, Group] = Field(default_factory=dict)
    defaults: SharedData = SharedData()
    defaults_connection_options: dict[str, Any] = Field(default_factory=dict)

    # -- derived views (cheap; computed on demand) --------------------------------------------------------
    def site_of(self, device: str) -> Site:
        return self.sites[self.devices[device].site]

    def circuits_of(self, device: str) -> list[Circuit]:
        return [c for c in self.circuits.values() if c.a.device == device or c.z.device == device]

    def devices_at(self, site: str) -> list[Device]:
        return [d for d in self.devices.values() if d.site == site]

    def shared_for(self, device: str) -> SharedData:
        """Merged shared data for a device: defaults, then its groups in order (later wins, nested groups first)."""
        merged: dict[str, Any] = {k: v for k, v in self.defaults if v is not None}
        for gname in reversed(self.group_chain(device)):
            group = self.groups.get(gname)
            if group is None:
                continue
            for key, value in group.data:
                if value is not None:
                    merged[key] = value
        return SharedData.model_validate(merged)

    def group_chain(self, device: str) -> list[str]:
        """Groups of a device in Nornir's resolution order (first = highest priority), derived groups included."""
        dev = self.devices[device]
        order: list[str] = []

        def visit(name: str) -> None:
            if name in order:
                return
            order.append(name)
            group = self.groups.get(name)
            if group is not None:
                for parent in group.groups:
                    visit(parent)

        for g in dev.groups:
            visit(g)
        for g in derived_groups(dev, self.sites[dev.site]):
            visit(g)
        return order


def derived_groups(device: Device, site: Site) -> list[str]:
    """Groups govnet derives from the data; a groups.yaml entry of the same name adds data to them.

    Examples:
        >>> s = Site(id="s", name="Xã A", level="commune", province_code="12", commune_code="03390",
        ...          region="TDMNPB", site_type="commune_hq", status="active")
        >>> d = Device(name="r1", hostname="10.0.0.1", platform="frr", site="s", role="ce_router")
        >>> derived_groups(d, s)
        ['site__s', 'province__12', 'level__commune', 'region__TDMNPB', 'role__ce_router', 'platform__frr']
    """
    return [
        f"site__{site.id}",
        f"province__{site.province_code}",
        f"level__{site.level.value}",
        f"region__{site.region.value}",
        f"role__{device.role.value}",
        f"platform__{device.platform.value}",
    ]
