"""The rule catalogue of fastapi-routes-services.md.

The standard marks two things CRITICAL (its Architecture Layers table and the
``extra={}`` logging rule) and says Never/Always/NOT/Don't in a few places; its
other bullets are plain imperatives ("Use", "Include", "Call"), catalogued as
MUST, and its Docstrings tips and "generally" are recommendations (SHOULD).

The standard was written for a repository whose service lives in ``api/``
(``api/.venv``, ``uv run --directory api``): its ``api/schemas.py`` is the
service package's ``schemas`` module and ``core.cache`` its ``core/cache.py``.
A layer is a directory (or module) of the package named ``routes``,
``services`` or ``repositories``, at any depth (``api/routes/`` counts).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from keel.audit.checks import dependency_findings, imports_of
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
from keel.audit.pipeline import ci_files
from keel.audit.project import Project
from keel.audit.pyast import (
    LOG_LEVELS,
    Function,
    absolute_imports,
    calls_among,
    calls_in,
    dotted_name,
    function_defs,
    imported_modules,
    is_constant,
    kwarg,
    last_name,
    own_body,
    parameters_of,
    within,
)
from keel.audit.routes import Route, decorated_routes, route_path

STANDARD = Standard(
    name="fastapi-routes-services",
    title="Python Coding Standards (FastAPI routes and services)",
    prefix="FRS",
)

ARCH = "Architecture Layers (CRITICAL)"
ERRORS = "Exception Handling"
LOGGING = "Logging (stdlib)"
HTTPX = "HTTP Clients (httpx)"
CACHING = "Caching (TTLCache)"
ROUTES = "FastAPI Routes"
DEPENDENCIES = "Dependencies"
SQLALCHEMY = "SQLAlchemy Patterns"

LAYERS = ("routes", "services", "repositories")

# Database drivers and toolkits; a route importing one reaches the database itself.
DATABASE_MODULES = ("sqlalchemy", "sqlmodel", "asyncpg", "psycopg", "psycopg2", "aiosqlite")
# Parts of SQLAlchemy that are types or errors, not statements: allowed above repositories.
SQLALCHEMY_NON_SQL = ("sqlalchemy.exc", "sqlalchemy.ext.asyncio", "sqlalchemy.orm")
# Methods of a session, connection or pool that run SQL.
SQL_METHODS = frozenset(
    {"execute", "executemany", "exec_driver_sql", "scalar", "scalars", "fetch", "fetchrow"}
    | {"fetchval", "stream", "stream_scalars"}
)
# Methods that end a transaction, or open one that commits when its block ends.
COMMIT_METHODS = frozenset({"commit", "begin"})
# How a service commits its work: those, or a block of its database's ``transaction()``
# (asyncpg's and keel's SQLAlchemy ``Database``), which commits when the block ends.
SERVICE_COMMITS = COMMIT_METHODS | {"transaction"}
# What a receiver of SQL_METHODS/COMMIT_METHODS is called: a session, connection, pool.
DATABASE_RECEIVER = re.compile(
    r"session|conn|db|database|pool|cursor|engine|transaction|tx", re.IGNORECASE
)
HTTP_MODULES = ("fastapi", "starlette")

# Logger methods; the message is the first argument (the second for ``log``).
LOG_METHODS = LOG_LEVELS | {"warn"}
# Names a logger is conventionally bound to (besides those bound to getLogger()).
LOGGER_NAMES = frozenset({"logger", "log", "_logger", "_log", "LOGGER", "LOG"})
# The keyword arguments stdlib's Logger methods take; any other is structlog's idiom.
STDLIB_LOG_KEYWORDS = frozenset({"extra", "exc_info", "stack_info", "stacklevel"})
NON_STDLIB_LOGGING = ("structlog", "loguru")
# An event name: dot-notation, ``domain.action``.
EVENT_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")

HTTP_CLIENT_CLASSES = frozenset({"httpx.AsyncClient", "httpx.Client", "AsyncClient"})
HTTP_CLIENT_METHODS = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "options", "request", "send", "stream"}
)
CLOSE_CLIENT = re.compile(r"^close_\w*client$")

REDIS_PACKAGES = ("redis", "aioredis", "valkey", "coredis")
# Calls that drop an entry from a cache, or empty it.
CACHE_DROPS = frozenset({"delete", "pop", "clear", "invalidate", "remove", "discard"})
# Calls that change or remove stored data (not inserts, which no cached entry shows yet).
MUTATING_CALL = re.compile(r"update|delete|remove|replace|upsert", re.IGNORECASE)

ROUTE_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options"})
MUTATING_METHODS = frozenset({"post", "put", "patch", "delete"})
RATE_LIMIT_MIDDLEWARE = re.compile(r"ratelimit|slowapi", re.IGNORECASE)

# Tools a project runs; run directly (not through ``uv run``) they miss the project's venv.
TOOLS = ("pytest", "ruff", "pyright", "mypy", "alembic", "bandit", "pre-commit", "pip-audit")
TOOL_LINE = re.compile(
    r"^\s*(?:-\s*)?(?:run:\s*|entry:\s*)?@?(?:python3?|" + "|".join(TOOLS) + r")(?:\s|$)"
)
PIP_INSTALL = re.compile(r"(?<!uv )\bpip3?\s+install\b")
NEW_VENV = re.compile(r"\bpython3?\s+-m\s+venv\b|\bvirtualenv\s")

MOCK_PATCHES = frozenset(
    {"patch", "mock.patch", "unittest.mock.patch", "mocker.patch"}
    | {"patch.object", "mock.patch.object", "unittest.mock.patch.object", "mocker.patch.object"}
    | {"patch.multiple", "mock.patch.multiple", "mocker.patch.multiple"}
)
MOCK_CLASSES = frozenset({"Mock", "MagicMock", "AsyncMock", "NonCallableMock"})

# Raised to exit or to mark an abstract method: not an exception a caller handles.
UNDOCUMENTED_RAISES = frozenset({"SystemExit", "NotImplementedError"})

# ----------------------------------------------------------------- building blocks


def _package_parts(project: Project, path: Path) -> tuple[str, ...]:
    """``path``'s parts inside the package, without the ``.py`` (``api/routes/items``)."""
    package = project.package
    relative = path.relative_to(package) if package else path
    return relative.with_suffix("").parts


type Layer = list[tuple[Path, ast.Module]]


def _layer(project: Project, layer: str) -> Layer:
    """The modules of a layer: under a directory called ``layer``, or ``layer.py`` itself."""
    return [
        (path, module)
        for path, module in project.modules()
        if layer in _package_parts(project, path)
    ]


