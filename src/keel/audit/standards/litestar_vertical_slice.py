"""The rule catalogue of litestar-vertical-slice.md.

The standard marks its rules [HARD], [DEFAULT] or [CONTEXTUAL]; every [HARD] rule is
here, [DEFAULT] ones where a file can show them cheaply, [CONTEXTUAL] ones not at all
(they are a judgement per task). Slices are the directories under the package's
``features/`` (or ``slices/``) that hold a ``router.py``.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Collection, Iterator
from pathlib import Path

from keel.audit.checks import (
    calls_in_async,
    dependency_findings,
    grep_file,
    reachable,
    requires_dependency,
)
from keel.audit.docker import dockerfile, from_lines, with_dockerfile
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
from keel.audit.project import Project
from keel.audit.pyast import (
    LOG_LEVELS,
    Function,
    absolute_imports,
    annotated_fields,
    decorator_names,
    dotted_name,
    field_name,
    function_defs,
    imported_modules,
    is_constant,
    kwarg,
    last_name,
    logger_calls,
    module_calls,
    modules_in,
    own_body,
    unannotated,
    within,
)

STANDARD = Standard(
    name="litestar-vertical-slice",
    title="Python Project Standards (Litestar, vertical slices)",
    prefix="LS",
)

STACK = "[HARD] TECHNOLOGY STACK"
DATA = "[HARD] DATA FORMATS"
ARCHITECTURE = "[HARD] ARCHITECTURE"
SLICE_LAYOUT = "Code Structure Per Feature Slice"
PERFORMANCE = "[HARD] PERFORMANCE - NEVER DO THIS"
SECURITY = "[HARD] SECURITY"
SERIALIZATION = "[HARD] SERIALIZATION"
CODE_PATTERNS = "[HARD] CODE PATTERNS - FORBIDDEN"
LIFECYCLE = "[HARD] STARTUP LIFECYCLE"
ASYNC = "[HARD] ASYNC PATTERNS"
MIDDLEWARE = "[HARD] SECURITY & MIDDLEWARE"
CHECKLIST = "PERFORMANCE CHECKLIST"
WORKFLOW = "WORKFLOW"

# ------------------------------------------------------------------ names

MINIMUM_PYTHON = (3, 13)
# Files and tables of package managers other than uv.
OTHER_MANAGER_FILES = ("poetry.lock", "Pipfile", "Pipfile.lock", "pdm.lock")
# Where install commands live: the image, CI, task runners.
BUILD_SCRIPTS = (
    "Dockerfile",
    "Justfile",
    "justfile",
    "Makefile",
    ".gitlab-ci.yml",
    ".github/workflows/*.yml",
    ".github/workflows/*.yaml",
)
PIP_INSTALL = re.compile(r"\bpip3?\s+install\b")
# ``pip install uv`` bootstraps uv; ``uv pip install`` is uv.
PIP_FOR_UV = re.compile(r"\buv\s+pip\s+install\b|\bpip3?\s+install\s+(-\S+\s+)*uv(\s|$|[=<>])")
# ASGI servers other than Granian, and event loops other than asyncio.
OTHER_SERVERS = ("uvicorn", "hypercorn", "gunicorn", "daphne")
OTHER_LOOPS = ("trio", "curio", "gevent", "eventlet", "twisted")
# Dependencies that mean the service talks to a database at all.
DATABASE_DEPENDENCIES = (
    "asyncpg",
    "psycopg",
    "psycopg2",
    "psycopg2-binary",
    "psycopg-binary",
    "aiopg",
    "asyncmy",
    "aiomysql",
    "aiosqlite",
    "databases",
    "sqlalchemy",
    "sqlmodel",
    "tortoise-orm",
    "piccolo",
)
# Database drivers and data layers that replace asyncpg as the way to the database.
OTHER_DRIVERS = (
    "psycopg",
    "psycopg2",
    "psycopg2-binary",
    "psycopg-binary",
    "aiopg",
    "asyncmy",
    "aiomysql",
    "databases",
    "sqlmodel",
    "tortoise-orm",
    "piccolo",
)
# Calls that route data access through an ORM engine instead of asyncpg.
ORM_ENGINES = ("create_async_engine", "create_engine", "async_sessionmaker", "sessionmaker")
# Final-stage base images that count as slim.
SLIM_MARKERS = ("slim", "alpine", "distroless", "scratch")
PYDANTIC = ("pydantic", "pydantic-settings", "pydantic-core", "pydantic-extra-types")

# IDs: generators of other UUID versions, and integer keys in SQL and migrations.
OTHER_UUIDS = frozenset({"uuid.uuid1", "uuid.uuid4", "uuid1", "uuid4"})
INTEGER_KEYS = re.compile(
    r"\b(BIG|SMALL)?SERIAL\b|GENERATED\s+(ALWAYS|BY\s+DEFAULT)\s+AS\s+IDENTITY"
    r"|autoincrement\s*=\s*True"
    r"|Column\(\s*[\"'](\w+_)?id[\"']\s*,\s*(sa\.)?(Big|Small)?Integer\b"
)
INTEGER_TYPES = frozenset({"int"})
# Timestamps: datetime constructors that give naive values, and Unix-time fields.
NAIVE_DATETIME = frozenset(
    {
        "datetime.utcnow",
        "datetime.datetime.utcnow",
        "datetime.utcfromtimestamp",
        "datetime.datetime.utcfromtimestamp",
        "datetime.today",
        "datetime.datetime.today",
    }
)
NEEDS_TZ = frozenset(
    {
        "datetime.now",
        "datetime.datetime.now",
        "datetime.fromtimestamp",
        "datetime.datetime.fromtimestamp",
    }
)
TIMESTAMP_FIELD = re.compile(r"(_at|^timestamp|_timestamp|_ts|^epoch)$")
NUMBER_TYPES = frozenset({"int", "float"})
NAIVE_SQL_TIMESTAMP = re.compile(r"\bTIMESTAMP\b(?!\s+WITH\s+TIME\s+ZONE)")
# JSON codecs other than msgspec.json.
OTHER_JSON_CALLS = frozenset({"json.dumps", "json.loads", "json.dump", "json.load"})
OTHER_JSON_MODULES = ("orjson", "ujson", "simplejson", "rapidjson")

# Architecture: where slices live, and layer-wide modules VSA replaces.
FEATURE_ROOTS = ("features", "slices")
LAYER_NAMES = frozenset(
    {
        "services",
        "service",
        "repositories",
        "repository",
        "routers",
        "controllers",
        "handlers",
        "schemas",
        "models",
        "crud",
        "dal",
    }
)
HTTP_FRAMEWORKS = ("litestar", "starlette", "fastapi", "flask", "django", "werkzeug", "aiohttp.web")
# Calls on a connection or pool that run SQL: business logic a router must not hold.
DATABASE_METHODS = frozenset(
    {"fetch", "fetchrow", "fetchval", "execute", "executemany", "acquire", "transaction", "cursor"}
)

# Litestar's route decorators; the ones that change state.
ROUTE_DECORATORS = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "route", "websocket", "websocket_listener"}
)
WRITE_DECORATORS = frozenset({"post", "put", "patch", "delete"})
# What creates a connection pool or a client that holds one.
POOL_FACTORIES = frozenset(
    {
        "create_pool",
        "ClientSession",
        "AsyncClient",
        "TCPConnector",
        "create_async_engine",
        "create_engine",
    }
)
ONE_OFF_CONNECTIONS = frozenset({"asyncpg.connect"})
# Calls that block the thread they run on: file and network IO, sleeping, CPU-bound hashing.
BLOCKING_CALLS = (
    "time.sleep",
    "open",
    "input",
    ".read_text",
    ".write_text",
    ".read_bytes",
    ".write_bytes",
    "requests.get",
    "requests.post",
    "requests.put",
    "requests.patch",
    "requests.delete",
    "requests.request",
    "urllib.request.urlopen",
    "httpx.get",
    "httpx.post",
    "httpx.request",
    "subprocess.run",
    "subprocess.call",
    "subprocess.check_call",
    "subprocess.check_output",
    "os.system",
    "socket.create_connection",
    "sqlite3.connect",
    "psycopg.connect",
    "psycopg2.connect",
    ".hash",
    ".verify",
)
# Client libraries whose IO is synchronous.
SYNC_IO_MODULES = (
    "requests",
    "urllib.request",
    "urllib3",
    "http.client",
    "httplib2",
    "psycopg2",
    "pymysql",
    "mysql.connector",
    "sqlite3",
    "pymongo",
    "smtplib",
    "ftplib",
    "boto3",
)
# Synchronous clients of libraries that have an async one too (redis.asyncio, httpx).
SYNC_CLIENT_CALLS = frozenset(
    {
        "httpx.Client",
        "httpx.get",
        "httpx.post",
        "httpx.put",
        "httpx.patch",
        "httpx.delete",
        "redis.Redis",
        "redis.StrictRedis",
        "redis.from_url",
    }
)
SYNC_CLIENT_IMPORTS = {"redis": frozenset({"Redis", "StrictRedis", "from_url"})}
# Calls whose result is a resource to release: they belong in a (async) with.
RESOURCE_METHODS = frozenset({"acquire", "transaction"})
ENTER_CALLS = frozenset({"enter_context", "enter_async_context"})
# Keywords that bound how long an IO client waits, per factory.
TIMEOUT_KEYWORDS: dict[str, tuple[str, ...]] = {
    "create_pool": ("command_timeout",),
    "ClientSession": ("timeout",),
}
QUEUE_FACTORIES = frozenset({"Queue", "PriorityQueue", "LifoQueue"})

# Security: request-body fields that carry who the caller is, which come from the token.
IDENTITY_FIELDS = frozenset(
    {
        "user_id",
        "current_user",
        "current_user_id",
        "authenticated_user",
        "principal",
        "authorization",
        "auth_token",
        "access_token",
        "bearer_token",
        "jwt",
    }
)
REQUEST_CLASS = re.compile(r"(Request|Form|Body|Input|Payload|Params)$")
LOG_METHODS = LOG_LEVELS | {"warn", "fatal", "log", "msg"}
SENSITIVE = re.compile(
    r"password|passwd|secret|token|api_?key|authorization|credential|e_?mail|ssn"
    r"|card_?number|credit_?card|cvv"
)
# Calls that make a value safe to log.
SANITIZERS = re.compile(r"mask|redact|pseudonym|anonymi[sz]e|obfuscate|scrub|hash")

# Code patterns.
MUTABLE_FACTORIES = frozenset(
    {
        "list",
        "dict",
        "set",
        "bytearray",
        "defaultdict",
        "collections.defaultdict",
        "deque",
        "collections.deque",
        "OrderedDict",
        "collections.OrderedDict",
        "Counter",
        "collections.Counter",
    }
)
MUTATING_METHODS = frozenset(
    {
        "append",
        "appendleft",
        "add",
        "update",
        "pop",
        "popitem",
        "setdefault",
        "clear",
        "extend",
        "insert",
        "remove",
        "discard",
    }
)
BROAD_EXCEPTIONS = frozenset({"Exception", "BaseException", "builtins.Exception"})
DATACLASS = frozenset({"dataclass", "dataclasses.dataclass"})
# Bases that make a class something other than a regular class (for __slots__).
PLAIN_BASES = frozenset({"object", "ABC", "abc.ABC"})
GOD_CLASS_METHODS = 20

SQL_STATEMENT = re.compile(
    r"^\s*(SELECT\s|INSERT\s+INTO\s|UPDATE\s+\S+\s+SET\s|DELETE\s+FROM\s|WITH\s+\w+\s+AS\s)"
)

# ------------------------------------------------------ private building blocks


def _parents(module: ast.AST) -> dict[ast.AST, ast.AST]:
    """Each node of ``module`` -> the node that holds it."""
    return {child: node for node in ast.walk(module) for child in ast.iter_child_nodes(node)}


def _names_in(node: ast.AST) -> set[str]:
    """Every name and attribute name used in ``node``."""
    names: set[str] = set()
    for child in ast.walk(node):
        if isinstance(child, ast.Name):
            names.add(child.id)
        elif isinstance(child, ast.Attribute):
            names.add(child.attr)
    return names


def _uses_litestar(module: ast.Module) -> bool:
    return any(name.split(".")[0] == "litestar" for name in imported_modules(module))


def _route_handlers(project: Project) -> Iterator[tuple[Path, Function, str]]:
    """Each Litestar route handler of the package, with its decorator's name."""
    for path, module in project.modules():
        if not _uses_litestar(module):
            continue
        for function in function_defs(module):
            for decorator in decorator_names(function):
                if (name := decorator.rsplit(".", 1)[-1]) in ROUTE_DECORATORS:
                    yield path, function, name


