"""Opening device connections inside Nornir tasks with govnet's access policy (:mod:`nornir_tasks.devices`):
host keys trusted on first use and checked afterwards, connection failures turned into DeviceError sentences,
device transcripts kept out of the logs."""

from __future__ import annotations

import logging
from typing import Any, Literal

from nornir.core.plugins.connections import ConnectionPluginRegister
from nornir.core.task import Task

from nornir_tasks.devices import TUNABLE, KnownHosts, classify, mute_transcripts, ssh_options

logger = logging.getLogger(__name__)

Kind = Literal["napalm", "netmiko"]


def _transport(conn: Any) -> Any:
    """The paramiko transport under a NAPALM driver or a netmiko connection (None when there is none)."""
    dev = getattr(conn, "device", None) or conn
    client = getattr(dev, "remote_conn_pre", None)
    return client.get_transport() if client is not None and hasattr(client, "get_transport") else None


def open_device(task: Task, kind: Kind, known: KnownHosts, timeout: float) -> Any:
    """Open (or reuse) the host's ``napalm`` or ``netmiko`` connection and return the underlying object
    (a NAPALM driver or a netmiko ``BaseConnection``).

    Raises:
        DeviceError: DEV-001 unreachable, DEV-002 changed host key, DEV-003 authentication refused.
    """
    host = task.host
    mute_transcripts()
    if kind not in ConnectionPluginRegister.available:
        ConnectionPluginRegister.auto_register()   # Nornir objects built without InitNornir skip this
    if kind in host.connections:
        return host.connections[kind].connection
    params = host.get_connection_parameters(kind)
    address = params.hostname or host.name
    port = params.port or 22
    extras = dict(params.extras or {})
    with known.snapshot() as private_copy:
        options = ssh_options(private_copy, timeout)
        tunable = {k: v for k, v in options.items() if k in TUNABLE}
        policy = {k: v for k, v in options.items() if k not in TUNABLE}
        if kind == "napalm":
            extras["optional_args"] = {**tunable, **(extras.get("optional_args") or {}), **policy, "port": port}
            extras.setdefault("timeout", int(max(timeout, 1)))
        else:
            extras = {**tunable, **extras, **policy}
        try:
            plugin = host.open_connection(kind, task.nornir.config, hostname=address, port=port, extras=extras)
        except Exception as exc:
            error = classify(exc, host.name, address, port, known.path)
            if error is None:
                raise
            raise error from exc
    later = getattr(plugin.connection, "netmiko_optional_args", None)
    if isinstance(later, dict) and "alt_key_file" in later:
        later["alt_key_file"] = str(known.path)     # later logins of the driver (napalm_frr's shell) check the real file
    try:
        known.remember_from(_transport(plugin.connection), address, port)
    except Exception:
        host.close_connection(kind)
        raise
    return plugin.connection
