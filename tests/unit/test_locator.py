"""The line locator's fast path (compose one top-level entry) gives exactly the lines a full compose gives."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
import yaml_rs

from nornir_tasks.inventory.generate import generate
from nornir_tasks.inventory.load import FILES
from nornir_tasks.inventory.yamlio import Locator, _compose, _walk
from tests.conftest import SAMPLE


def _paths(data: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix] if prefix else []
    if isinstance(data, dict):
        for k, v in data.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _paths(v, (*prefix, i))
    return out


def _top(path: Path) -> list[str] | int | None:
    try:
        data = yaml_rs.loads(path.read_text(encoding="utf-8-sig"))
    except Exception:   # noqa: BLE001 - a document yaml_rs refuses simply gets no index
        return None
    return [str(k) for k in data] if isinstance(data, dict) else len(data) if isinstance(data, list) else None


def _check(path: Path, paths: list[tuple]) -> None:
    root = _compose(path.read_text(encoding="utf-8-sig"))
    first = root.start_mark.line + 1 if root is not None else None
    fast, full = Locator(path, top=_top(path)), Locator(path)
    for p in paths:
        expected = _walk(root, p, first)
        assert fast.line(p) == expected, (path.name, p)
        assert full.line(p) == expected, (path.name, p)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("loc") / "inv"
    generate("province=46", 3, out)
    return out


@pytest.mark.parametrize("name", sorted(FILES))
def test_same_lines_as_a_full_compose(name: str, generated: Path) -> None:
    rng = random.Random(name)
    for folder in (SAMPLE, generated):
        path = folder / name
        paths = _paths(yaml_rs.loads(path.read_text(encoding="utf-8")))
        sample = rng.sample(paths, min(60, len(paths)))
        # plus paths that do not exist: the nearest existing ancestor's line, as before
        sample += [("no-such-key",), (*sample[0], "no-such-field"), (10**6,), (0, "x", 3)]
        _check(path, sample)


TRICKY = {
    "indentless": "a:\n- x: 1\n- x: 2\nb:\n- y\n",
    "quoted_keys": "'a': 1\n\"b\":\n  c: 2\n",
    "multiline_at_col0": 'a: "one\ntwo: three"\nb: 2\n',
    "anchors": "base: &b\n  x: 1\nuse:\n  <<: *b\n  y: 2\n",
    "document_markers": "---\na: 1\nb:\n  c: 2\n...\n",
    "comments": "# top\na: 1\n# between\nb:\n  # inner\n  c: 2\n",
    "sequence": "- prefix: 10.0.0.0/8\n  family: 4\n# note\n- prefix: 10.1.0.0/16\n  family: 4\n",
    "flow": "{a: 1, b: {c: 2}}\n",
    "crlf": "a: 1\r\nb:\r\n  c: 2\r\n",
    "duplicate_top": "a: 1\nb:\n  c: 2\nb:\n  d: 3\n",
}


@pytest.mark.parametrize("case", sorted(TRICKY))
def test_tricky_documents_fall_back_or_agree(case: str, tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(TRICKY[case].encode("utf-8"))
    paths = [("a",), ("a", 0), ("a", 1, "x"), ("b",), ("b", "c"), ("b", "d"), ("use", "y"), (0,), (1, "family"),
             ("zzz",), (5,), ("two",)]
    _check(path, paths)


def test_fast_path_is_taken_for_generated_files(generated: Path) -> None:
    for name in sorted(FILES):
        path = generated / name
        loc = Locator(path, top=_top(path))
        data = yaml_rs.loads(path.read_text(encoding="utf-8"))
        first = next(iter(data)) if isinstance(data, dict) else 0
        assert loc.line((first,)) is not None
        assert loc._index is not None and not loc._loaded, name   # answered without composing the whole file
