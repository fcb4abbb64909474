"""The Nornir inventory plugin ``GovnetNetBoxInventory`` (entry point ``nornir.plugins.inventory``).

It reads govnet's objects from NetBox and yields the same hosts, groups and data as the YAML plugin
(``GovnetInventory``) does for the same network: both build the one typed model
(:class:`~nornir_tasks.model.Inventory`) and hand it to the same ``build_nornir_inventory``. ``config.yaml``::

    inventory:
      plugin: GovnetNetBoxInventory
      options:
        url: http://127.0.0.1:18080
        token_env: NETBOX_TOKEN
        cache_dir: .state/netbox-cache     # optional: warm loads fetch only what changed

Fast: only the fields govnet maps (``fields=``; devices never render config contexts), explicit pages of
``page_size`` fetched concurrently, every kind at once, retries with backoff. With ``cache_dir`` a warm load asks
NetBox only for objects whose ``last_updated`` is newer than the last load, and for deletions since then from the
change log.

With ``validate: true`` (the default) the data goes through the same loader and checks as the YAML files
(written to a private temporary folder), so the hosts and the validation findings are the YAML plugin's; an
error raises :class:`~nornir_tasks.errors.InventoryError` with every finding, as ``GovnetInventory`` does.
``validate: false`` builds the model directly (faster; pydantic still refuses values that do not fit).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from nornir_tasks.errors import NetBoxError
from nornir_tasks.fileio import write_if_changed
from nornir_tasks.netbox.client import NetBoxClient, token_from_env
from nornir_tasks.netbox.mapping import KINDS, inventory_files, inventory_from_files

logger = logging.getLogger(__name__)

#: what the inventory needs from each kind (``fields=``: NetBox then serialises nothing else)
FIELDS: dict[str, str] = {
    "site": "id,name,description,tenant,group,region,status,latitude,longitude,comments,custom_fields,last_updated",
    "device": "id,name,site,role,device_type,platform,serial,primary_ip4,custom_fields,last_updated",
    "interface": "id,name,device,type,enabled,mtu,description,mgmt_only,vrf,custom_fields,cable,cable_end,"
                 "last_updated",
    "ip_address": "id,address,family,assigned_object_type,assigned_object_id,last_updated",
    "vlan": "id,vid,name,site,description,custom_fields,last_updated",
    "prefix": "id,prefix,family,role,vlan,scope_type,scope,tenant,description,custom_fields,last_updated",
    "circuit": "id,cid,provider,type,status,commit_rate,install_date,description,custom_fields,last_updated",
    "circuit_termination": "id,circuit,term_side,cable,cable_end,last_updated",
    # cable ends come from the interfaces and terminations (``cable``, ``cable_end``): serialising a cable's
    # terminations costs NetBox ~9 ms a cable, ten times the rest of the load
    "cable": "id,label,description,last_updated",
    "config_context": "id,name,data,last_updated",
}
#: NetBox content type of each kind (deletions are found in the change log by it)
CONTENT_TYPES: dict[str, str] = {
    "site": "dcim.site", "device": "dcim.device", "interface": "dcim.interface", "ip_address": "ipam.ipaddress",
    "vlan": "ipam.vlan", "prefix": "ipam.prefix", "circuit": "circuits.circuit",
    "circuit_termination": "circuits.circuittermination", "cable": "dcim.cable",
    "config_context": "extras.configcontext",
}
CACHE_VERSION = 1


def _server_time(client: NetBoxClient) -> datetime:
    resp = client.request("GET", "status")
    stamp = resp.headers.get("Date")
    now = parsedate_to_datetime(stamp) if stamp else datetime.now(timezone.utc)
    return now - timedelta(seconds=2)   # a write in the same second as the read is fetched again, never lost


def _params(kind: str, since: str | None = None) -> dict[str, Any]:
    params: dict[str, Any] = {"fields": FIELDS[kind], "ordering": "id"}
    if since:
        params["last_updated__gte"] = since
    return params


def fetch_records(client: NetBoxClient, cache_file: Path | None = None) -> tuple[dict[str, list[dict[str, Any]]], str]:
    """The records the inventory needs; with ``cache_file``, only what changed since the cached load.

    Returns the records per kind and how they were obtained (``full`` or ``delta:<n> changed``).
    """
    cached = _read_cache(cache_file, client.url) if cache_file else None
    started = _server_time(client)
    if cached is None:
        records = client.get_many({k: (KINDS[k], _params(k)) for k in FIELDS})
        how = "full"
    else:
        since = cached["since"]
        changed = client.get_many({k: (KINDS[k], _params(k, since)) for k in FIELDS})
        deleted = client.get_all("core/object-changes", {"action": "delete", "time_after": since,
                                                         "fields": "changed_object_type,changed_object_id"})
        gone: dict[str, set[Any]] = {}
        for ch in deleted:
            gone.setdefault(ch.get("changed_object_type") or "", set()).add(ch.get("changed_object_id"))
        records = {}
        n = 0
        for kind in FIELDS:
            fresh = {r["id"]: r for r in changed.get(kind, [])}
            n += len(fresh)
            drop = gone.get(CONTENT_TYPES[kind], set())
            merged = {r["id"]: r for r in cached["records"].get(kind, []) if r["id"] not in drop}
            merged.update(fresh)
            records[kind] = [merged[i] for i in sorted(merged)]
        how = f"delta:{n} changed, {sum(len(v) for v in gone.values())} deleted"
    if cache_file:
        _write_cache(cache_file, client.url, started, records)
    return with_cable_ends(records), how


def with_cable_ends(records: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """Fill each cable's ``a_terminations``/``b_terminations`` (the shape of a full cable record) from the
    ``cable``/``cable_end`` of the interfaces and circuit terminations that name it.

    Examples:
        >>> recs = {"cable": [{"id": 9, "label": "l1"}], "circuit_termination": [],
        ...         "interface": [{"id": 1, "name": "e0", "device": {"name": "r1"}, "cable": {"id": 9}, "cable_end": "A"},
        ...                       {"id": 2, "name": "e1", "device": {"name": "r2"}, "cable": {"id": 9}, "cable_end": "B"}]}
        >>> c = with_cable_ends(recs)["cable"][0]
        >>> c["a_terminations"][0]["object"]["device"]["name"], c["b_terminations"][0]["object_id"]
        ('r1', 2)
    """
    ends: dict[int, dict[str, list[dict[str, Any]]]] = {}
    for kind, object_type in (("interface", "dcim.interface"), ("circuit_termination", "circuits.circuittermination")):
        for rec in records.get(kind, []):
            cable = rec.get("cable")
            if not cable or rec.get("cable_end") not in ("A", "B"):
                continue
            side = "a_terminations" if rec["cable_end"] == "A" else "b_terminations"
            obj = {"id": rec["id"], "name": rec.get("name"), "device": rec.get("device")}
            ends.setdefault(cable["id"], {"a_terminations": [], "b_terminations": []})[side].append(
                {"object_type": object_type, "object_id": rec["id"], "object": obj})
    out = dict(records)
    out["cable"] = [{**c, **ends.get(c["id"], {"a_terminations": [], "b_terminations": []})}
                    for c in records.get("cable", [])]
    return out


def _read_cache(path: Path, url: str) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != CACHE_VERSION or data.get("url") != url:
        return None
    return data


def _write_cache(path: Path, url: str, since: datetime, records: dict[str, list[dict[str, Any]]]) -> None:
    body = {"version": CACHE_VERSION, "url": url, "since": since.astimezone(timezone.utc).isoformat(),
            "records": records}
    write_if_changed(path, json.dumps(body, ensure_ascii=False, separators=(",", ":")), mode=0o600)


def cache_path(cache_dir: str | Path, url: str) -> Path:
    """One cache file per NetBox URL.

    Examples:
        >>> cache_path("/tmp/c", "http://127.0.0.1:18080").name
        'netbox-602889c4f756.json'
    """
    return Path(cache_dir) / f"netbox-{hashlib.sha1(url.encode()).hexdigest()[:12]}.json"


def load_checked(client: NetBoxClient, cache_dir: str | Path | None = None) -> Any:
    """NetBox → inventory files in a private temporary folder → the YAML loader with every check, so the result
    (model and findings) is exactly what ``GovnetInventory`` gives for the same network. Raises InventoryError
    with every finding when one is an error."""
    import tempfile

    from nornir_tasks.inventory.load import load_or_raise

    records, how = fetch_records(client, cache_path(cache_dir, client.url) if cache_dir else None)
    logger.debug("%s: records loaded (%s)", client.url, how)
    files = inventory_files(records)
    _refuse_unmapped(files, client.url)
    with tempfile.TemporaryDirectory(prefix="govnet-netbox-") as tmp:
        for name, content in file_texts(files, f"from NetBox {client.url}").items():
            (Path(tmp) / name).write_text(content, encoding="utf-8")
        return load_or_raise(tmp)


def _refuse_unmapped(files: dict[str, Any], url: str) -> None:
    from nornir_tasks.netbox.mapping import UNMAPPED

    unmapped = files.pop(UNMAPPED, [])
    if unmapped:
        raise NetBoxError(f"NetBox at {url} holds {len(unmapped)} object(s) govnet cannot load; first: {unmapped[0]}",
                          code="NBX-005", hint="'govnet netbox pull --out DIR' lists them all")


def file_texts(files: dict[str, Any], note: str) -> dict[str, str]:
    """Inventory file name → YAML text (an empty file is written ``{}`` or ``[]``: the loader refuses empty files).

    Examples:
        >>> file_texts({"links.yaml": {}, "_unmapped": []}, "x")["links.yaml"].splitlines()[-1]
        '{}'
    """
    from nornir_tasks.inventory.generate import to_yaml
    from nornir_tasks.netbox.mapping import UNMAPPED

    out = {}
    for name, content in files.items():
        if name == UNMAPPED:
            continue
        header = f"{name} {note}"
        out[name] = to_yaml(content, header) if content else f"# {header}\n" + ("[]\n" if isinstance(content, list) else "{}\n")
    return out


def load_model(client: NetBoxClient, cache_dir: str | Path | None = None) -> Any:
    """NetBox → :class:`~nornir_tasks.model.Inventory` (raises NetBoxError NBX-005 when a value does not fit)."""
    records, how = fetch_records(client, cache_path(cache_dir, client.url) if cache_dir else None)
    logger.debug("%s: records loaded (%s)", client.url, how)
    files = inventory_files(records)
    _refuse_unmapped(files, client.url)
    try:
        return inventory_from_files(files)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise NetBoxError(f"NetBox at {client.url} holds a value govnet cannot use: {exc.title} {where}: "
                          f"{err['msg']}", code="NBX-005",
                          hint="run 'govnet netbox pull --out DIR' and 'govnet inventory validate --inventory DIR' "
                          "to see every finding") from exc


class GovnetNetBoxInventory:
    """Nornir inventory plugin over govnet's objects in NetBox."""

    def __init__(self, url: str = "http://127.0.0.1:18080", token_env: str = "NETBOX_TOKEN",
                 username_env: str = "GOVNET_USERNAME", password_env: str = "GOVNET_PASSWORD",
                 cache_dir: str | None = None, page_size: int = 1000, workers: int = 4, timeout: float = 120.0,
                 only: list[str] | None = None, validate: bool = True) -> None:
        self.url = url
        self.token_env = token_env
        self.username_env = username_env
        self.password_env = password_env
        self.cache_dir = cache_dir
        self.page_size = page_size
        self.workers = workers
        self.timeout = timeout
        self.only = set(only) if only is not None else None
        self.validate = validate
        self.model: Any = None
        self.findings: list[Any] = []

    def load(self) -> Any:
        from nornir_tasks.inventory.load import LoadResult
        from nornir_tasks.inventory.plugin import build_nornir_inventory

        client = NetBoxClient(self.url, token_from_env(self.token_env), page_size=self.page_size,
                              workers=self.workers, timeout=self.timeout)
        if self.validate:
            result = load_checked(client, self.cache_dir)
            self.model, self.findings = result.inventory, result.findings
        else:
            self.model = load_model(client, self.cache_dir)
            result = LoadResult(inventory=self.model, findings=[], folder=Path(self.url))
        return build_nornir_inventory(result, username=os.environ.get(self.username_env),
                                      password=os.environ.get(self.password_env), only=self.only)
