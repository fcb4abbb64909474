"""The ``--filter`` convention every command shares.

A filter is ``key=value`` (``province=12``, ``level=commune``, ``role=ce_router``, ``region=TDMNPB``,
``platform=frr``, ``site=<id>``, ``status=active``, ``group=<name>``) or a bare host name (``*`` globs work).
Filters with the same key are OR-ed; different keys are AND-ed; host names are OR-ed with each other.

People find their own site the way they write it: a site is matched by its id (``12-sin-ho``), its id without
the province prefix (``sin-ho``), its name or agency, or the commune in them (``Xã Sìn Hồ``, ``Sìn Hồ``); a
province by its code (``12`` = ``012``) or its name (``Lai Châu``, ``Tỉnh Lai Châu``, ``lai-chau``). Every
value and every host name compares case-insensitively and without diacritics (``đ`` counts as ``d``), and
globs work everywhere (``site=*sin-ho*``). :func:`suggest` proposes close matches when nothing matches.
"""

from __future__ import annotations

import difflib
import fnmatch
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable

from nornir_tasks.errors import GovnetError
from nornir_tasks.model import Device, Inventory, Site

#: What a key=value filter compares its value with, for one device: display strings, folded by :func:`fold`.
Candidates = Callable[[Inventory, Device, Site, dict[str, str]], Iterable[str]]

_COMMUNE = re.compile(r"(?:^|\s)((?:Xã|Phường|Đặc khu|Thị trấn)\s+(.+))$")
_PROVINCE_KIND = re.compile(r"^(?:Tỉnh|Thành phố)\s+")
_GLOB = "*?[]!"


def fold(text: str, *, words: bool = True) -> str:
    """The form filters compare: NFC, no diacritics (``đ`` → ``d``), case-folded; with ``words`` every run of
    other characters than letters, digits and glob signs becomes one space (``sin-ho`` = ``Sìn Hồ``).

    Examples:
        >>> fold("Xã Sìn Hồ"), fold("sin-ho"), fold("Đoàn Kết"), fold("*sin-ho*")
        ('xa sin ho', 'sin ho', 'doan ket', '*sin ho*')
        >>> fold("LCU-Sin-Ho-CE01", words=False)
        'lcu-sin-ho-ce01'
    """
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    if not words:
        return text.strip()
    return " ".join("".join(c if c.isalnum() or c in _GLOB else " " for c in text).split())


def site_names(site: Site) -> list[str]:
    """Every way a person may name a site: id, id without the province prefix, name, agency, and the commune
    named in them with and without its kind.

    Examples:
        >>> s = Site(id="12-sin-ho", name="Trụ sở Đảng ủy - HĐND - UBND Xã Sìn Hồ", level="commune",
        ...          province_code="12", commune_code="03478", region="TDMNPB", site_type="commune_hq",
        ...          status="active")
        >>> site_names(s)
        ['12-sin-ho', 'sin-ho', 'Trụ sở Đảng ủy - HĐND - UBND Xã Sìn Hồ', 'Xã Sìn Hồ', 'Sìn Hồ']
    """
    out = [site.id]
    prefix, dash, rest = site.id.partition("-")
    if dash and prefix.isdigit() and rest:
        out.append(rest)
    for text in (site.name, site.agency):
        if not text:
            continue
        out.append(text)
        m = _COMMUNE.search(text)
        if m:
            out += [m.group(1), m.group(2)]
    return list(dict.fromkeys(out))


def province_names(code: str, names: dict[str, str]) -> list[str]:
    """A province's code, official name and short name (``12``, ``Tỉnh Lai Châu``, ``Lai Châu``).

    Examples:
        >>> province_names("12", {"12": "Tỉnh Lai Châu"})
        ['12', 'Tỉnh Lai Châu', 'Lai Châu']
        >>> province_names("99", {})
        ['99']
    """
    name = names.get(code)
    return [code, name, _PROVINCE_KIND.sub("", name)] if name else [code]


_KEYS: dict[str, Candidates] = {
    "province": lambda inv, d, s, pn: province_names(s.province_code, pn),
    "level": lambda inv, d, s, pn: [s.level.value],
    "role": lambda inv, d, s, pn: [d.role.value],
    "region": lambda inv, d, s, pn: [s.region.value],
    "platform": lambda inv, d, s, pn: [d.platform.value],
    "site": lambda inv, d, s, pn: site_names(s),
    "status": lambda inv, d, s, pn: [s.status.value],
    "group": lambda inv, d, s, pn: inv.group_chain(d.name),
    "mountainous": lambda inv, d, s, pn: ["true" if s.mountainous else "false"],
}

#: Keys whose values are compared as words (separators and spaces alike); the others compare whole values.
_WORDY = frozenset({"province", "site"})


