"""Compliance run → JSON (the whole run plus its aggregates; masked text only, no remediation)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from nornir_tasks.compliance.run import ComplianceRun
from nornir_tasks.compliance.summary import summarize
from nornir_tasks.fileio import write_if_changed


def to_data(run: ComplianceRun) -> dict[str, Any]:
    """The JSON-ready form of a run: ``run`` (devices, features, findings) and ``summary`` (aggregates)."""
    return {"run": run.model_dump(mode="json"), "summary": summarize(run)}


def to_json(run: ComplianceRun) -> str:
    """JSON text, UTF-8 with Vietnamese kept as is."""
    return json.dumps(to_data(run), ensure_ascii=False, indent=2, default=str) + "\n"


def write_json(run: ComplianceRun, out_dir: Path) -> Path:
    path = out_dir / "compliance.json"
    write_if_changed(path, to_json(run))
    return path
