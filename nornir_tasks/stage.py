"""The one stage contract: ``Stage.run(ctx, selection) -> StageReport[T]``.

Every stage of the flow (inventory validate → render → backup → compliance → deploy → verify → rollout → report,
plus lab actions and NetBox sync) has the same shape, so the CLI, playbooks and remote workers are thin wrappers
around it:

- a :class:`StageContext` carries what a run needs (settings, the validated inventory model, the hand-off paths,
  dry-run/commit, lab mode, language, a progress callback and a cancel flag) — passed explicitly, never through
  module globals;
- :meth:`Stage.run` returns a :class:`StageReport` with one typed :class:`HostOutcome` per selected host (failed
  and skipped hosts included, never dropped), a summary, the hand-off files written and the exit code the CLI
  should use. A stage never raises ``typer.Exit`` or calls ``sys.exit``; bad input before anything ran is a
  :class:`~nornir_tasks.errors.GovnetError` (exit 2).

This module never imports nornir: the Nornir object is built lazily by ``ctx.nornir(names)`` (a callable the
caller supplies, normally :func:`nornir_tasks.runner.build_nornir`), so pure stages stay pure.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:  # pragma: no cover - typing only
    from nornir_tasks.inventory.load import LoadResult
    from nornir_tasks.model import Inventory
    from nornir_tasks.settings import Settings

T = TypeVar("T")
R = TypeVar("R")

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


class HostStatus(str, Enum):
    """What a stage did to one host. ``changed`` means "changed, or would change in a dry run"."""

    OK = "ok"
    CHANGED = "changed"
    FAILED = "failed"
    SKIPPED = "skipped"              # not run for this host (an earlier step failed, a `when:` was false)
    NOT_ATTEMPTED = "not_attempted"  # the run stopped before this host (max failures, Ctrl-C)


class HostOutcome(BaseModel, Generic[T]):
    """One host's outcome of a stage, with a typed payload.

    Examples:
        >>> o = HostOutcome[int](host="r1", status="failed", code="DEV-003", error="r1: login failed")
        >>> (o.failed, o.changed, o.result)
        (True, False, None)
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    host: str
    status: HostStatus
    result: T | None = None
    code: str | None = None
    error: str | None = None
    hint: str | None = None

    @property
    def failed(self) -> bool:
        return self.status is HostStatus.FAILED

    @property
    def changed(self) -> bool:
        return self.status is HostStatus.CHANGED


