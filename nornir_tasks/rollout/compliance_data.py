"""The latest compliance snapshot, as the rollout metrics see it.

The compliance stage ([F4]) stores each run in the SQLite store (stage ``compliance``). Rollout only needs the
last run's state per device and the baseline version it was checked against, so this module reads exactly
that and nothing else; when the store or the tables do not exist yet, :func:`latest_compliance` returns None
and the ``compliant_with_baseline`` metric reports "no data" rather than 0%.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import ClassVar

from nornir_tasks.errors import GovnetError
from nornir_tasks.store import DB_NAME


@dataclass(frozen=True)
class ComplianceView:
    """The latest known compliance state of each device, and the baseline version it was checked against."""

    GOOD: ClassVar[frozenset[str]] = frozenset({"compliant", "waived", "not_applicable", "not applicable"})
    UNKNOWN: ClassVar[frozenset[str]] = frozenset({"unreachable", "stale"})

    run_id: str
    taken_at: str
    baseline_version: str | None
    states: dict[str, str] = field(default_factory=dict)
    versions: dict[str, str | None] = field(default_factory=dict)

    def version(self, host: str | None = None) -> str | None:
        """The baseline version alone (the compliance stage stores ``"<baseline id> <version>"``), of the run that
        last checked ``host`` (or of the latest run).

        Examples:
            >>> v = ComplianceView("r2", "", "national 2025.2", {"a": "compliant"}, {"a": "national 2025.1"})
            >>> v.version(), v.version("a"), ComplianceView("r1", "", None).version()
            ('2025.2', '2025.1', None)
        """
        text = self.versions.get(host, self.baseline_version) if host is not None else self.baseline_version
        return text.split()[-1] if text else None


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]


def read_latest(conn: sqlite3.Connection, as_of: date | None = None) -> ComplianceView | None:
    """The latest compliance state of every device in an open store, or None when no run is stored.
    With ``as_of``, only runs taken on or before that day count (the state as it was known then).

    Reads the compliance stage's tables ``compliance_runs`` (``id``, ``taken_at``, ``baseline_version``, ``only``)
    and ``compliance_devices`` (``run_id``, ``host``, ``state``). A device's state is the one of the latest run that
    checked it, so a run over one province (``--filter``) does not hide the others; runs restricted with
    ``--only config`` or ``--only inventory`` are skipped when a full run exists.
    """
    tables = _tables(conn)
    if "compliance_runs" not in tables or "compliance_devices" not in tables:
        return None
    cols = _columns(conn, "compliance_runs")
    conds = []
    if "only" in cols and conn.execute("SELECT 1 FROM compliance_runs WHERE only = 'all' LIMIT 1").fetchone():
        conds.append("r.only = 'all'")
    if as_of is not None:   # ISO timestamps sort as text: everything before the next day's midnight
        conds.append(f"r.taken_at < '{(as_of + timedelta(days=1)).isoformat()}'")
    full = ("WHERE " + " AND ".join(conds)) if conds else ""
    latest = conn.execute(f"SELECT r.id, r.taken_at, r.baseline_version FROM compliance_runs r {full} "
                          "ORDER BY r.taken_at DESC, r.rowid DESC LIMIT 1").fetchone()
    if latest is None:
        return None
    rows = conn.execute(f"""
        SELECT host, state, baseline_version FROM (
            SELECT d.host, d.state, r.baseline_version,
                   ROW_NUMBER() OVER (PARTITION BY d.host ORDER BY r.taken_at DESC, r.rowid DESC) AS n
            FROM compliance_devices d JOIN compliance_runs r ON r.id = d.run_id {full})
        WHERE n = 1""").fetchall()
    return ComplianceView(str(latest[0]), str(latest[1] or ""), latest[2],
                          {str(h): str(s) for h, s, _ in rows}, {str(h): v for h, _, v in rows})


def latest_compliance(state_dir: str | Path, as_of: date | None = None) -> ComplianceView | None:
    """The latest compliance run stored under ``state_dir`` (taken on or before ``as_of`` when given); None when
    the store does not exist yet (it is never created just to be read)."""
    path = Path(state_dir) / DB_NAME
    if not path.exists():
        return None
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    except sqlite3.Error as exc:
        raise GovnetError(f"cannot open the store {path}: {exc}", code="RLT-004",
                          hint="check the state folder") from exc
    try:
        return read_latest(conn, as_of)
    except sqlite3.DatabaseError as exc:
        raise GovnetError(f"the store {path} is not a readable SQLite database ({exc})", code="RLT-004",
                          hint=f"move {path} aside (a new store is created on the next run) or restore it "
                               "from a copy") from exc
    finally:
        conn.close()
