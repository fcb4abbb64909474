"""Building what a command needs (settings, inventory, a Nornir object) from the shared options."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from nornir_tasks.inventory.load import LoadResult
from nornir_tasks.inventory.selection import select, suggest
from nornir_tasks.settings import Settings, load_settings
from nornir_tasks.stage import ProgressFn, StageContext


def settings_from(config: Path, inventory: Path | None) -> Settings:
    return load_settings(config, inventory)


def inventory_from(settings: Settings, today: date | None = None) -> LoadResult:
    """The validated inventory (InventoryError on any error), from the cache (``<build>/cache/inventory``) when
    the files, the date and the validation code are unchanged (:mod:`nornir_tasks.inventory.cache`)."""
    import gc

    from nornir_tasks.inventory.cache import load_cached
    from nornir_tasks.paths import Paths

    # the model lives as long as the command: keep its million objects out of every later garbage collection
    # (a full collection would walk them all and find nothing; measured 0.5-0.7 s on the national inventory)
    was = gc.isenabled()
    gc.disable()
    try:
        result = load_cached(settings.resolve(settings.inventory_dir), Paths.of(settings).cache_dir / "inventory",
                             today=today)
        gc.freeze()
    finally:
        if was:
            gc.enable()
    return result


def selection(result: LoadResult, filters: list[str] | None) -> list[str]:
    from nornir_tasks.errors import GovnetError

    names = select(result.inventory, filters or [])
    if filters and not names:
        close = suggest(result.inventory, filters)
        maybe = f" — did you mean {' or '.join(close)}?" if close else ""
        raise GovnetError(f"no device matches --filter {' '.join(filters)}{maybe}", code="CFG-003",
                          hint="check the values with 'govnet inventory list'")
    return names


def nornir_from(settings: Settings, result: LoadResult, names: list[str], *, lab: bool = False) -> Any:
    """A Nornir object over the selected hosts (see :func:`nornir_tasks.runner.build_nornir`)."""
    from nornir_tasks.runner import build_nornir

    return build_nornir(settings, result, names, lab=lab)


def stage_context(settings: Settings, result: LoadResult, *, lab: bool = False, commit: bool = False,
                  jobs: int | None = None, today: date | None = None, lang: str = "en",
                  progress: ProgressFn | None = None) -> StageContext:
    """The :class:`~nornir_tasks.stage.StageContext` of one command: settings, the validated model, the hand-off
    paths (lab state apart), and a Nornir builder over the same model (built only by stages that need it)."""
    from nornir_tasks.paths import Paths

    def nornir(names: Sequence[str]) -> Any:
        return nornir_from(settings, result, list(names), lab=lab)

    ctx = StageContext(settings=settings, inventory=result.inventory, paths=Paths.of(settings, lab), nornir=nornir,
                       commit=commit, lab=lab, lang=lang, jobs=jobs, today=today, source=result)
    if progress is not None:
        ctx.progress = progress
    return ctx


def bare_context(settings: Settings, *, lab: bool = False) -> StageContext:
    """A context for stages that do not read the inventory (``lab status``, ``lab down``, ``lab fault``): an
    empty model, no Nornir builder, so nothing is loaded."""
    from nornir_tasks.model import Inventory
    from nornir_tasks.paths import Paths

    return StageContext(settings=settings, inventory=Inventory(sites={}, devices={}, circuits={}),
                        paths=Paths.of(settings, lab), lab=lab)
