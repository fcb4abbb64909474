"""napalm_frr's getters replayed over recorded real FRR output (NAPALM's mocked-data style), checked against
NAPALM's own models (``napalm.base.models`` via ``napalm.base.test.helpers.test_model``) and cross-checked
against the running config recorded in the same session."""

from __future__ import annotations

import doctest
import ipaddress
import re
from pathlib import Path

import pytest
from napalm.base import models
from napalm.base.test.helpers import test_model as napalm_model_ok

import napalm_frr.config
import napalm_frr.frr
from napalm_frr import FRRDriver

CASES = sorted(p for p in (Path(__file__).parent.parent / "fixtures" / "napalm_frr").iterdir() if p.is_dir())


class Replay:
    """Stands in for the netmiko connection: answers each command with the recorded output."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.sent: list[str] = []

    def send_command(self, command: str, **_: object) -> str:
        self.sent.append(command)
        path = self.folder / (command.replace(" ", "_") + ".txt")
        return path.read_text(encoding="utf-8") if path.exists() else ""

    def is_alive(self) -> bool:
        return True


def driver_for(folder: Path) -> FRRDriver:
    drv = FRRDriver("127.0.0.1", "user", "not-a-real-password", optional_args={"port": 2222})
    drv.device = Replay(folder)
    drv._shell = lambda command: (folder / "lldpcli_json.txt").read_text(encoding="utf-8")  # type: ignore[method-assign]
    return drv


def running_addresses(text: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    current = None
    for line in text.splitlines():
        if line.startswith("interface "):
            current = line.split()[1]
        elif current and line.startswith((" ip address ", " ipv6 address ")):
            out.setdefault(current, set()).add(line.split()[2])
        elif not line.startswith(" "):
            current = None
    return out


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_get_facts_shape_and_values(case: Path) -> None:
    facts = driver_for(case).get_facts()
    assert napalm_model_ok(models.FactsDict, facts)
    running = (case / "show_running-config.txt").read_text()
    assert f"hostname {facts['hostname']}\n" in running
    assert facts["os_version"] in (case / "show_version.txt").read_text().splitlines()[0]
    assert facts["interface_list"] and "lo" in facts["interface_list"]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_get_interfaces_shape(case: Path) -> None:
    interfaces = driver_for(case).get_interfaces()
    assert interfaces
    for data in interfaces.values():
        assert napalm_model_ok(models.InterfaceDict, data)
    assert interfaces["lo"]["is_enabled"] and interfaces["lo"]["mtu"] > 0


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_get_interfaces_ip_matches_running_config(case: Path) -> None:
    ips = driver_for(case).get_interfaces_ip()
    for data in ips.values():
        for family in data.values():
            for details in family.values():
                assert napalm_model_ok(models.InterfacesIPDictEntry, details)
    configured = running_addresses((case / "show_running-config.txt").read_text())
    assert configured, "the recorded config has addresses"
    for itf, prefixes in configured.items():
        for prefix in prefixes:
            addr = ipaddress.ip_interface(prefix)
            family = f"ipv{addr.version}"
            assert ips[itf][family][str(addr.ip)] == {"prefix_length": addr.network.prefixlen}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_get_lldp_neighbors_shape(case: Path) -> None:
    neighbors = driver_for(case).get_lldp_neighbors()
    assert neighbors
    raw = (case / "lldpcli_json.txt").read_text()
    for local, entries in neighbors.items():
        assert f'"{local}"' in raw
        for entry in entries:
            assert napalm_model_ok(models.LLDPNeighborDict, entry)
            assert entry["hostname"] and entry["port"]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_get_config_shape(case: Path) -> None:
    drv = driver_for(case)
    config = drv.get_config()
    assert napalm_model_ok(models.ConfigurationDict, config)
    assert not config["running"].startswith("Building configuration")
    assert config["candidate"] == ""
    only = drv.get_config(retrieve="running")
    assert only["startup"] == "" and only["candidate"] == "" and only["running"] == config["running"]
    drv.load_merge_candidate(config="ip route 10.99.0.0/16 Null0\n")
    assert drv.get_config(retrieve="candidate")["candidate"] == "ip route 10.99.0.0/16 Null0\n"


def test_sanitized_config_hides_passwords() -> None:
    case = next(c for c in CASES if "password " in (c / "show_running-config.txt").read_text())
    text = driver_for(case).get_config(retrieve="running", sanitized=True)["running"]
    assert not re.search(r"^(?:enable )?password (?!<removed>)", text, re.MULTILINE)


def test_replace_candidate_must_not_be_empty() -> None:
    from napalm.base.exceptions import ReplaceConfigException

    drv = driver_for(CASES[0])
    with pytest.raises(ReplaceConfigException):
        drv.load_replace_candidate(config="!\nend\n")


def test_compare_on_recorded_config() -> None:
    case = next(c for c in CASES if c.name == "lab-gateway")
    drv = driver_for(case)
    running = drv.get_config(retrieve="running")["running"]
    drv.load_replace_candidate(config=running)
    assert drv.compare_config() == ""          # the running config read back is its own fixed point
    drv.load_merge_candidate(config="ip route 10.99.0.0/16 Null0\n")
    assert drv.compare_config() == "+ ip route 10.99.0.0/16 Null0"


def test_found_by_napalm() -> None:
    import napalm

    assert napalm.get_network_driver("frr") is FRRDriver


@pytest.mark.parametrize("module", [napalm_frr.config, napalm_frr.frr])
def test_doctests(module: object) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)  # type: ignore[arg-type]
    assert result.failed == 0 and result.attempted > 0
