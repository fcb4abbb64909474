"""Arista EOS secret forms (as ``show running-config`` prints them), for the masking engine.

See :mod:`nornir_tasks.platforms.masking` for the fields. Sources: the Arista EOS User Manual chapters on user
security (``username … secret``, ``aaa root secret``, ``enable password``), AAA (TACACS+/RADIUS ``key``), SNMP
(``snmp-server community/host/user``), system clock and time (``ntp authentication-key``), VRRP, OSPFv2, BGP,
IS-IS (``isis authentication key``) and IPsec (``shared-key``).
"""

from __future__ import annotations

from nornir_tasks.platforms.masking import SecretEmit, SecretForm, SecretRules

UM = "https://www.arista.com/en/um-eos/"

ENC = "0|5|7|8a|sha512"
AAA = r"(?:tacacs-server|radius-server|aaa group server|aaa server)\b"

FORMS: tuple[SecretForm, ...] = (
    SecretForm(what="username / aaa root / enable secret (any words before it)", keyword="secret",
               types=(ENC, r"level \d+", r"\d+ 0|7|8a"), source=UM + "eos-user-security"),
    SecretForm(what="password (enable password sha512, BGP/OSPF neighbour, username … password)",
               keyword="password", types=(ENC, r"level \d+"), source=UM + "eos-user-security"),
    SecretForm(what="SNMP community", keyword="community", context=r"snmp-server\b", source=UM + "eos-snmp"),
    SecretForm(what="SNMP host community (v1/v2c; a v3 host names a user)", keyword=r"host \S+",
               context=r"snmp-server\b", line=r"^(?!.*\bversion 3\b)",
               types=("informs|traps", r"vrf \S+", "version", "1|2c|3", "auth|noauth|priv"), source=UM + "eos-snmp"),
    SecretForm(what="SNMPv3 user auth key (plain or localized)", keyword="auth",
               types=(r"md5|sha|sha-?\d+|sha\d+",), context=r"snmp-server user\b", source=UM + "eos-snmp"),
    SecretForm(what="SNMPv3 localized engine ID (masked too: it ties the keys to the device)", keyword="localized",
               context=r"snmp-server user\b", source=UM + "eos-snmp"),
    SecretForm(what="SNMPv3 user priv key", keyword="priv", types=(r"des|3des|aes|aes-?\d+|aes\d+",),
               context=r"snmp-server user\b", source=UM + "eos-snmp"),
    SecretForm(what="TACACS+/RADIUS key", keyword="key", types=(ENC,), context=AAA,
               source=UM + "tacacs+-commands"),
    SecretForm(what="RADIUS dynamic authorization client server-key", keyword="server-key", types=(ENC,),
               source=UM + "radius-commands"),
    SecretForm(what="NTP authentication key", keyword="authentication-key",
               types=(r"\d+ md5|sha1|sha256", ENC), line=r"^\s*ntp\b", source=UM + "system-clock-and-time-commands"),
    SecretForm(what="OSPF authentication key", keyword="authentication-key", types=(ENC,), line=r"^(?!\s*ntp\b)",
               source=UM + "ospfv2-commands"),
    SecretForm(what="OSPF message-digest key", keyword=r"message-digest-key \d+ md5|sha1|sha256|sha384|sha512",
               types=(ENC,), source=UM + "ospfv2-commands"),
    SecretForm(what="IS-IS authentication key (interface and router)", keyword="authentication key",
               types=(ENC,), source=UM + "is-is-commands"),
    SecretForm(what="VRRP / key chain key-string", keyword="key-string", types=(ENC,), source=UM + "vrrp-commands"),
    SecretForm(what="VRRP plain-text authentication", keyword="authentication", types=("text",),
               stop="ietf-md5|md5", line=r"^\s*vrrp\b", source=UM + "vrrp-commands"),
    SecretForm(what="IPsec / MACsec shared key", keyword="shared-key|shared-secret|cak", types=(ENC, r"\S+ 7"),
               source=UM + "ipsec"),
)

#: EOS shows a key entered as ``key 0 <plain>`` as ``key 7 <encrypted>``, and an SNMPv3 user's passphrases as keys
#: ``localized`` to its engine ID: compared as one form.
RULES = SecretRules(forms=FORMS, stored=((r"\bkey (?:0|7|8a) <secret>", "key 7 <secret>"),
                                         (r"\bv3 localized <secret> auth ", "v3 auth ")))

_ENV = r"<secret:(?P<env>[A-Z_][A-Z0-9_]*)>"

#: The forms the arista_eos templates write, one environment variable per encoded form.
EMITS: tuple[SecretEmit, ...] = (
    SecretEmit(kind="local_user", line=rf"username \S+ privilege \d+ role \S+ secret sha512 {_ENV}", suffix="_SHA512",
               value=r"\$6\$(?:rounds=\d+\$)?[./0-9A-Za-z]{1,16}\$[./0-9A-Za-z]{86}",
               holds="a SHA-512 crypt hash, $6$<salt>$<hash> (the same form Junos takes)",
               source=UM + "eos-user-security"),
    SecretEmit(kind="aaa_key", line=rf"(?:tacacs|radius)-server host \S+ key 0 {_ENV}", value=r"[!-~]{1,255}",
               holds="the TACACS+/RADIUS shared key in plain text, one word ('key 0'; the device stores it as "
                     "'key 7'; 'key 7' itself rejects plain text)", source=UM + "tacacs+-commands"),
    SecretEmit(kind="snmp_user",
               line=r"snmp-server user \S+ \S+ v3 auth sha256 <secret:(?P<env>[A-Z_][A-Z0-9_]*)> priv aes "
                    r"<secret:(?P<env2>[A-Z_][A-Z0-9_]*)>",
               value=r"[!-~]{8,64}", holds="SNMPv3 auth and priv passphrases in plain text (the device localizes them)",
               source=UM + "eos-snmp"),
)
