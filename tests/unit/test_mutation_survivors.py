"""Tests that kill mutants which survived the unit tier (issue T1): each one fails when its bug is planted.

Every test names the planted bug it catches. They go through the public entry points (the inventory loader,
``sanitize``, ``quote``, ...) except where the function is private and has no other caller that pins it down.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from pathlib import Path

import pytest

from nornir_tasks.backup.sanitize import REMOVED, sanitize
from nornir_tasks.compliance.remediation import _predict_set
from nornir_tasks.compliance.waivers import Waiver
from nornir_tasks.devices import TRANSCRIPT_LOGGERS, mute_transcripts
from nornir_tasks.inventory.load import load_inventory
from nornir_tasks.inventory.validate import REVIEW_DAYS
from nornir_tasks.model import check_safe_text
from nornir_tasks.render.filters import quote
from tests.conftest import edit_yaml

TODAY = date(2026, 11, 25)


def _codes(folder: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in load_inventory(folder, today=TODAY).findings:
        out.setdefault(f.code, []).append(f.sentence())
    return out


def _interface(hosts: dict, device: str, name: str) -> dict:
    return next(i for i in hosts[device]["data"]["interfaces"] if i["name"] == name)


# --- inventory validate ------------------------------------------------------------------------------------
def test_ipv4_slash31_point_to_point_is_accepted(inv_copy: Path) -> None:
    """Bug: INV-032 allowing only /30 for IPv4 (RFC 3021 /31 links refused)."""
    def to_31(hosts: dict) -> None:
        _interface(hosts, "lcu-sin-ho-ce01", "eth0")["ipv4"] = "10.12.240.40/31"
        _interface(hosts, "lcu-gw01", "GigabitEthernet0/0/1.111")["ipv4"] = "10.12.240.41/31"

    edit_yaml(inv_copy / "hosts.yaml", to_31)
    found = _codes(inv_copy)
    assert set(found) <= {"INV-034"}, found


def test_ipv4_slash29_point_to_point_is_still_refused(inv_copy: Path) -> None:
    """The other side of the /31 test: a wider subnet is still an INV-032 error."""
    def to_29(hosts: dict) -> None:
        _interface(hosts, "lcu-sin-ho-ce01", "eth0")["ipv4"] = "10.12.240.42/29"
        _interface(hosts, "lcu-gw01", "GigabitEthernet0/0/1.111")["ipv4"] = "10.12.240.41/29"

    edit_yaml(inv_copy / "hosts.yaml", to_29)
    assert "INV-032" in _codes(inv_copy)


def test_allocation_equal_to_the_prefix_covers_it(inv_copy: Path) -> None:
    """Bug: a TSLCD-facing /30 not counted as inside an allocation that is exactly that /30 (INV-033)."""
    def split(allocs: list) -> None:
        first = next(a for a in allocs if a["prefix"] == "10.0.12.0/29")
        first["prefix"] = "10.0.12.0/30"
        allocs.append(dict(first, prefix="10.0.12.4/30"))

    edit_yaml(inv_copy / "ip_allocations.yaml", split)
    found = _codes(inv_copy)
    assert set(found) <= {"INV-034"}, found


def test_allocation_not_covering_the_prefix_is_reported(inv_copy: Path) -> None:
    """The other side: with only one of the two /30 allocated, the uncovered uplink is INV-033."""
    def shrink(allocs: list) -> None:
        next(a for a in allocs if a["prefix"] == "10.0.12.0/29")["prefix"] = "10.0.12.0/30"

    edit_yaml(inv_copy / "ip_allocations.yaml", shrink)
    assert "10.0.12.4/30" in " ".join(_codes(inv_copy).get("INV-033", []))


@pytest.mark.parametrize(("age_days", "warned"), [(REVIEW_DAYS, False), (REVIEW_DAYS + 1, True)])
def test_review_age_boundary(inv_copy: Path, age_days: int, warned: bool) -> None:
    """Bug: INV-034 off by one day. Reviewed exactly 12 months ago (2025-11-25 for 2026-11-25) is fine;
    one day more is a warning."""
    assert TODAY - timedelta(days=REVIEW_DAYS) == date(2025, 11, 25)   # 365 days is 12 months here
    reviewed = (TODAY - timedelta(days=age_days)).isoformat()

    def stamp(allocs: list) -> None:
        for a in allocs:
            a["last_review"] = TODAY.isoformat()
        allocs[0]["last_review"] = reviewed

    edit_yaml(inv_copy / "ip_allocations.yaml", stamp)
    found = _codes(inv_copy).get("INV-034", [])
    assert len(found) == (1 if warned else 0), found
    if warned:
        assert reviewed in found[0]


# --- render filters and model ------------------------------------------------------------------------------
def test_quote_escapes_backslash() -> None:
    """Bug: ``quote`` escaping only ``"``: a trailing backslash would escape the closing quote."""
    assert quote("C:\\cfg") == '"C:\\\\cfg"'
    assert quote('end\\') == '"end\\\\"'
    assert quote('a\\"b') == '"a\\\\\\"b"'


