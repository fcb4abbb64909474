"""scripts/netbox-dev's safety rules, for real (root): it never deletes a folder while something is mounted
under it, never crosses into another file system, and only claims processes chrooted into its own root."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "netbox-dev"


@pytest.fixture(scope="module")
def dev():
    if os.geteuid() != 0:
        pytest.fail("needs root (mount); set GOVNET_SKIP_NETBOX=1 to skip the NetBox tests")
    if os.environ.get("GOVNET_SKIP_NETBOX") == "1":
        pytest.skip("GOVNET_SKIP_NETBOX=1")
    loader = importlib.machinery.SourceFileLoader("netbox_dev", str(SCRIPT))
    spec = importlib.util.spec_from_loader("netbox_dev", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def test_refuses_to_delete_while_mounted(dev, tmp_path):
    victim = tmp_path / "rootfs"
    inner = victim / "dev"
    inner.mkdir(parents=True)
    (victim / "keep.txt").write_text("x")
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "govnet-test", str(inner)], check=True)
    try:
        (inner / "node").write_text("must survive")
        with pytest.raises(dev.Fail, match="still mounted"):
            dev.safe_rmtree(victim)
        assert (inner / "node").read_text() == "must survive" and (victim / "keep.txt").exists()
    finally:
        subprocess.run(["umount", str(inner)], check=True)
    dev.safe_rmtree(victim)
    assert not victim.exists()


def test_only_claims_processes_in_its_own_chroot(dev):
    assert dev.ours(os.getpid()) is False
    assert dev.ours(1) is False
    assert dev.ours(None) is False
