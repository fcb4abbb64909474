"""The backup task: collect one device's running config and return it sanitized.

NAPALM ``get_config`` where the platform has a NAPALM driver (``napalm_frr`` for FRR), netmiko with the
platform table's ``backup_command`` otherwise. The raw text never leaves this function: the payload holds the
sanitized config only, so nothing Nornir prints or stores can carry a secret.
"""

from __future__ import annotations

import logging
from typing import Literal

from nornir.core.task import Result, Task
from pydantic import BaseModel, ConfigDict

from nornir_tasks.backup.sanitize import sanitize
from nornir_tasks.devices import KnownHosts, SecretValues
from nornir_tasks.errors import DeviceError
from nornir_tasks.model import Platform
from nornir_tasks.platforms import info
from nornir_tasks.tasks.connect import open_device

logger = logging.getLogger(__name__)


class BackupPayload(BaseModel):
    """What a backup task returns for one host."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    host: str
    platform: Platform
    method: Literal["napalm", "netmiko"]
    text: str
    lines: int
    secrets_removed: int
    volatile_removed: int


def _refused(text: str, markers: tuple[str, ...]) -> str | None:
    head = "\n".join(text.strip().splitlines()[:3])
    return next((m for m in markers if m in head), None)


def backup_config(task: Task, known: KnownHosts, timeout: float = 10.0,
                  known_secrets: SecretValues | None = None) -> Result:
    """Collect, sanitize and return the running config of ``task.host`` (connections closed afterwards).

    ``known_secrets`` (e.g. the login password) are removed wherever they appear; a :class:`SecretValues`
    keeps them out of Nornir's log of task arguments."""
    host = task.host
    platform = Platform(host.platform)
    row = info(platform)
    method: Literal["napalm", "netmiko"] = "napalm" if row.napalm_driver else "netmiko"
    try:
        conn = open_device(task, method, known, timeout)
        if method == "napalm":
            raw = conn.get_config(retrieve="running")["running"]
        else:
            raw = conn.send_command(row.backup_command, read_timeout=max(timeout, 30.0))
    finally:
        host.close_connections()
    marker = _refused(raw, row.error_markers)
    if marker is not None:
        raise DeviceError(f"{host.name}: the device refused '{row.backup_command}' ({marker})", code="DEV-004",
                          hint="check the account's privileges on the device")
    clean = sanitize(raw, platform, known_secrets=known_secrets or ())
    if not clean.text.strip():
        raise DeviceError(f"{host.name}: the device returned an empty configuration", code="DEV-004",
                          hint="check the account's privileges on the device")
    logger.debug("%s: %d lines, %d secrets removed", host.name, clean.text.count("\n"), clean.secrets_removed)
    payload = BackupPayload(host=host.name, platform=platform, method=method, text=clean.text,
                            lines=clean.text.count("\n"), secrets_removed=clean.secrets_removed,
                            volatile_removed=clean.volatile_removed)
    return Result(host=host, result=payload, changed=False)
