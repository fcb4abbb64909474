"""A deterministic, geographically real inventory of the whole dedicated network (or of one province).

``govnet inventory generate --scope national|province=<code> --seed N --out DIR`` writes the same eight files
as the sample inventory (hosts, groups, defaults, sites, circuits, links, lans, ip_allocations). The
geography is real (:mod:`nornir_tasks.inventory.geography`: 34 provinces, 3,321 communes with their codes,
names, coordinates and per-commune region); the network on top of it is synthetic but follows the
structure of Decision 33/2025/QĐ-TTg:

* backbone: three regional centres (North: Hà Nội, Central: Đà Nẵng, South: TP.HCM) and their backup
  centres, each with a Juniper PE router;
* per province: a provincial centre with the connection gateway, two level-I circuits (primary to the
  regional centre, backup to its backup centre, BGP), and the provincial agencies (Tỉnh ủy, UBND, HĐND,
  MTTQ and a few sở) with level-II circuits to the gateway;
* every commune: a ``commune_hq`` site with a CE router and a level-II circuit to its province's gateway;
  most have a firewall and a core switch, urban wards often an access switch as well.

Mixes (platforms, statuses, bandwidths, IPv6, routing protocols) are drawn from ``random.Random`` seeded
per province from ``seed``, so one province's part of the national inventory is identical to what
``--scope province=<code>`` writes, and the same seed always gives byte-identical files.

Addressing (all inside allocations recorded in ``ip_allocations.yaml``; no prefix reused across sites):

==========================  ==================================================================
10.0.<p>.0/29               level-I point-to-point links of province <p> (two /30s)
2001:db8:0:<p>::/64         level-I IPv6 (/127s)
10.0.254.0/24, 10.0.255.x   backbone management and loopbacks
10.<p>.<i>.0/24             LAN of the i-th site of province <p> (VLAN 10 /25, VLAN 30 /26, CE–firewall /30)
2001:db8:<p>:<i>::/64       its IPv6 LAN (where IPv6 is deployed)
10.<p>.224.0/20             level-II point-to-point links (/30s)
2001:db8:<p>:ff00::/56      level-II IPv6 (/127s)
10.<p>.248.0/23             loopbacks
10.<p>.250.0/24             provincial AAA servers (TACACS+, RADIUS)
10.<p>.252.0/22             out-of-band management (shared by the province's devices)
==========================  ==================================================================

``<p>`` is the province code's digits: ``12`` → ``10.12.x.x`` and ``2001:db8:12::``, ``04`` → ``10.4.x.x`` and
``2001:db8:4::``. Every address is written in its canonical form.
"""

from __future__ import annotations

import ipaddress
import random
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from nornir_tasks.errors import GovnetError
from nornir_tasks.fileio import write_if_changed
from nornir_tasks.inventory.geography import Commune, Geography, Province, load_geography
from nornir_tasks.platforms.hardware import DeviceModel, device_model

#: The date the generated data describes: review and activation dates are drawn before it. A fixed date
#: keeps the output byte-identical from one day to the next.
REFERENCE_DATE = date(2026, 11, 1)

#: Share of IP allocations deliberately left without a review for more than 12 months (INV-034 / rule B3).
STALE_REVIEW_SHARE = 0.01

# --------------------------------------------------------------------------------------------------------
# Reference tables (data, not code paths)
# --------------------------------------------------------------------------------------------------------
#: Three-letter province abbreviations (device names, circuit ids) and telephone area codes.
PROVINCE_ABBR: dict[str, tuple[str, str]] = {
    "01": ("hni", "24"), "04": ("cbg", "206"), "08": ("tqg", "207"), "11": ("dbn", "215"),
    "12": ("lcu", "213"), "14": ("sla", "212"), "15": ("lci", "214"), "19": ("tnn", "208"),
    "20": ("lsn", "205"), "22": ("qnh", "203"), "24": ("bnh", "222"), "25": ("pto", "210"),
    "31": ("hpg", "225"), "33": ("hyn", "221"), "37": ("nbh", "229"), "38": ("tha", "237"),
    "40": ("nan", "238"), "42": ("hth", "239"), "44": ("qti", "233"), "46": ("hue", "234"),
    "48": ("dng", "236"), "51": ("qni", "255"), "52": ("gli", "269"), "56": ("kha", "258"),
    "66": ("dlk", "262"), "68": ("ldg", "263"), "75": ("dni", "251"), "79": ("hcm", "28"),
    "80": ("tnh", "276"), "82": ("dtp", "277"), "86": ("vlg", "270"), "91": ("agg", "296"),
    "92": ("cto", "292"), "96": ("cmu", "290"),
}

#: Regional centres: key → (name part, province code, lat, lon, lat/lon of the backup centre, PE prefix).
CENTRES: dict[str, tuple[str, str, tuple[float, float], tuple[float, float], str]] = {
    "north": ("miền Bắc", "01", (21.0285, 105.8542), (20.995, 105.801), "rcn"),
    "central": ("miền Trung", "48", (16.0544, 108.2022), (16.0306, 108.221), "rcc"),
    "south": ("miền Nam", "79", (10.7769, 106.7009), (10.8231, 106.6297), "rcs"),
}

#: Which regional centre serves a province, by the province's majority region.
CENTRE_OF_REGION = {"TDMNPB": "north", "DBSH": "north", "BTB_DHMT": "central", "TAY_NGUYEN": "central",
                    "DNB": "south", "DBSCL": "south"}

#: Provincial agencies: (site suffix, site type, site name, agency). ``{u}`` is "tỉnh"/"thành phố",
#: ``{U}`` "Tỉnh"/"Thành", ``{p}`` the short province name.
CORE_AGENCIES = (
    ("tu", "party_committee", "Văn phòng {U} ủy {p}", "{U} ủy {p}"),
    ("ubnd", "peoples_committee", "Văn phòng UBND {u} {p}", "Ủy ban nhân dân {u} {p}"),
    ("hdnd", "peoples_council", "Văn phòng Đoàn ĐBQH và HĐND {u} {p}", "Hội đồng nhân dân {u} {p}"),
    ("mttq", "fatherland_front", "Ủy ban MTTQ Việt Nam {u} {p}", "Ủy ban Mặt trận Tổ quốc Việt Nam {u} {p}"),
)
DEPARTMENTS = (
    ("skhcn", "Sở Khoa học và Công nghệ"), ("stc", "Sở Tài chính"), ("snv", "Sở Nội vụ"),
    ("stp", "Sở Tư pháp"), ("syt", "Sở Y tế"), ("sgddt", "Sở Giáo dục và Đào tạo"), ("sxd", "Sở Xây dựng"),
    ("snnmt", "Sở Nông nghiệp và Môi trường"), ("sct", "Sở Công Thương"),
    ("svhttdl", "Sở Văn hóa, Thể thao và Du lịch"),
)

SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
            "Ngô", "Dương", "Lý", "Lò", "Vàng", "Hà", "Đinh")
MIDDLE = ("Văn", "Thị", "Minh", "Hữu", "Đức", "Thanh", "Ngọc", "Quang", "Thu", "Xuân", "Hồng", "Anh")
GIVEN = ("An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hùng", "Hương", "Lan", "Linh", "Long", "Mai", "Nam",
         "Phong", "Phương", "Quân", "Sơn", "Tâm", "Thắng", "Thảo", "Trang", "Tuấn", "Vân", "Yến", "Hoa",
         "Khánh", "Nga", "Oanh", "Hiếu", "Thủy", "Giang", "Hạnh", "Lộc", "Toàn", "Việt")


@dataclass(frozen=True)
class Spec:
    """How one platform/role combination looks: vendor, models, OS versions and interface names."""

    platform: str
    vendor: str
    models: tuple[tuple[str, float], ...]
    os_versions: tuple[tuple[str, float], ...]
    ports: tuple[str, ...]          # data ports in order (WAN/uplink first)
    mgmt: str
    mgmt_vrf: str | None = None
    provider_managed: bool = False  # VNPT manages the device (group vnpt_managed, managed_by)
    sub: str | None = None          # gateways: the parent port of level-II sub-interfaces


CE_SPECS: tuple[tuple[Spec, float], ...] = (
    (Spec("cisco_ios", "Cisco", (("ISR4331", 0.7), ("ISR4321", 0.3)),
          (("17.9.4a", 0.6), ("16.9.8", 0.2), ("15.9(3)M7", 0.15), ("15.5(3)M10", 0.05)),
          ("GigabitEthernet0/0/0", "GigabitEthernet0/0/1"), "GigabitEthernet0", "Mgmt-intf", True), 0.38),
    (Spec("huawei_vrp", "Huawei", (("AR6140-S", 0.6), ("AR651", 0.4)),
          (("V300R019C10SPC500", 0.75), ("V200R010C00SPC600", 0.25)),
          ("GigabitEthernet0/0/0", "GigabitEthernet0/0/1"), "MEth0/0/0", None, True), 0.32),
    (Spec("frr", "FRRouting", (("x86 server", 1.0),), (("8.4.4", 0.6), ("9.1", 0.4)),
          ("eth0", "eth1"), "mgmt0"), 0.12),
    (Spec("arista_eos", "Arista", (("DCS-7010TX-48", 1.0),), (("4.30.5M", 0.7), ("4.28.3M", 0.3)),
          ("Ethernet1", "Ethernet2"), "Management1"), 0.10),
    (Spec("juniper_junos", "Juniper", (("SRX345", 0.6), ("SRX300", 0.4)), (("21.2R3-S4", 0.7), ("22.4R3", 0.3)),
          ("ge-0/0/0", "ge-0/0/1"), "fxp0"), 0.08),
)
FW_SPECS: tuple[tuple[Spec, float], ...] = (
    (Spec("juniper_junos", "Juniper", (("SRX345", 0.7), ("SRX300", 0.3)), (("21.2R3-S4", 0.7), ("22.4R3", 0.3)),
          ("ge-0/0/0", "ge-0/0/1", "ge-0/0/2"), "fxp0"), 0.88),
    (Spec("huawei_vrp", "Huawei", (("USG6525E", 1.0),), (("V600R007C20SPC600", 1.0),),
          ("GigabitEthernet1/0/0", "GigabitEthernet1/0/1", "GigabitEthernet1/0/2"), "GigabitEthernet0/0/0"), 0.12),
)
SWITCH_SPECS: tuple[tuple[Spec, float], ...] = (
    (Spec("arista_eos", "Arista", (("DCS-7050SX3-48YC8", 0.4), ("DCS-7010TX-48", 0.6)),
          (("4.30.5M", 0.7), ("4.28.3M", 0.3)), ("Ethernet1", "Ethernet2", "Ethernet3"), "Management1"), 0.40),
    (Spec("cisco_ios", "Cisco", (("C9300-24T", 0.5), ("C9200L-24T-4G", 0.5)), (("17.9.4a", 0.8), ("17.6.5", 0.2)),
          ("GigabitEthernet1/0/1", "GigabitEthernet1/0/2", "GigabitEthernet1/0/3"), "GigabitEthernet0/0",
          "Mgmt-vrf"), 0.35),
    (Spec("huawei_vrp", "Huawei", (("S5735-L24T4X", 1.0),), (("V200R022C00SPC500", 1.0),),
          ("GigabitEthernet0/0/1", "GigabitEthernet0/0/2", "GigabitEthernet0/0/3"), "MEth0/0/1"), 0.25),
)
GATEWAY_SPECS: tuple[tuple[Spec, float], ...] = (
    (Spec("cisco_ios", "Cisco", (("ASR1001-X", 0.7), ("ASR1002-HX", 0.3)), (("17.9.4a", 1.0),),
          ("TenGigabitEthernet0/1/0", "TenGigabitEthernet0/1/1"), "GigabitEthernet0", "Mgmt-intf", True,
          "GigabitEthernet0/0/1"), 0.65),
    (Spec("huawei_vrp", "Huawei", (("NE40E-X3A", 1.0),), (("V800R012C10SPC300", 1.0),),
          ("GigabitEthernet0/1/0", "GigabitEthernet0/1/1"), "GigabitEthernet0/0/0", None, True,
          "GigabitEthernet0/3/0"), 0.25),
    (Spec("juniper_junos", "Juniper", (("MX204", 1.0),), (("21.4R3-S5", 1.0),),
          ("xe-0/1/0", "xe-0/1/1"), "fxp0", None, False, "ge-0/0/1"), 0.10),
)
PE_SPEC = Spec("juniper_junos", "Juniper", (("MX480", 1.0),), (("21.4R3-S5", 1.0),), (), "fxp0")

COMMUNE_STATUS = (("active", 0.88), ("installed", 0.05), ("ordered", 0.04), ("planned", 0.03))
CIRCUIT_STATUS_OF_SITE = {"active": "active", "installed": "ordered", "ordered": "ordered", "planned": "planned"}
ROUTING = (("ospf", 0.78), ("static", 0.14), ("bgp", 0.08))
BANDWIDTH = {True: ((200, 0.80), (100, 0.12), (50, 0.08)),      # mountainous communes
             False: ((200, 0.90), (100, 0.07), (50, 0.03))}


