"""The national baseline: versioned rule sets with an effective date and a grace period, plus province overlays.

Files (``settings.baseline_dir``, default ``inventory/baselines``)::

    national-2025.1.yaml        baseline: national, version: "2025.1", effective: 2025-07-01, grace_days: 90,
                                rules: [...]
    national-2026.2.yaml        extends: "2025.1"  (inherits its rules), rules: [... added or changed ...],
                                remove: [rule ids dropped]
    overlays/12.yaml            province: "12", effective, grace_days, rules: [... only for province 12 ...]

A rule has an ``id``, a ``title``, a ``severity`` (H/M/L), the instruments it comes from (``cites``: kind, number,
date, issuer, article — :class:`nornir_tasks.citations.Citation`; reports show them in Vietnamese citation form;
the older free-text ``basis`` is still read),
a ``scope`` (platforms, roles, levels, regions, provinces, site types — any combination, empty = all) and
exactly one of:

* ``config``: per platform, a list of checks on the running configuration — ``section`` (regular expression
  of the parent line; without it, every line is seen), ``require`` (each pattern must match a line),
  ``forbid`` (no line may match), ``allow_only`` (every line matching ``pattern`` must have its first group in
  ``values``). Patterns may name inventory values in braces — ``{ntp_servers}``, ``{logging_hosts}``,
  ``{tacacs_servers.address}`` — and are then required once per value. A platform not listed is out of scope.
* ``check``: the name of an inventory check (:data:`~nornir_tasks.compliance.inventory_rules.CHECKS`) and its
  ``params``.

**Versions and grace.** The baseline in force on a date is the newest version whose effective date has
passed. A rule counts from the effective date of the first version that contains it (or its own
``introduced`` date); until ``introduced + grace_days`` a failure is reported as *due by DATE*, not as
non-compliance. Rules of versions announced for a later date are evaluated too and always show as due, so a
baseline bump never turns the fleet red overnight. A rule changed in place keeps its first date: to give a
tightened rule a new grace period, set its ``introduced`` date (or give it a new id). Overlays only add rules (a province cannot weaken the
national baseline) and each overlay rule is limited to its province.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from nornir_tasks.compliance.check import ParsedConfig
from nornir_tasks.citations import Citation, cite_all
from nornir_tasks.compliance.inventory_rules import CHECK_PARAMS, CHECKS, Outcome
from nornir_tasks.errors import ComplianceError
from nornir_tasks.inventory.yamlio import Locator, ReadFailed, read_yaml
from nornir_tasks.model import (
    AdminLevel,
    Device,
    Platform,
    ProvinceCode,
    Region,
    Role,
    SharedData,
    Site,
    SiteType,
)

Severity = Literal["H", "M", "L"]
#: Free text of a baseline file, normalised to NFC so Vietnamese compares and prints the same however typed.
Text = Annotated[str, AfterValidator(lambda v: unicodedata.normalize("NFC", v))]


class _M(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Scope(_M):
    """Which devices a rule applies to. Every list that is given must contain the device's value."""

    platforms: tuple[Platform, ...] = ()
    roles: tuple[Role, ...] = ()
    levels: tuple[AdminLevel, ...] = ()
    regions: tuple[Region, ...] = ()
    provinces: tuple[ProvinceCode, ...] = ()
    site_types: tuple[SiteType, ...] = ()

    def matches(self, dev: Device, site: Site) -> bool:
        """True when the device is in scope.

        Examples:
            >>> s = Site(id="s", name="Xã A", level="commune", province_code="12", commune_code="03390",
            ...          region="TDMNPB", site_type="commune_hq", status="active")
            >>> d = Device(name="r1", hostname="10.0.0.1", platform="frr", site="s", role="ce_router")
            >>> Scope(roles=["ce_router"], levels=["commune"]).matches(d, s)
            True
            >>> Scope(provinces=["01"]).matches(d, s)
            False
        """
        return ((not self.platforms or dev.platform in self.platforms)
                and (not self.roles or dev.role in self.roles)
                and (not self.levels or site.level in self.levels)
                and (not self.regions or site.region in self.regions)
                and (not self.provinces or site.province_code in self.provinces)
                and (not self.site_types or site.site_type in self.site_types))


