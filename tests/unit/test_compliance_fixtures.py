"""Intended vs running per feature, driven by the fixture folders tests/fixtures/compliance/<platform>/<case>/."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from nornir_tasks.compliance.check import compare_text, parse_config
from nornir_tasks.compliance.features import FEATURES
from nornir_tasks.compliance.secrets import MASK, mask_secrets
from nornir_tasks.model import Platform
from nornir_tasks.platforms import PLATFORMS
from tests.unit.remediation_property import check_round_trip

ROOT = Path(__file__).resolve().parents[1] / "fixtures" / "compliance"
CASES = sorted(p.parent for p in ROOT.glob("*/*/expected.yaml"))


def _load(case: Path) -> tuple[str, str, str, dict]:
    plat = case.parent.name
    exp = yaml.safe_load((case / "expected.yaml").read_text(encoding="utf-8"))
    intended = mask_secrets(plat, (case / "intended.cfg").read_text(encoding="utf-8"))
    running = mask_secrets(plat, (case / "running.cfg").read_text(encoding="utf-8"))
    return plat, intended, running, exp


def test_every_platform_has_features_and_fixtures():
    assert set(FEATURES) == set(Platform) == set(PLATFORMS)
    assert {c.parent.name for c in CASES} == {p.value for p in Platform}
    for plat in Platform:
        assert any((c / "expected.yaml").exists() and yaml.safe_load((c / "expected.yaml").read_text())["differs"]
                   for c in CASES if c.parent.name == plat.value), f"{plat.value} has no drift case"


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.parent.name}/{c.name}")
def test_features_that_differ_and_their_lines(case: Path):
    plat, intended, running, exp = _load(case)
    comp = compare_text(plat, intended, running)
    got = {f.name: {"missing": list(f.missing), "extra": list(f.extra)} for f in comp.features if not f.compliant}
    assert got == (exp["differs"] or {})
    assert comp.compliant is (not exp["differs"])
    assert bool(comp.remediation) is bool(exp["differs"])


DRIFTS = [c for c in CASES if yaml.safe_load((c / "expected.yaml").read_text())["differs"]]


@pytest.mark.parametrize("case", DRIFTS, ids=lambda c: f"{c.parent.name}/{c.name}")
def test_remediation_and_rollback_round_trip(case: Path):
    """Applying the remediation (as hier_config predicts it) gives the intended config; applying the rollback
    to that gives the running config back; lines the guard left out (protected, masked secrets) are the only
    exceptions, and protected lines are never touched. ``not_predictable`` features are left out (see
    expected.yaml)."""
    plat, intended, running, exp = _load(case)
    skip = set(exp.get("not_predictable") or ())
    comp = check_round_trip(plat, intended, running, skip)
    assert comp.remediation and comp.rollback


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.parent.name}/{c.name}")
def test_comparing_is_symmetric_in_its_verdict(case: Path):
    plat, intended, running, _ = _load(case)
    ab = {f.name for f in compare_text(plat, intended, running).features if not f.compliant}
    ba = {f.name for f in compare_text(plat, running, intended).features if not f.compliant}
    assert ab == ba


def test_no_secret_value_survives_masking():
    raw = (ROOT / "cisco_ios" / "drift" / "running.cfg").read_text()
    assert "$9$oNguHz" in raw
    masked = mask_secrets("cisco_ios", raw)
    assert "$9$oNguHz" not in masked and MASK in masked
    comp = compare_text("cisco_ios", mask_secrets("cisco_ios", (ROOT / "cisco_ios/drift/intended.cfg").read_text()), masked)
    text = repr(comp)
    assert "$9$" not in text and "tslcd-ro" not in text


def test_frr_closers_and_headers_are_not_config():
    text = (ROOT / "frr" / "bgp_clean" / "running.cfg").read_text()
    parsed = parse_config("frr", text)
    flat = [t for _, t in parsed.lines()]
    assert not any(t in ("exit", "exit-address-family", "end", "!") or t.startswith(("frr version", "Building"))
                   for t in flat)
    bgp = parsed.tree["router bgp 65104"]
    assert "address-family ipv6 unicast" in bgp and "neighbor 2001:db8:12:ff03::3 activate" in bgp["address-family ipv6 unicast"]


def test_ordered_feature_detects_reordering_only_as_ordered():
    i = "ip prefix-list L seq 5 permit 10.0.0.0/8\nip prefix-list L seq 10 deny any\n"
    r = "ip prefix-list L seq 10 deny any\nip prefix-list L seq 5 permit 10.0.0.0/8\n"
    f = {x.name: x for x in compare_text("frr", i, r).features}["prefix_lists"]
    assert not f.compliant and f.order_differs and not f.missing and not f.extra
    # an unordered feature ignores the order of its sections
    i2 = "interface eth0\n description a\nexit\ninterface eth1\n description b\nexit\n"
    r2 = "interface eth1\n description b\nexit\ninterface eth0\n description a\nexit\n"
    assert compare_text("frr", i2, r2).compliant


def test_lines_outside_every_feature_are_not_compared():
    i = "hostname r1\n"
    r = "hostname r1\nboot-start-marker\nplatform qfp utilization monitor load 80\n"
    assert compare_text("cisco_ios", i, r).compliant


def test_multiline_banner_is_one_line_and_compared():
    i = "banner motd ^C\nCẢNH BÁO: chỉ người được cấp quyền\n^C\nhostname r1\n"
    r = "banner motd ^C\nWelcome\n^C\nhostname r1\n"
    comp = compare_text("cisco_ios", i, r)
    (banner,) = [f for f in comp.features if not f.compliant]
    assert banner.name == "banner" and "CẢNH BÁO" in banner.missing[0] and "Welcome" in banner.extra[0]


RENDERED = [c for c in CASES if "rendered_from" in yaml.safe_load((c / "expected.yaml").read_text(encoding="utf-8"))]


def test_fresh_fixtures_cover_frr_and_junos():
    """FRR and Junos cases name the device they were rendered from (the other platforms' cases are older)."""
    assert {c.parent.name for c in RENDERED} >= {"frr", "juniper_junos"}
    assert all(c in RENDERED for c in CASES if c.parent.name in {"frr", "juniper_junos"})


@pytest.mark.parametrize("case", RENDERED, ids=lambda c: f"{c.parent.name}/{c.name}")
def test_intended_fixture_equals_the_current_render(case: Path):
    """intended.cfg is what the templates render today for the device named in expected.yaml, not a stale copy
    (a template change must come with regenerated fixtures, and for FRR a re-capture of running.cfg)."""
    from nornir_tasks.inventory.load import load_or_raise
    from nornir_tasks.render.engine import render_device

    root = Path(__file__).resolve().parents[2]
    device = yaml.safe_load((case / "expected.yaml").read_text(encoding="utf-8"))["rendered_from"]
    inv = load_or_raise(root / "inventory").inventory
    assert inv.devices[device].platform.value == case.parent.name or case.parent.name == "frr"
    rendered = render_device(inv, device, root / "templates", platform=case.parent.name)
    assert (case / "intended.cfg").read_text(encoding="utf-8") == rendered, (
        f"stale: python -m nornir_tasks.render.engine {device} {case.parent.name} > {case / 'intended.cfg'}")
