"""The stage contract: reports count every host, parallel_map keeps order and re-raises worker errors."""

from __future__ import annotations

import os

import pytest

from nornir_tasks.stage import HostOutcome, HostStatus, StageReport, outcomes_for, parallel_map


def _pid_and_square(x: int) -> tuple[int, int]:
    return os.getpid(), x * x


def test_parallel_map_uses_workers_and_keeps_order() -> None:
    out = parallel_map(_pid_and_square, list(range(200)), jobs=2, batch=9)
    assert [sq for _, sq in out] == [x * x for x in range(200)]
    assert len({pid for pid, _ in out}) == 2 and os.getpid() not in {pid for pid, _ in out}


def test_parallel_map_progress_counts_every_item() -> None:
    seen: list[int] = []
    parallel_map(abs, list(range(-50, 50)), jobs=2, batch=8, on_progress=seen.append)
    assert sum(seen) == 100


def _boom(x: int) -> int:
    if x == 77:
        raise ValueError("bad item 77")
    return x


def test_parallel_map_reraises_a_worker_error() -> None:
    with pytest.raises(ValueError, match="bad item 77"):
        parallel_map(_boom, list(range(100)), jobs=2)


def test_report_exit_code_and_never_drops_hosts() -> None:
    done = {"b": HostOutcome[str](host="b", status=HostStatus.OK, result="x")}
    report = StageReport[str](stage="t", outcomes=outcomes_for(["a", "b", "c"], done,
                                                               missing=HostStatus.NOT_ATTEMPTED))
    assert [o.host for o in report.outcomes] == ["a", "b", "c"]
    assert report.summary()["not_attempted"] == 2 and report.exit_code == 1
    ok = StageReport[str](stage="t", outcomes=(done["b"],))
    assert ok.exit_code == 0
    assert StageReport[str](stage="t", outcomes=(done["b"],), problems=1).exit_code == 1


def test_every_registered_stage_resolves_and_has_its_name() -> None:
    from nornir_tasks.stage import STAGES, stage_class

    for name in STAGES:
        cls = stage_class(name)
        assert cls.name == name and callable(getattr(cls, "run", None)), name


def test_render_stage_reports_every_host_and_the_files_it_wrote(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    from nornir_tasks.cli.context import inventory_from, stage_context
    from nornir_tasks.settings import Settings
    from nornir_tasks.stage import make_stage

    root = Path(__file__).resolve().parents[2]
    settings = Settings(inventory_dir=root / "inventory", templates_dir=root / "templates", build_dir=tmp_path)
    result = inventory_from(settings)
    names = ["lcu-gw01", "lcu-dao-san-ce01"]
    stage = make_stage("render", {"lab": True})
    first = stage.run(stage_context(settings, result, jobs=1), names)
    assert [o.host for o in first.outcomes] == names and first.exit_code == 0
    assert first.summary()["changed"] == 2
    assert sorted(first.files) == sorted(str(tmp_path / "intended-lab" / f"{n}.cfg") for n in names)
    again = stage.run(stage_context(settings, result, jobs=1), names)
    assert again.summary()["ok"] == 2 and again.files == ()
