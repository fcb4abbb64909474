"""The backup sanitizer, driven by fixture folders: tests/fixtures/backup/<platform>/<case>/{raw,expected}.cfg
(+ secrets.txt: every secret value in raw.cfg, one per line). A new case is files only, no code."""

from __future__ import annotations

from pathlib import Path

import pytest

from nornir_tasks.backup import sanitize as sz
from nornir_tasks.errors import BackupError
from nornir_tasks.model import Platform
from nornir_tasks.platforms.masking import SecretRules, engine_for

FIXTURES = Path(__file__).parent.parent / "fixtures" / "backup"
CASES = sorted(p.parent for p in FIXTURES.glob("*/*/raw.cfg"))


def _id(case: Path) -> str:
    return f"{case.parent.name}/{case.name}"


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_case_matches_expected(case: Path) -> None:
    result = sz.sanitize((case / "raw.cfg").read_text(encoding="utf-8"), case.parent.name)
    assert result.text == (case / "expected.cfg").read_text(encoding="utf-8")


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_no_secret_survives(case: Path) -> None:
    raw = (case / "raw.cfg").read_text(encoding="utf-8")
    secrets = [s for s in (case / "secrets.txt").read_text(encoding="utf-8").splitlines() if s.strip()]
    assert secrets, "each case lists its secrets"
    result = sz.sanitize(raw, case.parent.name)
    for secret in secrets:
        assert secret in raw, f"secrets.txt lists {secret!r}, which raw.cfg does not hold"
        assert secret not in result.text
    assert result.secrets_removed >= len(secrets)
    assert sz.REMOVED in result.text


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_sanitizing_twice_changes_nothing(case: Path) -> None:
    once = sz.sanitize((case / "raw.cfg").read_text(encoding="utf-8"), case.parent.name)
    twice = sz.sanitize(once.text, case.parent.name)
    assert twice.text == once.text and twice.secrets_removed == 0 and twice.volatile_removed == 0


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_volatile_lines_are_gone(case: Path) -> None:
    result = sz.sanitize((case / "raw.cfg").read_text(encoding="utf-8"), case.parent.name)
    for marker in ("Building configuration", "Current configuration", "Last configuration change",
                   "## Last commit", "! Time:", "!Last configuration was", "ntp clock-period"):
        assert marker not in result.text
    assert result.volatile_removed > 0


def test_every_platform_has_a_case_and_rules() -> None:
    assert {c.parent.name for c in CASES} == {p.value for p in Platform}
    for platform in Platform:
        assert sz.rules_for(platform).forms


def test_empty_rule_set_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from nornir_tasks.platforms.frr import secrets as frr_secrets

    monkeypatch.setattr(frr_secrets, "RULES", SecretRules(forms=()))
    engine_for.cache_clear()
    try:
        with pytest.raises(BackupError) as err:
            sz.sanitize("hostname r1\npassword zebra\n", "frr")
        assert err.value.code == "BKP-001" and "frr" in err.value.message
    finally:
        monkeypatch.undo()
        engine_for.cache_clear()


def test_missing_platform_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "nornir_tasks.platforms.huawei_vrp.secrets", None)
    engine_for.cache_clear()
    try:
        with pytest.raises(BackupError) as err:
            sz.sanitize("sysname x\n", "huawei_vrp")
        assert err.value.code == "BKP-001" and "huawei_vrp" in err.value.message
    finally:
        monkeypatch.undo()
        engine_for.cache_clear()


def test_snmpv3_host_user_is_kept() -> None:
    out = sz.sanitize("snmp-server host 10.0.0.51 version 3 priv snmpmon\n", "cisco_ios").text
    assert out == "snmp-server host 10.0.0.51 version 3 priv snmpmon\n"
