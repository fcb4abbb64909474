"""Each cross-file check finds what it should, where it is, and nothing on the valid sample."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nornir_tasks.errors import CATALOG, InventoryError, Severity
from nornir_tasks.inventory.load import load_inventory, load_or_raise
from nornir_tasks.inventory.selection import select
from tests.conftest import ROOT, SAMPLE, edit_yaml

TODAY = date(2026, 11, 25)


def codes(folder: Path) -> dict[str, list]:
    out: dict[str, list] = {}
    for f in load_inventory(folder, today=TODAY).findings:
        out.setdefault(f.code, []).append(f)
    return out


def test_sample_has_no_errors_and_known_warnings() -> None:
    result = load_inventory(SAMPLE, today=TODAY)
    assert result.errors == []
    assert {f.code for f in result.findings} <= {"INV-034"}
    assert len(result.inventory.devices) >= 30
    platforms = {d.platform.value for d in result.inventory.devices.values()}
    assert platforms == {"cisco_ios", "huawei_vrp", "juniper_junos", "arista_eos", "frr"}


def host(d, name):
    return d[name]["data"]


MUTATIONS = {
    "INV-020": ("hosts.yaml", lambda d: host(d, "lcu-sin-ho-ce01").update(site="12-atlantis"), "lcu-sin-ho-ce01.data.site"),
    "INV-022": ("circuits.yaml", lambda d: d["VNPT-LCU-L2-1011"]["a"].update(interface="eth9"), "VNPT-LCU-L2-1011.a"),
    "INV-023": ("links.yaml", lambda d: d["lcu-tu-fw-sw"]["z"].update(device="lcu-tu-ce01", interface="GigabitEthernet0/0/1"), "lcu-tu-fw-sw.z"),
    "INV-024": ("hosts.yaml", lambda d: d["lcu-sin-ho-ce01"].update(groups=["no_such_group"]), "lcu-sin-ho-ce01.groups[0]"),
    "INV-025": ("hosts.yaml", lambda d: host(d, "lcu-sin-ho-ce01")["interfaces"].append(dict(host(d, "lcu-sin-ho-ce01")["interfaces"][1], ipv4="10.12.11.200/25", ipv6=None)), "lcu-sin-ho-ce01.data.interfaces[3].name"),
    "INV-026": ("lans.yaml", lambda d: d["12-sin-ho"][0].update(gateway="lcu-ghost"), "12-sin-ho[0].gateway"),
    "INV-027": ("ip_allocations.yaml", lambda d: d[5].update(site="12-ghost"), "[5].site"),
    "INV-030": ("hosts.yaml", lambda d: host(d, "lcu-bum-to-ce01")["interfaces"][1].update(ipv4="10.12.11.1/25"), "lcu-bum-to-ce01.data.interfaces[1].ipv4"),
    "INV-031": ("lans.yaml", lambda d: d["12-bum-to"][0].update(ipv4="10.12.11.0/25"), "12-bum-to[0].ipv4"),
    "INV-032": ("hosts.yaml", lambda d: host(d, "lcu-sin-ho-ce01")["interfaces"][0].update(ipv4="10.12.240.42/29"), "VNPT-LCU-L2-1011"),
    "INV-033": ("hosts.yaml", lambda d: host(d, "lcu-sin-ho-ce01")["interfaces"][0].update(ipv6="2001:db8:99::2/127"), "lcu-sin-ho-ce01.data.interfaces[0].ipv6"),
    "INV-034": ("ip_allocations.yaml", lambda d: d[0].update(last_review="2020-01-01"), "[0].last_review"),
    "INV-035": ("lans.yaml", lambda d: d["12-sin-ho"][1].update(vlan=10), "12-sin-ho[1].vlan"),
    "INV-040": ("circuits.yaml", lambda d: d["VNPT-LCU-L2-1011"].update(status="suspended"), "12-sin-ho.status"),
}


@pytest.mark.parametrize("code", list(MUTATIONS))
def test_each_check_finds_its_problem(code: str, inv_copy: Path) -> None:
    file, fn, field = MUTATIONS[code]
    edit_yaml(inv_copy / file, fn)
    found = codes(inv_copy)
    assert code in found, {k: [f.sentence() for f in v] for k, v in found.items()}
    f = found[code][0]
    assert field in (f.field or "") or field in f.message, f.sentence()
    assert f.file and f.line and f.line > 0, f.sentence()
    assert f.hint
    expected = Severity.WARNING if code == "INV-034" else Severity.ERROR
    assert f.severity is expected


def test_line_numbers_point_at_the_value(inv_copy: Path) -> None:
    edit_yaml(inv_copy / "hosts.yaml", lambda d: host(d, "lcu-sin-ho-ce01")["interfaces"][0].update(ipv4="bogus"))
    f = next(f for f in load_inventory(inv_copy).findings if f.code == "INV-014")
    line = (inv_copy / "hosts.yaml").read_text(encoding="utf-8").splitlines()[f.line - 1]
    assert "bogus" in line


def test_load_or_raise_carries_every_finding(inv_copy: Path) -> None:
    edit_yaml(inv_copy / "hosts.yaml", lambda d: host(d, "lcu-sin-ho-ce01").update(colour="x"))
    with pytest.raises(InventoryError) as exc:
        load_or_raise(inv_copy)
    assert exc.value.code == "INV-010" and exc.value.findings


def test_vietnamese_text_is_nfc(inv_copy: Path) -> None:
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "Xã Sìn Hồ")
    edit_yaml(inv_copy / "sites.yaml", lambda d: d["12-sin-ho"].update(name=decomposed))
    inv = load_or_raise(inv_copy).inventory
    assert inv.sites["12-sin-ho"].name == unicodedata.normalize("NFC", "Xã Sìn Hồ")


def test_filters() -> None:
    inv = load_or_raise(SAMPLE).inventory
    communes = select(inv, ["level=commune"])
    assert communes and all(inv.sites[inv.devices[n].site].level.value == "commune" for n in communes)
    both = select(inv, ["level=commune", "role=firewall"])
    assert both and set(both) < set(communes)
    assert select(inv, ["lcu-sin-ho-*"]) == ["lcu-sin-ho-ce01"]
    assert set(select(inv, ["platform=frr", "platform=huawei_vrp"])) == {
        n for n, d in inv.devices.items() if d.platform.value in {"frr", "huawei_vrp"}}
    in_12 = [n for n, d in inv.devices.items() if inv.sites[d.site].province_code == "12"]
    assert in_12 and select(inv, ["province=12"]) == in_12
    # a province code is a number: zero-padding does not change which province it names
    assert select(inv, ["province=012"]) == in_12 and select(inv, ["province=0012"]) == in_12
    assert select(inv, ["province=1"]) == select(inv, ["province=01"]) != in_12
    assert select(inv, ["province=99"]) == []


def test_plain_initnornir_uses_our_plugin(monkeypatch) -> None:
    from nornir import InitNornir

    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("GOVNET_USERNAME", "tester")
    monkeypatch.delenv("GOVNET_PASSWORD", raising=False)
    nr = InitNornir(config_file="config.yaml")
    h = nr.inventory.hosts["lcu-sin-ho-ce01"]
    assert h["site"].commune_code == "03394" or h["site"].name.endswith("Xã Sìn Hồ")
    assert {"province__12", "level__commune", "role__ce_router", "region__TDMNPB", "platform__frr"} <= {
        g.name for g in h.groups}
    assert h["tacacs_servers"][0].name == "LCU-TACACS-1"      # from groups.yaml province__12
    assert str(h["ntp_servers"][0]) == "10.0.250.1"            # from defaults.yaml
    assert h.username == "tester" and h.password is None
    assert h.get_connection_parameters("netmiko").platform == "cisco_ios"   # FRR's vtysh speaks IOS-like CLI
    assert len(nr.filter(filter_func=lambda x: x.has_parent_group("level__commune")).inventory.hosts) > 10


def test_every_code_used_is_in_the_catalog() -> None:
    used: set[str] = set()
    for path in (ROOT / "nornir_tasks").rglob("*.py"):
        used |= set(re.findall(r'"((?:CFG|INV|RND|LAB|DEV|BKP|CMP|RLT|DPL|NBX)-\d{3})"', path.read_text(encoding="utf-8")))
    missing = sorted(c for c in used if c not in CATALOG)
    assert not missing, f"codes used but not in errors.CATALOG: {missing}"


# --- robustness: random mutations of the sample never raise anything but our own findings/errors ----------
_FILES = ["hosts.yaml", "sites.yaml", "circuits.yaml", "links.yaml", "lans.yaml", "ip_allocations.yaml",
          "groups.yaml", "defaults.yaml"]
_TEXT = {name: (SAMPLE / name).read_text(encoding="utf-8") for name in _FILES}
_VALUES = st.one_of(st.none(), st.booleans(), st.integers(-5, 70000), st.floats(allow_nan=True),
                    st.text(max_size=12), st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=4), st.integers(), max_size=2))


def _walk(data, path=()):
    yield path, data
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _walk(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _walk(v, (*path, i))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(file=st.sampled_from(_FILES), pick=st.integers(0, 10**6), value=_VALUES,
       mode=st.sampled_from(["replace", "delete", "text"]), cut=st.integers(0, 10**6), junk=st.text(max_size=8))
def test_random_mutations_never_crash(tmp_path_factory, file, pick, value, mode, cut, junk) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    for name in _FILES:
        (folder / name).write_text(_TEXT[name], encoding="utf-8")
    if mode == "text":
        text = _TEXT[file]
        i = cut % (len(text) + 1)
        (folder / file).write_text(text[:i] + junk + text[i:], encoding="utf-8")
    else:
        data = yaml.safe_load(_TEXT[file])
        nodes = [p for p, _ in _walk(data) if p]
        path = nodes[pick % len(nodes)]
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        if mode == "delete":
            del parent[path[-1]]
        else:
            parent[path[-1]] = value
        (folder / file).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    try:
        result = load_or_raise(folder)
    except InventoryError as exc:
        assert exc.findings and all(f.code in CATALOG for f in exc.findings)
        return
    assert result.inventory.devices is not None


def test_nornirs_own_filters_see_the_common_keys(monkeypatch) -> None:
    """[U1] ``nr.filter(level="commune")`` and ``F(province="12")`` silently returned 0 hosts."""
    from nornir import InitNornir
    from nornir.core.filter import F

    monkeypatch.chdir(ROOT)
    nr = InitNornir(config_file="config.yaml")
    inv = load_or_raise(SAMPLE).inventory
    hosts = nr.inventory.hosts
    assert set(nr.filter(level="commune").inventory.hosts) == set(select(inv, ["level=commune"])) != set()
    in_12 = set(select(inv, ["province=12"]))
    assert set(nr.filter(F(province="12")).inventory.hosts) == in_12 != set()
    assert set(nr.filter(F(province="12") & F(role="ce_router")).inventory.hosts) == set(
        select(inv, ["province=12", "role=ce_router"])) != set()
    assert set(nr.filter(region="TDMNPB", status="active").inventory.hosts) == set(
        select(inv, ["region=TDMNPB", "status=active"])) != set()
    assert list(nr.filter(site_id="12-sin-ho").inventory.hosts) == ["lcu-sin-ho-ce01"]
    assert list(nr.filter(F(site__id="12-sin-ho")).inventory.hosts) == ["lcu-sin-ho-ce01"]
    assert hosts["lcu-sin-ho-ce01"]["site"].name.endswith("Xã Sìn Hồ")     # the model is still there
    assert nr.filter(F(province="99")).inventory.hosts == {}
