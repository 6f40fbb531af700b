"""fastapi-routes-services.md's rules, each on a tree it passes and one it fails."""

from pathlib import Path

from keel.audit import Status
from keel.audit.standards.fastapi_routes_services import STANDARD
from tests.audit.cases import PACKAGE, Case, case_tests, status_of

ROUTER = "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n"
LOGGER = "import logging\n\nlogger = logging.getLogger(__name__)\n\n"
PYPROJECT = '[project]\nname = "svc"\nversion = "0"\n'
LAZY_CLIENT = (
    "import asyncio\n\nimport httpx\n\n"
    "_http_client: httpx.AsyncClient | None = None\n"
    "_client_lock = asyncio.Lock()\n\n"
    "async def _get_http_client() -> httpx.AsyncClient:\n"
    "    global _http_client\n"
    "    async with _client_lock:\n"
    "        if _http_client is None:\n"
    "            _http_client = httpx.AsyncClient(timeout=30.0)\n"
    "        return _http_client\n\n"
    "async def close_http_client() -> None:\n"
    "    if _http_client is not None:\n"
    "        await _http_client.aclose()\n"
)
EXTERNAL_CALL = (
    "import httpx\n\n"
    "class UpstreamError(Exception):\n    pass\n\n"
    "async def fetch(client, url):\n"
    "    try:\n"
    "        response = await client.get(url)\n"
    "        response.raise_for_status()\n"
)
SERVICE_RAISES = (
    "from svc.{module} import StepNotFoundError\n\n"
    "def get(step):\n    raise StepNotFoundError(step)\n"
)
PYDANTIC_MODEL = "from pydantic import BaseModel\n\nclass Item(BaseModel):\n    name: str\n"
DOMAIN_ERROR = "class StepNotFoundError(Exception):\n    pass\n"
LOCKED_CACHE = (
    "import asyncio\n\nfrom cachetools import TTLCache\n\n"
    "_cache = TTLCache(maxsize=100, ttl=300)\n"
    "_cache_lock = asyncio.Lock()\n\n"
    "async def get(key):\n"
)
UPDATE = (
    "async def update(session, repo, item):\n"
    "    await repo.update(item)\n"
    "    await session.commit()\n"
)
UPSERT = (
    "from sqlalchemy.dialects.postgresql import insert as pg_insert\n\n"
    "def upsert(table, values):\n"
    "    stmt = pg_insert(table).values(values)\n"
    '    return stmt.on_conflict_do_update(index_elements=["id"]{set_})\n'
)

