"""Compliance against the lab's real FRR routers, through the real commands (session fixture ``lab``).

``govnet backup --lab`` collects the running configs over SSH, ``govnet compliance --lab`` compares each router
with its FRR rendering and the config baseline; both run as subprocesses with JSON output. The flow:

1. a freshly reset lab is 100% compliant (``--only config``);
2. drift seeded with ``lab.drift(names)`` (different kinds on several routers) is found exactly: the right
   routers, the right features, the missing/extra lines that were seeded — nothing else; exit 1;
3. the remediation files the run wrote, pushed by hand with napalm_frr (load_merge + commit over SSH), bring
   compliance back to 100%; the rollback files bring the drift back;
4. a router whose FRR is killed (``govnet lab fault --kill``) is "unreachable", never "non_compliant", keeps its
   last backup, and the run exits 1;
5. the test credentials appear in no backup, report, build output, stored snapshot or captured output.

The tests share one private project (state, build and reports folders of their own) and run in file order;
every router a test changes is put back with ``lab.reset`` in a finalizer.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import napalm
import pytest
import yaml

from nornir_tasks.compliance.remediation import paths_for
from nornir_tasks.inventory.load import load_inventory
from nornir_tasks.lab.configs import Drift

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]

#: Leaf CE routers (no gateway, no provider edge): drifting them disturbs no other router's routing for long.
#: In this order lab.drift hands out ospf_cost, logging, static_route, description, forwarding.
DRIFTED = ["lcu-tu-ce01", "lcu-stc-ce01", "lcu-snv-ce01", "lcu-mttq-ce01", "lcu-doan-ket-ce01"]
#: Which feature of the FRR feature table each drift kind lands in.
FEATURE_OF = {"ospf_cost": "interfaces", "description": "interfaces", "logging": "logging",
              "static_route": "static", "forwarding": "forwarding", "vty_acl": "vty"}
VICTIM = "lcu-sin-ho-ce01"        # the router made unreachable
INV = load_inventory(ROOT / "inventory").inventory
#: Routers of sites not in service (planned, ordered, decommissioned) run in the lab but are "not_applicable".
IDLE = {n for n, d in INV.devices.items() if INV.sites[d.site].status.value in ("planned", "ordered", "decommissioned")}


class Project:
    """A config.yaml like the lab's with private state/build/reports folders, and every captured output."""

    def __init__(self, lab: Any, folder: Path) -> None:
        data = yaml.safe_load(lab.config.read_text(encoding="utf-8"))
        govnet = data["user_defined"]["govnet"]
        for key in ("state_dir", "build_dir", "reports_dir"):
            govnet[key] = str(folder / key.removesuffix("_dir"))
        govnet["connect_timeout"] = 10
        self.folder = folder
        self.config = folder / "config.yaml"
        self.config.write_text(yaml.safe_dump(data), encoding="utf-8")
        # every run here is a --lab rehearsal: its state, remediation and reports live apart (nornir_tasks.paths)
        self.state = folder / "state" / "lab"
        self.build = folder / "build" / "lab"
        self.reports = folder / "reports" / "lab"
        self.outputs: list[str] = []

    def govnet(self, *args: str, lab: bool = True, debug: bool = True) -> subprocess.CompletedProcess[str]:
        """Run govnet (with ``--debug`` unless told: the secrets test reads every captured output)."""
        proc = subprocess.run([sys.executable, "-m", "nornir_tasks.cli", *(["--debug"] if debug else []), *args,
                               "--config",
                               str(self.config), *(["--lab"] if lab else [])], cwd=ROOT, env=dict(os.environ), capture_output=True,
                              text=True, timeout=600, check=False)
        self.outputs += [proc.stdout, proc.stderr]
        if not debug:
            assert "Traceback" not in proc.stderr, proc.stderr
        return proc

    def backup(self, *args: str, debug: bool = True) -> dict[str, Any]:
        proc = self.govnet("backup", *args, "--format", "json", debug=debug)
        doc = json.loads(proc.stdout)
        doc["returncode"] = proc.returncode
        return doc

    def compliance(self, *args: str, debug: bool = True) -> tuple[int, dict[str, Any]]:
        proc = self.govnet("compliance", *args, "--format", "json", debug=debug)
        assert proc.stdout.strip(), proc.stderr
        return proc.returncode, json.loads(proc.stdout)

    def saved(self, name: str) -> str:
        return (self.state / "backups" / f"{name}.cfg").read_text(encoding="utf-8")