def _litestar_apps(project: Project) -> Iterator[tuple[Path, ast.Module, ast.Call]]:
    """Each ``Litestar(...)`` the package builds, with its module."""
    for path, module in project.modules():
        for node in ast.walk(module):
            if isinstance(node, ast.Call) and last_name(node.func) == "Litestar":
                yield path, module, node


def _feature_root(project: Project) -> Path | None:
    """The package's ``features/`` (or ``slices/``) directory."""
    if project.package is None:
        return None
    for name in FEATURE_ROOTS:
        if (project.package / name).is_dir():
            return project.package / name
    return None


def _slices(project: Project) -> list[Path]:
    """The slice directories: those under the feature root that hold a ``router.py``."""
    root = _feature_root(project)
    if root is None:
        return []
    return sorted(path.parent for path in root.rglob("router.py"))


def _slice_modules(project: Project, name: str) -> Iterator[tuple[Path, ast.Module]]:
    """The modules called ``name`` (``handler.py``) under the feature root."""
    root = _feature_root(project)
    if root is None:
        return
    for path, module in project.modules(project.rel(root)):
        if path.name == name:
            yield path, module


def _module_name(project: Project, path: Path) -> str:
    """``pkg.features.items.router`` for the file ``src/pkg/features/items/router.py``."""
    assert project.package is not None
    parts = list(path.relative_to(project.package.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(project: Project, path: Path, module: ast.Module) -> Iterator[tuple[ast.AST, str]]:
    """Each module ``module`` imports, relative imports made absolute."""
    own = _module_name(project, path).split(".")
    package = own if path.name == "__init__.py" else own[:-1]
    for node in ast.walk(module):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package[: len(package) - node.level + 1]) if node.level else ""
            if node.module:
                yield node, f"{base}.{node.module}" if base else node.module
            else:
                for alias in node.names:
                    yield node, f"{base}.{alias.name}"


def _class_fields(node: ast.ClassDef) -> Iterator[tuple[ast.AnnAssign, str]]:
    """The annotated fields of a class body, with their names: ``name: type``."""
    for field in annotated_fields(node):
        yield field, field_name(field)


def _is_dataclass(node: ast.ClassDef) -> bool:
    return any(name in DATACLASS for name in decorator_names(node))


def _is_mutable(node: ast.AST) -> bool:
    """A list, dict or set display, a comprehension of one, or ``list()``-like call."""
    if isinstance(node, ast.List | ast.Dict | ast.Set | ast.ListComp | ast.DictComp | ast.SetComp):
        return True
    return isinstance(node, ast.Call) and dotted_name(node.func) in MUTABLE_FACTORIES


def _module_assignments(module: ast.Module) -> Iterator[tuple[ast.stmt, str, ast.expr]]:
    """Module-level ``NAME = value`` and ``NAME: type = value``."""
    for node in module.body:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    yield node, target.id, node.value
        elif (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and node.value is not None
        ):
            yield node, node.target.id, node.value


def _is_logger(receiver: ast.expr) -> bool:
    """Whether a method's receiver names a logger: ``logger``, ``log``, ``get_logger()``."""
    owner = receiver.func if isinstance(receiver, ast.Call) else receiver
    return "log" in last_name(owner).lower()


def _logger_calls(project: Project) -> Iterator[tuple[Path, ast.Call]]:
    """Each log call of the package: ``logger.info(...)``, ``log.warning(...)``,
    ``structlog.get_logger().info(...)``."""
    for path, module in project.modules():
        for call, _ in logger_calls(ast.walk(module), LOG_METHODS, _is_logger):
            yield path, call


def _logged_names(node: ast.Call) -> Iterator[str]:
    """Keyword names and the names read by the arguments of a log call, not through a
    sanitizing call (``mask_email(user.email)``)."""
    yield from (kw.arg for kw in node.keywords if kw.arg)
    pending: list[ast.AST] = [*node.args, *(kw.value for kw in node.keywords)]
    while pending:
        child = pending.pop()
        if isinstance(child, ast.Call) and SANITIZERS.search(last_name(child.func).lower()):
            continue
        if isinstance(child, ast.Name):
            yield child.id
        elif isinstance(child, ast.Attribute):
            yield child.attr
        pending.extend(ast.iter_child_nodes(child))


def _sql_strings(module: ast.Module) -> Iterator[ast.Constant]:
    """String constants that hold an SQL statement."""
    for node in ast.walk(module):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and SQL_STATEMENT.match(node.value)
        ):
            yield node