CASES: dict[str, Case] = {
    "FRS-API-001": Case(
        passing={
            PACKAGE: "",
            "src/svc/routes/items.py": "from svc.schemas import Item\n",
            "src/svc/schemas.py": PYDANTIC_MODEL,
        },
        failing={
            PACKAGE: "",
            "src/svc/routes/items.py": PYDANTIC_MODEL,
        },
    ),
    "FRS-ARCH-001": Case(
        passing={
            PACKAGE: "",
            "src/svc/api/routes/__init__.py": "",
            "src/svc/services/__init__.py": "",
            "src/svc/repositories/__init__.py": "",
        },
        failing={
            PACKAGE: "",
            "src/svc/api/routes/__init__.py": "",
            "src/svc/services/__init__.py": "",
        },
    ),
    "FRS-ARCH-002": Case(
        passing={
            PACKAGE: "",
            "src/svc/routes/items.py": (
                "from sqlalchemy.exc import SQLAlchemyError\n\n"
                "async def read(service):\n    return await service.read()\n"
            ),
        },
        failing={
            PACKAGE: "",
            "src/svc/routes/items.py": (
                "async def read(session):\n    return await session.execute('select 1')\n"
            ),
        },
    ),
    "FRS-ARCH-004": Case(
        passing={PACKAGE: "", "src/svc/services/items.py": "class ItemService:\n    pass\n"},
        failing={PACKAGE: "", "src/svc/services/items.py": "from fastapi import HTTPException\n"},
    ),
    "FRS-ARCH-005": Case(
        passing={
            PACKAGE: "",
            "src/svc/services/items.py": (
                "from sqlalchemy.ext.asyncio import AsyncSession\n"
                "from svc.repositories.items import ItemRepository\n\n"
                "async def create(session: AsyncSession):\n"
                "    await ItemRepository(session).add()\n"
                "    await session.commit()\n"
            ),
        },
        failing={
            PACKAGE: "",
            "src/svc/services/items.py": (
                "from sqlalchemy import select\n\n"
                "async def read(session):\n    return await session.scalars(select(1))\n"
            ),
        },
    ),
    "FRS-ARCH-007": Case(
        passing={
            PACKAGE: "",
            "src/svc/repositories/items.py": (
                "async def get(session, key):\n    return await session.get(Item, key)\n"
            ),
        },
        failing={
            PACKAGE: "",
            "src/svc/repositories/items.py": (
                "from fastapi import HTTPException\n\n"
                "async def get(session, key):\n    raise HTTPException(404)\n"
            ),
        },
    ),
    "FRS-ARCH-008": Case(
        passing={
            PACKAGE: "",
            "src/svc/repositories/items.py": (
                "async def add(session, item):\n    session.add(item)\n    await session.flush()\n"
            ),
        },
        failing={
            PACKAGE: "",
            "src/svc/repositories/items.py": (
                "async def add(session, item):\n    session.add(item)\n    await session.commit()\n"
            ),
        },
    ),
    "FRS-ARCH-009": Case(
        passing={
            PACKAGE: "",
            "src/svc/services/items.py": (
                f"{LOGGER}async def delete(session, item):\n"
                "    await session.commit()\n"
                "    logger.info('item.deleted', extra={'item_id': item.id})\n"
            ),
        },
        failing={
            PACKAGE: "",
            "src/svc/services/items.py": (
                f"{LOGGER}async def delete(session, item):\n    await session.commit()\n"
            ),
        },
    ),
    "FRS-ERR-001": Case(
        passing={
            PACKAGE: "",
            "src/svc/services/steps.py": SERVICE_RAISES.format(module="exceptions"),
        },
        failing={
            PACKAGE: "",
            "src/svc/services/steps.py": (
                "from fastapi import HTTPException\n\n"
                "def get(step):\n    raise HTTPException(404, 'Not found')\n"
            ),
        },
    ),
    "FRS-ERR-002": Case(
        passing={
            PACKAGE: "",
            "src/svc/exceptions.py": DOMAIN_ERROR,
            "src/svc/services/steps.py": SERVICE_RAISES.format(module="exceptions"),
            "src/svc/routes/steps.py": (
                "from fastapi import HTTPException\n\n"
                "from svc.exceptions import StepNotFoundError\n"
                "from svc.services import steps\n\n"
                "async def read(step_id):\n"
                "    try:\n"
                "        return steps.get(step_id)\n"
                "    except StepNotFoundError as e:\n"
                "        raise HTTPException(status_code=404, detail=str(e)) from e\n"
            ),
        },
        failing={
            PACKAGE: "",
            "src/svc/exceptions.py": DOMAIN_ERROR,
            "src/svc/services/steps.py": SERVICE_RAISES.format(module="exceptions"),
            "src/svc/routes/steps.py": (
                "from svc.services import steps\n\n"
                "async def read(step_id):\n    return steps.get(step_id)\n"
            ),
        },
    ),
    "FRS-ERR-003": Case(
        passing={
            PACKAGE: "",
            "src/svc/exceptions.py": DOMAIN_ERROR,
            "src/svc/services/steps.py": SERVICE_RAISES.format(module="exceptions"),
        },
        failing={
            PACKAGE: "",
            "src/svc/errors.py": DOMAIN_ERROR,
            "src/svc/services/steps.py": SERVICE_RAISES.format(module="errors"),
        },
    ),
    "FRS-ERR-004": Case(
        passing={
            PACKAGE: "",
            "src/svc/client.py": EXTERNAL_CALL
            + (
                "    except httpx.HTTPStatusError as e:\n"
                "        raise UpstreamError('upstream') from e\n"
                "    return response\n"
            ),
        },
        failing={
            PACKAGE: "",
            "src/svc/client.py": EXTERNAL_CALL
            + (
                "    except Exception:\n"
                "        raise UpstreamError('upstream')\n"
                "    return response\n"
            ),
        },
    ),
    "FRS-ERR-005": Case(
        passing={
            PACKAGE: "",
            "src/svc/items.py": (
                'def get(key):\n    """Return the item.\n\n'
                '    Raises:\n        KeyError: no such item.\n    """\n'
                "    raise KeyError(key)\n"
            ),
        },
        failing={
            PACKAGE: "",
            "src/svc/items.py": (
                'def get(key):\n    """Return the item."""\n    raise KeyError(key)\n'
            ),
        },
    ),
    "FRS-LOG-001": Case(
        passing={PACKAGE: "", "src/svc/items.py": f"{LOGGER}def f():\n    logger.info('a.b')\n"},
        failing={
            PACKAGE: "",
            "src/svc/items.py": "import structlog\n\nlogger = structlog.get_logger()\n",
        },
    ),
    "FRS-LOG-002": Case(
        passing={
            PACKAGE: "",
            "src/svc/users.py": (
                f"{LOGGER}def create(user):\n"
                "    logger.info('user.created', extra={'user_id': user.id})\n"
            ),
        },
        failing={
            PACKAGE: "",
            "src/svc/users.py": (
                f"{LOGGER}def create(user):\n    logger.info(f'User {{user.id}} created')\n"
            ),
        },
    ),
    "FRS-LOG-003": Case(
        passing={
            PACKAGE: "",
            "src/svc/users.py": f"{LOGGER}def create():\n    logger.info('user.created')\n",
        },
        failing={
            PACKAGE: "",
            "src/svc/users.py": f"{LOGGER}def create():\n    logger.info('User created')\n",
        },
    ),
    "FRS-LOG-004": Case(
        passing={
            PACKAGE: "",
            "src/svc/jobs.py": (
                f"{LOGGER}def run(job):\n"
                "    try:\n        job()\n"
                "    except ValueError:\n        logger.exception('job.failed')\n"
            ),
        },
        failing={
            PACKAGE: "",
            "src/svc/jobs.py": (
                f"{LOGGER}def run(job):\n"
                "    try:\n        job()\n"
                "    except ValueError:\n        logger.error('job.failed')\n"
            ),
        },
    ),
    "FRS-LOG-006": Case(
        passing={
            PACKAGE: "",
            "src/svc/repositories/items.py": (
                "async def get(session, key):\n    return await session.get(Item, key)\n"
            ),
        },
        failing={
            PACKAGE: "",
            "src/svc/repositories/items.py": (
                f"{LOGGER}async def get(session, key):\n"
                "    logger.info('item.read')\n"
                "    return await session.get(Item, key)\n"
            ),
        },
    ),
    "FRS-HTTP-001": Case(
        passing={PACKAGE: "", "src/svc/clients.py": LAZY_CLIENT},
        failing={
            PACKAGE: "",
            "src/svc/clients.py": (
                "import httpx\n\nasync def fetch(url):\n"
                "    async with httpx.AsyncClient() as client:\n"
                "        return await client.get(url)\n"
            ),
        },
    ),
    "FRS-HTTP-002": Case(
        passing={
            PACKAGE: "",
            "src/svc/clients.py": LAZY_CLIENT,
            "src/svc/main.py": (
                "from svc.clients import close_http_client\n\n"
                "async def lifespan(app):\n    yield\n    await close_http_client()\n"
            ),
        },
        failing={
            PACKAGE: "",
            "src/svc/clients.py": LAZY_CLIENT,
            "src/svc/main.py": "async def lifespan(app):\n    yield\n",
        },
    ),
    "FRS-CACHE-001": Case(
        passing={
            "pyproject.toml": PYPROJECT + 'dependencies = ["cachetools>=5"]\n',
            PACKAGE: "",
            "src/svc/core/cache.py": (
                "from cachetools import TTLCache\n\n_progress = TTLCache(maxsize=100, ttl=300)\n"
            ),
        },
        failing={
            "pyproject.toml": PYPROJECT,
            PACKAGE: "",
            "src/svc/core/cache.py": "class MemoryCache:\n    pass\n",
        },
    ),
    "FRS-CACHE-002": Case(
        passing={"pyproject.toml": PYPROJECT + 'dependencies = ["cachetools>=5"]\n', PACKAGE: ""},
        failing={"pyproject.toml": PYPROJECT + 'dependencies = ["redis>=5"]\n', PACKAGE: ""},
    ),
    "FRS-CACHE-003": Case(
        passing={
            PACKAGE: "",
            "src/svc/core/cache.py": (
                "from cachetools import TTLCache\n\n_progress = TTLCache(maxsize=100, ttl=300)\n"
            ),
        },
        failing={
            PACKAGE: "",
            "src/svc/utils/cache.py": (
                "from cachetools import TTLCache\n\n_progress = TTLCache(maxsize=100, ttl=300)\n"
            ),
        },
    ),
    "FRS-CACHE-004": Case(
        passing={
            PACKAGE: "",
            "src/svc/services/progress.py": LOCKED_CACHE
            + "    async with _cache_lock:\n        return _cache.get(key)\n",
        },
        failing={
            PACKAGE: "",
            "src/svc/services/progress.py": LOCKED_CACHE + "    return _cache.get(key)\n",
        },
    ),
    "FRS-CACHE-005": Case(
        passing={
            PACKAGE: "",
            "src/svc/services/items.py": (
                "from svc.core.cache import invalidate_item_cache\n\n"
                + UPDATE
                + "    invalidate_item_cache(item.id)\n"
            ),
        },
        failing={
            PACKAGE: "",
            "src/svc/services/items.py": "from svc.core.cache import get_cached_item\n\n" + UPDATE,
        },
    ),
    "FRS-ROUTE-001": Case(
        passing={
            PACKAGE: "",
            "src/svc/routes/items.py": (
                f"{ROUTER}@router.post('/items')\n@limiter.limit('30/minute')\n"
                "async def create(request):\n    pass\n"
            ),
        },
        failing={
            PACKAGE: "",
            "src/svc/routes/items.py": (
                f"{ROUTER}@router.post('/items')\nasync def create(request):\n    pass\n"
            ),
        },
    ),
    "FRS-ROUTE-002": Case(
        passing={
            PACKAGE: "",
            "src/svc/routes/items.py": (
                f"{ROUTER}@router.get('/items', summary='List items', "
                "responses={500: {'description': 'Service unavailable'}})\n"
                "async def list_items():\n    pass\n"
            ),
        },
        failing={
            PACKAGE: "",
            "src/svc/routes/items.py": (
                f"{ROUTER}@router.get('/items')\nasync def list_items():\n    pass\n"
            ),
        },
    ),
    "FRS-ROUTE-003": Case(
        passing={
            PACKAGE: "",
            "src/svc/routes/items.py": (
                f"{ROUTER}@router.get('/items/stats')\nasync def stats():\n    pass\n\n"
                "@router.get('/items/{item_id}')\nasync def read(item_id):\n    pass\n"
            ),
        },
        failing={
            PACKAGE: "",
            "src/svc/routes/items.py": (
                f"{ROUTER}@router.get('/items/{{item_id}}')\nasync def read(item_id):\n    pass\n\n"
                "@router.get('/items/stats')\nasync def stats():\n    pass\n"
            ),
        },
    ),
    "FRS-ROUTE-004": Case(
        passing={
            PACKAGE: "",
            "src/svc/routes/items.py": (
                f"{ROUTER}@router.delete('/items/{{item_id}}', status_code=204)\n"
                "async def delete(item_id):\n    pass\n"
            ),
        },
        failing={
            PACKAGE: "",
            "src/svc/routes/items.py": (
                f"{ROUTER}@router.delete('/items/{{item_id}}', status_code=202)\n"
                "async def delete(item_id):\n    pass\n"
            ),
        },
    ),
    "FRS-ROUTE-005": Case(
        passing={
            PACKAGE: "",
            "src/svc/routes/items.py": (
                f"from svc.core.database import DbSession\n{ROUTER}"
                "@router.get('/items')\nasync def list_items(db: DbSession):\n    pass\n"
            ),
        },
        failing={
            PACKAGE: "",
            "src/svc/routes/items.py": (
                f"from fastapi import Depends\n{ROUTER}"
                "@router.get('/items')\n"
                "async def list_items(db: AsyncSession = Depends(get_db)):\n    pass\n"
            ),
        },
    ),
    "FRS-DEP-001": Case(
        passing={"pyproject.toml": PYPROJECT, "uv.lock": "version = 1\n"},
        failing={"pyproject.toml": PYPROJECT, "requirements.txt": "fastapi\n"},
    ),
    "FRS-DEP-002": Case(
        passing={"Justfile": "install:\n    uv sync\n"},
        failing={"Justfile": "install:\n    python -m venv venv\n"},
    ),
    "FRS-DEP-003": Case(
        passing={"Justfile": "test:\n    uv run pytest\n"},
        failing={"Justfile": "test:\n    pytest\n"},
    ),
    "FRS-TEST-001": Case(
        passing={
            "tests/test_llm.py": (
                "from unittest.mock import patch\n\ndef test_answer():\n"
                "    with patch('svc.llm.complete', autospec=True) as complete:\n"
                "        complete.return_value = 'ok'\n"
            ),
        },
        failing={
            "tests/test_llm.py": (
                "from unittest.mock import patch\n\ndef test_answer():\n"
                "    with patch('svc.llm.complete') as complete:\n"
                "        complete.return_value = 'ok'\n"
            ),
        },
    ),
    "FRS-DB-001": Case(
        passing={
            PACKAGE: "",
            "src/svc/repositories/items.py": UPSERT.format(
                set_=', set_={"name": stmt.excluded.name}'
            ),
        },
        failing={PACKAGE: "", "src/svc/repositories/items.py": UPSERT.format(set_="")},
    ),
    "FRS-DB-002": Case(
        passing={
            PACKAGE: "",
            "src/svc/models/item.py": "updated_at = None\n",
            "src/svc/repositories/items.py": UPSERT.format(
                set_=', set_={"name": stmt.excluded.name, "updated_at": func.now()}'
            ),
        },
        failing={
            PACKAGE: "",
            "src/svc/models/item.py": "updated_at = None\n",
            "src/svc/repositories/items.py": UPSERT.format(
                set_=', set_={"name": stmt.excluded.name}'
            ),
        },
    ),
    "FRS-DOC-001": Case(
        passing={
            PACKAGE: "",
            "src/svc/items.py": (
                "async def get(db: AsyncSession, key: str):\n"
                '    """Return the item.\n\n    Args:\n        key: its key.\n    """\n'
            ),
        },
        failing={
            PACKAGE: "",
            "src/svc/items.py": (
                "async def get(db: AsyncSession, key: str):\n"
                '    """Return the item.\n\n    Args:\n'
                '        db: the session.\n        key: its key.\n    """\n'
            ),
        },
    ),
}


