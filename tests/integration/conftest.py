"""One lab of real FRR routers for every integration test of the session.

The session-scoped fixture ``lab`` builds the sample province (all devices of ``inventory/``, each emulated by
an FRR router in its own network namespace) once, from the intended configs, and removes it at the end —
asserting that nothing is left behind. Tests that change routers put them back with ``lab.reset(name)``
(``frr-reload.py`` to the intended config) instead of rebuilding.

What a test gets (:class:`LabHandle`):

``lab.hosts``            device names in the lab (all of the sample inventory)
``lab.overlay``          the Nornir overlay file (``<lab_dir>/overlay.yaml``)
``lab.config``           a config.yaml whose ``lab_dir`` is this lab (``govnet ... --config <it> --lab``);
                         its build/reports/state folders are private to the session
``lab.settings``         the :class:`~nornir_tasks.settings.Settings` of that file
``lab.nornir(names)``    a Nornir object over the lab routers (``nornir_from(..., lab=True)``)
``lab.vtysh(name, *c)``  run vtysh commands on a router (as root, bypassing SSH)
``lab.reset(name)``      put a router back to its intended config, links up, daemons running
``lab.drift(names)``     seed the ``--start-from drifted`` drift into running routers; returns it
``lab.username`` / ``lab.password``  the credentials, also in os.environ (GOVNET_USERNAME / GOVNET_PASSWORD),
                         generated for this run and never written anywhere

Running as non-root or without the lab packages fails these tests with the lab's own sentence; set
``GOVNET_SKIP_LAB=1`` to skip them instead (e.g. on a laptop).
"""

from __future__ import annotations

import os
import secrets
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml

from nornir_tasks.errors import GovnetError
from nornir_tasks.lab.configs import Drift
from nornir_tasks.lab.executor import Lab, LabStatus, free_slot, preflight
from nornir_tasks.lab.plan import LabRouter

ROOT = Path(__file__).resolve().parents[2]


def _random(n: int, alphabet: str = string.ascii_lowercase) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(n))


@dataclass
class LabHandle:
    lab: Lab
    lab_dir: Path
    config: Path
    settings: Any
    hosts: list[str]
    username: str
    password: str
    converged: LabStatus
    down_problems: list[str] = field(default_factory=list)

    @property
    def overlay(self) -> Path:
        return self.lab.paths.overlay

    def router(self, name: str) -> LabRouter:
        assert self.lab.state is not None
        return self.lab.state.plan.router(name)

    def nornir(self, names: list[str] | None = None) -> Any:
        from nornir_tasks.cli.context import inventory_from, nornir_from

        result = inventory_from(self.settings)
        return nornir_from(self.settings, result, list(names or self.hosts), lab=True)

    def vtysh(self, name: str, *commands: str) -> str:
        return self.lab.vtysh(self.router(name), *commands)

    def reset(self, name: str) -> None:
        self.lab.reset(name)

    def drift(self, names: list[str]) -> dict[str, list[Drift]]:
        return self.lab.drift(names)

    def status(self) -> LabStatus:
        return self.lab.status()


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabHandle]:
    """The sample province as a lab of FRR routers, shared by every integration test of the session."""
    if os.environ.get("GOVNET_SKIP_LAB") == "1":
        pytest.skip("GOVNET_SKIP_LAB=1: lab tests skipped")
    try:
        preflight()
    except GovnetError as exc:
        pytest.fail(exc.sentence() + " (set GOVNET_SKIP_LAB=1 to skip the lab tests)")

    from nornir_tasks.cli.context import inventory_from, settings_from
    from nornir_tasks.lab.build import bring_up

    base = tmp_path_factory.mktemp("lab")
    lab_dir = base / "lab"
    config = base / "config.yaml"
    config.write_text(yaml.safe_dump({"user_defined": {"govnet": {
        "inventory_dir": str(ROOT / "inventory"), "templates_dir": str(ROOT / "templates"),
        "lab_dir": str(lab_dir), "build_dir": str(base / "build"), "reports_dir": str(base / "reports"),
        "state_dir": str(base / "state"), "baseline_dir": str(ROOT / "inventory" / "baselines"),
        "plans_dir": str(ROOT / "inventory" / "plans")}}}), encoding="utf-8")
    username = "gvt" + _random(6)
    password = _random(10, string.ascii_letters + string.digits) + "-" + _random(6, string.digits)
    saved = {k: os.environ.get(k) for k in ("GOVNET_USERNAME", "GOVNET_PASSWORD")}
    os.environ["GOVNET_USERNAME"] = username
    os.environ["GOVNET_PASSWORD"] = password
    settings = settings_from(config, None)
    inv = inventory_from(settings).inventory
    hosts = list(inv.devices)
    tag = "gt" + _random(3)
    slot = free_slot()
    lab_obj = Lab(lab_dir, tag)
    try:
        lab_obj, _ = bring_up(inv, hosts, templates_dir=settings.resolve(settings.templates_dir), lab_dir=lab_dir,
                              user=username, password=password, tag=tag, slot=slot)
        status = lab_obj.wait_converged(timeout=120)
        handle = LabHandle(lab_obj, lab_dir, config, settings, hosts, username, password, status)
        yield handle
    finally:
        problems = Lab(lab_dir).down()
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    assert not problems, f"lab teardown left things behind: {problems}"
