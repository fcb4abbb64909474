"""The validated inventory, cached: loading and validating the national inventory costs more than a second; when
neither the inventory files, the validation date nor govnet's validation code changed, the stored result is used.

The key is a digest of the files' bytes (every file :data:`nornir_tasks.inventory.load.FILES` names, missing
ones too), the date findings are judged on, and the size and mtime of the modules that load and validate (so a
changed check never serves stale findings). Only inventories without errors are cached (an inventory with errors
raises before anything uses it). The cache lives with the build cache (``<build_dir>/cache/inventory``, folder
0700, files 0600; never in the state folder, which only device-facing stages write): it is a pickle, so only
govnet writes it and only a folder nobody else can write holds it. One file per inventory folder: a new key
replaces the old file.
"""

from __future__ import annotations

import copyreg
import gc
import hashlib
import ipaddress
import logging
import os
import pickle
import tempfile
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any

from nornir_tasks.inventory.digests import entity_digests
from nornir_tasks.inventory.load import FILES, LoadResult, load_or_raise

logger = logging.getLogger(__name__)

#: Bump when the pickled shape changes in a way the code fingerprint would not notice.
CACHE_VERSION = 2

#: Modules whose code decides what a load returns (relative to the package folder; folders include *.py below).
_CODE = ("model.py", "errors.py", "inventory", "platforms")


def _package() -> Path:
    return Path(__file__).resolve().parent.parent


def code_fingerprint() -> str:
    """Size and mtime of every module that loads or validates: a changed check invalidates the cache.

    Examples:
        >>> len(code_fingerprint()) == 32 and code_fingerprint() == code_fingerprint()
        True
    """
    h = hashlib.blake2b(digest_size=16)
    root = _package()
    for part in _CODE:
        p = root / part
        files = sorted(p.rglob("*.py")) if p.is_dir() else [p]
        for f in files:
            st = f.stat()
            h.update(f"{f.relative_to(root)}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def inventory_key(folder: Path, today: date) -> str:
    """The cache key of ``folder`` judged on ``today``: files' bytes, the date, the code fingerprint.

    Examples:
        >>> import tempfile
        >>> d = Path(tempfile.mkdtemp())
        >>> a = inventory_key(d, date(2026, 1, 1)); _ = (d / "sites.yaml").write_text("{}")
        >>> a != inventory_key(d, date(2026, 1, 1)), a != inventory_key(Path(tempfile.mkdtemp()), date(2026, 1, 2))
        (True, True)
    """
    h = hashlib.blake2b(digest_size=20)
    h.update(f"govnet-inventory-cache {CACHE_VERSION} {code_fingerprint()} {today.isoformat()}\n".encode())
    for name in FILES:
        path = folder / name
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            h.update(f"{name} missing\n".encode())
            continue
        h.update(f"{name} {len(data)}\n".encode())
        h.update(data)
    return h.hexdigest()


_IP_TYPES = (ipaddress.IPv4Address, ipaddress.IPv6Address, ipaddress.IPv4Network, ipaddress.IPv6Network,
             ipaddress.IPv4Interface, ipaddress.IPv6Interface)


def _reduce_ip(obj: Any) -> tuple[Any, ...]:
    """Pickle an ``ipaddress`` object as integers (restored without parsing text again: the national inventory
    holds about 150,000 of them, and parsing them back was a large part of the cache's load time).

    Examples:
        >>> import io
        >>> a = ipaddress.ip_interface("10.12.0.1/30")
        >>> buf = io.BytesIO(); p = pickle.Pickler(buf); p.dispatch_table = _DISPATCH; p.dump(a)
        >>> b = pickle.loads(buf.getvalue()); (b == a, str(b.network), type(b).__name__)
        (True, '10.12.0.0/30', 'IPv4Interface')
    """
    if isinstance(obj, (ipaddress.IPv4Interface, ipaddress.IPv6Interface)):
        return type(obj), ((int(obj), obj.network.prefixlen),)
    if isinstance(obj, (ipaddress.IPv4Network, ipaddress.IPv6Network)):
        return type(obj), ((int(obj.network_address), obj.prefixlen),)
    return type(obj), (int(obj),)


_DISPATCH: Mapping[type, Any] = MappingProxyType({**copyreg.dispatch_table, **{t: _reduce_ip for t in _IP_TYPES}})


def _cache_file(cache_dir: Path, folder: Path, key: str) -> Path:
    where = hashlib.blake2b(str(folder.resolve()).encode(), digest_size=6).hexdigest()
    return cache_dir / f"inventory-{where}-{key}.pickle"


def _read(path: Path) -> LoadResult | None:
    was = gc.isenabled()
    gc.disable()     # a million objects come back at once; see load_inventory for why the collector pauses
    try:
        with path.open("rb") as fh:
            got = pickle.load(fh)
    except FileNotFoundError:
        return None
    except Exception as exc:   # a truncated or foreign file: rebuild it
        logger.warning("inventory cache %s unreadable (%s): rebuilding it", path, exc)
        return None
    finally:
        if was:
            gc.enable()
    return got if isinstance(got, LoadResult) else None


def _write(path: Path, result: LoadResult) -> None:
    from nornir_tasks.fileio import private_dir

    private_dir(path.parent)
    for old in path.parent.glob(path.name.rsplit("-", 1)[0] + "-*.pickle"):
        if old != path:
            old.unlink(missing_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".inventory-", suffix=".tmp")   # 0600
    try:
        with os.fdopen(fd, "wb") as fh:
            pickler = pickle.Pickler(fh, protocol=pickle.HIGHEST_PROTOCOL)
            pickler.dispatch_table = _DISPATCH
            pickler.dump(result)
        os.replace(tmp, path)
    except OSError as exc:     # a full disk or a read-only state folder: the cache is only a speed-up
        logger.warning("inventory cache %s not written (%s)", path, exc)
        Path(tmp).unlink(missing_ok=True)


def load_cached(folder: str | Path, cache_dir: str | Path | None, *, today: date | None = None) -> LoadResult:
    """:func:`~nornir_tasks.inventory.load.load_or_raise`, served from ``cache_dir`` when nothing changed.

    ``cache_dir=None`` loads without a cache. Raises :class:`~nornir_tasks.errors.InventoryError` exactly as
    ``load_or_raise`` does (an inventory with errors is never cached).
    """
    folder = Path(folder)
    day = today or date.today()
    if cache_dir is None or not folder.is_dir():
        return load_or_raise(folder, today=today)
    path = _cache_file(Path(cache_dir), folder, inventory_key(folder, day))
    hit = _read(path)
    if hit is not None:
        logger.debug("inventory %s from cache %s", folder, path.name)
        hit.folder = folder
        return hit
    result = load_or_raise(folder, today=today)
    result.digests = entity_digests(result.inventory)
    _write(path, result)
    return result
