"""The rollout stages: ``rollout.status`` (score the plans, optionally record a snapshot) and ``rollout.report``
(write the dashboard, workbook, CSV and JSON). Neither is per device: the report carries the scored plans and has
no host outcomes; both exit 0 whatever the progress (they are reports). No nornir, no printing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict

from nornir_tasks.rollout.plans import PlanSet, plans_or_raise
from nornir_tasks.rollout.scoring import RolloutResult
from nornir_tasks.stage import StageContext, StageReport


class RolloutReport(StageReport[str]):
    """The scored plans (and, for ``rollout.report``, the files written by kind)."""

    result: RolloutResult
    written: dict[str, str] = {}


class RolloutStatusStage(BaseModel):
    """Score the plans on the inventory at ``ctx.today``. Options: ``plans`` (folder; default ``plans_dir``),
    ``plan`` (one plan id), ``record`` (store a snapshot), ``with_sites`` (the per-site table reports need)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: ClassVar[str] = "rollout.status"

    plans: Path | None = None
    plan: str | None = None
    record: bool = False
    with_sites: bool = True
    #: add trend points derived from the inventory's dated history
    backfill: bool = True

    def load_plans(self, ctx: StageContext) -> PlanSet:
        """The plan set (RLT-001 on a bad plan file, RLT-003 on an unknown ``plan``)."""
        folder = self.plans if self.plans is not None else ctx.settings.resolve(ctx.settings.plans_dir)
        plans = plans_or_raise(folder)
        if self.plan is not None:
            plans.get(self.plan)
        return plans

    def run(self, ctx: StageContext, selection: Sequence[str] = ()) -> RolloutReport:
        """Score (the selection is not used: plans say their own scope)."""
        from nornir_tasks.rollout.service import rollout_status

        started = datetime.now(UTC)
        day: date = ctx.today or date.today()
        result = rollout_status(ctx.inventory, self.load_plans(ctx), as_of=day, state_dir=ctx.paths.state_dir,
                                plan_id=self.plan, record=self.record, with_sites=self.with_sites,
                                backfill=self.backfill)
        return RolloutReport(stage=self.name, dry_run=not self.record, started=started, finished=datetime.now(UTC),
                             result=result, problems=len(lagging_targets(result)))


def lagging_targets(result: RolloutResult) -> list[str]:
    """Keys of the measured targets that are Behind or Missed (what makes ``rollout status`` exit 1)."""
    from nornir_tasks.rollout.scoring import Status

    return [t.key for p in result.plans for t in p.targets
            if not t.reported_only and t.status in (Status.BEHIND, Status.MISSED)]


class RolloutReportStage(BaseModel):
    """Write ``dashboard.html`` (offline), ``rollout.xlsx``, ``rollout.csv`` and ``rollout.json``. Options:
    ``plans``, ``plan``, ``lang`` (vi or en), ``out`` (folder; default ``<reports>/rollout``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: ClassVar[str] = "rollout.report"

    plans: Path | None = None
    plan: str | None = None
    lang: Literal["vi", "en"] = "vi"
    out: Path | None = None
    backfill: bool = True
    #: write into a non-empty ``out`` folder that is not this stage's own output
    force: bool = False

    def status_stage(self) -> RolloutStatusStage:
        return RolloutStatusStage(plans=self.plans, plan=self.plan, backfill=self.backfill)

    def run(self, ctx: StageContext, selection: Sequence[str] = ()) -> RolloutReport:
        """Score, then write the files."""
        from nornir_tasks.reports.rollout_files import write_reports

        from nornir_tasks.paths import prepare_output

        scored = self.status_stage().run(ctx, selection)
        default = ctx.paths.rollout_reports_dir
        own = self.out is None or self.out.resolve() == default.resolve()
        folder = prepare_output(self.out if self.out is not None else default, "rollout report", paths=ctx.paths,
                                own=own, force=self.force)
        paths = write_reports(scored.result, folder, self.lang)
        written = {k: str(v) for k, v in paths.items()}
        return RolloutReport(stage=self.name, dry_run=False, started=scored.started, finished=datetime.now(UTC),
                             result=scored.result, written=written, files=tuple(written.values()))
