"""``govnet play FILE [--filter ...] [--commit] [--lab] [--resume RUN_ID]``: run a playbook (see docs/playbooks.md).

No business logic: :mod:`nornir_tasks.playbook` validates the file and runs the steps; this module builds the
stage context, shows progress per step, prints the summary, writes the run's report and sets the exit code.
"""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from nornir_tasks.cli.common import (
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
from nornir_tasks.cli.context import inventory_from, selection, settings_from, stage_context

FileArg = Annotated[Path | None, typer.Argument(help="The playbook file (playbooks/*.yaml).", show_default=False)]
ResumeOpt = Annotated[str | None, typer.Option(
    "--resume", help="Continue run RUN_ID with only the hosts and steps not yet done (same --lab/--commit).")]
HistoryOpt = Annotated[bool, typer.Option("--history", help="List the last playbook runs and exit.")]
LangOpt = Annotated[str, typer.Option("--lang", help="Language of the report: vi or en.")]


def command(
    file: FileArg = None,
    config: ConfigOpt = Path("config.yaml"),
    inventory: InventoryOpt = None,
    filter: FilterOpt = None,
    commit: CommitOpt = False,
    lab: LabOpt = False,
    resume: ResumeOpt = None,
    history: HistoryOpt = False,
    lang: LangOpt = "en",
    format: FormatOpt = Format.table,
) -> None:
    """Run a playbook: every step validated first; mode: apply changes devices only with --commit."""
    from nornir_tasks.errors import GovnetError
    from nornir_tasks.paths import Paths
    from nornir_tasks.playbook.model import load
    from nornir_tasks.playbook.run import PlayJournal, run_playbook

    if lang not in ("vi", "en"):
        raise GovnetError(f"--lang {lang!r} is not a language govnet speaks", code="CFG-003", hint="use vi or en")
    settings = settings_from(config, inventory)
    paths = Paths.of(settings, lab)
    journal = PlayJournal(paths.state_dir)
    try:
        if history:
            _history(journal, format)
            return
        if resume is not None and file is None:
            row = journal.run(resume)
            if row is None:
                raise GovnetError(f"no playbook run {resume!r} in the journal", code="PLY-002",
                                  hint="see 'govnet play --history' for the run ids")
            file = Path(row["path"])
        if file is None:
            raise GovnetError("which playbook? give its file", code="CFG-003", hint="e.g. govnet play playbooks/audit.yaml")
        loaded = load(file)                                    # the whole file is valid before anything runs
        pb = loaded.playbook
        result = inventory_from(settings)
        names = selection(result, list(filter or []) or pb.filter or None)
        cancel = threading.Event()

        def make_ctx(step_commit: bool) -> Any:
            ctx = stage_context(settings, result, lab=lab, commit=step_commit, lang=lang)
            ctx.cancel = cancel
            return ctx

        err = console(stderr=True)
        show = format is Format.table

        def on_step(i: int, step: Any, hosts: Any) -> None:
            if show:
                label = step.name or step.uses
                err.print(f"[bold]step {i + 1}/{len(pb.steps)}[/bold] {escape(step.key)}: {escape(label)} "
                          f"on {len(hosts)} host(s)", markup=True)

        def on_done(i: int, step: Any, summary: Any) -> None:
            if show:
                counts = ", ".join(f"{k} {v}" for k, v in summary.counts.items() if v)
                err.print(f"  → {escape(counts) or 'nothing to do'}" + (" [red](exit 1)[/red]" if summary.exit_code else ""),
                          markup=True)

        previous = signal.getsignal(signal.SIGINT)

        def stop(signum: int, frame: Any) -> None:
            if not cancel.is_set():
                cancel.set()
                err.print("[yellow]Ctrl-C: the current step finishes safely; no further step starts[/yellow]", markup=True)

        signal.signal(signal.SIGINT, stop)
        try:
            report = run_playbook(loaded, names, make_ctx, commit=commit, lab=lab, journal=journal, resume=resume,
                                  on_step=on_step, on_done=on_done, cancel=cancel)
        finally:
            signal.signal(signal.SIGINT, previous)
    finally:
        journal.close()
    out = _write_report(report, paths.reports_dir / "playbooks", lang)
    if format is Format.json:
        emit_json({**report.model_dump(mode="json"), "report": str(out), "exit_code": report.exit_code})
    else:
        _show(report, out)
    raise typer.Exit(report.exit_code)


def _history(journal: Any, format: Format) -> None:
    rows = journal.history()
    cols = ["run", "playbook", "started", "finished", "mode", "commit", "lab", "status"]
    if format is Format.json:
        emit_json([dict(zip(cols, r)) for r in rows])
    else:
        table("playbook runs", cols, [[str(v) for v in r] for r in rows])


def _show(report: Any, out: Path) -> None:
    rows = [[str(s.index + 1), s.id, s.uses, "yes" if s.ran else "no",
             ", ".join(f"{k} {v}" for k, v in s.counts.items() if v)] for s in report.steps]
    table(f"{report.playbook} — run {report.run_id} ({report.mode}{', commit' if report.commit else ', dry run'})",
          ["#", "step", "stage", "ran", "hosts"], rows)
    if report.stopped_at is not None:
        console(stderr=True).print(f"[red]stopped at step {report.stopped_at + 1}; later steps not attempted "
                                   f"(resume: govnet play --resume {report.run_id})[/red]", markup=True)
    console(stderr=True).print(f"report: {out}")


_WORDS = {
    "vi": {"title": "Kết quả chạy kịch bản", "step": "Bước", "stage": "Chức năng", "hosts": "Thiết bị",
           "ran": "Đã chạy", "yes": "có", "no": "không", "stopped": "Dừng ở bước", "mode": "Chế độ",
           "check": "kiểm tra (không thay đổi thiết bị)", "apply": "áp dụng", "dry": "chạy thử", "commit": "thay đổi thật",
           "files": "Tệp"},
    "en": {"title": "Playbook run", "step": "Step", "stage": "Stage", "hosts": "Hosts", "ran": "Ran", "yes": "yes",
           "no": "no", "stopped": "Stopped at step", "mode": "Mode", "check": "check (never changes a device)",
           "apply": "apply", "dry": "dry run", "commit": "commit", "files": "Files"},
}


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def _write_report(report: Any, folder: Path, lang: str) -> Path:
    from nornir_tasks.fileio import write_if_changed

    w = _WORDS[lang]
    lines = [f"# {w['title']}: {_md(report.playbook)}", "",
             f"- run: `{report.run_id}`" + (f" (resumed from `{report.resumed_from}`)" if report.resumed_from else ""),
             f"- {w['mode']}: {w[report.mode]}, {w['commit'] if report.commit else w['dry']}",
             f"- {report.started.isoformat(timespec='seconds')} → {report.finished.isoformat(timespec='seconds')}", ""]
    if report.stopped_at is not None:
        lines += [f"**{w['stopped']} {report.stopped_at + 1}**", ""]
    lines += [f"| # | {w['step']} | {w['stage']} | {w['ran']} | {w['hosts']} | {w['files']} |",
              "|---|---|---|---|---|---|"]
    for s in report.steps:
        counts = ", ".join(f"{k} {v}" for k, v in s.counts.items() if v)
        files = "<br>".join(_md(f) for f in s.files[:5])
        lines.append(f"| {s.index + 1} | {_md(s.id)} | {_md(s.uses)} | {w['yes'] if s.ran else w['no']} | "
                     f"{_md(counts)} | {files} |")
    lines.append("")
    md = folder / f"{report.run_id}.md"
    write_if_changed(md, "\n".join(lines) + "\n")
    write_if_changed(folder / f"{report.run_id}.json", report.model_dump_json(indent=2) + "\n")
    return md