class StageReport(BaseModel, Generic[T]):
    """What one run of a stage did: one outcome per selected host, the files it handed off, the exit code.

    ``problems`` counts hosts that make the run "not all good" beyond plain failures (for example non-compliant
    devices in a compliance run, or reverted devices in a deploy); the stage fills it in.

    Examples:
        >>> r = StageReport[int](stage="render", outcomes=(HostOutcome[int](host="a", status="changed", result=1),
        ...                      HostOutcome[int](host="b", status="failed", error="b: boom")))
        >>> r.summary(), r.exit_code
        ({'ok': 0, 'changed': 1, 'failed': 1, 'skipped': 0, 'not_attempted': 0}, 1)
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    stage: str
    run_id: str | None = None
    dry_run: bool = True
    started: datetime = Field(default_factory=lambda: datetime.now(UTC))
    finished: datetime | None = None
    outcomes: tuple[HostOutcome[T], ...] = ()
    files: tuple[str, ...] = ()
    problems: int = 0
    messages: tuple[str, ...] = ()

    def summary(self) -> dict[str, int]:
        """Count of hosts per :class:`HostStatus` (every status present, zero or not)."""
        out = {s.value: 0 for s in HostStatus}
        for o in self.outcomes:
            out[o.status.value] += 1
        return out

    def by_host(self) -> dict[str, HostOutcome[T]]:
        return {o.host: o for o in self.outcomes}

    def failed_hosts(self) -> list[str]:
        return [o.host for o in self.outcomes if o.status in (HostStatus.FAILED, HostStatus.NOT_ATTEMPTED)]

    @property
    def exit_code(self) -> int:
        """0 when every host is fine, 1 when a host failed, was not attempted, or the stage counted problems."""
        bad = any(o.status in (HostStatus.FAILED, HostStatus.NOT_ATTEMPTED) for o in self.outcomes)
        return EXIT_FAILED if bad or self.problems else EXIT_OK


ProgressFn = Callable[[str, int, int], None]   # (what, done, total)


def _no_progress(what: str, done: int, total: int) -> None:
    return None


@dataclass
class StageContext:
    """Everything a stage run needs, passed explicitly.

    ``paths`` is the one place hand-off paths come from (:class:`nornir_tasks.paths.Paths`, lab state kept
    apart from production state). ``nornir`` builds a Nornir object over the given host names (honouring
    config.yaml's ``runner:``); it is only called by stages that talk to devices. ``source`` is where the model came
    from (the loader's result: findings, origins), when a stage needs more than the model.
    """

    settings: Settings
    inventory: Inventory
    paths: Any
    nornir: Callable[[Sequence[str]], Any] | None = None
    commit: bool = False
    lab: bool = False
    lang: str = "en"
    jobs: int | None = None
    today: Any = None
    progress: ProgressFn = _no_progress
    cancel: threading.Event = field(default_factory=threading.Event)
    options: dict[str, Any] = field(default_factory=dict)
    source: LoadResult | None = None

    @property
    def dry_run(self) -> bool:
        return not self.commit


class Stage(Protocol[T]):  # type: ignore[misc]
    """A stage: a name and a ``run``. Implementations are plain classes (no base class needed)."""

    name: ClassVar[str]

    def run(self, ctx: StageContext, selection: Sequence[str]) -> StageReport[T]:
        ...


#: Stage name → ``"module:Class"`` (resolved lazily, so naming a stage imports only that stage). A playbook's
#: ``uses: <name>`` and ``with: {...}`` become ``make_stage(name, options)``.
STAGES: Mapping[str, str] = MappingProxyType({
    "inventory.validate": "nornir_tasks.inventory.stage:ValidateStage",
    "render": "nornir_tasks.render.stage:RenderStage",
    "lab.up": "nornir_tasks.lab.stage:LabUpStage",
    "lab.status": "nornir_tasks.lab.stage:LabStatusStage",
    "lab.down": "nornir_tasks.lab.stage:LabDownStage",
    "lab.fault": "nornir_tasks.lab.stage:LabFaultStage",
    "backup": "nornir_tasks.tasks.backup:BackupStage",
    "compliance": "nornir_tasks.compliance.stage:ComplianceStage",
    "compliance.import": "nornir_tasks.compliance.stage:ComplianceImportStage",
    "rollout.status": "nornir_tasks.rollout.stage:RolloutStatusStage",
    "rollout.report": "nornir_tasks.rollout.stage:RolloutReportStage",
    "deploy": "nornir_tasks.deploy.stage:DeployStage",
})


def stage_class(name: str) -> type[Any]:
    """The class registered for stage ``name`` (:data:`STAGES`); a coded error for an unknown name.

    Examples:
        >>> stage_class("render").name
        'render'
        >>> try:
        ...     stage_class("no-such-stage")
        ... except Exception as exc:
        ...     print(exc.code)
        CFG-003
    """
    from nornir_tasks.errors import GovnetError

    target = STAGES.get(name)
    if target is None:
        raise GovnetError(f"unknown stage {name!r}", code="CFG-003", hint=f"use one of: {', '.join(sorted(STAGES))}")
    module, _, cls = target.partition(":")
    return getattr(importlib.import_module(module), cls)  # type: ignore[no-any-return]


def make_stage(name: str, options: Mapping[str, Any] | None = None) -> Any:
    """An instance of stage ``name`` with ``options`` (a playbook's ``with:``), validated by the stage class.

    Examples:
        >>> make_stage("render", {"lab": True}).lab
        True
        >>> try:
        ...     make_stage("render", {"colour": "red"})
        ... except Exception as exc:
        ...     print(exc.code, exc.message.split(":")[0])
        CFG-003 stage render
    """
    from pydantic import ValidationError

    from nornir_tasks.errors import GovnetError

    cls = stage_class(name)
    try:
        factory = getattr(cls, "from_options", None)     # stages whose options are a model of their own
        if callable(factory):
            return factory(dict(options or {}))
        return cls(**dict(options or {}))
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise GovnetError(f"stage {name}: option {where}: {err['msg']}", code="CFG-003",
                          hint=f"check the options of stage {name}") from exc


def outcomes_for(selection: Iterable[str], done: dict[str, HostOutcome[T]],
                 missing: HostStatus = HostStatus.SKIPPED, why: str = "not run") -> tuple[HostOutcome[T], ...]:
    """One outcome per selected host, in selection order: hosts without an outcome get ``missing`` (never dropped).

    Examples:
        >>> done = {"b": HostOutcome[int](host="b", status="ok", result=2)}
        >>> [(o.host, o.status.value) for o in outcomes_for(["a", "b"], done)]
        [('a', 'skipped'), ('b', 'ok')]
    """
    return tuple(done.get(h) or HostOutcome[T](host=h, status=missing, error=f"{h}: {why}") for h in selection)


def default_jobs() -> int:
    """Worker processes for CPU-bound work: one per available CPU."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - non-Linux
        return max(1, os.cpu_count() or 1)


def _worker(fn: Callable[[Any], Any], items: Sequence[Any], batch: int, conn: Any) -> None:
    """Child side of :func:`parallel_map`: send ``(ok, results)`` batches, then ``None``."""
    try:
        for i in range(0, len(items), batch):
            conn.send((True, [fn(x) for x in items[i:i + batch]]))
        conn.send(None)
    except BaseException as exc:  # noqa: BLE001 - handed to the parent, which re-raises it
        try:
            conn.send((False, exc))
        except Exception:  # an unpicklable exception: send its text
            conn.send((False, RuntimeError(f"{type(exc).__name__}: {exc}")))
    finally:
        conn.close()


def parallel_map(fn: Callable[[Any], R], items: Sequence[Any], *, jobs: int | None = None,
                 batch: int = 64, on_progress: Callable[[int], None] | None = None) -> list[R]:
    """``[fn(x) for x in items]`` over forked worker processes, in order: the one helper for CPU-bound work.

    ``fn`` and everything it closes over are inherited by fork, never pickled (build heavy shared objects once,
    in the parent, before calling); only results travel back. ``jobs`` is explicit (None = one per CPU); with one
    job or few items it runs in-process. ``on_progress(n)`` is called in the parent as each batch of ``n`` items
    finishes (for progress bars). An exception in a worker is re-raised in the parent.

    Examples:
        >>> parallel_map(lambda x: x * x, [1, 2, 3], jobs=1)
        [1, 4, 9]
        >>> parallel_map(lambda x: x + 1, list(range(100)), jobs=2, batch=7)[-3:]
        [98, 99, 100]
    """
    n = jobs or default_jobs()
    items = list(items)
    if n <= 1 or len(items) < 2 * n:
        out = [fn(x) for x in items]
        if on_progress is not None and items:
            on_progress(len(items))
        return out
    size = -(-len(items) // n)
    parts = [items[i:i + size] for i in range(0, len(items), size)]
    mp = multiprocessing.get_context("fork")
    procs, conns = [], []
    for part in parts:
        parent, child = mp.Pipe(duplex=False)
        proc = mp.Process(target=_worker, args=(fn, part, batch, child), daemon=True)
        proc.start()
        child.close()
        procs.append(proc)
        conns.append(parent)
    results: list[list[R]] = [[] for _ in parts]
    error: BaseException | None = None
    try:
        from multiprocessing.connection import wait

        live = dict(enumerate(conns))
        while live:
            for ready in wait(list(live.values())):
                i = next(k for k, c in live.items() if c is ready)
                try:
                    msg = live[i].recv()
                except EOFError:
                    msg = (False, RuntimeError("a worker process died"))
                if msg is None:
                    del live[i]
                    continue
                ok, payload = msg
                if not ok:
                    error = error or payload
                    del live[i]
                    continue
                results[i].extend(payload)
                if on_progress is not None:
                    on_progress(len(payload))
    finally:
        for proc in procs:
            if error is not None and proc.is_alive():
                proc.terminate()
            proc.join()
        for conn in conns:
            conn.close()
    if error is not None:
        raise error
    return [r for part in results for r in part]