class AllowOnly(_M):
    pattern: str
    values: str


class ConfigCheck(_M):
    section: str | None = None
    require: tuple[str, ...] = ()
    forbid: tuple[str, ...] = ()
    allow_only: tuple[AllowOnly, ...] = ()

    @model_validator(mode="after")
    def _valid(self) -> ConfigCheck:
        for pat in (self.section, *self.require, *self.forbid, *(a.pattern for a in self.allow_only)):
            if pat is None:
                continue
            try:
                re.compile(_VAR.sub("x", pat))
            except re.error as exc:
                raise ValueError(f"pattern {pat!r} is not a valid regular expression: {exc}") from exc
        if not (self.require or self.forbid or self.allow_only):
            raise ValueError("a config check needs require, forbid or allow_only")
        return self


class Rule(_M):
    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,40}$")]
    title: Text
    severity: Severity
    basis: Text = ""                       # free text (kept for old files); prefer cites
    cites: tuple[Citation, ...] = ()       # the instruments the rule comes from, cited structurally
    scope: Scope = Scope()
    config: dict[Platform, tuple[ConfigCheck, ...]] | None = None
    check: str | None = None
    params: dict[str, Any] = Field(default_factory=dict)
    introduced: date | None = None
    hint: Text = ""

    @model_validator(mode="after")
    def _kind(self) -> Rule:
        if (self.config is None) == (self.check is None):
            raise ValueError(f"rule {self.id} needs exactly one of 'config' (line patterns) or 'check' (inventory)")
        if self.check is not None and self.check not in CHECKS:
            raise ValueError(f"rule {self.id}: unknown check {self.check!r}; known: {', '.join(sorted(CHECKS))}")
        if not self.basis and not self.cites:
            raise ValueError(f"rule {self.id}: say which instrument it comes from (cites: [...] or basis: ...)")
        if self.check is not None and self.check in CHECK_PARAMS:
            CHECK_PARAMS[self.check].model_validate(self.params)
        return self

    @property
    def basis_text(self) -> str:
        """The rule's legal basis as reports show it: its citations in Vietnamese form, else ``basis``.

        Examples:
            >>> Rule(id="B6", title="t", severity="M", check="ipv6_on_wan", cites=[{"kind": "decision",
            ...      "number": "38/QĐ-BTTTT", "date": "2021-01-14", "issuer": "Bộ Thông tin và Truyền thông"}]).basis_text
            'Quyết định số 38/QĐ-BTTTT ngày 14/01/2021 của Bộ Thông tin và Truyền thông'
        """
        return cite_all(self.cites, self.basis)

    @property
    def kind(self) -> str:
        return "config" if self.config is not None else "inventory"


class BaselineFile(_M):
    baseline: str = "national"
    version: Annotated[str, Field(min_length=1)]
    title: Text = ""
    effective: date
    grace_days: Annotated[int, Field(ge=0, le=3650)] = 90
    extends: str | None = None
    remove: tuple[str, ...] = ()
    rules: tuple[Rule, ...] = ()


class OverlayFile(_M):
    province: ProvinceCode
    version: str = "1"
    title: str = ""
    effective: date
    grace_days: Annotated[int, Field(ge=0, le=3650)] = 90
    rules: tuple[Rule, ...] = ()


@dataclass(frozen=True)
class ActiveRule:
    """A rule as it applies on a given date: where it comes from and until when failures are only 'due'."""

    rule: Rule
    origin: str              # "national 2025.1" or "overlay 12"
    introduced: date
    due_by: date

    def in_grace(self, today: date) -> bool:
        return today < self.due_by


