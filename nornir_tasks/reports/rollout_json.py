"""``rollout.json``: the whole :class:`~nornir_tasks.rollout.scoring.RolloutResult` with stable English keys
(statuses by value, dates ISO) and the language of the labels, for programs and for the dashboard test."""

from __future__ import annotations

import json

from nornir_tasks.rollout.i18n import Lang
from nornir_tasks.rollout.scoring import RolloutResult


def to_json(result: RolloutResult, lang: Lang = "en") -> str:
    """The result as JSON text (UTF-8, diacritics kept, keys stable), ``lang`` first.

    Examples:
        >>> from datetime import date
        >>> import json
        >>> doc = json.loads(to_json(RolloutResult(as_of=date(2025, 1, 1), plans=[], sites=[], warnings=[]), "vi"))
        >>> doc["lang"], doc["as_of"]
        ('vi', '2025-01-01')
    """
    body = result.model_dump_json(indent=1)          # pydantic's serialiser: fast on 10,000 sites
    return "{\n " + json.dumps({"lang": lang})[1:-1] + "," + body[1:] + "\n"
