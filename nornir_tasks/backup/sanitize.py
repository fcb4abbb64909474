"""Removing secrets and volatile lines from running configs before they are stored.

- **secrets** are found by the platform's secret forms (``nornir_tasks/platforms/<name>/secrets.py``, applied by
  :mod:`nornir_tasks.platforms.masking` — the same forms compliance, reports and remediation mask with); each
  value is replaced by :data:`REMOVED` (``<secret:removed>``), so the line — and the fact that a secret is
  configured — stays comparable with intended configs, which carry ``<secret:ENV_NAME>`` placeholders;
- **volatile lines** change without a configuration change (timestamps, byte counts, ``Building
  configuration...``); they are dropped so that history only shows real changes.

A platform without secret forms is an error (BKP-001), never a silent no-op. Values the caller knows to be
secret (the login password of the run, for instance) are also replaced wherever they appear, the longest first.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable
from functools import cache
from typing import cast

from pydantic import BaseModel, ConfigDict

from nornir_tasks.model import Platform
from nornir_tasks.platforms.masking import SecretRules, engine_for, mask_text

REMOVED = "<secret:removed>"

class SanitizeRule(BaseModel):
    """One volatile-line rule: what it removes (for people) and the regular expression of the whole line."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    what: str
    pattern: str


def _r(what: str, pattern: str) -> SanitizeRule:
    return SanitizeRule(what=what, pattern=pattern)


#: Platform → lines dropped because they change without a configuration change.
VOLATILE: dict[Platform, tuple[SanitizeRule, ...]] = {
    Platform.CISCO_IOS: (
        _r("banner of show running-config", r"^Building configuration\.\.\.\s*$"),
        _r("byte count", r"^Current configuration\s*:.*$"),
        _r("last change time", r"^! Last configuration change at .*$"),
        _r("NVRAM update time", r"^! NVRAM config last updated at .*$"),
        _r("no change since restart", r"^! No configuration change since last restart\s*$"),
        _r("NTP clock period (drifts)", r"^ntp clock-period \d+\s*$"),
    ),
    Platform.ARISTA_EOS: (
        _r("command echo", r"^! Command: show running-config.*$"),
        _r("time stamp", r"^! Time: .*$"),
        _r("startup-config time", r"^! Startup-config last modified at .*$"),
    ),
    Platform.FRR: (
        _r("banner of show running-config", r"^Building configuration\.\.\.\s*$"),
        _r("byte count", r"^Current configuration\s*:.*$"),
    ),
    Platform.HUAWEI_VRP: (
        _r("software version banner", r"^!Software Version .*$"),
        _r("last update time", r"^!Last configuration was (?:updated|saved) at .*$"),
        _r("time stamp", r"^!Time: .*$"),
    ),
    Platform.JUNIPER_JUNOS: (
        _r("last commit time", r"^## Last commit: .*$"),
        _r("last changed time", r"^## Last changed: .*$"),
        _r("routing-engine prompt", r"^\{(?:master|backup|primary)(?::\d+)?\}\s*$"),
    ),
}


class Sanitized(BaseModel):
    """A sanitized config and what was removed (counts only; the removed values are gone)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str
    secrets_removed: int
    volatile_removed: int


@cache
def _volatile(platform: Platform) -> re.Pattern[str] | None:
    rules = VOLATILE.get(platform, ())
    return re.compile("|".join(f"(?:{r.pattern})" for r in rules)) if rules else None


def sanitize(text: str, platform: Platform | str, known_secrets: Iterable[str] = ()) -> Sanitized:
    """Remove secrets and volatile lines from a running config.

    Secrets are found by the platform's secret forms (:mod:`nornir_tasks.platforms.masking`), the same forms
    every other stage masks with.

    Args:
        text: the config as the device printed it.
        platform: whose rules apply (the platform that produced the text).
        known_secrets: values known to be secret (e.g. the login password); replaced wherever they appear,
            the longest first.

    Raises:
        BackupError: BKP-001 when the platform has no secret forms.

    Examples:
        >>> r = sanitize("Building configuration...\\nusername admin privilege 15 secret 9 $9$abc\\n", "cisco_ios")
        >>> r.text, r.secrets_removed, r.volatile_removed
        ('username admin privilege 15 secret 9 <secret:removed>\\n', 1, 1)
        >>> sanitize("set snmp community Public authorization read-only\\n", "juniper_junos").text
        'set snmp community <secret:removed> authorization read-only\\n'
        >>> sanitize("enable password sha512 $6$s$h\\n", "arista_eos", known_secrets=["$6$s$h"]).text
        'enable password sha512 <secret:removed>\\n'
    """
    plat = Platform(platform)
    engine = engine_for(plat.value)
    volatile_re = _volatile(plat)
    kept: list[str] = []
    volatile = 0
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.rstrip()
        if volatile_re is not None and volatile_re.match(line):
            volatile += 1
            continue
        kept.append(line)
    while kept and not kept[-1]:
        kept.pop()
    while kept and not kept[0]:
        kept.pop(0)
    body = "\n".join(kept) + "\n" if kept else ""
    masked, secrets = mask_text(engine, body, REMOVED, known_secrets)
    masked = "\n".join(ln.rstrip() for ln in masked.split("\n"))
    return Sanitized(text=masked, secrets_removed=secrets, volatile_removed=volatile)


def rules_for(platform: Platform | str) -> SecretRules:
    """The secret forms of a platform (BKP-001 when there are none).

    Examples:
        >>> len(rules_for("frr").forms) > 0
        True
    """
    plat = Platform(platform)
    engine_for(plat.value)
    return cast(SecretRules, importlib.import_module(f"nornir_tasks.platforms.{plat.value}.secrets").RULES)
