"""The shape of one platform's knowledge: typed, frozen data that every stage reads through the registry.

A platform package (``nornir_tasks/platforms/<name>/``) fills one :class:`PlatformSpec`: how to reach the device
(netmiko and NAPALM names), how to read its configuration (backup command, comment and error markers, feature
map), how it can take back a change (:class:`Revert`), and the rules that keep a remediation or rollback
acceptable to the device (:class:`ChangeRules`). Nothing here imports nornir or hier_config; the hier_config
driver of a platform lives next to its data in ``<name>/driver.py``.
"""

from __future__ import annotations

import importlib
from enum import Enum
from types import ModuleType
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from nornir_tasks.model import Platform


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Capability(str, Enum):
    RENDER = "render"
    BACKUP = "backup"
    DIFF = "diff"
    DEPLOY = "deploy"
    COMMIT_CONFIRM = "commit_confirm"
    ROLLBACK = "rollback"


class Revert(str, Enum):
    """How a platform can take back a change it accepted, if the operator does not confirm it.

    * ``native_commit_confirm`` — the device reverts by itself: Junos ``commit confirmed N``, EOS
      ``configure session`` + ``commit timer``, IOS ``configure replace … revert trigger timer`` /
      ``configure terminal revert timer`` (IOS needs ``archive`` configured: see ``revert_needs``);
    * ``commit_trial`` — Huawei VRP two-stage commit: ``commit trial N`` rolls back unless ``commit`` follows;
    * ``emulated`` — the tool keeps the previous config and restores it (FRR: napalm_frr ``revert_in``);
    * ``none`` — no way back but pushing the rollback file.
    """

    NATIVE_COMMIT_CONFIRM = "native_commit_confirm"
    COMMIT_TRIAL = "commit_trial"
    EMULATED = "emulated"
    NONE = "none"


class Feature(_Frozen):
    """One feature: a name, the section prefixes that belong to it, and whether order matters."""

    name: str
    prefixes: tuple[str, ...]
    ordered: bool = False


class PlatformFeatures(_Frozen):
    """The features of one platform plus how its configuration text is cleaned before parsing."""

    platform: Platform
    features: tuple[Feature, ...]
    ignore: tuple[str, ...] = ()
    multiline_banner: bool = False
    indent_width_hint: int = 1


def feature(name: str, *prefixes: str, ordered: bool = False) -> Feature:
    """Shorthand for a :class:`Feature` row.

    Examples:
        >>> feature("ntp", "ntp ", "clock timezone").prefixes
        ('ntp ', 'clock timezone')
    """
    return Feature(name=name, prefixes=prefixes, ordered=ordered)


# --------------------------------------------------------------------------------------------------------
# Change rules: what makes a remediation or rollback one the device accepts and that keeps our access
# --------------------------------------------------------------------------------------------------------


class OrderRule(_Frozen):
    """Lines whose path matches ``path`` (one ``startswith`` per level, top level first) go at ``weight``.

    Lower weights come first; everything else is at 0 and keeps hier_config's order (removals, then
    additions). Definitions get a negative weight (a VRF before the interface that uses it); removing a
    definition or an access path gets a positive one (after the additions that replace it)."""

    path: tuple[str, ...]
    weight: int
    why: str = ""


class ReplaceRule(_Frozen):
    """A single-valued command: a new value replaces the old one in place, so the old line is never negated
    (``hostname X`` replaces ``hostname Y``; never ``no hostname Y``). ``path`` as in :class:`OrderRule`; ``key``
    (a regular expression on the last line, its groups naming the instance) when the command is single-valued per
    name (``username (\\S+)``: a user's new line replaces that user's old one, not another user's)."""

    path: tuple[str, ...]
    key: str = ""


class NegateRule(_Frozen):
    """How to remove a line whose plain negation the device refuses or that needs a value we do not hold.

    ``match`` is a regular expression on the line (without the negation prefix); ``use`` the command that
    removes it (``\\1`` … refer to the groups). ``parent``: a ``startswith`` on the section directly above
    the line (empty: any level)."""

    match: str
    use: str
    parent: str = ""


