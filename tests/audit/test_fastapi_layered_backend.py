"""fastapi-layered-backend.md's rules, each on a tree it passes and one it fails."""

import json
from pathlib import Path

import pytest

from keel.audit import Status
from keel.audit.standards.fastapi_layered_backend import LAYERED_PACKAGE, ROOT_FILES, STANDARD
from tests.audit.cases import PACKAGE, Case, Tree, case_tests, status_of

SRC = "src/svc/"


def pyproject(
    dependencies: tuple[str, ...] = (),
    dev: tuple[str, ...] = (),
    *,
    python: str = ">=3.13",
    tail: str = "",
) -> str:
    """A pyproject.toml with these dependencies and, after them, ``tail``."""
    text = (
        f'[project]\nname = "svc"\nversion = "0.1.0"\nrequires-python = "{python}"\n'
        f"dependencies = {json.dumps(list(dependencies))}\n"
    )
    if dev:
        text += f"[dependency-groups]\ndev = {json.dumps(list(dev))}\n"
    return text + tail


def package(files: dict[str, str], *dependencies: str, dev: tuple[str, ...] = ()) -> Tree:
    """The package ``src/svc`` with ``files`` (relative to it) and a pyproject.toml."""
    tree = {PACKAGE: "", "pyproject.toml": pyproject(dependencies, dev)}
    tree.update({SRC + name: text for name, text in files.items()})
    return tree


def routes(body: str, *dependencies: str, prefix: str = "") -> Tree:
    """A package whose ``api/routes/items.py`` declares ``router`` and then ``body``."""
    head = "from fastapi import APIRouter\n\n"
    head += f'router = APIRouter(prefix="{prefix}")\n\n'
    return package(
        {"api/routes/__init__.py": "", "api/routes/items.py": head + body}, *dependencies
    )


def settings(body: str, *dependencies: str, extra: dict[str, str] | None = None) -> Tree:
    """A package whose core/config.py defines ``Settings`` with ``body``."""
    text = "from pydantic_settings import BaseSettings\n\n\nclass Settings(BaseSettings):\n"
    tree = package({"core/config.py": text + body}, *dependencies)
    return {**tree, **(extra or {})}


def precommit(hooks: str) -> Tree:
    """A tree with a .pre-commit-config.yaml."""
    return {".pre-commit-config.yaml": hooks}


def workflow(steps: str, **extra: str) -> Tree:
    """A tree with a GitHub workflow whose text is ``steps``."""
    return {".github/workflows/ci.yml": steps, **extra}


DB = "sqlalchemy>=2.0"
JWT = "pyjwt>=2.10"
LOCK = (
    'version = 1\n\n[[package]]\nname = "svc"\nversion = "0.1.0"\nsource = {{ editable = "." }}\n\n'
    '[package.metadata]\nrequires-dist = [{{ name = "fastapi", specifier = "{}" }}]\n'
)
ORM_ITEM = "class Item(Base):\n    __tablename__ = 'items'\n"


def route(decorator: str, signature: str, body: str = "    return None\n") -> str:
    """One endpoint: ``@router.<decorator>`` over ``async def <signature>:``."""
    return f"@router.{decorator}\nasync def {signature}:\n{body}\n\n"


HEALTH = 'router = APIRouter(prefix="/health")\n\n'
PASSING_HEALTH = "from fastapi import APIRouter\n\n" + HEALTH + route('get("")', "live() -> Health")


def health(body: str) -> Tree:
    """A package whose api/routes/health.py holds ``body`` after a /health router."""
    text = "from fastapi import APIRouter\n\n" + HEALTH + body
    return package({"api/routes/__init__.py": "", "api/routes/health.py": text})


def migration(revision: str, down: str | None, body: str) -> str:
    """An Alembic script."""
    return f"revision = {revision!r}\ndown_revision = {down!r}\n\n{body}"


REVERSIBLE = (
    "def upgrade():\n    op.create_table('t')\n\n\ndef downgrade():\n    op.drop_table('t')\n"
)
LOGGING = "core/logging.py"

