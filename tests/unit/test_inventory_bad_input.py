"""Bad input: every case gets a clear sentence with a stable code, a location, exit code 2 and no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import CONFIG, edit_yaml, run_cli


def _host(data, name="lcu-sin-ho-ce01"):
    return data[name]


def missing_file(inv: Path) -> None:
    (inv / "sites.yaml").unlink()


def empty_file(inv: Path) -> None:
    (inv / "circuits.yaml").write_text("# nothing here yet\n", encoding="utf-8")


def syntax_error(inv: Path) -> None:
    text = (inv / "hosts.yaml").read_text(encoding="utf-8")
    (inv / "hosts.yaml").write_text(text.replace("platform: frr", "platform: [frr", 1), encoding="utf-8")


def duplicate_key(inv: Path) -> None:
    text = (inv / "sites.yaml").read_text(encoding="utf-8")
    marker = "12-sin-ho:\n"
    i = text.index(marker)
    block_end = text.index("\n12-", i + 1)
    (inv / "sites.yaml").write_text(text + text[i:block_end + 1], encoding="utf-8")


def wrong_type(inv: Path) -> None:
    edit_yaml(inv / "circuits.yaml", lambda d: d["VNPT-LCU-L2-1011"].update(bandwidth_mbps="two hundred"))


def unknown_key(inv: Path) -> None:
    edit_yaml(inv / "hosts.yaml", lambda d: _host(d)["data"].update(colour="blue"))


def unknown_platform(inv: Path) -> None:
    edit_yaml(inv / "hosts.yaml", lambda d: _host(d).update(platform="cisco_nxos"))


def invalid_address(inv: Path) -> None:
    edit_yaml(inv / "hosts.yaml", lambda d: _host(d)["data"]["interfaces"][0].update(ipv4="10.12.240.300/30"))


def dangling_reference(inv: Path) -> None:
    edit_yaml(inv / "circuits.yaml", lambda d: d["VNPT-LCU-L2-1011"]["a"].update(device="lcu-nowhere-ce01"))


def injected_description(inv: Path) -> None:
    edit_yaml(inv / "hosts.yaml",
              lambda d: _host(d)["data"]["interfaces"][0].update(description="uplink\n no aaa new-model"))


def huge_file(inv: Path) -> None:
    with open(inv / "links.yaml", "w", encoding="utf-8") as fh:
        fh.write("# padding\n")
        line = "# " + "x" * 1022 + "\n"
        for _ in range(50 * 1024):
            fh.write(line)


def non_utf8(inv: Path) -> None:
    raw = (inv / "sites.yaml").read_text(encoding="utf-8").encode("utf-8")
    # the same text as Windows-1258 would store it: 'Sìn Hồ' is not UTF-8 any more
    (inv / "sites.yaml").write_bytes(raw.replace("Xã Sìn Hồ".encode(), "Xa\xec S\xecn H\xf4".encode("latin-1")))


CASES = {
    "missing file": (missing_file, "INV-001", "sites.yaml"),
    "empty file": (empty_file, "INV-002", "circuits.yaml"),
    "yaml syntax error": (syntax_error, "INV-003", "hosts.yaml:"),
    "duplicate key": (duplicate_key, "INV-004", "sites.yaml:"),
    "wrong type": (wrong_type, "INV-012", "circuits.yaml:"),
    "unknown key": (unknown_key, "INV-010", "lcu-sin-ho-ce01.data.colour"),
    "unknown platform": (unknown_platform, "INV-018", "lcu-sin-ho-ce01.platform"),
    "invalid address": (invalid_address, "INV-014", "lcu-sin-ho-ce01.data.interfaces[0].ipv4"),
    "dangling reference": (dangling_reference, "INV-021", "VNPT-LCU-L2-1011.a"),
    "newline injection": (injected_description, "INV-017", "lcu-sin-ho-ce01.data.interfaces[0].description"),
    "50 MB file": (huge_file, "INV-006", "links.yaml"),
    "non-UTF-8 file": (non_utf8, "INV-005", "sites.yaml:"),
}


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("command", ["validate", "stats"])
def test_bad_input_is_a_sentence_and_exit_2(case: str, command: str, inv_copy: Path) -> None:
    mutate, code, where = CASES[case]
    mutate(inv_copy)
    proc = run_cli("inventory", command, "--config", str(CONFIG), "--inventory", str(inv_copy))
    out = proc.stdout + proc.stderr
    assert proc.returncode == 2, out
    assert "Traceback" not in out
    assert f"[{code}]" in out, out
    assert where in out, out
    assert " — " in out  # every finding carries a hint on how to fix it


def test_all_problems_reported_at_once(inv_copy: Path) -> None:
    unknown_key(inv_copy)
    invalid_address(inv_copy)
    wrong_type(inv_copy)
    proc = run_cli("inventory", "validate", "--inventory", str(inv_copy), "--format", "json")
    import json

    codes = {f["code"] for f in json.loads(proc.stdout)}
    assert {"INV-010", "INV-014", "INV-012"} <= codes
    assert proc.returncode == 2


def test_sample_inventory_is_valid() -> None:
    proc = run_cli("inventory", "validate")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 error(s)" in proc.stderr


def test_missing_config_and_bad_filter_are_usage_errors(tmp_path: Path) -> None:
    proc = run_cli("inventory", "list", "--config", str(tmp_path / "nope.yaml"))
    assert proc.returncode == 2 and "[CFG-001]" in proc.stderr and "Traceback" not in proc.stderr
    proc = run_cli("inventory", "list", "--filter", "colour=red")
    assert proc.returncode == 2 and "[CFG-003]" in proc.stderr
    proc = run_cli("inventory", "show", "no-such-host")
    assert proc.returncode == 2 and "no-such-host" in proc.stderr
