"""Progress anchored in time: the status of sites, circuits and devices on a given date, and the inventory as it
stood on that date.

Sites, circuits and devices may carry ``history``: dated status changes, oldest first. On a date ``D``:

* an entity **with history** has the status of its latest entry dated on or before ``D``; before its first
  entry a site counts as ``planned`` (the commune exists, its connection point does not yet), a circuit as
  ``planned`` and a device as absent;
* a device **without history** at a site with history is on site while the site is installed, active or
  suspended (it came and goes with its site);
* a circuit **without history** but with an ``activation_date`` is ``planned`` before that date and has its
  current status from it on;
* anything else has held its current status all along (nothing says otherwise).

:func:`inventory_as_of` applies this to a whole inventory, so every rollout metric evaluated "as of" a date sees
the network of that date. Interface addressing and device software have no history: they are taken as they are
now (an interface's IPv6 address counts from the day its circuit and device are in service).

:func:`history_issues` checks that each entity's current status agrees with its history (pure; the loader turns
the issues into findings with file and line).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from nornir_tasks.errors import Severity
from nornir_tasks.model import (
    Circuit,
    CircuitStatus,
    CircuitStatusChange,
    Device,
    Inventory,
    Site,
    SiteStatus,
    StatusChange,
)

S = TypeVar("S", SiteStatus, CircuitStatus)

#: Device statuses in which a device is on site (it counts for the metrics); planned, ordered and
#: decommissioned devices are left out of the inventory as of a date.
PRESENT = frozenset({SiteStatus.INSTALLED, SiteStatus.ACTIVE, SiteStatus.SUSPENDED})


@dataclass(frozen=True)
class Issue:
    """One problem a pure check found, before the loader adds file and line.

    ``kind`` is ``site``, ``circuit`` or ``device``; ``path`` is the field below the entity (for a device, below
    its ``data``).
    """

    code: str
    kind: str
    key: str
    path: tuple[str | int, ...]
    message: str
    hint: str
    severity: Severity = Severity.ERROR


def status_on(history: Sequence[StatusChange | CircuitStatusChange], when: date) -> SiteStatus | CircuitStatus | None:
    """The status of the latest entry dated on or before ``when`` (None before the first entry). Entries of one
    day apply in the order written.

    Examples:
        >>> h = (StatusChange(status="installed", date=date(2024, 3, 1)),
        ...      StatusChange(status="active", date=date(2024, 5, 1)))
        >>> status_on(h, date(2024, 2, 1)), status_on(h, date(2024, 3, 1)).value, status_on(h, date(2030, 1, 1)).value
        (None, 'installed', 'active')
    """
    found = None
    for change in history:
        if change.date <= when:
            if found is None or change.date >= found.date:
                found = change
    return found.status if found is not None else None


def site_status_on(site: Site, when: date) -> SiteStatus:
    """A site's status on ``when`` (see the module docstring).

    Examples:
        >>> s = Site(id="s", name="Xã A", level="commune", province_code="12", commune_code="03390",
        ...          region="TDMNPB", site_type="commune_hq", status="decommissioned",
        ...          history=[{"status": "active", "date": "2024-05-01"},
        ...                   {"status": "decommissioned", "date": "2025-07-01"}])
        >>> [site_status_on(s, date(y, 1, 1)).value for y in (2024, 2025, 2026)]
        ['planned', 'active', 'decommissioned']
    """
    if not site.history:
        return site.status
    found = status_on(site.history, when)
    return found if isinstance(found, SiteStatus) else SiteStatus.PLANNED


def circuit_status_on(circuit: Circuit, when: date) -> CircuitStatus:
    """A circuit's status on ``when``: from its history, else from its activation date.

    Examples:
        >>> c = Circuit(id="C-1", provider="VNPT", network="tslcd", access_level="II", a={"device": "r1",
        ...             "interface": "g0"}, z={"device": "gw", "interface": "g1"}, bandwidth_mbps=200,
        ...             routing={"protocol": "static"}, status="active", activation_date="2024-06-15")
        >>> circuit_status_on(c, date(2020, 1, 1)).value, circuit_status_on(c, date(2024, 6, 15)).value
        ('planned', 'active')
    """
    if circuit.history:
        found = status_on(circuit.history, when)
        return found if isinstance(found, CircuitStatus) else CircuitStatus.PLANNED
    if circuit.activation_date is not None and when < circuit.activation_date:
        return CircuitStatus.PLANNED
    return circuit.status


def device_present_on(device: Device, when: date) -> bool:
    """Whether a device was on site (installed, active or suspended) on ``when``; a device without history is.

    Examples:
        >>> d = Device(name="fw1", hostname="10.0.0.1", platform="frr", site="s", role="firewall",
        ...            history=[{"status": "ordered", "date": "2025-01-10"}, {"status": "active", "date": "2025-03-01"}])
        >>> device_present_on(d, date(2025, 2, 1)), device_present_on(d, date(2025, 3, 1))
        (False, True)
    """
    if not device.history:
        return True
    found = status_on(device.history, when)
    return found in PRESENT


def inventory_as_of(inv: Inventory, when: date) -> Inventory:
    """The inventory as it stood on ``when``: sites and circuits carry their status of that day, devices not yet
    (or no longer) on site are left out. Entities whose status did not change are shared, not copied.

    Examples:
        >>> from nornir_tasks.model import Inventory
        >>> s = Site(id="s", name="Xã A", level="commune", province_code="12", commune_code="03390",
        ...          region="TDMNPB", site_type="commune_hq", status="active",
        ...          history=[{"status": "active", "date": "2024-05-01"}])
        >>> inventory_as_of(Inventory(sites={"s": s}, devices={}, circuits={}), date(2024, 1, 1)).sites["s"].status.value
        'planned'
    """
    sites = {}
    for sid, site in inv.sites.items():
        status = site_status_on(site, when)
        sites[sid] = site if status is site.status else site.model_copy(update={"status": status})
    circuits = {}
    for cid, circuit in inv.circuits.items():
        cstatus = circuit_status_on(circuit, when)
        circuits[cid] = circuit if cstatus is circuit.status else circuit.model_copy(update={"status": cstatus})
    devices = {}
    for name, dev in inv.devices.items():
        if dev.history:
            present = device_present_on(dev, when)
        else:   # no history of its own: on site while its site is (when the site has a history)
            home = inv.sites.get(dev.site)
            present = home is None or not home.history or sites[home.id].status in PRESENT
        if present:
            devices[name] = dev
    return inv.model_copy(update={"sites": sites, "circuits": circuits, "devices": devices})


def change_dates(inv: Inventory) -> list[date]:
    """Every date on which something's status changed (history entries and activation dates), sorted, unique.

    Examples:
        >>> from nornir_tasks.model import Inventory
        >>> change_dates(Inventory(sites={}, devices={}, circuits={}))
        []
    """
    out: set[date] = set()
    for site in inv.sites.values():
        out.update(c.date for c in site.history)
    for dev in inv.devices.values():
        out.update(c.date for c in dev.history)
    for circuit in inv.circuits.values():
        out.update(c.date for c in circuit.history)
        if circuit.activation_date is not None:
            out.add(circuit.activation_date)
    return sorted(out)


# ---------------------------------------------------------------------------------------------------------
# Checks (pure): current status against history
# ---------------------------------------------------------------------------------------------------------
def _order_issue(kind: str, key: str, history: Sequence[StatusChange | CircuitStatusChange],
                 under: tuple[str, ...]) -> Issue | None:
    for i, (a, b) in enumerate(zip(history, history[1:]), start=1):
        if b.date < a.date:
            return Issue("INV-061", kind, key, (*under, "history", i, "date"),
                         f"{kind} {key}: history entry {i} ({b.date}) is dated before the entry above it ({a.date})",
                         "list the status changes oldest first")
    return None


def _current(kind: str, key: str, history: Sequence[StatusChange | CircuitStatusChange], status: S | None,
             today: date, under: tuple[str, ...]) -> Iterator[Issue]:
    issue = _order_issue(kind, key, history, under)
    if issue is not None:
        yield issue
        return
    if status is None:
        return
    now = status_on(history, today)
    if now is None:
        yield Issue("INV-060", kind, key, (*under, "history", 0, "date"),
                    f"{kind} {key} is {status.value} but its history starts on {history[0].date}, after today "
                    f"({today})", "date the change that gave it its current status on or before today")
    elif now is not status:
        yield Issue("INV-060", kind, key, (*under, "status"),
                    f"{kind} {key} is {status.value} but its history says {now.value} since "
                    f"{max(c.date for c in history if c.date <= today)}",
                    f"add the change to {status.value} (with its date) to history, or correct status")


def history_issues(inv: Inventory, today: date) -> list[Issue]:
    """Where an entity's current status disagrees with its history, where a history is out of date order, and
    where a circuit's ``activation_date`` disagrees with its history or status.

    Examples:
        >>> from nornir_tasks.model import Inventory
        >>> s = Site(id="s", name="Xã A", level="commune", province_code="12", commune_code="03390",
        ...          region="TDMNPB", site_type="commune_hq", status="active",
        ...          history=[{"status": "installed", "date": "2024-05-01"}])
        >>> [(i.code, i.message) for i in history_issues(Inventory(sites={"s": s}, devices={}, circuits={}),
        ...                                                date(2025, 1, 1))]
        [('INV-060', 'site s is active but its history says installed since 2024-05-01')]
    """
    out: list[Issue] = []
    for site in inv.sites.values():
        if site.history:
            out.extend(_current("site", site.id, site.history, site.status, today, ()))
    for dev in inv.devices.values():
        if dev.history:
            out.extend(_current("device", dev.name, dev.history, None, today, ("data",)))
    for c in inv.circuits.values():
        if c.history:
            out.extend(_current("circuit", c.id, c.history, c.status, today, ()))
            first_active = next((h.date for h in c.history if h.status is CircuitStatus.ACTIVE), None)
            if c.activation_date is not None and first_active is not None and first_active != c.activation_date:
                out.append(Issue("INV-062", "circuit", c.id, ("activation_date",),
                                 f"circuit {c.id} has activation_date {c.activation_date} but its history makes it "
                                 f"active on {first_active}", "make the two dates agree (or drop activation_date)"))
        elif c.activation_date is not None and c.activation_date > today and c.status is CircuitStatus.ACTIVE:
            out.append(Issue("INV-062", "circuit", c.id, ("activation_date",),
                             f"circuit {c.id} is active but its activation_date {c.activation_date} is after today "
                             f"({today})", "correct the activation date, or set status to ordered until then"))
    return out
