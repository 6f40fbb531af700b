"""``just bench``'s own parts: wrk's script and report, the summary of runs."""

import shutil
from pathlib import Path

import pytest

from scripts import bench_load
from scripts.bench import (
    create_table,
    endpoints_for,
    layers_table,
    markdown_table,
    summary,
)
from scripts.bench_load import Endpoint, LoadError, LoadResult, lua_script, parse_report

pytestmark = pytest.mark.unit

REPORT = """\
Running 10s test @ http://127.0.0.1:8000
  1 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    25.01ms    3.10ms  80.00ms   90.00%
    Req/Sec     2.56k   120.00     2.80k    70.00%
  Latency Distribution
     50%   24.50ms
     75%   26.00ms
     90%   28.00ms
     99%  912.00us
  25600 requests in 10.00s, 4.10MB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 7
Requests/sec:   2559.87
Transfer/sec:    419.90KB
"""


def test_a_wrk_report_gives_rate_latency_and_every_error() -> None:
    result = parse_report(REPORT)

    assert result == LoadResult(
        requests=25600,
        requests_per_second=2559.87,
        p50_ms=24.5,
        p99_ms=0.912,
        errors=7 + 2 + 3,
    )


def test_a_report_without_figures_is_an_error_that_shows_it() -> None:
    with pytest.raises(LoadError, match="unable to connect"):
        parse_report("unable to connect to 127.0.0.1:8000 Connection refused\n")


def test_the_lua_script_sends_the_body_and_headers_as_they_are() -> None:
    body = '{"name": "a ]] b ]=] c"}'
    endpoint = Endpoint(
        "create", "POST", "/api/v1/items", ("/api/v1/items",), body=body
    )

    script = lua_script(endpoint, {"Authorization": "Bearer abc"})

    assert 'wrk.method = "POST"' in script
    assert "wrk.headers[ [=[Authorization]=] ] = [=[Bearer abc]=]" in script
    assert f"wrk.body = [==[{body}]==]" in script
    assert "local paths = {[=[/api/v1/items]=]}" in script


def test_without_wrk_the_error_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def nowhere(command: str) -> None:
        del command

    monkeypatch.setattr(shutil, "which", nowhere)

    with pytest.raises(LoadError, match="apt install wrk"):
        bench_load.wrk_command(
            "http://127.0.0.1:1", Path("x.lua"), seconds=1, connections=1, core=0
        )


def test_runs_are_summarised_by_their_medians_and_every_error_counts() -> None:
    runs = [
        LoadResult(
            requests=10, requests_per_second=r, p50_ms=r / 10, p99_ms=r, errors=1
        )
        for r in (300.0, 100.0, 200.0)
    ]

    assert summary(runs) == {
        "requests_per_second": 200.0,
        "p50_ms": 20.0,
        "p99_ms": 200.0,
        "errors": 3,
        "requests": 30,
    }


LAYERS = {
    "endpoint": "GET /health/live",
    "requests": 2000,
    "rounds": 5,
    "baseline_us": 60.04,
    "service_us": 150.5,
    "layers": [
        {"name": "RequestContextMiddleware", "us": 70.0},
        {"name": "MetricsMiddleware", "us": 12.34},
    ],
}
CREATE = {
    "endpoint": "POST /api/v1/items",
    "requests": 500,
    "rounds": 5,
    "sampled_seconds": 5.0,
    "service_us": 1300.4,
    "baseline_us": 800.2,
    "without_own_middleware_us": 1150.0,
    "samples": {"service": 1250, "baseline": 1240},
    "by_code": [
        {"name": "sqlalchemy", "service_us": 500.0, "baseline_us": 350.0},
        {"name": "own code", "service_us": 95.4, "baseline_us": 0.0},
    ],
}


def test_the_table_puts_each_endpoint_beside_its_baseline() -> None:
    figures = {"requests_per_second": 500.0, "p50_ms": 1.0, "p99_ms": 2.0, "errors": 0}
    baseline = {**figures, "requests_per_second": 1000.0}
    results = {
        "endpoints": [
            {
                "name": "health",
                "method": "GET",
                "service": figures,
                "baseline": baseline,
            }
        ],
        "load": {"cold_starts": 5},
        "layers": LAYERS,
        "create": CREATE,
        "targets": {
            "service": {"cold_start_seconds": 2.0, "rss_mib": None},
            "baseline": {"cold_start_seconds": 1.0, "rss_mib": 50.4},
        },
    }

    table = markdown_table(results)

    assert "| GET health | 500 | 1,000 | 0.50 | 1.0 / 2.0 | 1.0 / 2.0 | 0 |" in table
    assert "Health at LOG_LEVEL=WARNING" not in table  # not measured in this run
    assert "service unknown, baseline 50 MiB" in table
    assert "Cold start (median of 5): service 2.00 s, baseline 1.00 s." in table


def test_the_table_gives_health_without_the_access_log_beside_it() -> None:
    figures = {"requests_per_second": 500.0, "p50_ms": 1.0, "p99_ms": 2.0, "errors": 0}
    results = {
        "endpoints": [
            {
                "name": "health",
                "method": "GET",
                "service": figures,
                "baseline": {**figures, "requests_per_second": 1000.0},
                "service_at_warning": {**figures, "requests_per_second": 700.0},
            }
        ],
        "load": {"cold_starts": 5},
        "layers": LAYERS,
        "create": CREATE,
        "targets": {
            "service": {"cold_start_seconds": 2.0, "rss_mib": None},
            "baseline": {"cold_start_seconds": 1.0, "rss_mib": 50.4},
        },
    }

    table = markdown_table(results)

    assert (
        "Health at LOG_LEVEL=WARNING (no access log line): 700 req/s, "
        "0.70 of the baseline's." in table
    )


def test_the_table_lists_what_each_layer_costs_on_the_probe() -> None:
    lines = layers_table(LAYERS)

    assert lines[0] == (
        "CPU per `GET /health/live` in-process (the least of 5 rounds of 2,000): "
        "service 150 µs, baseline 60 µs; each layer of the service:"
    )
    assert lines[-2:] == [
        "| RequestContextMiddleware | 70.0 |",
        "| MetricsMiddleware | 12.3 |",
    ]


def test_the_table_says_where_a_creates_cpu_goes() -> None:
    lines = create_table(CREATE)

    assert lines[0] == (
        "CPU per `POST /api/v1/items` in-process (the least of 5 rounds of 500): "
        "service 1300 µs, baseline 800 µs, service without its own middleware "
        "1150 µs; where each one's time went (sampled, 1,250 and 1,240 samples):"
    )
    assert lines[-2:] == ["| sqlalchemy | 500 | 350 |", "| own code | 95 | 0 |"]


def test_each_endpoint_names_its_route_and_requests_real_paths() -> None:
    endpoints = endpoints_for(["7", "8"])

    assert endpoints["read"].route == "/api/v1/items/{id}"
    assert endpoints["read"].paths == ("/api/v1/items/7", "/api/v1/items/8")
    assert endpoints["create"].method == "POST"
