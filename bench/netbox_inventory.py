"""Benchmark: a generated inventory in the dev NetBox — push speed, and loading it as a Nornir inventory.

Measured against a real NetBox 4.7 (``scripts/netbox-dev up``; needs root):

* push: ``govnet netbox push --commit`` of the generated inventory (``--scope``, default the largest province,
  79 Hồ Chí Minh: ~540 devices, ~7,000 objects) into an empty NetBox, in objects per second — against plain
  pynetbox creating the same objects one by one (``endpoint.create(body)``, the first ``--baseline-objects`` of
  them, in the same dependency order, into another empty NetBox).
* load: ``GovnetNetBoxInventory`` (ours: hosts with sites, interfaces and circuits) cold, against nornir_netbox's
  ``NetBoxInventory2`` with its default options (devices only), in one run, alternating, best of ``--runs``; then
  ours warm (local cache + delta since the last load).

The national inventory (~10,000 devices, ~130,000 objects) does not fit a session on this shared 2-core machine
at the write speed NetBox manages here (~10-25 objects/s), so the default is the largest province; ``--scope
national`` runs it all. Goals: cold load >= 5x faster than NetBoxInventory2; warm load < 1 s.

The last line printed is one JSON object (see the project README's benchmark convention).

Usage::

    .venv/bin/python bench/netbox_inventory.py [--scope province=79] [--runs 3] [--baseline-objects 600]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "netbox-dev"
sys.path.insert(0, str(ROOT))


def dev(*args: str) -> dict[str, str]:
    proc = subprocess.run([str(SCRIPT), *args], capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"scripts/netbox-dev {' '.join(args)} failed: {proc.stderr.strip()[-500:]}")
    return dict(line.split("=", 1) for line in proc.stdout.splitlines() if "=" in line)


def fresh(url: str, token: str) -> object:
    from nornir_tasks.netbox.client import NetBoxClient
    from nornir_tasks.netbox.sync import init_schema

    dev("reset")
    client = NetBoxClient(url, token)
    init_schema(client, commit=True)
    return client


def pynetbox_one_by_one(url: str, token: str, desired: dict, limit: int) -> tuple[int, float]:
    """Create the first ``limit`` desired objects one by one with pynetbox; (objects, seconds)."""
    import pynetbox

    from nornir_tasks.netbox.mapping import KINDS, payload

    nb = pynetbox.api(url, token=token)
    ids: dict[str, dict[str, int]] = {}
    done = 0
    start = time.perf_counter()
    for kind, endpoint in KINDS.items():
        app_name, name = endpoint.split("/")
        ep = getattr(getattr(nb, app_name), name.replace("-", "_"))
        for key, fields in desired.get(kind, {}).items():
            if done >= limit:
                return done, time.perf_counter() - start
            body = payload(fields, ids)
            body["tags"] = ["govnet-managed"] if kind == "config_context" else [{"slug": "govnet-managed"}]
            rec = ep.create(body)
            ids.setdefault(kind, {})[key] = rec.id
            done += 1
    return done, time.perf_counter() - start


def same_objects_seconds(desired: dict, per_kind: dict[str, float], n: int) -> float:
    """Seconds our bulk push spent on the first ``n`` objects (the ones the pynetbox baseline created), from its
    per-kind times (a kind cut in the middle counts pro rata)."""
    from nornir_tasks.netbox.mapping import KINDS

    total, left = 0.0, n
    for kind, endpoint in KINDS.items():
        count = len(desired.get(kind, {}))
        if left <= 0 or count == 0:
            continue
        take = min(count, left)
        total += per_kind.get(endpoint, 0.0) * take / count
        left -= take
    return total


def v1_token(url: str, token: str) -> str:
    """A v1 token for nornir_netbox (it sends ``Token <t>``, which NetBox accepts only for v1 tokens)."""
    import requests

    from nornir_tasks.netbox.client import auth_header

    h = {"Authorization": auth_header(token), "Content-Type": "application/json", "Accept": "application/json"}
    user = requests.get(f"{url}/api/users/users/", params={"username": "govnet-admin"}, headers=h,
                        timeout=30).json()["results"][0]["id"]
    resp = requests.post(f"{url}/api/users/tokens/", json={"version": 1, "user": user, "write_enabled": False},
                         headers=h, timeout=30)
    resp.raise_for_status()
    return resp.json()["token"]       # NetBox generates it and shows it once


def load_ours(url: str, token: str, cache_dir: str | None, validate: bool = True) -> tuple[float, int, int, int]:
    os.environ["GOVNET_BENCH_NB_TOKEN"] = token
    from nornir_tasks.netbox.plugin import GovnetNetBoxInventory

    start = time.perf_counter()
    inv = GovnetNetBoxInventory(url=url, token_env="GOVNET_BENCH_NB_TOKEN", cache_dir=cache_dir,
                                validate=validate).load()
    took = time.perf_counter() - start
    interfaces = sum(len(h["interfaces"]) for h in inv.hosts.values())
    circuits = len({c.id for h in inv.hosts.values() for c in h["circuits"]})
    return took, len(inv.hosts), interfaces, circuits


def load_nb2(url: str, token: str) -> tuple[float, int]:
    from nornir_netbox.plugins.inventory.netbox import NetBoxInventory2

    start = time.perf_counter()
    inv = NetBoxInventory2(nb_url=url, nb_token=token).load()
    return time.perf_counter() - start, len(inv.hosts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scope", default="province=79")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline-objects", type=int, default=600)
    parser.add_argument("--skip-push", action="store_true", help="load what NetBox already holds")
    args = parser.parse_args()

    from nornir_tasks.inventory.generate import generate
    from nornir_tasks.inventory.load import load_inventory
    from nornir_tasks.netbox.mapping import desired_objects
    from nornir_tasks.netbox.sync import push

    env = dev("up")
    url, token = env["NETBOX_URL"], env["NETBOX_TOKEN"]
    folder = ROOT / "build" / "bench" / f"netbox-{args.scope.replace('=', '-')}"
    generate(args.scope, args.seed, folder)
    inv = load_inventory(folder, checks=False).inventory
    desired = desired_objects(inv)
    n_objects = sum(len(v) for v in desired.values())
    print(f"{args.scope}: {len(inv.devices)} devices, {n_objects} objects", file=sys.stderr)

    base_n = base_s = push_s = same_s = None
    failures = 0
    if not args.skip_push:
        fresh(url, token)
        base_n, base_s = pynetbox_one_by_one(url, token, desired, args.baseline_objects)
        print(f"pynetbox one by one: {base_n} objects in {base_s:.1f} s", file=sys.stderr)
        client = fresh(url, token)
        per_kind: dict[str, float] = {}
        bulk = client.bulk

        def timed(method: str, endpoint: str, bodies: list) -> list:
            t0 = time.perf_counter()
            try:
                return bulk(method, endpoint, bodies)
            finally:
                per_kind[endpoint] = per_kind.get(endpoint, 0.0) + time.perf_counter() - t0

        client.bulk = timed
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            report = push(client, desired, Path(tmp) / "state.json", commit=True, batch=250)
            push_s = time.perf_counter() - start
        same_s = same_objects_seconds(desired, per_kind, base_n)
        failures = len(report.failures)
        print(f"govnet push: {n_objects} objects in {push_s:.1f} s, {failures} refused", file=sys.stderr)

    token1 = v1_token(url, token)
    ours_runs, nb2_runs, fast_runs = [], [], []
    shape = (0, 0, 0)
    nb2_hosts = 0
    for _ in range(args.runs):
        took, nb2_hosts = load_nb2(url, token1)
        nb2_runs.append(took)
        took, hosts, itfs, ckts = load_ours(url, token, None)
        ours_runs.append(took)
        shape = (hosts, itfs, ckts)
        fast_runs.append(load_ours(url, token, None, validate=False)[0])
        print(f"load: NetBoxInventory2 {nb2_runs[-1]:.2f} s, ours {ours_runs[-1]:.2f} s "
              f"(validate: false {fast_runs[-1]:.2f} s)", file=sys.stderr)
    with tempfile.TemporaryDirectory() as cache:
        load_ours(url, token, cache)
        warm = min(load_ours(url, token, cache)[0] for _ in range(args.runs))
        warm_fast = min(load_ours(url, token, cache, validate=False)[0] for _ in range(args.runs))
    ours, baseline = min(ours_runs), min(nb2_runs)
    ratio = baseline / ours
    print(json.dumps({
        "name": "netbox_inventory", "ours": round(ours, 3), "baseline": round(baseline, 3),
        "ratio": round(ratio, 2), "unit": "s", "goal_met": ratio >= 5 and warm < 1.0,
        "goal": "cold load >= 5x NetBoxInventory2 (devices only) while also returning interfaces and circuits; "
                "warm load < 1 s",
        "scope": args.scope, "devices": shape[0], "interfaces": shape[1], "circuits": shape[2],
        "baseline_hosts": nb2_hosts, "objects": n_objects, "warm_s": round(warm, 3),
        "ours_unvalidated_s": round(min(fast_runs), 3), "warm_unvalidated_s": round(warm_fast, 3),
        "ours_measure": "GovnetNetBoxInventory default (validate: true: the YAML loader's checks run too)",
        "ours_runs_s": [round(x, 3) for x in ours_runs], "baseline_runs_s": [round(x, 3) for x in nb2_runs],
        "push_s": round(push_s, 1) if push_s else None,
        "push_objects_per_s": round(n_objects / push_s, 1) if push_s else None, "push_refused": failures,
        "pynetbox_one_by_one_objects": base_n,
        "pynetbox_one_by_one_objects_per_s": round(base_n / base_s, 1) if base_s else None,
        "push_same_objects_per_s": round(base_n / same_s, 1) if same_s else None,
        "push_speedup_same_objects": round(base_s / same_s, 2) if same_s and base_s else None,
        "push_note": "bulk rate over every kind (cables and interfaces are NetBox's slowest); the speedup compares "
                     "the same first objects (kinds in dependency order) created one by one with pynetbox",
        "load_average_1m": round(os.getloadavg()[0], 2),
    }))


if __name__ == "__main__":
    main()
