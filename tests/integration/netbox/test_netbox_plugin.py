"""Our Nornir inventory plugin over NetBox yields the same hosts, groups and data as the YAML plugin for the
same network, and a warm load with the cache sees changes and deletions made in NetBox since."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from nornir import InitNornir

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def pushed(netbox, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("nbp")
    cfg = netbox.config(tmp)
    assert netbox.govnet("netbox", "init", "--commit", config=cfg).returncode == 0
    proc = netbox.govnet("netbox", "push", "--commit", "--format", "json", config=cfg)
    assert proc.returncode == 0 and json.loads(proc.stdout)["failures"] == [], proc.stderr
    return netbox


def _nornir(plugin: str, options: dict) -> object:
    return InitNornir(inventory={"plugin": plugin, "options": options}, logging={"enabled": False},
                      runner={"plugin": "serial"})


def _shape(inv) -> dict:
    hosts = {name: (h.hostname, h.port, h.platform, [g.name for g in h.groups], dict(h.data),
                    {k: (c.platform, c.hostname, c.port, c.extras) for k, c in h.connection_options.items()},
                    h.username, h.password)
             for name, h in inv.hosts.items()}
    groups = {name: (g.platform, [p.name for p in g.groups], dict(g.data)) for name, g in inv.groups.items()}
    return {"hosts": hosts, "groups": groups, "defaults": dict(inv.defaults.data)}


def test_same_hosts_groups_and_data_as_the_yaml_plugin(pushed, monkeypatch):
    monkeypatch.setenv("NETBOX_TOKEN", pushed.token)
    monkeypatch.setenv("GOVNET_USERNAME", "u1")
    monkeypatch.setenv("GOVNET_PASSWORD", "p1")
    yaml_nr = _nornir("GovnetInventory", {"inventory_dir": str(ROOT / "inventory")})
    nb_nr = _nornir("GovnetNetBoxInventory", {"url": pushed.url})
    a, b = _shape(yaml_nr.inventory), _shape(nb_nr.inventory)
    assert sorted(a["hosts"]) == sorted(b["hosts"])
    for name in a["hosts"]:
        assert a["hosts"][name] == b["hosts"][name], name
    assert a["groups"] == b["groups"]
    assert a["defaults"] == b["defaults"]
    assert nb_nr.inventory.hosts["lcu-gw01"]["site"].id == "12-ttkn"
    fast = _nornir("GovnetNetBoxInventory", {"url": pushed.url, "validate": False})
    assert _shape(fast.inventory) == b


def test_same_validation_findings_as_the_yaml_plugin(pushed, monkeypatch):
    from nornir_tasks.inventory.load import load_inventory
    from nornir_tasks.netbox.plugin import GovnetNetBoxInventory

    monkeypatch.setenv("NETBOX_TOKEN", pushed.token)
    plugin = GovnetNetBoxInventory(url=pushed.url)
    plugin.load()
    key = lambda f: (f.code, f.severity.value, f.host or "", f.field or "", f.message)  # noqa: E731
    assert sorted(map(key, plugin.findings)) == sorted(map(key, load_inventory(ROOT / "inventory").findings))
    assert plugin.findings, "the sample has warnings (INV-034): the comparison must not be empty"


def test_warm_load_sees_changes_and_deletions(pushed, monkeypatch, tmp_path):
    from nornir_tasks.netbox.client import NetBoxClient
    from nornir_tasks.netbox.plugin import cache_path, fetch_records, load_model

    client = NetBoxClient(pushed.url, pushed.token)
    cache = cache_path(tmp_path, pushed.url)
    cold, how = fetch_records(client, cache)
    assert how == "full" and cache.exists()
    warm, how = fetch_records(client, cache)
    assert how.startswith("delta:") and warm == cold
    dev = pushed.get("dcim/devices", name="lcu-gw01")["results"][0]
    assert pushed.call("PATCH", f"dcim/devices/{dev['id']}", {"serial": "CHANGED-1"}).status_code == 200
    link = pushed.get("dcim/cables", label="lcu-tu-ce-fw")["results"][0]
    assert pushed.call("DELETE", f"dcim/cables/{link['id']}").status_code == 204
    model = load_model(client, tmp_path)
    assert model.devices["lcu-gw01"].serial == "CHANGED-1"
    assert "lcu-tu-ce-fw" not in model.links and "lcu-tu-fw-sw" in model.links
    records, how = fetch_records(client, cache)
    assert how.startswith("delta:") and "lcu-tu-ce-fw" not in {c["label"] for c in records["cable"]}
