"""Benchmark: the virtual lab — build and converge labs of 10, 50 and 100 real FRR routers, memory per router,
and collecting ``show running-config`` from every router through Nornir versus a plain sequential netmiko loop.

The routers come from a generated inventory (``govnet inventory generate --scope province=79``: TP.HCM, the
largest province): a connected slice of N devices grown from the provincial gateway along circuits and links,
so every lab has real OSPF/BGP adjacencies. Per size:

* ``build_s``     — ``Lab.up`` (namespaces, veths, FRR, lldpd, sshd, users, overlay) until it returns;
* ``converge_s``  — from the start of ``up`` until every expected OSPF adjacency and BGP session is up;
* ``lldp_s``      — ... and every LLDP neighbour is seen too;
* ``mib_per_router`` — RSS of all processes in the router namespaces (watchfrr, zebra, staticd, ospfd, bgpd,
  lldpd) divided by N; ``pss_mib_per_router`` the same in PSS (shared libraries shared out);
* ``nornir_s`` / ``sequential_s`` (largest lab; with ``--collect-all`` every size) — ``show running-config``
  from every router incl. connecting: Nornir's threaded runner (``num_workers`` from settings, 20) with
  nornir_netmiko versus a for-loop of netmiko ``ConnectHandler`` over the same routers in the same run.

``ours`` = Nornir collection time on the largest lab, ``baseline`` = the sequential loop, ``ratio`` =
baseline/ours. Goal: the 100-router lab converges in < 60 s and parallel collection is ≥ 3× faster.
Needs root and the lab packages. The last line printed is one JSON object.

Usage::

    .venv/bin/python bench/lab.py [--sizes 10,50,100] [--collect-all]
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import string
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nornir_tasks.cli.context import inventory_from, nornir_from, settings_from  # noqa: E402
from nornir_tasks.inventory.generate import generate  # noqa: E402
from nornir_tasks.lab.build import bring_up  # noqa: E402
from nornir_tasks.lab.executor import Lab, netns_pids, preflight  # noqa: E402
from nornir_tasks.lab.plan import connected_slice  # noqa: E402

WORK = ROOT / "build" / "bench" / "lab"
GOAL_CONVERGE_S = 60.0
GOAL_RATIO = 3.0


def log(msg: str) -> None:
    sys.stderr.write(f"[bench/lab] {msg}\n")
    sys.stderr.flush()


def memory_mib(lab: Lab) -> tuple[float, float]:
    """(RSS, PSS) in MiB summed over every process in the lab's namespaces. RSS counts the shared FRR
    libraries once per process; PSS shares them out, so it is what a router really adds."""
    rss = pss = 0
    assert lab.state is not None
    for r in lab.state.plan.routers:
        for pid in netns_pids(r.netns):
            try:
                for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1])
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1])
            except OSError:
                continue
    return rss / 1024, pss / 1024


def collect_nornir(settings, result, names: list[str]) -> tuple[float, int]:
    from nornir_netmiko.tasks import netmiko_send_command

    t = time.perf_counter()
    nr = nornir_from(settings, result, names, lab=True)
    agg = nr.run(task=netmiko_send_command, command_string="show running-config", raise_on_error=False)
    for host in nr.inventory.hosts.values():
        host.close_connections()
    ok = sum(1 for m in agg.values() if not m.failed and "hostname" in m[0].result)
    return time.perf_counter() - t, ok


def collect_sequential(lab: Lab, user: str, password: str) -> tuple[float, int]:
    from netmiko import ConnectHandler

    assert lab.state is not None
    ok = 0
    t = time.perf_counter()
    for r in lab.state.plan.routers:
        conn = ConnectHandler(device_type="cisco_ios", host=r.address, port=r.port, username=user,
                              password=password)
        if "hostname" in conn.send_command("show running-config"):
            ok += 1
        conn.disconnect()
    return time.perf_counter() - t, ok


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10,50,100")
    ap.add_argument("--collect-all", action="store_true")
    ap.add_argument("--timeout", type=float, default=240)
    args = ap.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    preflight()
    inv_dir = WORK / "inventory"
    if not (inv_dir / "hosts.yaml").exists():
        log("generating the TP.HCM inventory (province=79, seed 1)")
        generate("province=79", 1, inv_dir)
    lab_dir = WORK / "state"
    config = WORK / "config.yaml"
    config.write_text(f"user_defined:\n  govnet:\n    inventory_dir: {inv_dir}\n    templates_dir: {ROOT / 'templates'}\n"
                      f"    lab_dir: {lab_dir}\n    num_workers: 20\n", encoding="utf-8")
    user = "gvb" + "".join(secrets.choice(string.ascii_lowercase) for _ in range(6))
    password = secrets.token_urlsafe(12)
    os.environ["GOVNET_USERNAME"], os.environ["GOVNET_PASSWORD"] = user, password
    settings = settings_from(config, None)
    result = inventory_from(settings)
    inv = result.inventory
    figures: dict[str, dict[str, float | int | None]] = {}
    ours = baseline = None
    for n in sizes:
        names = connected_slice(inv, n)
        log(f"{len(names)} routers: up")
        t0 = time.perf_counter()
        lab, state = bring_up(inv, names, templates_dir=ROOT / "templates", lab_dir=lab_dir, user=user,
                              password=password, tag="gb", slot=211)
        build = time.perf_counter() - t0
        st = lab.wait_converged(args.timeout, lldp=False)
        converge = time.perf_counter() - t0
        st2 = lab.wait_converged(args.timeout, lldp=True)
        lldp = time.perf_counter() - t0
        rss, pss = memory_mib(lab)
        fig: dict[str, float | int | None] = {
            "routers": len(names), "links": len(state.plan.links),
            "ospf_adjacencies": sum(len(r.ospf_expected) for r in st.routers) // 2,
            "bgp_sessions": sum(len(r.bgp_expected) for r in st.routers) // 2,
            "build_s": round(build, 2), "converge_s": round(converge, 2) if st.converged(lldp=False) else None,
            "lldp_s": round(lldp, 2) if st2.converged() else None, "mib_per_router": round(rss / len(names), 1),
            "pss_mib_per_router": round(pss / len(names), 1)}
        if args.collect_all or n == max(sizes):
            log(f"{len(names)} routers: collecting show running-config")
            par, ok_par = collect_nornir(settings, result, names)
            seq, ok_seq = collect_sequential(lab, user, password)
            fig.update({"nornir_s": round(par, 2), "sequential_s": round(seq, 2), "nornir_ok": ok_par,
                        "sequential_ok": ok_seq})
            if n == max(sizes):
                ours, baseline = par, seq
        t1 = time.perf_counter()
        problems = lab.down()
        fig["teardown_s"] = round(time.perf_counter() - t1, 2)
        if problems:
            log("teardown problems: " + "; ".join(problems))
        figures[str(n)] = fig
        log(json.dumps(fig))
    largest = figures[str(max(sizes))]
    ratio = (baseline / ours) if ours and baseline else None
    goal = bool(ratio and ratio >= GOAL_RATIO and largest.get("converge_s") is not None
                and float(largest["converge_s"] or 1e9) < GOAL_CONVERGE_S
                and largest.get("nornir_ok") == largest["routers"])
    print(json.dumps({"name": "lab", "ours": round(ours, 3) if ours else None,
                      "baseline": round(baseline, 3) if baseline else None,
                      "ratio": round(ratio, 2) if ratio else None, "unit": "s", "goal_met": goal,
                      "goal": f"{max(sizes)} routers converge < {GOAL_CONVERGE_S:.0f} s and Nornir collection "
                              f">= {GOAL_RATIO:.0f}x the sequential loop",
                      "sizes": figures}, ensure_ascii=False))


if __name__ == "__main__":
    main()
