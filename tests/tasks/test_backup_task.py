"""The backup task through Nornir with recorded device output (no devices): the netmiko path for platforms
whose NAPALM driver is not used for backups, the connection options the access policy passes, and how
failures end up in the report. Device output comes from the sanitizer fixtures (vendor syntax, see their README).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import pytest
import yaml
from netmiko.exceptions import NetmikoAuthenticationException, NetmikoTimeoutException
from nornir.core.plugins.connections import ConnectionPluginRegister

from nornir_tasks.cli.context import inventory_from, nornir_from, settings_from
from nornir_tasks.tasks.backup import run_backup

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "backup"
HOSTS = {"lcu-hdnd-ce01": "huawei_vrp", "rcn-pe01": "juniper_junos", "lcu-tu-sw01": "arista_eos"}


class FakeConnection:
    def __init__(self, output: str) -> None:
        self.output = output
        self.commands: list[str] = []

    def send_command(self, command: str, **_: Any) -> str:
        self.commands.append(command)
        return self.output


class FakeNetmiko:
    """A Nornir connection plugin standing in for nornir_netmiko: answers with a fixture, or fails like netmiko."""

    opened: ClassVar[dict[str, dict[str, Any]]] = {}
    behaviour: ClassVar[dict[str, Any]] = {}

    def open(self, hostname, username, password, port, platform, extras=None, configuration=None) -> None:
        FakeNetmiko.opened[hostname] = {"extras": dict(extras or {}), "port": port, "platform": platform,
                                        "username": username}
        what = FakeNetmiko.behaviour.get(hostname)
        if isinstance(what, Exception):
            raise what
        self.connection = FakeConnection(what)

    def close(self) -> None:
        pass


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    config = tmp_path / "config.yaml"
    config.write_text(yaml.safe_dump({"user_defined": {"govnet": {
        "inventory_dir": str(ROOT / "inventory"), "state_dir": str(tmp_path / "state")}}}), encoding="utf-8")
    monkeypatch.setenv("GOVNET_USERNAME", "netadmin")
    monkeypatch.setenv("GOVNET_PASSWORD", "Task-Test-Pw-123")
    ConnectionPluginRegister.auto_register()
    monkeypatch.setitem(ConnectionPluginRegister.available, "netmiko", FakeNetmiko)
    # InitNornir re-registers every entry point and refuses a name taken by another class: keep the fake
    monkeypatch.setattr(ConnectionPluginRegister, "auto_register", lambda: None)
    FakeNetmiko.opened, FakeNetmiko.behaviour = {}, {}
    return config


def _run(config: Path, names: list[str]):
    settings = settings_from(config, None)
    result = inventory_from(settings)
    nr = nornir_from(settings, result, names)
    return settings, run_backup(settings, nr, names)


def test_netmiko_platforms_are_backed_up_with_their_backup_command(project: Path) -> None:
    settings = settings_from(project, None)
    inv = inventory_from(settings).inventory
    for name, platform in HOSTS.items():
        FakeNetmiko.behaviour[inv.devices[name].hostname] = (FIXTURES / platform / "full" / "raw.cfg").read_text()
    settings, report = _run(project, list(HOSTS))
    assert report.summary.message == "backup: 3 ok, 0 unreachable, 3 changed"
    for row in report.hosts:
        platform = HOSTS[row.host]
        assert row.status == "ok" and row.method == "netmiko" and row.platform == platform
        assert Path(row.path).read_text() == (FIXTURES / platform / "full" / "expected.cfg").read_text()
        opened = FakeNetmiko.opened[inv.devices[row.host].hostname]
        extras = opened["extras"]
        assert extras["alt_host_keys"] is True and extras["ssh_strict"] is False
        assert extras["system_host_keys"] is False and extras["use_keys"] is False
        assert Path(extras["alt_key_file"]).parent == settings.resolve(settings.state_dir)
        assert opened["username"] == "netadmin"
    assert not list(settings.resolve(settings.state_dir).glob(".known_hosts.*"))   # private copies removed


def test_failures_become_unreachable_rows_with_codes(project: Path) -> None:
    settings = settings_from(project, None)
    inv = inventory_from(settings).inventory
    addr = {n: inv.devices[n].hostname for n in HOSTS}
    FakeNetmiko.behaviour[addr["lcu-hdnd-ce01"]] = NetmikoAuthenticationException("Authentication to device failed.")
    FakeNetmiko.behaviour[addr["rcn-pe01"]] = NetmikoTimeoutException("TCP connection to device failed.")
    FakeNetmiko.behaviour[addr["lcu-tu-sw01"]] = "% Invalid input detected at '^' marker.\n"
    _, report = _run(project, list(HOSTS))
    assert report.failed and report.summary.message.startswith("backup: no device was reached (3 unreachable)")
    assert report.summary.commit is None          # no commit for a run that collected nothing (R1 #8)
    codes = {row.host: (row.error or "")[:9] for row in report.hosts}
    assert codes == {"lcu-hdnd-ce01": "[DEV-003]", "rcn-pe01": "[DEV-001]", "lcu-tu-sw01": "[DEV-004]"}
    for row in report.hosts:
        assert row.status == "unreachable" and row.stale and row.collected_at is None
        assert "Task-Test-Pw-123" not in (row.error or "")
