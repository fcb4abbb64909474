"""One secret-masking engine for every stage; the secret forms themselves are data in each platform package.

A platform declares its secret forms (``nornir_tasks/platforms/<name>/secrets.py``) as :class:`SecretForm`
rows: the keyword that introduces a secret, the optional type words that may follow it (``0|5|7|8|9``,
``sha512``, ``cipher``, ``hexadecimal`` …) and how many words after them are secret. A keyword is found
**anywhere in a line**, whatever words come before or after it, so ``username x role network-admin secret sha512
<hash>`` and ``enable password sha512 <hash>`` are caught by the same ``secret``/``password`` forms as
``enable secret 9 <hash>``. Optional line and section conditions keep generic words (``key``, ``community``,
``auth``) to the lines where they introduce a secret.

The backup sanitizer, the compliance masker (and through it import, reports, remediation and rollback) all call
:func:`mask_text`; a platform without forms is refused with BKP-001 (a masker that masks nothing is a leak).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from nornir_tasks.errors import BackupError

_WORD = re.compile(r"^[A-Za-z0-9_-]+(?:\|[A-Za-z0-9_-]+)*$")
_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|\S+')


class SecretForm(BaseModel):
    """One way a secret is written on a platform.

    Attributes:
        what: what it is, for people (``"local user secret"``).
        keyword: the words that introduce the secret, separated by spaces; each word is a regular expression
            matched against a whole word (``"authentication-key"``, ``"message-digest-key \\d+ md5"``). The first
            word must be literal words separated by ``|`` (it is looked up, not searched).
        types: optional phrases skipped after the keyword, in any order and any number of times
            (``"0|5|7|8|9"``, ``"sha512"``, ``"level \\d+"``).
        count: how many words after the keyword and types are secret.
        needs_type: apply only when at least one type phrase followed the keyword
            (VRP ``authentication-mode md5 <key>`` but not ``authentication-mode aaa``).
        stop: a word that, found where the secret would be, means this line is another form (``md5`` in
            ``standby 1 authentication md5 key-string …``, masked by the ``key-string`` form).
        line: a regular expression the line must match (``re.search``).
        context: a regular expression the *context* must match (``re.match``): the line itself when it is not
            indented, else the unindented line of its section (``tacacs server T1`` for `` key 7 …``).
        source: the documentation page the form follows.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    what: str
    keyword: str
    types: tuple[str, ...] = ()
    count: int = Field(default=1, ge=1)
    needs_type: bool = False
    stop: str | None = None
    line: str | None = None
    context: str | None = None
    source: str = ""


class SecretRules(BaseModel):
    """The secret forms of one platform, and text to remove from lines that held a secret.

    ``strip`` are regular expressions removed from every line before masking (Junos ``## SECRET-DATA``
    comments, which must not stay attached to a line once its secret is gone); ``terminator`` is a character
    kept out of a masked word (``;`` ends a Junos statement). ``stored`` are (pattern, replacement) rewrites of
    *masked* lines into the form the device stores what govnet emits (EOS shows ``key 0 <plain>`` as ``key 7
    <encrypted>``; Junos shows an SNMPv3 ``authentication-password`` as ``authentication-key``): compliance
    applies them to both sides, so a secret written in its plain form is not a difference forever.
    ``marker`` is text the device itself writes on a line that holds a secret (Junos ``## SECRET-DATA``): such a
    line whose secret no form found still has its last value masked (a safety net for forms not declared yet).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    forms: tuple[SecretForm, ...]
    strip: tuple[str, ...] = ()
    terminator: str = ""
    stored: tuple[tuple[str, str], ...] = ()
    marker: str = ""


class SecretEmit(BaseModel):
    """How a platform's templates write one kind of secret, and what the environment variable must hold.

    Attributes:
        kind: ``local_user`` (a login account's secret), ``aaa_key`` (TACACS+/RADIUS shared key),
            ``snmp_auth`` / ``snmp_priv`` (SNMPv3 passphrases).
        line: a regular expression every rendered line of this kind matches in full (leading spaces removed);
            its group ``env`` is the placeholder's variable (``<secret:(?P<env>…)>``).
        suffix: appended to the inventory's ``*_env`` name, one variable per encoded form (``_TYPE9`` for an
            IOS scrypt hash, ``_SHA512`` for a ``$6$`` crypt shared by EOS and Junos); empty for plain text.
        value: a regular expression the variable's value matches in full.
        holds: what the variable holds, for people.
        source: the documentation page of the form.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: str
    line: str
    suffix: str = ""
    value: str
    holds: str
    source: str = ""