@dataclass(frozen=True)
class BaselineSet:
    """All baseline versions and overlays, loaded and checked."""

    versions: tuple[BaselineFile, ...]
    overlays: tuple[OverlayFile, ...] = ()

    def rule_ids(self) -> set[str]:
        """Every rule id of every version and overlay (what a waiver may name)."""
        return {r.id for v in self.versions for r in v.rules} | {r.id for ov in self.overlays for r in ov.rules}

    def current_version(self, today: date) -> BaselineFile | None:
        past = [v for v in self.versions if v.effective <= today]
        return max(past, key=lambda v: v.effective) if past else None

    def describe(self, today: date) -> str:
        cur = self.current_version(today)
        text = f"{cur.baseline} {cur.version} (since {cur.effective.isoformat()})" if cur else "none in force yet"
        upcoming = [v for v in self.versions if v.effective > today]
        if upcoming:
            text += "; announced: " + ", ".join(f"{v.version} from {v.effective.isoformat()}" for v in upcoming)
        return text

    def rules_for(self, today: date) -> list[ActiveRule]:
        """The rules to evaluate on ``today`` with their due dates.

        Examples:
            >>> r = Rule(id="X1", title="t", severity="M", basis="b", check="focal_point")
            >>> v1 = BaselineFile(version="1", effective=date(2025, 7, 1), grace_days=30, rules=[])
            >>> v2 = BaselineFile(version="2", effective=date(2026, 1, 1), grace_days=60, extends="1", rules=[r])
            >>> [(a.rule.id, a.due_by.isoformat()) for a in BaselineSet((v1, v2)).rules_for(date(2025, 12, 1))]
            [('X1', '2026-03-02')]
        """
        resolved = {v.version: self._resolve(v) for v in self.versions}
        ordered = sorted(self.versions, key=lambda v: v.effective)
        first_seen: dict[str, BaselineFile] = {}
        for v in ordered:
            for rid in resolved[v.version]:
                first_seen.setdefault(rid, v)
        cur = self.current_version(today)
        chosen: dict[str, tuple[Rule, BaselineFile]] = {}
        if cur is not None:
            for rid, rule in resolved[cur.version].items():
                chosen[rid] = (rule, cur)
        for v in ordered:                     # announced versions: their new rules, always in grace
            if v.effective <= today:
                continue
            for rid, rule in resolved[v.version].items():
                if rid not in chosen:
                    chosen[rid] = (rule, v)
        if cur is None and not chosen:
            return []
        out: list[ActiveRule] = []
        for rid, (rule, ver) in chosen.items():
            intro_ver = first_seen.get(rid, ver) if ver.effective <= today else ver
            introduced = rule.introduced or intro_ver.effective
            out.append(ActiveRule(rule, f"{ver.baseline} {ver.version}", introduced,
                                  introduced + timedelta(days=intro_ver.grace_days)))
        for ov in self.overlays:
            for rule in ov.rules:
                scoped = rule.model_copy(update={"scope": rule.scope.model_copy(update={"provinces": (ov.province,)})})
                introduced = rule.introduced or ov.effective
                out.append(ActiveRule(scoped, f"overlay {ov.province} {ov.version}", introduced,
                                      introduced + timedelta(days=ov.grace_days)))
        return out

    def _resolve(self, v: BaselineFile, seen: tuple[str, ...] = ()) -> dict[str, Rule]:
        rules: dict[str, Rule] = {}
        if v.extends:
            parent = next((p for p in self.versions if p.version == v.extends and p.baseline == v.baseline), None)
            if parent is None or v.extends in seen:
                raise ComplianceError(f"baseline {v.baseline} {v.version} extends {v.extends!r}, which is missing "
                                      "or part of a cycle", code="CMP-001",
                                      hint="fix 'extends' to name an existing version")
            rules.update(self._resolve(parent, (*seen, v.version)))
        for rid in v.remove:
            rules.pop(rid, None)
        for rule in v.rules:
            rules[rule.id] = rule
        return rules


