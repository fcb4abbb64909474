"""Benchmark: backing up 50 lab routers — govnet's backup stage versus a plain sequential netmiko loop.

The routers come from a generated inventory (``govnet inventory generate --scope province=12``, Lai Châu): a
connected slice of N devices grown from the provincial gateway, built as a lab of real FRR routers reached over
SSH (``govnet lab up`` without the CLI). In the same run:

* ``ours`` — :func:`nornir_tasks.tasks.backup.run_backup`, i.e. what ``govnet backup --lab`` does after parsing its
  options: Nornir's threaded runner (``num_workers`` from settings, 20), the napalm_frr driver's ``get_config``,
  host keys checked against (and on first use added to) the known-hosts file, secret removal, one file per device,
  the index and a git commit. Timed on a warm store (median of ``--repeat`` runs after a first, cold one, which is
  reported as ``ours_first_run_s``: it also records every host key and creates every file);
* ``baseline`` — a for-loop of netmiko ``ConnectHandler(device_type="cisco_ios")`` + ``show running-config`` +
  ``disconnect`` + writing the text to a file, over the same routers, timed the same way (median).

``ratio`` = baseline / ours. Goal: ≥ 3× faster than the sequential loop (the same goal as bench/lab.py's plain
collection: govnet's extra work — sanitizing, host-key checks, git — must not eat the parallel speed-up).
Needs root and the lab packages. The last line printed is one JSON object.

Usage::

    .venv/bin/python bench/backup.py [--routers 50] [--repeat 3]
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
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nornir_tasks.cli.context import inventory_from, nornir_from, settings_from
from nornir_tasks.inventory.generate import generate
from nornir_tasks.lab.build import bring_up
from nornir_tasks.lab.executor import Lab, free_slot, preflight
from nornir_tasks.lab.plan import connected_slice
from nornir_tasks.tasks.backup import run_backup

WORK = ROOT / "build" / "bench" / "backup"
GOAL_RATIO = 3.0


def log(msg: str) -> None:
    sys.stderr.write(f"[bench/backup] {msg}\n")
    sys.stderr.flush()


def sequential(routers: list[tuple[str, str, int]], user: str, password: str, out: Path) -> float:
    from netmiko import ConnectHandler

    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    for name, address, port in routers:
        conn = ConnectHandler(device_type="cisco_ios", host=address, port=port, username=user, password=password,
                              conn_timeout=20)
        text = conn.send_command("show running-config")
        conn.disconnect()
        (out / f"{name}.cfg").write_text(text, encoding="utf-8")
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--routers", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    preflight()
    WORK.mkdir(parents=True, exist_ok=True)
    inv_dir = WORK / "inventory"
    if not (inv_dir / "hosts.yaml").exists():
        log("generating the Lai Châu inventory")
        generate(scope="province=12", seed=1, out=inv_dir)
    user = "gvb" + "".join(secrets.choice(string.ascii_lowercase) for _ in range(5))
    password = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(16))
    os.environ["GOVNET_USERNAME"], os.environ["GOVNET_PASSWORD"] = user, password
    lab_dir, state = WORK / "lab", WORK / "state"
    if state.exists():      # this benchmark's own store from an earlier run: new lab, new host keys
        shutil.rmtree(state)
    config = WORK / "config.yaml"
    config.write_text(json.dumps({"user_defined": {"govnet": {
        "inventory_dir": str(inv_dir), "templates_dir": str(ROOT / "templates"), "lab_dir": str(lab_dir),
        "state_dir": str(state), "build_dir": str(WORK / "build"), "connect_timeout": 20}}}), encoding="utf-8")
    settings = settings_from(config, None)
    result = inventory_from(settings)
    names = connected_slice(result.inventory, args.routers)
    log(f"building a lab of {len(names)} routers")
    lab = Lab(lab_dir, "gbk")
    try:
        t0 = time.perf_counter()
        lab, lab_state = bring_up(result.inventory, names, templates_dir=settings.resolve(settings.templates_dir),
                                  lab_dir=lab_dir, user=user, password=password, tag="gbk", slot=free_slot())
        log(f"lab up in {time.perf_counter() - t0:.1f} s")
        routers = [(r.name, r.address, r.port) for r in lab_state.plan.routers]

        def ours_once() -> tuple[float, object]:
            nr = nornir_from(settings, result, names, lab=True)
            start = time.perf_counter()
            report = run_backup(settings, nr, names)
            return time.perf_counter() - start, report

        first, report = ours_once()
        ok = len(report.summary.ok)                                     # type: ignore[attr-defined]
        log(f"first run {first:.2f} s: {report.summary.message}")       # type: ignore[attr-defined]
        ours_runs = [ours_once()[0] for _ in range(args.repeat)]
        seq_runs = [sequential(routers, user, password, WORK / "sequential") for _ in range(args.repeat)]
        ours, baseline = statistics.median(ours_runs), statistics.median(seq_runs)
        log(f"ours {ours_runs}, sequential {seq_runs}")
    finally:
        problems = lab.down() if lab.state is not None else Lab(lab_dir).down()
        if problems:
            log("teardown left: " + "; ".join(problems))
    ratio = baseline / ours if ours else None
    print(json.dumps({
        "name": "backup", "ours": round(ours, 3), "baseline": round(baseline, 3),
        "ratio": round(ratio, 2) if ratio else None, "unit": "s",
        "goal_met": bool(ratio and ratio >= GOAL_RATIO and ok == len(names)),
        "routers": len(names), "ok": ok, "workers": settings.num_workers, "repeat": args.repeat,
        "ours_first_run_s": round(first, 3), "ours_runs_s": [round(x, 3) for x in ours_runs],
        "baseline_runs_s": [round(x, 3) for x in seq_runs],
        "routers_per_s": round(len(names) / ours, 1), "goal_ratio": GOAL_RATIO,
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
