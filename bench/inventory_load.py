"""Benchmark: loading and validating the national inventory (~10,000 devices, 3,321 communes).

Measures, each in a fresh Python subprocess so that time and peak memory are not shared:

* ``ours``      — :func:`nornir_tasks.inventory.load.load_inventory` with every check (what ``govnet inventory
                  validate`` and every command do); best of ``--runs`` runs.
* ``baseline``  — plain Nornir ``SimpleInventory`` reading the same hosts.yaml, groups.yaml and defaults.yaml
                  (ruamel.yaml; no validation at all); one run, it is slow.
* ``init_nornir`` — ``InitNornir(config_file=...)`` with our ``GovnetInventory`` plugin (load + checks + building
                  Nornir's hosts); one run.

Time is the CPU time of the measuring process (``time.process_time``): loading is single-threaded, so on an
idle machine it equals wall time, and unlike wall time it does not grow when other jobs share the machine
(the development machine is a shared 2-core box that often runs a load average of 10). Wall times are
reported beside it (``*_wall_s``). Peak memory is the child's ``ru_maxrss``.

The inventory is (re)generated into ``build/bench/national`` (seed 1; files rewritten only when the
generator's output changed). Goal: ours < 2 s.
The last line printed is one JSON object (see the project README's benchmark convention).

Usage::

    .venv/bin/python bench/inventory_load.py [--runs 3] [--skip-baseline] [--folder DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FOLDER = ROOT / "build" / "bench" / "national"
GOAL_S = 2.0


def _peak_mb() -> float:
    # ru_maxrss is in KiB on Linux: the peak resident memory of this (measurement) process
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(kind: str, folder: Path) -> dict[str, object]:
    """Run one measurement in this process (called in a child process by :func:`child`)."""
    if kind == "generate":
        from nornir_tasks.inventory.generate import generate

        wall = time.perf_counter()
        summary = generate("national", 1, folder)
        return {"seconds": time.perf_counter() - wall, **summary}
    if kind == "ours":
        from nornir_tasks.inventory.load import load_inventory

        before = _peak_mb()
        wall, cpu = time.perf_counter(), time.process_time()
        result = load_inventory(folder)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        return {"seconds": wall, "cpu_seconds": cpu, "peak_mb": _peak_mb(), "peak_mb_before": before,
                "devices": len(result.inventory.devices), "sites": len(result.inventory.sites),
                "circuits": len(result.inventory.circuits), "errors": len(result.errors),
                "warnings": len(result.findings) - len(result.errors)}
    if kind == "baseline":
        from nornir.plugins.inventory.simple import SimpleInventory

        before = _peak_mb()
        wall, cpu = time.perf_counter(), time.process_time()
        inv = SimpleInventory(host_file=str(folder / "hosts.yaml"), group_file=str(folder / "groups.yaml"),
                              defaults_file=str(folder / "defaults.yaml")).load()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        return {"seconds": wall, "cpu_seconds": cpu, "peak_mb": _peak_mb(), "peak_mb_before": before,
                "devices": len(inv.hosts)}
    if kind == "init_nornir":
        from nornir import InitNornir

        config = folder.parent / "bench-config.yaml"
        config.write_text(json.dumps({
            "inventory": {"plugin": "GovnetInventory", "options": {"inventory_dir": str(folder)}},
            "runner": {"plugin": "threaded", "options": {"num_workers": 20}},
            "logging": {"enabled": False},
        }), encoding="utf-8")
        before = _peak_mb()
        wall, cpu = time.perf_counter(), time.process_time()
        nr = InitNornir(config_file=str(config))
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        return {"seconds": wall, "cpu_seconds": cpu, "peak_mb": _peak_mb(), "peak_mb_before": before,
                "devices": len(nr.inventory.hosts)}
    raise SystemExit(f"unknown measurement {kind!r}")


def child(kind: str, folder: Path) -> dict[str, object]:
    """One measurement in a fresh interpreter; returns its JSON answer."""
    proc = subprocess.run([sys.executable, __file__, "--measure", kind, "--folder", str(folder)],
                          capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": "0"},
                          check=False)
    if proc.returncode != 0:
        raise SystemExit(f"measurement {kind} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def ensure_inventory(folder: Path) -> float:
    """(Re)generate the national inventory (seed 1) into ``folder``; files are rewritten only when the
    generator's output changed. Returns the time it took. Runs in a child too: Linux carries a process's
    peak memory across exec, so a large parent would inflate every child's ``ru_maxrss``."""
    return float(child("generate", folder)["seconds"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-baseline", action="store_true", help="do not run the slow SimpleInventory load")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.folder)))
        return

    generated_s = ensure_inventory(args.folder)
    ours_runs = [child("ours", args.folder) for _ in range(max(1, args.runs))]
    best = min(ours_runs, key=lambda r: float(r["cpu_seconds"]))
    for i, run in enumerate(ours_runs, 1):
        print(f"ours run {i}: {run['cpu_seconds']:.3f} s CPU, {run['seconds']:.3f} s wall, "
              f"peak {run['peak_mb']:.0f} MB", file=sys.stderr)
    init = child("init_nornir", args.folder)
    print(f"InitNornir with GovnetInventory: {init['cpu_seconds']:.3f} s CPU, {init['seconds']:.3f} s wall, "
          f"peak {init['peak_mb']:.0f} MB", file=sys.stderr)
    base = None if args.skip_baseline else child("baseline", args.folder)
    if base:
        print(f"baseline SimpleInventory: {base['cpu_seconds']:.3f} s CPU, {base['seconds']:.3f} s wall, "
              f"peak {base['peak_mb']:.0f} MB", file=sys.stderr)
    ours = float(best["cpu_seconds"])
    baseline = float(base["cpu_seconds"]) if base else None
    print(json.dumps({
        "name": "inventory_load",
        "ours": round(ours, 3),
        "baseline": round(baseline, 3) if baseline is not None else None,
        "ratio": round(baseline / ours, 2) if baseline is not None else None,
        "unit": "s",
        "goal_met": ours < GOAL_S,
        "goal_s": GOAL_S,
        "measure": "CPU seconds of the loading process (single-threaded; = wall time on an idle machine)",
        "devices": best["devices"],
        "sites": best["sites"],
        "circuits": best["circuits"],
        "errors": best["errors"],
        "warnings": best["warnings"],
        "ours_runs_cpu_s": [round(float(r["cpu_seconds"]), 3) for r in ours_runs],
        "ours_wall_s": round(min(float(r["seconds"]) for r in ours_runs), 3),
        "baseline_wall_s": round(float(base["seconds"]), 3) if base else None,
        "peak_mb_ours": round(float(best["peak_mb"]), 1),
        "peak_mb_ours_before_load": round(float(best["peak_mb_before"]), 1),
        "peak_mb_baseline": round(float(base["peak_mb"]), 1) if base else None,
        "baseline_devices": base["devices"] if base else None,
        "init_nornir_s": round(float(init["cpu_seconds"]), 3),
        "init_nornir_wall_s": round(float(init["seconds"]), 3),
        "peak_mb_init_nornir": round(float(init["peak_mb"]), 1),
        "generate_s": round(generated_s, 3),
        "load_average_1m": round(os.getloadavg()[0], 2),
    }))


if __name__ == "__main__":
    main()
