"""The lab stages: ``lab.up``, ``lab.status``, ``lab.down`` and ``lab.fault`` (see :mod:`nornir_tasks.lab`).

Each returns a :class:`~nornir_tasks.stage.StageReport` with one outcome per lab router (a router that is not
converged, or cannot be removed, fails) plus what the CLI shows; none prints or exits. ``status``, ``down`` and
``fault`` do not read the inventory (the lab's state file says what runs).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict

from nornir_tasks.errors import ConfigError, LabError
from nornir_tasks.lab.executor import LabStatus, RouterStatus
from nornir_tasks.settings import Settings
from nornir_tasks.stage import HostOutcome, HostStatus, StageContext, StageReport


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def lab_credentials(settings: Settings) -> tuple[str, str]:
    """The device credentials the lab routers accept; CFG-004 when a variable is not set."""
    user, password = settings.credential("username"), settings.credential("password")
    missing = [getattr(settings.credentials, f"{w}_env") for w, v in (("username", user), ("password", password))
               if not v]
    if missing or user is None or password is None:
        raise ConfigError(f"environment variable {' and '.join(missing)} not set", code="CFG-004",
                          hint="the lab routers accept the credentials govnet uses for devices: export "
                               f"{settings.credentials.username_env} and {settings.credentials.password_env}")
    return user, password


def router_outcome(r: RouterStatus, lldp: bool = True) -> HostOutcome[RouterStatus]:
    """A lab router's status as an outcome: failed when it is not converged."""
    if r.converged(lldp):
        return HostOutcome[RouterStatus](host=r.name, status=HostStatus.OK, result=r)
    return HostOutcome[RouterStatus](host=r.name, status=HostStatus.FAILED, result=r, code="LAB-003",
                                     error=f"{r.name}: not converged")


class LabRouterRow(_Frozen):
    """One router of a lab that was brought up."""

    name: str
    netns: str
    ssh: str
    platform: str
    emulated_by_frr: bool
    interfaces: int


class LabUpReport(StageReport[LabRouterRow]):
    lab_dir: str
    overlay: str
    drift: str
    tag: str
    start_from: str
    links: int
    emulated: dict[str, int] = {}
    converged: bool | None = None
    not_converged: tuple[str, ...] = ()


class LabStatusReport(StageReport[RouterStatus]):
    status: LabStatus

    @property
    def exit_code(self) -> int:
        return 0 if self.status.converged() else 1


def _up_outcome(r: Any, st: RouterStatus | None) -> HostOutcome[LabRouterRow]:
    """A router just brought up: changed, or failed when it did not converge."""
    row = LabRouterRow(name=r.name, netns=r.netns, ssh=f"{r.address}:{r.port}", platform=r.platform,
                       emulated_by_frr=r.emulated, interfaces=len(r.interfaces))
    if st is not None and not st.converged():
        return HostOutcome[LabRouterRow](host=r.name, status=HostStatus.FAILED, result=row, code="LAB-003",
                                         error=f"{r.name}: not converged")
    return HostOutcome[LabRouterRow](host=r.name, status=HostStatus.CHANGED, result=row)


def _not_converged(status: LabStatus | None) -> tuple[str, ...]:
    """What is not converged: routers, else the SSH servers that are down."""
    if status is None or status.converged():
        return ()
    bad = tuple(r.name for r in status.routers if not r.converged())
    return bad or tuple(f"sshd {g}" for g, ok in status.sshd.items() if not ok)


class LabUpStage(_Frozen):
    """Build (or complete) the lab of the selection: one FRR router per device, reachable over SSH (idempotent).
    Options: ``start_from`` (intended, baseline, drifted), ``wait`` and ``timeout`` (convergence), ``tag``,
    ``slot``."""

    name: ClassVar[str] = "lab.up"

    start_from: Literal["intended", "baseline", "drifted"] = "intended"
    wait: bool = True
    timeout: float = 120
    tag: str = "gv"
    slot: int = 1

    def run(self, ctx: StageContext, selection: Sequence[str]) -> LabUpReport:
        """Render the lab configs, plan, build; ``ctx.progress(what, 0, 0)`` narrates the steps."""
        from nornir_tasks.lab.build import bring_up
        from nornir_tasks.lab.executor import preflight

        preflight()
        started = datetime.now(UTC)
        user, password = lab_credentials(ctx.settings)
        lab, state = bring_up(ctx.inventory, list(selection), templates_dir=ctx.paths.templates_dir,
                              lab_dir=ctx.paths.lab_dir, user=user, password=password, start_from=self.start_from,
                              tag=self.tag, slot=self.slot, progress=lambda s: ctx.progress(s, 0, 0))
        plan = state.plan
        status = lab.wait_converged(self.timeout) if self.wait else None
        by_name = {r.name: r for r in status.routers} if status else {}
        outcomes = [_up_outcome(r, by_name.get(r.name)) for r in plan.routers]
        emulated = Counter(r.platform for r in plan.routers if r.emulated)
        not_converged = _not_converged(status)
        return LabUpReport(stage=self.name, dry_run=False, started=started, finished=datetime.now(UTC),
                           outcomes=tuple(outcomes), files=(str(lab.paths.overlay),),
                           lab_dir=str(ctx.paths.lab_dir), overlay=str(lab.paths.overlay), drift=str(lab.paths.drift),
                           tag=plan.tag, start_from=self.start_from, links=len(plan.links),
                           emulated=dict(sorted(emulated.items())),
                           converged=status.converged() if status else None, not_converged=not_converged,
                           problems=1 if status is not None and not status.converged() else 0)


