"""The thin Nornir render task: a typed payload per host, a failed host fails alone (``raise_on_error=False``)."""

from __future__ import annotations

import shutil
from pathlib import Path

from nornir.core import Nornir
from nornir.plugins.runners import ThreadedRunner

from nornir_tasks.errors import RenderError
from nornir_tasks.inventory.load import load_or_raise
from nornir_tasks.inventory.plugin import build_nornir_inventory
from nornir_tasks.model import Platform
from nornir_tasks.render.context import ContextIndex
from nornir_tasks.render.engine import Renderer
from nornir_tasks.tasks.render import RenderPayload, render_config

ROOT = Path(__file__).resolve().parents[2]


def _nornir(names: set[str]) -> tuple[Nornir, object]:
    result = load_or_raise(ROOT / "inventory")
    inv = build_nornir_inventory(result, username="u", password="p", only=names)
    return Nornir(inventory=inv, runner=ThreadedRunner(num_workers=4)), result.inventory


def test_render_task_payload_and_files(tmp_path: Path) -> None:
    names = {"lcu-dao-san-ce01", "lcu-gw01", "lcu-tu-fw01"}
    nr, inv = _nornir(names)
    renderer = Renderer(ROOT / "templates")
    res = nr.run(task=render_config, renderer=renderer, inventory=inv, index=ContextIndex(inv), out_dir=tmp_path,
                 raise_on_error=False)
    assert set(res) == names and not res.failed
    for name in names:
        payload = res[name][0].result
        assert isinstance(payload, RenderPayload) and payload.host == name and payload.written
        assert res[name][0].changed
        assert payload.text == renderer.render(inv, name)
        assert (tmp_path / f"{name}.cfg").read_text(encoding="utf-8") == payload.text
    again = nr.run(task=render_config, renderer=renderer, inventory=inv, out_dir=tmp_path, raise_on_error=False)
    assert not any(r[0].changed for r in again.values())


def test_render_task_lab_renders_frr(tmp_path: Path) -> None:
    nr, inv = _nornir({"lcu-gw01"})
    res = nr.run(task=render_config, renderer=Renderer(ROOT / "templates"), inventory=inv, lab=True)
    payload = res["lcu-gw01"][0].result
    assert payload.platform is Platform.FRR and payload.path is None and "interface e0\n" in payload.text


def test_render_task_failure_is_that_host_only(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    (templates / "frr" / "features" / "ospf.j2").write_text("{{ ospf.no_such }}\n", encoding="utf-8")
    nr, inv = _nornir({"lcu-dao-san-ce01", "lcu-skhcn-ce01", "lcu-gw01"})
    res = nr.run(task=render_config, renderer=Renderer(templates), inventory=inv, raise_on_error=False)
    # lcu-skhcn-ce01 (BGP) has ospf=None: also undefined; lcu-gw01 (cisco_ios) is untouched
    assert set(res.failed_hosts) == {"lcu-dao-san-ce01", "lcu-skhcn-ce01"}
    exc = res["lcu-dao-san-ce01"][0].exception
    assert isinstance(exc, RenderError) and exc.code == "RND-003" and "frr/features/ospf.j2:1" in str(exc)
    assert not res["lcu-gw01"].failed
