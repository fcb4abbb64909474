"""Junos secret forms, in set form (``show configuration | display set``) and in hierarchical form, for the
masking engine.

See :mod:`nornir_tasks.platforms.masking` for the fields. In the hierarchical form Junos marks a secret line with
``## SECRET-DATA``; the comment is removed with the secret (it must not stay attached to a converted set line),
and ``;`` ends a statement (kept out of the masked word). Sources: Junos CLI reference statements
``encrypted-password``, ``secret`` (RADIUS/TACACS+, access profiles, key chains), ``community`` (SNMP),
``authentication-key`` (NTP, OSPF, IS-IS, BGP, VRRP, SNMPv3), ``authentication-password``/``privacy-password``,
``pre-shared-key``, ``simple-password``, ``md5 … key``.
"""

from __future__ import annotations

from nornir_tasks.platforms.masking import SecretForm, SecretRules

REF = "https://www.juniper.net/documentation/us/en/software/junos/cli-reference/topics/ref/statement/"

FORMS: tuple[SecretForm, ...] = (
    SecretForm(what="login encrypted password", keyword="encrypted-password|plain-text-password-value",
               source=REF + "encrypted-password-edit-system.html"),
    SecretForm(what="RADIUS / TACACS+ / access profile / key chain secret", keyword="secret|chap-secret|pap-password",
               source=REF + "secret-edit-system.html"),
    SecretForm(what="SNMP community (set and hierarchical)", keyword="community",
               context=r"(?:set )?snmp\b", source=REF + "community-edit-snmp.html"),
    SecretForm(what="SNMPv3 community-name", keyword="community-name", source=REF + "community-name-edit-snmp-v3.html"),
    SecretForm(what="authentication-key (NTP value; OSPF, IS-IS, BGP, VRRP, SNMPv3 keys)",
               keyword="authentication-key|hello-authentication-key",
               types=(r"\d+", r"type \S+", "value"), source=REF + "authentication-key-edit-system-ntp.html"),
    SecretForm(what="SNMPv3 privacy key", keyword="privacy-key", source=REF + "privacy-key-edit-snmp.html"),
    SecretForm(what="SNMPv3 passwords", keyword="authentication-password|privacy-password",
               source=REF + "authentication-password-edit-snmp.html"),
    SecretForm(what="IKE pre-shared key", keyword="pre-shared-key", types=("ascii-text|hexadecimal",),
               source=REF + "pre-shared-key-edit-security-ike-policy.html"),
    SecretForm(what="OSPF simple password", keyword="simple-password",
               source=REF + "authentication-edit-protocols-ospf.html"),
    SecretForm(what="OSPF MD5 key", keyword=r"md5 \d+ key", source=REF + "authentication-edit-protocols-ospf.html"),
    SecretForm(what="IPsec manual SA key", keyword="key", types=("ascii-text|hexadecimal",), needs_type=True,
               source=REF + "authentication-edit-security-ipsec-vpn.html"),
)

RULES = SecretRules(forms=FORMS, strip=(r"\s*## SECRET-DATA\s*$",), terminator=";")
