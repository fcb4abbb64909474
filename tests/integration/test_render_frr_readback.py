"""A rendered FRR config pushed to a real FRR 8.4 reads back identical (``show running-config``).

For each config the test creates its own network namespace (``govnet-f2-<pid>-<n>``) with one veth per
interface the config names, starts zebra, staticd, ospfd and bgpd for it as a named FRR instance (``-N``) in
a UTS namespace carrying the device's host name (vtysh and the daemons take the host name from ``uname()``),
loads the config with ``vtysh -N <instance> -f``, reads ``show running-config`` back and compares.

Stripped from the read-back, and only these: ``Building configuration...``, ``Current configuration:``,
``frr version ...``, ``frr defaults ...``, ``!`` comment lines (any indentation), ``end`` and blank lines.
Every process and namespace the test starts is stopped and removed, by PID and by name.
"""

from __future__ import annotations

import difflib
import itertools
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
import yaml

from nornir_tasks.inventory.load import load_or_raise
from nornir_tasks.model import Platform
from nornir_tasks.render.engine import Renderer

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
FIXTURES = ROOT / "tests" / "fixtures" / "render" / "frr"
FRR_LIB = Path("/usr/lib/frr")
DAEMONS = ("zebra", "staticd", "ospfd", "bgpd")
_SERIAL = itertools.count()
READBACK_NOISE = ("Building configuration", "Current configuration", "frr version", "frr defaults")

if not (FRR_LIB / "zebra").exists() or shutil.which("vtysh") is None or os.geteuid() != 0:
    # Like the lab tests: a missing FRR is a failure (CI installs it), unless skipping was asked for explicitly.
    if os.environ.get("GOVNET_SKIP_LAB") == "1":
        pytest.skip("GOVNET_SKIP_LAB=1: FRR read-back tests skipped", allow_module_level=True)
    raise RuntimeError("the FRR read-back tests need FRR (apt-get install frr frr-pythontools) and root; "
                       "set GOVNET_SKIP_LAB=1 to skip them")


def strip_readback(text: str) -> str:
    keep = [ln for ln in text.splitlines()
            if ln.strip() not in ("", "!", "end") and not ln.startswith(READBACK_NOISE)]
    return "\n".join(keep) + "\n"


class FrrInstance:
    """One throwaway FRR router: a network namespace and FRR daemons of a named instance, all ours."""

    def __init__(self, name: str, hostname: str, ifnames: list[str]) -> None:
        self.name, self.hostname, self.ifnames = name, hostname, ifnames
        self.run_dir = Path("/run/frr") / name
        self.etc_dir = Path("/etc/frr") / name
        self.pids: list[int] = []
        self.netns = False

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(list(args), check=check, capture_output=True, text=True, timeout=60)

    def start(self) -> None:
        for d in (self.run_dir, self.etc_dir):
            d.mkdir(parents=True)
            shutil.chown(d, "frr", "frr")
        (self.etc_dir / "vtysh.conf").write_text("")
        self._run("ip", "netns", "add", self.name)
        self.netns = True
        for i, ifname in enumerate(self.ifnames):
            self._run("ip", "-n", self.name, "link", "add", ifname, "type", "veth", "peer", "name", f"peer{i}")
            self._run("ip", "-n", self.name, "link", "set", ifname, "up")
        self._run("ip", "netns", "exec", self.name, "sysctl", "-qw", "net.ipv4.ip_forward=1",
                  "net.ipv6.conf.all.forwarding=1", "net.ipv4.igmp_max_memberships=512")
        for daemon in DAEMONS:
            self._run("unshare", "--uts", "sh", "-c", 'hostname "$0" && exec "$@"', self.hostname,
                      "ip", "netns", "exec", self.name, str(FRR_LIB / daemon), "-d", "-N", self.name, "-P", "0",
                      "-F", "traditional", "-u", "frr", "-g", "frr", "--log", f"file:{self.run_dir}/{daemon}.log")
            self.pids.append(int((self.run_dir / f"{daemon}.pid").read_text().strip()))

    def vtysh(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self._run("unshare", "--uts", "sh", "-c", 'hostname "$0" && exec vtysh -N "$@"', self.hostname,
                         self.name, *args, check=False)

    def stop(self) -> None:
        for pid in reversed(self.pids):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 10
        for pid in self.pids:
            while time.monotonic() < deadline:
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.05)
            else:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        if self.netns:
            self._run("ip", "netns", "del", self.name, check=False)
        shutil.rmtree(self.run_dir, ignore_errors=True)
        shutil.rmtree(self.etc_dir, ignore_errors=True)


def _configs() -> list[tuple[str, str, str]]:
    """(id, host, config text): every golden FRR case, every native FRR sample device, and the lab stand-in of
    one sample device per (platform, role)."""
    renderer = Renderer(TEMPLATES)
    out: list[tuple[str, str, str]] = []
    for case in sorted(p for p in FIXTURES.iterdir() if (p / "expected.cfg").is_file()):
        host = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))["host"]
        out.append((f"golden-{case.name}", host, (case / "expected.cfg").read_text(encoding="utf-8")))
    inv = load_or_raise(ROOT / "inventory").inventory
    seen: set[tuple[str, str]] = set()
    for name, dev in sorted(inv.devices.items()):
        if dev.platform is Platform.FRR:
            out.append((f"sample-{name}", name, renderer.render(inv, name)))
        key = (dev.platform.value, dev.role.value)
        if key not in seen:
            seen.add(key)
            out.append((f"lab-{name}", name, renderer.render(inv, name, platform="frr", lab=True)))
    return out


CONFIGS = _configs()


@pytest.mark.parametrize(("host", "text"), [(h, t) for _, h, t in CONFIGS], ids=[i for i, _, _ in CONFIGS])
def test_frr_reads_back_identical(host: str, text: str, tmp_path: Path) -> None:
    ifnames = sorted({ln.split()[1] for ln in text.splitlines() if ln.startswith("interface ")})
    # only interfaces of Linux length get a veth; FRR keeps config for the rest as it would for a missing port
    ifnames = [n for n in ifnames if len(n) <= 15 and n != "lo"]     # every namespace has its own lo
    inst = FrrInstance(f"govnet-f2-{os.getpid()}-{next(_SERIAL)}", host, ifnames)
    try:
        inst.start()
        cfg = tmp_path / "frr.conf"
        cfg.write_text(text, encoding="utf-8")
        load = inst.vtysh("-f", str(cfg))
        assert load.returncode == 0 and "%" not in load.stdout + load.stderr, load.stdout + load.stderr
        back = inst.vtysh("-c", "show running-config")
        assert back.returncode == 0, back.stderr
        got = strip_readback(back.stdout)
        if got != text:
            diff = "".join(difflib.unified_diff(text.splitlines(True), got.splitlines(True), "rendered", "FRR"))
            pytest.fail(f"{host}: FRR reads the config back differently:\n{diff}")
    finally:
        inst.stop()
