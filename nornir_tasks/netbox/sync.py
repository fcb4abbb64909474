"""Push govnet's inventory into NetBox and pull it back.

``push``: read what NetBox holds, compare it with what the inventory means (``mapping.desired_objects``), and
report every create/update/delete with field-level changes; with ``commit`` write them in bulk calls of
``batch`` objects (a refused batch is bisected until the refused object and field are named; the rest still
goes in). Only objects tagged ``govnet-managed`` are ever changed. An object whose fields changed in NetBox since
govnet last wrote them (three-way: what govnet wrote, what NetBox holds, what the inventory says) is a conflict
and left alone unless ``force``. ``prune`` tags managed objects that left the inventory ``govnet-orphan`` and
deletes them once they have carried the tag for ``grace_days``.

``pull``: NetBox → inventory files (``mapping.inventory_files``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from nornir_tasks.errors import NetBoxError
from nornir_tasks.fileio import write_if_changed
from nornir_tasks.model import Inventory
from nornir_tasks.netbox.client import BulkFailed, NetBoxClient
from nornir_tasks.netbox.mapping import (
    ALLOCATION_ROLE,
    KINDS,
    Objects,
    Ref,
    current_view,
    normalise_record,
    payload,
    record_key,
)
from nornir_tasks.netbox.schema import CHOICE_SETS, CUSTOM_FIELDS, MANAGED_TAG, ORPHAN_TAG, TAGS

logger = logging.getLogger(__name__)

Action = Literal["create", "update", "delete", "mark_orphan", "orphan", "conflict", "unmanaged"]
#: read parameters per kind (devices: leave out the rendered config context, the slowest part of NetBox)
READ_PARAMS: dict[str, dict[str, Any]] = {"device": {"omit": "config_context"}}


class Change(BaseModel):
    """One object push would change (or refuses to)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: str
    key: str
    action: Action
    id: int | None = None
    fields: dict[str, tuple[Any, Any]] = Field(default_factory=dict)   # field → (NetBox now, inventory)
    reason: str = ""


class Failure(BaseModel):
    """An object NetBox refused, with the field and NetBox's message."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: str
    key: str
    action: str
    field: str | None
    message: str

    def sentence(self) -> str:
        where = f"{self.kind} {self.key}" + (f" field {self.field}" if self.field else "")
        return f"[NBX-003] NetBox refused to {self.action} {where}: {self.message}"


class PushReport(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    run_id: str
    url: str
    committed: bool
    changes: list[Change]
    failures: list[Failure] = Field(default_factory=list)
    request_ids: list[str] = Field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for c in self.changes if c.action == action)


# ------------------------------------------------------------------------------------------------ helpers
def fields_hash(fields: dict[str, Any]) -> str:
    """A stable hash of an object's govnet-managed fields (what govnet last wrote).

    Examples:
        >>> fields_hash({"a": 1, "b": Ref("site", "x")}) == fields_hash({"b": Ref("site", "x"), "a": 1})
        True
    """
    text = json.dumps(fields, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _tags(rec: dict[str, Any]) -> set[Any]:
    return {t.get("slug") if isinstance(t, dict) else str(t) for t in rec.get("tags") or []}


def _shown(value: Any) -> Any:
    if isinstance(value, Ref):
        return str(value)
    if isinstance(value, list):
        return [_shown(v) for v in value]
    if isinstance(value, dict):
        return {k: _shown(v) for k, v in value.items()}
    return value


def fetch(client: NetBoxClient, kinds: list[str] | None = None) -> dict[str, list[dict[str, Any]]]:
    """Every object of each kind, read concurrently."""
    wanted = kinds or list(KINDS)
    return client.get_many({k: (KINDS[k], READ_PARAMS.get(k, {})) for k in wanted})


class Index:
    """NetBox records by govnet key and id."""

    def __init__(self, records: dict[str, list[dict[str, Any]]]) -> None:
        self.by_key: dict[str, dict[str, dict[str, Any]]] = {}
        self.ids: dict[str, dict[str, int]] = {}
        self.keys: dict[str, dict[int, str]] = {}
        for kind, recs in records.items():
            by_key: dict[str, dict[str, Any]] = {}
            seen: dict[str, int] = {}
            ordered = sorted(recs, key=lambda r: ((r.get("custom_fields") or {}).get("govnet_index") or 0, r["id"]))
            for rec in ordered:
                key = record_key(kind, rec)
                if key is None:
                    continue
                if kind == "prefix" and key.startswith(ALLOCATION_ROLE + "|"):
                    seen[key] = seen.get(key, 0) + 1
                    if seen[key] > 1:
                        key = f"{key}#{seen[key]}"
                if key in by_key:
                    continue   # a second object with the same key: not ours to pick; the first one wins
                by_key[key] = normalise_record(kind, rec)
            self.by_key[kind] = by_key
            self.ids[kind] = {k: r["id"] for k, r in by_key.items()}
            self.keys[kind] = {r["id"]: k for k, r in by_key.items()}


def view_of(rec: dict[str, Any], want: dict[str, Any], keys: dict[str, dict[int, str]]) -> dict[str, Any]:
    """NetBox's record in the shape of the desired fields."""
    return {f: current_view(w, rec.get(f), keys) for f, w in want.items()}


