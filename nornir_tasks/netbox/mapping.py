"""govnet's inventory ⇄ NetBox objects, as pure functions (no network, no nornir).

``desired_objects(inv)`` turns the :class:`~nornir_tasks.model.Inventory` into the NetBox objects it means, per
kind, keyed by a stable *key* (a site's key is its id, an interface's ``device|name``...). Fields that point at
another object hold a :class:`Ref` (kind + key) instead of a NetBox id, so the desired objects can be compared
with what NetBox holds before anything exists there. ``inventory_files(records)`` goes the other way: NetBox
records (REST JSON) → the inventory files' content (``hosts.yaml``, ``sites.yaml``, ...).

The table of what maps to what is in ``docs/netbox.md``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Iterable

from nornir_tasks.model import (
    AdminLevel,
    Circuit,
    Device,
    Inventory,
    IpAllocation,
    Lan,
    SiteStatus,
)
from nornir_tasks.platforms import info as platform_info

#: Kinds in the order they are written (referenced objects first) and their REST endpoints.
KINDS: dict[str, str] = {
    "region": "dcim/regions",
    "site_group": "dcim/site-groups",
    "tenant": "tenancy/tenants",
    "manufacturer": "dcim/manufacturers",
    "device_role": "dcim/device-roles",
    "platform": "dcim/platforms",
    "provider": "circuits/providers",
    "circuit_type": "circuits/circuit-types",
    "vrf": "ipam/vrfs",
    "ipam_role": "ipam/roles",
    "config_context": "extras/config-contexts",
    "site": "dcim/sites",
    "device_type": "dcim/device-types",
    "device": "dcim/devices",
    "interface": "dcim/interfaces",
    "vlan": "ipam/vlans",
    "prefix": "ipam/prefixes",
    "ip_address": "ipam/ip-addresses",
    "circuit": "circuits/circuits",
    "circuit_termination": "circuits/circuit-terminations",
    "cable": "dcim/cables",
}

#: NetBox content type ↔ govnet kind, for generic relations (IP assignment, prefix scope, cable ends).
OBJECT_TYPES: dict[str, str] = {
    "dcim.interface": "interface",
    "dcim.site": "site",
    "circuits.circuittermination": "circuit_termination",
}
KIND_OBJECT_TYPE = {v: k for k, v in OBJECT_TYPES.items()}

#: govnet site status → NetBox site status (govnet's own value is kept in the ``govnet_status`` custom field)
SITE_STATUS: dict[str, str] = {"planned": "planned", "ordered": "planned", "installed": "staging",
                               "active": "active", "suspended": "decommissioning", "decommissioned": "retired"}
#: govnet circuit status → NetBox circuit status (one to one)
CIRCUIT_STATUS: dict[str, str] = {"planned": "planned", "ordered": "provisioning", "active": "active",
                                  "suspended": "offline", "decommissioned": "decommissioned"}
CIRCUIT_STATUS_BACK = {v: k for k, v in CIRCUIT_STATUS.items()}
SITE_STATUS_BACK = {"planned": "planned", "staging": "installed", "active": "active",
                    "decommissioning": "suspended", "retired": "decommissioned"}

UNSPECIFIED = "unspecified"
LAN_ROLE, ALLOCATION_ROLE = "lan", "allocation"
DEFAULTS_CONTEXT = "govnet-defaults"
UNMAPPED = "_unmapped"   # inventory_files(): sentences about NetBox objects no inventory file can hold
GROUP_CONTEXT_PREFIX = "govnet-group-"


@dataclass(frozen=True)
class Ref:
    """A pointer to another NetBox object by govnet key (resolved to an id only when writing)."""

    kind: str
    key: str

    def __str__(self) -> str:
        return f"{self.kind}:{self.key}"


Fields = dict[str, Any]
Objects = dict[str, dict[str, Fields]]   # kind → key → fields


def slug(text: str, *, unique: bool = False) -> str:
    """A NetBox slug (``^[-a-zA-Z0-9_]+$``, ≤ 100) of any text; ``unique`` adds a short hash of the text.

    Examples:
        >>> slug("Cục Bưu điện Trung ương")
        'cuc-buu-dien-trung-uong'
        >>> slug("lcu.gw01"), slug("VNPT Lai Châu", unique=True)
        ('lcu-gw01', 'vnpt-lai-chau-f3bd41')
    """
    from nornir_tasks.inventory.generate import slugify

    base = slugify(text) or "x"
    if unique:
        return f"{base[:90]}-{hashlib.sha1(text.encode('utf-8')).hexdigest()[:6]}"
    return base[:100]


def province_slug(code: str) -> str:
    """Region slug of a province code.

    Examples:
        >>> province_slug("12")
        'vn-12'
    """
    return f"vn-{code}"


def _dump(model: Any) -> Any:
    return model.model_dump(mode="json", exclude_none=True)


# ------------------------------------------------------------------------------------------------ push side
def desired_objects(inv: Inventory, *, province_names: dict[str, str] | None = None) -> Objects:
    """Every NetBox object the inventory means, per kind (in :data:`KINDS` order), keyed by govnet key.

    Examples:
        >>> from nornir_tasks.model import Site
        >>> s = Site(id="12-ttkn", name="Trung tâm", level="province", province_code="12", region="TDMNPB",
        ...          site_type="provincial_centre", status="active")
        >>> objs = desired_objects(Inventory(sites={"12-ttkn": s}, devices={}, circuits={}))
        >>> objs["site"]["12-ttkn"]["region"], objs["site"]["12-ttkn"]["status"]
        (Ref(kind='region', key='vn-12'), 'active')
    """
    names = province_names or {}
    out: Objects = {k: {} for k in KINDS}
    for site in inv.sites.values():
        out["region"].setdefault(province_slug(site.province_code), {
            "name": names.get(site.province_code, f"Tỉnh/thành phố {site.province_code}"),
            "slug": province_slug(site.province_code)})
        out["site_group"].setdefault(site.level.value, {"name": site.level.value, "slug": site.level.value})
        if site.agency:
            _tenant(out, site.agency)
        out["site"][site.id] = {
            "name": site.id, "slug": slug(site.id), "status": SITE_STATUS[site.status.value],
            "region": Ref("region", province_slug(site.province_code)), "group": Ref("site_group", site.level.value),
            "tenant": Ref("tenant", site.agency) if site.agency else None, "description": site.name,
            "latitude": round(site.coordinates.lat, 6) if site.coordinates else None,
            "longitude": round(site.coordinates.lon, 6) if site.coordinates else None,
            "comments": site.notes or "",
            "custom_fields": {
                "commune_code": site.commune_code, "socio_region": site.region.value,
                "mountainous": site.mountainous, "access_level": site.access_level.value if site.access_level else None,
                "site_type": site.site_type.value, "govnet_status": site.status.value,
                "state_secret": site.state_secret,
                "focal_point": _dump(site.focal_point) if site.focal_point else None,
                "legacy_district": site.legacy_district, "status_history": _history(site.history)},
        }
    out["config_context"][DEFAULTS_CONTEXT] = {
        "name": DEFAULTS_CONTEXT, "weight": 1000, "is_active": False,
        "description": "govnet defaults.yaml (stored for pull; not applied to devices)",
        "data": {"govnet": {"kind": "defaults", "data": _dump(inv.defaults),
                            "connection_options": inv.defaults_connection_options}}}
    for group in inv.groups.values():
        name = GROUP_CONTEXT_PREFIX + group.name
        out["config_context"][name] = {
            "name": name, "weight": 1000, "is_active": False,
            "description": f"govnet group {group.name} (stored for pull; not applied to devices)",
            "data": {"govnet": {"kind": "group", "name": group.name, "groups": list(group.groups),
                                "platform": group.platform.value if group.platform else None,
                                "data": _dump(group.data), "connection_options": group.connection_options}}}
    for dev in inv.devices.values():
        _device(out, dev)
    for index, lan in enumerate(inv.lans):
        _lan(out, lan, index)
    seen: dict[str, int] = {}
    for index, alloc in enumerate(inv.allocations):
        _allocation(out, alloc, index, seen)
    _merge_lan_prefixes(out)
    for circuit in inv.circuits.values():
        _circuit(out, inv, circuit)
    for link in inv.links.values():
        out["cable"][link.id] = {
            "label": link.id, "status": "connected", "description": link.description or "",
            "a_terminations": [Ref("interface", f"{link.a.device}|{link.a.interface}")],
            "b_terminations": [Ref("interface", f"{link.z.device}|{link.z.interface}")]}
    return out


def _history(history: tuple[Any, ...]) -> list[Any] | None:
    return [_dump(h) for h in history] or None


def _tenant(out: Objects, agency: str) -> None:
    out["tenant"].setdefault(agency, {"name": agency, "slug": slug(agency, unique=True)})


def _device(out: Objects, dev: Device) -> None:
    vendor, model = dev.vendor or UNSPECIFIED, dev.model or UNSPECIFIED
    out["manufacturer"].setdefault(vendor, {"name": vendor, "slug": slug(vendor, unique=True)})
    dtype = f"{vendor}|{model}"
    out["device_type"].setdefault(dtype, {"manufacturer": Ref("manufacturer", vendor), "model": model,
                                          "slug": slug(model, unique=True)})
    out["device_role"].setdefault(dev.role.value, {"name": dev.role.value, "slug": dev.role.value,
                                                   "color": "9e9e9e"})
    row = platform_info(dev.platform.value)
    out["platform"].setdefault(dev.platform.value, {
        "name": dev.platform.value, "slug": dev.platform.value,
        "custom_fields": {"napalm_driver": row.napalm_driver, "netmiko_device_type": row.netmiko_device_type}})
    out["device"][dev.name] = {
        "name": dev.name, "site": Ref("site", dev.site), "role": Ref("device_role", dev.role.value),
        "device_type": Ref("device_type", dtype), "platform": Ref("platform", dev.platform.value),
        "serial": dev.serial or "", "status": "active",
        "custom_fields": {
            "mgmt_host": dev.hostname, "ssh_port": dev.port, "os_version": dev.os_version,
            "loopback_ipv4": str(dev.loopback_ipv4) if dev.loopback_ipv4 else None, "asn": dev.asn,
            "managed_by": dev.managed_by, "govnet_groups": list(dev.groups),
            "govnet_custom": dict(dev.custom) or None, "status_history": _history(dev.history)}}
    for index, itf in enumerate(dev.interfaces):
        key = f"{dev.name}|{itf.name}"
        if itf.vrf:
            out["vrf"].setdefault(itf.vrf, {"name": itf.vrf})
        out["interface"][key] = {
            "device": Ref("device", dev.name), "name": itf.name,
            "type": "virtual" if itf.kind.value == "loopback" else "other", "enabled": itf.enabled,
            "mtu": itf.mtu, "description": itf.description or "", "mgmt_only": itf.kind.value == "mgmt",
            "vrf": Ref("vrf", itf.vrf) if itf.vrf else None,
            "custom_fields": {"interface_kind": itf.kind.value, "zone": itf.zone.value if itf.zone else None,
                              "lan_vlan": itf.vlan, "ospf_cost": itf.ospf_cost, "govnet_index": index}}
        for family, addr in ((4, itf.ipv4), (6, itf.ipv6)):
            if addr is not None:
                out["ip_address"][f"{key}|{family}"] = {
                    "address": str(addr), "assigned_object": Ref("interface", key),
                    "vrf": Ref("vrf", itf.vrf) if itf.vrf else None, "status": "active"}


def _lan(out: Objects, lan: Lan, index: int) -> None:
    key = f"{lan.site}|{lan.vlan}"
    out["vlan"][key] = {
        "site": Ref("site", lan.site), "vid": lan.vlan, "name": lan.name, "status": "active",
        "description": lan.description or "",
        "custom_fields": {"zone": lan.zone.value, "gateway": lan.gateway, "govnet_index": index}}
    for family, net in ((4, lan.ipv4), (6, lan.ipv6)):
        if net is not None:
            out["ipam_role"].setdefault(LAN_ROLE, {"name": LAN_ROLE, "slug": LAN_ROLE})
            out["prefix"][f"{LAN_ROLE}|{key}|{family}"] = {
                "prefix": str(net), "scope": Ref("site", lan.site), "vlan": Ref("vlan", key),
                "role": Ref("ipam_role", LAN_ROLE), "status": "active", "tenant": None, "description": "",
                "custom_fields": {"govnet_index": index, "allocated_by": None, "network": None,
                                  "last_review": None}}


def allocation_key(prefix: str, seen: dict[str, int]) -> str:
    """Key of an allocation prefix; a repeated prefix gets ``#2``, ``#3``... in file order.

    Examples:
        >>> seen = {}
        >>> allocation_key("10.0.0.0/8", seen), allocation_key("10.0.0.0/8", seen)
        ('allocation|10.0.0.0/8', 'allocation|10.0.0.0/8#2')
    """
    seen[prefix] = seen.get(prefix, 0) + 1
    return f"{ALLOCATION_ROLE}|{prefix}" + (f"#{seen[prefix]}" if seen[prefix] > 1 else "")


def _allocation(out: Objects, alloc: IpAllocation, index: int, seen: dict[str, int]) -> None:
    _tenant(out, alloc.agency)
    out["ipam_role"].setdefault(ALLOCATION_ROLE, {"name": ALLOCATION_ROLE, "slug": ALLOCATION_ROLE})
    out["prefix"][allocation_key(str(alloc.prefix), seen)] = {
        "prefix": str(alloc.prefix), "scope": Ref("site", alloc.site) if alloc.site else None, "vlan": None,
        "role": Ref("ipam_role", ALLOCATION_ROLE), "status": "active", "tenant": Ref("tenant", alloc.agency),
        "description": alloc.purpose,
        "custom_fields": {"govnet_index": index, "allocated_by": alloc.allocated_by.value,
                          "network": alloc.network.value, "last_review": alloc.last_review.isoformat()}}


def _merge_lan_prefixes(out: Objects) -> None:
    """A LAN whose prefix is exactly an allocation's shares that prefix object (NetBox refuses duplicate
    prefixes in the global table): the allocation prefix also names the LAN's VLAN."""
    allocations = {f["prefix"]: key for key, f in out["prefix"].items() if key.startswith(ALLOCATION_ROLE + "|")}
    for key in [k for k in out["prefix"] if k.startswith(LAN_ROLE + "|")]:
        lan = out["prefix"][key]
        akey = allocations.get(lan["prefix"])
        if akey is not None and out["prefix"][akey]["vlan"] is None:
            out["prefix"][akey]["vlan"] = lan["vlan"]
            del out["prefix"][key]