CASES: dict[str, Case] = {
    # ------------------------------------------------------------ dependencies
    "FLB-DEPS-001": Case(
        passing={"pyproject.toml": pyproject(), "uv.lock": ""},
        failing={"pyproject.toml": pyproject(), "uv.lock": "", "requirements.txt": "fastapi\n"},
    ),
    "FLB-DEPS-003": Case(
        passing={"pyproject.toml": pyproject(dev=("pytest",))},
        failing={
            "pyproject.toml": pyproject(tail='[project.optional-dependencies]\ndev = ["pytest"]\n')
        },
    ),
    "FLB-DEPS-004": Case(
        passing={
            "pyproject.toml": pyproject(("fastapi>=0.115",)),
            "uv.lock": LOCK.format(">=0.115"),
        },
        failing={
            "pyproject.toml": pyproject(("fastapi>=0.115",)),
            "uv.lock": LOCK.format(">=0.100"),
        },
    ),
    "FLB-DEPS-005": Case(
        passing={"pyproject.toml": pyproject(), "uv.lock": "", ".gitignore": ".venv/\n"},
        failing={"pyproject.toml": pyproject(), "uv.lock": "", ".gitignore": "uv.lock\n"},
    ),
    # --------------------------------------------------------------- framework
    "FLB-FW-001": Case(
        passing={"pyproject.toml": pyproject(("fastapi",))},
        failing={"pyproject.toml": pyproject(("fastapi", "flask"))},
    ),
    "FLB-FW-002": Case(
        passing={"pyproject.toml": pyproject(("uvicorn",))},
        failing={"pyproject.toml": pyproject(("granian",))},
    ),
    "FLB-FW-003": Case(
        passing=routes(route('get("/items")', "items() -> int")),
        failing=routes('@router.get("/items")\ndef items() -> int:\n    return 1\n'),
    ),
    "FLB-FW-004": Case(
        passing=package(
            {"main.py": 'app = FastAPI(docs_url="/docs" if DEBUG else None, redoc_url=None)\n'}
        ),
        failing=package({"main.py": "app = FastAPI()\n"}),
    ),
    # ---------------------------------------------------------------- versions
    "FLB-VER-001": Case(
        passing={"pyproject.toml": pyproject()},
        failing={"pyproject.toml": pyproject(python=">=3.12")},
    ),
    "FLB-VER-003": Case(
        passing={"pyproject.toml": pyproject(("pydantic>=2.10",))},
        failing={"pyproject.toml": pyproject(("pydantic>=1.10",))},
    ),
    "FLB-VER-004": Case(
        passing=package({"db.py": "engine = create_async_engine(URL)\n"}, "sqlalchemy>=2.0"),
        failing=package({"db.py": "engine = create_async_engine(URL)\n"}, "sqlalchemy>=1.4"),
    ),
    "FLB-VER-006": Case(passing={"CHANGELOG.md": "# Changelog\n"}, failing={"README.md": ""}),
    # ------------------------------------------------------------------ layout
    "FLB-LAYOUT-001": Case(
        passing=package(dict.fromkeys(LAYERED_PACKAGE, "")),
        failing=package({"main.py": ""}),
    ),
    "FLB-LAYOUT-002": Case(
        passing={
            "pyproject.toml": pyproject((DB,)),
            "alembic.ini": "",
            "alembic/versions/a.py": "",
        },
        failing={
            "pyproject.toml": pyproject((DB,)),
            "alembic.ini": "",
            "migrations/versions/a.py": "",
        },
    ),
    "FLB-LAYOUT-003": Case(
        passing={("docs/index.md" if name == "docs" else name): "" for name in ROOT_FILES},
        failing={"pyproject.toml": "", "README.md": ""},
    ),
    # ------------------------------------------------------------------ layers
    "FLB-LAYER-001": Case(
        passing=routes("from svc.services.items import ItemService\n"),
        failing=routes("from sqlalchemy import select\n"),
    ),
    "FLB-LAYER-003": Case(
        passing=package({"services/items.py": "import logging\n"}),
        failing=package({"services/items.py": "from fastapi import HTTPException\n"}),
    ),
    "FLB-LAYER-004": Case(
        passing=package({"services/items.py": "class ItemService:\n    pass\n"}),
        failing=package({"services/items.py": "def create_item():\n    pass\n"}),
    ),
    "FLB-LAYER-006": Case(
        passing=package({"repositories/items.py": "async def add(s):\n    await s.flush()\n"}, DB),
        failing=package({"repositories/items.py": "async def add(s):\n    await s.commit()\n"}, DB),
    ),
    "FLB-LAYER-007": Case(
        passing=routes(route('get("/items")', "items(service: ItemServiceDep) -> int")),
        failing=routes(
            route('get("/items")', "items() -> int", "    return ItemService().count()\n")
        ),
    ),
    "FLB-LAYER-008": Case(
        passing=package({"services/items.py": "from svc.repositories.items import Repo\n"}),
        failing=package({"repositories/items.py": "from svc.services.items import Service\n"}),
    ),
    "FLB-LAYER-009": Case(
        passing=package(
            {
                "services/items.py": "x = 1\n",
                "repositories/items.py": "from sqlalchemy import select\n",
            },
            DB,
        ),
        failing=package({"services/items.py": "from sqlalchemy import select\n"}, DB),
    ),
    "FLB-LAYER-011": Case(
        passing=package({"repositories/items.py": "class Repo:\n    async def get(self): ...\n"}),
        failing=package({"repositories/items.py": "class Repo:\n    def get(self): ...\n"}),
    ),
    "FLB-LAYER-012": Case(
        passing=package({"repositories/base.py": "class Repository[T]:\n    pass\n"}, DB),
        failing=package({"repositories/base.py": "class Repository:\n    pass\n"}, DB),
    ),
    "FLB-LAYER-014": Case(
        passing=package(
            {
                "models/item.py": ORM_ITEM,
                "repositories/items.py": "class Repo:\n    async def get(self) -> ItemRead: ...\n",
            }
        ),
        failing=package(
            {
                "models/item.py": ORM_ITEM,
                "repositories/items.py": "class Repo:\n    async def get(self) -> Item: ...\n",
            }
        ),
    ),
    # ----------------------------------------------------------------- schemas
    "FLB-SCHEMA-001": Case(
        passing=routes(route('get("/items")', "items() -> Page")),
        failing=routes(
            route('post("/items")', "create(request)", "    return await request.json()\n")
        ),
    ),
    "FLB-SCHEMA-002": Case(
        passing=package(
            {
                "schemas/item.py": "class ItemCreate(BaseModel): ...\n"
                "class ItemUpdate(BaseModel): ...\nclass ItemRead(BaseModel): ...\n"
            }
        ),
        failing=package({"schemas/item.py": "class ItemCreate(BaseModel): ...\n"}),
    ),
    "FLB-SCHEMA-004": Case(
        passing=package(
            {
                "models/item.py": ORM_ITEM,
                "schemas/item.py": "class ItemRead(BaseModel):\n"
                "    model_config = ConfigDict(from_attributes=True)\n",
            }
        ),
        failing=package(
            {
                "models/item.py": ORM_ITEM,
                "schemas/item.py": "class ItemRead(BaseModel):\n    id: int\n",
            }
        ),
    ),
    "FLB-SCHEMA-005": Case(
        passing=package({"schemas/item.py": "from pydantic import BaseModel, field_validator\n"}),
        failing=package({"schemas/item.py": "from pydantic import BaseModel, validator\n"}),
    ),
    "FLB-SCHEMA-006": Case(
        passing=package(
            {
                "schemas/item.py": "class ItemBase(BaseModel):\n    name: str\n    note: str\n\n"
                "class ItemCreate(ItemBase):\n    pass\n\n"
                "class ItemRead(ItemBase):\n    id: int\n"
            }
        ),
        failing=package(
            {
                "schemas/item.py": "class ItemCreate(BaseModel):\n    name: str\n    note: str\n\n"
                "class ItemRead(BaseModel):\n    name: str\n    note: str\n"
            }
        ),
    ),
    # ---------------------------------------------------------------- database
    "FLB-DB-001": Case(
        passing=package({"models/item.py": "name: Mapped[str] = mapped_column()\n"}, DB),
        failing=package({"models/item.py": "name = Column(String)\n"}, DB),
    ),
    "FLB-DB-002": Case(
        passing=package({"models/item.py": ORM_ITEM}),
        failing=package({"services/item.py": ORM_ITEM}),
    ),
    "FLB-DB-004": Case(
        passing={**package({}, DB, "alembic"), "alembic.ini": ""},
        failing=package({"main.py": "Base.metadata.create_all(engine)\n"}, DB),
    ),
    "FLB-DB-006": Case(
        passing=package(
            {
                "core/database.py": "factory = async_sessionmaker(engine)\n\n\n"
                "async def session():\n    async with factory() as s:\n        yield s\n"
            },
            DB,
        ),
        failing=package({"core/database.py": "factory = sessionmaker(engine)\n"}, DB),
    ),
    "FLB-DB-007": Case(
        passing=package(
            {"core/database.py": "e = create_async_engine(url, pool_size=5, max_overflow=10)\n"}, DB
        ),
        failing=package({"core/database.py": "e = create_async_engine(url)\n"}, DB),
    ),
    "FLB-DB-008": Case(
        passing=package(
            {
                "models/item.py": "class Item(Base):\n"
                "    owner_id = mapped_column(ForeignKey('users.id'), index=True)\n"
                "    owner = relationship()\n"
            },
            DB,
        ),
        failing=package(
            {
                "models/item.py": "class Item(Base):\n"
                "    owner_id = mapped_column(ForeignKey('u.id'))\n"
            },
            DB,
        ),
    ),
    "FLB-DB-009": Case(
        passing=package(
            {"models/item.py": "o = mapped_column(ForeignKey('u.id'), index=True)\n"}, DB
        ),
        failing=package({"models/item.py": "o = mapped_column(ForeignKey('u.id'))\n"}, DB),
    ),
    "FLB-DB-010": Case(
        passing=package({"models/item.py": "at = mapped_column(DateTime(timezone=True))\n"}),
        failing=package({"models/item.py": "at = mapped_column(DateTime())\n"}),
    ),
    "FLB-DB-011": Case(
        passing=package(
            {"models/item.py": ORM_ITEM + "\n    def __repr__(self) -> str:\n        return 'i'\n"}
        ),
        failing=package({"models/item.py": ORM_ITEM}),
    ),
    "FLB-DB-012": Case(
        passing=package(
            {
                "models/item.py": "owner = relationship()\n",
                "repositories/items.py": "q = select(Item).options(selectinload(Item.owner))\n",
            },
            DB,
        ),
        failing=package({"models/item.py": "owner = relationship()\n"}, DB),
    ),
    # -------------------------------------------------------------- migrations
    "FLB-MIG-001": Case(
        passing={"migrations/env.py": "target_metadata = Base.metadata\n"},
        failing={"migrations/env.py": "target_metadata = None\n"},
    ),
    "FLB-MIG-004": Case(
        passing={"migrations/versions/a.py": migration("a", None, REVERSIBLE)},
        failing={
            "migrations/versions/a.py": migration(
                "a",
                None,
                "def upgrade():\n    op.create_table('t')\n\n\ndef downgrade():\n    pass\n",
            )
        },
    ),
    "FLB-MIG-005": Case(
        passing={
            "alembic/versions/a.py": migration("a", None, REVERSIBLE),
            "alembic/versions/b.py": migration("b", "a", REVERSIBLE),
        },
        failing={"alembic/versions/b.py": migration("b", "a", REVERSIBLE)},
    ),
    "FLB-MIG-007": Case(
        passing={"alembic/versions/a.py": migration("a", None, REVERSIBLE)},
        failing={
            "alembic/versions/a.py": migration(
                "a",
                None,
                REVERSIBLE + "\n\ndef seed():\n    op.execute('INSERT INTO t VALUES (1)')\n",
            )
        },
    ),
    # ----------------------------------------------------------- configuration
    "FLB-CONFIG-001": Case(
        passing=settings("    debug: bool = False\n", "pydantic-settings"),
        failing=package(
            {"config.py": "class Settings(BaseSettings):\n    debug: bool = False\n"},
            "pydantic-settings",
        ),
    ),
    "FLB-CONFIG-002": Case(
        passing=settings("    model_config = SettingsConfigDict(env_file='.env')\n"),
        failing=settings("    model_config = SettingsConfigDict(frozen=True)\n"),
    ),
    "FLB-CONFIG-003": Case(
        passing=settings("    debug: bool = False\n"),
        failing=settings("    debug = False\n"),
    ),
    "FLB-CONFIG-005": Case(
        passing=package({"core/config.py": "import os\n\nDEBUG = os.getenv('DEBUG')\n"}),
        failing=package({"main.py": "import os\n\nDEBUG = os.getenv('DEBUG')\n"}),
    ),
    "FLB-CONFIG-006": Case(
        passing={".env.example": "# Serve the API docs\nDEBUG=false\n"},
        failing={".env.example": "DEBUG=\n"},
    ),
    "FLB-CONFIG-007": Case(
        passing=settings("    debug: bool = False\n", extra={".env.example": "DEBUG=false\n"}),
        failing=settings("    debug: bool = False\n", extra={".env.example": "PORT=8000\n"}),
    ),
    "FLB-CONFIG-008": Case(
        passing=settings(
            '    environment: Literal["development", "staging", "production"] = "development"\n'
        ),
        failing=settings('    environment: str = "development"\n'),
    ),
    "FLB-CONFIG-009": Case(
        passing={
            **settings("    database: Database\n"),
            SRC + "core/groups.py": "class Database(BaseModel):\n    url: str\n",
        },
        failing=settings("    database_url: str\n"),
    ),
    "FLB-CONFIG-010": Case(
        passing={".env.example": "DEBUG=false\n"}, failing={".env.example": "debug=false\n"}
    ),
    # ----------------------------------------------------------------- logging
    "FLB-LOG-001": Case(
        passing=package({"main.py": "import logging\n"}),
        failing=package({"main.py": "import logging\nimport structlog\n"}),
    ),
    "FLB-LOG-002": Case(
        passing=package({LOGGING: "root.handlers = [console]\n"}),
        failing=package({LOGGING: "LEVEL = 'INFO'\n"}),
    ),
    "FLB-LOG-003": Case(
        passing=package(
            {
                LOGGING: "class JsonFormatter: ...\nclass ConsoleFormatter: ...\n"
                "class FileFormatter: ...\n"
            }
        ),
        failing=package({LOGGING: "class JsonFormatter: ...\nclass ConsoleFormatter: ...\n"}),
    ),
    "FLB-LOG-004": Case(
        passing=package(
            {LOGGING: "h = RotatingFileHandler('a', maxBytes=10 * 1024 * 1024, backupCount=5)\n"}
        ),
        failing=package(
            {LOGGING: "h = RotatingFileHandler('a', maxBytes=10 * 1024 * 1024, backupCount=3)\n"}
        ),
    ),
    "FLB-LOG-005": Case(
        passing=package({LOGGING: "FILES = ('app.log', 'error.log')\n"}),
        failing=package({LOGGING: "FILES = ('app.log',)\n"}),
    ),
    "FLB-LOG-007": Case(
        passing=package(
            {LOGGING: "F = '%(asctime)s %(name)s %(levelname)s %(funcName)s %(lineno)d'\n"}
        ),
        failing=package({LOGGING: "F = '%(asctime)s %(name)s %(levelname)s %(message)s'\n"}),
    ),
    "FLB-LOG-008": Case(
        passing=package({"main.py": "logger.info('signed_in', extra={'user': user_id})\n"}),
        failing=package({"main.py": "logger.info('signed_in', extra={'password': password})\n"}),
    ),
    "FLB-LOG-009": Case(
        passing=package({"main.py": "logger = logging.getLogger(__name__)\n"}),
        failing=package({"main.py": "logger = logging.getLogger('access')\n"}),
    ),
    "FLB-LOG-011": Case(
        passing=package(
            {
                "main.py": "try:\n    run()\nexcept ValueError:\n"
                "    logger.error('x', exc_info=True)\n"
            }
        ),
        failing=package(
            {"main.py": "try:\n    run()\nexcept ValueError:\n    logger.error('x')\n"}
        ),
    ),
    "FLB-LOG-014": Case(
        passing=package(
            {"repositories/items.py": "async def get():\n    logger.debug('items.get')\n"}, DB
        ),
        failing=package({"repositories/items.py": "async def get():\n    return None\n"}, DB),
    ),
    "FLB-LOG-015": Case(
        passing=package(
            {
                LOGGING: "class Context(logging.Filter):\n"
                "    def filter(self, r):\n        r.request_id = 1\n"
            }
        ),
        failing=package({LOGGING: "LEVEL = 'INFO'\n"}),
    ),
    # ------------------------------------------------------------------ errors
    "FLB-ERR-001": Case(
        passing=package(
            {
                "exceptions.py": "class AppError(Exception): ...\n"
                "class NotFoundError(AppError): ...\n"
            }
        ),
        failing=package(
            {
                "core/errors.py": "class AppError(Exception): ...\n"
                "class NotFoundError(AppError): ...\n"
            }
        ),
    ),
    "FLB-ERR-002": Case(
        passing=package(
            {
                "exceptions.py": "class NotFoundError(Exception): ...\n"
                "class UnauthorizedError(Exception): ...\nclass ForbiddenError(Exception): ...\n"
                "class BadRequestError(Exception): ...\nclass ValidationError(Exception): ...\n"
            }
        ),
        failing=package({"exceptions.py": "class NotFoundError(Exception): ...\n"}),
    ),
    "FLB-ERR-003": Case(
        passing=package({"exceptions.py": "class AppError(Exception):\n    code = 'internal'\n"}),
        failing=package({"exceptions.py": "class AppError(Exception):\n    status = 500\n"}),
    ),
    "FLB-ERR-004": Case(
        passing=package(
            {
                "exceptions.py": "class AppError(Exception): ...\n",
                "main.py": "H = {AppError: handle}\n",
            }
        ),
        failing=package({"exceptions.py": "class AppError(Exception): ...\n"}),
    ),
    "FLB-ERR-005": Case(
        passing=package({"main.py": "H = {Exception: unexpected}\n"}),
        failing=package({"main.py": "H = {ValueError: invalid}\n"}),
    ),
    "FLB-ERR-007": Case(
        passing=package(
            {
                "main.py": "async def unexpected(request, error: Exception):\n"
                "    logger.error('x', exc_info=error)\n    return {'detail': 'internal error'}\n"
            }
        ),
        failing=package(
            {
                "main.py": "async def unexpected(request, error: Exception):\n"
                "    return {'detail': str(error)}\n"
            }
        ),
    ),
    "FLB-ERR-008": Case(
        passing=package({"main.py": "BODY = {'code': 'not_found', 'message': 'No such item'}\n"}),
        failing=package({"main.py": "BODY = {'error': 'No such item'}\n"}),
    ),
    "FLB-ERR-009": Case(
        passing=package({"main.py": "H = {RequestValidationError: invalid}\n"}),
        failing=package({"main.py": "H = {}\n"}),
    ),
    "FLB-ERR-010": Case(
        passing=package({"main.py": "try:\n    run()\nexcept SQLAlchemyError:\n    raise\n"}, DB),
        failing=package({"main.py": "run()\n"}, DB),
    ),
}
CASES |= {
    # ---------------------------------------------------------------- security
    "FLB-SEC-001": Case(
        passing=package({"main.py": "from fastapi.security import OAuth2PasswordBearer\n"}, JWT),
        failing=package({"main.py": "x = 1\n"}, "authlib"),
    ),
    "FLB-SEC-002": Case(
        passing={"pyproject.toml": pyproject((JWT, "passlib[bcrypt]"))},
        failing={"pyproject.toml": pyproject((JWT, "argon2-cffi"))},
    ),
    "FLB-SEC-003": Case(
        passing=package({"models/user.py": ORM_ITEM + "    password_hash: Mapped[str]\n"}),
        failing=package({"models/user.py": ORM_ITEM + "    password: Mapped[str]\n"}),
    ),
    "FLB-SEC-004": Case(
        passing=routes(route('post("/refresh")', "refresh() -> Tokens"), JWT),
        failing=routes(route('post("/token")', "token() -> Tokens"), JWT),
    ),
    "FLB-SEC-005": Case(
        passing=settings(
            "    access_token_minutes: int = 30\n    refresh_token_days: int = 7\n", JWT
        ),
        failing=settings(
            "    access_token_minutes: int = 15\n    refresh_token_days: int = 7\n", JWT
        ),
    ),
    "FLB-SEC-006": Case(
        passing=package({"api/deps.py": "Principal = Annotated[P, Depends(get_principal)]\n"}, JWT),
        failing=package({"api/deps.py": "Session = Annotated[S, Depends(get_session)]\n"}, JWT),
    ),
    "FLB-SEC-008": Case(
        passing=package(
            {
                "models/token.py": "class RefreshToken(Base):\n"
                "    __tablename__ = 'refresh_tokens'\n"
            },
            JWT,
        ),
        failing=package(
            {"models/user.py": "class User(Base):\n    __tablename__ = 'users'\n"}, JWT
        ),
    ),
    "FLB-SEC-009": Case(
        passing=package({"api/deps.py": "scheme = OAuth2PasswordBearer(tokenUrl='/token')\n"}, JWT),
        failing=package({"api/deps.py": "scheme = None\n"}, JWT),
    ),
    "FLB-SEC-010": Case(
        passing=package(
            {"main.py": "app.add_middleware(CORSMiddleware, allow_origins=['https://a.example'])\n"}
        ),
        failing=package({"main.py": "app.add_middleware(CORSMiddleware, allow_origins=['*'])\n"}),
    ),
    "FLB-SEC-011": Case(
        passing=package({"main.py": "HSTS = 'Strict-Transport-Security'\n"}),
        failing=package({"main.py": "HEADERS = {}\n"}),
    ),
    "FLB-SEC-012": Case(
        passing={"pyproject.toml": pyproject(("slowapi",))},
        failing={"pyproject.toml": pyproject()},
    ),
    "FLB-SEC-014": Case(
        passing=package({"repositories/r.py": "q = text('SELECT 1')\n"}, DB),
        failing=package({"repositories/r.py": "q = text(f'SELECT {column}')\n"}, DB),
    ),
    "FLB-SEC-015": Case(
        passing=package({"main.py": "max_request_body_bytes = 1_048_576\n"}),
        failing=package({"main.py": "x = 1\n"}),
    ),
    "FLB-SEC-016": Case(
        passing=package({"main.py": "H = ('Content-Security-Policy', 'X-Frame-Options')\n"}),
        failing=package({"main.py": "H = ('X-Frame-Options',)\n"}),
    ),
    "FLB-SEC-017": Case(
        passing=package(
            {
                "api/upload.py": "async def up(file: UploadFile) -> None:\n"
                "    check(file.content_type, file.size)\n"
            }
        ),
        failing=package(
            {"api/upload.py": "async def up(file: UploadFile) -> None:\n    save(file)\n"}
        ),
    ),
    "FLB-SEC-018": Case(
        passing=settings("    api_key: SecretStr\n"),
        failing=settings("    api_key: str\n"),
    ),
    "FLB-SEC-020": Case(
        passing=package({"main.py": "response.set_cookie('s', v)\ncheck_csrf(request)\n"}),
        failing=package({"main.py": "response.set_cookie('s', v)\n"}),
    ),
    "FLB-SEC-021": Case(
        passing=package(
            {"main.py": "response.set_cookie('s', v, httponly=True, secure=True, samesite='lax')\n"}
        ),
        failing=package({"main.py": "response.set_cookie('s', v)\n"}),
    ),
    "FLB-SEC-022": Case(
        passing=precommit("repos:\n  - hooks:\n      - id: detect-secrets\n"),
        failing=precommit("repos:\n  - hooks:\n      - id: ruff\n"),
    ),
    "FLB-SEC-024": Case(
        passing=package({"schemas/user.py": "class UserRead(BaseModel):\n    name: str\n"}),
        failing=package(
            {"schemas/user.py": "class UserRead(BaseModel):\n    password_hash: str\n"}
        ),
    ),
    "FLB-SEC-026": Case(
        passing={"Dockerfile": "FROM python:3.13-slim\nUSER 10001\n"},
        failing={"Dockerfile": "FROM python:3.13-slim\n"},
    ),
    # --------------------------------------------------------------------- API
    "FLB-API-002": Case(
        passing=routes(route('get("")', "items() -> Page"), prefix="/items"),
        failing=routes(route('get("")', "item() -> Page"), prefix="/item"),
    ),
    "FLB-API-005": Case(
        passing=routes(route('delete("/items/{i}", status_code=204)', "delete(i: int) -> None")),
        failing=routes(route('delete("/items/{i}")', "delete(i: int) -> None")),
    ),
    "FLB-API-007": Case(
        passing={
            **routes(route('get("/items")', "items() -> Page")),
            SRC + "schemas/page.py": "class Page(BaseModel):\n    data: list\n    total: int\n"
            "    page: int\n    per_page: int\n    total_pages: int\n",
        },
        failing=routes(route('get("/items")', "items() -> list[Item]")),
    ),
    "FLB-API-008": Case(
        passing=package({"main.py": "stamp = moment.isoformat()\n"}),
        failing=package({"main.py": "stamp = moment.strftime('%d/%m/%Y')\n"}),
    ),
    "FLB-API-009": Case(
        passing=package({"schemas/item.py": "class ItemRead(BaseModel):\n    item_name: str\n"}),
        failing=package({"schemas/item.py": "class ItemRead(BaseModel):\n    itemName: str\n"}),
    ),
    "FLB-API-011": Case(
        passing=routes(route('post("/items", status_code=201)', "create() -> ItemRead")),
        failing=routes(route('post("/items", status_code=201)', "create() -> None")),
    ),
    "FLB-API-012": Case(
        passing={
            **routes(route('patch("/items/{i}")', "update(i: int, body: ItemUpdate) -> ItemRead")),
            SRC + "schemas/item.py": "class ItemUpdate(BaseModel):\n    name: str | None = None\n",
        },
        failing={
            **routes(route('patch("/items/{i}")', "update(i: int, body: ItemUpdate) -> ItemRead")),
            SRC + "schemas/item.py": "class ItemUpdate(BaseModel):\n    name: str\n",
        },
    ),
    "FLB-API-013": Case(
        passing=routes(route('get("")', "items() -> Page"), prefix="/api/v1/items"),
        failing=routes(route('get("")', "items() -> Page"), prefix="/items"),
    ),
    "FLB-API-016": Case(
        passing=package({"main.py": "V = ('/api/v1', '/api/v2')\nHEADER = 'Deprecation'\n"}),
        failing=package({"main.py": "V = ('/api/v1', '/api/v2')\n"}),
    ),
    "FLB-API-019": Case(
        passing=routes(
            route('post("/items", status_code=201)', "create(idempotency_key: str) -> ItemRead")
        ),
        failing=routes(route('post("/items", status_code=201)', "create() -> ItemRead")),
    ),
    "FLB-API-021": Case(
        passing=package({"main.py": "app.add_middleware(GZipMiddleware)\n"}),
        failing=package({"main.py": "app = None\n"}),
    ),
    # ------------------------------------------------------------------- tests
    "FLB-TEST-001": Case(
        passing={
            "pyproject.toml": pyproject(dev=("pytest",)),
            "tests/test_items.py": "def test_items_listed_newest_first(): ...\n",
        },
        failing={
            "pyproject.toml": pyproject(dev=("pytest",)),
            "tests/test_items.py": "class ItemTests(unittest.TestCase): ...\n",
        },
    ),
    "FLB-TEST-002": Case(
        passing={
            "pyproject.toml": pyproject(dev=("pytest-asyncio",)),
            "tests/test_items.py": "async def test_items_listed_newest_first(): ...\n",
        },
        failing={
            "pyproject.toml": pyproject(dev=("pytest",)),
            "tests/test_items.py": "async def test_items_listed_newest_first(): ...\n",
        },
    ),
    "FLB-TEST-003": Case(
        passing={
            "pyproject.toml": pyproject(
                dev=("pytest-cov",), tail="[tool.coverage.report]\nfail_under = 80\n"
            )
        },
        failing={
            "pyproject.toml": pyproject(
                dev=("pytest-cov",), tail="[tool.coverage.report]\nfail_under = 50\n"
            )
        },
    ),
    "FLB-TEST-004": Case(
        passing={"tests/conftest.py": "@pytest.fixture\ndef item():\n    return 1\n"},
        failing={"tests/conftest.py": "ITEM = 1\n"},
    ),
    "FLB-TEST-006": Case(
        passing={"tests/test_api.py": "from fastapi.testclient import TestClient\n"},
        failing={"tests/test_api.py": "from httpx import AsyncClient\n"},
    ),
    "FLB-TEST-007": Case(
        passing={"pyproject.toml": pyproject(dev=("factory-boy",))},
        failing={"pyproject.toml": pyproject(dev=("pytest",))},
    ),
    "FLB-TEST-008": Case(
        passing={f"tests/{kind}/test_a.py": "" for kind in ("unit", "integration", "e2e")},
        failing={"tests/unit/test_a.py": ""},
    ),
    "FLB-TEST-010": Case(
        passing={"tests/test_items.py": "def test_items_listed_newest_first(): ...\n"},
        failing={"tests/items.py": "def test_items_listed_newest_first(): ...\n"},
    ),
    "FLB-TEST-011": Case(
        passing={"tests/test_items.py": "def test_list_items_newest_first(): ...\n"},
        failing={"tests/test_items.py": "def test_list(): ...\n"},
    ),
    "FLB-TEST-017": Case(
        passing={
            "pyproject.toml": pyproject((DB,)),
            "tests/conftest.py": "async def session(s):\n    yield s\n    await s.rollback()\n",
        },
        failing={
            "pyproject.toml": pyproject((DB,)),
            "tests/conftest.py": "async def session(s):\n    yield s\n",
        },
    ),
    # ------------------------------------------------------------- performance
    "FLB-PERF-002": Case(
        passing=package({"core/cache.py": "from redis.asyncio import Redis\n"}, "redis"),
        failing=package({"core/cache.py": "CACHE = {}\n"}),
    ),
    "FLB-PERF-003": Case(
        passing=routes(
            route('get("/items")', "items(limit: Annotated[int, Query(le=100)] = 20) -> Page")
        ),
        failing=routes(
            route('get("/items")', "items(limit: Annotated[int, Query(le=500)] = 50) -> Page")
        ),
    ),
    "FLB-PERF-004": Case(
        passing=settings("    request_timeout_seconds: float = 30\n"),
        failing=settings("    database_timeout: float = 30\n"),
    ),
    "FLB-PERF-007": Case(
        passing=package({"repositories/r.py": "session.add_all(items)\n"}, DB),
        failing=package({"repositories/r.py": "for item in items:\n    session.add(item)\n"}, DB),
    ),
    "FLB-PERF-009": Case(
        passing=package({"core/http.py": "client = httpx.AsyncClient(timeout=5)\n"}),
        failing=package({"core/http.py": "async def get(url):\n    return httpx.get(url)\n"}),
    ),
    "FLB-PERF-010": Case(
        passing=package({"core/http.py": "client = httpx.AsyncClient()\n"}, "pybreaker"),
        failing=package({"core/http.py": "client = httpx.AsyncClient()\n"}),
    ),
    # ------------------------------------------------------------------- async
    "FLB-ASYNC-001": Case(
        passing=package({"main.py": "async def wait():\n    await asyncio.sleep(1)\n"}),
        failing=package({"main.py": "async def wait():\n    time.sleep(1)\n"}),
    ),
    "FLB-ASYNC-007": Case(
        passing=package({"main.py": "LOCK = asyncio.Lock()\n\n\nasync def run(): ...\n"}),
        failing=package({"main.py": "LOCK = threading.Lock()\n\n\nasync def run(): ...\n"}),
    ),
}
LONG_FUNCTION = "def long() -> None:\n" + "    step()\n" * 60
CI_DEPLOY = "jobs:\n  deploy:\n    environment: {}\n    steps:\n      - run: ./deploy\n"

