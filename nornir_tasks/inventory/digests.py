"""A digest of every entity of the inventory (its JSON form), computed once per load and kept with the cached
model, so later stages can tell cheaply what changed (the render stage re-renders only hosts whose inputs did)."""

from __future__ import annotations

import hashlib
import json

from nornir_tasks.model import Inventory

Digests = dict[tuple[str, str], bytes]


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def entity_digests(inv: Inventory) -> Digests:
    """A digest of every device, site, circuit, link and group (their JSON form) and of each site's LANs.

    Examples:
        >>> d = entity_digests(Inventory(sites={}, devices={}, circuits={}))
        >>> sorted(d)
        [('defaults', '')]
    """
    out: Digests = {}
    for kind, items in (("device", inv.devices), ("site", inv.sites), ("circuit", inv.circuits),
                        ("link", inv.links), ("group", inv.groups)):
        for key, obj in items.items():
            out[(kind, key)] = _digest(obj.__pydantic_serializer__.to_json(obj))
    lans: dict[str, list[bytes]] = {}
    for lan in inv.lans:
        lans.setdefault(lan.site, []).append(lan.__pydantic_serializer__.to_json(lan))
    for site, parts in lans.items():
        out[("lans", site)] = _digest(b"\n".join(parts))
    defaults = inv.defaults.__pydantic_serializer__.to_json(inv.defaults)
    out[("defaults", "")] = _digest(defaults + json.dumps(inv.defaults_connection_options, sort_keys=True,
                                                          default=str).encode())
    return out
