"""The hier_config driver for Arista EOS: hier_config's own rules plus :mod:`~nornir_tasks.platforms.arista_eos.rules`."""

from __future__ import annotations

from functools import cache

from hier_config.platforms.arista_eos.driver import HConfigDriverAristaEOS
from hier_config.platforms.driver_base import HConfigDriverRules

from nornir_tasks.platforms.arista_eos import SPEC
from nornir_tasks.platforms.hier import GovnetNegation, with_rules


class HConfigDriverGovnetEOS(GovnetNegation, HConfigDriverAristaEOS):
    """Arista EOS with govnet's ordering, single-valued commands and removals without values."""

    spec = SPEC

    @staticmethod
    def _instantiate_rules() -> HConfigDriverRules:
        # hier_config's EOS rules make every banner replace every other ('banner'): one banner type replaces its own
        return with_rules(HConfigDriverAristaEOS._instantiate_rules(), SPEC, drop_idempotent=("banner",))


@cache
def driver() -> HConfigDriverGovnetEOS:
    """The (stateless, shared) driver."""
    return HConfigDriverGovnetEOS()
