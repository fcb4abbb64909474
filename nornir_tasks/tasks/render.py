"""The render task: a thin Nornir adapter over the pure renderer (:mod:`nornir_tasks.render.engine`).

Use it inside playbooks and other Nornir runs (render → compliance → deploy on the same hosts). The
``govnet render`` command renders thousands of hosts with :func:`nornir_tasks.render.batch.render_many`
(forked worker processes) instead: same renderer, same output, no per-host Nornir overhead.
"""

from __future__ import annotations

import logging
from pathlib import Path

from nornir.core.task import Result, Task
from pydantic import BaseModel, ConfigDict

from nornir_tasks.fileio import write_if_changed
from nornir_tasks.model import Inventory, Platform
from nornir_tasks.platforms import LAB_PLATFORM
from nornir_tasks.render.batch import intended_path
from nornir_tasks.render.context import ContextIndex
from nornir_tasks.render.engine import Renderer

logger = logging.getLogger(__name__)


class RenderPayload(BaseModel):
    """What the render task returns for one host."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    host: str
    platform: Platform
    text: str
    lines: int
    path: str | None       # where the intended config was written (None when out_dir was not given)
    written: bool          # True when the file on disk changed


def render_config(task: Task, renderer: Renderer, inventory: Inventory, index: ContextIndex | None = None,
                  out_dir: str | Path | None = None, lab: bool = False) -> Result:
    """Render ``task.host``'s intended config; write ``<out_dir>/<host>.cfg`` when ``out_dir`` is given.

    A render error (missing variable, template error, unsafe value) raises
    :class:`~nornir_tasks.errors.RenderError`, which Nornir records as this host's failure only.
    ``changed`` is True when the file on disk changed.
    """
    name = task.host.name
    platform = LAB_PLATFORM if lab else inventory.devices[name].platform
    text = renderer.render(inventory, name, index=index, lab=lab, platform=platform.value)
    path = intended_path(out_dir, name) if out_dir is not None else None
    written = write_if_changed(path, text) if path is not None else False
    logger.debug("%s: rendered %d lines%s", name, text.count("\n"), " (written)" if written else "")
    payload = RenderPayload(host=name, platform=platform, text=text, lines=text.count("\n"),
                            path=str(path) if path is not None else None, written=written)
    return Result(host=task.host, result=payload, changed=written)
