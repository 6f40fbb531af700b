"""Running a rendered project's own gate, the way its users would.

The gate: ``uv sync --locked``; ``just check`` (lint, format, strict types,
tests with coverage, the slow end-to-end test left to the boot below); ``just
migrate`` on a scratch database; then ``just serve``
boots the production server, which must answer ``/health/ready`` and store and
return an item over HTTP, and stop cleanly on SIGTERM.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Generator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import httpx
import yaml

from keel.database import DATABASE_URL_VARIABLE, postgres_server, scratch_database
from keel.errors import KeelError

BOOT_TIMEOUT_SECONDS = 60
STOP_TIMEOUT_SECONDS = 30
OUTPUT_TAIL_LINES = 40


@dataclass
class Step:
    """The outcome of one step of the gate."""

    name: str
    command: str
    ok: bool
    seconds: float
    output: str = ""
    summary: str = ""

    @property
    def first_error(self) -> str:
        """The last lines of the step's output, where tools print their failures."""
        return "\n".join(self.output.strip().splitlines()[-OUTPUT_TAIL_LINES:])


@dataclass
class GateResult:
    """Every step run on one rendered project, in order."""

    project: Path
    steps: list[Step] = field(default_factory=list[Step])

    @property
    def ok(self) -> bool:
        """Whether every step passed."""
        return all(step.ok for step in self.steps)

    def step(self, name: str) -> Step:
        """The step called `name`."""
        return next(step for step in self.steps if step.name == name)


def project_environment(**overrides: str | None) -> dict[str, str]:
    """The environment of a rendered project's commands: keel's own venv left out."""
    environment = {key: value for key, value in os.environ.items() if key != "VIRTUAL_ENV"}
    own_venv = os.environ.get("VIRTUAL_ENV")
    if own_venv:
        own_bin = str(Path(own_venv) / "bin")
        environment["PATH"] = os.pathsep.join(
            entry for entry in environment.get("PATH", "").split(os.pathsep) if entry != own_bin
        )
    for key, value in overrides.items():
        if value is None:
            environment.pop(key, None)
        else:
            environment[key] = value
    return environment