def _circuit(out: Objects, inv: Inventory, c: Circuit) -> None:
    out["provider"].setdefault(c.provider, {"name": c.provider, "slug": slug(c.provider, unique=True)})
    out["circuit_type"].setdefault(c.service, {"name": c.service, "slug": slug(c.service, unique=True)})
    out["circuit"][c.id] = {
        "cid": c.id, "provider": Ref("provider", c.provider), "type": Ref("circuit_type", c.service),
        "status": CIRCUIT_STATUS[c.status.value], "commit_rate": c.bandwidth_mbps * 1000,
        "install_date": c.activation_date.isoformat() if c.activation_date else None,
        "description": c.description or "",
        "custom_fields": {"network": c.network.value,
                          "access_level": c.access_level.value if c.access_level else None,
                          "circuit_role": c.role.value, "routing": _dump(c.routing),
                          "status_history": _history(c.history)}}
    for side, end in (("A", c.a), ("Z", c.z)):
        dev = inv.devices.get(end.device)
        if dev is None:
            continue   # validation reports the unknown device (INV-021)
        term = f"{c.id}|{side}"
        out["circuit_termination"][term] = {"circuit": Ref("circuit", c.id), "term_side": side,
                                            "termination": Ref("site", dev.site)}
        out["cable"][f"{c.id}/{side}"] = {
            "label": f"{c.id}/{side}", "status": "connected", "description": "",
            "a_terminations": [Ref("interface", f"{end.device}|{end.interface}")],
            "b_terminations": [Ref("circuit_termination", term)]}