def _calls_to(project: Project, names: Collection[str], says: str) -> list[Finding]:
    """A finding for each call of one of ``names`` in the package: ``<name>()<says>``."""
    return [
        project.finding(path, call, f"{name}(){says}")
        for path, call, name in module_calls(project.modules())
        if name in names
    ]


def _pool_creations(project: Project) -> list[tuple[Path, ast.Call]]:
    """Calls that create a connection pool or a pooled client."""
    return [
        (path, call)
        for path, call, name in module_calls(project.modules())
        if name.rsplit(".", 1)[-1] in POOL_FACTORIES
    ]


def _requirement_line(project: Project, pattern: str, message: str) -> list[Finding]:
    """The pyproject.toml lines matching ``pattern``, or the file itself."""
    return grep_file(project, "pyproject.toml", pattern, message) or [
        Finding(message, "pyproject.toml")
    ]


def _minimum_of(specifier: str) -> tuple[int, int] | None:
    """The lowest ``major.minor`` a ``requires-python`` specifier allows."""
    lowest: tuple[int, int] | None = None
    for operator, major, minor in re.findall(r"(>=|~=|==|>)\s*(\d+)\.(\d+)", specifier):
        bound = (int(major), int(minor) + (1 if operator == ">" else 0))
        lowest = bound if lowest is None else max(lowest, bound)
    return lowest


# ------------------------------------------------------------ [HARD] TECHNOLOGY STACK


@STANDARD.rule("LS-STACK-001", "MUST use Python >= 3.13", section=STACK, level="HARD")
def python_313(project: Project) -> Verdict:
    """requires-python, .python-version and the image's Python allow nothing below 3.13."""
    findings: list[Finding] = []
    wanted = ".".join(map(str, MINIMUM_PYTHON))
    specifier = project.pyproject.get("project", {}).get("requires-python")
    minimum = _minimum_of(specifier) if isinstance(specifier, str) else None
    if minimum is None or minimum < MINIMUM_PYTHON:
        findings += _requirement_line(
            project, r"^\s*requires-python", f"requires-python must be >={wanted}"
        )
    pinned = project.text(".python-version")
    found = re.match(r"\s*(\d+)\.(\d+)", pinned or "")
    if found and (int(found[1]), int(found[2])) < MINIMUM_PYTHON:
        findings.append(Finding(f"pins Python {found[1]}.{found[2]}", ".python-version", 1))
    for number, image, _ in from_lines(dockerfile(project) or ""):
        tag = re.match(r"(?:\S+/)?python:(\d+)\.(\d+)", image)
        if tag and (int(tag[1]), int(tag[2])) < MINIMUM_PYTHON:
            findings.append(Finding(f"base image {image}", "Dockerfile", number))
    return verdict_of(
        findings, ok=f"requires-python {specifier}", broken=f"Python below {wanted} allowed"
    )


@STANDARD.rule(
    "LS-STACK-002",
    "MUST use `uv` package manager (NOT pip, NOT poetry)",
    section=STACK,
    level="HARD",
)
def uses_uv(project: Project) -> Verdict:
    """uv.lock is there; no other manager's lock or table, no ``pip install`` in builds."""
    findings = [Finding("no uv.lock", "uv.lock")] if not project.exists("uv.lock") else []
    findings += [
        Finding("another package manager's file", name)
        for name in OTHER_MANAGER_FILES
        if project.exists(name)
    ]
    findings += [
        Finding("pip requirements file", project.rel(path))
        for path in project.files("requirements*.txt")
    ]
    if project.tool("poetry"):
        findings += _requirement_line(project, r"^\[tool\.poetry", "[tool.poetry] table")
    for path in (path for pattern in BUILD_SCRIPTS for path in project.files(pattern)):
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            if PIP_INSTALL.search(line) and not PIP_FOR_UV.search(line):
                findings.append(Finding("installs with pip", project.rel(path), number))
    return verdict_of(findings, ok="uv.lock, and no other installer", broken="not uv alone")


