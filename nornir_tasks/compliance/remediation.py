"""Remediation and rollback configs at fixed paths, for the deploy stage to push.

``compare`` (:mod:`nornir_tasks.compliance.check`) computes both with hier_config's ``WorkflowRemediation``
over the features that differ. Secrets are masked before comparing, so a remediation line that came from the
intended config gets its placeholder back (``<secret:ENV>``, substituted by the deploy stage at push time):
no secret value is ever written here.

Paths: ``<build_dir>/remediation/<host>.cfg`` and ``<build_dir>/rollback/<host>.cfg``. A device found
compliant loses its old files, so a stale remediation can never be pushed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from nornir_tasks.fileio import write_if_changed


#: (parent sections, masked line) → the intended line with its placeholder. Keyed by the parents too: two
#: sections can hold the same masked line (``key 6 <secret>`` under a TACACS+ and under a RADIUS server).
PlaceholderMap = dict[tuple[tuple[str, ...], str], str]


def _walk_lines(text: str) -> Iterator[tuple[tuple[str, ...], str, str]]:
    """(parents, normalised line, raw line) for each line of an indented config; comment lines are skipped."""
    stack: list[tuple[int, str]] = []
    for raw in text.splitlines():
        stripped = raw.strip()
        if not stripped or stripped.startswith(("!", "#")):
            yield (), "", raw
            continue
        indent = len(raw) - len(raw.lstrip())
        while stack and stack[-1][0] >= indent:
            stack.pop()
        line = " ".join(stripped.split())
        yield tuple(t for _, t in stack), line, raw
        stack.append((indent, line))


def placeholder_map(original: str, masked: str) -> PlaceholderMap:
    """(parents, masked line) → original line, for the lines that masking changed (same line count on both
    sides).

    Examples:
        >>> m = placeholder_map("tacacs server A\\n key 6 <secret:T>\\nradius server B\\n key 6 <secret:R>\\n",
        ...                     "tacacs server A\\n key 6 <secret>\\nradius server B\\n key 6 <secret>\\n")
        >>> m[(("tacacs server A",), "key 6 <secret>")], m[(("radius server B",), "key 6 <secret>")]
        ('key 6 <secret:T>', 'key 6 <secret:R>')
    """
    out: PlaceholderMap = {}
    for (parents, line, raw), o in zip(_walk_lines(masked), original.splitlines()):
        if line and raw != o:
            out[(parents, line)] = " ".join(o.split())
    return out


def restore_placeholders(text: str, mapping: PlaceholderMap) -> str:
    """Put the intended config's placeholders back into remediation lines that came from it (each line looked
    up under its own parent sections).

    Examples:
        >>> m = {(("tacacs server A",), "key 6 <secret>"): "key 6 <secret:T>"}
        >>> restore_placeholders("tacacs server A\\n key 6 <secret>\\nradius server B\\n key 6 <secret>\\n", m)
        'tacacs server A\\n key 6 <secret:T>\\nradius server B\\n key 6 <secret>\\n'
    """
    if not mapping:
        return text
    lines = []
    for parents, line, raw in _walk_lines(text):
        hit = mapping.get((parents, line)) if line else None
        lines.append(raw[: len(raw) - len(raw.lstrip())] + hit if hit is not None else raw)
    return "\n".join(lines) + ("\n" if text.endswith("\n") else "")


def restore_in_tree(tree: Any, mapping: PlaceholderMap) -> int:
    """Put the placeholders back into a hier_config tree (a remediation), in place; returns how many.

    Examples:
        >>> from hier_config import get_hconfig
        >>> from nornir_tasks.platforms import get
        >>> t = get_hconfig(get("cisco_ios").driver(), "radius server B\\n key 6 <secret>\\n")
        >>> restore_in_tree(t, {(("radius server B",), "key 6 <secret>"): "key 6 <secret:R>"})
        1
        >>> [c.text for c in t.all_children()]
        ['radius server B', 'key 6 <secret:R>']
    """
    count = 0

    def walk(node: Any, parents: tuple[str, ...]) -> None:
        nonlocal count
        for child in tuple(node.children):
            text = child.text
            hit = mapping.get((parents, text))
            if hit is not None:
                child.text = hit
                count += 1
            if child.children:
                walk(child, (*parents, text))

    if mapping:
        walk(tree, ())
    return count


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
    """The running config as hier_config predicts it after the remediation is applied (``HConfig.future``, with
    sections the change emptied pruned where the platform does so), read with the platform's own parser and driver.

    A physical interface set back to defaults (``default interface X``, the platform's ``interface_reset_command``,
    or every line removed) loses its section: nothing of it is left to compare. Used to check, offline, that a remediation brings a device to its intended config.

    Examples:
        >>> print(predict("frr", "hostname r1\\nip route 192.0.2.0/24 Null0\\n", "no ip route 192.0.2.0/24 Null0\\n"), end="")
        hostname r1
        >>> print(predict("cisco_ios", "hostname a\\ninterface Gi0/1\\n description x\\n", "default interface Gi0/1\\n"), end="")
        hostname a
    """
    from nornir_tasks.compliance.check import get_driver, parse_config, to_hconfig
    from nornir_tasks.platforms import get

    spec = get(platform)
    if spec.config_style == "set":
        return _predict_set(running, remediation, tuple(r.path[0] for r in spec.rules.replace if len(r.path) == 1))
    parsed = parse_config(spec.platform, running)
    change = parse_config(spec.platform, remediation)
    reset = spec.rules.protect.interface_reset_command
    if reset:
        head = reset.split("{name}")[0]
        for line in [t for t in change.tree if t.startswith(head)]:
            del change.tree[line]
            parsed.tree.pop(spec.rules.protect.interface + line[len(head):], None)
    current = to_hconfig(parsed, list(parsed.tree))
    future = current.future(to_hconfig(change, list(change.tree)), prune_empty_branches=spec.prunes_empty_sections)
    prot = spec.rules.protect
    physical = re.compile(prot.physical_interfaces) if prot.physical_interfaces else None
    for child in tuple(future.children):
        # a physical port the change emptied is at its defaults: no configuration left to compare
        if physical is not None and not child.children and child.text in change.tree \
                and child.text.startswith(prot.interface) and physical.search(child.text[len(prot.interface):]):
            child.delete()
    lines: list[str] = []
    for child in future.children:
        lines.extend(child.lines())
    return "\n".join(lines) + ("\n" if lines else "")


def _predict_set(running: str, remediation: str, single: tuple[str, ...] = ()) -> str:
    """Set-style (Junos) prediction: ``delete X`` removes ``set X`` and every ``set X ...`` below it; ``set X``
    adds the line, replacing the old value of a single-valued statement (``single``: their prefixes).

    Examples:
        >>> _predict_set("set system services ssh\\nset system services telnet\\n", "delete system services telnet\\n")
        'set system services ssh\\n'
        >>> _predict_set("set system host-name a\\n", "set system host-name b\\n", ("set system host-name ",))
        'set system host-name b\\n'
    """
    lines = [ln.strip() for ln in running.splitlines() if ln.strip().startswith("set ")]
    for cmd in (ln.strip() for ln in remediation.splitlines()):
        if cmd.startswith("delete "):
            target = "set " + cmd[len("delete "):]
            lines = [ln for ln in lines if ln != target and not ln.startswith(target + " ")]
        elif cmd.startswith("set ") and cmd not in lines:
            prefix = next((p for p in single if cmd.startswith(p)), None)
            if prefix is not None:
                lines = [ln for ln in lines if not ln.startswith(prefix)]
            lines.append(cmd)
    return "\n".join(lines) + ("\n" if lines else "")
