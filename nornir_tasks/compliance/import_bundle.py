"""``govnet compliance import BUNDLE``: configurations collected by hand at sites the tool cannot reach.

A bundle is a folder or a ``.zip`` of ``show running-config`` / ``display current-configuration`` outputs,
one file per device, named by host (``lcu-mu-ca-ce01.cfg``, ``.txt``, ``.conf``, ``.log`` or no extension).
The collection date comes from, in this order: the bundle's ``manifest.yaml``
(``collected_at: 2026-11-20`` for all, or ``hosts: {name: {collected_at: ...}}``), else the file's
modification time (a zip entry's date). Prompt and command echo lines (``R1#show running-config``,
``<HUAWEI>display current-configuration``) and pager marks are removed. The configs are then checked
exactly like backups, and every result is marked *reported offline* with its collection date.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
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
    lines = [ln for ln in text.split("\n") if not _ECHO.match(ln)]
    return "\n".join(lines).strip("\n") + "\n"


def _when(value: Any, where: str) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime.combine(value, time(12, 0), tzinfo=UTC)
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError as exc:
        raise ComplianceError(f"{where}: collected_at {value!r} is not a date (YYYY-MM-DD)", code="CMP-003",
                              hint="write the collection date as YYYY-MM-DD") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _manifest(text: str, where: str) -> tuple[datetime | None, dict[str, datetime]]:
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise ComplianceError(f"{where}: not valid YAML: {exc}", code="CMP-003",
                              hint="fix the manifest or remove it") from exc
    if not isinstance(data, dict):
        raise ComplianceError(f"{where}: the manifest must be a mapping", code="CMP-003",
                              hint="write 'collected_at: YYYY-MM-DD' and optionally 'hosts: {name: {collected_at: ...}}'")
    default = _when(data["collected_at"], where) if data.get("collected_at") else None
    hosts: dict[str, datetime] = {}
    for name, item in (data.get("hosts") or {}).items():
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


def load_bundle(path: str | Path, inv: Inventory) -> Bundle:
    """Read a bundle (folder or zip). Unknown host names are an error (CMP-003) naming the file."""
    src = Path(path)
    entries: list[tuple[str, bytes, datetime]] = []     # (name inside the bundle, content, file date)
    if src.is_dir():
        for p in sorted(src.rglob("*")):
            if p.is_file():
                entries.append((str(p.relative_to(src)), p.read_bytes(),
                                datetime.fromtimestamp(p.stat().st_mtime, tz=UTC)))
    elif src.is_file() and zipfile.is_zipfile(src):
        with zipfile.ZipFile(src) as zf:
            infos = [i for i in zf.infolist() if not i.is_dir()]
            if len(infos) > MAX_FILES:
                raise ComplianceError(f"{src}: {len(infos)} files, more than {MAX_FILES}", code="CMP-003",
                                      hint="split the bundle")
            for info in infos:
                if info.file_size > MAX_FILE:
                    raise ComplianceError(f"{src}:{info.filename}: larger than {MAX_FILE // 1048576} MB",
                                          code="CMP-003", hint="check the file")
                entries.append((info.filename, zf.read(info), datetime(*info.date_time, tzinfo=UTC)))
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
        bundle.running[host] = RunningConfig(text=text, collected_at=when, source="offline")
    if unknown:
        raise ComplianceError(f"{src}: {len(unknown)} file(s) name no device of the inventory: "
                              f"{', '.join(sorted(unknown)[:10])}", code="CMP-003",
                              hint="name each file after the device (hosts.yaml), e.g. lcu-mu-ca-ce01.cfg")
    if not bundle.running:
        raise ComplianceError(f"{src}: no configuration file found", code="CMP-003",
                              hint="put one file per device, named by host, in the folder or zip")
    return bundle
