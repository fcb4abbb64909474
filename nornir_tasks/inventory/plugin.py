"""The Nornir inventory plugin ``GovnetInventory`` (entry point ``nornir.plugins.inventory``).

``config.yaml`` selects it::

    inventory:
      plugin: GovnetInventory
      options:
        inventory_dir: inventory
        cache_dir: build/cache/inventory      # optional: the validated model, cached (inventory/cache.py)

It loads and validates every inventory file (raising :class:`~nornir_tasks.errors.InventoryError` with all
findings when there is an error) — or, given ``loaded`` (an already validated
:class:`~nornir_tasks.inventory.load.LoadResult`, from :func:`nornir_tasks.runner.build_nornir`), uses that model
as is, without reading a file again — and gives each host ``site``, ``device``, ``interfaces``, ``circuits`` and
``role`` in ``host.data``, the filter keys as plain strings (``province``, ``level``, ``region``, ``status``,
``site_id``: see :func:`filter_keys`), plus groups derived from the data (``province__12``, ``level__commune``,
``region__TDMNPB``, ``role__ce_router``, ``platform__frr``, ``site__<id>``). Credentials come from the
environment variables named in the options (defaults ``GOVNET_USERNAME`` / ``GOVNET_PASSWORD``).
An optional ``overlay`` file (written by ``govnet lab up``) replaces hostname, port and platform per host.
"""

from __future__ import annotations

import gc
import os
from pathlib import Path
from typing import Any

from nornir.core.inventory import (
    ConnectionOptions,
    Defaults,
    Group,
    Groups,
    Host,
    Hosts,
    Inventory,
    ParentGroups,
)

from nornir_tasks.errors import InventoryError
from nornir_tasks.inventory.cache import load_cached
from nornir_tasks.inventory.load import LoadResult
from nornir_tasks.inventory.validate import circuits_by_device
from nornir_tasks.inventory.yamlio import ReadFailed, read_yaml
from nornir_tasks.model import Platform, Site, derived_groups
from nornir_tasks.platforms import info
from nornir_tasks.platforms.hardware import device_model


def _shared_dict(shared: Any) -> dict[str, Any]:
    return {k: v for k, v in shared if v is not None}


def _conn(data: dict[str, Any]) -> dict[str, ConnectionOptions]:
    return {name: ConnectionOptions(hostname=c.get("hostname"), port=c.get("port"), username=c.get("username"),
                                    password=None, platform=c.get("platform"), extras=c.get("extras"))
            for name, c in (data or {}).items()}


def _platform_conn(platform: str, model: str | None = None) -> dict[str, ConnectionOptions]:
    row = info(platform)
    hw = device_model(platform, model)   # a model may need another driver (NE40E, VRP8: huawei_vrpv8)
    netmiko_type = (hw.netmiko_device_type if hw is not None else None) or row.netmiko_device_type
    out = {"netmiko": ConnectionOptions(platform=netmiko_type, extras={})}
    if row.napalm_driver:
        out["napalm"] = ConnectionOptions(platform=row.napalm_driver, extras={})
    return out


def read_overlay(path: Path) -> dict[str, dict[str, Any]]:
    try:
        data = read_yaml(path, label=str(path))
    except ReadFailed as exc:
        raise InventoryError(exc.finding.sentence(), code=exc.finding.code,
                             hint="run 'govnet lab up' to (re)write the lab overlay") from exc
    return data.get("hosts", {}) if isinstance(data, dict) else {}


