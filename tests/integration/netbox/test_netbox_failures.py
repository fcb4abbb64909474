"""Failure behaviour against the real NetBox: a missing or wrong token, an unreachable NetBox, an object NetBox
refuses (named with its field; the rest still goes in), and a push killed half-way (re-run completes it, no
duplicates)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from nornir_tasks.inventory.load import load_or_raise

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def ready(netbox, tmp_path_factory):
    cfg = netbox.config(tmp_path_factory.mktemp("init"))
    proc = netbox.govnet("netbox", "init", "--commit", config=cfg)
    assert proc.returncode == 0, proc.stderr
    return netbox


def _one_sentence(stderr: str) -> str:
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def test_missing_token_is_one_sentence_exit_2(ready, tmp_path):
    proc = ready.govnet("netbox", "push", config=ready.config(tmp_path), token=None)
    assert proc.returncode == 2
    line = _one_sentence(proc.stderr)
    assert line.startswith("[NBX-001]") and "NETBOX_TOKEN" in line


def test_wrong_token_is_one_sentence_exit_2(ready, tmp_path):
    proc = ready.govnet("netbox", "pull", "--out", str(tmp_path / "o"), config=ready.config(tmp_path),
                        token="nbt_AAAAAAAAAAAA." + "B" * 40)
    assert proc.returncode == 2
    line = _one_sentence(proc.stderr)
    assert line.startswith("[NBX-001]") and ready.url in line
    assert "B" * 40 not in proc.stderr + proc.stdout


def test_unreachable_names_the_url(ready, tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]   # free once closed: nothing listens there
    url = f"http://127.0.0.1:{port}"
    proc = ready.govnet("netbox", "push", config=ready.config(tmp_path, url=url))
    assert proc.returncode == 2
    line = _one_sentence(proc.stderr)
    assert line.startswith("[NBX-002]") and url in line


def test_refused_object_is_named_and_the_rest_goes_in(ready, tmp_path):
    inv_dir = tmp_path / "inv"
    shutil.copytree(ROOT / "inventory", inv_dir)
    hosts = inv_dir / "hosts.yaml"
    data = yaml.safe_load(hosts.read_text(encoding="utf-8"))
    data["lcu-tu-ce01"]["data"]["serial"] = "S" * 60          # NetBox allows 50 characters
    hosts.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    inv = load_or_raise(inv_dir).inventory
    proc = ready.govnet("netbox", "push", "--commit", "--format", "json", config=ready.config(tmp_path, inventory=inv_dir))
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    failed = {(f["kind"], f["key"]): f for f in report["failures"]}
    dev = failed[("device", "lcu-tu-ce01")]
    assert dev["field"] == "serial" and "50" in dev["message"]
    assert "[NBX-003]" in proc.stderr and "lcu-tu-ce01 field serial" in proc.stderr
    # everything that depends on the refused device is reported too, nothing else failed
    n_itf = len(inv.devices["lcu-tu-ce01"].interfaces)
    assert sum(1 for k in failed if k[0] == "interface") == n_itf
    assert all("lcu-tu-ce01" in f["key"] or "lcu-tu-ce01" in f["message"] for f in failed.values())
    assert ready.count("dcim/devices") == len(inv.devices) - 1


def test_interrupted_push_completes_without_duplicates(ready, tmp_path):
    ready_reset = subprocess.run([str(ROOT / "scripts" / "netbox-dev"), "reset"], capture_output=True, text=True)
    assert ready_reset.returncode == 0, ready_reset.stderr
    cfg = ready.config(tmp_path, batch=1)          # one object per call: slow enough to stop half-way
    assert ready.govnet("netbox", "init", "--commit", config=cfg).returncode == 0
    inv = load_or_raise(ROOT / "inventory").inventory
    env = {k: v for k, v in os.environ.items()}
    env["NETBOX_TOKEN"] = ready.token
    push = subprocess.Popen([sys.executable, "-m", "nornir_tasks.cli", "netbox", "push", "--commit", "--config",
                             str(cfg)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 600
    while ready.count("dcim/devices") < 5 and time.monotonic() < deadline and push.poll() is None:
        time.sleep(0.2)
    push.send_signal(signal.SIGKILL)                # the connection drops mid-push
    push.wait()
    assert ready.count("dcim/cables") < len(inv.links) + 2 * len(inv.circuits), "the push was not interrupted"
    again = ready.govnet("netbox", "push", "--commit", "--format", "json", config=ready.config(tmp_path))
    report = json.loads(again.stdout)
    assert again.returncode == 0 and report["failures"] == []
    assert ready.count("dcim/devices") == len(inv.devices)
    assert ready.count("dcim/interfaces") == sum(len(d.interfaces) for d in inv.devices.values())
    assert ready.count("dcim/cables") == len(inv.links) + 2 * len(inv.circuits)
    names = [d["name"] for d in ready.get("dcim/devices", limit=1000)["results"]]
    assert len(names) == len(set(names))
    third = json.loads(ready.govnet("netbox", "push", "--format", "json", config=ready.config(tmp_path)).stdout)
    assert third["changes"] == []