def _over_layer(layer: str) -> Callable[[Callable[[Project, Layer], Verdict]], Check]:
    """A decorator: the check over a layer's modules, n/a when the package has no such layer."""

    def decorate(check: Callable[[Project, Layer], Verdict]) -> Check:
        def guarded(project: Project) -> Verdict:
            modules = _layer(project, layer)
            return check(project, modules) if modules else not_applicable(f"no {layer}/ layer")

        return guarded

    return decorate


def _method_on(name: str, methods: frozenset[str], receiver: re.Pattern[str]) -> bool:
    """Whether ``name`` (``self._session.execute``) calls one of ``methods`` on a
    receiver whose own name matches ``receiver``."""
    owner, _, method = name.rpartition(".")
    return method in methods and bool(receiver.search(owner.rpartition(".")[2]))


def _database_calls(nodes: Iterable[ast.AST], methods: frozenset[str]) -> Iterator[ast.Call]:
    """Calls of ``methods`` on a session, connection or pool."""
    for call, name in calls_among(nodes):
        if _method_on(name, methods, DATABASE_RECEIVER):
            yield call


def _raised_class(node: ast.Raise) -> str:
    """The dotted name of the class ``node`` raises (``""`` for ``raise`` or ``raise err``)."""
    raised = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
    name = dotted_name(raised) if raised is not None else ""
    return name if name.rpartition(".")[2][:1].isupper() else ""


def _module_imports(module: ast.Module, prefixes: Iterable[str]) -> list[ast.AST]:
    """Import statements of ``module`` naming one of ``prefixes`` or a submodule (each once)."""
    wanted = tuple(prefixes)
    found = {id(node): node for node, name in absolute_imports(module) if within(name, *wanted)}
    return list(found.values())


def _logger_names(module: ast.Module) -> set[str]:
    """Names ``module`` binds to a logger: the conventional ones and getLogger()'s."""
    names = set(LOGGER_NAMES)
    for node in ast.walk(module):
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Call)
            and _is_logger_factory(node.value)
        ):
            names.update(dotted_name(target) for target in node.targets)
    return names


def _logger_calls(module: ast.Module, nodes: Iterable[ast.AST]) -> Iterator[tuple[ast.Call, str]]:
    """Logging calls among ``nodes``: ``(call, method)`` on a logger of ``module``
    (or on ``logging`` itself, the root logger)."""
    loggers = _logger_names(module) | {"logging"}
    for call, name in calls_among(nodes):
        owner, _, method = name.rpartition(".")
        if (method in LOG_METHODS or method == "log") and (
            owner in loggers or owner.rpartition(".")[2] in loggers
        ):
            yield call, method


def _log_message(call: ast.Call, method: str) -> ast.expr | None:
    """The message argument of a logging call."""
    index = 1 if method == "log" else 0
    return call.args[index] if len(call.args) > index else None


def _docstring_names(function: Function) -> str:
    """``function``'s docstring, or ``""``."""
    return ast.get_docstring(function) or ""


def _routes(project: Project) -> list[Route]:
    """Every route handler of the package: ``@<router>.<method>(...)`` on a function."""
    return [
        route
        for route in decorated_routes(project.modules(), ROUTE_METHODS | {"api_route"})
        if route.owner
    ]


def _is_page(route: Route) -> bool:
    """Whether a route serves a page, not JSON: HTML, a redirect, or hidden from OpenAPI."""
    response = kwarg(route.decorator, "response_class")
    return not route.documented or (
        response is not None and re.search(r"HTML|Redirect", dotted_name(response)) is not None
    )


def _shadows(parameterized: str, literal: str) -> bool:
    """Whether the route ``parameterized`` matches every request for ``literal``."""
    wanted = literal.strip("/").split("/")
    pattern = parameterized.strip("/").split("/")
    if "{" not in parameterized or "{" in literal:
        return False
    for index, part in enumerate(pattern):
        if part.endswith(":path}"):
            return index < len(wanted)
        if index >= len(wanted) or not (part.startswith("{") or part == wanted[index]):
            return False
    return len(pattern) == len(wanted)


def _has_cache(project: Project) -> bool:
    """Whether the package caches: a ``*cache*`` module, a cache class, or TTLCache."""
    for path, module in project.modules():
        if "cache" in path.stem:
            return True
        if any(
            isinstance(node, ast.ClassDef) and _is_cache_class(node) for node in ast.walk(module)
        ):
            return True
    return False


def _is_cache_class(node: ast.ClassDef) -> bool:
    """A class that is a cache (``MemoryCache``), not a Protocol describing one."""
    bases = {last_name(base) for base in node.bases}
    return node.name.endswith("Cache") and "Protocol" not in bases


def _bound_to(module: ast.Module, called: Callable[[str], bool]) -> dict[str, ast.stmt]:
    """Module-level names bound to a call whose dotted name ``called`` accepts."""
    found: dict[str, ast.stmt] = {}
    for node in module.body:
        targets: list[ast.expr] = []
        value: ast.expr | None = None
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign):
            targets, value = [node.target], node.value
        if isinstance(value, ast.Call) and called(dotted_name(value.func)):
            found.update((dotted_name(target), node) for target in targets)
    return found


def _ttl_caches(module: ast.Module) -> dict[str, ast.stmt]:
    """Module-level names bound to a ``TTLCache(...)``."""
    return _bound_to(module, lambda name: name.endswith("TTLCache"))


def _module_locks(module: ast.Module) -> set[str]:
    """Module-level names bound to an ``asyncio.Lock()``."""
    return set(_bound_to(module, lambda name: name in {"asyncio.Lock", "Lock"}))


def _unlocked_uses(node: ast.AST, caches: set[str], locks: set[str]) -> Iterator[ast.Name]:
    """Uses of ``caches`` under ``node`` that no ``async with <lock>`` encloses."""
    if isinstance(node, ast.AsyncWith) and any(
        dotted_name(item.context_expr) in locks for item in node.items
    ):
        return
    if isinstance(node, ast.Name) and node.id in caches:
        yield node
    for child in ast.iter_child_nodes(node):
        yield from _unlocked_uses(child, caches, locks)


def _tooling_files(project: Project) -> list[Path]:
    """Files that tell people and machines how to run things (not the image)."""
    names = ("Justfile", "justfile", "Makefile", "noxfile.py", "tox.ini", ".pre-commit-config.yaml")
    found = [project.path(name) for name in names if project.exists(name)]
    return found + ci_files(project)


def _docs(project: Project) -> list[Path]:
    """The project's prose: README, CONTRIBUTING and docs/."""
    return project.files("*.md") + project.files("docs/**/*.md")


# ------------------------------------------------------------------- API Contract