def diff_fields(want: dict[str, Any], have: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Field-level differences (custom fields one by one).

    Examples:
        >>> diff_fields({"a": 1, "custom_fields": {"x": 1, "y": 2}}, {"a": 1, "custom_fields": {"x": 1, "y": 3}})
        {'custom_fields.y': (3, 2)}
    """
    out: dict[str, tuple[Any, Any]] = {}
    for f, w in want.items():
        h = have.get(f)
        if f == "custom_fields" and isinstance(w, dict):
            for cf, cw in w.items():
                ch = (h or {}).get(cf)
                if ch != cw:
                    out[f"custom_fields.{cf}"] = (_shown(ch), _shown(cw))
        elif h != w:
            out[f] = (_shown(h), _shown(w))
    return out


# ------------------------------------------------------------------------------------------------ plan
def plan(desired: Objects, index: Index, base: dict[str, dict[str, str]], *, prune: bool = False,
         force: bool = False, grace_days: float = 7.0, now: datetime | None = None,
         scoped: bool = False) -> list[Change]:
    """What a push would do. ``base`` holds, per kind and key, the hash of what govnet last wrote.

    ``scoped`` (a ``--filter`` push) never reports or prunes objects outside the desired set.
    """
    now = now or datetime.now(timezone.utc)
    changes: list[Change] = []
    for kind in KINDS:
        want_all = desired.get(kind, {})
        have_all = index.by_key.get(kind, {})
        for key, want in want_all.items():
            rec = have_all.get(key)
            if rec is None:
                changes.append(Change(kind=kind, key=key, action="create",
                                      fields={f: (None, _shown(v)) for f, v in want.items()}))
                continue
            have = view_of(rec, want, index.keys)
            diff = diff_fields(want, have)
            if not diff:
                continue
            if MANAGED_TAG not in _tags(rec):
                changes.append(Change(kind=kind, key=key, action="unmanaged", id=rec["id"], fields=diff,
                                      reason=f"exists in NetBox without the {MANAGED_TAG} tag; left alone"))
                continue
            last = base.get(kind, {}).get(key)
            if last is not None and fields_hash(have) != last and not force:
                changes.append(Change(kind=kind, key=key, action="conflict", id=rec["id"], fields=diff,
                                      reason="edited in NetBox since govnet wrote it; --force overwrites"))
                continue
            changes.append(Change(kind=kind, key=key, action="update", id=rec["id"], fields=diff))
        if scoped:
            continue
        for key, rec in have_all.items():
            if key in want_all or MANAGED_TAG not in _tags(rec):
                continue
            if not prune:
                changes.append(Change(kind=kind, key=key, action="orphan", id=rec["id"],
                                      reason="managed by govnet but no longer in the inventory; --prune removes it"))
            elif ORPHAN_TAG in _tags(rec) and _age_days(rec, now) >= grace_days:
                changes.append(Change(kind=kind, key=key, action="delete", id=rec["id"],
                                      reason=f"tagged {ORPHAN_TAG} for {_age_days(rec, now):.1f} days"))
            elif ORPHAN_TAG not in _tags(rec):
                changes.append(Change(kind=kind, key=key, action="mark_orphan", id=rec["id"],
                                      reason=f"tagged {ORPHAN_TAG}; deleted after {grace_days:g} days"))
    return changes


def _age_days(rec: dict[str, Any], now: datetime) -> float:
    stamp = rec.get("last_updated")
    if not stamp:
        return 0.0
    when = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return (now - when) / timedelta(days=1)


# ------------------------------------------------------------------------------------------------ apply
def _first_error(detail: Any) -> tuple[str | None, str]:
    """(field, message) from NetBox's error JSON for one object.

    Examples:
        >>> _first_error({"serial": ["Ensure this field has no more than 50 characters."]})
        ('serial', 'Ensure this field has no more than 50 characters.')
        >>> _first_error([{"name": ["This field is required."]}])
        ('name', 'This field is required.')
        >>> _first_error({"detail": "1 of 1 objects could not be created.",
        ...               "errors": [{"index": 0, "errors": {"prefix": ["Duplicate prefix found"]}}]})
        ('prefix', 'Duplicate prefix found')
    """
    if isinstance(detail, list):
        for item in detail:
            if item:
                return _first_error(item)
        return None, "refused"
    if isinstance(detail, dict):
        if isinstance(detail.get("errors"), list):      # bulk: {"detail": ..., "errors": [{"index", "errors"}]}
            return _first_error([e.get("errors") if isinstance(e, dict) else e for e in detail["errors"]])
        if "detail" in detail and len(detail) <= 2:
            return None, str(detail["detail"])
        for field, msgs in detail.items():
            if field == "custom_fields" and isinstance(msgs, dict):
                inner, msg = _first_error(msgs)
                return f"custom_fields.{inner}" if inner else field, msg
            text = msgs[0] if isinstance(msgs, list) and msgs else msgs
            if isinstance(text, dict):
                inner, msg = _first_error(text)
                return f"{field}.{inner}" if inner else field, msg
            return (None if field == "non_field_errors" else field), str(text)
    return None, str(detail)[:300]


def send(client: NetBoxClient, method: str, kind: str, items: list[tuple[Change, dict[str, Any]]],
         action: str) -> tuple[list[tuple[Change, dict[str, Any]]], list[Failure]]:
    """One bulk call; when NetBox refuses it, bisect until each refused object is named."""
    if not items:
        return [], []
    try:
        results = client.bulk(method, KINDS[kind], [body for _, body in items])
    except BulkFailed as exc:
        if len(items) == 1:
            field, message = _first_error(exc.detail)
            return [], [Failure(kind=kind, key=items[0][0].key, action=action, field=field, message=message)]
        mid = len(items) // 2
        ok1, bad1 = send(client, method, kind, items[:mid], action)
        ok2, bad2 = send(client, method, kind, items[mid:], action)
        return ok1 + ok2, bad1 + bad2
    if method == "DELETE":
        return [(c, {}) for c, _ in items], []
    return list(zip([c for c, _ in items], results)), []


def _send_all(client: NetBoxClient, method: str, kind: str, items: list[tuple[Change, dict[str, Any]]],
              action: str, batch: int, workers: int) -> tuple[list[tuple[Change, dict[str, Any]]], list[Failure]]:
    """Batches of one kind, ``workers`` bulk calls in flight at once (NetBox spends ~0.1 s of CPU per object;
    a second call in flight uses the second core). Objects of one kind never refer to each other."""
    batches = [items[i:i + batch] for i in range(0, len(items), batch)]
    ok: list[tuple[Change, dict[str, Any]]] = []
    bad: list[Failure] = []
    if workers <= 1 or len(batches) <= 1:
        for b in batches:
            o, f = send(client, method, kind, b, action)
            ok += o
            bad += f
        return ok, bad
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=workers) as pool:
        for o, f in pool.map(lambda b: send(client, method, kind, b, action), batches):
            ok += o
            bad += f
    return ok, bad


def apply(client: NetBoxClient, changes: list[Change], desired: Objects, index: Index,
          base: dict[str, dict[str, str]], *, batch: int = 250, workers: int = 1,
          on_progress: Any = None) -> list[Failure]:
    """Write the changes kind by kind (creates and updates in dependency order, deletes in reverse).

    ``base`` is updated in place with the hash of every object written, so a re-run after an interruption
    knows what govnet wrote. ``on_progress(kind)`` is called after each kind (the caller saves ``base``).
    """
    failures: list[Failure] = []
    ids = {k: dict(v) for k, v in index.ids.items()}
    by_kind: dict[str, list[Change]] = {}
    for c in changes:
        by_kind.setdefault(c.kind, []).append(c)
    for kind in KINDS:
        todo = by_kind.get(kind, [])
        for action, method in (("create", "POST"), ("update", "PATCH"), ("mark_orphan", "PATCH")):
            items: list[tuple[Change, dict[str, Any]]] = []
            for c in (x for x in todo if x.action == action):
                try:
                    items.append((c, _body(c, desired, index)))
                except LookupError as exc:
                    failures.append(Failure(kind=kind, key=c.key, action=action, field=None, message=str(exc)))
            ok, bad = _send_all(client, method, kind, items, action, batch, workers)
            failures.extend(bad)
            for c, res in ok:
                if action == "mark_orphan":
                    continue
                ids.setdefault(kind, {})[c.key] = res["id"]
                base.setdefault(kind, {})[c.key] = fields_hash(desired[kind][c.key])
            index.ids = ids   # later kinds resolve refs to the objects just created
        if on_progress:
            on_progress(kind)
    for kind in reversed(list(KINDS)):
        items = [(c, {"id": c.id}) for c in by_kind.get(kind, []) if c.action == "delete"]
        ok, bad = _send_all(client, "DELETE", kind, items, "delete", batch, workers)
        failures.extend(bad)
        for c, _ in ok:
            base.get(kind, {}).pop(c.key, None)
        if on_progress:
            on_progress(kind)
    return failures


def _tag_body(kind: str, slugs: set[str]) -> list[Any]:
    """Tags in a write: config contexts take slugs, every other model nested objects.

    Examples:
        >>> _tag_body("config_context", {"a"}), _tag_body("device", {"a"})
        (['a'], [{'slug': 'a'}])
    """
    if kind == "config_context":
        return sorted(slugs)
    return [{"slug": s} for s in sorted(slugs)]


def _body(c: Change, desired: Objects, index: Index) -> dict[str, Any]:
    if c.action == "create":
        body = payload(desired[c.kind][c.key], index.ids)
        body["tags"] = _tag_body(c.kind, {MANAGED_TAG})
        return body
    if c.action == "mark_orphan":
        rec = index.by_key[c.kind][c.key]
        return {"id": c.id, "tags": _tag_body(c.kind, _tags(rec) | {ORPHAN_TAG})}
    want = desired[c.kind][c.key]
    names = {f.split(".", 1)[0] for f in c.fields}
    body = payload({f: want[f] for f in names}, index.ids)
    if "custom_fields" in body:
        body["custom_fields"] = {f.split(".", 1)[1]: want["custom_fields"][f.split(".", 1)[1]]
                                 for f in c.fields if f.startswith("custom_fields.")}
    body["id"] = c.id
    return body


# ------------------------------------------------------------------------------------------------ state
def load_base(path: Path, url: str) -> dict[str, dict[str, str]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data.get(url, {}) if isinstance(data, dict) else {}


def save_base(path: Path, url: str, base: dict[str, dict[str, str]]) -> None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    data[url] = base
    write_if_changed(path, json.dumps(data, sort_keys=True, ensure_ascii=False), mode=0o600)


# ------------------------------------------------------------------------------------------------ commands
def init_schema(client: NetBoxClient, *, commit: bool = True) -> dict[str, list[str]]:
    """Create or update govnet's tags, choice sets and custom fields (idempotent). Returns what changed."""
    done: dict[str, list[str]] = {"created": [], "updated": [], "unchanged": []}
    body: dict[str, Any]
    tags = {t["slug"]: t for t in client.get_all("extras/tags")}
    for slug_, body in TAGS.items():
        if slug_ not in tags:
            _write(client, commit, "POST", "extras/tags", body, f"tag {slug_}", done["created"])
        else:
            done["unchanged"].append(f"tag {slug_}")
    sets = {s["name"]: s for s in client.get_all("extras/custom-field-choice-sets")}
    set_ids: dict[str, int] = {}
    for name, choices in CHOICE_SETS.items():
        have = sets.get(name)
        body = {"name": name, "extra_choices": choices, "description": "govnet",
                "order_alphabetically": False}
        if have is None:
            res = _write(client, commit, "POST", "extras/custom-field-choice-sets", body, f"choice set {name}",
                         done["created"])
            set_ids[name] = res.get("id", 0) if res else 0
            continue
        set_ids[name] = have["id"]
        if [list(c) for c in have.get("extra_choices") or []] != choices:
            _write(client, commit, "PATCH", "extras/custom-field-choice-sets", {"id": have["id"], **body},
                   f"choice set {name}", done["updated"])
        else:
            done["unchanged"].append(f"choice set {name}")
    fields = {f["name"]: f for f in client.get_all("extras/custom-fields")}
    for name, spec in CUSTOM_FIELDS.items():
        body = spec.payload(set_ids)
        have = fields.get(name)
        if have is None:
            _write(client, commit, "POST", "extras/custom-fields", body, f"custom field {name}", done["created"])
            continue
        same = (_value(have.get("type")) == spec.type and set(have.get("object_types") or []) >= set(spec.object_types)
                and ((have.get("choice_set") or {}).get("id") == body.get("choice_set")))
        if same:
            done["unchanged"].append(f"custom field {name}")
        else:
            body["object_types"] = sorted(set(have.get("object_types") or []) | set(spec.object_types))
            _write(client, commit, "PATCH", "extras/custom-fields", {"id": have["id"], **body},
                   f"custom field {name}", done["updated"])
    return done


def _value(v: Any) -> Any:
    return v.get("value") if isinstance(v, dict) else v


def _write(client: NetBoxClient, commit: bool, method: str, endpoint: str, body: dict[str, Any], what: str,
           into: list[str]) -> dict[str, Any] | None:
    into.append(what)
    if not commit:
        return None
    try:
        return client.bulk(method, endpoint, [body])[0]
    except BulkFailed as exc:
        field, message = _first_error(exc.detail)
        raise NetBoxError(f"NetBox refused {what}" + (f" field {field}" if field else "") + f": {message}",
                          code="NBX-003", hint="is this NetBox 4.x?") from exc


def schema_ready(client: NetBoxClient) -> bool:
    have = {f["name"] for f in client.get_all("extras/custom-fields", {"fields": "id,name"})}
    tags = {t["slug"] for t in client.get_all("extras/tags", {"fields": "id,slug"})}
    return set(CUSTOM_FIELDS) <= have and set(TAGS) <= tags


def push(client: NetBoxClient, desired: Objects, state_file: Path, *, commit: bool = False, prune: bool = False,
         force: bool = False, grace_days: float = 7.0, batch: int = 250, scoped: bool = False,
         workers: int = 1) -> PushReport:
    """Compare and (with ``commit``) write. Raises NetBoxError (NBX-005) when ``govnet netbox init`` is missing."""
    if not schema_ready(client):
        raise NetBoxError(f"NetBox at {client.url} lacks govnet's custom fields or tags", code="NBX-005",
                          hint="run 'govnet netbox init --commit' first")
    run_id = str(uuid.uuid4())
    index = Index(fetch(client))
    base = load_base(state_file, client.url)
    changes = plan(desired, index, base, prune=prune, force=force, grace_days=grace_days, scoped=scoped)
    failures: list[Failure] = []
    if commit:
        failures = apply(client, changes, desired, index, base, batch=batch, workers=workers,
                         on_progress=lambda _kind: save_base(state_file, client.url, base))
        save_base(state_file, client.url, base)
    return PushReport(run_id=run_id, url=client.url, committed=commit, changes=changes, failures=failures,
                      request_ids=list(client.request_ids))


def pull_files(client: NetBoxClient) -> dict[str, Any]:
    """NetBox → the content of each inventory file (only the fields the mapping reads, as the plugin does)."""
    from nornir_tasks.netbox.mapping import inventory_files
    from nornir_tasks.netbox.plugin import fetch_records

    records, _how = fetch_records(client)
    return inventory_files(records)


def restrict(desired: Objects, inv: Inventory, names: list[str]) -> Objects:
    """Only what belongs to the selected devices (``--filter``): the devices, their interfaces and addresses,
    their sites with the sites' VLANs and prefixes, circuits and cables touching them; shared objects stay."""
    chosen = set(names)
    sites = {inv.devices[n].site for n in chosen}
    circuits = {c.id for c in inv.circuits.values() if c.a.device in chosen or c.z.device in chosen}
    out: Objects = {}
    for kind, objs in desired.items():
        if kind == "device":
            keep = {k: v for k, v in objs.items() if k in chosen}
        elif kind in ("interface", "ip_address"):
            keep = {k: v for k, v in objs.items() if k.split("|", 1)[0] in chosen}
        elif kind == "site":
            keep = {k: v for k, v in objs.items() if k in sites}
        elif kind == "vlan":
            keep = {k: v for k, v in objs.items() if k.split("|", 1)[0] in sites}
        elif kind == "prefix":
            keep = {k: v for k, v in objs.items()
                    if isinstance(v.get("scope"), Ref) and v["scope"].key in sites}
        elif kind in ("circuit", "circuit_termination"):
            keep = {k: v for k, v in objs.items() if k.split("|", 1)[0] in circuits}
        elif kind == "cable":
            keep = {k: v for k, v in objs.items()
                    if any(r.key.split("|", 1)[0] in chosen for r in v["a_terminations"] + v["b_terminations"]
                           if r.kind == "interface")}
        else:
            keep = dict(objs)
        out[kind] = keep
    return out
