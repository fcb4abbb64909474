"""The deploy stage: waves, the stop rule, Ctrl-C, resume, the lock, the report.

``DeployStage(options).run(ctx, selection) -> StageReport[DeployResult]``. The stage itself never imports
nornir: each wave is handed to a *wave runner* (by default :func:`nornir_tasks.tasks.deploy.run_wave` over
``ctx.nornir(hosts)``), so the orchestration is testable without devices.

Outcomes per device: ``changed`` (pushed, verified, confirmed), ``unchanged`` (nothing to do), ``would_change``
(dry run), ``reverted`` (pushed, failed verification, taken back — proven equal to the pre-change backup),
``failed`` (unreachable, refused, locked, or the revert could not be proven), ``refused`` (no revert mechanism),
``not_attempted`` (the run stopped first). Exit code 1 when any device failed, was reverted, refused or not
attempted.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

from nornir_tasks.deploy.device import DeployResult, DeviceJob, failed_result
from nornir_tasks.deploy.journal import DONE, Journal, new_run_id
from nornir_tasks.deploy.plan import Amount, Wave, plan_waves, too_many_failures
from nornir_tasks.deploy.revert import revert_kind
from nornir_tasks.deploy.verify import lldp_peers
from nornir_tasks.errors import DeployError
from nornir_tasks.fileio import write_if_changed
from nornir_tasks.platforms import LAB_PLATFORM
from nornir_tasks.platforms import get as get_platform
from nornir_tasks.stage import HostOutcome, HostStatus, StageContext, StageReport

logger = logging.getLogger(__name__)

#: Outcome → the stage contract's status.
STATUS: dict[str, HostStatus] = {
    "changed": HostStatus.CHANGED, "would_change": HostStatus.CHANGED, "unchanged": HostStatus.OK,
    "reverted": HostStatus.FAILED, "failed": HostStatus.FAILED, "refused": HostStatus.FAILED,
    "not_attempted": HostStatus.NOT_ATTEMPTED,
}
#: Outcomes that count towards ``--max-failures``.
FAILURES = frozenset({"failed", "reverted"})


class DeployOptions(BaseModel):
    """The options of one run (stored in the journal, so ``--resume`` continues with the same ones)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    canary: int = 0
    wave_size: str | None = None
    max_failures: str | None = None
    pause_between: float = 0.0
    confirm_each_wave: bool = False
    allow_no_revert: bool = False
    by_province: bool = True
    revert_in: int = 120
    verify_timeout: float = 60.0
    verify_hold: float = 5.0
    resume: str | None = None

    def amounts(self) -> tuple[Amount | None, Amount | None]:
        ws = Amount.parse(self.wave_size, "--wave-size") if self.wave_size else None
        mf = Amount.parse(self.max_failures, "--max-failures") if self.max_failures else None
        return ws, mf


