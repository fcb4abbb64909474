"""A platform's change rules (:class:`~nornir_tasks.platforms.spec.ChangeRules`) turned into hier_config's.

Each ``<name>/driver.py`` is a hier_config driver whose rules are the library's own for that platform plus
these: ordering weights, single-valued (idempotent) commands, sectional overwrite for ordered features, and
removals without values (:class:`GovnetNegation`). The drivers only return rules as data, like every
hier_config driver.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
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


Level = Callable[[str], bool]


def _equals(e: str) -> Level:
    return lambda t: t == e


def _member(e: frozenset[str]) -> Level:
    return lambda t: t in e


def _starts(p: str | tuple[str, ...]) -> Level:
    return lambda t: t.startswith(p)


def _ends(p: str | tuple[str, ...]) -> Level:
    return lambda t: t.endswith(p)


def _search(rx: re.Pattern[str]) -> Level:
    return lambda t: rx.search(t) is not None


def _contains_any(cs: tuple[str, ...]) -> Level:
    return lambda t: any(c in t for c in cs)


def _level(rule: MatchRule) -> Level:
    """One level of a hier_config match rule as a plain predicate on the line (the same tests as
    ``HConfigChild.is_match``, without building the lineage for every rule)."""
    tests: list[Level] = []
    if isinstance(rule.equals, str):
        tests.append(_equals(rule.equals))
    elif isinstance(rule.equals, frozenset):
        tests.append(_member(rule.equals))
    if isinstance(rule.startswith, (str, tuple)):
        tests.append(_starts(rule.startswith))
    if isinstance(rule.re_search, str):
        tests.append(_search(re.compile(rule.re_search)))
    if isinstance(rule.endswith, (str, tuple)):
        tests.append(_ends(rule.endswith))
    if isinstance(rule.contains, str):
        tests.append(_contains_any((rule.contains,)))
    elif isinstance(rule.contains, tuple):
        tests.append(_contains_any(rule.contains))
    if len(tests) == 1:
        return tests[0]
    return lambda t: all(f(t) for f in tests)


def compile_lineage(rules: Iterable[Any]) -> list[tuple[Any, tuple[Level, ...]]]:
    """Each rule with its ``match_rules`` compiled to one predicate per level.

    Examples:
        >>> [(r, ls)] = compile_lineage([OrderingRule(match_rules=(MatchRule(startswith="a"),), weight=1)])
        >>> ls[0]("abc"), ls[0]("b")
        (True, False)
    """
    return [(r, tuple(_level(m) for m in r.match_rules)) for r in rules]


def lineage_match(texts: tuple[str, ...], levels: tuple[Level, ...]) -> bool:
    """True when the lines from the top (``texts``) match the compiled levels one to one."""
    return len(texts) == len(levels) and all(f(t) for f, t in zip(levels, texts, strict=True))


class RuleIndex:
    """hier_config rules (ordering, idempotent commands) indexed by depth, with a one-call rejection of lines no
    rule of that depth can match (every such rule needs a ``startswith`` on the line itself).

    Examples:
        >>> idx = RuleIndex([OrderingRule(match_rules=(MatchRule(startswith="vrf "),), weight=-1)])
        >>> [r.weight for r in idx.matching(("vrf x",))], list(idx.matching(("ntp x",)))
        ([-1], [])
    """

    def __init__(self, rules: Iterable[Any]) -> None:
        buckets: dict[int, list[tuple[Any, tuple[Level, ...]]]] = {}
        needs: dict[int, list[Any]] = {}
        for rule, levels in compile_lineage(rules):
            buckets.setdefault(len(levels), []).append((rule, levels))
            needs.setdefault(len(levels), []).append(rule.match_rules[-1].startswith)
        self.by_depth: dict[int, tuple[tuple[str, ...] | None, list[tuple[Any, tuple[Level, ...]]]]] = {}
        for depth, bucket in buckets.items():
            prefixes: list[str] = []
            for need in needs[depth]:
                if need is None:
                    prefixes = []
                    break
                prefixes.extend([need] if isinstance(need, str) else need)
            self.by_depth[depth] = (tuple(prefixes) if prefixes else None, bucket)

    def matching(self, texts: tuple[str, ...]) -> Iterator[Any]:
        """The rules whose lineage matches the lines from the top, in rule order."""
        entry = self.by_depth.get(len(texts))
        if entry is None:
            return
        reject, bucket = entry
        if reject is not None and not texts[-1].startswith(reject):
            return
        for rule, levels in bucket:
            if all(f(t) for f, t in zip(levels, texts, strict=True)):
                yield rule


def set_weights(tree: Any) -> Any:
    """``HConfig.set_order_weight`` for the driver's ordering rules, matching each line against the rules of its
    depth only (the same result, a fraction of the time on large fleets)."""
    index = getattr(tree.driver, "ordering_index", None)
    if index is None:
        return tree.set_order_weight()

    def walk(node: Any, texts: tuple[str, ...]) -> None:
        for child in node.children:
            here = (*texts, child.text)
            for rule in index.matching(here):
                child.order_weight = rule.weight
            if child.children:
                walk(child, here)

    walk(tree, ())
    return tree


class GovnetNegation:
    """Mixin for a hier_config driver: removal commands from the platform's ``negate`` rules and banners.

    A line matching a :class:`~nornir_tasks.platforms.spec.NegateRule` is removed with its ``use`` command (no
    value repeated: FRR refuses ``no password <old>``, and a masked secret must never be sent back); a banner is
    removed as one unit (``no banner motd``), never line by line."""

    spec: PlatformSpec

    @property
    def ordering_index(self) -> RuleIndex:
        cached = self.__dict__.get("_govnet_ordering")
        if cached is None:
            cached = self.__dict__["_govnet_ordering"] = RuleIndex(self.rules.ordering)  # type: ignore[attr-defined]
        return cached

    def _idempotent(self) -> RuleIndex:
        cached = self.__dict__.get("_govnet_idempotent")
        if cached is None:
            cached = self.__dict__["_govnet_idempotent"] = RuleIndex(
                self.rules.idempotent_commands)  # type: ignore[attr-defined]
        return cached

    def idempotent_for(self, config: Any, other_children: Iterable[Any]) -> Any:
        """hier_config's ``idempotent_for``, with each line's lineage built once and only the rules of its depth
        tried."""
        texts = tuple(c.text for c in config.lineage())
        others: list[Any] | None = None
        index = self._idempotent()
        for rule in index.matching(texts):
            key = self._idempotency_key(config, rule.match_rules)  # type: ignore[attr-defined]
            if others is None:
                others = list(other_children)
            for other in others:
                other_texts = (*texts[:-1], other.text) if other.parent is config.parent else \
                    tuple(c.text for c in other.lineage())
                if rule in index.matching(other_texts) and \
                        self._idempotency_key(other, rule.match_rules) == key:  # type: ignore[attr-defined]
                    return other
        return None

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
