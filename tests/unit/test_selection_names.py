"""[U1] Finding one's own site: ``--filter`` accepts site ids, names and globs, with or without diacritics, for
sites, hosts and provinces; when nothing matches the CFG-003 sentence suggests close matches."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from nornir_tasks.cli import app
from nornir_tasks.inventory.load import load_or_raise
from nornir_tasks.inventory.selection import select, suggest
from tests.conftest import ROOT, SAMPLE


@pytest.fixture(scope="module")
def inv():
    return load_or_raise(SAMPLE).inventory


@pytest.mark.parametrize("value", ["12-sin-ho", "sin-ho", "Sìn Hồ", "sìn hồ", "SIN HO", "*sin-ho*", "Xã Sìn Hồ",
                                   "xa-sin-ho", "UBND Xã Sìn Hồ", "Trụ sở Đảng ủy - HĐND - UBND Xã Sìn Hồ",
                                   "12-sin-*"])
def test_a_site_by_id_name_or_glob(inv, value: str) -> None:
    assert select(inv, [f"site={value}"]) == ["lcu-sin-ho-ce01"]


def test_d_with_stroke_folds_to_d(inv) -> None:
    # "Đoàn Kết": NFD does not split Đ, so it has to be mapped by hand
    assert select(inv, ["site=doan ket"]) == select(inv, ["site=Đoàn Kết"]) == ["lcu-doan-ket-ce01"]


def test_a_near_miss_selects_nothing(inv) -> None:
    assert select(inv, ["site=sin-hoo"]) == [] and select(inv, ["site=sin"]) == []


@pytest.mark.parametrize("value", ["Lai Châu", "lai-chau", "Tỉnh Lai Châu", "LAI CHAU", "lai*", "12", "012"])
def test_a_province_by_code_or_name(inv, value: str) -> None:
    in_12 = [n for n, d in inv.devices.items() if inv.sites[d.site].province_code == "12"]
    assert in_12 and select(inv, [f"province={value}"]) == in_12


def test_province_names_do_not_leak_to_other_provinces(inv) -> None:
    assert select(inv, ["province=Hà Nội"]) == [n for n, d in inv.devices.items()
                                                 if inv.sites[d.site].province_code == "01"]
    assert select(inv, ["province=Lai"]) == []        # a name is a whole name; a glob says otherwise


def test_host_names_ignore_case(inv) -> None:
    assert select(inv, ["LCU-Sin-Ho-CE01"]) == ["lcu-sin-ho-ce01"]
    assert select(inv, ["LCU-SIN-HO-*"]) == ["lcu-sin-ho-ce01"]


def test_suggestions(inv) -> None:
    assert any(s.startswith("site=12-sin-ho ") for s in suggest(inv, ["site=sin-hoo"]))
    assert any(s.startswith("province=12 ") for s in suggest(inv, ["province=Lai Chau x"]))
    assert "lcu-sin-ho-ce01" in suggest(inv, ["lcu-sin-ho-ce1"])
    assert suggest(inv, ["level=comune"]) == ["level=commune"]
    assert suggest(inv, ["site=zzzzzz"]) == []
    # each value matches on its own: nothing to suggest
    assert suggest(inv, ["site=12-sin-ho", "role=firewall"]) == []


def test_cli_sentence_says_did_you_mean(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = subprocess.run([sys.executable, "-m", "nornir_tasks.cli", "inventory", "list", "--filter",
                             "site=Sin Hoo"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stderr
    assert "CFG-003" in result.stderr and "did you mean site=12-sin-ho" in result.stderr
    assert "Traceback" not in result.stderr
    ok = CliRunner().invoke(app, ["inventory", "list", "--filter", "site=Sìn Hồ", "--format", "json"])
    assert ok.exit_code == 0, ok.output
    assert "lcu-sin-ho-ce01" in ok.stdout
