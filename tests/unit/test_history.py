"""Progress anchored in time: dated status changes, the inventory as of a date, derived trend points, back-dated
snapshots, and the status-against-history checks."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from nornir_tasks.inventory.history import history_issues, inventory_as_of
from nornir_tasks.inventory.load import load_inventory
from nornir_tasks.model import Site
from nornir_tasks.rollout.backfill import derive_points
from nornir_tasks.rollout.metrics import MetricData
from nornir_tasks.rollout.plans import Plan, PlanSet
from nornir_tasks.rollout.scoring import score
from nornir_tasks.rollout.service import rollout_status
from nornir_tasks.rollout.snapshots import load_history, record
from nornir_tasks.store import connect
from tests.conftest import ROOT, SAMPLE, edit_yaml, run_cli
from tests.unit.rollout_fixtures import circuit, device, gateway, inventory, site

D = date(2025, 3, 10)          # the day the commune site goes live
GONE = date(2025, 9, 1)        # the day the other one is decommissioned


def _plan(metric: str = "site_connected", start: date = date(2024, 1, 1)) -> PlanSet:
    plan = Plan.model_validate({
        "id": "p", "title": {"vi": "Kế hoạch", "en": "Plan"}, "start": start,
        "instrument": {"kind": "other", "number": "test", "issuer": "test"},
        "targets": [{"id": "t", "title": {"vi": "Mục tiêu", "en": "Target"}, "metric": metric,
                     "scope": {"levels": ["commune"]}, "threshold": {"share": 100},
                     "deadline": date(2026, 12, 31), "source": "test"}]})
    return PlanSet(plans=[plan], files={"p": "p.yaml"})


def _timeline():
    """Province 12's gateway; ``new`` goes live on D (site history and circuit activation date);
    ``old`` was active since 2024 and is decommissioned on GONE."""
    gs, gw = gateway("12")
    new = site("new", status="active", history=[{"status": "ordered", "date": "2024-11-01"},
                                                 {"status": "installed", "date": "2025-02-20"},
                                                 {"status": "active", "date": D.isoformat()}])
    old = site("old", status="decommissioned", history=[{"status": "active", "date": "2024-01-10"},
                                                         {"status": "decommissioned", "date": GONE.isoformat()}])
    c_new = circuit("C-NEW", ("new-ce", "eth0"), ("gw12", "g0")).model_copy(update={"activation_date": D})
    c_old = circuit("C-OLD", ("old-ce", "eth0"), ("gw12", "g1"), status="decommissioned")
    c_old = type(c_old).model_validate({**c_old.model_dump(), "history": [
        {"status": "active", "date": date(2024, 1, 10)}, {"status": "decommissioned", "date": GONE}]})
    return inventory([gs, new, old], [gw, device("new-ce", "new"), device("old-ce", "old")], [c_new, c_old])


def _counts(inv, day: date, metric: str = "site_connected") -> tuple[int, int]:
    res = score(_plan(metric), MetricData.build(inventory_as_of(inv, day)), day)
    t = res.plans[0].targets[0]
    return t.numerator, t.denominator


def test_a_site_activated_on_d_counts_from_d_on_not_before() -> None:
    inv = _timeline()
    assert _counts(inv, date(2025, 3, 9)) == (1, 2)        # only 'old' is connected the day before
    assert _counts(inv, D) == (2, 2)                        # 'new' counts from D on
    assert _counts(inv, date(2025, 3, 9), "site_status_active") == (1, 2)
    assert _counts(inv, D, "site_status_active") == (2, 2)


def test_a_decommissioned_site_drops_out_on_its_date() -> None:
    inv = _timeline()
    assert _counts(inv, date(2025, 8, 31)) == (2, 2)
    assert _counts(inv, GONE) == (1, 1)                     # out of the denominator on GONE, not just failing
    assert _counts(inv, date(2023, 6, 1)) == (0, 2)         # before anything: both planned, none connected


def test_a_device_counts_only_while_on_site() -> None:
    inv = _timeline()
    fw = device("new-fw", "new", role="firewall")
    fw = type(fw).model_validate({**fw.model_dump(), "history": [
        {"status": "ordered", "date": date(2025, 5, 1)}, {"status": "active", "date": date(2025, 6, 1)}]})
    inv = inv.model_copy(update={"devices": {**inv.devices, "new-fw": fw}})
    assert "new-fw" not in inventory_as_of(inv, date(2025, 5, 31)).devices
    assert "new-fw" in inventory_as_of(inv, date(2025, 6, 1)).devices


def test_derived_points_follow_the_history_and_are_marked() -> None:
    inv = _timeline()
    points = derive_points(inv, _plan().targets(), date(2025, 12, 31))["p/t"]
    assert all(p.derived and not p.recorded for p in points)
    by_day = {p.as_of: (p.numerator, p.denominator) for p in points}
    assert by_day[date(2025, 2, 28)] == (1, 2) and by_day[date(2025, 3, 31)] == (2, 2)
    assert by_day[date(2025, 9, 30)] == (1, 1)


def test_stored_snapshot_wins_over_a_derived_point_and_keeps_when_it_was_taken(tmp_path: Path) -> None:
    inv = _timeline()
    ps = _plan()
    first = rollout_status(inv, ps, as_of=date(2025, 3, 31), state_dir=tmp_path, record=True)   # back-dated
    assert first.plans[0].targets[0].numerator == 2
    conn = connect(tmp_path)
    stored = load_history(conn)["p/t"]
    assert [p.as_of for p in stored] == [date(2025, 3, 31)]
    assert stored[0].recorded_at is not None and stored[0].recorded_at.date() > date(2025, 3, 31)
    later = rollout_status(inv, ps, as_of=date(2025, 12, 31), state_dir=tmp_path)
    trend = later.plans[0].targets[0].trend
    at = {p.as_of: p for p in trend}
    assert at[date(2025, 3, 31)].derived is False and at[date(2025, 3, 31)].recorded_at is not None
    assert at[date(2025, 2, 28)].derived is True
    record(conn, [], now=datetime.now(UTC))   # recording nothing is allowed


def test_status_against_history() -> None:
    s = site("s", status="active", history=[{"status": "installed", "date": "2025-01-01"}])
    inv = inventory([s], [], [])
    assert [i.code for i in history_issues(inv, date(2025, 6, 1))] == ["INV-060"]
    later = site("s", status="active", history=[{"status": "active", "date": "2027-01-01"}])
    assert [i.code for i in history_issues(inventory([later], [], []), date(2025, 6, 1))] == ["INV-060"]
    unordered = site("s", status="active", history=[{"status": "active", "date": "2025-03-01"},
                                                    {"status": "installed", "date": "2025-01-01"}])
    assert [i.code for i in history_issues(inventory([unordered], [], []), date(2025, 6, 1))] == ["INV-061"]
    c = circuit("C-1", ("a", "e0"), ("b", "e1")).model_copy(update={"activation_date": date(2026, 1, 1)})
    assert [i.code for i in history_issues(inventory([], [], [c]), date(2025, 6, 1))] == ["INV-062"]
    ok = site("s", status="active", history=[{"status": "installed", "date": "2025-01-01"},
                                             {"status": "active", "date": "2025-02-01"}])
    assert history_issues(inventory([ok], [], []), date(2025, 6, 1)) == []


@pytest.mark.parametrize("code,edit,field", [
    ("INV-060", lambda d: d["12-sin-ho"].update(status="installed"), "12-sin-ho.status"),
    ("INV-061", lambda d: d["12-sin-ho"]["history"].reverse(), "12-sin-ho.history[1].date"),
])
def test_history_findings_name_file_and_line(inv_copy: Path, code, edit, field) -> None:
    edit_yaml(inv_copy / "sites.yaml", edit)
    found = [f for f in load_inventory(inv_copy, today=date(2026, 11, 25)).findings if f.code == code]
    assert found and found[0].field == field and found[0].file == "sites.yaml" and found[0].line, found


def test_sample_sites_carry_history() -> None:
    inv = load_inventory(SAMPLE, today=date(2026, 11, 25)).inventory
    communes = [s for s in inv.sites.values() if s.level.value == "commune"]
    assert communes and all(s.history for s in communes)
    assert isinstance(communes[0], Site)


def test_rollout_status_as_of_2020_no_longer_shows_11_of_14(tmp_path: Path) -> None:
    cfg = tmp_path / "config.yaml"
    cfg.write_text("user_defined:\n  govnet:\n"
                   f"    inventory_dir: {ROOT / 'inventory'}\n    plans_dir: {ROOT / 'inventory' / 'plans'}\n"
                   f"    state_dir: {tmp_path / 'state'}\n    reports_dir: {tmp_path / 'reports'}\n", encoding="utf-8")
    targets = {}
    for day in ("2020-01-01", "2025-11-25"):
        proc = run_cli("rollout", "status", "--config", str(cfg), "--format", "json", "--as-of", day)
        assert proc.returncode in (0, 1) and proc.stdout, proc.stderr      # 1: a target behind plan
        targets[day] = {t["key"]: t for p in json.loads(proc.stdout)["plans"] for t in p["targets"]}
    old = targets["2020-01-01"]["qd-942-2021/communes-connected"]
    assert (old["numerator"], old["denominator"]) == (0, 14)
    now = targets["2025-11-25"]["qd-942-2021/communes-connected"]
    assert (now["numerator"], now["denominator"]) == (11, 14)
    assert any(p["derived"] for p in now["trend"])


def test_generated_inventories_carry_histories(tmp_path: Path) -> None:
    from nornir_tasks.inventory.generate import generate

    generate("province=12", 1, tmp_path / "lcu")
    result = load_inventory(tmp_path / "lcu", today=date(2026, 11, 25))
    assert result.errors == []
    inv = result.inventory
    agency_sites = [s for s in inv.sites.values() if s.level.value != "central"]
    assert agency_sites and all(s.history for s in agency_sites)
    later = [d for d in inv.devices.values() if d.history]       # firewalls added after the site went live
    assert later and all(d.role.value == "firewall" for d in later)
    fw = later[0]
    before = inventory_as_of(inv, fw.history[0].date - timedelta(days=1))
    assert fw.name not in before.devices and fw.site in before.sites
    early, late = (MetricData.build(inventory_as_of(inv, day)).connected for day in (date(2021, 1, 1),
                                                                                      date(2026, 11, 1)))
    assert len(early) < len(late)
