"""Baseline versions and grace periods, scopes, overlays, waivers, and the state of each device."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from nornir_tasks.compliance.baseline import (
    BaselineFile,
    BaselineSet,
    OverlayFile,
    Rule,
    Scope,
    load_baselines,
)
from nornir_tasks.compliance.run import DeviceState, RunningConfig, Unreachable, run_compliance
from nornir_tasks.compliance.waivers import Waiver, WaiverRegister, load_waivers
from nornir_tasks.errors import CATALOG, ComplianceError
from nornir_tasks.inventory.load import load_or_raise
from nornir_tasks.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "tests" / "fixtures" / "compliance" / "frr"
TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
FRR = "lcu-sin-ho-ce01"          # commune CE router, FRR, province 12, region TDMNPB


@pytest.fixture(scope="module")
def inv():
    return load_or_raise(ROOT / "inventory", today=TODAY).inventory


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    return Settings(inventory_dir=tmp_path, state_dir=tmp_path / ".state", build_dir=tmp_path / "build")


def ntp_rule(rid: str = "NTP", **scope) -> Rule:
    return Rule(id=rid, title="log to syslog", severity="L", basis="test", scope=Scope(**scope),
                config={"frr": [{"require": [r"^log syslog\b"]}]})


def base(*rules: Rule, effective=date(2025, 7, 1), grace=30, version="1", extends=None) -> BaselineFile:
    return BaselineFile(version=version, effective=effective, grace_days=grace, rules=rules, extends=extends)


def texts(case: str) -> tuple[str, str]:
    return (FIX / case / "intended.cfg").read_text(), (FIX / case / "running.cfg").read_text()


def check(settings, inv, baselines, running, intended=None, waivers=None, today=TODAY, only="all"):
    return run_compliance(settings, inv, [FRR], running, intended or {}, today, baselines=baselines,
                          waivers=waivers or WaiverRegister(), only=only, now=NOW)


# -- versions and grace ------------------------------------------------------------------------------------
def test_new_rule_is_due_until_its_grace_ends_then_fails(settings, inv):
    _, running = texts("ospf_drift")
    # the drifted router lacks 'log syslog'; the rule arrives in version 2 (effective 2026-10-01, 90 days grace)
    bs = BaselineSet((base(), base(ntp_rule(), version="2", effective=date(2026, 10, 1), grace=90, extends="1")))
    run = check(settings, inv, bs, {FRR: RunningConfig(text=running, collected_at=NOW)}, today=TODAY, only="all")
    (f,) = [x for x in run.devices[0].findings if x.rule == "NTP"]
    assert f.status == "due" and f.due_by == date(2026, 12, 30)
    later = check(settings, inv, bs, {FRR: RunningConfig(text=running, collected_at=NOW + timedelta(days=40))},
                  today=date(2026, 12, 31))
    (g,) = [x for x in later.devices[0].findings if x.rule == "NTP"]
    assert g.status == "fail" and later.devices[0].state is DeviceState.NON_COMPLIANT


def test_only_due_findings_leave_the_device_compliant(settings, inv):
    _, running = texts("ospf_drift")
    bs = BaselineSet((base(ntp_rule(), effective=date(2026, 11, 1), grace=60),))
    run = check(settings, inv, bs, {FRR: RunningConfig(text=running, collected_at=NOW)})
    d = run.devices[0]
    assert d.state is DeviceState.COMPLIANT and "due by 2026-12-31" in d.reason


def test_announced_version_rules_are_due_not_failing(settings, inv):
    _, running = texts("ospf_drift")
    bs = BaselineSet((base(), base(ntp_rule(), version="2", effective=date(2027, 1, 1), grace=10, extends="1")))
    assert bs.current_version(TODAY).version == "1"
    (f,) = check(settings, inv, bs, {FRR: RunningConfig(text=running, collected_at=NOW)}).devices[0].findings
    assert f.status == "due" and f.due_by == date(2027, 1, 11)


def test_removed_rule_is_gone_in_the_new_version():
    r = ntp_rule()
    bs = BaselineSet((base(r), BaselineFile(version="2", effective=date(2026, 1, 1), extends="1", remove=("NTP",))))
    assert [a.rule.id for a in bs.rules_for(date(2025, 8, 1))] == ["NTP"]
    assert bs.rules_for(date(2026, 2, 1)) == []


# -- scopes ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("scope,applies", [
    ({}, True), ({"roles": ["ce_router"]}, True), ({"roles": ["gateway"]}, False),
    ({"levels": ["commune"]}, True), ({"levels": ["province"]}, False),
    ({"regions": ["TDMNPB"]}, True), ({"regions": ["DBSH"]}, False),
    ({"provinces": ["12"]}, True), ({"provinces": ["01"]}, False),
    ({"platforms": ["frr"], "roles": ["ce_router"], "levels": ["commune"]}, True),
    ({"platforms": ["frr"], "roles": ["firewall"]}, False),
])
def test_scope_by_role_level_region_province(settings, inv, scope, applies):
    _, running = texts("ospf_drift")
    bs = BaselineSet((base(ntp_rule(**scope)),))
    d = check(settings, inv, bs, {FRR: RunningConfig(text=running, collected_at=NOW)}).devices[0]
    assert any(f.rule == "NTP" for f in d.findings) is applies
    assert d.rules_checked == (1 if applies else 0)


def test_overlay_rules_apply_only_in_their_province(settings, inv):
    _, running = texts("ospf_drift")
    for province, expected in (("12", True), ("01", False)):
        ov = OverlayFile(province=province, effective=date(2025, 1, 1), grace_days=0, rules=(ntp_rule("P-1"),))
        bs = BaselineSet((base(),), (ov,))
        d = check(settings, inv, bs, {FRR: RunningConfig(text=running, collected_at=NOW)}).devices[0]
        assert any(f.rule == "P-1" and f.status == "fail" and f.origin.startswith("overlay") for f in d.findings) is expected


# -- waivers -----------------------------------------------------------------------------------------------
def test_waiver_covers_until_expiry_then_counts_again(settings, inv):
    _, running = texts("ospf_drift")
    bs = BaselineSet((base(ntp_rule()),))
    w = WaiverRegister((Waiver(rule="NTP", site="12-sin-ho", reason="chờ nâng cấp", approver="Sở KH&CN",
                               expires=date(2026, 12, 31)),))
    d = check(settings, inv, bs, {FRR: RunningConfig(text=running, collected_at=NOW)}, waivers=w).devices[0]
    assert d.state is DeviceState.WAIVED and d.findings[0].waiver.approver == "Sở KH&CN"
    d2 = check(settings, inv, bs, {FRR: RunningConfig(text=running, collected_at=datetime(2027, 1, 1, tzinfo=UTC))},
               waivers=w, today=date(2027, 1, 1)).devices[0]
    assert d2.state is DeviceState.NON_COMPLIANT and d2.findings[0].status == "fail"


def test_feature_waiver_by_device(settings, inv):
    intended, running = texts("ospf_drift")
    w = WaiverRegister(tuple(Waiver(rule=f"feature:{n}", device=FRR, reason="r", approver="a", expires=date(2027, 1, 1))
                             for n in ("logging", "interfaces", "static")))
    d = check(settings, inv, BaselineSet((base(),)), {FRR: RunningConfig(text=running, collected_at=NOW)},
              {FRR: intended}, waivers=w).devices[0]
    assert d.state is DeviceState.WAIVED


def test_waiver_file_errors_name_file_line_and_field(tmp_path: Path):
    p = tmp_path / "waivers.yaml"
    p.write_text("- rule: C1\n  site: 12-tu\n  reason: x\n  approver: y\n  expires: 2026-13-01\n")
    with pytest.raises(ComplianceError) as exc:
        load_waivers(p)
    assert exc.value.code == "CMP-002" and "waivers.yaml:5" in exc.value.message and "expires" in exc.value.message
    p.write_text("- rule: C1\n  device: nope\n  reason: x\n  approver: y\n  expires: 2026-12-01\n")
    with pytest.raises(ComplianceError, match="device 'nope'"):
        load_waivers(p, known_devices={"r1"}, known_sites=set())
    p.write_text("- rule: C1\n  device: r1\n  site: s\n  reason: x\n  approver: y\n  expires: 2026-12-01\n")
    with pytest.raises(ComplianceError, match="exactly one"):
        load_waivers(p)


# -- states and their precedence ---------------------------------------------------------------------------
def test_unreachable_is_never_non_compliant(settings, inv):
    intended, _ = texts("ospf_drift")
    # an inventory rule that fails for this device, and no config: still unreachable
    rule = Rule(id="D9", title="t", severity="H", basis="b", check="focal_point", params={"require": ["email"]})
    run = check(settings, inv, BaselineSet((base(rule),)), {FRR: Unreachable(error="timed out")}, {FRR: intended})
    d = run.devices[0]
    assert d.state is DeviceState.UNREACHABLE and "timed out" in d.reason
    assert any(f.rule == "D9" and f.status == "fail" for f in d.findings)
    assert run.failed
    never = check(settings, inv, BaselineSet((base(rule),)), {}, {FRR: intended}).devices[0]
    assert never.state is DeviceState.UNREACHABLE and "no running configuration" in never.reason


def test_inventory_only_does_not_need_a_config(settings, inv):
    rule = Rule(id="D9", title="t", severity="H", basis="b", check="focal_point", params={"require": ["email"]})
    d = check(settings, inv, BaselineSet((base(rule),)), {FRR: Unreachable(error="x")}, only="inventory").devices[0]
    assert d.state is DeviceState.NON_COMPLIANT and not d.features


def test_stale_config_is_stale_not_non_compliant(settings, inv):
    intended, running = texts("ospf_drift")
    old = NOW - timedelta(days=settings.backup_max_age_days + 1)
    d = check(settings, inv, BaselineSet((base(),)), {FRR: RunningConfig(text=running, collected_at=old)},
              {FRR: intended}).devices[0]
    assert d.state is DeviceState.STALE and any(not f.compliant for f in d.features)


def test_drift_is_non_compliant_with_remediation_and_clean_is_compliant(settings, inv):
    intended, running = texts("ospf_drift")
    run = check(settings, inv, BaselineSet((base(),)), {FRR: RunningConfig(text=running, collected_at=NOW)},
                {FRR: intended})
    d = run.devices[0]
    assert d.state is DeviceState.NON_COMPLIANT
    assert {f.rule for f in d.findings} == {"feature:logging", "feature:interfaces", "feature:static"}
    rem, back = run.remediations[FRR]
    assert "log syslog informational" in rem and "no ip route 192.0.2.0/24 Null0" in rem
    assert "ip route 192.0.2.0/24 Null0" in back
    ci, cr = texts("ospf_clean")
    ok = check(settings, inv, BaselineSet((base(),)), {FRR: RunningConfig(text=cr, collected_at=NOW)}, {FRR: ci})
    assert ok.devices[0].state is DeviceState.COMPLIANT and not ok.remediations and not ok.failed


def test_out_of_service_site_is_not_applicable(settings, inv):
    name = next(n for n, d in inv.devices.items() if inv.sites[d.site].status.value in ("planned", "ordered"))
    run = run_compliance(settings, inv, [name], {}, {}, TODAY, baselines=BaselineSet((base(ntp_rule()),)),
                         waivers=WaiverRegister())
    assert run.devices[0].state is DeviceState.NOT_APPLICABLE and not run.failed


def test_parallel_run_gives_the_same_result(settings, inv):
    intended, running = texts("ospf_drift")
    bs = BaselineSet((base(ntp_rule()),))
    many = {n: RunningConfig(text=running, collected_at=NOW) for n in inv.devices}
    ints = {n: intended for n in inv.devices}
    names = list(inv.devices) * 8          # ≥ 200 checks so the pool is used
    one = run_compliance(settings, inv, names, many, ints, TODAY, baselines=bs, waivers=WaiverRegister(), now=NOW,
                         platform="frr")
    two = run_compliance(settings, inv, names, many, ints, TODAY, baselines=bs, waivers=WaiverRegister(), now=NOW,
                         platform="frr", workers=2)
    assert one == two


# -- the baseline files --------------------------------------------------------------------------------------
def test_shipped_baselines_load_and_cover_the_domain_rules():
    bs = load_baselines(ROOT / "inventory" / "baselines")
    ids = {a.rule.id for a in bs.rules_for(TODAY)}
    assert {"A1", "A5", "B1", "B3", "C1", "C3", "C6", "C8-SSH", "C8-AAA", "C10-NTP", "C10-SNMP", "D1"} <= ids
    for a in bs.rules_for(TODAY):
        assert a.rule.basis and a.rule.severity in ("H", "M", "L")


def test_bad_baseline_names_file_and_line(tmp_path: Path):
    d = tmp_path / "b"
    shutil.copytree(ROOT / "inventory" / "baselines", d)
    data = yaml.safe_load((d / "national-2025.1.yaml").read_text())
    data["rules"][3]["severity"] = "X"
    (d / "national-2025.1.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    with pytest.raises(ComplianceError) as exc:
        load_baselines(d)
    assert exc.value.code == "CMP-001" and "national-2025.1.yaml:" in exc.value.message and "severity" in exc.value.message
    (d / "national-2025.1.yaml").write_text("version: '1'\neffective: 2025-01-01\nrules:\n  - id: Z\n    title: t\n"
                                           "    severity: H\n    basis: b\n    check: no_such_check\n")
    with pytest.raises(ComplianceError, match="unknown check"):
        load_baselines(d)


def test_compliance_codes_are_in_the_catalog():
    for code in ("CMP-001", "CMP-002", "CMP-003", "BKP-001"):
        assert code in CATALOG
