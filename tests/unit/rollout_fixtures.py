"""Small inventories for the rollout tests, built from the real model (every object is validated).

``tiny()`` is one province (12, Lai Châu) with a provincial gateway and a handful of commune sites, each
built to pass or fail exactly one criterion; the tests change it with ``model_copy`` or build their own.
"""

from __future__ import annotations

from typing import Any

from nornir_tasks.model import Circuit, Device, Interface, Inventory, Site

_COMMUNES = ["03388", "03390", "03391", "03394", "03395", "03397", "03399", "03400"]


def site(sid: str, *, level: str = "commune", province: str = "12", status: str = "active",
         site_type: str | None = None, region: str = "TDMNPB", mountainous: bool = True,
         commune: str | None = None, **extra: Any) -> Site:
    if site_type is None:
        site_type = {"commune": "commune_hq", "province": "provincial_centre", "central": "regional_centre"}[level]
    if commune is None and level == "commune":
        commune = _COMMUNES[sum(map(ord, sid)) % len(_COMMUNES)]
    return Site(id=sid, name=f"Điểm {sid}", level=level, province_code=province, commune_code=commune,
                region=region, mountainous=mountainous, site_type=site_type, status=status, **extra)


def device(name: str, site_id: str, *, role: str = "ce_router", platform: str = "frr", os_version: str | None = "8.4.4",
           wan: list[tuple[str, str | None]] | None = None) -> Device:
    """``wan`` lists (interface name, IPv6 address or None)."""
    itfs = [Interface(name=n, kind="wan", zone="tslcd", ipv6=v6) for n, v6 in (wan or [("eth0", None)])]
    return Device(name=name, hostname="192.0.2.1", platform=platform, site=site_id, role=role,
                  os_version=os_version, interfaces=tuple(itfs))


def circuit(cid: str, a: tuple[str, str], z: tuple[str, str], *, mbps: int = 200, status: str = "active",
            level: str = "II", network: str = "tslcd") -> Circuit:
    return Circuit(id=cid, provider="VNPT", network=network, access_level=level,
                   a={"device": a[0], "interface": a[1]}, z={"device": z[0], "interface": z[1]},
                   bandwidth_mbps=mbps, routing={"protocol": "static"}, status=status)


def inventory(sites: list[Site], devices: list[Device], circuits: list[Circuit]) -> Inventory:
    return Inventory(sites={s.id: s for s in sites}, devices={d.name: d for d in devices},
                     circuits={c.id: c for c in circuits})


def gateway(province: str = "12", n: int = 8, **extra: Any) -> tuple[Site, Device]:
    s = site(f"{province}-ttkn", level="province", province=province, commune="03408" if province == "12" else None,
             **extra)
    d = device(f"gw{province}", s.id, role="gateway", platform="cisco_ios", os_version="17.9.4a",
               wan=[(f"g{i}", None) for i in range(n)])
    return s, d


def tiny() -> Inventory:
    """Gateway in province 12 and five commune sites:

    * ``ok``   — 200 Mbps active level-II circuit, IPv6 on the WAN, a firewall, two uplinks;
    * ``slow`` — 100 Mbps, no IPv6;
    * ``far``  — its only circuit goes to the gateway of another province (01);
    * ``down`` — circuit planned, site installed;
    * ``gone`` — decommissioned (never in scope).
    """
    gs, gw = gateway("12")
    gs01, gw01 = gateway("01", region="DBSH", mountainous=False)
    sites = [gs, gs01,
             site("ok"), site("slow"), site("far"), site("down", status="installed"),
             site("gone", status="decommissioned")]
    devices = [gw, gw01,
               device("ok-ce", "ok", wan=[("eth0", "2001:db8::2/127"), ("eth1", None)]),
               device("ok-fw", "ok", role="firewall", platform="juniper_junos", os_version="21.4R3-S5"),
               device("slow-ce", "slow", platform="cisco_ios", os_version="15.9(3)M7"),
               device("far-ce", "far"),
               device("down-ce", "down"),
               device("gone-ce", "gone")]
    circuits = [circuit("C-OK-1", ("ok-ce", "eth0"), ("gw12", "g0"), mbps=200),
                circuit("C-OK-2", ("ok-ce", "eth1"), ("gw12", "g1"), mbps=100),
                circuit("C-SLOW", ("slow-ce", "eth0"), ("gw12", "g2"), mbps=100),
                circuit("C-FAR", ("far-ce", "eth0"), ("gw01", "g0"), mbps=1000),
                circuit("C-DOWN", ("down-ce", "eth0"), ("gw12", "g3"), status="planned"),
                circuit("C-GONE", ("gone-ce", "eth0"), ("gw12", "g4"))]
    return inventory(sites, devices, circuits)
