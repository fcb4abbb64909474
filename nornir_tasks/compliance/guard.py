"""Make a remediation or rollback one the device accepts and that keeps our access — rules from the platform.

hier_config computes the change (with the platform driver's ordering, single-valued commands and removals
without values, :mod:`nornir_tasks.platforms.hier`); :func:`guard` then applies the platform's ``protect``
rules and the secret rule to the change tree, in place:

* a **protected line** (vty/console lines, the AAA path the tool logs in with, the management interface and
  its VRF) is never removed, and the management interface is never shut nor readdressed;
* a **physical interface** is never deleted: it goes back to defaults (``default interface X``) or has each of
  its lines removed (FRR, VRP ``undo``, Junos ``delete`` of its statements);
* a line that still holds a masked secret (``<secret>``) is left out: in a remediation the tool does not know
  the value to write; in a rollback it needs the value the device held, which the tool never keeps.

Every line left out is returned as a :class:`Refusal` (code and sentence), listed in the remediation file and
the report. Nothing here imports nornir.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from nornir_tasks.model import Platform
from nornir_tasks.platforms import get
from nornir_tasks.platforms.spec import PlatformSpec

MASK = "<secret>"

Side = Literal["remediation", "rollback"]

#: Refusal codes (in the catalog of :mod:`nornir_tasks.errors`).
PROTECTED = "CMP-005"
HOLDS_SECRET = "CMP-006"


class GuardContext(BaseModel):
    """What the guard needs to know beyond the configs: the account the tool logs in with, and the interfaces
    the inventory names as management (``kind: mgmt``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    login_user: str | None = None
    mgmt_interfaces: tuple[str, ...] = ()


class Refusal(BaseModel):
    """One line left out of a remediation or rollback, and why."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    side: Side
    line: str
    reason: str
    #: the line under its sections, as it was in the change (``("interface eth0", "no ip address …")``)
    path: tuple[str, ...] = ()

    def sentence(self) -> str:
        """The refusal as one sentence for a report.

        Examples:
            >>> Refusal(code="CMP-006", side="rollback", line="enable secret 9 <secret>", reason="x").sentence()
            "CMP-006 rollback: left out 'enable secret 9 <secret>': x"
        """
        return f"{self.code} {self.side}: left out {self.line!r}: {self.reason}"


def _secret_reason(side: Side) -> str:
    if side == "rollback":
        return ("the rollback needs the secret the device held, which govnet never keeps: restore that line by "
                "hand")
    return ("the line holds a masked secret (<secret>) with no placeholder govnet could fill at push time: set it "
            "by hand")


class _Rules:
    """The platform's protect rules compiled for one context."""

    def __init__(self, spec: PlatformSpec, ctx: GuardContext, driver: Any) -> None:
        prot = spec.rules.protect
        user = re.escape(ctx.login_user) if ctx.login_user else None

        def compile_all(patterns: Iterable[str]) -> list[re.Pattern[str]]:
            out = []
            for p in patterns:
                if "{login_user}" in p:
                    if user is None:
                        continue
                    p = p.replace("{login_user}", user)
                out.append(re.compile(p))
            return out

        self.neg = spec.negation_prefix
        self.decl: str = getattr(driver, "declaration_prefix", "")
        self.flat = spec.config_style == "set"
        self.sections = compile_all(prot.sections)
        self.children = [(re.compile(p), re.compile(c.replace("{login_user}", user or "")))
                         for p, c in prot.children if user is not None or "{login_user}" not in c]
        self.never_add = compile_all(prot.never_add)
        self.mgmt_names = compile_all(prot.mgmt_interfaces)
        self.mgmt_exact = set(ctx.mgmt_interfaces)
        self.vrf_binding = re.compile(prot.vrf_binding) if prot.vrf_binding else None
        self.mgmt_vrfs = set(prot.mgmt_vrfs)
        self.physical = re.compile(prot.physical_interfaces) if prot.physical_interfaces else None
        self.interface = prot.interface
        self.shutdown = prot.shutdown
        self.mgmt_lines = [re.compile(p) for p in prot.mgmt_lines]
        self.reset = prot.interface_reset
        self.reset_command = prot.interface_reset_command

    def positive(self, text: str) -> tuple[bool, str]:
        """(is a removal, the line it removes)."""
        if text.startswith(self.neg):
            return True, self.decl + text[len(self.neg):]
        return False, text

    def protected(self, line: str) -> bool:
        return any(rx.search(line) for rx in self.sections)

    def is_mgmt(self, name: str, *sections: Any) -> bool:
        if name in self.mgmt_exact or any(rx.search(name) for rx in self.mgmt_names):
            return True
        if self.vrf_binding is None:
            return False
        for section in sections:
            for child in getattr(section, "children", ()):
                m = self.vrf_binding.match(child.text)
                if m is not None and m.group("vrf") in self.mgmt_vrfs:
                    return True
        return False


@lru_cache(maxsize=512)
def _rules_for(platform: Platform, ctx: GuardContext) -> _Rules:
    spec = get(platform)
    return _Rules(spec, ctx, spec.driver())


def _interface_name(rules: _Rules, line: str) -> str | None:
    if not line.startswith(rules.interface):
        return None
    rest = line[len(rules.interface):].split()
    return rest[0] if rest else None


def guard(spec: PlatformSpec, change: Any, source: Any, side: Side, ctx: GuardContext | None = None
          ) -> list[Refusal]:
    """Apply the platform's protect rules and the secret rule to ``change`` (a hier_config tree computed from
    ``source``, the config it will be applied to), in place; return the lines left out.

    Examples:
        >>> from hier_config import get_hconfig
        >>> from nornir_tasks.platforms import get
        >>> spec = get("cisco_ios")
        >>> run = get_hconfig(spec.driver(), "interface GigabitEthernet0/0/1\\n description x\\nline vty 0 4\\n")
        >>> change = get_hconfig(spec.driver(), "no interface GigabitEthernet0/0/1\\nno line vty 0 4\\n")
        >>> [r.code for r in guard(spec, change, run, "rollback")]
        ['CMP-005']
        >>> [c.text for c in change.children]
        ['default interface GigabitEthernet0/0/1']
    """
    rules = _rules_for(spec.platform, ctx or GuardContext())
    refused: list[Refusal] = []

    def refuse(node: Any, code: str, reason: str) -> None:
        refused.append(Refusal(code=code, side=side, line=_shown(node), reason=reason,
                               path=tuple(n.text for n in node.lineage())))
        parent = node.parent
        node.delete()
        # a section whose every line was left out goes too: its header alone is not the change
        while parent is not change and not parent.children:
            up = parent.parent
            parent.delete()
            parent = up

    for child in tuple(change.children):
        removal, line = rules.positive(child.text)
        name = _interface_name(rules, line)
        if removal and rules.protected(line):
            refuse(child, PROTECTED, "govnet never removes a vty/console line, the login path it uses or the "
                                     "management VRF")
        elif not removal and any(rx.search(line) for rx in rules.never_add):
            refuse(child, PROTECTED, "govnet never shuts the management interface")
        elif name is not None:
            src = source.get_child(equals=line)
            if rules.is_mgmt(name, src, child):
                if removal:
                    refuse(child, PROTECTED, "govnet never removes the management interface")
                else:
                    _guard_mgmt(rules, child, src, refuse)
            elif removal and rules.physical is not None and rules.physical.search(name) \
                    and (not rules.flat or line == rules.interface + name):
                _reset_physical(rules, child, line, src, source)
    for parent in tuple(change.children):
        for pat, kid in rules.children:
            if pat.search(parent.text):
                for sub in tuple(parent.children):
                    removal, line = rules.positive(sub.text)
                    if removal and kid.search(line):
                        refuse(sub, PROTECTED, "govnet never removes the login method of a vty/console line")

    def secrets(node: Any) -> None:
        for sub in tuple(node.children):
            if MASK in sub.text:
                refuse(sub, HOLDS_SECRET, _secret_reason(side))
            elif sub.children:
                secrets(sub)

    secrets(change)
    return refused


def _shown(node: Any) -> str:
    lineage = [n.text for n in node.lineage()]
    return " / ".join(t.splitlines()[0] + (" …" if "\n" in t else "") for t in lineage)


def _guard_mgmt(rules: _Rules, section: Any, src: Any, refuse: Any) -> None:
    """Under the management interface: never shut, never remove or replace the lines that carry our access."""
    driver = section.driver
    for sub in tuple(section.children):
        removal, line = rules.positive(sub.text)
        if not removal and line == rules.shutdown:
            refuse(sub, PROTECTED, "govnet never shuts the management interface")
        elif not any(rx.search(line) for rx in rules.mgmt_lines):
            continue
        elif removal:
            refuse(sub, PROTECTED, "govnet never removes the address or VRF govnet reaches the device through")
        elif src is not None and driver.idempotent_for(sub, src.children) is not None:
            refuse(sub, PROTECTED, "the line would replace the address or VRF govnet reaches the device through")


def _reset_physical(rules: _Rules, child: Any, line: str, src: Any, source: Any) -> None:
    """A physical interface is never deleted: back to defaults, or each of its lines removed."""
    if rules.reset == "default" and rules.reset_command:
        child.text = rules.reset_command.format(name=_interface_name(rules, line))
        return
    parent = child.parent
    if rules.flat:
        victims = [c.text for c in source.children if c.text.startswith(line + " ")]
        child.delete()
        for text in victims:
            parent.add_child(text).negate()
        return
    child.delete()
    if src is None or not src.children:
        return
    section = parent.add_child(line)
    for sub in src.children:
        if sub.text.startswith(rules.neg):
            continue    # a default-state line ('no shutdown') is not removed
        section.add_child(sub.text).negate()
    if not section.children:
        section.delete()
