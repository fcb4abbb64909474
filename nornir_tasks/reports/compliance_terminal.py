"""Compliance run → a terminal summary (rich): totals per state, then the devices that need attention."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text
from rich.table import Table

from nornir_tasks.compliance.run import STATE_ORDER, STATE_VI, ComplianceRun, DeviceState
from nornir_tasks.compliance.summary import by_key

STYLE = {"compliant": "green", "non_compliant": "red", "unreachable": "magenta", "stale": "yellow",
         "waived": "blue", "not_applicable": "dim"}


def print_summary(run: ComplianceRun, console: Console, *, limit: int = 50) -> None:
    """Totals, a table per province, and the devices that are not compliant (at most ``limit``)."""
    counts = run.counts()
    console.print(Text(f"Compliance {run.today.isoformat()} — baseline {run.baseline} — scope {run.only}"))
    console.print("  ".join(f"[{STYLE[s.value]}]{s.value} ({STATE_VI[s]}): {counts[s.value]}[/]" for s in STATE_ORDER),
                  markup=True)
    prov = Table(title="by province", show_lines=False)    # every value below is a Text: never read as markup
    prov.add_column("province")
    for s in STATE_ORDER:
        prov.add_column(s.value, justify="right")
    prov.add_column("compliant %", justify="right")
    for k, v in by_key(run, "province").items():
        prov.add_row(Text(k), *(Text(str(v[s.value])) for s in STATE_ORDER),
                     Text("" if v["compliant_pct"] is None else f"{v['compliant_pct']}%"))
    console.print(prov)
    attention = [d for d in run.devices if d.state not in (DeviceState.COMPLIANT, DeviceState.NOT_APPLICABLE)]
    if not attention:
        return
    t = Table(title="devices needing attention")
    for c in ("device", "site", "platform", "state", "reason"):
        t.add_column(c)
    for d in attention[:limit]:
        t.add_row(Text(d.name), Text(d.site), Text(d.platform), Text(d.state.value, style=STYLE[d.state.value]),
                  Text(d.reason))
    console.print(t)
    if len(attention) > limit:
        console.print(f"… and {len(attention) - limit} more (see the reports)")