@dataclass(frozen=True)
class _Form:
    form: SecretForm
    keyword: tuple[re.Pattern[str], ...]
    types: tuple[tuple[re.Pattern[str], ...], ...]
    stop: re.Pattern[str] | None
    line: re.Pattern[str] | None
    context: re.Pattern[str] | None


@dataclass(frozen=True)
class Engine:
    """The compiled forms of one platform (build with :func:`compile_rules`)."""

    first: dict[str, tuple[_Form, ...]]      # first keyword word → the forms it may start
    hint: re.Pattern[str]                    # finds the lines worth looking at (a superset: plain substrings)
    strip: re.Pattern[str] | None
    terminator: str
    stored: tuple[tuple[re.Pattern[str], str], ...] = ()
    marker: str = ""


def _words(pattern: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(w) for w in pattern.split())


def compile_rules(rules: SecretRules, platform: str) -> Engine:
    """Compile a platform's rules; no forms (or a bad form) is BKP-001.

    Examples:
        >>> try:
        ...     compile_rules(SecretRules(forms=()), "x")
        ... except BackupError as exc:
        ...     print(exc.code)
        BKP-001
    """
    if not rules.forms:
        raise BackupError(f"no secret forms for platform {platform}", code="BKP-001",
                          hint=f"declare the platform's secret forms in nornir_tasks/platforms/{platform}/secrets.py;"
                               " govnet never stores or shows a config it cannot mask")
    first: dict[str, list[_Form]] = {}
    for f in rules.forms:
        head = f.keyword.split()[0] if f.keyword.split() else ""
        if not _WORD.match(head):
            raise BackupError(f"secret form {f.what!r} of {platform}: the keyword must start with literal words "
                              f"(got {f.keyword!r})", code="BKP-001", hint="write the first word literally, e.g. 'secret|password'")
        compiled = _Form(f, _words(f.keyword), tuple(_words(t) for t in f.types),
                         re.compile(f.stop) if f.stop else None, re.compile(f.line) if f.line else None,
                         re.compile(f.context) if f.context else None)
        for word in head.split("|"):
            first.setdefault(word, []).append(compiled)
    cover: list[str] = [rules.marker] if rules.marker else []   # the shortest words every first word contains
    for word in sorted(first, key=len):
        if not any(c in word for c in cover):
            cover.append(word)
    hint = re.compile("|".join(re.escape(w) for w in cover))
    strip = re.compile("|".join(f"(?:{s})" for s in rules.strip)) if rules.strip else None
    return Engine(first={k: tuple(v) for k, v in first.items()}, hint=hint, strip=strip, terminator=rules.terminator,
                  stored=tuple((re.compile(p), r) for p, r in rules.stored), marker=rules.marker)


def as_stored(engine: Engine, masked: str) -> str:
    """Rewrite one masked line into the form the device stores it (see :class:`SecretRules`).

    Examples:
        >>> as_stored(engine_for("arista_eos"), "tacacs-server host 10.0.0.1 key 0 <secret>")
        'tacacs-server host 10.0.0.1 key 7 <secret>'
    """
    for pattern, replacement in engine.stored:
        masked = pattern.sub(replacement, masked)
    return masked


def _fullmatch(words: tuple[re.Pattern[str], ...], tokens: list[str], at: int) -> bool:
    if at + len(words) > len(tokens):
        return False
    return all(w.fullmatch(tokens[at + i]) for i, w in enumerate(words))


def _context(text: str, start: int, line: str) -> str:
    """The line itself when unindented, else the nearest unindented line above it."""
    if line[:1] not in (" ", "\t"):
        return line
    pos = start
    while pos > 0:
        prev = text.rfind("\n", 0, pos - 1) + 1
        candidate = text[prev:pos - 1]
        if candidate and candidate[0] not in (" ", "\t"):
            return candidate
        pos = prev
    return ""


