"""The latest compliance snapshot, as the rollout metrics see it.

The compliance stage ([F4]) stores each run in the SQLite store (stage ``compliance``). Rollout only needs the
last run's state per device and the baseline version it was checked against, so this module reads exactly
that and nothing else; when the store or the tables do not exist yet, :func:`latest_compliance` returns None
and the ``compliant_with_baseline`` metric reports "no data" rather than 0%.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from nornir_tasks.store import DB_NAME


@dataclass(frozen=True)
class ComplianceView:
    """State per device in the latest compliance run."""

    GOOD: ClassVar[frozenset[str]] = frozenset({"compliant", "waived", "not_applicable", "not applicable"})
    UNKNOWN: ClassVar[frozenset[str]] = frozenset({"unreachable", "stale"})

    run_id: str
    taken_at: str
    baseline_version: str | None
    states: dict[str, str] = field(default_factory=dict)

    def version(self) -> str | None:
        """The baseline version alone: the compliance stage stores ``"<baseline id> <version>"``.

        Examples:
            >>> ComplianceView("r1", "", "national 2025.1").version(), ComplianceView("r1", "", None).version()
            ('2025.1', None)
        """
        if not self.baseline_version:
            return None
        return self.baseline_version.split()[-1]


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]


def read_latest(conn: sqlite3.Connection) -> ComplianceView | None:
    """The latest compliance run in an open store, or None when there is none.

    Reads the compliance stage's tables ``compliance_runs`` (one row per run: ``id``, ``started_at`` or
    ``taken_at``, ``baseline_version``) and ``compliance_devices`` (``run_id``, ``host``, ``state``).
    """
    tables = _tables(conn)
    if "compliance_runs" not in tables or "compliance_devices" not in tables:
        return None
    run_cols = _columns(conn, "compliance_runs")
    time_col = next((c for c in ("taken_at", "started_at", "finished_at", "created_at") if c in run_cols), None)
    order = f"{time_col} DESC, rowid DESC" if time_col else "rowid DESC"
    version_col = next((c for c in ("baseline_version", "baseline") if c in run_cols), None)
    cols = ", ".join(["id", time_col or "''", version_col or "NULL"])
    row = conn.execute(f"SELECT {cols} FROM compliance_runs ORDER BY {order} LIMIT 1").fetchone()
    if row is None:
        return None
    dev_cols = _columns(conn, "compliance_devices")
    host_col = "host" if "host" in dev_cols else "device"
    states = {str(h): str(s) for h, s in conn.execute(
        f"SELECT {host_col}, state FROM compliance_devices WHERE run_id = ?", (row[0],))}
    return ComplianceView(str(row[0]), str(row[1] or ""), None if row[2] is None else str(row[2]), states)


def latest_compliance(state_dir: str | Path) -> ComplianceView | None:
    """The latest compliance run stored under ``state_dir``; None when the store does not exist yet (it is
    never created just to be read)."""
    path = Path(state_dir) / DB_NAME
    if not path.exists():
        return None
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        return read_latest(conn)
    finally:
        conn.close()
