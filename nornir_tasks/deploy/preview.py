"""The change a deploy would make, computed offline from the last backup (``govnet render --diff``).

No device is contacted: the intended config is compared with the running config the backup stage stored, per
feature, secrets masked on both sides; the lines to add are ``+``, the lines to remove ``-``, each under its
parent sections. (``govnet deploy`` shows the device's own view of the same change.)
"""

from __future__ import annotations

from nornir_tasks.model import Platform


def offline_diff(platform: Platform | str, intended: str, backup: str) -> str:
    """``+``/``-`` lines that take ``backup`` to ``intended``; empty when nothing would change.

    Examples:
        >>> print(offline_diff("frr", "hostname r1\\nip route 10.9.0.0/16 Null0\\n", "hostname r1\\nip route 10.8.0.0/16 Null0\\n"))
        - ip route 10.8.0.0/16 Null0
        + ip route 10.9.0.0/16 Null0
        >>> offline_diff("frr", "hostname r1\\n", "hostname r1\\n")
        ''
    """
    from nornir_tasks.compliance.check import compare_text
    from nornir_tasks.compliance.secrets import mask_secrets

    plat = Platform(platform)
    cmp = compare_text(plat, mask_secrets(plat, intended), mask_secrets(plat, backup), remediate=False)
    lines: list[str] = []
    for f in cmp.features:
        if f.compliant:
            continue
        lines.extend(f"- {x}" for x in f.extra)
        lines.extend(f"+ {x}" for x in f.missing)
    return "\n".join(lines)


def _blocks(text: str) -> list[list[str]]:
    """Top-level lines with the indented lines below them.

    Examples:
        >>> _blocks("a\\n b\\nc\\n")
        [['a', ' b'], ['c']]
    """
    out: list[list[str]] = []
    for line in text.replace("\r", "").splitlines():
        if not line.strip():
            continue
        if line[0] in " \t" and out:
            out[-1].append(line)
        else:
            out.append([line])
    return out


def unmanaged(platform: Platform | str, running: str, taken: frozenset[str] = frozenset()) -> str:
    """The sections of a running config that no compliance feature covers (govnet does not manage them, so a
    deploy keeps them as they are), without comments, closers and banner lines.

    Examples:
        >>> print(unmanaged("frr", "frr version 8.4.4\\nhostname r1\\nservice integrated-vtysh-config\\n!\\nend\\n"), end="")
        service integrated-vtysh-config
    """
    import re

    from nornir_tasks.compliance.features import features_for, matcher
    from nornir_tasks.platforms import info

    plat = Platform(platform)
    table = features_for(plat)
    ignore = [re.compile(p) for p in table.ignore]
    feats = matcher(plat)
    skip = {"!", "end", "exit", "exit-vrf", "exit-address-family", "quit", "return", "#"}
    prefixes = info(plat).comment_prefixes
    keep: list[str] = []
    for block in _blocks(running):
        if block[0] in taken:
            continue
        head = block[0].strip()
        if head in skip or head.startswith(prefixes) or any(p.match(block[0]) for p in ignore):
            continue
        if head.startswith(("frr version ", "frr defaults ", "Building configuration", "Current configuration")):
            continue
        if feats.feature_of(block[0]) is None:
            keep.extend(block)
    return "\n".join(keep) + ("\n" if keep else "")


def replace_candidate(platform: Platform | str, intended: str, running: str) -> str:
    """What a deploy loads as the replace candidate: the intended config plus the running config's unmanaged
    sections, so only what govnet manages is changed.

    Examples:
        >>> replace_candidate("frr", "hostname r2\\n", "hostname r1\\nservice integrated-vtysh-config\\n")
        'hostname r2\\nservice integrated-vtysh-config\\n'
    """
    extra = unmanaged(platform, running, frozenset(line for line in intended.splitlines() if line[:1].strip()))
    if not extra:
        return intended
    return intended.rstrip("\n") + "\n" + extra