@STANDARD.rule(
    "FRS-API-001",
    "Pydantic models in api/schemas.py and api/models.py are the source of truth",
    section="API Contract",
    level="MUST",
)
@_over_layer("routes")
def contract_in_schemas(project: Project, routes: Layer) -> Verdict:
    """Route modules define no Pydantic model; a schemas (or models) module does."""
    in_routes = [
        project.finding(path, node, f"Pydantic model {node.name} defined in a route module")
        for path, module in routes
        for node in ast.walk(module)
        if isinstance(node, ast.ClassDef) and _is_pydantic(node)
    ]
    contracts = [
        node
        for path, module in project.modules()
        if {"schemas", "models"} & set(_package_parts(project, path))
        for node in ast.walk(module)
        if isinstance(node, ast.ClassDef) and _is_pydantic(node)
    ]
    if not contracts:
        in_routes.append(Finding("no Pydantic model in a schemas or models module"))
    return verdict_of(
        in_routes,
        ok="the API's Pydantic models live in the schemas/models modules",
        broken="endpoint contracts are defined outside the schemas modules",
    )


def _is_pydantic(node: ast.ClassDef) -> bool:
    """A class deriving directly from Pydantic's ``BaseModel`` or ``RootModel``."""
    return any(
        dotted_name(base.value if isinstance(base, ast.Subscript) else base).rpartition(".")[2]
        in {"BaseModel", "RootModel"}
        for base in node.bases
    )


STANDARD.undecidable(
    "FRS-API-002",
    "Reference those files for type information and endpoint contracts when working on routes",
    section="API Contract",
    level="SHOULD",
    reason="It is a habit of whoever edits routes, which no file records.",
)

# ---------------------------------------------------------- Architecture Layers


@STANDARD.rule(
    "FRS-ARCH-001",
    "Routes (routes/), Services (services/) and Repositories (repositories/) are separate layers",
    section=ARCH,
    level="CRITICAL",
)
def three_layers(project: Project) -> Verdict:
    """The package has a routes, a services and a repositories layer."""
    if project.package is None:
        return not_applicable("no Python package")
    package = project.rel(project.package)
    missing = [
        Finding(f"no {layer}/ layer", package) for layer in LAYERS if not _layer(project, layer)
    ]
    return verdict_of(
        missing, ok="routes/, services/ and repositories/ present", broken="a layer is missing"
    )


@STANDARD.rule(
    "FRS-ARCH-002",
    "Routes do NOT access the database directly",
    section=ARCH,
    level="CRITICAL",
)
@_over_layer("routes")
def routes_no_database(project: Project, routes: Layer) -> Verdict:
    """Route modules import no database toolkit or repository and run no SQL or commit."""
    found: list[Finding] = []
    for path, module in routes:
        found += [
            project.finding(path, node, "imports a database toolkit or a repository")
            for node in ast.walk(module)
            if _imports_database(node)
        ]
        found += [
            project.finding(path, call, f"{dotted_name(call.func)}() on the database")
            for call in _database_calls(ast.walk(module), SQL_METHODS | COMMIT_METHODS)
        ]
    return verdict_of(
        found, ok="routes reach the database through services", broken="routes use the database"
    )


def _imports_database(node: ast.AST) -> bool:
    """Whether ``node`` imports a database toolkit (not its errors) or a repository."""
    names: list[str] = []
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    elif isinstance(node, ast.ImportFrom):
        names = [node.module or ""]
        if node.level and not node.module:
            names = [alias.name for alias in node.names]
    for name in names:
        if "repositories" in name.split("."):
            return True
        if within(name, *DATABASE_MODULES) and not name.startswith(SQLALCHEMY_NON_SQL):
            return True
    return False


STANDARD.undecidable(
    "FRS-ARCH-003",
    "Routes do NOT contain business logic",
    section=ARCH,
    level="CRITICAL",
    reason="Which statements of a handler are business logic is a judgement, not a pattern.",
)


@STANDARD.rule(
    "FRS-ARCH-004",
    "Services do NOT handle HTTP concerns",
    section=ARCH,
    level="CRITICAL",
)
@_over_layer("services")
def services_no_http(project: Project, services: Layer) -> Verdict:
    """Service modules import neither FastAPI nor Starlette."""
    found = [
        project.finding(path, node, "a service imports the web framework")
        for path, module in services
        for node in _module_imports(module, HTTP_MODULES)
    ]
    return verdict_of(
        found, ok="services import no web framework", broken="services handle HTTP concerns"
    )


@STANDARD.rule(
    "FRS-ARCH-005",
    "Services do NOT run direct SQL",
    section=ARCH,
    level="CRITICAL",
)
@_over_layer("services")
def services_no_sql(project: Project, services: Layer) -> Verdict:
    """Service modules build no SQL statement and execute none; repositories do."""
    found: list[Finding] = []
    for path, module in services:
        found += [
            project.finding(path, node, "imports SQL constructs or a driver")
            for node in ast.walk(module)
            if _imports_database(node) and not _imports_repository(node)
        ]
        found += [
            project.finding(path, call, f"{dotted_name(call.func)}() runs SQL in a service")
            for call in _database_calls(ast.walk(module), SQL_METHODS)
        ]
    return verdict_of(
        found, ok="services leave SQL to repositories", broken="services run SQL directly"
    )


def _imports_repository(node: ast.AST) -> bool:
    """Whether ``node`` imports from a repositories module (which services may)."""
    if not isinstance(node, ast.ImportFrom):
        return False
    names = [alias.name for alias in node.names]
    return "repositories" in (node.module or "").split(".") or "repositories" in names


STANDARD.undecidable(
    "FRS-ARCH-006",
    "Repositories do NOT enforce business rules",
    section=ARCH,
    level="CRITICAL",
    reason="Whether a query's condition is a business rule is a judgement, not a pattern.",
)


@STANDARD.rule(
    "FRS-ARCH-007",
    "Repositories do NOT raise HTTP exceptions",
    section=ARCH,
    level="CRITICAL",
)
@_over_layer("repositories")
def repositories_no_http(project: Project, repositories: Layer) -> Verdict:
    """Repository modules import no web framework and raise no HTTPException."""
    found: list[Finding] = []
    for path, module in repositories:
        found += [
            project.finding(path, node, "a repository imports the web framework")
            for node in _module_imports(module, HTTP_MODULES)
        ]
        found += [
            project.finding(path, node, f"a repository raises {_raised_class(node)}")
            for node in ast.walk(module)
            if isinstance(node, ast.Raise) and _raised_class(node).endswith("HTTPException")
        ]
    return verdict_of(
        found, ok="repositories raise no HTTP exception", broken="repositories speak HTTP"
    )


@STANDARD.rule(
    "FRS-ARCH-008",
    "Repositories do NOT commit transactions: services own the transaction and call commit()",
    section=ARCH,
    level="CRITICAL",
)
@_over_layer("repositories")
def repositories_no_commit(project: Project, repositories: Layer) -> Verdict:
    """Repository modules call no ``commit()`` and open no committing ``begin()`` block.

    The SQLAlchemy Patterns section says it again: "Repository methods do NOT call
    commit()".
    """
    found = [
        project.finding(path, call, f"{dotted_name(call.func)}() in a repository")
        for path, module in repositories
        for call in _database_calls(ast.walk(module), COMMIT_METHODS)
    ]
    return verdict_of(found, ok="no repository commits", broken="repositories commit transactions")


