"""From the inventory to a running lab: render the lab configs, plan, and hand both to the executor.

Shared by ``govnet lab``, the integration-test fixture and ``bench/lab.py``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Literal

from nornir_tasks.errors import ConfigError
from nornir_tasks.lab.configs import Drift, baseline_config, seed_drift
from nornir_tasks.lab.executor import Lab, LabState, choose_port, read_state
from nornir_tasks.lab.plan import LabPlan, plan_lab, router_address
from nornir_tasks.model import Inventory
from nornir_tasks.platforms import LAB_PLATFORM
from nornir_tasks.render.context import ContextIndex
from nornir_tasks.render.engine import Renderer

logger = logging.getLogger(__name__)

StartFrom = Literal["intended", "baseline", "drifted"]


@dataclass(frozen=True)
class Prepared:
    plan: LabPlan
    intended: dict[str, str]
    start: dict[str, str]
    drifts: dict[str, list[Drift]]


def lab_configs(inv: Inventory, names: list[str], templates_dir: Path) -> dict[str, str]:
    """The intended config of every selected device as the FRR router that emulates it."""
    renderer = Renderer(templates_dir)
    index = ContextIndex(inv)
    return {n: renderer.render(inv, n, platform=LAB_PLATFORM.value, index=index, lab=True) for n in names}


def prepare(inv: Inventory, names: list[str], templates_dir: Path, *, start_from: StartFrom = "intended",
            tag: str = "gv", slot: int = 1, port: int | None = None) -> Prepared:
    """Render, plan and choose the start configs (pure apart from reading templates)."""
    if start_from not in ("intended", "baseline", "drifted"):
        raise ConfigError(f"--start-from {start_from!r} is not known", code="CFG-003",
                          hint="use intended, baseline or drifted")
    ordered = [n for n in inv.devices if n in set(names)]
    intended = lab_configs(inv, ordered, templates_dir)
    if port is None:
        port = choose_port(router_address(slot, 1))
    plan = plan_lab(inv, ordered, tag=tag, slot=slot, port=port, configs=intended)
    drifts: dict[str, list[Drift]] = {}
    if start_from == "baseline":
        start = {n: baseline_config(t) for n, t in intended.items()}
    elif start_from == "drifted":
        start, drifts = seed_drift(intended, {n: inv.devices[n].role.value for n in ordered})
    else:
        start = dict(intended)
    return Prepared(plan, intended, start, drifts)


def bring_up(inv: Inventory, names: list[str], *, templates_dir: Path, lab_dir: Path, user: str, password: str,
             start_from: StartFrom = "intended", tag: str = "gv", slot: int = 1,
             progress: Callable[[str], None] = lambda s: None) -> tuple[Lab, LabState]:
    """``govnet lab up`` without the CLI: build (or complete) the lab of the selected devices."""
    existing = read_state(lab_dir)
    port = None
    if existing is not None and existing.plan.tag == tag and existing.plan.slot == slot:
        port = existing.plan.port        # our own sshd holds the port: keep it
    prepared = prepare(inv, names, templates_dir, start_from=start_from, tag=tag, slot=slot, port=port)
    lab = Lab(lab_dir, tag)
    state = lab.up(prepared.plan, prepared.intended, prepared.start, user=user, password=password,
                   start_from=start_from, drifts=prepared.drifts, progress=progress)
    return lab, state
