"""The backup store: one sanitized config per device at a fixed path, an index, and history in git.

Layout (``<state_dir>/backups``)::

    <host>.cfg      the last good backup of the device (sanitized; never holds a secret)
    index.json      {host: {collected_at, status: ok|unreachable, error, platform, attempted_at}}
    .git/           one commit per run, message "backup: N ok, M unreachable, K changed"

A device that cannot be reached keeps its last ``<host>.cfg`` and its old ``collected_at``; its index entry says
``unreachable`` with the error sentence. Compliance reads the files and the index from here.

Git runs as a subprocess with its identity given on the command line; nothing is ever pushed anywhere.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import stat
import subprocess
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from nornir_tasks.errors import BackupError
from nornir_tasks.fileio import private_dir, write_if_changed
from nornir_tasks.paths import STATE_FILE_MODE

logger = logging.getLogger(__name__)

INDEX = "index.json"
#: A git ``index.lock`` older than this is left by a crashed git (govnet holds its own lock while it runs git).
STALE_LOCK_SECONDS = 600
_GIT_ID = ("-c", "user.name=govnet backup", "-c", "user.email=govnet-backup@localhost",
           "-c", "commit.gpgsign=false", "-c", "core.hooksPath=/dev/null", "-c", "init.defaultBranch=main")


class IndexEntry(BaseModel):
    """What the store knows about one device's backup."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    collected_at: datetime | None     # time of the last *successful* collection (kept when unreachable)
    status: Literal["ok", "unreachable"]
    error: str | None = None
    platform: str
    attempted_at: datetime | None = None


