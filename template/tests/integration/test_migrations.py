import asyncio

import pytest
from alembic import command
from sqlalchemy import inspect
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from scripts.local_db import alembic_config, scratch_database

pytestmark = pytest.mark.integration


def table_names(database_url: str) -> set[str]:
    async def read() -> set[str]:
        engine = create_async_engine(database_url)
        try:
            async with engine.connect() as connection:

                def names(sync: Connection) -> set[str]:
                    return set(inspect(sync).get_table_names())

                return await connection.run_sync(names)
        finally:
            await engine.dispose()

    return asyncio.run(read())


def test_migrations_go_down_and_up_again(postgres_url: str) -> None:
    with scratch_database(postgres_url, "test_migrations") as url:
        config = alembic_config(url)

        command.upgrade(config, "head")
        assert "items" in table_names(url)
        command.downgrade(config, "base")
        assert table_names(url) == {"alembic_version"}
        command.upgrade(config, "head")
        assert "items" in table_names(url)
