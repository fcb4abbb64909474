"""The render stage: intended configs for the selection, one typed outcome per host.

``RenderStage(out=..., lab=...).run(ctx, selection)`` renders with :func:`nornir_tasks.render.batch.render_many`
(forked workers, one cached Jinja environment) and writes ``<intended_dir>/<host>.cfg`` atomically and only when
changed. Pure core: no nornir import; the CLI and playbooks wrap it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar, Sequence

from pydantic import BaseModel, ConfigDict

from nornir_tasks.paths import Paths
from nornir_tasks.render.batch import RenderOutcome, RenderStatus, render_many
from nornir_tasks.render.incremental import manifest_path
from nornir_tasks.stage import HostOutcome, HostStatus, StageContext, StageReport

_Outcome = HostOutcome[RenderOutcome]
_STATUS = {RenderStatus.CHANGED: HostStatus.CHANGED, RenderStatus.UNCHANGED: HostStatus.OK,
           RenderStatus.FAILED: HostStatus.FAILED}


def host_outcome(o: RenderOutcome) -> HostOutcome[RenderOutcome]:
    """A render outcome as the stage contract's host outcome (``unchanged`` is ``ok``).

    Examples:
        >>> h = host_outcome(RenderOutcome(host="r1", status="failed", code="RND-003", error="r1: boom"))
        >>> h.status.value, h.code, h.result.status.value
        ('failed', 'RND-003', 'failed')
    """
    return _Outcome(host=o.host, status=_STATUS[o.status], result=o, code=o.code, error=o.error, hint=o.hint)


class RenderStage(BaseModel):
    """Render intended configs. Options (a playbook's ``with:``): ``out`` (folder; default the hand-off folder
    ``intended`` or ``intended-lab``), ``lab`` (every device's FRR stand-in; default the context's lab mode),
    ``incremental`` (default on: hosts whose inputs did not change since the last run are not rendered again)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: ClassVar[str] = "render"

    out: Path | None = None
    lab: bool | None = None
    #: render only hosts whose inputs (inventory entities, templates, code) changed since the last run
    incremental: bool = True

    def run(self, ctx: StageContext, selection: Sequence[str]) -> StageReport[RenderOutcome]:
        """Render ``selection``; a host that fails (missing variable, template error, unsafe value) fails alone."""
        started = datetime.now(UTC)
        lab = ctx.lab if self.lab is None else self.lab
        paths = ctx.paths if lab == ctx.lab else Paths.of(ctx.settings, lab)
        out_dir = self.out if self.out is not None else paths.intended_dir
        names = list(selection)
        done = 0

        def advance(n: int) -> None:
            nonlocal done
            done += n
            ctx.progress("render", done, len(names))

        manifest = manifest_path(ctx.paths.cache_dir, out_dir) if self.incremental else None
        digests = ctx.source.digests if ctx.source is not None else None
        outcomes = render_many(ctx.inventory, names, ctx.paths.templates_dir, out_dir, lab=lab, workers=ctx.jobs,
                               progress=advance, bytecode_dir=ctx.paths.cache_dir / "jinja", manifest=manifest,
                               digests=digests)
        return StageReport[RenderOutcome](
            stage=self.name, dry_run=False, started=started, finished=datetime.now(UTC),
            outcomes=tuple(host_outcome(o) for o in outcomes),
            files=tuple(o.path for o in outcomes if o.changed and o.path),
            messages=(f"out: {out_dir}",))
