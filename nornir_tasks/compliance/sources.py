"""Where a compliance run reads its inputs: running configs from the backup store (or an import bundle) and
intended configs from the render stage's output, rendered in-process when a file is missing.

* running: ``<state_dir>/backups/<host>.cfg`` and ``<state_dir>/backups/index.json`` (written by
  ``govnet backup``; ``<state_dir>/lab/backups`` under ``--lab``). A host whose index entry says ``unreachable`` becomes :class:`Unreachable` with the error
  and the time of its last good backup; a host never collected is absent.
* intended: ``<build_dir>/intended/<host>.cfg`` (``govnet render``); under ``--lab`` the FRR rendering
  (``<build_dir>/intended-lab/<host>.cfg`` or rendered with ``platform="frr", lab=True``), which is what the
  lab routers run.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from nornir_tasks.backup.store import BackupStore
from nornir_tasks.compliance.run import RunningConfig, Unreachable
from nornir_tasks.errors import RenderError
from nornir_tasks.model import Inventory
from nornir_tasks.paths import Paths
from nornir_tasks.platforms import LAB_PLATFORM
from nornir_tasks.settings import Settings

logger = logging.getLogger(__name__)


def read_running(settings: Settings, names: list[str], *, lab: bool = False) -> dict[str, RunningConfig | Unreachable]:
    """Running configs (or unreachability) of ``names`` from the backup store (the lab's own under ``lab``)."""
    store = BackupStore(Paths.of(settings, lab).state_dir)
    index = store.index()
    out: dict[str, RunningConfig | Unreachable] = {}
    for name in names:
        entry = index.get(name)
        if entry is not None and entry.status == "unreachable":
            out[name] = Unreachable(error=entry.error or "unreachable", last_collected_at=entry.collected_at)
            continue
        text = store.read(name)
        if text is None:
            continue
        when = entry.collected_at if entry is not None else None
        if when is None:
            when = datetime.fromtimestamp(store.path(name).stat().st_mtime, tz=UTC)
        out[name] = RunningConfig(text=text, collected_at=when, source="backup")
    return out


def read_intended(settings: Settings, inv: Inventory, names: list[str], *, lab: bool = False) -> tuple[dict[str, str], dict[str, str]]:
    """Intended configs of ``names``: from the render stage's files, else rendered here. Returns (configs,
    problems) where ``problems`` maps a host to why it has no intended config."""
    folder = Paths.of(settings, lab).intended_dir
    out: dict[str, str] = {}
    problems: dict[str, str] = {}
    renderer = None
    for name in names:
        path = folder / f"{name}.cfg"
        if path.is_file():
            out[name] = path.read_text(encoding="utf-8")
            continue
        if renderer is None:
            from nornir_tasks.render.engine import Renderer

            renderer = Renderer(settings.resolve(settings.templates_dir))
        try:
            out[name] = renderer.render(inv, name, platform=LAB_PLATFORM.value if lab else None, lab=lab)
        except RenderError as exc:
            logger.warning("%s: no intended config: %s", name, exc.message)
            problems[name] = exc.sentence()
    return out, problems