@STANDARD.rule(
    "FRS-ARCH-009",
    "Services log domain events",
    section=ARCH,
    level="CRITICAL",
)
def services_log_events(project: Project) -> Verdict:
    """Each service function that commits a change also logs it (the domain event)."""
    found: list[Finding] = []
    committing = 0
    for path, module in _layer(project, "services"):
        for function in function_defs(module):
            body = list(own_body(function))
            if not any(_database_calls(body, SERVICE_COMMITS)):
                continue
            committing += 1
            if not any(_logger_calls(module, body)):
                message = f"{function.name} commits without logging a domain event"
                found.append(project.finding(path, function, message))
    if not committing:
        return not_applicable("no service commits a change")
    return verdict_of(
        found, ok="every committing service function logs an event", broken="silent changes"
    )


# -------------------------------------------------------------- Exception Handling


@STANDARD.rule(
    "FRS-ERR-001",
    "Services raise domain exceptions, never HTTPException",
    section=ERRORS,
    level="NEVER",
)
@_over_layer("services")
def services_raise_domain_errors(project: Project, services: Layer) -> Verdict:
    """No service raises an ``HTTPException``."""
    found = [
        project.finding(path, node, f"a service raises {_raised_class(node)}")
        for path, module in services
        for node in ast.walk(module)
        if isinstance(node, ast.Raise) and _raised_class(node).endswith("HTTPException")
    ]
    return verdict_of(
        found, ok="services raise domain exceptions", broken="services raise HTTPException"
    )


@STANDARD.rule(
    "FRS-ERR-002",
    "Routes convert domain exceptions to HTTPException",
    section=ERRORS,
    level="MUST",
)
def domain_errors_converted(project: Project) -> Verdict:
    """What services raise becomes an HTTP error at the HTTP layer.

    Either a route catches it and raises ``HTTPException``, or the app registers
    exception handlers that answer it (one place for every route).
    """
    raised = [
        (path, node)
        for path, module in _layer(project, "services")
        for node in ast.walk(module)
        if isinstance(node, ast.Raise) and _raised_class(node)
    ]
    if not raised:
        return not_applicable("no service raises an exception")
    if _registers_handlers(project):
        return passed("the app registers exception handlers that answer domain exceptions")
    if any(_route_converts(module) for _, module in _layer(project, "routes")):
        return passed("routes catch domain exceptions and raise HTTPException")
    return failed(
        "domain exceptions reach no route or handler that converts them",
        [
            project.finding(path, node, f"{_raised_class(node)} is never converted")
            for path, node in raised
        ],
    )


def _registers_handlers(project: Project) -> bool:
    """Whether the app registers exception handlers (any style FastAPI offers)."""
    for _, module in project.modules():
        for call, name in calls_in(module):
            if name.endswith(("add_exception_handler", "exception_handler")):
                return True
            if kwarg(call, "exception_handlers") is not None:
                return True
    return False


def _route_converts(module: ast.Module) -> bool:
    """Whether an ``except`` block of ``module`` raises an ``HTTPException``."""
    return any(
        isinstance(raise_, ast.Raise) and _raised_class(raise_).endswith("HTTPException")
        for handler in ast.walk(module)
        if isinstance(handler, ast.ExceptHandler)
        for raise_ in ast.walk(handler)
    )


@STANDARD.rule(
    "FRS-ERR-003",
    "Define domain exceptions in services or a shared exceptions.py",
    section=ERRORS,
    level="MUST",
)
def domain_errors_defined(project: Project) -> Verdict:
    """The exception classes services raise are defined in services/ or ``exceptions.py``."""
    raised = {
        _raised_class(node).rpartition(".")[2]
        for _, module in _layer(project, "services")
        for node in ast.walk(module)
        if isinstance(node, ast.Raise) and _raised_class(node)
    }
    found: list[Finding] = []
    defined = 0
    for path, module in project.modules():
        parts = _package_parts(project, path)
        allowed = "services" in parts or "exceptions" in parts
        for node in ast.walk(module):
            if isinstance(node, ast.ClassDef) and node.name in raised:
                defined += 1
                if not allowed:
                    message = f"domain exception {node.name} is outside services/ and exceptions.py"
                    found.append(project.finding(path, node, message))
    if not defined:
        return not_applicable("services raise no exception class of the package")
    return verdict_of(
        found, ok="domain exceptions live in services or exceptions.py", broken="misplaced"
    )


@STANDARD.rule(
    "FRS-ERR-004",
    "For external API calls, catch specific exceptions and chain with from",
    section=ERRORS,
    level="MUST",
)
def external_errors_chained(project: Project) -> Verdict:
    """``try`` blocks around HTTP client calls catch named exceptions and raise ``from``."""
    found: list[Finding] = []
    guarded = 0
    for path, module in project.modules():
        for node in ast.walk(module):
            if not isinstance(node, ast.Try) or not _calls_external(node.body):
                continue
            guarded += 1
            found += _broad_or_unchained(project, path, node)
    if not guarded:
        return not_applicable("no try block around an external API call")
    return verdict_of(
        found, ok="external API errors are caught by name and chained", broken="unchained"
    )


def _calls_external(body: list[ast.stmt]) -> bool:
    """Whether ``body`` calls httpx or a method of an HTTP client."""
    for statement in body:
        for _, name in calls_in(statement):
            owner, _, method = name.rpartition(".")
            if name.startswith("httpx.") or method == "raise_for_status":
                return True
            if method in HTTP_CLIENT_METHODS and re.search(r"client|http", owner, re.IGNORECASE):
                return True
    return False


def _broad_or_unchained(project: Project, path: Path, node: ast.Try) -> list[Finding]:
    """Findings for a ``try``'s bare or broad handlers and its raises without ``from``."""
    found: list[Finding] = []
    for handler in node.handlers:
        caught = dotted_name(handler.type) if handler.type is not None else ""
        if caught in {"", "Exception", "BaseException"}:
            found.append(project.finding(path, handler, f"catches {caught or 'everything'}"))
        found += [
            project.finding(path, raise_, f"raises {_raised_class(raise_)} without from")
            for raise_ in ast.walk(handler)
            if isinstance(raise_, ast.Raise) and raise_.exc is not None and raise_.cause is None
        ]
    return found