class WaveEvent(BaseModel):
    """What the stage tells its caller about a wave (for progress output and the confirm gate)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    wave: Wave
    total_waves: int
    results: tuple[DeployResult, ...] = ()


WaveRunner = Callable[[StageContext, Sequence[str], Mapping[str, DeviceJob], dict[str, Any]], dict[str, DeployResult]]


def _nornir_wave(ctx: StageContext, hosts: Sequence[str], jobs: Mapping[str, DeviceJob],
                 env: dict[str, Any]) -> dict[str, DeployResult]:
    from nornir_tasks.tasks.deploy import run_wave

    if ctx.nornir is None:
        raise DeployError("the deploy stage needs a Nornir factory (ctx.nornir)", code="CFG-003")
    return run_wave(ctx.nornir(list(hosts)), jobs, **env)


class DeployStage:
    """``govnet deploy`` as a stage (see the module docstring)."""

    name: ClassVar[str] = "deploy"

    def __init__(self, options: DeployOptions | None = None, *, wave_runner: WaveRunner | None = None,
                 on_wave_start: Callable[[WaveEvent], bool] | None = None,   # False: stop (--confirm-each-wave)
                 on_wave_end: Callable[[WaveEvent], None] | None = None,
                 on_device: Callable[[DeployResult], None] | None = None) -> None:
        self.options = options or DeployOptions()
        self.wave_runner = wave_runner or _nornir_wave
        self.on_wave_start = on_wave_start
        self.on_wave_end = on_wave_end
        self.on_device = on_device

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> DeployStage:
        """The stage for a playbook step's ``with:`` (the options of ``govnet deploy``, by the same names)."""
        opts = DeployOptions.model_validate(dict(options))
        opts.amounts()                              # a bad N|P% is refused before anything runs
        return cls(opts)

    # ---------------------------------------------------------------------------------------------------
    def run(self, ctx: StageContext, selection: Sequence[str]) -> StageReport[DeployResult]:
        paths = ctx.paths
        journal = Journal(paths.state_dir)
        try:
            return self._run(ctx, list(selection), journal)
        finally:
            journal.close()

    def _run(self, ctx: StageContext, selection: list[str], journal: Journal) -> StageReport[DeployResult]:
        opts = self.options
        carried: dict[str, DeployResult] = {}
        if opts.resume:
            resume = opts.resume
            prior = journal.require_run(resume)
            if prior.lab != ctx.lab or prior.commit != ctx.commit:
                raise DeployError(f"run {opts.resume} was {'a lab' if prior.lab else 'a production'} "
                                  f"{'commit' if prior.commit else 'dry'} run; resume it the same way",
                                  code="DPL-008", hint="repeat the --lab / --commit options of that run")
            opts = DeployOptions.model_validate({**prior.options, "resume": opts.resume})
            selection = list(prior.selection)
            done = journal.outcomes(journal.chain(resume))
            for host, outcome in done.items():
                if outcome in DONE and host in selection:
                    carried[host] = DeployResult(host=host, platform=ctx.inventory.devices[host].platform,
                                                 outcome=outcome,   # type: ignore[arg-type]
                                                 error=f"{host}: {outcome} in an earlier run of this deploy")
        wave_size, max_failures = opts.amounts()
        run_id = new_run_id()
        stored = opts.model_dump(exclude={"resume"})
        journal.start_run(run_id, commit=ctx.commit, lab=ctx.lab, selection=selection, options=stored,
                          resumed_from=opts.resume)
        results: dict[str, DeployResult] = dict(carried)
        messages: list[str] = []
        status = "finished"
        locked: list[str] = []
        try:
            todo = [h for h in selection if h not in carried]
            todo = self._prepare(ctx, opts, todo, results, journal, run_id)
            if ctx.commit and todo:
                got = journal.acquire(run_id, todo)
                locked = list(got.acquired)
                for host, holder in got.refused.items():
                    msg = f"{host}: locked by deploy run {holder}, which is still running; not touched"
                    results[host] = failed_result(host, ctx.inventory.devices[host].platform, "DPL-003", msg)
                    journal.step(run_id, host, "done", "end", outcome="failed", detail=msg)
                for host, holder in got.taken_over.items():
                    messages.append(f"{host}: took over the lock of run {holder}, whose process is gone")
                todo = [h for h in todo if h in set(got.acquired)]
            waves = plan_waves(ctx.inventory, todo, canary=opts.canary, wave_size=wave_size,
                               by_province=opts.by_province)
            status = self._waves(ctx, waves, opts, max_failures, len(selection), results, journal, run_id, messages)
        except BaseException:
            status = "interrupted"
            raise
        finally:
            for host in selection:
                if host not in results:
                    why = "the run was stopped" if status != "finished" else "not run"
                    results[host] = failed_result(host, ctx.inventory.devices[host].platform, "DPL-010",
                                                  f"{host}: not attempted: {why}", outcome="not_attempted")
                    journal.step(run_id, host, "done", "end", outcome="not_attempted", detail=results[host].error or "")
            journal.finish_run(run_id, status)   # type: ignore[arg-type]
            if locked:
                journal.release(run_id)
        outcomes = tuple(HostOutcome[DeployResult](host=h, status=STATUS[results[h].outcome], result=results[h],
                                                   code=results[h].code, error=results[h].error)
                         for h in selection)
        report = StageReport[DeployResult](stage=self.name, run_id=run_id, dry_run=not ctx.commit,
                                           finished=datetime.now(UTC), outcomes=outcomes,
                                           problems=sum(1 for r in results.values() if r.outcome in FAILURES),
                                           messages=tuple(messages))
        path = write_report(Path(ctx.paths.reports_dir) / "deploy", report, status)
        return report.model_copy(update={"files": (str(path),)})

    def _prepare(self, ctx: StageContext, opts: DeployOptions, todo: list[str], results: dict[str, DeployResult],
                 journal: Journal, run_id: str) -> list[str]:
        """Intended configs and jobs; hosts without an intended config fail here (CMP-004)."""
        from nornir_tasks.compliance.sources import read_intended

        intended, problems = read_intended(ctx.settings, ctx.inventory, todo, lab=ctx.lab)
        self._jobs: dict[str, DeviceJob] = {}
        for host in todo:
            platform = LAB_PLATFORM if ctx.lab else ctx.inventory.devices[host].platform
            if host not in intended:
                msg = problems.get(host, f"{host}: no intended config")
                results[host] = failed_result(host, platform, "CMP-004", msg)
                journal.step(run_id, host, "done", "end", outcome="failed", detail=msg)
                continue
            self._jobs[host] = DeviceJob(
                host=host, platform=platform, intended=intended[host], commit=ctx.commit,
                revert=revert_kind(platform), revert_needs=get_platform(platform).revert_needs_line,
                allow_no_revert=opts.allow_no_revert, revert_in=opts.revert_in,
                verify_timeout=opts.verify_timeout, verify_hold=opts.verify_hold,
                lldp_peers=tuple(lldp_peers(ctx.inventory, host)))
        return [h for h in todo if h in self._jobs]

    def _waves(self, ctx: StageContext, waves: Sequence[Wave], opts: DeployOptions, max_failures: Amount | None,
               total: int, results: dict[str, DeployResult], journal: Journal, run_id: str,
               messages: list[str]) -> str:
        env = self._env(ctx, journal, run_id)
        failures = sum(1 for r in results.values() if r.outcome in FAILURES)
        for i, wave in enumerate(waves):
            event = WaveEvent(wave=wave, total_waves=len(waves))
            if ctx.cancel.is_set():
                messages.append("stopped by the operator (Ctrl-C): no new device was started")
                return "interrupted"
            go = self.on_wave_start(event) if self.on_wave_start is not None else True
            if opts.confirm_each_wave and i > 0 and not go:
                messages.append(f"stopped before wave {wave.index + 1}: the operator did not confirm it")
                return "stopped"
            jobs = {h: self._jobs[h] for h in wave.hosts}
            done = self.wave_runner(ctx, wave.hosts, jobs, env)
            results.update(done)
            failures += sum(1 for h in wave.hosts if done[h].outcome in FAILURES)
            if self.on_wave_end is not None:
                self.on_wave_end(event.model_copy(update={"results": tuple(done[h] for h in wave.hosts)}))
            if ctx.cancel.is_set():
                messages.append("stopped by the operator (Ctrl-C): devices in flight finished, no new one started")
                return "interrupted"
            if too_many_failures(failures, max_failures, total):
                messages.append(f"stopped after wave {wave.index + 1}: {failures} device(s) failed, more than "
                                f"--max-failures {opts.max_failures} allows")
                return "stopped"
            if opts.pause_between > 0 and i + 1 < len(waves):
                if ctx.cancel.wait(opts.pause_between):
                    messages.append("stopped by the operator (Ctrl-C) during the pause between waves")
                    return "interrupted"
        return "finished"

    def _env(self, ctx: StageContext, journal: Journal, run_id: str) -> dict[str, Any]:
        """What the default wave runner needs (host keys, timeouts, secrets to keep out of files)."""
        from nornir_tasks.devices import KnownHosts, SecretValues

        settings = ctx.settings
        secrets = SecretValues([settings.credential("password"), settings.credential("enable_secret")])
        return {"journal": journal, "run_id": run_id, "known": KnownHosts(Path(ctx.paths.known_hosts)),
                "timeout": settings.connect_timeout, "backup_dir": Path(ctx.paths.state_dir) / "deploy" / run_id,
                "known_secrets": secrets, "cancel": ctx.cancel, "on_done": self.on_device}