@STANDARD.rule("LS-STACK-003", "MUST use LiteStar + Granian + asyncio", section=STACK, level="HARD")
def litestar_granian_asyncio(project: Project) -> Verdict:
    """Litestar and Granian are runtime dependencies; no other server or event loop is."""
    findings = [
        Finding(f"no dependency on {name}", "pyproject.toml")
        for name in ("litestar", "granian")
        if not project.depends_on(name)
    ]
    findings += dependency_findings(project, (*OTHER_SERVERS, *OTHER_LOOPS), runtime_only=True)
    return verdict_of(
        findings, ok="litestar and granian, on asyncio", broken="another framework, server or loop"
    )


STANDARD.rule(
    "LS-STACK-004",
    "MUST use `msgspec` for serialization (NEVER Pydantic)",
    section=STACK,
    level="HARD",
)(requires_dependency("msgspec"))


@STANDARD.rule(
    "LS-STACK-005",
    "MUST use `asyncpg` direct",
    section=STACK,
    level="HARD",
)
def asyncpg_direct(project: Project) -> Verdict:
    """A service with a database reaches it through asyncpg, not another driver or an engine."""
    if not any(project.depends_on(name) for name in DATABASE_DEPENDENCIES):
        return not_applicable("no database dependency")
    findings: list[Finding] = []
    if not project.depends_on("asyncpg"):
        findings.append(Finding("no dependency on asyncpg", "pyproject.toml"))
    findings += dependency_findings(project, OTHER_DRIVERS, runtime_only=True)
    findings += [
        project.finding(path, call, f"{name}(): data access through an engine")
        for path, call, name in module_calls(project.modules())
        if name.rsplit(".", 1)[-1] in ORM_ENGINES
    ]
    return verdict_of(findings, ok="asyncpg is the database driver", broken="not asyncpg direct")


@STANDARD.rule(
    "LS-STACK-006",
    "MUST use Dockerfile with staged and slim build",
    section=STACK,
    level="HARD",
)
@with_dockerfile
def staged_slim_dockerfile(project: Project, text: str) -> Verdict:
    """A Dockerfile with two or more stages whose final stage runs on a slim base."""
    stages = from_lines(text)
    if not stages:
        return failed("no FROM", [Finding("no FROM", "Dockerfile")])
    findings: list[Finding] = []
    if len(stages) < 2:
        findings.append(Finding("a single stage", "Dockerfile", stages[0][0]))
    bases = {name: image for _, image, name in stages if name}
    line, image, _ = stages[-1]
    while image in bases and bases[image] != image:
        image = bases.pop(image)
    if not any(marker in image for marker in SLIM_MARKERS):
        findings.append(Finding(f"final stage runs on {image}", "Dockerfile", line))
    return verdict_of(
        findings, ok=f"{len(stages)} stages, final on {image}", broken="not staged and slim"
    )


# -------------------------------------------------------------- [HARD] DATA FORMATS


@STANDARD.rule(
    "LS-DATA-001",
    "MUST use UUID v7 for IDs (not v4, not integers)",
    section=DATA,
    level="HARD",
)
def uuid7_ids(project: Project) -> Verdict:
    """No uuid1/uuid4 in the package, no ``id: int`` field, no serial or identity column."""
    findings = _calls_to(project, OTHER_UUIDS, " makes a non-v7 ID")
    for path, module in project.modules():
        for node in ast.walk(module):
            if isinstance(node, ast.ClassDef):
                findings += [
                    project.finding(path, field, f"{node.name}.{name} is an integer ID")
                    for field, name in _class_fields(node)
                    if (name == "id" or name.endswith("_id"))
                    and dotted_name(field.annotation) in INTEGER_TYPES
                ]
    schema_files = project.python_files() + project.files("migrations/**/*.py")
    findings += project.grep(
        INTEGER_KEYS.pattern, schema_files + project.files("**/*.sql"), "integer key column"
    )
    return verdict_of(findings, ok="no other UUID version or integer key", broken="non-v7 IDs")


@STANDARD.rule(
    "LS-DATA-002",
    "MUST use ISO-8601 UTC for timestamps (no Unix timestamps, no naive datetimes)",
    section=DATA,
    level="HARD",
)
def utc_timestamps(project: Project) -> Verdict:
    """No naive ``datetime`` constructors, no Unix-time ``*_at`` fields, no naive SQL columns."""
    findings: list[Finding] = []
    for path, call, name in module_calls(project.modules()):
        if name in NAIVE_DATETIME or (
            name in NEEDS_TZ
            and len(call.args) < (2 if "fromtimestamp" in name else 1)
            and kwarg(call, "tz") is None
        ):
            findings.append(project.finding(path, call, f"{name}() is naive or local time"))
    for path, module in project.modules():
        for node in ast.walk(module):
            if isinstance(node, ast.ClassDef):
                findings += [
                    project.finding(path, field, f"{node.name}.{name} is a Unix timestamp")
                    for field, name in _class_fields(node)
                    if TIMESTAMP_FIELD.search(name)
                    and dotted_name(field.annotation) in NUMBER_TYPES
                ]
    migrations = project.files("migrations/**/*.py")
    for path, module in project.modules("migrations") if migrations else ():
        findings += [
            project.finding(path, node, "DateTime column without timezone=True")
            for node in ast.walk(module)
            if isinstance(node, ast.Call)
            and last_name(node.func) == "DateTime"
            and not is_constant(kwarg(node, "timezone"), True)
        ]
    sql_files = project.python_files() + migrations + project.files("**/*.sql")
    findings += project.grep(NAIVE_SQL_TIMESTAMP.pattern, sql_files, "TIMESTAMP without time zone")
    return verdict_of(
        findings, ok="timestamps are timezone-aware", broken="naive or Unix timestamps"
    )


@STANDARD.rule(
    "LS-DATA-003",
    "MUST use `msgspec.Struct` with `msgspec.json.encode/decode`",
    section=DATA,
    level="HARD",
)
def msgspec_json(project: Project) -> Verdict:
    """The package encodes and decodes JSON with msgspec only: no json.dumps, orjson, ujson."""
    findings = _calls_to(project, OTHER_JSON_CALLS, " instead of msgspec.json")
    for path, module in project.modules():
        findings += [
            project.finding(path, node, f"imports {name}")
            for node, name in _imports(project, path, module)
            if name.split(".")[0] in OTHER_JSON_MODULES
        ]
    return verdict_of(findings, ok="JSON goes through msgspec", broken="another JSON codec")


# ------------------------------------------------------------- [HARD] ARCHITECTURE


@STANDARD.rule(
    "LS-ARCH-001",
    "MUST use Vertical Slice Architecture: group by FEATURE, not by layer; "
    "NO monolithic services/repositories",
    section=ARCHITECTURE,
    level="HARD",
)
def grouped_by_feature(project: Project) -> Verdict:
    """A features/ directory of feature packages; no layer-wide package outside it."""
    if project.package is None:
        return not_applicable("no package")
    root = _feature_root(project)
    findings: list[Finding] = []
    if root is None or not any(child.is_dir() for child in root.iterdir()):
        findings.append(Finding("no features/ directory of slices", project.rel(project.package)))
    for path in sorted(project.package.rglob("*")):
        inside = root is not None and root in path.parents
        if not inside and path.stem in LAYER_NAMES and (path.is_dir() or path.suffix == ".py"):
            findings.append(Finding(f"layer-wide {path.stem}", project.rel(path)))
    return verdict_of(
        findings, ok="code grouped under features/", broken="grouped by layer, not by feature"
    )


