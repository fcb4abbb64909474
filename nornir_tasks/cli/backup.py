"""``govnet backup [--filter ...] [--lab] [--diff]``: back up running configs (sanitized) into
``<state_dir>/backups`` with one git commit per run; ``--diff`` shows what the last run changed."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer

from nornir_tasks.cli.common import (
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
from nornir_tasks.cli.context import inventory_from, selection, settings_from, stage_context

DiffOpt = Annotated[bool, typer.Option("--diff", help="Show what the last run changed (from git); contacts no device.")]


def command(
    config: ConfigOpt = Path("config.yaml"),
    inventory: InventoryOpt = None,
    filter: FilterOpt = None,
    lab: LabOpt = False,
    diff: DiffOpt = False,
    format: FormatOpt = Format.table,
) -> None:
    """Back up running configs: secrets and volatile lines removed, one file per device, history in git.
    A device that cannot be reached keeps its last backup and is marked unreachable (exit 1)."""
    from nornir_tasks.backup.store import BackupStore
    from nornir_tasks.paths import Paths
    from nornir_tasks.tasks.backup import BackupStage

    # nornir logs every failed task with its traceback; the table below already says why a host failed
    logging.getLogger("nornir").addHandler(logging.NullHandler())
    settings = settings_from(config, inventory)
    result = inventory_from(settings)
    names = selection(result, filter)
    if diff:
        store = BackupStore(Paths.of(settings, lab).state_dir)
        text = store.diff(names if filter else None)
        runs = store.commits()
        if format is Format.json:
            emit_json({"commits": [{"commit": c, "message": m} for c, m in runs[:2]], "diff": text})
        else:
            console(stderr=True).print(f"changes of the last run ({runs[0][1]}):" if runs else
                                       "no backup run yet: run 'govnet backup' first")
            typer.echo(text if text else "(no configuration changed)", nl=not text.endswith("\n"))
        raise typer.Exit(EXIT_OK)

    report = BackupStage().run(stage_context(settings, result, lab=lab), names)
    summary = report.run_summary
    hosts = [o.result for o in report.outcomes if o.result is not None]
    if format is Format.json:
        emit_json({"summary": summary.message, "commit": summary.commit,
                   "hosts": [h.model_dump(mode="json") for h in hosts]})
    else:
        cols = ["host", "status", "changed", "method", "lines", "secrets_removed", "collected_at", "error"]
        rows = []
        for h in hosts:
            status = h.status + (", stale" if h.stale and h.status != "ok" else "")
            rows.append([h.host, status, h.changed, h.method, h.lines, h.secrets_removed,
                         h.collected_at.isoformat(timespec="seconds") if h.collected_at else "never", h.error])
        table(summary.message, cols, rows)
        console(stderr=True).print(f"{summary.message} — {Path(hosts[0].path).parent if hosts else ''}"
                                   f" (commit {(summary.commit or '')[:10]})")
    raise typer.Exit(report.exit_code)