@pytest.mark.parametrize("char", ["\x80", "\x85", "\x9b", "\x9f", "\u2028", "\u2029"])
def test_check_safe_text_refuses_c1_and_unicode_line_breaks(char: str) -> None:
    """Bug: ``_CONTROL`` dropping ``\\x80-\\x9f`` (C1 controls, U+0085 is NEL) or U+2028/U+2029 (line and
    paragraph separators): neither is a format character, so the ``Cf`` check would not catch them."""
    with pytest.raises(ValueError, match=f"U\\+{ord(char):04X}"):
        check_safe_text(f"Xã Bình Lư{char}no aaa new-model")


def test_check_safe_text_keeps_latin1_letters() -> None:
    """The C1 range stops at U+009F: U+00A0 and up (Vietnamese letters among them) are text."""
    assert check_safe_text("Đà\u00a0Lạt") == "Đà\u00a0Lạt"


# --- waivers -----------------------------------------------------------------------------------------------
def test_site_waiver_covers_only_its_site() -> None:
    """Bug: a site waiver covering every site (or a device waiver every device)."""
    site = Waiver(rule="C1", site="12-sin-ho", reason="r", approver="a", expires=date(2026, 12, 31))
    dev = Waiver(rule="C1", device="lcu-sin-ho-ce01", reason="r", approver="a", expires=date(2026, 12, 31))
    assert site.covers("C1", "lcu-x", "12-sin-ho", TODAY)
    assert not site.covers("C1", "lcu-x", "12-bum-to", TODAY)
    assert not site.covers("C2", "lcu-x", "12-sin-ho", TODAY)
    assert dev.covers("C1", "lcu-sin-ho-ce01", "12-bum-to", TODAY)
    assert not dev.covers("C1", "lcu-bum-to-ce01", "12-bum-to", TODAY)


# --- secrets -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("order", [("LaiChau2026", "LaiChau2026-radius"), ("LaiChau2026-radius", "LaiChau2026")])
def test_known_secret_containing_another_leaves_no_suffix(order: tuple[str, str]) -> None:
    """Bug: known secrets replaced shortest first: ``LaiChau2026`` masked inside ``LaiChau2026-radius`` leaves
    ``-radius`` behind, and the longer secret is then never found."""
    text = "hostname r1\nsnmp-server location LaiChau2026-radius\nsnmp-server contact LaiChau2026\n"
    out = sanitize(text, "cisco_ios", known_secrets=order).text
    assert "LaiChau2026" not in out and "-radius" not in out, out
    assert out.count(REMOVED) == 2, out


# --- remediation prediction (Junos set style) --------------------------------------------------------------
def test_predict_set_delete_needs_a_word_boundary() -> None:
    """Bug: ``delete X`` also removing ``set X...`` lines that merely start with the same characters."""
    running = ("set interfaces ge-0/0/1 description a\nset interfaces ge-0/0/10 description b\n"
               "set system services telnet\nset system services telnet-extra\n")
    got = _predict_set(running, "delete interfaces ge-0/0/1\ndelete system services telnet\n")
    assert got == "set interfaces ge-0/0/10 description b\nset system services telnet-extra\n"


# --- device transcripts ------------------------------------------------------------------------------------
def test_mute_transcripts_raises_debug_loggers_to_info() -> None:
    """Bug: ``mute_transcripts`` doing nothing. A fresh logger already reports WARNING through the root, so the
    loggers are set to DEBUG first; a logger already above INFO is left alone."""
    loggers = [logging.getLogger(n) for n in TRANSCRIPT_LOGGERS]
    before = [lg.level for lg in loggers]
    try:
        for lg in loggers:
            lg.setLevel(logging.DEBUG)
        loggers[-1].setLevel(logging.ERROR)
        mute_transcripts()
        assert [lg.level for lg in loggers[:-1]] == [logging.INFO] * (len(loggers) - 1)
        assert loggers[-1].level == logging.ERROR
        assert not loggers[0].isEnabledFor(logging.DEBUG)
    finally:
        for lg, level in zip(loggers, before):
            lg.setLevel(level)
