"""The FRR forms of the secret corpus on a real lab router: ``govnet backup --lab --debug`` and ``govnet
compliance --lab --debug`` keep every one out of the backup, its git history, the reports, remediation,
rollback, the journal and every captured output (session fixture ``lab``).

The forms marked ``lab: true`` in tests/fixtures/secrets/frr/ are the ones the lab's daemons (zebra, ospfd,
bgpd) accept; they are put on the router with vtysh, on its own WAN interface and BGP instance, and FRR's own
``show running-config`` must hold each secret before govnet runs (else the test proves nothing).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from nornir_tasks.inventory.load import load_inventory
from nornir_tasks.render.context import lab_ifname
from tests import secret_corpus

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
INV = load_inventory(ROOT / "inventory").inventory
FORMS = [f for f in secret_corpus.load() if f.platform == "frr" and f.lab]


def _router_with_bgp(lab) -> tuple[str, str]:
    for name in ["lcu-skhcn-ce01", "lcu-sin-ho-ce01", *lab.hosts]:
        m = re.search(r"^router bgp (\d+)", lab.vtysh(name, "show running-config"), re.MULTILINE)
        if m:
            return name, m.group(1)
    raise AssertionError("no lab router runs BGP")


def _commands(form: secret_corpus.Form, itf: str, asn: str) -> list[str]:
    lines = [ln.strip() for ln in form.config.splitlines() if ln.strip()]
    out = ["configure terminal"]
    for ln in lines:
        ln = re.sub(r"^interface \S+", f"interface {itf}", ln)
        ln = re.sub(r"^router bgp \d+", f"router bgp {asn}", ln)
        out.append(ln)
    return out


def test_frr_forms_on_a_real_router_stay_out_of_everything(lab, tmp_path: Path) -> None:
    assert len(FORMS) >= 6
    name, asn = _router_with_bgp(lab)
    dev = INV.devices[name]
    itf = lab_ifname(dev, next(i for i in dev.interfaces if i.kind.value == "wan"))
    data = yaml.safe_load(lab.config.read_text(encoding="utf-8"))
    for key in ("state_dir", "build_dir", "reports_dir"):
        data["user_defined"]["govnet"][key] = str(tmp_path / key.removesuffix("_dir"))
    data["user_defined"]["govnet"]["connect_timeout"] = 10
    config = tmp_path / "config.yaml"
    config.write_text(yaml.safe_dump(data), encoding="utf-8")
    secrets = [s for f in FORMS for s in f.secrets] + [lab.password]
    outputs: list[str] = []

    def govnet(*args: str) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run([sys.executable, "-m", "nornir_tasks.cli", "--debug", *args, "--config", str(config),
                               "--lab"], cwd=ROOT, env=dict(os.environ), capture_output=True, text=True,
                              timeout=600, check=False)
        outputs.extend([proc.stdout, proc.stderr])
        return proc

    try:
        for form in FORMS:
            lab.vtysh(name, *_commands(form, itf, asn))
        running = lab.vtysh(name, "show running-config")
        for s in secrets[:-1]:
            assert s in running, s                   # FRR really holds every form

        for fmt in ("json", "table"):
            proc = govnet("backup", "-f", name, "--format", fmt)
            assert proc.returncode == 0, proc.stderr
        assert govnet("backup", "-f", name, "--diff").returncode == 0
        proc = govnet("compliance", "-f", name, "--format", "json")
        assert proc.returncode in (0, 1), proc.stderr
        (device,) = json.loads(proc.stdout)["run"]["devices"]
        assert device["state"] == "non_compliant"     # the corpus forms are not in the intended config

        files = [p for p in tmp_path.rglob("*") if p.is_file() and ".git" not in p.parts]
        saved = [p for p in files if p.name == f"{name}.cfg" and "backups" in p.parts]
        assert saved and saved[0].read_text().count("<secret:removed>") >= len(secrets) - 1
        assert any("remediation" in p.parts for p in files) and any("rollback" in p.parts for p in files)
        assert {p.suffix for p in files if "reports" in p.parts} >= {".html", ".json", ".md", ".csv"}
        for p in files:
            data_ = p.read_bytes()
            assert not [s for s in secrets if s.encode() in data_], p
        history = subprocess.run(["git", "-C", str(saved[0].parent), "log", "-p", "--all"], capture_output=True,
                                 text=True, check=True).stdout
        assert "<secret:removed>" in history and not [s for s in secrets if s in history]
        for out in outputs:
            assert not [s for s in secrets if s in out]
    finally:
        lab.reset(name)
