"""Geography checked: every site's province, commune, region, coordinates and legacy district against the official
2025 list of administrative units (``vietnamadminunits``, read by :mod:`nornir_tasks.inventory.geography`).

Per site (pure; the loader turns the issues into findings with file and line):

* ``INV-042`` (error) — the province code is not one of the 34 provinces of the 2025 list;
* ``INV-043`` (error) — the commune code is not one of the 3,321 communes of the 2025 list (e.g. ``99999``);
* ``INV-041`` (error) — the commune code belongs to another province (e.g. ``00004``, a Hà Nội ward, on a Lai Châu
  site);
* ``INV-044`` (error) — the region is not the region of the pre-2025 province the commune came from (a commune
  formed from communes of two old provinces in two regions may carry either; a site without a commune code may
  carry the region of any commune of its province) — e.g. ``region: DBSCL`` on a Lai Châu site;
* ``INV-045`` (warning) — the coordinates lie farther from the commune's centre than :func:`allowed_km` allows;
* ``INV-046`` (warning) — a commune-level site's name does not contain its commune's name;
* ``INV-047`` (warning) — ``legacy_district`` is not a pre-2025 district of any commune the site's commune was
  formed from.

``mountainous`` is not checked: the law defines mountainous areas by a per-commune list that no package publishes
in machine-readable form; govnet's value is a per-region proxy (see :mod:`nornir_tasks.inventory.geography`).
"""

from __future__ import annotations

import csv
import math
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from nornir_tasks.errors import Severity
from nornir_tasks.inventory.geography import Commune, Province, load_geography
from nornir_tasks.inventory.history import Issue
from nornir_tasks.model import AdminLevel, Inventory, Region, Site

#: The smallest distance (km) a site may lie from its commune's centre without a warning: a commune's centre in
#: the list is a computed centroid, and small urban wards are a few km across.
MIN_KM = 3.0
#: How many "equal-area radii" a site may lie from its commune's centre: a disc of the commune's area has radius
#: sqrt(area/pi); real communes are not discs, and 2 radii still covers an ellipse four times as long as wide.
RADII = 2.0


@dataclass(frozen=True)
class GeoReference:
    """The 2025 list as the checks need it: communes and provinces by code, regions of the 63 old provinces."""

    communes: dict[str, Commune]
    provinces: dict[str, Province]
    legacy_regions: dict[str, Region]
    province_regions: dict[str, frozenset[Region]]


@lru_cache(maxsize=1)
def reference() -> GeoReference:
    """The official list (read once per process: it is the same for every inventory).

    Examples:
        >>> ref = reference()
        >>> ref.communes["03390"].name, ref.communes["00004"].province_code
        ('Xã Bình Lư', '01')
    """
    geo = load_geography()
    text = resources.files("nornir_tasks").joinpath("data/regions-63.csv").read_text(encoding="utf-8")
    legacy = {row["legacy_province_key"]: Region(row["region_code"]) for row in csv.DictReader(text.splitlines())}
    communes = {c.code: c for p in geo.provinces.values() for c in p.communes}
    regions = {code: frozenset(r for c in p.communes for r in _all_regions(c, legacy))
               for code, p in geo.provinces.items()}
    return GeoReference(communes=communes, provinces=dict(geo.provinces), legacy_regions=legacy,
                        province_regions=regions)


