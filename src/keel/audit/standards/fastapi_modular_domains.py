"""The rule catalogue of fastapi-modular-domains.md.

The standard makes every requirement mandatory unless it says otherwise, so its
rules are MANDATORY; what it calls "preferable" is RECOMMENDED, what "might" or
is "(optional)" is SHOULD, and its Default Decisions Dictionary is DEFAULT.
§1 Goals restates what later sections require, so it has no rules of its own.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from keel.audit.checks import (
    dependency_findings,
    lower_bound,
    missing_files,
    package_where,
    requires_files,
    uses_sqlalchemy,
)
from keel.audit.docker import dockerfile_user, from_lines, with_dockerfile
from keel.audit.model import (
    Check,
    Finding,
    Standard,
    Verdict,
    failed,
    not_applicable,
    passed,
    verdict_of,
)
from keel.audit.pipeline import ci_and_runners, ci_files, ci_text, pre_commit_text
from keel.audit.project import Project
from keel.audit.pyast import (
    Function,
    absolute_imports,
    annotated_fields,
    async_functions,
    calls_of,
    dotted_bases,
    dotted_name,
    field_name,
    function_defs,
    imported_modules,
    is_constant,
    kwarg,
    own_body,
    package_functions,
    parameters_of,
    settings_classes,
    string_literals,
    within,
)
from keel.audit.routes import Route, decorated_routes

STANDARD = Standard(
    name="fastapi-modular-domains",
    title="Principles of Backend Development with FastAPI (modular domains)",
    prefix="FMD",
)

MANDATORY = "MANDATORY"  # the preamble: "All requirements are mandatory by default"
RECOMMENDED = "RECOMMENDED"  # "it's preferable"
SHOULD = "SHOULD"  # "might", "(optional)"
DEFAULT = "DEFAULT"  # the Default Decisions Dictionary

CHECKLIST = "§0 Quick Checklist"
STRUCTURE = "§2 Project Structure"
VERSIONS = "§3 Dependencies and Versions"
CONFIGURATION = "§4 Configuration and Secrets"
LIFESPAN = "§5 Application Creation and Lifespan"
ROUTES = "§6 Routes, Schemas, Validation"
ERRORS = "§7 Errors and Exceptions"
SECURITY = "§8 Security"
DATABASE = "§9 Data and Database"
ASYNC = "§10 Async and External Calls"
IDEMPOTENCY = "§11 Idempotency and Consistency"
PAGINATION = "§12 Pagination, Filtering, Sorting"
CACHING = "§13 Caching"
OBSERVABILITY = "§14 Logging and Observability"
FORMATS = "§15 Response Formats: Dates and Money"
OPENAPI = "§16 Documentation and OpenAPI"
TESTING = "§17 Testing"
PERFORMANCE = "§18 Performance"
BACKGROUND = "§19 Background Tasks and Scheduling"
FILES = "§20 Files, Streams, WebSocket"
CICD = "§21 Versioning, Quality, CI/CD"
CONTAINERS = "§22 Containerization and Runtime"
RELEASES = "§23 Migrations and Releases"
I18N = "§24 Internationalization and Localization (optional)"
RETENTION = "§25 Data Retention Policies"
TYPING = "§26 Code Style and Typing Standards"
AGENT = "§27 Agent Rules under Uncertainty"
REVIEW = "MR/PR Review Criteria"
DECISIONS = "Default Decisions Dictionary"

# ------------------------------------------------------------------ vocabulary

# Distributions that mean the service keeps data in a database.
DATABASE_PACKAGES = (
    "sqlalchemy",
    "sqlmodel",
    "asyncpg",
    "psycopg",
    "psycopg2",
    "psycopg2-binary",
    "aiosqlite",
    "aiomysql",
    "databases",
    "tortoise-orm",
    "alembic",
)
ASYNC_DRIVERS = ("asyncpg", "psycopg", "aiosqlite", "aiomysql", "asyncmy", "oracledb")
CACHE_PACKAGES = ("redis", "cachetools", "aiocache", "fastapi-cache2")
JWT_PACKAGES = ("pyjwt", "python-jose", "authlib", "joserfc")
HTTP_CLIENTS_NOT_HTTPX = ("requests", "aiohttp", "urllib3")
HTTP_MODULES_NOT_HTTPX = ("requests", "aiohttp", "urllib.request", "http.client", "urllib3")
PASSWORD_HASHERS = ("argon2-cffi", "bcrypt", "passlib", "pwdlib")
FACTORY_PACKAGES = ("factory-boy", "polyfactory", "pytest-factoryboy", "model-bakery")
METRICS_PACKAGES = (
    "prometheus-client",
    "prometheus-fastapi-instrumentator",
    "starlette-exporter",
    "starlette-prometheus",
)
INSTRUMENTATORS = (
    "prometheus-fastapi-instrumentator",
    "starlette-exporter",
    "starlette-prometheus",
)
SCHEDULER_PACKAGES = ("apscheduler", "rocketry", "schedule", "fastapi-scheduler", "fastapi-utils")
SCHEDULER_MODULES = ("apscheduler", "rocketry", "schedule", "fastapi_utils.tasks")
COMPRESSION_PACKAGES = ("brotli-asgi", "starlette-compress", "brotli-middleware")
RETRY_PACKAGES = ("tenacity", "stamina", "backoff", "httpx-retries")

# The global modules of ``core/`` (§2's tree; ``pagination.py`` is an "e.g.").
CORE_MODULES = (
    "config.py",
    "logging.py",
    "security.py",
    "openapi.py",
    "models.py",
    "exceptions.py",
)
# Subpackages that are not business domains.
SHARED_PACKAGES = frozenset({"core", "infra"})
# What other domains import "with an explicit module name" (§2).
SHARED_DOMAIN_MODULES = frozenset({"service", "dependencies", "constants"})
REQUIREMENT_FILES = ("base.txt", "dev.txt", "prod.txt")
ROOT_FILES = (".gitignore", "pyproject.toml", "logging.ini")

HTTP_METHODS = frozenset({"get", "post", "put", "patch", "delete"})
ROUTE_DECORATORS = HTTP_METHODS | {"websocket", "api_route"}
LOOSE_TYPES = frozenset(
    {"Any", "typing.Any", "dict", "object", "dict[str, Any]", "dict[str, object]"}
)
SECURITY_SCHEMES = frozenset(
    {
        "OAuth2PasswordBearer",
        "OAuth2AuthorizationCodeBearer",
        "OAuth2",
        "HTTPBearer",
        "APIKeyHeader",
        "APIKeyQuery",
        "APIKeyCookie",
    }
)
BEARER_SCHEMES = frozenset({"OAuth2PasswordBearer", "OAuth2AuthorizationCodeBearer", "HTTPBearer"})
SECURITY_HEADERS = (
    "X-Content-Type-Options",
    "X-Frame-Options",
    "Referrer-Policy",
    "Strict-Transport-Security",
)

# A name that holds a secret (a literal assigned to it is a hardcoded secret).
SECRET_NAME = re.compile(
    r"secret|password|passwd|api_?key$|private_?key$|signing_?key$|jwt_?key$|access_?key$", re.I
)
# Names with a secret word that hold no secret: patterns, lengths, messages, headers.
NOT_A_SECRET = re.compile(r"pattern|length|header|message|msg|prompt|field|env|hash|policy", re.I)

# Client constructors: each opens a pool or connection that must live per app.
CLIENT_CONSTRUCTORS = (
    "create_async_engine",
    "create_engine",
    "httpx.AsyncClient",
    "AsyncClient",
    "httpx.Client",
    "Redis",
    "redis.Redis",
    "redis.asyncio.Redis",
    "Redis.from_url",
    "Redis.from_pool",
    ".ConnectionPool.from_url",
    "BlockingConnectionPool.from_url",
    "ConnectionPool.from_url",
    "asyncpg.create_pool",
)
CLIENT_CLOSERS = (".dispose", ".aclose", ".close", ".shutdown", ".disconnect")
# An exit stack's methods that take a closer to call when the stack closes.
EXIT_STACK_PUSHES = (".push_async_callback", ".callback")
REDIS_CONSTRUCTORS = tuple(name for name in CLIENT_CONSTRUCTORS if "edis" in name or "Pool" in name)
HTTPX_ASYNC = ("httpx.AsyncClient", "AsyncClient")
HTTPX_ONE_OFF = tuple(
    f"httpx.{verb}" for verb in ("get", "post", "put", "patch", "delete", "request", "stream")
)

# Calls that talk to an external service (or sleep) on the calling thread (§10).
BLOCKING_CALLS = (
    "time.sleep",
    "requests.get",
    "requests.post",
    "requests.put",
    "requests.patch",
    "requests.delete",
    "requests.request",
    "urllib.request.urlopen",
    "urlopen",
    *HTTPX_ONE_OFF,
    "smtplib.SMTP",
    "smtplib.SMTP_SSL",
    "socket.create_connection",
    "subprocess.run",
    "psycopg2.connect",
)
# SQL statement builders: a router or service that imports them bypasses the repositories.
SQL_BUILDERS = frozenset({"select", "insert", "update", "delete", "text", "func"})
LAZY_LOADS = frozenset({"selectinload", "joinedload", "subqueryload", "immediateload", "raiseload"})
LOG_FILE_HANDLERS = (
    "FileHandler",
    "RotatingFileHandler",
    "TimedRotatingFileHandler",
    "WatchedFileHandler",
)
MINIMAL_BASES = re.compile(
    r"distroless|ubi-micro|ubi-minimal|ubi\d*/ubi-micro|chainguard|wolfi|scratch|alpine"
)
AUTOGEN_MARKER = "### commands auto generated by Alembic - please adjust! ###"
MONEY_NAME = re.compile(r"(price|amount|cost|fee|balance|salary|money)$", re.I)
IGNORE_COMMENT = re.compile(r"#\s*(?:type|pyright):\s*ignore(?:\[[^\]]*\])?(?P<rest>.*)$")
VERSIONED_PATH = re.compile(r"^/api/v\d+")
ROUTE_PATH = re.compile(r"^[a-z][a-z0-9_]*$")


# ----------------------------------------------------------- building blocks


def _mentions(project: Project, needle: str, under: str | None = None) -> bool:
    """Whether a string literal of the package contains ``needle`` (any case)."""
    lowered = needle.lower()
    return any(lowered in text.lower() for _, _, text in string_literals(project, under))


def _constants(module: ast.Module) -> dict[str, ast.expr]:
    """The module's top-level ``NAME = value`` assignments."""
    found: dict[str, ast.expr] = {}
    for node in module.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name):
                found[target.id] = node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value:
            found[node.target.id] = node.value
    return found


def _int(node: ast.expr | None, module: ast.Module) -> int | None:
    """An int literal, or a module constant holding one (``1_000``, ``MAX_LIMIT``)."""
    if isinstance(node, ast.Name):
        node = _constants(module).get(node.id)
    if (
        isinstance(node, ast.Constant)
        and isinstance(node.value, int)
        and not isinstance(node.value, bool)
    ):
        return node.value
    return None


def _package_name(project: Project) -> str:
    """The import name of the package (``""`` without one)."""
    return project.package.name if project.package else ""


def _cache_not_redis(project: Project) -> list[Finding] | None:
    """A finding when the service's cache is not Redis; None when it has no cache."""
    used = [name for name in CACHE_PACKAGES if project.depends_on(name)]
    if not used:
        return None
    return (
        [] if "redis" in used else [Finding(f"the cache is {used[0]}, not Redis", "pyproject.toml")]
    )


def _uses_database(project: Project) -> bool:
    """Whether the service keeps data in a database."""
    return any(project.depends_on(name) for name in DATABASE_PACKAGES)


def _modules_importing(
    project: Project, prefix: str, under: str | None = None
) -> Iterator[tuple[Path, ast.Module]]:
    """Modules that import ``prefix`` or a submodule of it."""
    for path, module in project.modules(under):
        if any(within(name, prefix) for name in imported_modules(module)):
            yield path, module


# ------------------------------------------------------------------- routes


def _routes(project: Project) -> list[Route]:
    """Every path operation of the package's FastAPI modules."""
    return list(decorated_routes(_modules_importing(project, "fastapi"), ROUTE_DECORATORS))


def _documented_routes(project: Project) -> list[Route]:
    """The HTTP routes the OpenAPI document shows."""
    return [route for route in _routes(project) if route.method != "websocket" and route.documented]


def _fastapi_apps(project: Project) -> list[tuple[Path, ast.Call]]:
    """Every ``FastAPI(...)`` call of the package."""
    return list(calls_of(project, ("FastAPI", "fastapi.FastAPI")))


def _closes_a_client(function: Function) -> bool:
    """Whether ``function`` closes a client: calls ``x.close()`` (or another closer), or
    hands ``x.close`` to an exit stack (``stack.push_async_callback(x.close)``)."""
    for node in ast.walk(function):
        if not isinstance(node, ast.Call):
            continue
        if dotted_name(node.func).endswith(CLIENT_CLOSERS):
            return True
        if dotted_name(node.func).endswith(EXIT_STACK_PUSHES) and any(
            dotted_name(argument).endswith(CLIENT_CLOSERS) for argument in node.args
        ):
            return True
    return False


def _lifespans(project: Project) -> list[tuple[Path, Function]]:
    """The functions passed as ``lifespan=`` to ``FastAPI``."""
    names = {
        dotted_name(value)
        for _, app in _fastapi_apps(project)
        if (value := kwarg(app, "lifespan")) is not None
    }
    return [
        (path, function) for path, function in package_functions(project) if function.name in names
    ]


def _default_of(function: Function, parameter: ast.arg) -> ast.expr | None:
    """The default value of ``parameter``."""
    arguments = function.args
    positional = [*arguments.posonlyargs, *arguments.args]
    if parameter in positional:
        offset = len(positional) - len(arguments.defaults)
        index = positional.index(parameter) - offset
        return arguments.defaults[index] if index >= 0 else None
    return arguments.kw_defaults[arguments.kwonlyargs.index(parameter)]


def _depends_on_something(function: Function) -> bool:
    """Whether a parameter of ``function`` is injected (``Depends``/``Security``, or an alias)."""
    for parameter in parameters_of(function):
        text = ast.unparse(parameter.annotation) if parameter.annotation else ""
        default = _default_of(function, parameter)
        text += ast.unparse(default) if default is not None else ""
        if "Depends" in text or "Security" in text or text.endswith("Dep"):
            return True
    return False


# --------------------------------------------------------------- ORM models


@dataclass(frozen=True)
class _Column:
    """A mapped attribute of an ORM model: ``name: Mapped[...] = mapped_column(...)``."""

    node: ast.AnnAssign
    name: str
    annotation: str
    call: ast.Call | None

    def argument_text(self) -> str:
        """The source of the ``mapped_column(...)``/``Column(...)`` call."""
        return ast.unparse(self.call) if self.call else ""


