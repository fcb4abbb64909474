"""Device access policy: credentials from the environment only, host keys trusted on first use, failure
sentences with stable codes."""

from __future__ import annotations

from pathlib import Path

import paramiko
import pytest

from nornir_tasks.devices import KnownHosts, classify, credentials, host_key_name, ssh_options
from nornir_tasks.errors import CATALOG, ConfigError, DeviceError
from nornir_tasks.settings import Settings


def test_credentials_come_from_the_named_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    s = Settings(credentials={"username_env": "GV_T_USER", "password_env": "GV_T_PASS"})
    monkeypatch.setenv("GV_T_USER", "netadmin")
    monkeypatch.setenv("GV_T_PASS", "pw-from-env")
    assert credentials(s) == ("netadmin", "pw-from-env")
    monkeypatch.delenv("GV_T_PASS")
    with pytest.raises(ConfigError) as err:
        credentials(s)
    assert err.value.code == "CFG-004" and "GV_T_PASS" in err.value.message
    assert "pw-from-env" not in err.value.sentence()


def test_tofu_remembers_then_refuses_a_changed_key(tmp_path: Path) -> None:
    kh = KnownHosts(tmp_path / "state" / "known_hosts")
    first, second = paramiko.RSAKey.generate(1024), paramiko.RSAKey.generate(1024)
    assert kh.remember("127.1.0.5", 22, first) is True
    assert kh.remember("127.1.0.5", 22, first) is False
    assert kh.remember("127.1.0.6", 22, second) is True          # another host: its own key
    with pytest.raises(DeviceError) as err:
        kh.remember("127.1.0.5", 22, second)
    assert err.value.code == "DEV-002" and "interception" in err.value.message
    assert kh.lookup("127.1.0.5", 22) == [first]
    # the file is OpenSSH's format, readable by paramiko's SSHClient (which is what refuses at connect time)
    client = paramiko.SSHClient()
    client.load_host_keys(str(kh.path))
    assert client.get_host_keys().lookup("127.1.0.5")["ssh-rsa"] == first
    assert oct(kh.path.stat().st_mode & 0o777) == "0o600"


def test_ssh_options_load_the_project_file_only(tmp_path: Path) -> None:
    opts = ssh_options(tmp_path / "kh", 7.0)
    assert opts["alt_host_keys"] is True and opts["alt_key_file"] == str(tmp_path / "kh")
    assert opts["system_host_keys"] is False and opts["use_keys"] is False and opts["allow_agent"] is False


def test_classify_gives_stable_codes(tmp_path: Path) -> None:
    kh = tmp_path / "known_hosts"
    bad = paramiko.BadHostKeyException("127.1.0.1", paramiko.RSAKey.generate(1024), paramiko.RSAKey.generate(1024))
    try:
        try:
            raise bad
        except paramiko.SSHException as inner:
            raise RuntimeError("A paramiko SSHException occurred during connection creation") from inner
    except RuntimeError as wrapped:
        err = classify(wrapped, "r1", "127.1.0.1", 2201, kh)
    assert err.code == "DEV-002" and "[127.1.0.1]:2201" in err.message and str(kh) in err.hint
    assert classify(paramiko.AuthenticationException("no"), "r1", "127.1.0.1", 22, kh).code == "DEV-003"
    assert classify(ValueError("a bug"), "r1", "127.1.0.1", 22, kh) is None
    assert classify(TimeoutError("timed out"), "r1", "127.1.0.1", 22, kh).code == "DEV-001"
    for code in ("DEV-001", "DEV-002", "DEV-003", "DEV-004", "CFG-004", "BKP-001", "BKP-002"):
        assert code in CATALOG


def test_host_key_names() -> None:
    assert host_key_name("10.0.0.1", None) == "10.0.0.1"
    assert host_key_name("10.0.0.1", 830) == "[10.0.0.1]:830"


def test_parallel_first_use_loses_no_key(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    kh = KnownHosts(tmp_path / "known_hosts")
    key = paramiko.RSAKey.generate(1024)

    def connect(i: int) -> bool:
        with kh.snapshot() as copy:            # what a connection loads (paramiko may rewrite its copy)
            client = paramiko.SSHClient()
            client.load_host_keys(str(copy))
            client.save_host_keys(str(copy))
        return kh.remember(f"127.9.0.{i}", 22, key)

    with ThreadPoolExecutor(16) as pool:
        assert all(pool.map(connect, range(1, 41)))
    lines = kh.path.read_text().splitlines()
    assert sorted(line.split()[0] for line in lines) == sorted(f"127.9.0.{i}" for i in range(1, 41))
    assert not list(tmp_path.glob(".known_hosts.*"))     # private copies are removed
