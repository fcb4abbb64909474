"""Masking secrets before configs are compared or shown.

Intended configs hold placeholders (``<secret:GOVNET_NETADMIN_HASH>``, substituted only at push time);
backups hold whatever the backup stage's sanitizer left (``<secret:removed>``); configs imported by hand may
still hold the real hashes and keys. Compliance cannot judge a secret it is not allowed to see, so both sides
are masked to the same token, :data:`MASK`, before comparing — and reports, remediation and rollback only ever
see masked lines.

The secret forms are the platform's own (``nornir_tasks/platforms/<name>/secrets.py``), the very forms the
backup sanitizer uses; a platform without forms is refused with BKP-001 (a masker that masks nothing is a leak).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from nornir_tasks.model import Platform
from nornir_tasks.platforms.masking import engine_for, mask_text

MASK = "<secret>"

_TOKENS = re.compile(r"<secret:[A-Za-z0-9_]+>|<removed>|<redacted>")


def mask_secrets(platform: Platform | str, text: str, known: Iterable[str] = ()) -> str:
    """Replace every secret value (and every placeholder or sanitizer mark) with :data:`MASK`.

    ``known`` are values known to be secret (environment values), replaced wherever they appear. Masked lines
    are then written the way the device stores them (``key 0 <secret>`` → ``key 7 <secret>`` on EOS), so an
    intended plain-text form and the device's encrypted form compare equal.

    Examples:
        >>> mask_secrets("cisco_ios", "username netadmin privilege 15 secret 9 $9$abc\\n")
        'username netadmin privilege 15 secret 9 <secret>\\n'
        >>> mask_secrets("cisco_ios", "username netadmin privilege 15 secret 9 <secret:GOVNET_NETADMIN_HASH>\\n")
        'username netadmin privilege 15 secret 9 <secret>\\n'
        >>> mask_secrets("huawei_vrp", " local-user netadmin password irreversible-cipher $1c$xyz\\n")
        ' local-user netadmin password irreversible-cipher <secret>\\n'
        >>> mask_secrets("cisco_ios", "snmp-server user u g v3 auth sha AUTHX priv aes 128 PRIVX\\n")
        'snmp-server user u g v3 auth sha <secret> priv aes 128 <secret>\\n'
        >>> mask_secrets("arista_eos", "username x role network-admin secret sha512 $6$s$h\\n")
        'username x role network-admin secret sha512 <secret>\\n'
    """
    text = _TOKENS.sub(MASK, text)
    return mask_text(engine_for(Platform(platform).value), text, MASK, known, stored=True)[0]
