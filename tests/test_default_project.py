"""The default service, rendered with the real Copier API, passes its own gate.

Both database paths are covered: the server at ``DATABASE_URL`` (CI, compose)
and the embedded PostgreSQL a laptop without a server falls back to.
"""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import threading
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from keel import space
from keel.bench import AT_WARNING, TARGET_RATIOS
from keel.cli import app
from keel.database import psql, scratch_database
from keel.own import Serving, migrate_step, project_environment, run_gate, run_step, serving
from tests.conftest import RenderOnce, gate_timings

pytestmark = pytest.mark.full

TEMPLATE = space.load()
DEFAULT = TEMPLATE.profile_presets["org-standard"]


def test_gate_passes_against_the_database_server(
    default_project: Path,
    server_database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    record_property: Callable[[str, object], None],
) -> None:
    monkeypatch.setenv("DATABASE_URL", server_database_url)

    result = run_gate(default_project)
    record_property("timings", gate_timings(result))

    failed = [step for step in result.steps if not step.ok]
    assert not failed, f"{failed[0].name}: {failed[0].command}\n{failed[0].first_error}"
    assert [step.name for step in result.steps] == [
        "sync",
        "check",
        "migrate",
        "boot",
    ]
    check = result.step("check").output
    assert "postgresql: the server at DATABASE_URL" in check
    coverage = re.search(r"Total coverage: ([\d.]+)%", check)
    assert coverage is not None
    assert float(coverage.group(1)) >= 80
    boot = result.step("boot")
    assert "created and read back item" in boot.summary
    lines = boot.output.splitlines()
    events = [json.loads(line) for line in lines if line.startswith("{")]
    assert any(event["event"] == "app.shutdown" for event in events), (
        "the lifespan did not close on SIGTERM"
    )


def test_just_bench_measures_the_service_and_its_bare_baseline(
    default_project: Path, server_database_url: str, scratch: Path
) -> None:
    """A short real run: both servers, every endpoint, wrk's figures, no errors."""
    _sync(default_project)

    _assert_bench_runs(default_project, server_database_url, scratch / "bench")


def _assert_bench_runs(project: Path, database_url: str, results_dir: Path) -> None:
    results = results_dir / "results.json"
    step = run_step(
        "bench",
        [
            "uv",
            "run",
            "just",
            "bench",
            "--seconds=1",
            "--runs=1",
            "--warmup=0",
            "--connections=4",
            "--cold-starts=1",
            "--layer-requests=20",
            "--create-requests=5",
            "--sample-seconds=1",
            f"--json={results}",
        ],
        project,
        project_environment(DATABASE_URL=database_url),
    )

    assert step.ok, step.output[-3000:]
    figures = json.loads(results.read_text(encoding="utf-8"))
    assert [endpoint["name"] for endpoint in figures["endpoints"]] == list(TARGET_RATIOS)
    for endpoint in figures["endpoints"]:
        targets = ("service", "baseline", AT_WARNING)[: 3 if endpoint["name"] == "health" else 2]
        for target in targets:
            assert endpoint[target]["requests"] > 0, (endpoint["name"], target)
            assert endpoint[target]["errors"] == 0, (endpoint["name"], target)
    assert figures["load"]["cold_starts"] == 1
    for target in figures["targets"].values():
        assert target["cold_start_seconds"] > 0
        assert target["rss_mib"] > 0
    layers = figures["layers"]
    assert layers["requests"] == 20
    assert "RequestContextMiddleware" in [layer["name"] for layer in layers["layers"]]
    assert layers["service_us"] > 0
    assert layers["baseline_us"] > 0
    create = figures["create"]
    assert create["requests"] == 5
    assert create["samples"]["service"] > 0
    assert "own code" in [row["name"] for row in create["by_code"]]
    assert "| GET health |" in step.output
    assert "Health at LOG_LEVEL=WARNING (no access log line):" in step.output
    assert "| RequestContextMiddleware |" in step.output
    assert "CPU per `POST /api/v1/items` in-process" in step.output


SOAK_REQUESTS = 3000
SOAK_CLIENTS = 8
END_THE_SERVICE_SESSIONS = (
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
)