def _table_name(cls: ast.ClassDef) -> str | None:
    """The ``__tablename__`` an ORM model declares, or None."""
    for statement in cls.body:
        if (
            isinstance(statement, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "__tablename__" for t in statement.targets)
            and isinstance(statement.value, ast.Constant)
            and isinstance(statement.value.value, str)
        ):
            return statement.value.value
    return None


def _orm_models(project: Project) -> list[tuple[Path, ast.ClassDef, str]]:
    """Every ORM model (a class with ``__tablename__ = "..."``) and its table."""
    return [
        (path, node, table)
        for path, module in project.modules()
        for node in ast.walk(module)
        if isinstance(node, ast.ClassDef) and (table := _table_name(node)) is not None
    ]


def _columns(cls: ast.ClassDef) -> list[_Column]:
    """The mapped columns declared in ``cls``'s body."""
    found: list[_Column] = []
    for field in annotated_fields(cls):
        annotation = ast.unparse(field.annotation)
        call = field.value if isinstance(field.value, ast.Call) else None
        if annotation.startswith("Mapped[") and "relationship" not in (
            ast.unparse(call) if call else ""
        ):
            found.append(_Column(field, field_name(field), annotation, call))
    return found


# ------------------------------------------------------------------ settings


@dataclass(frozen=True)
class _Setting:
    """A field of a ``BaseSettings`` class."""

    path: Path
    node: ast.AnnAssign
    name: str
    annotation: str
    default: ast.expr | None


def _settings(project: Project) -> list[_Setting]:
    """Every field of the settings classes, with its default."""
    found: list[_Setting] = []
    for path, cls in settings_classes(project):
        for field in annotated_fields(cls):
            default = field.value
            if isinstance(default, ast.Call) and dotted_name(default.func) in (
                "Field",
                "pydantic.Field",
            ):
                default = kwarg(default, "default") or (default.args[0] if default.args else None)
            found.append(
                _Setting(path, field, field_name(field), ast.unparse(field.annotation), default)
            )
    return found


def _setting(project: Project, pattern: str) -> _Setting | None:
    """The first settings field whose name matches ``pattern``."""
    regex = re.compile(pattern)
    return next((field for field in _settings(project) if regex.search(field.name)), None)


def _number(node: ast.expr | None) -> float | None:
    """A numeric literal (``15``, ``60.0``, ``7 * 24``)."""
    if (
        isinstance(node, ast.Constant)
        and isinstance(node.value, int | float)
        and not isinstance(node.value, bool)
    ):
        return float(node.value)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        left, right = _number(node.left), _number(node.right)
        return left * right if left is not None and right is not None else None
    return None


def _minutes(setting: _Setting) -> float | None:
    """A duration setting's default in minutes, from the unit its name ends with."""
    value = _number(setting.default)
    if value is None:
        return None
    units = (
        ("days", 1440.0),
        ("hours", 60.0),
        ("minutes", 1.0),
        ("min", 1.0),
        ("seconds", 1 / 60),
        ("_s", 1 / 60),
    )
    return next((value * factor for suffix, factor in units if setting.name.endswith(suffix)), None)


# ------------------------------------------------------------- CI and files


def _with_ci(check: Callable[[Project, str, str], Verdict]) -> Check:
    """A check of what CI runs (its files and the task runners they call) and of the CI file
    to point at; fails without CI."""

    def guarded(project: Project) -> Verdict:
        text = ci_and_runners(project)
        if not text:
            return failed("no CI", [Finding("no CI definition", ".github/workflows")])
        return check(project, text, project.rel(ci_files(project)[0]))

    return guarded


def _test_files(project: Project, under: str) -> list[Path]:
    """The ``test_*.py`` files under ``under``."""
    return (
        [path for path in project.python_files(under) if path.name.startswith("test_")]
        if project.exists(under)
        else []
    )


def _domain_modules(project: Project) -> Iterator[tuple[str, Path, ast.Module]]:
    """Each module of a domain package (not ``core``/``infra``), with the domain's name."""
    if project.package is None:
        return
    for path, module in project.modules():
        parts = path.relative_to(project.package).parts
        if len(parts) > 1 and parts[0] not in SHARED_PACKAGES:
            yield parts[0], path, module


def _home_module(node: ast.AST) -> str | None:
    """The module of a domain package that ``node`` belongs in (§2), if it has one."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        routed = any(
            isinstance(d, ast.Call)
            and isinstance(d.func, ast.Attribute)
            and d.func.attr in ROUTE_DECORATORS
            for d in node.decorator_list
        )
        return "router.py" if routed else None
    if not isinstance(node, ast.ClassDef):
        return None
    bases = dotted_bases(node)
    if _table_name(node) is not None:
        return "models.py"
    if any(base.endswith("BaseModel") for base in bases):
        return "schemas.py"
    if any(base.endswith(("Error", "Exception")) for base in bases):
        return "exceptions.py"
    return None


# ============================================================ §2 Structure


@STANDARD.rule(
    "FMD-LAYOUT-001",
    "Store all domain directories inside src folder",
    section=STRUCTURE,
    level=MANDATORY,
)
def package_in_src(project: Project) -> Verdict:
    """The package (and so every domain in it) lives under ``src/``."""
    package = project.package
    if package is None:
        return failed(
            "no package: src/<package>/__init__.py is missing", [Finding("missing", "src")]
        )
    where = project.rel(package)
    if where.startswith("src/"):
        return passed(f"{where} is under src/")
    return failed("the package is not under src/", [Finding("move the package under src/", where)])


@STANDARD.rule(
    "FMD-LAYOUT-002",
    "app/main.py - root of the project, which inits the FastAPI app",
    section=STRUCTURE,
    level=MANDATORY,
)
def main_creates_the_app(project: Project) -> Verdict:
    """``<package>/main.py`` calls ``FastAPI(...)``."""
    if project.package is None:
        return not_applicable("no package")
    main = project.package / "main.py"
    where = project.rel(main)
    if not main.is_file():
        return failed(f"{where} is missing", [Finding("missing", where)])
    if any(path == main for path, _ in _fastapi_apps(project)):
        return passed(f"{where} creates the FastAPI app")
    return failed(
        f"{where} does not create the FastAPI app", [Finding("no FastAPI(...) call", where)]
    )


@STANDARD.rule(
    "FMD-LAYOUT-003",
    "core/ holds the global modules: config, logging, security, openapi, models, exceptions",
    section=STRUCTURE,
    level=MANDATORY,
)
def core_modules(project: Project) -> Verdict:
    """Each global module of §2's ``core/`` exists."""
    if project.package is None:
        return not_applicable("no package")
    core = f"{project.rel(project.package)}/core"
    return verdict_of(
        missing_files(project, [f"{core}/{name}" for name in CORE_MODULES]),
        ok=f"{core}/ has {', '.join(CORE_MODULES)}",
        broken="core/ lacks global modules",
    )


@STANDARD.rule(
    "FMD-LAYOUT-004",
    "infra/ holds the infrastructure: db/ (base, models, migrations), cache.py, clients/http.py",
    section=STRUCTURE,
    level=MANDATORY,
)
def infra_modules(project: Project) -> Verdict:
    """The infrastructure the service uses sits where §2's ``infra/`` puts it."""
    if project.package is None:
        return not_applicable("no package")
    infra = f"{project.rel(project.package)}/infra"
    wanted: list[str] = []
    if uses_sqlalchemy(project):
        wanted += ["db/base.py", "db/models.py", "db/migrations"]
    if project.depends_on("redis"):
        wanted.append("cache.py")
    if project.depends_on("httpx"):
        wanted.append("clients/http.py")
    if not wanted:
        return not_applicable("no database, cache or HTTP client to place in infra/")
    return verdict_of(
        missing_files(project, [f"{infra}/{name}" for name in wanted]),
        ok=f"{infra}/ has {', '.join(wanted)}",
        broken="infra/ lacks modules",
    )


@STANDARD.rule(
    "FMD-LAYOUT-005",
    "Each package has its own router, schemas, models, exceptions (endpoints in router.py, ...)",
    section=STRUCTURE,
    level=MANDATORY,
)
def domain_modules_hold_their_kind(project: Project) -> Verdict:
    """In a domain package: endpoints only in router.py, Pydantic models only in schemas.py,
    ORM models only in models.py, exceptions only in exceptions.py."""
    found: list[Finding] = []
    seen = False
    for _, path, module in _domain_modules(project):
        seen = True
        for node in ast.walk(module):
            home = _home_module(node)
            if home is not None and path.name != home:
                name = getattr(node, "name", "")
                found.append(project.finding(path, node, f"{name} belongs in {home}"))
    if not seen:
        return not_applicable("no domain package")
    return verdict_of(
        found,
        ok="each domain keeps each kind of code in its module",
        broken="code outside its module",
    )


@STANDARD.rule(
    "FMD-LAYOUT-006",
    "Import services, dependencies or constants of other packages with an explicit module name",
    section=STRUCTURE,
    level=MANDATORY,
)
def explicit_cross_domain_imports(project: Project) -> Verdict:
    """``from app.auth import service as auth_service``, not ``from app.auth.service import x``."""
    package = _package_name(project)
    found: list[Finding] = []
    for domain, path, module in _domain_modules(project):
        for node in ast.walk(module):
            if not isinstance(node, ast.ImportFrom) or not node.module or node.level:
                continue
            parts = node.module.split(".")
            if (
                len(parts) == 3
                and parts[0] == package
                and parts[1] not in SHARED_PACKAGES | {domain}
                and parts[2] in SHARED_DOMAIN_MODULES
                and any(alias.asname is None for alias in node.names)
            ):
                suggestion = f"from {package}.{parts[1]} import {parts[2]} as {parts[1]}_{parts[2]}"
                found.append(
                    project.finding(path, node, f"imports names from {node.module}: {suggestion}")
                )
    return verdict_of(
        found,
        ok="other domains' modules are imported by name",
        broken="implicit cross-domain imports",
    )


@STANDARD.rule(
    "FMD-LAYOUT-007",
    "requirements/ holds base.txt, dev.txt and prod.txt",
    section=STRUCTURE,
    level=MANDATORY,
)
def requirements_files(project: Project) -> Verdict:
    """The requirement files of §2's tree (at the root or in the package)."""
    places = ["requirements"]
    if project.package is not None:
        places.append(f"{project.rel(project.package)}/requirements")
    for place in places:
        if all(project.exists(f"{place}/{name}") for name in REQUIREMENT_FILES):
            return passed(f"{place}/ has {', '.join(REQUIREMENT_FILES)}")
    return failed(
        "no requirements/ with base.txt, dev.txt and prod.txt",
        missing_files(project, [f"requirements/{name}" for name in REQUIREMENT_FILES]),
    )


# The root files of §2's tree (Dockerfile, alembic.ini: their own rules).
STANDARD.rule(
    "FMD-LAYOUT-008",
    "The root holds .gitignore, pyproject.toml and logging.ini",
    section=STRUCTURE,
    level=MANDATORY,
)(requires_files(*ROOT_FILES, broken="root files missing"))


# ============================================================= §3 Versions


@STANDARD.rule("FMD-STACK-001", "Python ≥ 3.11", section=VERSIONS, level=MANDATORY)
def python_version(project: Project) -> Verdict:
    """``requires-python`` starts at 3.11 or later."""
    written = str(project.pyproject.get("project", {}).get("requires-python", ""))
    bound = lower_bound(written, above=True)
    if not bound:
        return failed(
            "requires-python has no lower bound",
            [Finding("set requires-python >=3.11", "pyproject.toml")],
        )
    if bound >= (3, 11):
        return passed(f"requires-python {written}")
    return failed(
        f"requires-python {written} allows Python < 3.11", [Finding(written, "pyproject.toml")]
    )


@STANDARD.rule(
    "FMD-STACK-002", "FastAPI ≥ 0.110, Starlette, Uvicorn", section=VERSIONS, level=MANDATORY
)
def fastapi_and_uvicorn(project: Project) -> Verdict:
    """FastAPI (at least 0.110; it brings Starlette) and Uvicorn are dependencies."""
    found: list[Finding] = []
    fastapi = project.dependencies.get("fastapi")
    if fastapi is None:
        found.append(Finding("no fastapi dependency", "pyproject.toml"))
    elif (lower_bound(fastapi, above=True) or ()) < (0, 110):
        found.append(Finding(f"{fastapi}: set a lower bound of at least 0.110", "pyproject.toml"))
    if not project.depends_on("uvicorn"):
        found.append(Finding("no uvicorn dependency", "pyproject.toml"))
    return verdict_of(found, ok="FastAPI ≥ 0.110 and Uvicorn", broken="the web stack is incomplete")


@STANDARD.rule(
    "FMD-STACK-003", "Pydantic v2 + pydantic-settings", section=VERSIONS, level=MANDATORY
)
def pydantic_v2(project: Project) -> Verdict:
    """pydantic-settings (v2 only) is a dependency, and pydantic is not held below 2."""
    found: list[Finding] = []
    if not project.depends_on("pydantic-settings"):
        found.append(Finding("no pydantic-settings dependency", "pyproject.toml"))
    pydantic = project.dependencies.get("pydantic", "")
    if re.search(r"<\s*2(\D|$)", pydantic) or (lower_bound(pydantic, above=True) or (2,)) < (2,):
        found.append(Finding(f"{pydantic}: require pydantic>=2", "pyproject.toml"))
    return verdict_of(
        found, ok="Pydantic v2 with pydantic-settings", broken="not Pydantic v2 + pydantic-settings"
    )


@STANDARD.rule(
    "FMD-STACK-004",
    "SQLAlchemy 2.x (annotated declarative) + async driver",
    section=VERSIONS,
    level=MANDATORY,
)
def sqlalchemy_2_async(project: Project) -> Verdict:
    """SQLAlchemy ≥ 2.0, an async driver, and models declared with ``Mapped``/``mapped_column``."""
    if not _uses_database(project):
        return not_applicable("no database")
    found: list[Finding] = []
    sqlalchemy = project.dependencies.get("sqlalchemy")
    if sqlalchemy is None:
        found.append(Finding("no sqlalchemy dependency", "pyproject.toml"))
    elif (lower_bound(sqlalchemy, above=True) or ()) < (2,):
        found.append(Finding(f"{sqlalchemy}: require sqlalchemy>=2.0", "pyproject.toml"))
    if not any(project.depends_on(driver) for driver in ASYNC_DRIVERS):
        found.append(Finding(f"no async driver ({', '.join(ASYNC_DRIVERS)})", "pyproject.toml"))
    for path, cls, _ in _orm_models(project):
        for node in ast.walk(cls):
            if isinstance(node, ast.Call) and dotted_name(node.func) in (
                "Column",
                "sqlalchemy.Column",
                "sa.Column",
            ):
                found.append(
                    project.finding(
                        path, node, "Column(): declare Mapped[...] = mapped_column(...)"
                    )
                )
    return verdict_of(
        found,
        ok="SQLAlchemy 2 with an async driver, annotated models",
        broken="not SQLAlchemy 2 async",
    )


