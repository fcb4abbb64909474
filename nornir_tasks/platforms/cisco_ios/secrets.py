"""Cisco IOS / IOS-XE secret forms (as ``show running-config`` prints them), for the masking engine.

Each form names the keyword that introduces a secret anywhere in a line; see
:mod:`nornir_tasks.platforms.masking` for what the fields mean. Sources: Cisco IOS Security Command Reference
(``enable secret``, ``username``, ``key``, ``server-private``, ``client``), IOS Network Management Command
Reference (``snmp-server``), Basic System Management Command Reference (``ntp authentication-key``), First Hop
Redundancy Protocols Command Reference (``standby``/``vrrp``/``glbp``), IP Routing Command References (OSPF,
BGP, IS-IS), Dial and Access (``ppp``), Security for VPNs with IPsec (``crypto isakmp key``, ``pre-shared-key``).
"""

from __future__ import annotations

from nornir_tasks.platforms.masking import SecretEmit, SecretForm, SecretRules

SEC = "https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/security/a1/sec-a1-cr-book.html"
SNMP = "https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/snmp/command/nm-snmp-cr-book.html"
NTP = "https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/bsm/command/bsm-cr-book.html"
FHRP = "https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/ipapp_fhrp/command/fhp-cr-book.html"

#: Encryption type words that may stand between a keyword and its value.
ENC = "0|4|5|6|7|8|9"
AAA = r"(?:tacacs-server|radius-server|tacacs server|radius server|aaa group server|aaa server)\b"

FORMS: tuple[SecretForm, ...] = (
    SecretForm(what="enable/username/aaa secret (any words before, any hash type)", keyword="secret",
               types=(ENC, "sha512|sha256|md5|scrypt", r"level \d+"), source=SEC),
    SecretForm(what="password (enable, username, line, ip ftp, ppp chap/pap, BGP/LDP neighbour, IS-IS)",
               keyword="password", types=(ENC, "sha512|clear|md5|encrypted", r"level \d+"),
               line=r"^(?!\s*password encryption aes\b)", source=SEC),
    SecretForm(what="SNMP community", keyword="community", context=r"snmp-server\b", source=SNMP),
    SecretForm(what="SNMP host community (v1/v2c; a v3 host names a user)", keyword=r"host \S+",
               context=r"snmp-server\b", line=r"^(?!.*\bversion 3\b)",
               types=("informs|traps", r"vrf \S+", "version", "1|2c|3", "auth|noauth|priv"), source=SNMP),
    SecretForm(what="SNMPv3 user auth key", keyword="auth", types=(r"md5|sha|sha-?\d+|sha\d+",),
               context=r"snmp-server user\b", source=SNMP),
    SecretForm(what="SNMPv3 localized engine ID (masked too: it ties the keys to the device)", keyword="localized",
               context=r"snmp-server user\b", source=SNMP),
    SecretForm(what="SNMPv3 user priv key", keyword="priv",
               types=(r"des|3des|des56|aes|aes-?\d+|128|192|256",), context=r"snmp-server user\b", source=SNMP),
    SecretForm(what="TACACS+/RADIUS key (host line, server block, server-private)", keyword="key", types=(ENC,),
               context=AAA, source=SEC),
    SecretForm(what="RADIUS dynamic-author client server-key", keyword="server-key", types=(ENC,), source=SEC),
    SecretForm(what="key chain / HSRP / VRRP / GLBP key-string", keyword="key-string", types=(ENC,), source=SEC),
    SecretForm(what="HSRP/VRRP/GLBP plain-text authentication", keyword="authentication", types=("text",),
               stop="md5", line=r"^\s*(?:standby|vrrp|glbp)\b", source=FHRP),
    SecretForm(what="NTP authentication key (value before its type)", keyword="authentication-key",
               types=(r"\d+ md5|sha1|sha256|hmac-sha1|hmac-sha256|cmac-aes-128",),
               line=r"^\s*ntp\b", source=NTP),
    SecretForm(what="OSPF / virtual-link authentication key", keyword="authentication-key", types=(ENC,),
               line=r"^(?!\s*ntp\b)",
               source="https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/iproute_ospf/command/iro-cr-book.html"),
    SecretForm(what="OSPF message-digest key", keyword=r"message-digest-key \d+ md5", types=(ENC,),
               source="https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/iproute_ospf/command/iro-cr-book.html"),
    SecretForm(what="IS-IS area/domain password", keyword="area-password|domain-password", types=("clear|md5",),
               source="https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/iproute_isis/command/irs-cr-book.html"),
    SecretForm(what="IKEv1 pre-shared key", keyword="isakmp key", types=("0|6",), source=SEC),
    SecretForm(what="IKEv2 keyring pre-shared key", keyword="pre-shared-key", types=("local|remote", "0|6", "hex"),
               stop="address|hostname", source=SEC),
    SecretForm(what="IKEv1 keyring pre-shared-key address … key", keyword="key", types=("0|6",),
               line=r"^\s*pre-shared-key\b", source=SEC),
    SecretForm(what="NHRP authentication string", keyword="authentication", line=r"^\s*ip nhrp\b",
               source="https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/ipaddr/command/ipaddr-cr-book.html"),
    SecretForm(what="WPA/802.1X and other shared secrets", keyword="shared-secret|shared-key", types=(ENC,),
               source=SEC),
)

#: A shared key written in plain text is shown encrypted (``key 7`` with ``service password-encryption``, ``key
#: 6`` with an AES master key): compared as one form.
RULES = SecretRules(forms=FORMS, stored=(
    (r"^(\s+key)(?: [067])? <secret>$", r"\1 7 <secret>"),
    (r"^((?:tacacs|radius)-server\b.*\bkey)(?: [067])? <secret>", r"\1 7 <secret>"),
))

_ENV = r"<secret:(?P<env>[A-Z_][A-Z0-9_]*)>"

#: The forms the cisco_ios templates write, one environment variable per encoded form.
EMITS: tuple[SecretEmit, ...] = (
    SecretEmit(kind="local_user", line=rf"username \S+ privilege \d+ secret 9 {_ENV}", suffix="_TYPE9",
               value=r"\$9\$[./0-9A-Za-z]{14}\$[./0-9A-Za-z]{43}",
               holds="an IOS type 9 (scrypt) hash",
               source="https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/security/s1/sec-s1-cr-book/sec-cr-t2-z.html"),
    SecretEmit(kind="aaa_key", line=rf"key 0 {_ENV}", value=r"[!-~]{1,127}",
               holds="the TACACS+/RADIUS shared key in plain text, one word (the device encrypts it; 'key 6' "
                     "would need each device's own AES master key)",
               source="https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/security/a1/sec-a1-cr-book/sec-cr-k1.html"),
    SecretEmit(kind="snmp_user",
               line=r"snmp-server user \S+ \S+ v3 auth (?:sha|sha-2 256) <secret:(?P<env>[A-Z_][A-Z0-9_]*)> priv aes 128 "
                    r"<secret:(?P<env2>[A-Z_][A-Z0-9_]*)>",
               value=r"[!-~]{8,64}", holds="SNMPv3 auth and priv passphrases in plain text (the device localizes them)",
               source="https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/snmp/command/nm-snmp-cr-book/nm-snmp-cr-s5.html"),
)
