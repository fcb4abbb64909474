"""Huawei VRP secret forms (as ``display current-configuration`` prints them), for the masking engine.

See :mod:`nornir_tasks.platforms.masking` for the fields. VRP stores most secrets behind ``cipher`` or
``irreversible-cipher`` (``%^%#…%^%#``, ``$1c$…$``, ``$1d$…$``); some commands print a key without the word
(``ntp-service authentication-keyid 1 authentication-mode hmac-sha256 <key>``, ``vrrp vrid 1
authentication-mode md5 <key>``). Sources: Huawei NetEngine AR / S series Command Reference (AAA
``local-user``, HWTACACS/RADIUS ``shared-key``, SNMP ``snmp-agent community/usm-user/target-host``, NTP
``ntp-service authentication-keyid``, OSPF/IS-IS/VRRP ``authentication-mode``, BGP ``peer password``, IPsec
``pre-shared-key``, keychain ``key-string``, user-interface ``set authentication password``).
"""

from __future__ import annotations

from nornir_tasks.platforms.masking import SecretEmit, SecretForm, SecretRules

CR = "https://support.huawei.com/enterprise/en/doc/EDOC1100112354"    # AR series V300R021 command reference

ENC = "cipher|irreversible-cipher|simple|plain"

FORMS: tuple[SecretForm, ...] = (
    SecretForm(what="anything after cipher / irreversible-cipher", keyword="cipher|irreversible-cipher", source=CR),
    SecretForm(what="password (local-user, super, set authentication, peer, tunnel)", keyword="password",
               types=(ENC, r"level \d+", "sha256"), source=CR),
    SecretForm(what="authentication-mode with a key (NTP, OSPF, IS-IS, VRRP, SNMPv3)",
               keyword="authentication-mode|area-authentication-mode|domain-authentication-mode",
               types=(r"md5|sha|sha2-256|hmac-sha256|hmac-sha1|hmac-md5|simple|text|ietf-md5|huawei-md5", r"key-id",
                      r"\d+", ENC), needs_type=True, source=CR),
    SecretForm(what="SNMPv3 privacy key", keyword="privacy-mode", types=(r"des56|3des|aes\d*|aes\d+", ENC),
               needs_type=True, source=CR),
    SecretForm(what="SNMP community", keyword="community", types=("read|write", ENC), needs_type=True,
               line=r"^\s*snmp-agent community\b", source=CR),
    SecretForm(what="SNMP target-host community (securityname)", keyword="securityname", types=(ENC,), source=CR),
    SecretForm(what="HWTACACS / RADIUS shared key", keyword="shared-key", types=(ENC,), source=CR),
    SecretForm(what="IKE pre-shared key", keyword="pre-shared-key", types=(ENC,), source=CR),
    SecretForm(what="keychain key-string", keyword="key-string", types=(ENC,), source=CR),
)

RULES = SecretRules(forms=FORMS)

_ENV = r"<secret:(?P<env>[A-Z_][A-Z0-9_]*)>"

#: The forms the huawei_vrp templates write, one environment variable per encoded form.
EMITS: tuple[SecretEmit, ...] = (
    SecretEmit(kind="local_user", line=rf"local-user \S+ password irreversible-cipher {_ENV}", suffix="_VRP",
               value=r"\$1[a-d]\$\S{8,}|[^$\s]\S{7,127}",
               holds="the password in plain text (the device hashes it) or VRP's own irreversible-cipher text "
                     "($1a$…$1d$); never a $6$ or $9$ hash, which VRP would take as the password itself",
               source=CR),
    SecretEmit(kind="local_user", line=rf"password cipher {_ENV}", suffix="_VRP",
               value=r"\$1[a-d]\$\S{8,}|[^$\s]\S{7,127}",
               holds="a USG manager-user password in plain text (the device encrypts it)", source=CR),
    SecretEmit(kind="aaa_key",
               line=rf"hwtacacs-server (?:authentication|authorization|accounting) \S+ \d+ shared-key cipher {_ENV}"
                    r"(?: secondary)?|radius-server (?:authentication|accounting) \S+ \d+ shared-key cipher "
                    r"<secret:(?P<env2>[A-Z_][A-Z0-9_]*)>",
               value=r"[!-~]{1,128}", holds="the HWTACACS/RADIUS shared key in plain text (the device stores it as cipher text)",
               source=CR),
    SecretEmit(kind="snmp_auth", line=rf"snmp-agent usm-user v3 \S+ authentication-mode sha2-256 cipher {_ENV}",
               value=r"[!-~]{8,255}", holds="the SNMPv3 authentication password in plain text", source=CR),
    SecretEmit(kind="snmp_priv", line=rf"snmp-agent usm-user v3 \S+ privacy-mode aes128 cipher {_ENV}",
               value=r"[!-~]{8,255}", holds="the SNMPv3 privacy password in plain text", source=CR),
)