@STANDARD.rule(
    "LS-ARCH-002",
    "Each slice = self-contained plugin",
    section=ARCHITECTURE,
    level="HARD",
)
def self_contained_slices(project: Project) -> Verdict:
    """No feature imports another feature; no slice imports a sibling slice."""
    root = _feature_root(project)
    if root is None or project.package is None:
        return not_applicable("no features/ directory")
    prefix = _module_name(project, root / "__init__.py") + "."
    slices = _slices(project)
    findings: list[Finding] = []
    for path, module in project.modules(project.rel(root)):
        own = path.relative_to(root).parts
        if len(own) == 1:
            continue  # the feature root's own modules mount the features
        for node, name in _imports(project, path, module):
            if not name.startswith(prefix):
                continue
            target = root.joinpath(*name.removeprefix(prefix).split("."))
            if target.relative_to(root).parts[0] != own[0]:
                findings.append(project.finding(path, node, f"imports another feature: {name}"))
                continue
            owner = max((s for s in slices if s == target or s in target.parents), default=None)
            if owner is not None and owner not in path.parents and path.parent not in owner.parents:
                findings.append(project.finding(path, node, f"imports a sibling slice: {name}"))
    return verdict_of(findings, ok="slices import only their own feature", broken="coupled slices")


@STANDARD.rule(
    "LS-ARCH-003",
    "handler.py: pure business logic (NO LiteStar/HTTP knowledge)",
    section=SLICE_LAYOUT,
    level="HARD",
)
def handlers_without_http(project: Project) -> Verdict:
    """No slice's handler.py imports an HTTP framework."""
    handlers = list(_slice_modules(project, "handler.py"))
    if not handlers:
        return not_applicable("no slice handler.py")
    findings = [
        project.finding(path, node, f"imports {name}")
        for path, module in handlers
        for node, name in _imports(project, path, module)
        if within(name, *HTTP_FRAMEWORKS)
    ]
    return verdict_of(findings, ok="handlers know no HTTP", broken="handlers import HTTP")


@STANDARD.rule(
    "LS-ARCH-004",
    "router.py: HTTP → Command (NO business logic here)",
    section=SLICE_LAYOUT,
    level="HARD",
)
def routers_without_logic(project: Project) -> Verdict:
    """No slice's router.py runs SQL or imports its queries: that is the handler's work."""
    routers = list(_slice_modules(project, "router.py"))
    if not routers:
        return not_applicable("no slice router.py")
    findings: list[Finding] = []
    for path, module in routers:
        findings += [
            project.finding(path, node, f"imports {name}")
            for node, name in _imports(project, path, module)
            if name.rsplit(".", 1)[-1] == "queries"
        ]
        findings += [
            project.finding(path, node, f".{node.func.attr}() runs SQL in the router")
            for node in ast.walk(module)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in DATABASE_METHODS
        ]
    return verdict_of(findings, ok="routers only map HTTP", broken="data access in routers")


@STANDARD.rule(
    "LS-ARCH-005",
    "SHOULD avoid God Services with 20+ methods",
    section="[DEFAULT] ARCHITECTURE PRINCIPLES",
    level="DEFAULT",
)
def no_god_classes(project: Project) -> Verdict:
    """No class of the package defines 20 or more methods."""
    findings: list[Finding] = []
    for path, module in project.modules():
        for node in ast.walk(module):
            if isinstance(node, ast.ClassDef):
                count = sum(
                    isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) for item in node.body
                )
                if count >= GOD_CLASS_METHODS:
                    findings.append(project.finding(path, node, f"{node.name}: {count} methods"))
    return verdict_of(findings, ok="no class with 20+ methods", broken="god classes")


# ---------------------------------------------------- [HARD] PERFORMANCE - NEVER DO THIS


@STANDARD.rule(
    "LS-PERF-001", "NEVER create connection pools in handlers", section=PERFORMANCE, level="HARD"
)
def no_pools_in_handlers(project: Project) -> Verdict:
    """No pool or pooled client is created in a route handler, a dependency provider or a
    slice's router.py/handler.py: those run per request."""
    providers = {
        dotted_name(call.args[0])
        for _, call, name in module_calls(project.modules())
        if name.rsplit(".", 1)[-1] == "Provide" and call.args
    }
    per_request: list[tuple[Path, ast.AST]] = [(p, f) for p, f, _ in _route_handlers(project)]
    for path, module in project.modules():
        per_request += [(path, f) for f in function_defs(module) if f.name in providers]
    for name in ("router.py", "handler.py"):
        per_request += list(_slice_modules(project, name))
    findings = {
        (path, node.lineno): project.finding(path, node, f"{dotted_name(node.func)}() per request")
        for path, scope in per_request
        for node in ast.walk(scope)
        if isinstance(node, ast.Call)
        and (
            last_name(node.func) in POOL_FACTORIES or dotted_name(node.func) in ONE_OFF_CONNECTIONS
        )
    }
    return verdict_of(
        findings.values(), ok="no pool created per request", broken="pools created per request"
    )


@STANDARD.rule(
    "LS-ASYNC-001",
    "NEVER use synchronous code in async context",
    section=PERFORMANCE,
    level="HARD",
)
def no_blocking_calls_in_async(project: Project) -> Verdict:
    """Blocking calls made directly in an ``async def`` of the package."""
    return verdict_of(
        calls_in_async(project, BLOCKING_CALLS),
        ok="no blocking call in any async def of the package",
        broken="blocking calls run on the event loop",
    )


STANDARD.undecidable(
    "LS-PERF-002",
    "NEVER use exceptions for control flow",
    section=PERFORMANCE,
    level="HARD",
    reason="Whether a raise signals an error or steers the normal path is a judgement of "
    "intent that no pattern in the code decides.",
)


@STANDARD.rule(
    "LS-PERF-003",
    "NEVER skip connection pooling: use `asyncpg.Pool` (not one-off connections)",
    section=PERFORMANCE,
    level="HARD",
)
def pooled_connections(project: Project) -> Verdict:
    """The package creates an asyncpg pool and never opens a one-off connection."""
    if not project.depends_on("asyncpg"):
        return not_applicable("no asyncpg dependency")
    findings = _calls_to(project, ONE_OFF_CONNECTIONS, ": a one-off connection")
    if not any(last_name(call.func) == "create_pool" for _, call in _pool_creations(project)):
        findings.append(Finding("no asyncpg.create_pool() in the package", "pyproject.toml"))
    return verdict_of(findings, ok="connections come from a pool", broken="connections not pooled")


