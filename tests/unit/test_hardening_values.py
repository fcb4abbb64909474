"""R1 hardening #11: values valid for the schema that would break a device config are refused at validation,
with the field and the line."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from nornir_tasks.inventory.load import load_inventory
from nornir_tasks.render.filters import ascii_text
from tests.conftest import edit_yaml


def _errors(inv: Path, code: str | None = None):
    found = [f for f in load_inventory(inv).findings if f.severity.value == "error"]
    return [f for f in found if code is None or f.code == code]


def _add_interface(inv: Path, host: str, **changes) -> None:
    def edit(d):
        itfs = d[host]["data"]["interfaces"]
        new = {k: v for k, v in copy.deepcopy(itfs[-1]).items() if k not in ("ipv4", "ipv6", "vlan")}
        new.update(changes)
        itfs.append(new)
    edit_yaml(inv / "hosts.yaml", edit)


def test_trailing_newline_in_a_hostname_is_refused(inv_copy: Path) -> None:
    edit_yaml(inv_copy / "hosts.yaml", lambda d: d["lcu-tu-ce01"].update(hostname="lcu-tu-ce01.tslcd.vn\n"))
    (f,) = [f for f in _errors(inv_copy) if f.field and "hostname" in f.field]
    assert f.line and f.file.endswith("hosts.yaml")


def test_junos_interface_name_with_a_quote_is_refused(inv_copy: Path) -> None:
    _add_interface(inv_copy, "lcu-tu-fw01", name='ge-0/0/5"', description="x")
    (f,) = [f for f in _errors(inv_copy) if f.field and f.field.endswith(".name") and "interfaces" in f.field]
    assert f.line and "lcu-tu-fw01" in (f.field or "")


@pytest.mark.parametrize("char", ["\u200b", "\u202e", "\u2066", "\ufeff"])
def test_zero_width_and_bidi_characters_are_refused(inv_copy: Path, char: str) -> None:
    edit_yaml(inv_copy / "sites.yaml", lambda d: d["12-sin-ho"].update(name=f"Xã Sìn{char} Hồ"))
    (f,) = _errors(inv_copy, "INV-017")
    assert f.line and f.field and f.field.endswith("name") and f"U+{ord(char):04X}" in f.message


def test_eos_banner_eof_is_refused(inv_copy: Path) -> None:
    edit_yaml(inv_copy / "defaults.yaml", lambda d: d["data"].update(banner="EOF"))
    (f,) = [f for f in _errors(inv_copy) if f.field and f.field.endswith("banner")]
    assert f.line and "EOF" in f.message


def test_text_without_ascii_form_is_refused_for_ios(inv_copy: Path) -> None:
    edit_yaml(inv_copy / "hosts.yaml",
              lambda d: d["lcu-tu-ce01"]["data"]["interfaces"][0].update(description="Trạm 5 → Trạm 6"))
    (f,) = _errors(inv_copy, "INV-019")
    assert f.line and f.field and "interfaces" in f.field and "U+2192" in f.message
    # Vietnamese alone is fine: it is written without diacritics
    assert ascii_text("Trạm Sìn Hồ") == "Tram Sin Ho"


def test_ascii_text_never_writes_a_question_mark() -> None:
    with pytest.raises(ValueError, match="no ASCII form"):
        ascii_text("Trạm → 6")