def parse_filters(filters: Iterable[str]) -> tuple[dict[str, set[str]], list[str]]:
    """Split ``--filter`` values into key=value sets and host-name patterns.

    Examples:
        >>> keyed, names = parse_filters(["province=12", "role=ce_router", "role=firewall", "lcu-*"])
        >>> sorted(keyed["role"]), keyed["province"], names
        (['ce_router', 'firewall'], {'12'}, ['lcu-*'])
        >>> parse_filters(["colour=red"])
        Traceback (most recent call last):
        ...
        nornir_tasks.errors.GovnetError: unknown filter key 'colour'
        >>> parse_filters([" "])
        Traceback (most recent call last):
        ...
        nornir_tasks.errors.GovnetError: --filter ' ' is empty: it would select every device
    """
    keyed: dict[str, set[str]] = defaultdict(set)
    names: list[str] = []
    for raw in filters:
        if not raw.strip():
            # a script with an empty $HOST must not act on the whole network
            raise GovnetError(f"--filter {raw!r} is empty: it would select every device", code="CFG-003",
                              hint="give a host name or key=value, or leave out --filter to mean every device")
        if "=" in raw:
            key, _, value = raw.partition("=")
            key = key.strip().lower()
            if key not in _KEYS:
                raise GovnetError(f"unknown filter key {key!r}", code="CFG-003",
                                  hint=f"use one of {', '.join(sorted(_KEYS))}, or a host name")
            value = unicodedata.normalize("NFC", value.strip())
            if not value:
                raise GovnetError(f"--filter {raw!r} has an empty value", code="CFG-003",
                                  hint=f"write {key}=<value>")
            if key == "province" and value.isdigit():
                value = str(int(value)).zfill(2)     # a code is a number: 12, 012 and 0012 are province 12
            keyed[key].add(value)
        else:
            names.append(unicodedata.normalize("NFC", raw.strip()))
    return dict(keyed), names


class _Matcher:
    """Folded candidates and patterns of one selection, memoised per string (a national inventory has ~10,000
    devices but few distinct sites, roles and provinces)."""

    def __init__(self, inv: Inventory, keyed: dict[str, set[str]]) -> None:
        self.inv = inv
        self.pnames = _province_table() if "province" in keyed else {}
        self._folded: dict[tuple[str, bool], str] = {}

    def fold(self, text: str, words: bool) -> str:
        key = (text, words)
        if key not in self._folded:
            self._folded[key] = fold(text, words=words)
        return self._folded[key]

    def candidates(self, key: str, dev: Device, site: Site) -> list[str]:
        words = key in _WORDY
        return [self.fold(c, words) for c in _KEYS[key](self.inv, dev, site, self.pnames)]

    def value_matches(self, key: str, value: str, dev: Device, site: Site) -> bool:
        if key == "province" and value.isdigit():
            return site.province_code == value
        pattern = self.fold(value, key in _WORDY)
        return any(fnmatch.fnmatchcase(c, pattern) for c in self.candidates(key, dev, site))

    def name_matches(self, pattern: str, dev: Device) -> bool:
        pat = self.fold(pattern, False)
        return any(fnmatch.fnmatchcase(self.fold(n, False), pat) for n in (dev.name, dev.hostname) if n)


def _province_table() -> dict[str, str]:
    from nornir_tasks.inventory.geography import province_names as official

    return official()


def select(inv: Inventory, filters: Iterable[str]) -> list[str]:
    """Names of the devices that match every filter, in inventory order."""
    keyed, names = parse_filters(filters)
    m = _Matcher(inv, keyed)
    out = []
    for dev in inv.devices.values():
        site = inv.sites.get(dev.site)
        if site is None:
            continue
        if names and not any(m.name_matches(pat, dev) for pat in names):
            continue
        if all(any(m.value_matches(k, v, dev, site) for v in values) for k, values in keyed.items()):
            out.append(dev.name)
    return out


def suggest(inv: Inventory, filters: Iterable[str], n: int = 3) -> list[str]:
    """Close matches (``site=12-sin-ho (…Xã Sìn Hồ)``) for every filter value that matches no device on its own.

    Examples:
        >>> from nornir_tasks.model import Inventory
        >>> suggest(Inventory(sites={}, devices={}, circuits={}), ["level=comune"])
        []
    """
    keyed, names = parse_filters(filters)
    m = _Matcher(inv, keyed)
    pairs = [(d, inv.sites[d.site]) for d in inv.devices.values() if d.site in inv.sites]
    out: list[str] = []
    for key, values in keyed.items():
        words = key in _WORDY
        shown: dict[str, str] = {}        # folded candidate → what to suggest
        for dev, site in pairs:
            labels = _KEYS[key](inv, dev, site, m.pnames)
            first = next(iter(labels))
            label = first if key not in _WORDY else _with_name(key, site, m.pnames)
            for c in labels:
                shown.setdefault(m.fold(c, words), f"{key}={label}")
        for value in sorted(values):
            if any(m.value_matches(key, value, d, s) for d, s in pairs):
                continue
            for close in difflib.get_close_matches(m.fold(value, words), list(shown), n=n, cutoff=0.6):
                out.append(shown[close])
    hosts = {m.fold(d.name, False): d.name for d, _ in pairs}
    for pattern in names:
        if any(m.name_matches(pattern, d) for d, _ in pairs):
            continue
        out += [hosts[c] for c in difflib.get_close_matches(m.fold(pattern, False), list(hosts), n=n, cutoff=0.6)]
    return list(dict.fromkeys(out))


def _with_name(key: str, site: Site, pnames: dict[str, str]) -> str:
    if key == "site":
        return f"{site.id} ({site.name})"
    name = pnames.get(site.province_code)
    return f"{site.province_code} ({name})" if name else site.province_code
