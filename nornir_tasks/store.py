"""The embedded SQLite store: one database file in the project's state folder (``.state/govnet.sqlite``).

Each stage owns its tables and declares them with :func:`ensure_schema` (idempotent, versioned per stage),
so compliance snapshots, rollout snapshots and — later — the run journal share one file without sharing code.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from nornir_tasks.errors import GovnetError

DB_NAME = "govnet.sqlite"


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
    try:
        folder.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(folder / DB_NAME, timeout=30)
    except (OSError, sqlite3.Error) as exc:
        raise GovnetError(f"cannot open the store {folder / DB_NAME}: {exc}", code="RLT-004",
                          hint="check that the state folder is writable") from exc
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("CREATE TABLE IF NOT EXISTS schema_versions (stage TEXT PRIMARY KEY, version INTEGER NOT NULL)")
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
