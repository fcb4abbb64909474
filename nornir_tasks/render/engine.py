"""Pure rendering: (inventory, device) → intended configuration text. No nornir import.

One :class:`Renderer` holds one cached Jinja environment (``StrictUndefined``, ``trim_blocks``,
``lstrip_blocks``, ``keep_trailing_newline``) with every filter from :mod:`nornir_tasks.render.filters`.
Every ``{{ expression }}`` output passes through ``finalize``, which refuses a newline or control character
(defence in depth after inventory validation): no value can inject a command.

Templates live in ``templates/<platform>/<role>.j2`` (falling back to ``templates/<platform>/default.j2``),
built from per-feature snippets in ``templates/<platform>/features/``.
"""

from __future__ import annotations

import re
import sys
import traceback
from pathlib import Path
from typing import Any

import jinja2
import pydantic

from nornir_tasks.errors import RenderError
from nornir_tasks.model import Inventory, Platform
from nornir_tasks.render.context import ContextIndex, build_context
from nornir_tasks.render.filters import globals_, registry

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


class UnsafeValue(ValueError):
    pass


_PRIMITIVE = (str, int, bool, type(None))


class Rendered(str):
    """Text a template snippet already rendered (every value in it passed ``finalize``): multi-line by design."""


def _finalize(value: Any) -> Any:
    if value is None or type(value) is Rendered:
        return value
    text = value if isinstance(value, str) else str(value)
    m = _CONTROL.search(text)
    if m:
        raise UnsafeValue(f"value {text[:60]!r} holds a newline or control character (U+{ord(m.group()):04X})")
    return value


def _bytecode_cache(folder: str | Path | None) -> jinja2.BytecodeCache | None:
    if folder is None:
        return None
    Path(folder).mkdir(parents=True, exist_ok=True)
    return jinja2.FileSystemBytecodeCache(str(folder))


