"""Secrets at push time: ``<secret:ENV>`` placeholders of an intended config become values from the environment,
in memory only, just before the config is handed to the device driver.

- A missing (or empty) variable fails that host before any connection (DPL-001).
- A line that holds a secret govnet cannot push — a bare ``<secret>`` (a masked value), ``<removed>`` or
  ``<redacted>`` (what backups hold instead of secrets) — is refused (DPL-002): pushing it would set the secret
  to that literal word.
- A value must fit the platform's form: the variable holds the secret in the form the device stores (an IOS
  ``secret 9`` hash, a Junos ``$6$`` crypt inside quotes, FRR's clear-text ``password``); a value with a newline
  or control character (it would inject a command), or with a space where the form takes one word, is refused.
- A value must also be in the form the platform declares for the line that uses it
  (``nornir_tasks/platforms/<platform>/secrets.py`` ``EMITS``): a ``$6$`` hash in the variable of an IOS
  ``secret 9`` line, or in Huawei's ``irreversible-cipher``, is refused (DPL-002).
- Nothing substituted is ever written: :class:`Substituted` hides its values from ``repr``, and
  :meth:`Substituted.mask` puts the placeholders back into any text (a diff, a device's error message) before
  it reaches a report, the journal or a log.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from nornir_tasks.errors import DeployError
from nornir_tasks.model import Platform
from nornir_tasks.platforms.masking import value_problems

PLACEHOLDER = re.compile(r"<secret:([A-Z_][A-Z0-9_]*)>")
#: Tokens that stand for a secret govnet does not hold (masked, or removed by the backup stage): never pushed.
UNPUSHABLE = re.compile(r"<secret>|<secret:removed>|<removed>|<redacted>")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class SecretForm:
    """How a value is written where its placeholder stands: one word, or inside double quotes (Junos
    ``encrypted-password "<secret:X>"``), where it may hold spaces but no quote or backslash."""

    quoted: bool = False
    forbidden: str = ""


WORD = SecretForm()
QUOTED = SecretForm(quoted=True, forbidden='"\\')


def form_of(text: str, name: str) -> SecretForm:
    """The form of a placeholder's occurrences in ``text``: quoted when every one stands in double quotes.

    Examples:
        >>> form_of('set system login user a authentication encrypted-password "<secret:H>"', "H").quoted
        True
        >>> form_of("username a secret 9 <secret:H>", "H").quoted
        False
    """
    token = f"<secret:{name}>"
    quoted = text.count(f'"{token}"')
    return QUOTED if quoted and quoted == text.count(token) else WORD


@dataclass(frozen=True)
class Substituted:
    """A config with its secrets filled in. ``text`` goes to the device and nowhere else.

    Examples:
        >>> s = substitute("password <secret:PW>\\n", "frr", {"PW": "hunter2"}, host="r1")
        >>> s
        <Substituted: 1 secret(s) from PW>
        >>> s.text
        'password hunter2\\n'
        >>> s.mask("% Unknown command: password hunter2")
        '% Unknown command: password <secret:PW>'
    """

    text: str = field(repr=False)
    values: tuple[tuple[str, str], ...] = field(default=(), repr=False)   # (env name, value)

    def mask(self, text: str) -> str:
        """``text`` with every substituted value replaced by its placeholder (longest values first)."""
        for env, value in sorted(self.values, key=lambda kv: -len(kv[1])):
            text = text.replace(value, f"<secret:{env}>")
        return text

    def __repr__(self) -> str:
        names = ", ".join(sorted({env for env, _ in self.values})) or "none"
        return f"<Substituted: {len(self.values)} secret(s) from {names}>"

    __str__ = __repr__


def placeholders(text: str) -> list[str]:
    """The environment variables a config needs, in order of first use.

    Examples:
        >>> placeholders("a <secret:B>\\nc <secret:A> <secret:B>\\n")
        ['B', 'A']
    """
    return list(dict.fromkeys(PLACEHOLDER.findall(text)))


def unpushable_lines(text: str) -> list[int]:
    """1-based numbers of lines holding a secret govnet cannot push (``<secret>``, ``<removed>``, ``<redacted>``).

    Examples:
        >>> unpushable_lines("hostname r1\\n password <secret>\\nsnmp-server community <removed> RO\\n")
        [2, 3]
    """
    return [i for i, line in enumerate(text.splitlines(), 1) if UNPUSHABLE.search(line)]


def substitute(text: str, platform: Platform | str, env: Mapping[str, str], *, host: str) -> Substituted:
    """Fill the placeholders of ``text`` from ``env`` (normally ``os.environ``).

    Raises:
        DeployError: DPL-001 when a variable is not set; DPL-002 when a line holds an unpushable secret or a
            value does not fit the platform's form.

    Examples:
        >>> substitute("username a secret 9 <secret:GV_T_NONE>\\n", "cisco_ios", {}, host="r1")
        Traceback (most recent call last):
        ...
        nornir_tasks.errors.DeployError: r1: environment variable GV_T_NONE is not set (the intended config needs it)
        >>> substitute("hostname r1\\n password <secret>\\n", "frr", {}, host="r1")
        Traceback (most recent call last):
        ...
        nornir_tasks.errors.DeployError: r1: line 2 holds a secret that is not in the intended config ('<secret>'); refusing to push it
        >>> substitute('set system login user a authentication encrypted-password "<secret:H>"\\n', "juniper_junos",
        ...            {"H": 'x"; delete'}, host="fw1")
        Traceback (most recent call last):
        ...
        nornir_tasks.errors.DeployError: fw1: the value of H does not fit juniper_junos's secret form (a character it cannot hold)
    """
    bad = unpushable_lines(text)
    if bad:
        line = text.splitlines()[bad[0] - 1]
        token = UNPUSHABLE.search(line)
        raise DeployError(f"{host}: line {bad[0]} holds a secret that is not in the intended config "
                          f"({token.group(0) if token else 'masked'!r}); refusing to push it", code="DPL-002",
                          hint="render the intended config again (it writes <secret:ENV> placeholders), or remove "
                               "the masked line from the file being pushed")
    declared = value_problems(Platform(platform).value, text, env)      # the form the platform declares per line
    values: list[tuple[str, str]] = []
    for name in placeholders(text):
        form = form_of(text, name)
        value = env.get(name)
        if not value:
            raise DeployError(f"{host}: environment variable {name} is not set (the intended config needs it)",
                              code="DPL-001", hint=f"export {name}=... (the secret in the form the device stores) "
                                                   "and run again; nothing was sent to this device")
        problem = _form_problem(value, form) or declared.get(name, "")
        if problem:
            raise DeployError(f"{host}: the value of {name} does not fit {Platform(platform).value}'s secret form "
                              f"({problem})", code="DPL-002",
                              hint=f"set {name} to the secret exactly as the device stores it")
        values.append((name, value))
    out = PLACEHOLDER.sub(lambda m: env[m.group(1)], text)
    return Substituted(text=out, values=tuple(values))


def _form_problem(value: str, form: SecretForm) -> str:
    """Why a value cannot be written in a form ('' when it can).

    Examples:
        >>> _form_problem("$9$abc", SecretForm()), _form_problem("a b", SecretForm()), _form_problem("a\\nb", SecretForm())
        ('', 'a space where one word is expected', 'a newline or control character')
    """
    if _CONTROL.search(value):
        return "a newline or control character"
    if any(c in value for c in form.forbidden):
        return "a character it cannot hold"
    if not form.quoted and any(c.isspace() for c in value):
        return "a space where one word is expected"
    return ""