@STANDARD.rule(
    "FRS-ERR-005",
    "Document raiseable exceptions in docstrings",
    section=ERRORS,
    level="MUST",
)
def raises_documented(project: Project) -> Verdict:
    """A documented function names in its docstring each exception class it raises.

    Like pydoclint's DOC501: functions without a docstring are not read, and only
    the exceptions a function raises itself (not those of what it calls).
    """
    found: list[Finding] = []
    raising = 0
    for path, module in project.modules():
        for function in function_defs(module):
            docstring = _docstring_names(function)
            if not docstring:
                continue
            for node in own_body(function):
                name = _raised_class(node) if isinstance(node, ast.Raise) else ""
                if not name or name in UNDOCUMENTED_RAISES:
                    continue
                raising += 1
                short = name.rpartition(".")[2]
                if not re.search(rf"\b{re.escape(short)}\b", docstring):
                    message = f"{function.name} raises {short} but its docstring does not say so"
                    found.append(project.finding(path, node, message))
    if not raising:
        return not_applicable("no documented function raises an exception")
    return verdict_of(
        found, ok="documented functions name what they raise", broken="undocumented raises"
    )


# ------------------------------------------------------------------------ Logging


@STANDARD.rule(
    "FRS-LOG-001",
    "Declare a module-level logger via stdlib logging.getLogger(__name__), no wrapper",
    section=LOGGING,
    level="MUST",
)
def stdlib_module_loggers(project: Project) -> Verdict:
    """Loggers are ``logging.getLogger(__name__)`` at module level; no structlog/loguru."""
    found: list[Finding] = []
    for prefix in NON_STDLIB_LOGGING:
        found += imports_of(project, prefix)
    logs = bool(found)
    for path, module in project.modules():
        logs = logs or "logging" in {name.partition(".")[0] for name in imported_modules(module)}
        for node in module.body:
            value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
            if (
                isinstance(value, ast.Call)
                and _is_logger_factory(value)
                and not _stdlib_logger(value)
            ):
                found.append(project.finding(path, node, f"logger from {ast.unparse(value)}"))
        found += [
            project.finding(path, call, f"{name}() logs on the root logger")
            for call, name in calls_in(module)
            if name.rpartition(".")[0] == "logging" and name.rpartition(".")[2] in LOG_METHODS
        ]
    if not logs:
        return not_applicable("the package does not log")
    return verdict_of(
        found, ok="modules log through logging.getLogger(__name__)", broken="other loggers"
    )


def _is_logger_factory(call: ast.Call) -> bool:
    """Whether ``call`` makes a logger: ``getLogger``, ``get_logger``, ``getChild``."""
    return dotted_name(call.func).rpartition(".")[2] in {"getLogger", "get_logger"}


def _stdlib_logger(call: ast.Call) -> bool:
    """Whether ``call`` is exactly ``logging.getLogger(__name__)``."""
    argument = call.args[0] if len(call.args) == 1 and not call.keywords else None
    return (
        dotted_name(call.func) == "logging.getLogger"
        and isinstance(argument, ast.Name)
        and argument.id == "__name__"
    )


@STANDARD.rule(
    "FRS-LOG-002",
    "Pass structured context via extra={} dict, never f-strings (nor keyword args)",
    section=LOGGING,
    level="CRITICAL",
)
def log_context_in_extra(project: Project) -> Verdict:
    """Logging calls pass a constant message and their context only in ``extra``."""
    found: list[Finding] = []
    calls = 0
    for path, module in project.modules():
        for call, method in _logger_calls(module, ast.walk(module)):
            calls += 1
            found += [
                project.finding(path, call, problem) for problem in _unstructured(call, method)
            ]
    if not calls:
        return not_applicable("the package makes no logging call")
    return verdict_of(
        found, ok="logging context goes in extra={}", broken="unstructured log context"
    )


def _unstructured(call: ast.Call, method: str) -> list[str]:
    """What a logging call does instead of passing its context in ``extra``."""
    problems: list[str] = []
    message = _log_message(call, method)
    if isinstance(message, ast.JoinedStr):
        problems.append("f-string message")
    elif isinstance(message, ast.BinOp) or (
        isinstance(message, ast.Call) and dotted_name(message.func).endswith(".format")
    ):
        problems.append("formatted message")
    if len(call.args) > (2 if method == "log" else 1):
        problems.append("context passed as %-arguments, not in extra")
    problems += [
        f"keyword argument {keyword.arg}= (structlog idiom)"
        for keyword in call.keywords
        if keyword.arg not in STDLIB_LOG_KEYWORDS
    ]
    return problems


@STANDARD.rule(
    "FRS-LOG-003",
    "First argument is an event name (dot-notation: domain.action), not a sentence",
    section=LOGGING,
    level="MUST",
)
def log_event_names(project: Project) -> Verdict:
    """Constant logging messages look like ``domain.action``."""
    found: list[Finding] = []
    named = 0
    for path, module in project.modules():
        for call, method in _logger_calls(module, ast.walk(module)):
            message = _log_message(call, method)
            if isinstance(message, ast.Constant) and isinstance(message.value, str):
                named += 1
                if not EVENT_NAME.match(message.value):
                    text = f"{message.value!r} is not a domain.action event name"
                    found.append(project.finding(path, call, text))
    if not named:
        return not_applicable("no logging call with a constant message")
    return verdict_of(found, ok="every event is named domain.action", broken="not event names")


@STANDARD.rule(
    "FRS-LOG-004",
    "Use logger.exception() in except blocks (auto-includes traceback)",
    section=LOGGING,
    level="MUST",
)
def log_exception_in_except(project: Project) -> Verdict:
    """Errors logged in an ``except`` block use ``exception()`` (or pass ``exc_info``)."""
    found: list[Finding] = []
    logged = 0
    for path, module in project.modules():
        for handler in ast.walk(module):
            if not isinstance(handler, ast.ExceptHandler):
                continue
            for call, method in _logger_calls(module, own_body(handler)):
                logged += 1
                if method in {"error", "critical"} and kwarg(call, "exc_info") is None:
                    message = f"logger.{method}() in an except block loses the traceback"
                    found.append(project.finding(path, call, message))
    if not logged:
        return not_applicable("no except block logs")
    return verdict_of(found, ok="except blocks log with exception()", broken="no traceback")


STANDARD.undecidable(
    "FRS-LOG-005",
    "Routes log only if adding context beyond middleware",
    section=LOGGING,
    level="SHOULD",
    reason="Whether a route's log line adds to the middleware's is a judgement of its content.",
)


@STANDARD.rule(
    "FRS-LOG-006",
    "Repositories generally don't log",
    section=LOGGING,
    level="SHOULD",
)
@_over_layer("repositories")
def repositories_quiet(project: Project, repositories: Layer) -> Verdict:
    """Repository modules make no logging call."""
    found = [
        project.finding(path, call, "a repository logs")
        for path, module in repositories
        for call, _ in _logger_calls(module, ast.walk(module))
    ]
    return verdict_of(found, ok="repositories do not log", broken="repositories log")


