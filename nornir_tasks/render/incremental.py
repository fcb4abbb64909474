"""Incremental rendering: re-render only the hosts whose inputs changed since the last run into the same folder.

A host's intended config is a function of its render context, and the context reads only: the device, its
site, its merged group/defaults data, the circuits ending on it (and the far-end devices), the links on its
interfaces, the LANs of its site — plus the templates and the rendering code. :func:`fingerprints` digests
exactly those inputs per host (entity digests are computed once per entity and shared); a manifest kept next to
the build cache records, per host, the fingerprint and the size and mtime of the file it wrote. A host whose
fingerprint matches and whose file is still the one written is ``unchanged`` without rendering; a host that
failed is never recorded (it is rendered, and reported, again). Pure core: no nornir.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from nornir_tasks.inventory.digests import Digests, entity_digests
from nornir_tasks.model import Inventory

__all__ = ["Digests", "entity_digests", "fingerprints", "read_manifest", "unchanged", "write_manifest",
           "manifest_path", "code_and_templates_digest"]

logger = logging.getLogger(__name__)

#: Bump when what a fingerprint covers changes.
FORMAT = 1

#: Code whose change changes a rendering (relative to the package folder).
_CODE = ("render", "platforms", "model.py")

def code_and_templates_digest(templates_dir: Path, *, lab: bool) -> bytes:
    """Digest of every template file's bytes, of the rendering code (size and mtime), and of the lab mode."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"govnet-render {FORMAT} lab={lab}\n".encode())
    root = Path(__file__).resolve().parent.parent
    for part in _CODE:
        p = root / part
        for f in sorted(p.rglob("*.py")) if p.is_dir() else [p]:
            st = f.stat()
            h.update(f"{f.relative_to(root)}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    for f in sorted(Path(templates_dir).rglob("*")):
        if f.is_file():
            h.update(f"{f.relative_to(templates_dir)}\n".encode())
            h.update(f.read_bytes())
    return h.digest()


def fingerprints(inv: Inventory, hosts: Iterable[str], base: bytes, digests: Mapping[tuple[str, str], bytes]) -> dict[str, str]:
    """Each host's fingerprint: ``base`` (templates, code, lab mode), the digests of the entities its render
    context reads (device, site, the site's LANs, circuits and links ending on it with their far-end devices) and
    of all group and defaults data (a change there re-renders everyone). Hosts missing from the inventory get none.

    Examples:
        >>> from nornir_tasks.inventory.load import load_inventory
        >>> inv = load_inventory("inventory").inventory
        >>> d = entity_digests(inv)
        >>> a = fingerprints(inv, ["lcu-gw01", "lcu-sin-ho-ce01"], b"t", d)
        >>> d2 = {**d, ("site", inv.devices["lcu-sin-ho-ce01"].site): b"changed"}
        >>> b = fingerprints(inv, ["lcu-gw01", "lcu-sin-ho-ce01"], b"t", d2)
        >>> a["lcu-gw01"] == b["lcu-gw01"], a["lcu-sin-ho-ce01"] == b["lcu-sin-ho-ce01"]
        (True, False)
    """
    missing = b"-"
    refs: dict[str, list[bytes]] = {}
    for kind, joins in (("circuit", inv.circuits), ("link", inv.links)):
        for key, j in joins.items():
            mine = digests.get((kind, key), missing)
            for near, far in ((j.a.device, j.z.device), (j.z.device, j.a.device)):   # type: ignore[attr-defined]
                refs.setdefault(near, []).append(mine + digests.get(("device", far), missing))
    shared = hashlib.blake2b(base, digest_size=16)
    shared.update(digests.get(("defaults", ""), missing))
    for g in sorted(inv.groups):
        shared.update(g.encode() + digests.get(("group", g), missing))
    start = shared.digest()
    out: dict[str, str] = {}
    for name in hosts:
        dev = inv.devices.get(name)
        if dev is None:
            continue
        parts = [start, digests.get(("device", name), missing), digests.get(("site", dev.site), missing),
                 digests.get(("lans", dev.site), missing), *refs.get(name, ())]
        out[name] = hashlib.blake2b(b"".join(parts), digest_size=16).hexdigest()
    return out


def read_manifest(path: Path) -> dict[str, list[object]]:
    """The last run's ``host → [fingerprint, size, mtime_ns]`` (empty when missing or unreadable)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    hosts = data.get("hosts") if isinstance(data, dict) and data.get("format") == FORMAT else None
    return hosts if isinstance(hosts, dict) else {}


def unchanged(manifest: Mapping[str, Sequence[object]], fps: Mapping[str, str], out_dir: Path,
              hosts: Iterable[str]) -> set[str]:
    """Hosts whose fingerprint matches the manifest and whose file is still the one written (size, mtime)."""
    same: set[str] = set()
    folder = str(out_dir)    # speed: os.stat on strings, not pathlib, for 10,000 files
    for name in hosts:
        entry = manifest.get(name)
        fp = fps.get(name)
        if not entry or fp is None or entry[0] != fp:
            continue
        try:
            st = os.stat(os.path.join(folder, name + ".cfg"))
        except OSError:
            continue
        if [st.st_size, st.st_mtime_ns] == list(entry[1:3]):
            same.add(name)
    return same


def write_manifest(path: Path, previous: Mapping[str, Sequence[object]], fps: Mapping[str, str], out_dir: Path,
                   rendered_ok: Iterable[str], failed: Iterable[str]) -> None:
    """Record the hosts just rendered (fingerprint, size, mtime); forget the failed ones; keep the rest."""
    from nornir_tasks.fileio import write_if_changed

    hosts = dict(previous)
    for name in failed:
        hosts.pop(name, None)
    for name in rendered_ok:
        try:
            st = (out_dir / f"{name}.cfg").stat()
        except OSError:
            hosts.pop(name, None)
            continue
        hosts[name] = [fps[name], st.st_size, st.st_mtime_ns]
    try:
        write_if_changed(path, json.dumps({"format": FORMAT, "out": str(out_dir), "hosts": hosts},
                                          separators=(",", ":"), sort_keys=True))
    except OSError as exc:       # the manifest is only a speed-up
        logger.warning("render manifest %s not written (%s)", path, exc)


def manifest_path(cache_dir: Path, out_dir: Path) -> Path:
    """Where the manifest of renders into ``out_dir`` lives.

    Examples:
        >>> manifest_path(Path("build/cache"), Path("/x/intended")).name.startswith("render-")
        True
    """
    key = hashlib.blake2b(str(Path(out_dir).resolve()).encode(), digest_size=6).hexdigest()
    return Path(cache_dir) / f"render-{key}.json"