def run_step(name: str, command: Sequence[str], cwd: Path, env: dict[str, str]) -> Step:
    """Run one command in the project and record its outcome."""
    started = time.perf_counter()
    result = subprocess.run(
        list(command), cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    return Step(
        name=name,
        command=" ".join(command),
        ok=result.returncode == 0,
        seconds=time.perf_counter() - started,
        output=result.stdout + result.stderr,
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_ready(base_url: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + BOOT_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            msg = f"the server exited with code {process.returncode} before it was ready"
            raise KeelError(msg)
        try:
            if httpx.get(f"{base_url}/health/ready", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.25)
    msg = f"{base_url}/health/ready did not answer 200 within {BOOT_TIMEOUT_SECONDS}s"
    raise KeelError(msg)


def _sign_in(base_url: str, account: tuple[str, str] | None) -> dict[str, str]:
    """Headers of an editor's access token, for services with JWT auth."""
    if account is None:
        return {}
    username, password = account
    answer = httpx.post(
        f"{base_url}/api/v1/auth/token",
        data={"username": username, "password": password},
        timeout=10,
    )
    if answer.status_code != 200:
        msg = f"POST /api/v1/auth/token answered {answer.status_code}: {answer.text}"
        raise KeelError(msg)
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def _exercise_items(base_url: str, headers: dict[str, str]) -> str:
    with httpx.Client(base_url=base_url, timeout=10, headers=headers) as client:
        created = client.post("/api/v1/items", json={"name": "keel boot check"})
        if created.status_code != 201:
            msg = f"POST /api/v1/items answered {created.status_code}: {created.text}"
            raise KeelError(msg)
        item_id = created.json()["id"]
        fetched = client.get(f"/api/v1/items/{item_id}")
        if fetched.status_code != 200 or fetched.json()["name"] != "keel boot check":
            msg = f"GET /api/v1/items/{item_id} answered {fetched.status_code}: {fetched.text}"
            raise KeelError(msg)
    return f"ready; created and read back item {item_id}"


def answers_of(project: Path) -> dict[str, object]:
    """The answers a rendered project records in its .copier-answers.yml."""
    answers: object = yaml.safe_load((project / ".copier-answers.yml").read_text(encoding="utf-8"))
    # Copier writes question names as keys.
    return cast("dict[str, object]", answers) if isinstance(answers, dict) else {}


def _boot_account(project: Path, env: dict[str, str]) -> tuple[str, str] | None:
    """For JWT services: an editor account made with the service's own admin command."""
    answers = answers_of(project)
    if answers.get("auth") != "jwt":
        return None
    username, password = "keel-boot", secrets.token_urlsafe(16)
    created = run_step(
        "create-user",
        [
            "uv",
            "run",
            "python",
            "-m",
            f"{answers['package_name']}.admin",
            "create-user",
            username,
            "--role",
            "editor",
        ],
        project,
        {**env, "NEW_USER_PASSWORD": password},
    )
    if not created.ok:
        msg = f"the admin command could not create an account:\n{created.first_error}"
        raise KeelError(msg)
    return username, password


@dataclass(frozen=True)
class Serving:
    """A project's production server, up and ready.

    Attributes:
        base_url: Where it listens.
        headers: An editor's ``Authorization`` header for JWT services, else none.
        command: How it was started, with its address.
    """

    base_url: str
    headers: dict[str, str]
    command: str


@contextmanager
def serving(project: Path, env: dict[str, str], log: Path) -> Generator[Serving]:
    """Run ``just serve`` in production mode until the block ends, then SIGTERM it.

    A service with JWT auth runs with a fresh signing key; the headers carry the
    token of an account made by the service's admin command.

    Raises:
        KeelError: The server exited or did not get ready, the account could not
            be made, or the server did not stop within its time after SIGTERM.
    """
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    command = ["uv", "run", "just", "serve"]
    env = {
        **env,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "ENVIRONMENT": "production",
        "JWT_SECRET_KEY": secrets.token_urlsafe(48),
    }
    with log.open("w") as output:
        process = subprocess.Popen(
            command,
            cwd=project,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        try:
            _wait_ready(base_url, process)
            headers = _sign_in(base_url, _boot_account(project, env))
            yield Serving(base_url, headers, f"HOST=127.0.0.1 PORT={port} {' '.join(command)}")
        finally:
            stopped_cleanly = _stop(process)
    if not stopped_cleanly:
        msg = f"the server did not stop within {STOP_TIMEOUT_SECONDS}s of SIGTERM"
        raise KeelError(msg)


def boot_step(project: Path, env: dict[str, str]) -> Step:
    """Start ``just serve``, check readiness and the items API, then SIGTERM it."""
    started = time.perf_counter()
    log = project / ".keel-serve.log"
    command = "uv run just serve"
    try:
        with serving(project, env, log) as server:
            command = server.command
            summary = _exercise_items(server.base_url, server.headers)
        ok = True
    except KeelError as error:
        summary, ok = str(error), False
    output_text = log.read_text()
    log.unlink()
    return Step(
        name="boot",
        command=command,
        ok=ok,
        seconds=time.perf_counter() - started,
        output=f"{output_text}\n{summary}",
        summary=summary,
    )


def _stop(process: subprocess.Popen[str]) -> bool:
    """SIGTERM the command (just and uv forward it to the server); SIGKILL its group if stuck."""
    if process.poll() is not None:
        return True
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        return False
    return True


def migrate_step(project: Path, env: dict[str, str]) -> Step:
    """`just migrate` (Alembic upgrade head) on `env`'s database, as a team deploys.

    Down to base and up again is the project's own test
    (tests/integration/test_migrations.py), which `just check` runs.
    """
    return run_step("migrate", ["uv", "run", "just", "migrate"], project, env)


def run_gate(
    project: Path,
    *,
    on_step: Callable[[str], None] = lambda _name: None,
) -> GateResult:
    """Run the whole gate on a rendered project, stopping at the first failure.

    The project's tests use ``DATABASE_URL`` when it is set, else their own
    embedded PostgreSQL; migrations and the boot use a scratch database on the
    same kind of server. A service without a database (``database: none``)
    has no migrations and boots on its in-memory repository.

    Args:
        project: The rendered project's directory.
        on_step: Called with each step's name before it runs (progress display).
    """
    result = GateResult(project)
    env = project_environment()

    def record(step: Step) -> bool:
        result.steps.append(step)
        return step.ok

    on_step("uv sync --locked")
    if not record(run_step("sync", ["uv", "sync", "--locked"], project, env)):
        return result
    on_step("just check")
    if not record(run_step("check", ["uv", "run", "just", "check"], project, env)):
        return result
    if answers_of(project).get("database") == "none":
        on_step("boot with just serve")
        record(boot_step(project, env))
        return result
    with postgres_server() as server, scratch_database(server) as database_url:
        database_env = project_environment(**{DATABASE_URL_VARIABLE: database_url})
        on_step("just migrate")
        if not record(migrate_step(project, database_env)):
            return result
        on_step("boot with just serve")
        record(boot_step(project, database_env))
    return result
