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
from typing import Annotated

import typer

from nornir_tasks.cli.common import (
    ConfigOpt,
    EXIT_FAILED,
    EXIT_OK,
    FilterOpt,
    ForceOpt,
    Format,
    FormatOpt,
    InventoryOpt,
    LabOpt,
    console,
    emit_json,
    table,
)
from nornir_tasks.cli.context import inventory_from, selection, settings_from
from nornir_tasks.errors import GovnetError

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
    if not as_of:
        return date.today()
    try:
        return date.fromisoformat(as_of)
    except ValueError as exc:
        raise GovnetError(f"--as-of {as_of!r} is not a date", code="CFG-003", hint="write it as YYYY-MM-DD") from exc


def _finish(run, settings, out: Path | None, fmt: Format, *, source: str, store: bool, names: list[str],  # type: ignore[no-untyped-def]
            lab: bool = False, force: bool = False) -> None:
    from nornir_tasks.compliance.remediation import write_remediations
    from nornir_tasks.compliance.run import DeviceState
    from nornir_tasks.compliance.store import save_run
    from nornir_tasks.paths import Paths, prepare_output
    from nornir_tasks.reports.compliance_csv import write_csv
    from nornir_tasks.reports.compliance_html import write_html
    from nornir_tasks.reports.compliance_json import to_data, write_json
    from nornir_tasks.reports.compliance_markdown import write_markdown
    from nornir_tasks.reports.compliance_terminal import print_summary
    from nornir_tasks.store import connect

    paths = Paths.of(settings, lab)              # a --lab rehearsal writes only the lab's own files
    out_dir = prepare_output(out or paths.compliance_reports_dir, "compliance", paths=paths,
                             own=out is None or out.resolve() == paths.compliance_reports_dir.resolve(), force=force)
    if store:      # the store first: reports never describe a run the store does not hold (e.g. on a full disk)
        save_run(connect(paths.state_dir), run, source=source)
    written = [write_json(run, out_dir), *write_csv(run, out_dir), write_markdown(run, out_dir), write_html(run, out_dir)]
    if run.only != "inventory":
        done = [d.name for d in run.devices if d.state is not DeviceState.NON_COMPLIANT]
        write_remediations(paths.remediation_dir.parent, run.remediations, compliant=done)
    if fmt is Format.json:
        emit_json(to_data(run))
    else:
        print_summary(run, console())
        err = console(stderr=True)
        err.print(f"reports: {', '.join(str(p) for p in written)}")
        n_rem = len(run.remediations)
        if n_rem:
            err.print(f"remediation for {n_rem} device(s): {paths.remediation_dir}")
    raise typer.Exit(EXIT_FAILED if run.failed else EXIT_OK)


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
    from nornir_tasks.compliance.run import run_compliance
    from nornir_tasks.compliance.sources import read_intended, read_running

    settings = settings_from(config, inventory)
    today = _today(as_of)
    result = inventory_from(settings, today=today)
    names = selection(result, filter)
    running = read_running(settings, names, lab=lab) if only is not OnlyChoice.inventory else {}
    intended, problems = (read_intended(settings, result.inventory, names, lab=lab)
                          if only is not OnlyChoice.inventory else ({}, {}))
    run = run_compliance(settings, result.inventory, names, running, intended, today, only=only.value,
                         platform="frr" if lab else None, problems=problems)
    _finish(run, settings, out, format, source="lab" if lab else "backup", store=not no_store, names=names, lab=lab,
            force=force)


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
    from nornir_tasks.compliance.import_bundle import load_bundle
    from nornir_tasks.compliance.run import run_compliance
    from nornir_tasks.compliance.sources import read_intended

    settings = settings_from(config, inventory)
    today = _today(as_of)
    result = inventory_from(settings, today=today)
    got = load_bundle(bundle, result.inventory)
    chosen = set(selection(result, filter)) if filter else set(got.running)
    names = [n for n in result.inventory.devices if n in got.running and n in chosen]
    if not names:
        raise GovnetError(f"{bundle}: no device of the bundle matches the selection", code="CFG-003",
                          hint="check --filter")
    for skipped in got.skipped:
        console(stderr=True).print(f"skipped {skipped}")
    intended, problems = read_intended(settings, result.inventory, names)
    run = run_compliance(settings, result.inventory, names, got.running, intended, today, only="config",
                         problems=problems)
    _finish(run, settings, out, format, source="offline", store=not no_store, names=names, force=force)


@app.command()
def history(
    config: ConfigOpt = Path("config.yaml"),
    inventory: InventoryOpt = None,
    format: FormatOpt = Format.table,
    limit: Annotated[int, typer.Option("--limit", help="How many runs.")] = 20,
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