@STANDARD.rule(
    "FMD-STACK-005", "httpx for external HTTP requests", section=VERSIONS, level=MANDATORY
)
def httpx_only(project: Project) -> Verdict:
    """No other HTTP client is a dependency or imported by the package."""
    found = [
        Finding(f"depends on {name}: use httpx", "pyproject.toml")
        for name in HTTP_CLIENTS_NOT_HTTPX
        if project.depends_on(name)
    ]
    for path, module in project.modules():
        found += [
            project.finding(path, node, f"imports {name}: use httpx")
            for node, name in absolute_imports(module)
            if within(name, *HTTP_MODULES_NOT_HTTPX)
        ]
    return verdict_of(found, ok="no HTTP client but httpx", broken="another HTTP client than httpx")


@STANDARD.rule(
    "FMD-STACK-006",
    "Quality tools: ruff, black, mypy/pyright, pytest, coverage",
    section=VERSIONS,
    level=MANDATORY,
)
def quality_tools(project: Project) -> Verdict:
    """The tools are dependencies; ``ruff format``, Black's compatible formatter, stands for black
    where the project runs it (pre-commit, CI, task runner)."""
    runs = "\n".join(
        [ci_and_runners(project)]
        + [project.text(name) or "" for name in (".pre-commit-config.yaml", "Justfile", "Makefile")]
    )
    found: list[Finding] = []
    wanted = {
        "ruff": ("ruff",),
        "black (or ruff format)": ("black",),
        "mypy or pyright": ("mypy", "pyright"),
        "pytest": ("pytest",),
        "coverage": ("coverage", "pytest-cov"),
    }
    for label, names in wanted.items():
        if any(project.uses(name) for name in names):
            continue
        if (
            label.startswith("black")
            and project.uses("ruff")
            and re.search(r"ruff[\w\s-]*format|ruff-format", runs)
        ):
            continue
        found.append(Finding(f"no {label} dependency", "pyproject.toml"))
    return verdict_of(
        found,
        ok="ruff, a Black formatter, a type checker, pytest and coverage",
        broken="quality tools missing",
    )


@STANDARD.rule(
    "FMD-STACK-007", "Security: bandit, pip-audit/safety", section=VERSIONS, level=MANDATORY
)
def security_tools(project: Project) -> Verdict:
    """bandit and pip-audit (or safety) are dependencies."""
    found: list[Finding] = []
    if not project.uses("bandit"):
        found.append(Finding("no bandit dependency", "pyproject.toml"))
    if not (project.uses("pip-audit") or project.uses("safety")):
        found.append(Finding("no pip-audit or safety dependency", "pyproject.toml"))
    return verdict_of(found, ok="bandit and a dependency auditor", broken="security tools missing")


@STANDARD.rule("FMD-STACK-008", "Use Depends() for DI", section=VERSIONS, level=MANDATORY)
def uses_depends(project: Project) -> Verdict:
    """The routes get their collaborators through ``Depends``."""
    routes = _routes(project)
    if not routes:
        return not_applicable("no routes")
    if any(calls_of(project, ("Depends", "fastapi.Depends", "Security", "fastapi.Security"))):
        return passed("the package injects with Depends()")
    first = routes[0]
    return failed(
        "no route uses Depends()", [project.finding(first.path, first.function, "no Depends()")]
    )


@STANDARD.rule("FMD-TYPE-001", "Strict typing + mypy/pyright", section=CHECKLIST, level=MANDATORY)
def strict_type_checker(project: Project) -> Verdict:
    """pyright or mypy is configured in strict mode."""
    if str(project.tool("pyright").get("typeCheckingMode", "")) == "strict":
        return passed("[tool.pyright] typeCheckingMode = strict")
    if project.tool("mypy").get("strict") is True:
        return passed("[tool.mypy] strict = true")
    if re.search(r'"typeCheckingMode"\s*:\s*"strict"', project.text("pyrightconfig.json") or ""):
        return passed("pyrightconfig.json is strict")
    if re.search(r"^\s*strict\s*=\s*(True|true)", project.text("mypy.ini") or "", re.M):
        return passed("mypy.ini is strict")
    return failed(
        "no strict pyright or mypy configuration", [Finding("not strict", "pyproject.toml")]
    )


# ======================================================= §4 Configuration


@STANDARD.rule(
    "FMD-CONFIG-001",
    "Config only via environment variables/secret manager. No hardcoding.",
    section=CONFIGURATION,
    level=MANDATORY,
)
def no_hardcoded_secrets(project: Project) -> Verdict:
    """No string literal is assigned to a name (or a settings default) that holds a secret."""
    found: list[Finding] = []
    for path, module in project.modules():
        for node in ast.walk(module):
            pairs: list[tuple[str, ast.expr | None]] = []
            if isinstance(node, ast.Assign):
                pairs = [(t.id, node.value) for t in node.targets if isinstance(t, ast.Name)]
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                value = node.value
                if isinstance(value, ast.Call):
                    value = kwarg(value, "default") or (value.args[0] if value.args else None)
                if (
                    isinstance(value, ast.Call)
                    and dotted_name(value.func).endswith("SecretStr")
                    and value.args
                ):
                    value = value.args[0]
                pairs = [(node.target.id, value)]
            elif isinstance(node, ast.keyword) and node.arg:
                pairs = [(node.arg, node.value)]
            for name, value in pairs:
                if (
                    SECRET_NAME.search(name)
                    and not NOT_A_SECRET.search(name)
                    and isinstance(value, ast.Constant)
                    and isinstance(value.value, str)
                    and value.value
                ):
                    found.append(project.finding(path, node, f"{name} is a hardcoded secret"))
    return verdict_of(found, ok="no secret is hardcoded", broken="hardcoded secrets")


STANDARD.undecidable(
    "FMD-CONFIG-002",
    "Excessively use Pydantic",
    section=CONFIGURATION,
    level=MANDATORY,
    reason="How much of the code validates through Pydantic is a judgement no file count decides; "
    "FMD-API-001 and FMD-CONFIG-003 check the places the standard names.",
)


@STANDARD.rule(
    "FMD-CONFIG-003",
    "Use BaseSettings from pydantic-settings",
    section=CONFIGURATION,
    level=MANDATORY,
)
def base_settings(project: Project) -> Verdict:
    """A ``BaseSettings`` class holds the configuration; no module reads ``os.environ`` itself."""
    classes = settings_classes(project)
    if not classes:
        return failed(
            "no BaseSettings class",
            [Finding("no settings class", package_where(project) or "src")],
        )
    settings_files = {path for path, _ in classes}
    found = [
        project.finding(path, node, f"reads {dotted_name(node)} outside the settings")
        for path, module in project.modules()
        if path not in settings_files
        for node in ast.walk(module)
        if isinstance(node, ast.Attribute) and dotted_name(node) in ("os.environ", "os.getenv")
    ]
    where = project.rel(classes[0][0])
    return verdict_of(
        found, ok=f"{where} has the BaseSettings", broken="configuration read around the settings"
    )


@STANDARD.rule(
    "FMD-CONFIG-004",
    "Secrets (tokens, passwords) — separate fields, never logged, masking applied",
    section=CONFIGURATION,
    level=MANDATORY,
)
def masked_secrets(project: Project) -> Verdict:
    """Each settings field that holds a secret is a ``SecretStr`` (masked in logs and reprs)."""
    secrets = [
        field
        for field in _settings(project)
        if SECRET_NAME.search(field.name)
        and "public" not in field.name
        and "str" in field.annotation.lower()
    ]
    if not secrets:
        return not_applicable("no secret among the settings")
    found = [
        project.finding(field.path, field.node, f"{field.name}: {field.annotation}, not SecretStr")
        for field in secrets
        if "Secret" not in field.annotation
    ]
    return verdict_of(
        found, ok=f"{len(secrets)} secret setting(s), all SecretStr", broken="secrets not masked"
    )


# ============================================================ §5 Lifespan


@STANDARD.rule(
    "FMD-APP-001", "Use lifespan instead of old startup/shutdown", section=LIFESPAN, level=MANDATORY
)
def lifespan_not_events(project: Project) -> Verdict:
    """No ``on_event`` handlers and no ``on_startup``/``on_shutdown`` arguments."""
    apps = _fastapi_apps(project)
    if not apps:
        return not_applicable("no FastAPI app")
    found = [
        project.finding(path, call, "on_event(): use lifespan")
        for path, call in calls_of(project, (".on_event",))
    ]
    for path, call in [*apps, *calls_of(project, ("APIRouter", "fastapi.APIRouter"))]:
        for name in ("on_startup", "on_shutdown"):
            if kwarg(call, name) is not None:
                found.append(project.finding(path, call, f"{name}=: use lifespan"))
    return verdict_of(
        found, ok="startup and shutdown are the lifespan's", broken="old startup/shutdown events"
    )


@STANDARD.rule(
    "FMD-APP-002",
    "All clients (DB, Redis, httpx) — initialized once and properly closed",
    section=LIFESPAN,
    level=MANDATORY,
)
def clients_once(project: Project) -> Verdict:
    """No client is built inside an ``async def`` but the lifespan; the lifespan closes them."""
    constructed = list(calls_of(project, CLIENT_CONSTRUCTORS))
    if not constructed:
        return not_applicable("no DB, Redis or HTTP client")
    lifespans = _lifespans(project)
    exempt = {id(function) for _, function in lifespans}
    found: list[Finding] = []
    for path, function in async_functions(project):
        if id(function) not in exempt:
            for node in own_body(function):
                if isinstance(node, ast.Call) and (path, node) in constructed:
                    name = dotted_name(node.func)
                    found.append(
                        project.finding(path, node, f"{name}() built per call in {function.name}")
                    )
    if not lifespans:
        path, call = constructed[0]
        found.append(project.finding(path, call, "no lifespan closes the clients"))
    elif not any(_closes_a_client(function) for _, function in lifespans):
        path, function = lifespans[0]
        found.append(project.finding(path, function, "the lifespan closes no client"))
    return verdict_of(
        found,
        ok="clients are built once and closed by the lifespan",
        broken="clients not owned by the lifespan",
    )


# ============================================================== §6 Routes


@STANDARD.rule(
    "FMD-API-001",
    "Use pydantic models for input/output. Responses strictly typed.",
    section=ROUTES,
    level=MANDATORY,
)
def typed_routes(project: Project) -> Verdict:
    """Every documented route declares its response type; no body or response is a loose dict."""
    routes = _documented_routes(project)
    if not routes:
        return not_applicable("no routes")
    found: list[Finding] = []
    for route in routes:
        function = route.function
        returns = ast.unparse(function.returns) if function.returns else ""
        if not returns and kwarg(route.decorator, "response_model") is None:
            found.append(
                project.finding(route.path, function, f"{function.name}: no response type")
            )
        elif returns in LOOSE_TYPES:
            found.append(
                project.finding(route.path, function, f"{function.name} returns {returns}")
            )
        for parameter in parameters_of(function):
            if (
                parameter.annotation is not None
                and ast.unparse(parameter.annotation) in LOOSE_TYPES
            ):
                found.append(
                    project.finding(
                        route.path, parameter, f"{function.name}({parameter.arg}) is untyped"
                    )
                )
    return verdict_of(found, ok=f"{len(routes)} route(s) typed", broken="routes not strictly typed")


@STANDARD.rule(
    "FMD-API-002",
    "Always specify response_model, status_code, summary, description, responses",
    section=ROUTES,
    level=MANDATORY,
)
def documented_operations(project: Project) -> Verdict:
    """Each documented route sets them; a return annotation is FastAPI's response_model and a
    docstring its description."""
    routes = _documented_routes(project)
    if not routes:
        return not_applicable("no routes")
    found: list[Finding] = []
    for route in routes:
        missing = [
            name
            for name in ("status_code", "summary", "responses")
            if kwarg(route.decorator, name) is None
        ]
        if kwarg(route.decorator, "response_model") is None and route.function.returns is None:
            missing.append("response_model")
        if (
            kwarg(route.decorator, "description") is None
            and ast.get_docstring(route.function) is None
        ):
            missing.append("description")
        if missing:
            operation = f"{route.method.upper()} {route.url or route.function.name}"
            message = f"{operation}: no {', '.join(missing)}"
            found.append(project.finding(route.path, route.decorator, message))
    return verdict_of(
        found, ok=f"{len(routes)} route(s) fully documented", broken="routes lack OpenAPI details"
    )


@STANDARD.rule("FMD-API-003", "Add examples for key contracts", section=ROUTES, level=MANDATORY)
def schema_examples(project: Project) -> Verdict:
    """Some schema or route gives ``examples`` (Field, json_schema_extra, openapi_examples)."""
    if not _documented_routes(project):
        return not_applicable("no routes")
    for path, module in project.modules():
        for node in ast.walk(module):
            if isinstance(node, ast.keyword) and node.arg in (
                "examples",
                "openapi_examples",
                "example",
            ):
                return passed(f"{project.rel(path)} gives examples")
            if isinstance(node, ast.Constant) and node.value == "examples":
                return passed(f"{project.rel(path)} gives examples")
    return failed(
        "no schema or route gives examples",
        [Finding("no examples=", package_where(project))],
    )


STANDARD.undecidable(
    "FMD-API-004",
    "Follow REST; don't invent protocols: REST, HTTP codes, OpenAPI",
    section=ROUTES,
    level=MANDATORY,
    reason="Whether resources, methods and status codes model the domain RESTfully is an API "
    "design review, not a property of a file (§27 repeats it).",
)


# ============================================================== §7 Errors


@STANDARD.rule(
    "FMD-ERR-001",
    "Unified error format — RFC 7807 (Problem Details)",
    section=ERRORS,
    level=MANDATORY,
)
def problem_details(project: Project) -> Verdict:
    """Errors are answered as ``application/problem+json`` or with type/title/detail bodies."""
    if not _fastapi_apps(project):
        return not_applicable("no FastAPI app")
    for path, _, text in string_literals(project):
        if text == "application/problem+json":
            return passed(f"{project.rel(path)} answers application/problem+json")
    for path, module in project.modules():
        for node in ast.walk(module):
            if isinstance(node, ast.Dict):
                keys = {key.value for key in node.keys if isinstance(key, ast.Constant)}
                if {"type", "title", "detail"} <= keys:
                    return passed(f"{project.rel(path)} builds problem bodies")
    return failed(
        "no RFC 7807 problem body",
        [Finding("no application/problem+json", package_where(project))],
    )


@STANDARD.rule(
    "FMD-ERR-002",
    "Global handlers map domain/infrastructure exceptions to HTTP",
    section=ERRORS,
    level=MANDATORY,
)
def global_handlers(project: Project) -> Verdict:
    """The app registers exception handlers (``exception_handlers=``, ``add_exception_handler``)."""
    apps = _fastapi_apps(project)
    if not apps:
        return not_applicable("no FastAPI app")
    if any(kwarg(call, "exception_handlers") is not None for _, call in apps):
        return passed("FastAPI(exception_handlers=...)")
    if any(calls_of(project, (".add_exception_handler", ".exception_handler"))):
        return passed("the app registers exception handlers")
    path, call = apps[0]
    return failed(
        "no global exception handler", [project.finding(path, call, "no exception handlers")]
    )


