"""Arista EOS: connection names, backup command, capabilities, features and change rules."""

from __future__ import annotations

from nornir_tasks.model import Platform
from nornir_tasks.platforms.arista_eos.features import FEATURES
from nornir_tasks.platforms.arista_eos.rules import RULES
from nornir_tasks.platforms.spec import Capability, PlatformSpec, Revert

SPEC = PlatformSpec(
    platform=Platform.ARISTA_EOS, vendor="Arista", netmiko_device_type="arista_eos", napalm_driver="eos",
    hier_config_os="ARISTA_EOS", backup_command="show running-config", comment_prefixes=("!",),
    error_markers=("% Invalid input", "% Incomplete command", "% Ambiguous command"),
    config_style="indented", capabilities=frozenset(Capability),
    # 'configure session X' … 'commit timer hh:mm:ss', then 'configure session X commit' to keep it
    revert=Revert.NATIVE_COMMIT_CONFIRM,
    features=FEATURES, rules=RULES)