test_every_decidable_rule_has_a_case, test_the_rule_passes_and_fails_its_trees = case_tests(
    STANDARD, CASES
)


def test_a_class_that_keeps_its_entries_in_a_ttlcache_is_not_a_hand_made_cache(
    tmp_path: Path,
) -> None:
    tree = {
        "pyproject.toml": PYPROJECT + 'dependencies = ["cachetools>=6"]\n',
        PACKAGE: "",
        "src/svc/core/cache.py": (
            "from cachetools import TTLCache\n\n\n"
            "class MemoryCache:\n"
            "    def __init__(self) -> None:\n"
            "        self._entries = TTLCache(maxsize=10, ttl=60)\n"
        ),
    }

    assert status_of(STANDARD, "FRS-CACHE-001", tree, tmp_path) is Status.PASS


TRANSACTION_UPDATE = (
    "async def update(self, item):\n"
    "    async with self._database.transaction():\n"
    "        await self._items.update(item)\n"
)


def test_a_transaction_block_commits_as_a_commit_call_does(tmp_path: Path) -> None:
    """A service's ``async with database.transaction():`` commits its change too."""
    silent = {PACKAGE: "", "src/svc/services/items.py": f"{LOGGER}{TRANSACTION_UPDATE}"}
    stale = {
        PACKAGE: "",
        "src/svc/services/items.py": "from svc.core.cache import get_cached_item\n\n"
        + TRANSACTION_UPDATE,
    }

    assert status_of(STANDARD, "FRS-ARCH-009", silent, tmp_path / "log") is Status.FAIL
    assert status_of(STANDARD, "FRS-CACHE-005", stale, tmp_path / "cache") is Status.FAIL