def write_report(folder: Path, report: StageReport[DeployResult], status: str) -> Path:
    """``<reports>/deploy/<run id>.json``: the whole report (masked diffs, checks, outcomes). Returns the path."""
    data = {"run_id": report.run_id, "status": status, "dry_run": report.dry_run, "summary": summary(report),
            "messages": list(report.messages),
            "hosts": [o.result.model_dump(mode="json") if o.result else {"host": o.host, "outcome": o.status.value}
                      for o in report.outcomes]}
    path = folder / f"{report.run_id}.json"
    write_if_changed(path, json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
    return path


def summary(report: StageReport[DeployResult]) -> dict[str, int]:
    """Devices per outcome (the final table's counts).

    Examples:
        >>> r = StageReport[DeployResult](stage="deploy", outcomes=(HostOutcome[DeployResult](host="a",
        ...     status="changed", result=DeployResult(host="a", platform="frr", outcome="changed")),))
        >>> summary(r)["changed"], summary(r)["reverted"]
        (1, 0)
    """
    out = {k: 0 for k in ("changed", "would_change", "unchanged", "reverted", "failed", "refused", "not_attempted")}
    for o in report.outcomes:
        key = o.result.outcome if o.result is not None else o.status.value
        out[key] = out.get(key, 0) + 1
    return out


__all__ = ["DeployOptions", "DeployStage", "WaveEvent", "summary", "write_report"]
