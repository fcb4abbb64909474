"""``govnet netbox init | push | pull``: NetBox as the source of truth (mapping in docs/netbox.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from nornir_tasks.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    CommitOpt,
    ConfigOpt,
    FilterOpt,
    Format,
    FormatOpt,
    InventoryOpt,
    console,
    emit_json,
    print_findings,
    summary_of,
    table,
)
from nornir_tasks.cli.context import inventory_from, selection, settings_from
from nornir_tasks.errors import GovnetError
from nornir_tasks.settings import Settings

app = typer.Typer(help="NetBox as the source of truth: init, push, pull.", no_args_is_help=True)


def client_from(settings: Settings) -> Any:
    from nornir_tasks.netbox.client import NetBoxClient, token_from_env

    nb = settings.netbox
    return NetBoxClient(nb.url, token_from_env(nb.token_env), timeout=nb.timeout, page_size=nb.page_size,
                        workers=nb.workers)


@app.command()
def init(config: ConfigOpt = Path("config.yaml"), commit: CommitOpt = False,
         format: FormatOpt = Format.table) -> None:
    """Create govnet's custom fields, choice sets and tags in NetBox (idempotent; dry run without --commit)."""
    from nornir_tasks.netbox.sync import init_schema

    settings = settings_from(config, None)
    client = client_from(settings)
    client.check()
    done = init_schema(client, commit=commit)
    if format is Format.json:
        emit_json({"committed": commit, **done})
    else:
        verb = "" if commit else "would be "
        for what in ("created", "updated"):
            for item in done[what]:
                console().print(f"{verb}{what}: {item}")
        console(stderr=True).print(f"{settings.netbox.url}: {len(done['created'])} {verb}created, "
                                   f"{len(done['updated'])} {verb}updated, {len(done['unchanged'])} unchanged"
                                   + ("" if commit else " (dry run; --commit writes)"))
    raise typer.Exit(EXIT_OK)


@app.command()
def push(
    config: ConfigOpt = Path("config.yaml"),
    inventory: InventoryOpt = None,
    filter: FilterOpt = None,
    commit: CommitOpt = False,
    prune: Annotated[bool, typer.Option("--prune", help="Tag managed objects that left the inventory "
                                        "govnet-orphan; delete them after the grace period.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite objects edited in NetBox since govnet "
                                        "wrote them.")] = False,
    grace_days: Annotated[float | None, typer.Option("--grace-days", help="Days an orphan keeps its tag "
                                                     "before --prune deletes it.")] = None,
    format: FormatOpt = Format.table,
) -> None:
    """Inventory → NetBox. A dry run with field-level changes unless --commit."""
    from nornir_tasks.inventory.geography import load_geography
    from nornir_tasks.netbox.mapping import desired_objects
    from nornir_tasks.netbox.sync import push as do_push
    from nornir_tasks.netbox.sync import restrict

    settings = settings_from(config, inventory)
    if prune and filter:
        raise GovnetError("--prune cannot be combined with --filter (orphans are found over the whole inventory)",
                          code="CFG-003", hint="push the whole inventory to prune")
    result = inventory_from(settings)
    names = {p.code: p.name for p in load_geography().provinces.values()}
    desired = desired_objects(result.inventory, province_names=names)
    if filter:
        desired = restrict(desired, result.inventory, selection(result, filter))
    client = client_from(settings)
    client.check()
    report = do_push(client, desired, settings.resolve(settings.state_dir) / "netbox-sync.json", commit=commit,
                     prune=prune, force=force, scoped=bool(filter),
                     grace_days=settings.netbox.grace_days if grace_days is None else grace_days,
                     batch=settings.netbox.batch, workers=settings.netbox.write_workers)
    if format is Format.json:
        emit_json(report.model_dump(mode="json"))
    else:
        rows: list[tuple[str, ...]] = []
        for c in report.changes:
            if c.action == "create":
                rows.append((c.action, c.kind, c.key, "", "", ""))
            elif c.fields:
                rows.extend((c.action, c.kind, c.key, f, _short(old), _short(new)) for f, (old, new) in c.fields.items())
            else:
                rows.append((c.action, c.kind, c.key, "", c.reason, ""))
        if rows:
            table(f"NetBox {report.url}" + ("" if commit else " (dry run)"),
                  ["action", "kind", "key", "field", "NetBox", "inventory"], rows)
        counts = ", ".join(f"{report.count(a)} {a}" for a in ("create", "update", "delete", "mark_orphan",
                                                               "orphan", "conflict", "unmanaged") if report.count(a))
        verb = "done" if commit else "dry run; --commit writes"
        console(stderr=True).print(f"{report.url}: {counts or 'no changes'}; {len(report.failures)} refused "
                                   f"({verb}; run {report.run_id})", markup=False)
    for f in report.failures:      # on stderr in both formats: people see them even when a program reads stdout
        console(stderr=True).print(f.sentence(), markup=False)
    bad = report.failures or report.count("conflict")
    raise typer.Exit(EXIT_FAILED if bad else EXIT_OK)


def _short(value: Any) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


@app.command()
def pull(
    out: Annotated[Path, typer.Option("--out", help="Folder to write the inventory files into.")],
    config: ConfigOpt = Path("config.yaml"),
    format: FormatOpt = Format.table,
) -> None:
    """NetBox → inventory files in --out, then validated like any inventory (exit 2 on an error)."""
    from nornir_tasks.errors import Finding, Severity
    from nornir_tasks.fileio import write_if_changed
    from nornir_tasks.inventory.load import load_inventory
    from nornir_tasks.netbox.mapping import UNMAPPED
    from nornir_tasks.netbox.plugin import file_texts
    from nornir_tasks.netbox.sync import pull_files

    settings = settings_from(config, None)
    client = client_from(settings)
    client.check()
    files = pull_files(client)
    unmapped = files.get(UNMAPPED, [])
    for name, text in file_texts(files, f"— pulled from NetBox {client.url} by govnet netbox pull").items():
        write_if_changed(out / name, text)
    result = load_inventory(out)
    result.findings[:0] = [Finding(code="NBX-005", severity=Severity.ERROR, message=m,
                                   hint="fix it in NetBox; govnet cannot hold it") for m in unmapped]
    print_findings(result.findings, format)
    if format is Format.table:
        console(stderr=True).print(f"{out}: {len(result.inventory.devices)} devices, {len(result.inventory.sites)} "
                                   f"sites pulled from {client.url} — {summary_of(result.findings)}")
    raise typer.Exit(EXIT_USAGE if result.errors or unmapped else EXIT_OK)
