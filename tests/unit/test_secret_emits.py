"""Each platform declares, per kind of secret, the form its templates write (``EMITS`` in
``nornir_tasks/platforms/<platform>/secrets.py``): the line, the environment variable (one per encoded form)
and what the variable must hold. Every platform of the sample inventory (and the golden render cases) is
rendered here and every line holding a secret is checked against that declaration.

Before: Cisco ``secret 9``, EOS ``secret sha512``, Junos ``encrypted-password`` and Huawei
``irreversible-cipher`` all took the one ``GOVNET_NETADMIN_HASH`` (a $9$, a $6$ and a VRP form cannot be one
value); Cisco TACACS/RADIUS ``key 6`` (AES with each device's own master key) and EOS ``key 7`` (refuses plain
text) took a shared plain key; Junos SNMPv3 used ``authentication-key``/``privacy-key`` (the stored,
engine-specific key) for a password.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from nornir_tasks.compliance.secrets import MASK, mask_secrets
from nornir_tasks.inventory.load import load_or_raise
from nornir_tasks.model import Platform
from nornir_tasks.platforms.masking import emit_of, emits_for, value_problems
from nornir_tasks.render.engine import Renderer

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"<secret:([A-Z_a-z][A-Za-z0-9_]*)>")
INV = load_or_raise(ROOT / "inventory").inventory
RENDERER = Renderer(ROOT / "templates")
#: The ``*_env`` names the inventory gives; a variable is one of them plus the declared suffix.
BASES = {u.secret_env for u in INV.defaults.local_users or ()} | {u.auth_env for u in INV.defaults.snmp_users or ()} \
    | {u.priv_env for u in INV.defaults.snmp_users or ()} \
    | {s.key_env for g in INV.groups.values() for s in (g.data.tacacs_servers or ()) + (g.data.radius_servers or ())}


def _rendered() -> dict[str, list[tuple[str, str]]]:
    """platform → (host, line) for every line holding a placeholder, over the sample inventory and the goldens."""
    out: dict[str, list[tuple[str, str]]] = {p.value: [] for p in Platform}
    for name, dev in INV.devices.items():
        text = RENDERER.render(INV, name)
        out[dev.platform.value] += [(name, ln) for ln in text.splitlines() if "<secret:" in ln]
    for golden in sorted((ROOT / "tests" / "fixtures" / "render").glob("*/*/expected.cfg")):
        meta = yaml.safe_load((golden.parent / "case.yaml").read_text(encoding="utf-8"))
        if meta.get("lab"):
            continue
        platform = meta.get("platform") or golden.parent.parent.name
        out[platform] += [(str(golden.parent), ln) for ln in golden.read_text().splitlines() if "<secret:" in ln]
    return out


RENDERED = _rendered()


@pytest.mark.parametrize("platform", [p.value for p in Platform])
def test_every_rendered_secret_line_follows_its_platform_declaration(platform: str) -> None:
    lines = RENDERED[platform]
    emits = emits_for(platform)
    if not emits:
        assert not lines, lines[:3]              # a platform that declares nothing writes no secret
        return
    assert lines, f"{platform}: nothing rendered with a secret"
    used: set[str] = set()
    for where, line in lines:
        found = emit_of(platform, line)
        assert found is not None, f"{where}: {line.strip()!r} follows no form {platform} declares"
        emit, envs = found
        used.add(emit.kind)
        for env in envs.values():
            assert env.endswith(emit.suffix) and env[: len(env) - len(emit.suffix)] in BASES, (where, line, emit)
    assert used >= {"local_user", "aaa_key"}, used


@pytest.mark.parametrize("platform", [p.value for p in Platform])
def test_declarations_are_complete_and_masked(platform: str) -> None:
    for emit in emits_for(platform):
        assert emit.kind in {"local_user", "aaa_key", "snmp_user", "snmp_auth", "snmp_priv"}
        assert emit.holds and emit.source.startswith("https://")
        re.compile(emit.line), re.compile(emit.value)
    for _, line in RENDERED[platform]:
        masked = mask_secrets(platform, line + "\n")
        assert "<secret:" not in masked and MASK in masked, line


def test_one_variable_per_encoded_form() -> None:
    suffix = {p: {e.kind: e.suffix for e in emits_for(p)} for p in ("cisco_ios", "arista_eos", "juniper_junos",
                                                                    "huawei_vrp")}
    user = {p: s["local_user"] for p, s in suffix.items()}
    assert user["arista_eos"] == user["juniper_junos"] == "_SHA512"          # both take a $6$ crypt
    assert len({user["cisco_ios"], user["arista_eos"], user["huawei_vrp"]}) == 3
    assert {s["aaa_key"] for s in suffix.values()} == {""}                    # shared keys: plain text everywhere


@pytest.mark.parametrize(("platform", "line", "good", "bad"), [
    ("cisco_ios", "username a privilege 15 secret 9 <secret:H_TYPE9>",
     "$9$nhEmQVczB7dqsO$X.HsgL6x1il0RxkOSSvyQYwucySCt7qFm4v7pqCxkKM", "$6$abc$def"),
    ("arista_eos", "username a privilege 15 role network-admin secret sha512 <secret:H_SHA512>",
     "$6$Rk3vLq9m$" + "a" * 86, "$9$nhEmQVczB7dqsO$X.HsgL6x1il0RxkOSSvyQYwucySCt7qFm4v7pqCxkKM"),
    ("juniper_junos", 'set system login user a authentication encrypted-password "<secret:H_SHA512>"',
     "$6$Rk3vLq9m$" + "b" * 86, "plaintext-pw"),
    ("huawei_vrp", " local-user a password irreversible-cipher <secret:H_VRP>", "Plain-Admin-Pw1", "$6$abc$" + "c" * 86),
    ("juniper_junos", 'set snmp v3 usm local-engine user m authentication-sha256 authentication-password "<secret:A>"',
     "long-enough-pw", "short"),
])
def test_values_are_checked_against_the_declared_form(platform: str, line: str, good: str, bad: str) -> None:
    (name,) = PLACEHOLDER.findall(line)
    assert value_problems(platform, line + "\n", {name: good}) == {}
    assert name in value_problems(platform, line + "\n", {name: bad})


@pytest.mark.parametrize(("platform", "intended", "running"), [
    ("arista_eos", "tacacs-server host 10.0.0.1 key 0 <secret:GOVNET_TACACS_KEY>", "tacacs-server host 10.0.0.1 key 7 070E33455D1D18"),
    ("arista_eos", "snmp-server user mon RO v3 auth sha256 <secret:GOVNET_SNMP_AUTH> priv aes <secret:GOVNET_SNMP_PRIV>",
     "snmp-server user mon RO v3 localized 800028ba03a1b2 auth sha256 a6f0c1d2e3b4a596 priv aes 0f1e2d3c4b5a6978"),
    ("cisco_ios", "tacacs server T1\n key 0 <secret:GOVNET_TACACS_KEY>", "tacacs server T1\n key 7 104D000A0618"),
    ("cisco_ios", "radius server R1\n key 0 <secret:GOVNET_RADIUS_KEY>", "radius server R1\n key 6 FLgBaJHXdYY_AcHZZMgQ"),
    ("juniper_junos", 'set snmp v3 usm local-engine user m authentication-sha256 authentication-password "<secret:A>"',
     'set snmp v3 usm local-engine user m authentication-sha256 authentication-key "$9$abcdefgh"'),
    ("juniper_junos", 'set snmp v3 usm local-engine user m privacy-aes128 privacy-password "<secret:P>"',
     'set snmp v3 usm local-engine user m privacy-aes128 privacy-key "$9$ijklmnop"'),
])
def test_a_plain_form_compares_equal_to_what_the_device_stores(platform: str, intended: str, running: str) -> None:
    assert mask_secrets(platform, intended + "\n") == mask_secrets(platform, running + "\n")


def test_deploy_refuses_a_value_in_another_platforms_form() -> None:
    from nornir_tasks.deploy.secrets import substitute
    from nornir_tasks.errors import DeployError

    line = "username netadmin privilege 15 secret 9 <secret:GOVNET_NETADMIN_HASH_TYPE9>\n"
    with pytest.raises(DeployError) as err:
        substitute(line, "cisco_ios", {"GOVNET_NETADMIN_HASH_TYPE9": "$6$salt$" + "x" * 86}, host="r1")
    assert err.value.code == "DPL-002" and "$6$" not in str(err.value) and "type 9" in str(err.value)
    ok = substitute(line, "cisco_ios", {"GOVNET_NETADMIN_HASH_TYPE9":
                                        "$9$nhEmQVczB7dqsO$X.HsgL6x1il0RxkOSSvyQYwucySCt7qFm4v7pqCxkKM"}, host="r1")
    assert ok.text.startswith("username netadmin privilege 15 secret 9 $9$")