# ------------------------------------------------------------------- HTTP clients


def _client_constructions(module: ast.Module, nodes: Iterable[ast.AST]) -> Iterator[ast.Call]:
    """Calls among ``nodes`` that create an httpx client."""
    from_httpx = "httpx" in imported_modules(module)
    for call, name in calls_among(nodes):
        if name in HTTP_CLIENT_CLASSES and (name.startswith("httpx.") or from_httpx):
            yield call


@STANDARD.rule(
    "FRS-HTTP-001",
    "Never create httpx.AsyncClient() per request: use a shared module-level client",
    section=HTTPX,
    level="NEVER",
)
def shared_http_client(project: Project) -> Verdict:
    """httpx clients are created at module level, or lazily into a module global."""
    found: list[Finding] = []
    created = 0
    for path, module in project.modules():
        created += sum(1 for _ in _client_constructions(module, own_body(module)))
        for function in function_defs(module):
            body = list(own_body(function))
            globals_ = {
                name for node in body if isinstance(node, ast.Global) for name in node.names
            }
            lazy = {
                id(node.value)
                for node in body
                if isinstance(node, ast.Assign)
                and all(isinstance(t, ast.Name) and t.id in globals_ for t in node.targets)
            }
            for call in _client_constructions(module, body):
                created += 1
                if id(call) not in lazy:
                    message = f"{function.name} creates an httpx client per call"
                    found.append(project.finding(path, call, message))
    if not created:
        return not_applicable("the package creates no httpx client")
    return verdict_of(found, ok="httpx clients are shared module globals", broken="per request")


@STANDARD.rule(
    "FRS-HTTP-002",
    "Always provide a close_*_client() function and register it in main.py lifespan",
    section=HTTPX,
    level="MUST",
)
def http_client_closed(project: Project) -> Verdict:
    """A package creating httpx clients defines ``close_*_client()`` and main.py calls it."""
    clients = [
        path
        for path, module in project.modules()
        if any(_client_constructions(module, ast.walk(module)))
    ]
    if not clients:
        return not_applicable("the package creates no httpx client")
    closers = {
        function.name
        for _, module in project.modules()
        for function in function_defs(module)
        if CLOSE_CLIENT.match(function.name)
    }
    if not closers:
        return failed(
            "no close_*_client() function",
            [
                Finding("creates an httpx client but defines no close_*_client()", project.rel(p))
                for p in clients
            ],
        )
    main = next((path for path, _ in project.modules() if path.name == "main.py"), None)
    main_module = project.tree(main) if main else None
    called = (
        {name.rpartition(".")[2] for _, name in calls_in(main_module)}
        if main_module
        else set[str]()
    )
    if not closers & called:
        where = project.rel(main) if main else None
        return failed(
            "main.py's lifespan does not close the clients",
            [Finding(f"calls none of {', '.join(sorted(closers))}", where)],
        )
    return passed(f"main.py calls {', '.join(sorted(closers & called))}")


# ------------------------------------------------------------------------ Caching


def _wraps_ttlcache(cls: ast.ClassDef) -> bool:
    """Whether the class builds a ``TTLCache`` to hold its entries (a wrapper, not a cache)."""
    return any(
        isinstance(node, ast.Call) and dotted_name(node.func).endswith("TTLCache")
        for node in ast.walk(cls)
    )


@STANDARD.rule(
    "FRS-CACHE-001",
    "Use cachetools.TTLCache for caching",
    section=CACHING,
    level="MUST",
)
def ttlcache_used(project: Project) -> Verdict:
    """A package that caches depends on cachetools and defines no cache class of its own."""
    if not _has_cache(project):
        return not_applicable("the package caches nothing")
    found = [
        project.finding(path, node, f"{node.name} is a hand-made cache, not cachetools.TTLCache")
        for path, module in project.modules()
        for node in ast.walk(module)
        if isinstance(node, ast.ClassDef) and _is_cache_class(node) and not _wraps_ttlcache(node)
    ]
    if not project.depends_on("cachetools"):
        found.insert(0, Finding("does not depend on cachetools", "pyproject.toml"))
    return verdict_of(found, ok="caches are cachetools.TTLCache", broken="not cachetools.TTLCache")


@STANDARD.rule(
    "FRS-CACHE-002",
    "No Redis: the cache is per-worker/replica",
    section=CACHING,
    level="MUST",
)
def no_redis(project: Project) -> Verdict:
    """No Redis client is a dependency or an import of the package."""
    found = dependency_findings(project, REDIS_PACKAGES, runtime_only=True)
    for name in REDIS_PACKAGES:
        found += imports_of(project, name)
    return verdict_of(found, ok="no Redis client", broken="the service uses Redis")


@STANDARD.rule(
    "FRS-CACHE-003",
    "For shared caches, use the core.cache module",
    section=CACHING,
    level="MUST",
)
def shared_cache_module(project: Project) -> Verdict:
    """A caching package has ``core/cache.py``; other module-level TTLCaches are in services."""
    if not _has_cache(project):
        return not_applicable("the package caches nothing")
    found: list[Finding] = []
    if not any(
        _package_parts(project, path)[-2:] == ("core", "cache") for path, _ in project.modules()
    ):
        package = project.rel(project.package) if project.package else None
        found.append(Finding("no core/cache.py module", package))
    for path, module in project.modules():
        parts = _package_parts(project, path)
        if parts[-2:] == ("core", "cache") or "services" in parts:
            continue
        found += [
            project.finding(path, node, f"cache {name} outside core.cache and services")
            for name, node in _ttl_caches(module).items()
        ]
    return verdict_of(found, ok="shared caches live in core.cache", broken="caches scattered")


@STANDARD.rule(
    "FRS-CACHE-004",
    "Service-specific caches are wrapped with asyncio.Lock (TTLCache is not thread-safe)",
    section=CACHING,
    level="MUST",
)
def service_caches_locked(project: Project) -> Verdict:
    """Every use of a module-level TTLCache outside core.cache is inside ``async with <lock>``.

    Also covers "new caches should still use locks".
    """
    found: list[Finding] = []
    caches = 0
    for path, module in project.modules():
        if _package_parts(project, path)[-2:] == ("core", "cache"):
            continue
        names = set(_ttl_caches(module))
        if not names:
            continue
        caches += len(names)
        locks = _module_locks(module)
        for function in function_defs(module):
            found += [
                project.finding(path, use, f"{use.id} used outside async with an asyncio.Lock")
                for statement in function.body
                for use in _unlocked_uses(statement, names, locks)
            ]
    if not caches:
        return not_applicable("no service-specific TTLCache")
    return verdict_of(found, ok="every cache access holds its lock", broken="unlocked cache")


