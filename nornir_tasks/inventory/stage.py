"""The inventory validation stage: every finding of the loaded inventory, one outcome per selected device.

Pure core: no nornir import. The findings come from the model's source (``ctx.source``, the loader's result);
a device with an error finding of its own fails; any error makes the run a usage error (exit 2: nothing else can
run on a broken inventory).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from nornir_tasks.errors import Finding, GovnetError, Severity
from nornir_tasks.stage import EXIT_USAGE, HostOutcome, HostStatus, StageContext, StageReport


class ValidateReport(StageReport[tuple[Finding, ...]]):
    """One outcome per selected device (its own findings as payload) and every finding shown to the user."""

    findings: tuple[Finding, ...] = ()

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def exit_code(self) -> int:
        """2 when any finding is an error (the inventory cannot be used), else 0."""
        return EXIT_USAGE if self.errors else 0


def host_outcomes(findings: Sequence[Finding], selection: Sequence[str]) -> tuple[HostOutcome[tuple[Finding, ...]], ...]:
    """One outcome per selected device: failed (first error's code and sentence) when it has an error finding.

    Examples:
        >>> f = Finding(code="INV-020", severity="error", message="bad site", host="r1")
        >>> [(o.host, o.status.value, o.code) for o in host_outcomes([f], ["r1", "r2"])]
        [('r1', 'failed', 'INV-020'), ('r2', 'ok', None)]
    """
    mine: dict[str, list[Finding]] = {}
    for f in findings:
        if f.host is not None:
            mine.setdefault(f.host, []).append(f)
    out = []
    for name in selection:
        own = tuple(mine.get(name, ()))
        err = next((f for f in own if f.severity is Severity.ERROR), None)
        if err is None:
            out.append(HostOutcome[tuple[Finding, ...]](host=name, status=HostStatus.OK, result=own))
        else:
            out.append(HostOutcome[tuple[Finding, ...]](host=name, status=HostStatus.FAILED, result=own,
                                                        code=err.code, error=err.sentence(), hint=err.hint))
    return tuple(out)


class ValidateStage(BaseModel):
    """Report every finding of the inventory. Option ``narrow``: keep only findings about the selected devices
    (and those about no device), as ``govnet inventory validate --filter`` does."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: ClassVar[str] = "inventory.validate"

    narrow: bool = False

    def run(self, ctx: StageContext, selection: Sequence[str]) -> ValidateReport:
        """The findings of ``ctx.source`` (the loader's result), narrowed to ``selection`` when asked."""
        if ctx.source is None:
            raise GovnetError("the validation stage needs the inventory's source (its loader result)",
                              code="CFG-003", hint="build the context with nornir_tasks.cli.context.stage_context")
        started = datetime.now(UTC)
        findings = tuple(ctx.source.findings)
        if self.narrow:
            chosen = set(selection)
            findings = tuple(f for f in findings if f.host is None or f.host in chosen)
        return ValidateReport(stage=self.name, dry_run=True, started=started, finished=datetime.now(UTC),
                              outcomes=host_outcomes(findings, selection), findings=findings)