@STANDARD.rule(
    "LS-PERF-004",
    "Aggressive timeouts on all IO operations",
    section=CHECKLIST,
    level="HARD",
)
def io_timeouts(project: Project) -> Verdict:
    """Every asyncpg pool sets ``command_timeout``; every aiohttp session sets ``timeout``."""
    creations = [
        (path, call)
        for path, call in _pool_creations(project)
        if last_name(call.func) in TIMEOUT_KEYWORDS
    ]
    if not creations:
        return not_applicable("no asyncpg pool or aiohttp session")
    findings = [
        project.finding(path, call, f"{dotted_name(call.func)}() without {keyword}")
        for path, call in creations
        for keyword in TIMEOUT_KEYWORDS[last_name(call.func)]
        if kwarg(call, keyword) is None and not any(kw.arg is None for kw in call.keywords)
    ]
    return verdict_of(findings, ok="pools and sessions time out", broken="IO without a timeout")


@STANDARD.rule(
    "LS-PERF-005",
    "SHOULD use bounded queues for task processing",
    section="[DEFAULT] BACKPRESSURE HANDLING",
    level="DEFAULT",
)
def bounded_queues(project: Project) -> Verdict:
    """Every asyncio queue has a positive ``maxsize``."""
    queues = [
        (path, call)
        for path, call, name in module_calls(project.modules())
        if name.rsplit(".", 1)[-1] in QUEUE_FACTORIES and "asyncio" in name
    ]
    if not queues:
        return not_applicable("no asyncio queue")
    findings = [
        project.finding(path, call, "unbounded queue")
        for path, call in queues
        if not (size := call.args[0] if call.args else kwarg(call, "maxsize"))
        or (isinstance(size, ast.Constant) and size.value == 0)
    ]
    return verdict_of(findings, ok="queues are bounded", broken="unbounded queues")


# ------------------------------------------------------------------ [HARD] SECURITY


@STANDARD.rule(
    "LS-SEC-001",
    "NEVER put auth tokens/user_id from token into `schema.py`",
    section=SECURITY,
    level="HARD",
)
def no_identity_in_schema(project: Project) -> Verdict:
    """No request struct of a schema.py has a field for the caller's token or user ID."""
    schemas = [(path, module) for path, module in project.modules() if path.name == "schema.py"]
    if not schemas:
        return not_applicable("no schema.py")
    bodies: set[str] = set()
    for _, function, _ in _route_handlers(project):
        for argument in function.args.args + function.args.kwonlyargs:
            if argument.arg == "data" and argument.annotation is not None:
                bodies |= _names_in(argument.annotation)
    findings: list[Finding] = []
    for path, module in schemas:
        for node in ast.walk(module):
            if isinstance(node, ast.ClassDef) and (
                node.name in bodies or REQUEST_CLASS.search(node.name)
            ):
                findings += [
                    project.finding(path, field, f"{node.name}.{name} comes from the token")
                    for field, name in _class_fields(node)
                    if name in IDENTITY_FIELDS
                ]
    return verdict_of(findings, ok="request schemas carry no identity", broken="identity in schema")


@STANDARD.rule(
    "LS-SEC-002",
    "NEVER log sensitive data (passwords, tokens, PII, full emails)",
    section=SECURITY,
    level="HARD",
)
def no_sensitive_logs(project: Project) -> Verdict:
    """No log call passes a value named like a password, token, secret or email."""
    findings: list[Finding] = []
    for path, call in _logger_calls(project):
        names = sorted({n for n in _logged_names(call) if SENSITIVE.search(n.lower())})
        if names:
            findings.append(project.finding(path, call, f"logs {', '.join(names)}"))
    return verdict_of(findings, ok="no sensitive value logged", broken="sensitive data logged")


@STANDARD.rule(
    "LS-SEC-003",
    "NEVER skip `command.py` (Schema = external, Command = internal + enriched)",
    section=SECURITY,
    level="HARD",
)
def slices_have_commands(project: Project) -> Verdict:
    """Every slice whose routes take a request body has a command.py."""
    findings: list[Finding] = []
    taking_bodies = 0
    for path, function, _ in _route_handlers(project):
        arguments = function.args.args + function.args.kwonlyargs
        if any(argument.arg == "data" for argument in arguments):
            taking_bodies += 1
            if not (path.parent / "command.py").is_file():
                message = f"{function.name} takes a body; {path.parent.name}/ has no command.py"
                findings.append(project.finding(path, function, message))
    if not taking_bodies:
        return not_applicable("no route takes a request body")
    return verdict_of(findings, ok="bodies become commands", broken="command.py skipped")


# ------------------------------------------------------------- [HARD] SERIALIZATION


@STANDARD.rule(
    "LS-SER-001", "NEVER use Pydantic in this project", section=SERIALIZATION, level="HARD"
)
def no_pydantic(project: Project) -> Verdict:
    """No Pydantic dependency, and no import of it in src/ or tests/."""
    findings = dependency_findings(project, PYDANTIC)
    for under in ("src", "tests"):
        if project.exists(under):
            for path, module in project.modules(under):
                findings += [
                    project.finding(path, node, f"imports {name}")
                    for node, name in absolute_imports(module)
                    if name.split(".")[0] in {"pydantic", "pydantic_settings", "pydantic_core"}
                ]
    return verdict_of(findings, ok="no Pydantic", broken="Pydantic used")


@STANDARD.rule(
    "LS-SER-002",
    "NEVER use dataclasses for API responses (use msgspec.Struct)",
    section=SERIALIZATION,
    level="HARD",
)
def no_dataclass_responses(project: Project) -> Verdict:
    """No dataclass in a schema.py, and no route handler returns a dataclass."""
    dataclasses: dict[str, tuple[Path, ast.ClassDef]] = {}
    findings: list[Finding] = []
    for path, module in project.modules():
        for node in ast.walk(module):
            if isinstance(node, ast.ClassDef) and _is_dataclass(node):
                dataclasses[node.name] = (path, node)
                if path.name == "schema.py":
                    findings.append(project.finding(path, node, f"{node.name} is a dataclass"))
    handlers = list(_route_handlers(project))
    if not handlers and not findings:
        return not_applicable("no route handler")
    for path, function, _ in handlers:
        if function.returns is not None:
            findings += [
                project.finding(path, function, f"{function.name} returns dataclass {name}")
                for name in sorted(_names_in(function.returns) & dataclasses.keys())
            ]
    return verdict_of(findings, ok="responses are msgspec Structs", broken="dataclass responses")


# ------------------------------------------------------- [HARD] CODE PATTERNS - FORBIDDEN


@STANDARD.rule("LS-CODE-001", "NEVER use mutable defaults", section=CODE_PATTERNS, level="HARD")
def no_mutable_defaults(project: Project) -> Verdict:
    """No function of the package or its tests defaults an argument to a list, dict or set."""
    findings: list[Finding] = []
    for path, module in modules_in(project, None, "tests"):
        for node in ast.walk(module):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                defaults = [*node.args.defaults, *node.args.kw_defaults]
                findings += [
                    project.finding(path, default, "mutable default argument")
                    for default in defaults
                    if default is not None and _is_mutable(default)
                ]
    return verdict_of(findings, ok="no mutable default", broken="mutable defaults")