@STANDARD.rule(
    "FRS-CACHE-005",
    "Call invalidate_*_cache() after mutations",
    section=CACHING,
    level="MUST",
)
def caches_invalidated(project: Project) -> Verdict:
    """A caching service function that commits an update or delete drops the cached entry."""
    found: list[Finding] = []
    mutations = 0
    for path, module in _layer(project, "services"):
        if "cache" not in ast.unparse(module).lower():
            continue
        for function in function_defs(module):
            calls = list(calls_among(own_body(function)))
            commits = any(
                name.endswith(".commit") or _method_on(name, SERVICE_COMMITS, DATABASE_RECEIVER)
                for _, name in calls
            )
            changes = any(MUTATING_CALL.search(name.rpartition(".")[2]) for _, name in calls)
            if not (commits and changes):
                continue
            mutations += 1
            if not any(_invalidates(name) for _, name in calls):
                message = f"{function.name} commits a change without invalidating the cache"
                found.append(project.finding(path, function, message))
    if not mutations:
        return not_applicable("no caching service commits an update or delete")
    return verdict_of(found, ok="mutations invalidate the cache", broken="stale caches")


def _invalidates(name: str) -> bool:
    """Whether a call named ``name`` invalidates a cache."""
    owner, _, method = name.rpartition(".")
    return method.startswith("invalidate") or (method in CACHE_DROPS and "cache" in owner.lower())


# ---------------------------------------------------------------- FastAPI Routes


@STANDARD.rule(
    "FRS-ROUTE-001",
    "@limiter.limit() on mutating API and HTMX endpoints (pages/auth redirect routes exempt)",
    section=ROUTES,
    level="MUST",
)
def mutating_routes_limited(project: Project) -> Verdict:
    """Each POST/PUT/PATCH/DELETE route has ``@limiter.limit()``, or a rate-limit middleware
    covers every route."""
    mutating = [
        (route.path, route.function)
        for route in _routes(project)
        if route.method in MUTATING_METHODS and not _is_page(route)
    ]
    if not mutating:
        return not_applicable("no mutating API route")
    if _rate_limit_middleware(project):
        return passed("a rate-limiting middleware covers every route")
    found = [
        project.finding(path, function, f"{function.name} has no @limiter.limit()")
        for path, function in mutating
        if not any(
            isinstance(d, ast.Call) and dotted_name(d.func).endswith(".limit")
            for d in function.decorator_list
        )
    ]
    return verdict_of(found, ok="mutating routes are rate limited", broken="unlimited routes")


def _rate_limit_middleware(project: Project) -> bool:
    """Whether the app installs a rate-limiting middleware (slowapi's or its own)."""
    for _, module in project.modules():
        for call, name in calls_in(module):
            if (
                name.endswith(("add_middleware", "Middleware"))
                and call.args
                and RATE_LIMIT_MIDDLEWARE.search(dotted_name(call.args[0]))
            ):
                return True
    return False


@STANDARD.rule(
    "FRS-ROUTE-002",
    "Include summary=, responses= for OpenAPI JSON API docs",
    section=ROUTES,
    level="MUST",
)
def routes_documented(project: Project) -> Verdict:
    """Each JSON route's decorator passes ``summary=`` and ``responses=``."""
    found: list[Finding] = []
    routes = 0
    for route in _routes(project):
        if _is_page(route):
            continue
        routes += 1
        missing = [k for k in ("summary", "responses") if kwarg(route.decorator, k) is None]
        if missing:
            message = f"{route.function.name} has no {'= or '.join(missing)}="
            found.append(project.finding(route.path, route.decorator, message))
    if not routes:
        return not_applicable("no JSON API route")
    return verdict_of(found, ok="every route has summary= and responses=", broken="undocumented")


@STANDARD.rule(
    "FRS-ROUTE-003",
    "Route ordering: literal paths BEFORE parameterized",
    section=ROUTES,
    level="MUST",
)
def literal_routes_first(project: Project) -> Verdict:
    """No route is declared after a parameterized route of its router that matches it."""
    found: list[Finding] = []
    routes = 0
    declared: dict[Path, list[tuple[str, str, str]]] = {}  # each module's router, method, path
    for route in _routes(project):
        url = route_path(route.decorator)
        if url is None:
            continue
        routes += 1
        earlier_routes = declared.setdefault(route.path, [])
        for earlier_router, earlier_method, earlier in earlier_routes:
            same = earlier_router == route.owner and earlier_method in {route.method, "api_route"}
            if same and _shadows(earlier, url):
                message = f"{url} is declared after {earlier}, which shadows it"
                found.append(project.finding(route.path, route.decorator, message))
        earlier_routes.append((route.owner, route.method, url))
    if not routes:
        return not_applicable("no route with a literal path")
    return verdict_of(found, ok="literal paths come first", broken="shadowed routes")


@STANDARD.rule("FRS-ROUTE-004", "DELETE → 204 or 200", section=ROUTES, level="MUST")
def delete_status(project: Project) -> Verdict:
    """DELETE routes answer 204 or 200 (FastAPI's default)."""
    found: list[Finding] = []
    deletes = 0
    for route in _routes(project):
        if route.method != "delete":
            continue
        deletes += 1
        status = kwarg(route.decorator, "status_code")
        text = ast.unparse(status) if status is not None else "200"
        if not re.search(r"(^|\D)20[04](\D|$)", text):
            message = f"{route.function.name} answers {text}"
            found.append(project.finding(route.path, route.decorator, message))
    if not deletes:
        return not_applicable("no DELETE route")
    return verdict_of(found, ok="DELETE answers 204 or 200", broken="DELETE answers otherwise")


@STANDARD.rule(
    "FRS-ROUTE-005",
    "Use pre-built DI aliases (UserId, DbSession, ...) instead of raw Depends() calls",
    section=ROUTES,
    level="MUST",
)
def di_aliases(project: Project) -> Verdict:
    """Route handlers' parameters use ``Annotated`` aliases, not ``Depends()`` in place."""
    found: list[Finding] = []
    routes = 0
    for route in _routes(project):
        routes += 1
        function = route.function
        arguments = function.args
        defaults = [*arguments.defaults, *(d for d in arguments.kw_defaults if d is not None)]
        found += [
            project.finding(route.path, node, f"{function.name} calls Depends() in its signature")
            for node in [
                *(p.annotation for p in parameters_of(function) if p.annotation),
                *defaults,
            ]
            if any(name.rpartition(".")[2] == "Depends" for _, name in calls_in(node))
        ]
    if not routes:
        return not_applicable("no route")
    return verdict_of(found, ok="routes take dependencies through aliases", broken="raw Depends()")


# ------------------------------------------------------------------ Dependencies