class Renderer:
    """Renders intended configs from one templates folder; build once, render many."""

    def __init__(self, templates_dir: str | Path, *, cache: bool = True, bytecode_dir: str | Path | None = None) -> None:
        """``cache``: reuse ``cached_include`` snippets; ``bytecode_dir``: keep compiled templates there between
        runs (Jinja's bytecode cache, keyed by each template's source checksum: an edited template recompiles)."""
        self.templates_dir = Path(templates_dir)
        self.cache = cache
        self._snippets: dict[tuple[Any, ...], tuple[tuple[Any, ...], Rendered]] = {}
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(self.templates_dir)),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            autoescape=False,
            finalize=_finalize,
            auto_reload=False,
            cache_size=-1,
            bytecode_cache=_bytecode_cache(bytecode_dir),
        )
        self.env.filters.update(registry())
        self.env.globals.update(globals_())
        self.env.globals["cached_include"] = jinja2.pass_context(
            lambda context, name, *key: self._cached_include(context, name, *key))
        self._entry: dict[tuple[str, str], str] = {}

    def _cached_include(self, context: jinja2.runtime.Context, name: str, *key: Any) -> Rendered:
        """``{{ cached_include("<platform>/features/<f>.j2", cfg, mgmt) -}}``: render a feature snippet whose
        output depends only on ``key`` (objects compared by identity: ``cfg`` is shared by every device with
        the same groups) once, and reuse the text for every other device with the same key.

        The template author declares the key; a test renders every sample device with and without the cache
        and requires byte-identical output.
        """
        if not self.cache:
            return Rendered(self.env.get_template(name).render(context.get_all()))
        ident = (name, *(k if type(k) in _PRIMITIVE else id(k) for k in key))
        hit = self._snippets.get(ident)
        if hit is not None and all(a is b or (type(a) in _PRIMITIVE and a == b) for a, b in zip(hit[0], key)):
            return hit[1]
        text = Rendered(self.env.get_template(name).render(context.get_all()))
        if len(self._snippets) > 4096:
            self._snippets.clear()
        self._snippets[ident] = (key, text)   # holding the key objects keeps their ids from being reused
        return text

    def warm(self) -> int:
        """Compile every template now (before forking workers, so they inherit compiled code); return the count."""
        names = self.env.list_templates(extensions=["j2"])
        for n in names:
            self.env.get_template(n)
        return len(names)

    def entry_template(self, platform: str, role: str) -> str:
        key = (platform, role)
        hit = self._entry.get(key)
        if hit is not None:
            return hit
        for candidate in (f"{platform}/{role}.j2", f"{platform}/default.j2"):
            if (self.templates_dir / candidate).is_file():
                self._entry[key] = candidate
                return candidate
        raise RenderError(f"no template for platform {platform} and role {role} in {self.templates_dir}",
                          code="RND-006", hint=f"add {platform}/{role}.j2 or {platform}/default.j2")

    def render(self, inv: Inventory, name: str, *, platform: Platform | str | None = None,
               index: ContextIndex | None = None, lab: bool = False) -> str:
        """Render one device. ``platform`` overrides the device's own (the lab renders everything as ``frr``).

        Raises :class:`RenderError` naming the host, the template file and line, and the variable.
        """
        dev = inv.devices[name]
        plat = Platform(platform).value if platform is not None else dev.platform.value
        entry = self.entry_template(plat, dev.role.value)
        try:
            ctx = build_context(inv, name, index=index, lab=lab or plat != dev.platform.value)
        except pydantic.ValidationError as exc:   # merged group/defaults data re-validated for this host
            first = exc.errors()[0]
            where = ".".join(str(x) for x in first["loc"])
            raise RenderError(f"{name}: inventory data {where}: {first['msg']}",
                              code="RND-005" if "control character" in first["msg"] else "RND-004",
                              hint="fix the value in hosts.yaml, groups.yaml or defaults.yaml") from exc
        try:
            return self.env.get_template(entry).render(ctx.as_dict())
        except RenderError:
            raise
        except jinja2.TemplateSyntaxError as exc:
            raise RenderError(f"{name}: template {exc.filename or exc.name}:{exc.lineno}: syntax error: {exc.message}",
                              code="RND-002", hint="fix the template") from exc
        except jinja2.TemplateNotFound as exc:
            raise RenderError(f"{name}: template {exc.name} not found (included from {entry})", code="RND-001",
                              hint="check the include/import name") from exc
        except jinja2.UndefinedError as exc:
            where = _template_frame(exc, self.templates_dir)
            raise RenderError(f"{name}: {where}: undefined variable: {exc.message}", code="RND-003",
                              hint="add the value to the inventory (host, group or defaults data) or guard it "
                                   "in the template with 'is defined'") from exc
        except UnsafeValue as exc:
            where = _template_frame(exc, self.templates_dir)
            raise RenderError(f"{name}: {where}: {exc}", code="RND-005",
                              hint="one value is one line: remove the line break from the inventory") from exc
        except Exception as exc:  # a filter raising on bad data, a type error in a template expression
            where = _template_frame(exc, self.templates_dir)
            text = " ".join(str(exc).split())
            if "control character" in text:   # a filter's own check_safe_text refused the value
                raise RenderError(f"{name}: {where}: {text}", code="RND-005",
                                  hint="one value is one line: remove the line break from the inventory") from exc
            if "no ASCII form" in text:        # ascii_text refused a character an ASCII-only CLI cannot take
                raise RenderError(f"{name}: {where}: {text}", code="RND-005",
                                  hint="write the value with Latin or Vietnamese letters only") from exc
            raise RenderError(f"{name}: {where}: {type(exc).__name__}: {text}", code="RND-004",
                              hint="check the value the template or filter was given") from exc


def _template_frame(exc: BaseException, templates_dir: Path) -> str:
    """'<template file>:<line>' of the innermost template frame of a Jinja runtime error."""
    tb = exc.__traceback__
    last = None
    for frame, lineno in traceback.walk_tb(tb):
        filename = frame.f_code.co_filename
        if filename.endswith(".j2") or "/templates/" in filename:
            last = (filename, lineno)
    if last is None:
        return "template"
    try:
        rel = Path(last[0]).resolve().relative_to(templates_dir.resolve())
    except ValueError:
        rel = Path(last[0])
    return f"template {rel}:{last[1]}"


def render_device(inv: Inventory, name: str, templates_dir: str | Path, *, platform: str | None = None) -> str:
    """Convenience wrapper: render one device with a fresh renderer (use :class:`Renderer` for many)."""
    return Renderer(templates_dir).render(inv, name, platform=platform)


if __name__ == "__main__":  # pragma: no cover - debugging aid: python -m nornir_tasks.render.engine HOST
    from nornir_tasks.inventory.load import load_or_raise

    _inv = load_or_raise("inventory").inventory
    sys.stdout.write(Renderer("templates").render(_inv, sys.argv[1], platform=(sys.argv[2] if len(sys.argv) > 2 else None)))