CASES |= {
    # ------------------------------------------------------------------- style
    "FLB-STYLE-001": Case(
        passing={
            "pyproject.toml": pyproject(dev=("black",), tail="[tool.black]\nline-length = 100\n")
        },
        failing={
            "pyproject.toml": pyproject(dev=("ruff",), tail="[tool.ruff]\nline-length = 88\n")
        },
    ),
    "FLB-STYLE-002": Case(
        passing={
            "pyproject.toml": pyproject(dev=("ruff",), tail="[tool.ruff]\nline-length = 100\n")
        },
        failing={"pyproject.toml": pyproject(dev=("flake8",))},
    ),
    "FLB-STYLE-003": Case(
        passing={"pyproject.toml": pyproject(dev=("mypy",), tail="[tool.mypy]\nstrict = true\n")},
        failing={"pyproject.toml": pyproject(dev=("mypy",), tail="[tool.mypy]\nstrict = false\n")},
    ),
    "FLB-STYLE-005": Case(
        passing=package({"main.py": "def double(number: int) -> int:\n    return 2 * number\n"}),
        failing=package({"main.py": "def double(number):\n    return 2 * number\n"}),
    ),
    "FLB-STYLE-006": Case(
        passing=package({"main.py": "total = sum(i for i in range(3))\n"}),
        failing=package({"main.py": "t = 3\n"}),
    ),
    "FLB-STYLE-007": Case(
        passing=package({"main.py": "def short() -> None:\n    step()\n"}),
        failing=package({"main.py": LONG_FUNCTION}),
    ),
    "FLB-STYLE-008": Case(
        passing=package({"main.py": "x_value = 1\n"}),
        failing=package({"main.py": "x_value = 1\n" * 501}),
    ),
    "FLB-STYLE-009": Case(
        passing={
            **package({"main.py": 'def run() -> None:\n    """Run."""\n'}),
            "pyproject.toml": pyproject(
                tail='[tool.ruff.lint.pydocstyle]\nconvention = "google"\n'
            ),
        },
        failing={
            **package({"main.py": "def run() -> None:\n    pass\n"}),
            "pyproject.toml": pyproject(
                tail='[tool.ruff.lint.pydocstyle]\nconvention = "google"\n'
            ),
        },
    ),
    "FLB-STYLE-010": Case(
        passing=package({"main.py": "class ItemService: ...\n\n\ndef run_job(): ...\n"}),
        failing=package({"main.py": "def runJob(): ...\n"}),
    ),
    "FLB-STYLE-012": Case(
        passing=package({"main.py": "def outer():\n    def inner(): ...\n"}),
        failing=package(
            {"main.py": "def outer():\n    def inner():\n        def deepest(): ...\n"}
        ),
    ),
    "FLB-STYLE-013": Case(
        passing={"pyproject.toml": pyproject(tail='[tool.ruff.lint]\nselect = ["E", "PL"]\n')},
        failing={"pyproject.toml": pyproject(tail='[tool.ruff.lint]\nselect = ["E"]\n')},
    ),
    "FLB-TYPE-001": Case(
        passing=package({"main.py": "def find(key: str) -> Optional[int]: ...\n"}),
        failing=package({"main.py": "def find(key: str) -> int | None: ...\n"}),
    ),
    # ----------------------------------------------------------- documentation
    "FLB-DOC-002": Case(
        passing={
            "README.md": "# Svc\n## Setup\n## Configuration\n## API\n## Development workflow\n"
            "## Deployment\n## Troubleshooting\n"
        },
        failing={"README.md": "# Svc\n## Setup\n"},
    ),
    "FLB-DOC-003": Case(
        passing=routes(route('get("/items")', "items() -> Page", '    """List items."""\n')),
        failing=routes(route('get("/items")', "items() -> Page")),
    ),
    "FLB-DOC-004": Case(
        passing=package(
            {
                "schemas/item.py": "class ItemCreate(BaseModel):\n"
                "    name: str = Field(examples=['W'])\n"
            }
        ),
        failing=package({"schemas/item.py": "class ItemCreate(BaseModel):\n    name: str\n"}),
    ),
    "FLB-DOC-005": Case(
        passing=routes(route('get("/items", responses={429: {}})', "items() -> Page")),
        failing=routes(route('get("/items")', "items() -> Page")),
    ),
    "FLB-DOC-006": Case(
        passing=package(
            {"api/deps.py": "scheme = OAuth2PasswordBearer(tokenUrl='/t')\nT = Depends(scheme)\n"},
            JWT,
        ),
        failing=package({"api/deps.py": "scheme = OAuth2PasswordBearer(tokenUrl='/t')\n"}, JWT),
    ),
    "FLB-DOC-007": Case(
        passing={"README.md": "Rate limits: 100 a minute. Pagination: ?page=2&per_page=20.\n"},
        failing={"README.md": "# Svc\n"},
    ),
    "FLB-DOC-009": Case(
        passing={"docs/decisions/0001-use-fastapi.md": "# Use FastAPI\n"},
        failing={"docs/index.md": "# Svc\n"},
    ),
    "FLB-DOC-010": Case(
        passing={"docs/flows.md": "```mermaid\nsequenceDiagram\n  A->>B: token\n```\n"},
        failing={"docs/flows.md": "# Flows\n"},
    ),
    "FLB-DOC-011": Case(
        passing={"pyproject.toml": pyproject((DB,)), "docs/db.md": "```mermaid\nerDiagram\n```\n"},
        failing={"pyproject.toml": pyproject((DB,)), "docs/db.md": "# Tables\n"},
    ),
    "FLB-DOC-013": Case(
        passing={"docs/ops.md": "## Runbook: restore a backup\n"},
        failing={"docs/ops.md": "# Operations\n"},
    ),
    "FLB-DOC-014": Case(
        passing={"docs/ops.md": "## Monitoring and alerting\n"},
        failing={"docs/ops.md": "## Monitoring\n"},
    ),
    # ------------------------------------------------------------ observability
    "FLB-OBS-001": Case(
        passing=health(route('get("")', "live() -> Health")),
        failing=health(route('get("/live")', "live() -> Health")),
    ),
    "FLB-OBS-002": Case(
        passing=health(route('get("/ready")', "ready() -> Health")),
        failing=health(route('get("")', "live() -> Health")),
    ),
    "FLB-OBS-003": Case(
        passing=health(route('get("")', "live() -> Health", "    return Health(version=V)\n")),
        failing=health(route('get("")', "live() -> Health")),
    ),
    "FLB-OBS-004": Case(
        passing=health(
            route('get("")', "live() -> Health", "    return Health(build_time=B, commit=C)\n")
        ),
        failing=health(route('get("")', "live() -> Health", "    return Health(version=V)\n")),
    ),
    "FLB-OBS-005": Case(
        passing=health(route('get("")', "live() -> Health", "    return Health('degraded')\n")),
        failing=health(route('get("")', "live() -> Health")),
    ),
    "FLB-OBS-006": Case(
        passing={"pyproject.toml": pyproject(("prometheus-client",))},
        failing={"pyproject.toml": pyproject()},
    ),
    "FLB-OBS-007": Case(
        passing=package(
            {
                "core/metrics.py": "R = Counter('r', 'h', ['method', 'route', 'status'])\n"
                "L = Histogram('l', 'h', ['method', 'route'])\n"
            }
        ),
        failing=package({"core/metrics.py": "R = Counter('r', 'h')\n"}),
    ),
    "FLB-OBS-008": Case(
        passing=package(
            {"core/metrics.py": "class PoolCollector(Collector):\n    pool = None\n"}, DB
        ),
        failing=package({"core/metrics.py": "R = Counter('r', 'h')\n"}, DB),
    ),
    "FLB-OBS-010": Case(
        passing=routes(route('get("/metrics")', "metrics() -> Response")),
        failing=routes(route('get("/items")', "items() -> Page")),
    ),
    "FLB-OBS-011": Case(
        passing=package({"core/metrics.py": "R = Counter('r', 'h')\n"}),
        failing=package({"core/metrics.py": "REGISTRY = CollectorRegistry()\n"}),
    ),
    "FLB-OBS-012": Case(
        passing=package({"core/ids.py": "HEADER = 'X-Request-ID'\nnew = uuid.uuid4\n"}),
        failing=package({"core/ids.py": "HEADER = 'X-Powered-By'\n"}),
    ),
    "FLB-OBS-013": Case(
        passing=package(
            {
                "core/http.py": "client = httpx.AsyncClient()\n"
                "headers = {'X-Request-ID': request_id}\n"
            }
        ),
        failing=package({"core/http.py": "client = httpx.AsyncClient()\n"}),
    ),
    "FLB-OBS-014": Case(
        passing={"pyproject.toml": pyproject(("opentelemetry-sdk",))},
        failing={"pyproject.toml": pyproject()},
    ),
    "FLB-OBS-015": Case(
        passing=package({}, DB, "opentelemetry-instrumentation-sqlalchemy"),
        failing=package({}, DB),
    ),
    "FLB-OBS-016": Case(
        passing=package(
            {
                "services/items.py": "def create():\n"
                "    with tracer.start_as_current_span('c'): ...\n"
            }
        ),
        failing=package({"services/items.py": "def create(): ...\n"}),
    ),
    # ------------------------------------------------------------------- hooks
    "FLB-HOOK-001": Case(passing=precommit("repos: []\n"), failing=precommit("hooks: []\n")),
    "FLB-HOOK-002": Case(
        passing=precommit("repos:\n  - hooks:\n      - id: black\n"),
        failing=precommit("repos: []\n"),
    ),
    "FLB-HOOK-003": Case(
        passing=precommit("repos:\n  - hooks:\n      - id: ruff\n"),
        failing=precommit("repos:\n  - hooks:\n      - id: ruff-format\n"),
    ),
    "FLB-HOOK-004": Case(
        passing=precommit("repos:\n  - hooks:\n      - id: mypy\n"),
        failing=precommit("repos: []\n"),
    ),
    "FLB-HOOK-005": Case(
        passing=precommit("repos:\n  - hooks:\n      - id: detect-secrets\n"),
        failing=precommit("repos: []\n"),
    ),
    "FLB-HOOK-006": Case(
        passing=precommit(
            "repos:\n  - hooks:\n      - id: tests\n        entry: uv run pytest -x\n"
        ),
        failing=precommit("repos: []\n"),
    ),
    "FLB-HOOK-007": Case(
        passing=precommit(
            "repos:\n  - hooks:\n      - id: commitizen\n        stages: [commit-msg]\n"
        ),
        failing=precommit("repos: []\n"),
    ),
    "FLB-HOOK-008": Case(
        passing=precommit("repos:\n  - hooks:\n      - id: check-merge-conflict\n"),
        failing=precommit("repos: []\n"),
    ),
    # --------------------------------------------------------------------- git
    "FLB-GIT-001": Case(
        passing=precommit("repos:\n  - hooks:\n      - id: conventional-pre-commit\n"),
        failing=precommit("repos: []\n"),
    ),
    "FLB-GIT-005": Case(
        passing={".gitignore": ".env\nlogs/\n__pycache__/\n.pytest_cache/\n"},
        failing={".gitignore": ".env\n"},
    ),
    "FLB-GIT-006": Case(
        passing={".gitignore": ".venv/\n*.py[cod]\n.mypy_cache/\n.ruff_cache/\n.coverage\ndist/\n"},
        failing={".gitignore": ".venv/\n"},
    ),
    # ---------------------------------------------------------------------- CI
    "FLB-CI-001": Case(
        passing=workflow(
            "steps:\n  - run: ruff check .\n  - run: black --check .\n  - run: mypy\n"
        ),
        failing=workflow("steps:\n  - run: ruff check .\n"),
    ),
    "FLB-CI-002": Case(
        passing=workflow("steps:\n  - run: just test\n", Justfile="test:\n    pytest --cov\n"),
        failing=workflow("steps:\n  - run: pytest\n"),
    ),
    "FLB-CI-003": Case(
        passing=workflow(
            "steps:\n  - run: docker build -t svc .\n  - run: docker push svc\n",
            Dockerfile="FROM x\n",
        ),
        failing=workflow("steps:\n  - run: docker build -t svc .\n", Dockerfile="FROM x\n"),
    ),
    "FLB-CI-004": Case(
        passing=workflow("steps:\n  - run: bandit -r src\n  - run: pip-audit\n"),
        failing=workflow("steps:\n  - run: bandit -r src\n"),
    ),
    "FLB-CI-005": Case(
        passing=workflow(CI_DEPLOY.format("staging")), failing=workflow("steps: []\n")
    ),
    "FLB-CI-006": Case(
        passing=workflow(CI_DEPLOY.format("production")),
        failing=workflow(CI_DEPLOY.format("staging")),
    ),
    "FLB-CI-007": Case(
        passing={
            "pyproject.toml": pyproject((DB,)),
            "compose.yaml": 'services:\n  migrate:\n    command: ["alembic", "upgrade", "head"]\n',
        },
        failing={"pyproject.toml": pyproject((DB,)), "compose.yaml": "services: {}\n"},
    ),
    "FLB-CI-008": Case(
        passing=workflow("steps:\n  - name: smoke test\n    run: curl -f $URL/health\n"),
        failing=workflow("steps: []\n"),
    ),
    # ------------------------------------------------------ dependency security
    "FLB-DEPSEC-002": Case(
        passing={
            "pyproject.toml": pyproject(dev=("pip-audit",)),
            **workflow("steps:\n  - run: pip-audit\n"),
        },
        failing={"pyproject.toml": pyproject(dev=("pytest",)), **workflow("steps: []\n")},
    ),
    "FLB-DEPSEC-004": Case(
        passing={".github/dependabot.yml": "updates:\n  - package-ecosystem: uv\n"},
        failing={".github/dependabot.yml": "updates:\n  - package-ecosystem: github-actions\n"},
    ),
    # ------------------------------------------------------------ environments
    "FLB-ENV-001": Case(
        passing={
            f"{name}.example": "DEBUG=false\n" for name in (".env.dev", ".env.staging", ".env.prod")
        },
        failing={".env.example": "DEBUG=false\n"},
    ),
}


test_every_decidable_rule_has_a_case, test_the_rule_passes_and_fails_its_trees = case_tests(
    STANDARD, CASES
)


def readiness_in_a_helper(check: str) -> Tree:
    """/health/ready answered by a helper the router imports from core/health.py."""
    router = (
        "from fastapi import APIRouter\n\nfrom svc.core.health import ready_checks\n\n"
        + HEALTH
        + route('get("/ready")', "ready() -> Health", "    return await ready_checks()\n")
    )
    helper = f"async def ready_checks():\n    {check}\n\n\nasync def unrelated():\n    pass\n"
    return package(
        {
            "api/routes/__init__.py": "",
            "api/routes/health.py": router,
            "core/__init__.py": "",
            "core/health.py": helper,
        },
        DB,
    )


@pytest.mark.parametrize(
    ("check", "status"),
    [("await database.ping()", Status.PASS), ("return {}", Status.FAIL)],
)
def test_readiness_may_check_the_database_in_a_package_function_it_calls(
    check: str, status: Status, tmp_path: Path
) -> None:
    assert status_of(STANDARD, "FLB-OBS-002", readiness_in_a_helper(check), tmp_path) is status