# ------------------------------------------------------------------------------------------------ NetBox records
def _name(obj: Any, field: str = "name") -> Any:
    return obj.get(field) if isinstance(obj, dict) else None


def _value(v: Any) -> Any:
    """A choice field's value (NetBox returns ``{"value": ..., "label": ...}``)."""
    return v["value"] if isinstance(v, dict) and "value" in v and set(v) <= {"value", "label"} else v


def record_key(kind: str, rec: dict[str, Any]) -> str | None:
    """The govnet key of a NetBox record (``None`` when it cannot be one of ours).

    Examples:
        >>> record_key("interface", {"name": "ge-0/0/1", "device": {"id": 3, "name": "lcu-tu-fw01"}})
        'lcu-tu-fw01|ge-0/0/1'
        >>> record_key("prefix", {"prefix": "10.12.1.0/25", "role": {"slug": "lan"}, "family": {"value": 4},
        ...                       "scope_type": "dcim.site", "scope": {"name": "12-tu"}, "vlan": {"vid": 10}})
        'lan|12-tu|10|4'
    """
    if kind in ("region", "site_group", "device_role", "platform", "ipam_role"):
        return rec.get("slug")
    if kind in ("tenant", "manufacturer", "provider", "circuit_type", "vrf", "config_context", "site", "device"):
        return rec.get("name")
    if kind == "device_type":
        return f"{_name(rec.get('manufacturer'))}|{rec.get('model')}"
    if kind == "interface":
        return f"{_name(rec.get('device'))}|{rec.get('name')}"
    if kind == "vlan":
        return f"{_name(rec.get('site'))}|{rec.get('vid')}" if rec.get("site") else None
    if kind == "prefix":
        role = _name(rec.get("role"), "slug")
        if role == LAN_ROLE and rec.get("vlan") and rec.get("scope"):
            return f"{LAN_ROLE}|{_name(rec['scope'])}|{rec['vlan'].get('vid')}|{_value(rec.get('family'))}"
        if role == ALLOCATION_ROLE:
            return f"{ALLOCATION_ROLE}|{rec.get('prefix')}"   # repeats are numbered by the caller
        return None
    if kind == "ip_address":
        obj = rec.get("assigned_object")
        if rec.get("assigned_object_type") != "dcim.interface" or not obj:
            return None
        return f"{_name(obj.get('device'))}|{obj.get('name')}|{_value(rec.get('family'))}"
    if kind == "circuit":
        return rec.get("cid")
    if kind == "circuit_termination":
        return f"{_name(rec.get('circuit'), 'cid')}|{_value(rec.get('term_side'))}"
    if kind == "cable":
        return rec.get("label") or None
    raise KeyError(kind)


