"""Building what a command needs (settings, inventory, a Nornir object) from the shared options."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from nornir_tasks.inventory.load import LoadResult, load_or_raise
from nornir_tasks.inventory.selection import select
from nornir_tasks.settings import Settings, load_settings


def settings_from(config: Path, inventory: Path | None) -> Settings:
    return load_settings(config, inventory)


def inventory_from(settings: Settings, today: date | None = None) -> LoadResult:
    return load_or_raise(settings.resolve(settings.inventory_dir), today=today)


def selection(result: LoadResult, filters: list[str] | None) -> list[str]:
    from nornir_tasks.errors import GovnetError

    names = select(result.inventory, filters or [])
    if filters and not names:
        raise GovnetError(f"no device matches --filter {' '.join(filters)}", code="CFG-003",
                          hint="check the values with 'govnet inventory list'")
    return names


def nornir_from(settings: Settings, result: LoadResult, names: list[str], *, lab: bool = False) -> Any:
    """A Nornir object over the selected hosts, built from the already-validated inventory (no second load)."""
    import os

    from nornir.core import Nornir
    from nornir.core.configuration import Config
    from nornir.core.plugins.connections import ConnectionPluginRegister
    from nornir.plugins.runners import ThreadedRunner

    if "netmiko" not in ConnectionPluginRegister.available:
        ConnectionPluginRegister.auto_register()   # InitNornir would do this; building Nornir directly does not

    from nornir_tasks.inventory.plugin import build_nornir_inventory, read_overlay

    overlay = None
    if lab:
        from nornir_tasks.errors import LabError

        path = settings.resolve(settings.lab_dir) / "overlay.yaml"
        if not path.exists():
            raise LabError("the lab is not up (no lab overlay found)", code="LAB-004",
                           hint="run 'govnet lab up' first")
        overlay = read_overlay(path)
    inv = build_nornir_inventory(result, username=settings.credential("username"),
                                 password=settings.credential("password"), overlay=overlay, only=set(names))
    config = Config(runner={"plugin": "threaded", "options": {"num_workers": settings.num_workers}},
                    logging={"enabled": False})
    return Nornir(inventory=inv, runner=ThreadedRunner(num_workers=settings.num_workers), config=config)