class Collected(BaseModel):
    """One device's outcome of a run, as the backup task reports it (text is already sanitized)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    host: str
    platform: str
    text: str | None = None           # None when the device could not be reached
    error: str | None = None


class RunSummary(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    ok: tuple[str, ...]
    unreachable: tuple[str, ...]
    changed: tuple[str, ...]
    commit: str | None
    message: str


def summary_message(ok: int, unreachable: int, changed: int) -> str:
    """The commit message of a run.

    Examples:
        >>> summary_message(30, 2, 3)
        'backup: 30 ok, 2 unreachable, 3 changed'
    """
    return f"backup: {ok} ok, {unreachable} unreachable, {changed} changed"


def is_stale(entry: IndexEntry, max_age_days: int, now: datetime) -> bool:
    """True when the last good backup is older than ``max_age_days`` (or there never was one).

    Examples:
        >>> t = datetime(2025, 11, 1, tzinfo=UTC)
        >>> e = IndexEntry(collected_at=t, status="unreachable", platform="frr")
        >>> is_stale(e, 30, t + timedelta(days=29)), is_stale(e, 30, t + timedelta(days=31))
        (False, True)
    """
    if entry.collected_at is None:
        return True
    return now - entry.collected_at > timedelta(days=max_age_days)


class BackupStore:
    """The folder of backups with its git history."""

    def __init__(self, state_dir: str | Path) -> None:
        self.root = Path(state_dir) / "backups"

    # -- paths and reading ---------------------------------------------------------------------------------
    def path(self, host: str) -> Path:
        if not host or "/" in host or host.startswith("."):
            raise BackupError(f"invalid host name for a backup file: {host!r}", code="BKP-002")
        return self.root / f"{host}.cfg"

    def read(self, host: str) -> str | None:
        path = self.path(host)
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except UnicodeDecodeError as exc:
            raise BackupError(f"{path}: byte {exc.start} is not UTF-8 (govnet writes backups as UTF-8)",
                              code="BKP-002", hint=f"restore it from git (git -C {self.root} checkout "
                                                   f"{path.name}) or run 'govnet backup' for {host} again") from exc

    def index(self) -> dict[str, IndexEntry]:
        path = self.root / INDEX
        if not path.exists():
            return {}
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            return {host: IndexEntry.model_validate(entry) for host, entry in raw.items()}
        except (ValueError, AttributeError) as exc:
            raise BackupError(f"{path}: the backup index is unreadable: {exc}", code="BKP-002",
                              hint="restore it from git (git -C <state>/backups checkout index.json)") from exc

    # -- git ------------------------------------------------------------------------------------------------
    def _git(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        try:
            proc = subprocess.run(
                ["git", *_GIT_ID, "-c", f"safe.directory={self.root}", "-C", str(self.root), *args],
                capture_output=True, check=False, text=True, timeout=120, umask=0o077,
                env={"PATH": "/usr/bin:/bin", "HOME": str(self.root), "GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C"})
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise BackupError(f"git failed in {self.root}: {exc}", code="BKP-002",
                              hint="install git (scripts/setup.sh) and check the state folder") from exc
        if check and proc.returncode != 0:
            raise BackupError(f"git {' '.join(args[:2])} failed in {self.root}: {proc.stderr.strip()[:300]}",
                              code="BKP-002", hint="check the backup repository (git -C <state>/backups status)")
        return proc

    def _ensure_repo(self) -> None:
        private_dir(self.root)
        if not (self.root / ".git").exists():
            # --shared=0600: git's own files are private too (files 0600, folders 0700)
            self._git("init", "-q", "--shared=0600")
        for path in self.root.iterdir():      # tighten files written by an older govnet
            if path.is_file() and not path.is_symlink() and stat.S_IMODE(path.stat().st_mode) != STATE_FILE_MODE:
                os.chmod(path, STATE_FILE_MODE)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        private_dir(self.root.parent)
        private_dir(self.root)
        fd = os.open(self.root.parent / ".backups.lock", os.O_WRONLY | os.O_CREAT, STATE_FILE_MODE)
        with os.fdopen(fd, "w") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            yield

    def commits(self) -> list[tuple[str, str]]:
        """(sha, message) of every run, newest first."""
        if not (self.root / ".git").exists():
            return []
        proc = self._git("log", "--format=%H%x09%s", check=False)
        if proc.returncode != 0:
            return []
        return [tuple(line.split("\t", 1)) for line in proc.stdout.splitlines() if "\t" in line]  # type: ignore[misc]

    def diff(self, hosts: Iterable[str] | None = None) -> str:
        """What the last run changed in the configs (``git diff`` of the previous run's commit to the last)."""
        runs = self.commits()
        if not runs:
            return ""
        paths = [self.path(h).name for h in hosts] if hosts is not None else ["*.cfg"]
        if len(runs) == 1:
            base = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"   # git's empty tree: everything is new
        else:
            base = runs[1][0]
        return self._git("diff", "--no-color", base, runs[0][0], "--", *paths).stdout

    # -- writing a run ------------------------------------------------------------------------------------
    def _check_git_lock(self) -> None:
        """Before anything is written: a git ``index.lock`` left by a crashed git is removed when old; a fresh one
        means another git is working here, and the run stops with nothing written."""
        lock = self.root / ".git" / "index.lock"
        try:
            age = time.time() - lock.stat().st_mtime
        except FileNotFoundError:
            return
        if age > STALE_LOCK_SECONDS:
            logger.warning("backup store %s: removing a stale git lock %s (%.0f s old)", self.root, lock, age)
            lock.unlink(missing_ok=True)
            return
        raise BackupError(f"{lock} exists: another git command is working in the backup store; nothing was written",
                          code="BKP-003", hint=f"wait for it to finish; if no git is running, remove {lock}")

    def record(self, outcomes: Iterable[Collected], now: datetime | None = None) -> RunSummary:
        """Write every collected config, keep the old file for unreachable ones, update the index, commit.

        All or nothing: a run that reached no device updates only the index and makes no commit; when writing or
        committing fails, every file of the run is put back as it was and the error says nothing was written.
        """
        now = now or datetime.now(UTC)
        items = sorted(outcomes, key=lambda o: o.host)
        for item in items:
            self.path(item.host)                      # refuse a bad name before anything is written
        with self._locked():
            self._ensure_repo()
            self._check_git_lock()
            index = self.index()
            ok = [i.host for i in items if i.text is not None]
            down = [i.host for i in items if i.text is None]
            changed: list[str] = []
            saved: dict[Path, bytes | None] = {}
            try:
                for item in items:
                    prev = index.get(item.host)
                    if item.text is not None:
                        path = self.path(item.host)
                        saved[path] = _read_or_none(path)
                        if write_if_changed(path, item.text, mode=STATE_FILE_MODE):
                            changed.append(item.host)
                        index[item.host] = IndexEntry(collected_at=now, status="ok", platform=item.platform,
                                                      attempted_at=now)
                    else:
                        index[item.host] = IndexEntry(collected_at=prev.collected_at if prev else None,
                                                      status="unreachable", error=item.error,
                                                      platform=item.platform, attempted_at=now)
                doc = {h: e.model_dump(mode="json") for h, e in sorted(index.items())}
                saved[self.root / INDEX] = _read_or_none(self.root / INDEX)
                write_if_changed(self.root / INDEX, json.dumps(doc, ensure_ascii=False, indent=2) + "\n",
                                 mode=STATE_FILE_MODE)
                if not ok:
                    # nothing new was collected: the index records who is unreachable (compliance reports them),
                    # but no commit is made, so 'backup --diff' still shows the last run that collected configs
                    message = (f"backup: no device was reached ({len(down)} unreachable): only {INDEX} updated, "
                               "no commit")
                    logger.info("backup store %s: %s", self.root, message)
                    return RunSummary(ok=(), unreachable=tuple(down), changed=(), commit=None, message=message)
                message = summary_message(len(ok), len(down), len(changed))
                self._git("add", "-A")
                self._git("commit", "-q", "--allow-empty", "-m", message)
                sha = self._git("rev-parse", "HEAD").stdout.strip()
            except (OSError, BackupError) as exc:
                problems = self._put_back(saved)
                sentence = exc.message if isinstance(exc, BackupError) else f"writing {self.root} failed: {exc}"
                raise BackupError(f"{sentence}; " + ("every file of this run was put back as it was, nothing "
                                                     "was written" if not problems else
                                                     "could not put back " + ", ".join(problems)),
                                  code="BKP-002", hint="free space or fix the backup folder, then run again") from exc
        logger.info("backup store %s: %s (%s)", self.root, message, sha[:10])
        return RunSummary(ok=tuple(ok), unreachable=tuple(down), changed=tuple(changed), commit=sha,
                          message=message)

    def _put_back(self, saved: dict[Path, bytes | None]) -> list[str]:
        """Restore files to the bytes they had before the run (remove those that did not exist); unstage the run.
        Returns the paths that could not be restored."""
        problems = []
        for path, data in saved.items():
            try:
                if data is None:
                    path.unlink(missing_ok=True)
                else:
                    write_if_changed(path, data, mode=STATE_FILE_MODE)
            except OSError:
                problems.append(str(path))
        if (self.root / ".git").exists() and not (self.root / ".git" / "index.lock").exists():
            self._git("reset", "-q", check=False)
        return problems


def _read_or_none(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