def current_view(want: Any, have: Any, ids: dict[str, dict[int, str]]) -> Any:
    """NetBox's value ``have`` in the shape of the desired value ``want`` (ids → :class:`Ref`, choices → values).

    Examples:
        >>> current_view(Ref("site", "x"), {"id": 7, "name": "x"}, {"site": {7: "x"}})
        Ref(kind='site', key='x')
        >>> current_view("active", {"value": "active", "label": "Active"}, {})
        'active'
        >>> current_view(21.0285, "21.028500", {})
        21.0285
    """
    if isinstance(want, Ref):
        if not isinstance(have, dict) or "id" not in have:
            return None
        return Ref(want.kind, ids.get(want.kind, {}).get(have["id"], f"#{have['id']}"))
    if isinstance(want, dict) and isinstance(have, dict) and "value" not in have:
        return {k: current_view(v, have.get(k), ids) for k, v in want.items()}
    if isinstance(want, list) and want and isinstance(want[0], Ref) and isinstance(have, list):
        return [current_view(w, h, ids) for w, h in zip(want * len(have), have)]
    have = _value(have)
    if isinstance(want, float) and have is not None:
        try:
            return float(have)
        except (TypeError, ValueError):
            return have
    return have


def normalise_record(kind: str, rec: dict[str, Any]) -> dict[str, Any]:
    """Fold NetBox's generic relations into the single fields govnet compares (``assigned_object``, ``scope``,
    ``termination``, cable ends) as ``{"id": ...}`` dicts tagged with their kind."""
    out = dict(rec)
    if kind == "ip_address":
        out["assigned_object"] = _generic(rec.get("assigned_object_type"), rec.get("assigned_object_id"))
    elif kind == "prefix":
        out["scope"] = _generic(rec.get("scope_type"), rec.get("scope_id"))
    elif kind == "circuit_termination":
        out["termination"] = _generic(rec.get("termination_type"), rec.get("termination_id"))
    elif kind == "cable":
        for side in ("a_terminations", "b_terminations"):
            out[side] = [_generic(t.get("object_type"), t.get("object_id")) for t in rec.get(side) or []]
    return out


