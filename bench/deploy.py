"""Benchmark: commit + verify a small change on 50 lab routers — `govnet deploy` versus a plain Nornir
``napalm_configure`` of the same kind of change without the safety steps.

The routers come from a generated inventory (``govnet inventory generate --scope province=12``, Lai Châu): a
connected slice of N devices grown from the provincial gateway, built as a lab of real FRR routers reached over
SSH. Each repetition changes every router twice, by replacing its config with its intended config plus one static
route (a different route each time, so both sides always push a two-line change: one route out, one in):

* ``baseline`` — Nornir (threaded runner, ``num_workers`` from settings) running nornir_napalm's
  ``napalm_configure(replace=True, dry_run=False)`` with the napalm_frr driver: load, commit (write memory),
  nothing else;
* ``ours`` — :class:`nornir_tasks.deploy.stage.DeployStage` with ``--commit`` and default options, i.e. what
  ``govnet deploy --lab --commit`` does after parsing its options: the journal (every step before and after),
  the lock, a pre-change backup, the diff, a push with the device-side revert timer armed, verification (config
  compliance, interfaces, OSPF, BGP, LLDP, a new login; the checks must hold for ``--verify-hold`` = 5 s) and the
  confirmation.

``--shape leaves`` takes N far-end devices instead, none on another's management path: one wave, which isolates
the per-device cost of the safety steps from the cost of changing a tree far end first.

``ratio`` = ours / baseline (the overhead of safety). Goal: ≤ 2×. ``waves``: the devices per wave (a connected
slice has a management-path tree, so ancestors wait for their far ends: several waves, one after the other).
``parallel_efficiency`` = the sum of the per-device times of one ``ours`` run (from the journal) / the sum over
waves of (wave wall time × devices in the wave). ``step_mean_s``: mean time of each journalled step. Needs root and the lab
packages. The last line printed is one JSON object.

Usage::

    .venv/bin/python bench/deploy.py [--routers 50] [--repeat 2] [--verify-hold 5] [--shape slice|leaves]
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import statistics
import string
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nornir_tasks.cli.context import inventory_from, nornir_from, settings_from
from nornir_tasks.deploy.journal import Journal
from nornir_tasks.deploy.plan import plan_waves, topology
from nornir_tasks.deploy.stage import DeployOptions, DeployStage
from nornir_tasks.inventory.generate import generate
from nornir_tasks.lab.build import bring_up
from nornir_tasks.lab.executor import Lab, free_slot, preflight
from nornir_tasks.lab.plan import connected_slice
from nornir_tasks.paths import Paths
from nornir_tasks.stage import StageContext

WORK = ROOT / "build" / "bench" / "deploy"
GOAL_RATIO = 2.0


def log(msg: str) -> None:
    sys.stderr.write(f"[bench/deploy] {msg}\n")
    sys.stderr.flush()


def with_route(text: str, n: int) -> str:
    return text.rstrip("\n") + f"\nip route 10.251.{n}.0/24 Null0\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--routers", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--verify-hold", type=float, default=5.0)
    ap.add_argument("--shape", choices=("slice", "leaves"), default="slice",
                    help="slice: a connected slice grown from the gateway (a management-path tree: several waves); "
                         "leaves: far-end devices only, none on another's path (one wave)")
    args = ap.parse_args()
    preflight()
    WORK.mkdir(parents=True, exist_ok=True)
    inv_dir = WORK / "inventory"
    if not (inv_dir / "hosts.yaml").exists():
        log("generating the Lai Châu inventory")
        generate(scope="province=12", seed=1, out=inv_dir)
    user = "gvd" + "".join(secrets.choice(string.ascii_lowercase) for _ in range(5))
    password = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(16))
    os.environ["GOVNET_USERNAME"], os.environ["GOVNET_PASSWORD"] = user, password
    lab_dir, state, build = WORK / "lab", WORK / "state", WORK / "build"
    for folder in (state, build):       # this benchmark's own files from an earlier run
        if folder.exists():
            shutil.rmtree(folder)
    config = WORK / "config.yaml"
    config.write_text(json.dumps({"user_defined": {"govnet": {
        "inventory_dir": str(inv_dir), "templates_dir": str(ROOT / "templates"), "lab_dir": str(lab_dir),
        "state_dir": str(state), "build_dir": str(build), "reports_dir": str(WORK / "reports"),
        "connect_timeout": 20}}}), encoding="utf-8")
    settings = settings_from(config, None)
    loaded = inventory_from(settings)
    if args.shape == "slice":
        names = connected_slice(loaded.inventory, args.routers)
    else:
        topo = topology(loaded.inventory)
        inner = {a for anc in topo.ancestors.values() for a in anc}
        names = sorted((n for n in loaded.inventory.devices if n not in inner),
                       key=lambda n: (-topo.depth[n], n))[:args.routers]
    paths = Paths.of(settings, lab=True)
    log(f"building a lab of {len(names)} routers")
    lab = Lab(lab_dir, "gdp")
    ours_runs: list[float] = []
    base_runs: list[float] = []
    efficiency = None
    step_means: dict[str, float] = {}
    waves: tuple = ()
    outcomes: dict[str, int] = {}
    try:
        t0 = time.perf_counter()
        lab, _ = bring_up(loaded.inventory, names, templates_dir=settings.resolve(settings.templates_dir),
                          lab_dir=lab_dir, user=user, password=password, tag="gdp", slot=free_slot())
        st = lab.wait_converged(timeout=120)
        log(f"lab up in {time.perf_counter() - t0:.1f} s (converged: {st.converged()})")
        base = {n: lab.paths.intended(n).read_text(encoding="utf-8") for n in names}
        paths.intended_dir.mkdir(parents=True, exist_ok=True)

        def baseline_once(k: int) -> float:
            from nornir_napalm.plugins.tasks import napalm_configure

            nr = nornir_from(settings, loaded, names, lab=True)
            start = time.perf_counter()
            agg = nr.run(task=lambda task: napalm_configure(task, configuration=with_route(base[task.host.name], k),
                                                            replace=True, dry_run=False), raise_on_error=False)
            took = time.perf_counter() - start
            failed = [h for h, m in agg.items() if m.failed]
            if failed:
                log(f"baseline: {len(failed)} failed: {failed[:3]}")
            nr.close_connections()
            return took

        def ours_once(k: int) -> tuple[float, str]:
            for n in names:
                (paths.intended_dir / f"{n}.cfg").write_text(with_route(base[n], k), encoding="utf-8")
            ctx = StageContext(settings=settings, inventory=loaded.inventory, paths=paths,
                               nornir=lambda hosts: nornir_from(settings, loaded, list(hosts), lab=True),
                               commit=True, lab=True, cancel=threading.Event())
            start = time.perf_counter()
            report = DeployStage(DeployOptions(verify_hold=args.verify_hold)).run(ctx, names)
            took = time.perf_counter() - start
            counts: dict[str, int] = {}
            for o in report.outcomes:
                key = o.result.outcome if o.result else o.status.value
                counts[key] = counts.get(key, 0) + 1
            outcomes.clear()
            outcomes.update(counts)
            log(f"ours: {counts}")
            return took, report.run_id or ""

        for rep in range(args.repeat):
            base_runs.append(baseline_once(2 * rep))
            took, run_id = ours_once(2 * rep + 1)
            ours_runs.append(took)
            log(f"repetition {rep + 1}: baseline {base_runs[-1]:.2f} s, ours {took:.2f} s")
        with Journal(paths.state_dir) as j:
            steps = j.steps(run_id)
        first: dict[str, float] = {}
        last: dict[str, float] = {}
        began: dict[tuple[str, str], float] = {}
        spent: dict[str, list[float]] = {}
        for s in steps:
            t = s.at.timestamp()
            first[s.host] = min(first.get(s.host, t), t)
            last[s.host] = max(last.get(s.host, t), t)
            if s.phase == "start":
                began[(s.host, s.step)] = t
            elif (s.host, s.step) in began:
                spent.setdefault(s.step, []).append(t - began.pop((s.host, s.step)))
        step_means = {k: round(statistics.mean(v), 2) for k, v in spent.items()}
        waves = plan_waves(loaded.inventory, names)
        # each wave runs its devices at once: the work possible is (wall time of the wave x its devices)
        busy = sum(last[h] - first[h] for h in first)
        possible = 0.0
        for w in waves:
            start = min(first[h] for h in w.hosts)
            end = max(last[h] for h in w.hosts)
            possible += (end - start) * len(w.hosts)
        efficiency = busy / possible if possible else None
    finally:
        problems = lab.down() if lab.state is not None else Lab(lab_dir).down()
        if problems:
            log("teardown left: " + "; ".join(problems))
    ours, baseline = statistics.median(ours_runs), statistics.median(base_runs)
    ratio = ours / baseline if baseline else None
    print(json.dumps({
        "name": "deploy", "shape": args.shape, "ours": round(ours, 3), "baseline": round(baseline, 3),
        "ratio": round(ratio, 2) if ratio else None, "unit": "s",
        "goal_met": bool(ratio is not None and ratio <= GOAL_RATIO and outcomes.get("changed") == len(names)),
        "routers": len(names), "outcomes": outcomes, "workers": max((len(w.hosts) for w in waves), default=0),
        "baseline_workers": settings.num_workers, "repeat": args.repeat,
        "verify_hold_s": args.verify_hold, "ours_runs_s": [round(x, 3) for x in ours_runs],
        "baseline_runs_s": [round(x, 3) for x in base_runs],
        "waves": [len(w.hosts) for w in waves], "step_mean_s": step_means,
        "parallel_efficiency": round(efficiency, 2) if efficiency else None, "goal_ratio": GOAL_RATIO,
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
