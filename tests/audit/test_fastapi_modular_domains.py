"""fastapi-modular-domains.md's rules, each on a tree it passes and one it fails."""

from pathlib import Path

import pytest

from keel.audit import Status
from keel.audit.standards.fastapi_modular_domains import STANDARD
from tests.audit.cases import PACKAGE, Case, case_tests, status_of


def pyproject(*dependencies: str, dev: tuple[str, ...] = (), tail: str = "") -> str:
    """A pyproject.toml with these runtime and development dependencies."""
    runtime = ", ".join(f'"{name}"' for name in dependencies)
    development = ", ".join(f'"{name}"' for name in dev)
    return (
        f'[project]\nname = "svc"\nrequires-python = ">=3.12"\ndependencies = [{runtime}]\n\n'
        f"[dependency-groups]\ndev = [{development}]\n\n{tail}"
    )


def routes(body: str) -> str:
    """A router module with ``body`` after its imports and router."""
    return (
        "from typing import Annotated\n"
        "from fastapi import APIRouter, Depends, Query, UploadFile, WebSocket, status\n\n"
        f"router = APIRouter()\n\n{body}"
    )


def app(arguments: str = "", body: str = "") -> str:
    """A main module building ``FastAPI(arguments)``."""
    return f"from fastapi import FastAPI\n\napp = FastAPI({arguments})\n{body}"


def model(table: str, columns: str) -> str:
    """An ORM model of ``table`` with ``columns`` (indented class body lines)."""
    return (
        "from datetime import datetime\n"
        "from sqlalchemy import ForeignKey, MetaData\n"
        "from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship\n\n"
        "class Base(DeclarativeBase):\n    pass\n\n"
        f'class Row(Base):\n    __tablename__ = "{table}"\n'
        f"    id: Mapped[int] = mapped_column(primary_key=True)\n{columns}"
    )


def settings(fields: str) -> str:
    """A settings module with these (indented) fields."""
    return (
        "from pydantic import SecretStr\nfrom pydantic_settings import BaseSettings\n\n"
        f"class Settings(BaseSettings):\n{fields}"
    )


def workflow(*steps: str) -> str:
    """A GitHub workflow running ``steps``."""
    runs = "".join(f"      - run: {step}\n" for step in steps)
    return f"on: push\njobs:\n  ci:\n    runs-on: ubuntu-24.04\n    steps:\n{runs}"


CORE = {
    f"src/svc/core/{name}": ""
    for name in (
        "config.py",
        "logging.py",
        "security.py",
        "openapi.py",
        "models.py",
        "exceptions.py",
    )
}
GET_ROUTE = routes('@router.get("/item")\nasync def item() -> int:\n    return 1\n')
CREATE = '@router.post("/items", status_code=status.HTTP_201_CREATED)\nasync def create('
REVISION = (
    'revision = "1"\ndown_revision = None\n\n'
    'def upgrade() -> None:\n    op.create_table("item")\n\n'
)
CI = ".github/workflows/ci.yml"
PRECOMMIT = ".pre-commit-config.yaml"
LIMIT = "limit: Annotated[int, Query(le=100)] = "
BEARER = 'from fastapi.security import OAuth2PasswordBearer\n\nSCHEME = OAuth2PasswordBearer("t")\n'


def listing(limit: int) -> str:
    """A list route taking ``limit`` (capped at 100, defaulting to ``limit``) and ``offset``."""
    return routes(
        '@router.get("/items")\n'
        f"async def items({LIMIT}{limit}, offset: int = 0) -> list[int]:\n    return []\n"
    )


SQLALCHEMY = pyproject("sqlalchemy[asyncio]>=2.0", "asyncpg")

