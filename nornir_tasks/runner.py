"""Building Nornir from config.yaml, running a task over its hosts with an explicit failed-host policy, and
unwrapping nornir's errors.

- :func:`build_nornir` is the one place a Nornir object is made: ``InitNornir`` with config.yaml's ``runner:``
  (so another runner plugin can be swapped in), ``logging:``, ``core:`` and ``ssh:``, and the ``GovnetInventory``
  plugin handed the already-validated model (no second load, no second validation).
- Every run uses ``raise_on_error=False``; failed hosts are reset at the start of each run so a host that failed in
  one stage is not silently skipped by the next (nornir's default).
- :func:`root_cause` is the one place that follows ``NornirSubTaskError`` down to the exception that matters.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, TypeVar

from nornir.core.exceptions import NornirSubTaskError
from nornir.core.task import AggregatedResult, MultiResult

from nornir_tasks.errors import GovnetError, LabError
from nornir_tasks.stage import HostOutcome, HostStatus

T = TypeVar("T")

if TYPE_CHECKING:  # pragma: no cover - typing only
    from nornir.core import Nornir

    from nornir_tasks.inventory.load import LoadResult
    from nornir_tasks.settings import Settings

#: Sections of config.yaml handed to ``InitNornir`` as they are (``inventory:`` is ours: the loaded model).
NORNIR_SECTIONS = ("runner", "logging", "core", "ssh")


def nornir_options(settings: Settings) -> dict[str, Any]:
    """``InitNornir`` keyword arguments from config.yaml, minus the inventory.

    The runner defaults to ``threaded`` with ``num_workers`` from govnet's settings; logging defaults to off
    (govnet's CLI configures logging itself).

    Examples:
        >>> from nornir_tasks.settings import Settings
        >>> nornir_options(Settings(num_workers=7))
        {'runner': {'plugin': 'threaded', 'options': {'num_workers': 7}}, 'logging': {'enabled': False}}
        >>> nornir_options(Settings(nornir_config={"runner": {"plugin": "serial"}}))["runner"]
        {'plugin': 'serial', 'options': {}}
    """
    raw = settings.nornir_config or {}
    out: dict[str, Any] = {}
    runner = dict(raw.get("runner") or {"plugin": "threaded"})
    options = dict(runner.get("options") or {})
    if runner.get("plugin", "threaded") == "threaded":
        options.setdefault("num_workers", settings.num_workers)
    out["runner"] = {**runner, "options": options}
    out["logging"] = dict(raw.get("logging") or {"enabled": False})
    for key in ("core", "ssh"):
        if raw.get(key):
            out[key] = dict(raw[key])
    return out


def lab_overlay_path(settings: Settings) -> Path:
    """The lab's Nornir overlay (written by ``govnet lab up``); :class:`LabError` LAB-004 when the lab is not up."""
    path = settings.resolve(settings.lab_dir) / "overlay.yaml"
    if not path.exists():
        raise LabError("the lab is not up (no lab overlay found)", code="LAB-004", hint="run 'govnet lab up' first")
    return path


def build_nornir(settings: Settings, loaded: LoadResult, names: Sequence[str], *, lab: bool = False) -> Nornir:
    """A Nornir object over ``names``, built by ``InitNornir`` from config.yaml's sections and the loaded model.

    The inventory plugin is ``GovnetInventory`` given ``loaded`` (never read or validated again); ``lab`` points
    every host at its lab router (the overlay written by ``govnet lab up``). Failed hosts start reset.
    """
    from nornir import InitNornir

    overlay = str(lab_overlay_path(settings)) if lab else None
    creds = settings.credentials
    inventory = {"plugin": "GovnetInventory",
                 "options": {"inventory_dir": str(settings.resolve(settings.inventory_dir)),
                             "username_env": creds.username_env, "password_env": creds.password_env,
                             "overlay": overlay, "only": list(names), "loaded": loaded}}
    return InitNornir(inventory=inventory, **nornir_options(settings))


def root_cause(result: MultiResult | BaseException | None) -> BaseException | None:
    """The innermost exception of a host's MultiResult (or of an exception chain from a sub-task)."""
    exc: BaseException | None
    if isinstance(result, BaseException):
        exc = result
    elif result is None:
        return None
    else:
        exc = next((r.exception for r in result if r.exception is not None), None)
    seen = 0
    while isinstance(exc, NornirSubTaskError) and seen < 20:
        inner = next((r.exception for r in exc.result if r.exception is not None), None)
        if inner is None:
            break
        exc = inner
        seen += 1
    return exc


def sentence_for(exc: BaseException | None) -> str:
    """A one-line explanation of a host failure (never a traceback)."""
    if exc is None:
        return "failed"
    if isinstance(exc, GovnetError):
        return exc.sentence()
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}".strip(": ")


def run_stage(nr: Any, task: Callable[..., Any], **kwargs: Any) -> dict[str, HostOutcome[Any]]:
    """Run ``task`` on every host of ``nr`` and return one outcome per host (failed hosts included).

    Failed hosts are reset first (nornir would silently skip them); every run uses ``raise_on_error=False``.
    A failed host's outcome carries the root cause's sentence and, for a :class:`GovnetError`, its code and hint.
    Use :func:`run_task` for outcomes typed by the task's payload.
    """
    return run_task(nr, task, object, **kwargs)


def run_task(nr: Any, task: Callable[..., Any], payload: type[T], **kwargs: Any) -> dict[str, HostOutcome[T]]:
    """:func:`run_stage` with outcomes typed ``HostOutcome[payload]``: a host whose task returned something else
    than a ``payload`` fails with a sentence (a programming error shows up as data, not as a crash)."""
    nr.data.reset_failed_hosts()
    agg: AggregatedResult = nr.run(task=task, raise_on_error=False, **kwargs)
    out: dict[str, HostOutcome[T]] = {}
    for name, multi in agg.items():
        first = multi[0] if len(multi) else None
        if multi.failed:
            exc = root_cause(multi)
            gov = exc if isinstance(exc, GovnetError) else None
            out[name] = HostOutcome[Any](host=name, status=HostStatus.FAILED, error=sentence_for(exc),
                                         code=gov.code if gov else None, hint=gov.hint if gov else None)
            continue
        result = first.result if first is not None else None
        if not isinstance(result, payload):
            out[name] = HostOutcome[Any](host=name, status=HostStatus.FAILED,
                                         error=f"{name}: the task returned {type(result).__name__}, "
                                               f"not {payload.__name__}")
            continue
        changed = bool(first.changed) if first is not None else False
        out[name] = HostOutcome[Any](host=name, status=HostStatus.CHANGED if changed else HostStatus.OK,
                                     result=result)
    return out
