"""Juniper Junos (set-style): connection names, backup command, capabilities, features and change rules."""

from __future__ import annotations

from nornir_tasks.model import Platform
from nornir_tasks.platforms.juniper_junos.features import FEATURES
from nornir_tasks.platforms.juniper_junos.rules import RULES
from nornir_tasks.platforms.spec import Capability, PlatformSpec, Revert

SPEC = PlatformSpec(
    platform=Platform.JUNIPER_JUNOS, vendor="Juniper", netmiko_device_type="juniper_junos",
    napalm_driver="junos", hier_config_os="JUNIPER_JUNOS",
    backup_command="show configuration | display set", comment_prefixes=("#",),
    error_markers=("syntax error", "unknown command", "error:"), config_style="set",
    capabilities=frozenset(Capability),
    revert=Revert.NATIVE_COMMIT_CONFIRM,    # 'commit confirmed N'
    negation_prefix="delete ", features=FEATURES, rules=RULES)
