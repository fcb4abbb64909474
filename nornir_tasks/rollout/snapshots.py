"""Rollout snapshots in the embedded SQLite store (stage ``rollout``): one row per plan, target and as-of date.

A snapshot keeps both dates: ``as_of``, the day the measurement is for (the inventory is evaluated as it stood that
day, see :func:`nornir_tasks.inventory.history.inventory_as_of`), and ``recorded_at``, the moment it was taken; a
back-dated recording (``--record --as-of`` an earlier day) is therefore visible as such.

Recording the same target twice for one as-of date keeps the latest recording. The trend of a target is its
rows ordered by date; :mod:`nornir_tasks.rollout.forecast` turns them into a forecast.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime

from nornir_tasks.rollout.forecast import TrendPoint
from nornir_tasks.rollout.scoring import TargetScore
from nornir_tasks.store import ensure_schema

STAGE = "rollout"
VERSION = 1
DDL = """
CREATE TABLE IF NOT EXISTS rollout_snapshots (
    plan_id     TEXT NOT NULL,
    target_id   TEXT NOT NULL,
    as_of       TEXT NOT NULL,          -- ISO date the measurement is for
    recorded_at TEXT NOT NULL,          -- ISO timestamp (UTC) of the recording
    numerator   INTEGER NOT NULL,
    denominator INTEGER NOT NULL,
    value       REAL NOT NULL,          -- percent (share threshold) or number of sites (count threshold)
    status      TEXT NOT NULL,
    PRIMARY KEY (plan_id, target_id, as_of)
);
CREATE INDEX IF NOT EXISTS rollout_snapshots_target ON rollout_snapshots (plan_id, target_id, as_of);
"""


def prepare(conn: sqlite3.Connection) -> None:
    ensure_schema(conn, STAGE, VERSION, DDL)


def _value(s: TargetScore) -> float:
    """The unrounded value (the same float the current measurement has), so a flat trend stays flat."""
    assert s.numerator is not None and s.denominator
    return s.numerator * 100 / s.denominator if s.threshold_kind == "share" else float(s.numerator)


def record(conn: sqlite3.Connection, scores: Iterable[TargetScore], *, now: datetime | None = None) -> int:
    """Store one snapshot per measured target; return how many rows were written.

    Examples:
        >>> import tempfile
        >>> from nornir_tasks.store import connect
        >>> conn = connect(tempfile.mkdtemp()); prepare(conn)
        >>> load_history(conn)
        {}
    """
    prepare(conn)
    stamp = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    rows = [(s.plan, s.target, s.as_of.isoformat(), stamp, s.numerator, s.denominator, _value(s), s.status.value)
            for s in scores
            if not s.reported_only and s.actual is not None and s.numerator is not None and s.denominator]
    with conn:
        conn.executemany("INSERT OR REPLACE INTO rollout_snapshots VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return len(rows)


def load_history(conn: sqlite3.Connection) -> dict[str, list[TrendPoint]]:
    """Every stored snapshot, as trend points per target key ``plan/target``, oldest first."""
    prepare(conn)
    out: dict[str, list[TrendPoint]] = defaultdict(list)
    for plan_id, target_id, as_of, recorded_at, num, den, value in conn.execute(
            "SELECT plan_id, target_id, as_of, recorded_at, numerator, denominator, value FROM rollout_snapshots "
            "ORDER BY plan_id, target_id, as_of"):
        out[f"{plan_id}/{target_id}"].append(TrendPoint(as_of=date.fromisoformat(as_of), value=value,
                                                        numerator=num, denominator=den,
                                                        recorded_at=datetime.fromisoformat(recorded_at)))
    return dict(out)
