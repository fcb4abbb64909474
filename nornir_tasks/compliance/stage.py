"""The compliance stages: ``compliance`` (running configs from the backup store) and ``compliance.import``
(configs collected by hand). Both end the same way: the run is stored as a snapshot, the reports (JSON, CSV,
Markdown, HTML) and the remediation/rollback configs of non-compliant devices are written, and one typed
outcome per device is returned (non-compliant and unreachable devices count as problems: exit 1).

Pure core: no nornir import; the CLI and playbooks wrap these classes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from nornir_tasks.compliance.run import ComplianceRun, DeviceResult, DeviceState, Only, RunningConfig, Unreachable
from nornir_tasks.errors import GovnetError
from nornir_tasks.stage import HostOutcome, HostStatus, StageContext, StageReport

#: Device states that make a run "not all good" (exit 1).
PROBLEM_STATES = frozenset({DeviceState.NON_COMPLIANT, DeviceState.UNREACHABLE})


class ComplianceReport(StageReport[DeviceResult]):
    """The compliance stage's report: one :class:`DeviceResult` per device, the whole run, the report files."""

    run: ComplianceRun
    reports: tuple[str, ...] = ()
    remediation_dir: str | None = None


def device_outcome(d: DeviceResult) -> HostOutcome[DeviceResult]:
    """A device's result as the stage contract's host outcome: a device that could not be reached failed; every
    other state (compliant or not) is ``ok`` with the verdict in the payload.

    Examples:
        >>> from nornir_tasks.compliance.run import DeviceResult
        >>> d = DeviceResult(name="r1", site="s", site_name="S", province="12", region="TDMNPB", level="commune",
        ...                  role="ce_router", platform="frr", state="unreachable", reason="could not be reached: x")
        >>> o = device_outcome(d)
        >>> o.status.value, o.error
        ('failed', 'r1: could not be reached: x')
    """
    if d.state is DeviceState.UNREACHABLE:
        return HostOutcome[DeviceResult](host=d.name, status=HostStatus.FAILED, result=d, code="DEV-001",
                                         error=f"{d.name}: {d.reason}")
    return HostOutcome[DeviceResult](host=d.name, status=HostStatus.OK, result=d)


def finish(ctx: StageContext, stage: str, run: ComplianceRun, *, source: str, store: bool, out: Path | None,
           started: datetime, force: bool = False) -> ComplianceReport:
    """Store the run, write the reports and the remediations, and build the stage report."""
    from nornir_tasks.compliance.remediation import write_remediations
    from nornir_tasks.compliance.store import save_run
    from nornir_tasks.paths import prepare_output
    from nornir_tasks.reports.compliance_csv import write_csv
    from nornir_tasks.reports.compliance_html import write_html
    from nornir_tasks.reports.compliance_json import write_json
    from nornir_tasks.reports.compliance_markdown import write_markdown
    from nornir_tasks.store import connect

    paths = ctx.paths                             # a --lab rehearsal writes only the lab's own files
    own = out is None or out.resolve() == paths.compliance_reports_dir.resolve()
    out_dir = prepare_output(out or paths.compliance_reports_dir, "compliance", paths=paths, own=own, force=force)
    if store:      # the store first: reports never describe a run the store does not hold (e.g. on a full disk)
        save_run(connect(paths.state_dir), run, source=source)
    written = [write_json(run, out_dir), *write_csv(run, out_dir), write_markdown(run, out_dir),
               write_html(run, out_dir)]
    changed: list[Path] = []
    if run.only != "inventory":
        done = [d.name for d in run.devices if d.state is not DeviceState.NON_COMPLIANT]
        changed = write_remediations(paths.remediation_dir.parent, run.remediations, compliant=done)
    problems = sum(1 for d in run.devices if d.state is DeviceState.NON_COMPLIANT)
    return ComplianceReport(
        stage=stage, run_id=run.run_id, dry_run=True, started=started, finished=datetime.now(UTC),
        outcomes=tuple(device_outcome(d) for d in run.devices), problems=problems,
        files=tuple(str(p) for p in (*written, *changed)), run=run, reports=tuple(str(p) for p in written),
        remediation_dir=str(paths.remediation_dir) if run.remediations else None)


class ComplianceStage(BaseModel):
    """Check the selection. Options: ``only`` (all, config, inventory), ``out`` (reports folder), ``store``
    (keep the run as a snapshot). The date that judges grace periods, waivers and backup age is ``ctx.today``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: ClassVar[str] = "compliance"

    only: Only = "all"
    out: Path | None = None
    store: bool = True
    #: write into a non-empty ``out`` folder that is not this stage's own output
    force: bool = False

    def run(self, ctx: StageContext, selection: Sequence[str]) -> ComplianceReport:
        """Read running configs (the backup store) and intended configs (the render stage), check, write."""
        from nornir_tasks.compliance.run import run_compliance
        from nornir_tasks.compliance.sources import read_intended, read_running

        started = datetime.now(UTC)
        names = list(selection)
        today: date = ctx.today or date.today()
        running: Mapping[str, RunningConfig | Unreachable] = {}
        intended: dict[str, str] = {}
        problems: dict[str, str] = {}
        if self.only != "inventory":
            running = read_running(ctx.settings, names, lab=ctx.lab)
            intended, problems = read_intended(ctx.settings, ctx.inventory, names, lab=ctx.lab)
        run = run_compliance(ctx.settings, ctx.inventory, names, running, intended, today, only=self.only,
                             platform="frr" if ctx.lab else None, problems=problems, workers=ctx.jobs or 1)
        return finish(ctx, self.name, run, source="lab" if ctx.lab else "backup", store=self.store, out=self.out,
                      started=started, force=self.force)


class ComplianceImportStage(BaseModel):
    """Check configs collected by hand (a folder or .zip, one file per host); results are marked reported
    offline. The selection narrows the bundle's hosts; an empty result is a usage error (CFG-003)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: ClassVar[str] = "compliance.import"

    bundle: Path
    out: Path | None = None
    store: bool = True
    #: ``selection`` narrows the bundle only when it was chosen explicitly (a --filter); else every bundle host
    narrow: bool = True
    force: bool = False

    def run(self, ctx: StageContext, selection: Sequence[str]) -> ComplianceReport:
        """Load the bundle, check its hosts against their intended configs, write."""
        from nornir_tasks.compliance.import_bundle import load_bundle
        from nornir_tasks.compliance.run import run_compliance
        from nornir_tasks.compliance.sources import read_intended

        started = datetime.now(UTC)
        today: date = ctx.today or date.today()
        got = load_bundle(self.bundle, ctx.inventory)
        chosen = set(selection) if self.narrow else set(got.running)
        names = [n for n in ctx.inventory.devices if n in got.running and n in chosen]
        if not names:
            raise GovnetError(f"{self.bundle}: no device of the bundle matches the selection", code="CFG-003",
                              hint="check --filter")
        intended, problems = read_intended(ctx.settings, ctx.inventory, names)
        run = run_compliance(ctx.settings, ctx.inventory, names, got.running, intended, today, only="config",
                             problems=problems, workers=ctx.jobs or 1)
        report = finish(ctx, self.name, run, source="offline", store=self.store, out=self.out, started=started,
                        force=self.force)
        return report.model_copy(update={"messages": tuple(f"skipped {s}" for s in got.skipped)})
