"""Scoring: numerator/denominator, expected path, every status rule with its boundaries, groups, lagging sites,
reported figures, empty scope, trend and forecast from the real SQLite store."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

import pytest

from nornir_tasks.rollout.forecast import TrendPoint, forecast
from nornir_tasks.rollout.metrics import MetricData
from nornir_tasks.rollout.plans import Plan, PlanSet
from nornir_tasks.rollout.scoring import Status, decide_status, expected_at, expected_path, score
from nornir_tasks.rollout.snapshots import load_history, record
from nornir_tasks.store import connect
from tests.unit.rollout_fixtures import tiny

START, DEADLINE = date(2025, 1, 1), date(2025, 12, 31)


def plan_of(*targets: dict, start: date = START) -> PlanSet:
    base = {"title": {"vi": "Mục tiêu", "en": "Target"}, "threshold": {"share": 100}, "deadline": DEADLINE,
            "source": "test"}
    plan = Plan.model_validate({"id": "p", "title": {"vi": "Kế hoạch", "en": "Plan"},
                                "instrument": {"number": "1/2025"}, "start": start,
                                "targets": [{**base, **t} for t in targets]})
    return PlanSet(plans=[plan], files={"p": "plans/p.yaml"})


def one(ps: PlanSet, as_of: date, inv=None, history=None, compliance=None):
    res = score(ps, MetricData.build(inv or tiny(), compliance), as_of, history=history)
    return res, res.plans[0].targets


# ------------------------------------------------------------------ numbers
def test_numerator_denominator_and_decommissioned_left_out():
    _, (t,) = one(plan_of({"id": "c", "metric": "site_connected", "scope": {"levels": ["commune"]}}), START)
    # ok, slow pass; far, down fail; gone is decommissioned and never in scope
    assert (t.numerator, t.denominator, t.share) == (2, 4, 50.0)
    assert sorted((s.site, s.reason) for s in t.lagging) == [("down", "no_l2_circuit"), ("far", "no_l2_circuit")]


def test_not_applicable_sites_leave_the_denominator():
    ps = plan_of({"id": "os", "metric": "device_os_min", "params": {"platform": "cisco_ios", "version": "15"},
                  "scope": {"levels": ["commune"]}})
    _, (t,) = one(ps, START)
    assert (t.numerator, t.denominator, t.not_applicable) == (1, 1, 3)


def test_exactly_on_the_threshold_is_met():
    ps = plan_of({"id": "c", "metric": "site_connected", "scope": {"levels": ["commune"]}, "threshold": {"share": 50}})
    _, (t,) = one(ps, START)
    assert t.share == 50.0 and t.status is Status.MET


def test_count_threshold():
    ps = plan_of({"id": "two", "metric": "site_connected", "scope": {"levels": ["commune"]}, "threshold": {"count": 2}},
                 {"id": "three", "metric": "site_connected", "scope": {"levels": ["commune"]},
                  "threshold": {"count": 3}})
    _, (two, three) = one(ps, date(2025, 12, 1))
    assert two.status is Status.MET and two.actual == 2
    assert three.status is not Status.MET and three.threshold_kind == "count"


def test_share_thirds_compare_exactly():
    # 1 of 3 sites = 33.333...%: not met against 33.34, met against 33.33
    inv = tiny()
    inv = inv.model_copy(update={"sites": {k: v for k, v in inv.sites.items() if k != "down"}})
    base = {"metric": "site_connected", "scope": {"levels": ["commune"]}}
    _, (hi, lo) = one(plan_of({"id": "hi", **base, "threshold": {"share": 66.67}},
                              {"id": "lo", **base, "threshold": {"share": 66.66}}), START, inv)
    assert (hi.numerator, hi.denominator) == (2, 3)
    assert hi.status is not Status.MET and lo.status is Status.MET


# ------------------------------------------------------------------ expected path and status rules
def test_expected_path_interpolates_between_milestones():
    path = expected_path(START, [(date(2025, 7, 1), Fraction(50))], DEADLINE, Fraction(100))
    assert expected_at(path, START) == 0
    assert expected_at(path, date(2025, 7, 1)) == 50
    assert expected_at(path, DEADLINE) == 100
    assert expected_at(path, date(2030, 1, 1)) == 100
    assert expected_at(path, date(2024, 1, 1)) == 0
    mid = expected_at(path, date(2025, 4, 1))          # 90 of 181 days towards 50
    assert mid == Fraction(50 * 90, 181)


def test_milestone_on_the_start_replaces_the_implicit_zero():
    path = expected_path(START, [(START, Fraction(40))], DEADLINE, Fraction(100))
    assert path[0] == (START, Fraction(40))


M = Fraction(10)


@pytest.mark.parametrize("actual,expected,as_of,status,rule", [
    (100, 100, DEADLINE, Status.MET, "rule_3"),
    (100, 20, START, Status.MET, "rule_3"),                       # met early
    (100, 100, DEADLINE + timedelta(days=400), Status.MET, "rule_3"),  # met stays met after the deadline
    (99, 100, DEADLINE, Status.AT_RISK, "rule_6"),                # deadline day: not missed yet
    (80, 100, DEADLINE, Status.BEHIND, "rule_7"),
    (99, 100, DEADLINE + timedelta(days=1), Status.MISSED, "rule_4"),  # the day after: missed
    (60, 60, date(2025, 6, 1), Status.ON_TRACK, "rule_5"),        # exactly on the expected path
    (50, 60, date(2025, 6, 1), Status.AT_RISK, "rule_6"),         # exactly the margin below
    (49.99, 60, date(2025, 6, 1), Status.BEHIND, "rule_7"),       # just beyond the margin
])
def test_status_rules(actual, expected, as_of, status, rule):
    got = decide_status(Fraction(str(actual)), Fraction(100), Fraction(expected), as_of, DEADLINE, M)
    assert got == (status, rule)


def test_on_track_but_forecast_late_is_at_risk():
    got = decide_status(Fraction(60), Fraction(100), Fraction(50), date(2025, 6, 1), DEADLINE, M,
                        forecast_date=DEADLINE + timedelta(days=1))
    assert got == (Status.AT_RISK, "rule_5b")
    assert decide_status(Fraction(60), Fraction(100), Fraction(50), date(2025, 6, 1), DEADLINE, M,
                         forecast_date=DEADLINE)[0] is Status.ON_TRACK


def test_deadline_day_through_scoring():
    ps = plan_of({"id": "c", "metric": "site_connected", "scope": {"levels": ["commune"]}})
    _, (on_day,) = one(ps, DEADLINE)
    _, (after,) = one(ps, DEADLINE + timedelta(days=1))
    assert on_day.status is Status.BEHIND and on_day.expected == 100.0
    assert after.status is Status.MISSED


def test_empty_scope_is_a_warning_not_a_division_by_zero():
    ps = plan_of({"id": "none", "metric": "site_connected", "scope": {"provinces": ["79"]}})
    res, (t,) = one(ps, START)
    assert t.status is Status.EMPTY_SCOPE
    assert (t.numerator, t.denominator, t.share) == (0, 0, None)
    assert [w.code for w in res.warnings] == ["RLT-005"]
    assert "no site of the inventory" in res.warnings[0].message and res.warnings[0].file == "plans/p.yaml"
    assert res.warnings[0].field == "targets[0].scope"


def test_groups_by_province_region_level():
    ps = plan_of({"id": "c", "metric": "site_connected"})
    _, (t,) = one(ps, START)
    prov = {g.key: (g.numerator, g.denominator) for g in t.groups["province"]}
    assert prov == {"01": (0, 1), "12": (2, 5)}      # gateways are sites too (not connected over level II)
    regions = {g.key: (g.numerator, g.denominator) for g in t.groups["region"]}
    assert regions == {"DBSH": (0, 1), "TDMNPB": (2, 5)}
    levels = {g.key: (g.numerator, g.denominator) for g in t.groups["level"]}
    assert levels == {"commune": (2, 4), "province": (0, 2)}
    assert {g.label for g in t.groups["province"]} == {"Thành phố Hà Nội", "Tỉnh Lai Châu"}


def test_scope_filters():
    base = {"metric": "site_status_active"}
    _, ts = one(plan_of({"id": "mtn", **base, "scope": {"mountainous": False}},
                        {"id": "fw", **base, "scope": {"roles": ["firewall"]}},
                        {"id": "reg", **base, "scope": {"regions": ["DBSH"]}},
                        {"id": "st", **base, "scope": {"statuses": ["decommissioned"]}},
                        {"id": "ty", **base, "scope": {"site_types": ["provincial_centre"]}}), START)
    assert [t.denominator for t in ts] == [1, 1, 1, 1, 2]


def test_compliance_target_without_snapshot_reports_no_data():
    ps = plan_of({"id": "cmp", "metric": "compliant_with_baseline", "params": {"version": "2025.1"}})
    _, (t,) = one(ps, START)
    assert t.status is Status.NO_DATA and t.share is None and t.numerator is None
    assert "warn_no_compliance" in t.warnings


# ------------------------------------------------------------------ reported figures
def test_reported_figures_are_kept_apart_from_computed_numbers():
    ps = plan_of({"id": "c", "metric": "site_connected", "scope": {"levels": ["commune"]},
                  "reported": [{"numerator": 2943, "denominator": 3321, "share": 88.6, "as_of": "2025-06-29"}]})
    _, (t,) = one(ps, date(2025, 7, 1))
    assert (t.numerator, t.denominator) == (2, 4)
    assert t.reported[0].numerator == 2943 and t.reported[0].share == 88.6


def test_reported_only_status_comes_from_the_latest_figure_at_the_as_of_date():
    ps = plan_of({"id": "mail", "reported_only": True, "threshold": {"share": 60},
                  "reported": [{"share": 40, "as_of": "2025-03-01"}, {"share": 65, "as_of": "2025-09-01"}]},
                 {"id": "none", "reported_only": True, "threshold": {"share": 60}})
    _, (t, empty) = one(ps, date(2025, 6, 1))
    assert t.actual == 40 and t.numerator is None and t.status is not Status.MET
    _, (t2, _) = one(ps, date(2025, 10, 1))
    assert t2.actual == 65 and t2.status is Status.MET
    assert empty.status is Status.NO_DATA and "warn_no_reported_figure" in empty.warnings


# ------------------------------------------------------------------ trend and forecast
def test_forecast_needs_three_dates_and_uses_the_store(tmp_path):
    ps = plan_of({"id": "c", "metric": "site_connected", "scope": {"levels": ["commune"]}})
    conn = connect(tmp_path)
    _, (t1,) = one(ps, date(2025, 2, 1))
    assert t1.forecast.state == "not_enough_data" and t1.forecast.points == 1
    record(conn, [t1])
    _, (t2,) = one(ps, date(2025, 3, 1), history=load_history(conn))
    assert t2.forecast.state == "not_enough_data" and t2.forecast.points == 2
    # the inventory did not change between the snapshots: flat trend → no progress, no invented date
    record(conn, [t2])
    _, (t3,) = one(ps, date(2025, 4, 1), history=load_history(conn))
    assert t3.forecast.state == "no_progress" and t3.forecast.date is None
    assert [p.recorded for p in t3.trend] == [True, True, False]


def test_forecast_from_a_rising_trend_and_late_forecast_makes_at_risk(tmp_path):
    ps = plan_of({"id": "c", "metric": "site_connected", "scope": {"levels": ["commune"]}})
    key = "p/c"
    # earlier snapshots 0% and 25%, the inventory now gives 50%: +25 points a month → 100% two months later
    history = {key: [TrendPoint(as_of=date(2025, 1, 1), value=0, numerator=0, denominator=4),
                     TrendPoint(as_of=date(2025, 1, 31), value=25, numerator=1, denominator=4)]}
    _, (t,) = one(ps, date(2025, 3, 2), history=history)
    assert t.forecast.state == "forecast"
    assert t.forecast.date == date(2025, 3, 2) + timedelta(days=60)
    assert t.forecast.on_time is True
    # the same pace, with the deadline before the forecast date: on the path now, but at risk
    late = plan_of({"id": "c", "metric": "site_connected", "scope": {"levels": ["commune"]},
                    "deadline": date(2025, 4, 1), "milestones": []}, start=date(2025, 3, 1))
    _, (t,) = one(late, date(2025, 3, 2), history=history)
    assert t.forecast.on_time is False


def test_forecast_function_slope_and_met():
    pts = [TrendPoint(as_of=date(2025, 1, 1) + timedelta(days=10 * i), value=v, numerator=0, denominator=1)
           for i, v in enumerate([10, 20, 30, 40])]
    f = forecast(pts, 100, date(2025, 12, 31))
    assert f.state == "forecast" and f.slope_per_30_days == 30.0 and f.points == 4
    assert f.date == date(2025, 1, 1) + timedelta(days=90)
    assert forecast(pts + [pts[-1].model_copy(update={"as_of": date(2025, 3, 1), "value": 100.0})], 100,
                    date(2025, 12, 31)).state == "met"


def test_record_replaces_the_same_date(tmp_path):
    ps = plan_of({"id": "c", "metric": "site_connected", "scope": {"levels": ["commune"]}})
    conn = connect(tmp_path)
    _, (t,) = one(ps, date(2025, 2, 1))
    assert record(conn, [t]) == 1
    assert record(conn, [t]) == 1
    assert len(load_history(conn)["p/c"]) == 1


def test_empty_scope_warning_names_the_line_of_the_scope(tmp_path):
    from nornir_tasks.rollout.plans import load_plans

    (tmp_path / "hcm.yaml").write_text(
        "id: hcm\n"
        "title: {vi: Kế hoạch TP.HCM, en: HCMC plan}\n"
        "instrument: {number: 1/2025}\n"
        "start: 2025-01-01\n"
        "targets:\n"
        "  - id: connected\n"
        "    title: {vi: Kết nối, en: Connected}\n"
        "    metric: site_connected\n"
        "    scope:\n"
        "      provinces: ['79']\n"
        "    threshold: {share: 100}\n"
        "    deadline: 2025-12-31\n"
        "    source: test\n", encoding="utf-8")
    ps = load_plans(tmp_path)
    assert ps.findings == []
    res = score(ps, MetricData.build(tiny()), START)
    (w,) = res.warnings
    assert (w.code, w.line, w.field) == ("RLT-005", 9, "targets[0].scope")
    assert w.sentence().startswith(f"[RLT-005] {tmp_path.name}/hcm.yaml:9 targets[0].scope: ")
