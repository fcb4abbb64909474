"""Running a stage over Nornir hosts with an explicit failed-host policy, and unwrapping nornir's errors.

- Every run uses ``raise_on_error=False``; failed hosts are reset at the start of each run so a host that failed in
  one stage is not silently skipped by the next (nornir's default).
- :func:`root_cause` is the one place that follows ``NornirSubTaskError`` down to the exception that matters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from nornir.core.exceptions import NornirSubTaskError
from nornir.core.task import AggregatedResult, MultiResult

from nornir_tasks.errors import GovnetError


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


@dataclass(frozen=True)
class HostOutcome:
    host: str
    failed: bool
    result: Any
    changed: bool
    error: str | None


def run_stage(nr: Any, task: Callable[..., Any], **kwargs: Any) -> dict[str, HostOutcome]:
    """Run ``task`` on every host of ``nr`` and return one outcome per host (failed hosts included)."""
    nr.data.reset_failed_hosts()
    agg: AggregatedResult = nr.run(task=task, raise_on_error=False, **kwargs)
    out: dict[str, HostOutcome] = {}
    for name, multi in agg.items():
        failed = multi.failed
        exc = root_cause(multi) if failed else None
        first = multi[0] if len(multi) else None
        out[name] = HostOutcome(host=name, failed=failed, result=first.result if first is not None else None,
                                changed=bool(first.changed) if first is not None else False,
                                error=sentence_for(exc) if failed else None)
    return out
