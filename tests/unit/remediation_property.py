"""The remediation round-trip property, shared by the fixture tests and the hypothesis-generated drifts.

Applying a remediation to the running config (hier_config's ``future()``, :func:`predict`) must give the intended
config for every compared feature, except for the lines the guard left out (each listed as a refusal); applying
the rollback to that must give the running config back, with the same exception; and no remediation or rollback
line may remove a protected line or shut the management interface.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from hier_config import HConfig

from nornir_tasks.compliance.check import Comparison, compare_text, parse_config
from nornir_tasks.compliance.guard import GuardContext, Refusal
from nornir_tasks.compliance.remediation import predict
from nornir_tasks.platforms import get

Path_ = tuple[str, ...]


def positive(plat: str, text: str) -> str:
    """The line a removal removes (``no x`` → ``x``; Junos ``delete x`` → ``set x``)."""
    spec = get(plat)
    if text.startswith(spec.negation_prefix):
        return spec.driver().declaration_prefix + text[len(spec.negation_prefix):]
    return text


def _walk(tree: dict, parents: Path_ = ()) -> Iterator[Path_]:
    for text, kids in tree.items():
        yield (*parents, text)
        yield from _walk(kids, (*parents, text))


def feature_paths(plat: str, text: str, features: Iterable[str]) -> set[Path_]:
    parsed = parse_config(plat, text)
    out: set[Path_] = set()
    for name in features:
        for root in parsed.by_feature.get(name, ()):
            out.update(_walk({root: parsed.tree[root]}))
    return out


def unexplained(plat: str, want: str, got: str, refused: Iterable[Refusal], skip: Iterable[str] = ()) -> list[Path_]:
    """The lines where ``got`` differs from ``want`` in a compared feature that no refusal explains."""
    comp = compare_text(plat, want, got, remediate=False)
    bad = {f.name for f in comp.features if not f.compliant} - set(skip)
    if not bad:
        return []
    diff = feature_paths(plat, want, bad) ^ feature_paths(plat, got, bad)
    explained = [tuple(positive(plat, t) for t in r.path) for r in refused]
    return sorted(p for p in diff if not any(_explains(plat, r, p) for r in explained))


def _explains(plat: str, r: Path_, p: Path_) -> bool:
    """A refused line explains a differing line when one is in the other's section, when it names the same
    statement without its value (``no username a`` for ``username a secret …``), or when it would have replaced
    it (a single-valued command)."""
    if r[: len(p)] == p or p[: len(r)] == r:
        return True
    if len(r) != len(p) or r[:-1] != p[:-1]:
        return False
    # a leftover removal ('no key') of a line whose change was refused never met its line
    last = positive(plat, p[-1])
    if last.startswith(r[-1] + " ") or r[-1].startswith(last + " ") or last == r[-1]:
        return True
    driver = get(plat).driver()
    mine, theirs = HConfig(driver), HConfig(driver)
    a, b = mine, theirs
    for text in r[:-1]:
        a, b = a.add_child(text), b.add_child(text)
    return driver.idempotent_for(a.add_child(r[-1]), [b.add_child(p[-1])]) is not None


def protected_touched(plat: str, comp: Comparison, ctx: GuardContext | None = None) -> list[str]:
    """Remediation or rollback lines that remove a protected line or shut a management interface."""
    spec = get(plat)
    prot = spec.rules.protect
    user = ctx.login_user if ctx and ctx.login_user else None
    sections = [re.compile(p.replace("{login_user}", re.escape(user or ""))) for p in prot.sections
                if user or "{login_user}" not in p]
    mgmt = [re.compile(p) for p in prot.mgmt_interfaces] + [re.compile("^" + re.escape(n) + "$")
                                                           for n in (ctx.mgmt_interfaces if ctx else ())]
    phys = re.compile(prot.physical_interfaces)
    bad: list[str] = []
    for text in (comp.remediation, comp.rollback):
        parsed = parse_config(plat, text)
        for path in _walk(parsed.tree):
            line = path[-1]
            removal = line.startswith(spec.negation_prefix)
            pos = positive(plat, line)
            if len(path) == 1 and removal and any(rx.search(pos) for rx in sections):
                bad.append(line)
            if len(path) == 1 and removal and pos.startswith(prot.interface):
                name = pos[len(prot.interface):].split()[0]
                whole = spec.config_style != "set" or pos == prot.interface + name
                if whole and (phys.search(name) or any(rx.search(name) for rx in mgmt)):
                    bad.append(line)
            if any(rx.search(line) for rx in (re.compile(p) for p in prot.never_add)):
                bad.append(line)
            if len(path) == 2 and path[0].startswith(prot.interface):
                name = path[0][len(prot.interface):].split()[0]
                access = any(re.search(p, pos) for p in prot.mgmt_lines)
                if any(rx.search(name) for rx in mgmt) and (line == prot.shutdown or (removal and access)):
                    bad.append(" / ".join(path))
    return bad


def check_round_trip(plat: str, intended: str, running: str, skip: Iterable[str] = (),
                     ctx: GuardContext | None = None) -> Comparison:
    """Assert the property for one (intended, running) pair; returns the comparison."""
    comp = compare_text(plat, intended, running, context=ctx)
    if comp.compliant:
        return comp
    after = predict(plat, running, comp.remediation)
    rem_refused = [r for r in comp.refused if r.side == "remediation"]
    assert unexplained(plat, intended, after, rem_refused, skip) == [], (comp.remediation, after)
    back = predict(plat, after, comp.rollback)
    assert unexplained(plat, running, back, comp.refused, skip) == [], (comp.rollback, back)
    assert protected_touched(plat, comp, ctx) == []
    return comp
