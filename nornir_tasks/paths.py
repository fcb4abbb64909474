"""Where every stage reads and writes: the one place hand-off and state paths are computed.

A ``--lab`` rehearsal never touches production state: :meth:`Paths.of` with ``lab=True`` puts the lab's backups
(and their git history), the SQLite store, the journal, the remembered SSH host keys, remediation, rollback and
reports in folders of their own, so the real command line plus ``--lab`` can be tried without fear::

    production                       --lab
    <state_dir>/backups/             <state_dir>/lab/backups/
    <state_dir>/govnet.sqlite        <state_dir>/lab/govnet.sqlite
    <state_dir>/journal.jsonl        <state_dir>/lab/journal.jsonl
    <state_dir>/known_hosts          <state_dir>/lab/known_hosts
    <build_dir>/intended/            <build_dir>/intended-lab/
    <build_dir>/remediation/         <build_dir>/lab/remediation/
    <build_dir>/rollback/            <build_dir>/lab/rollback/
    <reports_dir>/                   <reports_dir>/lab/

State (backups, the store, the journal, host keys) is private: files 0600 in folders 0700
(:data:`STATE_FILE_MODE`, :data:`STATE_DIR_MODE`); reports and built configs are meant to be read (0644) and never
hold a secret.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:  # pragma: no cover - typing only
    from nornir_tasks.settings import Settings

#: Mode of files under the state folder (backups, index.json, govnet.sqlite, known_hosts, journal).
STATE_FILE_MODE = 0o600
#: Mode of the state folder and every folder under it.
STATE_DIR_MODE = 0o700
#: Mode of reports and built configs (people read them; they never hold a secret).
PUBLIC_FILE_MODE = 0o644

DB_NAME = "govnet.sqlite"
LAB = "lab"


class Paths(BaseModel):
    """The resolved paths of one run (production or lab).

    Examples:
        >>> from nornir_tasks.settings import Settings
        >>> s = Settings(state_dir=Path("/p/.state"), build_dir=Path("/p/build"), reports_dir=Path("/p/reports"))
        >>> prod, lab = Paths.of(s), Paths.of(s, lab=True)
        >>> str(prod.backups_dir), str(lab.backups_dir)
        ('/p/.state/backups', '/p/.state/lab/backups')
        >>> str(lab.remediation_dir), str(lab.intended_dir), str(lab.db)
        ('/p/build/lab/remediation', '/p/build/intended-lab', '/p/.state/lab/govnet.sqlite')
        >>> prod.is_state(Path("/p/.state/backups/r1.cfg")), prod.is_state(Path("/p/build/intended"))
        (True, False)
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    lab: bool
    inventory_dir: Path
    templates_dir: Path
    build_dir: Path
    lab_dir: Path
    #: the production state folder (the lab's lives inside it); never written by render/generate/reports
    state_root: Path
    state_dir: Path
    backups_dir: Path
    db: Path
    journal: Path
    known_hosts: Path
    intended_dir: Path
    remediation_dir: Path
    rollback_dir: Path
    reports_dir: Path
    cache_dir: Path

    @classmethod
    def of(cls, settings: Settings, lab: bool = False) -> Paths:
        """The paths for ``settings``; ``lab=True`` for a ``--lab`` rehearsal (state kept apart)."""
        state_root = settings.resolve(settings.state_dir)
        build = settings.resolve(settings.build_dir)
        reports = settings.resolve(settings.reports_dir)
        state = state_root / LAB if lab else state_root
        return cls(
            lab=lab,
            inventory_dir=settings.resolve(settings.inventory_dir),
            templates_dir=settings.resolve(settings.templates_dir),
            build_dir=build,
            lab_dir=settings.resolve(settings.lab_dir),
            state_root=state_root,
            state_dir=state,
            backups_dir=state / "backups",
            db=state / DB_NAME,
            journal=state / "journal.jsonl",
            known_hosts=state / "known_hosts",
            intended_dir=build / ("intended-lab" if lab else "intended"),
            remediation_dir=build / LAB / "remediation" if lab else build / "remediation",
            rollback_dir=build / LAB / "rollback" if lab else build / "rollback",
            reports_dir=reports / LAB if lab else reports,
            cache_dir=build / "cache",
        )

    @property
    def compliance_reports_dir(self) -> Path:
        """``<reports>/compliance``."""
        return self.reports_dir / "compliance"

    @property
    def rollout_reports_dir(self) -> Path:
        """``<reports>/rollout``."""
        return self.reports_dir / "rollout"

    def is_state(self, path: Path) -> bool:
        """True when ``path`` is the state folder, inside it, or holds it (no command output may go there)."""
        return _overlaps(path, self.state_root)

    def is_inventory(self, path: Path) -> bool:
        """True when ``path`` is the inventory folder, inside it, or holds it."""
        return _overlaps(path, self.inventory_dir)


