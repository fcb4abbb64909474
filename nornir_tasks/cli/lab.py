"""``govnet lab up | status | down | fault`` — the virtual lab of real FRR routers (see nornir_tasks/lab)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from nornir_tasks.cli.common import (
    ConfigOpt,
    FilterOpt,
    Format,
    FormatOpt,
    InventoryOpt,
    console,
    emit_json,
    table,
)
from nornir_tasks.cli.context import bare_context, inventory_from, selection, settings_from, stage_context
from nornir_tasks.stage import StageReport

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


def _say(report: StageReport[str]) -> None:
    out = console(stderr=True)
    for message in report.messages:
        out.print(message)


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
    from nornir_tasks.lab.executor import preflight
    from nornir_tasks.lab.stage import LabUpStage, lab_credentials

    preflight()
    settings = settings_from(config, inventory)
    lab_credentials(settings)
    result = inventory_from(settings)
    names = selection(result, filter)
    out = console(stderr=True)
    stage = LabUpStage(start_from=start_from.value, wait=wait, timeout=timeout, tag=tag, slot=slot)
    ctx = stage_context(settings, result, progress=lambda what, done, total: out.print(f"lab: {what}"))
    report = stage.run(ctx, names)
    if report.emulated and format is Format.table:
        out.print(f"lab: {sum(report.emulated.values())} device(s) of other platforms are emulated by FRR with their "
                  f"'frr' rendering ({', '.join(f'{p}: {n}' for p, n in report.emulated.items())})")
    rows = [o.result for o in report.outcomes if o.result is not None]
    doc = {"lab_dir": report.lab_dir, "overlay": report.overlay, "start_from": report.start_from,
           "routers": [r.model_dump() for r in rows], "links": report.links, "converged": report.converged}
    if format is Format.json:
        emit_json(doc)
    else:
        table(f"lab {report.tag}: {len(rows)} router(s), {report.links} link(s), started from {report.start_from}",
              ["name", "netns", "ssh", "platform", "emulated by FRR", "interfaces"],
              [[r.name, r.netns, r.ssh, r.platform, "yes" if r.emulated_by_frr else "", r.interfaces] for r in rows])
        out.print(f"lab: Nornir overlay {report.overlay}; log in with the {settings.credentials.username_env} "
                  f"/ {settings.credentials.password_env} credentials; add --lab to any command to use it")
        if start_from is StartFrom.drifted:
            out.print(f"lab: seeded drift recorded in {report.drift}")
    if report.converged is False:
        bad = list(report.not_converged)
        out.print(f"lab: not converged after {timeout:.0f} s: {', '.join(bad[:10])}"
                  f"{' ...' if len(bad) > 10 else ''} — see 'govnet lab status'")
    raise typer.Exit(report.exit_code)


@app.command()
def status(
    config: ConfigOpt = Path("config.yaml"),
    inventory: InventoryOpt = None,
    format: FormatOpt = Format.table,
) -> None:
    """Routers, daemons alive, OSPF adjacencies, BGP sessions and LLDP neighbours (exit 1 if not all good)."""
    from nornir_tasks.lab.stage import LabStatusStage

    settings = settings_from(config, inventory)
    report = LabStatusStage().run(bare_context(settings))
    st = report.status
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
    raise typer.Exit(report.exit_code)


@app.command()
def down(
    config: ConfigOpt = Path("config.yaml"),
    inventory: InventoryOpt = None,
) -> None:
    """Remove everything the lab created (namespaces, processes, users, files); fine when nothing is up."""
    from nornir_tasks.lab.stage import LabDownStage

    settings = settings_from(config, inventory)
    report = LabDownStage().run(bare_context(settings))
    _say(report)
    raise typer.Exit(report.exit_code)


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
    from nornir_tasks.errors import LabError
    from nornir_tasks.lab.stage import LabFaultStage

    if len([x for x in (link, kill, revive) if x]) != 1:
        raise LabError("give exactly one of --link A:B down|up, --kill HOST or --revive HOST", code="CFG-003",
                       hint="e.g. 'govnet lab fault --link lcu-gw01:lcu-tu-ce01 down'")
    settings = settings_from(config, inventory)
    stage = LabFaultStage(link=link, action=action.value if action else None, kill=kill, daemon=daemon,
                          revive=revive)
    report = stage.run(bare_context(settings))
    _say(report)
    raise typer.Exit(report.exit_code)