def _fail(path: Path, label: str, exc: ValidationError) -> ComplianceError:
    err = exc.errors()[0]
    loc = tuple(err["loc"])
    line = Locator(path).line(loc)
    where = ".".join(str(p) for p in loc) or "(top level)"
    return ComplianceError(f"{label}:{line} {where}: {err['msg']}", code="CMP-001",
                           hint="fix the baseline file (see nornir_tasks/compliance/baseline.py for the format)")


def load_baselines(folder: str | Path) -> BaselineSet:
    """Read every ``*.yaml`` of the baseline folder and ``overlays/*.yaml``; raise CMP-001 naming file/line."""
    base = Path(folder)
    if not base.is_dir():
        raise ComplianceError(f"baseline folder {base} not found", code="CMP-001",
                              hint="create it with the national baseline files, or set baseline_dir in config.yaml")
    versions: list[BaselineFile] = []
    overlays: list[OverlayFile] = []
    for sub, model, bucket in ((base, BaselineFile, versions), (base / "overlays", OverlayFile, overlays)):
        for path in sorted(sub.glob("*.yaml")) if sub.is_dir() else []:
            label = str(path)
            try:
                data = read_yaml(path, label=label)
            except ReadFailed as exc:
                raise ComplianceError(exc.finding.sentence(), code="CMP-001", hint=exc.finding.hint) from exc
            try:
                parsed = model.model_validate(data)   # type: ignore[attr-defined]
            except ValidationError as exc:
                raise _fail(path, label, exc) from exc
            ids: dict[str, int] = {}
            for i, rule in enumerate(parsed.rules):
                if rule.id in ids:   # a mapping would keep only the second silently
                    raise ComplianceError(f"{label}:{Locator(path).line(('rules', i, 'id'))} rule id {rule.id!r} is "
                                          f"used twice (rules {ids[rule.id] + 1} and {i + 1})", code="CMP-001",
                                          hint="give each rule its own id")
                ids[rule.id] = i
            bucket.append(parsed)   # type: ignore[arg-type]
    if not versions:
        raise ComplianceError(f"no baseline version in {base}", code="CMP-001",
                              hint="add a file such as national-2025.1.yaml")
    seen: dict[tuple[str, str], bool] = {}
    for v in versions:
        if (v.baseline, v.version) in seen:
            raise ComplianceError(f"baseline {v.baseline} version {v.version} is defined twice in {base}",
                                  code="CMP-001", hint="give each file its own version")
        seen[(v.baseline, v.version)] = True
    national_ids = {r.id for v in versions for r in v.rules}
    for ov in overlays:
        for r in ov.rules:
            if r.id in national_ids:
                raise ComplianceError(f"overlay of province {ov.province} redefines national rule {r.id}",
                                      code="CMP-001", hint="overlays add rules; give the rule its own id")
    bs = BaselineSet(tuple(versions), tuple(overlays))
    for v in versions:
        bs._resolve(v)
    return bs


# ---------------------------------------------------------------------------------------------------------
# Evaluating config rules on a parsed running configuration
# ---------------------------------------------------------------------------------------------------------
_VAR = re.compile(r"\{([a-z_]+)(?:\.([a-z_]+))?\}")
_FIRST = re.compile(r"^\^([A-Za-z][A-Za-z0-9_-]*)(?: |\\s|$)")


def _values(shared: SharedData, dev: Device, name: str, attr: str | None) -> list[str] | None:
    raw: Any = getattr(shared, name, None) if name in SharedData.model_fields else getattr(dev, name, None)
    if raw is None:
        return None
    items = raw if isinstance(raw, (tuple, list)) else [raw]
    vals = [str(getattr(x, attr) if attr else x) for x in items]
    return vals or None


def expand(pattern: str, shared: SharedData, dev: Device) -> list[str] | None:
    """A pattern with one ``{field}`` becomes one pattern per value (regex-escaped); None when the inventory
    has no value for it.

    Examples:
        >>> d = Device(name="r1", hostname="10.0.0.1", platform="frr", site="s", role="ce_router")
        >>> expand("^ntp server {ntp_servers}$", SharedData(ntp_servers=["10.0.0.1"]), d)
        ['^ntp server 10\\\\.0\\\\.0\\\\.1$']
        >>> expand("^ntp server {ntp_servers}$", SharedData(), d) is None
        True
    """
    m = _VAR.search(pattern)
    if m is None:
        return [pattern]
    vals = _values(shared, dev, m.group(1), m.group(2))
    if vals is None:
        return None
    return [pattern[:m.start()] + re.escape(v) + pattern[m.end():] for v in vals]


