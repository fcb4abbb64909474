"""Benchmark: masking secrets in running configs — govnet's one engine vs the per-line regex sanitizer it replaced.

* Configs: every device of the sample inventory rendered with the project's templates, each placeholder
  replaced by a made-up value, plus the whole secret corpus of the device's platform
  (tests/fixtures/secrets/<platform>/); the set is repeated to about 10,000 configs (the national inventory's
  size).
* Ours: :func:`nornir_tasks.platforms.masking.mask_text` with the platform's secret forms (what the backup
  sanitizer and the compliance masker run).
* Baseline: govnet's sanitizer before the shared engine (one whole-line regular expression per secret kind and
  platform, read from git history at commit ``a27db9c``: ``nornir_tasks/backup/sanitize.py``), same configs.
  netutils' ``sanitize_config`` ships no filters of its own, so it is not a fair baseline.
* Besides time, the corpus secrets each leaves in its output are counted (``leaks_ours`` must be 0).

The last line printed is the JSON result (``ours`` and ``baseline`` in seconds for all configs).
Usage: ``.venv/bin/python bench/masking.py [--configs N]``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import subprocess
import types

from nornir_tasks.inventory.load import load_or_raise
from nornir_tasks.platforms.masking import engine_for, mask_text
from nornir_tasks.render.engine import Renderer
from tests import secret_corpus

PLACEHOLDER = re.compile(r"<secret:([A-Za-z0-9_]+)>")


def _configs() -> tuple[list[tuple[str, str]], dict[str, list[str]]]:
    inv = load_or_raise(ROOT / "inventory").inventory
    renderer = Renderer(ROOT / "templates")
    forms = secret_corpus.load()
    out: list[tuple[str, str]] = []
    secrets: dict[str, list[str]] = {}
    for name, dev in sorted(inv.devices.items()):
        platform = dev.platform.value
        mine = [f for f in forms if f.platform == platform and f.style != "hierarchical"]
        text = PLACEHOLDER.sub(lambda m: f"Val{abs(hash(m.group(1))) % 10**8}x", renderer.render(inv, name))
        out.append((platform, text + secret_corpus.config_of(mine)))
        secrets[platform] = [s for f in mine for s in f.secrets]
    return out, secrets


BASELINE_COMMIT = "a27db9c"


def _old_sanitizer() -> types.ModuleType:
    """The sanitizer module as it was at BASELINE_COMMIT (our own history, loaded for comparison only)."""
    source = subprocess.run(["git", "-C", str(ROOT), "show", f"{BASELINE_COMMIT}:nornir_tasks/backup/sanitize.py"],
                            capture_output=True, text=True, check=True).stdout
    module = types.ModuleType("old_sanitize")
    exec(compile(source, "old_sanitize.py", "exec"), module.__dict__)    # noqa: S102 - our own earlier code
    return module


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--configs", type=int, default=10_000)
    args = parser.parse_args()
    base, secrets = _configs()
    work = (base * (args.configs // len(base) + 1))[: args.configs]
    engines = {p: engine_for(p) for p in secrets}

    start = time.perf_counter()
    ours_out = [mask_text(engines[p], text, "<secret>")[0] for p, text in work]
    ours = time.perf_counter() - start

    old = _old_sanitizer()
    start = time.perf_counter()
    theirs_out = [old.sanitize(text, p).text for p, text in work]
    baseline = time.perf_counter() - start

    def leaks(outputs: list[str]) -> int:
        return sum(1 for (p, _), text in zip(work[: len(base)], outputs[: len(base)]) for s in secrets[p] if s in text)

    result = {"name": "masking", "ours": round(ours, 3), "baseline": round(baseline, 3),
              "ratio": round(ours / baseline, 3) if baseline else None, "unit": "s",
              "configs": len(work), "lines": sum(t.count("\n") for _, t in work),
              "corpus_secrets": sum(len(secrets[p]) for p, _ in base),
              "leaks_ours": leaks(ours_out), "leaks_baseline": leaks(theirs_out)}
    result["goal_met"] = result["leaks_ours"] == 0 and ours <= baseline
    print(json.dumps(result))


if __name__ == "__main__":
    main()
