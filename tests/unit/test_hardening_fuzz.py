"""R1 hardening, fuzzing kept in the suite: random mutations of waivers, baselines, plans, import bundles and
config.yaml raise only govnet's own error type (a coded sentence, exit 2 at the command line) — never anything
else — and every CLI command given edge values of --out / --as-of / --filter answers without a traceback."""

from __future__ import annotations

import copy
import io
import shutil
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nornir_tasks.compliance.baseline import load_baselines
from nornir_tasks.compliance.import_bundle import load_bundle
from nornir_tasks.compliance.waivers import load_waivers
from nornir_tasks.errors import CATALOG, GovnetError
from nornir_tasks.inventory.load import load_or_raise
from nornir_tasks.rollout.plans import load_plan_file
from nornir_tasks.settings import load_settings
from tests.conftest import ROOT

TODAY = date(2026, 11, 25)
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))

#: Values that have broken parsers before: wrong types, huge and negative numbers, odd dates and text.
NASTY = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=10**18, max_value=10**40),
    st.just("__HUGE__"), st.floats(allow_nan=True), st.text(max_size=30),
    st.sampled_from(["", " ", "~", "2026-13-45", "0001-01-01", "9999-12-31", "=HYPERLINK(\"x\")", "<!--<script>",
                     "a\nb", "x\u202ey", "[/]", "../../etc/passwd", "\x00"]),
    st.dates(), st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(), max_size=2))


def _paths(doc: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path into a YAML document (mapping keys and list indexes)."""
    out = [prefix]
    if isinstance(doc, dict):
        for k, v in doc.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out += _paths(v, (*prefix, i))
    return out


@st.composite
def mutated(draw, doc: Any) -> Any:
    """``doc`` with 1–3 random changes: a value replaced by a nasty one, a key removed, or a key added."""
    doc = copy.deepcopy(doc)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(doc)))
        if not path:
            if draw(st.booleans()):
                doc = draw(NASTY)
            continue
        parent = doc
        for p in path[:-1]:
            parent = parent[p]
        how = draw(st.sampled_from(["replace", "replace", "delete", "add"]))
        if how == "replace":
            parent[path[-1]] = draw(NASTY)
        elif how == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.one_of(st.text(max_size=8), st.none(), st.integers()))] = draw(NASTY)
    return doc


def _dump(doc: Any) -> str:
    """YAML text; ``__HUGE__`` becomes a 5000-digit integer (Python refuses to convert such a number to text)."""
    text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, default_flow_style=False)
    return text.replace("__HUGE__", "9" * 5000)


def _ours(exc: BaseException) -> None:
    assert isinstance(exc, GovnetError), f"{type(exc).__name__}: {exc}"
    assert exc.code in CATALOG and exc.message


WAIVERS = [{"rule": "C1", "site": "12-stc", "reason": "Gói thầu 2026-17", "approver": "Sở KH&CN",
            "expires": date(2027, 3, 31), "reference": "CV 1234"},
           {"rule": "feature:ntp", "device": "lcu-sin-ho-ce01", "reason": "x", "approver": "y",
            "expires": date(2026, 12, 31)}]


@FUZZ
@given(doc=mutated(WAIVERS))
def test_fuzz_waivers(tmp_path_factory, doc) -> None:
    path = tmp_path_factory.mktemp("w") / "waivers.yaml"
    path.write_text(_dump(doc))
    try:
        load_waivers(path, known_devices={"lcu-sin-ho-ce01"}, known_sites={"12-stc"},
                     known_rules={"C1", "feature:ntp"}, today=TODAY)
    except Exception as exc:  # noqa: BLE001 - the assertion is about its type
        _ours(exc)


BASELINE = yaml.safe_load((ROOT / "inventory" / "baselines" / "national-2025.1.yaml").read_text())


@FUZZ
@given(doc=mutated(BASELINE))
def test_fuzz_baselines(tmp_path_factory, doc) -> None:
    folder = tmp_path_factory.mktemp("b")
    (folder / "national-2025.1.yaml").write_text(_dump(doc))
    try:
        load_baselines(folder).rules_for(TODAY)
    except Exception as exc:  # noqa: BLE001
        _ours(exc)


PLAN = yaml.safe_load((ROOT / "inventory" / "plans" / "qd-33-2025.yaml").read_text())


@FUZZ
@given(doc=mutated(PLAN))
def test_fuzz_plans(tmp_path_factory, doc) -> None:
    path = tmp_path_factory.mktemp("p") / "plan.yaml"
    path.write_text(_dump(doc))
    _, findings = load_plan_file(path)          # never raises: problems are findings
    assert all(f.code in CATALOG for f in findings)


CONFIG = yaml.safe_load((ROOT / "config.yaml").read_text())


@FUZZ
@given(doc=mutated(CONFIG))
def test_fuzz_config_yaml(tmp_path_factory, doc) -> None:
    path = tmp_path_factory.mktemp("c") / "config.yaml"
    path.write_text(_dump(doc))
    try:
        load_settings(path)
    except Exception as exc:  # noqa: BLE001
        _ours(exc)


@pytest.fixture(scope="module")
def inv():
    return load_or_raise(ROOT / "inventory").inventory


MANIFEST = {"collected_at": date(2026, 11, 20), "hosts": {"lcu-sin-ho-ce01": {"collected_at": date(2026, 11, 18)}}}
RUNNING = "hostname lcu-sin-ho-ce01\n!\nlog syslog informational\n"


@FUZZ
@given(manifest=mutated(MANIFEST), blob=st.binary(max_size=300), cut=st.integers(0, 400),
       flip=st.integers(0, 400), as_zip=st.booleans())
def test_fuzz_import_bundles(tmp_path_factory, inv, manifest, blob, cut, flip, as_zip) -> None:
    folder = tmp_path_factory.mktemp("i")
    files = {"manifest.yaml": _dump(manifest).encode(), "lcu-sin-ho-ce01.cfg": RUNNING.encode(),
             "lcu-tu-ce01.txt": blob}
    if as_zip:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name, data in files.items():
                zf.writestr(name, data)
        data = bytearray(buf.getvalue())
        if flip < len(data):
            data[flip] ^= 0xFF                       # a damaged byte anywhere: header, data or directory
        src = folder / "b.zip"
        src.write_bytes(bytes(data[:len(data) - cut % 40]))     # and perhaps truncated
    else:
        src = folder / "b"
        src.mkdir()
        for name, data in files.items():
            (src / name).write_bytes(data)
    try:
        load_bundle(src, inv)
    except Exception as exc:  # noqa: BLE001
        _ours(exc)