@STANDARD.rule(
    "FMD-ERR-003",
    "Never return stack traces or secrets to the client",
    section=ERRORS,
    level=MANDATORY,
)
def no_tracebacks(project: Project) -> Verdict:
    """No traceback is formatted in the package and no app is built with ``debug=True``."""
    found = [
        project.finding(
            path, call, f"{dotted_name(call.func)}(): a stack trace can reach a response"
        )
        for path, call in calls_of(
            project,
            (
                "traceback.format_exc",
                "traceback.format_exception",
                "traceback.format_tb",
                "traceback.print_exc",
            ),
        )
    ]
    found += [
        project.finding(path, call, "FastAPI(debug=True) returns tracebacks")
        for path, call in _fastapi_apps(project)
        if is_constant(kwarg(call, "debug"), True)
    ]
    return verdict_of(
        found,
        ok="no stack trace is formatted for a client",
        broken="stack traces can reach clients",
    )


@STANDARD.rule(
    "FMD-ERR-004",
    "ValueErrors might become Pydantic ValidationError (validators raise ValueError)",
    section=ERRORS,
    level=SHOULD,
)
def validators_raise_value_error(project: Project) -> Verdict:
    """Pydantic validators raise ``ValueError``, not HTTP errors."""
    validators = [
        (path, function)
        for path, function in package_functions(project)
        if any(
            dotted_name(d.func if isinstance(d, ast.Call) else d).endswith("validator")
            for d in function.decorator_list
        )
    ]
    if not validators:
        return not_applicable("no Pydantic validator")
    found = [
        project.finding(path, node, f"{function.name} raises an HTTP error: raise ValueError")
        for path, function in validators
        for node in own_body(function)
        if isinstance(node, ast.Raise)
        and isinstance(node.exc, ast.Call)
        and dotted_name(node.exc.func).endswith("HTTPException")
    ]
    return verdict_of(
        found, ok="validators raise ValueError", broken="validators raise HTTP errors"
    )


# ============================================================ §8 Security


@STANDARD.rule(
    "FMD-SEC-001",
    "CORS: explicit allowlist of origins/methods/headers",
    section=SECURITY,
    level=MANDATORY,
)
def cors_allowlist(project: Project) -> Verdict:
    """Each CORSMiddleware names its origins, methods and headers, and none is ``"*"``."""
    found: list[Finding] = []
    seen = 0
    for path, call in calls_of(
        project, (".add_middleware", "Middleware", "starlette.middleware.Middleware")
    ):
        if not call.args or not dotted_name(call.args[0]).endswith("CORSMiddleware"):
            continue
        seen += 1
        for name in ("allow_origins", "allow_methods", "allow_headers"):
            value = kwarg(call, name)
            if value is None:
                found.append(project.finding(path, call, f"no {name}"))
            elif any(is_constant(node, "*") for node in ast.walk(value)):
                found.append(project.finding(path, call, f"{name} allows '*'"))
    if not seen:
        return not_applicable("no CORSMiddleware: no cross-origin call is allowed")
    return verdict_of(
        found,
        ok="CORS allows listed origins, methods and headers",
        broken="CORS is not an allowlist",
    )


@STANDARD.rule(
    "FMD-SEC-002",
    "Authentication: OAuth2 (JWT) or API Key; default is JWT",
    section=SECURITY,
    level=MANDATORY,
)
def authentication(project: Project) -> Verdict:
    """A fastapi.security scheme authenticates; OAuth2/bearer schemes come with a JWT library."""
    if not _routes(project):
        return not_applicable("no routes")
    used = {
        alias.name
        for _, module in project.modules()
        for node in ast.walk(module)
        if isinstance(node, ast.ImportFrom) and node.module == "fastapi.security"
        for alias in node.names
    } & SECURITY_SCHEMES
    if not used:
        return failed(
            "no OAuth2, bearer or API key scheme",
            [Finding("no fastapi.security scheme", "pyproject.toml")],
        )
    if used & BEARER_SCHEMES and not any(project.depends_on(name) for name in JWT_PACKAGES):
        return failed(
            "a bearer scheme without a JWT library",
            [Finding(f"none of {', '.join(JWT_PACKAGES)}", "pyproject.toml")],
        )
    return passed(f"authenticates with {', '.join(sorted(used))}")


STANDARD.undecidable(
    "FMD-SEC-003",
    "Authorization: roles/permissions at router/service level",
    section=SECURITY,
    level=MANDATORY,
    reason="Which role may call which route is the service's access model; a static read cannot "
    "tell an authorization dependency from any other dependency.",
)


@STANDARD.rule(
    "FMD-SEC-004",
    "Required security headers: X-Content-Type-Options, X-Frame-Options, Referrer-Policy, "
    "Content-Security-Policy (if static), Strict-Transport-Security",
    section=SECURITY,
    level=MANDATORY,
)
def security_headers(project: Project) -> Verdict:
    """The package sets each header (Content-Security-Policy when it serves static files)."""
    if not _fastapi_apps(project):
        return not_applicable("no FastAPI app")
    if project.depends_on("secure"):
        return passed("the secure library sets the headers")
    wanted: list[str] = list(SECURITY_HEADERS)
    if any(calls_of(project, ("StaticFiles", "Jinja2Templates"))):
        wanted.append("Content-Security-Policy")
    where = package_where(project)
    found = [
        Finding(f"never sets {header}", where)
        for header in wanted
        if not _mentions(project, header)
    ]
    return verdict_of(
        found, ok="every required security header is set", broken="security headers missing"
    )


@STANDARD.rule(
    "FMD-SEC-005",
    "Password hashing: argon2/bcrypt. Never store in plain text.",
    section=SECURITY,
    level=MANDATORY,
)
def password_hashing(project: Project) -> Verdict:
    """Where passwords are handled, argon2/bcrypt hashes them and no column stores one as is."""
    handled = project.grep(r"(?i)password", project.python_files(), "handles passwords")
    if not handled:
        return not_applicable("no password is handled")
    found: list[Finding] = []
    if not any(project.depends_on(name) for name in PASSWORD_HASHERS):
        found.append(Finding(f"none of {', '.join(PASSWORD_HASHERS)}", "pyproject.toml"))
    for path, cls, _ in _orm_models(project):
        for column in _columns(cls):
            if "password" in column.name and "hash" not in column.name:
                found.append(
                    project.finding(
                        path, column.node, f"{column.name}: store a hash (password_hash)"
                    )
                )
    return verdict_of(
        found, ok="passwords are hashed with argon2/bcrypt", broken="passwords not hashed"
    )


@STANDARD.rule(
    "FMD-SEC-006",
    "Injection protection: parameterized queries, no eval, strict validation",
    section=SECURITY,
    level=MANDATORY,
)
def no_injection(project: Project) -> Verdict:
    """No ``eval``/``exec``; no SQL built by f-string, ``%`` or ``.format``."""
    found = [
        project.finding(path, call, f"{dotted_name(call.func)}()")
        for path, call in calls_of(project, ("eval", "exec"))
    ]
    for path, call in calls_of(
        project, ("text", "sqlalchemy.text", ".execute", ".fetch", ".fetchrow", ".fetchval")
    ):
        first = call.args[0] if call.args else None
        built = isinstance(first, ast.JoinedStr) or (
            isinstance(first, ast.BinOp) and isinstance(first.op, ast.Mod)
        )
        built = built or (
            isinstance(first, ast.Call) and dotted_name(first.func).endswith(".format")
        )
        if built:
            found.append(project.finding(path, call, "SQL built from strings: bind parameters"))
    return verdict_of(
        found, ok="queries are parameterized and nothing is eval'd", broken="injection risks"
    )


STANDARD.undecidable(
    "FMD-SEC-007",
    "PII: mask in logs, provide deletion (privacy by design)",
    section=SECURITY,
    level=MANDATORY,
    reason="Which fields are personal data, and whether each log call masks them, depends on the "
    "service's data and its runtime values.",
)


# ============================================================ §9 Database


@STANDARD.rule(
    "FMD-DB-001",
    "SQLAlchemy 2.x. Layers: ORM models → repositories → services",
    section=DATABASE,
    level=MANDATORY,
)
def repository_layer(project: Project) -> Verdict:
    """Repositories exist, and no router or service builds SQL itself."""
    if not uses_sqlalchemy(project):
        return not_applicable("no SQLAlchemy")
    found: list[Finding] = []
    repositories = [
        p for p in project.python_files() if p.stem in ("repository", "repositories", "repo")
    ]
    if not repositories:
        found.append(Finding("no repository module (repository.py)", package_where(project)))
    for path, module in project.modules():
        if path.stem not in ("router", "service", "routes", "services"):
            continue
        for node in ast.walk(module):
            if isinstance(node, ast.ImportFrom) and node.module in ("sqlalchemy", "sqlmodel"):
                builders = sorted(a.name for a in node.names if a.name in SQL_BUILDERS)
                if builders:
                    found.append(
                        project.finding(
                            path, node, f"builds SQL ({', '.join(builders)}): use a repository"
                        )
                    )
    return verdict_of(
        found, ok="models -> repositories -> services", broken="SQL outside the repositories"
    )


@STANDARD.rule(
    "FMD-DB-002",
    "Async sessions, explicit transactions, repeatable read or higher if needed",
    section=DATABASE,
    level=MANDATORY,
)
def async_sessions(project: Project) -> Verdict:
    """An async engine and sessions; no sync engine, no autocommit."""
    if not uses_sqlalchemy(project):
        return not_applicable("no SQLAlchemy")
    found = [
        project.finding(path, call, f"{dotted_name(call.func)}(): use the async API")
        for path, call in calls_of(
            project,
            (
                "create_engine",
                "sqlalchemy.create_engine",
                "sessionmaker",
                "orm.sessionmaker",
                "Session",
            ),
        )
    ]
    for path, module in project.modules():
        for node in ast.walk(module):
            if isinstance(node, ast.keyword) and (
                (node.arg == "isolation_level" and is_constant(node.value, "AUTOCOMMIT"))
                or (node.arg == "autocommit" and is_constant(node.value, True))
            ):
                found.append(
                    project.finding(path, node.value, "autocommit: make transactions explicit")
                )
    if not any(
        calls_of(project, ("create_async_engine", "sqlalchemy.ext.asyncio.create_async_engine"))
    ):
        found.append(Finding("no create_async_engine()", package_where(project)))
    return verdict_of(
        found,
        ok="async engine and sessions, explicit transactions",
        broken="not async, explicit sessions",
    )


def _revisions(project: Project) -> list[Path]:
    """Alembic revision files (``versions/*.py`` with a ``down_revision``)."""
    return [
        path
        for path in project.files("**/versions/*.py")
        if "down_revision" in (project.text(project.rel(path)) or "")
    ]


@STANDARD.rule(
    "FMD-DB-003",
    "Migrations via Alembic: each schema in repo, avoid junk auto-gen",
    section=DATABASE,
    level=MANDATORY,
)
def alembic_migrations(project: Project) -> Verdict:
    """Alembic is set up, every ORM table has a migration, no revision keeps the auto-gen stub."""
    if not _uses_database(project):
        return not_applicable("no database")
    found: list[Finding] = []
    if not project.depends_on("alembic"):
        found.append(Finding("no alembic dependency", "pyproject.toml"))
    if not project.exists("alembic.ini"):
        found.append(Finding("missing", "alembic.ini"))
    revisions = _revisions(project)
    if not revisions:
        found.append(Finding("no migration revision (versions/*.py)", "alembic.ini"))
    texts = {path: project.text(project.rel(path)) or "" for path in revisions}
    for path, cls, table in _orm_models(project):
        if revisions and not any(
            re.search(rf"[\"']{re.escape(table)}[\"']", text) for text in texts.values()
        ):
            found.append(project.finding(path, cls, f"table {table} has no migration"))
    found += project.grep(
        re.escape(AUTOGEN_MARKER), revisions, "unreviewed auto-generated migration"
    )
    return verdict_of(
        found,
        ok=f"{len(revisions)} Alembic revision(s) cover every table",
        broken="migrations incomplete",
    )


@STANDARD.rule(
    "FMD-DB-004",
    "Indices, unique constraints, foreign keys required",
    section=DATABASE,
    level=MANDATORY,
)
def foreign_keys(project: Project) -> Verdict:
    """Every ``*_id`` column is a foreign key, and every foreign key is indexed."""
    models = _orm_models(project)
    if not models:
        return not_applicable("no ORM model")
    found: list[Finding] = []
    for path, cls, table in models:
        for column in _columns(cls):
            text = column.argument_text()
            if not column.name.endswith("_id") or "primary_key=True" in text:
                continue
            if "ForeignKey" not in text:
                found.append(
                    project.finding(path, column.node, f"{table}.{column.name} is no foreign key")
                )
            elif (
                "index=True" not in text
                and "unique=True" not in text
                and f"'{column.name}'" not in ast.unparse(cls)
            ):
                found.append(
                    project.finding(
                        path, column.node, f"{table}.{column.name}: index the foreign key"
                    )
                )
    return verdict_of(
        found,
        ok="reference columns are indexed foreign keys",
        broken="references without keys or indexes",
    )


@STANDARD.rule(
    "FMD-DB-005", "N+1 avoidance with selectinload/joinedload", section=DATABASE, level=MANDATORY
)
def no_lazy_loading(project: Project) -> Verdict:
    """A ``relationship()`` names its loading, or the package loads with selectinload/joinedload."""
    relationships = list(calls_of(project, ("relationship", "orm.relationship")))
    if not relationships:
        return not_applicable("no relationship()")
    if any(calls_of(project, tuple(LAZY_LOADS) + tuple(f".{name}" for name in LAZY_LOADS))):
        return passed("queries load relationships with loader options")
    found = [
        project.finding(path, call, "relationship() loads lazily: set lazy= or use selectinload")
        for path, call in relationships
        if kwarg(call, "lazy") is None
    ]
    return verdict_of(
        found, ok="every relationship says how it loads", broken="lazy relationships (N+1)"
    )


@STANDARD.rule(
    "FMD-DB-006",
    "Explicitly set the indexes' namings according to the database's convention",
    section=DATABASE,
    level=RECOMMENDED,
)
def naming_convention(project: Project) -> Verdict:
    """The models' ``MetaData`` has a ``naming_convention``."""
    if not _orm_models(project):
        return not_applicable("no ORM model")
    for path, call in calls_of(project, ("MetaData", "sqlalchemy.MetaData")):
        if kwarg(call, "naming_convention") is not None:
            return passed(f"{project.rel(path)} sets a naming convention")
    path, cls, _ = _orm_models(project)[0]
    return failed(
        "no MetaData(naming_convention=...)",
        [project.finding(path, cls, "default constraint names")],
    )


