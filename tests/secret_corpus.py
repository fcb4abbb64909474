"""The secret corpus (tests/fixtures/secrets/<platform>/*.yaml) as Python data, for the tests that use it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "fixtures" / "secrets"


@dataclass(frozen=True)
class Form:
    platform: str
    file: str
    what: str
    config: str
    secrets: tuple[str, ...]
    style: str          # "set", "hierarchical" (Junos) or "" (others)
    lab: bool           # FRR: also configured on a real lab router

    @property
    def id(self) -> str:
        return f"{self.platform}/{self.file}:{self.what}"


def load() -> list[Form]:
    forms: list[Form] = []
    for path in sorted(CORPUS.glob("*/*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for item in doc["forms"]:
            forms.append(Form(platform=path.parent.name, file=path.stem, what=item["what"], config=item["config"],
                              secrets=tuple(str(s) for s in item["secrets"]), style=doc.get("style", ""),
                              lab=bool(item.get("lab", False))))
    return forms


def files() -> list[tuple[Path, dict]]:
    return [(p, yaml.safe_load(p.read_text(encoding="utf-8"))) for p in sorted(CORPUS.glob("*/*.yaml"))]


def config_of(forms: list[Form], header: str = "") -> str:
    """One configuration holding every form (in corpus order)."""
    return header + "".join(f.config if f.config.endswith("\n") else f.config + "\n" for f in forms)