def _devices(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {d["name"]: d for d in doc["run"]["devices"]}


def _differing(device: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["name"]: f for f in device["features"] if not f["compliant"]}


def _expected(drifts: list[Drift]) -> dict[str, tuple[set[str], set[str]]]:
    """feature → (missing lines, extra lines) as the compliance report prints them (section, then its child
    indented by two spaces)."""
    out: dict[str, tuple[set[str], set[str]]] = {}
    for d in drifts:
        missing, extra = out.setdefault(FEATURE_OF[d.kind], (set(), set()))
        for line, into in ((d.intended, missing), (d.running, extra)):
            if line is None:
                continue
            if d.section is None:
                into.add(line.strip())
            else:
                into.update({d.section, "  " + line.strip()})
    return out


def _reset(lab: Any, names: list[str]) -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lab.reset, names))


def _push(lab: Any, name: str, config: str, known_hosts: Path) -> None:
    """A real push over SSH: napalm_frr load_merge_candidate + commit_config (saved with write memory)."""
    r = lab.router(name)
    drv = napalm.get_network_driver("frr")(r.address, lab.username, lab.password, timeout=30, optional_args={
        "port": r.port, "alt_host_keys": True, "alt_key_file": str(known_hosts), "conn_timeout": 20})
    drv.open()
    try:
        drv.load_merge_candidate(config=config)
        assert drv.compare_config(), f"{name}: the pushed config changes nothing"
        drv.commit_config()
    finally:
        drv.close()


@pytest.fixture(scope="module")
def project(lab: Any, tmp_path_factory: pytest.TempPathFactory) -> Project:
    return Project(lab, tmp_path_factory.mktemp("compliance-lab"))


@pytest.fixture(scope="module")
def drifted(lab: Any, project: Project) -> Any:
    """Seed drift on :data:`DRIFTED`, back up and check; yields (drifts, exit code, report). Resets them after."""
    try:
        drifts = lab.drift(DRIFTED)
        backup = project.backup()
        assert backup["returncode"] == 0, backup
        code, doc = project.compliance("--only", "config")
        yield drifts, code, doc
    finally:
        _reset(lab, DRIFTED)


# ---------------------------------------------------------------------------------------------------------
def test_freshly_reset_lab_is_compliant(lab: Any, project: Project) -> None:
    _reset(lab, lab.hosts)
    backup = project.backup()
    n = len(lab.hosts)
    assert backup["returncode"] == 0 and backup["summary"].startswith(f"backup: {n} ok, 0 unreachable"), backup
    code, doc = project.compliance("--only", "config")
    devices = _devices(doc)
    assert set(devices) == set(lab.hosts)
    assert IDLE and not IDLE & set(DRIFTED + [VICTIM])
    wrong = {name: (d["state"], d["reason"], _differing(d)) for name, d in devices.items()
             if d["state"] != ("not_applicable" if name in IDLE else "compliant")}
    assert not wrong
    assert all(d["features"] and d["source"] == "backup" for n, d in devices.items() if n not in IDLE)
    assert code == 0
    assert not list((project.build / "remediation").glob("*.cfg"))


def test_seeded_drift_is_found_exactly(lab: Any, project: Project, drifted: Any) -> None:
    drifts, code, doc = drifted
    assert set(drifts) == set(DRIFTED) and all(len(ds) == 1 for ds in drifts.values())
    kinds = {d.kind for ds in drifts.values() for d in ds}
    assert len(kinds) >= 4, kinds                          # several kinds of drift, not one repeated
    devices = _devices(doc)
    flagged = {name for name, d in devices.items() if d["state"] not in ("compliant", "not_applicable")}
    assert flagged == set(DRIFTED)                         # the right devices, and no other
    for name in DRIFTED:
        dev = devices[name]
        assert dev["state"] == "non_compliant", (name, dev["reason"])
        got = {f: (set(r["missing"]), set(r["extra"])) for f, r in _differing(dev).items()}
        assert got == _expected(drifts[name]), (name, drifts[name])
        rem, back = paths_for(project.build, name)
        assert rem.is_file() and back.is_file() and rem.read_text().strip()
    assert code == 1
    assert sorted(p.stem for p in (project.build / "remediation").glob("*.cfg")) == sorted(DRIFTED)


def test_remediation_pushed_by_hand_brings_compliance_to_100(lab: Any, project: Project, drifted: Any,
                                                              tmp_path: Path) -> None:
    try:
        _remediate_and_roll_back(lab, project, drifted[0], tmp_path / "known_hosts")
    finally:
        _reset(lab, DRIFTED)          # now, not at the end of the module: later tests see a clean lab