@STANDARD.rule(
    "LS-CODE-002", "NEVER use broad exception handling", section=CODE_PATTERNS, level="HARD"
)
def no_broad_except(project: Project) -> Verdict:
    """No bare ``except:`` or ``except Exception`` that swallows the error (does not re-raise)."""
    findings: list[Finding] = []
    for path, module in modules_in(project, None, "tests"):
        for node in ast.walk(module):
            if not isinstance(node, ast.ExceptHandler):
                continue
            caught = _names_in(node.type) if node.type is not None else {"<bare>"}
            broad = node.type is None or bool(caught & BROAD_EXCEPTIONS)
            reraises = any(isinstance(child, ast.Raise) for child in own_body(node))
            if broad and not reraises:
                what = "bare except" if node.type is None else "except Exception"
                findings.append(project.finding(path, node, f"{what} swallows every error"))
    return verdict_of(findings, ok="exceptions are caught by type", broken="broad except")


@STANDARD.rule(
    "LS-CODE-003",
    "NEVER use global mutable state (stateless patterns, no shared mutable state)",
    section=CODE_PATTERNS,
    level="HARD",
)
def no_global_state(project: Project) -> Verdict:
    """No ``global`` statement, and no module-level container a function of the module changes."""
    findings: list[Finding] = []
    for path, module in project.modules():
        containers = {name for _, name, value in _module_assignments(module) if _is_mutable(value)}
        for function in function_defs(module):
            for node in own_body(function):
                if isinstance(node, ast.Global):
                    findings.append(project.finding(path, node, f"global {', '.join(node.names)}"))
                elif (name := _mutated(node)) in containers:
                    message = f"{function.name} changes module-level {name}"
                    findings.append(project.finding(path, node, message))
    return verdict_of(findings, ok="no global mutable state", broken="global mutable state")


def _mutated(node: ast.AST) -> str | None:
    """The name a statement or call changes in place: ``x[k] = v``, ``x.append(v)``, ``x += v``."""
    target: ast.AST | None = None
    if isinstance(node, ast.Assign | ast.Delete):
        subscripts = [t for t in node.targets if isinstance(t, ast.Subscript)]
        target = subscripts[0].value if subscripts else None
    elif isinstance(node, ast.AugAssign):
        target = node.target.value if isinstance(node.target, ast.Subscript) else node.target
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        target = node.func.value if node.func.attr in MUTATING_METHODS else None
    return target.id if isinstance(target, ast.Name) else None


@STANDARD.rule(
    "LS-CODE-004",
    "PREFER immutable types for constants",
    section="[DEFAULT] IMMUTABLE DATA STRUCTURES",
    level="DEFAULT",
)
def immutable_constants(project: Project) -> Verdict:
    """No module-level UPPER_CASE constant is a list, dict or set."""
    findings = [
        project.finding(path, node, f"{name} is mutable")
        for path, module in project.modules()
        for node, name, value in _module_assignments(module)
        if name.isupper() and _is_mutable(value)
    ]
    return verdict_of(findings, ok="constants are immutable", broken="mutable constants")


@STANDARD.rule(
    "LS-MEM-001",
    "PREFER `__slots__` in regular classes",
    section="[DEFAULT] MEMORY OPTIMIZATION",
    level="DEFAULT",
)
def slotted_classes(project: Project) -> Verdict:
    """Every plain class (no base but object) declares ``__slots__`` or is a slotted dataclass."""
    findings: list[Finding] = []
    for path, module in project.modules():
        for node in ast.walk(module):
            if not isinstance(node, ast.ClassDef) or node.keywords:
                continue
            if any(dotted_name(base) not in PLAIN_BASES for base in node.bases):
                continue
            if not _has_slots(node):
                findings.append(project.finding(path, node, f"{node.name} has no __slots__"))
    return verdict_of(findings, ok="regular classes use __slots__", broken="classes with __dict__")


def _has_slots(node: ast.ClassDef) -> bool:
    """Whether the class assigns ``__slots__`` or is a ``dataclass(slots=True)``."""
    for item in node.body:
        targets = item.targets if isinstance(item, ast.Assign) else []
        if isinstance(item, ast.AnnAssign):
            targets = [item.target]
        if any(isinstance(t, ast.Name) and t.id == "__slots__" for t in targets):
            return True
    return any(
        isinstance(decorator, ast.Call) and is_constant(kwarg(decorator, "slots"), True)
        for decorator in node.decorator_list
    )


# ------------------------------------------------------------------- WORKFLOW


@STANDARD.rule("LS-TYPE-001", "Always type-hint everything", section=WORKFLOW, level="HARD")
def type_hints(project: Project) -> Verdict:
    """Every function of the package annotates its arguments (but self/cls) and its return."""
    findings: list[Finding] = []
    for path, module in project.modules():
        for function in function_defs(module):
            missing = unannotated(function)
            if function.returns is None:
                missing.append("return")
            if missing:
                message = f"{function.name}: no type for {', '.join(missing)}"
                findings.append(project.finding(path, function, message))
    return verdict_of(findings, ok="every function is typed", broken="untyped functions")


STANDARD.undecidable(
    "LS-SCOPE-001",
    "Check if task is IN SCOPE (see top of document)",
    section=WORKFLOW,
    level="HARD",
    reason="It is a step of the author's work on a task, which leaves no trace in the files.",
)


# ------------------------------------------------------------ [HARD] STARTUP LIFECYCLE


@STANDARD.rule(
    "LS-LIFE-001",
    "MUST initialize pools at startup in `lifespan`",
    section=LIFECYCLE,
    level="HARD",
)
def pools_in_lifespan(project: Project) -> Verdict:
    """Every pool is created by the app's lifespan (or a function it calls), none at import."""
    creations = _pool_creations(project)
    if not creations:
        return not_applicable("no pool created")
    functions: dict[str, Function] = {}
    owners: dict[ast.AST, str] = {}
    for _, module in project.modules():
        for function in function_defs(module):
            functions.setdefault(function.name, function)
            for node in own_body(function):
                owners[node] = function.name
    startup = {
        name
        for _, _, app in _litestar_apps(project)
        for keyword in ("lifespan", "on_startup")
        if (value := kwarg(app, keyword)) is not None
        for name in _names_in(value)
    }
    reached = reachable(startup, functions, lambda name: _callees(functions[name], functions))
    findings = [
        project.finding(path, call, f"{dotted_name(call.func)}() outside the lifespan")
        for path, call in creations
        if owners.get(call) not in reached
    ]
    return verdict_of(findings, ok="pools open in the lifespan", broken="pools opened elsewhere")


def _callees(function: Function, functions: dict[str, Function]) -> list[str]:
    """The names of ``functions`` that ``function`` calls itself."""
    return [
        callee
        for node in own_body(function)
        if isinstance(node, ast.Call) and (callee := last_name(node.func)) in functions
    ]


# -------------------------------------------------------------- [HARD] ASYNC PATTERNS


