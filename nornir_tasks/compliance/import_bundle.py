"""``govnet compliance import BUNDLE``: configurations collected by hand at sites the tool cannot reach.

A bundle is a folder or a ``.zip`` of ``show running-config`` / ``display current-configuration`` outputs,
one file per device, named by host (``lcu-mu-ca-ce01.cfg``, ``.txt``, ``.conf``, ``.log`` or no extension).
The collection date comes from, in this order: the bundle's ``manifest.yaml``
(``collected_at: 2026-11-20`` for all, or ``hosts: {name: {collected_at: ...}}``), else the file's
modification time (a zip entry's date); a date in the future is refused. Prompt and command echo lines (``R1#show running-config``,
``<HUAWEI>display current-configuration``) and pager marks are removed. The configs are then checked
exactly like backups, and every result is marked *reported offline* with its collection date.

Limits (each refused with a CMP-003 sentence before anything is read into memory): one file at most
:data:`MAX_FILE` bytes, a bundle at most :data:`MAX_FILES` files and :data:`MAX_TOTAL` bytes in all (a zip's sizes
as stored, and again as really read, so a zip that lies about its sizes is caught); only regular files (no
symbolic link, FIFO or device); zip entries stored, deflated, bzip2 or LZMA, not encrypted.
"""

from __future__ import annotations

import lzma
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from nornir_tasks.compliance.run import RunningConfig
from nornir_tasks.errors import ComplianceError
from nornir_tasks.model import Inventory

EXTENSIONS = {"", ".cfg", ".txt", ".conf", ".log"}
MANIFESTS = {"manifest.yaml", "manifest.yml"}
MAX_FILE = 16 * 1024 * 1024
MAX_FILES = 20_000
MAX_TOTAL = 512 * 1024 * 1024
#: A prompt or command echo is a short line; longer lines are config text (and never run through the regex).
MAX_ECHO_LINE = 300
_ZIP_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflate", zipfile.ZIP_BZIP2: "bzip2",
                zipfile.ZIP_LZMA: "lzma"}

_ECHO = re.compile(r"^(?:\S+[#>]\s*(?:show|sh|display|dis)\s.*|<[^>\s]+>\s*(?:display|dis)\s.*|\[[^\]\s]+\]\s*.*|"
                   r"\S+@\S+[>#]\s*show\s.*|\s*-+\s*More\s*-+\s*|\S+[#>]\s*)$", re.IGNORECASE)
_CTRL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\x1b\[[0-9;]*[A-Za-z]")


@dataclass
class Bundle:
    """What a bundle held: running configs by host, and the files it skipped (with why)."""

    running: dict[str, RunningConfig] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)


