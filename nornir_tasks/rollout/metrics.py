"""The registry of NAMED metrics a plan target can use, each with typed parameters.

A target can only name a metric listed in :data:`METRICS`, and only with the parameters that metric's
``params`` model accepts, so nobody can write a target govnet cannot measure. A metric looks at one site at a
time and returns an :class:`Outcome`:

* ``pass`` — the site meets the criterion;
* ``fail`` — it does not, and the :class:`Reason` says which criterion it fails (shown for lagging sites);
* ``na`` — the criterion does not apply to this site (e.g. it has no device of the platform in question);
  such sites leave the denominator;
* ``no_data`` — govnet has no data to decide (e.g. a device missing from the compliance snapshot); such sites
  stay in the denominator and are listed as lagging with the reason "no data".

A metric that needs data which does not exist at all (no compliance snapshot yet) says so through
``available`` and the target reports "no data" rather than 0%.

All per-site look-ups come from :class:`MetricData`, built once per inventory, so scoring 10,000 sites against
every target of every plan stays linear.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from nornir_tasks.inventory.history import inventory_as_of
from nornir_tasks.inventory.validate import connected_sites
from nornir_tasks.model import (
    Circuit,
    CircuitStatus,
    Device,
    Inventory,
    Network,
    Platform,
    Role,
    Site,
    SiteStatus,
)
from nornir_tasks.rollout.compliance_data import ComplianceView

PASS, FAIL, NA, NO_DATA = "pass", "fail", "na", "no_data"


@dataclass(frozen=True)
class Reason:
    """Why a site fails a criterion: an i18n key (see :mod:`nornir_tasks.rollout.i18n`) and its arguments."""

    key: str
    args: tuple[tuple[str, Any], ...] = ()

    def kwargs(self) -> dict[str, Any]:
        return dict(self.args)


@dataclass(frozen=True)
class Outcome:
    state: str
    reason: Reason | None = None


_PASS = Outcome(PASS)
_NA = Outcome(NA)


def _fail(key: str, **args: Any) -> Outcome:
    return Outcome(FAIL, Reason(key, tuple(args.items())))


def _no_data(key: str, **args: Any) -> Outcome:
    return Outcome(NO_DATA, Reason(key, tuple(args.items())))


# ---------------------------------------------------------------------------------------------------------
# Data every metric reads (built once)
# ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Uplink:
    """An active TSLCD circuit seen from one site: the near end is a device of the site, the far end is not."""

    circuit: Circuit
    near_device: str
    near_interface: str
    far_device: str


@dataclass
class MetricData:
    """Indexes over one inventory (and the latest compliance snapshot, when there is one)."""

    inventory: Inventory
    devices_by_site: dict[str, list[Device]] = field(default_factory=dict)
    uplinks_by_site: dict[str, list[Uplink]] = field(default_factory=dict)
    connected: set[str] = field(default_factory=set)
    compliance: ComplianceView | None = None

    @classmethod
    def build(cls, inv: Inventory, compliance: ComplianceView | None = None, *,
              as_of: date | None = None) -> MetricData:
        """Indexes over ``inv`` — as it stood on ``as_of`` when given (dated history and activation dates, see
        :func:`nornir_tasks.inventory.history.inventory_as_of`)."""
        if as_of is not None:
            inv = inventory_as_of(inv, as_of)
        devices: dict[str, list[Device]] = defaultdict(list)
        for dev in inv.devices.values():
            devices[dev.site].append(dev)
        uplinks: dict[str, list[Uplink]] = defaultdict(list)
        for c in inv.circuits.values():
            if c.status is not CircuitStatus.ACTIVE or c.network is not Network.TSLCD:
                continue
            da, dz = inv.devices.get(c.a.device), inv.devices.get(c.z.device)
            if da is None or dz is None or da.site == dz.site:
                continue
            uplinks[da.site].append(Uplink(c, da.name, c.a.interface, dz.name))
            uplinks[dz.site].append(Uplink(c, dz.name, c.z.interface, da.name))
        return cls(inv, dict(devices), dict(uplinks), connected_sites(inv), compliance)


# ---------------------------------------------------------------------------------------------------------
# Parameter models (typed; extra keys refused)
# ---------------------------------------------------------------------------------------------------------
class Params(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class NoParams(Params):
    pass


class BandwidthParams(Params):
    mbps: Annotated[int, Field(ge=1, le=400000, description="minimum uplink bandwidth in Mbps")]


class BaselineParams(Params):
    version: Annotated[str, Field(min_length=1, max_length=32, description="baseline version, e.g. '2025.1'")]


class OsParams(Params):
    platform: Platform
    version: Annotated[str, Field(min_length=1, max_length=64, description="lowest acceptable OS version")]


class RoleParams(Params):
    role: Role


class RedundancyParams(Params):
    diverse: bool = Field(False, description="the uplinks must also end on different far-end devices")


# ---------------------------------------------------------------------------------------------------------
# Version comparison (for device_os_min)
# ---------------------------------------------------------------------------------------------------------
_TOKEN = re.compile(r"\d+|[A-Za-z]+")


def version_key(text: str) -> tuple[tuple[int, int, str], ...]:
    """A sort key for vendor version strings: digit runs compare as numbers, letter runs as text (case
    ignored), a number ranks above a letter in the same place, and a longer version above its prefix.

    Examples:
        >>> version_key("17.9.4a") > version_key("17.9.4")
        True
        >>> version_key("17.10.1") > version_key("17.9.4a")
        True
        >>> version_key("21.4R3-S5") > version_key("21.2R3-S4")
        True
        >>> version_key("V300R019C10SPC500") > version_key("V300R019C10SPC300")
        True
        >>> version_key("8.4.4") == version_key("8.4.4")
        True
    """
    out = []
    for tok in _TOKEN.findall(text):
        out.append((1, int(tok), "") if tok.isdigit() else (0, 0, tok.lower()))
    return tuple(out)


# ---------------------------------------------------------------------------------------------------------
# The metrics
# ---------------------------------------------------------------------------------------------------------
def _site_connected(data: MetricData, site: Site, params: Params) -> Outcome:
    if site.id in data.connected:
        return _PASS
    return _fail("no_l2_circuit", province=site.province_code)


def _uplink_bandwidth(data: MetricData, site: Site, params: Params) -> Outcome:
    assert isinstance(params, BandwidthParams)
    ups = data.uplinks_by_site.get(site.id, [])
    if not ups:
        return _fail("no_uplink")
    best = max(u.circuit.bandwidth_mbps for u in ups)
    if best >= params.mbps:
        return _PASS
    return _fail("uplink_too_slow", have=best, need=params.mbps)


def _ipv6_on_wan(data: MetricData, site: Site, params: Params) -> Outcome:
    ups = data.uplinks_by_site.get(site.id, [])
    if not ups:
        return _fail("no_uplink")
    missing = []
    for u in ups:
        dev = data.inventory.devices[u.near_device]
        itf = dev.interface(u.near_interface)
        if itf is not None and itf.ipv6 is not None:
            return _PASS
        missing.append(f"{u.near_device}:{u.near_interface}")
    return _fail("no_ipv6_wan", interfaces=", ".join(sorted(missing)))


def _compliant(data: MetricData, site: Site, params: Params) -> Outcome:
    assert isinstance(params, BaselineParams)
    comp = data.compliance
    if comp is None:
        return _no_data("no_compliance_snapshot")
    devices = data.devices_by_site.get(site.id, [])
    if not devices:
        return _fail("no_device")
    need = version_key(params.version)
    for dev in sorted(devices, key=lambda d: d.name):
        state = comp.states.get(dev.name)
        if state is None:
            return _no_data("device_not_checked", device=dev.name)
        have = comp.version(dev.name)
        if have is not None and version_key(have) < need:
            return _no_data("baseline_too_old", have=have, need=params.version)
        if state in ComplianceView.GOOD:
            continue
        if state in ComplianceView.UNKNOWN:
            return _no_data("device_state", device=dev.name, state=state)
        return _fail("device_state", device=dev.name, state=state)
    return _PASS


def _device_os_min(data: MetricData, site: Site, params: Params) -> Outcome:
    assert isinstance(params, OsParams)
    devices = [d for d in data.devices_by_site.get(site.id, []) if d.platform is params.platform]
    if not devices:
        return _NA
    need = version_key(params.version)
    for dev in sorted(devices, key=lambda d: d.name):
        if not dev.os_version:
            return _fail("os_unknown", device=dev.name)
        if version_key(dev.os_version) < need:
            return _fail("os_too_old", device=dev.name, have=dev.os_version, need=params.version)
    return _PASS


def _device_role_present(data: MetricData, site: Site, params: Params) -> Outcome:
    assert isinstance(params, RoleParams)
    if any(d.role is params.role for d in data.devices_by_site.get(site.id, [])):
        return _PASS
    return _fail("role_missing", role=params.role.value)


def _circuit_redundancy(data: MetricData, site: Site, params: Params) -> Outcome:
    assert isinstance(params, RedundancyParams)
    ups = data.uplinks_by_site.get(site.id, [])
    if len(ups) < 2:
        return _fail("single_uplink", count=len(ups))
    if params.diverse and len({u.far_device for u in ups}) < 2:
        return _fail("uplinks_same_far_end", device=ups[0].far_device)
    return _PASS


def _site_status_active(data: MetricData, site: Site, params: Params) -> Outcome:
    if site.status is SiteStatus.ACTIVE:
        return _PASS
    return _fail("status_not_active", status=site.status.value)


@dataclass(frozen=True)
class Metric:
    """A named metric: its parameter model, what it measures, and the per-site function."""

    name: str
    params: type[Params]
    evaluate: Callable[[MetricData, Site, Params], Outcome]
    summary: str
    needs_compliance: bool = False

    def available(self, data: MetricData) -> bool:
        """False when the data the metric needs does not exist at all (the target then says "no data")."""
        return not self.needs_compliance or data.compliance is not None


METRICS: Mapping[str, Metric] = MappingProxyType({m.name: m for m in (
    Metric("site_connected", NoParams, _site_connected,
           "the site has an active level-II TSLCD circuit to a gateway of its own province (rule A1)"),
    Metric("uplink_bandwidth_min", BandwidthParams, _uplink_bandwidth,
           "the site's fastest active TSLCD uplink is at least `mbps` Mbps"),
    Metric("ipv6_on_wan", NoParams, _ipv6_on_wan,
           "an interface of the site that carries an active TSLCD circuit has an IPv6 address"),
    Metric("compliant_with_baseline", BaselineParams, _compliant,
           "every device of the site is compliant (or waived / not applicable) in the latest compliance "
           "snapshot, checked against baseline `version` or newer", needs_compliance=True),
    Metric("device_os_min", OsParams, _device_os_min,
           "every device of `platform` at the site runs OS `version` or newer (sites without such a device "
           "are not counted)"),
    Metric("device_role_present", RoleParams, _device_role_present,
           "the site has a device of role `role` (e.g. a firewall)"),
    Metric("circuit_redundancy", RedundancyParams, _circuit_redundancy,
           "the site has at least two active TSLCD uplinks (with `diverse`, ending on two different devices)"),
    Metric("site_status_active", NoParams, _site_status_active,
           "the site's status is active"),
)})


def parse_params(metric: str, raw: Mapping[str, Any] | None) -> Params:
    """Validate a target's parameters against the metric's model (raises pydantic's ValidationError or KeyError).

    Examples:
        >>> parse_params("uplink_bandwidth_min", {"mbps": 200})
        BandwidthParams(mbps=200)
        >>> parse_params("site_connected", None)
        NoParams()
    """
    return METRICS[metric].params.model_validate(dict(raw or {}))


def describe_params(metric: str) -> str:
    """The parameters a metric takes, for hints.

    Examples:
        >>> describe_params("device_os_min")
        'platform, version'
        >>> describe_params("site_connected")
        'none'
    """
    names = list(METRICS[metric].params.model_fields)
    return ", ".join(names) if names else "none"
