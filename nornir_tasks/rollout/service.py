"""One call that does what ``govnet rollout status`` needs: read the compliance snapshot and the stored trend,
score the plans, and (with ``record``) store the new snapshot. No nornir, no printing."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from nornir_tasks.model import Inventory
from nornir_tasks.rollout.backfill import derived_history
from nornir_tasks.rollout.compliance_data import latest_compliance
from nornir_tasks.rollout.forecast import TrendPoint
from nornir_tasks.rollout.metrics import MetricData
from nornir_tasks.rollout.plans import PlanSet
from nornir_tasks.rollout.scoring import RolloutResult, score
from nornir_tasks.store import DB_NAME, connect


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause CPython's cyclic garbage collector (restoring its previous state after).

    Scoring and report building allocate many small objects next to a national inventory of about a million
    objects; every automatic full collection would walk the whole inventory and find nothing (neither stage
    makes reference cycles worth collecting) — that was most of their time. Same reasoning as the loader's.

    Examples:
        >>> with gc_paused():
        ...     gc.isenabled()
        False
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def rollout_status(inv: Inventory, plans: PlanSet, *, as_of: date, state_dir: Path | None = None,
                   plan_id: str | None = None, record: bool = False, with_sites: bool = True,
                   backfill: bool = True) -> RolloutResult:
    """Score ``plans`` on the inventory as it stood on ``as_of`` (dated history and activation dates honoured);
    with ``state_dir``, use the latest compliance snapshot taken by then and the stored rollout trend there, and
    with ``record`` store this measurement as a snapshot. ``backfill`` adds trend points derived from the
    inventory's history (:mod:`nornir_tasks.rollout.backfill`: month ends for the reports, i.e. with
    ``with_sites``; the last year's quarter ends otherwise). ``with_sites=False`` skips the per-site table
    that only the reports need."""
    with gc_paused():
        return _rollout_status(inv, plans, as_of=as_of, state_dir=state_dir, plan_id=plan_id, record=record,
                               with_sites=with_sites, backfill=backfill)


def _rollout_status(inv: Inventory, plans: PlanSet, *, as_of: date, state_dir: Path | None, plan_id: str | None,
                    record: bool, with_sites: bool, backfill: bool) -> RolloutResult:
    compliance = latest_compliance(state_dir, as_of) if state_dir is not None else None
    data = MetricData.build(inv, compliance, as_of=as_of)
    # the per-site table is what the reports need; they also get the finer burn-up history
    history: dict[str, list[TrendPoint]] = derived_history(
        inv, plans, as_of, plan_id, "months" if with_sites else "quarters") if backfill else {}
    conn = None
    if state_dir is not None and (record or (Path(state_dir) / DB_NAME).exists()):
        from nornir_tasks.rollout.snapshots import load_history
        from nornir_tasks.rollout.snapshots import record as store

        conn = connect(state_dir)
        for key, points in load_history(conn).items():   # stored snapshots after the derived points: they win
            history[key] = [*history.get(key, ()), *points]
    try:
        result = score(plans, data, as_of, plan_id=plan_id, history=history, with_sites=with_sites)
        if record and conn is not None:
            store(conn, [t for p in result.plans for t in p.targets])
        return result
    finally:
        if conn is not None:
            conn.close()
