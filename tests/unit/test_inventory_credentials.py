"""A password or secret in the inventory is refused by validation (INV-070): credentials come only from the
environment. Before this check, ``connection_options.<plugin>.password`` / ``extras.secret`` and a group's or
the defaults' ``password:`` loaded without a word (a host's top-level ``password`` was only an unknown key)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nornir_tasks.inventory.load import load_inventory
from tests.conftest import CONFIG, edit_yaml, run_cli

HOST = "lcu-sin-ho-ce01"
VALUE = "Inventory-Pw-9931"


def _set(path: Path, where: list, value: object) -> None:
    def edit(data):
        node = data
        for key in where[:-1]:
            node = node.setdefault(key, {})
        node[where[-1]] = value
    edit_yaml(path, edit)


CASES = {
    "host connection_options password": ("hosts.yaml", [HOST, "connection_options", "netmiko", "password"],
                                         "hosts.yaml", f"{HOST}.connection_options.netmiko.password"),
    "host connection_options extras secret": ("hosts.yaml", [HOST, "connection_options", "netmiko", "extras", "secret"],
                                              "hosts.yaml", f"{HOST}.connection_options.netmiko.extras.secret"),
    "host napalm optional_args secret": ("hosts.yaml", [HOST, "connection_options", "napalm", "extras", "optional_args",
                                                        "secret"], "hosts.yaml",
                                         f"{HOST}.connection_options.napalm.extras.optional_args.secret"),
    "host password": ("hosts.yaml", [HOST, "password"], "hosts.yaml", f"{HOST}.password"),
    "group password": ("groups.yaml", ["backbone", "password"], "groups.yaml", "backbone.password"),
    "group connection_options password": ("groups.yaml", ["backbone", "connection_options", "napalm", "password"],
                                           "groups.yaml", "backbone.connection_options.napalm.password"),
    "defaults password": ("defaults.yaml", ["password"], "defaults.yaml", "password"),
    "defaults connection_options secret": ("defaults.yaml", ["connection_options", "netmiko", "extras", "secret"],
                                           "defaults.yaml", "connection_options.netmiko.extras.secret"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_credential_in_the_inventory_is_refused(case: str, inv_copy: Path) -> None:
    file, where, shown_file, field = CASES[case]
    if file == "groups.yaml":
        edit_yaml(inv_copy / "groups.yaml", lambda d: d.setdefault("backbone", {}))
    _set(inv_copy / file, where, VALUE)
    result = load_inventory(inv_copy)
    found = [f for f in result.findings if f.code == "INV-070"]
    assert len(found) == 1, result.findings
    assert found[0].file == shown_file and found[0].field == field and found[0].line
    assert "environment" in found[0].hint and found[0] in result.errors


@pytest.mark.parametrize("case", ["host connection_options extras secret", "defaults password"])
def test_validate_exits_2_with_the_code_and_never_shows_the_value(case: str, inv_copy: Path) -> None:
    file, where, _, field = CASES[case]
    _set(inv_copy / file, where, VALUE)
    r = run_cli("inventory", "validate", "--config", str(CONFIG), "--inventory", str(inv_copy))
    assert r.returncode == 2
    assert "INV-070" in r.stdout + r.stderr and field in r.stdout + r.stderr
    assert VALUE not in r.stdout + r.stderr and "Traceback" not in r.stderr
    j = run_cli("inventory", "validate", "--config", str(CONFIG), "--inventory", str(inv_copy), "--format", "json")
    assert j.returncode == 2 and VALUE not in j.stdout + j.stderr
    assert any(f["code"] == "INV-070" for f in json.loads(j.stdout))
    b = run_cli("backup", "--config", str(CONFIG), "--inventory", str(inv_copy), "-f", HOST,
                env={"GOVNET_USERNAME": "netadmin", "GOVNET_PASSWORD": "Env-Pw-1"})
    assert b.returncode == 2 and "INV-070" in b.stderr and VALUE not in b.stdout + b.stderr   # nothing connects


def test_names_of_environment_variables_are_not_credentials(inv_copy: Path) -> None:
    _set(inv_copy / "hosts.yaml", [HOST, "connection_options", "netmiko", "extras", "secret_env"], "GOVNET_ENABLE")
    assert not [f for f in load_inventory(inv_copy).findings if f.code == "INV-070"]
