"""Remediation and rollback configs at fixed paths, for the deploy stage to push.

``compare`` (:mod:`nornir_tasks.compliance.check`) computes both with hier_config's ``WorkflowRemediation``
over the features that differ. Secrets are masked before comparing, so a remediation line that came from the
intended config gets its placeholder back (``<secret:ENV>``, substituted by the deploy stage at push time):
no secret value is ever written here.

Paths: ``<build_dir>/remediation/<host>.cfg`` and ``<build_dir>/rollback/<host>.cfg``. A device found
compliant loses its old files, so a stale remediation can never be pushed.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

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


def predict(platform: str, running: str, remediation: str) -> str:
    """The running config as hier_config predicts it after the remediation is applied (``HConfig.future``).

    Used to check, offline, that a remediation brings a device to its intended config.

    Examples:
        >>> print(predict("frr", "hostname r1\\nip route 192.0.2.0/24 Null0\\n", "no ip route 192.0.2.0/24 Null0\\n"), end="")
        hostname r1
    """
    from hier_config import get_hconfig

    from nornir_tasks.compliance.check import get_driver, parse_config, to_hconfig
    from nornir_tasks.model import Platform
    from nornir_tasks.platforms import info

    plat = Platform(platform)
    if info(plat).config_style == "set":
        return _predict_set(running, remediation)
    parsed = parse_config(plat, running)
    current = to_hconfig(parsed, list(parsed.tree))
    change = get_hconfig(get_driver(plat), remediation)
    future = current.future(change)
    lines: list[str] = []
    for child in future.children:
        lines.extend(child.lines())
    return "\n".join(lines) + ("\n" if lines else "")


def _predict_set(running: str, remediation: str) -> str:
    """Set-style (Junos) prediction: ``delete X`` removes ``set X`` and every ``set X ...`` below it; ``set X``
    adds the line.

    Examples:
        >>> _predict_set("set system services ssh\\nset system services telnet\\n", "delete system services telnet\\n")
        'set system services ssh\\n'
    """
    lines = [ln.strip() for ln in running.splitlines() if ln.strip().startswith("set ")]
    for cmd in (ln.strip() for ln in remediation.splitlines()):
        if cmd.startswith("delete "):
            target = "set " + cmd[len("delete "):]
            lines = [ln for ln in lines if ln != target and not ln.startswith(target + " ")]
        elif cmd.startswith("set ") and cmd not in lines:
            lines.append(cmd)
    return "\n".join(lines) + ("\n" if lines else "")
