"""Huawei VRP: connection names, backup command, capabilities, features and change rules."""

from __future__ import annotations

from nornir_tasks.model import Platform
from nornir_tasks.platforms.huawei_vrp.features import FEATURES
from nornir_tasks.platforms.huawei_vrp.rules import RULES
from nornir_tasks.platforms.spec import Capability, PlatformSpec, Revert

SPEC = PlatformSpec(
    ascii_only=True, platform=Platform.HUAWEI_VRP, vendor="Huawei", netmiko_device_type="huawei", napalm_driver=None,
    hier_config_os="HUAWEI_VRP", backup_command="display current-configuration", comment_prefixes=("#",),
    error_markers=("Error: Unrecognized command", "Error: Wrong parameter", "Error: Incomplete command"),
    config_style="indented",
    capabilities=frozenset({Capability.RENDER, Capability.BACKUP, Capability.DIFF, Capability.DEPLOY,
                            Capability.COMMIT_CONFIRM, Capability.ROLLBACK}),
    # two-stage commit mode: 'commit trial N' rolls back unless 'commit' follows within N seconds
    revert=Revert.COMMIT_TRIAL, revert_needs="two-stage commit mode (VRP8 'system-view' commit model)",
    negation_prefix="undo ", features=FEATURES, rules=RULES)
