"""Data nobody here wrote: NetBox's own demo database (netbox-community/netbox-demo-data, MIT; 4.2 dump migrated
to the running version by ``scripts/netbox-dev demo``). Pull and the inventory plugin read it without a traceback
and report, as coded findings, what does not fit govnet's inventory."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "scripts" / "netbox-dev"
_NAME = "data/netbox-demo/netbox-demo-v4.2.sql.gz"
#: shared/ lies beside the project's folder (the developers' machines and CI's clone alike)
DEMO = Path(os.environ.get("GOVNET_NETBOX_DEMO_SQL") or next(
    (str(p) for p in (ROOT.parent / "shared" / _NAME, Path("/work/shared") / _NAME) if p.is_file()),
    str(ROOT.parent / "shared" / _NAME)))


@pytest.fixture(scope="module")
def demo(netbox):
    if not DEMO.is_file():
        pytest.skip(f"NetBox's demo data is not on this machine ({DEMO}; set GOVNET_NETBOX_DEMO_SQL)")
    proc = subprocess.run([str(SCRIPT), "demo", str(DEMO)], capture_output=True, text=True, timeout=3600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    yield netbox
    subprocess.run([str(SCRIPT), "reset"], capture_output=True, text=True, timeout=600)


def test_pull_reads_foreign_data_and_reports_findings(demo, tmp_path):
    devices = demo.get("dcim/devices", limit=1000)["results"]
    named = {d["name"] for d in devices if d["name"]}
    assert len(named) > 40
    out = tmp_path / "pulled"
    proc = demo.govnet("netbox", "pull", "--out", str(out), config=demo.config(tmp_path))
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 2, proc.stderr          # the demo's sites have no province, commune, region...
    hosts = yaml.safe_load((out / "hosts.yaml").read_text(encoding="utf-8"))
    assert set(hosts) == named
    assert "[INV-" in proc.stdout
    # unnamed devices and repeated names cannot be hosts: each is named, none dropped silently
    dropped = [d for d in devices if not d["name"]]
    assert proc.stdout.count("[NBX-005]") == len(devices) - len(hosts) and len(dropped) <= len(devices) - len(hosts)
    sites = yaml.safe_load((out / "sites.yaml").read_text(encoding="utf-8"))
    assert len(sites) == demo.count("dcim/sites")


def test_plugin_on_foreign_data_is_a_coded_error(demo, monkeypatch):
    from nornir_tasks.errors import NetBoxError
    from nornir_tasks.netbox.plugin import GovnetNetBoxInventory

    monkeypatch.setenv("NETBOX_TOKEN", demo.token)
    for validate in (True, False):
        with pytest.raises(NetBoxError) as err:
            GovnetNetBoxInventory(url=demo.url, validate=validate).load()
        assert err.value.code == "NBX-005" and demo.url in err.value.sentence()
        assert "has no name" in err.value.sentence()


def test_push_leaves_foreign_objects_alone(demo, tmp_path):
    cfg = demo.config(tmp_path)
    assert demo.govnet("netbox", "init", "--commit", config=cfg).returncode == 0
    before = demo.count("dcim/devices")
    proc = demo.govnet("netbox", "push", "--prune", "--format", "json", config=cfg)
    import json

    report = json.loads(proc.stdout)
    assert not [c for c in report["changes"] if c["action"] in ("delete", "mark_orphan", "orphan", "update")]
    assert demo.count("dcim/devices") == before