class Soak:
    """Clients that create, read and list items until they made `SOAK_REQUESTS` in all."""

    def __init__(self, server: Serving) -> None:
        self.server = server
        self.outcomes: Counter[str] = Counter()
        self.created: list[str] = []
        self.sent = 0
        self._lock = threading.Lock()

    def _request(self, client: httpx.Client, kind: str, number: int) -> str:
        if kind == "create":
            response = client.post("/api/v1/items", json={"name": f"soak {number}"})
            if response.status_code == 201:
                with self._lock:
                    self.created.append(response.json()["id"])
        elif kind == "read" and self.created:
            response = client.get(f"/api/v1/items/{self.created[number % len(self.created)]}")
        else:
            response = client.get("/api/v1/items", params={"page": 2})
        return f"{kind} {response.status_code}"

    def _client(self, requests: itertools.count[int]) -> None:
        kinds = itertools.cycle(("create", "read", "list", "read"))
        with httpx.Client(
            base_url=self.server.base_url, headers=self.server.headers, timeout=30
        ) as client:
            while (number := next(requests)) < SOAK_REQUESTS:
                kind = next(kinds)
                try:
                    outcome = self._request(client, kind, number)
                except httpx.TransportError as error:
                    outcome = f"{kind} {type(error).__name__}"
                with self._lock:
                    self.outcomes[outcome] += 1
                    self.sent += 1

    def run(self, fault: Callable[[], None]) -> None:
        """Send every request from `SOAK_CLIENTS` threads; call `fault` halfway."""
        requests = itertools.count()
        threads = [
            threading.Thread(target=self._client, args=(requests,)) for _ in range(SOAK_CLIENTS)
        ]
        for thread in threads:
            thread.start()
        while self.sent < SOAK_REQUESTS // 2:
            threading.Event().wait(0.01)
        fault()
        for thread in threads:
            thread.join()


def test_a_soak_with_the_database_sessions_ended_midway_loses_nothing(
    default_project: Path,
    server_database_url: str,
    scratch: Path,
    record_property: Callable[[str, object], None],
) -> None:
    """3,000 mixed requests; every session of the service's database ends halfway."""
    _sync(default_project)
    with scratch_database(server_database_url) as database_url:
        # Counted, never refused: the soak measures the fault, not the limit.
        env = project_environment(DATABASE_URL=database_url, RATE_LIMIT_REQUESTS="1000000000")
        assert migrate_step(default_project, env).ok
        with serving(default_project, env, scratch / "soak-server.log") as server:
            soak = Soak(server)
            soak.run(lambda: psql(database_url, END_THE_SERVICE_SESSIONS))
            with httpx.Client(base_url=server.base_url, headers=server.headers) as client:
                missing = [
                    item
                    for item in soak.created
                    if client.get(f"/api/v1/items/{item}").status_code != 200
                ]
                listed = client.get("/api/v1/items").json()

    record_property("soak", dict(sorted(soak.outcomes.items())))
    assert sum(soak.outcomes.values()) == SOAK_REQUESTS
    statuses = {outcome.split()[1] for outcome in soak.outcomes}
    assert statuses <= {"200", "201", "503"}, soak.outcomes  # no 500, nothing dropped
    assert soak.outcomes["create 201"] > SOAK_REQUESTS // 8, soak.outcomes
    assert not missing, f"{len(missing)} acknowledged items are gone"
    stored = listed.get("meta", listed)["total"]
    assert stored >= len(soak.created), (stored, len(soak.created))


def test_tests_fall_back_to_an_embedded_postgresql(default_project: Path) -> None:
    _sync(default_project)

    step = run_step(
        "pytest",
        ["uv", "run", "pytest"],
        default_project,
        project_environment(DATABASE_URL=None),
    )

    assert step.ok, step.first_error
    assert "postgresql: embedded (DATABASE_URL is unset)" in step.output
    assert re.search(r"\d+ passed", step.output)


def test_the_nox_matrix_runs_the_tests_on_every_supported_python(
    default_project: Path, server_database_url: str
) -> None:
    _sync(default_project)

    # Coverage is the gate's (above): here each Python runs the suite without it.
    step = run_step(
        "matrix",
        ["uv", "run", "just", "matrix", "--", "--no-cov"],
        default_project,
        project_environment(DATABASE_URL=server_database_url),
    )

    assert step.ok, step.first_error
    for version in TEMPLATE.choices("python_version"):
        if version >= DEFAULT["python_version"]:
            assert f"tests-{version}: success" in step.output


