"""The waiver register (sổ miễn trừ): ``inventory/waivers.yaml``.

Each entry waives one rule (a baseline rule id, or ``feature:<name>`` for an intended-vs-running feature)
for one device or for every device of one site, with a reason, the approver and an expiry date::

    - rule: C1
      site: 12-tam-duong
      reason: Tường lửa đang được mua sắm (gói thầu 2026-17)
      approver: Sở KH&CN Lai Châu
      expires: 2026-12-31

A waived finding is reported as *waived* until the day after ``expires``; from then on it counts again, and the
run warns about each expired waiver. A missing file means an empty register. Refused (CMP-002, with file and
line): an empty reason or approver, an expiry more than :data:`MAX_WAIVER_DAYS` days ahead, and a rule id that is
neither a baseline rule nor ``feature:<a feature govnet compares>``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from nornir_tasks.errors import ComplianceError
from nornir_tasks.inventory.yamlio import Locator, ReadFailed, read_yaml
from nornir_tasks.model import Name, SafeStr


logger = logging.getLogger(__name__)

#: The longest a waiver may run from the day it is checked (five years): a waiver is temporary by nature.
MAX_WAIVER_DAYS = 5 * 366


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty: say why, and who approved")
    return value


Text = Annotated[SafeStr, AfterValidator(_not_blank)]


class Waiver(BaseModel):
    """One waiver. Exactly one of ``device`` and ``site``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rule: Annotated[str, Field(min_length=1, max_length=64)]
    device: Name | None = None
    site: Name | None = None
    reason: Text
    approver: Text
    expires: date
    reference: SafeStr | None = None

    @model_validator(mode="after")
    def _one_target(self) -> Waiver:
        if (self.device is None) == (self.site is None):
            raise ValueError("a waiver names exactly one of 'device' or 'site'")
        return self

    def covers(self, rule: str, device: str, site: str, today: date) -> bool:
        """True when this waiver applies to the finding on ``today``.

        Examples:
            >>> w = Waiver(rule="C1", site="s1", reason="r", approver="a", expires=date(2026, 12, 31))
            >>> w.covers("C1", "r1", "s1", date(2026, 12, 31)), w.covers("C1", "r1", "s1", date(2027, 1, 1))
            (True, False)
        """
        return (self.rule == rule and today <= self.expires
                and (self.device == device if self.device is not None else self.site == site))


@dataclass(frozen=True)
class WaiverRegister:
    waivers: tuple[Waiver, ...] = ()

    def find(self, rule: str, device: str, site: str, today: date) -> Waiver | None:
        for w in self.waivers:
            if w.covers(rule, device, site, today):
                return w
        return None

    def expired(self, today: date) -> list[Waiver]:
        return [w for w in self.waivers if w.expires < today]


def load_waivers(path: str | Path, *, known_devices: set[str] | None = None,
                 known_sites: set[str] | None = None, known_rules: set[str] | None = None,
                 today: date | None = None) -> WaiverRegister:
    """Read the register; raise CMP-002 naming the file, line and field of the first problem. With ``today``,
    an expiry more than :data:`MAX_WAIVER_DAYS` ahead is refused and each expired waiver is logged as a warning."""
    file = Path(path)
    if not file.exists():
        return WaiverRegister()
    label = str(file)
    try:
        data = read_yaml(file, label=label)
    except ReadFailed as exc:
        raise ComplianceError(exc.finding.sentence(), code="CMP-002", hint=exc.finding.hint) from exc
    if data in ({}, None):
        return WaiverRegister()
    if not isinstance(data, list):
        raise ComplianceError(f"{label}: the top level must be a list of waivers", code="CMP-002",
                              hint="start each waiver with '- rule: ...'")
    out: list[Waiver] = []
    loc = Locator(file)
    for i, item in enumerate(data):
        try:
            w = Waiver.model_validate(item)
        except ValidationError as exc:
            err = exc.errors()[0]
            path_ = (i, *err["loc"])
            field = ".".join(str(p) for p in err["loc"]) or "(entry)"
            raise ComplianceError(f"{label}:{loc.line(path_)} waiver {i + 1} {field}: {err['msg']}",
                                  code="CMP-002", hint="each waiver needs rule, device or site, reason, approver "
                                                       "and expires (YYYY-MM-DD)") from exc
        if known_devices is not None and w.device is not None and w.device not in known_devices:
            raise ComplianceError(f"{label}:{loc.line((i, 'device'))} waiver {i + 1} names device {w.device!r}, "
                                  "which is not in the inventory", code="CMP-002", hint="fix the device name")
        if known_sites is not None and w.site is not None and w.site not in known_sites:
            raise ComplianceError(f"{label}:{loc.line((i, 'site'))} waiver {i + 1} names site {w.site!r}, "
                                  "which is not in the inventory", code="CMP-002", hint="fix the site id")
        if known_rules is not None and w.rule not in known_rules:
            raise ComplianceError(f"{label}:{loc.line((i, 'rule'))} waiver {i + 1} names rule {w.rule!r}, which no "
                                  "baseline defines", code="CMP-002",
                                  hint="use a baseline rule id (e.g. C1) or feature:<name> (e.g. feature:ntp)")
        if today is not None and (w.expires - today).days > MAX_WAIVER_DAYS:
            raise ComplianceError(f"{label}:{loc.line((i, 'expires'))} waiver {i + 1} expires {w.expires}, more than "
                                  f"{MAX_WAIVER_DAYS // 366} years ahead", code="CMP-002",
                                  hint="a waiver is temporary: give a real end date and renew it when it is due")
        if today is not None and w.expires < today:
            logger.warning("%s:%s waiver %d (rule %s for %s) expired on %s and no longer counts", label,
                           loc.line((i, "expires")), i + 1, w.rule, w.device or w.site, w.expires)
        out.append(w)
    return WaiverRegister(tuple(out))
