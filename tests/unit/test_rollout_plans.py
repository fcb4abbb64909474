"""Plans as data: the seed plans load cleanly and say where their numbers come from; every bad plan in
tests/fixtures/rollout/bad_plans/<case>/ gives a finding naming file, line and field (expected.yaml), and the
CLI exits 2 with that sentence."""

from __future__ import annotations

import shutil

import pytest
import yaml

from nornir_tasks.errors import CATALOG, RolloutError
from nornir_tasks.rollout.metrics import METRICS
from nornir_tasks.rollout.plans import load_plan_file, load_plans, plans_or_raise
from tests.conftest import ROOT, run_cli

BAD = ROOT / "tests" / "fixtures" / "rollout" / "bad_plans"
CASES = sorted(p.name for p in BAD.iterdir() if (p / "plan.yaml").exists())
SEED = ROOT / "inventory" / "plans"


def test_seed_plans_load_without_findings():
    ps = load_plans(SEED)
    assert ps.findings == []
    assert {p.id for p in ps.plans} == {"qd-942-2021", "ipv6-gov", "vnpt-2025-uplink", "qd-33-2025", "qd-48-2009"}


def test_every_seed_target_says_where_its_number_came_from():
    for plan in load_plans(SEED).plans:
        for t in plan.targets:
            assert t.source or t.illustrative, f"{plan.id}/{t.id}"
            assert not t.illustrative or t.illustrative_reason, f"{plan.id}/{t.id}"
            assert t.reported_only or t.metric in METRICS


def test_every_seed_plan_cites_its_instrument_structurally():
    cites = {p.id: p.instrument for p in load_plans(SEED).plans}
    for plan_id, inst in cites.items():
        assert inst.kind is not None and inst.number and inst.issuer, plan_id
    ipv6 = cites["ipv6-gov"]
    assert ipv6.vi() == "Quyết định số 38/QĐ-BTTTT ngày 14/01/2021 của Bộ Thông tin và Truyền thông"
    assert ipv6.kind.value == "decision" and ipv6.url and "TTg" not in ipv6.number
    assert cites["qd-942-2021"].vi() == "Quyết định số 942/QĐ-TTg ngày 15/06/2021 của Thủ tướng Chính phủ"
    assert cites["qd-48-2009"].vi() == "Quyết định số 48/2009/QĐ-TTg ngày 31/03/2009 của Thủ tướng Chính phủ"


def test_an_illustrative_target_must_say_why():
    from pydantic import ValidationError

    from nornir_tasks.rollout.plans import Target

    body = {"id": "t", "title": {"vi": "a", "en": "a"}, "metric": "site_connected", "threshold": {"share": 100},
            "deadline": "2025-12-31", "illustrative": True}
    with pytest.raises(ValidationError, match="illustrative_reason"):
        Target.model_validate(body)
    assert Target.model_validate({**body, "illustrative_reason": "the author's number"}).illustrative


def test_seed_plans_carry_the_domain_numbers():
    ps = load_plans(SEED)
    byid = {p.id: p for p in ps.plans}
    qd33 = byid["qd-33-2025"]
    assert all(t.illustrative for t in qd33.targets)
    assert all(t.reported_only for t in byid["qd-48-2009"].targets)
    assert sorted(t.threshold.share for t in byid["qd-48-2009"].targets) == [30, 60, 80]
    vnpt = byid["vnpt-2025-uplink"].targets[0]
    assert vnpt.params == {"mbps": 200}
    fig = vnpt.reported[0]
    assert (fig.numerator, fig.denominator, fig.share) == (2943, 3321, 88.6)
    ipv6 = {t.id: t for t in byid["ipv6-gov"].targets}
    # QĐ 38/QĐ-BTTTT: the 2022 milestone is plans and portals of ministries/provinces (reported only), WAN
    # conversion belongs to 2023–2025 and is measured per site only as an illustrative proxy
    assert ipv6["plans-and-portals-2022"].reported_only and ipv6["plans-and-portals-2022"].threshold.share == 50
    assert ipv6["plans-and-portals-2025"].reported_only and ipv6["plans-and-portals-2025"].threshold.share == 100
    wan = ipv6["wan-ipv6-2025"]
    assert wan.illustrative and wan.illustrative_reason and not wan.milestones
    assert "wan-ipv6-2022" not in ipv6
    qd942 = {t.id: t for t in byid["qd-942-2021"].targets}
    assert qd942["sites-active"].illustrative and "inference" in (qd942["sites-active"].illustrative_reason or "")
    deadlines = {rt.key: rt.deadline.isoformat() for rt in ps.targets()}
    assert deadlines["qd-942-2021/communes-connected"] == "2025-12-31"
    assert deadlines["vnpt-2025-uplink/commune-uplink-200"] == "2025-06-29"
    assert deadlines["qd-48-2009/email-mountainous"] == "2010-12-31"


def test_seed_text_is_nfc():
    import unicodedata

    for path in SEED.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert unicodedata.normalize("NFC", text) == text, path.name


@pytest.mark.parametrize("case", CASES)
def test_bad_plan_names_file_line_field(case):
    expected = yaml.safe_load((BAD / case / "expected.yaml").read_text(encoding="utf-8"))
    plan, findings = load_plan_file(BAD / case / "plan.yaml", f"plans/{case}.yaml")
    assert plan is None
    match = [f for f in findings if f.code == expected["code"] and expected["message"] in f.sentence()]
    assert match, [f.sentence() for f in findings]
    f = match[0]
    assert f.file == f"plans/{case}.yaml"
    if "line" in expected:
        assert f.line == expected["line"], f.sentence()
    if "field" in expected:
        assert f.field == expected["field"], f.sentence()
    if "hint" in expected:
        assert expected["hint"] in f.hint
    assert f.code in CATALOG


def test_plans_or_raise_carries_every_finding(tmp_path):
    for case in ("unknown_metric", "threshold_over_100"):
        shutil.copy(BAD / case / "plan.yaml", tmp_path / f"{case}.yaml")
    with pytest.raises(RolloutError) as info:
        plans_or_raise(tmp_path)
    codes = sorted(f.code for f in info.value.findings)
    assert codes == ["RLT-001", "RLT-002"]


def test_duplicate_plan_ids_and_empty_folder(tmp_path):
    assert load_plans(tmp_path).findings[0].message.startswith("no plan files")
    shutil.copy(SEED / "ipv6-gov.yaml", tmp_path / "a.yaml")
    shutil.copy(SEED / "ipv6-gov.yaml", tmp_path / "b.yaml")
    f = load_plans(tmp_path).findings
    line = 1 + (SEED / "ipv6-gov.yaml").read_text(encoding="utf-8").splitlines().index("id: ipv6-gov")
    assert len(f) == 1 and f[0].field == "id" and f[0].line == line and "also used by" in f[0].message


@pytest.mark.parametrize("case", ["unknown_metric", "threshold_over_100", "deadline_not_a_date", "unknown_province"])
def test_cli_exits_2_with_a_sentence(case, tmp_path):
    plans = tmp_path / "plans"
    plans.mkdir()
    shutil.copy(BAD / case / "plan.yaml", plans / "plan.yaml")
    expected = yaml.safe_load((BAD / case / "expected.yaml").read_text(encoding="utf-8"))
    proc = run_cli("rollout", "status", "--plans", str(plans))
    assert proc.returncode == 2, proc.stderr
    assert f"plans/plan.yaml:{expected['line']} {expected['field']}" in proc.stderr
    assert "Traceback" not in proc.stderr