def _is_plural(name: str) -> bool:
    """Whether the last word of a snake_case name looks plural (``items``, not ``status``)."""
    last = name.rsplit("_", 1)[-1]
    return last.endswith("s") and not last.endswith(("ss", "us", "is"))


@STANDARD.rule(
    "FMD-DB-007",
    "Set DB naming conventions: lower_case_snake, singular form, _at for datetime, _date for date",
    section=DATABASE,
    level=MANDATORY,
)
def table_names(project: Project) -> Verdict:
    """Tables are singular snake_case; datetime columns end in ``_at``, date ones in ``_date``."""
    models = _orm_models(project)
    if not models:
        return not_applicable("no ORM model")
    found: list[Finding] = []
    for path, cls, table in models:
        if not ROUTE_PATH.match(table):
            found.append(project.finding(path, cls, f"table {table} is not lower_case_snake"))
        elif _is_plural(table):
            found.append(
                project.finding(path, cls, f"table {table} is plural: name it in singular form")
            )
        for column in _columns(cls):
            kind = column.annotation.removeprefix("Mapped[").removesuffix("]").split("|")[0].strip()
            if kind.endswith("datetime") and not column.name.endswith("_at"):
                found.append(
                    project.finding(
                        path, column.node, f"{table}.{column.name}: datetime without _at"
                    )
                )
            elif kind.endswith("date") and not column.name.endswith("_date"):
                found.append(
                    project.finding(path, column.node, f"{table}.{column.name}: date without _date")
                )
    return verdict_of(
        found, ok="tables and columns follow the naming rules", broken="names break the convention"
    )


STANDARD.undecidable(
    "FMD-DB-008",
    "Group similar tables with module prefix; stay consistent across tables",
    section=DATABASE,
    level=MANDATORY,
    reason="Which tables are similar and which concrete names fit a module is a modelling "
    "judgement made in review.",
)
STANDARD.undecidable(
    "FMD-DB-009",
    "SQL-first, Pydantic-second: complex joins and JSON aggregation in the database",
    section=DATABASE,
    level=RECOMMENDED,
    reason="Where a given response is best shaped, in SQL or in Python, depends on each query's "
    "data and is decided in review.",
)


# =============================================================== §10 Async


@STANDARD.rule(
    "FMD-ASYNC-001",
    "httpx.AsyncClient — single instance per app (via lifespan). Timeouts mandatory, "
    "retries with exponential backoff, connection limit",
    section=ASYNC,
    level=MANDATORY,
)
def httpx_client(project: Project) -> Verdict:
    """Each AsyncClient is built outside request code with ``timeout=``, ``limits=`` and retries."""
    clients = list(calls_of(project, HTTPX_ASYNC))
    one_off = list(calls_of(project, (*HTTPX_ONE_OFF, "httpx.Client")))
    if not clients and not one_off:
        return not_applicable("no outgoing HTTP client")
    found = [
        project.finding(path, call, f"{dotted_name(call.func)}(): use the app's AsyncClient")
        for path, call in one_off
    ]
    retry_library = any(project.depends_on(name) for name in RETRY_PACKAGES)
    lifespans = {id(function) for _, function in _lifespans(project)}
    for path, function in async_functions(project):
        if id(function) not in lifespans:
            found += [
                project.finding(path, node, f"AsyncClient built per call in {function.name}")
                for node in own_body(function)
                if isinstance(node, ast.Call) and dotted_name(node.func) in HTTPX_ASYNC
            ]
    for path, call in clients:
        for name in ("timeout", "limits"):
            if kwarg(call, name) is None:
                found.append(project.finding(path, call, f"AsyncClient without {name}="))
        transport = kwarg(call, "transport")
        if not retry_library and "retries" not in (ast.unparse(transport) if transport else ""):
            found.append(project.finding(path, call, "AsyncClient without retries"))
    return verdict_of(
        found, ok="one bounded, retrying AsyncClient", broken="HTTP client not bounded or shared"
    )


@STANDARD.rule(
    "FMD-ASYNC-002",
    "All calls must have time budgets, cancellation with asyncio.Timeout",
    section=ASYNC,
    level=MANDATORY,
)
def time_budgets(project: Project) -> Verdict:
    """Engines and Redis clients set timeouts; the package cancels with ``asyncio.timeout``."""
    engines = list(calls_of(project, ("create_async_engine",)))
    redis = list(calls_of(project, REDIS_CONSTRUCTORS))
    if not engines and not redis and not any(calls_of(project, HTTPX_ASYNC)):
        return not_applicable("no external client")
    found: list[Finding] = []
    for path, call in engines:
        connect = kwarg(call, "connect_args")
        text = ast.unparse(connect) if connect else ""
        if kwarg(call, "pool_timeout") is None:
            found.append(project.finding(path, call, "engine without pool_timeout="))
        if connect is None or (isinstance(connect, ast.Dict) and "timeout" not in text):
            found.append(project.finding(path, call, "engine without a connect/statement timeout"))
    for path, call in redis:
        if dotted_name(call.func).endswith("from_pool"):
            continue
        if kwarg(call, "socket_timeout") is None:
            found.append(project.finding(path, call, "Redis client without socket_timeout="))
    if not any(
        calls_of(project, ("asyncio.timeout", "asyncio.wait_for", "asyncio.timeout_at", "timeout"))
    ):
        found.append(Finding("no asyncio.timeout() anywhere", package_where(project)))
    return verdict_of(
        found, ok="external calls have time budgets", broken="calls without time budgets"
    )


@STANDARD.rule(
    "FMD-ASYNC-003",
    "A sync library for external services runs in an external worker thread",
    section=ASYNC,
    level=MANDATORY,
)
def sync_calls_in_threads(project: Project) -> Verdict:
    """No blocking network call (or sleep) is made directly in an ``async def``."""
    found: list[Finding] = []
    for path, function in async_functions(project):
        for node in own_body(function):
            if isinstance(node, ast.Call) and (name := dotted_name(node.func)) in BLOCKING_CALLS:
                message = f"{name}() blocks the event loop in {function.name}"
                found.append(project.finding(path, node, message))
    return verdict_of(
        found, ok="no blocking call runs on the event loop", broken="blocking calls in async code"
    )


# ========================================================= §11 Idempotency


def _create_routes(project: Project) -> list[Route]:
    """``POST`` routes that answer 201 Created."""
    return [
        route
        for route in _routes(project)
        if route.method == "post"
        and (value := kwarg(route.decorator, "status_code")) is not None
        and (is_constant(value, 201) or dotted_name(value).endswith("HTTP_201_CREATED"))
    ]


@STANDARD.rule(
    "FMD-IDEM-001",
    "Repeatable operations (POST create) — support Idempotency-Key",
    section=IDEMPOTENCY,
    level=MANDATORY,
)
def idempotency_key(project: Project) -> Verdict:
    """Each ``POST`` that answers 201 reads an ``Idempotency-Key`` header."""
    creates = _create_routes(project)
    if not creates:
        return not_applicable("no POST create route")
    found = [
        project.finding(route.path, route.function, f"{route.function.name}: no Idempotency-Key")
        for route in creates
        if not any(
            p.arg == "idempotency_key"
            or "Idempotency-Key" in ast.unparse(p.annotation or ast.Constant(""))
            for p in parameters_of(route.function)
        )
    ]
    return verdict_of(
        found, ok="every create takes an Idempotency-Key", broken="creates without Idempotency-Key"
    )


@STANDARD.rule(
    "FMD-IDEM-002",
    "Under the hood — unique keys/dedup table + transaction",
    section=IDEMPOTENCY,
    level=MANDATORY,
)
def dedup_table(project: Project) -> Verdict:
    """A table stores the idempotency keys, unique (or primary) on the key."""
    if not _create_routes(project):
        return not_applicable("no POST create route")
    for path, cls, table in _orm_models(project):
        if "idempot" in table or "dedup" in table:
            if any(
                "primary_key=True" in c.argument_text() or "unique=True" in c.argument_text()
                for c in _columns(cls)
            ):
                return passed(f"table {table} keeps unique keys")
            return failed(
                "the key table has no unique key",
                [project.finding(path, cls, f"{table}: no unique key")],
            )
    return failed(
        "no idempotency/dedup table",
        [Finding("no table stores idempotency keys", package_where(project))],
    )


STANDARD.undecidable(
    "FMD-IDEM-003",
    "Streaming writes/retries — only safe ones",
    section=IDEMPOTENCY,
    level=MANDATORY,
    reason="Whether a retried or streamed write is safe depends on the operation's semantics, "
    "decided per endpoint in review.",
)


# ========================================================== §12 Pagination


@dataclass(frozen=True)
class _QueryParameter:
    """A query parameter of a route or dependency, with its default and cap."""

    path: Path
    function: Function
    parameter: ast.arg
    default: int | None
    cap: int | None
    capped: bool  # le=/lt= is given, even when it is no literal


def _query_parameters(project: Project, name: str) -> list[_QueryParameter]:
    """Every ``Query`` parameter called ``name`` (``limit``)."""
    found: list[_QueryParameter] = []
    for path, module in _modules_importing(project, "fastapi"):
        for function in function_defs(module):
            for parameter in parameters_of(function):
                if parameter.arg != name:
                    continue
                default = _default_of(function, parameter)
                query = next(
                    (
                        node
                        for part in (parameter.annotation, default)
                        if part is not None
                        for node in ast.walk(part)
                        if isinstance(node, ast.Call) and dotted_name(node.func).endswith("Query")
                    ),
                    None,
                )
                if query is None:
                    continue
                cap_node = kwarg(query, "le") or kwarg(query, "lt")
                value = (
                    default
                    if default is not None and default is not query
                    else (kwarg(query, "default") or (query.args[0] if query.args else None))
                )
                found.append(
                    _QueryParameter(
                        path,
                        function,
                        parameter,
                        _int(value, module),
                        _int(cap_node, module),
                        cap_node is not None,
                    )
                )
    return found


def _list_routes(project: Project) -> list[Route]:
    """GET routes that return a collection (``list[...]``, ``Page[...]``, ``Sequence[...]``)."""
    return [
        route
        for route in _routes(project)
        if route.method == "get"
        and route.function.returns is not None
        and re.match(r"(list|Sequence|Page|.*Page)\[", ast.unparse(route.function.returns))
    ]


@STANDARD.rule(
    "FMD-PAGE-001",
    "Default limit/offset with max cap (e.g. 100)",
    section=PAGINATION,
    level=MANDATORY,
)
def limit_offset(project: Project) -> Verdict:
    """Lists take ``limit`` (with a default, capped at 100 or less) and ``offset``."""
    limits = _query_parameters(project, "limit")
    lists = _list_routes(project)
    if not limits and not lists:
        return not_applicable("no list endpoint")
    if not limits:
        route = lists[0]
        return failed(
            "lists are not paginated",
            [project.finding(route.path, route.function, "no limit parameter")],
        )
    found: list[Finding] = []
    for limit in limits:
        if limit.default is None:
            found.append(project.finding(limit.path, limit.parameter, "limit has no default"))
        if not limit.capped or (limit.cap is not None and limit.cap > 100):
            found.append(
                project.finding(
                    limit.path, limit.parameter, "limit is not capped at 100 or less (le=)"
                )
            )
        names = {p.arg for p in parameters_of(limit.function)}
        if "offset" not in names and "cursor" not in names:
            others = ", ".join(sorted(names - {"limit", "self"})) or "nothing"
            found.append(
                project.finding(
                    limit.path, limit.function, f"limit comes with {others}, not offset"
                )
            )
    return verdict_of(
        found,
        ok="limit/offset with a default and a cap",
        broken="pagination is not capped limit/offset",
    )


STANDARD.team(
    "FMD-PAGE-002",
    "For large sets — cursor-based pagination (base64 cursor)",
    section=PAGINATION,
    level=MANDATORY,
    reason="Which collections grow large enough for cursors is a property of the team's data.",
)


@STANDARD.rule(
    "FMD-PAGE-003", "Explicit sorting rules, whitelist fields", section=PAGINATION, level=MANDATORY
)
def explicit_sorting(project: Project) -> Verdict:
    """Paged queries have an ``order_by``; sort parameters are a Literal/Enum, not any string."""
    found: list[Finding] = []
    seen = False
    for path, module in _modules_importing(project, "sqlalchemy"):
        inner = {
            id(n.func.value)
            for n in ast.walk(module)
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
        }
        for node in ast.walk(module):
            if (
                not isinstance(node, ast.Call)
                or id(node) in inner
                or not isinstance(node.func, ast.Attribute)
            ):
                continue
            chain: list[str] = []
            current: ast.expr = node
            while isinstance(current, ast.Call) and isinstance(current.func, ast.Attribute):
                chain.append(current.func.attr)
                current = current.func.value
            if {"limit", "offset"} & set(chain):
                seen = True
                if "order_by" not in chain:
                    found.append(project.finding(path, node, "a page query without order_by"))
    for path, function in package_functions(project):
        for parameter in parameters_of(function):
            if parameter.arg in ("sort", "sort_by", "order_by", "ordering"):
                seen = True
                if parameter.annotation is not None and ast.unparse(parameter.annotation).split(
                    "|"
                )[0].strip() in ("str", "Annotated[str"):
                    found.append(
                        project.finding(
                            path, parameter, f"{parameter.arg}: any string; whitelist the fields"
                        )
                    )
    if not seen:
        return not_applicable("no paged query and no sort parameter")
    return verdict_of(
        found, ok="pages are ordered explicitly", broken="unordered or free-form sorting"
    )


# ============================================================ §13 Caching


@STANDARD.rule(
    "FMD-CACHE-001",
    "Headers: ETag/Last-Modified for GET, Cache-Control where safe",
    section=CACHING,
    level=MANDATORY,
)
def http_caching(project: Project) -> Verdict:
    """The package sets ``ETag`` or ``Last-Modified`` and ``Cache-Control``."""
    if not any(route.method == "get" for route in _routes(project)):
        return not_applicable("no GET route")
    where = package_where(project)
    found: list[Finding] = []
    if not (_mentions(project, "ETag") or _mentions(project, "Last-Modified")):
        found.append(Finding("no GET answers ETag or Last-Modified", where))
    if not _mentions(project, "Cache-Control"):
        found.append(Finding("no response sets Cache-Control", where))
    return verdict_of(
        found,
        ok="GET responses carry validators and Cache-Control",
        broken="no HTTP caching headers",
    )


@STANDARD.rule(
    "FMD-CACHE-002",
    "Internal cache (Redis) for heavy computations, TTL + invalidation",
    section=CACHING,
    level=MANDATORY,
)
def redis_cache(project: Project) -> Verdict:
    """The cache is Redis; its writes expire (``ex=``/``setex``) and something deletes keys."""
    found = _cache_not_redis(project)
    if found is None:
        return not_applicable("no cache")
    for path, call in calls_of(project, (".set",)):
        owner = dotted_name(call.func).lower()
        expires = any(kwarg(call, name) is not None for name in ("ex", "px", "exat", "pxat"))
        if ("client" in owner or "redis" in owner) and not expires:
            found.append(project.finding(path, call, "cache write without a TTL"))
    if not any(calls_of(project, (".delete", ".unlink"))):
        found.append(Finding("nothing invalidates the cache", package_where(project)))
    return verdict_of(
        found,
        ok="Redis cache with TTLs and invalidation",
        broken="cache without TTL or invalidation",
    )


