"""``govnet backup [--filter ...] [--lab] [--diff]``: back up running configs (sanitized) into
``<state_dir>/backups`` with one git commit per run; ``--diff`` shows what the last run changed."""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from pathlib import Path
from typing import Annotated

import typer

from nornir_tasks.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    ConfigOpt,
    FilterOpt,
    Format,
    FormatOpt,
    InventoryOpt,
    LabOpt,
    console,
    emit_json,
    table,
)
from nornir_tasks.cli.context import inventory_from, nornir_from, selection, settings_from


def command(
    config: ConfigOpt = Path("config.yaml"),
    inventory: InventoryOpt = None,
    filter: FilterOpt = None,
    lab: LabOpt = False,
    diff: Annotated[bool, typer.Option("--diff", help="Show what the last run changed (from git); contacts no device.")] = False,
    format: FormatOpt = Format.table,
) -> None:
    """Back up running configs: secrets and volatile lines removed, one file per device, history in git.
    A device that cannot be reached keeps its last backup and is marked unreachable (exit 1)."""
    from nornir_tasks.backup.store import BackupStore, Collected, is_stale
    from nornir_tasks.devices import KnownHosts, SecretValues, credentials, known_hosts_path
    from nornir_tasks.runner import run_stage
    from nornir_tasks.tasks.backup import backup_config

    # nornir logs every failed task with its traceback; the table below already says why a host failed
    logging.getLogger("nornir").addHandler(logging.NullHandler())
    settings = settings_from(config, inventory)
    store = BackupStore(settings.resolve(settings.state_dir))
    result = inventory_from(settings)
    names = selection(result, filter)
    if diff:
        text = store.diff(names if filter else None)
        if format is Format.json:
            emit_json({"commits": [{"commit": c, "message": m} for c, m in store.commits()[:2]], "diff": text})
        else:
            runs = store.commits()
            if not runs:
                console(stderr=True).print("no backup run yet: run 'govnet backup' first")
            else:
                console(stderr=True).print(f"changes of the last run ({runs[0][1]}):")
            typer.echo(text if text else "(no configuration changed)", nl=not text.endswith("\n"))
        raise typer.Exit(EXIT_OK)

    _, password = credentials(settings)
    known_secrets = SecretValues([password, settings.credential("enable_secret")])
    nr = nornir_from(settings, result, names, lab=lab)
    known = KnownHosts(known_hosts_path(settings))
    outcomes = run_stage(nr, backup_config, known=known, timeout=settings.connect_timeout,
                         known_secrets=known_secrets)
    collected = []
    payloads = {}
    for name in names:
        out = outcomes.get(name)
        platform = nr.inventory.hosts[name].platform or ""
        if out is not None and not out.failed and out.result is not None:
            payloads[name] = out.result
            collected.append(Collected(host=name, platform=platform, text=out.result.text))
        else:
            collected.append(Collected(host=name, platform=platform,
                                       error=(out.error if out is not None else "skipped")))
    summary = store.record(collected)
    now = datetime.now(timezone.utc)
    index = store.index()
    rows = []
    for name in names:
        entry = index[name]
        stale = is_stale(entry, settings.backup_max_age_days, now)
        status = entry.status + (", stale" if stale and entry.status != "ok" else "")
        p = payloads.get(name)
        rows.append({"host": name, "status": status, "changed": name in summary.changed, "stale": stale,
                     "platform": entry.platform, "method": p.method if p else None,
                     "lines": p.lines if p else None, "secrets_removed": p.secrets_removed if p else None,
                     "collected_at": entry.collected_at.isoformat() if entry.collected_at else None,
                     "path": str(store.path(name)), "error": entry.error})
    if format is Format.json:
        emit_json({"summary": summary.message, "commit": summary.commit, "hosts": rows})
    else:
        cols = ["host", "status", "changed", "method", "lines", "secrets_removed", "collected_at", "error"]
        table(summary.message, cols, [[r[c] for c in cols] for r in rows])
        console(stderr=True).print(f"{summary.message} — {store.root} (commit {(summary.commit or '')[:10]})")
    raise typer.Exit(EXIT_FAILED if summary.unreachable else EXIT_OK)
