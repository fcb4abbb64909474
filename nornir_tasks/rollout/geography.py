"""Provinces and communes of Vietnam, read from the ``vietnamadminunits`` package (MIT; SQLite inside).

Plans are measured on a geography: the 2025 structure (34 provinces, 3,321 communes) by default, or the
pre-2025 one (63 provinces). The rollout stage uses it to check that a plan's scope names real provinces, to
show province names, and to draw the communes of the dashboard map from their coordinates.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Literal

Geography = Literal["2025", "pre-2025"]


@dataclass(frozen=True)
class Province:
    code: str
    name: str
    lat: float | None
    lon: float | None


@dataclass(frozen=True)
class Commune:
    code: str
    name: str
    province_code: str
    lat: float | None
    lon: float | None


def _db() -> sqlite3.Connection:
    # find the package without importing it (its import loads large JSON tables we do not need)
    spec = find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("vietnamadminunits is not installed (pip install -e .)")
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "dataset.db"
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


@lru_cache(maxsize=2)
def provinces(geography: Geography = "2025") -> dict[str, Province]:
    """Province code → :class:`Province` for a geography.

    Examples:
        >>> p = provinces("2025")
        >>> len(p), p["12"].name
        (34, 'Tỉnh Lai Châu')
        >>> len(provinces("pre-2025"))
        63
    """
    table = "admin_units" if geography == "2025" else "admin_units_legacy"
    with closing(_db()) as conn:
        rows = conn.execute(
            f"SELECT provinceCode, province, MIN(provinceLat), MIN(provinceLon) FROM {table} "
            "GROUP BY provinceCode, province ORDER BY provinceCode").fetchall()
    return {str(code).zfill(2): Province(str(code).zfill(2), name, lat, lon) for code, name, lat, lon in rows}


@lru_cache(maxsize=1)
def communes() -> dict[str, Commune]:
    """Commune code → :class:`Commune` of the 2025 structure (3,321 units, with coordinates).

    Examples:
        >>> c = communes()
        >>> len(c), c["03390"].name, c["03390"].province_code
        (3321, 'Xã Bình Lư', '12')
    """
    with closing(_db()) as conn:
        rows = conn.execute("SELECT wardCode, ward, provinceCode, wardLat, wardLon FROM admin_units").fetchall()
    return {str(code).zfill(5): Commune(str(code).zfill(5), name, str(prov).zfill(2), lat, lon)
            for code, name, prov, lat, lon in rows}


def province_name(code: str, geography: Geography = "2025") -> str:
    """The province's official name, or the code itself when the geography does not know it.

    Examples:
        >>> province_name("12"), province_name("99")
        ('Tỉnh Lai Châu', '99')
    """
    p = provinces(geography).get(code)
    return p.name if p else code
