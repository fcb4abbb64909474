"""One call that does what ``govnet rollout status`` needs: read the compliance snapshot and the stored trend,
score the plans, and (with ``record``) store the new snapshot. No nornir, no printing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from nornir_tasks.model import Inventory
from nornir_tasks.rollout.compliance_data import latest_compliance
from nornir_tasks.rollout.metrics import MetricData
from nornir_tasks.rollout.plans import PlanSet
from nornir_tasks.rollout.scoring import RolloutResult, score
from nornir_tasks.store import DB_NAME, connect


def rollout_status(inv: Inventory, plans: PlanSet, *, as_of: date, state_dir: Path | None = None,
                   plan_id: str | None = None, record: bool = False) -> RolloutResult:
    """Score ``plans`` on ``inv`` at ``as_of``; with ``state_dir``, use the latest compliance snapshot and the
    stored rollout trend there, and with ``record`` store this measurement as a snapshot."""
    compliance = latest_compliance(state_dir) if state_dir is not None else None
    data = MetricData.build(inv, compliance)
    history = {}
    conn = None
    if state_dir is not None and (record or (Path(state_dir) / DB_NAME).exists()):
        from nornir_tasks.rollout.snapshots import load_history
        from nornir_tasks.rollout.snapshots import record as store

        conn = connect(state_dir)
        history = load_history(conn)
    try:
        result = score(plans, data, as_of, plan_id=plan_id, history=history)
        if record and conn is not None:
            store(conn, [t for p in result.plans for t in p.targets])
        return result
    finally:
        if conn is not None:
            conn.close()
