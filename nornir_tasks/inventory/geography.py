"""Real geography for the generator: the 34 provinces and 3,321 communes of the 2025 reform, with the
socio-economic region of every commune.

Sources (no network access needed; everything ships in installed packages or in this package):

* ``vietnamadminunits`` (MIT) — its SQLite ``data/dataset.db``: table ``admin_units`` (2025 list: codes,
  names with diacritics, coordinates, area) and ``admin_units_legacy`` (pre-2025 63 provinces, 696 districts);
  ``data/converter_2025.json``: which pre-2025 communes became which 2025 commune.
* ``nornir_tasks/data/regions-63.csv`` — the statistics office's six regions for the 63 pre-2025 provinces.

No package gives regions for the 2025 units, and 7 new provinces straddle two regions, so the region is
computed **per commune**: the region of the pre-2025 province most of its predecessor communes belonged to
(ties go to the alphabetically first region code). A commune the mapping does not cover falls back to the
majority region of its province; those are counted in :attr:`Geography.region_fallbacks`.

"Mountainous" is a per-commune list in law; here the documented proxy is: the commune's region is the
Northern midlands and mountains (TDMNPB) or the Central Highlands (TAY_NGUYEN).
"""

from __future__ import annotations

import csv
import importlib.util
import json
import sqlite3
import unicodedata
from collections import Counter
from collections.abc import Mapping
from contextlib import closing
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from nornir_tasks.errors import ConfigError
from nornir_tasks.model import Region

MOUNTAINOUS_REGIONS = frozenset({Region.TDMNPB, Region.TAY_NGUYEN})


@dataclass(frozen=True)
class Commune:
    """One 2025 commune (xã, phường or đặc khu)."""

    code: str               # 5-digit code of the 2025 list
    name: str               # full name with its type, NFC ("Xã Bình Lư", "Phường Tân Phong")
    short: str              # name without the type ("Bình Lư")
    kind: str               # "Xã", "Phường" or "Đặc khu"
    province_code: str
    lat: float
    lon: float
    area_km2: float
    region: Region
    region_fallback: bool   # True when the region came from the province's majority, not the mapping
    legacy_provinces: tuple[str, ...]   # keys of the pre-2025 provinces its predecessors belonged to
    legacy_districts: tuple[str, ...]   # names of the pre-2025 districts of its predecessors (sorted)

    @property
    def mountainous(self) -> bool:
        return self.region in MOUNTAINOUS_REGIONS


@dataclass(frozen=True)
class Province:
    code: str               # 2-digit code ("12")
    name: str               # "Tỉnh Lai Châu", "Thành phố Hà Nội"
    short: str              # "Lai Châu"
    key: str                # "tinhlaichau"
    short_key: str          # "laichau"
    lat: float
    lon: float
    communes: tuple[Commune, ...]     # sorted by code

    @property
    def is_city(self) -> bool:
        return self.name.startswith("Thành phố")

    @property
    def region(self) -> Region:
        """Majority region of the province's communes (ties: alphabetically first code)."""
        counts = Counter(c.region.value for c in self.communes)
        best = max(counts.values())
        return Region(min(r for r, n in counts.items() if n == best))


@dataclass(frozen=True)
class Geography:
    provinces: dict[str, Province]    # by code, in code order
    region_fallbacks: int


def _nfc(text: str) -> str:
    # speed: the package's names are already NFC; checking is cheaper than normalising
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def _data_dir() -> Path:
    # find the package without importing it (its import loads parsers and takes most of a second)
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError("the vietnamadminunits package is not installed", code="CFG-002",
                          hint="install govnet with its dependencies: pip install -e .")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _majority(counts: Mapping[str, int]) -> str | None:
    if not counts:
        return None
    best = max(counts.values())
    return min(k for k, n in counts.items() if n == best)