def _targets(engine: Engine, tokens: list[str], line: str, context: str) -> set[int]:
    """Indexes of the words of ``tokens`` that are secret."""
    out: set[int] = set()
    n = len(tokens)
    for i, tok in enumerate(tokens):
        forms = engine.first.get(tok.rstrip(engine.terminator) if engine.terminator else tok)
        if not forms:
            continue
        for f in forms:
            if f.line is not None and not f.line.search(line):
                continue
            if f.context is not None and not f.context.match(context):
                continue
            if not _fullmatch(f.keyword, tokens, i):
                continue
            j = i + len(f.keyword)
            typed = False
            moved = True
            while moved and j < n:
                moved = False
                for t in f.types:
                    if _fullmatch(t, tokens, j):
                        j += len(t)
                        typed = moved = True
                        break
            if f.form.needs_type and not typed:
                continue
            first_value = i + len(f.keyword)
            if j + f.form.count > n:           # the secret looked like a type word: the last words are the secret
                j = max(first_value, n - f.form.count)
            if j >= n:
                continue
            if f.stop is not None and f.stop.fullmatch(tokens[j]):
                continue
            out.update(range(j, min(n, j + f.form.count)))
    return out


def _is_mark(token: str) -> bool:
    return token.startswith("<secret") and token.endswith(">")


def mask_line(engine: Engine, line: str, mark: str, context: str | None = None) -> tuple[str, int]:
    """Mask the secret words of one line; returns the line and how many values were replaced.

    Examples:
        >>> from nornir_tasks.platforms.arista_eos.secrets import RULES
        >>> e = compile_rules(RULES, "arista_eos")
        >>> mask_line(e, "username x role network-admin secret sha512 $6$salt$hash", "<secret>")
        ('username x role network-admin secret sha512 <secret>', 1)
        >>> mask_line(e, "enable password sha512 $6$salt$hash", "<secret>")
        ('enable password sha512 <secret>', 1)
    """
    marked = bool(engine.marker) and engine.marker in line
    if engine.strip is not None:
        line = engine.strip.sub("", line).rstrip()
    if '"' in line:
        spans = [(m.start(), m.end()) for m in _TOKEN.finditer(line)]
        tokens = [line[a:b] for a, b in spans]
    else:
        tokens = line.split()
        spans = []
    hits = _targets(engine, tokens, line, line if context is None else context)
    if not hits and marked and len(tokens) > 1:
        last_value = len(tokens) - 1 if tokens[-1] != engine.terminator else len(tokens) - 2
        hits = {last_value} if last_value > 0 else set()
    if not hits:
        return line, 0
    if not spans:
        spans = [(m.start(), m.end()) for m in _TOKEN.finditer(line)]
    count = 0
    out: list[str] = []
    last = 0
    for k in sorted(hits):
        a, b = spans[k]
        tok = tokens[k]
        if engine.terminator and tok.endswith(engine.terminator) and not tok.startswith('"'):
            b -= len(tok) - len(tok.rstrip(engine.terminator))
            tok = line[a:b]
        out.append(line[last:a])
        out.append(mark)
        if not _is_mark(tok) and tok != mark:
            count += 1
        last = b
    out.append(line[last:])
    return "".join(out), count


def mask_text(engine: Engine, text: str, mark: str, known: Iterable[str] = (), *,
              stored: bool = False) -> tuple[str, int]:
    """Mask every secret of a whole configuration (lines without a keyword are copied as they are).

    ``known`` are values known to be secret (the login password, environment values): replaced wherever they
    appear, the longest first (so a secret that contains another is not left half replaced). ``stored``
    rewrites each masked line into the form the device stores it (:func:`as_stored`; for comparing).

    Examples:
        >>> from nornir_tasks.platforms.juniper_junos.secrets import RULES
        >>> e = compile_rules(RULES, "juniper_junos")
        >>> mask_text(e, 'ntp {\\n    authentication-key 1 type md5 value "$9$x"; ## SECRET-DATA\\n}\\n', "<secret>")
        ('ntp {\\n    authentication-key 1 type md5 value <secret>;\\n}\\n', 1)
    """
    count = 0
    parts: list[str] = []
    pos = 0
    first = engine.first.keys()
    for m in engine.hint.finditer(text):
        if m.start() < pos:
            continue
        start = text.rfind("\n", 0, m.start()) + 1
        end = text.find("\n", m.end())
        end = len(text) if end < 0 else end
        raw = text[start:end]
        words = raw.split()
        if engine.terminator:
            words = [w.rstrip(engine.terminator) for w in words]
        if first.isdisjoint(words) and not (engine.marker and engine.marker in raw):
            parts.append(text[pos:end])
            pos = end
            continue
        cr = raw.endswith("\r")
        line, n = mask_line(engine, raw[:-1] if cr else raw, mark, _context(text, start, raw))
        if stored and engine.stored and mark in line:
            line = as_stored(engine, line)
        count += n
        parts.append(text[pos:start])
        parts.append(line + ("\r" if cr else ""))
        pos = end
    if parts:
        parts.append(text[pos:])
        text = "".join(parts)
    for value in sorted({v for v in known if v and len(v) >= 4}, key=len, reverse=True):
        if value in text:
            count += text.count(value)
            text = text.replace(value, mark)
    return text, count


