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

from nornir_tasks.platforms.masking import SecretEmit, SecretForm, SecretRules

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

#: Junos stores an SNMPv3 authentication-password / privacy-password as the engine-specific
#: authentication-key / privacy-key: compared as one form.
RULES = SecretRules(forms=FORMS, strip=(r"\s*## SECRET-DATA\s*$",), terminator=";", marker="## SECRET-DATA", stored=(
    (r"\bauthentication-password <secret>", "authentication-key <secret>"),
    (r"\bprivacy-password <secret>", "privacy-key <secret>"),
))

_ENV = r'"<secret:(?P<env>[A-Z_][A-Z0-9_]*)>"'

#: The forms the juniper_junos templates write, one environment variable per encoded form.
EMITS: tuple[SecretEmit, ...] = (
    SecretEmit(kind="local_user", line=rf"set system login user \S+ (?:class \S+ )?authentication encrypted-password {_ENV}",
               suffix="_SHA512", value=r"\$6\$(?:rounds=\d+\$)?[./0-9A-Za-z]{1,16}\$[./0-9A-Za-z]{86}",
               holds="a SHA-512 crypt hash, $6$<salt>$<hash> (the same form EOS takes)",
               source=REF + "encrypted-password-edit-system.html"),
    SecretEmit(kind="aaa_key", line=rf"set system (?:tacplus|radius)-server \S+ secret {_ENV}", value=r'[^"\\\s]{1,128}',
               holds="the TACACS+/RADIUS shared secret in plain text (Junos stores it as $9$)",
               source=REF + "secret-edit-system.html"),
    SecretEmit(kind="snmp_auth",
               line=rf"set snmp v3 usm local-engine user \S+ authentication-sha256 authentication-password {_ENV}",
               value=r'[^"\\\s]{8,1024}', holds="the SNMPv3 authentication password in plain text, at least 8 "
               "characters (authentication-key would need Junos's stored, engine-specific key)",
               source=REF + "authentication-password-edit-snmp.html"),
    SecretEmit(kind="snmp_priv", line=rf"set snmp v3 usm local-engine user \S+ privacy-aes128 privacy-password {_ENV}",
               value=r'[^"\\\s]{8,1024}', holds="the SNMPv3 privacy password in plain text, at least 8 characters",
               source=REF + "privacy-password-edit-snmp.html"),
)
