"""Every secret form of the corpus (tests/fixtures/secrets/) is masked by the one engine, whichever stage asks.

The corpus holds at least 15 forms per platform, each file citing the documentation page its lines follow.
On the code before the shared engine, many of these failed: EOS ``aaa root secret``, ``username … role …
secret sha512`` and ``enable password sha512`` (the word sha512 was masked and the hash kept), IOS ``ntp
authentication-key``, HSRP/VRRP ``authentication``, ``server-private … key``, ``ip ftp password``, ``ppp chap
password``, VRP ``ntp-service … hmac-sha256 <key>``, ``vrrp … authentication-mode md5 <key>``, Junos
``ntp authentication-key N … value <key>`` (the number was masked, the key kept), ``pre-shared-key
hexadecimal``, hierarchical ``community <name> {`` and ``## SECRET-DATA`` comments.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from nornir_tasks.backup.sanitize import REMOVED, sanitize
from nornir_tasks.compliance.check import parse_config
from nornir_tasks.compliance.secrets import MASK, mask_secrets
from nornir_tasks.model import Platform
from nornir_tasks.platforms.masking import engine_for, mask_text
from tests import secret_corpus

FORMS = secret_corpus.load()
IDS = [f.id for f in FORMS]


def test_corpus_has_15_forms_per_platform_and_cites_its_sources() -> None:
    per = Counter(f.platform for f in FORMS)
    assert set(per) == {p.value for p in Platform}
    assert all(n >= 15 for n in per.values()), per
    for path, doc in secret_corpus.files():
        assert doc["syntax"] == "documented", path
        assert re.search(r"https://\S+", doc["source"]), path
    assert len(set(IDS)) == len(IDS)


@pytest.mark.parametrize("form", FORMS, ids=IDS)
def test_each_secret_is_in_its_form_and_unique(form: secret_corpus.Form) -> None:
    assert form.secrets
    for s in form.secrets:
        assert len(s) >= 6 and s in form.config, s
        others = [f.id for f in FORMS if f is not form and s in f.config]
        assert not others, (s, others)        # a value found elsewhere would make the leak checks ambiguous


@pytest.mark.parametrize("form", FORMS, ids=IDS)
def test_backup_sanitizer_removes_every_secret(form: secret_corpus.Form) -> None:
    out = sanitize(form.config, form.platform)
    for s in form.secrets:
        assert s not in out.text, out.text
    assert out.text.count(REMOVED) >= len(form.secrets) and out.secrets_removed >= len(form.secrets)
    again = sanitize(out.text, form.platform)
    assert again.text == out.text and again.secrets_removed == 0


@pytest.mark.parametrize("form", FORMS, ids=IDS)
def test_compliance_masker_removes_every_secret_and_keeps_the_line(form: secret_corpus.Form) -> None:
    out = mask_secrets(form.platform, form.config)
    for s in form.secrets:
        assert s not in out, out
    assert MASK in out           # (an EOS engine ID is dropped for comparing, not masked: see arista_eos stored)
    assert len(out.splitlines()) == len(form.config.splitlines())
    assert mask_secrets(form.platform, out) == out


@pytest.mark.parametrize("form", [f for f in FORMS if f.style == "hierarchical"],
                         ids=[f.id for f in FORMS if f.style == "hierarchical"])
def test_junos_hierarchical_forms_convert_to_set_lines_without_secret_or_comment(form: secret_corpus.Form) -> None:
    parsed = parse_config("juniper_junos", mask_secrets("juniper_junos", form.config))
    lines = list(parsed.tree)
    assert lines and all(ln.startswith("set ") for ln in lines), lines
    for ln in lines:
        assert "SECRET-DATA" not in ln and not ln.endswith(";"), ln
        for s in form.secrets:
            assert s not in ln
    assert any(MASK in ln for ln in lines)


@pytest.mark.parametrize(("platform", "line", "masked"), [
    ("arista_eos", "username x role network-admin secret sha512 $6$a$b", "username x role network-admin secret sha512 <secret>"),
    ("arista_eos", "enable password sha512 $6$a$b", "enable password sha512 <secret>"),
    ("cisco_ios", "username u nohangup password 0 pw123", "username u nohangup password 0 <secret>"),
    ("cisco_ios", " client 10.0.0.1 server-key 7 0102AB", " client 10.0.0.1 server-key 7 <secret>"),
    ("cisco_ios", " client 10.0.0.1 server-key plainkey", " client 10.0.0.1 server-key <secret>"),
    ("arista_eos", " isis authentication key 7 abcdef", " isis authentication key 7 <secret>"),
    ("frr", " ip rip authentication string ripkey", " ip rip authentication string <secret>"),
    ("cisco_ios", "snmp-server host 10.0.0.1 public", "snmp-server host 10.0.0.1 <secret>"),
    ("cisco_ios", "snmp-server host 10.0.0.1 version 1 public", "snmp-server host 10.0.0.1 version 1 <secret>"),
    ("arista_eos", "snmp-server user u g v3 localized 80ab auth sha 11aa priv aes 22bb",
     "snmp-server user u g v3 auth sha <secret> priv aes <secret>"),       # compared as EOS stores it
    ("cisco_ios", "snmp-server user u g v3 auth md5 k1k1 priv k2k2", "snmp-server user u g v3 auth md5 <secret> priv <secret>"),
    ("juniper_junos", 'set system ntp authentication-key 3 type md5 value "$9$x"', "set system ntp authentication-key 3 type md5 value <secret>"),
    ("juniper_junos", "set security ike policy p pre-shared-key hexadecimal 0a0b0c", "set security ike policy p pre-shared-key hexadecimal <secret>"),
])
def test_a_keyword_anywhere_in_a_line(platform: str, line: str, masked: str) -> None:
    assert mask_secrets(platform, line + "\n") == masked + "\n"


@pytest.mark.parametrize(("platform", "line"), [
    ("cisco_ios", "key chain KC"), ("cisco_ios", " key 1"), ("cisco_ios", "service password-encryption"),
    ("cisco_ios", "password encryption aes"), ("cisco_ios", "snmp-server host 10.0.0.51 version 3 priv snmpmon"),
    ("huawei_vrp", " authentication-mode aaa"), ("huawei_vrp", " authentication-mode hwtacacs local"),
    ("huawei_vrp", "snmp-agent community complexity-check disable"),
    ("huawei_vrp", "ssh user netadmin authentication-type password"),
    ("juniper_junos", "set policy-options community CUST members 65000:100"),
    ("juniper_junos", "set system authentication-order password"),
    ("frr", " ip ospf authentication message-digest"),
])
def test_lines_without_a_secret_are_kept(platform: str, line: str) -> None:
    assert mask_secrets(platform, line + "\n") == line + "\n"


def test_known_secrets_longest_first() -> None:
    engine = engine_for("frr")
    text, n = mask_text(engine, "description abc abcdef\n", "<x>", known=["abcd", "abcdef"])
    assert text == "description abc <x>\n" and n == 1


def test_junos_secret_data_marker_masks_a_form_nobody_declared() -> None:
    text = 'services {\n    some-future-knob "$9$NotDeclared42"; ## SECRET-DATA\n    plain-knob xyz;\n}\n'
    out = mask_secrets("juniper_junos", text)
    assert "$9$NotDeclared42" not in out and "SECRET-DATA" not in out
    assert "some-future-knob <secret>;" in out and "plain-knob xyz;" in out
