"""Push the sample network into a real, empty NetBox, push again (no changes), pull it back (equal, same
validation), and the rules around it: dry run by default, conflicts, hand-made objects, --filter, --prune."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from nornir_tasks.inventory.load import load_inventory, load_or_raise

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[3]


def _json(proc):
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def pushed(netbox, tmp_path_factory):
    """The sample network pushed once (init, dry run, commit) into this module's empty NetBox."""
    tmp = tmp_path_factory.mktemp("nb")
    cfg = netbox.config(tmp)
    dry_init = netbox.govnet("netbox", "init", "--format", "json", config=cfg)
    assert dry_init.returncode == 0, dry_init.stderr
    assert netbox.count("extras/custom-fields") == 0, "init without --commit wrote something"
    init = _json(netbox.govnet("netbox", "init", "--commit", "--format", "json", config=cfg))
    assert len(init["created"]) > 30 and not init["updated"]
    dry = _json(netbox.govnet("netbox", "push", "--format", "json", config=cfg))
    commit = _json(netbox.govnet("netbox", "push", "--commit", "--format", "json", config=cfg))
    return {"tmp": tmp, "cfg": cfg, "dry": dry, "commit": commit, "init": init}


def test_init_is_idempotent(netbox, pushed):
    again = _json(netbox.govnet("netbox", "init", "--commit", "--format", "json", config=pushed["cfg"]))
    assert again["created"] == [] and again["updated"] == []
    assert "tag govnet-managed" in again["unchanged"]


def test_dry_run_lists_creates_and_writes_nothing(netbox, pushed):
    dry = pushed["dry"]
    assert dry["committed"] is False
    kinds = {c["kind"] for c in dry["changes"]}
    assert {"site", "device", "interface", "ip_address", "circuit", "cable", "prefix", "vlan"} <= kinds
    assert all(c["action"] == "create" for c in dry["changes"])
    device = next(c for c in dry["changes"] if c["kind"] == "device" and c["key"] == "lcu-gw01")
    assert device["fields"]["site"] == [None, "site:12-ttkn"]


def test_commit_writes_everything_and_second_push_has_no_changes(netbox, pushed):
    inv = load_or_raise(ROOT / "inventory").inventory
    commit = pushed["commit"]
    assert commit["failures"] == []
    assert netbox.count("dcim/devices", tag="govnet-managed") == len(inv.devices)
    assert netbox.count("dcim/interfaces") == sum(len(d.interfaces) for d in inv.devices.values())
    assert netbox.count("circuits/circuits") == len(inv.circuits)
    assert netbox.count("dcim/cables") == len(inv.links) + 2 * len(inv.circuits)
    again = _json(netbox.govnet("netbox", "push", "--format", "json", config=pushed["cfg"]))
    assert again["changes"] == [] and again["failures"] == []


def test_pull_round_trip_equals_the_original(netbox, pushed, tmp_path):
    out = tmp_path / "pulled"
    proc = netbox.govnet("netbox", "pull", "--out", str(out), config=pushed["cfg"])
    original = load_inventory(ROOT / "inventory")
    pulled = load_inventory(out)
    assert pulled.inventory == original.inventory
    codes = lambda r: sorted((f.code, f.severity.value, f.host or "", f.message) for f in r.findings)  # noqa: E731
    assert codes(pulled) == codes(original)
    assert proc.returncode == (2 if original.errors else 0), proc.stderr


def test_edit_in_netbox_is_a_conflict_unless_forced(netbox, pushed, tmp_path):
    dev = netbox.get("dcim/devices", name="lcu-gw01")["results"][0]
    assert netbox.call("PATCH", f"dcim/devices/{dev['id']}", {"serial": "EDITED-IN-NETBOX"}).status_code == 200
    proc = netbox.govnet("netbox", "push", "--commit", "--format", "json", config=pushed["cfg"])
    report = _json(proc)
    assert proc.returncode == 1
    conflict = [c for c in report["changes"] if c["action"] == "conflict"]
    assert [(c["kind"], c["key"]) for c in conflict] == [("device", "lcu-gw01")]
    assert conflict[0]["fields"]["serial"][0] == "EDITED-IN-NETBOX"
    assert netbox.get("dcim/devices", name="lcu-gw01")["results"][0]["serial"] == "EDITED-IN-NETBOX"
    forced = _json(netbox.govnet("netbox", "push", "--commit", "--force", "--format", "json", config=pushed["cfg"]))
    assert [c["action"] for c in forced["changes"]] == ["update"] and forced["failures"] == []
    assert netbox.get("dcim/devices", name="lcu-gw01")["results"][0]["serial"] != "EDITED-IN-NETBOX"
    assert _json(netbox.govnet("netbox", "push", "--format", "json", config=pushed["cfg"]))["changes"] == []