# ====================================================== §14 Observability


@STANDARD.rule(
    "FMD-LOG-001",
    "Structured JSON logs, default level INFO",
    section=OBSERVABILITY,
    level=MANDATORY,
)
def json_logs(project: Project) -> Verdict:
    """Logs are rendered as JSON; a log-level setting defaults to INFO."""
    found: list[Finding] = []
    json_renderer = any(
        calls_of(
            project,
            (
                "JSONRenderer",
                "structlog.processors.JSONRenderer",
                ".JsonFormatter",
                "JsonFormatter",
            ),
        )
    )
    json_renderer = json_renderer or project.depends_on("python-json-logger")
    json_renderer = json_renderer or any(
        "json" in str(imported_modules(module))
        and any(base.endswith("Formatter") for base in dotted_bases(cls))
        for _, module in project.modules()
        for cls in ast.walk(module)
        if isinstance(cls, ast.ClassDef)
    )
    if not json_renderer:
        found.append(Finding("no JSON log renderer", package_where(project)))
    level = _setting(project, r"^log_level$")
    if level is not None and not is_constant(level.default, "INFO"):
        found.append(project.finding(level.path, level.node, "log_level does not default to INFO"))
    return verdict_of(found, ok="JSON logs at INFO by default", broken="logs not JSON at INFO")


@STANDARD.rule(
    "FMD-LOG-002",
    "Correlation ID: read from X-Request-ID or generate; propagate to outgoing requests",
    section=OBSERVABILITY,
    level=MANDATORY,
)
def correlation_id(project: Project) -> Verdict:
    """The package handles ``X-Request-ID``; outgoing clients carry it (event hooks or headers)."""
    if not _fastapi_apps(project):
        return not_applicable("no FastAPI app")
    if not _mentions(project, "X-Request-ID"):
        return failed(
            "no X-Request-ID",
            [Finding("never reads or sets X-Request-ID", package_where(project))],
        )
    found = [
        project.finding(path, call, "AsyncClient does not propagate X-Request-ID (event_hooks=)")
        for path, call in calls_of(project, HTTPX_ASYNC)
        if kwarg(call, "event_hooks") is None
        and "x-request-id" not in (project.text(project.rel(path)) or "").lower()
    ]
    return verdict_of(
        found,
        ok="X-Request-ID is read, generated and propagated",
        broken="request ID not propagated",
    )


@STANDARD.rule(
    "FMD-OBS-001",
    "Metrics (Prometheus): latency, RPS, errors by code, DB pools, retries",
    section=OBSERVABILITY,
    level=MANDATORY,
)
def prometheus_metrics(project: Project) -> Verdict:
    """A Prometheus library; latency histograms, request counters, a pool gauge with a database."""
    used = [name for name in METRICS_PACKAGES if project.depends_on(name)]
    if not used:
        return failed(
            "no Prometheus metrics",
            [Finding(f"none of {', '.join(METRICS_PACKAGES)}", "pyproject.toml")],
        )
    where = package_where(project)
    found: list[Finding] = []
    if not any(project.depends_on(name) for name in INSTRUMENTATORS):
        if not any(calls_of(project, ("Histogram", "prometheus_client.Histogram"))):
            found.append(Finding("no latency Histogram", where))
        if not any(calls_of(project, ("Counter", "prometheus_client.Counter"))):
            found.append(Finding("no request/error Counter", where))
    metric_modules = {path for path, _ in _modules_importing(project, "prometheus_client")}
    if uses_sqlalchemy(project) and not any(
        "pool" in text.lower()
        for path, _, text in string_literals(project)
        if path in metric_modules
    ):
        found.append(Finding("no DB pool metric", where))
    return verdict_of(found, ok=f"Prometheus metrics ({used[0]})", broken="metrics incomplete")


@STANDARD.rule(
    "FMD-OBS-002",
    "Tracing (OpenTelemetry): spans for routes, DB, external HTTP",
    section=OBSERVABILITY,
    level=MANDATORY,
)
def opentelemetry_spans(project: Project) -> Verdict:
    """OpenTelemetry instruments the routes, the database (instrumentor or events) and httpx."""
    where = package_where(project)
    if not any(name.startswith("opentelemetry") for name in project.dependencies):
        return failed(
            "no OpenTelemetry", [Finding("no opentelemetry dependency", "pyproject.toml")]
        )
    found: list[Finding] = []
    if not (
        project.depends_on("opentelemetry-instrumentation-fastapi")
        or any(calls_of(project, (".instrument_app", "OpenTelemetryMiddleware")))
    ):
        found.append(
            Finding("no route spans (opentelemetry-instrumentation-fastapi)", "pyproject.toml")
        )
    if _uses_database(project):
        instrumented = any(
            project.depends_on(f"opentelemetry-instrumentation-{name}")
            for name in ("sqlalchemy", "asyncpg", "psycopg")
        ) or any(
            "sqlalchemy" in str(imported_modules(module))
            and any(calls_of(project, ("event.listen", "event.listens_for")))
            for _, module in _modules_importing(project, "opentelemetry")
        )
        if not instrumented:
            found.append(Finding("no database spans", where))
    if project.depends_on("httpx") and not project.depends_on(
        "opentelemetry-instrumentation-httpx"
    ):
        found.append(
            Finding(
                "no external HTTP spans (opentelemetry-instrumentation-httpx)", "pyproject.toml"
            )
        )
    return verdict_of(
        found, ok="spans for routes, database and outgoing HTTP", broken="tracing incomplete"
    )


# ============================================================ §15 Formats


@STANDARD.rule(
    "FMD-FMT-001",
    "Dates/times — RFC 3339, UTC only, timezone-aware",
    section=FORMATS,
    level=MANDATORY,
)
def aware_datetimes(project: Project) -> Verdict:
    """No naive ``now()``/``utcnow()``/``today()``; columns are ``DateTime(timezone=True)``."""
    found: list[Finding] = []
    for path, call in calls_of(
        project,
        ("datetime.utcnow", "datetime.datetime.utcnow", "date.today", "datetime.date.today"),
    ):
        found.append(project.finding(path, call, f"{dotted_name(call.func)}() is naive"))
    for path, call in calls_of(project, ("datetime.now", "datetime.datetime.now")):
        if not call.args and kwarg(call, "tz") is None:
            found.append(project.finding(path, call, "datetime.now() without tz is naive"))
    # A ``type_annotation_map`` may map ``datetime`` to ``DateTime(timezone=True)`` for every model.
    aware_map = _any_name(project, "type_annotation_map")
    for path, cls, table in _orm_models(project):
        for column in _columns(cls):
            kind = column.annotation.removeprefix("Mapped[").split("|")[0].strip(" ]")
            text = column.argument_text()
            naive = ("DateTime" in text and "timezone=True" not in text) or (
                kind.endswith("datetime") and "DateTime" not in text and not aware_map
            )
            if naive:
                found.append(
                    project.finding(
                        path, column.node, f"{table}.{column.name}: use DateTime(timezone=True)"
                    )
                )
    return verdict_of(found, ok="datetimes are timezone-aware", broken="naive datetimes")


@STANDARD.rule(
    "FMD-FMT-002",
    "Monetary values — Decimal, ISO 4217 currency; never serialize float for money",
    section=FORMATS,
    level=MANDATORY,
)
def decimal_money(project: Project) -> Verdict:
    """No money field (price, amount, cost, fee, balance) is a ``float`` or ``Float`` column."""
    found: list[Finding] = []
    seen = False
    for path, module in project.modules():
        for node in ast.walk(module):
            if (
                isinstance(node, ast.AnnAssign)
                and isinstance(node.target, ast.Name)
                and MONEY_NAME.search(node.target.id)
            ):
                seen = True
                text = ast.unparse(node)
                if re.search(r"\bfloat\b|\bFloat\(", text):
                    found.append(
                        project.finding(path, node, f"{node.target.id} is a float: use Decimal")
                    )
    if not seen:
        return not_applicable("no money field")
    return verdict_of(found, ok="money is Decimal", broken="money as float")


# ============================================================ §16 OpenAPI


@STANDARD.rule("FMD-DOC-001", "API versioning: /api/v1 etc.", section=OPENAPI, level=MANDATORY)
def versioned_api(project: Project) -> Verdict:
    """The API is mounted under a ``/api/vN`` prefix."""
    routes = _documented_routes(project)
    if not routes:
        return not_applicable("no routes")
    for path, _, text in string_literals(project):
        if VERSIONED_PATH.match(text):
            return passed(f"{project.rel(path)} mounts {text}")
    return failed(
        "no /api/vN prefix",
        [project.finding(routes[0].path, routes[0].decorator, "unversioned route")],
    )


STANDARD.team(
    "FMD-DOC-002",
    "Deprecation — via deprecated: true + timelines",
    section=OPENAPI,
    level=MANDATORY,
    reason="Which endpoints are deprecated, and until when, is the owning team's release decision.",
)


@STANDARD.rule(
    "FMD-DOC-003", "Docs: summary, description, tags, examples", section=OPENAPI, level=MANDATORY
)
def tagged_routes(project: Project) -> Verdict:
    """Every documented route has tags (its own or its router's); FMD-API-002/003 check the rest."""
    routes = _documented_routes(project)
    if not routes:
        return not_applicable("no routes")
    tagged_routers = {
        (path, target.id)
        for path, module in project.modules()
        for node in ast.walk(module)
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Call)
        and kwarg(node.value, "tags") is not None
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    found = [
        project.finding(route.path, route.decorator, f"{route.function.name} has no tags")
        for route in routes
        if kwarg(route.decorator, "tags") is None
        and (route.path, route.owner) not in tagged_routers
    ]
    return verdict_of(found, ok="every route is tagged", broken="untagged routes")


@STANDARD.rule(
    "FMD-DOC-004",
    "Generate and publish OpenAPI JSON artifact in CI",
    section=OPENAPI,
    level=MANDATORY,
)
@_with_ci
def openapi_artifact(project: Project, text: str, where: str) -> Verdict:
    """A CI job writes the OpenAPI document and uploads it."""
    found: list[Finding] = []
    if "openapi" not in text.lower():
        found.append(Finding("CI does not generate the OpenAPI document", where))
    if not re.search(r"upload-artifact|artifacts:|gh release upload", text):
        found.append(Finding("CI publishes no artifact", where))
    return verdict_of(
        found, ok="CI publishes the OpenAPI document", broken="no OpenAPI artifact in CI"
    )


@STANDARD.rule(
    "FMD-DOC-005",
    "Unless your API is public, hide docs by default",
    section=OPENAPI,
    level=MANDATORY,
)
def hidden_docs(project: Project) -> Verdict:
    """``FastAPI()`` sets ``openapi_url`` (or ``docs_url`` and ``redoc_url``) to None or a test."""
    apps = _fastapi_apps(project)
    if not apps:
        return not_applicable("no FastAPI app")

    def hidden(call: ast.Call, name: str) -> bool:
        value = kwarg(call, name)
        return value is not None and not (
            isinstance(value, ast.Constant) and isinstance(value.value, str)
        )

    found = [
        project.finding(
            path,
            call,
            "docs are served by default: docs_url/redoc_url/openapi_url=None unless enabled",
        )
        for path, call in apps
        if not hidden(call, "openapi_url")
        and not (hidden(call, "docs_url") and hidden(call, "redoc_url"))
    ]
    return verdict_of(
        found, ok="docs are hidden unless switched on", broken="docs public by default"
    )


# ============================================================ §17 Testing


@STANDARD.rule(
    "FMD-TEST-001",
    "Unit tests for business logic (no DB); integration with test DB and the real FastAPI app",
    section=TESTING,
    level=MANDATORY,
)
def unit_and_integration(project: Project) -> Verdict:
    """tests/unit and tests/integration hold tests; with a database, the tests get one."""
    found = [
        Finding("no test_*.py", f"tests/{kind}")
        for kind in ("unit", "integration")
        if not _test_files(project, f"tests/{kind}")
    ]
    if _uses_database(project):
        has_db = any(
            project.uses(name)
            for name in (
                "testcontainers",
                "pytest-postgresql",
                "embedded-postgres",
                "pytest-docker",
            )
        )
        has_db = has_db or bool(
            re.search(r"services:\s*\n\s*(postgres|db|mysql)", ci_text(project))
        )
        if not has_db:
            found.append(Finding("no test database (testcontainers, CI service)", "pyproject.toml"))
    return verdict_of(
        found, ok="unit and integration tests, with a test database", broken="test layers missing"
    )


@STANDARD.rule(
    "FMD-TEST-002",
    "Contract tests via OpenAPI (schemathesis) for critical endpoints",
    section=TESTING,
    level=MANDATORY,
)
def contract_tests(project: Project) -> Verdict:
    """schemathesis is a dependency and tests/contract holds tests."""
    found: list[Finding] = []
    if not project.uses("schemathesis"):
        found.append(Finding("no schemathesis dependency", "pyproject.toml"))
    if not _test_files(project, "tests/contract"):
        found.append(Finding("no test_*.py", "tests/contract"))
    return verdict_of(found, ok="schemathesis contract tests", broken="no contract tests")


@STANDARD.rule(
    "FMD-TEST-003", "Data factories (factory-boy/custom), Faker", section=TESTING, level=MANDATORY
)
def data_factories(project: Project) -> Verdict:
    """A factory library (factory-boy, polyfactory: they bring Faker), or factories with Faker."""
    if any(project.uses(name) for name in FACTORY_PACKAGES):
        return passed("a factory library with Faker")
    custom = project.files("tests/**/factories.py") + project.files("tests/**/factories/*.py")
    if custom and project.uses("faker"):
        return passed(f"{project.rel(custom[0])} with Faker")
    found = (
        []
        if custom
        else [Finding("no factory-boy/polyfactory and no tests/factories.py", "pyproject.toml")]
    )
    if not project.uses("faker"):
        found.append(Finding("no faker dependency", "pyproject.toml"))
    return failed("no data factories with Faker", found)


