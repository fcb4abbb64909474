"""Geography checked against the official 2025 list: province and commune codes, region, coordinates, names and
legacy districts of every site."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from nornir_tasks.errors import Severity
from nornir_tasks.inventory.geocheck import allowed_km, distance_km, geography_issues, reference
from nornir_tasks.inventory.load import load_inventory
from tests.conftest import edit_yaml
from tests.unit.rollout_fixtures import inventory, site

TODAY = date(2026, 11, 25)

CASES = {
    # code, site, change, field, severity
    "unknown commune 99999": ("INV-043", "12-sin-ho", {"commune_code": "99999"}, "12-sin-ho.commune_code", "error"),
    "Hà Nội commune on a Lai Châu site": ("INV-041", "12-sin-ho", {"commune_code": "00004"},
                                          "12-sin-ho.commune_code", "error"),
    "DBSCL on a Lai Châu site": ("INV-044", "12-sin-ho", {"region": "DBSCL"}, "12-sin-ho.region", "error"),
    "DBSCL on a provincial site": ("INV-044", "12-tu", {"region": "DBSCL"}, "12-tu.region", "error"),
    "province 99": ("INV-042", "12-sin-ho", {"province_code": "99"}, "12-sin-ho.province_code", "error"),
    "coordinates in Hà Nội": ("INV-045", "12-sin-ho", {"coordinates": {"lat": 21.0285, "lon": 105.8542}},
                              "12-sin-ho.coordinates", "warning"),
    "name of another commune": ("INV-046", "12-sin-ho", {"name": "Trụ sở UBND Xã Bình Lư"}, "12-sin-ho.name",
                                "warning"),
    "legacy district elsewhere": ("INV-047", "12-pa-tan", {"legacy_district": "Quận Ba Đình"},
                                  "12-pa-tan.legacy_district", "warning"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_geography_is_found_where_it_is(case: str, inv_copy: Path) -> None:
    code, sid, change, field, severity = CASES[case]
    edit_yaml(inv_copy / "sites.yaml", lambda d: d[sid].update(change))
    result = load_inventory(inv_copy, today=TODAY)
    found = [f for f in result.findings if f.code == code]
    assert found, [f.sentence() for f in result.findings]
    f = found[0]
    assert f.field == field and f.file == "sites.yaml" and f.line and f.hint
    assert f.severity is Severity(severity)
    if severity == "error":
        assert result.errors   # the inventory no longer validates


def test_the_sample_passes_every_geography_check() -> None:
    result = load_inventory(Path(__file__).resolve().parents[2] / "inventory", today=TODAY)
    assert not [f for f in result.findings if f.code in {"INV-041", "INV-042", "INV-043", "INV-044", "INV-045",
                                                          "INV-046", "INV-047"}]


def test_a_commune_from_two_old_provinces_may_carry_either_region() -> None:
    ref = reference()
    mixed = next(c for c in ref.communes.values()
                 if len({ref.legacy_regions[k] for k in c.legacy_provinces if k in ref.legacy_regions}) > 1)
    regions = sorted({ref.legacy_regions[k].value for k in mixed.legacy_provinces if k in ref.legacy_regions})
    for region in regions:
        s = site("s", province=mixed.province_code, commune=mixed.code, region=region)
        assert not [i for i in geography_issues(inventory([s], [], [])) if i.code == "INV-044"], region


def test_distance_allowance_is_justified_by_the_commune_area() -> None:
    ref = reference()
    sin_ho = ref.communes["03478"]
    assert allowed_km(sin_ho.area_km2) > 10               # a large mountain commune: tens of km across
    assert allowed_km(0.5) == 3.0                         # a small urban ward: the 3 km floor
    assert distance_km(sin_ho.lat, sin_ho.lon, sin_ho.lat, sin_ho.lon) == 0
