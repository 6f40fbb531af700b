"""litestar-vertical-slice.md's rules, each on a tree it passes and one it fails."""

from keel.audit.standards.litestar_vertical_slice import STANDARD
from tests.audit.cases import PACKAGE, Case, case_tests


def pyproject(*dependencies: str, python: str = ">=3.13") -> str:
    """A pyproject.toml with ``dependencies``."""
    listed = ", ".join(f'"{name}"' for name in dependencies)
    return f'[project]\nname = "svc"\nrequires-python = "{python}"\ndependencies = [{listed}]\n'


# A slice directory and the app module, for the architecture and middleware rules.
SLICE = "src/svc/features/items/create_item"
FEATURES = "src/svc/features/__init__.py"
APP = "src/svc/main.py"

CASES: dict[str, Case] = {
    "LS-STACK-001": Case(
        passing={"pyproject.toml": pyproject(), ".python-version": "3.13\n"},
        failing={"pyproject.toml": pyproject(python=">=3.12")},
    ),
    "LS-STACK-002": Case(
        passing={"uv.lock": "", "Dockerfile": "FROM python:3.13-slim\nRUN pip install uv\n"},
        failing={"uv.lock": "", "Dockerfile": "FROM python:3.13-slim\nRUN pip install .\n"},
    ),
    "LS-STACK-003": Case(
        passing={"pyproject.toml": pyproject("litestar>=2", "granian>=2")},
        failing={"pyproject.toml": pyproject("litestar>=2", "uvicorn")},
    ),
    "LS-STACK-004": Case(
        passing={"pyproject.toml": pyproject("msgspec")},
        failing={"pyproject.toml": pyproject("pydantic")},
    ),
    "LS-STACK-005": Case(
        passing={"pyproject.toml": pyproject("asyncpg", "sqlalchemy")},
        failing={"pyproject.toml": pyproject("psycopg[binary]")},
    ),
    "LS-STACK-006": Case(
        passing={"Dockerfile": "FROM python:3.13 AS build\nFROM python:3.13-slim\n"},
        failing={"Dockerfile": "FROM python:3.13\n"},
    ),
    "LS-DATA-001": Case(
        passing={
            PACKAGE: "",
            "src/svc/ids.py": "from uuid_utils import uuid7\n\ndef new_id():\n    return uuid7()\n",
        },
        failing={
            PACKAGE: "",
            "src/svc/ids.py": "import uuid\n\ndef new_id():\n    return uuid.uuid4()\n",
        },
    ),
    "LS-DATA-002": Case(
        passing={
            PACKAGE: "",
            "src/svc/clock.py": "from datetime import UTC, datetime\n\nnow = datetime.now(UTC)\n",
        },
        failing={
            PACKAGE: "",
            "src/svc/clock.py": "from datetime import datetime\n\nnow = datetime.utcnow()\n",
        },
    ),
    "LS-DATA-003": Case(
        passing={
            PACKAGE: "",
            "src/svc/io.py": "import msgspec\n\nbody = msgspec.json.encode({})\n",
        },
        failing={PACKAGE: "", "src/svc/io.py": "import json\n\nbody = json.dumps({})\n"},
    ),
    "LS-ARCH-001": Case(
        passing={PACKAGE: "", FEATURES: "", f"{SLICE}/router.py": ""},
        failing={PACKAGE: "", "src/svc/services/__init__.py": "", "src/svc/routers.py": ""},
    ),
    "LS-ARCH-002": Case(
        passing={
            PACKAGE: "",
            FEATURES: "",
            "src/svc/features/items/item.py": "",
            f"{SLICE}/router.py": "from ..item import Item\n",
        },
        failing={
            PACKAGE: "",
            FEATURES: "",
            "src/svc/features/items/get_item/router.py": "",
            "src/svc/features/items/get_item/queries.py": "",
            f"{SLICE}/router.py": "from ..get_item.queries import GET_ITEM\n",
        },
    ),
    "LS-ARCH-003": Case(
        passing={PACKAGE: "", FEATURES: "", f"{SLICE}/handler.py": "import asyncpg\n"},
        failing={
            PACKAGE: "",
            FEATURES: "",
            f"{SLICE}/handler.py": "from litestar import Request\n",
        },
    ),
    "LS-ARCH-004": Case(
        passing={
            PACKAGE: "",
            FEATURES: "",
            f"{SLICE}/router.py": "async def create(pool):\n    return await handle(pool)\n",
        },
        failing={
            PACKAGE: "",
            FEATURES: "",
            f"{SLICE}/router.py": "async def create(pool):\n    return await pool.fetchrow('q')\n",
        },
    ),
    "LS-ARCH-005": Case(
        passing={PACKAGE: "", "src/svc/service.py": "class Service:\n    def a(self): ...\n"},
        failing={
            PACKAGE: "",
            "src/svc/service.py": "class Service:\n"
            + "".join(f"    def m{n}(self): ...\n" for n in range(20)),
        },
    ),
    "LS-PERF-001": Case(
        passing={
            PACKAGE: "",
            "src/svc/routes.py": (
                "from litestar import get\n\n"
                "@get('/')\nasync def index(pool):\n    return await pool.fetch('q')\n"
            ),
        },
        failing={
            PACKAGE: "",
            "src/svc/routes.py": (
                "import asyncpg\nfrom litestar import get\n\n"
                "@get('/')\nasync def index():\n"
                "    pool = await asyncpg.create_pool('dsn')\n    return await pool.fetch('q')\n"
            ),
        },
    ),
    "LS-ASYNC-001": Case(
        passing={
            PACKAGE: "",
            "src/svc/auth.py": (
                "import anyio\n\n"
                "async def verify(hasher, hashed, password):\n"
                "    return await anyio.to_thread.run_sync(hasher.verify, hashed, password)\n"
            ),
        },
        failing={
            PACKAGE: "",
            "src/svc/auth.py": (
                "async def verify(hasher, hashed, password):\n"
                "    return hasher.verify(hashed, password)\n"
            ),
        },
    ),
    "LS-PERF-003": Case(
        passing={
            "pyproject.toml": pyproject("asyncpg"),
            PACKAGE: "",
            "src/svc/db.py": "import asyncpg\n\nasync def open_pool():\n"
            "    return await asyncpg.create_pool('dsn')\n",
        },
        failing={
            "pyproject.toml": pyproject("asyncpg"),
            PACKAGE: "",
            "src/svc/db.py": "import asyncpg\n\nasync def connect():\n"
            "    return await asyncpg.connect('dsn')\n",
        },
    ),
    "LS-PERF-004": Case(
        passing={
            PACKAGE: "",
            "src/svc/db.py": "async def open_pool():\n"
            "    return await asyncpg.create_pool('dsn', command_timeout=5)\n",
        },
        failing={
            PACKAGE: "",
            "src/svc/db.py": "async def open_pool():\n"
            "    return await asyncpg.create_pool('dsn')\n",
        },
    ),
    "LS-PERF-005": Case(
        passing={
            PACKAGE: "",
            "src/svc/work.py": "import asyncio\n\nq = asyncio.Queue(maxsize=100)\n",
        },
        failing={PACKAGE: "", "src/svc/work.py": "import asyncio\n\nq = asyncio.Queue()\n"},
    ),
    "LS-SEC-001": Case(
        passing={
            PACKAGE: "",
            f"{SLICE}/schema.py": "class CreateItemRequest(Struct):\n    name: str\n",
        },
        failing={
            PACKAGE: "",
            f"{SLICE}/schema.py": "class CreateItemRequest(Struct):\n"
            "    name: str\n    user_id: UUID\n",
        },
    ),
    "LS-SEC-002": Case(
        passing={
            PACKAGE: "",
            "src/svc/auth.py": "def sign_in(user):\n"
            "    logger.info('signed_in', user=pseudonym(user.email))\n",
        },
        failing={
            PACKAGE: "",
            "src/svc/auth.py": "def sign_in(user, password):\n"
            "    logger.info('signed_in', email=user.email, password=password)\n",
        },
    ),
    "LS-SEC-003": Case(
        passing={
            PACKAGE: "",
            f"{SLICE}/command.py": "",
            f"{SLICE}/router.py": "from litestar import post\n\n"
            "@post('/')\nasync def create(data: CreateItemRequest) -> None: ...\n",
        },
        failing={
            PACKAGE: "",
            f"{SLICE}/router.py": "from litestar import post\n\n"
            "@post('/')\nasync def create(data: CreateItemRequest) -> None: ...\n",
        },
    ),
    "LS-SER-001": Case(
        passing={"pyproject.toml": pyproject("msgspec")},
        failing={"pyproject.toml": pyproject("msgspec", "pydantic-settings")},
    ),
    "LS-SER-002": Case(
        passing={
            PACKAGE: "",
            "src/svc/routes.py": "import msgspec\nfrom litestar import get\n\n"
            "class Item(msgspec.Struct):\n    name: str\n\n"
            "@get('/')\nasync def index() -> Item: ...\n",
        },
        failing={
            PACKAGE: "",
            "src/svc/routes.py": "from dataclasses import dataclass\nfrom litestar import get\n\n"
            "@dataclass\nclass Item:\n    name: str\n\n"
            "@get('/')\nasync def index() -> Item: ...\n",
        },
    ),
    "LS-CODE-001": Case(
        passing={PACKAGE: "", "src/svc/util.py": "def add(item, items=None): ...\n"},
        failing={PACKAGE: "", "src/svc/util.py": "def add(item, items=[]): ...\n"},
    ),
    "LS-CODE-002": Case(
        passing={
            PACKAGE: "",
            "src/svc/util.py": "try:\n    run()\nexcept ValueError:\n    pass\n"
            "try:\n    run()\nexcept Exception:\n    cleanup()\n    raise\n",
        },
        failing={PACKAGE: "", "src/svc/util.py": "try:\n    run()\nexcept:\n    pass\n"},
    ),
    "LS-CODE-003": Case(
        passing={
            PACKAGE: "",
            "src/svc/cache.py": "LIMITS = {'a': 1}\n\ndef limit(key):\n    return LIMITS[key]\n",
        },
        failing={
            PACKAGE: "",
            "src/svc/cache.py": "_cache = {}\n\nasync def create(cmd):\n    _cache[cmd.id] = cmd\n",
        },
    ),
    "LS-CODE-004": Case(
        passing={PACKAGE: "", "src/svc/colors.py": "COLORS = frozenset({'red', 'blue'})\n"},
        failing={PACKAGE: "", "src/svc/colors.py": "COLORS = {'red', 'blue'}\n"},
    ),
    "LS-MEM-001": Case(
        passing={
            PACKAGE: "",
            "src/svc/avatar.py": "class Avatar:\n    __slots__ = ('id',)\n\n"
            "class Error(Exception): ...\n",
        },
        failing={PACKAGE: "", "src/svc/avatar.py": "class Avatar:\n    pass\n"},
    ),
    "LS-TYPE-001": Case(
        passing={
            PACKAGE: "",
            "src/svc/util.py": "class A:\n    def f(self, x: int) -> int:\n        return x\n",
        },
        failing={PACKAGE: "", "src/svc/util.py": "def f(x):\n    return x\n"},
    ),
    "LS-LIFE-001": Case(
        passing={
            PACKAGE: "",
            APP: "from litestar import Litestar\n\n"
            "async def lifespan(app):\n    app.state.pool = await Database.open()\n"
            "    yield\n\n"
            "class Database:\n    async def open(self):\n"
            "        return await asyncpg.create_pool('dsn')\n\n"
            "app = Litestar(lifespan=[lifespan])\n",
        },
        failing={
            PACKAGE: "",
            APP: "from litestar import Litestar\n\n"
            "pool = asyncpg.create_pool('dsn')\napp = Litestar()\n",
        },
    ),
    "LS-ASYNC-002": Case(
        passing={
            PACKAGE: "",
            "src/svc/db.py": "async def get(pool):\n"
            "    async with pool.acquire() as connection:\n"
            "        return await connection.fetch('q')\n",
        },
        failing={
            PACKAGE: "",
            "src/svc/db.py": "async def get(pool):\n    connection = await pool.acquire()\n"
            "    return await connection.fetch('q')\n",
        },
    ),
    "LS-ASYNC-003": Case(
        passing={PACKAGE: "", "src/svc/client.py": "import httpx\nimport redis.asyncio\n"},
        failing={PACKAGE: "", "src/svc/client.py": "import requests\n"},
    ),
    "LS-MW-001": Case(
        passing={PACKAGE: "", APP: "app = Litestar(middleware=[RequestIdMiddleware])\n"},
        failing={PACKAGE: "", APP: "app = Litestar(route_handlers=[])\n"},
    ),
    "LS-MW-002": Case(
        passing={
            PACKAGE: "",
            APP: "def middleware():\n    return [RateLimitConfig(rate_limit=('minute', 60))"
            ".middleware]\n\napp = Litestar(middleware=middleware())\n",
        },
        failing={PACKAGE: "", APP: "app = Litestar(middleware=[RequestIdMiddleware])\n"},
    ),
    "LS-MW-003": Case(
        passing={
            PACKAGE: "",
            "src/svc/routes.py": "from litestar import post\n\n"
            "@post('/', guards=[signed_in])\nasync def create() -> None: ...\n",
        },
        failing={
            PACKAGE: "",
            "src/svc/routes.py": "from litestar import post\n\n"
            "@post('/')\nasync def create() -> None: ...\n",
        },
    ),
    "LS-LOG-001": Case(
        passing={
            "pyproject.toml": pyproject("structlog"),
            PACKAGE: "",
            "src/svc/log.py": "logger.info('item_created', item_id=item_id)\n",
        },
        failing={
            "pyproject.toml": pyproject("structlog"),
            PACKAGE: "",
            "src/svc/log.py": "logger.info(f'created item {item_id}')\n",
        },
    ),
    "LS-DB-001": Case(
        passing={
            PACKAGE: "",
            f"{SLICE}/queries.py": "GET_ITEM = 'SELECT id FROM items WHERE id = $1'\n",
        },
        failing={
            PACKAGE: "",
            f"{SLICE}/handler.py": "async def get(pool):\n"
            "    return await pool.fetch('SELECT id FROM items')\n",
        },
    ),
}


test_every_decidable_rule_has_a_case, test_the_rule_passes_and_fails_its_trees = case_tests(
    STANDARD, CASES
)
