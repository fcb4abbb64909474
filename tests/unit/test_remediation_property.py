"""The remediation round-trip property on hypothesis-generated drifts, for every platform.

Starting from each platform's intended configs (tests/fixtures/compliance/<platform>/*/intended.cfg), hypothesis
drifts a running config — lines removed, values changed, lines added — and checks
:func:`~tests.unit.remediation_property.check_round_trip`: remediation applied with hier_config's ``future()`` gives
the intended config for the compared features, the rollback applied to that gives the running config back (the
lines the guard left out, each listed as a refusal, are the only exceptions), and no protected line is touched.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nornir_tasks.compliance.guard import GuardContext
from nornir_tasks.compliance.secrets import mask_secrets
from nornir_tasks.model import Platform
from nornir_tasks.platforms import get
from tests.unit.remediation_property import check_round_trip

ROOT = Path(__file__).resolve().parents[1] / "fixtures" / "compliance"

#: Lines a drift can add, per platform (top-level lines and (section, child) pairs), in each vendor's syntax.
EXTRA: dict[str, tuple[str, ...]] = {
    "cisco_ios": ("ntp server 192.0.2.77", "ip route 192.0.2.0 255.255.255.0 Null0", "logging host 192.0.2.9",
                  "snmp-server location Drift", "ip domain name drift.example", "hostname drifted",
                  "interface Loopback99\n ip address 192.0.2.99 255.255.255.255",
                  "interface GigabitEthernet0/0/3\n description spare port\n shutdown",
                  "username drift privilege 1 secret 9 <secret>", "line vty 5 15\n transport input ssh"),
    "arista_eos": ("ntp server 192.0.2.77", "ip route 192.0.2.0/24 Null0", "logging host 192.0.2.9",
                   "snmp-server location Drift", "hostname drifted",
                   "interface Ethernet9\n description spare port\n shutdown",
                   "interface Loopback99\n ip address 192.0.2.99/32", "username drift secret sha512 <secret>"),
    "frr": ("ip route 192.0.2.0/24 Null0", "log syslog debugging", "hostname drifted",
            "interface eth9\n description spare port", "interface lo\n ip address 192.0.2.99/32",
            "ip prefix-list DRIFT seq 5 permit 192.0.2.0/24", "password <secret>"),
    "huawei_vrp": ("ntp-service unicast-server 192.0.2.77", "ip route-static 192.0.2.0 24 NULL0",
                   "info-center loghost 192.0.2.9", "sysname drifted", "snmp-agent sys-info location Drift",
                   "interface GigabitEthernet0/0/9\n description spare port\n shutdown",
                   "interface LoopBack99\n ip address 192.0.2.99 255.255.255.255"),
    "juniper_junos": ("set system ntp server 192.0.2.77", "set system host-name drifted",
                      "set routing-options static route 192.0.2.0/24 discard", "set system services telnet",
                      "set interfaces ge-0/0/9 description spare", "set snmp location Drift",
                      "set system syslog host 192.0.2.9 any notice",
                      "set system login user drift authentication encrypted-password <secret>"),
}


def _intended(plat: str) -> list[tuple[str, frozenset[str]]]:
    out = []
    for case in sorted((ROOT / plat).glob("*/intended.cfg")):
        exp = yaml.safe_load((case.parent / "expected.yaml").read_text(encoding="utf-8"))
        out.append((mask_secrets(plat, case.read_text(encoding="utf-8")), frozenset(exp.get("not_predictable") or ())))
    return out


_NUMBER = re.compile(r"(?<![\w.:/-])(\d{1,3}(?:\.\d{1,3}){3}|\d+)(?![\w.:-])")


def _units(plat: str, text: str) -> list[list[str]]:
    """The config as units: a top-level line with its indented lines (banners stay whole)."""
    units: list[list[str]] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        if line[0].isspace() and units:
            units[-1].append(line)
        else:
            units.append([line])
    return units


@st.composite
def drifted(draw: st.DrawFn, plat: str) -> tuple[str, str, frozenset[str]]:
    """(intended, drifted running, features whose fix hier_config cannot predict)."""
    intended, skip = draw(st.sampled_from(_intended(plat)))
    units = _units(plat, intended)
    neg = get(plat).negation_prefix
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(("remove", "change", "add")))
        if op == "add":
            added = draw(st.sampled_from(EXTRA[plat])).splitlines()
            # a device holds one value of a single-valued command: the new one replaces the old
            single = next((r.path[0] for r in get(plat).rules.replace
                           if len(r.path) == 1 and added[0].startswith(r.path[0])), None)
            if single is not None:
                units = [u for u in units if not u[0].startswith(single)]
            units.append(added)
            continue
        i = draw(st.integers(0, len(units) - 1))
        unit = units[i]
        j = draw(st.integers(0, len(unit) - 1))
        line = unit[j]
        if line.strip().startswith((neg, "!", "#", "exit")) or "\n" in line or "^C" in line:
            continue
        if op == "remove":
            if j == 0:
                units.pop(i)
            else:       # the line and the lines indented below it
                depth = len(line) - len(line.lstrip())
                end = j + 1
                while end < len(unit) and len(unit[end]) - len(unit[end].lstrip()) > depth:
                    end += 1
                above = len(unit[j - 1]) - len(unit[j - 1].lstrip())
                only_child = above < depth and (end == len(unit) or len(unit[end]) - len(unit[end].lstrip()) <= above)
                if only_child and get(plat).prunes_empty_sections:
                    continue            # FRR never prints a section it holds nothing in
                del unit[j:end]
        else:
            hits = list(_NUMBER.finditer(line))
            if not hits:
                continue
            m = draw(st.sampled_from(hits))
            new = "203.0.113." + str(draw(st.integers(1, 254))) if "." in m.group(1) else str(draw(st.integers(1, 4094)))
            unit[j] = line[: m.start(1)] + new + line[m.end(1):]
    running = "\n".join(ln for u in units for ln in u) + "\n"
    return intended, running, skip


@pytest.mark.parametrize("plat", [p.value for p in Platform])
def test_round_trip_on_generated_drifts(plat: str) -> None:
    ctx = GuardContext(login_user="netadmin")

    @settings(max_examples=60, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(drifted(plat))
    def prop(case: tuple[str, str, frozenset[str]]) -> None:
        intended, running, skip = case
        check_round_trip(plat, intended, running, skip, ctx)

    prop()
