"""The platform registry: everything govnet knows about a platform, in one package per platform.

``nornir_tasks/platforms/<name>/`` holds one platform's data (the shape of hier_config's ``platforms/<name>/``
and scrapli's per-platform driver modules):

* ``__init__.py`` — its :class:`~nornir_tasks.platforms.spec.PlatformSpec` (``SPEC``): netmiko and NAPALM names,
  backup command, comment and CLI error markers, capabilities and how it reverts a change;
* ``features.py`` — its compliance feature map;
* ``rules.py`` — what makes a remediation or rollback one the device accepts (ordering, single-valued
  commands, removals without values, protected lines, banners);
* ``driver.py`` — its hier_config driver (those rules turned into hier_config's), used by compliance and, for
  FRR, by ``napalm_frr``;
* ``secrets.py`` (when present) — its secret patterns, read by :attr:`PlatformSpec.secrets`.

Every stage asks :func:`get`; no stage special-cases a platform name. A test checks the registry is complete
for every platform that has templates.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from nornir_tasks.model import Platform
from nornir_tasks.platforms import arista_eos, cisco_ios, frr, huawei_vrp, juniper_junos
from nornir_tasks.platforms.spec import (
    Capability,
    ChangeRules,
    Feature,
    PlatformFeatures,
    PlatformSpec,
    Protect,
    Revert,
)

__all__ = ["LAB_PLATFORM", "PLATFORMS", "Capability", "ChangeRules", "Feature", "PlatformFeatures", "PlatformInfo",
           "PlatformSpec", "Protect", "Revert", "get", "info"]

#: Platform → its spec (read-only).
PLATFORMS: Mapping[Platform, PlatformSpec] = MappingProxyType(
    {m.SPEC.platform: m.SPEC for m in (cisco_ios, huawei_vrp, juniper_junos, arista_eos, frr)})

#: The platform every device becomes in the virtual lab (FRR routers in network namespaces).
LAB_PLATFORM = Platform.FRR

#: The former name of :class:`PlatformSpec`.
PlatformInfo = PlatformSpec


def get(platform: Platform | str) -> PlatformSpec:
    """The spec of a platform.

    Raises:
        ValueError: when ``platform`` is not a platform govnet knows (the inventory refuses those: INV-018).

    Examples:
        >>> get("frr").netmiko_device_type, get("frr").revert.value
        ('cisco_ios', 'emulated')
        >>> get("juniper_junos").features.features[0].name
        'hostname'
    """
    return PLATFORMS[Platform(platform)]


def info(platform: Platform | str) -> PlatformSpec:
    """The former name of :func:`get`.

    Examples:
        >>> info("frr") is get("frr")
        True
    """
    return get(platform)
