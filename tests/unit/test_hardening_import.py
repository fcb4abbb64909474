"""R1 hardening #13 and #15: ``compliance import`` refuses bad bundles with a CMP-003 sentence (never a traceback,
never unbounded memory), and special files are refused."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from nornir_tasks.compliance import import_bundle
from nornir_tasks.compliance.import_bundle import MAX_ECHO_LINE, MAX_FILE, clean_output, load_bundle
from nornir_tasks.errors import ComplianceError
from nornir_tasks.inventory.load import load_or_raise
from tests.conftest import ROOT

HOST = "lcu-sin-ho-ce01"
CONFIG = (ROOT / "tests/fixtures/compliance/frr/ospf_clean/running.cfg").read_text()
NOW = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def inv():
    return load_or_raise(ROOT / "inventory").inventory


def _refused(src: Path, inv, *words: str) -> str:
    with pytest.raises(ComplianceError) as exc:
        load_bundle(src, inv, now=NOW)
    assert exc.value.code == "CMP-003"
    for w in words:
        assert w in exc.value.message, exc.value.message
    return exc.value.message


def _folder(tmp_path: Path, manifest: str | None = None) -> Path:
    src = tmp_path / "bundle"
    src.mkdir()
    (src / f"{HOST}.cfg").write_text(CONFIG)
    if manifest is not None:
        (src / "manifest.yaml").write_text(manifest)
    return src


@pytest.mark.parametrize("manifest,words", [
    ("collected_at: 2026-13-45\n", ["not a valid manifest"]),
    ("hosts:\n  - lcu-sin-ho-ce01\n", ["'hosts' must be a mapping"]),
    ("collected_at: 2027-06-01\n", ["in the future"]),
    ("collected_at: 99999-01-01\n", ["not a date"]),
])
def test_malformed_or_future_manifests(tmp_path: Path, inv, manifest: str, words: list[str]) -> None:
    _refused(_folder(tmp_path, manifest), inv, *words)


def test_file_size_is_checked_before_reading(tmp_path: Path) -> None:
    src = _folder(tmp_path)
    big = src / "lcu-tu-ce01.cfg"
    with open(big, "wb") as fh:          # sparse: 3 GB on paper, nothing on disk
        fh.truncate(3 * 1024**3)
    # run with 1.5 GB of address space: reading the file before checking its size would be a MemoryError
    code = ("import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (1536 * 2**20, 1536 * 2**20)); "
            "from nornir_tasks.compliance.import_bundle import load_bundle; "
            "from nornir_tasks.inventory.load import load_or_raise; from nornir_tasks.errors import ComplianceError\n"
            "try:\n load_bundle(sys.argv[1], load_or_raise(sys.argv[2]).inventory)\n"
            "except ComplianceError as exc:\n print(exc.code, exc.message)")
    proc = subprocess.run([sys.executable, "-c", code, str(src), str(ROOT / "inventory")], capture_output=True,
                          text=True, timeout=300, check=False)
    assert proc.returncode == 0 and proc.stdout.startswith("CMP-003") and "larger than" in proc.stdout, proc.stderr


@pytest.mark.parametrize("kind", ["fifo", "symlink-dev-zero"])
def test_special_files_are_refused(tmp_path: Path, inv, kind: str) -> None:
    src = _folder(tmp_path)
    target = src / "lcu-tu-ce01.cfg"
    if kind == "fifo":
        os.mkfifo(target)
    else:
        target.symlink_to("/dev/zero")
    _refused(src, inv, "not a regular file")


def _zip(tmp_path: Path, text: str = CONFIG, name: str = f"{HOST}.cfg", **info) -> Path:
    path = tmp_path / "b.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zi = zipfile.ZipInfo(name, date_time=(2026, 11, 20, 0, 0, 0))
        zi.compress_type = zipfile.ZIP_DEFLATED
        for k, v in info.items():
            setattr(zi, k, v)
        zf.writestr(zi, text)
    return path


def _patch_method(path: Path, method: int) -> None:
    data = bytearray(path.read_bytes())
    for sig, off in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        i = data.index(sig)
        data[i + off:i + off + 2] = struct.pack("<H", method)
    path.write_bytes(bytes(data))


def test_truncated_zip(tmp_path: Path, inv) -> None:
    path = _zip(tmp_path)
    data = path.read_bytes()
    cut = data.index(b"PK\x01\x02")
    path.write_bytes(data[:40] + data[cut:])      # central directory intact, the entry's data gone
    _refused(path, inv, "damaged")


def test_encrypted_entry(tmp_path: Path, inv) -> None:
    path = _zip(tmp_path)
    data = bytearray(path.read_bytes())
    for sig, off in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):    # general purpose flag bit 0: encrypted
        i = data.index(sig)
        data[i + off] |= 0x1
    path.write_bytes(bytes(data))
    _refused(path, inv, "encrypted")


def test_deflate64_entry(tmp_path: Path, inv) -> None:
    path = _zip(tmp_path)
    _patch_method(path, 9)                                       # Deflate64, which Python cannot read
    _refused(path, inv, "compression method 9")


def test_zip_that_lies_about_its_size(tmp_path: Path, inv) -> None:
    path = _zip(tmp_path, text="!" * (MAX_FILE + 10))
    data = bytearray(path.read_bytes())
    for sig, off in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):   # uncompressed size: claim 100 bytes
        i = data.index(sig)
        data[i + off:i + off + 4] = struct.pack("<I", 100)
    path.write_bytes(bytes(data))
    _refused(path, inv)


def test_total_size_limit(tmp_path: Path, inv, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(import_bundle, "MAX_TOTAL", len(CONFIG) + 10)   # a small limit stands in for 512 MB
    src = _folder(tmp_path)
    (src / "lcu-tu-ce01.cfg").write_text(CONFIG)
    _refused(src, inv, "in all")
    path = tmp_path / "two.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"{HOST}.cfg", CONFIG)
        zf.writestr("lcu-tu-ce01.cfg", CONFIG)
    _refused(path, inv, "more than")


class _Spy:
    """Counts the characters the prompt regex is run over (the work it can do grows with them)."""

    def __init__(self, regex) -> None:
        self.regex, self.chars = regex, 0

    def match(self, line: str):
        self.chars += len(line)
        return self.regex.match(line)


def test_long_lines_never_reach_the_prompt_regex(monkeypatch: pytest.MonkeyPatch) -> None:
    spy = _Spy(import_bundle._ECHO)
    monkeypatch.setattr(import_bundle, "_ECHO", spy)
    hostile = "@" * 68_000 + "\n" + "R1#show running-config\nhostname R1\n"
    assert clean_output(hostile).endswith("hostname R1\n")
    assert "show running-config" not in clean_output(hostile)
    assert spy.chars <= 3 * MAX_ECHO_LINE * 2             # only the short lines were matched
