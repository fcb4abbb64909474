"""``govnet inventory validate | list | show | stats | generate``."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from nornir_tasks.cli.common import (
    ConfigOpt,
    FilterOpt,
    ForceOpt,
    Format,
    FormatOpt,
    InventoryOpt,
    console,
    emit_json,
    parse_as_of,
    print_findings,
    summary_of,
    table,
)
from nornir_tasks.cli.context import inventory_from, selection, settings_from, stage_context
from nornir_tasks.errors import GovnetError
from nornir_tasks.inventory.load import load_inventory
from nornir_tasks.inventory.selection import parse_filters, select

app = typer.Typer(help="Inspect and check the inventory.", no_args_is_help=True)


@app.command()
def validate(
    config: ConfigOpt = Path("config.yaml"),
    inventory: InventoryOpt = None,
    filter: FilterOpt = None,
    format: FormatOpt = Format.table,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Date for review-age checks (YYYY-MM-DD).")] = None,
) -> None:
    """Check every inventory file and report every finding at once (exit 2 on any error)."""
    from nornir_tasks.inventory.stage import ValidateStage

    settings = settings_from(config, inventory)
    today = parse_as_of(as_of) if as_of is not None else None
    result = load_inventory(settings.resolve(settings.inventory_dir), today=today)
    if filter:
        parse_filters(filter)
    names = select(result.inventory, filter) if filter else list(result.inventory.devices)
    report = ValidateStage(narrow=bool(filter)).run(stage_context(settings, result, today=today), names)
    print_findings(report.findings, format)
    if format is Format.table:
        n = len(result.inventory.devices)
        console(stderr=True).print(
            f"{settings.resolve(settings.inventory_dir)}: {n} devices, {len(result.inventory.sites)} sites, "
            f"{len(result.inventory.circuits)} circuits — {summary_of(report.findings)}")
    raise typer.Exit(report.exit_code)


@app.command("list")
def list_(
    config: ConfigOpt = Path("config.yaml"),
    inventory: InventoryOpt = None,
    filter: FilterOpt = None,
    format: FormatOpt = Format.table,
) -> None:
    """List the selected devices."""
    settings = settings_from(config, inventory)
    result = inventory_from(settings)
    inv = result.inventory
    rows = []
    for name in selection(result, filter):
        d = inv.devices[name]
        s = inv.sites[d.site]
        rows.append({"name": d.name, "hostname": d.hostname, "platform": d.platform.value, "role": d.role.value,
                     "site": s.id, "site_name": s.name, "province": s.province_code, "level": s.level.value,
                     "region": s.region.value, "status": s.status.value})
    if format is Format.json:
        emit_json(rows)
    else:
        cols = ["name", "hostname", "platform", "role", "site", "site_name", "province", "level", "status"]
        table(f"{len(rows)} device(s)", cols, [[r[c] for c in cols] for r in rows])


@app.command()
def show(
    host: Annotated[str, typer.Argument(help="Device name.")],
    config: ConfigOpt = Path("config.yaml"),
    inventory: InventoryOpt = None,
    format: FormatOpt = Format.table,
) -> None:
    """Everything the inventory says about one device: site, interfaces, circuits, groups, merged settings."""
    settings = settings_from(config, inventory)
    result = inventory_from(settings)
    inv = result.inventory
    if host not in inv.devices:
        raise GovnetError(f"no device named {host!r} in the inventory", code="CFG-003",
                          hint="list the names with 'govnet inventory list'")
    dev = inv.devices[host]
    site = inv.sites[dev.site]
    circuits = inv.circuits_of(host)
    shared = inv.shared_for(host)
    doc = {
        "device": dev.model_dump(mode="json"),
        "site": site.model_dump(mode="json"),
        "groups": inv.group_chain(host),
        "circuits": [c.model_dump(mode="json") for c in circuits],
        "shared": shared.model_dump(mode="json", exclude_none=True),
    }
    if format is Format.json:
        emit_json(doc)
        return
    out = console()
    out.print(f"[bold]{escape(dev.name)}[/bold]  {dev.platform.value}  {dev.role.value}  {escape(dev.hostname)}",
              markup=True)
    out.print(f"site: {site.id} — {site.name} ({site.level.value}, province {site.province_code}, "
              f"{site.region.value}, {site.status.value})")
    out.print(f"groups: {', '.join(inv.group_chain(host))}")
    table("interfaces", ["name", "kind", "zone", "vlan", "ipv4", "ipv6", "vrf", "description"],
          [[i.name, i.kind.value, i.zone.value if i.zone else "", i.vlan, i.ipv4, i.ipv6, i.vrf, i.description]
           for i in dev.interfaces])
    table("circuits", ["id", "network", "level", "a", "z", "Mbps", "role", "routing", "status"],
          [[c.id, c.network.value, c.access_level.value if c.access_level else "", c.a.label(), c.z.label(),
            c.bandwidth_mbps, c.role.value, c.routing.protocol.value, c.status.value] for c in circuits])


@app.command()
def stats(
    config: ConfigOpt = Path("config.yaml"),
    inventory: InventoryOpt = None,
    filter: FilterOpt = None,
    format: FormatOpt = Format.table,
) -> None:
    """Counts by level, status, platform, role, province and region; circuits by status and bandwidth."""
    settings = settings_from(config, inventory)
    result = inventory_from(settings)
    inv = result.inventory
    names = selection(result, filter)
    devs = [inv.devices[n] for n in names]
    site_ids = {d.site for d in devs} if filter else set(inv.sites)
    sites = [inv.sites[s] for s in site_ids]
    circuits = [c for c in inv.circuits.values() if c.a.device in set(names) or c.z.device in set(names)]
    data = {
        "devices": len(devs), "sites": len(sites), "circuits": len(circuits),
        "devices_by_platform": dict(Counter(d.platform.value for d in devs).most_common()),
        "devices_by_role": dict(Counter(d.role.value for d in devs).most_common()),
        "sites_by_level": dict(Counter(s.level.value for s in sites).most_common()),
        "sites_by_status": dict(Counter(s.status.value for s in sites).most_common()),
        "sites_by_province": dict(sorted(Counter(s.province_code for s in sites).items())),
        "sites_by_region": dict(Counter(s.region.value for s in sites).most_common()),
        "circuits_by_status": dict(Counter(c.status.value for c in circuits).most_common()),
        "circuits_by_bandwidth_mbps": dict(sorted(Counter(c.bandwidth_mbps for c in circuits).items())),
    }
    if format is Format.json:
        emit_json(data)
        return
    out = console()
    out.print(f"{data['devices']} devices, {data['sites']} sites, {data['circuits']} circuits")
    for key, counts in data.items():
        if isinstance(counts, dict):
            table(key.replace("_", " "), ["value", "count"], list(counts.items()))


@app.command()
def generate(
    scope: Annotated[str, typer.Option("--scope", help="national or province=<code>")] = "national",
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same output).")] = 1,
    out: Annotated[Path, typer.Option("--out", help="Folder to write the inventory into.")] = Path("build/generated"),
    force: ForceOpt = False,
    config: ConfigOpt = Path("config.yaml"),
) -> None:
    """Write a deterministic, geographically real inventory (34 provinces, 3,321 communes at national scope)."""
    from nornir_tasks.inventory.generate import generate as gen
    from nornir_tasks.paths import Paths, prepare_output
    from nornir_tasks.settings import Settings, load_settings

    # never over the configured inventory or state (defaults when there is no config.yaml here)
    settings = load_settings(config) if config.exists() else Settings()
    paths = Paths.of(settings)
    prepare_output(out, "inventory generate", paths=paths, force=force, create=False)
    summary = gen(scope=scope, seed=seed, out=out)          # a bad --scope stops here, before anything is written
    prepare_output(out, "inventory generate", paths=paths, own=True)
    console().print(f"wrote {out}: " + ", ".join(f"{v} {k}" for k, v in summary.items()))
