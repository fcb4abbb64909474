"""Every secret form of the corpus through the real command paths, and nowhere in what govnet writes or prints.

- ``govnet backup --debug`` (in-process, so Nornir's connection plugins can answer with recorded output: the
  vendor devices cannot run here; IOS goes through the NAPALM plugin, VRP/Junos/EOS through netmiko): the backup
  files, the backup git history (``git log -p --all``), the index, the JSON/table output and every log record.
- ``govnet compliance import --debug`` of a zip bundle holding the corpus as the devices' running configs, after
  ``govnet render``: compliance.html/.json/.md/.csv, build/remediation, build/rollback, the SQLite journal,
  stdout/stderr and every log record; the login password (``GOVNET_PASSWORD``) written in a description of a
  hand-collected config is scrubbed too.

FRR forms are also put on a real lab router by tests/integration/test_secret_corpus_lab.py.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any, ClassVar

import pytest
import yaml
from nornir.core.plugins.connections import ConnectionPluginRegister

from tests import secret_corpus
from tests.conftest import ROOT

FORMS = secret_corpus.load()

#: One active device per platform (Junos twice: the set form and the hierarchical form).
HOSTS = {
    "lcu-tu-ce01": ("cisco_ios", ""),
    "lcu-tu-sw01": ("arista_eos", ""),
    "lcu-hdnd-ce01": ("huawei_vrp", ""),
    "lcu-tu-fw01": ("juniper_junos", "set"),
    "lcu-hdnd-fw01": ("juniper_junos", "hierarchical"),
    "lcu-sin-ho-ce01": ("frr", ""),
}
PASSWORD = "Corpus-Login-Pw-4711"


def _forms(platform: str, style: str) -> list[secret_corpus.Form]:
    return [f for f in FORMS if f.platform == platform and (not style or f.style == style)]


def _config(host: str) -> str:
    platform, style = HOSTS[host]
    header = {"cisco_ios": f"hostname {host}\n", "arista_eos": f"hostname {host}\n", "frr": f"hostname {host}\n",
              "huawei_vrp": f"sysname {host}\n", "juniper_junos": ""}[platform]
    if platform == "juniper_junos" and style == "set":
        header = f"set system host-name {host}\n"
    return secret_corpus.config_of(_forms(platform, style), header)


def _secrets(host: str) -> list[str]:
    platform, style = HOSTS[host]
    return [s for f in _forms(platform, style) for s in f.secrets]


ALL_SECRETS = sorted({s for h in HOSTS for s in _secrets(h)} | {PASSWORD})


class _Device:
    def __init__(self, text: str) -> None:
        self.text = text

    def send_command(self, command: str, **_: Any) -> str:
        return self.text

    def get_config(self, retrieve: str = "all", **_: Any) -> dict[str, str]:
        return {"running": self.text, "startup": "", "candidate": ""}

    def close(self) -> None:
        pass


class Recorded:
    """A Nornir connection plugin standing in for netmiko/NAPALM: answers with the corpus config of the host
    (vendor devices cannot run here; FRR is checked on real routers by the integration test)."""

    by_address: ClassVar[dict[str, str]] = {}

    def open(self, hostname, username, password, port, platform, extras=None, configuration=None) -> None:
        self.connection = _Device(Recorded.by_address[hostname])

    def close(self) -> None:
        pass


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cfg = yaml.safe_load((ROOT / "config.yaml").read_text())
    cfg["user_defined"]["govnet"].update({
        "inventory_dir": str(ROOT / "inventory"), "templates_dir": str(ROOT / "templates"),
        "baseline_dir": str(ROOT / "inventory" / "baselines"), "build_dir": "build", "reports_dir": "reports",
        "state_dir": ".state"})
    cfg["inventory"]["options"]["inventory_dir"] = str(ROOT / "inventory")
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(cfg, allow_unicode=True))
    monkeypatch.setenv("GOVNET_USERNAME", "netadmin")
    monkeypatch.setenv("GOVNET_PASSWORD", PASSWORD)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """Run ``govnet --debug ARGS`` in this process (the way ``main`` runs it) and return (exit code, output)."""
    from nornir_tasks.cli import main

    monkeypatch.setattr(sys, "argv", ["govnet", "--debug", *args])
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out + out.err


def _leaks(text: str, secrets: list[str]) -> list[str]:
    return [s for s in secrets if s in text]


def _files(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file() and ".git" not in p.relative_to(folder).parts}


def test_backup_path_keeps_every_form_out_of_files_history_output_and_logs(
        project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        caplog: pytest.LogCaptureFixture) -> None:
    from nornir_tasks.cli.context import inventory_from, settings_from

    inv = inventory_from(settings_from(project / "config.yaml", None)).inventory
    Recorded.by_address = {inv.devices[h].hostname: _config(h) + f"description login {PASSWORD}\n" for h in HOSTS}
    ConnectionPluginRegister.auto_register()
    monkeypatch.setitem(ConnectionPluginRegister.available, "netmiko", Recorded)
    monkeypatch.setitem(ConnectionPluginRegister.available, "napalm", Recorded)
    monkeypatch.setattr(ConnectionPluginRegister, "auto_register", lambda: None)
    caplog.set_level(logging.DEBUG)
    names = [a for h in HOSTS for a in ("-f", h)]
    outputs = []
    for fmt in ("json", "table"):
        code, out = _cli(monkeypatch, capsys, "backup", "--config", "config.yaml", *names, "--format", fmt)
        assert code == 0, out
        outputs.append(out)
    doc = json.loads(outputs[0][outputs[0].index("{"):])
    assert {r["host"]: r["status"] for r in doc["hosts"]} == dict.fromkeys(HOSTS, "ok")
    outputs.append(_cli(monkeypatch, capsys, "backup", "--config", "config.yaml", "--diff")[1])

    backups = project / ".state" / "backups"
    for host in HOSTS:
        saved = (backups / f"{host}.cfg").read_text()
        assert saved.count("<secret:removed>") >= len(_secrets(host)), host
        assert not _leaks(saved, [*_secrets(host), PASSWORD]), host
    for path, data in _files(project / ".state").items():
        assert not [s for s in ALL_SECRETS if s.encode() in data], path
    history = subprocess.run(["git", "-C", str(backups), "log", "-p", "--all"], capture_output=True, text=True,
                             check=True).stdout
    assert "<secret:removed>" in history and not _leaks(history, ALL_SECRETS)
    for out in outputs:
        assert not _leaks(out, ALL_SECRETS)
    logged = caplog.text + "\n".join(str(r.args) for r in caplog.records)
    assert "secrets removed" in logged and not _leaks(logged, ALL_SECRETS)


def test_compliance_import_keeps_every_form_out_of_reports_remediation_rollback_and_logs(
        project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        caplog: pytest.LogCaptureFixture) -> None:
    names = [a for h in HOSTS for a in ("-f", h)]
    code, out = _cli(monkeypatch, capsys, "render", "--config", "config.yaml", *names)
    assert code == 0, out
    bundle = project / "thu-thap.zip"
    with zipfile.ZipFile(bundle, "w") as zf:
        for host in HOSTS:
            extra = "" if HOSTS[host][0] == "juniper_junos" else f"interface Loopback9\n description login {PASSWORD}\n"
            zf.writestr(f"{host}.cfg", f"{host}#show running-config\n" + _config(host) + extra)
        zf.writestr("manifest.yaml", "collected_at: 2026-11-20\n")
    caplog.set_level(logging.DEBUG)
    outputs = []
    for fmt in ("json", "table"):
        code, out = _cli(monkeypatch, capsys, "compliance", "import", str(bundle), "--config", "config.yaml",
                         "--as-of", "2026-11-25", "--format", fmt)
        assert code == 1, out                    # the corpus is not the intended config: non-compliant
        outputs.append(out)
    devices = {d["name"]: d for d in json.loads(outputs[0][outputs[0].index("{"):])["run"]["devices"]}
    assert set(devices) == set(HOSTS) and {d["state"] for d in devices.values()} == {"non_compliant"}

    written = _files(project / "build" / "remediation") | _files(project / "build" / "rollback")
    for host in HOSTS:
        remediation = (project / "build" / "remediation" / f"{host}.cfg").read_text()
        rollback = (project / "build" / "rollback" / f"{host}.cfg").read_text()
        assert "<secret>" in remediation + rollback, host
        for line in (remediation + rollback).splitlines():
            assert "SECRET-DATA" not in line, (host, line)
    reports = _files(project / "reports")
    assert {p.suffix for p in reports} >= {".html", ".json", ".md", ".csv"}
    everything = written | reports | _files(project / ".state")
    for path, data in everything.items():
        assert not [s for s in ALL_SECRETS if s.encode() in data], path
    for out in outputs:
        assert not _leaks(out, ALL_SECRETS)
    logged = caplog.text + "\n".join(str(r.args) for r in caplog.records)
    assert not _leaks(logged, ALL_SECRETS)