def _remediate_and_roll_back(lab: Any, project: Project, drifts: dict[str, list[Drift]], known: Path) -> None:
    rollbacks = {n: paths_for(project.build, n)[1].read_text(encoding="utf-8") for n in DRIFTED}
    for name in DRIFTED:
        _push(lab, name, paths_for(project.build, name)[0].read_text(encoding="utf-8"), known)
    backup = project.backup()
    assert backup["returncode"] == 0, backup
    code, doc = project.compliance("--only", "config")
    devices = _devices(doc)
    assert {n: d["state"] for n, d in devices.items() if d["state"] not in ("compliant", "not_applicable")} == {}
    assert code == 0
    assert not list((project.build / "remediation").glob("*.cfg"))     # nothing left to push

    # the rollback files bring exactly the seeded drift back
    for name in DRIFTED:
        _push(lab, name, rollbacks[name], known)
    assert project.backup()["returncode"] == 0
    code, doc = project.compliance("--only", "config")
    devices = _devices(doc)
    assert {n for n, d in devices.items() if d["state"] not in ("compliant", "not_applicable")} == set(DRIFTED)
    for name in DRIFTED:
        got = {f: (set(r["missing"]), set(r["extra"])) for f, r in _differing(devices[name]).items()}
        assert got == _expected(drifts[name]), name
    assert code == 1


def test_unreachable_router_is_unreachable_not_non_compliant(lab: Any, project: Project) -> None:
    first = project.backup("-f", VICTIM)
    assert first["returncode"] == 0, first
    saved = project.saved(VICTIM)
    try:
        killed = project.govnet("lab", "fault", "--kill", VICTIM, lab=False)
        assert killed.returncode == 0, killed.stdout + killed.stderr
        backup = project.backup(debug=False)            # a sentence per host, no traceback
        assert backup["returncode"] == 1
        rows = {h["host"]: h for h in backup["hosts"]}
        assert rows[VICTIM]["status"] == "unreachable" and rows[VICTIM]["error"], rows[VICTIM]
        assert {h for h, row in rows.items() if row["status"] != "ok"} == {VICTIM}
        assert project.saved(VICTIM) == saved                               # the last backup is kept
        for only in ("config", "all"):
            code, doc = project.compliance("--only", only, debug=False)
            dev = _devices(doc)[VICTIM]
            assert dev["state"] == "unreachable", (only, dev["state"], dev["reason"])
            assert not dev["features"] and dev["collected_at"]           # judged on nothing; last backup known
            assert code == 1
            if only == "config":
                others = {n: d["state"] for n, d in _devices(doc).items()
                          if n != VICTIM and d["state"] not in ("compliant", "not_applicable")}
                assert not others
        assert not paths_for(project.build, VICTIM)[0].exists()            # no remediation for a guess
    finally:
        lab.reset(VICTIM)
        lab.lab.wait_converged(timeout=120)
    assert project.backup("-f", VICTIM)["returncode"] == 0                   # and it comes back


def test_secrets_never_appear_anywhere(lab: Any, project: Project, tmp_path: Path) -> None:
    """The login password, also put into a router's running config, appears in no file govnet wrote and in no
    output captured from any command of this module (all run with --debug)."""
    name = DRIFTED[0]
    secret = lab.password
    try:
        lab.vtysh(name, "configure terminal", f"password {secret}", f"enable password {secret}")
        assert secret in lab.vtysh(name, "show running-config")             # really on the router
        assert project.backup()["returncode"] == 0
        for only in ("config", "all"):
            code, doc = project.compliance("--only", only)
            dev = _devices(doc)[name]
            assert code == 1 and dev["state"] == "non_compliant"
            extra = {f: sorted(line.split(" <")[0] for line in r["extra"]) for f, r in _differing(dev).items()}
            assert extra == {"management": ["enable password", "password"]}, extra
        project.govnet("compliance", "--format", "table")
        project.govnet("backup", "--diff")
        assert "<secret:removed>" in project.saved(name)
        remediation = paths_for(project.build, name)[0].read_text(encoding="utf-8")
        assert remediation.split() == ["no", "password", "no", "enable", "password"]
        _push(lab, name, remediation, tmp_path / "known_hosts")              # FRR takes the bare negation
        assert secret not in lab.vtysh(name, "show running-config")
        assert project.backup("-f", name)["returncode"] == 0
        code, doc = project.compliance("--only", "config", "-f", name)
        assert code == 0 and _devices(doc)[name]["state"] == "compliant"
    finally:
        lab.reset(name)
    assert project.outputs and not [o for o in project.outputs if secret in o]
    files = [p for p in project.folder.rglob("*") if p.is_file()]
    assert any(p.parent.name == "compliance" for p in files) and any(p.suffix == ".cfg" for p in files)
    leaked = [str(p) for p in files if secret.encode() in p.read_bytes()]
    assert not leaked
    history = subprocess.run(["git", "-C", str(project.state / "backups"), "log", "-p", "--all"],
                             capture_output=True, text=True, check=True).stdout
    assert history and secret not in history