def _generic(object_type: str | None, object_id: int | None) -> dict[str, Any] | None:
    if not object_type or object_id is None:
        return None
    return {"id": object_id, "kind": OBJECT_TYPES.get(object_type, object_type)}


def payload(fields: Fields, ids: dict[str, dict[str, int]]) -> dict[str, Any]:
    """Desired fields → a REST body (refs → ids, generic relations → type + id).

    Raises:
        LookupError: when a referenced object has no id (it could not be created).

    Examples:
        >>> payload({"assigned_object": Ref("interface", "r1|e0"), "vrf": None}, {"interface": {"r1|e0": 5}})
        {'assigned_object_type': 'dcim.interface', 'assigned_object_id': 5, 'vrf': None}
    """
    body: dict[str, Any] = {}
    for name, value in fields.items():
        if name in ("assigned_object", "scope", "termination"):
            if value is None:
                if name != "termination":
                    body[f"{name}_type"], body[f"{name}_id"] = None, None
                continue
            body[f"{name}_type"] = KIND_OBJECT_TYPE[value.kind]
            body[f"{name}_id"] = _resolve(value, ids)
        elif name in ("a_terminations", "b_terminations"):
            body[name] = [{"object_type": KIND_OBJECT_TYPE[r.kind], "object_id": _resolve(r, ids)} for r in value]
        elif isinstance(value, Ref):
            body[name] = _resolve(value, ids)
        else:
            body[name] = value
    return body


