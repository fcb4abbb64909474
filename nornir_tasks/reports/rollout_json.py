"""``rollout.json``: the whole :class:`~nornir_tasks.rollout.scoring.RolloutResult` with stable English keys
(statuses by value, dates ISO) and the language of the labels, for programs and for the dashboard test."""

from __future__ import annotations

import json
from typing import Any

from nornir_tasks.rollout.i18n import Lang
from nornir_tasks.rollout.scoring import RolloutResult


def to_json(result: RolloutResult, lang: Lang = "en") -> str:
    """The result as JSON text (UTF-8, diacritics kept, keys stable)."""
    doc: dict[str, Any] = {"lang": lang, **result.model_dump(mode="json")}
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
