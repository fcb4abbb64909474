"""The hier_config driver for Junos set commands: hier_config's own plus :mod:`~nornir_tasks.platforms.juniper_junos.rules`."""

from __future__ import annotations

from functools import cache

from hier_config.platforms.driver_base import HConfigDriverRules
from hier_config.platforms.juniper_junos.driver import HConfigDriverJuniperJUNOS

from nornir_tasks.platforms.hier import GovnetNegation, with_rules
from nornir_tasks.platforms.juniper_junos import SPEC


class HConfigDriverGovnetJunos(GovnetNegation, HConfigDriverJuniperJUNOS):
    """Junos (set style) with govnet's ordering, single-valued statements and deletes without values."""

    spec = SPEC

    @staticmethod
    def _instantiate_rules() -> HConfigDriverRules:
        return with_rules(HConfigDriverJuniperJUNOS._instantiate_rules(), SPEC)


@cache
def driver() -> HConfigDriverGovnetJunos:
    """The (stateless, shared) driver.

    Examples:
        >>> from hier_config import get_hconfig
        >>> r = get_hconfig(driver(), "set system host-name a\\n").config_to_get_to(
        ...     get_hconfig(driver(), "set system host-name b\\n"))
        >>> [c.text for c in r.children]
        ['set system host-name b']
    """
    return HConfigDriverGovnetJunos()
