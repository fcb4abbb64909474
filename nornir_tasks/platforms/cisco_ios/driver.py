"""The hier_config driver for Cisco IOS: hier_config's own rules plus :mod:`~nornir_tasks.platforms.cisco_ios.rules`."""

from __future__ import annotations

from functools import cache

from hier_config.platforms.cisco_ios.driver import HConfigDriverCiscoIOS
from hier_config.platforms.driver_base import HConfigDriverRules

from nornir_tasks.platforms.cisco_ios import SPEC
from nornir_tasks.platforms.hier import GovnetNegation, with_rules


class HConfigDriverGovnetIOS(GovnetNegation, HConfigDriverCiscoIOS):
    """Cisco IOS with govnet's ordering, single-valued commands and removals without values."""

    spec = SPEC

    @staticmethod
    def _instantiate_rules() -> HConfigDriverRules:
        return with_rules(HConfigDriverCiscoIOS._instantiate_rules(), SPEC)


@cache
def driver() -> HConfigDriverGovnetIOS:
    """The (stateless, shared) driver.

    Examples:
        >>> from hier_config import get_hconfig
        >>> r = get_hconfig(driver(), "hostname a\\n").config_to_get_to(get_hconfig(driver(), "hostname b\\n"))
        >>> [c.text for c in r.children]
        ['hostname b']
    """
    return HConfigDriverGovnetIOS()