class LabStatusStage(_Frozen):
    """Routers, daemons alive, OSPF adjacencies, BGP sessions and LLDP neighbours of the running lab."""

    name: ClassVar[str] = "lab.status"

    def run(self, ctx: StageContext, selection: Sequence[str] = ()) -> LabStatusReport:
        """Ask every lab router (the selection is not used: the lab's state says what runs)."""
        from nornir_tasks.lab.executor import Lab

        started = datetime.now(UTC)
        st = Lab(ctx.paths.lab_dir).status()
        return LabStatusReport(stage=self.name, started=started, finished=datetime.now(UTC),
                               outcomes=tuple(router_outcome(r) for r in st.routers), status=st,
                               messages=tuple(f"lab: sshd {g} not running" for g, ok in st.sshd.items() if not ok))


class LabDownStage(_Frozen):
    """Remove everything the lab created (namespaces, processes, users, files); fine when nothing is up."""

    name: ClassVar[str] = "lab.down"

    def run(self, ctx: StageContext, selection: Sequence[str] = ()) -> StageReport[str]:
        """Tear the lab down; each thing that could not be removed is a problem (exit 1)."""
        from nornir_tasks.lab.executor import Lab, preflight

        started = datetime.now(UTC)
        lab = Lab(ctx.paths.lab_dir)
        if lab.state is None:
            return StageReport[str](stage=self.name, dry_run=False, started=started, finished=datetime.now(UTC),
                                    messages=("lab: nothing to remove (no lab is up)",))
        preflight()
        n = len(lab.state.plan.routers)
        problems = lab.down()
        messages = tuple(f"lab: could not remove: {p}" for p in problems) if problems else (
            f"lab: removed {n} router(s) and everything the lab created",)
        return StageReport[str](stage=self.name, dry_run=False, started=started, finished=datetime.now(UTC),
                                problems=len(problems), messages=messages)


class LabFaultStage(_Frozen):
    """Inject a fault: ``link`` (A:B or a circuit/link id) with ``action`` down/up, ``kill`` a router (or one
    ``daemon`` of it), or ``revive`` a router. Exactly one of link, kill, revive."""

    name: ClassVar[str] = "lab.fault"

    link: str | None = None
    action: Literal["down", "up"] | None = None
    kill: str | None = None
    daemon: str | None = None
    revive: str | None = None

    def run(self, ctx: StageContext, selection: Sequence[str] = ()) -> StageReport[str]:
        """Do the one fault asked for; usage errors are :class:`LabError` CFG-003."""
        from nornir_tasks.lab.executor import Lab, preflight

        chosen = [x for x in (self.link, self.kill, self.revive) if x]
        if len(chosen) != 1:
            raise LabError("give exactly one of --link A:B down|up, --kill HOST or --revive HOST", code="CFG-003",
                           hint="e.g. 'govnet lab fault --link lcu-gw01:lcu-tu-ce01 down'")
        started = datetime.now(UTC)
        preflight()
        lab = Lab(ctx.paths.lab_dir)
        state = lab.require_state()
        if self.link:
            if self.action is None:
                raise LabError("--link needs 'down' or 'up'", code="CFG-003",
                               hint="e.g. 'govnet lab fault --link lcu-gw01:lcu-tu-ce01 down'")
            links = lab.links_for(self.link)
            ends = lab.set_links(None, links, up=self.action == "up")
            message = f"lab: {', '.join(x.id for x in links)} {self.action} ({', '.join(ends)})"
        else:
            host = self.kill or self.revive
            if host not in state.plan.names():
                raise LabError(f"{host!r} is not a router of the lab", code="CFG-003", hint="see 'govnet lab status'")
            if self.kill:
                pids = lab.kill(self.kill, self.daemon)
                message = (f"lab: killed {self.daemon or 'FRR and lldpd'} on {self.kill} "
                           f"(pids {', '.join(map(str, pids))})")
            else:
                lab.revive(host)  # type: ignore[arg-type]
                message = f"lab: {host} is running again"
        return StageReport[str](stage=self.name, dry_run=False, started=started, finished=datetime.now(UTC),
                                messages=(message,))

