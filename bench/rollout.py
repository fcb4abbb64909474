"""Benchmark: rollout tracking on the generated national inventory (34 provinces, 3,321 communes, ~10,000 devices).

Each measurement runs in a fresh Python subprocess (its own peak memory), best of ``--runs`` (the machine is
shared, so the best run is the least disturbed one):

* ``status`` — what ``govnet rollout status`` does once the inventory is loaded, for every seed plan: load and
  check the plans, read the compliance snapshot and the stored trend, score every target (per province, region
  and level, lagging sites, forecast) and serialise the JSON. Goal ≤ 2 s. The same run also reports the time to
  load the inventory (the inventory engineer's figure, measured by bench/inventory_load.py) and the total.
* ``report`` — what ``govnet rollout report`` does once the inventory is loaded: score, then write
  dashboard.html, rollout.xlsx, rollout.csv and rollout.json. Goal ≤ 15 s.

No competing tool tracks a plan, so there is no baseline (null). The national inventory is generated into
``build/bench/national`` (seed 1) when it is missing. The last line printed is one JSON object.

Usage::

    .venv/bin/python bench/rollout.py [--runs 3] [--folder DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FOLDER = ROOT / "build" / "bench" / "national"
PLANS = ROOT / "inventory" / "plans"
AS_OF = date(2025, 11, 25)
STATUS_GOAL_S, REPORT_GOAL_S = 2.0, 15.0


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024   # KiB on Linux


def measure(kind: str, folder: Path) -> dict[str, object]:
    """One measurement in this process (called in a child process)."""
    from nornir_tasks.inventory.load import load_or_raise

    t0 = time.perf_counter()
    inv = load_or_raise(folder).inventory   # validated as of today (histories run to the generator's date); measured as of AS_OF
    load_s = time.perf_counter() - t0
    with tempfile.TemporaryDirectory(prefix="govnet-bench-") as tmp:
        wall, cpu = time.perf_counter(), time.process_time()
        from nornir_tasks.rollout.plans import plans_or_raise
        from nornir_tasks.rollout.service import rollout_status

        plans = plans_or_raise(PLANS)
        result = rollout_status(inv, plans, as_of=AS_OF, state_dir=Path(tmp), with_sites=(kind == "report"))
        out: dict[str, object] = {}
        if kind == "status":
            text = result.model_dump_json(indent=2, exclude={"sites"})      # what the CLI prints
            out["json_mb"] = round(len(text.encode()) / 1e6, 2)
        else:
            from nornir_tasks.reports.rollout_files import write_reports

            paths = write_reports(result, Path(tmp) / "out", "vi")
            out["files_mb"] = {n: round(p.stat().st_size / 1e6, 2) for n, p in paths.items()}
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    targets = [t for p in result.plans for t in p.targets]
    return {"seconds": wall, "cpu_seconds": cpu, "load_seconds": load_s, "peak_mb": _peak_mb(),
            "sites": len(inv.sites), "devices": len(inv.devices), "plans": len(result.plans),
            "targets": len(targets), "lagging": sum(len(t.lagging) for t in targets), **out}


def child(kind: str, folder: Path) -> dict[str, object]:
    proc = subprocess.run([sys.executable, __file__, "--child", kind, "--folder", str(folder)],
                          capture_output=True, text=True, cwd=ROOT, timeout=1800, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"{kind} run failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def ensure_inventory(folder: Path) -> None:
    if (folder / "hosts.yaml").exists():
        return
    proc = subprocess.run([sys.executable, "-m", "nornir_tasks.cli", "inventory", "generate", "--scope", "national",
                           "--seed", "1", "--out", str(folder)], cwd=ROOT, capture_output=True, text=True,
                          check=False)
    if proc.returncode != 0:
        raise SystemExit(f"could not generate the national inventory:\n{proc.stderr[-2000:]}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--folder", type=Path, default=DEFAULT_FOLDER)
    ap.add_argument("--child", choices=["status", "report"])
    args = ap.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.folder)))
        return
    ensure_inventory(args.folder)
    runs = {kind: [child(kind, args.folder) for _ in range(max(1, args.runs))] for kind in ("status", "report")}
    best = {kind: min(rs, key=lambda r: r["seconds"]) for kind, rs in runs.items()}
    st, rp = best["status"], best["report"]
    for kind, rs in runs.items():
        print(f"{kind:7} runs: " + ", ".join(f"{r['seconds']:.2f}s (cpu {r['cpu_seconds']:.2f}s)" for r in rs)
              + f"; inventory load {min(r['load_seconds'] for r in rs):.2f}s; peak {max(r['peak_mb'] for r in rs):.0f} MB")
    ours, report_s = round(float(st["seconds"]), 3), round(float(rp["seconds"]), 3)
    print(json.dumps({
        "name": "rollout", "ours": ours, "baseline": None, "ratio": None, "unit": "s",
        "goal_met": ours <= STATUS_GOAL_S and report_s <= REPORT_GOAL_S,
        "status_s": ours, "status_cpu_s": round(float(st["cpu_seconds"]), 3), "status_goal_s": STATUS_GOAL_S,
        "report_s": report_s, "report_cpu_s": round(float(rp["cpu_seconds"]), 3), "report_goal_s": REPORT_GOAL_S,
        "inventory_load_s": round(min(float(r["load_seconds"]) for rs in runs.values() for r in rs), 3),
        "status_with_load_s": round(float(st["seconds"]) + float(st["load_seconds"]), 3),
        "peak_mb": round(max(float(r["peak_mb"]) for rs in runs.values() for r in rs), 1),
        "peak_mb_status": round(float(st["peak_mb"]), 1), "peak_mb_report": round(float(rp["peak_mb"]), 1),
        "sites": st["sites"], "devices": st["devices"], "plans": st["plans"], "targets": st["targets"],
        "lagging": st["lagging"], "files_mb": rp.get("files_mb"), "runs": args.runs,
        "load_average": round(os.getloadavg()[0], 2),
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
