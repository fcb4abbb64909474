"""``govnet compliance [--filter ...] [--only config|inventory] [--lab] [--format] [--out DIR]``,
``govnet compliance import BUNDLE`` and ``govnet compliance history``.

Reads running configs from the backup store and intended configs from the render stage, checks them with the
pure core (:func:`nornir_tasks.compliance.run.run_compliance`), writes the reports (JSON, CSV, Markdown,
HTML), the remediation and rollback configs of non-compliant devices, and a snapshot in the SQLite store.
Exit 1 when anything is non-compliant or unreachable.
"""

from __future__ import annotations

import sys
from datetime import date
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from nornir_tasks.cli.common import (
    ConfigOpt,
    FilterOpt,
    ForceOpt,
    Format,
    FormatOpt,
    InventoryOpt,
    LabOpt,
    console,
    emit_json,
    parse_as_of,
    table,
)
from nornir_tasks.cli.context import inventory_from, selection, settings_from, stage_context
from nornir_tasks.errors import GovnetError

if TYPE_CHECKING:  # pragma: no cover - typing only
    from nornir_tasks.compliance.stage import ComplianceReport

app = typer.Typer(help="Check devices against intended configs and the national baseline.",
                  invoke_without_command=True, no_args_is_help=False)


class OnlyChoice(str, Enum):
    all = "all"
    config = "config"
    inventory = "inventory"


OnlyOpt = Annotated[OnlyChoice, typer.Option("--only", help="config: intended vs running and the config rules; "
                                             "inventory: the inventory rules; all (default): both.")]
OutOpt = Annotated[Path | None, typer.Option("--out", help="Folder for the reports (default: <reports_dir>/compliance).")]
AsOfOpt = Annotated[str | None, typer.Option("--as-of", help="Date to judge grace periods, waivers and backup age "
                                             "(YYYY-MM-DD; default: today).")]
NoStoreOpt = Annotated[bool, typer.Option("--no-store", help="Do not store the run as a snapshot.")]


def _today(as_of: str | None) -> date:
    return parse_as_of(as_of)          # '' is not today: an empty $DATE in a script is a mistake


def _show(report: ComplianceReport, fmt: Format) -> None:
    from nornir_tasks.reports.compliance_json import to_data
    from nornir_tasks.reports.compliance_terminal import print_summary

    run = report.run
    if fmt is Format.json:
        emit_json(to_data(run))
        return
    err = console(stderr=True)
    for message in report.messages:
        err.print(message)
    print_summary(run, console())
    err.print(f"reports: {', '.join(report.reports)}")
    if run.remediations:
        err.print(f"remediation for {len(run.remediations)} device(s): {report.remediation_dir}")


@app.callback()
def check(
    ctx: typer.Context,
    config: ConfigOpt = Path("config.yaml"),
    inventory: InventoryOpt = None,
    filter: FilterOpt = None,
    only: OnlyOpt = OnlyChoice.all,
    lab: LabOpt = False,
    format: FormatOpt = Format.table,
    out: OutOpt = None,
    as_of: AsOfOpt = None,
    no_store: NoStoreOpt = False,
    force: ForceOpt = False,
) -> None:
    """Check devices: intended vs running per feature, the national baseline and its overlays, waivers.
    Each device ends compliant, non_compliant, unreachable, stale, waived or not_applicable."""
    if ctx.invoked_subcommand is not None:
        return
    from nornir_tasks.compliance.stage import ComplianceStage

    settings = settings_from(config, inventory)
    today = _today(as_of)
    result = inventory_from(settings, today=today)
    names = selection(result, filter)
    stage = ComplianceStage(only=only.value, out=out, store=not no_store, force=force)
    report = stage.run(stage_context(settings, result, lab=lab, today=today), names)
    _show(report, format)
    raise typer.Exit(report.exit_code)


@app.command("import")
def import_(
    bundle: Annotated[Path, typer.Argument(help="Folder or .zip of configs collected by hand, one file per host.")],
    config: ConfigOpt = Path("config.yaml"),
    inventory: InventoryOpt = None,
    filter: FilterOpt = None,
    format: FormatOpt = Format.table,
    out: OutOpt = None,
    as_of: AsOfOpt = None,
    no_store: NoStoreOpt = False,
    force: ForceOpt = False,
) -> None:
    """Check configs collected by hand at sites the tool cannot reach; results are marked reported offline."""
    from nornir_tasks.compliance.stage import ComplianceImportStage

    settings = settings_from(config, inventory)
    today = _today(as_of)
    result = inventory_from(settings, today=today)
    names = selection(result, filter) if filter else list(result.inventory.devices)
    stage = ComplianceImportStage(bundle=bundle, out=out, store=not no_store, narrow=bool(filter),
                                  force=force)
    report = stage.run(stage_context(settings, result, today=today), names)
    _show(report, format)
    raise typer.Exit(report.exit_code)


@app.command()
def history(
    config: ConfigOpt = Path("config.yaml"),
    inventory: InventoryOpt = None,
    format: FormatOpt = Format.table,
    limit: Annotated[int, typer.Option("--limit", help="How many runs.", min=1, max=100_000)] = 20,
    lab: LabOpt = False,
) -> None:
    """The stored compliance runs (oldest first) with their counts per state."""
    from nornir_tasks.compliance.store import trend
    from nornir_tasks.paths import Paths
    from nornir_tasks.store import connect

    settings = settings_from(config, inventory)
    rows = trend(connect(Paths.of(settings, lab).state_dir), limit=limit)
    if format is Format.json:
        emit_json(rows)
    else:
        cols = ["taken_at", "only", "source", "baseline_version", "devices", "compliant", "non_compliant",
                "unreachable", "stale", "waived", "not_applicable"]
        table("compliance runs", cols, [[r[c] for c in cols] for r in rows])
    sys.stdout.flush()
