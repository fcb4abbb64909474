"""Compliance features per platform, as data.

A *feature* is a named slice of a configuration (``ntp``, ``snmp``, ``interfaces`` ...) made of the
top-level sections whose first line starts with one of its prefixes. Intended and running configs are
compared feature by feature, so a report says "ntp: 1 missing, 1 extra" instead of one long diff.

Rules of the table:

* a top-level line belongs to the feature with the **longest** matching prefix (``ip route`` and
  ``ip access-list`` can live in different features);
* top-level lines that match no feature are **not** checked (vendor defaults such as ``boot-start-marker``
  or ``service timestamps`` would otherwise always differ) — the same choice as Golden Config;
* ``ordered`` features compare the sequence of lines, not only the set (access lists, prefix lists);
* ``ignore`` lists line patterns (regular expressions, matched on the stripped line) that are volatile or
  printed by the device alone and never belong to a comparison;
* ``multiline_banner``: the platform prints ``banner motd ^C ... ^C`` over several lines.

Adding a platform or feature is a change to that platform's ``features.py`` only. A test checks that every platform of
:class:`~nornir_tasks.model.Platform` has an entry.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

from nornir_tasks.model import Platform
from nornir_tasks.platforms import PLATFORMS, get
from nornir_tasks.platforms.spec import Feature, PlatformFeatures

__all__ = ["FEATURES", "Feature", "FeatureMatcher", "PlatformFeatures", "features_for", "matcher"]

#: Platform → features, read from each platform's package (``nornir_tasks/platforms/<name>/features.py``). The
#: feature names are shared across platforms where the meaning is the same, so a report per feature covers the
#: whole fleet.
FEATURES: Mapping[Platform, PlatformFeatures] = MappingProxyType({p: s.features for p, s in PLATFORMS.items()})


def features_for(platform: Platform | str) -> PlatformFeatures:
    """The feature table of a platform.

    Examples:
        >>> [f.name for f in features_for("frr").features][:4]
        ['hostname', 'banner', 'logging', 'interfaces']
    """
    return get(platform).features


class FeatureMatcher:
    """Assigns top-level lines to features (longest prefix wins); build once per platform."""

    def __init__(self, table: PlatformFeatures) -> None:
        self.table = table
        owner: dict[str, str] = {}
        for feat in table.features:
            for prefix in feat.prefixes:
                owner[prefix] = feat.name
        self._owner = owner
        ordered = sorted(owner, key=len, reverse=True)
        self._re = re.compile("|".join(re.escape(p) for p in ordered)) if ordered else None
        self._cache: dict[str, str | None] = {}
        self.ordered = {f.name: f.ordered for f in table.features}
        self.names = tuple(f.name for f in table.features)

    def feature_of(self, line: str) -> str | None:
        """The feature a top-level line belongs to, or None.

        Examples:
            >>> m = matcher("cisco_ios")
            >>> m.feature_of("ip route 0.0.0.0 0.0.0.0 10.0.0.1"), m.feature_of("ip access-list extended X")
            ('static', 'acl')
            >>> m.feature_of("boot-start-marker") is None
            True
        """
        hit = self._cache.get(line, "")
        if hit != "":
            return hit
        found = None
        if self._re is not None:
            m = self._re.match(line)
            if m is not None:
                found = self._owner[m.group(0)]
        if len(self._cache) < 100_000:
            self._cache[line] = found
        return found


@cache
def matcher(platform: Platform | str) -> FeatureMatcher:
    """The (cached) matcher of a platform."""
    return FeatureMatcher(features_for(platform))
