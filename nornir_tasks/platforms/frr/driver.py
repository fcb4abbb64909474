"""The one hier_config driver for FRR, used by compliance and by ``napalm_frr``.

hier_config's Cisco IOS rules fit FRR once its noise lines are gone, with :mod:`~nornir_tasks.platforms.frr.rules`
on top: an interface may carry several ``ip address`` / ``ipv6 address`` lines (no ``secondary`` keyword), so a
new address does not replace the old one — the old one is removed (``no ip address 10.0.0.1/30``) after the new
one is added; commands FRR overwrites in place are single-valued; passwords are removed without their value.
"""

from __future__ import annotations

from functools import cache

from hier_config.platforms.cisco_ios.driver import HConfigDriverCiscoIOS
from hier_config.platforms.driver_base import HConfigDriverRules

from nornir_tasks.platforms.frr import SPEC
from nornir_tasks.platforms.hier import GovnetNegation, with_rules


class HConfigDriverFRR(GovnetNegation, HConfigDriverCiscoIOS):
    """FRR: Cisco IOS rules without IOS's single ``ip address``, plus govnet's FRR rules."""

    spec = SPEC

    @staticmethod
    def _instantiate_rules() -> HConfigDriverRules:
        return with_rules(HConfigDriverCiscoIOS._instantiate_rules(), SPEC,
                          drop_idempotent=("ip address", "ipv6 address"))


@cache
def driver() -> HConfigDriverFRR:
    """The (stateless, shared) driver.

    Examples:
        >>> from hier_config import get_hconfig
        >>> run = get_hconfig(driver(), "interface eth0\\n ip address 10.0.0.1/30\\n")
        >>> want = get_hconfig(driver(), "interface eth0\\n ip address 10.0.0.5/30\\n")
        >>> list(run.config_to_get_to(want).set_order_weight().all_children_sorted())[1:]
        [HConfigChild(HConfigChild, ip address 10.0.0.5/30), HConfigChild(HConfigChild, no ip address 10.0.0.1/30)]
    """
    return HConfigDriverFRR()
