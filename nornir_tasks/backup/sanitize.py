"""Removing secrets and volatile lines from running configs before they are stored — rules as data, per platform.

Each platform has two rule lists:

- **secret rules**: a regular expression per kind of secret (passwords, enable secrets, user hashes, SNMP
  communities and v3 auth/priv keys, TACACS+/RADIUS keys, routing-protocol keys, pre-shared keys); the named
  group ``secret`` is replaced by :data:`REMOVED` (``<secret:removed>``), so the line — and the fact that a
  secret is configured — stays comparable with intended configs, which carry ``<secret:ENV_NAME>`` placeholders;
- **volatile rules**: whole lines that change without a configuration change (timestamps, byte counts,
  ``Building configuration...``); they are dropped so that history only shows real changes.

A platform without secret rules is an error (BKP-001), never a silent no-op. Values the caller knows to be
secret (the login password of the run, for instance) are also replaced wherever they appear.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from pydantic import BaseModel, ConfigDict

from nornir_tasks.errors import BackupError
from nornir_tasks.model import Platform

REMOVED = "<secret:removed>"

_V = r"(?P<secret>\"[^\"]*\"|\S+)"          # a value: quoted string or one word
_ENC = r"(?:(?:\d{1,2}|sha512|sha256|md5|cipher|irreversible-cipher|simple)\s+)?"   # type/encryption word


class SanitizeRule(BaseModel):
    """One rule: what it removes (for people), the regular expression (``secret`` group, or whole line), and
    optionally the section it applies in (a regular expression for the enclosing unindented line)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    what: str
    pattern: str
    section: str | None = None


