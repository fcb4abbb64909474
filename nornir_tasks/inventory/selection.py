"""The ``--filter`` convention every command shares.

A filter is ``key=value`` (``province=12``, ``level=commune``, ``role=ce_router``, ``region=TDMNPB``,
``platform=frr``, ``site=<id>``, ``status=active``, ``group=<name>``) or a bare host name (``*`` globs work).
Filters with the same key are OR-ed; different keys are AND-ed; host names are OR-ed with each other.
"""

from __future__ import annotations

import fnmatch
from collections import defaultdict
from typing import Callable, Iterable

from nornir_tasks.errors import GovnetError
from nornir_tasks.model import Device, Inventory, Site

_KEYS: dict[str, Callable[[Inventory, Device, Site], Iterable[str]]] = {
    "province": lambda inv, d, s: [s.province_code],
    "level": lambda inv, d, s: [s.level.value],
    "role": lambda inv, d, s: [d.role.value],
    "region": lambda inv, d, s: [s.region.value],
    "platform": lambda inv, d, s: [d.platform.value],
    "site": lambda inv, d, s: [s.id],
    "status": lambda inv, d, s: [s.status.value],
    "group": lambda inv, d, s: inv.group_chain(d.name),
    "mountainous": lambda inv, d, s: ["true" if s.mountainous else "false"],
}


def parse_filters(filters: Iterable[str]) -> tuple[dict[str, set[str]], list[str]]:
    """Split ``--filter`` values into key=value sets and host-name patterns.

    Examples:
        >>> keyed, names = parse_filters(["province=12", "role=ce_router", "role=firewall", "lcu-*"])
        >>> sorted(keyed["role"]), keyed["province"], names
        (['ce_router', 'firewall'], {'12'}, ['lcu-*'])
        >>> parse_filters(["colour=red"])
        Traceback (most recent call last):
        ...
        nornir_tasks.errors.GovnetError: unknown filter key 'colour'
        >>> parse_filters([" "])
        Traceback (most recent call last):
        ...
        nornir_tasks.errors.GovnetError: --filter ' ' is empty: it would select every device
    """
    keyed: dict[str, set[str]] = defaultdict(set)
    names: list[str] = []
    for raw in filters:
        if not raw.strip():
            # a script with an empty $HOST must not act on the whole network
            raise GovnetError(f"--filter {raw!r} is empty: it would select every device", code="CFG-003",
                              hint="give a host name or key=value, or leave out --filter to mean every device")
        if "=" in raw:
            key, _, value = raw.partition("=")
            key = key.strip().lower()
            if key not in _KEYS:
                raise GovnetError(f"unknown filter key {key!r}", code="CFG-003",
                                  hint=f"use one of {', '.join(sorted(_KEYS))}, or a host name")
            value = value.strip()
            if not value:
                raise GovnetError(f"--filter {raw!r} has an empty value", code="CFG-003",
                                  hint=f"write {key}=<value>")
            if key == "province" and value.isdigit():
                value = str(int(value)).zfill(2)     # a code is a number: 12, 012 and 0012 are province 12
            keyed[key].add(value)
        else:
            names.append(raw.strip())
    return dict(keyed), names


def select(inv: Inventory, filters: Iterable[str]) -> list[str]:
    """Names of the devices that match every filter, in inventory order."""
    keyed, names = parse_filters(filters)
    out = []
    for dev in inv.devices.values():
        site = inv.sites.get(dev.site)
        if site is None:
            continue
        if names and not any(fnmatch.fnmatchcase(dev.name, pat) for pat in names):
            continue
        if all(set(_KEYS[k](inv, dev, site)) & values for k, values in keyed.items()):
            out.append(dev.name)
    return out
