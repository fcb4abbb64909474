"""The backup store: files at fixed paths, the index, one git commit per run, the diff of the last run."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime, timedelta

import pytest

from nornir_tasks.backup.store import BackupStore, Collected, IndexEntry, is_stale
from nornir_tasks.errors import BackupError

T0 = datetime(2025, 11, 4, 2, 0, tzinfo=UTC)


def git_log(store: BackupStore) -> list[str]:
    out = subprocess.run(["git", "-C", str(store.root), "log", "--format=%s"], capture_output=True, text=True,
                         check=True).stdout
    return out.splitlines()


def test_first_run_writes_files_index_and_one_commit(tmp_path) -> None:
    store = BackupStore(tmp_path)
    summary = store.record([Collected(host="r1", platform="frr", text="hostname r1\n"),
                            Collected(host="r2", platform="cisco_ios", text="hostname r2\n")], now=T0)
    assert summary.message == "backup: 2 ok, 0 unreachable, 2 changed"
    assert (tmp_path / "backups" / "r1.cfg").read_text() == "hostname r1\n"
    index = json.loads((tmp_path / "backups" / "index.json").read_text())
    assert index["r2"]["status"] == "ok" and index["r2"]["platform"] == "cisco_ios"
    assert datetime.fromisoformat(index["r1"]["collected_at"]) == T0
    assert index["r1"]["error"] is None
    assert git_log(store) == [summary.message]
    assert store.commits()[0][0] == summary.commit


def test_unreachable_keeps_last_backup_and_its_time(tmp_path) -> None:
    store = BackupStore(tmp_path)
    store.record([Collected(host="r1", platform="frr", text="hostname r1\n")], now=T0)
    later = T0 + timedelta(days=2)
    summary = store.record([Collected(host="r1", platform="frr", error="[DEV-001] r1: unreachable")], now=later)
    assert summary.unreachable == ("r1",) and summary.changed == ()
    assert store.read("r1") == "hostname r1\n"
    entry = store.index()["r1"]
    assert entry.status == "unreachable" and entry.collected_at == T0 and entry.attempted_at == later
    assert entry.error == "[DEV-001] r1: unreachable"
    # a run that reached no device makes no commit (R1 #8): 'backup --diff' still shows the last real run
    assert git_log(store) == ["backup: 1 ok, 0 unreachable, 1 changed"]
    assert summary.commit is None and "no device was reached" in summary.message


def test_never_reached_has_no_time_and_is_stale(tmp_path) -> None:
    store = BackupStore(tmp_path)
    store.record([Collected(host="r9", platform="frr", error="down")], now=T0)
    entry = store.index()["r9"]
    assert entry.collected_at is None and store.read("r9") is None
    assert is_stale(entry, 30, T0)


def test_diff_shows_only_the_last_run(tmp_path) -> None:
    store = BackupStore(tmp_path)
    store.record([Collected(host="r1", platform="frr", text="hostname r1\nip route 10.0.0.0/8 Null0\n"),
                  Collected(host="r2", platform="frr", text="hostname r2\n")], now=T0)
    first = store.diff()
    assert "+hostname r1" in first and "+hostname r2" in first
    store.record([Collected(host="r1", platform="frr", text="hostname r1\nip route 10.9.0.0/16 Null0\n"),
                  Collected(host="r2", platform="frr", text="hostname r2\n")], now=T0 + timedelta(hours=1))
    diff = store.diff()
    assert "-ip route 10.0.0.0/8 Null0" in diff and "+ip route 10.9.0.0/16 Null0" in diff
    assert "r2.cfg" not in diff and "index.json" not in diff
    assert store.diff(["r2"]) == ""
    store.record([Collected(host="r1", platform="frr", text="hostname r1\nip route 10.9.0.0/16 Null0\n")],
                 now=T0 + timedelta(hours=2))
    assert store.diff() == ""
    assert len(store.commits()) == 3


def test_unchanged_config_is_not_rewritten(tmp_path) -> None:
    store = BackupStore(tmp_path)
    store.record([Collected(host="r1", platform="frr", text="hostname r1\n")], now=T0)
    mtime = store.path("r1").stat().st_mtime_ns
    summary = store.record([Collected(host="r1", platform="frr", text="hostname r1\n")], now=T0)
    assert summary.changed == () and store.path("r1").stat().st_mtime_ns == mtime


def test_stale_after_max_age() -> None:
    entry = IndexEntry(collected_at=T0, status="ok", platform="frr")
    assert not is_stale(entry, 30, T0 + timedelta(days=30))
    assert is_stale(entry, 30, T0 + timedelta(days=30, seconds=1))


@pytest.mark.parametrize("bad", ["", "../etc/passwd", ".git", "a/b"])
def test_bad_host_names_are_refused(tmp_path, bad: str) -> None:
    with pytest.raises(BackupError) as err:
        BackupStore(tmp_path).path(bad)
    assert err.value.code == "BKP-002"


def test_corrupt_index_is_a_sentence(tmp_path) -> None:
    store = BackupStore(tmp_path)
    store.root.mkdir(parents=True)
    (store.root / "index.json").write_text("{not json")
    with pytest.raises(BackupError) as err:
        store.index()
    assert err.value.code == "BKP-002" and "index.json" in err.value.message


def test_store_does_not_depend_on_user_git_identity(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "nohome"))
    monkeypatch.setenv("GIT_AUTHOR_NAME", "")
    store = BackupStore(tmp_path)
    store.record([Collected(host="r1", platform="frr", text="x\n")], now=T0)
    author = subprocess.run(["git", "-C", str(store.root), "log", "-1", "--format=%an <%ae>"], capture_output=True,
                            text=True, check=True).stdout.strip()
    assert author == "govnet backup <govnet-backup@localhost>"
    remotes = subprocess.run(["git", "-C", str(store.root), "remote"], capture_output=True, text=True, check=True).stdout
    assert remotes == ""