@STANDARD.rule("FMD-TEST-004", "Coverage target ≥ 80%", section=TESTING, level=MANDATORY)
def coverage_gate(project: Project) -> Verdict:
    """``fail_under``/``--cov-fail-under`` is at least 80."""
    values: list[float] = []
    gate = project.tool("coverage.report").get("fail_under")
    if isinstance(gate, int | float):
        values.append(float(gate))
    texts = [
        ci_and_runners(project),
        project.text(".coveragerc") or "",
        project.text("setup.cfg") or "",
    ]
    texts.append(" ".join(str(a) for a in project.tool("pytest.ini_options").get("addopts", [])))
    for text in texts:
        values += [
            float(v)
            for v in re.findall(r"(?:--cov-fail-under[= ]|fail_under\s*=\s*)(\d+(?:\.\d+)?)", text)
        ]
    if not values:
        return failed(
            "no coverage gate",
            [Finding("set [tool.coverage.report] fail_under = 80", "pyproject.toml")],
        )
    if max(values) >= 80:
        return passed(f"coverage gate at {max(values):g}%")
    return failed(
        f"coverage gate at {max(values):g}%", [Finding("fail_under below 80", "pyproject.toml")]
    )


@STANDARD.rule(
    "FMD-TEST-005", "Set tests client async from day 0", section=TESTING, level=MANDATORY
)
def async_test_client(project: Project) -> Verdict:
    """Tests call the app through ``httpx.AsyncClient``, never ``TestClient``."""
    if not project.exists("tests"):
        return failed("no tests", [Finding("missing", "tests")])
    found = [
        project.finding(
            path, node, "TestClient: use httpx.AsyncClient(transport=ASGITransport(app))"
        )
        for path, module in project.modules("tests")
        for node in ast.walk(module)
        if isinstance(node, ast.ImportFrom)
        and node.module in ("fastapi.testclient", "starlette.testclient")
    ]
    if not found and not project.grep(
        r"AsyncClient", project.python_files("tests"), "async client"
    ):
        found.append(Finding("no test uses httpx.AsyncClient", "tests"))
    return verdict_of(found, ok="tests use httpx.AsyncClient", broken="tests use a sync client")


# ========================================================= §18 Performance


@STANDARD.rule(
    "FMD-PERF-001",
    "Uvicorn workers: by default multiple via gunicorn+uvicorn workers",
    section=PERFORMANCE,
    level=MANDATORY,
)
def multiple_workers(project: Project) -> Verdict:
    """Gunicorn runs Uvicorn workers, or Uvicorn starts with more than one worker by default."""
    runtime = "\n".join(
        project.text(name) or ""
        for name in ("Dockerfile", "Procfile", "gunicorn.conf.py", "compose.yaml")
    )
    if project.depends_on("gunicorn") and "UvicornWorker" in runtime + "".join(
        t for _, _, t in string_literals(project)
    ):
        return passed("gunicorn with Uvicorn workers")
    found: list[Finding] = []
    for match in re.finditer(r"--workers[= ](\d+)", runtime):
        if int(match.group(1)) > 1:
            return passed(f"--workers {match.group(1)}")
    for path, call in calls_of(project, ("uvicorn.run",)):
        value = kwarg(call, "workers")
        if value is None:
            found.append(
                project.finding(path, call, "uvicorn.run() without workers= runs one worker")
            )
            continue
        count = _number(value)
        if count is None and isinstance(value, ast.Attribute):
            field = _setting(project, rf"^{value.attr}$")
            count = _number(field.default) if field else None
            if count is not None and count <= 1 and field is not None:
                found.append(
                    project.finding(
                        field.path, field.node, f"{field.name} defaults to {count:g} worker"
                    )
                )
                continue
        if count is not None and count <= 1:
            found.append(project.finding(path, call, f"workers={count:g}"))
    if not found and not any(calls_of(project, ("uvicorn.run",))):
        found.append(Finding("no gunicorn+UvicornWorker and no multi-worker uvicorn", "Dockerfile"))
    return verdict_of(found, ok="several workers by default", broken="one worker by default")


@STANDARD.rule(
    "FMD-PERF-002",
    "Response compression (GZip/Brotli) — for large payloads",
    section=PERFORMANCE,
    level=MANDATORY,
)
def compression(project: Project) -> Verdict:
    """GZipMiddleware (or a Brotli middleware) is installed."""
    if not _fastapi_apps(project):
        return not_applicable("no FastAPI app")
    if any(project.depends_on(name) for name in COMPRESSION_PACKAGES) or _any_name(
        project, "GZipMiddleware"
    ):
        return passed("responses are compressed")
    path, call = _fastapi_apps(project)[0]
    return failed("no compression middleware", [project.finding(path, call, "add GZipMiddleware")])


def _any_name(project: Project, name: str) -> bool:
    """Whether the package uses the name ``name`` (or an attribute of that name)."""
    return any(
        (isinstance(node, ast.Name) and node.id == name)
        or (isinstance(node, ast.Attribute) and node.attr == name)
        for _, module in project.modules()
        for node in ast.walk(module)
    )


STANDARD.undecidable(
    "FMD-PERF-003",
    "Avoid unnecessary serialization/copies",
    section=PERFORMANCE,
    level=MANDATORY,
    reason="Which serializations or copies are unnecessary shows in profiles of real requests, not "
    "in the source.",
)


@STANDARD.rule(
    "FMD-PERF-004",
    "DB connection pool tuning for load, min/max bounds",
    section=PERFORMANCE,
    level=MANDATORY,
)
def pool_bounds(project: Project) -> Verdict:
    """Every async engine sets ``pool_size`` and ``max_overflow``."""
    engines = list(
        calls_of(project, ("create_async_engine", "sqlalchemy.ext.asyncio.create_async_engine"))
    )
    pools = list(calls_of(project, ("asyncpg.create_pool",)))
    if not engines and not pools:
        return not_applicable("no connection pool")
    found = [
        project.finding(path, call, f"engine without {name}=")
        for path, call in engines
        for name in ("pool_size", "max_overflow")
        if kwarg(call, name) is None and kwarg(call, "poolclass") is None
    ]
    found += [
        project.finding(path, call, f"pool without {name}=")
        for path, call in pools
        for name in ("min_size", "max_size")
        if kwarg(call, name) is None
    ]
    return verdict_of(found, ok="pools have min/max bounds", broken="pools without bounds")


# ========================================================== §19 Background


STANDARD.undecidable(
    "FMD-TASK-001",
    "Light — BackgroundTasks. Heavy/long — separate worker with broker, idempotent handlers",
    section=BACKGROUND,
    level=MANDATORY,
    reason="Whether a task is light or heavy is a property of its work at runtime, not its code.",
)


@STANDARD.rule(
    "FMD-TASK-002",
    "Scheduling — external scheduler, not inside web app",
    section=BACKGROUND,
    level=MANDATORY,
)
def no_inprocess_scheduler(project: Project) -> Verdict:
    """No in-process scheduler (APScheduler, rocketry, schedule, repeat_every) in the service."""
    found = dependency_findings(project, SCHEDULER_PACKAGES, runtime_only=True)
    for path, module in project.modules():
        for name in imported_modules(module):
            if within(name, *SCHEDULER_MODULES):
                found.append(Finding(f"imports {name}", project.rel(path)))
    found += [
        project.finding(path, call, "repeat_every schedules in the app")
        for path, call in calls_of(project, ("repeat_every",))
    ]
    return verdict_of(
        found, ok="no scheduler runs in the web app", broken="scheduling inside the web app"
    )


# =============================================================== §20 Files


@STANDARD.rule(
    "FMD-FILE-001", "Large files — streamed: StreamingResponse", section=FILES, level=MANDATORY
)
def streamed_files(project: Project) -> Verdict:
    """No route reads a whole ``UploadFile`` into memory (``await file.read()`` without a size)."""
    uploads = [
        (route, parameter.arg)
        for route in _routes(project)
        for parameter in parameters_of(route.function)
        if parameter.annotation is not None and "UploadFile" in ast.unparse(parameter.annotation)
    ]
    if (
        not uploads
        and not _any_name(project, "FileResponse")
        and not _any_name(project, "StreamingResponse")
    ):
        return not_applicable("no file upload or download")
    found = [
        project.finding(route.path, node, f"{name}.read() loads the whole file: read in chunks")
        for route, name in uploads
        for node in own_body(route.function)
        if isinstance(node, ast.Call) and dotted_name(node.func) == f"{name}.read" and not node.args
    ]
    return verdict_of(found, ok="files are streamed", broken="whole files read into memory")


@STANDARD.rule(
    "FMD-FILE-002", "Temp files — safe dir, auto cleanup", section=FILES, level=MANDATORY
)
def safe_temp_files(project: Project) -> Verdict:
    """No ``tempfile.mktemp``, no hardcoded ``/tmp`` path."""
    found = [
        project.finding(path, call, "mktemp() is unsafe: use TemporaryDirectory/NamedTemporaryFile")
        for path, call in calls_of(project, ("tempfile.mktemp", "mktemp"))
    ]
    found += [
        project.finding(path, node, f"hardcoded {text}")
        for path, node, text in string_literals(project)
        if text.startswith("/tmp")
    ]
    uses_temp = found or any(
        "tempfile" in imported_modules(module) for _, module in project.modules()
    )
    if not uses_temp:
        return not_applicable("no temporary file")
    return verdict_of(
        found,
        ok="temporary files come from tempfile's context managers",
        broken="unsafe temporary files",
    )


@STANDARD.rule(
    "FMD-FILE-003",
    "WebSocket — only if necessary, with auth and limits",
    section=FILES,
    level=MANDATORY,
)
def websocket_auth(project: Project) -> Verdict:
    """Each WebSocket route has an injected (auth) dependency."""
    sockets = [route for route in _routes(project) if route.method == "websocket"]
    if not sockets:
        return not_applicable("no WebSocket route")
    found = [
        project.finding(route.path, route.function, f"{route.function.name}: no auth dependency")
        for route in sockets
        if not _depends_on_something(route.function)
        and kwarg(route.decorator, "dependencies") is None
    ]
    return verdict_of(found, ok="WebSockets authenticate", broken="WebSockets without auth")


# =============================================================== §21 CI/CD


STANDARD.undecidable(
    "FMD-FLOW-001",
    "Simplified Git flow: main (release), develop/feature branches",
    section=CICD,
    level=MANDATORY,
    reason="Branches live in the hosting service and the team's habits, not in the tree.",
)


@STANDARD.rule(
    "FMD-FLOW-002", "Conventional Commits; auto-generate CHANGELOG", section=CICD, level=MANDATORY
)
def conventional_commits(project: Project) -> Verdict:
    """A commit-msg hook checks Conventional Commits and a tool writes the changelog from them."""
    hooks = pre_commit_text(project) + (project.text("commitlint.config.js") or "")
    found: list[Finding] = []
    if not re.search(r"conventional-pre-commit|commitizen|commitlint|gitlint", hooks):
        found.append(Finding("no Conventional Commits hook", ".pre-commit-config.yaml"))
    generators = any(
        project.tool(name) for name in ("git-cliff", "commitizen", "semantic_release", "towncrier")
    )
    generators = generators or any(
        project.exists(name)
        for name in (
            "cliff.toml",
            "release-please-config.json",
            ".releaserc",
            ".releaserc.json",
            "towncrier.toml",
        )
    )
    generators = generators or bool(
        re.search(
            r"git-cliff|release-please|semantic-release|cz bump|towncrier", ci_and_runners(project)
        )
    )
    if not generators:
        found.append(
            Finding(
                "nothing generates the CHANGELOG (git-cliff, release-please, commitizen)",
                "CHANGELOG.md",
            )
        )
    return verdict_of(
        found,
        ok="Conventional Commits feed a generated changelog",
        broken="commits or changelog by hand",
    )


@STANDARD.rule("FMD-FLOW-003", "pre-commit: ruff", section=CICD, level=MANDATORY)
def precommit_ruff(project: Project) -> Verdict:
    """.pre-commit-config.yaml runs ruff."""
    text = project.text(".pre-commit-config.yaml")
    if text is None:
        return failed(
            "no pre-commit configuration", [Finding("missing", ".pre-commit-config.yaml")]
        )
    if "ruff" in text:
        return passed("pre-commit runs ruff")
    return failed(
        "pre-commit does not run ruff", [Finding("no ruff hook", ".pre-commit-config.yaml")]
    )


@STANDARD.rule(
    "FMD-CI-001",
    "CI: build image, publish, migrations; test reports (OpenAPI artifacts: FMD-DOC-004)",
    section=CICD,
    level=MANDATORY,
)
@_with_ci
def ci_delivery(project: Project, text: str, where: str) -> Verdict:
    """CI builds and pushes the image, runs the migrations and keeps test reports."""
    found: list[Finding] = []
    if not re.search(r"docker build|buildx|build-push-action|kaniko|buildah|podman build", text):
        found.append(Finding("CI builds no image", where))
    if not re.search(r"docker push|push:\s*true|--push|kaniko|crane push", text):
        found.append(Finding("CI publishes no image", where))
    if _uses_database(project):
        migrations_tested = "pytest" in text and bool(
            project.grep(
                r"alembic import command|alembic\.command",
                project.python_files("tests") if project.exists("tests") else [],
                "",
            )
        )
        if "alembic" not in text and not migrations_tested:
            found.append(Finding("CI runs no migrations", where))
    if not re.search(
        r"junit|--junitxml|test-results|upload-artifact|artifacts:\s*\n\s*reports", text
    ):
        found.append(Finding("CI keeps no test report (--junitxml + upload)", where))
    return verdict_of(
        found, ok="CI builds, publishes, migrates and reports", broken="CI delivery steps missing"
    )


# Each quality gate of the checklist and the commands that run it.
CI_GATES = {
    "linters": r"ruff check|ruff \.|flake8|pylint",
    "type checks": r"pyright|mypy",
    "tests": r"pytest",
    "coverage": r"--cov|coverage run",
    "image build": r"docker build|buildx|build-push-action|kaniko|buildah",
    "security scans": r"bandit|pip-audit|safety|trivy|grype|semgrep|codeql",
}


@STANDARD.rule(
    "FMD-CI-002",
    "CI: linters, type checks, tests, coverage, image build, security scans",
    section=CHECKLIST,
    level=MANDATORY,
)
@_with_ci
def ci_gates(project: Project, text: str, where: str) -> Verdict:
    """CI (directly or through its task runner) runs every gate."""
    found = [
        Finding(f"CI runs no {gate}", where)
        for gate, pattern in CI_GATES.items()
        if not re.search(pattern, text)
    ]
    return verdict_of(found, ok="CI runs every gate", broken="CI gates missing")


# ====================================================== §22 Containerization


@STANDARD.rule(
    "FMD-DOCKER-001",
    "Dockerfile: multi-stage (builder → runtime)",
    section=CONTAINERS,
    level=MANDATORY,
)
@with_dockerfile
def multi_stage(project: Project, text: str) -> Verdict:
    """The Dockerfile has at least two stages."""
    images = [image for _, image, _ in from_lines(text)]
    if len(images) > 1:
        return passed(f"{len(images)} stages")
    return failed("one stage", [Finding("add a builder stage", "Dockerfile")])


