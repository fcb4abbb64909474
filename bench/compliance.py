"""Benchmark: full compliance of the generated national inventory vs netutils' feature compliance.

* Inventory: ``govnet inventory generate --scope national --seed 1`` (written to build/bench/national when
  missing): ~10,000 devices of all five platforms.
* Intended configs: rendered with the project's templates (:class:`~nornir_tasks.render.engine.Renderer`).
* Running configs: the intended config with vendor header noise and a deterministic drift per device (seeded
  by the device name: 0–3 changes among a deleted line, a changed value, an extra top-level line, an extra
  line inside an interface); about a quarter of the devices have no drift.
* Ours: :func:`~nornir_tasks.compliance.run.run_compliance` — features per platform, every baseline rule
  (config and inventory), waivers, states, remediation and rollback — on one core and on all cores.
* Baseline: ``netutils.config.compliance.compliance`` (the engine of Nautobot Golden Config) over the same
  configs and the same feature definitions, one core. netutils has no parser for Huawei VRP or FRR: VRP goes
  through its ``hp_comware`` parser (same ``#``/``undo``/``return`` syntax family) and FRR through
  ``cisco_ios``.

The last line printed is the JSON result (``ours`` and ``baseline`` in seconds for all devices).
Usage: ``.venv/bin/python bench/compliance.py [--limit N] [--workers N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nornir_tasks.compliance.baseline import load_baselines
from nornir_tasks.compliance.features import FEATURES
from nornir_tasks.compliance.run import RunningConfig, run_compliance
from nornir_tasks.compliance.waivers import WaiverRegister
from nornir_tasks.errors import RenderError
from nornir_tasks.inventory.load import load_inventory
from nornir_tasks.model import Platform
from nornir_tasks.render.context import ContextIndex
from nornir_tasks.render.engine import Renderer
from nornir_tasks.settings import Settings

NETUTILS_OS = {Platform.CISCO_IOS: "cisco_ios", Platform.ARISTA_EOS: "arista_eos", Platform.JUNIPER_JUNOS: "juniper_junos",
               Platform.HUAWEI_VRP: "hp_comware", Platform.FRR: "cisco_ios"}
HEADER = {
    Platform.CISCO_IOS: "Building configuration...\n\nCurrent configuration : 8123 bytes\n!\nversion 17.9\n!\n",
    Platform.ARISTA_EOS: "! Command: show running-config\n! device: x (DCS-7050SX3, EOS-4.30.2F)\n!\n",
    Platform.HUAWEI_VRP: "!Software Version V800R021C10SPC100\n#\n",
    Platform.JUNIPER_JUNOS: "## Last commit: 2026-11-20 09:12:44 ICT by netadmin\n",
    Platform.FRR: "Building configuration...\n\nCurrent configuration:\n!\nfrr version 8.4.4\nfrr defaults traditional\n",
}
EXTRA_ROOT = {
    Platform.CISCO_IOS: "ip route 192.0.2.0 255.255.255.0 Null0", Platform.ARISTA_EOS: "ip route 192.0.2.0/24 Null0",
    Platform.HUAWEI_VRP: "ip route-static 192.0.2.0 24 NULL0", Platform.FRR: "ip route 192.0.2.0/24 Null0",
    Platform.JUNIPER_JUNOS: "set routing-options static route 192.0.2.0/24 discard",
}


def drift(platform: Platform, name: str, text: str) -> str:
    """A deterministic drifted copy of ``text`` (seeded by the device name)."""
    rng = random.Random(f"drift:{name}")
    lines = text.splitlines()
    for _ in range(rng.choice((0, 1, 1, 2, 3))):
        kind = rng.choice(("delete", "change", "extra_root", "extra_child"))
        candidates = [i for i, ln in enumerate(lines) if ln.strip() and not ln.lstrip().startswith(("!", "#"))
                      and not ln.startswith(("hostname", "sysname", "set system host-name", "banner", "^C"))]
        if not candidates:
            break
        i = rng.choice(candidates)
        if kind == "delete" and (platform is Platform.JUNIPER_JUNOS or lines[i].startswith(" ")):
            del lines[i]
        elif kind == "change" and any(c.isdigit() for c in lines[i]):
            j = max(k for k, c in enumerate(lines[i]) if c.isdigit())
            lines[i] = lines[i][:j] + str((int(lines[i][j]) + 1) % 10) + lines[i][j + 1:]
        elif kind == "extra_root":
            lines.append(EXTRA_ROOT[platform])
        else:
            itfs = [k for k, ln in enumerate(lines) if ln.startswith("interface ")]
            if platform is Platform.JUNIPER_JUNOS:
                lines.append("set interfaces lo0 unit 0 description TAM-THOI")
            elif itfs:
                k = rng.choice(itfs)
                lines.insert(k + 1, " shutdown" if platform is Platform.HUAWEI_VRP else " description TAM THOI")
    return HEADER[platform] + "\n".join(lines) + "\n"


def netutils_features(platform: Platform) -> list[dict]:
    return [{"name": f.name, "ordered": f.ordered, "section": list(f.prefixes)} for f in FEATURES[platform].features]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=0, help="check only the first N devices")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--inventory", default=str(ROOT / "build" / "bench" / "national"))
    args = ap.parse_args()

    inv_dir = Path(args.inventory)
    if not (inv_dir / "hosts.yaml").exists():
        from nornir_tasks.inventory.generate import generate

        generate("national", 1, inv_dir)
    today = date(2026, 11, 25)
    t0 = time.perf_counter()
    inv = load_inventory(inv_dir, today=today).inventory
    t_load = time.perf_counter() - t0

    renderer = Renderer(ROOT / "templates")
    index = ContextIndex(inv)
    intended: dict[str, str] = {}
    failed_render = 0
    todo = list(inv.devices)[: args.limit] if args.limit else list(inv.devices)
    t0 = time.perf_counter()
    for name in todo:
        try:
            intended[name] = renderer.render(inv, name, index=index)
        except RenderError:
            failed_render += 1
    t_render = time.perf_counter() - t0
    names = [n for n in inv.devices if n in intended]
    if args.limit:
        names = names[: args.limit]
    now = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)
    running = {n: RunningConfig(text=drift(inv.devices[n].platform, n, intended[n]), collected_at=now) for n in names}
    lines = sum(intended[n].count("\n") for n in names) / max(1, len(names))

    settings = Settings(inventory_dir=inv_dir, baseline_dir=ROOT / "inventory" / "baselines")
    baselines = load_baselines(settings.baseline_dir)
    waivers = WaiverRegister()

    def ours(workers: int) -> tuple[float, object]:
        t = time.perf_counter()
        run = run_compliance(settings, inv, names, running, intended, today, baselines=baselines, waivers=waivers,
                             workers=workers, now=now)
        return time.perf_counter() - t, run

    c0 = time.process_time()
    t_one, run = ours(1)
    cpu_one = time.process_time() - c0
    t_all, run_all = ours(args.workers) if args.workers > 1 else (t_one, run)
    assert run_all.counts() == run.counts()            # type: ignore[attr-defined]

    from netutils.config.compliance import compliance

    feats = {p: netutils_features(p) for p in Platform}
    t = time.perf_counter()
    c0 = time.process_time()
    nu_noncompliant = 0
    for n in names:
        p = inv.devices[n].platform
        res = compliance(feats[p], running[n].text, intended[n], NETUTILS_OS[p], cfg_type="string")
        nu_noncompliant += any(not v["compliant"] for v in res.values())
    t_nu = time.perf_counter() - t
    cpu_nu = time.process_time() - c0

    counts = run.counts()                                   # type: ignore[attr-defined]
    n = len(names)
    dps_all, dps_one, dps_nu = n / t_all, n / t_one, n / t_nu
    remediated = len(run.remediations)                     # type: ignore[attr-defined]
    print(f"devices {n} (render failures {failed_render}), avg {lines:.0f} lines; load {t_load:.1f}s, render {t_render:.1f}s")
    print(f"ours, {args.workers} workers: {t_all:.2f}s = {dps_all:.0f} devices/s; 1 worker: {t_one:.2f}s = {dps_one:.0f} devices/s")
    print(f"netutils compliance, 1 worker: {t_nu:.2f}s = {dps_nu:.0f} devices/s")
    print(f"CPU time (robust to other load on the machine): ours {cpu_one:.2f}s = {n / cpu_one:.0f} devices/s per core, "
          f"netutils {cpu_nu:.2f}s = {n / cpu_nu:.0f} devices/s per core; load average {os.getloadavg()[0]:.1f}")
    print(f"states: {counts}; remediations {remediated}; netutils non-compliant {nu_noncompliant}")
    result = {
        "name": "compliance", "ours": round(t_all, 3), "baseline": round(t_nu, 3), "ratio": round(t_nu / t_all, 2),
        "unit": "s", "goal_met": bool(dps_all >= 1000 and t_nu / t_all >= 3),
        "devices": n, "avg_lines": round(lines), "workers": args.workers,
        "ours_devices_per_s": round(dps_all), "ours_1core_devices_per_s": round(dps_one),
        "netutils_devices_per_s": round(dps_nu), "ratio_1core": round(t_nu / t_one, 2),
        "ours_1core_cpu_devices_per_s": round(n / cpu_one), "netutils_cpu_devices_per_s": round(n / cpu_nu),
        "ratio_cpu": round(cpu_nu / cpu_one, 2), "load_average": round(os.getloadavg()[0], 1),
        "remediations": remediated, "states": counts, "render_failures": failed_render,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
