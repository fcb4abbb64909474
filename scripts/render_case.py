"""Make a golden render case: ``tests/fixtures/render/<platform>/<case>/`` from an inventory.

Usage:
    .venv/bin/python scripts/render_case.py HOST CASE [--from inventory] [--platform frr] [--lab]
        [--set-platform PLATFORM] [--set-role ROLE] [--set-routing-static]

Writes ``inventory/`` (a slice: the host, the devices at the other end of its circuits and links, their
sites, the circuits and links between them, the sites' LANs, all groups, defaults and allocations), ``case.yaml`` and —
after review! — ``expected.cfg`` rendered by the current templates. ``--set-platform`` / ``--set-role``
rewrite the host's platform / role in the slice, ``--set-routing-static`` makes its circuits static-routed
(to cover what the sample lacks).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nornir_tasks.inventory.load import load_or_raise
from nornir_tasks.render.engine import Renderer


def _read(folder: Path, name: str) -> object:
    path = folder / name
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None


def _dump(path: Path, data: object, what: str) -> None:
    text = f"# {what} — golden render case slice, cut by scripts/render_case.py\n"
    text += yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110)
    path.write_text(text, encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("host")
    ap.add_argument("case")
    ap.add_argument("--from", dest="source", default="inventory")
    ap.add_argument("--platform", help="render with this platform's templates (case folder platform)")
    ap.add_argument("--lab", action="store_true")
    ap.add_argument("--set-platform")
    ap.add_argument("--set-role")
    ap.add_argument("--set-routing-static", action="store_true",
                    help="make the host's circuits static-routed (the gateway routes the host's LANs to it)")
    args = ap.parse_args()

    src = Path(args.source)
    inv = load_or_raise(src).inventory
    dev = inv.devices[args.host]
    keep = {dev.name}
    for c in inv.circuits_of(dev.name):
        keep |= {c.a.device, c.z.device}
    for link in inv.links.values():
        if dev.name in (link.a.device, link.z.device):
            keep |= {link.a.device, link.z.device}
    keep &= set(inv.devices)
    sites = {inv.devices[n].site for n in keep}

    hosts = {k: v for k, v in (_read(src, "hosts.yaml") or {}).items() if k in keep}
    if args.set_platform:
        hosts[dev.name]["platform"] = args.set_platform
    if args.set_role:
        hosts[dev.name]["data"]["role"] = args.set_role
    circuits = {k: v for k, v in (_read(src, "circuits.yaml") or {}).items()
                if v["a"]["device"] in keep and v["z"]["device"] in keep}
    links = {k: v for k, v in (_read(src, "links.yaml") or {}).items()
             if v["a"]["device"] in keep and v["z"]["device"] in keep}
    if args.set_routing_static:
        nets = [str(itf.ipv4.network) for itf in dev.interfaces if itf.kind.value == "lan" and itf.ipv4]
        for c in circuits.values():
            if dev.name in (c["a"]["device"], c["z"]["device"]):
                c["routing"] = {"protocol": "static", "static_prefixes": nets}
    lans = {k: [lan for lan in v if lan.get("gateway") in (None, *keep)]
            for k, v in (_read(src, "lans.yaml") or {}).items() if k in sites}
    site_data = {k: v for k, v in (_read(src, "sites.yaml") or {}).items() if k in sites}

    platform = args.platform or args.set_platform or dev.platform.value
    case = ROOT / "tests" / "fixtures" / "render" / platform / args.case
    folder = case / "inventory"
    folder.mkdir(parents=True, exist_ok=True)
    _dump(folder / "hosts.yaml", hosts, "hosts.yaml")
    _dump(folder / "sites.yaml", site_data, "sites.yaml")
    _dump(folder / "circuits.yaml", circuits, "circuits.yaml")
    _dump(folder / "links.yaml", links, "links.yaml")
    _dump(folder / "lans.yaml", lans, "lans.yaml")
    allocations = [a for a in (_read(src, "ip_allocations.yaml") or []) if a.get("site") in (None, *sites)]
    _dump(folder / "ip_allocations.yaml", allocations, "ip_allocations.yaml")
    for name in ("groups.yaml", "defaults.yaml"):
        if (src / name).exists():
            (folder / name).write_text((src / name).read_text(encoding="utf-8"), encoding="utf-8")
    meta: dict[str, object] = {"host": dev.name}
    if args.platform:
        meta["platform"] = args.platform
    if args.lab:
        meta["lab"] = True
    _dump(case / "case.yaml", meta, "case.yaml")
    text = Renderer(ROOT / "templates").render(load_or_raise(folder).inventory, dev.name,
                                                platform=args.platform, lab=args.lab)
    (case / "expected.cfg").write_text(text, encoding="utf-8")
    print(f"wrote {case} ({text.count(chr(10))} lines): review expected.cfg before committing")


if __name__ == "__main__":
    main()
