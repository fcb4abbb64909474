"""The deploy journal and the per-device lock, in the embedded SQLite store (:mod:`nornir_tasks.store`).

Every run has an id; every step of every device is written twice — when it starts and when it ends — with the
operator, the time, the hash of the (masked) change and the outcome. A run cut short (Ctrl-C, a killed process,
a crash) therefore leaves a journal that says exactly which step of which device was in flight, and
``govnet deploy --resume RUN_ID`` picks up from there.

The lock is one row per device naming the run that holds it (and that run's process and machine). A second run
that selects a locked device refuses that device (DPL-003); a lock whose process is gone (same machine, PID not
running) is stale and taken over, and the journal says so.

No secret is ever stored: the diff hashed and the details written are masked by the caller
(:meth:`nornir_tasks.deploy.secrets.Substituted.mask`).
"""

from __future__ import annotations

import getpass
import json
import os
import secrets
import socket
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from nornir_tasks.errors import DeployError
from nornir_tasks.store import DB_NAME, connect, ensure_schema

SCHEMA_VERSION = 1
SCHEMA = """
CREATE TABLE IF NOT EXISTS deploy_runs (
    run_id TEXT PRIMARY KEY,
    started TEXT NOT NULL,
    finished TEXT,
    operator TEXT NOT NULL,
    machine TEXT NOT NULL,
    pid INTEGER NOT NULL,
    commit_mode INTEGER NOT NULL,
    lab INTEGER NOT NULL,
    selection TEXT NOT NULL,
    options TEXT NOT NULL,
    status TEXT NOT NULL,
    resumed_from TEXT
);
CREATE TABLE IF NOT EXISTS deploy_steps (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id TEXT NOT NULL REFERENCES deploy_runs(run_id),
    host TEXT NOT NULL,
    step TEXT NOT NULL,
    phase TEXT NOT NULL CHECK (phase IN ('start', 'end')),
    at TEXT NOT NULL,
    operator TEXT NOT NULL,
    diff_hash TEXT NOT NULL DEFAULT '',
    outcome TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS deploy_steps_run ON deploy_steps (run_id, host);
CREATE TABLE IF NOT EXISTS deploy_locks (
    host TEXT PRIMARY KEY,
    run_id TEXT NOT NULL,
    machine TEXT NOT NULL,
    pid INTEGER NOT NULL,
    since TEXT NOT NULL
);
"""

Phase = Literal["start", "end"]
RunStatus = Literal["running", "finished", "stopped", "interrupted"]
#: Final outcomes of a device that a resumed run never touches again.
DONE = frozenset({"changed", "unchanged"})


def new_run_id(now: datetime | None = None) -> str:
    """A run id: UTC time and a random suffix (sortable, unique).

    Examples:
        >>> new_run_id(datetime(2026, 11, 29, 12, 0, tzinfo=UTC))[:17]
        '20261129T120000Z-'
    """
    now = now or datetime.now(UTC)
    return now.strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)


