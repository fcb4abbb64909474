"""Golden render tests, discovered from fixture folders: ``tests/fixtures/render/<platform>/<case>/``.

A case is three things and no code: ``inventory/`` (a slice of an inventory, cut by ``scripts/render_case.py``),
``case.yaml`` (``host:``; optional ``platform:`` to render with another platform's templates and ``lab: true``
for a lab stand-in) and ``expected.cfg``. Every platform folder is picked up, whoever wrote its templates.

After a reviewed template change: ``GOVNET_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/unit/test_render_golden.py``.
"""

from __future__ import annotations

import difflib
import functools
import os
from pathlib import Path

import pytest
import yaml

from nornir_tasks.inventory.load import load_or_raise
from nornir_tasks.model import Inventory, Platform
from nornir_tasks.render.engine import Renderer

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
FIXTURES = ROOT / "tests" / "fixtures" / "render"
PLATFORMS = {p.value for p in Platform}


def _cases() -> list[Path]:
    return sorted(case for plat in FIXTURES.iterdir() if plat.is_dir() and plat.name in PLATFORMS
                  for case in plat.iterdir() if (case / "case.yaml").is_file())


CASES = _cases()


@functools.cache
def _load(case: Path) -> tuple[dict, Inventory]:
    meta = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
    return meta, load_or_raise(case / "inventory").inventory


def _render(case: Path, renderer: Renderer) -> str:
    meta, inv = _load(case)
    platform = meta.get("platform")
    if platform is None and inv.devices[meta["host"]].platform.value != case.parent.name:
        pytest.fail(f"{case}: host {meta['host']} is not a {case.parent.name} device; set platform: in case.yaml")
    return renderer.render(inv, meta["host"], platform=platform, lab=bool(meta.get("lab", False)))


def test_every_templated_platform_has_golden_cases() -> None:
    templated = {p.name for p in TEMPLATES.iterdir() if p.is_dir() and p.name in PLATFORMS}
    covered = {c.parent.name for c in CASES}
    assert templated <= covered, f"platforms with templates but no golden case: {sorted(templated - covered)}"


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.name}" for c in CASES])
def test_golden(case: Path) -> None:
    text = _render(case, Renderer(TEMPLATES))
    expected_file = case / "expected.cfg"
    if os.environ.get("GOVNET_UPDATE_GOLDEN") == "1":
        # Rewriting the expected file and comparing it with itself proves nothing: never in CI.
        if os.environ.get("CI"):
            pytest.fail("GOVNET_UPDATE_GOLDEN=1 is refused when CI is set: update goldens locally and review them")
        expected_file.write_text(text, encoding="utf-8")
        pytest.skip(f"{case.relative_to(ROOT)}: expected.cfg rewritten; review the diff and run again without "
                    "GOVNET_UPDATE_GOLDEN")
    expected = expected_file.read_text(encoding="utf-8")
    if text != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), text.splitlines(True),
                                            "expected.cfg", "rendered", n=2))
        pytest.fail(f"{case.relative_to(ROOT)}: rendered config differs from expected.cfg:\n{diff}")


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.name}" for c in CASES])
def test_golden_is_deterministic_and_cache_transparent(case: Path) -> None:
    first = _render(case, Renderer(TEMPLATES))
    again = _render(case, Renderer(TEMPLATES))
    uncached = _render(case, Renderer(TEMPLATES, cache=False))
    assert first.encode() == again.encode() == uncached.encode()
    assert first.endswith("\n") and "\n\n" not in first, "no blank lines, one trailing newline"
