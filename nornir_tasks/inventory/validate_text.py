"""Checks of free text against the platform that will receive it.

* ``INV-019`` text with no ASCII form (``→``, ``€``, Chinese or emoji) in a value that reaches a device whose CLI
  takes ASCII only (``PlatformSpec.ascii_only``: Cisco IOS, Huawei VRP): the device would receive ``?``, its
  context-help key. Vietnamese diacritics are fine: they are written without marks.
"""

from __future__ import annotations

from typing import Any

from nornir_tasks.inventory.validate_models import FindingSink
from nornir_tasks.model import Inventory, to_ascii
from nornir_tasks.platforms import get


def check_ascii(inv: Inventory, ctx: FindingSink) -> None:
    """Add an INV-019 finding for each value of an ASCII-only device (and its site's name) with no ASCII form."""
    sites_seen: set[str] = set()
    for dev in inv.devices.values():
        try:
            if not get(dev.platform).ascii_only:
                continue
        except ValueError:
            continue
        values: list[tuple[tuple[str, str], tuple[Any, ...], str | None]] = [
            (("device", dev.name), ("data", "interfaces", n, "description"), itf.description)
            for n, itf in enumerate(dev.interfaces)]
        site = inv.sites.get(dev.site)
        if site is not None and site.id not in sites_seen:
            sites_seen.add(site.id)
            values.append((("site", site.id), ("name",), site.name))
        for entity, path, text in values:
            if not text:
                continue
            try:
                to_ascii(text)
            except ValueError as exc:
                ctx.add("INV-019", f"{dev.name} ({dev.platform.value}) would get {exc}",
                        "write it with Latin or Vietnamese letters only", entity, *path, host=dev.name)