@cache
def engine_for(platform: str) -> Engine:
    """The compiled engine of a platform, from ``nornir_tasks.platforms.<platform>.secrets.RULES``.

    Examples:
        >>> mask_text(engine_for("cisco_ios"), "ntp authentication-key 1 md5 0822455D0A16 7\\n", "<secret>")[0]
        'ntp authentication-key 1 md5 <secret> 7\\n'
    """
    import importlib

    try:
        module = importlib.import_module(f"nornir_tasks.platforms.{platform}.secrets")
    except ModuleNotFoundError as exc:
        raise BackupError(f"no secret forms for platform {platform}", code="BKP-001",
                          hint=f"declare them in nornir_tasks/platforms/{platform}/secrets.py") from exc
    return compile_rules(getattr(module, "RULES", SecretRules(forms=())), platform)


def emits_for(platform: str) -> tuple[SecretEmit, ...]:
    """The forms a platform's templates write secrets in (``EMITS`` of its ``secrets`` module).

    Examples:
        >>> sorted({e.kind for e in emits_for("juniper_junos")})
        ['aaa_key', 'local_user', 'snmp_auth', 'snmp_priv']
    """
    import importlib

    module = importlib.import_module(f"nornir_tasks.platforms.{platform}.secrets")
    return tuple(getattr(module, "EMITS", ()))


_PLACEHOLDER = re.compile(r"<secret:([A-Z_a-z][A-Za-z0-9_]*)>")


def emit_of(platform: str, line: str) -> tuple[SecretEmit, dict[str, str]] | None:
    """The declared form a rendered line follows, with the variable of each placeholder (None: undeclared).

    Examples:
        >>> emit, envs = emit_of("cisco_ios", " key 0 <secret:GOVNET_TACACS_KEY>")
        >>> emit.kind, envs
        ('aaa_key', {'env': 'GOVNET_TACACS_KEY'})
        >>> emit_of("cisco_ios", " key 6 <secret:GOVNET_TACACS_KEY>") is None
        True
    """
    text = line.strip()
    for emit in emits_for(platform):
        m = re.fullmatch(emit.line, text)
        if m is not None:
            envs = {k: v for k, v in m.groupdict().items() if v}
            if sorted(envs.values()) == sorted(_PLACEHOLDER.findall(text)):
                return emit, envs
    return None


def value_problems(platform: str, text: str, env: dict[str, str] | Any) -> dict[str, str]:
    """Variables whose value does not fit the form the platform declares for the line that uses them.

    Returns a mapping variable → why (only for variables that are set and used on a declared line).

    Examples:
        >>> value_problems("cisco_ios", "username a privilege 15 secret 9 <secret:H_TYPE9>\\n", {"H_TYPE9": "$6$x$y"})
        {'H_TYPE9': 'it must hold an IOS type 9 (scrypt) hash'}
    """
    out: dict[str, str] = {}
    for line in text.splitlines():
        if "<secret:" not in line:
            continue
        found = emit_of(platform, line)
        if found is None:
            continue
        emit, envs = found
        for name in envs.values():
            value = env.get(name)
            if value and name not in out and re.fullmatch(emit.value, value) is None:
                out[name] = f"it must hold {emit.holds}"
    return out
