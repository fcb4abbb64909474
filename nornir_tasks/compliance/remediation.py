"""Remediation and rollback configs at fixed paths, for the deploy stage to push.

``compare`` (:mod:`nornir_tasks.compliance.check`) computes both with hier_config's ``WorkflowRemediation``
over the features that differ. Secrets are masked before comparing, so a remediation line that came from the
intended config gets its placeholder back (``<secret:ENV>``, substituted by the deploy stage at push time):
no secret value is ever written here.

Paths: ``<build_dir>/remediation/<host>.cfg`` and ``<build_dir>/rollback/<host>.cfg``. A device found
compliant loses its old files, so a stale remediation can never be pushed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from nornir_tasks.fileio import write_if_changed


def placeholder_map(original: str, masked: str) -> dict[str, str]:
    """Masked line → original line, for the lines that masking changed (same line count on both sides).

    Examples:
        >>> placeholder_map("username a secret 9 <secret:X>\\nhostname r\\n", "username a secret 9 <secret>\\nhostname r\\n")
        {'username a secret 9 <secret>': 'username a secret 9 <secret:X>'}
    """
    out: dict[str, str] = {}
    for o, m in zip(original.splitlines(), masked.splitlines()):
        if o != m:
            out[" ".join(m.split())] = " ".join(o.split())
    return out


def restore_placeholders(text: str, mapping: dict[str, str]) -> str:
    """Put the intended config's placeholders back into remediation lines that came from it.

    Examples:
        >>> restore_placeholders("username a secret 9 <secret>\\n", {"username a secret 9 <secret>": "username a secret 9 <secret:X>"})
        'username a secret 9 <secret:X>\\n'
    """
    if not mapping:
        return text
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        hit = mapping.get(stripped)
        lines.append(line[: len(line) - len(line.lstrip())] + hit if hit is not None else line)
    return "\n".join(lines) + ("\n" if text.endswith("\n") else "")


def paths_for(build_dir: Path, host: str) -> tuple[Path, Path]:
    """The fixed remediation and rollback paths of a host.

    Examples:
        >>> [str(p) for p in paths_for(Path("build"), "r1")]
        ['build/remediation/r1.cfg', 'build/rollback/r1.cfg']
    """
    return build_dir / "remediation" / f"{host}.cfg", build_dir / "rollback" / f"{host}.cfg"


def write_remediations(build_dir: Path, remediations: dict[str, tuple[str, str]],
                       compliant: Iterable[str] = ()) -> list[Path]:
    """Write each host's remediation and rollback; remove the files of hosts now compliant. Returns the
    paths written or changed."""
    changed: list[Path] = []
    for host, (rem, back) in sorted(remediations.items()):
        rem_path, back_path = paths_for(build_dir, host)
        if write_if_changed(rem_path, rem):
            changed.append(rem_path)
        if write_if_changed(back_path, back):
            changed.append(back_path)
    for host in compliant:
        for p in paths_for(build_dir, host):
            if p.is_file():
                p.unlink()
                changed.append(p)
    return changed
