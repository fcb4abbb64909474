"""The ``govnet`` command. No business logic here: each stage's commands live in their own module and call
the pure core; this module only wires them together and turns errors into sentences and exit codes."""

from __future__ import annotations

import importlib
import logging
import sys

import typer

from nornir_tasks.errors import GovnetError

app = typer.Typer(name="govnet", help="Network automation for the dedicated data network (mạng TSLCD).",
                  no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False)

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


def _register() -> None:
    for name, module, help_text in STAGES:
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


_register()


def main() -> None:
    debug = "--debug" in sys.argv
    if debug:
        sys.argv.remove("--debug")
        logging.basicConfig(level=logging.DEBUG)
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
