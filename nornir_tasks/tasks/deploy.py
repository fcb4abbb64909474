"""The deploy task: adapts :func:`nornir_tasks.deploy.device.deploy_device` to a Nornir host, and runs one wave.

The task opens the host's NAPALM connection with govnet's access policy (host keys, coded failures), gives the
device flow a way to log in afresh (the management path still works after the change), stores the sanitized
pre-change backup under ``<state_dir>/deploy/<run id>/<host>.cfg`` (0600), and journals every step.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from nornir.core.task import Result, Task

from nornir_tasks.backup.sanitize import sanitize
from nornir_tasks.deploy.device import DeployResult, DeviceJob, deploy_device, failed_result
from nornir_tasks.deploy.journal import Journal
from nornir_tasks.devices import TUNABLE, KnownHosts, SecretValues, classify, mute_transcripts, ssh_options
from nornir_tasks.fileio import private_dir, write_if_changed
from nornir_tasks.tasks.connect import open_device

logger = logging.getLogger(__name__)

#: Most devices of one wave changed at the same time (a bigger wave runs in batches of this many).
MAX_WAVE_WORKERS = 100


def _fresh_login(task: Task, known: KnownHosts, timeout: float) -> None:
    """Open a new SSH session to the host (its CLI prompt must come up), then close it."""
    from netmiko import ConnectHandler

    host = task.host
    params = host.get_connection_parameters("netmiko")
    address = params.hostname or host.name
    port = params.port or 22
    mute_transcripts()
    with known.snapshot() as copy:
        options = ssh_options(copy, timeout)
        extras = {k: v for k, v in (params.extras or {}).items() if k in TUNABLE or k.endswith("_timeout")}
        try:
            conn = ConnectHandler(device_type=params.platform or "cisco_ios", host=address, port=port,
                                  username=params.username, password=params.password, **{**options, **extras})
        except Exception as exc:
            error = classify(exc, host.name, address, port, known.path)
            raise (error or exc) from exc
    conn.disconnect()


def deploy_host(task: Task, jobs: Mapping[str, DeviceJob], journal: Journal, run_id: str, known: KnownHosts,
                timeout: float, backup_dir: Path, known_secrets: SecretValues, cancel: threading.Event,
                on_done: Callable[[DeployResult], None] | None = None) -> Result:
    """Deploy one host of a wave (its :class:`DeviceJob` is ``jobs[host]``); returns its :class:`DeployResult`."""
    host = task.host
    job = jobs[host.name]
    if cancel.is_set():   # Ctrl-C: no new device starts
        res = failed_result(host.name, job.platform, "DPL-010", f"{host.name}: not attempted: the run was stopped",
                            outcome="not_attempted")
        journal.step(run_id, host.name, "done", "end", outcome="not_attempted", detail=res.error or "")
        if on_done is not None:
            on_done(res)
        return Result(host=host, result=res, changed=False)

    def record(step: str, phase: Any, *, outcome: str = "", diff_hash: str = "", detail: str = "") -> None:
        journal.step(run_id, host.name, step, phase, outcome=outcome, diff_hash=diff_hash, detail=detail)

    def save_backup(text: str) -> str:
        folder = private_dir(backup_dir)
        path = folder / f"{host.name}.cfg"
        write_if_changed(path, text, mode=0o600)
        return str(path)

    def clean(text: str) -> str:
        return sanitize(text, job.platform, known_secrets=known_secrets).text

    try:
        res = deploy_device(job, connect=lambda: open_device(task, "napalm", known, timeout),
                            fresh_login=lambda: _fresh_login(task, known, timeout), record=record,
                            save_backup=save_backup, env=os.environ, sanitize=clean)
    finally:
        try:
            host.close_connections()
        except Exception as exc:  # noqa: BLE001 - closing a dead session must not hide the device's outcome
            logger.warning("%s: closing the connection failed: %s", host.name, exc)
    if on_done is not None:
        on_done(res)
    return Result(host=host, result=res, changed=res.outcome in ("changed", "would_change"))


def run_wave(nr: Any, jobs: Mapping[str, DeviceJob], *, journal: Journal, run_id: str, known: KnownHosts,
             timeout: float, backup_dir: Path, known_secrets: SecretValues, cancel: threading.Event,
             on_done: Callable[[DeployResult], None] | None = None) -> dict[str, DeployResult]:
    """Run :func:`deploy_host` on every host of ``nr`` (one wave, in parallel); one result per host."""
    from nornir.plugins.runners import ThreadedRunner

    nr.data.reset_failed_hosts()
    # a wave's devices change together: one worker each (they spend most of their time waiting on verification)
    nr = nr.with_runner(ThreadedRunner(num_workers=max(1, min(len(jobs), MAX_WAVE_WORKERS))))
    agg = nr.run(task=deploy_host, jobs=jobs, journal=journal, run_id=run_id, known=known, timeout=timeout,
                 backup_dir=backup_dir, known_secrets=known_secrets, cancel=cancel, on_done=on_done,
                 raise_on_error=False)
    out: dict[str, DeployResult] = {}
    from nornir_tasks.runner import root_cause, sentence_for

    for name, multi in agg.items():
        first = multi[0] if len(multi) else None
        if first is not None and isinstance(first.result, DeployResult):
            out[name] = first.result
        else:   # a bug in the task itself: still one outcome for the host, as a sentence
            msg = sentence_for(root_cause(multi))
            out[name] = failed_result(name, jobs[name].platform, "DPL-005", f"{name}: {msg}")
            journal.step(run_id, name, "done", "end", outcome="failed", detail=out[name].error or "")
    return out