def load_geography(data_dir: Path | None = None) -> Geography:
    """Read the 2025 provinces and communes and compute each commune's region.

    Raises:
        ConfigError: (CFG-002) when the package data or the region table cannot be read.

    Examples:
        >>> geo = load_geography()
        >>> len(geo.provinces), sum(len(p.communes) for p in geo.provinces.values())
        (34, 3321)
        >>> geo.provinces["12"].short, geo.provinces["12"].region.value
        ('Lai Châu', 'TDMNPB')
    """
    folder = data_dir or _data_dir()
    try:
        regions_text = resources.files("nornir_tasks").joinpath("data/regions-63.csv").read_text(encoding="utf-8")
        converter = json.loads((folder / "converter_2025.json").read_text(encoding="utf-8"))
        with sqlite3.connect(f"file:{folder / 'dataset.db'}?mode=ro", uri=True) as db:
            units = db.execute(
                "SELECT provinceCode, province, provinceShort, provinceKey, provinceShortKey, provinceLat, "
                "provinceLon, wardCode, ward, wardShort, wardType, wardKey, wardLat, wardLon, wardAreaKm2 "
                "FROM admin_units ORDER BY provinceCode, wardCode").fetchall()
            legacy = db.execute("SELECT DISTINCT provinceKey, districtKey, district FROM admin_units_legacy").fetchall()
    except (OSError, sqlite3.Error, json.JSONDecodeError) as exc:
        raise ConfigError(f"cannot read the administrative-unit data in {folder}: {exc}", code="CFG-002",
                          hint="reinstall the vietnamadminunits package (pip install -e .)") from exc

    region_of_old = {row["legacy_province_key"]: Region(row["region_code"])
                     for row in csv.DictReader(regions_text.splitlines())}
    district_of_old: dict[str, str] = {f"{p}_{d}": _nfc(name) for p, d, name in legacy}   # 696 districts

    # predecessors of every 2025 commune: (new province key, new ward key) -> [old "prov_district_ward" keys]
    preds: dict[tuple[str, str], list[str]] = {}
    for pkey, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for wkey, olds in wards.items():
            preds.setdefault((pkey, wkey), []).extend(olds)
    for pkey, olds in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, parts in olds.items():
            for part in parts:
                preds.setdefault((pkey, part["newWardKey"]), []).append(old)

    raw: dict[str, list[tuple]] = {}
    for row in units:
        raw.setdefault(row[0], []).append(row)

    provinces: dict[str, Province] = {}
    fallbacks = 0
    for pcode in sorted(raw):
        rows = raw[pcode]
        first = rows[0]
        pkey = first[3]
        computed: list[tuple[tuple, Region | None, tuple[str, ...], tuple[str, ...]]] = []
        for row in rows:
            olds = sorted(preds.get((pkey, row[11]), []))
            old_provs: dict[str, int] = {}     # speed: plain dicts, not Counters (6,600 of them per load)
            for o in olds:
                prov = o.split("_", 1)[0]
                old_provs[prov] = old_provs.get(prov, 0) + 1
            regions: dict[str, int] = {}
            for prov, n in old_provs.items():
                if prov in region_of_old:
                    key = region_of_old[prov].value
                    regions[key] = regions.get(key, 0) + n
            best = _majority(regions)
            districts = tuple(sorted({district_of_old[k] for k in ("_".join(o.split("_", 2)[:2]) for o in olds)
                                      if k in district_of_old}))
            computed.append((row, Region(best) if best else None, tuple(sorted(old_provs)), districts))
        majority = _majority(Counter(r.value for _, r, _, _ in computed if r is not None)) or Region.DBSH.value
        communes = []
        for row, region, old_keys, districts in computed:
            if region is None:
                fallbacks += 1
            communes.append(Commune(
                code=row[7], name=_nfc(row[8]), short=_nfc(row[9]), kind=_nfc(row[10]), province_code=pcode,
                lat=float(row[12]), lon=float(row[13]), area_km2=float(row[14] or 0.0),
                region=region or Region(majority), region_fallback=region is None,
                legacy_provinces=old_keys, legacy_districts=districts))
        provinces[pcode] = Province(code=pcode, name=_nfc(first[1]), short=_nfc(first[2]), key=pkey,
                                    short_key=first[4], lat=float(first[5]), lon=float(first[6]),
                                    communes=tuple(communes))
    return Geography(provinces=provinces, region_fallbacks=fallbacks)


def province_names(data_dir: Path | None = None) -> dict[str, str]:
    """Province code → official 2025 name, read quickly (no communes, no regions): what ``--filter
    province="Lai Châu"`` compares against. Empty when the package data cannot be read.

    Examples:
        >>> province_names()["12"], len(province_names())
        ('Tỉnh Lai Châu', 34)
    """
    try:
        folder = data_dir or _data_dir()
        with closing(sqlite3.connect(f"file:{folder / 'dataset.db'}?mode=ro", uri=True)) as db:
            rows = db.execute("SELECT DISTINCT provinceCode, province FROM admin_units").fetchall()
    except (ConfigError, OSError, sqlite3.Error):
        return {}     # codes still work; names need the package data
    return {str(code).zfill(2): _nfc(name) for code, name in rows}