@STANDARD.rule(
    "FRS-DEP-001",
    "Dependencies are managed with uv (not pip): add to pyproject.toml, run uv sync",
    section=DEPENDENCIES,
    level="MUST",
)
def managed_with_uv(project: Project) -> Verdict:
    """uv.lock is present, no requirements file, and nothing says ``pip install``."""
    found: list[Finding] = []
    if not project.exists("uv.lock"):
        found.append(Finding("no uv.lock", "uv.lock"))
    found += [
        Finding("a pip requirements file", project.rel(p))
        for p in project.files("requirements*.txt")
    ]
    files = [*_tooling_files(project), *_docs(project)]
    if project.exists("Dockerfile"):
        files.append(project.path("Dockerfile"))
    found += project.grep(PIP_INSTALL.pattern, files, "installs with pip, not uv")
    return verdict_of(found, ok="uv manages the dependencies (uv.lock)", broken="pip in use")


@STANDARD.rule(
    "FRS-DEP-002",
    "Use the existing project .venv (do not create a separate venv)",
    section=DEPENDENCIES,
    level="MUST",
)
def no_separate_venv(project: Project) -> Verdict:
    """No recipe, CI job or document creates a virtualenv of its own."""
    files = [*_tooling_files(project), *_docs(project)]
    found = project.grep(NEW_VENV.pattern, files, "creates a separate virtualenv")
    return verdict_of(found, ok="only uv's project .venv is used", broken="a separate venv")


@STANDARD.rule(
    "FRS-DEP-003",
    "Run tools via uv run",
    section=DEPENDENCIES,
    level="MUST",
)
def tools_via_uv_run(project: Project) -> Verdict:
    """Recipes, CI steps and hooks run Python and its tools through ``uv run``."""
    files = _tooling_files(project)
    if not files:
        return not_applicable("no Justfile, Makefile, CI or pre-commit configuration")
    found = project.grep(TOOL_LINE.pattern, files, "runs a tool without uv run")
    return verdict_of(found, ok="tools run through uv run", broken="tools run outside uv")


# ----------------------------------------------------------------------- Testing


@STANDARD.rule(
    "FRS-TEST-001",
    "Mock external services (LLM, GitHub API) with autospec=True",
    section="Testing",
    level="MUST",
)
def mocks_autospec(project: Project) -> Verdict:
    """Tests patch with ``autospec=True`` and build no Mock without a spec.

    Which patched target is an external service cannot be told from the call,
    so every ``patch`` of the tests is read.
    """
    found: list[Finding] = []
    mocks = 0
    for path, module in project.modules("tests"):
        for call, name in calls_in(module):
            if name in MOCK_PATCHES:
                mocks += 1
                if not is_constant(kwarg(call, "autospec"), True):
                    found.append(project.finding(path, call, f"{name}() without autospec=True"))
            elif name.rpartition(".")[2] in MOCK_CLASSES:
                mocks += 1
                if (
                    kwarg(call, "spec") is None
                    and kwarg(call, "spec_set") is None
                    and not call.args
                ):
                    found.append(project.finding(path, call, f"{name}() without a spec"))
    if not mocks:
        return not_applicable("the tests mock nothing")
    return verdict_of(found, ok="mocks are autospecced", broken="mocks without autospec")


# ------------------------------------------------------------- SQLAlchemy Patterns


def _upserts(project: Project) -> Iterator[tuple[Path, ast.Call]]:
    """Every ``.on_conflict_do_update(...)`` call of the package."""
    for path, module in project.modules():
        for call, name in calls_in(module):
            if name.endswith("on_conflict_do_update") or (
                isinstance(call.func, ast.Attribute) and call.func.attr == "on_conflict_do_update"
            ):
                yield path, call


@STANDARD.rule(
    "FRS-DB-001",
    "Upserts: pg_insert().on_conflict_do_update() with explicit set_",
    section=SQLALCHEMY,
    level="MUST",
)
def upserts_explicit(project: Project) -> Verdict:
    """Upserts pass ``set_=`` to ``on_conflict_do_update``; none goes through ``merge()``."""
    upserts = list(_upserts(project))
    found = [
        project.finding(path, call, "on_conflict_do_update() without set_=")
        for path, call in upserts
        if kwarg(call, "set_") is None
    ]
    merges = [
        project.finding(path, call, f"{dotted_name(call.func)}() upserts without ON CONFLICT")
        for path, module in project.modules()
        for call in _database_calls(ast.walk(module), frozenset({"merge"}))
    ]
    if not upserts and not merges:
        return not_applicable("the package upserts nothing")
    return verdict_of(found + merges, ok="upserts name what they set", broken="implicit upserts")


@STANDARD.rule(
    "FRS-DB-002",
    "Column defaults are NOT applied on conflict update: include updated_at explicitly",
    section=SQLALCHEMY,
    level="MUST",
)
def upserts_set_updated_at(project: Project) -> Verdict:
    """Where models have ``updated_at``, each upsert's literal ``set_`` sets it."""
    upserts = list(_upserts(project))
    has_column = any("updated_at" in ast.unparse(module) for _, module in _layer(project, "models"))
    if not upserts or not has_column:
        return not_applicable("no upsert of a table with updated_at")
    found = [
        project.finding(path, call, "set_ does not include updated_at")
        for path, call in upserts
        if isinstance(set_ := kwarg(call, "set_"), ast.Dict)
        and not any(key is not None and "updated_at" in ast.unparse(key) for key in set_.keys)
    ]
    return verdict_of(found, ok="upserts set updated_at", broken="updated_at goes stale")


# -------------------------------------------------------------------- Docstrings


@STANDARD.rule(
    "FRS-DOC-001",
    "Skip self-documenting Args (e.g., db: AsyncSession)",
    section="Docstrings",
    level="SHOULD",
)
def self_documenting_args(project: Project) -> Verdict:
    """Docstrings' Args sections do not describe session parameters."""
    found: list[Finding] = []
    sessions = 0
    for path, module in project.modules():
        for function in function_defs(module):
            arguments = [*function.args.args, *function.args.kwonlyargs]
            names = [
                a.arg
                for a in arguments
                if a.annotation and ast.unparse(a.annotation).endswith("Session")
            ]
            sessions += len(names)
            args_section = _docstring_names(function).partition("Args:")[2]
            found += [
                project.finding(path, function, f"{function.name} documents {name}")
                for name in names
                if re.search(rf"^\s+{name}\b.*:", args_section, re.MULTILINE)
            ]
    if not sessions:
        return not_applicable("no function takes a session")
    return verdict_of(found, ok="session arguments go undescribed", broken="redundant Args")


STANDARD.undecidable(
    "FRS-DOC-002",
    "Keep Warning/Note sections for non-obvious behavior",
    section="Docstrings",
    level="SHOULD",
    reason="Which behaviour is non-obvious is a reader's judgement, not a pattern.",
)
