"""The validated-model cache and incremental rendering: a re-run does only what an edit made necessary."""

from __future__ import annotations

import stat
from datetime import date
from pathlib import Path

import pytest

from nornir_tasks.errors import InventoryError
from nornir_tasks.inventory import cache as cache_mod
from nornir_tasks.inventory.cache import load_cached
from nornir_tasks.render.batch import RenderStatus, render_many
from nornir_tasks.render.incremental import manifest_path
from tests.conftest import ROOT, edit_yaml

TODAY = date(2026, 11, 25)


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def test_cache_serves_the_same_model_and_is_private(inv_copy: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "state" / "cache"
    first = load_cached(inv_copy, cache, today=TODAY)
    files = list(cache.glob("inventory-*.pickle"))
    assert len(files) == 1 and _mode(files[0]) == 0o600 and _mode(cache) == 0o700
    calls: list[Path] = []
    monkeypatch.setattr(cache_mod, "load_or_raise", lambda folder, today=None: calls.append(folder))
    again = load_cached(inv_copy, cache, today=TODAY)
    assert calls == [] and again.inventory == first.inventory and again.findings == first.findings
    assert again.digests is not None and len(again.digests) > len(first.inventory.devices)


def test_an_edit_or_another_day_is_a_new_load(inv_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load_cached(inv_copy, cache, today=TODAY)
    key = cache_mod.inventory_key(inv_copy, TODAY)
    assert cache_mod.inventory_key(inv_copy, date(2026, 11, 26)) != key
    edit_yaml(inv_copy / "sites.yaml", lambda d: d["12-sin-ho"].update(name="Xã Sìn Hồ (mới)"))
    assert cache_mod.inventory_key(inv_copy, TODAY) != key
    got = load_cached(inv_copy, cache, today=TODAY)
    assert got.inventory.sites["12-sin-ho"].name == "Xã Sìn Hồ (mới)"
    assert len(list(cache.glob("inventory-*.pickle"))) == 1     # the old entry was replaced


def test_an_inventory_with_errors_is_never_cached(inv_copy: Path, tmp_path: Path) -> None:
    edit_yaml(inv_copy / "hosts.yaml", lambda d: d["lcu-sin-ho-ce01"]["data"].update(site="12-atlantis"))
    for _ in range(2):
        with pytest.raises(InventoryError):
            load_cached(inv_copy, tmp_path / "cache", today=TODAY)
    assert not list((tmp_path / "cache").glob("*.pickle"))


def test_render_redoes_only_the_hosts_an_edit_touches(inv_copy: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from nornir_tasks.render import batch

    out, cache = tmp_path / "out", tmp_path / "cache"
    manifest = manifest_path(cache, out)
    rendered: list[str] = []
    one = batch._Job.one
    monkeypatch.setattr(batch._Job, "one", lambda self, host: rendered.append(host) or one(self, host))

    def run() -> dict[str, RenderStatus]:
        rendered.clear()
        result = load_cached(inv_copy, tmp_path / "state", today=TODAY)
        names = sorted(result.inventory.devices)
        got = render_many(result.inventory, names, ROOT / "templates", out, workers=1, manifest=manifest,
                          digests=result.digests)
        return {o.host: o.status for o in got}

    first = run()
    assert set(first.values()) == {RenderStatus.CHANGED} and len(rendered) == len(first)
    assert set(run().values()) == {RenderStatus.UNCHANGED} and rendered == []
    # one device's interface description changes: that device (and the far ends of its circuits and links,
    # whose context holds it) is rendered again; nothing else is
    edit_yaml(inv_copy / "hosts.yaml",
              lambda d: d["lcu-sin-ho-ce01"]["data"]["interfaces"][1].update(description="LAN mới"))
    third = run()
    assert "lcu-sin-ho-ce01" in rendered and len(rendered) <= 3, rendered
    assert {h for h, s in third.items() if s is RenderStatus.CHANGED} == {"lcu-sin-ho-ce01"}
    # a file edited by hand is rendered again (and put back)
    victim = out / "lcu-gw01.cfg"
    text = victim.read_text(encoding="utf-8")
    victim.write_text(text + "! edited by hand\n", encoding="utf-8")
    assert run()["lcu-gw01"] is RenderStatus.CHANGED and rendered == ["lcu-gw01"]
    assert victim.read_text(encoding="utf-8") == text


def test_a_template_change_renders_everything_again(inv_copy: Path, tmp_path: Path) -> None:
    import shutil

    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    out, manifest = tmp_path / "out", tmp_path / "render.json"
    result = load_cached(inv_copy, None, today=TODAY)
    names = sorted(n for n, d in result.inventory.devices.items() if d.platform.value == "frr")
    render_many(result.inventory, names, templates, out, workers=1, manifest=manifest)
    snippet = templates / "frr" / "features" / "hostname.j2"
    snippet.write_text(snippet.read_text(encoding="utf-8") + "! managed by govnet\n", encoding="utf-8")
    again = render_many(result.inventory, names, templates, out, workers=1, manifest=manifest)
    assert {o.status for o in again} == {RenderStatus.CHANGED}


def test_plain_initnornir_plugin_uses_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from nornir_tasks.inventory.plugin import GovnetInventory

    first = GovnetInventory(inventory_dir=str(ROOT / "inventory"), cache_dir=str(tmp_path / "c")).load()
    monkeypatch.setattr(cache_mod, "load_or_raise", lambda *a, **k: pytest.fail("loaded the files again"))
    again = GovnetInventory(inventory_dir=str(ROOT / "inventory"), cache_dir=str(tmp_path / "c")).load()
    assert sorted(again.hosts) == sorted(first.hosts)
    assert again.hosts["lcu-gw01"]["site"] == first.hosts["lcu-gw01"]["site"]