class RuleSet(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    secrets: tuple[SanitizeRule, ...]
    volatile: tuple[SanitizeRule, ...] = ()


def _r(what: str, pattern: str, section: str | None = None) -> SanitizeRule:
    return SanitizeRule(what=what, pattern=pattern, section=section)


_IOS_LIKE_SECRETS: tuple[SanitizeRule, ...] = (
    _r("enable secret/password", rf"^\s*enable (?:secret|password)\s+(?:level \d+\s+)?{_ENC}{_V}"),
    _r("local user secret/password", rf"^\s*username \S+ .*?\b(?:secret|password)\s+{_ENC}{_V}"),
    _r("line password", rf"^\s*password\s+{_ENC}{_V}"),
    _r("SNMP community", rf"^\s*snmp-server community\s+{_V}"),
    _r("SNMP host community", r"^\s*snmp-server host \S+ (?:(?:informs|traps)\s+)?(?:version (?:1|2c)\s+)?"
       r"(?P<secret>(?!version\b)\S+)"),
    _r("SNMPv3 auth key", rf"^\s*snmp-server user \S+ .*?\bauth\s+(?:md5|sha\d*)\s+{_V}"),
    _r("SNMPv3 priv key", rf"^\s*snmp-server user \S+ .*?\bpriv\s+(?:des|3des|aes(?:\s+\d+)?)\s+{_V}"),
    _r("SNMPv3 localized keys", r"^\s*snmp-server user \S+ .*?\blocalized\s+(?P<secret>\S+)"),
    _r("TACACS+/RADIUS server key", rf"^\s*(?:tacacs-server|radius-server)\s+(?:host \S+ .*?)?key\s+{_ENC}{_V}"),
    _r("AAA server block key", rf"^\s+key\s+{_ENC}{_V}", section=r"^(?:tacacs|radius) server |^aaa group server "),
    _r("key chain key-string", rf"^\s*key-string\s+{_ENC}{_V}"),
    _r("OSPF authentication key", rf"^\s*ip ospf authentication-key\s+{_ENC}{_V}"),
    _r("OSPF message-digest key", rf"^\s*ip ospf message-digest-key \d+ md5\s+{_ENC}{_V}"),
    _r("BGP neighbor password", rf"^\s*neighbor \S+ password\s+{_ENC}{_V}"),
    _r("IKE pre-shared key", rf"^\s*(?:crypto isakmp key|pre-shared-key(?: local| remote)?)\s+{_ENC}{_V}"),
)

RULES: dict[Platform, RuleSet] = {
    Platform.CISCO_IOS: RuleSet(
        secrets=_IOS_LIKE_SECRETS,
        volatile=(
            _r("banner of show running-config", r"^Building configuration\.\.\.\s*$"),
            _r("byte count", r"^Current configuration\s*:.*$"),
            _r("last change time", r"^! Last configuration change at .*$"),
            _r("NVRAM update time", r"^! NVRAM config last updated at .*$"),
            _r("no change since restart", r"^! No configuration change since last restart\s*$"),
            _r("NTP clock period (drifts)", r"^ntp clock-period \d+\s*$"),
        )),
    Platform.ARISTA_EOS: RuleSet(
        secrets=_IOS_LIKE_SECRETS,
        volatile=(
            _r("command echo", r"^! Command: show running-config.*$"),
            _r("time stamp", r"^! Time: .*$"),
            _r("startup-config time", r"^! Startup-config last modified at .*$"),
        )),
    Platform.FRR: RuleSet(
        secrets=(
            _r("vty/enable password", rf"^\s*(?:enable )?password\s+{_ENC}{_V}"),
            _r("BGP neighbor password", rf"^\s*neighbor \S+ password\s+{_V}"),
            _r("OSPF authentication key", rf"^\s*ip ospf authentication-key\s+{_V}"),
            _r("OSPF message-digest key", rf"^\s*ip ospf message-digest-key \d+ md5\s+{_V}"),
            _r("OSPFv3/IS-IS/RIP key", rf"^\s*(?:area-password|domain-password|isis password)\s+(?:clear|md5)\s+{_V}"),
            _r("key chain key-string", rf"^\s*key-string\s+{_V}"),
            _r("SNMP community (agentx host config)", rf"^\s*snmp-server community\s+{_V}"),
        ),
        volatile=(
            _r("banner of show running-config", r"^Building configuration\.\.\.\s*$"),
            _r("byte count", r"^Current configuration\s*:.*$"),
        )),
    Platform.HUAWEI_VRP: RuleSet(
        secrets=(
            _r("local user password", rf"^\s*local-user \S+ password\s+{_ENC}{_V}"),
            _r("super password", rf"^\s*super password(?: level \d+)?\s+{_ENC}{_V}"),
            _r("user-interface password", rf"^\s*set authentication password\s+{_ENC}{_V}"),
            _r("SNMP community", rf"^\s*snmp-agent community (?:read|write)\s+{_ENC}{_V}"),
            _r("SNMPv3 auth key", rf"^\s*snmp-agent usm-user v3 \S+ .*?authentication-mode \S+\s+{_ENC}{_V}"),
            _r("SNMPv3 priv key", rf"^\s*snmp-agent usm-user v3 \S+ .*?privacy-mode \S+\s+{_ENC}{_V}"),
            _r("HWTACACS/RADIUS shared key", rf"^\s*(?:hwtacacs-server|radius-server)\b.*?shared-key\s+{_ENC}{_V}"),
            _r("OSPF authentication", rf"^\s*(?:ospf )?authentication-mode (?:md5|hmac-sha256|simple)(?: \d+)?\s+{_ENC}{_V}"),
            _r("BGP peer password", rf"^\s*peer \S+ password\s+{_ENC}{_V}"),
            _r("IKE pre-shared key", rf"^\s*pre-shared-key\s+{_ENC}{_V}"),
        ),
        volatile=(
            _r("software version banner", r"^!Software Version .*$"),
            _r("last update time", r"^!Last configuration was (?:updated|saved) at .*$"),
            _r("time stamp", r"^!Time: .*$"),
        )),
    Platform.JUNIPER_JUNOS: RuleSet(
        secrets=(
            _r("encrypted password", rf"\b(?:encrypted-password|plain-text-password-value)\s+{_V}"),
            _r("TACACS+/RADIUS secret", rf"^set system (?:tacplus-server|radius-server) \S+ secret\s+{_V}"),
            _r("SNMP community", rf"^set snmp community\s+{_V}"),
            _r("SNMPv3 auth/priv key", rf"\b(?:authentication-key|privacy-key)\s+{_V}"),
            _r("routing-protocol key", rf"\bauthentication (?:md5 \d+ key|simple-password)\s+{_V}"),
            _r("IKE pre-shared key", rf"\bpre-shared-key (?:ascii-text|hexadecimal)\s+{_V}"),
            _r("key chain secret", rf"\bkey-chain \S+ key \d+ secret\s+{_V}"),
        ),
        volatile=(
            _r("last commit time", r"^## Last commit: .*$"),
            _r("last changed time", r"^## Last changed: .*$"),
            _r("routing-engine prompt", r"^\{(?:master|backup|primary)(?::\d+)?\}\s*$"),
        )),
}


class Sanitized(BaseModel):
    """A sanitized config and what was removed (counts only; the removed values are gone)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str
    secrets_removed: int
    volatile_removed: int


@cache
def _compiled(platform: Platform) -> tuple[tuple[tuple[re.Pattern[str], re.Pattern[str] | None], ...],
                                           tuple[re.Pattern[str], ...]]:
    rules = RULES.get(platform)
    if rules is None or not rules.secrets:
        raise BackupError(f"no secret-removal rules for platform {platform.value}", code="BKP-001",
                          hint="add secret rules for the platform to nornir_tasks/backup/sanitize.py RULES; "
                               "govnet never stores a config it cannot sanitize")
    return (tuple((re.compile(r.pattern), re.compile(r.section) if r.section else None) for r in rules.secrets),
            tuple(re.compile(r.pattern) for r in rules.volatile))


def _mask(pattern: re.Pattern[str], line: str) -> tuple[str, int]:
    count = 0
    pos = 0
    while True:
        m = pattern.search(line, pos)
        if m is None or m.start("secret") < 0:
            return line, count
        start, end = m.span("secret")
        if line[start:end] != REMOVED:
            line = line[:start] + REMOVED + line[end:]
            count += 1
        pos = start + len(REMOVED)
        if pos >= len(line):
            return line, count


def sanitize(text: str, platform: Platform | str, known_secrets: Iterable[str] = ()) -> Sanitized:
    """Remove secrets and volatile lines from a running config.

    Args:
        text: the config as the device printed it.
        platform: whose rules apply (the platform that produced the text).
        known_secrets: values known to be secret (e.g. the login password); replaced wherever they appear.

    Raises:
        BackupError: BKP-001 when the platform has no secret rules.

    Examples:
        >>> r = sanitize("Building configuration...\\nusername admin privilege 15 secret 9 $9$abc\\n", "cisco_ios")
        >>> r.text, r.secrets_removed, r.volatile_removed
        ('username admin privilege 15 secret 9 <secret:removed>\\n', 1, 1)
        >>> sanitize("set snmp community Public authorization read-only\\n", "juniper_junos").text
        'set snmp community <secret:removed> authorization read-only\\n'
    """
    plat = Platform(platform)
    secret_rules, volatile_rules = _compiled(plat)
    known = sorted({s for s in known_secrets if s and len(s) >= 4}, key=len, reverse=True)
    out: list[str] = []
    secrets = volatile = 0
    section = ""
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.rstrip()
        if any(p.match(line) for p in volatile_rules):
            volatile += 1
            continue
        if line and not line[0].isspace():
            section = line
        for pattern, within in secret_rules:
            if within is not None and (line == section or not within.match(section)):
                continue
            line, n = _mask(pattern, line)
            secrets += n
        for value in known:
            if value in line:
                secrets += line.count(value)
                line = line.replace(value, REMOVED)
        out.append(line)
    while out and not out[-1]:
        out.pop()
    while out and not out[0]:
        out.pop(0)
    return Sanitized(text="\n".join(out) + "\n" if out else "", secrets_removed=secrets, volatile_removed=volatile)


def rules_for(platform: Platform | str) -> RuleSet:
    """The rules of a platform (BKP-001 when there are none).

    Examples:
        >>> len(rules_for("frr").secrets) > 0
        True
    """
    _compiled(Platform(platform))
    return RULES[Platform(platform)]
