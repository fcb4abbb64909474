"""Running a playbook: steps in order, per-host ``when:``, the failure policy, a journal and ``--resume``.

- Each step runs its stage (:func:`nornir_tasks.stage.make_stage`) over the hosts still in play for which its
  ``when:`` holds; the others are ``skipped`` for that step (with the reason), never dropped.
- ``on_failure``: ``stop`` (default) ends the playbook after a step in which a host failed — later steps are
  ``not_attempted`` for every host; ``continue`` takes the failed hosts out of later steps (they are ``skipped``
  there) and goes on with the rest; ``ignore`` goes on with every host (an audit still reports an unreachable
  device as unreachable); ``rollback`` (deploy steps) is ``stop`` after the deploy has reverted its
  failed devices itself.
- Device-changing stages get ``commit`` only when the playbook says ``mode: apply`` *and* the command line says
  ``--commit``.
- Every step of every host is journaled in the store (``play_runs``, ``play_steps``) as it finishes; ``--resume
  RUN_ID`` re-runs only what is not done: a step whose hosts all finished is not run again, and a step runs again
  only for the hosts it did not finish (a deploy re-checks the device before it changes anything).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from nornir_tasks.deploy.journal import new_run_id as deploy_run_id
from nornir_tasks.deploy.journal import operator_name
from nornir_tasks.errors import GovnetError
from nornir_tasks.playbook import when as when_expr
from nornir_tasks.playbook.model import CHANGING, LoadedPlaybook, PlaybookError, Step, options_for
from nornir_tasks.stage import EXIT_FAILED, EXIT_OK, HostOutcome, HostStatus, StageContext, StageReport, make_stage
from nornir_tasks.store import connect, ensure_schema

_DDL = """
CREATE TABLE play_runs (
  run_id TEXT PRIMARY KEY, playbook TEXT NOT NULL, path TEXT NOT NULL, digest TEXT NOT NULL,
  operator TEXT NOT NULL, started TEXT NOT NULL, finished TEXT, mode TEXT NOT NULL, commit_ INTEGER NOT NULL,
  lab INTEGER NOT NULL, selection TEXT NOT NULL, status TEXT NOT NULL, resumed_from TEXT);
CREATE TABLE play_steps (
  run_id TEXT NOT NULL, step INTEGER NOT NULL, step_id TEXT NOT NULL, host TEXT NOT NULL, status TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT '', at TEXT NOT NULL, PRIMARY KEY (run_id, step, host));
