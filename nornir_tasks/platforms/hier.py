"""A platform's change rules (:class:`~nornir_tasks.platforms.spec.ChangeRules`) turned into hier_config's.

Each ``<name>/driver.py`` is a hier_config driver whose rules are the library's own for that platform plus
these: ordering weights, single-valued (idempotent) commands, sectional overwrite for ordered features, and
removals without values (:class:`GovnetNegation`). The drivers only return rules as data, like every
hier_config driver.
"""

from __future__ import annotations

import re
from typing import Any

from hier_config.models import IdempotentCommandsRule, MatchRule, OrderingRule, SectionalOverwriteRule
from hier_config.platforms.driver_base import HConfigDriverRules

from nornir_tasks.platforms.spec import PlatformSpec


def _match(path: tuple[str, ...], key: str = "") -> tuple[MatchRule, ...]:
    rules = [MatchRule(startswith=p) for p in path]
    if key:
        rules[-1] = MatchRule(startswith=path[-1], re_search=key)
    return tuple(rules)


def with_rules(rules: HConfigDriverRules, spec: PlatformSpec, *, drop_idempotent: tuple[str, ...] = ()
               ) -> HConfigDriverRules:
    """``rules`` (a hier_config driver's own) plus the platform's ordering, single-valued commands and sectional
    overwrite of ordered features; idempotent rules whose last ``startswith`` begins with one of
    ``drop_idempotent`` are removed (FRR: an interface holds several addresses).

    Examples:
        >>> from hier_config.platforms.cisco_ios.driver import HConfigDriverCiscoIOS
        >>> from nornir_tasks.platforms import get
        >>> r = with_rules(HConfigDriverCiscoIOS._instantiate_rules(), get("cisco_ios"))
        >>> any(x.match_rules[0].startswith == "hostname " for x in r.idempotent_commands)
        True
    """
    keep = [r for r in rules.idempotent_commands
            if not (drop_idempotent and isinstance(r.match_rules[-1].startswith, str)
                    and r.match_rules[-1].startswith.startswith(drop_idempotent))]
    keep += [IdempotentCommandsRule(match_rules=_match(r.path, r.key)) for r in spec.rules.replace]
    ordering = [*rules.ordering, *(OrderingRule(match_rules=_match(o.path), weight=o.weight)
                                  for o in spec.rules.order)]
    overwrite = list(rules.sectional_overwrite)
    if spec.config_style != "set":
        overwrite += [SectionalOverwriteRule(match_rules=(MatchRule(startswith=p),))
                      for f in spec.features.features if f.ordered for p in f.prefixes]
    return rules.model_copy(update={"idempotent_commands": keep, "ordering": ordering,
                                    "sectional_overwrite": overwrite})


class GovnetNegation:
    """Mixin for a hier_config driver: removal commands from the platform's ``negate`` rules and banners.

    A line matching a :class:`~nornir_tasks.platforms.spec.NegateRule` is removed with its ``use`` command (no
    value repeated: FRR refuses ``no password <old>``, and a masked secret must never be sent back); a banner is
    removed as one unit (``no banner motd``), never line by line."""

    spec: PlatformSpec

    def _negations(self) -> list[tuple[str, re.Pattern[str], str]]:
        cached: list[tuple[str, re.Pattern[str], str]] | None = self.__dict__.get("_govnet_negations")
        if cached is None:
            cached = [(r.parent, re.compile(r.match, re.S), r.use) for r in self.spec.rules.negate]
            self.__dict__["_govnet_negations"] = cached
        return cached

    def negate_with(self, config: Any) -> str | None:
        text = config.text
        parent = config.parent
        top = getattr(parent, "text", "") if parent is not None and parent is not config.root else ""
        for within, rx, use in self._negations():
            if within and not top.startswith(within):
                continue
            m = rx.match(text)
            if m is not None:
                return m.expand(use)
        return super().negate_with(config)  # type: ignore[misc]
