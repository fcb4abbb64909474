"""The embedded SQLite store: one database file in the project's state folder (``.state/govnet.sqlite``).

Each stage owns its tables and declares them with :func:`ensure_schema` (idempotent, versioned per stage),
so compliance snapshots, rollout snapshots and — later — the run journal share one file without sharing code.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

from nornir_tasks.errors import GovnetError
from nornir_tasks.fileio import private_dir
from nornir_tasks.paths import DB_NAME, STATE_FILE_MODE

__all__ = ["DB_NAME", "connect", "ensure_schema"]


def connect(state_dir: str | Path) -> sqlite3.Connection:
    """Open (creating if needed) the store in ``state_dir``.

    Examples:
        >>> import tempfile
        >>> conn = connect(tempfile.mkdtemp())
        >>> ensure_schema(conn, "demo", 1, "CREATE TABLE demo (x INTEGER)")
        >>> conn.execute("SELECT stage, version FROM schema_versions").fetchall()
        [('demo', 1)]
    """
    folder = Path(state_dir)
    path = folder / DB_NAME
    try:
        private_dir(folder)
        # created 0600 before SQLite opens it: SQLite gives its -wal and -shm files the database file's mode
        os.close(os.open(path, os.O_RDWR | os.O_CREAT, STATE_FILE_MODE))
        if stat.S_IMODE(path.stat().st_mode) != STATE_FILE_MODE:
            os.chmod(path, STATE_FILE_MODE)
        conn = sqlite3.connect(path, timeout=30)
    except (OSError, sqlite3.Error) as exc:
        raise GovnetError(f"cannot open the store {path}: {exc}", code="RLT-004",
                          hint="check that the state folder is writable") from exc
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("CREATE TABLE IF NOT EXISTS schema_versions (stage TEXT PRIMARY KEY, version INTEGER NOT NULL)")
    except sqlite3.Error as exc:
        conn.close()
        raise GovnetError(f"the store {path} is not a readable SQLite database ({exc})", code="RLT-004",
                          hint=f"move {path} aside (a new store is created on the next run) or restore it "
                               "from a copy") from exc
    return conn


def ensure_schema(conn: sqlite3.Connection, stage: str, version: int, ddl: str) -> None:
    """Create a stage's tables once; ``ddl`` may hold several statements. Raises if the stored version is newer."""
    row = conn.execute("SELECT version FROM schema_versions WHERE stage = ?", (stage,)).fetchone()
    if row is not None and row[0] >= version:
        if row[0] > version:
            raise GovnetError(f"the store's {stage} tables are version {row[0]}, newer than this govnet ({version})",
                              code="RLT-004", hint="upgrade govnet")
        return
    with conn:
        conn.executescript(ddl)
        conn.execute("INSERT OR REPLACE INTO schema_versions (stage, version) VALUES (?, ?)", (stage, version))