@STANDARD.rule(
    "FMD-DOCKER-002",
    "Dockerfile: minimal base image (distroless/ubi-micro)",
    section=CONTAINERS,
    level=MANDATORY,
)
@with_dockerfile
def minimal_base(project: Project, text: str) -> Verdict:
    """The runtime stage is distroless, ubi-micro/minimal, Chainguard/Wolfi, alpine or scratch."""
    images = [image for _, image, _ in from_lines(text)]
    final = images[-1] if images else ""
    if MINIMAL_BASES.search(final):
        return passed(f"runtime image {final}")
    lines = [
        n for n, row in enumerate(text.splitlines(), 1) if row.strip().upper().startswith("FROM")
    ]
    line = lines[-1] if lines else None
    return failed(
        f"runtime image {final} is not minimal",
        [Finding(f"{final}: use distroless/ubi-micro", "Dockerfile", line)],
    )


@STANDARD.rule("FMD-DOCKER-003", "Dockerfile: non-root user", section=CONTAINERS, level=MANDATORY)
@with_dockerfile
def non_root(project: Project, text: str) -> Verdict:
    """The final stage switches to a user other than root."""
    user = dockerfile_user(text)
    if user is None or user.split(":")[0] in ("root", "0"):
        return failed("runs as root", [Finding("add USER <non-root>", "Dockerfile")])
    return passed(f"USER {user}")


@STANDARD.rule("FMD-DOCKER-004", "Healthcheck", section=CONTAINERS, level=MANDATORY)
@with_dockerfile
def healthcheck(project: Project, text: str) -> Verdict:
    """The Dockerfile (or compose.yaml) declares a health check."""
    if re.search(r"^\s*HEALTHCHECK\s+(?!NONE)", text, re.M | re.I):
        return passed("Dockerfile HEALTHCHECK")
    if "healthcheck:" in (project.text("compose.yaml") or project.text("compose.yml") or ""):
        return passed("compose.yaml healthcheck")
    return failed("no health check", [Finding("add HEALTHCHECK", "Dockerfile")])


@STANDARD.rule(
    "FMD-HEALTH-001",
    "Readiness/Liveness endpoints (/healthz, /readyz)",
    section=CONTAINERS,
    level=MANDATORY,
)
def probe_endpoints(project: Project) -> Verdict:
    """Routes answer ``/healthz`` and ``/readyz``."""
    routes = _routes(project)
    if not routes:
        return failed(
            "no routes",
            [Finding("no /healthz or /readyz", package_where(project))],
        )
    urls = {route.url for route in routes}
    where = project.rel(routes[0].path)
    found = [
        Finding(f"no {url} route", where) for url in ("/healthz", "/readyz") if url not in urls
    ]
    return verdict_of(found, ok="/healthz and /readyz answer", broken="probe endpoints missing")


@STANDARD.rule(
    "FMD-LOG-003", "Logs only to stdout/stderr (JSON)", section=CONTAINERS, level=MANDATORY
)
def logs_to_stdout(project: Project) -> Verdict:
    """No file handler and no ``basicConfig(filename=)``."""
    found = [
        project.finding(path, call, f"{dotted_name(call.func)} writes logs to a file")
        for path, call in calls_of(
            project, tuple(f".{n}" for n in LOG_FILE_HANDLERS) + LOG_FILE_HANDLERS
        )
    ]
    found += [
        project.finding(path, call, "basicConfig(filename=) writes logs to a file")
        for path, call in calls_of(project, ("logging.basicConfig",))
        if kwarg(call, "filename") is not None
    ]
    found += project.grep(
        r"FileHandler",
        [project.path("logging.ini")] if project.exists("logging.ini") else [],
        "file handler",
    )
    return verdict_of(found, ok="logs go to stdout/stderr", broken="logs written to files")


# ============================================================ §23 Releases


STANDARD.undecidable(
    "FMD-REL-001",
    "Code and schema migrations — atomic. Strategy: expand/contract for compatibility",
    section=RELEASES,
    level=MANDATORY,
    reason="Whether a change is split into expand and contract steps shows in the sequence of "
    "releases, reviewed per change.",
)


@STANDARD.rule(
    "FMD-REL-002",
    "Rollback: compatible versions (migrations go down), feature flags to disable new paths",
    section=RELEASES,
    level=MANDATORY,
)
def reversible_migrations(project: Project) -> Verdict:
    """Every Alembic revision has a ``downgrade()`` that does something."""
    revisions = _revisions(project)
    if not revisions:
        return not_applicable("no migration")
    found: list[Finding] = []
    for path in revisions:
        module = project.tree(path)
        functions = [
            n
            for n in (module.body if module else [])
            if isinstance(n, ast.FunctionDef) and n.name == "downgrade"
        ]
        body = (
            [
                s
                for s in functions[0].body
                if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))
            ]
            if functions
            else []
        )
        if not body or all(isinstance(s, ast.Pass) for s in body):
            found.append(
                project.finding(
                    path, functions[0] if functions else None, "downgrade() does nothing"
                )
            )
    return verdict_of(
        found, ok=f"{len(revisions)} revision(s) go down again", broken="irreversible migrations"
    )


# ================================================== §24, §25 and §26 Typing

STANDARD.team(
    "FMD-I18N-001",
    "Store only keys, culture handled client-side; date/money formats client-side",
    section=I18N,
    level=SHOULD,
    reason="Whether the service is localized at all is the owning team's product decision (the "
    "section is optional).",
)
STANDARD.undecidable(
    "FMD-DATA-001",
    "Minimize PII, encryption at rest (DB/volumes) and in transit (TLS)",
    section=RETENTION,
    level=MANDATORY,
    reason="Encryption at rest and TLS are set on the database servers, volumes and network the "
    "service is deployed to, outside the tree.",
)
STANDARD.team(
    "FMD-DATA-002",
    "Retention periods, deletion/anonymization procedures",
    section=RETENTION,
    level=MANDATORY,
    reason="Retention periods follow the team's data and its legal obligations.",
)


def _has_code(module: ast.Module) -> bool:
    """Whether the module holds more than a docstring."""
    return any(
        not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant)) for s in module.body
    )


@STANDARD.rule("FMD-TYPE-002", "Always use type annotations", section=TYPING, level=MANDATORY)
def annotated_functions(project: Project) -> Verdict:
    """Every function annotates its parameters (but self/cls) and its return."""
    found: list[Finding] = []
    for path, function in package_functions(project):
        missing = [
            p.arg
            for index, p in enumerate(parameters_of(function))
            if p.annotation is None and not (index == 0 and p.arg in ("self", "cls"))
        ]
        if function.returns is None:
            missing.append("return")
        if missing:
            found.append(
                project.finding(
                    path, function, f"{function.name}: no annotation for {', '.join(missing)}"
                )
            )
    return verdict_of(found, ok="every function is annotated", broken="unannotated functions")


@STANDARD.rule(
    "FMD-TYPE-003", "from __future__ import annotations", section=TYPING, level=MANDATORY
)
def future_annotations(project: Project) -> Verdict:
    """Every module with code starts with ``from __future__ import annotations``."""
    found = [
        Finding("no from __future__ import annotations", project.rel(path), 1)
        for path, module in project.modules()
        if _has_code(module)
        and not any(
            isinstance(n, ast.ImportFrom)
            and n.module == "__future__"
            and any(a.name == "annotations" for a in n.names)
            for n in module.body
        )
    ]
    return verdict_of(
        found,
        ok="every module postpones annotations",
        broken="modules without the __future__ import",
    )


@STANDARD.rule("FMD-TYPE-004", "Ban Any", section=TYPING, level=MANDATORY)
def no_any(project: Project) -> Verdict:
    """No module imports ``typing.Any`` or writes ``typing.Any``."""
    found: list[Finding] = []
    for path, module in project.modules():
        for node in ast.walk(module):
            if isinstance(node, ast.ImportFrom) and node.module in ("typing", "typing_extensions"):
                if any(alias.name == "Any" for alias in node.names):
                    found.append(project.finding(path, node, "imports Any"))
            elif isinstance(node, ast.Attribute) and dotted_name(node) in ("typing.Any", "t.Any"):
                found.append(project.finding(path, node, "uses typing.Any"))
    return verdict_of(found, ok="no Any", broken="Any is used")


@STANDARD.rule(
    "FMD-TYPE-005", "# type: ignore only with justification", section=TYPING, level=MANDATORY
)
def justified_ignores(project: Project) -> Verdict:
    """Each ``# type: ignore``/``# pyright: ignore`` is followed by a reason."""
    found: list[Finding] = []
    for path in project.python_files():
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            match = IGNORE_COMMENT.search(line)
            if match and not re.search(r"[A-Za-z]{2,}", match.group("rest")):
                found.append(
                    Finding("ignore without a reason (`- why`)", project.rel(path), number)
                )
    return verdict_of(found, ok="every ignore says why", broken="unjustified ignores")


@STANDARD.rule("FMD-TYPE-006", 'Exceptions — specific, no "magic"', section=TYPING, level=MANDATORY)
def specific_exceptions(project: Project) -> Verdict:
    """No bare ``except:``, no ``raise Exception(...)``, no swallowed ``except Exception``."""
    found: list[Finding] = []
    for path, module in project.modules():
        for node in ast.walk(module):
            if isinstance(node, ast.ExceptHandler):
                caught = dotted_name(node.type) if node.type else ""
                if node.type is None:
                    found.append(project.finding(path, node, "bare except:"))
                elif caught in ("Exception", "BaseException") and all(
                    isinstance(s, ast.Pass | ast.Continue)
                    or (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))
                    for s in node.body
                ):
                    found.append(project.finding(path, node, f"except {caught}: swallowed"))
            elif isinstance(node, ast.Raise) and node.exc is not None:
                raised = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
                if dotted_name(raised) in ("Exception", "BaseException"):
                    found.append(
                        project.finding(
                            path, node, f"raise {dotted_name(raised)}: raise a specific error"
                        )
                    )
    return verdict_of(found, ok="exceptions are specific", broken="generic exceptions")


# ================================================= §27, review, decisions

STANDARD.undecidable(
    "FMD-AGENT-001",
    "If tech choice is equal — prefer simpler/standard",
    section=AGENT,
    level=MANDATORY,
    reason="Whether two choices were equal, and the simpler one taken, is a judgement made when "
    "choosing; the rest of §27 restates rules above (UTC, idempotency, limit ≤ 100, timeouts).",
)
STANDARD.undecidable(
    "FMD-REVIEW-001",
    "API contracts don't break backward compatibility",
    section=REVIEW,
    level=MANDATORY,
    reason="Compatibility compares two versions of the contract, on each merge request.",
)
STANDARD.undecidable(
    "FMD-REVIEW-002",
    "Tests and migrations included (in each MR); coverage > target minimum",
    section=REVIEW,
    level=MANDATORY,
    reason="What a merge request includes is a property of the change, not the tree; FMD-TEST-004 "
    "checks the coverage gate.",
)
STANDARD.undecidable(
    "FMD-REVIEW-003",
    "No secret leaks in logs/exceptions",
    section=REVIEW,
    level=MANDATORY,
    reason="What reaches a log line or an exception message is a runtime value; FMD-CONFIG-004 "
    "checks that secrets are masked types.",
)


@STANDARD.rule("FMD-DEF-001", "DB: PostgreSQL, UTC, asyncpg", section=DECISIONS, level=DEFAULT)
def postgres_asyncpg(project: Project) -> Verdict:
    """A service with a database talks to PostgreSQL through asyncpg."""
    if not _uses_database(project):
        return not_applicable("no database")
    if project.depends_on("asyncpg"):
        return passed("PostgreSQL through asyncpg")
    return failed("the driver is not asyncpg", [Finding("no asyncpg dependency", "pyproject.toml")])


@STANDARD.rule(
    "FMD-DEF-002",
    "Cache: Redis (if needed), TTL ≥ 60s for non-critical data",
    section=DECISIONS,
    level=DEFAULT,
)
def cache_defaults(project: Project) -> Verdict:
    """The cache is Redis, and a cache TTL setting defaults to at least 60 seconds."""
    found = _cache_not_redis(project)
    if found is None:
        return not_applicable("no cache")
    ttl = _setting(project, r"cache.*ttl|ttl.*cache")
    seconds = _number(ttl.default) if ttl else None
    if ttl is not None and seconds is not None and seconds < 60:
        found.append(project.finding(ttl.path, ttl.node, f"{ttl.name} defaults to {seconds:g}s"))
    return verdict_of(found, ok="Redis with a TTL of 60 s or more", broken="cache defaults differ")


@STANDARD.rule(
    "FMD-DEF-003",
    "Auth: JWT (access 15 min, refresh 7-30 days), access in Authorization: Bearer",
    section=DECISIONS,
    level=DEFAULT,
)
def jwt_lifetimes(project: Project) -> Verdict:
    """Access tokens live 15 minutes, refresh tokens 7 to 30 days, sent as bearer tokens."""
    if not any(project.depends_on(name) for name in JWT_PACKAGES):
        return not_applicable("no JWT")
    found: list[Finding] = []
    access = _setting(project, r"access.*(min|minutes|seconds|_s|ttl|expire)")
    refresh = _setting(project, r"refresh.*(days|hours|min|minutes|seconds|_s|ttl|expire)")
    minutes = _minutes(access) if access else None
    if access is None or minutes != 15:
        found.append(
            Finding(
                "access token lifetime is not 15 minutes",
                project.rel(access.path) if access else "pyproject.toml",
                access.node.lineno if access else None,
            )
        )
    days = (_minutes(refresh) or 0) / 1440 if refresh else None
    if refresh is None or days is None or not 7 <= days <= 30:
        found.append(
            Finding(
                "refresh token lifetime is not 7-30 days",
                project.rel(refresh.path) if refresh else "pyproject.toml",
                refresh.node.lineno if refresh else None,
            )
        )
    if not _any_name(project, "OAuth2PasswordBearer") and not _any_name(project, "HTTPBearer"):
        found.append(Finding("no Authorization: Bearer scheme", package_where(project)))
    return verdict_of(
        found, ok="15 min access, 7-30 day refresh, bearer header", broken="JWT defaults differ"
    )


@STANDARD.rule(
    "FMD-DEF-004",
    "Pagination: limit/offset, default limit = 50, max = 100",
    section=DECISIONS,
    level=DEFAULT,
)
def pagination_defaults(project: Project) -> Verdict:
    """Every ``limit`` query parameter defaults to 50 and is capped at 100."""
    limits = _query_parameters(project, "limit")
    if not limits:
        return not_applicable("no limit parameter")
    found = [
        project.finding(
            limit.path, limit.parameter, f"limit defaults to {limit.default}, capped at {limit.cap}"
        )
        for limit in limits
        if limit.default != 50 or limit.cap != 100
    ]
    return verdict_of(
        found, ok="limit defaults to 50, at most 100", broken="pagination defaults differ"
    )


STANDARD.undecidable(
    "FMD-DEF-005",
    "Date format: RFC3339, Z suffix; money — Decimal + currency",
    section=DECISIONS,
    level=DEFAULT,
    reason="The serialized form depends on each value's time zone at runtime; FMD-FMT-001 and "
    "FMD-FMT-002 check what the source can show.",
)