def clean_output(text: str) -> str:
    """Remove prompts, command echoes, pager marks and terminal control characters from captured output.

    Examples:
        >>> clean_output("R1#show running-config\\r\\nhostname R1\\r\\n --More-- \\r\\nR1#")
        'hostname R1\\n'
        >>> clean_output("<lcu-hdnd-ce01>display current-configuration\\nsysname lcu-hdnd-ce01\\nreturn\\n")
        'sysname lcu-hdnd-ce01\\nreturn\\n'
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CTRL.sub("", text)
    lines = [ln for ln in text.split("\n") if len(ln) > MAX_ECHO_LINE or not _ECHO.match(ln)]
    return "\n".join(lines).strip("\n") + "\n"


def _when(value: Any, where: str) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime.combine(value, time(12, 0), tzinfo=UTC)
    try:
        parsed = datetime.fromisoformat(str(value))
    except (ValueError, OverflowError) as exc:
        raise ComplianceError(f"{where}: collected_at {value!r} is not a date (YYYY-MM-DD)", code="CMP-003",
                              hint="write the collection date as YYYY-MM-DD") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _manifest(text: str, where: str) -> tuple[datetime | None, dict[str, datetime]]:
    try:
        data = yaml.safe_load(text) or {}
    except (yaml.YAMLError, ValueError, OverflowError) as exc:   # 2026-13-45 fails in the YAML date constructor
        raise ComplianceError(f"{where}: not a valid manifest: {' '.join(str(exc).split())[:200]}", code="CMP-003",
                              hint="fix the manifest (dates as YYYY-MM-DD) or remove it") from exc
    if not isinstance(data, dict):
        raise ComplianceError(f"{where}: the manifest must be a mapping", code="CMP-003",
                              hint="write 'collected_at: YYYY-MM-DD' and optionally 'hosts: {name: {collected_at: ...}}'")
    default = _when(data["collected_at"], where) if data.get("collected_at") else None
    hosts: dict[str, datetime] = {}
    listed = data.get("hosts") or {}
    if not isinstance(listed, dict):
        raise ComplianceError(f"{where}: 'hosts' must be a mapping of host name to {{collected_at: ...}}",
                              code="CMP-003", hint="write 'hosts: {lcu-mu-ca-ce01: {collected_at: 2026-11-18}}'")
    for name, item in listed.items():
        if isinstance(item, dict) and item.get("collected_at"):
            hosts[str(name)] = _when(item["collected_at"], f"{where} hosts.{name}")
    return default, hosts


def _decode(raw: bytes, where: str) -> str:
    if len(raw) > MAX_FILE:
        raise ComplianceError(f"{where}: file is larger than {MAX_FILE // 1048576} MB", code="CMP-003",
                              hint="a configuration file is much smaller: check the file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ComplianceError(f"{where}: byte {exc.start} is not UTF-8", code="CMP-003",
                              hint="save the captured output as UTF-8") from exc


def _too_big(where: str, size: int) -> ComplianceError:
    return ComplianceError(f"{where}: {size} bytes, larger than {MAX_FILE // 1048576} MB", code="CMP-003",
                           hint="a configuration file is much smaller: check the file")


def _folder_entries(src: Path) -> list[tuple[str, bytes, datetime]]:
    """Regular files of a folder bundle; sizes and kinds checked (``lstat``) before anything is read."""
    entries: list[tuple[str, bytes, datetime]] = []
    total = 0
    for p in sorted(src.rglob("*")):
        st = p.lstat()
        name = str(p.relative_to(src))
        if stat.S_ISDIR(st.st_mode):
            continue
        if not stat.S_ISREG(st.st_mode):
            raise ComplianceError(f"{src}:{name}: not a regular file (a symbolic link, FIFO or device)",
                                  code="CMP-003", hint="copy the captured output into a plain file")
        if len(entries) >= MAX_FILES:
            raise ComplianceError(f"{src}: more than {MAX_FILES} files", code="CMP-003", hint="split the bundle")
        if st.st_size > MAX_FILE:
            raise _too_big(f"{src}:{name}", st.st_size)
        total += st.st_size
        if total > MAX_TOTAL:
            raise ComplianceError(f"{src}: more than {MAX_TOTAL // 1048576} MB in all", code="CMP-003",
                                  hint="split the bundle")
        with open(p, "rb") as fh:                # the size may have changed since lstat: read at most the limit
            raw = fh.read(MAX_FILE + 1)
        if len(raw) > MAX_FILE:
            raise _too_big(f"{src}:{name}", len(raw))
        entries.append((name, raw, datetime.fromtimestamp(st.st_mtime, tz=UTC)))
    return entries


def _zip_entries(src: Path) -> list[tuple[str, bytes, datetime]]:
    """Entries of a zip bundle; sizes, methods and encryption checked first, every read bounded."""
    entries: list[tuple[str, bytes, datetime]] = []
    try:
        with zipfile.ZipFile(src) as zf:
            infos = [i for i in zf.infolist() if not i.is_dir()]
            if len(infos) > MAX_FILES:
                raise ComplianceError(f"{src}: {len(infos)} files, more than {MAX_FILES}", code="CMP-003",
                                      hint="split the bundle")
            if sum(i.file_size for i in infos) > MAX_TOTAL:
                raise ComplianceError(f"{src}: expands to more than {MAX_TOTAL // 1048576} MB", code="CMP-003",
                                      hint="split the bundle")
            total = 0
            for info in infos:
                where = f"{src}:{info.filename}"
                if info.flag_bits & 0x1:
                    raise ComplianceError(f"{where}: encrypted", code="CMP-003",
                                          hint="make the zip without a password (configs hold no secret here)")
                if info.compress_type not in _ZIP_METHODS:
                    raise ComplianceError(f"{where}: compression method {info.compress_type} is not supported",
                                          code="CMP-003", hint="zip it again with ordinary Deflate compression")
                if info.file_size > MAX_FILE:
                    raise _too_big(where, info.file_size)
                with zf.open(info) as fh:
                    raw = fh.read(MAX_FILE + 1)     # a zip that lies about its sizes is still bounded
                if len(raw) > MAX_FILE:
                    raise _too_big(where, len(raw))
                total += len(raw)
                if total > MAX_TOTAL:
                    raise ComplianceError(f"{src}: expands to more than {MAX_TOTAL // 1048576} MB", code="CMP-003",
                                          hint="split the bundle")
                try:
                    when = datetime(*info.date_time, tzinfo=UTC)
                except ValueError:
                    when = datetime.now(UTC)
                entries.append((info.filename, raw, when))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, RuntimeError, NotImplementedError,
            ValueError, zlib.error, lzma.LZMAError) as exc:
        raise ComplianceError(f"{src}: the zip file is damaged or cannot be read ({' '.join(str(exc).split())[:200]})",
                              code="CMP-003", hint="make the zip again from the collected files") from exc
    return entries


def load_bundle(path: str | Path, inv: Inventory, *, now: datetime | None = None) -> Bundle:
    """Read a bundle (folder or zip). Unknown host names are an error (CMP-003) naming the file; so are a file
    over the limits, a special file, a damaged zip and a collection date after ``now``."""
    src = Path(path)
    now = now or datetime.now(UTC)
    entries: list[tuple[str, bytes, datetime]]     # (name inside the bundle, content, file date)
    if src.is_dir():
        entries = _folder_entries(src)
    elif src.is_file() and zipfile.is_zipfile(src):
        entries = _zip_entries(src)
    elif src.exists():
        raise ComplianceError(f"{src} is neither a folder nor a zip file", code="CMP-003",
                              hint="give a folder or a .zip of configuration files named by host")
    else:
        raise ComplianceError(f"bundle {src} not found", code="CMP-003", hint="check the path")

    default: datetime | None = None
    per_host: dict[str, datetime] = {}
    for name, raw, _ in entries:
        if PurePosixPath(name).name in MANIFESTS:
            default, per_host = _manifest(_decode(raw, f"{src}:{name}"), f"{src}:{name}")
    bundle = Bundle()
    unknown: list[str] = []
    for name, raw, mtime in entries:
        pure = PurePosixPath(name)
        if pure.name in MANIFESTS or pure.name.startswith(".") or "__MACOSX" in pure.parts:
            continue
        if pure.suffix.lower() not in EXTENSIONS:
            bundle.skipped.append(f"{name}: not a configuration file ({pure.suffix})")
            continue
        host = pure.stem if pure.suffix.lower() in EXTENSIONS - {""} else pure.name
        if host not in inv.devices:
            unknown.append(name)
            continue
        if host in bundle.running:
            raise ComplianceError(f"{src}: two files for host {host} ({name})", code="CMP-003",
                                  hint="keep one configuration per host")
        text = clean_output(_decode(raw, f"{src}:{name}"))
        if not text.strip():
            bundle.skipped.append(f"{name}: empty")
            continue
        when = per_host.get(host) or default or mtime
        if when > now + timedelta(days=1):      # one day of slack for time zones
            raise ComplianceError(f"{src}:{name}: collected {when.date().isoformat()}, which is in the future",
                                  code="CMP-003", hint="fix the date in manifest.yaml (or the file's date)")
        bundle.running[host] = RunningConfig(text=text, collected_at=when, source="offline")
    if unknown:
        raise ComplianceError(f"{src}: {len(unknown)} file(s) name no device of the inventory: "
                              f"{', '.join(sorted(unknown)[:10])}", code="CMP-003",
                              hint="name each file after the device (hosts.yaml), e.g. lcu-mu-ca-ce01.cfg")
    if not bundle.running:
        raise ComplianceError(f"{src}: no configuration file found", code="CMP-003",
                              hint="put one file per device, named by host, in the folder or zip")
    return bundle
