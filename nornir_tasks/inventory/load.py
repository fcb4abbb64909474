"""Inventory files → the typed :class:`~nornir_tasks.model.Inventory`, with every problem found at once.

Files in the inventory folder (all UTF-8 YAML):

=====================  ==========================================================  =========
file                   shape                                                       required
=====================  ==========================================================  =========
hosts.yaml             Nornir SimpleInventory hosts: name → {hostname, platform,    yes
                       groups, data: {site, role, interfaces, ...}}
groups.yaml            Nornir groups: name → {groups, platform, data}              no
defaults.yaml          Nornir defaults: {data: {...}, connection_options}          no
sites.yaml             site id → site                                              yes
circuits.yaml          provider circuit id → circuit                               no
links.yaml             link id → cable between two device interfaces               no
lans.yaml              site id → list of VLANs                                     no
ip_allocations.yaml    list of allocations                                         no
=====================  ==========================================================  =========
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from nornir_tasks.errors import Finding, InventoryError, Severity
from nornir_tasks.inventory.yamlio import Locator, PathKey, ReadFailed, read_yaml
from nornir_tasks.model import (
    Circuit,
    Device,
    Group,
    Inventory,
    IpAllocation,
    Lan,
    Link,
    Platform,
    SharedData,
    Site,
)

logger = logging.getLogger(__name__)

#: Entries one inventory file may hold (the national inventory has about 10,000 devices and 3,400 sites); a larger
#: file is refused before validation builds a model of every entry.
MAX_ENTRIES = 200_000
FILES: dict[str, bool] = {
    "hosts.yaml": True,
    "groups.yaml": False,
    "defaults.yaml": False,
    "sites.yaml": True,
    "circuits.yaml": False,
    "links.yaml": False,
    "lans.yaml": False,
    "ip_allocations.yaml": False,
}

#: Top-level keys of a hosts.yaml entry (Nornir's own); everything we add lives under ``data``.
HOST_TOP = {"hostname", "platform", "port", "groups", "data", "connection_options", "username"}
GROUP_TOP = {"groups", "platform", "data", "connection_options", "username"}
DEFAULTS_TOP = {"data", "connection_options", "platform", "username"}

_PLATFORMS = ", ".join(p.value for p in Platform)

_DEVICE = TypeAdapter(Device)
_SITE = TypeAdapter(Site)
_CIRCUIT = TypeAdapter(Circuit)
_LINK = TypeAdapter(Link)
_LAN = TypeAdapter(Lan)
_ALLOC = TypeAdapter(IpAllocation)
_GROUP = TypeAdapter(Group)
_SHARED = TypeAdapter(SharedData)


@dataclass
class LoadResult:
    """What loading found: the valid part of the inventory, every finding, and where each entity came from."""

    inventory: Inventory
    findings: list[Finding]
    folder: Path
    origins: dict[tuple[str, str], tuple[str, PathKey]] = field(default_factory=dict)
    invalid: dict[str, set[str]] = field(default_factory=dict)
    connection_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    usernames: dict[str, str] = field(default_factory=dict)
    #: entity digests (:func:`nornir_tasks.inventory.digests.entity_digests`), filled in by the model cache
    digests: dict[tuple[str, str], bytes] | None = None

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]


class _Ctx:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.findings: list[Finding] = []
        self.locators: dict[str, Locator] = {}
        self.origins: dict[tuple[str, str], tuple[str, PathKey]] = {}
        self.invalid: dict[str, set[str]] = {}
        self.failed_files: set[str] = set()
        self.raw_pairs: set[frozenset[tuple[str, str]]] = set()   # ends of circuits/links that failed validation
        self.tainted_sites: set[str] = set()                       # sites of devices/circuits that failed validation
        self.raw: dict[str, Any] = {}                               # file -> parsed content (speeds up locate)

    def locate(self, file: str, key_path: PathKey) -> int | None:
        loc = self.locators.get(file)
        if loc is None:
            data = self.raw.get(file)
            top = [str(k) for k in data] if isinstance(data, dict) else len(data) if isinstance(data, list) else None
            loc = self.locators[file] = Locator(self.folder / file, top=top)
        return loc.line(key_path)

    def add(self, code: str, message: str, hint: str, *, file: str | None = None, path: PathKey = (),
            severity: Severity = Severity.ERROR, host: str | None = None, line: int | None = None) -> None:
        if file is not None and line is None:
            line = self.locate(file, path)
        self.findings.append(Finding(code=code, severity=severity, message=message, hint=hint, file=file,
                                     line=line, field=dotted(path) if path else None, host=host))

    def where(self, kind: str, key: str) -> tuple[str | None, PathKey]:
        origin = self.origins.get((kind, key))
        return origin if origin else (None, ())


#: Keys that would hold a credential; refused anywhere in connection_options and at the top of a host, group or
#: defaults (INV-070): credentials come only from environment variables.
CREDENTIAL_KEYS = frozenset({"password", "secret", "passphrase", "enable_password", "enable_secret",
                             "key_passphrase", "auth_password"})


def credential_paths(value: Any, path: PathKey = ()) -> list[PathKey]:
    """Paths of the credential keys inside ``value`` (nested mappings and lists).

    Examples:
        >>> credential_paths({"netmiko": {"extras": {"secret": "x"}}, "napalm": {"password": "y"}})
        [('netmiko', 'extras', 'secret'), ('napalm', 'password')]
        >>> credential_paths({"netmiko": {"extras": {"secret_env": "GOVNET_ENABLE"}}})
        []
    """
    found: list[PathKey] = []
    if isinstance(value, dict):
        for k, v in value.items():
            if isinstance(k, str) and k.lower() in CREDENTIAL_KEYS:
                found.append((*path, k))
            else:
                found.extend(credential_paths(v, (*path, k)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found.extend(credential_paths(v, (*path, i)))
    return found


def _refuse_credentials(ctx: _Ctx, body: dict[str, Any], file: str, prefix: PathKey, host: str | None = None) -> bool:
    """Add INV-070 for every credential in a host/group/defaults body; True when there was one."""
    paths = [(k,) for k in body if isinstance(k, str) and k.lower() in CREDENTIAL_KEYS]
    paths += [("connection_options", *p) for p in credential_paths(body.get("connection_options") or {})]
    for p in paths:
        ctx.add("INV-070", f"a credential ({p[-1]}) in the inventory",
                "remove it: govnet reads device credentials only from environment variables "
                "(GOVNET_USERNAME / GOVNET_PASSWORD by default, names set in config.yaml)",
                file=file, path=(*prefix, *p), host=host)
    return bool(paths)


def dotted(path: PathKey) -> str:
    """``('r1', 'data', 'interfaces', 2, 'ipv4')`` → ``r1.data.interfaces[2].ipv4``.

    Examples:
        >>> dotted(("r1", "data", "interfaces", 2, "ipv4"))
        'r1.data.interfaces[2].ipv4'
    """
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _classify(err: dict[str, Any]) -> tuple[str, str]:
    """Pydantic error → (code, hint)."""
    etype = err["type"]
    loc = err["loc"]
    last = str(loc[-1]) if loc else ""
    msg = str(err.get("msg", ""))
    if etype == "extra_forbidden":
        return "INV-010", "remove it or check its spelling against the documented fields"
    if etype == "missing":
        return "INV-011", "add the field"
    if last == "platform" and etype == "enum":
        return "INV-018", f"use one of: {_PLATFORMS}"
    if etype == "enum" or etype == "literal_error":
        return "INV-013", "use one of the allowed values listed above"
    if etype.startswith("ip_") or "ip" in last and etype in {"value_error", "string_type"} and "control" not in msg:
        return "INV-014", "write an address with its prefix length, e.g. 10.12.0.1/30 or 2001:db8::1/64"
    if "vlan" in last:
        return "INV-015", "use a VLAN id between 1 and 4094"
    if "control character" in msg:
        return "INV-017", "remove the line break or control character; one value is one line of text"
    if "not a valid name" in msg or "DNS host name" in msg:
        return "INV-016", "use letters, digits, '.', '_' or '-' only"
    return "INV-012", "fix the value's type or format"


def _describe(err: Mapping[str, Any]) -> str:
    etype = err["type"]
    msg = str(err.get("msg", "")).removeprefix("Value error, ")
    value = err.get("input")
    if etype == "extra_forbidden":
        return "unknown key"
    if etype == "missing":
        return "required field is missing"
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
        shown = f"a number of about {int(value.bit_length() * 0.30103)} digits"   # repr() of 5000 digits raises
    else:
        shown = repr(value)
    if len(shown) > 80:
        shown = shown[:77] + "..."
    if isinstance(value, (dict, list)):
        return msg
    return f"{msg} (got {shown})"


_TAGS = {"IPv4Network", "IPv6Network", "IPv4Address", "IPv6Address", "IPv4Interface", "IPv6Interface",
         "str", "int", "float", "bool", "none", "list", "tuple", "dict"}


def _is_tag(part: Any) -> bool:
    return isinstance(part, str) and (part in _TAGS or "[" in part or part.startswith(("constrained-", "function-")))


def _report(ctx: _Ctx, exc: ValidationError, file: str, prefix: PathKey, remap: dict[str, str] | None = None,
            host: str | None = None) -> None:
    """Turn a pydantic ValidationError into findings. ``remap`` maps a first-level field to the key it lives
    under in the file ("" for none); ``"*"`` is the default."""
    seen: set[tuple[str, PathKey]] = set()
    for err in exc.errors(include_url=False):
        clean: list[Any] = [part for part in err["loc"] if not _is_tag(part)]
        if remap and clean and isinstance(clean[0], str):
            under = remap.get(clean[0], remap.get("*", ""))
            if under:
                clean = [under, *clean]
        code, hint = _classify({**err, "loc": tuple(clean) or ("",)})
        path = (*prefix, *clean)
        if (code, path) in seen:
            continue
        seen.add((code, path))
        ctx.add(code, _describe(err), hint, file=file, path=path, host=host)


def _mapping(ctx: _Ctx, data: Any, file: str, what: str) -> dict[str, Any]:
    if isinstance(data, dict):
        if any(k is None or isinstance(k, bool) for k in data):
            # YAML reads '~:' or 'null:' as a null key, 'yes:' as true: never a host or site named None or True
            for key in [k for k in data if k is None or isinstance(k, bool)]:
                ctx.add("INV-016", f"an entry of {what} is named {key!r} (YAML reads '~', 'null', 'yes', 'no' "
                        "as values, not names)", "quote the name or give the entry a real name", file=file,
                        line=1)
            data = {k: v for k, v in data.items() if k is not None and not isinstance(k, bool)}
        return data
    ctx.add("INV-007", f"the top level must be a mapping of {what}, but it is a {type(data).__name__}",
            f"write one '<id>:' entry per {what.rstrip('s')} at the top level", file=file, line=1)
    return {}


def _read(ctx: _Ctx, name: str) -> Any:
    path = ctx.folder / name
    if not FILES[name] and not path.exists():
        return None
    try:
        data = read_yaml(path, label=name)
    except ReadFailed as exc:
        ctx.findings.append(exc.finding)
        ctx.failed_files.add(name)
        return None
    if isinstance(data, (dict, list)) and len(data) > MAX_ENTRIES:
        ctx.add("INV-006", f"{len(data):,} entries, over the limit of {MAX_ENTRIES:,} per file",
                "the national network has about 10,000 devices: check that this is really an inventory file",
                file=name, line=1)
        ctx.failed_files.add(name)
        return None
    return data


def _remember_raw(ctx: _Ctx, body: dict[str, Any]) -> None:
    """Keep the ends of an entry that failed validation, so later checks do not report its consequences."""
    ends = []
    for side in ("a", "z"):
        end = body.get(side)
        if isinstance(end, dict) and isinstance(end.get("device"), str) and isinstance(end.get("interface"), str):
            ends.append((end["device"], end["interface"]))
    if len(ends) == 2:
        ctx.raw_pairs.add(frozenset(ends))


def load_inventory(folder: str | Path, *, today: date | None = None, checks: bool = True) -> LoadResult:
    """Load and validate the inventory in ``folder``. Never raises for bad data: problems become findings.

    Use :func:`load_or_raise` to get an :class:`InventoryError` when any finding is an error.
    """
    # A national inventory builds about a million small objects; CPython's cyclic garbage collector would
    # run hundreds of times over them (most of the load time) and find nothing, as loading makes no
    # reference cycles worth collecting. Pause it while loading; its previous state is restored.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _load_inventory(folder, today=today, checks=checks)
    finally:
        if was_enabled:
            gc.enable()


def _load_inventory(folder: str | Path, *, today: date | None, checks: bool) -> LoadResult:
    folder = Path(folder)
    ctx = _Ctx(folder)
    conn_opts: dict[str, dict[str, Any]] = {}
    usernames: dict[str, str] = {}
    if not folder.is_dir():
        ctx.add("INV-001", f"inventory folder {folder} does not exist",
                "pass --inventory DIR or set inventory.options.inventory_dir in config.yaml")
        empty = Inventory(sites={}, devices={}, circuits={})
        return LoadResult(empty, ctx.findings, folder)

    raw = ctx.raw = {name: _read(ctx, name) for name in FILES}

    # ---- defaults and groups --------------------------------------------------------------------------
    defaults = SharedData()
    defaults_conn: dict[str, Any] = {}
    if raw["defaults.yaml"] is not None:
        d = _mapping(ctx, raw["defaults.yaml"], "defaults.yaml", "default settings")
        _refuse_credentials(ctx, d, "defaults.yaml", ())
        for key in d:
            if isinstance(key, str) and key.lower() in CREDENTIAL_KEYS:
                continue
            if key not in DEFAULTS_TOP:
                ctx.add("INV-010", "unknown key", f"defaults.yaml takes only: {', '.join(sorted(DEFAULTS_TOP))}",
                        file="defaults.yaml", path=(key,))
        try:
            defaults = _SHARED.validate_python(d.get("data") or {})
        except ValidationError as exc:
            _report(ctx, exc, "defaults.yaml", ("data",))
        defaults_conn = d.get("connection_options") or {}

    groups: dict[str, Group] = {}
    if raw["groups.yaml"] is not None:
        for gname, body in _mapping(ctx, raw["groups.yaml"], "groups.yaml", "groups").items():
            ctx.origins[("group", str(gname))] = ("groups.yaml", (gname,))
            body = body or {}
            if not isinstance(body, dict):
                ctx.add("INV-012", f"group {gname} must be a mapping", "write its fields under it",
                        file="groups.yaml", path=(gname,))
                continue
            if _refuse_credentials(ctx, body, "groups.yaml", (gname,)):
                ctx.invalid.setdefault("group", set()).add(str(gname))
                continue
            extra = {k: v for k, v in body.items() if k != "username"}
            try:
                groups[str(gname)] = _GROUP.validate_python({"name": str(gname), **extra})
            except ValidationError as exc:
                _report(ctx, exc, "groups.yaml", (gname,), remap={"name": ""})
                ctx.invalid.setdefault("group", set()).add(str(gname))

    # ---- sites ---------------------------------------------------------------------------------------
    sites: dict[str, Site] = {}
    if raw["sites.yaml"] is not None:
        for sid, body in _mapping(ctx, raw["sites.yaml"], "sites.yaml", "sites").items():
            sid = str(sid)
            ctx.origins[("site", sid)] = ("sites.yaml", (sid,))
            if not isinstance(body, dict):
                ctx.add("INV-012", f"site {sid} must be a mapping of fields", "write its fields under it",
                        file="sites.yaml", path=(sid,))
                ctx.invalid.setdefault("site", set()).add(sid)
                continue
            if "id" in body and str(body["id"]) != sid:
                ctx.add("INV-025", f"site key {sid!r} and its id {body['id']!r} differ",
                        "drop the id field; the key is the id", file="sites.yaml", path=(sid, "id"))
            try:
                sites[sid] = _SITE.validate_python({**body, "id": sid})
            except ValidationError as exc:
                _report(ctx, exc, "sites.yaml", (sid,))
                ctx.invalid.setdefault("site", set()).add(sid)

    # ---- hosts ---------------------------------------------------------------------------------------
    devices: dict[str, Device] = {}
    if raw["hosts.yaml"] is not None:
        group_platform = {g.name: g.platform for g in groups.values() if g.platform}
        for hname, body in _mapping(ctx, raw["hosts.yaml"], "hosts.yaml", "hosts").items():
            hname = str(hname)
            ctx.origins[("device", hname)] = ("hosts.yaml", (hname,))
            if not isinstance(body, dict):
                ctx.add("INV-012", f"host {hname} must be a mapping (hostname, platform, groups, data)",
                        "write its fields under it", file="hosts.yaml", path=(hname,), host=hname)
                ctx.invalid.setdefault("device", set()).add(hname)
                continue
            bad = _refuse_credentials(ctx, body, "hosts.yaml", (hname,), host=hname)
            for key in body:
                if isinstance(key, str) and key.lower() in CREDENTIAL_KEYS:
                    continue
                if key not in HOST_TOP:
                    hint = f"hosts.yaml entries take {', '.join(sorted(HOST_TOP))}; put our fields under data:"
                    ctx.add("INV-010", "unknown key", hint, file="hosts.yaml", path=(hname, key), host=hname)
                    bad = True
            data = body.get("data") or {}
            if not isinstance(data, dict):
                ctx.add("INV-012", "data must be a mapping", "write site, role, interfaces... under data:",
                        file="hosts.yaml", path=(hname, "data"), host=hname)
                ctx.invalid.setdefault("device", set()).add(hname)
                continue
            platform = body.get("platform")
            if platform is None:
                for g in body.get("groups") or []:
                    if isinstance(g, str) and g in group_platform:
                        platform = group_platform[g].value  # type: ignore[union-attr]
                        break
            flat = {"name": hname, "hostname": body.get("hostname"), "platform": platform,
                    "groups": body.get("groups") or (), **({"port": body["port"]} if "port" in body else {})}
            clash = [k for k in data if k in flat]
            for k in clash:
                ctx.add("INV-010", f"{k} belongs at the host's top level, not under data",
                        "move it up one level", file="hosts.yaml", path=(hname, "data", k), host=hname)
                bad = True
            try:
                dev = _DEVICE.validate_python({**{k: v for k, v in data.items() if k not in flat}, **flat}
                                              if clash else {**data, **flat})
            except ValidationError as exc:
                remap = {k: "" for k in ("hostname", "platform", "groups", "port", "name")}
                remap["*"] = "data"
                _report(ctx, exc, "hosts.yaml", (hname,), remap=remap, host=hname)
                ctx.invalid.setdefault("device", set()).add(hname)
                if isinstance(data.get("site"), str):
                    ctx.tainted_sites.add(data["site"])
                continue
            if bad:
                ctx.invalid.setdefault("device", set()).add(hname)
                ctx.tainted_sites.add(dev.site)
                continue
            devices[hname] = dev
            if body.get("connection_options"):
                conn_opts[hname] = body["connection_options"]
            if body.get("username"):
                usernames[hname] = str(body["username"])

    # ---- circuits, links, lans, allocations ------------------------------------------------------------
    circuits: dict[str, Circuit] = {}
    if raw["circuits.yaml"] is not None:
        for cid, body in _mapping(ctx, raw["circuits.yaml"], "circuits.yaml", "circuits").items():
            cid = str(cid)
            ctx.origins[("circuit", cid)] = ("circuits.yaml", (cid,))
            if not isinstance(body, dict):
                ctx.add("INV-012", f"circuit {cid} must be a mapping of fields", "write its fields under it",
                        file="circuits.yaml", path=(cid,))
                continue
            try:
                circuits[cid] = _CIRCUIT.validate_python({**body, "id": cid})
            except ValidationError as exc:
                _report(ctx, exc, "circuits.yaml", (cid,))
                ctx.invalid.setdefault("circuit", set()).add(cid)
                _remember_raw(ctx, body)

    links: dict[str, Link] = {}
    if raw["links.yaml"] is not None:
        for lid, body in _mapping(ctx, raw["links.yaml"], "links.yaml", "links").items():
            lid = str(lid)
            ctx.origins[("link", lid)] = ("links.yaml", (lid,))
            if not isinstance(body, dict):
                ctx.add("INV-012", f"link {lid} must be a mapping of fields", "write a: and z: under it",
                        file="links.yaml", path=(lid,))
                continue
            try:
                links[lid] = _LINK.validate_python({**body, "id": lid})
            except ValidationError as exc:
                _report(ctx, exc, "links.yaml", (lid,))
                _remember_raw(ctx, body)

    lans: list[Lan] = []
    if raw["lans.yaml"] is not None:
        for sid, items in _mapping(ctx, raw["lans.yaml"], "lans.yaml", "sites").items():
            if not isinstance(items, list):
                ctx.add("INV-012", f"the LANs of site {sid} must be a list", "write one '- vlan: ...' per VLAN",
                        file="lans.yaml", path=(sid,))
                continue
            for i, body in enumerate(items):
                if not isinstance(body, dict):
                    ctx.add("INV-012", "a LAN must be a mapping of fields", "write vlan:, name:, ipv4: ...",
                            file="lans.yaml", path=(sid, i))
                    continue
                try:
                    lan = _LAN.validate_python({**body, "site": str(sid)})
                except ValidationError as exc:
                    _report(ctx, exc, "lans.yaml", (sid, i))
                    continue
                ctx.origins[("lan", f"{sid}#{len(lans)}")] = ("lans.yaml", (sid, i))
                ctx.origins.setdefault(("lans", str(sid)), ("lans.yaml", (sid,)))
                lans.append(lan)

    allocations: list[IpAllocation] = []
    if raw["ip_allocations.yaml"] is not None:
        items = raw["ip_allocations.yaml"]
        if not isinstance(items, list):
            ctx.add("INV-007", "the top level must be a list of allocations", "write one '- prefix: ...' per allocation",
                    file="ip_allocations.yaml", line=1)
            items = []
        for i, body in enumerate(items):
            if not isinstance(body, dict):
                ctx.add("INV-012", "an allocation must be a mapping of fields", "write prefix:, family: ...",
                        file="ip_allocations.yaml", path=(i,))
                continue
            try:
                alloc = _ALLOC.validate_python(body)
            except ValidationError as exc:
                _report(ctx, exc, "ip_allocations.yaml", (i,))
                continue
            ctx.origins[("allocation", str(len(allocations)))] = ("ip_allocations.yaml", (i,))
            allocations.append(alloc)

    inventory = Inventory(sites=sites, devices=devices, circuits=circuits, links=links, lans=tuple(lans),
                          allocations=tuple(allocations), groups=groups, defaults=defaults,
                          defaults_connection_options=defaults_conn)
    result = LoadResult(inventory, ctx.findings, folder, ctx.origins, ctx.invalid, conn_opts, usernames)
    if checks:
        from nornir_tasks.inventory.validate import run_checks

        run_checks(result, ctx, today=today or date.today())
    result.findings = ctx.findings
    return result


def load_or_raise(folder: str | Path, *, today: date | None = None) -> LoadResult:
    """Load and validate; raise :class:`InventoryError` (carrying every finding) when any is an error."""
    result = load_inventory(folder, today=today)
    errors = result.errors
    if errors:
        raise InventoryError(
            f"the inventory in {folder} has {len(errors)} error(s); first: {errors[0].sentence()}",
            code=errors[0].code,
            hint="run 'govnet inventory validate' to see every finding",
            findings=result.findings,
        )
    return result


def model_to_jsonable(obj: BaseModel) -> Any:
    return obj.model_dump(mode="json")
