"""The backup task: collect one device's running config and return it sanitized.

NAPALM ``get_config`` where the platform's NAPALM driver speaks SSH through netmiko and returns the same text
as the platform's ``backup_command`` (the registry's ``napalm_over_ssh``: ``frr`` — our napalm_frr — and ``ios``), so the host-key policy and the
sanitizer rules apply unchanged; netmiko with the platform table's ``backup_command`` otherwise (NAPALM's junos
driver goes through NETCONF and returns curly-brace text, eos through eAPI over HTTPS). The raw text never leaves this function: the payload holds the
sanitized config only, so nothing Nornir prints or stores can carry a secret.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from collections.abc import Sequence
from typing import Any, ClassVar, Literal

from nornir.core.task import Result, Task
from pydantic import BaseModel, ConfigDict

from nornir_tasks.backup.sanitize import sanitize
from nornir_tasks.backup.store import BackupStore, Collected, RunSummary, is_stale
from nornir_tasks.devices import KnownHosts, SecretValues, credentials, known_hosts_path
from nornir_tasks.errors import ConfigError, DeviceError
from nornir_tasks.model import Platform
from nornir_tasks.platforms import get
from nornir_tasks.settings import Settings
from nornir_tasks.stage import HostOutcome, HostStatus, StageContext, StageReport
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
    row = get(platform)
    method: Literal["napalm", "netmiko"] = "napalm" if row.napalm_over_ssh else "netmiko"
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


class HostBackup(BaseModel):
    """One row of a backup run's report."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    host: str
    status: Literal["ok", "unreachable"]
    stale: bool
    changed: bool
    platform: str
    method: Literal["napalm", "netmiko"] | None = None
    lines: int | None = None
    secrets_removed: int | None = None
    collected_at: datetime | None = None
    path: str
    error: str | None = None


class BackupReport(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    summary: RunSummary
    hosts: tuple[HostBackup, ...]

    @property
    def failed(self) -> bool:
        return bool(self.summary.unreachable)


def run_backup(settings: Settings, nr: Any, names: list[str], now: datetime | None = None, *,
               lab: bool = False) -> BackupReport:
    """Back up ``names`` over ``nr`` (a Nornir object), record the run in the store, and report per host.

    Every selected host gets a row: hosts that failed (or were skipped) are ``unreachable`` and keep their last
    backup; ``stale`` says the last good backup is older than ``settings.backup_max_age_days``.
    """
    from nornir_tasks.paths import Paths
    from nornir_tasks.runner import run_task

    _, password = credentials(settings)
    secrets = SecretValues([password, settings.credential("enable_secret")])
    store = BackupStore(Paths.of(settings, lab).state_dir)     # a --lab rehearsal keeps its own store
    known = KnownHosts(known_hosts_path(settings, lab))
    outcomes = run_task(nr, backup_config, BackupPayload, known=known, timeout=settings.connect_timeout,
                        known_secrets=secrets)
    collected: list[Collected] = []
    payloads: dict[str, BackupPayload] = {}
    for name in names:
        out = outcomes.get(name)
        platform = nr.inventory.hosts[name].platform or ""
        if out is not None and not out.failed and out.result is not None:
            payloads[name] = out.result
            collected.append(Collected(host=name, platform=platform, text=out.result.text))
        else:
            error = out.error if out is not None else "skipped: no result from this host"
            collected.append(Collected(host=name, platform=platform, error=error))
    summary = store.record(collected, now=now)
    index = store.index()
    now = now or datetime.now(UTC)
    rows = []
    for name in names:
        entry = index[name]
        p = payloads.get(name)
        rows.append(HostBackup(
            host=name, status=entry.status, stale=is_stale(entry, settings.backup_max_age_days, now),
            changed=name in summary.changed, platform=entry.platform, method=p.method if p else None,
            lines=p.lines if p else None, secrets_removed=p.secrets_removed if p else None,
            collected_at=entry.collected_at, path=str(store.path(name)), error=entry.error))
    return BackupReport(summary=summary, hosts=tuple(rows))


class BackupStageReport(StageReport[HostBackup]):
    """The backup stage's report: one :class:`HostBackup` per host, and the store's summary of the run."""

    run_summary: RunSummary


def _backup_outcome(row: HostBackup) -> HostOutcome[HostBackup]:
    if row.status == "unreachable":
        return HostOutcome[HostBackup](host=row.host, status=HostStatus.FAILED, result=row, error=row.error,
                                       code=_code_of(row.error))
    return HostOutcome[HostBackup](host=row.host, status=HostStatus.CHANGED if row.changed else HostStatus.OK,
                                   result=row)


def _code_of(sentence: str | None) -> str | None:
    """The ``[CODE]`` a failure sentence starts with, if any.

    Examples:
        >>> _code_of("[DEV-003] r1: login failed"), _code_of("TimeoutError: timed out")
        ('DEV-003', None)
    """
    if sentence and sentence.startswith("[") and "]" in sentence:
        return sentence[1:sentence.index("]")]
    return None


class BackupStage(BaseModel):
    """Back up the selection's running configs into the store (the lab's own under ``ctx.lab``); no options.

    A host that cannot be reached keeps its last backup and fails (exit 1); the store commits once per run.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: ClassVar[str] = "backup"

    def run(self, ctx: StageContext, selection: Sequence[str]) -> BackupStageReport:
        """Collect, sanitize and store; needs ``ctx.nornir`` (devices are contacted)."""
        started = datetime.now(UTC)
        names = list(selection)
        credentials(ctx.settings)    # a missing variable is a usage error (exit 2) before any connection
        if ctx.nornir is None:
            raise ConfigError("the backup stage needs a Nornir builder in its context", code="CFG-003")
        report = run_backup(ctx.settings, ctx.nornir(names), names, lab=ctx.lab)
        rows = report.hosts
        return BackupStageReport(
            stage=self.name, dry_run=False, started=started, finished=datetime.now(UTC),
            outcomes=tuple(_backup_outcome(r) for r in rows), run_summary=report.summary,
            files=tuple(r.path for r in rows if r.changed), messages=(report.summary.message,))
