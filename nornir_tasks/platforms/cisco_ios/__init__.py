"""Cisco IOS / IOS-XE: connection names, backup command, capabilities, features and change rules."""

from __future__ import annotations

from nornir_tasks.model import Platform
from nornir_tasks.platforms.cisco_ios.features import FEATURES
from nornir_tasks.platforms.cisco_ios.rules import RULES
from nornir_tasks.platforms.spec import Capability, PlatformSpec, Revert

SPEC = PlatformSpec(
    ascii_only=True, platform=Platform.CISCO_IOS, vendor="Cisco", netmiko_device_type="cisco_ios", napalm_driver="ios",
    napalm_over_ssh=True, hier_config_os="CISCO_IOS", backup_command="show running-config", comment_prefixes=("!",),
    error_markers=("% Invalid input", "% Incomplete command", "% Ambiguous command"),
    config_style="indented", capabilities=frozenset(Capability),
    # 'configure terminal revert timer N' / 'configure replace … revert trigger timer N' need 'archive'
    revert=Revert.NATIVE_COMMIT_CONFIRM, revert_needs="archive (path and write-memory) configured",
    revert_needs_line="archive",
    features=FEATURES, rules=RULES)
