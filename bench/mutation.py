"""Benchmark: mutation score of the pure core against the unit tier (mutmut 3).

mutmut plants small bugs (a flipped comparison, a changed constant, a dropped argument, ...) one at a time in the
pure-core modules and runs the unit tests that reach the changed function; a mutant the tests still pass on
"survived". The score is killed / (killed + survived); mutants no test reaches count as survived.

The run happens in a throwaway copy of the tracked files (``git ls-files``), so the work tree gets no
``mutants/`` folder and no mutmut config; the copy's ``setup.cfg`` names the modules (``only_mutate``) and the
tests (``tests/unit``). Slow (minutes per module on 2 cores): it does not run in CI. Needs the ``mutation``
extra (``pip install -e '.[mutation]'``).

``ours`` = minutes the run took; ``baseline`` = the goal score (0.85); ``ratio`` = score / goal; ``goal_met`` =
score ≥ 0.85. The last line printed is one JSON object.

Usage::

    .venv/bin/python bench/mutation.py                                   # every pure-core module (hours)
    .venv/bin/python bench/mutation.py --module nornir_tasks/render/filters.py [--keep DIR] [--jobs 2]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL = 0.85

#: The pure core (issue T1): compliance check/remediation/waivers/baseline, backup sanitize and platform
#: masking, rollout scoring and metrics, inventory validate, render filters and context, model.
CORE = (
    "nornir_tasks/compliance/check.py",
    "nornir_tasks/compliance/remediation.py",
    "nornir_tasks/compliance/waivers.py",
    "nornir_tasks/compliance/baseline.py",
    "nornir_tasks/backup/sanitize.py",
    "nornir_tasks/platforms/masking.py",
    "nornir_tasks/rollout/scoring.py",
    "nornir_tasks/rollout/metrics.py",
    "nornir_tasks/inventory/validate.py",
    "nornir_tasks/render/filters.py",
    "nornir_tasks/render/context.py",
    "nornir_tasks/model.py",
)


def _copy_tree(dst: Path) -> None:
    """The tracked files (and uncommitted edits to them) into ``dst``."""
    files = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z"], capture_output=True, check=True).stdout
    for rel in filter(None, files.decode().split("\0")):
        src = ROOT / rel
        if src.is_file():
            (dst / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst / rel)


def _setup_cfg(modules: list[str]) -> str:
    also = ["napalm_frr", "inventory", "templates", "config.yaml", "playbooks", "scripts", "bench", "docs"]
    lines = ["[mutmut]", "source_paths = nornir_tasks", "only_mutate ="]
    lines += [f"    {m}" for m in modules]
    lines += ["also_copy ="] + [f"    {a}" for a in also]
    lines += ["pytest_add_cli_args_test_selection =", "    tests/unit",
              "pytest_add_cli_args =", "    -p", "    no:cacheprovider", "    -x", "    -q", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--module", action="append", help="a module to mutate (repeatable; default: the pure core)")
    ap.add_argument("--jobs", type=int, default=2, help="mutants run in parallel (default 2)")
    ap.add_argument("--keep", type=Path, help="run in this folder and keep it (mutmut browse/show work there)")
    args = ap.parse_args(argv)
    modules = args.module or list(CORE)
    missing = [m for m in modules if not (ROOT / m).is_file()]
    if missing:
        print(f"no such module: {', '.join(missing)}", file=sys.stderr)
        return 2
    mutmut = Path(sys.executable).with_name("mutmut")
    if not mutmut.exists():
        print("mutmut is not installed: pip install -e '.[mutation]'", file=sys.stderr)
        return 2
    work = args.keep or Path(tempfile.mkdtemp(prefix="govnet-mutation-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        _copy_tree(work)
        (work / "setup.cfg").write_text(_setup_cfg(modules), encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": str(work / "mutants"), "CI": ""}
        started = time.monotonic()
        run = subprocess.run([str(mutmut), "run", "--max-children", str(args.jobs)], cwd=work, env=env,
                             check=False)
        minutes = (time.monotonic() - started) / 60
        subprocess.run([str(mutmut), "export-cicd-stats"], cwd=work, env=env, check=True,
                       stdout=subprocess.DEVNULL)
        stats = json.loads((work / "mutants" / "mutmut-cicd-stats.json").read_text(encoding="utf-8"))
        survivors = subprocess.run([str(mutmut), "results"], cwd=work, env=env, capture_output=True, text=True,
                                   check=False).stdout.strip()
        if survivors:
            print(survivors)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    killed = stats["killed"] + stats.get("timeout", 0) + stats.get("segfault", 0)
    survived = stats["survived"] + stats.get("no_tests", 0)
    score = killed / (killed + survived) if killed + survived else 0.0
    print(json.dumps({"name": "mutation", "ours": round(minutes, 1), "baseline": GOAL,
                      "ratio": round(score / GOAL, 3), "unit": "min", "goal_met": score >= GOAL,
                      "killed": killed, "survived": survived, "score": round(score, 3), "total": stats["total"],
                      "suspicious": stats.get("suspicious", 0), "modules": modules,
                      "mutmut_exit": run.returncode}))
    return 0 if run.returncode == 0 else 1   # mutmut failed (e.g. a unit test fails in its copy): no score


if __name__ == "__main__":
    raise SystemExit(main())