def operator_name() -> str:
    """Who runs govnet (the login name; ``unknown`` when the system cannot say)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def pid_alive(pid: int) -> bool:
    """True when a process with this PID runs on this machine.

    Examples:
        >>> pid_alive(os.getpid())
        True
    """
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class _M(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RunRecord(_M):
    run_id: str
    started: datetime
    finished: datetime | None
    operator: str
    machine: str
    pid: int
    commit: bool
    lab: bool
    selection: tuple[str, ...]
    options: dict[str, Any]
    status: str
    resumed_from: str | None = None


class StepRecord(_M):
    run_id: str
    host: str
    step: str
    phase: Phase
    at: datetime
    operator: str
    diff_hash: str = ""
    outcome: str = ""
    detail: str = ""


class LockResult(_M):
    acquired: tuple[str, ...]
    refused: dict[str, str]          # host → run id holding it
    taken_over: dict[str, str] = {}  # host → stale run id whose lock was taken over


class Journal:
    """The journal of deploy runs in ``<state_dir>/govnet.sqlite``. Safe to use from many threads."""

    def __init__(self, state_dir: str | Path, operator: str | None = None) -> None:
        self.state_dir = Path(state_dir)
        self.operator = operator or operator_name()
        self.machine = socket.gethostname()
        self._lock = threading.Lock()
        setup = connect(self.state_dir)       # creates the folder and the file, and our tables once
        try:
            ensure_schema(setup, "deploy", SCHEMA_VERSION, SCHEMA)
        finally:
            setup.close()
        # one connection shared by the run's threads (serialised by the lock); explicit transactions
        self._conn = sqlite3.connect(self.state_dir / DB_NAME, timeout=30, check_same_thread=False,
                                     isolation_level=None)
        self._conn.execute("PRAGMA busy_timeout=30000")
        # WAL + NORMAL: a committed step survives the process being killed (it is in the WAL file); only a power
        # cut can lose the last few. FULL would fsync every step and serialise a wave's devices behind the disk.
        self._conn.execute("PRAGMA synchronous=NORMAL")

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @staticmethod
    def _now() -> str:
        return datetime.now(UTC).isoformat(timespec="microseconds")

    def _write(self, sql: str, args: Sequence[Any]) -> None:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                self._conn.execute(sql, args)
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise

    # -- runs ----------------------------------------------------------------------------------------------
    def start_run(self, run_id: str, *, commit: bool, lab: bool, selection: Sequence[str],
                  options: dict[str, Any], resumed_from: str | None = None) -> None:
        self._write("INSERT INTO deploy_runs (run_id, started, operator, machine, pid, commit_mode, lab, selection, "
                    "options, status, resumed_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'running', ?)",
                    (run_id, self._now(), self.operator, self.machine, os.getpid(), int(commit), int(lab),
                     json.dumps(list(selection)), json.dumps(options, sort_keys=True, default=str), resumed_from))

    def finish_run(self, run_id: str, status: RunStatus) -> None:
        self._write("UPDATE deploy_runs SET finished = ?, status = ? WHERE run_id = ?", (self._now(), status, run_id))

    def run(self, run_id: str) -> RunRecord | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT run_id, started, finished, operator, machine, pid, commit_mode, lab, selection, options, "
                "status, resumed_from FROM deploy_runs WHERE run_id = ?", (run_id,)).fetchone()
        return _run(row) if row else None

    def require_run(self, run_id: str) -> RunRecord:
        found = self.run(run_id)
        if found is None:
            raise DeployError(f"no deploy run {run_id!r} in {self.state_dir / DB_NAME}", code="DPL-008",
                              hint="see the runs with 'govnet deploy history' (add --lab for lab runs)")
        return found

    def runs(self, limit: int = 50) -> list[RunRecord]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT run_id, started, finished, operator, machine, pid, commit_mode, lab, selection, options, "
                "status, resumed_from FROM deploy_runs ORDER BY started DESC LIMIT ?", (limit,)).fetchall()
        return [_run(r) for r in rows]

    # -- steps ---------------------------------------------------------------------------------------------
    def step(self, run_id: str, host: str, step: str, phase: Phase, *, outcome: str = "", diff_hash: str = "",
             detail: str = "") -> None:
        """Record one step's start or end (committed before this returns)."""
        self._write("INSERT INTO deploy_steps (run_id, host, step, phase, at, operator, diff_hash, outcome, detail) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (run_id, host, step, phase, self._now(), self.operator, diff_hash, outcome, detail[:2000]))

    def steps(self, run_id: str, host: str | None = None) -> list[StepRecord]:
        sql = ("SELECT run_id, host, step, phase, at, operator, diff_hash, outcome, detail FROM deploy_steps "
               "WHERE run_id = ?")
        args: list[Any] = [run_id]
        if host is not None:
            sql += " AND host = ?"
            args.append(host)
        with self._lock:
            rows = self._conn.execute(sql + " ORDER BY id", args).fetchall()
        return [StepRecord(run_id=r[0], host=r[1], step=r[2], phase=r[3], at=datetime.fromisoformat(r[4]),
                           operator=r[5], diff_hash=r[6], outcome=r[7], detail=r[8]) for r in rows]

    def outcomes(self, run_ids: Iterable[str]) -> dict[str, str]:
        """Each host's final outcome (the ``done`` step) over a chain of runs, later runs winning."""
        out: dict[str, str] = {}
        for rid in run_ids:
            for s in self.steps(rid):
                if s.step == "done" and s.phase == "end":
                    out[s.host] = s.outcome
        return out

    def chain(self, run_id: str) -> list[str]:
        """The run ids from the first run to ``run_id`` following ``resumed_from``."""
        out: list[str] = []
        cur: str | None = run_id
        while cur is not None and cur not in out:
            out.append(cur)
            rec = self.run(cur)
            cur = rec.resumed_from if rec else None
        return list(reversed(out))

    # -- locks ---------------------------------------------------------------------------------------------
    def acquire(self, run_id: str, hosts: Sequence[str]) -> LockResult:
        """Lock ``hosts`` for ``run_id``; hosts held by another live run are refused, stale locks taken over."""
        acquired: list[str] = []
        refused: dict[str, str] = {}
        taken: dict[str, str] = {}
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                for host in hosts:
                    row = self._conn.execute("SELECT run_id, machine, pid FROM deploy_locks WHERE host = ?",
                                             (host,)).fetchone()
                    if row is not None and row[0] != run_id:
                        holder, machine, pid = row
                        if machine != self.machine or pid_alive(int(pid)):
                            refused[host] = holder
                            continue
                        taken[host] = holder
                    self._conn.execute("INSERT OR REPLACE INTO deploy_locks (host, run_id, machine, pid, since) "
                                       "VALUES (?, ?, ?, ?, ?)", (host, run_id, self.machine, os.getpid(), self._now()))
                    acquired.append(host)
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
        return LockResult(acquired=tuple(acquired), refused=refused, taken_over=taken)

    def release(self, run_id: str, hosts: Iterable[str] | None = None) -> None:
        """Release the locks ``run_id`` holds (all of them, or only ``hosts``)."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                if hosts is None:
                    self._conn.execute("DELETE FROM deploy_locks WHERE run_id = ?", (run_id,))
                else:
                    self._conn.executemany("DELETE FROM deploy_locks WHERE run_id = ? AND host = ?",
                                           [(run_id, h) for h in hosts])
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise

    def locks(self) -> dict[str, str]:
        with self._lock:
            return dict(self._conn.execute("SELECT host, run_id FROM deploy_locks").fetchall())


def _run(row: Sequence[Any]) -> RunRecord:
    return RunRecord(run_id=row[0], started=datetime.fromisoformat(row[1]),
                     finished=datetime.fromisoformat(row[2]) if row[2] else None, operator=row[3], machine=row[4],
                     pid=row[5], commit=bool(row[6]), lab=bool(row[7]), selection=tuple(json.loads(row[8])),
                     options=json.loads(row[9]), status=row[10], resumed_from=row[11])


def unfinished_steps(steps: Sequence[StepRecord]) -> list[tuple[str, str]]:
    """(host, step) pairs that were started and never ended: a consistent journal has none after a run.

    Examples:
        >>> t = datetime(2026, 1, 1, tzinfo=UTC)
        >>> s = [StepRecord(run_id="r", host="a", step="push", phase="start", at=t, operator="o"),
        ...      StepRecord(run_id="r", host="a", step="push", phase="end", at=t, operator="o", outcome="ok"),
        ...      StepRecord(run_id="r", host="b", step="push", phase="start", at=t, operator="o")]
        >>> unfinished_steps(s)
        [('b', 'push')]
    """
    open_: dict[tuple[str, str], int] = {}
    for s in steps:
        key = (s.host, s.step)
        open_[key] = open_.get(key, 0) + (1 if s.phase == "start" else -1)
    return [k for k, v in open_.items() if v > 0]