"""
#: statuses after which a host is done with a step (a resumed run does not run that step for it again)
_DONE = {HostStatus.OK.value, HostStatus.CHANGED.value, HostStatus.SKIPPED.value}


class _M(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class StepSummary(_M):
    """What one step did."""

    index: int
    id: str
    uses: str
    ran: bool
    counts: dict[str, int]
    exit_code: int
    files: tuple[str, ...] = ()
    messages: tuple[str, ...] = ()
    failed_hosts: tuple[str, ...] = ()


class PlaybookReport(_M):
    """One run of a playbook: per step a summary, per host its status at every step."""

    run_id: str
    playbook: str
    path: str
    mode: str
    commit: bool
    lab: bool
    started: datetime
    finished: datetime
    stopped_at: int | None = None
    steps: tuple[StepSummary, ...]
    hosts: dict[str, dict[str, str]]
    resumed_from: str | None = None

    @property
    def exit_code(self) -> int:
        return EXIT_FAILED if self.stopped_at is not None or any(s.exit_code for s in self.steps) else EXIT_OK


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class PlayJournal:
    """The playbook journal in the embedded store (one row per run, one per step and host)."""

    def __init__(self, state_dir: Any) -> None:
        self.conn = connect(state_dir)
        ensure_schema(self.conn, "playbook", 1, _DDL)

    def close(self) -> None:
        self.conn.close()

    def start(self, run_id: str, loaded: LoadedPlaybook, commit: bool, lab: bool, selection: Sequence[str],
              resumed_from: str | None) -> None:
        with self.conn:
            self.conn.execute(
                "INSERT INTO play_runs VALUES (?,?,?,?,?,?,NULL,?,?,?,?,?,?)",
                (run_id, loaded.playbook.name, loaded.path, loaded.digest, operator_name(), _now(),
                 loaded.playbook.mode, int(commit), int(lab), json.dumps(list(selection)), "running", resumed_from))

    def record(self, run_id: str, index: int, step_id: str, outcomes: Sequence[HostOutcome[Any]]) -> None:
        with self.conn:
            self.conn.executemany(
                "INSERT OR REPLACE INTO play_steps VALUES (?,?,?,?,?,?,?)",
                [(run_id, index, step_id, o.host, o.status.value, (o.error or "")[:500], _now()) for o in outcomes])

    def finish(self, run_id: str, status: str) -> None:
        with self.conn:
            self.conn.execute("UPDATE play_runs SET finished = ?, status = ? WHERE run_id = ?", (_now(), status, run_id))

    def run(self, run_id: str) -> sqlite3.Row | None:
        self.conn.row_factory = sqlite3.Row
        row = self.conn.execute("SELECT * FROM play_runs WHERE run_id = ?", (run_id,)).fetchone()
        self.conn.row_factory = None
        return row  # type: ignore[no-any-return]

    def done(self, run_id: str) -> dict[int, dict[str, str]]:
        """step index → host → status, following a chain of resumed runs (the latest status wins)."""
        chain: list[str] = []
        rid: str | None = run_id
        while rid and rid not in chain:
            chain.append(rid)
            row = self.conn.execute("SELECT resumed_from FROM play_runs WHERE run_id = ?", (rid,)).fetchone()
            rid = row[0] if row else None
        out: dict[int, dict[str, str]] = {}
        for rid in reversed(chain):
            for step, host, status in self.conn.execute(
                    "SELECT step, host, status FROM play_steps WHERE run_id = ?", (rid,)):
                out.setdefault(step, {})[host] = status
        return out

    def history(self, limit: int = 20) -> list[tuple[Any, ...]]:
        return list(self.conn.execute(
            "SELECT run_id, playbook, started, finished, mode, commit_, lab, status FROM play_runs "
            "ORDER BY started DESC LIMIT ?", (limit,)))


def new_run_id() -> str:
    """A playbook run id: ``play-`` and the deploy journal's sortable, unique id."""
    return "play-" + deploy_run_id()


def _fields(outcome: HostOutcome[Any] | None) -> dict[str, Any]:
    """What a later ``when:`` sees of one host's outcome: status, changed, failed and the payload's fields."""
    if outcome is None:
        return {}
    out: dict[str, Any] = {"status": outcome.status.value, "changed": outcome.changed, "failed": outcome.failed,
                           "code": outcome.code}
    payload = outcome.result
    if isinstance(payload, BaseModel):
        for key, value in payload.model_dump(mode="json").items():
            if isinstance(value, (str, int, float, bool)) or value is None:
                out.setdefault(key, value)
    return out


StepHook = Callable[[int, Step, Sequence[str]], None]
DoneHook = Callable[[int, Step, StepSummary], None]


