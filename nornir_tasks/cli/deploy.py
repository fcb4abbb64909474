"""``govnet deploy [--filter ...] [--commit] [--lab] [waves ...]`` and ``govnet deploy history``.

No business logic: :class:`nornir_tasks.deploy.stage.DeployStage` does the run; this module reads the options,
turns the first Ctrl-C into "no new device starts", shows progress per wave, the final table and the report
path, and sets the exit code (1 when a device failed, was reverted, refused or not attempted).
"""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from nornir_tasks.cli.common import (
    EXIT_OK,
    CommitOpt,
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
from nornir_tasks.cli.context import inventory_from, nornir_from, selection, settings_from, stage_context

app = typer.Typer(invoke_without_command=True, no_args_is_help=False, add_completion=False,
                  help="Push intended configs in safe waves (dry run unless --commit).")

CanaryOpt = Annotated[int, typer.Option("--canary", min=0, help="Devices changed first, alone in a wave of their own.")]
WaveSizeOpt = Annotated[str | None, typer.Option(
    "--wave-size", help="Devices per wave: a count (N) or a share of the selection (P%); default: all at once.")]
MaxFailuresOpt = Annotated[str | None, typer.Option(
    "--max-failures", help="Stop the run when MORE THAN this many devices (N, or P% of the selection) have failed "
                           "or been reverted; 0 stops after the first failure. Devices not reached are reported "
                           "as not attempted. Default: never stop.")]
PauseOpt = Annotated[float, typer.Option("--pause-between", min=0, help="Seconds to wait (soak) between waves.")]
ConfirmWaveOpt = Annotated[bool, typer.Option("--confirm-each-wave", help="Ask before starting each wave after the first.")]
NoRevertOpt = Annotated[bool, typer.Option(
    "--allow-no-revert", help="Also push to devices whose platform cannot take a change back by itself.")]
ResumeOpt = Annotated[str | None, typer.Option(
    "--resume", help="Continue an interrupted run (same selection and options); verified devices are not touched.")]
RevertInOpt = Annotated[int, typer.Option("--revert-in", min=10, max=3600,
                                          help="Seconds a device waits for confirmation before reverting itself.")]
VerifyTimeoutOpt = Annotated[float, typer.Option("--verify-timeout", min=1,
                                                 help="Seconds verification may take before the change is taken back.")]
VerifyHoldOpt = Annotated[float, typer.Option("--verify-hold", min=0,
                                              help="Seconds the checks must keep passing after a push (e.g. more than "
                                                   "the OSPF dead interval).")]


@app.callback()
def deploy(
    ctx: typer.Context,
    config: ConfigOpt = Path("config.yaml"),
    inventory: InventoryOpt = None,
    filter: FilterOpt = None,
    commit: CommitOpt = False,
    lab: LabOpt = False,
    canary: CanaryOpt = 0,
    wave_size: WaveSizeOpt = None,
    max_failures: MaxFailuresOpt = None,
    pause_between: PauseOpt = 0.0,
    confirm_each_wave: ConfirmWaveOpt = False,
    allow_no_revert: NoRevertOpt = False,
    resume: ResumeOpt = None,
    revert_in: RevertInOpt = 120,
    verify_timeout: VerifyTimeoutOpt = 60.0,
    verify_hold: VerifyHoldOpt = 5.0,
    format: FormatOpt = Format.table,
) -> None:
    """Per device: reachable → pre-change backup → diff → push with automatic revert → verify → confirm;
    any failure → revert, then prove the running config equals the pre-change backup."""
    if ctx.invoked_subcommand is not None:
        return
    import logging

    from nornir_tasks.deploy.stage import DeployOptions, DeployStage
    from nornir_tasks.devices import credentials

    logging.getLogger("nornir").addHandler(logging.NullHandler())
    settings = settings_from(config, inventory)
    loaded = inventory_from(settings)
    opts = DeployOptions(canary=canary, wave_size=wave_size, max_failures=max_failures, pause_between=pause_between,
                         confirm_each_wave=confirm_each_wave, allow_no_revert=allow_no_revert, resume=resume,
                         revert_in=revert_in, verify_timeout=verify_timeout, verify_hold=verify_hold)
    opts.amounts()                              # a bad N|P% is a usage error before anything runs
    names = selection(loaded, filter) if not resume else []
    credentials(settings)                       # a missing variable is a usage error (exit 2) before connecting
    if lab:
        nornir_from(settings, loaded, [], lab=True)   # the lab must be up (LAB-004 otherwise)
    stage_ctx = stage_context(settings, loaded, lab=lab, commit=commit)
    cancel = stage_ctx.cancel
    view = _View(format is Format.table)
    stage = DeployStage(opts, on_wave_start=view.wave_start if not confirm_each_wave else view.confirm_wave,
                        on_wave_end=view.wave_end, on_device=view.device)
    previous = signal.getsignal(signal.SIGINT)

    def stop(signum: int, frame: Any) -> None:
        if not cancel.is_set():
            cancel.set()
            console(stderr=True).print("[yellow]Ctrl-C: no new device will start; devices in flight finish or "
                                       "revert (Ctrl-C again does not abort them)[/yellow]")

    signal.signal(signal.SIGINT, stop)
    try:
        report = stage.run(stage_ctx, names)
    finally:
        signal.signal(signal.SIGINT, previous)
    _show(report, format, commit)
    raise typer.Exit(report.exit_code)


class _View:
    """Progress per wave on stderr (people); nothing when the output is JSON."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.err = console(stderr=True)
        self._lock = threading.Lock()

    def wave_start(self, event: Any) -> bool:
        if self.enabled:
            w = event.wave
            where = "canary" if w.kind == "canary" else f"province {w.province}" if w.province else "wave"
            self.err.print(f"[bold]wave {w.index + 1}/{event.total_waves}[/bold] ({where}): {len(w.hosts)} device(s)")
        return True

    def confirm_wave(self, event: Any) -> bool:
        self.wave_start(event)
        if event.wave.index == 0:
            return True
        if not sys.stdin.isatty():
            self.err.print("[yellow]--confirm-each-wave needs a terminal to ask on; stopping here[/yellow]")
            return False
        return typer.confirm(f"start wave {event.wave.index + 1}/{event.total_waves}?", default=False)

    def device(self, res: Any) -> None:
        if not self.enabled:
            return
        style = {"changed": "green", "would_change": "cyan", "unchanged": "", "reverted": "yellow",
                 "failed": "red", "refused": "red", "not_attempted": "dim"}.get(res.outcome, "")
        text = f"  {res.host:<28} {res.outcome}"
        if res.error:
            text += f" — {res.error}"
        with self._lock:
            self.err.print(f"[{style}]{escape(text)}[/{style}]" if style else escape(text), highlight=False)

    def wave_end(self, event: Any) -> None:
        if self.enabled:
            counts: dict[str, int] = {}
            for r in event.results:
                counts[r.outcome] = counts.get(r.outcome, 0) + 1
            self.err.print("  " + ", ".join(f"{v} {k}" for k, v in sorted(counts.items())))


def _show(report: Any, fmt: Format, commit: bool) -> None:
    from nornir_tasks.deploy.stage import summary

    counts = summary(report)
    if fmt is Format.json:
        emit_json({"run_id": report.run_id, "dry_run": report.dry_run, "summary": counts,
                   "messages": list(report.messages), "report": report.files[0] if report.files else None,
                   "hosts": [o.result.model_dump(mode="json") for o in report.outcomes if o.result is not None]})
        return
    out = console()
    for o in report.outcomes:
        r = o.result
        if r is not None and r.diff and (not commit or r.outcome in ("changed", "reverted", "failed")):
            out.print(f"[bold]--- {escape(r.host)}[/bold] (change {r.diff_hash})", highlight=False)
            out.print(escape(r.diff), highlight=False)
    rows = []
    for o in report.outcomes:
        r = o.result
        bad = ", ".join(c.name for c in (r.checks if r else ()) if not c.ok)
        revert = "" if r is None or r.revert_verified is None else ("verified" if r.revert_verified else "NOT verified")
        rows.append([o.host, r.outcome if r else o.status.value, r.diff_hash if r else "", bad, revert,
                     (r.error or "") if r else (o.error or "")])
    mode = "commit" if commit else "dry run"
    table(f"govnet deploy {report.run_id} ({mode})", ["host", "outcome", "change", "failed checks",
                                                       "revert", "error"], rows)
    err = console(stderr=True)
    for m in report.messages:
        err.print(escape(m), highlight=False)
    line = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items() if v)
    err.print(f"{line or 'nothing selected'} — report {report.files[0] if report.files else '(none)'}",
              highlight=False)
    if not commit and counts.get("would_change"):
        err.print("dry run: nothing was changed; add --commit to push", highlight=False)


@app.command("history")
def history(
    config: ConfigOpt = Path("config.yaml"),
    inventory: InventoryOpt = None,
    lab: LabOpt = False,
    run: Annotated[str | None, typer.Option("--run", help="Show every step of one run.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many runs to list.")] = 20,
    format: FormatOpt = Format.table,
) -> None:
    """Stored deploy runs (newest first), or every journalled step of one run."""
    from nornir_tasks.deploy.journal import Journal
    from nornir_tasks.paths import Paths

    settings = settings_from(config, inventory)
    with Journal(Paths.of(settings, lab).state_dir) as journal:
        if run is not None:
            journal.require_run(run)
            steps = journal.steps(run)
            if format is Format.json:
                emit_json([s.model_dump(mode="json") for s in steps])
            else:
                table(f"deploy run {run}", ["time", "host", "step", "phase", "outcome", "change", "operator", "detail"],
                      [[s.at.isoformat(timespec="seconds"), s.host, s.step, s.phase, s.outcome, s.diff_hash,
                        s.operator, s.detail] for s in steps])
            raise typer.Exit(EXIT_OK)
        rows = []
        data = []
        for rec in journal.runs(limit):
            counts: dict[str, int] = {}
            for outcome in journal.outcomes([rec.run_id]).values():
                counts[outcome] = counts.get(outcome, 0) + 1
            data.append({**rec.model_dump(mode="json"), "outcomes": counts})
            rows.append([rec.run_id, rec.started.isoformat(timespec="seconds"), rec.operator,
                         "commit" if rec.commit else "dry run", "lab" if rec.lab else "", rec.status,
                         len(rec.selection), ", ".join(f"{v} {k}" for k, v in sorted(counts.items())),
                         rec.resumed_from or ""])
    if format is Format.json:
        emit_json(data)
    else:
        table("deploy runs", ["run", "started", "operator", "mode", "lab", "status", "devices", "outcomes",
                              "resumes"], rows)
    raise typer.Exit(EXIT_OK)