CASES: dict[str, Case] = {
    # ---------------------------------------------------------------- §2 layout
    "FMD-LAYOUT-001": Case(passing={PACKAGE: ""}, failing={"svc/__init__.py": ""}),
    "FMD-LAYOUT-002": Case(
        passing={PACKAGE: "", "src/svc/main.py": app()},
        failing={PACKAGE: "", "src/svc/main.py": "app = None\n"},
    ),
    "FMD-LAYOUT-003": Case(
        passing={PACKAGE: "", **CORE},
        failing={PACKAGE: "", "src/svc/core/config.py": ""},
    ),
    "FMD-LAYOUT-004": Case(
        passing={
            "pyproject.toml": SQLALCHEMY,
            PACKAGE: "",
            "src/svc/infra/db/base.py": "",
            "src/svc/infra/db/models.py": "",
            "src/svc/infra/db/migrations/env.py": "",
        },
        failing={
            "pyproject.toml": SQLALCHEMY,
            PACKAGE: "",
            "src/svc/infra/db/base.py": "",
            "src/svc/infra/db/models.py": "",
        },
    ),
    "FMD-LAYOUT-005": Case(
        passing={
            PACKAGE: "",
            "src/svc/items/__init__.py": "",
            "src/svc/items/schemas.py": "from pydantic import BaseModel\n\nclass Item(BaseModel):\n"
            "    name: str\n",
        },
        failing={
            PACKAGE: "",
            "src/svc/items/__init__.py": "",
            "src/svc/items/service.py": "from pydantic import BaseModel\n\nclass Item(BaseModel):\n"
            "    name: str\n",
        },
    ),
    "FMD-LAYOUT-006": Case(
        passing={
            PACKAGE: "",
            "src/svc/items/router.py": "from svc.auth import dependencies as auth_dependencies\n",
        },
        failing={
            PACKAGE: "",
            "src/svc/items/router.py": "from svc.auth.dependencies import current_user\n",
        },
    ),
    "FMD-LAYOUT-007": Case(
        passing={
            "requirements/base.txt": "",
            "requirements/dev.txt": "",
            "requirements/prod.txt": "",
        },
        failing={"requirements/base.txt": ""},
    ),
    "FMD-LAYOUT-008": Case(
        passing={".gitignore": "", "pyproject.toml": pyproject(), "logging.ini": ""},
        failing={".gitignore": "", "pyproject.toml": pyproject()},
    ),
    # -------------------------------------------------------------- §3 versions
    "FMD-STACK-001": Case(
        passing={"pyproject.toml": pyproject()},
        failing={"pyproject.toml": pyproject().replace(">=3.12", ">=3.10")},
    ),
    "FMD-STACK-002": Case(
        passing={"pyproject.toml": pyproject("fastapi>=0.115", "uvicorn[standard]>=0.34")},
        failing={"pyproject.toml": pyproject("fastapi>=0.100", "uvicorn")},
    ),
    "FMD-STACK-003": Case(
        passing={"pyproject.toml": pyproject("pydantic>=2.10", "pydantic-settings>=2.7")},
        failing={"pyproject.toml": pyproject("pydantic<2")},
    ),
    "FMD-STACK-004": Case(
        passing={"pyproject.toml": SQLALCHEMY},
        failing={"pyproject.toml": pyproject("sqlalchemy>=1.4", "psycopg2")},
    ),
    "FMD-STACK-005": Case(
        passing={
            "pyproject.toml": pyproject("httpx"),
            PACKAGE: "",
            "src/svc/c.py": "import httpx\n",
        },
        failing={
            "pyproject.toml": pyproject("requests"),
            PACKAGE: "",
            "src/svc/c.py": "import requests\n",
        },
    ),
    "FMD-STACK-006": Case(
        passing={
            "pyproject.toml": pyproject(dev=("ruff", "black", "pyright", "pytest", "pytest-cov"))
        },
        failing={"pyproject.toml": pyproject(dev=("ruff", "pytest"))},
    ),
    "FMD-STACK-007": Case(
        passing={"pyproject.toml": pyproject(dev=("bandit", "pip-audit"))},
        failing={"pyproject.toml": pyproject(dev=("bandit",))},
    ),
    "FMD-STACK-008": Case(
        passing={
            PACKAGE: "",
            "src/svc/router.py": routes(
                '@router.get("/x")\nasync def x(n: Annotated[int, Depends(lambda: 1)]) -> int:\n'
                "    return n\n"
            ),
        },
        failing={PACKAGE: "", "src/svc/router.py": GET_ROUTE},
    ),
    "FMD-TYPE-001": Case(
        passing={"pyproject.toml": pyproject(tail='[tool.pyright]\ntypeCheckingMode = "strict"\n')},
        failing={"pyproject.toml": pyproject(tail='[tool.pyright]\ntypeCheckingMode = "basic"\n')},
    ),
    # --------------------------------------------------------- §4 configuration
    "FMD-CONFIG-001": Case(
        passing={PACKAGE: "", "src/svc/config.py": 'API_KEY_HEADER = "X-API-Key"\n'},
        failing={PACKAGE: "", "src/svc/config.py": 'API_KEY = "sk-live-123456"\n'},
    ),
    "FMD-CONFIG-003": Case(
        passing={PACKAGE: "", "src/svc/config.py": settings("    debug: bool = False\n")},
        failing={
            PACKAGE: "",
            "src/svc/config.py": 'import os\n\nDEBUG = os.environ.get("DEBUG")\n',
        },
    ),
    "FMD-CONFIG-004": Case(
        passing={PACKAGE: "", "src/svc/config.py": settings("    jwt_secret: SecretStr\n")},
        failing={PACKAGE: "", "src/svc/config.py": settings("    jwt_secret: str\n")},
    ),
    # -------------------------------------------------------------- §5 lifespan
    "FMD-APP-001": Case(
        passing={PACKAGE: "", "src/svc/main.py": app("lifespan=lifespan")},
        failing={
            PACKAGE: "",
            "src/svc/main.py": app(
                body='\n@app.on_event("startup")\nasync def start() -> None:\n    pass\n'
            ),
        },
    ),
    "FMD-APP-002": Case(
        passing={
            PACKAGE: "",
            "src/svc/main.py": "import httpx\n"
            + app(
                "lifespan=lifespan",
                "\nasync def lifespan(app: FastAPI):\n"
                "    app.state.http = httpx.AsyncClient()\n"
                "    yield\n"
                "    await app.state.http.aclose()\n",
            ),
        },
        failing={
            PACKAGE: "",
            "src/svc/client.py": "import httpx\n\nasync def fetch() -> int:\n"
            "    async with httpx.AsyncClient() as client:\n"
            '        return (await client.get("https://x")).status_code\n',
        },
    ),
    # ---------------------------------------------------------------- §6 routes
    "FMD-API-001": Case(
        passing={PACKAGE: "", "src/svc/router.py": GET_ROUTE},
        failing={
            PACKAGE: "",
            "src/svc/router.py": routes('@router.get("/item")\nasync def item():\n    return 1\n'),
        },
    ),
    "FMD-API-002": Case(
        passing={
            PACKAGE: "",
            "src/svc/router.py": routes(
                '@router.get("/item", status_code=200, summary="Read", responses={404: {}})\n'
                'async def item() -> int:\n    """Read the item."""\n    return 1\n'
            ),
        },
        failing={PACKAGE: "", "src/svc/router.py": GET_ROUTE},
    ),
    "FMD-API-003": Case(
        passing={
            PACKAGE: "",
            "src/svc/router.py": GET_ROUTE,
            "src/svc/schemas.py": "from pydantic import BaseModel, Field\n\n"
            "class Item(BaseModel):\n"
            '    name: str = Field(examples=["Widget"])\n',
        },
        failing={PACKAGE: "", "src/svc/router.py": GET_ROUTE},
    ),
    # ---------------------------------------------------------------- §7 errors
    "FMD-ERR-001": Case(
        passing={
            PACKAGE: "",
            "src/svc/main.py": app(body='PROBLEM = "application/problem+json"\n'),
        },
        failing={PACKAGE: "", "src/svc/main.py": app()},
    ),
    "FMD-ERR-002": Case(
        passing={PACKAGE: "", "src/svc/main.py": app("exception_handlers=HANDLERS")},
        failing={PACKAGE: "", "src/svc/main.py": app()},
    ),
    "FMD-ERR-003": Case(
        passing={PACKAGE: "", "src/svc/main.py": app()},
        failing={PACKAGE: "", "src/svc/main.py": app("debug=True")},
    ),
    "FMD-ERR-004": Case(
        passing={
            PACKAGE: "",
            "src/svc/schemas.py": "from pydantic import BaseModel, field_validator\n\n"
            "class Item(BaseModel):\n    name: str\n\n"
            '    @field_validator("name")\n    @classmethod\n'
            "    def check(cls, name: str) -> str:\n"
            '        raise ValueError("bad name")\n',
        },
        failing={
            PACKAGE: "",
            "src/svc/schemas.py": "from fastapi import HTTPException\n"
            "from pydantic import BaseModel, field_validator\n\n"
            "class Item(BaseModel):\n    name: str\n\n"
            '    @field_validator("name")\n    @classmethod\n'
            "    def check(cls, name: str) -> str:\n"
            "        raise HTTPException(422)\n",
        },
    ),
    # -------------------------------------------------------------- §8 security
    "FMD-SEC-001": Case(
        passing={
            PACKAGE: "",
            "src/svc/main.py": app(
                body="app.add_middleware(CORSMiddleware, allow_origins=['https://a.example'], "
                "allow_methods=['GET'], allow_headers=['Content-Type'])\n"
            ),
        },
        failing={
            PACKAGE: "",
            "src/svc/main.py": app(
                body="app.add_middleware(CORSMiddleware, allow_origins=['*'], "
                "allow_methods=['GET'], allow_headers=['Content-Type'])\n"
            ),
        },
    ),
    "FMD-SEC-002": Case(
        passing={
            "pyproject.toml": pyproject("pyjwt"),
            PACKAGE: "",
            "src/svc/router.py": "from fastapi.security import OAuth2PasswordBearer\n" + GET_ROUTE,
        },
        failing={"pyproject.toml": pyproject(), PACKAGE: "", "src/svc/router.py": GET_ROUTE},
    ),
    "FMD-SEC-004": Case(
        passing={
            PACKAGE: "",
            "src/svc/main.py": app(
                body='HEADERS = {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", '
                '"Referrer-Policy": "no-referrer", "Strict-Transport-Security": "max-age=1"}\n'
            ),
        },
        failing={PACKAGE: "", "src/svc/main.py": app()},
    ),
    "FMD-SEC-005": Case(
        passing={
            "pyproject.toml": pyproject("argon2-cffi"),
            PACKAGE: "",
            "src/svc/models.py": model("account", "    password_hash: Mapped[str]\n"),
        },
        failing={
            "pyproject.toml": pyproject(),
            PACKAGE: "",
            "src/svc/models.py": model("account", "    password: Mapped[str]\n"),
        },
    ),
    "FMD-SEC-006": Case(
        passing={
            PACKAGE: "",
            "src/svc/repo.py": 'QUERY = text("select * from item where id = :id")\n',
        },
        failing={
            PACKAGE: "",
            "src/svc/repo.py": 'def q(i: str) -> object:\n    return text(f"select {i}")\n',
        },
    ),
    # -------------------------------------------------------------- §9 database
    "FMD-DB-001": Case(
        passing={
            "pyproject.toml": SQLALCHEMY,
            PACKAGE: "",
            "src/svc/items/repository.py": "from sqlalchemy import select\n",
            "src/svc/items/service.py": "from sqlalchemy.ext.asyncio import AsyncSession\n",
        },
        failing={
            "pyproject.toml": SQLALCHEMY,
            PACKAGE: "",
            "src/svc/items/router.py": "from sqlalchemy import select\n",
        },
    ),
    "FMD-DB-002": Case(
        passing={
            "pyproject.toml": SQLALCHEMY,
            PACKAGE: "",
            "src/svc/db.py": "from sqlalchemy.ext.asyncio import create_async_engine\n\n"
            'engine = create_async_engine("postgresql+asyncpg://")\n',
        },
        failing={
            "pyproject.toml": SQLALCHEMY,
            PACKAGE: "",
            "src/svc/db.py": 'from sqlalchemy import create_engine\n\nengine = create_engine("postgresql://")\n',
        },
    ),
    "FMD-DB-003": Case(
        passing={
            "pyproject.toml": pyproject("sqlalchemy>=2", "alembic"),
            "alembic.ini": "",
            "migrations/versions/0001_item.py": REVISION,
            PACKAGE: "",
            "src/svc/models.py": model("item", ""),
        },
        failing={
            "pyproject.toml": pyproject("sqlalchemy>=2", "alembic"),
            "migrations/versions/0001_item.py": REVISION,
            PACKAGE: "",
            "src/svc/models.py": model("item", ""),
        },
    ),
    "FMD-DB-004": Case(
        passing={
            PACKAGE: "",
            "src/svc/models.py": model(
                "post",
                '    owner_id: Mapped[int] = mapped_column(ForeignKey("owner.id"), index=True)\n',
            ),
        },
        failing={
            PACKAGE: "",
            "src/svc/models.py": model("post", "    owner_id: Mapped[int] = mapped_column()\n"),
        },
    ),
    "FMD-DB-005": Case(
        passing={
            PACKAGE: "",
            "src/svc/models.py": model(
                "post", '    tags: Mapped[list[int]] = relationship(lazy="selectin")\n'
            ),
        },
        failing={
            PACKAGE: "",
            "src/svc/models.py": model("post", "    tags: Mapped[list[int]] = relationship()\n"),
        },
    ),
    "FMD-DB-006": Case(
        passing={
            PACKAGE: "",
            "src/svc/models.py": model("post", "")
            + '\nmetadata = MetaData(naming_convention={"ix": "%(column_0_label)s_idx"})\n',
        },
        failing={PACKAGE: "", "src/svc/models.py": model("post", "")},
    ),
    "FMD-DB-007": Case(
        passing={
            PACKAGE: "",
            "src/svc/models.py": model("post_like", "    created_at: Mapped[datetime]\n"),
        },
        failing={
            PACKAGE: "",
            "src/svc/models.py": model("post_likes", "    created: Mapped[datetime]\n"),
        },
    ),
    # ----------------------------------------------------------------- §10 async
    "FMD-ASYNC-001": Case(
        passing={
            PACKAGE: "",
            "src/svc/http.py": "import httpx\n\ndef client() -> httpx.AsyncClient:\n"
            "    return httpx.AsyncClient(timeout=5, limits=httpx.Limits(max_connections=10),\n"
            "        transport=httpx.AsyncHTTPTransport(retries=3))\n",
        },
        failing={
            PACKAGE: "",
            "src/svc/http.py": "import httpx\n\ndef client() -> httpx.AsyncClient:\n"
            "    return httpx.AsyncClient()\n",
        },
    ),
    "FMD-ASYNC-002": Case(
        passing={
            PACKAGE: "",
            "src/svc/db.py": "import asyncio\n"
            "from sqlalchemy.ext.asyncio import create_async_engine\n\n"
            'engine = create_async_engine("u", pool_timeout=5, connect_args={"timeout": 5})\n\n'
            "async def ping() -> None:\n    async with asyncio.timeout(1):\n        pass\n",
        },
        failing={
            PACKAGE: "",
            "src/svc/db.py": "from sqlalchemy.ext.asyncio import create_async_engine\n\n"
            'engine = create_async_engine("u")\n',
        },
    ),
    "FMD-ASYNC-003": Case(
        passing={
            PACKAGE: "",
            "src/svc/client.py": "import asyncio\nimport requests\n\n"
            "async def fetch(url: str) -> object:\n"
            "    return await asyncio.to_thread(requests.get, url)\n",
        },
        failing={
            PACKAGE: "",
            "src/svc/client.py": "import requests\n\nasync def fetch(url: str) -> object:\n"
            "    return requests.get(url)\n",
        },
    ),
    # ----------------------------------------------------------- §11 idempotency
    "FMD-IDEM-001": Case(
        passing={
            PACKAGE: "",
            "src/svc/router.py": routes(
                f"{CREATE}idempotency_key: str | None = None) -> int:\n    return 1\n"
            ),
        },
        failing={PACKAGE: "", "src/svc/router.py": routes(f"{CREATE}) -> int:\n    return 1\n")},
    ),
    "FMD-IDEM-002": Case(
        passing={
            PACKAGE: "",
            "src/svc/router.py": routes(f"{CREATE}) -> int:\n    return 1\n"),
            "src/svc/models.py": model(
                "idempotency_key", "    key: Mapped[str] = mapped_column(primary_key=True)\n"
            ),
        },
        failing={PACKAGE: "", "src/svc/router.py": routes(f"{CREATE}) -> int:\n    return 1\n")},
    ),
    # ------------------------------------------------------------ §12 pagination
    "FMD-PAGE-001": Case(
        passing={
            PACKAGE: "",
            "src/svc/router.py": listing(50),
        },
        failing={
            PACKAGE: "",
            "src/svc/router.py": routes(
                '@router.get("/items")\nasync def items(limit: Annotated[int, Query()] = 50, '
                "offset: int = 0) -> list[int]:\n    return []\n"
            ),
        },
    ),
    "FMD-PAGE-003": Case(
        passing={
            PACKAGE: "",
            "src/svc/repo.py": "from sqlalchemy import select\n\n"
            "QUERY = select(Item).order_by(Item.id).offset(0).limit(10)\n",
        },
        failing={
            PACKAGE: "",
            "src/svc/repo.py": "from sqlalchemy import select\n\n"
            "QUERY = select(Item).offset(0).limit(10)\n",
        },
    ),
    # --------------------------------------------------------------- §13 caching
    "FMD-CACHE-001": Case(
        passing={
            PACKAGE: "",
            "src/svc/router.py": GET_ROUTE + 'HEADERS = ("ETag", "Cache-Control")\n',
        },
        failing={PACKAGE: "", "src/svc/router.py": GET_ROUTE},
    ),
    "FMD-CACHE-002": Case(
        passing={
            "pyproject.toml": pyproject("redis"),
            PACKAGE: "",
            "src/svc/cache.py": "async def put(client, key: str) -> None:\n"
            '    await client.set(key, "v", ex=60)\n    await client.delete(key)\n',
        },
        failing={
            "pyproject.toml": pyproject("redis"),
            PACKAGE: "",
            "src/svc/cache.py": "async def put(client, key: str) -> None:\n"
            '    await client.set(key, "v")\n',
        },
    ),
    # --------------------------------------------------------- §14 observability
    "FMD-LOG-001": Case(
        passing={
            PACKAGE: "",
            "src/svc/logs.py": "import structlog\n\n"
            "RENDERER = structlog.processors.JSONRenderer()\n",
        },
        failing={PACKAGE: "", "src/svc/logs.py": "import logging\n\nlogging.basicConfig()\n"},
    ),
    "FMD-LOG-002": Case(
        passing={PACKAGE: "", "src/svc/main.py": app(body='HEADER = "X-Request-ID"\n')},
        failing={PACKAGE: "", "src/svc/main.py": app()},
    ),
    "FMD-OBS-001": Case(
        passing={
            "pyproject.toml": pyproject("prometheus-client"),
            PACKAGE: "",
            "src/svc/metrics.py": "from prometheus_client import Counter, Histogram\n\n"
            'LATENCY = Histogram("latency", "")\nREQUESTS = Counter("requests", "")\n',
        },
        failing={"pyproject.toml": pyproject(), PACKAGE: ""},
    ),
    "FMD-OBS-002": Case(
        passing={
            "pyproject.toml": pyproject(
                "opentelemetry-sdk", "opentelemetry-instrumentation-fastapi"
            )
        },
        failing={"pyproject.toml": pyproject("opentelemetry-sdk")},
    ),
    # --------------------------------------------------------------- §15 formats
    "FMD-FMT-001": Case(
        passing={
            PACKAGE: "",
            "src/svc/clock.py": "from datetime import UTC, datetime\n\nNOW = datetime.now(UTC)\n",
        },
        failing={
            PACKAGE: "",
            "src/svc/clock.py": "from datetime import datetime\n\nNOW = datetime.utcnow()\n",
        },
    ),
    "FMD-FMT-002": Case(
        passing={
            PACKAGE: "",
            "src/svc/schemas.py": "from decimal import Decimal\n\n"
            "class Item:\n    price: Decimal\n",
        },
        failing={PACKAGE: "", "src/svc/schemas.py": "class Item:\n    price: float\n"},
    ),
    # --------------------------------------------------------------- §16 OpenAPI
    "FMD-DOC-001": Case(
        passing={
            PACKAGE: "",
            "src/svc/router.py": GET_ROUTE + 'api = APIRouter(prefix="/api/v1")\n',
        },
        failing={PACKAGE: "", "src/svc/router.py": GET_ROUTE},
    ),
    "FMD-DOC-003": Case(
        passing={
            PACKAGE: "",
            "src/svc/router.py": GET_ROUTE.replace("APIRouter()", 'APIRouter(tags=["items"])'),
        },
        failing={PACKAGE: "", "src/svc/router.py": GET_ROUTE},
    ),
    "FMD-DOC-004": Case(
        passing={
            CI: workflow("python -m svc.openapi > openapi.json")
            + "      - uses: actions/upload-artifact@v4\n"
        },
        failing={CI: workflow("pytest")},
    ),
    "FMD-DOC-005": Case(
        passing={PACKAGE: "", "src/svc/main.py": app("openapi_url=None")},
        failing={PACKAGE: "", "src/svc/main.py": app()},
    ),
    # --------------------------------------------------------------- §17 testing
    "FMD-TEST-001": Case(
        passing={"tests/unit/test_a.py": "", "tests/integration/test_b.py": ""},
        failing={"tests/unit/test_a.py": ""},
    ),
    "FMD-TEST-002": Case(
        passing={
            "pyproject.toml": pyproject(dev=("schemathesis",)),
            "tests/contract/test_api.py": "",
        },
        failing={"pyproject.toml": pyproject()},
    ),
    "FMD-TEST-003": Case(
        passing={"pyproject.toml": pyproject(dev=("factory-boy",))},
        failing={"pyproject.toml": pyproject()},
    ),
    "FMD-TEST-004": Case(
        passing={"pyproject.toml": pyproject(tail="[tool.coverage.report]\nfail_under = 80\n")},
        failing={"pyproject.toml": pyproject(tail="[tool.coverage.report]\nfail_under = 60\n")},
    ),
    "FMD-TEST-005": Case(
        passing={"tests/test_api.py": "import httpx\n\nCLIENT = httpx.AsyncClient\n"},
        failing={"tests/test_api.py": "from fastapi.testclient import TestClient\n"},
    ),
    # ----------------------------------------------------------- §18 performance
    "FMD-PERF-001": Case(
        passing={
            PACKAGE: "",
            "src/svc/__main__.py": 'import uvicorn\n\nuvicorn.run("svc.main:app", workers=4)\n',
        },
        failing={
            PACKAGE: "",
            "src/svc/__main__.py": 'import uvicorn\n\nuvicorn.run("svc.main:app")\n',
        },
    ),
    "FMD-PERF-002": Case(
        passing={PACKAGE: "", "src/svc/main.py": app(body="app.add_middleware(GZipMiddleware)\n")},
        failing={PACKAGE: "", "src/svc/main.py": app()},
    ),
    "FMD-PERF-004": Case(
        passing={
            PACKAGE: "",
            "src/svc/db.py": 'engine = create_async_engine("u", pool_size=5, max_overflow=10)\n',
        },
        failing={PACKAGE: "", "src/svc/db.py": 'engine = create_async_engine("u")\n'},
    ),
    # ------------------------------------------------------------ §19 background
    "FMD-TASK-002": Case(
        passing={"pyproject.toml": pyproject("fastapi")},
        failing={"pyproject.toml": pyproject("fastapi", "apscheduler")},
    ),
    # ----------------------------------------------------------------- §20 files
    "FMD-FILE-001": Case(
        passing={
            PACKAGE: "",
            "src/svc/router.py": routes(
                '@router.post("/f")\nasync def up(file: UploadFile) -> int:\n'
                "    return len(await file.read(65536))\n"
            ),
        },
        failing={
            PACKAGE: "",
            "src/svc/router.py": routes(
                '@router.post("/f")\nasync def up(file: UploadFile) -> int:\n'
                "    return len(await file.read())\n"
            ),
        },
    ),
    "FMD-FILE-002": Case(
        passing={
            PACKAGE: "",
            "src/svc/files.py": "import tempfile\n\ndef scratch() -> None:\n"
            "    with tempfile.TemporaryDirectory() as directory:\n        print(directory)\n",
        },
        failing={
            PACKAGE: "",
            "src/svc/files.py": "import tempfile\n\nPATH = tempfile.mktemp()\n",
        },
    ),
    "FMD-FILE-003": Case(
        passing={
            PACKAGE: "",
            "src/svc/router.py": routes(
                '@router.websocket("/ws")\n'
                "async def ws(\n"
                "    socket: WebSocket, user: Annotated[int, Depends(lambda: 1)]\n"
                ") -> None:\n"
                "    await socket.accept()\n"
            ),
        },
        failing={
            PACKAGE: "",
            "src/svc/router.py": routes(
                '@router.websocket("/ws")\nasync def ws(socket: WebSocket) -> None:\n'
                "    await socket.accept()\n"
            ),
        },
    ),
    # ----------------------------------------------------------------- §21 CI/CD
    "FMD-FLOW-002": Case(
        passing={PRECOMMIT: "- id: conventional-pre-commit\n", "cliff.toml": ""},
        failing={PRECOMMIT: "- id: conventional-pre-commit\n"},
    ),
    "FMD-FLOW-003": Case(
        passing={PRECOMMIT: "- id: ruff-check\n"},
        failing={PRECOMMIT: "- id: black\n"},
    ),
    "FMD-CI-001": Case(
        passing={
            CI: workflow(
                "docker build -t svc .",
                "docker push svc",
                "alembic upgrade head",
                "pytest --junitxml=report.xml",
            )
        },
        failing={CI: workflow("docker build -t svc .")},
    ),
    "FMD-CI-002": Case(
        passing={
            CI: workflow("ruff check .", "pyright", "pytest --cov", "docker build .", "pip-audit")
        },
        failing={CI: workflow("pytest")},
    ),
    # ---------------------------------------------------------- §22 containers
    "FMD-DOCKER-001": Case(
        passing={"Dockerfile": "FROM python:3.12 AS builder\nFROM python:3.12-slim\n"},
        failing={"Dockerfile": "FROM python:3.12\n"},
    ),
    "FMD-DOCKER-002": Case(
        passing={
            "Dockerfile": "FROM python:3.11 AS builder\nFROM gcr.io/distroless/python3-debian12\n"
        },
        failing={"Dockerfile": "FROM python:3.12 AS builder\nFROM python:3.12-slim\n"},
    ),
    "FMD-DOCKER-003": Case(
        passing={"Dockerfile": "FROM python:3.12-slim\nUSER app\n"},
        failing={"Dockerfile": "FROM python:3.12-slim\n"},
    ),
    "FMD-DOCKER-004": Case(
        passing={
            "Dockerfile": "FROM python:3.12-slim\nHEALTHCHECK CMD curl -f http://localhost/\n"
        },
        failing={"Dockerfile": "FROM python:3.12-slim\n"},
    ),
    "FMD-HEALTH-001": Case(
        passing={
            PACKAGE: "",
            "src/svc/health.py": routes(
                '@router.get("/healthz")\nasync def live() -> int:\n    return 1\n\n'
                '@router.get("/readyz")\nasync def ready() -> int:\n    return 1\n'
            ),
        },
        failing={
            PACKAGE: "",
            "src/svc/health.py": routes(
                '@router.get("/health")\nasync def live() -> int:\n    return 1\n'
            ),
        },
    ),
    "FMD-LOG-003": Case(
        passing={
            PACKAGE: "",
            "src/svc/logs.py": "import logging\n\nHANDLER = logging.StreamHandler()\n",
        },
        failing={
            PACKAGE: "",
            "src/svc/logs.py": 'import logging\n\nHANDLER = logging.FileHandler("a.log")\n',
        },
    ),
    # -------------------------------------------------------------- §23 releases
    "FMD-REL-002": Case(
        passing={
            "migrations/versions/0001.py": REVISION
            + 'def downgrade() -> None:\n    op.drop_table("item")\n'
        },
        failing={"migrations/versions/0001.py": REVISION + "def downgrade() -> None:\n    pass\n"},
    ),
    # ---------------------------------------------------------------- §26 typing
    "FMD-TYPE-002": Case(
        passing={PACKAGE: "", "src/svc/a.py": "def double(n: int) -> int:\n    return 2 * n\n"},
        failing={PACKAGE: "", "src/svc/a.py": "def double(n):\n    return 2 * n\n"},
    ),
    "FMD-TYPE-003": Case(
        passing={PACKAGE: "", "src/svc/a.py": "from __future__ import annotations\n\nN = 1\n"},
        failing={PACKAGE: "", "src/svc/a.py": "N = 1\n"},
    ),
    "FMD-TYPE-004": Case(
        passing={
            PACKAGE: "",
            "src/svc/a.py": "def show(value: object) -> str:\n    return str(value)\n",
        },
        failing={
            PACKAGE: "",
            "src/svc/a.py": "from typing import Any\n\n"
            "def show(value: Any) -> str:\n    return str(value)\n",
        },
    ),
    "FMD-TYPE-005": Case(
        passing={PACKAGE: "", "src/svc/a.py": "N = f()  # type: ignore[misc] - the stubs lack f\n"},
        failing={PACKAGE: "", "src/svc/a.py": "N = f()  # type: ignore\n"},
    ),
    "FMD-TYPE-006": Case(
        passing={PACKAGE: "", "src/svc/a.py": 'def fail() -> None:\n    raise ValueError("no")\n'},
        failing={PACKAGE: "", "src/svc/a.py": 'def fail() -> None:\n    raise Exception("no")\n'},
    ),
    # ----------------------------------------------------- Default Decisions
    "FMD-DEF-001": Case(
        passing={"pyproject.toml": SQLALCHEMY},
        failing={"pyproject.toml": pyproject("sqlalchemy>=2", "aiosqlite")},
    ),
    "FMD-DEF-002": Case(
        passing={
            "pyproject.toml": pyproject("redis"),
            PACKAGE: "",
            "src/svc/config.py": settings("    cache_ttl_seconds: int = 60\n"),
        },
        failing={
            "pyproject.toml": pyproject("redis"),
            PACKAGE: "",
            "src/svc/config.py": settings("    cache_ttl_seconds: int = 10\n"),
        },
    ),
    "FMD-DEF-003": Case(
        passing={
            "pyproject.toml": pyproject("pyjwt"),
            PACKAGE: "",
            "src/svc/config.py": settings(
                "    access_token_minutes: int = 15\n    refresh_token_days: int = 7\n"
            ),
            "src/svc/auth.py": BEARER,
        },
        failing={
            "pyproject.toml": pyproject("pyjwt"),
            PACKAGE: "",
            "src/svc/config.py": settings(
                "    access_token_minutes: int = 60\n    refresh_token_days: int = 7\n"
            ),
            "src/svc/auth.py": BEARER,
        },
    ),
    "FMD-DEF-004": Case(
        passing={
            PACKAGE: "",
            "src/svc/router.py": listing(50),
        },
        failing={
            PACKAGE: "",
            "src/svc/router.py": listing(20),
        },
    ),
}


test_every_decidable_rule_has_a_case, test_the_rule_passes_and_fails_its_trees = case_tests(
    STANDARD, CASES
)


@pytest.mark.parametrize(
    ("closing", "expected"),
    [
        ("    stack.push_async_callback(app.state.http.aclose)\n", Status.PASS),
        ("    stack.push_async_callback(app.state.http.get)\n", Status.FAIL),
    ],
)
def test_a_lifespan_closes_a_client_through_an_exit_stack(
    closing: str, expected: Status, tmp_path: Path
) -> None:
    tree = {
        PACKAGE: "",
        "src/svc/main.py": "import httpx\nfrom contextlib import AsyncExitStack\n"
        + app(
            "lifespan=lifespan",
            "\nasync def lifespan(app: FastAPI):\n"
            "    async with AsyncExitStack() as stack:\n"
            "        app.state.http = httpx.AsyncClient()\n"
            f"    {closing}"
            "        yield\n",
        ),
    }
    assert status_of(STANDARD, "FMD-APP-002", tree, tmp_path) is expected
