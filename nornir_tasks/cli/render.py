"""``govnet render [--filter ...] [--out DIR] [--lab]``: intended configs for the selection.

No business logic: :class:`nornir_tasks.render.stage.RenderStage` renders (forked workers, one cached Jinja
environment) and writes ``<out>/<host>.cfg`` atomically and only when changed; this module shows progress,
prints the summary and the failed hosts' sentences, and takes the exit code from the stage's report.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from nornir_tasks.cli.common import (
    ConfigOpt,
    FilterOpt,
    ForceOpt,
    Format,
    FormatOpt,
    InventoryOpt,
    console,
    emit_json,
    table,
)
from nornir_tasks.cli.context import inventory_from, selection, settings_from, stage_context
from nornir_tasks.errors import GovnetError
from nornir_tasks.paths import Paths, prepare_output
from nornir_tasks.render.batch import RenderOutcome, RenderSummary
from nornir_tasks.render.stage import RenderStage
from nornir_tasks.stage import StageReport

OutOpt = Annotated[Path | None, typer.Option(
    "--out", help="Folder for <host>.cfg (default: <build_dir>/intended, or <build_dir>/intended-lab with --lab).")]
RenderLabOpt = Annotated[bool, typer.Option(
    "--lab", help="Render every device's lab stand-in: FRR templates, lab interface names, no management ports.")]
DiffOpt = Annotated[bool, typer.Option(
    "--diff", help="Show, per device, what a deploy would change against the last backup (contacts no device).")]
WorkersOpt = Annotated[int | None, typer.Option("--workers", min=1, max=64,
                                                help="Worker processes (default: one per CPU).")]


def command(
    config: ConfigOpt = Path("config.yaml"),
    inventory: InventoryOpt = None,
    filter: FilterOpt = None,
    out: OutOpt = None,
    lab: RenderLabOpt = False,
    workers: WorkersOpt = None,
    format: FormatOpt = Format.table,
    force: ForceOpt = False,
    diff: DiffOpt = False,
) -> None:
    """Render intended configs for the selected devices and write one file per device."""
    settings = settings_from(config, inventory)
    result = inventory_from(settings)
    names = selection(result, filter)
    paths = Paths.of(settings, lab)     # never the state or inventory folder, a file, or someone else's folder
    if not paths.templates_dir.is_dir():      # bad configuration, nothing ran: exit 2, not one failure per host
        raise GovnetError(f"templates folder {paths.templates_dir} not found", code="RND-001",
                          hint="set templates_dir in config.yaml, or run govnet from the project folder")
    prepare_output(out if out is not None else paths.intended_dir, "render", paths=paths,
                   own=out is None or out.resolve() == paths.intended_dir.resolve(), force=force)
    stage = RenderStage(out=out)

    show_bar = format is Format.table and sys.stderr.isatty()
    # auto_refresh=False: no refresh thread is running when the stage forks its workers
    with Progress(TextColumn("rendering"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console(stderr=True), disable=not show_bar, transient=True, auto_refresh=False) as bar:
        task = bar.add_task("render", total=len(names))

        def advance(what: str, done: int, total: int) -> None:
            bar.update(task, completed=done)
            bar.refresh()

        ctx = stage_context(settings, result, lab=lab, jobs=workers, progress=advance)
        report = stage.run(ctx, names)
    out_dir = stage.out if stage.out is not None else ctx.paths.intended_dir
    if not (diff and format is Format.json):
        _show(report, out_dir, format)
    if diff:
        failed = {o.host for o in report.outcomes if o.failed}
        _diff(result.inventory, names, out_dir, paths, lab, format, failed)
    raise typer.Exit(report.exit_code)


def _diff(inv: object, names: list[str], out_dir: Path, paths: Paths, lab: bool, format: Format,
          failed: set[str]) -> None:
    """Per device, the change against the last backup (``nornir_tasks.deploy.preview``)."""
    from nornir_tasks.backup.store import BackupStore
    from nornir_tasks.deploy.preview import offline_diff

    store = BackupStore(paths.state_dir)
    rows = []
    for name in names:
        path = out_dir / f"{name}.cfg"
        backup = store.read(name)
        if name in failed or not path.is_file():
            rows.append({"host": name, "diff": None, "note": "not rendered"})
        elif backup is None:
            rows.append({"host": name, "diff": None, "note": "no backup yet: run 'govnet backup' first"})
        else:
            platform = "frr" if lab else inv.devices[name].platform  # type: ignore[attr-defined]
            rows.append({"host": name, "diff": offline_diff(platform, path.read_text(encoding="utf-8"), backup),
                         "note": ""})
    if format is Format.json:
        emit_json({"out": str(out_dir), "diff": rows})
        return
    out = console()
    for r in rows:
        text = r["diff"]
        status = str(r["note"] or ("no change" if not text else f"{text.count(chr(10)) + 1} line(s) would change"))
        out.print(f"[bold]--- {escape(str(r['host']))}[/bold] ({escape(status)})", highlight=False)
        if text:
            out.print(escape(text), highlight=False)


def _show(report: StageReport[RenderOutcome], out_dir: Path, format: Format) -> None:
    outcomes = [o.result for o in report.outcomes if o.result is not None]
    summary = RenderSummary.of(outcomes)
    if format is Format.json:
        emit_json({"out": str(out_dir), "summary": summary.model_dump(),
                   "hosts": [o.model_dump(mode="json") for o in outcomes]})
        return
    err = console(stderr=True)
    for o in outcomes:
        if o.failed:
            sentence = f"[{o.code}] {o.error}" + (f" — {o.hint}" if o.hint else "")
            err.print(f"[red]failed[/red] {escape(sentence)}", markup=True, highlight=False)
    table(f"govnet render → {out_dir}", ["rendered", "changed", "unchanged", "failed"],
          [[summary.rendered, summary.changed, summary.unchanged, summary.failed]])
