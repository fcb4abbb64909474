"""FRR: connection names, backup command, capabilities, features and change rules."""

from __future__ import annotations

from nornir_tasks.model import Platform
from nornir_tasks.platforms.frr.features import FEATURES
from nornir_tasks.platforms.frr.rules import RULES
from nornir_tasks.platforms.spec import Capability, PlatformSpec, Revert

SPEC = PlatformSpec(
    platform=Platform.FRR, vendor="FRRouting", netmiko_device_type="cisco_ios", napalm_driver="frr",
    napalm_over_ssh=True, hier_config_os="CISCO_IOS", backup_command="show running-config", comment_prefixes=("!",),
    error_markers=("% Unknown command", "% Invalid input", "% Command incomplete", "% Ambiguous command"),
    config_style="indented", capabilities=frozenset(Capability),
    # FRR has no commit-confirm: napalm_frr arms a timer on the router that restores the previous config (revert_in)
    revert=Revert.EMULATED, lab_native_names=True, prunes_empty_sections=True,
    state_commands={"ospf_neighbors": "show ip ospf neighbor json", "bgp_summary": "show bgp summary json"},
    features=FEATURES, rules=RULES)
