"""Real FRR: a router started from a drifted config is found non-compliant on exactly the seeded drifts; the
remediation govnet writes, pushed with vtysh, brings it to compliant; the rollback brings the drift back.

Uses tests/fixtures/compliance/frr/capture.sh (a throwaway FRR instance in its own namespace; everything it
creates is removed). Needs root and FRR, as CI has."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from nornir_tasks.compliance.check import compare_text

pytestmark = pytest.mark.integration

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "compliance" / "frr"
CAPTURE = FIX / "capture.sh"

def _frr_missing() -> str | None:
    if os.geteuid() != 0:
        return "these tests need root (the throwaway FRR instance runs in its own network namespace)"
    if not Path("/usr/lib/frr/frrinit.sh").exists() or shutil.which("vtysh") is None:
        return "FRR is not installed (bash scripts/setup.sh installs it)"
    return None


@pytest.fixture(autouse=True)
def _needs_frr() -> None:
    # A missing real part is a failure, never a silent skip (CI installs FRR), unless skipping was asked for.
    why = _frr_missing()
    if why and os.environ.get("GOVNET_SKIP_LAB") == "1":
        pytest.skip(f"GOVNET_SKIP_LAB=1: {why}")
    if why:
        pytest.fail(f"{why}; set GOVNET_SKIP_LAB=1 to skip the FRR tests")


def capture(config: Path, out: Path, commands: Path | None = None) -> str:
    args = ["bash", str(CAPTURE), str(config), str(out)] + ([str(commands)] if commands else [])
    subprocess.run(args, check=True, timeout=120, capture_output=True)
    return out.read_text()


@pytest.mark.parametrize("case", ["ospf_drift", "bgp_drift"])
def test_remediation_pushed_to_real_frr_converges(case: str, tmp_path: Path):
    intended = (FIX / case / "intended.cfg").read_text()
    expected = yaml.safe_load((FIX / case / "expected.yaml").read_text())["differs"]
    running = capture(FIX / case / "loaded.cfg", tmp_path / "running.cfg")
    comp = compare_text("frr", intended, running)
    assert {f.name for f in comp.features if not f.compliant} == set(expected)
    (tmp_path / "remediation.cfg").write_text(comp.remediation)
    after = capture(FIX / case / "loaded.cfg", tmp_path / "after.cfg", tmp_path / "remediation.cfg")
    assert compare_text("frr", intended, after).compliant, after
    (tmp_path / "rollback.cfg").write_text(comp.rollback)
    back = capture(tmp_path / "after.cfg", tmp_path / "back.cfg", tmp_path / "rollback.cfg")
    assert {f.name for f in compare_text("frr", intended, back).features if not f.compliant} == set(expected)
