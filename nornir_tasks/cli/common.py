"""Shared CLI conventions: ``--config``, ``--inventory``, ``--filter``, ``--format table|json``, ``--debug``,
exit codes (0 good, 1 some hosts failed / non-compliant, 2 bad usage/config/input), tables on a terminal and
plain text when piped, JSON on stdout."""

from __future__ import annotations

import json
import sys
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Iterable, Sequence

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from nornir_tasks.errors import Finding, GovnetError, Severity

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class Format(str, Enum):
    table = "table"
    json = "json"


ConfigOpt = Annotated[Path, typer.Option("--config", envvar="GOVNET_CONFIG",
                      help="Nornir config file with govnet settings under user_defined (default: $GOVNET_CONFIG, "
                           "else the nearest config.yaml in this folder or above).")]
InventoryOpt = Annotated[Path | None, typer.Option("--inventory", help="Inventory folder (default: from config.yaml).")]
def _check_filters(values: list[str] | None) -> list[str] | None:
    """Judge every ``--filter`` as the command line is read, before a command opens or writes anything."""
    from nornir_tasks.inventory.selection import parse_filters

    if values:
        parse_filters(values)          # GovnetError (CFG-003): the CLI prints its sentence and exits 2
    return values


FilterOpt = Annotated[list[str] | None, typer.Option("--filter", "-f", callback=_check_filters,
                      help="key=value (province, level, role, region, platform, site, status, group) or host name; ids, names (Lai Châu, Sìn Hồ: accents optional) and globs; repeatable.")]
FormatOpt = Annotated[Format, typer.Option("--format", help="table (people) or json (programs, on stdout).")]
LabOpt = Annotated[bool, typer.Option("--lab", help="Talk to the lab routers instead of the real devices (see 'govnet lab up').")]
CommitOpt = Annotated[bool, typer.Option("--commit", help="Really change devices; without it this is a dry run.")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Write into a non-empty --out folder that is not this "
                                        "command's own output (never the inventory or state folder).")]


#: The dates ``--as-of`` accepts: the network's lifetime, with room on both sides (date arithmetic on
#: 0001-01-01 or 9999-12-31 would overflow).
AS_OF_RANGE = (date(2000, 1, 1), date(2100, 12, 31))


def parse_as_of(text: str | None) -> date:
    """``--as-of YYYY-MM-DD`` (default today), within :data:`AS_OF_RANGE`; a CFG-003 sentence otherwise.

    Examples:
        >>> parse_as_of("2025-11-25")
        datetime.date(2025, 11, 25)
        >>> parse_as_of("0001-01-01")
        Traceback (most recent call last):
        ...
        nornir_tasks.errors.GovnetError: --as-of '0001-01-01' is outside 2000-01-01 … 2100-12-31
    """
    if text is None:
        return date.today()
    try:
        day = date.fromisoformat(text.strip())
    except ValueError as exc:
        raise GovnetError(f"--as-of {text!r} is not a date", code="CFG-003",
                          hint="write it as YYYY-MM-DD, e.g. --as-of 2025-12-31") from exc
    low, high = AS_OF_RANGE
    if not low <= day <= high:
        raise GovnetError(f"--as-of {text!r} is outside {low.isoformat()} … {high.isoformat()}", code="CFG-003",
                          hint="give a date in the network's lifetime")
    return day


def console(stderr: bool = False) -> Console:
    """A Rich console that never reads markup in what it prints: a site name such as ``[/]`` or ``[link=…]``
    is printed as written. Styled output passes ``markup=True`` and escapes every value (``rich.markup.escape``)."""
    # Rich decides by itself whether stdout is a terminal; when piped it prints plain text without colour.
    return Console(stderr=stderr, highlight=False, markup=False, soft_wrap=not sys.stdout.isatty())


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def table(title: str | None, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    out = console()
    if not sys.stdout.isatty():
        # plain, tab-separated text when piped: easy to grep/cut, no box characters
        if title:
            sys.stdout.write(f"# {title}\n")
        sys.stdout.write("\t".join(columns) + "\n")
        for row in rows:
            sys.stdout.write("\t".join("" if v is None else str(v) for v in row) + "\n")
        return
    t = Table(title=Text(title) if title else None, show_lines=False)
    for c in columns:
        t.add_column(Text(c))
    for row in rows:
        t.add_row(*(Text("" if v is None else str(v)) for v in row))     # values are text, never markup
    out.print(t)


def print_findings(findings: Sequence[Finding], fmt: Format) -> None:
    if fmt is Format.json:
        emit_json([f.model_dump(mode="json") for f in findings])
        return
    err = console(stderr=False)
    for f in findings:
        style = {"error": "red", "warning": "yellow"}.get(f.severity.value, "")
        err.print(f"[{style}]{f.severity.value:7}[/{style}] {escape(f.sentence())}" if style else f.sentence(),
                  markup=bool(style))


def summary_of(findings: Sequence[Finding]) -> str:
    e = sum(1 for f in findings if f.severity is Severity.ERROR)
    w = sum(1 for f in findings if f.severity is Severity.WARNING)
    return f"{e} error(s), {w} warning(s)"