def _overlaps(a: Path, b: Path) -> bool:
    """True when one of two paths is the other or inside it (after resolving symlinks).

    Examples:
        >>> _overlaps(Path("/a/b"), Path("/a")), _overlaps(Path("/a"), Path("/a/b")), _overlaps(Path("/a"), Path("/b"))
        (True, True, False)
    """
    ra, rb = a.resolve(), b.resolve()
    return ra == rb or ra.is_relative_to(rb) or rb.is_relative_to(ra)


#: The file that marks a folder as the output of a govnet command (holds the command's name).
OUTPUT_MARK = ".govnet-output"


def prepare_output(out: Path, kind: str, *, paths: Paths | None = None, own: bool = False,
                   force: bool = False, create: bool = True) -> Path:
    """Check (and create) the folder a command writes into; return it resolved.

    Refused with a sentence (``CFG-005``): the state or inventory folder, anything inside them or holding them
    (``--out /`` holds both), a path that is a file or a special file (``/dev/null``), and a non-empty folder
    that is not this command's own output (``own`` — the command's default folder — or a folder marked by an
    earlier run of the same ``kind``) unless ``force``. A folder that cannot be created or written is ``CFG-006``.
    With ``create=False`` only the checks run (call again with ``own=True`` once the command's input is known good).

    Examples:
        >>> import tempfile
        >>> d = Path(tempfile.mkdtemp())
        >>> _ = prepare_output(d / "a", "render"); (d / "a" / "r1.cfg").write_text("x") and None
        >>> prepare_output(d / "a", "render") == (d / "a").resolve()
        True
        >>> prepare_output(d / "a", "inventory generate")
        Traceback (most recent call last):
        ...
        nornir_tasks.errors.ConfigError: ... is not empty and is not the output of 'govnet inventory generate'
    """
    from nornir_tasks.errors import ConfigError

    target = Path(out).expanduser()
    shown = str(out)
    if paths is not None:
        for what, check in (("state", paths.is_state), ("inventory", paths.is_inventory)):
            if check(target):
                raise ConfigError(f"--out {shown}: refused: it is, holds or lies in the {what} folder "
                                  f"({paths.state_root if what == 'state' else paths.inventory_dir})",
                                  code="CFG-005", hint="choose a folder of its own, e.g. under build/")
    if target.exists() and not target.is_dir():
        raise ConfigError(f"--out {shown}: not a folder (it is a file or a device)", code="CFG-005",
                          hint="give a folder path; it is created when missing")
    resolved = target.resolve()
    if str(resolved) == resolved.anchor:
        raise ConfigError(f"--out {shown}: refused: the root folder", code="CFG-005",
                          hint="choose a folder of its own, e.g. under build/")
    if target.is_dir() and not own and not force:
        mark = target / OUTPUT_MARK
        try:
            ours = mark.is_file() and mark.read_text(encoding="utf-8").strip() == kind
            empty = next(target.iterdir(), None) is None
        except OSError as exc:
            raise ConfigError(f"--out {shown}: cannot be read ({exc.strerror})", code="CFG-006") from exc
        if not ours and not empty:
            raise ConfigError(f"--out {shown}: refused: the folder is not empty and is not the output of "
                              f"'govnet {kind}'", code="CFG-005",
                              hint="choose an empty or new folder, or add --force to write into it anyway")
    if not create:
        return resolved
    try:
        target.mkdir(parents=True, exist_ok=True)
        mark = target / OUTPUT_MARK
        if not mark.is_file() or mark.read_text(encoding="utf-8").strip() != kind:
            mark.write_text(kind + "\n", encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"--out {shown}: cannot be written ({exc.strerror or exc})", code="CFG-006",
                          hint="check that the folder and its parents are writable and that the disk is not "
                               "full") from exc
    return resolved
