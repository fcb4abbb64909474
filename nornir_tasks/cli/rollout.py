"""``govnet rollout status | report | metrics``: the upgrade plans against their targets.

``status`` exits 1 when a measured target is Behind or Missed (a script or a playbook can act on it), 0 otherwise;
``report`` writes its files and exits 0 whatever the progress; both exit 2 on a bad plan, a bad date or a bad
inventory. The work happens in :mod:`nornir_tasks.rollout` and :mod:`nornir_tasks.reports`.
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
    ForceOpt,
    Format,
    FormatOpt,
    InventoryOpt,
    console,
    emit_json,
    parse_as_of,
    table,
)
from nornir_tasks.cli.context import inventory_from, settings_from, stage_context
from nornir_tasks.errors import GovnetError
from nornir_tasks.rollout.i18n import fmt_pct, fmt_value, label, status_label
from nornir_tasks.rollout.plans import PlanSet, plans_or_raise
from nornir_tasks.rollout.scoring import RolloutResult
from nornir_tasks.settings import Settings

app = typer.Typer(help="Track the upgrade plans against their targets.", no_args_is_help=True)


class By(str, Enum):
    province = "province"
    region = "region"
    level = "level"


class Lang(str, Enum):
    vi = "vi"
    en = "en"


PlanOpt = Annotated[str | None, typer.Option("--plan", help="Only this plan (its id).")]
AsOfOpt = Annotated[str | None, typer.Option("--as-of", help="Date to measure against (YYYY-MM-DD; default today).")]
PlansDirOpt = Annotated[Path | None, typer.Option("--plans", help="Plans folder (default: plans_dir from config.yaml).")]
HistoryOpt = Annotated[bool, typer.Option("--history/--no-history", help="Add trend points derived from the inventory's dated history (month ends; marked derived).")]


def _as_of(text: str | None) -> date:
    return parse_as_of(text)


def _load(config: Path, inventory: Path | None, plans_dir: Path | None) -> tuple[Settings, PlanSet]:
    settings = settings_from(config, inventory)
    folder = plans_dir if plans_dir is not None else settings.resolve(settings.plans_dir)
    return settings, plans_or_raise(folder)


def _run(config: Path, inventory: Path | None, plans_dir: Path | None, plan: str | None, as_of: str | None,
         record: bool, with_sites: bool = True, backfill: bool = True) -> tuple[Settings, RolloutResult]:
    from nornir_tasks.rollout.stage import RolloutStatusStage

    day = _as_of(as_of)
    settings, plans = _load(config, inventory, plans_dir)   # a bad plan is reported before the inventory loads
    if plan is not None:
        plans.get(plan)
    result = inventory_from(settings, today=max(day, date.today()))   # validated as it is now; measured as of day
    stage = RolloutStatusStage(plans=plans_dir, plan=plan, record=record, with_sites=with_sites, backfill=backfill)
    return settings, stage.run(stage_context(settings, result, today=day)).result


def _forecast(t) -> str:  # type: ignore[no-untyped-def]
    fc = t.forecast
    if fc is None:
        return ""
    if fc.state == "forecast":
        return f"{fc.date} ({'on time' if fc.on_time else 'late'}, {fc.points} points)"
    return {"met": "already met", "not_enough_data": "not enough data", "no_progress": "no progress"}[fc.state] + (
        f" ({fc.points} point{'s' if fc.points != 1 else ''})")


@app.command()
def status(
    config: ConfigOpt = Path("config.yaml"),
    inventory: InventoryOpt = None,
    plans: PlansDirOpt = None,
    plan: PlanOpt = None,
    as_of: AsOfOpt = None,
    by: Annotated[By | None, typer.Option("--by", help="Also show every target per province, region or level.")] = None,
    record: Annotated[bool, typer.Option("--record", help="Store this measurement as a snapshot (for trend and forecast).")] = False,
    lagging: Annotated[int, typer.Option("--lagging", help="Lagging sites shown per target in the table (0 = none).")] = 10,
    history: HistoryOpt = True,
    format: FormatOpt = Format.table,
) -> None:
    """Progress of every target: numerator / denominator, share, expected share, status, lagging sites, forecast."""
    _, result = _run(config, inventory, plans, plan, as_of, record, with_sites=False, backfill=history)
    from nornir_tasks.rollout.stage import lagging_targets

    behind = lagging_targets(result)
    if format is Format.json:
        sys.stdout.write(result.model_dump_json(indent=2, exclude={"sites"}) + "\n")
        raise typer.Exit(1 if behind else 0)
    rows = []
    for p in result.plans:
        for t in p.targets:
            frac = f"{t.numerator}/{t.denominator}" if t.numerator is not None else "—"
            tags = (" [illustrative]" if t.illustrative else "") + (" [reported only]" if t.reported_only else "")
            reported = "; ".join(
                f"{fmt_pct(r.share) if r.share is not None else r.numerator} on {r.as_of}" for r in t.reported)
            trend = " → ".join(f"{fmt_value(p.value, t.threshold_kind)} ({p.as_of}{'*' if p.derived else ''})"
                               for p in t.trend[-3:]
                               ) if len(t.trend) > 1 else ""
            rows.append([t.key + tags, frac, fmt_value(t.actual, t.threshold_kind),
                         fmt_value(t.expected, t.threshold_kind), fmt_value(t.threshold, t.threshold_kind),
                         t.deadline.isoformat(), status_label(t.status.value), trend, _forecast(t), reported])
    table(f"Rollout as of {result.as_of}", ["target", "n/N", "actual", "expected", "threshold", "deadline", "status",
                                            "trend (last 3; * derived from history)", "forecast",
                                            "reported by operator"], rows)
    out = console()
    for p in result.plans:
        for t in p.targets:
            if by is not None and not t.reported_only:
                table(f"{t.key} by {by.value}", [by.value, "name", "n/N", "share", "status"],
                      [[g.key, g.label, f"{g.numerator}/{g.denominator}", fmt_pct(g.share),
                        status_label(g.status and g.status.value)] for g in t.groups[by.value]])
            if lagging and t.lagging:
                shown = t.lagging[:lagging]
                table(f"{t.key}: {len(t.lagging)} lagging site(s)", ["site", "name", "province", "criterion failed"],
                      [[s.site, s.name, s.province, label(s.reason, "en", **s.reason_args)] for s in shown])
                if len(t.lagging) > len(shown):
                    out.print(f"  … and {len(t.lagging) - len(shown)} more (--lagging N, --format json or "
                              "'govnet rollout report')")
    for finding in result.warnings:
        console(stderr=True).print(f"warning {finding.sentence()}", markup=False)
    for p in result.plans:
        for t in p.targets:
            for note in t.warnings:
                if note != "warn_empty_scope":
                    console(stderr=True).print(f"note {t.key}: {label(note, 'en')}", markup=False)
    if record:
        back = " (back-dated: the snapshot keeps the moment it was taken)" if result.as_of < date.today() else ""
        console(stderr=True).print(f"recorded a snapshot for {result.as_of}{back}")
    if behind:
        console(stderr=True).print(f"{len(behind)} target(s) behind plan or missed: {', '.join(behind)} (exit 1)")
        raise typer.Exit(1)


@app.command()
def report(
    config: ConfigOpt = Path("config.yaml"),
    inventory: InventoryOpt = None,
    plans: PlansDirOpt = None,
    plan: PlanOpt = None,
    as_of: AsOfOpt = None,
    lang: Annotated[Lang, typer.Option("--lang", help="Language of every label: vi or en.")] = Lang.vi,
    out: Annotated[Path | None, typer.Option("--out", help="Folder for dashboard.html, rollout.xlsx, rollout.csv, rollout.json (default reports/rollout).")] = None,
    history: HistoryOpt = True,
    force: ForceOpt = False,
) -> None:
    """Write the offline HTML dashboard, the Excel workbook, CSV and JSON of the same numbers."""
    from nornir_tasks.rollout.stage import RolloutReportStage

    day = _as_of(as_of)
    settings, plan_set = _load(config, inventory, plans)   # a bad plan is reported before the inventory loads
    if plan is not None:
        plan_set.get(plan)
    result = inventory_from(settings, today=max(day, date.today()))   # validated as it is now; measured as of day
    stage = RolloutReportStage(plans=plans, plan=plan, lang=lang.value, out=out, backfill=history, force=force)
    done = stage.run(stage_context(settings, result, today=day))
    console().print(f"wrote {', '.join(done.written.values())}")


@app.command()
def metrics(format: FormatOpt = Format.table) -> None:
    """The named metrics a target can use, with their parameters."""
    from nornir_tasks.rollout.metrics import METRICS

    rows = [[m.name, ", ".join(f"{k}: {getattr(f.annotation, '__name__', str(f.annotation))}"
                               for k, f in m.params.model_fields.items()) or "—", m.summary]
            for m in METRICS.values()]
    if format is Format.json:
        emit_json([{"name": r[0], "params": r[1], "summary": r[2]} for r in rows])
        return
    table("metrics", ["name", "params", "what it measures"], rows)

