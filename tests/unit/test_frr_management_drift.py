"""FRR vty passwords: found as drift, removed with the bare negation FRR accepts, never quoted in errors.

Found by tests/integration/test_compliance_lab.py on real FRR 8.4: a ``password`` line left on a router was not
compared at all (no FRR feature owned it), and FRR refuses ``no password <old>`` — which napalm_frr sent and
then quoted, secret included, in its CommitError."""

from __future__ import annotations

import doctest

import napalm_frr.config
import napalm_frr.frr
from napalm_frr import config as frrconf
from napalm_frr.frr import mask_secrets
from nornir_tasks.compliance.check import compare_text

INTENDED = "hostname r1\nlog syslog informational\n"
# as govnet backup stores it (secrets removed); the lines are the ones `show running-config` prints in FRR 8.4
RUNNING = "hostname r1\npassword <secret:removed>\nenable password <secret:removed>\nlog syslog informational\n"


def test_a_vty_password_on_the_router_is_management_drift() -> None:
    comp = compare_text("frr", INTENDED, RUNNING)
    assert not comp.compliant
    assert {f.name: f.extra for f in comp.features if not f.compliant} == {
        "management": ("password <secret:removed>", "enable password <secret:removed>")}
    assert comp.remediation.splitlines() == ["no password", "no enable password"]


def test_the_same_config_without_passwords_is_compliant() -> None:
    assert compare_text("frr", INTENDED, INTENDED).compliant


def test_napalm_frr_negates_passwords_without_their_value() -> None:
    cmds = frrconf.commands(frrconf.remediation("hostname r1\npassword s3cret-1\nenable password s3cret-2\n",
                                                "hostname r1\n"))
    assert cmds == ["no password", "no enable password"]
    assert not any("s3cret" in c for c in cmds)


def test_error_messages_never_quote_a_secret() -> None:
    message = "Invalid input detected at command: neighbor 10.0.0.1 password Xy-9, matched error: %"
    assert "Xy-9" not in mask_secrets(message)
    for line in ("password Xy-9", "enable password Xy-9", "ip ospf authentication-key Xy-9",
                 "ip ospf message-digest-key 1 md5 Xy-9", "key-string Xy-9"):
        assert "Xy-9" not in mask_secrets(line) and "<secret>" in mask_secrets(line), line


def test_napalm_frr_doctests() -> None:
    for module in (napalm_frr.config, napalm_frr.frr):
        assert doctest.testmod(module).failed == 0, module.__name__
