"""keel bench's reading of the results: targets, tables, the page, the plot."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from keel import bench, space
from keel.cli import app
from keel.errors import KeelError
from keel.own import Step


def _figures(rate: float, p99: float = 10.0, errors: int = 0) -> dict[str, Any]:
    return {
        "requests_per_second": rate,
        "p50_ms": p99 / 2,
        "p99_ms": p99,
        "errors": errors,
        "requests": int(rate * 10),
    }


RESULTS: dict[str, Any] = {
    "machine": {
        "processor": "Test CPU",
        "cores": 2,
        "platform": "Linux",
        "python": "3.12.1",
        "pinned": True,
    },
    "versions": {"fastapi": "0.1", "granian": "2.0"},
    "load": {
        "seconds": 10,
        "runs": 3,
        "connections": 64,
        "warmup_seconds": 2,
        "cold_starts": 3,
    },
    "targets": {
        "service": {"cold_start_seconds": 2.0, "rss_mib": 160.0},
        "baseline": {"cold_start_seconds": 1.6, "rss_mib": None},
    },
    "endpoints": [
        {
            "name": name,
            "method": "GET",
            "route": f"/{name}",
            "service": _figures(900),
            "baseline": _figures(1000),
            **({bench.AT_WARNING: _figures(950)} if name == "health" else {}),
        }
        for name in bench.TARGET_RATIOS
    ],
}


def test_results_within_every_target_miss_none() -> None:
    assert bench.misses(RESULTS) == []
    assert bench.ratios(RESULTS) == dict.fromkeys(bench.TARGET_RATIOS, 0.9)


def test_each_missed_target_is_named_with_its_figure() -> None:
    slow = copy.deepcopy(RESULTS)
    health, read = slow["endpoints"][0], slow["endpoints"][1]
    health["service"] = _figures(400, p99=16.0, errors=3)
    read["service"] = _figures(850)
    slow["targets"]["service"]["cold_start_seconds"] = 4.0

    assert bench.misses(slow) == [
        "health 0.40 < 0.85",
        "health p99 1.6x",
        "health 3 errors",
        "read 0.85 < 0.90",
        "cold start 2.5x",
    ]


def test_the_page_sections_say_machine_load_ratios_and_every_figure() -> None:
    sections = bench.page_sections({"org-standard": RESULTS})

    assert "Test CPU, 2 cores" in sections["bench-method"]
    assert "each server pinned to core 0 and wrk to core 1" in sections["bench-method"]
    assert "64 connections, 3 runs of 10 s" in sections["bench-method"]
    assert "the median of 3 starts of the service and of its baseline" in (sections["bench-method"])
    assert (
        "| org-standard | fastapi 0.1 + granian 2.0 on Python 3.12.1 "
        "| 0.90 | 0.90 | 0.90 | 0.90 | 0.95 | 1.25x | none |" in sections["bench-summary"]
    )
    assert (
        "| GET `/read` | 900 | 1,000 | 0.90 | 5.0 / 10.0 | 5.0 / 10.0 | 0 |"
        in (sections["bench-details"])
    )
    assert (
        "| GET `/health`, LOG_LEVEL=WARNING | 950 | 1,000 | 0.95 | 5.0 / 10.0 | 5.0 / 10.0 | 0 |"
        in (sections["bench-details"])
    )
    assert "service 160 MiB, baseline unknown" in sections["bench-details"]


LAYERS = {
    "endpoint": "GET /health/live",
    "requests": 2000,
    "rounds": 5,
    "baseline_us": 60.0,
    "service_us": 150.0,
    "layers": [
        {"name": "RequestContextMiddleware", "us": 70.0},
        {"name": "MetricsMiddleware", "us": 12.0},
        {"name": "RequestTimeoutMiddleware", "us": 9.0},
        {"name": "SecurityHeadersMiddleware", "us": 3.0},
    ],
}


CREATE = {
    "endpoint": "POST /api/v1/items",
    "requests": 500,
    "rounds": 5,
    "sampled_seconds": 5.0,
    "service_us": 1300.0,
    "baseline_us": 800.0,
    "without_own_middleware_us": 1180.0,
    "samples": {"service": 1250, "baseline": 1240},
    "by_code": [
        {"name": "sqlalchemy", "service_us": 500.0, "baseline_us": 350.0},
        {"name": "own code", "service_us": 95.0, "baseline_us": 0.0},
        {"name": "fastapi", "service_us": 100.0, "baseline_us": 45.0},
        {"name": "structlog", "service_us": 30.0, "baseline_us": 0.0},
        {"name": "starlette", "service_us": 60.0, "baseline_us": 40.0},
        {"name": "asyncpg", "service_us": 10.0, "baseline_us": 30.0},
    ],
}


def test_a_create_says_what_the_middleware_adds_and_which_code_grew_most() -> None:
    measured = RESULTS | {"create": CREATE}

    sections = bench.page_sections({"org-standard": measured, "litestar-slices": RESULTS})

    assert (
        "| org-standard | 1300 / 800 | 120 "
        "| sqlalchemy +150, own code +95, fastapi +55, structlog +30 |" in sections["bench-create"]
    )
    assert (
        "| litestar-slices | not measured | not measured | not measured |"
        in (sections["bench-create"])
    )
    assert (
        "service with all of its own middleware passed through 1180 µs"
        in (sections["bench-details"])
    )
    assert "| asyncpg | 10 | 30 |" in sections["bench-details"]


def _with_health_service(results: dict[str, Any], rate: float) -> dict[str, Any]:
    changed = copy.deepcopy(results)
    changed["endpoints"][0]["service"] = _figures(rate)
    return changed


def test_what_the_service_adds_stands_beside_what_each_target_leaves() -> None:
    measured = _with_health_service(RESULTS, 950) | {"layers": LAYERS}
    older = _with_health_service(RESULTS, 950)  # from before `just bench` measured the layers

    sections = bench.page_sections({"org-standard": measured, "litestar-slices": older})

    # The baseline's 1,000 req/s are 1,000 µs a request: 0.85 leaves 1000 / 0.85 - 1000,
    # 0.90 leaves 111 and 0.80 leaves 250. The service's 950 req/s on health add 53 µs,
    # its 900 elsewhere 111; in-process the stack is 150 - 60.
    assert (
        "| org-standard | 90 | 53 / 176 | 111 / 111 | 111 / 250 | 111 / 250 "
        "| RequestContext 70, Metrics 12, RequestTimeout 9 |" in sections["bench-layers"]
    )
    assert (
        "| litestar-slices | not measured | 53 / 176 | 111 / 111 | 111 / 250 | 111 / 250 "
        "| not measured |" in sections["bench-layers"]
    )
    assert "as served on the health probe, exceeds: none." in sections["bench-layers"]
    assert "| `MetricsMiddleware` | 12.0 |" in sections["bench-details"]
    assert "the least of 5 rounds of 2,000): service 150 µs" in sections["bench-details"]


def test_a_stack_costlier_than_a_targets_allowance_names_that_target() -> None:
    # 820 req/s on health add 220 µs: more than health's 176 and read's 111.
    heavy = _with_health_service(RESULTS, 820)

    table = bench.layer_table({"org-standard": heavy})

    assert "exceeds: org-standard (health, read)." in table


def test_an_endpoint_without_answers_adds_without_bound() -> None:
    silent = _with_health_service(RESULTS, 0)

    assert bench.added_microseconds(silent)["health"] == float("inf")
    assert "exceeds: org-standard (health, read, list, create)." in bench.layer_table(
        {"org-standard": silent}
    )


def test_results_from_before_the_warning_run_say_it_was_not_measured() -> None:
    older = copy.deepcopy(RESULTS)
    del older["endpoints"][0][bench.AT_WARNING]

    summary = bench.page_sections({"org-standard": older})["bench-summary"]

    assert "| 0.90 | not measured | 1.25x |" in summary


def test_results_from_before_the_cold_start_median_say_one_start() -> None:
    older = copy.deepcopy(RESULTS)
    del older["load"]["cold_starts"]

    method = bench.page_sections({"org-standard": older})["bench-method"]

    assert "one start of each target, the service first" in method


def test_the_method_names_the_keel_commit_the_profiles_came_from() -> None:
    recorded = copy.deepcopy(RESULTS)
    recorded["template_commit"] = "v0.2.0-9-gabc1234"

    method = bench.page_sections({"org-standard": recorded})["bench-method"]
    older = bench.page_sections({"org-standard": RESULTS})["bench-method"]
    mixed = bench.page_sections({"org-standard": recorded, "litestar-slices": RESULTS})

    assert "- Template: rendered from keel `v0.2.0-9-gabc1234`." in method
    assert "- Template: rendered from keel `v0.2.0-9-gabc1234`." in mixed["bench-method"]
    assert "Template:" not in older


def test_the_plot_is_a_png(tmp_path: Path) -> None:
    path = tmp_path / "plot.png"

    bench.plot({"org-standard": RESULTS, "litestar-slices": RESULTS}, path)

    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_an_unknown_profile_is_refused_with_the_names_to_choose_from() -> None:
    template = space.load()
    named = template.named_profiles

    assert "custom" not in named
    assert set(named) == set(template.choices("profile")) - {"custom"}

    assert bench.profiles_or_all([], named) == named
    with pytest.raises(KeelError, match="unknown profile nope: choose from org-standard"):
        bench.profiles_or_all(["nope"], named)


def test_the_page_needs_the_results_of_a_run(tmp_path: Path) -> None:
    with pytest.raises(KeelError, match="run `uv run keel bench --write` first"):
        bench.read_results(tmp_path)


def test_keel_bench_refuses_an_unknown_profile_before_rendering(tmp_path: Path) -> None:
    outcome = CliRunner().invoke(app, ["bench", "nope", "--dest", str(tmp_path)])

    assert outcome.exit_code == 1
    assert "unknown profile nope" in outcome.output
    assert not any(tmp_path.iterdir())


def test_a_relative_destination_finds_the_results_just_bench_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`just bench` runs in the project: a relative --json would land inside it."""
    monkeypatch.chdir(tmp_path)

    def render(_answers: dict[str, str], project: Path) -> None:
        project.mkdir(parents=True)
        (project / ".copier-answers.yml").write_text("_commit: v0.2.0-9-gabc1234\n")

    monkeypatch.setattr(bench, "render", render)

    def run_step(name: str, command: list[str], cwd: Path, env: dict[str, str]) -> Step:
        del env
        if name == "bench":  # writes where --json points, as seen from its own directory
            written = cwd / command[-1].removeprefix("--json=")
            written.parent.mkdir(parents=True, exist_ok=True)
            written.write_text('{"profile": "org-standard"}')
        return Step(name=name, command=" ".join(command), ok=True, seconds=0.0)

    monkeypatch.setattr(bench, "run_step", run_step)

    results = bench.bench_profile("org-standard", Path(".keel/bench"), bench.Load(), on_step=str)

    assert results == {"profile": "org-standard", "template_commit": "v0.2.0-9-gabc1234"}
