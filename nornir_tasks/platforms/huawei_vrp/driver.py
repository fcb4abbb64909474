"""The hier_config driver for Huawei VRP (``undo`` negation, ``quit`` to leave a view).

hier_config's older releases have no Huawei driver; we keep our own small one so that remediation of VRP
devices does not depend on which hier_config release is installed. It only returns rules and text as data,
like every hier_config driver.
"""

from __future__ import annotations

import re
from functools import cache

from hier_config.child import HConfigChild
from hier_config.models import MatchRule, PerLineSubRule, SectionalExitingRule
from hier_config.platforms.driver_base import HConfigDriverBase, HConfigDriverRules

from nornir_tasks.platforms.hier import GovnetNegation, with_rules
from nornir_tasks.platforms.huawei_vrp import SPEC

_REMARK = re.compile(r"^(.*?\brule \d+ remark|remark)\b.*")
_COMMUNITY = re.compile(r"^(snmp-agent community (?:read |write )?(?:cipher )?\S+).*")


def vrp_negation(text: str) -> str:
    """The VRP command that removes (or restores) a line.

    ``undo`` takes the keyword only for commands with a free-text argument (``description``, ``alias``,
    remarks, SNMP communities); otherwise it repeats the whole command.

    Examples:
        >>> vrp_negation("ntp-service unicast-server 10.0.250.1")
        'undo ntp-service unicast-server 10.0.250.1'
        >>> vrp_negation("description to Sở KH&CN")
        'undo description'
        >>> vrp_negation("undo telnet server enable")
        'telnet server enable'
    """
    if text.startswith("undo "):
        return text[len("undo "):]
    if text.startswith("description "):
        text = "description"
    elif text.startswith("alias "):
        text = "alias"
    elif text.startswith("header "):
        text = " ".join(text.split()[:2])
    elif " remark " in text or text.startswith("remark "):
        text = _REMARK.sub(r"\1", text)
    elif text.startswith("snmp-agent community "):
        text = _COMMUNITY.sub(r"\1", text)
    return f"undo {text}"


class HConfigDriverGovnetVRP(GovnetNegation, HConfigDriverBase):
    """Huawei VRP for hier_config: ``undo`` negation, ``quit`` sectional exit, ``#``/``return`` dropped, plus
    :mod:`~nornir_tasks.platforms.huawei_vrp.rules`."""

    spec = SPEC

    @property
    def negation_prefix(self) -> str:
        return "undo "

    def swap_negation(self, child: HConfigChild) -> HConfigChild:
        child.text = vrp_negation(child.text)
        return child

    def sectional_exit(self, config: HConfigChild) -> str | None:
        result = super().sectional_exit(config)
        return "quit" if result == "exit" else result

    @staticmethod
    def _instantiate_rules() -> HConfigDriverRules:
        return with_rules(HConfigDriverRules(
            indentation=1,
            sectional_exiting=[
                SectionalExitingRule(match_rules=(MatchRule(startswith="bgp "), MatchRule(startswith="ipv4-family")),
                                     exit_text="quit"),
            ],
            per_line_sub=[
                PerLineSubRule(search=r"^\s*#.*", replace=""),
                PerLineSubRule(search=r"^return$", replace=""),
                PerLineSubRule(search=r"^\s*quit$", replace=""),
            ],
        ), SPEC)


@cache
def driver() -> HConfigDriverGovnetVRP:
    """The (stateless, shared) driver."""
    return HConfigDriverGovnetVRP()