def test_hand_made_object_is_left_alone(netbox, pushed, tmp_path):
    resp = netbox.call("POST", "dcim/sites", {"name": "hand-made", "slug": "hand-made", "status": "active"})
    assert resp.status_code == 201, resp.text
    inv_dir = tmp_path / "inv"
    shutil.copytree(ROOT / "inventory", inv_dir)
    sites = inv_dir / "sites.yaml"
    sites.write_text(sites.read_text(encoding="utf-8") + "\nhand-made:\n  name: Do tay\n  level: province\n"
                     "  province_code: '12'\n  region: TDMNPB\n  site_type: other\n  status: planned\n",
                     encoding="utf-8")
    cfg = netbox.config(tmp_path, inventory=inv_dir)
    report = _json(netbox.govnet("netbox", "push", "--commit", "--format", "json", config=cfg))
    hand = [c for c in report["changes"] if c["key"] == "hand-made"]
    assert [c["action"] for c in hand] == ["unmanaged"]
    assert netbox.get("dcim/sites", name="hand-made")["results"][0]["description"] == ""


def test_filter_limits_the_push(netbox, pushed, tmp_path):
    inv_dir = tmp_path / "inv"
    shutil.copytree(ROOT / "inventory", inv_dir)
    hosts = inv_dir / "hosts.yaml"
    hosts.write_text(hosts.read_text(encoding="utf-8").replace("os_version: 21.4R3-S5", "os_version: 22.2R1"),
                     encoding="utf-8")
    cfg = netbox.config(tmp_path, inventory=inv_dir)
    state = tmp_path / "state"
    state.mkdir()
    shutil.copy(pushed["tmp"] / "state" / "netbox-sync.json", state / "netbox-sync.json")
    only = _json(netbox.govnet("netbox", "push", "--filter", "rcn-pe01", "--format", "json", config=cfg))
    assert [(c["action"], c["key"]) for c in only["changes"]] == [("update", "rcn-pe01")]
    assert only["changes"][0]["fields"] == {"custom_fields.os_version": ["21.4R3-S5", "22.2R1"]}
    both = _json(netbox.govnet("netbox", "push", "--format", "json", config=cfg))
    assert sorted(c["key"] for c in both["changes"]) == ["rcn-pe01", "rcn-pe02"]


def test_prune_tags_orphans_then_deletes_after_grace(netbox, pushed, tmp_path):
    inv_dir = tmp_path / "inv"
    shutil.copytree(ROOT / "inventory", inv_dir)
    state = tmp_path / "state"
    state.mkdir()
    shutil.copy(pushed["tmp"] / "state" / "netbox-sync.json", state / "netbox-sync.json")
    # drop one LAN (a VLAN and its prefixes) from the inventory
    lans = inv_dir / "lans.yaml"
    text = lans.read_text(encoding="utf-8")
    start = text.index("- vlan: 30\n  name: HOP_TRUC_TUYEN")
    end = text.index("\n12-ubnd:")
    lans.write_text(text[:start] + text[end + 1:], encoding="utf-8")
    cfg = netbox.config(tmp_path, inventory=inv_dir)
    plain = _json(netbox.govnet("netbox", "push", "--format", "json", config=cfg))
    orphans = {(c["kind"], c["key"]) for c in plain["changes"] if c["action"] == "orphan"}
    assert ("vlan", "12-tu|30") in orphans and {k for k, _ in orphans} <= {"vlan", "prefix"}
    # the LANs after it moved up one place in the file: only their position changes
    for c in plain["changes"]:
        assert c["action"] == "orphan" or set(c["fields"]) <= {"custom_fields.govnet_index", "vlan"}, c
    mark = _json(netbox.govnet("netbox", "push", "--prune", "--commit", "--format", "json", config=cfg))
    assert {(c["kind"], c["key"]) for c in mark["changes"] if c["action"] == "mark_orphan"} == orphans
    assert mark["failures"] == []
    assert netbox.count("ipam/vlans", tag="govnet-orphan") == 1
    kept = _json(netbox.govnet("netbox", "push", "--prune", "--commit", "--format", "json", config=cfg))
    assert kept["changes"] == []   # still inside the grace period
    gone = _json(netbox.govnet("netbox", "push", "--prune", "--commit", "--grace-days", "0", "--format", "json",
                               config=cfg))
    assert {(c["kind"], c["key"]) for c in gone["changes"]} == orphans and gone["failures"] == []
    assert {c["action"] for c in gone["changes"]} == {"delete"}
    assert netbox.count("ipam/vlans", tag="govnet-orphan") == 0
    assert netbox.count("ipam/vlans", site="12-tu", vid=30) == 0
    assert _json(netbox.govnet("netbox", "push", "--prune", "--format", "json", config=cfg))["changes"] == []