def _resolve(ref: Ref, ids: dict[str, dict[str, int]]) -> int:
    try:
        return ids[ref.kind][ref.key]
    except KeyError:
        raise LookupError(f"{ref} does not exist in NetBox (it could not be created)") from None


# ------------------------------------------------------------------------------------------------ pull side
def _cf(rec: dict[str, Any]) -> dict[str, Any]:
    return {k: _value(v) for k, v in (rec.get("custom_fields") or {}).items()}


def _ordered(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    recs = list(records)
    return sorted(recs, key=lambda r: (_cf(r).get("govnet_index") is None, _cf(r).get("govnet_index") or 0,
                                       r.get("id", 0)))


def _drop_none(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}


def inventory_files(records: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """NetBox records per kind → the content of each inventory file, in the loader's shapes, plus
    ``files[UNMAPPED]``: a sentence for every object that no file can hold (a device without a name, a second
    device with the same name).

    Objects that are not govnet's shape (a site without a province region, a prefix without one of govnet's
    roles) are still written when they can be; the loader's validation then reports what is missing.
    """
    by_id = {kind: {r["id"]: r for r in recs} for kind, recs in records.items()}
    sites: dict[str, Any] = {}
    for rec in records.get("site", []):
        cf = _cf(rec)
        region = _name(rec.get("region"), "slug") or ""
        lat, lon = rec.get("latitude"), rec.get("longitude")
        status = cf.get("govnet_status") or SITE_STATUS_BACK.get(_value(rec.get("status")), _value(rec.get("status")))
        sites[rec["name"]] = _drop_none({
            "name": rec.get("description") or rec["name"], "agency": _name(rec.get("tenant")),
            "level": _name(rec.get("group"), "slug"),
            "province_code": region[3:] if region.startswith("vn-") else None,
            "commune_code": cf.get("commune_code"), "region": cf.get("socio_region"),
            "mountainous": bool(cf.get("mountainous")), "site_type": cf.get("site_type") or "other",
            "status": status, "access_level": cf.get("access_level"), "state_secret": bool(cf.get("state_secret")),
            "focal_point": cf.get("focal_point") or None,
            "coordinates": {"lat": float(lat), "lon": float(lon)} if lat is not None and lon is not None else None,
            "legacy_district": cf.get("legacy_district"), "notes": rec.get("comments") or None,
            "history": cf.get("status_history") or None})
    ifaces: dict[int, list[dict[str, Any]]] = {}
    for rec in _ordered(records.get("interface", [])):
        ifaces.setdefault(rec["device"]["id"], []).append(rec)
    ips: dict[int, dict[int, str]] = {}
    for rec in records.get("ip_address", []):
        if rec.get("assigned_object_type") == "dcim.interface" and rec.get("assigned_object_id"):
            ips.setdefault(rec["assigned_object_id"], {})[_value(rec.get("family"))] = rec["address"]
    hosts: dict[str, Any] = {}
    unmapped: list[str] = []
    for rec in records.get("device", []):
        if not rec.get("name"):
            unmapped.append(f"device id {rec['id']} has no name; govnet's hosts are keyed by name")
            continue
        if rec["name"] in hosts:
            unmapped.append(f"device {rec['name']} (id {rec['id']}, site {_name(rec.get('site'))}) has the name of "
                            "another device; govnet's host names are unique")
            continue
        cf = _cf(rec)
        dtype = by_id.get("device_type", {}).get((rec.get("device_type") or {}).get("id"), {})
        vendor = _name(dtype.get("manufacturer")) or _name((rec.get("device_type") or {}).get("manufacturer"))
        model = dtype.get("model") or (rec.get("device_type") or {}).get("model")
        hostname = cf.get("mgmt_host") or (rec.get("primary_ip4") or {}).get("address", "").split("/")[0] \
            or rec["name"]
        interfaces = []
        for itf in ifaces.get(rec["id"], []):
            icf = _cf(itf)
            addr = ips.get(itf["id"], {})
            kind = icf.get("interface_kind") or ("mgmt" if itf.get("mgmt_only") else
                                                 "loopback" if _value(itf.get("type")) == "virtual" else "lan")
            interfaces.append(_drop_none({
                "name": itf["name"], "kind": kind, "zone": icf.get("zone"), "vlan": icf.get("lan_vlan"),
                "ipv4": addr.get(4), "ipv6": addr.get(6), "vrf": _name(itf.get("vrf")),
                "description": itf.get("description") or None, "enabled": itf.get("enabled", True),
                "mtu": itf.get("mtu"), "ospf_cost": icf.get("ospf_cost")}))
        hosts[rec["name"]] = _drop_none({
            "hostname": hostname, "platform": _name(rec.get("platform"), "slug"), "port": cf.get("ssh_port"),
            "groups": list(cf.get("govnet_groups") or []),
            "data": _drop_none({
                "site": _name(rec.get("site")), "role": _name(rec.get("role"), "slug"),
                "vendor": None if vendor in (None, UNSPECIFIED) else vendor,
                "model": None if model in (None, UNSPECIFIED) else model,
                "os_version": cf.get("os_version"), "serial": rec.get("serial") or None,
                "loopback_ipv4": cf.get("loopback_ipv4"), "asn": cf.get("asn"), "interfaces": interfaces,
                "managed_by": cf.get("managed_by"), "history": cf.get("status_history") or None,
                "custom": cf.get("govnet_custom") or None})})
    circuits = _circuits(records, by_id)
    links: dict[str, Any] = {}
    for rec in records.get("cable", []):
        label = rec.get("label") or f"cable-{rec['id']}"
        a, b = rec.get("a_terminations") or [], rec.get("b_terminations") or []
        if len(a) == 1 and len(b) == 1 and a[0].get("object_type") == b[0].get("object_type") == "dcim.interface":
            links[label] = _drop_none({"a": _end(a[0]), "z": _end(b[0]), "description": rec.get("description") or None})
    lans: dict[str, list[dict[str, Any]]] = {}
    lan_prefixes: dict[int, dict[int, str]] = {}
    allocations = []
    for rec in _ordered(records.get("prefix", [])):
        role = _name(rec.get("role"), "slug")
        if role == LAN_ROLE and rec.get("vlan"):
            lan_prefixes.setdefault(rec["vlan"]["id"], {})[_value(rec.get("family"))] = rec["prefix"]
        elif role == ALLOCATION_ROLE:
            if rec.get("vlan"):
                lan_prefixes.setdefault(rec["vlan"]["id"], {})[_value(rec.get("family"))] = rec["prefix"]
            cf = _cf(rec)
            scope = _name(rec.get("scope")) if rec.get("scope_type") == "dcim.site" else None
            allocations.append(_drop_none({
                "prefix": rec["prefix"], "family": _value(rec.get("family")), "allocated_by": cf.get("allocated_by"),
                "agency": _name(rec.get("tenant")), "site": scope, "purpose": rec.get("description") or None,
                "network": cf.get("network"), "last_review": cf.get("last_review")}))
    for rec in _ordered(records.get("vlan", [])):
        if not rec.get("site"):
            continue
        cf = _cf(rec)
        pfx = lan_prefixes.get(rec["id"], {})
        lans.setdefault(rec["site"]["name"], []).append(_drop_none({
            "vlan": rec["vid"], "name": rec["name"], "zone": cf.get("zone"), "ipv4": pfx.get(4), "ipv6": pfx.get(6),
            "gateway": cf.get("gateway"), "description": rec.get("description") or None}))
    groups, defaults = _contexts(records)
    return {"hosts.yaml": hosts, "groups.yaml": groups, "defaults.yaml": defaults, "sites.yaml": sites,
            "circuits.yaml": circuits, "links.yaml": links, "lans.yaml": lans, "ip_allocations.yaml": allocations,
            UNMAPPED: unmapped}


def _end(term: dict[str, Any]) -> dict[str, Any]:
    obj = term.get("object") or {}
    return {"device": _name(obj.get("device")), "interface": obj.get("name")}


def _circuits(records: dict[str, list[dict[str, Any]]], by_id: dict[str, dict[int, dict[str, Any]]]) -> dict[str, Any]:
    ends: dict[tuple[int, str], dict[str, Any]] = {}
    terms = by_id.get("circuit_termination", {})
    for cable in records.get("cable", []):
        a, b = cable.get("a_terminations") or [], cable.get("b_terminations") or []
        for mine, other in ((a, b), (b, a)):
            if len(mine) == 1 and len(other) == 1 and mine[0].get("object_type") == "circuits.circuittermination" \
                    and other[0].get("object_type") == "dcim.interface":
                term = terms.get(mine[0]["object_id"])
                if term:
                    ends[(term["circuit"]["id"], _value(term.get("term_side")))] = _end(other[0])
    out: dict[str, Any] = {}
    for rec in records.get("circuit", []):
        cf = _cf(rec)
        rate = rec.get("commit_rate")
        out[rec["cid"]] = _drop_none({
            "provider": _name(rec.get("provider")), "network": cf.get("network"), "access_level": cf.get("access_level"),
            "service": _name(rec.get("type")), "a": ends.get((rec["id"], "A")), "z": ends.get((rec["id"], "Z")),
            "bandwidth_mbps": rate // 1000 if isinstance(rate, int) else None, "role": cf.get("circuit_role"),
            "routing": cf.get("routing"),
            "status": CIRCUIT_STATUS_BACK.get(_value(rec.get("status")), _value(rec.get("status"))),
            "activation_date": rec.get("install_date"), "description": rec.get("description") or None,
            "history": cf.get("status_history") or None})
    return out


def _contexts(records: dict[str, list[dict[str, Any]]]) -> tuple[dict[str, Any], dict[str, Any]]:
    groups: dict[str, Any] = {}
    defaults: dict[str, Any] = {}
    for rec in sorted(records.get("config_context", []), key=lambda r: r.get("name", "")):
        gv = (rec.get("data") or {}).get("govnet")
        if not isinstance(gv, dict):
            continue
        if gv.get("kind") == "defaults":
            defaults = _drop_none({"data": gv.get("data") or None,
                                   "connection_options": gv.get("connection_options") or None})
        elif gv.get("kind") == "group" and gv.get("name"):
            groups[gv["name"]] = _drop_none({"groups": gv.get("groups") or None, "platform": gv.get("platform"),
                                             "data": gv.get("data") or None,
                                             "connection_options": gv.get("connection_options") or None})
    return groups, defaults


def inventory_from_files(files: dict[str, Any]) -> Inventory:
    """Build the model from file-shaped content without the loader's file checks (used by the plugin, whose
    input comes from NetBox, not from files). Raises pydantic's ``ValidationError`` on a bad value."""
    from nornir_tasks.model import Group, Link, SharedData, Site

    devices = {}
    for name, host in files["hosts.yaml"].items():
        data = dict(host.get("data") or {})
        devices[name] = Device.model_validate({"name": name, "hostname": host.get("hostname"),
                                               "platform": host.get("platform"), "port": host.get("port"),
                                               "groups": host.get("groups") or (), **data})
    defaults = files["defaults.yaml"]
    return Inventory(
        sites={k: Site.model_validate({"id": k, **v}) for k, v in files["sites.yaml"].items()},
        devices=devices,
        circuits={k: Circuit.model_validate({"id": k, **v}) for k, v in files["circuits.yaml"].items()},
        links={k: Link.model_validate({"id": k, **v}) for k, v in files["links.yaml"].items()},
        lans=tuple(Lan.model_validate({"site": site, **lan}) for site, items in files["lans.yaml"].items()
                   for lan in items),
        allocations=tuple(IpAllocation.model_validate(a) for a in files["ip_allocations.yaml"]),
        groups={k: Group.model_validate({"name": k, **v}) for k, v in files["groups.yaml"].items()},
        defaults=SharedData.model_validate(defaults.get("data") or {}),
        defaults_connection_options=defaults.get("connection_options") or {},
    )


__all__ = ["KINDS", "Ref", "desired_objects", "record_key", "current_view", "payload", "inventory_files",
           "inventory_from_files", "normalise_record", "AdminLevel", "SiteStatus"]