class LineIndex:
    """The lines of a running config, indexed by first word and by parent section, for fast rule checks."""

    def __init__(self, parsed: ParsedConfig) -> None:
        self.all: list[str] = []
        self.by_word: dict[str, list[str]] = {}
        self.sections: list[tuple[str, list[str]]] = []
        stack: list[tuple[str | None, dict[str, Any]]] = [(None, parsed.tree)]
        while stack:
            parent, node = stack.pop()
            kids = list(node)
            if parent is not None:
                self.sections.append((parent, kids))
            for text in kids:
                self.all.append(text)
                self.by_word.setdefault(text.split(" ", 1)[0], []).append(text)
                if node[text]:
                    stack.append((text, node[text]))

    def candidates(self, pattern: str) -> list[str]:
        m = _FIRST.match(pattern)
        return self.by_word.get(m.group(1), []) if m else self.all


@lru_cache(maxsize=8192)
def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _human(pattern: str) -> str:
    """A pattern as people read it: anchors dropped, escapes undone.

    Examples:
        >>> _human(r"^ntp server (vrf \\S+ )?10\\.0\\.250\\.1$")
        'ntp server 10.0.250.1'
    """
    text = pattern.removeprefix("^").removesuffix("$")
    text = re.sub(r"\((?:[^()\\]|\\.)*\)[?*]", "", text)      # optional parts: (vrf \S+ )?
    text = re.sub(r"\\s[+*]", " ", text)
    return re.sub(r"\\(.)", r"\1", text)


def evaluate_config(checks: Iterable[ConfigCheck], idx: LineIndex, shared: SharedData, dev: Device) -> list[Outcome]:
    """Evaluate the config checks of one rule against a device's running-config lines."""
    out: list[Outcome] = []
    for chk in checks:
        if chk.section:
            srx = _rx(chk.section)
            groups: list[tuple[str | None, list[str] | None]] = [(s, k) for s, k in idx.sections if srx.search(s)]
            if not groups:
                if chk.require:
                    out.append(Outcome("fail", f"no section matching '{_human(chk.section)}' is configured"))
                continue
        else:
            groups = [(None, None)]
        for sec, kids in groups:
            where = f" under '{sec}'" if sec else ""

            def lines(pat: str, kids: list[str] | None = kids) -> list[str]:
                return kids if kids is not None else idx.candidates(pat)

            for pat in chk.require:
                pats = expand(pat, shared, dev)
                if pats is None:
                    out.append(Outcome("fail", f"the inventory gives no value for '{_human(pat)}', so it cannot be "
                                               "checked"))
                    continue
                for p in pats:
                    rx = _rx(p)
                    if not any(rx.search(line) for line in lines(p)):
                        out.append(Outcome("fail", f"missing '{_human(p)}'{where}"))
            for pat in chk.forbid:
                for p in expand(pat, shared, dev) or []:
                    rx = _rx(p)
                    for line in lines(p):
                        if rx.search(line):
                            out.append(Outcome("fail", f"forbidden line '{line}'{where}"))
            for ao in chk.allow_only:
                m = _VAR.fullmatch("{" + ao.values + "}")
                vals = set(_values(shared, dev, m.group(1), m.group(2)) or []) if m else set()
                rx = _rx(ao.pattern)
                for line in lines(ao.pattern):
                    hit = rx.search(line)
                    if hit and hit.group(1) not in vals:
                        out.append(Outcome("fail", f"'{line}'{where} names {hit.group(1)}, which is not in "
                                                   f"the approved {ao.values} ({', '.join(sorted(vals)) or 'none'})"))
    return out
