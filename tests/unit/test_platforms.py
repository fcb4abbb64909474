"""The platform registry is the one place platform knowledge lives: complete for every platform with templates,
consistent, and asked by every stage (no stage compares a platform name)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hier_config.platforms.driver_base import HConfigDriverBase

from nornir_tasks import platforms
from nornir_tasks.model import Platform
from nornir_tasks.platforms import PLATFORMS, Capability, Revert, get

ROOT = Path(__file__).resolve().parents[2]
TEMPLATED = sorted(p.name for p in (ROOT / "templates").iterdir() if p.is_dir())


def test_every_platform_with_templates_is_in_the_registry() -> None:
    assert TEMPLATED, "no template folders found"
    assert set(TEMPLATED) <= {p.value for p in PLATFORMS}
    assert set(PLATFORMS) == set(Platform)


@pytest.mark.parametrize("name", TEMPLATED)
def test_a_platform_spec_is_complete(name: str) -> None:
    spec = get(name)
    assert spec.platform.value == name and spec.package.endswith("." + name)
    assert spec.netmiko_device_type and spec.backup_command and spec.comment_prefixes and spec.error_markers
    assert spec.features.platform is spec.platform and spec.features.features
    assert isinstance(spec.driver(), HConfigDriverBase)
    assert spec.driver() is spec.driver(), "one shared driver per platform"
    assert spec.driver().negation_prefix == spec.negation_prefix
    assert spec.rules.replace and spec.rules.order and spec.rules.negate
    assert spec.rules.protect.physical_interfaces, "every platform says which interfaces are physical ports"
    if spec.rules.protect.interface_reset == "default":
        assert "{name}" in spec.rules.protect.interface_reset_command
    for pattern in (*spec.rules.protect.sections, *spec.rules.protect.mgmt_interfaces,
                    *(x for pair in spec.rules.protect.children for x in pair), *(r.match for r in spec.rules.negate)):
        re.compile(pattern.replace("{login_user}", "x"))
    # a banner is removed as one unit: every banner start has a removal rule
    for start in spec.rules.banners:
        assert any(re.match(r.match, start.rstrip() + " motd ^C\nline\n^C", re.S) for r in spec.rules.negate), start


@pytest.mark.parametrize("name", TEMPLATED)
def test_revert_agrees_with_capabilities(name: str) -> None:
    spec = get(name)
    assert isinstance(spec.revert, Revert)
    assert (Capability.COMMIT_CONFIRM in spec.capabilities) is (spec.revert is not Revert.NONE)


def test_revert_methods_as_the_vendors_document_them() -> None:
    assert get("juniper_junos").revert is Revert.NATIVE_COMMIT_CONFIRM
    assert get("arista_eos").revert is Revert.NATIVE_COMMIT_CONFIRM
    assert get("cisco_ios").revert is Revert.NATIVE_COMMIT_CONFIRM and "archive" in get("cisco_ios").revert_needs
    assert get("huawei_vrp").revert is Revert.COMMIT_TRIAL
    assert get("frr").revert is Revert.EMULATED


def test_info_is_an_alias_of_get_and_specs_are_frozen() -> None:
    assert platforms.info("frr") is get("frr") is get(Platform.FRR)
    with pytest.raises(Exception):
        get("frr").vendor = "x"  # type: ignore[misc]
    with pytest.raises(ValueError):
        get("nx-os")


def test_secrets_are_read_from_the_platform_package_when_present() -> None:
    for spec in PLATFORMS.values():
        has_file = (ROOT / "nornir_tasks" / "platforms" / spec.name / "secrets.py").is_file()
        assert (spec.secrets is not None) is has_file


def test_napalm_frr_and_compliance_share_one_frr_driver() -> None:
    from napalm_frr import config as frrconf

    assert frrconf.driver() is get("frr").driver()


_PLATFORM_COMPARISON = re.compile(
    r"""(?:==|!=)\s*["'](?:frr|cisco_ios|huawei_vrp|juniper_junos|arista_eos)["']|\bis (?:not )?Platform\.|"""
    r"""(?:==|!=)\s*Platform\.[A-Z]""")


def test_no_stage_special_cases_a_platform_name() -> None:
    offenders = []
    for path in sorted((ROOT / "nornir_tasks").rglob("*.py")) + sorted((ROOT / "napalm_frr").rglob("*.py")):
        if "platforms" in path.relative_to(ROOT).parts:
            continue
        for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if _PLATFORM_COMPARISON.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{no}: {line.strip()}")
    assert offenders == []
