"""Platform differences as data: one row per platform, no ``if platform == ...`` elsewhere.

A test checks the table is complete for every platform that has templates.
"""

from __future__ import annotations

from enum import Enum

from pydantic import BaseModel, ConfigDict

from nornir_tasks.model import Platform


class Capability(str, Enum):
    RENDER = "render"
    BACKUP = "backup"
    DIFF = "diff"
    DEPLOY = "deploy"
    COMMIT_CONFIRM = "commit_confirm"
    ROLLBACK = "rollback"


class PlatformInfo(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    platform: Platform
    vendor: str
    netmiko_device_type: str
    napalm_driver: str | None
    hier_config_os: str            # the *name* of hier_config's Platform member (never its positional value)
    backup_command: str
    comment_prefixes: tuple[str, ...]
    error_markers: tuple[str, ...]
    config_style: str              # "indented" (IOS-like), "set" (Junos set commands)
    capabilities: frozenset[Capability]


_ALL = frozenset(Capability)

PLATFORMS: dict[Platform, PlatformInfo] = {
    Platform.CISCO_IOS: PlatformInfo(
        platform=Platform.CISCO_IOS, vendor="Cisco", netmiko_device_type="cisco_ios", napalm_driver="ios",
        hier_config_os="CISCO_IOS", backup_command="show running-config", comment_prefixes=("!",),
        error_markers=("% Invalid input", "% Incomplete command", "% Ambiguous command"),
        config_style="indented", capabilities=_ALL),
    Platform.HUAWEI_VRP: PlatformInfo(
        platform=Platform.HUAWEI_VRP, vendor="Huawei", netmiko_device_type="huawei", napalm_driver=None,
        hier_config_os="HUAWEI_VRP", backup_command="display current-configuration", comment_prefixes=("#",),
        error_markers=("Error: Unrecognized command", "Error: Wrong parameter", "Error: Incomplete command"),
        config_style="indented",
        capabilities=frozenset({Capability.RENDER, Capability.BACKUP, Capability.DIFF, Capability.DEPLOY})),
    Platform.JUNIPER_JUNOS: PlatformInfo(
        platform=Platform.JUNIPER_JUNOS, vendor="Juniper", netmiko_device_type="juniper_junos",
        napalm_driver="junos", hier_config_os="JUNIPER_JUNOS",
        backup_command="show configuration | display set", comment_prefixes=("#",),
        error_markers=("syntax error", "unknown command", "error:"), config_style="set", capabilities=_ALL),
    Platform.ARISTA_EOS: PlatformInfo(
        platform=Platform.ARISTA_EOS, vendor="Arista", netmiko_device_type="arista_eos", napalm_driver="eos",
        hier_config_os="ARISTA_EOS", backup_command="show running-config", comment_prefixes=("!",),
        error_markers=("% Invalid input", "% Incomplete command", "% Ambiguous command"),
        config_style="indented", capabilities=_ALL),
    Platform.FRR: PlatformInfo(
        platform=Platform.FRR, vendor="FRRouting", netmiko_device_type="cisco_ios", napalm_driver="frr",
        hier_config_os="CISCO_IOS", backup_command="show running-config", comment_prefixes=("!",),
        error_markers=("% Unknown command", "% Invalid input", "% Command incomplete", "% Ambiguous command"),
        config_style="indented", capabilities=_ALL),
}


def info(platform: Platform | str) -> PlatformInfo:
    """The row for a platform.

    Examples:
        >>> info("frr").netmiko_device_type
        'cisco_ios'
    """
    return PLATFORMS[Platform(platform)]
