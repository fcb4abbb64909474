"""The ``govnet`` command. No business logic here: each stage's commands live in their own module and call
the pure core; this module only wires them together and turns errors into sentences and exit codes.

``app`` is built on first use (``from nornir_tasks.cli import app`` gives the whole command); :func:`main`
imports only the sub-command it runs (``govnet render`` never imports the lab, rollout or NetBox code), which
keeps every command's start-up short.
"""

from __future__ import annotations

import importlib
import logging
import sys

import typer

from nornir_tasks.errors import GovnetError

#: (sub-command, module under nornir_tasks.cli, one-line help); in the order of the flow.
STAGES = [
    ("inventory", "inventory", "Inspect and check the inventory."),
    ("render", "render", "Render intended configs from templates."),
    ("lab", "lab", "Virtual lab of real FRR routers built from the inventory."),
    ("backup", "backup", "Back up running configs."),
    ("compliance", "compliance", "Check devices against intended configs and the national baseline."),
    ("deploy", "deploy", "Push intended configs in safe waves: dry run unless --commit; verify, revert, journal."),
    ("rollout", "rollout", "Track the upgrade plans against their targets."),
    ("netbox", "netbox", "NetBox as the source of truth: init, push, pull."),
    ("play", "play", "Run a playbook: govnet's stages composed into a repeatable procedure (playbooks/*.yaml)."),
]


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            text = version("govnet")
        except PackageNotFoundError:
            text = "unknown (not installed: pip install -e .)"
        typer.echo(f"govnet {text}")
        raise typer.Exit(0)


def _root(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="Print govnet's version and exit.")) -> None:
    """Network automation for the dedicated data network (mạng TSLCD)."""


def build_app(only: str | None = None) -> typer.Typer:
    """The ``govnet`` Typer app with every sub-command, or only ``only`` (a name of :data:`STAGES`)."""
    app = typer.Typer(name="govnet", help="Network automation for the dedicated data network (mạng TSLCD).",
                      no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False,
                      context_settings={"help_option_names": ["-h", "--help"]})    # sub-commands inherit -h
    app.callback()(_root)     # a group even with one sub-command (Typer would run a lone command as the root)
    for name, module, help_text in STAGES:
        if only is not None and name != only:
            continue
        try:
            mod = importlib.import_module(f"nornir_tasks.cli.{module}")
        except ModuleNotFoundError as exc:
            if exc.name == f"nornir_tasks.cli.{module}":
                continue  # stage not built yet
            raise
        sub = getattr(mod, "app", None)
        if isinstance(sub, typer.Typer):
            app.add_typer(sub, name=name, help=help_text)
        elif callable(getattr(mod, "command", None)):
            app.command(name=name, help=help_text)(mod.command)
    return app


def __getattr__(name: str) -> typer.Typer:
    if name == "app":
        return build_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _invoked(argv: list[str]) -> str | None:
    """The sub-command a command line runs, when it names one (else None: build them all, e.g. for --help).

    Examples:
        >>> _invoked(["govnet", "render", "--filter", "x"]), _invoked(["govnet", "--help"]), _invoked(["govnet"])
        ('render', None, None)
    """
    first = next((a for a in argv[1:] if not a.startswith("-")), None)
    return first if first in {name for name, _, _ in STAGES} else None


def main() -> None:
    debug = "--debug" in sys.argv
    if debug:
        sys.argv.remove("--debug")
        logging.basicConfig(level=logging.DEBUG)
    app = build_app(_invoked(sys.argv))
    try:
        app(standalone_mode=True)
    except GovnetError as exc:
        if debug:
            raise
        sys.stderr.write(exc.sentence() + "\n")
        for f in exc.findings[:50]:
            sys.stderr.write("  " + f.sentence() + "\n")
        if len(exc.findings) > 50:
            sys.stderr.write(f"  ... and {len(exc.findings) - 50} more (run 'govnet inventory validate')\n")
        sys.exit(2)
    except OSError as exc:
        # the file system refused: a full disk, a read-only folder, a path that is a file — a sentence, not a trace
        if debug:
            raise
        err = GovnetError(f"{exc.filename + ': ' if exc.filename else ''}{exc.strerror or exc}", code="CFG-006",
                          hint="free space, or check that the paths in config.yaml and --out are writable folders")
        sys.stderr.write(err.sentence() + "\n")
        sys.exit(2)
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)
