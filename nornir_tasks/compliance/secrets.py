"""Masking secrets before configs are compared or shown.

Intended configs hold placeholders (``<secret:GOVNET_NETADMIN_HASH>``, substituted only at push time);
backups hold whatever the backup stage's scrubber left (``<removed>``); configs imported by hand may still
hold the real hashes and keys. Compliance cannot judge a secret it is not allowed to see, so both sides are
masked to the same token, :data:`MASK`, before comparing — and reports only ever show masked lines.

The rules are data, per platform; an empty rule set is refused (a scrubber that does nothing is a leak).
"""

from __future__ import annotations

import re
from functools import cache

from nornir_tasks.errors import BackupError
from nornir_tasks.model import Platform

MASK = "<secret>"

# Each pattern has a group named ``s``: the secret value that is replaced by MASK.
_Q = r'(?P<s>"[^"]*"|\S+)'
_IOS = (
    r"^\s*username \S+(?: privilege \d+)?(?: algorithm-type \S+)? (?:secret|password)(?: \d+)? " + _Q,
    r"^\s*enable (?:secret|password)(?: level \d+)?(?: \d+)? " + _Q,
    r"^\s*snmp-server community " + _Q,
    r"^\s*snmp-server user \S+ \S+ v3 auth \S+ " + _Q,
    r"^\s*snmp-server user \S+ \S+ v3 auth \S+ \S+ priv \S+(?: \d+)? " + _Q,
    r"^\s*(?:tacacs-server|radius-server) host \S+.*? key(?: \d+)? " + _Q,
    r"^\s*(?:tacacs-server|radius-server) key(?: \d+)? " + _Q,
    r"^\s+(?:key|password|server-private \S+ key)(?: \d+)? " + _Q,
    r"^\s*ip ospf authentication-key(?: \d+)? " + _Q,
    r"^\s*ip ospf message-digest-key \d+ md5(?: \d+)? " + _Q,
    r"^\s*neighbor \S+ password(?: \d+)? " + _Q,
)
_FRR = (
    r"^\s*(?:enable )?password(?: \d+)? " + _Q,
    r"^\s*ip ospf authentication-key " + _Q,
    r"^\s*ip ospf message-digest-key \d+ md5 " + _Q,
    r"^\s*neighbor \S+ password " + _Q,
)
_VRP = (
    r"\b(?:irreversible-cipher|cipher|simple) " + _Q,
    r"^\s*snmp-agent community (?:read|write) (?!cipher )" + _Q,
)
_JUNOS = (
    r"\b(?:encrypted-password|secret|authentication-key|privacy-key|pre-shared-key ascii-text|hello-authentication-key) " + _Q,
    r"^set snmp community " + _Q,
)

#: Platform → patterns of secret values.
SECRET_RULES: dict[Platform, tuple[str, ...]] = {
    Platform.CISCO_IOS: _IOS,
    Platform.ARISTA_EOS: _IOS,
    Platform.FRR: _FRR,
    Platform.HUAWEI_VRP: _VRP,
    Platform.JUNIPER_JUNOS: _JUNOS,
}

#: Every secret rule's line contains one of these words; other lines are left alone (fast path).
_HINT = re.compile(r"secret|password|key|community|cipher|simple|auth|priv")   # config keywords are lower case

_TOKENS = re.compile(r"<secret:[A-Za-z0-9_]+>|<removed>|<redacted>")


@cache
def _compiled(platform: Platform) -> tuple[re.Pattern[str], ...]:
    rules = SECRET_RULES.get(platform, ())
    if not rules:
        raise BackupError(f"no secret-masking rules for platform {platform.value}", code="BKP-001",
                          hint="add the platform's patterns to SECRET_RULES in nornir_tasks/compliance/secrets.py")
    return tuple(re.compile(r, re.MULTILINE) for r in rules)


def _repl(m: re.Match[str]) -> str:
    start, end = m.span("s")
    base = m.start()
    whole = m.group(0)
    return whole[: start - base] + MASK + whole[end - base:]


def mask_secrets(platform: Platform | str, text: str) -> str:
    """Replace every secret value (and every placeholder or scrubber mark) with :data:`MASK`.

    Examples:
        >>> mask_secrets("cisco_ios", "username netadmin privilege 15 secret 9 $9$abc\\n")
        'username netadmin privilege 15 secret 9 <secret>\\n'
        >>> mask_secrets("cisco_ios", "username netadmin privilege 15 secret 9 <secret:GOVNET_NETADMIN_HASH>\\n")
        'username netadmin privilege 15 secret 9 <secret>\\n'
        >>> mask_secrets("huawei_vrp", " local-user netadmin password irreversible-cipher $1c$xyz\\n")
        ' local-user netadmin password irreversible-cipher <secret>\\n'
        >>> mask_secrets("cisco_ios", "snmp-server user u g v3 auth sha AUTHX priv aes 128 PRIVX\\n")
        'snmp-server user u g v3 auth sha <secret> priv aes 128 <secret>\\n'
    """
    text = _TOKENS.sub(MASK, text)
    rules = _compiled(Platform(platform))
    # only lines holding a secret-ish word go through the rules: find the words (one scan in C), widen each
    # hit to its line, rewrite that line
    parts: list[str] = []
    pos = 0
    for m in _HINT.finditer(text):
        if m.start() < pos:
            continue
        start = text.rfind("\n", 0, m.start()) + 1
        end = text.find("\n", m.end())
        end = len(text) if end < 0 else end
        line = text[start:end]
        for rx in rules:
            line = rx.sub(_repl, line)
        parts.append(text[pos:start])
        parts.append(line)
        pos = end
    if not parts:
        return text
    parts.append(text[pos:])
    return "".join(parts)