def filter_keys(site: Site) -> dict[str, str]:
    """The keys ``--filter`` knows, as plain strings in ``host.data`` so that Nornir's own filters work:
    ``nr.filter(level="commune")``, ``nr.filter(F(province="12") & F(role="ce_router"))``, ``F(site_id=…)``.
    (``site`` itself stays the :class:`~nornir_tasks.model.Site`: ``F(site__id="12-sin-ho")`` works too.)

    Examples:
        >>> s = Site(id="12-sin-ho", name="Xã Sìn Hồ", level="commune", province_code="12", commune_code="03478",
        ...          region="TDMNPB", site_type="commune_hq", status="active")
        >>> filter_keys(s)
        {'province': '12', 'level': 'commune', 'region': 'TDMNPB', 'status': 'active', 'site_id': '12-sin-ho'}
    """
    return {"province": site.province_code, "level": site.level.value, "region": site.region.value,
            "status": site.status.value, "site_id": site.id}


def build_nornir_inventory(result: LoadResult, *, username: str | None = None, password: str | None = None,
                           overlay: dict[str, dict[str, Any]] | None = None,
                           only: set[str] | None = None) -> Inventory:
    inv = result.inventory
    defaults = Defaults(username=username, password=password, data=_shared_dict(inv.defaults),
                        connection_options=_conn(inv.defaults_connection_options))
    groups = Groups()
    for g in inv.groups.values():
        groups[g.name] = Group(name=g.name, platform=g.platform.value if g.platform else None,
                               data=_shared_dict(g.data), connection_options=_conn(g.connection_options),
                               defaults=defaults)
    for g in inv.groups.values():
        groups[g.name].groups = ParentGroups([groups[p] for p in g.groups if p in groups])
    by_dev = circuits_by_device(inv)
    hosts = Hosts()
    for dev in inv.devices.values():
        if only is not None and dev.name not in only:
            continue
        site = inv.sites[dev.site]
        over = (overlay or {}).get(dev.name, {})
        platform = over.get("platform", dev.platform.value)
        parents = []
        for gname in [*dev.groups, *derived_groups(dev, site)]:
            if gname not in groups:
                groups[gname] = Group(name=gname, defaults=defaults)
            parents.append(groups[gname])
        conn = _platform_conn(platform, None if over else dev.model) if platform in Platform._value2member_map_ \
            else {}
        conn.update(_conn(result.connection_options.get(dev.name, {})))
        conn.update(_conn(over.get("connection_options", {})))
        hosts[dev.name] = Host(
            name=dev.name,
            hostname=over.get("hostname", dev.hostname),
            port=over.get("port", dev.port),
            platform=platform,
            groups=ParentGroups(parents),
            data={"device": dev, "site": site, "role": dev.role.value, "interfaces": dev.interfaces,
                  "circuits": tuple(by_dev.get(dev.name, ())), "intended_platform": dev.platform.value,
                  "lab": bool(over), **filter_keys(site)},
            connection_options=conn,
            defaults=defaults,
        )
    return Inventory(hosts=hosts, groups=groups, defaults=defaults)


class GovnetInventory:
    """Nornir inventory plugin over govnet's validated YAML inventory."""

    def __init__(self, inventory_dir: str = "inventory", username_env: str = "GOVNET_USERNAME",
                 password_env: str = "GOVNET_PASSWORD", overlay: str | None = None,
                 only: list[str] | None = None, loaded: LoadResult | None = None,
                 cache_dir: str | None = None) -> None:
        self.inventory_dir = Path(inventory_dir)
        self.username_env = username_env
        self.password_env = password_env
        self.overlay = Path(overlay) if overlay else None
        self.only = set(only) if only is not None else None
        self.result: LoadResult | None = loaded
        self.cache_dir = Path(cache_dir) if cache_dir else None

    def load(self) -> Inventory:
        # about a million objects are built here and none makes a cycle: pause the cyclic garbage collector
        # (its previous state is restored), as the loader itself does
        was = gc.isenabled()
        gc.disable()
        try:
            if self.result is None:
                self.result = load_cached(self.inventory_dir, self.cache_dir)
            overlay = read_overlay(self.overlay) if self.overlay else None
            return build_nornir_inventory(self.result, username=os.environ.get(self.username_env),
                                          password=os.environ.get(self.password_env), overlay=overlay,
                                          only=self.only)
        finally:
            if was:
                gc.enable()
