"""The national inventory generator: determinism, validity, real geography, regions per commune, NFC text."""

from __future__ import annotations

import csv
import json
import re
import sqlite3
import unicodedata
from pathlib import Path

import pytest
import yaml
import yaml_rs
from hypothesis import given, settings
from hypothesis import strategies as st

from nornir_tasks.errors import GovnetError, Severity
from nornir_tasks.inventory.generate import build, generate, parse_scope, to_yaml
from nornir_tasks.inventory.geography import _data_dir, load_geography
from nornir_tasks.inventory.load import FILES, load_inventory
from nornir_tasks.model import Region
from tests.conftest import ROOT, run_cli

PROVINCE = "12"          # Lai Châu: 38 communes, the smallest province
STRADDLING = "80"        # Tây Ninh: old Tây Ninh (Đông Nam Bộ) + old Long An (ĐB sông Cửu Long)


@pytest.fixture(scope="module")
def geo():
    return load_geography()


@pytest.fixture(scope="module")
def lai_chau(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    out = tmp_path_factory.mktemp("gen") / "lcu"
    return out, generate(f"province={PROVINCE}", 1, out)


def _db_communes(province: str) -> dict[str, tuple[str, str]]:
    """Straight from the package's SQLite: code → (full name, province code), independent of our reader."""
    with sqlite3.connect(_data_dir() / "dataset.db") as db:
        rows = db.execute("SELECT wardCode, ward, provinceCode FROM admin_units WHERE provinceCode = ?",
                          (province,)).fetchall()
    return {code: (name, prov) for code, name, prov in rows}


# ---- determinism --------------------------------------------------------------------------------------------
def test_same_seed_gives_byte_identical_files(lai_chau, tmp_path: Path) -> None:
    first, _ = lai_chau
    again = tmp_path / "again"
    generate(f"province={PROVINCE}", 1, again)
    for name in FILES:
        assert (first / name).read_bytes() == (again / name).read_bytes(), name


def test_different_seed_gives_a_different_network(lai_chau, tmp_path: Path) -> None:
    first, _ = lai_chau
    other = tmp_path / "seed2"
    generate(f"province={PROVINCE}", 2, other)
    assert (first / "hosts.yaml").read_bytes() != (other / "hosts.yaml").read_bytes()
    # the geography does not depend on the seed: the same sites exist, only their mix differs
    a = yaml_rs.loads((first / "sites.yaml").read_text(encoding="utf-8"))
    b = yaml_rs.loads((other / "sites.yaml").read_text(encoding="utf-8"))
    communes = lambda sites: {s["commune_code"] for s in sites.values() if s["level"] == "commune"}
    assert communes(a) == communes(b)


def test_regenerating_leaves_unchanged_files_untouched(lai_chau) -> None:
    out, _ = lai_chau
    before = {name: (out / name).stat().st_mtime_ns for name in FILES}
    generate(f"province={PROVINCE}", 1, out)
    assert {name: (out / name).stat().st_mtime_ns for name in FILES} == before


# ---- counts and validity ------------------------------------------------------------------------------------
def test_province_scope_is_complete_and_valid(lai_chau) -> None:
    out, summary = lai_chau
    result = load_inventory(out)
    errors = [f.sentence() for f in result.findings if f.severity is Severity.ERROR]
    assert errors == []
    inv = result.inventory
    db = _db_communes(PROVINCE)
    assert summary["provinces"] == 1 and summary["communes"] == len(db) == 38
    assert summary["devices"] == len(inv.devices) and summary["circuits"] == len(inv.circuits)
    assert summary["sites"] == len(inv.sites) and summary["region_fallbacks"] == 0

    communes = [s for s in inv.sites.values() if s.level.value == "commune"]
    assert sorted(s.commune_code for s in communes) == sorted(db)
    for site in communes:       # real names from the 2025 list
        assert site.name.endswith(db[site.commune_code][0])
        assert site.province_code == PROVINCE
    # every commune has a CE router with a level-II circuit to its own province's gateway
    gateways = {d.name for d in inv.devices.values() if d.role.value == "gateway" and
                inv.sites[d.site].site_type.value == "provincial_centre"}
    assert len(gateways) == 1
    ce_by_site = {d.site: d.name for d in inv.devices.values() if d.role.value == "ce_router"}
    uplinked = {c.a.device for c in inv.circuits.values() if c.access_level and c.access_level.value == "II"
                and c.z.device in gateways}
    assert all(ce_by_site[s.id] in uplinked for s in communes)
    # level I: primary and backup to the regional centre pair that serves the north
    level1 = sorted((c.role.value, c.z.device) for c in inv.circuits.values()
                    if c.access_level and c.access_level.value == "I")
    assert level1 == [("backup", "rcn-pe02"), ("primary", "rcn-pe01")]
    assert {s.id for s in inv.sites.values() if s.level.value == "central"} == {"c-rc-north", "c-rc-north-bk"}
    # warnings stay few (review dates are recent by construction, a handful deliberately stale)
    assert len(result.findings) <= max(3, len(inv.allocations) // 20)


def test_mixes_are_realistic(geo) -> None:
    files = build(f"province={STRADDLING}", 1, geo=geo)
    hosts, circuits, sites = files["hosts.yaml"], files["circuits.yaml"], files["sites.yaml"]
    platforms = {h["platform"] for h in hosts.values()}
    assert platforms == {"cisco_ios", "huawei_vrp", "juniper_junos", "arista_eos", "frr"}
    level2 = [c for c in circuits.values() if c["access_level"] == "II"]
    commune_bw = [c["bandwidth_mbps"] for c in level2 if c["bandwidth_mbps"] < 500]
    assert commune_bw.count(200) / len(commune_bw) > 0.7 and {100, 50} & set(commune_bw)
    assert {c["routing"]["protocol"] for c in level2} == {"ospf", "static", "bgp"}
    statuses = [s["status"] for s in sites.values()]
    assert statuses.count("active") / len(statuses) > 0.75 and set(statuses) - {"active"}
    inactive = [c for c in level2 if c["a"]["device"].endswith("-ce01") and c["status"] != "active"]
    assert inactive and all("activation_date" not in c for c in inactive)
    assert any("ipv6" in i for h in hosts.values() for i in h["data"]["interfaces"] if i["kind"] == "lan")


# ---- geography ----------------------------------------------------------------------------------------------
def _regions_csv() -> dict[str, str]:
    text = (ROOT / "nornir_tasks" / "data" / "regions-63.csv").read_text(encoding="utf-8")
    return {row["legacy_province_key"]: row["region_code"] for row in csv.DictReader(text.splitlines())}


def test_region_is_computed_per_commune_in_a_straddling_province(geo) -> None:
    files = build(f"province={STRADDLING}", 1, geo=geo)
    sites = {k: v for k, v in files["sites.yaml"].items() if v["level"] == "commune"}
    regions = {s["region"] for s in sites.values()}
    assert regions == {"DNB", "DBSCL"}, "Tây Ninh straddles Đông Nam Bộ and ĐB sông Cửu Long"
    # an independent look at the package's old→new mapping for two communes of the province
    converter = json.loads((_data_dir() / "converter_2025.json").read_text(encoding="utf-8"))
    wards = converter["DICT_PROVINCE_WARD_NO_DIVIDED"]["tinhtayninh"]
    region_of = _regions_csv()
    by_name = {s["name"].split("UBND ", 1)[1]: s for s in sites.values()}
    checked = 0
    for full_name, key in (("Phường Long An", "phuonglongan"), ("Phường Tân Ninh", "phuongtanninh")):
        olds = [o.split("_", 1)[0] for o in wards[key]]
        majority = max(set(olds), key=olds.count)
        assert by_name[full_name]["region"] == region_of[majority]
        assert by_name[full_name]["mountainous"] is False
        checked += 1
    assert checked == 2
    assert by_name["Phường Long An"]["region"] == "DBSCL" and by_name["Phường Tân Ninh"]["region"] == "DNB"


def test_mountainous_follows_the_region_proxy(geo) -> None:
    gia_lai = geo.provinces["52"]    # old Gia Lai (Tây Nguyên) + old Bình Định (duyên hải miền Trung)
    regions = {c.region for c in gia_lai.communes}
    assert regions == {Region.TAY_NGUYEN, Region.BTB_DHMT}
    for commune in gia_lai.communes:
        assert commune.mountainous is (commune.region is Region.TAY_NGUYEN)
    assert geo.region_fallbacks == 0


def test_text_is_nfc_with_real_diacritics(lai_chau) -> None:
    out, _ = lai_chau
    for name in FILES:
        text = (out / name).read_text(encoding="utf-8")
        assert unicodedata.is_normalized("NFC", text), name
    sites = (out / "sites.yaml").read_text(encoding="utf-8")
    assert "Trụ sở Đảng ủy - HĐND - UBND Phường Tân Phong" in sites
    assert "Văn phòng UBND tỉnh Lai Châu" in sites


# ---- scope errors -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("scope", ["province=13", "province=abc", "region=north", "", "province="])
def test_bad_scope_is_cfg_003(scope: str) -> None:
    with pytest.raises(GovnetError) as exc:
        parse_scope(scope, ["01", "12"])
    assert exc.value.code == "CFG-003"


def test_bad_scope_on_the_command_line_exits_2(tmp_path: Path) -> None:
    proc = run_cli("inventory", "generate", "--scope", "province=13", "--out", str(tmp_path / "x"))
    assert proc.returncode == 2
    assert "CFG-003" in proc.stderr + proc.stdout and "Traceback" not in proc.stderr
    assert not (tmp_path / "x").exists()


# ---- the YAML writer ----------------------------------------------------------------------------------------
_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
_scalars = st.one_of(_text, st.integers(-10**6, 10**6), st.booleans(),
                     st.sampled_from(["03408", "yes", "No", "null", "~", "1.5", "1e3", "0x1F", "12:30", "2026-03-15",
                                      "10.0.0.1/30", "2001:db8::1/64", "a: b", "a #b", "- x", "...", "'q'", ""]))
_trees = st.recursive(_scalars, lambda kids: st.one_of(st.lists(kids, max_size=4),
                                                        st.dictionaries(_text, kids, max_size=4)), max_leaves=12)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(_text, _trees, max_size=5))
def test_yaml_writer_round_trips_in_every_loader(data: dict) -> None:
    text = to_yaml(data)
    assert (yaml.safe_load(text) or {}) == data
    # yaml_rs turns even a quoted '2026-03-15' into a date (our models accept both), so leave those out there
    if data and not _has_date_text(data):
        assert yaml_rs.loads(text) == data


def _has_date_text(obj) -> bool:
    if isinstance(obj, dict):
        return any(_has_date_text(k) or _has_date_text(v) for k, v in obj.items())
    if isinstance(obj, list):
        return any(_has_date_text(v) for v in obj)
    return isinstance(obj, str) and re.match(r"\s*[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}", obj) is not None


# ---- national scope (in memory: ~2 s) -----------------------------------------------------------------------
def test_national_scope_counts_and_province_subset(geo) -> None:
    national = build("national", 1, geo=geo)
    summary = national["_summary"]
    assert summary["provinces"] == 34 and summary["communes"] == 3321
    assert 9000 <= summary["devices"] <= 11000 and 3300 <= summary["circuits"] <= 3900
    assert {s["province_code"] for s in national["sites.yaml"].values()} == set(geo.provinces)
    assert sum(1 for s in national["sites.yaml"].values() if s["level"] == "central") == 6
    # one province's part of the national inventory is exactly what province scope writes
    single = build(f"province={PROVINCE}", 1, geo=geo)
    pes = {"rcn-pe01", "rcn-pe02"}
    assert {k: v for k, v in single["hosts.yaml"].items() if k not in pes} == \
        {k: v for k, v in national["hosts.yaml"].items() if k.startswith("lcu-")}
    assert single["circuits.yaml"] == {k: v for k, v in national["circuits.yaml"].items()
                                       if v["a"]["device"].startswith("lcu-")}