# --------------------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------------------
def slugify(text: str) -> str:
    """ASCII slug of a Vietnamese name, for ids and device names.

    Examples:
        >>> slugify("Tân Phong"), slugify("Đắk Lắk"), slugify("Côn Đảo")
        ('tan-phong', 'dak-lak', 'con-dao')
    """
    text = text.replace("Đ", "D").replace("đ", "d")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def ascii_text(text: str) -> str:
    """Diacritics removed (interface descriptions go into device configs, which many platforms keep ASCII).

    Examples:
        >>> ascii_text("Đường truyền cấp II")
        'Duong truyen cap II'
    """
    text = text.replace("Đ", "D").replace("đ", "d")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def parse_scope(scope: str, known: list[str]) -> list[str]:
    """``national`` → every province code; ``province=<code>`` → that one (``12`` or ``1`` → ``01``).

    Raises:
        GovnetError: (CFG-003) for anything else.

    Examples:
        >>> parse_scope("province=1", ["01", "12"])
        ['01']
        >>> parse_scope("national", ["01", "12"])
        ['01', '12']
        >>> parse_scope("region=north", ["01"])
        Traceback (most recent call last):
        ...
        nornir_tasks.errors.GovnetError: --scope 'region=north' is not understood
    """
    text = scope.strip()
    if text == "national":
        return list(known)
    key, sep, value = text.partition("=")
    if sep and key.strip() == "province":
        code = value.strip()
        if code.isdigit() and len(code) <= 2 and code.zfill(2) in known:
            return [code.zfill(2)]
        raise GovnetError(f"--scope {scope!r} names no province of the 2025 list", code="CFG-003",
                          hint=f"use one of the 34 province codes: {', '.join(known)}")
    raise GovnetError(f"--scope {scope!r} is not understood", code="CFG-003",
                      hint="use --scope national or --scope province=<code> (e.g. province=12)")


def _pick(rng: random.Random, table: tuple[tuple[Any, float], ...]) -> Any:
    return rng.choices([v for v, _ in table], weights=[w for _, w in table])[0]


def _p(code: str) -> int:
    return int(code)


# --------------------------------------------------------------------------------------------------------
# YAML writer (block style, safe quoting; ~20x faster than yaml.dump for the national inventory)
# --------------------------------------------------------------------------------------------------------
_SPECIAL = frozenset({"", "~", "null", "true", "false", "yes", "no", "on", "off", "y", "n", ".inf", ".nan",
                      "-.inf", "+.inf"})
_NUMERIC = re.compile(r"[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9]+(?:[eE][-+]?[0-9]+)?"
                      r"|0[xX][0-9a-fA-F_]+|0[oO]?[0-7_]+|0[bB][01_]+|[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?)")
_DATEISH = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}")
_PLAIN_FIRST = re.compile(r"[A-Za-z0-9_./(\u00c0-\uffff]")


def _plain_ok(text: str) -> bool:
    if text.lower() in _SPECIAL or text != text.strip() or not _PLAIN_FIRST.match(text) or text.startswith("..."):
        return False
    if ": " in text or " #" in text or text.endswith(":") or "\t" in text:
        return False
    if _NUMERIC.fullmatch(text) or _DATEISH.match(text):
        return False
    return text.isprintable()


def _double_quoted(text: str) -> str:
    """A YAML double-quoted scalar; anything not printable (or a line separator) becomes an escape."""
    out = ['"']
    for ch in text:
        if ch in '\\"':
            out.append("\\" + ch)
        elif ch.isprintable() and ch not in "\u2028\u2029\ufeff":
            out.append(ch)
        else:
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


class _Yaml:
    """Turns nested dicts/lists of str/int/float/bool into block YAML that yaml_rs, PyYAML and ruamel read
    back to the same values (strings that could be read as numbers, booleans, null or dates are quoted)."""

    def __init__(self) -> None:
        self._cache: dict[str, str] = {}

    def scalar(self, value: Any) -> str:
        if isinstance(value, str):
            out = self._cache.get(value)
            if out is None:
                if _plain_ok(value):
                    out = value
                elif "'" not in value and value.isprintable():
                    out = f"'{value}'"
                else:
                    out = _double_quoted(value)
                self._cache[value] = out
            return out
        if value is True:
            return "true"
        if value is False:
            return "false"
        if value is None:
            return "null"
        if isinstance(value, (int, float)):
            return repr(value)
        return self.scalar(str(value))

    def emit(self, out: list[str], obj: Any, indent: int) -> None:
        pad = " " * indent
        if isinstance(obj, dict):
            for key, value in obj.items():
                k = self.scalar(str(key))
                if isinstance(value, dict) and value:
                    out.append(f"{pad}{k}:")
                    self.emit(out, value, indent + 2)
                elif isinstance(value, (list, tuple)) and value:
                    out.append(f"{pad}{k}:")
                    self.emit(out, value, indent)
                elif isinstance(value, dict):
                    out.append(f"{pad}{k}: {{}}")
                elif isinstance(value, (list, tuple)):
                    out.append(f"{pad}{k}: []")
                else:
                    out.append(f"{pad}{k}: {self.scalar(value)}")
        elif isinstance(obj, (list, tuple)):
            for item in obj:
                if isinstance(item, (dict, list, tuple)) and item:
                    sub: list[str] = []
                    self.emit(sub, item, indent + 2)
                    sub[0] = f"{pad}- {sub[0][indent + 2:]}"
                    out.extend(sub)
                elif isinstance(item, dict):
                    out.append(f"{pad}- {{}}")
                elif isinstance(item, (list, tuple)):
                    out.append(f"{pad}- []")
                else:
                    out.append(f"{pad}- {self.scalar(item)}")
        else:
            out.append(f"{pad}{self.scalar(obj)}")

    def dump(self, obj: Any, header: str = "") -> str:
        lines: list[str] = [f"# {ln}".rstrip() for ln in header.splitlines()]
        self.emit(lines, obj, 0)
        return "\n".join(lines) + "\n"


def to_yaml(obj: Any, header: str = "") -> str:
    """Block YAML for nested dicts/lists of scalars, quoting any string YAML would read as something else.

    Examples:
        >>> print(to_yaml({"r1": {"code": "03408", "ipv4": "10.0.0.1/30", "on": True, "tags": ["yes", "a"]}}), end="")
        r1:
          code: '03408'
          ipv4: 10.0.0.1/30
          'on': true
          tags:
          - 'yes'
          - a
    """
    return _Yaml().dump(obj, header)


# --------------------------------------------------------------------------------------------------------
# The builder
# --------------------------------------------------------------------------------------------------------
@dataclass
class _Out:
    hosts: dict[str, Any] = field(default_factory=dict)
    sites: dict[str, Any] = field(default_factory=dict)
    circuits: dict[str, Any] = field(default_factory=dict)
    links: dict[str, Any] = field(default_factory=dict)
    lans: dict[str, Any] = field(default_factory=dict)
    allocations: list[dict[str, Any]] = field(default_factory=list)
    groups: dict[str, Any] = field(default_factory=dict)
    communes: int = 0


