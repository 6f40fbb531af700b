"""Shared fixtures: the answer space, a PostgreSQL server, the default project rendered once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from keel import space
from keel.database import psql
from keel.errors import KeelError
from keel.render import DEMO_ANSWERS, render

DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


@pytest.fixture(scope="session")
def template() -> space.Template:
    """copier.yml, parsed."""
    return space.load()


@pytest.fixture(scope="session")
def server_database_url() -> str:
    """The PostgreSQL server of this machine (``DATABASE_URL``, default 127.0.0.1:5432).

    It must answer: a missing server fails the tests that need it, loudly.
    """
    url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    try:
        psql(url, "SELECT 1")
    except KeelError as error:
        pytest.fail(
            f"PostgreSQL is needed at {url} ({error}). Start it, e.g. "
            "`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`, "
            "or point DATABASE_URL at a running server.",
            pytrace=False,
        )
    return url


@pytest.fixture(scope="session")
def default_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default service (org-standard), rendered once per session."""
    return render(DEMO_ANSWERS, tmp_path_factory.mktemp("default") / "demo-service")
