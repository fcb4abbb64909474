"""Compliance snapshots in the embedded SQLite store (stage ``compliance``), so trends can be charted.

Tables (version 1):

``compliance_runs``      one row per run: id, taken_at, today, only, baseline, baseline_version, source and the
                         count of devices per state
``compliance_devices``   one row per device and run: host, site, province, region, level, role, platform,
                         state, source, collected_at, counts of failing / due / waived findings
``compliance_features``  one row per device, run and feature compared: compliant, number of missing / extra lines
``compliance_findings``  one row per finding: rule, kind, severity, status, due_by, message (masked text only)
"""

from __future__ import annotations

import sqlite3
from typing import Any

from nornir_tasks.compliance.run import STATE_ORDER, ComplianceRun
from nornir_tasks.store import ensure_schema

STAGE = "compliance"
VERSION = 1

_STATES = [s.value for s in STATE_ORDER]

DDL = f"""
CREATE TABLE IF NOT EXISTS compliance_runs (
    id TEXT PRIMARY KEY,
    taken_at TEXT NOT NULL,
    today TEXT NOT NULL,
    only TEXT NOT NULL,
    baseline TEXT,
    baseline_version TEXT,
    source TEXT NOT NULL,
    devices INTEGER NOT NULL,
    {", ".join(f"{s} INTEGER NOT NULL" for s in _STATES)}
);
CREATE TABLE IF NOT EXISTS compliance_devices (
    run_id TEXT NOT NULL REFERENCES compliance_runs(id) ON DELETE CASCADE,
    host TEXT NOT NULL, site TEXT NOT NULL, province TEXT NOT NULL, region TEXT NOT NULL, level TEXT NOT NULL,
    role TEXT NOT NULL, platform TEXT NOT NULL, state TEXT NOT NULL, source TEXT NOT NULL, collected_at TEXT,
    failing INTEGER NOT NULL, due INTEGER NOT NULL, waived INTEGER NOT NULL,
    PRIMARY KEY (run_id, host)
);
CREATE TABLE IF NOT EXISTS compliance_features (
    run_id TEXT NOT NULL REFERENCES compliance_runs(id) ON DELETE CASCADE,
    host TEXT NOT NULL, feature TEXT NOT NULL, compliant INTEGER NOT NULL,
    missing INTEGER NOT NULL, extra INTEGER NOT NULL,
    PRIMARY KEY (run_id, host, feature)
);
CREATE TABLE IF NOT EXISTS compliance_findings (
    run_id TEXT NOT NULL REFERENCES compliance_runs(id) ON DELETE CASCADE,
    host TEXT NOT NULL, rule TEXT NOT NULL, kind TEXT NOT NULL, severity TEXT NOT NULL, status TEXT NOT NULL,
    due_by TEXT, message TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS compliance_devices_host ON compliance_devices (host);
CREATE INDEX IF NOT EXISTS compliance_findings_run ON compliance_findings (run_id, host);
"""


def save_run(conn: sqlite3.Connection, run: ComplianceRun, *, source: str = "backup") -> str:
    """Store one run as a snapshot; returns its id. ``source`` says where the configs came from
    (``backup``, ``offline`` for an imported bundle, ``lab``)."""
    ensure_schema(conn, STAGE, VERSION, DDL)
    counts = run.counts()
    with conn:
        conn.execute(
            f"INSERT INTO compliance_runs (id, taken_at, today, only, baseline, baseline_version, source, devices, "
            f"{', '.join(_STATES)}) VALUES ({', '.join('?' * (8 + len(_STATES)))})",
            (run.run_id, run.taken_at.isoformat(), run.today.isoformat(), run.only, run.baseline,
             run.baseline_version, source, len(run.devices), *(counts[s] for s in _STATES)))
        dev_rows, feat_rows, find_rows = [], [], []
        for d in run.devices:
            st = [f.status for f in d.findings]
            dev_rows.append((run.run_id, d.name, d.site, d.province, d.region, d.level, d.role, d.platform,
                             d.state.value, d.source, d.collected_at.isoformat() if d.collected_at else None,
                             st.count("fail"), st.count("due"), st.count("waived")))
            for f in d.features:
                feat_rows.append((run.run_id, d.name, f.name, int(f.compliant), len(f.missing), len(f.extra)))
            for x in d.findings:
                find_rows.append((run.run_id, d.name, x.rule, x.kind, x.severity, x.status,
                                  x.due_by.isoformat() if x.due_by else None, x.message))
        conn.executemany("INSERT INTO compliance_devices VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", dev_rows)
        conn.executemany("INSERT INTO compliance_features VALUES (?,?,?,?,?,?)", feat_rows)
        conn.executemany("INSERT INTO compliance_findings VALUES (?,?,?,?,?,?,?,?)", find_rows)
    return run.run_id


def trend(conn: sqlite3.Connection, limit: int = 100) -> list[dict[str, Any]]:
    """The last ``limit`` runs, oldest first, with their counts per state (for charts).

    Examples:
        >>> import tempfile
        >>> from nornir_tasks.store import connect
        >>> trend(connect(tempfile.mkdtemp()))
        []
    """
    ensure_schema(conn, STAGE, VERSION, DDL)
    cols = ["id", "taken_at", "today", "only", "baseline_version", "source", "devices", *_STATES]
    rows = conn.execute(f"SELECT {', '.join(cols)} FROM compliance_runs ORDER BY taken_at DESC, rowid DESC LIMIT ?",
                        (limit,)).fetchall()
    return [dict(zip(cols, r)) for r in reversed(rows)]


def device_history(conn: sqlite3.Connection, host: str) -> list[tuple[str, str]]:
    """(taken_at, state) of one device over all stored runs, oldest first."""
    ensure_schema(conn, STAGE, VERSION, DDL)
    return [(r[0], r[1]) for r in conn.execute(
        "SELECT r.taken_at, d.state FROM compliance_devices d JOIN compliance_runs r ON r.id = d.run_id "
        "WHERE d.host = ? ORDER BY r.taken_at", (host,))]
