"""The playbook file: a header and ordered steps, each ``uses:`` a registered stage ``with:`` its options.

The whole file is validated before the first step runs: unknown keys, an unknown stage, an option the stage does
not have or of the wrong type, a ``when:`` that names a later step — each is a coded sentence with the file, line
and field, and exit 2. A playbook cannot switch commit on by itself: ``mode: apply`` still needs ``--commit`` on
the command line, and ``commit`` is not an option any step accepts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from nornir_tasks.errors import Finding, GovnetError, Severity
from nornir_tasks.inventory.yamlio import Locator, ReadFailed, read_yaml
from nornir_tasks.playbook import when as when_expr
from nornir_tasks.stage import STAGES

#: Stages that change devices or NetBox: they run with ``commit`` only when ``mode: apply`` *and* ``--commit``.
CHANGING = frozenset({"deploy"})
#: Stages that take a ``rollout:`` block (waves).
WAVED = frozenset({"deploy"})

_ID = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,40}$")]   # pydantic-core regex: $ is the very end


class PlaybookError(GovnetError):
    code = "PLY-001"


class _M(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Rollout(_M):
    """Waves for a device-changing step (the options of ``govnet deploy``, by the same names)."""

    canary: Annotated[int, Field(ge=0, le=10_000)] = 0
    wave_size: str | None = None
    group_by: Literal["province", "none"] = "province"
    max_failures: str | None = None
    pause_between: Annotated[float, Field(ge=0, le=86_400)] = 0.0
    confirm_each_wave: bool = False
    allow_no_revert: bool = False

    def deploy_options(self) -> dict[str, Any]:
        out: dict[str, Any] = {"canary": self.canary, "pause_between": self.pause_between,
                               "confirm_each_wave": self.confirm_each_wave, "allow_no_revert": self.allow_no_revert,
                               "by_province": self.group_by == "province"}
        if self.wave_size is not None:
            out["wave_size"] = self.wave_size
        if self.max_failures is not None:
            out["max_failures"] = self.max_failures
        return out


class Step(_M):
    """One step: ``uses`` a stage ``with`` its options, for the hosts where ``when`` holds."""

    id: _ID | None = None
    name: str | None = None
    uses: str
    with_: dict[str, Any] = Field(default_factory=dict, alias="with")
    when: str | None = None
    on_failure: Literal["stop", "continue", "ignore", "rollback"] = "stop"
    rollout: Rollout | None = None

    @property
    def key(self) -> str:
        """The id later ``when:`` conditions use: ``id`` or the stage name with dots as underscores."""
        return self.id or self.uses.replace(".", "_")


class Playbook(_M):
    """A playbook file (``playbooks/*.yaml``)."""

    name: str
    description: str = ""
    change_id: str | None = None
    filter: list[str] = Field(default_factory=list)
    vars: dict[str, Any] = Field(default_factory=dict)
    mode: Literal["check", "apply"] = "check"
    rollout: Rollout | None = None
    steps: Annotated[list[Step], Field(min_length=1, max_length=100)]

    @field_validator("filter", mode="before")
    @classmethod
    def _one_filter(cls, v: Any) -> Any:
        return [v] if isinstance(v, str) else v


class LoadedPlaybook(_M):
    """A validated playbook, with where it came from and a hash of its text (a resumed run must match it)."""

    path: str
    digest: str
    playbook: Playbook


def _fail(path: Path, locator: Locator, loc: tuple[Any, ...], message: str, hint: str) -> PlaybookError:
    line = locator.line(loc) if loc else None
    field = ".".join(str(p) for p in loc) or None
    finding = Finding(code="PLY-001", severity=Severity.ERROR, file=str(path), line=line, field=field,
                      message=message, hint=hint)
    where = f"{path}:{line}" if line else str(path)
    return PlaybookError(f"{where}: {field + ': ' if field else ''}{message}", code="PLY-001", hint=hint,
                         findings=[finding])


def _check_step_options(step: Step, index: int, path: Path, locator: Locator) -> None:
    from nornir_tasks.stage import make_stage

    if "commit" in step.with_:
        raise _fail(path, locator, ("steps", index, "with", "commit"), "a playbook cannot switch commit on",
                    "remove it: only --commit on the command line (with mode: apply) changes devices")
    if "out" in step.with_:
        # an --out folder is checked by the command line (never the inventory or state, never a foreign folder);
        # a playbook writes only to each stage's own hand-off folder, so it cannot overwrite backups or inventory
        raise _fail(path, locator, ("steps", index, "with", "out"), "a playbook step cannot choose its output folder",
                    "remove 'out': the stage writes to its own hand-off folder (build/, reports/)")
    try:
        make_stage(step.uses, options_for(step, None))
    except GovnetError as exc:
        bad = next((k for k in step.with_ if f"option {k}" in exc.message), None)
        loc: tuple[Any, ...] = ("steps", index, "with", bad) if bad else ("steps", index, "with")
        raise _fail(path, locator, loc if step.with_ else ("steps", index, "uses"),
                    exc.message, exc.hint or f"check the options of stage {step.uses}") from exc


def options_for(step: Step, default_rollout: Rollout | None) -> dict[str, Any]:
    """The stage options of a step: its ``with:`` plus, for waved stages, its (or the playbook's) rollout block."""
    opts = dict(step.with_)
    rollout = step.rollout or default_rollout
    if step.uses in WAVED and rollout is not None:
        opts = {**rollout.deploy_options(), **opts}
    return opts


def validate(data: Any, path: Path, locator: Locator) -> Playbook:
    """Validate parsed YAML into a :class:`Playbook`, or raise one coded sentence with file, line and field."""
    if not isinstance(data, Mapping):
        raise _fail(path, locator, (), "the top level must be a mapping (name, steps, ...)",
                    "start from one of the shipped playbooks in playbooks/")
    try:
        pb = Playbook.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple("with" if p == "with_" else p for p in err["loc"])
        msg = {"extra_forbidden": "unknown key"}.get(err["type"], err["msg"])
        raise _fail(path, locator, loc, msg, "see docs/playbooks.md for the keys a playbook and a step take") from exc
    seen: set[str] = set()
    for i, step in enumerate(pb.steps):
        if step.uses not in STAGES:
            raise _fail(path, locator, ("steps", i, "uses"), f"unknown stage {step.uses!r}",
                        f"use one of: {', '.join(sorted(STAGES))}")
        if step.key in seen:
            raise _fail(path, locator, ("steps", i), f"two steps have the id {step.key!r}",
                        "give one of them its own 'id:'")
        if step.rollout is not None and step.uses not in WAVED:
            raise _fail(path, locator, ("steps", i, "rollout"), f"stage {step.uses} does not change devices in waves",
                        f"a rollout block belongs to: {', '.join(sorted(WAVED))}")
        if step.on_failure == "rollback" and step.uses not in CHANGING:
            raise _fail(path, locator, ("steps", i, "on_failure"), "rollback only applies to a step that changes devices",
                        "use stop or continue (a failed deploy reverts its own devices)")
        if step.when is not None:
            try:
                when_expr.parse(step.when, seen)
            except when_expr.WhenError as exc:
                raise _fail(path, locator, ("steps", i, "when"), str(exc),
                            "name earlier steps by their id, e.g. compliance.state == \"non_compliant\"") from exc
        _check_step_options(step, i, path, locator)
        seen.add(step.key)
    return pb


def load(path: str | Path) -> LoadedPlaybook:
    """Read and validate a playbook file (nothing runs until the whole file is valid).

    Examples:
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "pb.yaml"
        >>> _ = p.write_text("name: x\\nsteps:\\n  - uses: render\\n    with: {colour: red}\\n", encoding="utf-8")
        >>> try:
        ...     load(p)
        ... except PlaybookError as exc:
        ...     print(exc.code, exc.findings[0].line, exc.findings[0].field)
        PLY-001 4 steps.0.with.colour
    """
    p = Path(path)
    try:
        data = read_yaml(p, label=str(p))
    except ReadFailed as exc:
        f = exc.finding
        raise PlaybookError(f.sentence(), code="PLY-001", hint=f.hint or "", findings=[f]) from exc
    pb = validate(data, p, Locator(p))
    digest = hashlib.sha256(p.read_bytes()).hexdigest()[:16]
    return LoadedPlaybook(path=str(p), digest=digest, playbook=pb)
