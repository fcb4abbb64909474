"""``govnet lab up | status | down | fault`` — the virtual lab of real FRR routers (see nornir_tasks/lab)."""

from __future__ import annotations

from collections import Counter
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from nornir_tasks.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    ConfigOpt,
    FilterOpt,
    Format,
    FormatOpt,
    InventoryOpt,
    console,
    emit_json,
    table,
)
from nornir_tasks.cli.context import inventory_from, selection, settings_from
from nornir_tasks.errors import ConfigError, LabError
from nornir_tasks.settings import Settings

app = typer.Typer(help="Virtual lab of real FRR routers built from the inventory.", no_args_is_help=True)


class StartFrom(str, Enum):
    intended = "intended"
    baseline = "baseline"
    drifted = "drifted"


class LinkState(str, Enum):
    down = "down"
    up = "up"


TagOpt = Annotated[str, typer.Option("--tag", help="Lab name prefix (namespaces <tag>1, <tag>2, ...).")]
SlotOpt = Annotated[int, typer.Option("--slot", min=1, max=254, help="Routers listen on 127.<slot>.x.y.")]


def _lab_dir(settings: Settings) -> Path:
    return settings.resolve(settings.lab_dir)


def _credentials(settings: Settings) -> tuple[str, str]:
    user, password = settings.credential("username"), settings.credential("password")
    missing = [getattr(settings.credentials, f"{w}_env") for w, v in (("username", user), ("password", password))
               if not v]
    if missing:
        raise ConfigError(f"environment variable {' and '.join(missing)} not set", code="CFG-004",
                          hint="the lab routers accept the credentials govnet uses for devices: export "
                               f"{settings.credentials.username_env} and {settings.credentials.password_env}")
    return user, password  # type: ignore[return-value]


@app.command()
def up(
    config: ConfigOpt = Path("config.yaml"),
    inventory: InventoryOpt = None,
    filter: FilterOpt = None,
    start_from: Annotated[StartFrom, typer.Option("--start-from", help="Config the routers start from.")] =
        StartFrom.intended,
    wait: Annotated[bool, typer.Option("--wait/--no-wait", help="Wait for OSPF, BGP and LLDP to converge.")] = True,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds to wait for convergence.")] = 120,
    tag: TagOpt = "gv",
    slot: SlotOpt = 1,
    format: FormatOpt = Format.table,
) -> None:
    """Build (or complete) the lab: one FRR router per selected device, reachable over SSH (idempotent)."""
    from nornir_tasks.lab.build import bring_up
    from nornir_tasks.lab.executor import preflight

    preflight()
    settings = settings_from(config, inventory)
    user, password = _credentials(settings)
    result = inventory_from(settings)
    names = selection(result, filter)
    out = console(stderr=True)
    lab, state = bring_up(result.inventory, names, templates_dir=settings.resolve(settings.templates_dir),
                          lab_dir=_lab_dir(settings), user=user, password=password,
                          start_from=start_from.value, tag=tag, slot=slot,
                          progress=lambda s: out.print(f"lab: {s}"))
    plan = state.plan
    emulated = Counter(r.platform for r in plan.routers if r.emulated)
    if emulated and format is Format.table:
        out.print(f"lab: {sum(emulated.values())} device(s) of other platforms are emulated by FRR with their "
                  f"'frr' rendering ({', '.join(f'{p}: {n}' for p, n in sorted(emulated.items()))})")
    status = lab.wait_converged(timeout) if wait else None
    rows = [{"name": r.name, "netns": r.netns, "ssh": f"{r.address}:{r.port}", "platform": r.platform,
             "emulated_by_frr": r.emulated, "interfaces": len(r.interfaces)} for r in plan.routers]
    doc = {"lab_dir": str(_lab_dir(settings)), "overlay": str(lab.paths.overlay), "start_from": start_from.value,
           "routers": rows, "links": len(plan.links),
           "converged": status.converged() if status else None}
    if format is Format.json:
        emit_json(doc)
    else:
        table(f"lab {plan.tag}: {len(rows)} router(s), {len(plan.links)} link(s), started from {start_from.value}",
              ["name", "netns", "ssh", "platform", "emulated by FRR", "interfaces"],
              [[r["name"], r["netns"], r["ssh"], r["platform"], "yes" if r["emulated_by_frr"] else "",
                r["interfaces"]] for r in rows])
        out.print(f"lab: Nornir overlay {lab.paths.overlay}; log in with the {settings.credentials.username_env} "
                  f"/ {settings.credentials.password_env} credentials; add --lab to any command to use it")
        if start_from is StartFrom.drifted:
            out.print(f"lab: seeded drift recorded in {lab.paths.drift}")
    if status is not None and not status.converged():
        bad = [r.name for r in status.routers if not r.converged()]
        out.print(f"lab: not converged after {timeout:.0f} s: {', '.join(bad[:10])}"
                  f"{' ...' if len(bad) > 10 else ''} — see 'govnet lab status'")
        raise typer.Exit(EXIT_FAILED)
    raise typer.Exit(EXIT_OK)