class Protect(_Frozen):
    """Lines that no remediation or rollback may remove, and how removing a physical interface is done.

    * ``sections``: regular expressions of top-level lines never negated as a whole (``line vty 0 4``,
      ``vrf definition Mgmt-intf``, ``aaa new-model`` …); ``{login_user}`` stands for the account the tool
      logs in with and is left out when that is unknown.
    * ``children``: (parent regex, child regex) pairs never negated (e.g. the login method of a vty line);
    * ``mgmt_interfaces``: regular expressions of interface names that carry management; so is any interface
      named by the inventory as ``kind: mgmt`` and any interface bound to ``mgmt_vrfs``;
    * ``vrf_binding``: regular expression of an interface line binding it to a VRF (group ``vrf``);
    * ``mgmt_vrfs``: names of management VRFs (their definition is never removed);
    * ``shutdown``: the line that shuts an interface (never added to a management interface);
    * ``mgmt_lines``: regular expressions of the management interface's lines that carry our access (its
      addresses, its VRF binding): never removed nor replaced;
    * ``never_add``: regular expressions of top-level lines never added (set-style platforms, where shutting
      the management port is one flat line);
    * ``interface``: the top-level prefix of an interface section;
    * ``physical_interfaces``: a regular expression of physical interface names (never removed);
    * ``interface_reset``: how a physical interface goes back to defaults instead of being deleted:
      ``default`` (the command in ``interface_reset_command``) or ``substatements`` (each of its lines removed).
    """

    sections: tuple[str, ...] = ()
    children: tuple[tuple[str, str], ...] = ()
    mgmt_interfaces: tuple[str, ...] = ()
    vrf_binding: str = ""
    mgmt_vrfs: tuple[str, ...] = ()
    shutdown: str = "shutdown"
    mgmt_lines: tuple[str, ...] = (r"^ip address\b", r"^ipv6 address\b", r"^(?:ip )?vrf\b", r"^vrf forwarding\b")
    never_add: tuple[str, ...] = ()
    interface: str = "interface "
    physical_interfaces: str = ""
    interface_reset: Literal["default", "substatements"] = "substatements"
    interface_reset_command: str = ""


class ChangeRules(_Frozen):
    """Everything that makes a platform's remediation and rollback acceptable to the device, as data."""

    order: tuple[OrderRule, ...] = ()
    replace: tuple[ReplaceRule, ...] = ()
    negate: tuple[NegateRule, ...] = ()
    protect: Protect = Protect()
    #: how banners start; a banner is one unit (changed whole, removed by a ``negate`` rule, never line by line)
    banners: tuple[str, ...] = ()


# --------------------------------------------------------------------------------------------------------
# The spec
# --------------------------------------------------------------------------------------------------------


class PlatformSpec(_Frozen):
    """Everything govnet knows about one platform. Read it with :func:`nornir_tasks.platforms.get`."""

    platform: Platform
    vendor: str
    netmiko_device_type: str
    napalm_driver: str | None
    #: True when NAPALM's ``get_config`` runs over netmiko/SSH and prints what ``backup_command`` prints
    #: (so the host-key policy and the sanitizer apply unchanged); False: back up with netmiko
    napalm_over_ssh: bool = False
    hier_config_os: str            # the *name* of hier_config's Platform member (never its positional value)
    backup_command: str
    comment_prefixes: tuple[str, ...]
    error_markers: tuple[str, ...]
    config_style: Literal["indented", "set"]
    capabilities: frozenset[Capability]
    revert: Revert
    #: what the device must have configured for ``revert`` to work (IOS: ``archive``); empty when nothing
    revert_needs: str = ""
    #: the start of a top-level config line the device must have for ``revert`` to work (IOS: ``archive``),
    #: checked by deploy in the pre-change config; empty when nothing can be checked in the config
    revert_needs_line: str = ""
    #: the lab keeps this platform's interface names (FRR: Linux names); others become e<index>
    lab_native_names: bool = False
    #: the device stops printing a section whose last line was removed (FRR); others keep the empty section
    prunes_empty_sections: bool = False
    negation_prefix: str = "no "
    #: the CLI takes ASCII text only: descriptions, names and banners are written without diacritics
    #: (:func:`nornir_tasks.model.to_ascii`), and text with no ASCII form is refused at validation (INV-019)
    ascii_only: bool = False
    #: JSON show commands that read routing state where NAPALM has no getter (deploy's verification):
    #: ``ospf_neighbors`` and ``bgp_summary``; a missing key means NAPALM's getter (or no check)
    state_commands: dict[str, str] = {}
    features: PlatformFeatures
    rules: ChangeRules = ChangeRules()

    @property
    def name(self) -> str:
        return self.platform.value

    @property
    def package(self) -> str:
        """The Python package holding this platform's data.

        Examples:
            >>> from nornir_tasks.platforms import get
            >>> get("frr").package
            'nornir_tasks.platforms.frr'
        """
        return f"nornir_tasks.platforms.{self.platform.value}"

    def _optional(self, module: str) -> ModuleType | None:
        try:
            return importlib.import_module(f"{self.package}.{module}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{self.package}.{module}":
                raise
            return None

    @property
    def secrets(self) -> Any:
        """The platform's secret forms (``RULES``, a :class:`~nornir_tasks.platforms.masking.SecretRules`) from
        ``<name>/secrets.py``, loaded on first use; None when the platform has no such file.

        Examples:
            >>> from nornir_tasks.platforms import get
            >>> len(get("frr").secrets.forms) > 0
            True
        """
        mod = self._optional("secrets")
        if mod is None:
            return None
        return getattr(mod, "RULES", None)

    def driver(self) -> Any:
        """The platform's hier_config driver (one shared, stateless instance), from ``<name>/driver.py``."""
        mod = importlib.import_module(f"{self.package}.driver")
        return mod.driver()