def run_playbook(loaded: LoadedPlaybook, selection: Sequence[str], make_ctx: Callable[[bool], StageContext],
                 *, commit: bool, lab: bool, journal: PlayJournal, resume: str | None = None,
                 on_step: StepHook | None = None, on_done: DoneHook | None = None,
                 cancel: Any = None) -> PlaybookReport:
    """Run every step of ``loaded`` over ``selection`` (see the module docstring for the rules).

    ``make_ctx(commit)`` builds the stage context for one step (device-changing steps get ``commit`` only in
    ``mode: apply`` with ``commit``). ``cancel`` (a ``threading.Event``) stops before the next step.
    """
    pb = loaded.playbook
    prior: dict[int, dict[str, str]] = {}
    if resume is not None:
        row = journal.run(resume)
        if row is None:
            raise PlaybookError(f"no playbook run {resume!r} in the journal", code="PLY-002",
                                hint="see 'govnet play history' for the run ids")
        if row["digest"] != loaded.digest:
            raise PlaybookError(f"{loaded.path} changed since run {resume} started", code="PLY-002",
                                hint="resume with the same playbook file, or start a new run")
        if bool(row["commit_"]) != commit or bool(row["lab"]) != lab:
            raise PlaybookError(f"run {resume} was a {'lab' if row['lab'] else 'production'} "
                                f"{'commit' if row['commit_'] else 'check'} run; resume it the same way",
                                code="PLY-002", hint="repeat the --lab / --commit options of that run")
        selection = json.loads(row["selection"])
        prior = journal.done(resume)
    run_id = new_run_id()
    journal.start(run_id, loaded, commit, lab, selection, resume)
    started = datetime.now(UTC)
    results: dict[str, dict[str, dict[str, Any]]] = {h: {} for h in selection}   # host → step key → fields
    status: dict[str, dict[str, str]] = {h: {} for h in selection}               # host → step key → status
    active = list(selection)
    summaries: list[StepSummary] = []
    stopped_at: int | None = None
    final = "finished"
    try:
        for i, step in enumerate(pb.steps):
            if cancel is not None and cancel.is_set():
                stopped_at, final = i, "interrupted"
                break
            report = _run_step(i, step, loaded, active, prior.get(i, {}), results, make_ctx, commit, on_step)
            journal.record(run_id, i, step.key, report.outcomes)
            by_host = report.by_host()
            for host in selection:
                o = by_host.get(host)
                if o is not None:
                    status[host][step.key] = o.status.value
                    results[host][step.key] = _fields(o)
                elif host not in active:
                    status[host][step.key] = HostStatus.SKIPPED.value
            failed = tuple(report.failed_hosts())
            summary = StepSummary(index=i, id=step.key, uses=step.uses, ran=True, counts=report.summary(),
                                  exit_code=report.exit_code, files=report.files, messages=report.messages,
                                  failed_hosts=failed)
            summaries.append(summary)
            if on_done is not None:
                on_done(i, step, summary)
            if failed and step.on_failure in ("stop", "rollback"):
                stopped_at, final = i, "stopped"
                break
            if failed and step.on_failure == "continue":
                active = [h for h in active if h not in failed]
    except KeyboardInterrupt:
        final = "interrupted"
        stopped_at = len(summaries)
        raise
    finally:
        journal.finish(run_id, final)
    if stopped_at is not None:
        for j, later in enumerate(pb.steps[stopped_at + 1:] if final == "stopped" else pb.steps[stopped_at:],
                                  start=stopped_at + 1 if final == "stopped" else stopped_at):
            summaries.append(StepSummary(index=j, id=later.key, uses=later.uses, ran=False,
                                         counts={HostStatus.NOT_ATTEMPTED.value: len(selection)}, exit_code=EXIT_FAILED))
            for host in selection:
                status[host][later.key] = HostStatus.NOT_ATTEMPTED.value
    return PlaybookReport(run_id=run_id, playbook=pb.name, path=loaded.path, mode=pb.mode, commit=commit, lab=lab,
                          started=started, finished=datetime.now(UTC), stopped_at=stopped_at, steps=tuple(summaries),
                          hosts=status, resumed_from=resume)


def _run_step(i: int, step: Step, loaded: LoadedPlaybook, active: Sequence[str], prior: Mapping[str, str],
              results: Mapping[str, Mapping[str, Mapping[str, Any]]], make_ctx: Callable[[bool], StageContext],
              commit: bool, on_step: StepHook | None) -> StageReport[Any]:
    pb = loaded.playbook
    tree = when_expr.parse(step.when, set(results[active[0]]) if active else set()) if step.when else None
    hosts: list[str] = []
    skipped: dict[str, HostOutcome[Any]] = {}
    for host in active:
        if prior.get(host) in _DONE:
            skipped[host] = HostOutcome[Any](host=host, status=HostStatus(prior[host]),
                                             error=f"{host}: done in the resumed run")
        elif tree is not None and not when_expr.evaluate(tree, results[host]):
            skipped[host] = HostOutcome[Any](host=host, status=HostStatus.SKIPPED,
                                             error=f"{host}: when: {step.when} is false")
        else:
            hosts.append(host)
    if on_step is not None:
        on_step(i, step, hosts)
    step_commit = commit and pb.mode == "apply" and step.uses in CHANGING
    if not hosts and active:
        return StageReport[Any](stage=step.uses, outcomes=tuple(skipped[h] for h in active), dry_run=not step_commit)
    stage = make_stage(step.uses, options_for(step, pb.rollout))
    try:
        report: StageReport[Any] = stage.run(make_ctx(step_commit), hosts)
    except GovnetError as exc:
        outcomes = tuple(HostOutcome[Any](host=h, status=HostStatus.FAILED, code=exc.code, error=exc.sentence())
                         for h in hosts)
        return StageReport[Any](stage=step.uses, outcomes=outcomes + tuple(skipped.values()),
                                messages=(exc.sentence(),), dry_run=not step_commit)
    if skipped:
        report = report.model_copy(update={"outcomes": tuple(report.outcomes) + tuple(skipped.values())})
    return report