@STANDARD.rule(
    "LS-ASYNC-002",
    "MUST use context managers for resource management",
    section=ASYNC,
    level="HARD",
)
def resources_in_with(project: Project) -> Verdict:
    """``open()``, ``.acquire()`` and ``.transaction()`` are entered with (async) with."""
    findings: list[Finding] = []
    seen = 0
    for path, module in project.modules():
        parents = _parents(module)
        for node in ast.walk(module):
            if not isinstance(node, ast.Call) or not (
                dotted_name(node.func) == "open" or last_name(node.func) in RESOURCE_METHODS
            ):
                continue
            seen += 1
            parent = parents.get(node)
            entered = isinstance(parent, ast.Call) and last_name(parent.func) in ENTER_CALLS
            if not (entered or isinstance(parent, ast.withitem | ast.Return)):
                findings.append(
                    project.finding(path, node, f"{dotted_name(node.func)}() outside a with")
                )
    if not seen:
        return not_applicable("no resource acquired")
    return verdict_of(findings, ok="resources are context-managed", broken="unmanaged resources")


@STANDARD.rule("LS-ASYNC-003", "MUST make all IO operations async", section=ASYNC, level="HARD")
def async_io_clients(project: Project) -> Verdict:
    """The package uses no synchronous network or database client."""
    findings: list[Finding] = []
    for path, module in project.modules():
        for node, name in absolute_imports(module):
            if within(name, *SYNC_IO_MODULES):
                findings.append(project.finding(path, node, f"imports synchronous {name}"))
            elif isinstance(node, ast.ImportFrom) and name in SYNC_CLIENT_IMPORTS:
                clients = {a.name for a in node.names} & SYNC_CLIENT_IMPORTS[name]
                findings += [
                    project.finding(path, node, f"imports synchronous {name}.{client}")
                    for client in sorted(clients)
                ]
    findings += _calls_to(project, SYNC_CLIENT_CALLS, " is synchronous")
    return verdict_of(findings, ok="IO clients are async", broken="synchronous IO clients")


# ------------------------------------------------------- [HARD] SECURITY & MIDDLEWARE


def _each_app(
    lacks: Callable[[ast.Module, ast.Call], bool], message: str, *, ok: str, broken: str
) -> Check:
    """A check of each ``Litestar(...)`` app: ``message`` for each one ``lacks`` accepts (with
    the app's module); n/a without an app."""

    def check(project: Project) -> Verdict:
        apps = list(_litestar_apps(project))
        if not apps:
            return not_applicable("no Litestar app")
        findings = [
            project.finding(path, app, message) for path, module, app in apps if lacks(module, app)
        ]
        return verdict_of(findings, ok=ok, broken=broken)

    return check


def _middleware_names(module: ast.Module, app: ast.Call) -> set[str]:
    """The names the app's ``middleware=`` uses, and those of the module's functions it calls."""
    value = kwarg(app, "middleware")
    if value is None:
        return set()
    names = _names_in(value)
    local = {f.name: f for f in function_defs(module)}
    for call in (n for n in ast.walk(value) if isinstance(n, ast.Call)):
        if (callee := local.get(last_name(call.func))) is not None:
            names |= _names_in(callee)
    return names


# The Litestar app is built with a non-empty ``middleware=``.
STANDARD.rule(
    "LS-MW-001",
    "MUST apply `@middleware` (request/response processing) to every endpoint",
    section=MIDDLEWARE,
    level="HARD",
)(
    _each_app(
        lambda _, app: (
            (value := kwarg(app, "middleware")) is None
            or (isinstance(value, ast.List) and not value.elts)
            or (isinstance(value, ast.Constant) and value.value is None)
        ),
        "Litestar(...) without middleware",
        ok="the app has middleware",
        broken="no app middleware",
    )
)


# The app's middleware (or a function of its module building it) names a rate limiter.
STANDARD.rule(
    "LS-MW-002",
    "MUST apply `@rate_limiter` (DoS protection) to every endpoint",
    section=MIDDLEWARE,
    level="HARD",
)(
    _each_app(
        lambda module, app: (
            not any(
                "ratelimit" in name.lower().replace("_", "")
                for name in _middleware_names(module, app)
            )
        ),
        "no rate limiting in the app's middleware",
        ok="the app is rate limited",
        broken="no rate limiter",
    )
)


@STANDARD.rule(
    "LS-MW-003",
    "MUST apply `@auth` (authentication) to every endpoint that is not public",
    section=MIDDLEWARE,
    level="HARD",
)
def authenticated_writes(project: Project) -> Verdict:
    """A service with state-changing routes has guards or an authentication middleware.

    Which routes are public is the service's decision; a service whose writes are all
    open, with no authentication anywhere, breaks the rule whatever it decides.
    """
    writes = [(p, f) for p, f, method in _route_handlers(project) if method in WRITE_DECORATORS]
    if not writes:
        return not_applicable("no state-changing route")
    for _, module in project.modules():
        for node in ast.walk(module):
            if isinstance(node, ast.keyword) and node.arg in {"guards", "on_app_init"}:
                return passed("routes are guarded")
            if isinstance(node, ast.Name | ast.Attribute) and re.search(
                r"Auth(entication)?Middleware|JWT\w*Auth|SessionAuth", last_name(node)
            ):
                return passed("an authentication middleware")
    return failed(
        "state-changing routes, and no authentication anywhere",
        [project.finding(path, function, f"{function.name} is open") for path, function in writes],
    )


# ------------------------------------------------------------ [DEFAULT] rules, cheap


@STANDARD.rule(
    "LS-LOG-001",
    "SHOULD use structured logging (structlog)",
    section="[DEFAULT] OBSERVABILITY",
    level="DEFAULT",
)
def structured_logging(project: Project) -> Verdict:
    """structlog is a dependency; no log message is formatted into its string."""
    findings = (
        []
        if project.depends_on("structlog")
        else [Finding("no dependency on structlog", "pyproject.toml")]
    )
    for path, call in _logger_calls(project):
        if call.args:
            message = call.args[0]
            formatted = isinstance(message, ast.JoinedStr | ast.BinOp) or (
                isinstance(message, ast.Call) and last_name(message.func) == "format"
            )
            if formatted:
                findings.append(project.finding(path, call, "values formatted into the message"))
    return verdict_of(findings, ok="structured logs", broken="unstructured logs")


@STANDARD.rule(
    "LS-DB-001",
    "All SQL queries in `queries.py` as CONSTANTS",
    section=WORKFLOW,
    level="DEFAULT",
)
def queries_as_constants(project: Project) -> Verdict:
    """SQL strings live in queries.py modules, bound to UPPER_CASE module-level names."""
    findings: list[Finding] = []
    seen = False
    for path, module in project.modules():
        constants = {
            id(value)
            for _, name, value in _module_assignments(module)
            if name.isupper() and path.name == "queries.py"
        }
        for node in _sql_strings(module):
            seen = True
            if id(node) not in constants:
                where = "outside queries.py" if path.name != "queries.py" else "not a constant"
                findings.append(project.finding(path, node, f"SQL {where}"))
    if not seen:
        return not_applicable("no SQL in the package")
    return verdict_of(findings, ok="SQL in queries.py constants", broken="SQL outside queries.py")