def _all_regions(commune: Commune, legacy: dict[str, Region]) -> frozenset[Region]:
    """The commune's region and the regions of every pre-2025 province its predecessors belonged to."""
    return frozenset({commune.region, *(legacy[k] for k in commune.legacy_provinces if k in legacy)})


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km (haversine, mean Earth radius 6,371 km).

    Examples:
        >>> round(distance_km(21.0285, 105.8542, 10.7769, 106.7009))   # Hà Nội → TP.HCM
        1144
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def allowed_km(area_km2: float) -> float:
    """How far from its commune's centre a site may lie: ``max(MIN_KM, RADII * sqrt(area / pi))``.

    Examples:
        >>> allowed_km(1.0), round(allowed_km(314.16), 1)
        (3.0, 20.0)
    """
    return max(MIN_KM, RADII * math.sqrt(max(area_km2, 0.0) / math.pi))


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def _site_issues(site: Site, ref: GeoReference) -> list[Issue]:
    out: list[Issue] = []
    province = ref.provinces.get(site.province_code)
    if province is None:
        return [Issue("INV-042", "site", site.id, ("province_code",),
                      f"site {site.id}: province code {site.province_code!r} is not one of the 34 provinces of the "
                      "2025 list", "use the two-digit code of the official list (e.g. '12' Lai Châu, '01' Hà Nội)")]
    if site.commune_code is None:
        allowed = ref.province_regions.get(province.code, frozenset())
        if allowed and site.region not in allowed:
            out.append(Issue("INV-044", "site", site.id, ("region",),
                             f"site {site.id}: region {site.region.value} is not a region of {province.name} "
                             f"({', '.join(sorted(r.value for r in allowed))})",
                             "use the region of the pre-2025 province the site's commune came from"))
        return out
    commune = ref.communes.get(site.commune_code)
    if commune is None:
        return [Issue("INV-043", "site", site.id, ("commune_code",),
                      f"site {site.id}: commune code {site.commune_code!r} is not in the official 2025 list",
                      f"use the 5-digit code of a commune of {province.name} (vietnamadminunits)")]
    if commune.province_code != province.code:
        other = ref.provinces[commune.province_code]
        return [Issue("INV-041", "site", site.id, ("commune_code",),
                      f"site {site.id} is in province {province.code} ({province.name}) but commune code "
                      f"{commune.code} is {commune.name}, {other.name}",
                      "fix the commune code or the province code")]
    regions = _all_regions(commune, ref.legacy_regions)
    if site.region not in regions:
        out.append(Issue("INV-044", "site", site.id, ("region",),
                         f"site {site.id}: region {site.region.value} is not the region of {commune.name} "
                         f"({', '.join(sorted(r.value for r in regions))}, from its pre-2025 province)",
                         f"set region: {commune.region.value}"))
    if site.level is AdminLevel.COMMUNE and _fold(commune.short) not in _fold(site.name):
        out.append(Issue("INV-046", "site", site.id, ("name",),
                         f"site {site.id}: name {site.name!r} does not name its commune {commune.name}",
                         "check the commune code, or name the commune in the site's name",
                         Severity.WARNING))
    if site.coordinates is not None:
        km = distance_km(site.coordinates.lat, site.coordinates.lon, commune.lat, commune.lon)
        limit = allowed_km(commune.area_km2)
        if km > limit:
            out.append(Issue("INV-045", "site", site.id, ("coordinates",),
                             f"site {site.id} lies {km:.1f} km from the centre of {commune.name} "
                             f"({commune.area_km2:.0f} km²; at most {limit:.1f} km expected)",
                             f"check the coordinates (the commune's centre is {commune.lat:.4f}, {commune.lon:.4f}) "
                             "or the commune code", Severity.WARNING))
    if site.legacy_district is not None and commune.legacy_districts:
        wanted = _fold(site.legacy_district)
        if not any(wanted == _fold(d) or wanted.endswith(" " + _fold(d)) or _fold(d).endswith(" " + wanted)
                   for d in commune.legacy_districts):
            out.append(Issue("INV-047", "site", site.id, ("legacy_district",),
                             f"site {site.id}: {site.legacy_district!r} is not a pre-2025 district of "
                             f"{commune.name}", f"use one of: {', '.join(commune.legacy_districts)}",
                             Severity.WARNING))
    return out


def geography_issues(inv: Inventory, ref: GeoReference | None = None) -> list[Issue]:
    """Check every site against the official list (see the module docstring).

    Examples:
        >>> from nornir_tasks.model import Inventory
        >>> s = Site(id="s", name="Xã Bình Lư", level="commune", province_code="12", commune_code="00004",
        ...          region="TDMNPB", site_type="commune_hq", status="active")
        >>> [i.code for i in geography_issues(Inventory(sites={"s": s}, devices={}, circuits={}))]
        ['INV-041']
    """
    ref = ref or reference()
    out: list[Issue] = []
    for site in inv.sites.values():
        out.extend(_site_issues(site, ref))
    return out
