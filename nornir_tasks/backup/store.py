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
import subprocess
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from nornir_tasks.errors import BackupError
from nornir_tasks.fileio import write_if_changed

logger = logging.getLogger(__name__)

INDEX = "index.json"
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
        try:
            return self.path(host).read_text(encoding="utf-8")
        except FileNotFoundError:
            return None

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
                capture_output=True, check=False, text=True, timeout=120,
                env={"PATH": "/usr/bin:/bin", "HOME": str(self.root), "GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C"})
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise BackupError(f"git failed in {self.root}: {exc}", code="BKP-002",
                              hint="install git (scripts/setup.sh) and check the state folder") from exc
        if check and proc.returncode != 0:
            raise BackupError(f"git {' '.join(args[:2])} failed in {self.root}: {proc.stderr.strip()[:300]}",
                              code="BKP-002", hint="check the backup repository (git -C <state>/backups status)")
        return proc

    def _ensure_repo(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        if not (self.root / ".git").exists():
            self._git("init", "-q")

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root.parent / ".backups.lock", "w") as fh:
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
    def record(self, outcomes: Iterable[Collected], now: datetime | None = None) -> RunSummary:
        """Write every collected config, keep the old file for unreachable ones, update the index, commit."""
        now = now or datetime.now(UTC)
        with self._locked():
            self._ensure_repo()
            index = self.index()
            ok: list[str] = []
            down: list[str] = []
            changed: list[str] = []
            for item in sorted(outcomes, key=lambda o: o.host):
                prev = index.get(item.host)
                if item.text is not None:
                    if write_if_changed(self.path(item.host), item.text):
                        changed.append(item.host)
                    ok.append(item.host)
                    index[item.host] = IndexEntry(collected_at=now, status="ok", platform=item.platform,
                                                  attempted_at=now)
                else:
                    down.append(item.host)
                    index[item.host] = IndexEntry(collected_at=prev.collected_at if prev else None,
                                                  status="unreachable", error=item.error, platform=item.platform,
                                                  attempted_at=now)
            doc = {h: e.model_dump(mode="json") for h, e in sorted(index.items())}
            write_if_changed(self.root / INDEX, json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
            message = summary_message(len(ok), len(down), len(changed))
            self._git("add", "-A")
            self._git("commit", "-q", "--allow-empty", "-m", message)
            sha = self._git("rev-parse", "HEAD").stdout.strip()
        logger.info("backup store %s: %s (%s)", self.root, message, sha[:10])
        return RunSummary(ok=tuple(ok), unreachable=tuple(down), changed=tuple(changed), commit=sha,
                          message=message)