def test_concurrent_sessions_each_keep_their_embedded_postgresql(default_project: Path) -> None:
    """Two sessions at once: a new pytest session must not cut off the other's server.

    (pytest resets the permissions of its temporary root at start; an embedded
    server run as another user, as under root, must not keep its data there.)
    """
    _sync(default_project)
    command = ["uv", "run", "pytest", "-q", "-p", "no:cacheprovider", "-m", "integration"]
    environment = project_environment(DATABASE_URL=None)

    sessions = [
        subprocess.Popen(
            command,
            cwd=default_project,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [session.communicate(timeout=300)[0] for session in sessions]

    for session, output in zip(sessions, outputs, strict=True):
        assert session.returncode == 0, output
        assert re.search(r"\d+ passed", output)


def test_an_unreachable_database_url_fails_loudly(default_project: Path) -> None:
    _sync(default_project)
    unreachable = "postgresql://postgres:hunter2@127.0.0.1:1/app"

    step = run_step(
        "pytest",
        ["uv", "run", "pytest"],
        default_project,
        project_environment(DATABASE_URL=unreachable),
    )

    assert not step.ok
    assert "DATABASE_URL is set to postgresql://postgres:***@127.0.0.1:1/app" in step.output
    assert "no PostgreSQL answers there" in step.output
    assert "unset DATABASE_URL to use an embedded PostgreSQL" in step.output
    assert "hunter2" not in step.output
    assert " passed" not in step.output


def test_readme_quick_start_demo_works_without_a_database_server(
    scratch: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)

    outcome = CliRunner().invoke(app, ["demo", "--dest", str(scratch / "demo")])

    assert outcome.exit_code == 0, outcome.output
    assert "All checks passed." in outcome.output
    assert "created and read back item" in outcome.output


def _sync(project: Path) -> None:
    subprocess.run(
        ["uv", "sync", "--locked", "--quiet"], cwd=project, env=project_environment(), check=True
    )


# Every logging choice with the standards stack all on (JWT auth included) and
# all off (the default combination is the gate test above), the stdlib-logging
# ones type-checked by mypy, plus the in-process cache on the other server, asyncpg
# with everything on, and a service without a database (in-memory items).
ALL_ON = {"auth": "jwt", "cache": "redis", "metrics": True, "tracing": True}
ALL_OFF = {"auth": "none", "cache": "none", "metrics": False, "tracing": False}
OTHER_CHECKER = next(c for c in TEMPLATE.choices("type_checker") if c != DEFAULT["type_checker"])
STACK_VARIANTS = [
    {
        "logging": logging,
        **switches,
        # mypy: org-standard refuses it (Pyright only), custom takes it.
        **({"profile": "custom", "type_checker": OTHER_CHECKER} if logging == "stdlib" else {}),
    }
    for logging in TEMPLATE.choices("logging")
    for switches in (ALL_ON, ALL_OFF)
    if {"logging": logging, **switches} != {key: DEFAULT[key] for key in ("logging", *switches)}
] + [
    {
        "logging": DEFAULT["logging"],
        "cache": "memory",
        "metrics": False,
        "tracing": False,
        "server": next(s for s in TEMPLATE.choices("server") if s != DEFAULT["server"]),
    },
    {
        "profile": "custom",
        "logging": "stdlib",
        "db_access": "asyncpg",
        **ALL_ON,
        "type_checker": OTHER_CHECKER,
        "server": next(s for s in TEMPLATE.choices("server") if s != DEFAULT["server"]),
    },
    {
        "logging": DEFAULT["logging"],
        "database": "none",
        "cache": "redis",
        "metrics": True,
        "tracing": True,
    },
    # fastapi-modular's defaults (tests/test_profiles.py) are the modular layout
    # on SQLAlchemy with Redis; these take it to asyncpg and to no database.
    {
        "profile": "custom",
        "architecture": "modular",
        "logging": "stdlib",
        "db_access": "asyncpg",
        "auth": "jwt",
        "cache": "memory",
        "metrics": True,
        "tracing": False,
        "type_checker": OTHER_CHECKER,
    },
    {
        "architecture": "modular",
        "logging": DEFAULT["logging"],
        "database": "none",
        "cache": "none",
        "metrics": False,
        "tracing": False,
    },
    # Litestar (msgspec, no Pydantic; custom: the FastAPI standards refuse it) in
    # each architecture and database mode.
    {
        "profile": "custom",
        "framework": "litestar",
        "logging": DEFAULT["logging"],
        "db_access": "asyncpg",
        "auth": "jwt",
        "cache": "none",
        "metrics": False,
        "tracing": True,
        "server": "uvicorn",
    },
    {
        "profile": "custom",
        "framework": "litestar",
        "architecture": "modular",
        "logging": "stdlib",
        "db_access": "sqlalchemy",
        "auth": "jwt",
        "cache": "redis",
        "metrics": True,
        "tracing": True,
        "type_checker": OTHER_CHECKER,
    },
    {
        "profile": "custom",
        "framework": "litestar",
        "logging": DEFAULT["logging"],
        "database": "none",
        "auth": "none",
        "cache": "memory",
        "metrics": True,
        "tracing": False,
    },
    # litestar-slices' defaults (tests/test_profiles.py) are the slices with JWT,
    # structlog, Pyright and Granian; this takes them to the other side of each.
    {
        "profile": "custom",
        "python_version": "3.12",
        "framework": "litestar",
        "server": "uvicorn",
        "architecture": "vertical-slice",
        "db_access": "asyncpg",
        "logging": "stdlib",
        "auth": "none",
        "cache": "redis",
        "metrics": False,
        "tracing": False,
        "type_checker": OTHER_CHECKER,
    },
]


# Besides the default service, `just bench` and the slow tier (the real server:
# a round trip, SIGTERM under load) run here: Litestar on asyncpg and Uvicorn,
# signed in (every axis the default's run leaves out).
BENCHED_VARIANT = next(
    answers
    for answers in STACK_VARIANTS
    if answers.get("framework") == "litestar"
    and answers.get("server") == "uvicorn"
    and answers.get("auth") == "jwt"
)


@pytest.mark.parametrize(
    "answers", STACK_VARIANTS, ids=lambda answers: "-".join(map(str, answers.values()))
)
def test_stack_variants_pass_their_gate(
    answers: dict[str, object],
    render_committed: RenderOnce,
    server_database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    record_property: Callable[[str, object], None],
) -> None:
    monkeypatch.setenv("DATABASE_URL", server_database_url)
    project = render_committed(**answers)

    result = run_gate(project)
    record_property("timings", gate_timings(result))

    failed = [step for step in result.steps if not step.ok]
    assert not failed, f"{failed[0].name}: {failed[0].command}\n{failed[0].first_error}"
    if answers is BENCHED_VARIANT:
        _assert_bench_runs(project, server_database_url, project / ".bench")
        slow = run_step(
            "slow tier",
            ["uv", "run", "pytest", "-m", "slow", "-p", "no:cacheprovider", "-rA"],
            project,
            project_environment(DATABASE_URL=server_database_url),
        )
        assert slow.ok, slow.first_error
        assert "PASSED tests/e2e/test_server.py::test_sigterm_under_load" in slow.output
    pyproject = (project / "pyproject.toml").read_text()
    assert ("structlog" in pyproject) is (answers["logging"] == "structlog")
    assert ("prometheus-client" in pyproject) is answers["metrics"]
    assert ('"redis>=' in pyproject) is (answers["cache"] == "redis")
    assert ("opentelemetry-sdk" in pyproject) is answers["tracing"]
    assert ('"pyjwt[crypto]>=' in pyproject) is (answers.get("auth") == "jwt")
    has_database = answers.get("database", DEFAULT["database"]) != "none"
    assert ('"asyncpg>=' in pyproject) is has_database
    assert (project / "migrations").is_dir() is has_database
    access = answers.get("db_access", DEFAULT["db_access"])
    assert (access == "asyncpg") is any(project.rglob("src/*/**/queries.py"))
    server = answers.get("server", DEFAULT["server"])
    assert f'"{server}' in pyproject
    is_fastapi = answers.get("framework", DEFAULT["framework"]) == "fastapi"
    assert ('"fastapi>=' in pyproject) is is_fastapi
    assert ('name = "pydantic"' in (project / "uv.lock").read_text()) is is_fastapi
