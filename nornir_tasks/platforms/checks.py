"""Rules a rendered configuration must satisfy for the device to accept it as meant, as data.

Each platform package declares its rules in ``nornir_tasks/platforms/<name>/checks.py`` (``CHECKS``), each
with the vendor documentation page it follows. This module holds the rule kinds and :func:`violations`, which
tests run over every rendered sample device and golden case. Pure: strings in, findings out.
"""

from __future__ import annotations

import importlib
import re
from functools import cache

from pydantic import BaseModel, ConfigDict

from nornir_tasks.platforms.hardware import DeviceModel


class Check(BaseModel):
    """One rule. ``kind`` says how it is checked:

    * ``forbid`` — no line matches ``pattern``;
    * ``before`` — when a line matches ``pattern``, a line matching ``requires`` comes earlier (``{0}`` in
      ``requires`` is the first group of ``pattern``: ``vrf definition {0}`` before ``vrf forwarding (\\S+)``);
    * ``views_closed`` — every view (a line followed by deeper lines) ends with a line ``requires`` at the
      view's child indentation before a shallower command follows;
    * ``section_has`` — every section whose head matches ``pattern`` has a child matching ``requires``;
    * ``present`` — like ``before``, but the required line may come anywhere.

    ``when`` names a :class:`~nornir_tasks.platforms.hardware.DeviceModel` attribute that must be true (e.g.
    ``flow_mode``) or, prefixed with ``not ``, false, for the rule to apply.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    kind: str
    pattern: str = ""
    requires: str = ""
    when: str | None = None
    why: str
    source: str


def close_views(text: str, exit_word: str = "quit") -> str:
    """Close every view of an indented display-form config with ``exit_word`` (VRP: ``quit``), so a line
    pushed after a view runs in the parent view. Comment lines (``#``) and ``return`` close the views deeper
    than themselves.

    Examples:
        >>> print(close_views("#\\nacl number 2000\\n rule 5 permit\\n#\\nundo telnet server enable\\nreturn\\n"), end="")
        #
        acl number 2000
         rule 5 permit
         quit
        #
        undo telnet server enable
        return
        >>> print(close_views("ip vpn-instance v\\n ipv4-family\\n  quit\\n#\\n"), end="")
        ip vpn-instance v
         ipv4-family
          quit
         quit
        #
        >>> print(close_views("aaa\\n scheme a\\n  mode x\\n domain d\\n  scheme a\\n"), end="")
        aaa
         scheme a
          mode x
          quit
         domain d
          scheme a
          quit
         quit
    """
    out: list[str] = []
    stack: list[int] = []
    prev = -1
    for raw in text.splitlines():
        stripped = raw.strip()
        if not stripped:
            out.append(raw)
            continue
        indent = len(raw) - len(raw.lstrip())
        separator = stripped.startswith("#") or stripped == "return"
        if not separator and indent > prev >= 0 and prev_line_opens(out):
            stack.append(prev)
        if stripped == exit_word:          # an exit the template wrote itself closes its view
            if stack and stack[-1] == indent - 1:
                stack.pop()
            out.append(raw)
            prev = indent - 1
            continue
        while stack and stack[-1] >= (indent if not separator or indent else 0):
            out.append(" " * (stack.pop() + 1) + exit_word)
        out.append(raw)
        prev = indent if not separator else -1
    while stack:
        out.append(" " * (stack.pop() + 1) + exit_word)
    return "\n".join(out) + ("\n" if text.endswith("\n") else "")


def prev_line_opens(out: list[str]) -> bool:
    """True when the last emitted line is a command (not a separator) that the next, deeper line sits under."""
    for line in reversed(out):
        if line.strip():
            return not line.strip().startswith("#")
    return False


@cache
def checks_of(platform: str) -> tuple[Check, ...]:
    """The rules of a platform (its package's ``checks.CHECKS``; empty when it declares none).

    Examples:
        >>> any(c.id == "vrp-views-closed" for c in checks_of("huawei_vrp"))
        True
    """
    try:
        mod = importlib.import_module(f"nornir_tasks.platforms.{platform}.checks")
    except ModuleNotFoundError:
        return ()
    return tuple(getattr(mod, "CHECKS", ()))


def applies(check: Check, hw: DeviceModel | None) -> bool:
    """Whether a rule's ``when`` condition holds for a model (a rule with a condition needs a known model).

    Examples:
        >>> c = Check(id="x", kind="forbid", pattern="a", when="not subinterfaces", why="-", source="-")
        >>> applies(c, DeviceModel(name="m", subinterfaces=False, source="-")), applies(c, None)
        (True, False)
    """
    if check.when is None:
        return True
    if hw is None:
        return False
    negate = check.when.startswith("not ")
    value = bool(getattr(hw, check.when.removeprefix("not ")))
    return value != negate


def violations(platform: str, text: str, hw: DeviceModel | None = None) -> list[str]:
    """Every rule of ``platform`` the config breaks, as ``"<rule id>: <line>"`` sentences.

    Examples:
        >>> violations("huawei_vrp", "acl number 2000\\n rule 5 permit\\nundo telnet server enable\\n")
        ['vrp-views-closed: view acl number 2000 is still open at undo telnet server enable']
    """
    out: list[str] = []
    lines = text.splitlines()
    for check in checks_of(platform):
        if applies(check, hw):
            out.extend(f"{check.id}: {msg}" for msg in _run(check, lines))
    return out


def _run(check: Check, lines: list[str]) -> list[str]:
    if check.kind == "forbid":
        rx = re.compile(check.pattern)
        return [f"forbidden line {ln.strip()!r}" for ln in lines if rx.search(ln)]
    if check.kind in ("before", "present"):
        return _before(check, lines)
    if check.kind == "views_closed":
        return _views_closed(check, lines)
    if check.kind == "section_has":
        return _section_has(check, lines)
    raise ValueError(f"unknown check kind {check.kind!r}")


def _before(check: Check, lines: list[str]) -> list[str]:
    rx = re.compile(check.pattern)
    out = []
    for n, ln in enumerate(lines):
        m = rx.search(ln)
        if m is None:
            continue
        need = re.compile(check.requires.format(*(re.escape(g or "") for g in m.groups())))
        if not any(need.search(prev) for prev in (lines[:n] if check.kind == "before" else lines)):
            where = "before it" if check.kind == "before" else "anywhere"
            out.append(f"{ln.strip()!r} has no line matching {need.pattern!r} {where}")
    return out


def _views_closed(check: Check, lines: list[str]) -> list[str]:
    out = []
    stack: list[tuple[int, str]] = []
    prev: tuple[int, str] | None = None
    for ln in lines:
        s = ln.strip()
        if not s or s.startswith("#"):
            continue
        indent = len(ln) - len(ln.lstrip())
        if prev is not None and indent > prev[0]:
            stack.append(prev)
        if s == check.requires and stack and indent == stack[-1][0] + 1:
            stack.pop()
            prev = None
            continue
        while stack and indent <= stack[-1][0]:
            view = stack.pop()
            if s != "return":
                out.append(f"view {view[1]} is still open at {s}")
        prev = (indent, s)
    return out


def _section_has(check: Check, lines: list[str]) -> list[str]:
    head = re.compile(check.pattern)
    need = re.compile(check.requires)
    out = []
    for n, ln in enumerate(lines):
        if ln[:1].isspace() or not head.search(ln):
            continue
        body = []
        for nxt in lines[n + 1:]:
            if not nxt[:1].isspace() or not nxt.strip():
                break
            body.append(nxt)
        if not any(need.search(b) for b in body):
            out.append(f"{ln.strip()!r} has no line matching {check.requires!r}")
    return out