def _review(rng: random.Random, as_of: date) -> str:
    if rng.random() < STALE_REVIEW_SHARE:
        return (as_of - timedelta(days=rng.randint(400, 700))).isoformat()
    return (as_of - timedelta(days=rng.randint(5, 180))).isoformat()


def _activation(rng: random.Random, as_of: date) -> str:
    start = date(2019, 1, 1)
    return (start + timedelta(days=rng.randint(0, (as_of - start).days - 30))).isoformat()


#: The day the two-tier local government started: connection points not yet in service were (re)planned then.
REFORM_DATE = date(2025, 7, 1)


def histories(rng: random.Random, status: str, activation: date | None, as_of: date) -> list[dict[str, str]]:
    """Dated status changes (oldest first) for an agency site, ending in ``status``.

    An active site was installed a few weeks before its level-II circuit's activation date and went live on it;
    a site not yet in service was planned on :data:`REFORM_DATE` and moved on from there before ``as_of``. Its
    devices carry no history of their own: they come and go with the site (a firewall added later has its own).

    Examples:
        >>> r = random.Random(1)
        >>> site = histories(r, "active", date(2024, 3, 15), date(2026, 11, 1))
        >>> [h["status"] for h in site], site[-1]["date"]
        (['installed', 'active'], '2024-03-15')
        >>> [h["status"] for h in histories(r, "installed", None, date(2026, 11, 1))]
        ['planned', 'ordered', 'installed']
    """
    if status == "active" and activation is not None:
        installed = activation - timedelta(days=rng.randint(7, 45))
        return [{"status": "installed", "date": installed.isoformat()},
                {"status": "active", "date": activation.isoformat()}]
    span = max((as_of - REFORM_DATE).days, 4)
    d1 = REFORM_DATE + timedelta(days=rng.randint(1, span // 2))
    d2 = d1 + timedelta(days=rng.randint(1, span // 2 - 1))
    steps = [{"status": "planned", "date": REFORM_DATE.isoformat()}]
    if status != "planned":
        steps.append({"status": "ordered", "date": d1.isoformat()})
    if status not in ("planned", "ordered"):
        steps.append({"status": status, "date": d2.isoformat()})
    return steps


def _person(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _phone(rng: random.Random, area: str) -> str:
    return f"+84 {area} {rng.randint(3500, 3999)} {rng.randint(0, 999):03d}"


def _alloc(prefix: str, agency: str, purpose: str, review: str, site: str | None = None) -> dict[str, Any]:
    version = 6 if ":" in prefix else 4
    out: dict[str, Any] = {"prefix": prefix, "family": version, "allocated_by": "central_post_office",
                           "agency": agency}
    if site:
        out["site"] = site
    out.update({"purpose": purpose, "network": "tslcd", "last_review": review})
    return out


def _itf(name: str, kind: str, zone: str, ipv4: str | None = None, ipv6: str | None = None,
         vlan: int | None = None, vrf: str | None = None, description: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name, "kind": kind, "zone": zone}
    if vlan is not None:
        out["vlan"] = vlan
    if ipv4:
        out["ipv4"] = ipv4
    if ipv6:
        out["ipv6"] = ipv6
    if vrf:
        out["vrf"] = vrf
    if description:
        out["description"] = description
    return out


class _Province:
    """Builds one province: its provincial centre and gateway, agencies, communes and their circuits."""

    def __init__(self, prov: Province, seed: int, out: _Out, pes: dict[str, dict[str, Any]], as_of: date) -> None:
        self.prov = prov
        self.pc = prov.code
        self.p = _p(prov.code)
        self.g6 = prov.code.lstrip("0") or "0"   # the code's digits as an IPv6 group ("04" -> "4", "12" -> "12")
        self.abbr, self.area = PROVINCE_ABBR[prov.code]
        self.rng = random.Random(f"govnet:{seed}:province:{prov.code}")
        self.hrng = random.Random(f"govnet:{seed}:history:{prov.code}")   # own stream: histories change nothing else
        self.out = out
        self.pes = pes
        self.as_of = as_of
        self.vnpt = f"VNPT {prov.short}"
        self.unit_lower = "thành phố" if prov.is_city else "tỉnh"
        self.unit_upper = "Thành" if prov.is_city else "Tỉnh"
        self.mgmt_n = 0
        self.loop_n = 0
        self.site_n = 0
        self.l2_n = 0
        self.ipv6_rate = self.rng.uniform(0.1, 0.5)
        self.used_ids: set[str] = set()
        self.capital = self._capital()
        self.gw_spec = _pick(self.rng, GATEWAY_SPECS)
        self.gw_name = f"{self.abbr}-gw01"
        self.gw: dict[str, Any] = {}

    # -- numbering --------------------------------------------------------------------------------------
    def _mgmt(self) -> tuple[str, str]:
        self.mgmt_n += 1
        ip = ipaddress.IPv4Address(f"10.{self.p}.252.0") + self.mgmt_n
        return str(ip), f"{ip}/22"

    def _loopback(self) -> str:
        self.loop_n += 1
        return f"{ipaddress.IPv4Address(f'10.{self.p}.248.0') + self.loop_n}/32"

    def _capital(self) -> Commune:
        """The commune hosting the provincial agencies: the lowest-coded ward (phường) that was part of the
        province the new one is named after (a heuristic: that is where the capital city's wards sit)."""
        own = [c for c in self.prov.communes if self.prov.key in c.legacy_provinces]
        wards = [c for c in own if c.kind == "Phường"] or own or list(self.prov.communes)
        return wards[0]

    def _fill(self, text: str) -> str:
        return text.format(u=self.unit_lower, U=self.unit_upper, p=self.prov.short)

    # -- building blocks ----------------------------------------------------------------------------------
    def _site(self, sid: str, name: str, agency: str, level: str, site_type: str, status: str,
              commune: Commune, access_level: str, focal_unit: str | None, coords: tuple[float, float],
              legacy_district: str | None = None, email: bool = False) -> None:
        body: dict[str, Any] = {"name": name, "agency": agency, "level": level, "province_code": self.pc,
                                "commune_code": commune.code, "region": commune.region.value,
                                "mountainous": commune.mountainous, "site_type": site_type, "status": status,
                                "access_level": access_level}
        if focal_unit:
            fp: dict[str, Any] = {"name": _person(self.rng), "unit": focal_unit, "phone": _phone(self.rng, self.area)}
            if email:
                fp["email"] = f"cntt.{sid.split('-', 1)[1].replace('-', '')}@{self.prov.short_key}.gov.vn"
            body["focal_point"] = fp
        body["coordinates"] = {"lat": round(coords[0], 4), "lon": round(coords[1], 4)}
        if legacy_district:
            body["legacy_district"] = legacy_district
        self.out.sites[sid] = body

    def _device(self, name: str, spec: Spec, site: str, role: str, interfaces: list[dict[str, Any]],
                hostname: str, loopback: str | None = None, asn: int | None = None) -> dict[str, Any]:
        data: dict[str, Any] = {"site": site, "role": role, "vendor": spec.vendor,
                                "model": _pick(self.rng, spec.models), "os_version": _pick(self.rng, spec.os_versions)}
        if loopback:
            data["loopback_ipv4"] = loopback
        if asn:
            data["asn"] = asn
        if spec.provider_managed:
            data["managed_by"] = self.vnpt
        data["interfaces"] = interfaces
        host: dict[str, Any] = {"hostname": hostname, "platform": spec.platform}
        if spec.provider_managed:
            host["groups"] = ["vnpt_managed"]
        host["data"] = data
        self.out.hosts[name] = host
        return host

    def _mgmt_itf(self, spec: Spec, cidr: str) -> dict[str, Any]:
        return _itf(spec.mgmt, "mgmt", "mgmt", ipv4=cidr, vrf=spec.mgmt_vrf, description="Quan tri")

    # -- the province ---------------------------------------------------------------------------------------
    def build(self) -> None:
        prov, rng = self.prov, self.rng

        def review() -> str:
            return _review(rng, self.as_of)

        agency_cbd = "Cục Bưu điện Trung ương"
        agency_vnpt = f"VNPT {prov.short} (mạng truy nhập cấp II)"
        cap = self.capital

        # provincial centre + gateway
        centre_id = f"{self.pc}-ttkn"
        self.used_ids.add(centre_id)
        self._site(centre_id, self._fill("Trung tâm kết nối mạng TSLCD {u} {p}"),
                   self._fill("Sở Khoa học và Công nghệ {u} {p}"), "province", "provincial_centre", "active", cap,
                   "I", self._fill("Trung tâm Chuyển đổi số {u} {p}"),
                   (cap.lat + rng.uniform(-0.01, 0.01), cap.lon + rng.uniform(-0.01, 0.01)), email=True)
        ip, gw_mgmt = self._mgmt()
        spec = self.gw_spec
        self.gw = self._device(self.gw_name, spec, centre_id, "gateway", [], ip, self._loopback(), 65000 + self.p)
        gw_itfs: list[dict[str, Any]] = self.gw["data"]["interfaces"]

        # level-I circuits to the regional centre and its backup
        centre_key = CENTRE_OF_REGION[prov.region.value]
        l1_v6 = rng.random() < 0.9
        for k, (role, pe_name) in enumerate((("primary", f"{CENTRES[centre_key][4]}-pe01"),
                                             ("backup", f"{CENTRES[centre_key][4]}-pe02"))):
            cid = f"VNPT-CBD-L1-{self.pc}{k + 1:02d}"
            pe_ip = f"10.0.{self.p}.{4 * k + 1}/30"
            gw_ip = f"10.0.{self.p}.{4 * k + 2}/30"
            pe_v6 = str(ipaddress.IPv6Interface(f"2001:db8:0:{self.g6}::{2 * k:x}/127")) if l1_v6 else None
            gw_v6 = str(ipaddress.IPv6Interface(f"2001:db8:0:{self.g6}::{2 * k + 1:x}/127")) if l1_v6 else None
            pe_port = f"xe-0/0/{self.p}"
            word = "chinh" if role == "primary" else "du phong"
            self.pes[pe_name]["data"]["interfaces"].append(
                _itf(pe_port, "wan", "tslcd", pe_ip, pe_v6, description=f"{self.gw_name.upper()} cap I {word} {cid}"))
            gw_itfs.append(_itf(spec.ports[k], "wan", "tslcd", gw_ip, gw_v6,
                                description=f"{pe_name.upper()} cap I {word} {cid}"))
            self.out.circuits[cid] = {
                "provider": agency_cbd, "network": "tslcd", "access_level": "I", "service": "L3VPN",
                "a": {"device": self.gw_name, "interface": spec.ports[k]},
                "z": {"device": pe_name, "interface": pe_port},
                "bandwidth_mbps": 10000, "role": role,
                "routing": {"protocol": "bgp", "bgp_a_asn": 65000 + self.p, "bgp_z_asn": 65000},
                "status": "active", "activation_date": _activation(rng, self.as_of)}
        first = min(date.fromisoformat(self.out.circuits[f"VNPT-CBD-L1-{self.pc}{k + 1:02d}"]["activation_date"])
                    for k in range(2))
        self.out.sites[centre_id]["history"] = histories(self.hrng, "active", first, self.as_of)
        self.out.allocations.append(_alloc(f"10.0.{self.p}.0/29", agency_cbd,
                                           self._fill("Kết nối cấp I {u} {p} (point-to-point)"), review()))
        if l1_v6:
            self.out.allocations.append(_alloc(f"2001:db8:0:{self.g6}::/64", agency_cbd,
                                               self._fill("Kết nối cấp I {u} {p} IPv6"), review()))
        for prefix, purpose in ((f"10.{self.p}.224.0/20", "Kết nối cấp II point-to-point {u} {p}"),
                                (f"2001:db8:{self.g6}:ff00::/56", "Kết nối cấp II IPv6 {u} {p}"),
                                (f"10.{self.p}.248.0/23", "Địa chỉ loopback thiết bị {u} {p}"),
                                (f"10.{self.p}.250.0/24", "Máy chủ xác thực (TACACS+, RADIUS) {u} {p}"),
                                (f"10.{self.p}.252.0/22", "Quản trị thiết bị (out-of-band) {u} {p}")):
            self.out.allocations.append(_alloc(prefix, agency_vnpt, self._fill(purpose), review()))

        # provincial agencies
        agencies = [(sfx, stype, self._fill(name), self._fill(agency)) for sfx, stype, name, agency in CORE_AGENCIES]
        depts = rng.sample(range(len(DEPARTMENTS)), rng.randint(2, 4))
        for i in sorted(depts):
            sfx, title = DEPARTMENTS[i]
            full = self._fill(f"{title} {{u}} {{p}}")
            agencies.append((sfx, "department", full, full))
        for sfx, stype, name, agency in agencies:
            sid = f"{self.pc}-{sfx}"
            self.used_ids.add(sid)
            coords = (cap.lat + rng.uniform(-0.02, 0.02), cap.lon + rng.uniform(-0.02, 0.02))
            self._site(sid, name, agency, "province", stype, "active", cap, "II",
                       f"Bộ phận CNTT, {agency}", coords, email=True)
            self._agency_site(sid, agency, sfx, ipv6=rng.random() < 0.6, firewall=rng.random() < 0.85,
                              switch_p=0.9, access_p=0.3, status="active",
                              bandwidth=rng.choice((1000, 500)), mountainous=cap.mountainous)

        # communes
        for commune in prov.communes:
            self.out.communes += 1
            slug = slugify(commune.short)
            sid = f"{self.pc}-{slug}"
            if sid in self.used_ids:
                slug = f"{slug}-{commune.code}"
                sid = f"{self.pc}-{slug}"
            self.used_ids.add(sid)
            status = _pick(rng, COMMUNE_STATUS)
            agency = f"UBND {commune.name}"
            legacy = None
            if commune.legacy_districts and rng.random() < 0.015:
                legacy = rng.choice(commune.legacy_districts)
            focal = f"Bộ phận CNTT, {agency}" if rng.random() < 0.95 else None
            self._site(sid, f"Trụ sở Đảng ủy - HĐND - UBND {commune.name}", agency, "commune", "commune_hq",
                       status, commune, "II", focal, (commune.lat, commune.lon), legacy_district=legacy)
            urban = commune.kind == "Phường"
            self._agency_site(sid, agency, slug, ipv6=rng.random() < self.ipv6_rate,
                              firewall=rng.random() < 0.85, switch_p=0.9, access_p=0.85 if urban else 0.05,
                              status=status, bandwidth=_pick(rng, BANDWIDTH[commune.mountainous]),
                              mountainous=commune.mountainous)

        gw_itfs.append(self._mgmt_itf(spec, gw_mgmt))   # management last, like the sample

        # the groups that carry this province's AAA servers and management ACL
        self.out.groups[f"province__{self.pc}"] = {"data": {
            "tacacs_servers": [
                {"address": f"10.{self.p}.250.10", "key_env": "GOVNET_TACACS_KEY", "name": f"{self.abbr.upper()}-TACACS-1"},
                {"address": f"10.{self.p}.250.11", "key_env": "GOVNET_TACACS_KEY", "name": f"{self.abbr.upper()}-TACACS-2"}],
            "radius_servers": [
                {"address": f"10.{self.p}.250.20", "key_env": "GOVNET_RADIUS_KEY", "name": f"{self.abbr.upper()}-RADIUS-1"}],
            "mgmt_acl": ["10.0.252.0/24", f"10.{self.p}.250.0/24"],
            "snmp_location": prov.name,
        }}

    def _agency_site(self, sid: str, agency: str, slug: str, *, ipv6: bool, firewall: bool, switch_p: float,
                     access_p: float, status: str, bandwidth: int, mountainous: bool) -> None:
        """One agency site: CE (+ firewall, core switch, access switch), its LANs, allocations, uplink."""
        rng = self.rng
        self.site_n += 1
        i = self.site_n
        lan_v4 = f"10.{self.p}.{i}"
        lan_v6 = f"2001:db8:{self.g6}:{i:x}::" if ipv6 else None
        ce_name = f"{self.abbr}-{slug}-ce01"
        fw_name = f"{self.abbr}-{slug}-fw01"
        sw_name = f"{self.abbr}-{slug}-sw01"
        acc_name = f"{self.abbr}-{slug}-sw02"
        has_sw = firewall and rng.random() < switch_p
        has_acc = has_sw and rng.random() < access_p

        # level-II circuit
        self.l2_n += 1
        j = self.l2_n
        vlan = 100 + j
        cid = f"VNPT-{self.abbr.upper()}-L2-{1000 + j}"
        p2p = ipaddress.IPv4Address(f"10.{self.p}.224.0") + 4 * (j - 1)
        ce_wan4, gw_wan4 = f"{p2p + 2}/30", f"{p2p + 1}/30"
        v6_net = f"2001:db8:{self.g6}:{0xff00 + j - 1:x}::"
        ce_wan6, gw_wan6 = (f"{v6_net}2/127", f"{v6_net}3/127") if ipv6 else (None, None)
        protocol = _pick(rng, ROUTING)
        ce_spec: Spec = _pick(rng, CE_SPECS)
        ce_asn = 4200000000 + self.p * 1000 + j if protocol == "bgp" else None
        routing: dict[str, Any] = {"protocol": protocol}
        if protocol == "bgp":
            routing.update({"bgp_a_asn": ce_asn, "bgp_z_asn": 65000 + self.p})
        elif protocol == "static":
            routing["static_prefixes"] = [f"{lan_v4}.0/24"] + ([f"{lan_v6}/64"] if lan_v6 else [])
        circuit_status = CIRCUIT_STATUS_OF_SITE[status]
        circuit: dict[str, Any] = {
            "provider": self.vnpt, "network": "tslcd", "access_level": "II", "service": "L3VPN",
            "a": {"device": ce_name, "interface": ce_spec.ports[0]},
            "z": {"device": self.gw_name, "interface": f"{self.gw_spec.sub}.{vlan}"},
            "bandwidth_mbps": bandwidth, "role": "primary", "routing": routing, "status": circuit_status}
        if circuit_status == "active":
            circuit["activation_date"] = _activation(rng, self.as_of)
        self.out.circuits[cid] = circuit
        act = date.fromisoformat(circuit["activation_date"]) if "activation_date" in circuit else None
        self.out.sites[sid]["history"] = histories(self.hrng, status, act, self.as_of)
        fw_history = None   # devices without history come and go with their site; some firewalls came later:
        if act is not None and (self.as_of - act).days > 60 and self.hrng.random() < 0.3:
            added = act + timedelta(days=self.hrng.randint(15, (self.as_of - act).days - 30))   # firewall came later
            fw_history = [{"status": "installed", "date": added.isoformat()},
                          {"status": "active", "date": (added + timedelta(days=10)).isoformat()}]
        self.gw["data"]["interfaces"].append(_itf(f"{self.gw_spec.sub}.{vlan}", "wan", "tslcd", gw_wan4, gw_wan6,
                                                  vlan=vlan, description=f"{ce_name} {cid}"))

        # CE router
        ip, cidr = self._mgmt()
        itfs = [_itf(ce_spec.ports[0], "wan", "tslcd", ce_wan4, ce_wan6,
                     description=f"TSLCD cap II {cid} {bandwidth}M")]
        if firewall:
            itfs.append(_itf(ce_spec.ports[1], "lan", "internal", f"{lan_v4}.249/30",
                             description=f"Noi tuong lua {fw_name}"))
        else:
            itfs.append(_itf(ce_spec.ports[1], "lan", "lan", f"{lan_v4}.1/25", f"{lan_v6}1/64" if lan_v6 else None,
                             description="LAN can bo"))
        itfs.append(self._mgmt_itf(ce_spec, cidr))
        self._device(ce_name, ce_spec, sid, "ce_router", itfs, ip, self._loopback(), ce_asn)

        lans = [{"vlan": 10, "name": "CANBO", "zone": "lan", "ipv4": f"{lan_v4}.0/25"}]
        if lan_v6:
            lans[0]["ipv6"] = f"{lan_v6}/64"
        lans[0].update({"gateway": fw_name if firewall else ce_name, "description": "Mạng LAN cán bộ"})
        if firewall:
            fw_spec: Spec = _pick(rng, FW_SPECS)
            ip, cidr = self._mgmt()
            self._device(fw_name, fw_spec, sid, "firewall", [
                _itf(fw_spec.ports[0], "lan", "internal", f"{lan_v4}.250/30", description=f"Toi {ce_name} TSLCD"),
                _itf(fw_spec.ports[1], "lan", "lan", f"{lan_v4}.1/25", f"{lan_v6}1/64" if lan_v6 else None,
                     description="LAN can bo"),
                _itf(fw_spec.ports[2], "lan", "lan", f"{lan_v4}.129/26", description="Hoi nghi truc tuyen"),
                self._mgmt_itf(fw_spec, cidr)], ip)
            if fw_history is not None:
                self.out.hosts[fw_name]["data"]["history"] = fw_history
            self.out.links[f"{self.abbr}-{slug}-ce-fw"] = {
                "a": {"device": ce_name, "interface": ce_spec.ports[1]},
                "z": {"device": fw_name, "interface": fw_spec.ports[0]}, "description": "CE - tường lửa"}
            lans.append({"vlan": 30, "name": "HOP_TRUC_TUYEN", "zone": "lan", "ipv4": f"{lan_v4}.128/26",
                         "gateway": fw_name, "description": "Hội nghị truyền hình trực tuyến"})
            if has_sw:
                sw_spec: Spec = _pick(rng, SWITCH_SPECS)
                ip, cidr = self._mgmt()
                sw_itfs = [_itf(sw_spec.ports[0], "lan", "lan", vlan=10, description=f"Uplink {fw_name}"),
                           _itf(sw_spec.ports[1], "lan", "lan", vlan=30, description="Hoi nghi truc tuyen")]
                if has_acc:
                    sw_itfs.append(_itf(sw_spec.ports[2], "lan", "lan", vlan=10, description=f"Xuong {acc_name}"))
                sw_itfs.append(self._mgmt_itf(sw_spec, cidr))
                self._device(sw_name, sw_spec, sid, "core_switch", sw_itfs, ip)
                self.out.links[f"{self.abbr}-{slug}-fw-sw"] = {
                    "a": {"device": fw_name, "interface": fw_spec.ports[1]},
                    "z": {"device": sw_name, "interface": sw_spec.ports[0]},
                    "description": "Tường lửa - chuyển mạch lõi"}
                if has_acc:
                    acc_spec: Spec = _pick(rng, SWITCH_SPECS)
                    ip, cidr = self._mgmt()
                    self._device(acc_name, acc_spec, sid, "access_switch", [
                        _itf(acc_spec.ports[0], "lan", "lan", vlan=10, description=f"Uplink {sw_name}"),
                        self._mgmt_itf(acc_spec, cidr)], ip)
                    self.out.links[f"{self.abbr}-{slug}-sw-acc"] = {
                        "a": {"device": sw_name, "interface": sw_spec.ports[2]},
                        "z": {"device": acc_name, "interface": acc_spec.ports[0]},
                        "description": "Chuyển mạch lõi - chuyển mạch truy nhập"}
        self.out.lans[sid] = lans

        self.out.allocations.append(_alloc(f"{lan_v4}.0/24", agency, "Mạng LAN của đơn vị",
                                           _review(rng, self.as_of), sid))
        if lan_v6:
            self.out.allocations.append(_alloc(f"{lan_v6}/64", agency, "Mạng LAN IPv6 của đơn vị",
                                               _review(rng, self.as_of), sid))


def _centres(keys: list[str], seed: int, out: _Out, geo: Geography) -> dict[str, dict[str, Any]]:
    """The regional centres (and backups) with their PE routers; returns the PE host entries by name."""
    rng = random.Random(f"govnet:{seed}:central")
    pes: dict[str, dict[str, Any]] = {}
    n = 0
    for key, (label, pcode, main, backup, prefix) in CENTRES.items():
        # draw for every centre so that a province-scope run gets the same people and numbers
        people = [_person(rng) for _ in range(2)]
        phones = [_phone(rng, PROVINCE_ABBR[pcode][1]) for _ in range(2)]
        if key not in keys:
            n += 2
            continue
        prov = geo.provinces[pcode]
        region = _region_at(prov, main)
        for k, (suffix, title, coords) in enumerate((("", "Trung tâm mạng TSLCD khu vực", main),
                                                     ("-bk", "Trung tâm dự phòng mạng TSLCD khu vực", backup))):
            n += 1
            sid = f"c-rc-{key}{suffix}"
            out.sites[sid] = {
                "name": f"{title} {label}", "agency": "Cục Bưu điện Trung ương", "level": "central",
                "province_code": pcode, "region": region.value, "mountainous": False,
                "site_type": "regional_centre", "status": "active", "access_level": "I",
                "focal_point": {"name": people[k], "unit": "Cục Bưu điện Trung ương", "phone": phones[k]},
                "coordinates": {"lat": coords[0], "lon": coords[1]}}
            name = f"{prefix}-pe{k + 1:02d}"
            host = {"hostname": f"10.0.254.{n}", "platform": PE_SPEC.platform, "groups": ["backbone"],
                    "data": {"site": sid, "role": "gateway", "vendor": PE_SPEC.vendor, "model": "MX480",
                             "os_version": "21.4R3-S5", "loopback_ipv4": f"10.0.255.{n}/32", "asn": 65000,
                             "interfaces": []}}
            out.hosts[name] = host
            pes[name] = host
    return pes


def _region_at(prov: Province, coords: tuple[float, float]) -> Any:
    """Region of the commune nearest to ``coords`` (the regional centres sit in real cities)."""
    nearest = min(prov.communes, key=lambda c: (c.lat - coords[0]) ** 2 + (c.lon - coords[1]) ** 2)
    return nearest.region


HEADER = """{file} — {what}
Generated by: govnet inventory generate --scope {scope} --seed {seed}   (do not edit by hand; regenerate)
Geography is real (vietnamadminunits: 34 provinces, 3,321 communes; region per commune from the pre-2025
province); devices, circuits and addresses are synthetic (RFC 1918 and 2001:db8::/32)."""

WHAT = {
    "hosts.yaml": "devices (Nornir SimpleInventory form; govnet fields under data:)",
    "groups.yaml": "Nornir groups (province__<code> carries the province's AAA servers)",
    "defaults.yaml": "national defaults every device inherits",
    "sites.yaml": "agency sites: id → site",
    "circuits.yaml": "WAN circuits (kênh truyền): a = customer end, z = gateway end",
    "links.yaml": "cables inside a site (CE ↔ firewall ↔ switch): id → link",
    "lans.yaml": "LAN segments (VLANs) per site",
    "ip_allocations.yaml": "address allocations (Circular 19/2023: Cục Bưu điện Trung ương allocates; yearly review)",
}


def _defaults() -> dict[str, Any]:
    return {"data": {
        "ntp_servers": ["10.0.250.1", "10.0.250.2"],
        "logging_hosts": ["10.0.251.10"],
        "dns_servers": ["10.0.250.53"],
        "domain_name": "tslcd.gov.vn",
        "timezone": "ICT 7",
        "banner": ("CẢNH BÁO: Thiết bị thuộc mạng truyền số liệu chuyên dùng của các cơ quan Đảng, Nhà nước. "
                   "Chỉ người được cấp quyền mới được truy cập."),
        "local_users": [{"name": "netadmin", "privilege": 15, "secret_env": "GOVNET_NETADMIN_HASH"}],
        "snmp_users": [{"name": "govnet-mon", "group": "GOVNET-RO", "auth_env": "GOVNET_SNMP_AUTH",
                        "priv_env": "GOVNET_SNMP_PRIV"}],
        "mgmt_acl": ["10.0.252.0/24"],
        "ospf_hello": 1,
        "ospf_dead": 4,
    }}


_SPECS_OF_ROLE = {"ce_router": CE_SPECS, "firewall": FW_SPECS, "core_switch": SWITCH_SPECS,
                  "access_switch": SWITCH_SPECS, "gateway": GATEWAY_SPECS}


def _port_map(spec: Spec, model: DeviceModel) -> dict[str, str]:
    """Spec port → the model's own port (from the model table), for the ports the model names.

    Examples:
        >>> from nornir_tasks.platforms.hardware import device_model
        >>> _port_map(GATEWAY_SPECS[0][0], device_model("cisco_ios", "ASR1001-X"))["TenGigabitEthernet0/1/0"]
        'TenGigabitEthernet0/0/0'
        >>> _port_map(FW_SPECS[0][0], device_model("juniper_junos", "SRX300"))["fxp0"]
        'ge-0/0/7'
    """
    out = {a: b for a, b in zip(spec.ports, model.typical)}
    if spec.sub and model.typical_sub:
        out[spec.sub] = model.typical_sub
    mgmt = model.mgmt_port or model.inband_mgmt
    if mgmt:
        out[spec.mgmt] = mgmt
    return {a: b for a, b in out.items() if a != b}


def _fit_ports_to_models(hosts: dict[str, Any], circuits: dict[str, Any], links: dict[str, Any]) -> None:
    """Rename each generated device's ports to the ones its model has (the platform packages' model table):
    an ASR1001-X's built-in 10GE ports are Te0/0/0-1, an SRX300 has no fxp0, an AR6140-S no MEth."""
    renames: dict[str, dict[str, str]] = {}
    for name, host in hosts.items():
        data = host["data"]
        model = device_model(host["platform"], data.get("model"))
        specs = [sp for sp, _ in _SPECS_OF_ROLE.get(data["role"], ()) if sp.platform == host["platform"]]
        if model is None or not specs:
            continue
        mapping = _port_map(specs[0], model)
        if not mapping:
            continue
        renames[name] = mapping
        for itf in data["interfaces"]:
            itf["name"] = _renamed(itf["name"], mapping)
    for item in (*circuits.values(), *links.values()):
        for side in ("a", "z"):
            end = item[side]
            end_map = renames.get(end["device"])
            if end_map:
                end["interface"] = _renamed(end["interface"], end_map)


def _renamed(name: str, mapping: dict[str, str]) -> str:
    base, dot, rest = name.partition(".")
    return mapping.get(base, base) + dot + rest


def build(scope: str, seed: int, *, as_of: date = REFERENCE_DATE, geo: Geography | None = None) -> dict[str, Any]:
    """The generated inventory as plain data: file name → content (what :func:`generate` writes).

    Examples:
        >>> files = build("province=12", 1)
        >>> files["_summary"]["communes"], sorted(files)[1:4]
        (38, ['circuits.yaml', 'defaults.yaml', 'groups.yaml'])
    """
    geo = geo or load_geography()
    codes = parse_scope(scope, list(geo.provinces))
    out = _Out()
    needed = sorted({CENTRE_OF_REGION[geo.provinces[c].region.value] for c in codes})
    pes = _centres(needed, seed, out, geo)
    for code in codes:   # each province appends its level-I ports to the PEs, in province order
        _Province(geo.provinces[code], seed, out, pes, as_of).build()
    for host in pes.values():   # management interface last, like the sample
        host["data"]["interfaces"].append(_itf(PE_SPEC.mgmt, "mgmt", "mgmt", f"{host['hostname']}/24",
                                               description="Quan tri"))
    _fit_ports_to_models(out.hosts, out.circuits, out.links)
    out.allocations.append(_alloc("10.0.254.0/24", "Cục Bưu điện Trung ương", "Quản trị thiết bị mạng lõi",
                                  as_of.replace(day=1).isoformat()))
    out.allocations.append(_alloc("10.0.255.0/24", "Cục Bưu điện Trung ương", "Địa chỉ loopback mạng lõi",
                                  as_of.replace(day=1).isoformat()))
    groups: dict[str, Any] = {
        "vnpt_managed": {"data": {"snmp_location": "VNPT quản lý (thiết bị đầu cuối CE)"}},
        "backbone": {"data": {"mgmt_acl": ["10.0.252.0/24"]}},
        **{k: out.groups[k] for k in sorted(out.groups)},
    }
    return {
        "hosts.yaml": out.hosts, "groups.yaml": groups, "defaults.yaml": _defaults(), "sites.yaml": out.sites,
        "circuits.yaml": out.circuits, "links.yaml": out.links, "lans.yaml": out.lans,
        "ip_allocations.yaml": out.allocations,
        "_summary": {"provinces": len(codes), "communes": out.communes, "sites": len(out.sites),
                     "devices": len(out.hosts), "circuits": len(out.circuits), "links": len(out.links),
                     "lans": sum(len(v) for v in out.lans.values()), "allocations": len(out.allocations),
                     "region_fallbacks": sum(c.region_fallback for code in codes
                                             for c in geo.provinces[code].communes)},
    }


def generate(scope: str, seed: int, out: Path, *, as_of: date = REFERENCE_DATE) -> dict[str, int]:
    """Write a complete inventory folder for ``scope`` (``national`` or ``province=<code>``) into ``out``.

    Files are written atomically and only when their content changed; the same ``scope`` and ``seed``
    always give byte-identical files. Returns counts (provinces, communes, sites, devices, circuits, links,
    lans, allocations, region_fallbacks).

    Raises:
        GovnetError: (CFG-003) when ``scope`` is not ``national`` or ``province=<one of the 34 codes>``.
    """
    files = build(scope, seed, as_of=as_of)
    summary: dict[str, int] = files.pop("_summary")
    out = Path(out)
    for name, content in files.items():
        header = HEADER.format(file=name, what=WHAT[name], scope=scope.strip(), seed=seed)
        write_if_changed(out / name, to_yaml(content, header))
    return summary