@app.command()
def status(
    config: ConfigOpt = Path("config.yaml"),
    inventory: InventoryOpt = None,
    format: FormatOpt = Format.table,
) -> None:
    """Routers, daemons alive, OSPF adjacencies, BGP sessions and LLDP neighbours (exit 1 if not all good)."""
    from nornir_tasks.lab.executor import Lab

    settings = settings_from(config, inventory)
    lab = Lab(_lab_dir(settings))
    st = lab.status()
    if format is Format.json:
        doc = st.model_dump()
        doc["converged"] = st.converged()
        emit_json(doc)
    else:
        table(f"lab {st.tag}: {len(st.routers)} router(s), started from {st.start_from}, SSH port {st.port}",
              ["name", "netns", "ssh", "daemons", "OSPF full", "BGP up", "LLDP", "ok"],
              [[r.name, r.netns, f"{r.address}:{r.port}",
                "all" if r.running else ", ".join(d for d, ok in r.daemons.items() if not ok) + " down"
                if r.namespace else "no namespace",
                f"{len(r.ospf_full)}/{len(r.ospf_expected)}", f"{len(r.bgp_established)}/{len(r.bgp_expected)}",
                f"{len(r.lldp_seen)}/{len(r.lldp_expected)}", "yes" if r.converged() else "NO"]
               for r in st.routers])
        dead = [g for g, ok in st.sshd.items() if not ok]
        if dead:
            console(stderr=True).print(f"lab: sshd {', '.join(dead)} not running")
    raise typer.Exit(EXIT_OK if st.converged() else EXIT_FAILED)


@app.command()
def down(
    config: ConfigOpt = Path("config.yaml"),
    inventory: InventoryOpt = None,
) -> None:
    """Remove everything the lab created (namespaces, processes, users, files); fine when nothing is up."""
    from nornir_tasks.lab.executor import Lab, preflight

    settings = settings_from(config, inventory)
    lab = Lab(_lab_dir(settings))
    out = console(stderr=True)
    if lab.state is None:
        out.print("lab: nothing to remove (no lab is up)")
        raise typer.Exit(EXIT_OK)
    preflight()
    n = len(lab.state.plan.routers)
    problems = lab.down()
    if problems:
        for p in problems:
            out.print(f"lab: could not remove: {p}")
        raise typer.Exit(EXIT_FAILED)
    out.print(f"lab: removed {n} router(s) and everything the lab created")
    raise typer.Exit(EXIT_OK)


@app.command()
def fault(
    action: Annotated[LinkState | None, typer.Argument(help="With --link: down or up.")] = None,
    link: Annotated[str | None, typer.Option("--link", help="A:B (two routers) or a circuit/link id.")] = None,
    kill: Annotated[str | None, typer.Option("--kill", help="Kill a router's FRR and lldpd (a crash).")] = None,
    daemon: Annotated[str | None, typer.Option("--daemon", help="With --kill: kill only this daemon "
                                                                "(watchfrr restarts it).")] = None,
    revive: Annotated[str | None, typer.Option("--revive", help="Restart what a router has lost "
                                                                "(FRR from its saved config, lldpd).")] = None,
    config: ConfigOpt = Path("config.yaml"),
    inventory: InventoryOpt = None,
) -> None:
    """Inject a fault: take a link down/up, kill a router (or one daemon), or revive a router."""
    from nornir_tasks.lab.executor import Lab, preflight

    chosen = [x for x in (link, kill, revive) if x]
    if len(chosen) != 1:
        raise LabError("give exactly one of --link A:B down|up, --kill HOST or --revive HOST", code="CFG-003",
                       hint="e.g. 'govnet lab fault --link lcu-gw01:lcu-tu-ce01 down'")
    settings = settings_from(config, inventory)
    preflight()
    lab = Lab(_lab_dir(settings))
    state = lab.require_state()
    out = console(stderr=True)
    if link:
        if action is None:
            raise LabError("--link needs 'down' or 'up'", code="CFG-003",
                           hint="e.g. 'govnet lab fault --link lcu-gw01:lcu-tu-ce01 down'")
        links = lab.links_for(link)
        ends = lab.set_links(None, links, up=action is LinkState.up)
        out.print(f"lab: {', '.join(x.id for x in links)} {action.value} ({', '.join(ends)})")
        raise typer.Exit(EXIT_OK)
    host = kill or revive
    if host not in state.plan.names():
        raise LabError(f"{host!r} is not a router of the lab", code="CFG-003", hint="see 'govnet lab status'")
    if kill:
        pids = lab.kill(kill, daemon)
        out.print(f"lab: killed {daemon or 'FRR and lldpd'} on {kill} (pids {', '.join(map(str, pids))})")
    else:
        lab.revive(revive)  # type: ignore[arg-type]
        out.print(f"lab: {revive} is running again")
    raise typer.Exit(EXIT_OK)
