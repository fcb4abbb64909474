"""A real NetBox for the integration tests (``scripts/netbox-dev``), and a fresh database for every test module.

``netbox_server`` (session) runs ``scripts/netbox-dev up``: it reuses a running dev NetBox, starts one from the
cache outside the repository (seconds), or builds it cold (about 9 minutes, once per NetBox version). It is left
running afterwards (``.ci/run`` stops the one it started). ``netbox`` (module) runs ``scripts/netbox-dev reset``
first, so each module starts from an empty, migrated NetBox (``CREATE DATABASE ... TEMPLATE``, about 2 s).

What a test gets (:class:`NetBoxHandle`): ``url``, ``token``, ``config(tmp, **over)`` (a config.yaml for the
govnet CLI pointing at this NetBox, with private state), ``govnet(*args, config=..)`` (runs the real CLI in a
subprocess with the token in its environment), ``get(path, **params)`` / ``call(method, path, body)`` (plain
REST, for arranging and checking what NetBox holds).

Needs root (chroot, mount). Without root these tests fail with that sentence; ``GOVNET_SKIP_NETBOX=1`` skips them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "scripts" / "netbox-dev"


@dataclass
class NetBoxHandle:
    url: str
    token: str

    def config(self, tmp: Path, *, inventory: Path | None = None, url: str | None = None,
               token_env: str = "NETBOX_TOKEN", **netbox: Any) -> Path:
        path = tmp / "config.yaml"
        data = {"inventory": {"plugin": "GovnetInventory",
                              "options": {"inventory_dir": str(inventory or ROOT / "inventory")}},
                "user_defined": {"govnet": {
                    "inventory_dir": str(inventory or ROOT / "inventory"), "state_dir": str(tmp / "state"),
                    "build_dir": str(tmp / "build"), "reports_dir": str(tmp / "reports"),
                    "netbox": {"url": url or self.url, "token_env": token_env, **netbox}}}}
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        return path

    def govnet(self, *args: str, config: Path, token: str | None = "", timeout: float = 900,
               env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        full = {k: v for k, v in os.environ.items() if k != "NETBOX_TOKEN"}
        if token is not None:
            full["NETBOX_TOKEN"] = token or self.token
        full.update(env or {})
        return subprocess.run([sys.executable, "-m", "nornir_tasks.cli", *args, "--config", str(config)],
                              capture_output=True, text=True, timeout=timeout, env=full, cwd=ROOT)

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}

    def get(self, path: str, **params: Any) -> dict[str, Any]:
        resp = requests.get(f"{self.url}/api/{path.strip('/')}/", params=params, headers=self._headers(), timeout=60)
        resp.raise_for_status()
        return resp.json()

    def count(self, path: str, **params: Any) -> int:
        return int(self.get(path, limit=1, **params)["count"])

    def call(self, method: str, path: str, body: Any = None) -> requests.Response:
        return requests.request(method, f"{self.url}/api/{path.strip('/')}/", json=body, headers=self._headers(),
                                timeout=60)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, timeout=1800)


@pytest.fixture(scope="session")
def netbox_server() -> NetBoxHandle:
    if os.environ.get("GOVNET_SKIP_NETBOX") == "1":
        pytest.skip("GOVNET_SKIP_NETBOX=1")
    if os.geteuid() != 0:
        pytest.fail("the NetBox tests need root (scripts/netbox-dev uses chroot and mount); "
                    "run as root or set GOVNET_SKIP_NETBOX=1")
    proc = _run("up")
    if proc.returncode != 0:
        pytest.fail(f"scripts/netbox-dev up failed: {proc.stderr.strip()[-2000:]}")
    values = dict(line.split("=", 1) for line in proc.stdout.splitlines() if "=" in line)
    return NetBoxHandle(url=values["NETBOX_URL"], token=values["NETBOX_TOKEN"])


@pytest.fixture(scope="module")
def netbox(netbox_server: NetBoxHandle) -> NetBoxHandle:
    proc = _run("reset")
    if proc.returncode != 0:
        pytest.fail(f"scripts/netbox-dev reset failed: {proc.stderr.strip()[-2000:]}")
    return netbox_server
