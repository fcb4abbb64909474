"""No value can inject a command; a broken template or value fails that host only, with a sentence.

The injection tests run on every platform that has templates (including the ones other engineers write)
and on the lab stand-in (FRR) of every device.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from nornir_tasks.errors import CATALOG, RenderError
from nornir_tasks.inventory.load import load_inventory, load_or_raise
from nornir_tasks.model import Inventory, Platform
from nornir_tasks.render.batch import RenderSummary, render_many
from nornir_tasks.render.engine import Renderer

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
SAMPLE = ROOT / "inventory"
BAD = "uplink\n no aaa new-model"
TEMPLATED = sorted(p.name for p in TEMPLATES.iterdir() if p.is_dir() and p.name in {x.value for x in Platform})
HOST = "lcu-dao-san-ce01"          # a CE router with WAN, LAN (no link, no circuit) and management ports


@pytest.fixture(scope="module")
def inv() -> Inventory:
    return load_or_raise(SAMPLE).inventory


def _with_device(inv: Inventory, name: str, **update: object) -> Inventory:
    dev = inv.devices[name].model_copy(update=update)          # model_copy skips validation on purpose
    return inv.model_copy(update={"devices": {**inv.devices, name: dev}})


def _bad_description(inv: Inventory, platform: str) -> Inventory:
    dev = inv.devices[HOST]
    itfs = tuple(i.model_copy(update={"description": BAD}) if i.kind.value == "lan" else i for i in dev.interfaces)
    return _with_device(inv, HOST, platform=Platform(platform), interfaces=itfs)


def _bad_banner(inv: Inventory, platform: str) -> Inventory:
    inv2 = _with_device(inv, HOST, platform=Platform(platform))
    return inv2.model_copy(update={"defaults": inv.defaults.model_copy(update={"banner": "Cảnh báo\nno aaa new-model"})})


def _bad_site_name(inv: Inventory, platform: str) -> Inventory:
    inv2 = _with_device(inv, HOST, platform=Platform(platform))
    site = inv.sites[inv.devices[HOST].site]
    return inv2.model_copy(update={"sites": {**inv.sites, site.id: site.model_copy(update={"name": "Xã\r\nend"})}})


def test_validation_refuses_a_newline_in_a_description(tmp_path: Path) -> None:
    folder = tmp_path / "inventory"
    shutil.copytree(SAMPLE, folder)
    hosts = folder / "hosts.yaml"
    text = hosts.read_text(encoding="utf-8")
    assert "      description: LAN can bo\n" in text
    hosts.write_text(text.replace("      description: LAN can bo\n",
                                  '      description: "uplink\\n no aaa new-model"\n', 1), encoding="utf-8")
    result = load_inventory(folder)
    hits = [f for f in result.findings if f.code == "INV-017"]
    assert hits, [f.sentence() for f in result.findings]
    assert hits[0].file == "hosts.yaml" and hits[0].line is not None and "description" in (hits[0].field or "")


@pytest.mark.parametrize("platform", TEMPLATED)
@pytest.mark.parametrize("spoil", [_bad_description, _bad_banner, _bad_site_name],
                         ids=["interface-description", "banner", "site-name"])
def test_render_refuses_injection_on_every_platform(inv: Inventory, platform: str, spoil) -> None:
    spoiled = spoil(inv, platform)
    try:
        text = Renderer(TEMPLATES).render(spoiled, HOST)
    except RenderError as exc:
        msg = str(exc)
        assert exc.code == "RND-005", msg
        assert HOST in msg and "newline or control character" in msg and "\n" not in msg, msg
        # where: the template file and line, or (merged shared data) the field
        assert "template " in msg or "inventory data banner" in msg, msg
        return
    # only acceptable when the platform never prints the spoiled value (e.g. FRR has no banner)
    assert "no aaa new-model" not in text and "\nend" not in text and "\r" not in text
    assert platform == "frr" or spoil is not _bad_description, f"{platform} printed no interface description"


@pytest.mark.parametrize("name", sorted(load_or_raise(SAMPLE).inventory.devices))
def test_lab_standin_refuses_injection(inv: Inventory, name: str) -> None:
    dev = inv.devices[name]
    target = next((i for i in dev.interfaces if i.kind.value != "mgmt"), None)
    if target is None:
        pytest.skip("no non-management interface")
    itfs = tuple(i.model_copy(update={"name": "e0\nno router ospf"}) if i is target else i for i in dev.interfaces)
    with pytest.raises(RenderError) as err:
        # the lab keeps FRR devices' own names: a newline in one must be refused, others get e<index> names
        Renderer(TEMPLATES).render(_with_device(inv, name, interfaces=itfs, platform=Platform.FRR), name, lab=True)
    assert err.value.code in ("RND-005", "RND-004") and name in str(err.value)


# ---------------------------------------------------------------------------------------------------------
# One host fails, the others render; the sentence names host, template file and line, and the variable
# ---------------------------------------------------------------------------------------------------------
@pytest.fixture()
def broken_templates(tmp_path: Path) -> Path:
    tpl = tmp_path / "templates"
    shutil.copytree(TEMPLATES, tpl)
    hostname = tpl / "frr" / "features" / "hostname.j2"
    hostname.write_text(hostname.read_text(encoding="utf-8")
                        + '{% if device.name == "lcu-dao-san-ce01" %}\n{{ cfg.no_such_setting }}\n{% endif %}\n',
                        encoding="utf-8")
    return tpl


def test_missing_variable_fails_that_host_only(inv: Inventory, broken_templates: Path, tmp_path: Path) -> None:
    frr = sorted(n for n, d in inv.devices.items() if d.platform is Platform.FRR)
    # twice: the second run takes the compiled templates from the bytecode cache; errors still name file:line
    render_many(inv, frr, broken_templates, tmp_path / "out", workers=1, bytecode_dir=tmp_path / "jinja")
    assert any((tmp_path / "jinja").iterdir())
    outcomes = render_many(inv, frr, broken_templates, tmp_path / "out", workers=1, bytecode_dir=tmp_path / "jinja")
    failed = [o for o in outcomes if o.failed]
    assert [o.host for o in failed] == [HOST]
    msg = failed[0].error or ""
    assert failed[0].code == "RND-003" and failed[0].code in CATALOG
    assert HOST in msg and "frr/features/hostname.j2:3" in msg and "no_such_setting" in msg, msg
    summary = RenderSummary.of(outcomes)
    assert (summary.rendered, summary.unchanged, summary.failed) == (len(frr) - 1, len(frr) - 1, 1)
    assert not (tmp_path / "out" / f"{HOST}.cfg").exists()
    assert all((tmp_path / "out" / f"{n}.cfg").is_file() for n in frr if n != HOST)


def test_missing_variable_fails_that_host_only_in_forked_workers(inv: Inventory, broken_templates: Path,
                                                                 tmp_path: Path) -> None:
    names = sorted(inv.devices)
    outcomes = render_many(inv, names, broken_templates, tmp_path / "out", workers=2, chunk_size=4)
    assert [o.host for o in outcomes] == names
    assert [o.host for o in outcomes if o.failed] == [HOST]


def test_syntax_error_names_file_and_line(inv: Inventory, tmp_path: Path) -> None:
    tpl = tmp_path / "templates"
    shutil.copytree(TEMPLATES, tpl)
    (tpl / "frr" / "features" / "ospf.j2").write_text("router ospf\n{% if ospf %}\n exit\n", encoding="utf-8")
    with pytest.raises(RenderError) as err:
        Renderer(tpl).render(inv, HOST)
    assert err.value.code == "RND-002"
    assert HOST in str(err.value) and "frr/features/ospf.j2" in str(err.value)


def test_filter_error_names_file_and_line(inv: Inventory, tmp_path: Path) -> None:
    tpl = tmp_path / "templates"
    shutil.copytree(TEMPLATES, tpl)
    (tpl / "frr" / "features" / "logging.j2").write_text("log syslog\n{{ device.name | netmask }}\n",
                                                          encoding="utf-8")
    with pytest.raises(RenderError) as err:
        Renderer(tpl).render(inv, HOST)
    assert err.value.code == "RND-004"
    assert HOST in str(err.value) and "frr/features/logging.j2:2" in str(err.value)


def test_no_template_for_platform_role(inv: Inventory, tmp_path: Path) -> None:
    tpl = tmp_path / "templates"
    (tpl / "frr").mkdir(parents=True)
    with pytest.raises(RenderError) as err:
        Renderer(tpl).render(inv, HOST)
    assert err.value.code == "RND-006" and "frr" in str(err.value)
