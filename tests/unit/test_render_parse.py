"""Rendered configs are accepted by real parsers: FRR's own ``vtysh --dryrun`` (apt package ``frr``) for every
FRR config (native FRR devices and the lab stand-in of every sample device), hier_config ``CISCO_IOS`` for
Cisco IOS. The other vendors' parse tests are in ``test_render_vendor_parse.py``.

Reading an FRR config back from a running FRR (``show running-config`` identical) is the integration test
``tests/integration/test_render_frr_readback.py``.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from hier_config import Platform as HPlatform
from hier_config import get_hconfig

from nornir_tasks.inventory.load import load_or_raise
from nornir_tasks.model import Inventory, Platform
from nornir_tasks.platforms import info
from nornir_tasks.render.engine import Renderer

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
SAMPLE = load_or_raise(ROOT / "inventory").inventory
VTYSH = shutil.which("vtysh") or ("/usr/bin/vtysh" if Path("/usr/bin/vtysh").exists() else None)


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer(TEMPLATES)


def _frr_renders() -> list[tuple[str, bool]]:
    native = [(n, False) for n, d in sorted(SAMPLE.devices.items()) if d.platform is Platform.FRR]
    return native + [(n, True) for n in sorted(SAMPLE.devices)]


@pytest.mark.skipif(VTYSH is None, reason="FRR is not installed (apt-get install frr)")
@pytest.mark.parametrize(("name", "lab"), _frr_renders(),
                         ids=[f"{n}{'-lab' if lab else ''}" for n, lab in _frr_renders()])
def test_frr_config_passes_vtysh_dryrun(renderer: Renderer, name: str, lab: bool, tmp_path: Path) -> None:
    text = renderer.render(SAMPLE, name, platform="frr", lab=lab)
    cfg = tmp_path / f"{name}.conf"
    cfg.write_text(text, encoding="utf-8")
    proc = subprocess.run([VTYSH, "--dryrun", "-f", str(cfg)], check=False, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and "%" not in proc.stdout + proc.stderr, proc.stdout + proc.stderr


@pytest.mark.skipif(VTYSH is None, reason="FRR is not installed (apt-get install frr)")
def test_vtysh_dryrun_does_reject_a_bad_line(tmp_path: Path) -> None:
    cfg = tmp_path / "bad.conf"
    cfg.write_text("interface eth0\n ip adress 10.0.0.1/24\nexit\n", encoding="utf-8")
    proc = subprocess.run([VTYSH, "--dryrun", "-f", str(cfg)], check=False, capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0 and "Unknown command" in proc.stdout + proc.stderr


def _cisco_names() -> list[str]:
    return sorted(n for n, d in SAMPLE.devices.items() if d.platform is Platform.CISCO_IOS)


def _with_platform(inv: Inventory, name: str, platform: Platform) -> Inventory:
    dev = inv.devices[name].model_copy(update={"platform": platform})
    return inv.model_copy(update={"devices": {**inv.devices, name: dev}})


@pytest.mark.parametrize("name", sorted(SAMPLE.devices))
def test_cisco_config_parses_with_hier_config(renderer: Renderer, name: str) -> None:
    # every sample device rendered as Cisco IOS (its own role's template), not only the Cisco ones
    inv = SAMPLE if SAMPLE.devices[name].platform is Platform.CISCO_IOS else \
        _with_platform(SAMPLE, name, Platform.CISCO_IOS)
    text = renderer.render(inv, name)
    tree = get_hconfig(HPlatform[info("cisco_ios").hier_config_os], text)
    lines = [ln for ln in text.splitlines() if ln.strip()]
    # hier_config folds the banner into one node and drops 'exit-address-family' and 'no ip address' (IOS
    # defaults); every other line is a node of its own — nothing else may be lost or merged as a duplicate
    banner = next((i for i, ln in enumerate(lines) if ln.startswith("banner ")), None)
    dropped = sum(ln.strip() in ("exit-address-family", "no ip address") for ln in lines)
    expected = len(lines) - (2 if banner is not None else 0) - dropped
    assert len(list(tree.all_children())) == expected
    assert "transport input ssh" in text and "telnet" not in text
    assert "snmp-server community" not in text
    for c in (c for c in inv.circuits.values() if name in (c.a.device, c.z.device)):
        assert c.id in text, f"circuit {c.id} not named in any description"
