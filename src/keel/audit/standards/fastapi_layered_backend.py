"""The rule catalogue of fastapi-layered-backend.md.

Every section of that standard is headed MANDATORY, so each requirement it states
is a rule of level MANDATORY (NEVER where the bullet says NEVER, SHOULD or
RECOMMENDED where the bullet itself softens it). A requirement the standard
repeats in a later section is registered once, at its first statement.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, cast

from keel.audit.checks import (
    calls_in_async,
    dependency_findings,
    gitignore_patterns,
    grep_file,
    imports_of,
    items,
    lock_root,
    lower_bound,
    mapping,
    only_if,
    package_where,
    requires_dependency,
    requires_file,
    requires_files,
    uses_sqlalchemy,
    uv_lock,
    version_tuple,
)
from keel.audit.docker import dockerfile, dockerfile_user, when_dockerfile
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
from keel.audit.pipeline import ci_files, pipeline_text, pre_commit_text
from keel.audit.project import Project, normalize, requirement_name
from keel.audit.pyast import (
    LOG_LEVELS,
    Function,
    annotated_fields,
    base_names,
    calls_in,
    class_defs,
    decorator_names,
    dotted_name,
    field_default,
    field_name,
    function_defs,
    is_constant,
    kwarg,
    logger_calls,
    modules_in,
    own_body,
    settings_classes,
    string_constants,
    string_literals,
    unannotated,
)
from keel.audit.routes import Route, decorated_routes

STANDARD = Standard(
    name="fastapi-layered-backend",
    title="Python Backend Development Standards (FastAPI, layered)",
    prefix="FLB",
)

MANDATORY = "MANDATORY"
NEVER = "NEVER"

# ----------------------------------------------------------------- sections

DEPENDENCIES = "Dependency Management"
FRAMEWORK = "Framework Requirements"
VERSIONS = "Version Management"
STRUCTURE = "Project Structure"
ROUTES = "Separation of Concerns / Route Files (api/routes/)"
SERVICES = "Separation of Concerns / Service Files (services/)"
REPOSITORIES = "Separation of Concerns / Repository Files (repositories/)"
SCHEMAS = "Schema Validation"
DATABASE = "Database Standards"
REPOSITORY_PATTERN = "Database Standards / Repository Pattern"
MIGRATIONS = "Database Standards / Migrations"
CONFIGURATION = "Configuration Management"
ENV_FILE = "Configuration Management / Environment variables in .env file"
LOGGING = "Logging Standards"
LOGGER_USAGE = "Logging Standards / Logger usage"
EXCEPTIONS = "Error Handling / Custom exception hierarchy"
EXCEPTION_HANDLING = "Error Handling / Exception handling"
AUTH = "Security Standards / Authentication & Authorization"
SECURITY = "Security Standards / Security best practices"
SENSITIVE = "Security Standards / Sensitive data"
REST = "API Design Standards / RESTful conventions"
RESPONSES = "API Design Standards / Response format"
API_VERSIONS = "API Design Standards / API versioning"
HANDLING = "API Design Standards / Request/Response handling"
TEST_TOOLS = "Testing Standards / Use pytest exclusively"
TEST_STRUCTURE = "Testing Standards / Test structure"
TEST_PRACTICES = "Testing Standards / Test practices"
DB_PERFORMANCE = "Performance Optimization / Database optimization"
API_PERFORMANCE = "Performance Optimization / API optimization"
ASYNC = "Async Best Practices"
STYLE = "Code Style"
TYPE_HINTS = "Code Style / Type hints"
CODE_DOCS = "Documentation / Code documentation"
API_DOCS = "Documentation / API documentation"
ARCHITECTURE_DOCS = "Documentation / Architecture documentation"
HEALTH = "Monitoring & Observability / Health checks"
METRICS = "Monitoring & Observability / Metrics"
TRACING = "Monitoring & Observability / Distributed tracing"
ALERTING = "Monitoring & Observability / Alerting"
HOOKS = "Development Workflow / Pre-commit hooks"
GIT = "Development Workflow / Git practices"
REVIEW = "Development Workflow / Code review"
PIPELINE = "Development Workflow / CI/CD pipeline"
DEPENDENCY_SECURITY = "Dependency Security"
ENVIRONMENTS = "Environment Management"

# ------------------------------------------------------------ names and lists

# Dependency managers other than uv, by the files they leave.
OTHER_MANAGER_FILES = (
    "poetry.lock",
    "Pipfile",
    "Pipfile.lock",
    "pdm.lock",
    "requirements.txt",
    "requirements-dev.txt",
    "setup.py",
    "setup.cfg",
    "environment.yml",
)
# Commands of other dependency managers in the Dockerfile, CI and task runners.
OTHER_MANAGER_COMMANDS = r"(?<![\w-])(pip3?|poetry|pipenv|pdm|conda)\s+(install|add|lock|sync)\b"
# pip installing uv itself is how many images get uv: not another manager.
PIP_INSTALLS_UV = r"pip3?\s+install\s+(-U\s+|--upgrade\s+)?[\"']?uv\b"
# Extras that hold development tools, which uv keeps in [dependency-groups].
DEV_EXTRAS = frozenset({"dev", "test", "tests", "lint", "develop", "testing"})

OTHER_WEB_FRAMEWORKS = (
    "flask",
    "django",
    "litestar",
    "sanic",
    "quart",
    "falcon",
    "tornado",
    "bottle",
    "pyramid",
    "robyn",
    "blacksheep",
)
OTHER_ASGI_SERVERS = ("granian", "hypercorn", "daphne")
SYNC_IO_MODULES = ("requests", "urllib.request", "urllib3", "psycopg2", "pymysql", "httplib2")
HTTP_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "trace"})
ROUTER_FACTORIES = ("APIRouter", "FastAPI")

MIN_PYTHON = (3, 13)

# The layered package the standard draws, relative to the package.
LAYERED_PACKAGE = (
    "api/routes/__init__.py",
    "api/dependencies.py",
    "services/__init__.py",
    "schemas/__init__.py",
    "core/__init__.py",
    "core/config.py",
    "core/logging.py",
    "exceptions.py",
    "middleware.py",
    "main.py",
)
DATABASE_PACKAGE = (
    "repositories/__init__.py",
    "repositories/base.py",
    "models/__init__.py",
    "models/base.py",
    "core/database.py",
)
AUTH_PACKAGE = ("core/security.py",)
ROOT_FILES = (
    "docs",
    ".env.example",
    ".gitignore",
    ".pre-commit-config.yaml",
    "pyproject.toml",
    "uv.lock",
    "README.md",
)

DATABASE_LIBRARIES = ("sqlalchemy", "sqlmodel", "asyncpg", "psycopg", "databases", "tortoise-orm")
# What a route file may not import: the database and the layer that owns it.
ROUTE_FORBIDDEN_IMPORTS = ("sqlalchemy", "asyncpg", "psycopg", "databases")
ROUTE_FORBIDDEN_LAYERS = ("repositories", "core.database")
# Session and connection methods that run a statement or end a transaction.
STATEMENT_METHODS = frozenset(
    {"execute", "scalar", "scalars", "fetch", "fetchrow", "fetchval", "executemany", "stream"}
)
TRANSACTION_METHODS = frozenset({"commit", "rollback"})
QUERY_BUILDERS = frozenset({"select", "insert", "update", "delete", "text"})
HTTP_FRAMEWORK_MODULES = ("fastapi", "starlette")

AUTH_LIBRARIES = ("pyjwt", "python-jose", "authlib", "fastapi-users")
JWT_LIBRARIES = ("pyjwt", "python-jose")
BEARER_SCHEMES = ("OAuth2PasswordBearer", "HTTPBearer", "OAuth2AuthorizationCodeBearer", "OAuth2")
ACCESS_TOKEN_MINUTES = 30
REFRESH_TOKEN_DAYS = 7
SECRET_NAME = re.compile(r"(password|passwd|secret|private_key|api_key|apikey|token)$", re.I)
SENSITIVE_NAME = re.compile(
    r"(password|passwd|secret|api_?key|access_token|refresh_token|^token$|authorization)", re.I
)
RESPONSE_SCHEMA_NAME = re.compile(r"(Read|Response|Out|Public|Detail)$")

EXCEPTION_KINDS: dict[str, tuple[tuple[str, ...], int]] = {
    "NotFound": (("notfound",), 404),
    "Unauthorized": (("unauthorized", "unauthenticated", "authentication"), 401),
    "Forbidden": (("forbidden", "authorization", "permissiondenied"), 403),
    "BadRequest": (("badrequest", "invalidinput"), 400),
    "ValidationError": (("validation",), 422),
}
DATABASE_ERRORS = ("SQLAlchemyError", "IntegrityError", "DBAPIError", "OperationalError")

PAGE_FIELDS = ("data", "total", "page", "per_page", "total_pages")
PAGE_SIZE_DEFAULT = 20
PAGE_SIZE_MAX = 100
PAGE_SIZE_PARAMETERS = frozenset({"limit", "per_page", "page_size", "size"})
# First path segments that name no resource collection.
NON_RESOURCE_SEGMENTS = frozenset(
    {"auth", "health", "metrics", "docs", "redoc", "login", "logout", "token", "me", "status"}
)
REQUEST_TIMEOUT_SECONDS = 30
# Probes the standard says always answer 200: they have no error response to document.
ALWAYS_200 = frozenset({"/health", "/health/live"})
HTTP_CLIENT_MODULES = ("httpx", "aiohttp")

LOG_FILE_BYTES = 10 * 1024 * 1024
LOG_FILE_BACKUPS = 5
LOG_RECORD_FIELDS = {
    "timestamp": ("asctime", "timestamp", "created"),
    "logger name": ("name",),
    "level": ("levelname",),
    "function name": ("funcName",),
    "line number": ("lineno",),
}
OTHER_LOGGING_LIBRARIES = ("structlog", "loguru", "logbook", "eliot")

MAX_FUNCTION_LINES = 50
MAX_FILE_LINES = 500
MAX_FUNCTION_NESTING = 2
BLACK_LINE_LENGTH = 100
MIN_COVERAGE = 80
MIN_TEST_NAME_PARTS = 3  # test_<function>_<scenario>_<expected_outcome>

GITIGNORE_NEVER_COMMIT = (".env", "logs/", "__pycache__/", ".pytest_cache/")
GITIGNORE_COMPREHENSIVE = (".venv", "*.py[cod]", ".mypy_cache", ".ruff_cache", ".coverage", "dist")
ENVIRONMENT_FILES = (".env.dev", ".env.staging", ".env.prod")

README_TOPICS = {
    "setup instructions": r"setup|install|getting started|quick ?start",
    "environment variables": r"environment|configuration|settings|variables",
    "API overview": r"\bapi\b|endpoints|http",
    "development workflow": r"develop|workflow|contribut|commands",
    "deployment instructions": r"deploy",
    "troubleshooting guide": r"troubleshoot",
}

# Calls that block the thread they run on.
BLOCKING_CALLS = (
    "time.sleep",
    "open",
    ".read_text",
    ".write_text",
    ".read_bytes",
    ".write_bytes",
    "requests.get",
    "requests.post",
    "requests.put",
    "requests.delete",
    "urllib.request.urlopen",
    "subprocess.run",
    "subprocess.check_output",
    "psycopg2.connect",
)
THREAD_LOCKS = ("threading.Lock", "threading.RLock", "threading.Semaphore", "threading.Condition")


# ============================================================ building blocks


def _in_package(project: Project, relative: str) -> bool:
    """Whether ``relative`` (file or directory) exists inside the package."""
    found = package_where(project, relative)
    return found is not None and project.exists(found)


def _layer(project: Project, layer: str) -> list[tuple[Path, ast.Module]]:
    """The parsed modules of a package directory (``api/routes``) or file."""
    relative = package_where(project, layer)
    if relative is None or not project.exists(relative):
        return []
    path = project.path(relative)
    if path.is_file():
        module = project.tree(path)
        return [] if module is None else [(path, module)]
    return list(project.modules(relative))


def _layer_of(project: Project, path: Path) -> str:
    """The first directory of ``path`` inside the package (``services``), or ``""``."""
    if project.package is None:
        return ""
    parts = path.relative_to(project.package).parts
    return parts[0] if len(parts) > 1 else ""


def _evaluate(node: ast.AST | None, constants: dict[str, object]) -> object:
    """The value of a constant expression (numbers, strings, names of constants), or None."""
    if isinstance(node, ast.Constant):
        return cast("object", node.value)
    if isinstance(node, ast.Name):
        return constants.get(node.id)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        operand = _evaluate(node.operand, constants)
        return -operand if isinstance(operand, int | float) else None
    if isinstance(node, ast.Tuple):
        values = [_evaluate(item, constants) for item in node.elts]
        return None if None in values else tuple(values)
    if isinstance(node, ast.BinOp):
        left, right = _evaluate(node.left, constants), _evaluate(node.right, constants)
        if isinstance(left, str) and isinstance(right, str) and isinstance(node.op, ast.Add):
            return left + right
        if isinstance(left, int | float) and isinstance(right, int | float):
            return _arithmetic(node.op, left, right)
    return None


def _arithmetic(operator: ast.operator, left: float, right: float) -> float | None:
    """``left <operator> right`` for + - * / //, or None."""
    if isinstance(operator, ast.Add):
        return left + right
    if isinstance(operator, ast.Sub):
        return left - right
    if isinstance(operator, ast.Mult):
        return left * right
    if isinstance(operator, ast.Div) and right:
        return left / right
    if isinstance(operator, ast.FloorDiv) and right:
        return left // right
    return None


def _constants(module: ast.Module) -> dict[str, object]:
    """The module-level names bound to constant expressions, and their values."""
    constants: dict[str, object] = {}
    for node in module.body:
        target: ast.expr | None = None
        value: ast.expr | None = None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign):
            target, value = node.target, node.value
        if isinstance(target, ast.Name) and value is not None:
            found = _evaluate(value, constants)
            if found is not None:
                constants[target.id] = found
    return constants


def _mentions(project: Project, pattern: str, flags: int = re.IGNORECASE) -> bool:
    """Whether any string literal of the package (docstrings aside) matches ``pattern``."""
    regex = re.compile(pattern, flags)
    return any(regex.search(text) for _, _, text in string_literals(project, docstrings=False))


def _package_source_matches(project: Project, pattern: str) -> bool:
    """Whether the package's source text (names and strings) matches ``pattern``."""
    regex = re.compile(pattern, re.IGNORECASE)
    return any(regex.search(path.read_text(errors="replace")) for path in project.python_files())


def _has_database(project: Project) -> bool:
    """Whether the service talks to a database."""
    return any(project.depends_on(name) for name in DATABASE_LIBRARIES)


def _has_auth(project: Project) -> bool:
    """Whether the service authenticates requests."""
    return any(project.depends_on(name) for name in AUTH_LIBRARIES) or bool(
        imports_of(project, "fastapi.security")
    )


needs_database = only_if(_has_database, "the service has no database")
needs_sqlalchemy = only_if(uses_sqlalchemy, "the service does not use SQLAlchemy")
needs_auth = only_if(_has_auth, "the service authenticates no request")
_needs_package = only_if(lambda project: project.package is not None, "no package under src/")


def _source_has(pattern: str, *, ok: str, broken: str, missing: str) -> Check:
    """A check that the package's source text matches ``pattern`` (any case); n/a without a
    package."""

    @_needs_package
    def check(project: Project) -> Verdict:
        if _package_source_matches(project, pattern):
            return passed(ok)
        return failed(broken, [Finding(missing, package_where(project))])

    return check


def _given[T](
    find: Callable[[Project], T], otherwise: Callable[[Project], Verdict]
) -> Callable[[Callable[[Project, T], Verdict]], Check]:
    """A decorator: the check of what ``find`` finds, or ``otherwise`` when it finds nothing."""

    def decorate(check: Callable[[Project, T], Verdict]) -> Check:
        def guarded(project: Project) -> Verdict:
            found = find(project)
            return check(project, found) if found else otherwise(project)

        guarded.__doc__ = check.__doc__
        return guarded

    return decorate


def _routers(module: ast.Module, constants: dict[str, object]) -> dict[str, str]:
    """Module-level routers and apps, by name, with their ``prefix``."""
    routers: dict[str, str] = {}
    for node in module.body:
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Call)
            and dotted_name(node.value.func).rsplit(".", 1)[-1] in ROUTER_FACTORIES
        ):
            prefix = _evaluate(kwarg(node.value, "prefix"), constants)
            for target in node.targets:
                if isinstance(target, ast.Name):
                    routers[target.id] = prefix if isinstance(prefix, str) else ""
    return routers


def _routes(project: Project) -> list[Route]:
    """Every endpoint the package declares with ``@router.<method>(path)``, its ``url`` the
    router's prefix and the path (module constants read)."""
    found: list[Route] = []
    for path, module in project.modules():
        constants = _constants(module)
        routers = _routers(module, constants)
        for route in decorated_routes([(path, module)], HTTP_METHODS):
            if route.owner not in routers and route.owner not in {"router", "app"}:
                continue
            decorator = route.decorator
            route_path = _evaluate(decorator.args[0], constants) if decorator.args else None
            if not isinstance(route_path, str):
                route_path = _evaluate(kwarg(decorator, "path"), constants)
            if isinstance(route_path, str):
                found.append(replace(route, url=routers.get(route.owner, "") + route_path))
    return found


_when_routes = _given(_routes, lambda _: not_applicable("no endpoint declared"))


def _status_code(route: Route) -> object:
    """The ``status_code`` of the route decorator (``status.HTTP_201_CREATED`` -> 201)."""
    value = kwarg(route.decorator, "status_code")
    if isinstance(value, ast.Attribute):
        found = re.match(r"HTTP_(\d{3})", value.attr)
        return int(found.group(1)) if found else None
    return _evaluate(value, {})


# ------------------------------------------------------------ schema classes


def _descendants(project: Project, roots: set[str]) -> set[str]:
    """The names of the package's classes that derive from ``roots``, directly or through
    one another."""
    every = [cls for _, module in project.modules() for cls in class_defs(module)]
    names = set(roots)
    changed = True
    while changed:
        changed = False
        for cls in every:
            if cls.name not in names and set(base_names(cls)) & names:
                names.add(cls.name)
                changed = True
    return names - roots


def _model_classes(project: Project, under: str | None = None) -> list[tuple[Path, ast.ClassDef]]:
    """Pydantic models: classes of the package deriving from ``BaseModel`` (or from
    another such class of the package)."""
    modules = _layer(project, under) if under else list(project.modules())
    names = _descendants(project, {"BaseModel"})
    return [
        (path, cls)
        for path, module in modules
        for cls in class_defs(module)
        if cls.name in names and not set(base_names(cls)) & {"BaseSettings"}
    ]


def _orm_classes(project: Project) -> list[tuple[Path, ast.ClassDef]]:
    """ORM models: classes of the package with a ``__tablename__``."""
    return [
        (path, cls)
        for path, module in project.modules()
        for cls in class_defs(module)
        if any(
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "__tablename__" for t in node.targets)
            for node in cls.body
        )
    ]


# --------------------------------------------------------------- settings


def _env_example(project: Project) -> dict[str, tuple[int, str | None]]:
    """The variables of .env.example: NAME -> (line, value; None when only commented)."""
    text = project.text(".env.example") or ""
    found: dict[str, tuple[int, str | None]] = {}
    for number, line in enumerate(text.splitlines(), 1):
        active = re.match(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$", line)
        commented = re.match(r"^\s*#\s*([A-Z_][A-Z0-9_]*)\s*=(.*)$", line)
        if active:
            found[active.group(1)] = (number, active.group(2).strip())
        elif commented and commented.group(1) not in found:
            found[commented.group(1)] = (number, None)
    return found


# ---------------------------------------------------- CI, hooks, task runners


def _ci(pattern: str, what: str) -> Check:
    """A check that the CI pipeline (or a recipe it runs) matches ``pattern``."""

    def check(project: Project) -> Verdict:
        files = ci_files(project)
        if not files:
            return failed("no CI pipeline", [Finding("no .github/workflows or .gitlab-ci.yml")])
        if re.search(pattern, pipeline_text(project), re.IGNORECASE | re.MULTILINE):
            return passed(f"CI {what}")
        return failed(f"CI does not {what}", [Finding(f"does not {what}", project.rel(files[0]))])

    return check


def _hook(pattern: str, what: str) -> Check:
    """A check that .pre-commit-config.yaml has a hook matching ``pattern``."""

    def check(project: Project) -> Verdict:
        text = project.text(".pre-commit-config.yaml")
        if text is None:
            return failed(
                "no .pre-commit-config.yaml", [Finding("missing", ".pre-commit-config.yaml")]
            )
        if re.search(pattern, text, re.IGNORECASE | re.MULTILINE):
            return passed(f"a pre-commit hook {what}")
        return failed(
            f"no pre-commit hook {what}", [Finding(f"no hook {what}", ".pre-commit-config.yaml")]
        )

    return check


def _depends_only_on(name: str, others: Iterable[str], *, ok: str, broken: str) -> Check:
    """A check that ``name`` is a runtime dependency and none of ``others`` is."""

    def check(project: Project) -> Verdict:
        findings = dependency_findings(project, others, runtime_only=True)
        if not project.depends_on(name):
            findings.append(Finding(f"no dependency on {name}", "pyproject.toml"))
        return verdict_of(findings, ok=ok, broken=broken)

    return check


def _hook_or_ci(pattern: str, *, ok: str, broken: str, missing: str) -> Check:
    """A check that a pre-commit hook or the CI pipeline matches ``pattern``."""

    def check(project: Project) -> Verdict:
        if re.search(pattern, pre_commit_text(project) + pipeline_text(project)):
            return passed(ok)
        return failed(broken, [Finding(missing, ".pre-commit-config.yaml")])

    return check


def _documentation(project: Project) -> list[Path]:
    """README.md and every Markdown file under docs/."""
    return project.files("README.md") + project.files("docs/**/*.md")


def _docs_match(project: Project, pattern: str) -> list[Path]:
    """The documentation files whose text matches ``pattern``."""
    regex = re.compile(pattern, re.IGNORECASE | re.MULTILINE)
    return [
        path for path in _documentation(project) if regex.search(path.read_text(errors="replace"))
    ]


def _documents(pattern: str, what: str) -> Check:
    """A check that README.md or docs/ documents ``what`` (text matching ``pattern``)."""

    def check(project: Project) -> Verdict:
        if _docs_match(project, pattern):
            return passed(f"the documentation has {what}")
        return failed(f"no {what} in README.md or docs/", [Finding(f"no {what}", "docs")])

    return check


def _ignores(patterns: set[str], entry: str) -> bool:
    """Whether ``patterns`` ignore ``entry`` (``logs/`` is ignored by ``logs`` too)."""
    bare = entry.rstrip("/")
    return bool({entry, bare, f"{bare}/", f"{bare}*", f"{bare}/*", f"**/{bare}/"} & patterns)


def _locked_version(project: Project, name: str) -> tuple[int, ...] | None:
    """The version uv.lock resolved for ``name``, as numbers."""
    for package in items(mapping(uv_lock(project)).get("package")):
        entry = mapping(package)
        if normalize(str(entry.get("name", ""))) == normalize(name):
            return version_tuple(str(entry.get("version", "")))
    return None


def _requirement_key(requirement: str) -> tuple[str, str]:
    """``"sqlalchemy[asyncio] >= 2.0"`` -> ``("sqlalchemy", ">=2.0")``."""
    head = requirement.split(";", 1)[0]
    name = requirement_name(head)
    specifier = re.sub(r"^\s*[A-Za-z0-9._-]+\s*(\[[^\]]*\])?", "", head)
    return name, re.sub(r"\s+", "", specifier)


def _locked_key(entry: dict[str, Any]) -> tuple[str, str]:
    """A uv.lock ``requires-dist`` entry as ``(name, specifier)``."""
    return normalize(str(entry.get("name", ""))), re.sub(
        r"\s+", "", str(entry.get("specifier", ""))
    )


# =================================================================== rules
# --------------------------------------------------- Dependency Management


@STANDARD.rule(
    "FLB-DEPS-001",
    "Use uv exclusively; NEVER use pip, poetry, or any other dependency manager",
    section=DEPENDENCIES,
    level=MANDATORY,
)
def uv_exclusively(project: Project) -> Verdict:
    """A uv lock, and no other manager's files or install commands."""
    findings = [
        Finding("another dependency manager's file", name)
        for name in OTHER_MANAGER_FILES
        if project.exists(name)
    ]
    if not project.exists("uv.lock"):
        findings.append(Finding("no uv.lock: dependencies are not managed by uv", "uv.lock"))
    if project.tool("poetry") or project.tool("pdm"):
        findings.append(Finding("[tool.poetry] or [tool.pdm] in pyproject.toml", "pyproject.toml"))
    scripts = [
        *project.files("Dockerfile"),
        *ci_files(project),
        *project.files("Justfile"),
        *project.files("Makefile"),
    ]
    uv_itself = re.compile(PIP_INSTALLS_UV)
    findings += [
        found
        for found in project.grep(OTHER_MANAGER_COMMANDS, scripts, "installs with another manager")
        if found.path is not None
        and not uv_itself.search(
            project.path(found.path).read_text().splitlines()[(found.line or 1) - 1]
        )
    ]
    return verdict_of(findings, ok="uv.lock present, no other manager", broken="not uv only")


STANDARD.undecidable(
    "FLB-DEPS-002",
    "Initialize all projects with `uv init`; add dependencies with `uv add <package>` only",
    section=DEPENDENCIES,
    level=MANDATORY,
    reason="Which command wrote pyproject.toml leaves no trace in it; FLB-DEPS-001 checks "
    "that no other manager is used.",
)


@STANDARD.rule(
    "FLB-DEPS-003",
    "Add development dependencies with `uv add --dev <package>`",
    section=DEPENDENCIES,
    level=MANDATORY,
)
def dev_dependencies_in_groups(project: Project) -> Verdict:
    """Development tools in ``[dependency-groups]`` (where ``uv add --dev`` puts them),
    not in extras."""
    extras = cast(
        "dict[str, object]", project.pyproject.get("project", {}).get("optional-dependencies", {})
    )
    findings = [
        Finding(f"development extra [{name}]: use `uv add --dev`", "pyproject.toml")
        for name in extras
        if name in DEV_EXTRAS
    ]
    if not project.dev_dependencies:
        findings.append(Finding("no [dependency-groups] dev group", "pyproject.toml"))
    return verdict_of(findings, ok="dev tools in [dependency-groups]", broken="dev tools elsewhere")


@STANDARD.rule(
    "FLB-DEPS-004",
    "Lock dependencies with `uv lock` after every dependency change",
    section=DEPENDENCIES,
    level=MANDATORY,
)
def lock_matches_pyproject(project: Project) -> Verdict:
    """uv.lock records exactly the requirements pyproject.toml declares."""
    if not project.pyproject:
        return not_applicable("no pyproject.toml")
    root = lock_root(project)
    if root is None:
        return failed(
            "uv.lock is missing or has no entry for the project", [Finding("missing", "uv.lock")]
        )
    metadata = cast("dict[str, Any]", root.get("metadata", {}))
    locked = {
        _locked_key(entry)
        for entry in cast("list[dict[str, Any]]", metadata.get("requires-dist", []))
    }
    declared = {_requirement_key(requirement) for requirement in project.dependencies.values()}
    locked_dev = {
        _locked_key(entry)
        for group in cast(
            "dict[str, list[dict[str, Any]]]", metadata.get("requires-dev", {})
        ).values()
        for entry in group
    }
    declared_dev = {
        _requirement_key(requirement) for requirement in project.dev_dependencies.values()
    }
    stale = sorted((declared - locked) | (declared_dev - locked_dev))
    gone = sorted((locked - declared) | (locked_dev - declared_dev))
    findings = [Finding(f"{name}{spec} is not in uv.lock", "uv.lock") for name, spec in stale]
    findings += [Finding(f"uv.lock still locks {name}{spec}", "uv.lock") for name, spec in gone]
    return verdict_of(
        findings, ok="uv.lock matches pyproject.toml", broken="uv.lock is stale: run uv lock"
    )


@STANDARD.rule(
    "FLB-DEPS-005",
    "ALWAYS commit both pyproject.toml and uv.lock files; pin exact versions in uv.lock",
    section=DEPENDENCIES,
    level=MANDATORY,
)
def lock_committed(project: Project) -> Verdict:
    """Both files exist and .gitignore ignores neither."""
    ignored = gitignore_patterns(project)
    findings = [
        Finding("missing" if not project.exists(name) else "ignored by .gitignore", name)
        for name in ("pyproject.toml", "uv.lock")
        if not project.exists(name) or name in ignored
    ]
    return verdict_of(
        findings, ok="pyproject.toml and uv.lock committed", broken="not both committed"
    )


STANDARD.team(
    "FLB-DEPS-006",
    "Update dependencies monthly and test thoroughly",
    section=DEPENDENCIES,
    level=MANDATORY,
    reason="The update cadence is the owning team's routine; the template schedules automated "
    "update pull requests (FLB-DEPSEC-004), the team merges them.",
)

# ------------------------------------------------------ Framework Requirements


STANDARD.rule(
    "FLB-FW-001",
    "Use FastAPI exclusively for API development (all REST API endpoints)",
    section=FRAMEWORK,
    level=MANDATORY,
)(
    _depends_only_on(
        "fastapi",
        OTHER_WEB_FRAMEWORKS,
        ok="FastAPI, no other framework",
        broken="not FastAPI only",
    )
)


STANDARD.rule("FLB-FW-002", "Use Uvicorn as the ASGI server", section=FRAMEWORK, level=MANDATORY)(
    _depends_only_on(
        "uvicorn", OTHER_ASGI_SERVERS, ok="served by Uvicorn", broken="not served by Uvicorn"
    )
)


@STANDARD.rule(
    "FLB-FW-003",
    "Always use async/await for I/O operations",
    section=FRAMEWORK,
    level=MANDATORY,
)
@_needs_package
def async_io(project: Project) -> Verdict:
    """Endpoints are ``async def`` and the package imports no blocking I/O client."""
    findings = [
        project.finding(route.path, route.function, f"endpoint {route.function.name} is not async")
        for route in _routes(project)
        if isinstance(route.function, ast.FunctionDef)
    ]
    for name in SYNC_IO_MODULES:
        findings += imports_of(project, name)
    return verdict_of(findings, ok="async endpoints, no blocking I/O client", broken="sync I/O")


@STANDARD.rule(
    "FLB-FW-004",
    "Enable Swagger UI at /docs in development and disable it in production "
    '(docs_url="/docs" if settings.DEBUG else None, redoc_url likewise)',
    section=FRAMEWORK,
    level=MANDATORY,
)
def docs_in_debug_only(project: Project) -> Verdict:
    """Every ``FastAPI(...)`` sets docs_url and redoc_url conditionally (or to None)."""
    findings: list[Finding] = []
    apps = 0
    for path, module in project.modules():
        for call, name in calls_in(module):
            if name.rsplit(".", 1)[-1] != "FastAPI":
                continue
            apps += 1
            for keyword in ("docs_url", "redoc_url"):
                value = kwarg(call, keyword)
                conditional = isinstance(value, ast.IfExp) or (
                    isinstance(value, ast.Constant) and value.value is None
                )
                if not conditional:
                    findings.append(project.finding(path, call, f"{keyword} is always served"))
    if not apps:
        return not_applicable("no FastAPI application")
    return verdict_of(findings, ok="API docs only in debug", broken="API docs served in production")


# ----------------------------------------------------------- Version Management


@STANDARD.rule(
    "FLB-VER-001",
    "Python: use the latest stable version (minimum 3.13)",
    section=VERSIONS,
    level=MANDATORY,
)
def python_313(project: Project) -> Verdict:
    """requires-python, .python-version and the image's Python are 3.13 or newer."""
    findings: list[Finding] = []
    requires = str(project.pyproject.get("project", {}).get("requires-python", ""))
    bound = lower_bound(requires)
    if bound is None or bound < MIN_PYTHON:
        findings.append(Finding(f"requires-python {requires!r} allows < 3.13", "pyproject.toml"))
    pinned = (project.text(".python-version") or "").strip()
    pinned_version = version_tuple(pinned)
    if pinned and pinned_version is not None and pinned_version < MIN_PYTHON:
        findings.append(Finding(f".python-version is {pinned}", ".python-version"))
    findings += [
        found
        for found in grep_file(project, "Dockerfile", r"^FROM\s+python:3\.(\d+)", "image")
        if (line := _line(project, found)) is not None
        and (image := re.search(r"python:3\.(\d+)", line)) is not None
        and int(image.group(1)) < MIN_PYTHON[1]
    ]
    return verdict_of(findings, ok="Python 3.13 or newer", broken="Python older than 3.13")


def _line(project: Project, found: Finding) -> str | None:
    """The text of a finding's line."""
    if found.path is None or found.line is None:
        return None
    return project.path(found.path).read_text(errors="replace").splitlines()[found.line - 1]


STANDARD.undecidable(
    "FLB-VER-002",
    "FastAPI, Pydantic Settings and Alembic: use the latest stable versions",
    section=VERSIONS,
    level=MANDATORY,
    reason="Which release is the latest is known to the package index at audit time, not to "
    "the files; the lock only shows what was latest when it was written.",
)


@STANDARD.rule("FLB-VER-003", "Pydantic: use v2.x", section=VERSIONS, level=MANDATORY)
def pydantic_v2(project: Project) -> Verdict:
    """uv.lock resolves pydantic 2 (or pyproject.toml asks for >= 2)."""
    locked = _locked_version(project, "pydantic")
    if locked is None:
        requirement = project.dependencies.get("pydantic")
        if requirement is None:
            return not_applicable("no pydantic in the dependencies or the lock")
        locked = lower_bound(requirement)
    if locked is not None and locked[0] == 2:
        return passed(f"pydantic {'.'.join(map(str, locked))}")
    return failed("pydantic is not 2.x", [Finding("pydantic is not v2", "pyproject.toml")])


@STANDARD.rule(
    "FLB-VER-004",
    "SQLAlchemy: use 2.0+ with async support",
    section=VERSIONS,
    level=MANDATORY,
)
@needs_sqlalchemy
def sqlalchemy_2_async(project: Project) -> Verdict:
    """SQLAlchemy 2 (locked or required) and the package opens an async engine."""
    findings: list[Finding] = []
    version = _locked_version(project, "sqlalchemy") or lower_bound(
        project.dependencies.get("sqlalchemy", "")
    )
    if version is None or version < (2, 0):
        findings.append(Finding("SQLAlchemy is not 2.0 or newer", "pyproject.toml"))
    if not any(
        name.endswith("create_async_engine")
        for _, module in project.modules()
        for _, name in calls_in(module)
    ):
        findings.append(Finding("no create_async_engine() in the package", package_where(project)))
    return verdict_of(
        findings, ok="SQLAlchemy 2 with an async engine", broken="not async SQLAlchemy 2"
    )


STANDARD.undecidable(
    "FLB-VER-005",
    "Test all updates in development environment first",
    section=VERSIONS,
    level=MANDATORY,
    reason="Where an update was tried before it shipped is a fact of the team's process, "
    "not of the files.",
)


# CHANGELOG.md exists (which changes break is for its readers).
STANDARD.rule(
    "FLB-VER-006",
    "Document breaking changes in CHANGELOG.md",
    section=VERSIONS,
    level=MANDATORY,
)(requires_file("CHANGELOG.md"))


# ------------------------------------------------------------ Project Structure


@STANDARD.rule(
    "FLB-LAYOUT-001",
    "Follow the package structure: api/routes/, api/dependencies.py, services/, repositories/ "
    "(base.py), models/ (base.py), schemas/, core/ (config, security, database, logging), "
    "exceptions.py, middleware.py, main.py",
    section=STRUCTURE,
    level=MANDATORY,
)
@_needs_package
def layered_package(project: Project) -> Verdict:
    """Each file of the drawn package exists (database and auth parts when those exist)."""
    wanted: list[str] = list(LAYERED_PACKAGE)
    if _has_database(project):
        wanted.extend(DATABASE_PACKAGE)
    if _has_auth(project):
        wanted.extend(AUTH_PACKAGE)
    findings = [
        Finding("missing", package_where(project, relative))
        for relative in wanted
        if not _in_package(project, relative)
    ]
    return verdict_of(findings, ok="the package follows the structure", broken="files missing")


STANDARD.rule(
    "FLB-LAYOUT-002",
    "Keep database migrations in alembic/versions/ with alembic.ini at the root",
    section=STRUCTURE,
    level=MANDATORY,
)(
    needs_database(
        requires_files(
            "alembic/versions",
            "alembic.ini",
            ok="alembic/versions/ and alembic.ini",
            broken="migrations elsewhere",
        )
    )
)


STANDARD.rule(
    "FLB-LAYOUT-003",
    "Keep docs/, .env.example, .gitignore, .pre-commit-config.yaml, pyproject.toml, uv.lock "
    "and README.md at the project root",
    section=STRUCTURE,
    level=MANDATORY,
)(requires_files(*ROOT_FILES, ok="the root files are present", broken="root files missing"))


# ------------------------------------------------------- Separation of Concerns


@STANDARD.rule(
    "FLB-LAYER-001",
    "Route files: NO database operations allowed",
    section=ROUTES,
    level=MANDATORY,
)
def no_database_in_routes(project: Project) -> Verdict:
    """Route modules import no database library or repository and run no statement."""
    modules = _layer(project, "api/routes")
    if not modules:
        return not_applicable("no api/routes/")
    findings: list[Finding] = []
    for path, module in modules:
        findings += _forbidden_imports(
            project, path, module, ROUTE_FORBIDDEN_IMPORTS, ROUTE_FORBIDDEN_LAYERS
        )
        findings += [
            project.finding(path, call, f"{name}() runs a statement in a route")
            for call, name in calls_in(module)
            if name.rsplit(".", 1)[-1] in STATEMENT_METHODS | TRANSACTION_METHODS and "." in name
        ]
    return verdict_of(
        findings, ok="no database access in routes", broken="routes touch the database"
    )


def _forbidden_imports(
    project: Project,
    path: Path,
    module: ast.Module,
    libraries: Iterable[str],
    layers: Iterable[str],
) -> list[Finding]:
    """Imports of ``libraries`` (their exceptions allowed) or of the package's ``layers``."""
    package = project.package.name if project.package else ""
    wanted = [*libraries, *(f"{package}.{layer}" for layer in layers)]
    findings: list[Finding] = []
    for node in ast.walk(module):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module if node.level == 0 else f"{package}.{node.module}"]
        for name in names:
            if name.endswith(".exc") or name.endswith(".exceptions"):
                continue
            if any(name == target or name.startswith(f"{target}.") for target in wanted):
                findings.append(project.finding(path, node, f"imports {name}"))
    return findings


STANDARD.undecidable(
    "FLB-LAYER-002",
    "Route files: ONLY handle HTTP request/response and call service methods; NO business "
    "logic or complex computations",
    section=ROUTES,
    level=MANDATORY,
    reason="Whether a handler's statements are business logic is a reviewer's reading; "
    "FLB-LAYER-001 and FLB-LAYER-008 check what imports show.",
)


@STANDARD.rule(
    "FLB-LAYER-003",
    "Route files handle HTTP-specific concerns (status codes, headers)",
    section=ROUTES,
    level=MANDATORY,
)
def http_concerns_in_routes(project: Project) -> Verdict:
    """Services and repositories import neither FastAPI nor Starlette."""
    modules = _layer(project, "services") + _layer(project, "repositories")
    if not modules:
        return not_applicable("no services/ or repositories/")
    findings = [
        found
        for path, module in modules
        for found in _forbidden_imports(project, path, module, HTTP_FRAMEWORK_MODULES, ())
    ]
    return verdict_of(
        findings, ok="HTTP stays in the routes", broken="HTTP concerns below the routes"
    )


@STANDARD.rule(
    "FLB-LAYER-004",
    "ALL business logic must be in service classes",
    section=SERVICES,
    level=MANDATORY,
)
def service_classes(project: Project) -> Verdict:
    """services/ holds classes; no public module-level function carries logic there."""
    modules = [(p, m) for p, m in _layer(project, "services") if p.name != "__init__.py"]
    if not modules:
        return not_applicable("no services/ modules")
    findings: list[Finding] = []
    for path, module in modules:
        functions = [
            node
            for node in module.body
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and not node.name.startswith("_")
        ]
        findings += [
            project.finding(path, f, f"{f.name} is a function, not a service method")
            for f in functions
        ]
        if not any(isinstance(node, ast.ClassDef) for node in module.body):
            findings.append(project.finding(path, None, "no service class"))
    return verdict_of(
        findings, ok="logic in service classes", broken="logic outside service classes"
    )


STANDARD.undecidable(
    "FLB-LAYER-005",
    "Services hold all data validation beyond schema validation and all complex computations "
    "and algorithms, coordinating between repositories",
    section=SERVICES,
    level=MANDATORY,
    reason="Whether a validation or a computation lives where it belongs is a reviewer's reading "
    "of its purpose.",
)


@STANDARD.rule(
    "FLB-LAYER-006",
    "Services handle transaction management",
    section=SERVICES,
    level=MANDATORY,
)
def transactions_in_services(project: Project) -> Verdict:
    """No commit() or rollback() in routes or repositories."""
    modules = _layer(project, "api") + _layer(project, "repositories")
    if not modules or not _has_database(project):
        return not_applicable("no database, or no api/ and repositories/")
    findings = [
        project.finding(path, call, f"{name}() outside the service layer")
        for path, module in modules
        for call, name in calls_in(module)
        if "." in name and name.rsplit(".", 1)[-1] in TRANSACTION_METHODS
    ]
    return verdict_of(findings, ok="services own the transactions", broken="transactions elsewhere")


@STANDARD.rule(
    "FLB-LAYER-007",
    "Services should be dependency-injectable",
    section=SERVICES,
    level="SHOULD",
)
@_when_routes
def services_injected(project: Project, routes: list[Route]) -> Verdict:
    """Endpoints receive services through Depends(), never build them themselves."""
    findings = [
        project.finding(route.path, call, f"{route.function.name} builds {name}() itself")
        for route in routes
        for call, name in calls_in(route.function)
        if name.rsplit(".", 1)[-1].endswith("Service")
    ]
    return verdict_of(findings, ok="services are injected", broken="endpoints build services")


@STANDARD.rule(
    "FLB-LAYER-008",
    "Services call repositories, routes call services",
    section=SERVICES,
    level=MANDATORY,
)
def layer_direction(project: Project) -> Verdict:
    """Imports point down: repositories import no service or API, services no API."""
    findings: list[Finding] = []
    for path, module in _layer(project, "repositories"):
        findings += _forbidden_imports(project, path, module, (), ("services", "api"))
    for path, module in _layer(project, "services"):
        findings += _forbidden_imports(project, path, module, (), ("api",))
    if not (_layer(project, "repositories") or _layer(project, "services")):
        return not_applicable("no services/ or repositories/")
    return verdict_of(findings, ok="layers import downwards only", broken="a layer imports upwards")


@STANDARD.rule(
    "FLB-LAYER-009",
    "ALL database operations through repositories",
    section=REPOSITORIES,
    level=MANDATORY,
)
@needs_database
@_needs_package
def queries_in_repositories(project: Project) -> Verdict:
    """Statements are built and run in repositories/ only (core/ may ping the database)."""
    findings: list[Finding] = []
    for path, module in project.modules():
        if _layer_of(project, path) in {"repositories", "core", "models"}:
            continue
        for call, name in calls_in(module):
            last = name.rsplit(".", 1)[-1]
            if ("." in name and last in STATEMENT_METHODS) or name in QUERY_BUILDERS:
                findings.append(project.finding(path, call, f"{name}() outside repositories/"))
        for node in ast.walk(module):
            if isinstance(node, ast.ImportFrom) and node.module == "sqlalchemy":
                builders = [a.name for a in node.names if a.name in QUERY_BUILDERS]
                if builders:
                    findings.append(project.finding(path, node, f"imports {', '.join(builders)}"))
    return verdict_of(
        findings, ok="queries live in repositories", broken="queries outside repositories"
    )


STANDARD.undecidable(
    "FLB-LAYER-010",
    "Repositories handle CRUD operations only",
    section=REPOSITORIES,
    level=MANDATORY,
    reason="Whether a repository method only creates, reads, updates or deletes is a reading of "
    "its purpose; FLB-LAYER-003 and FLB-LAYER-008 check what imports show.",
)


@STANDARD.rule(
    "FLB-LAYER-011",
    "Use async methods for all database operations",
    section=REPOSITORIES,
    level=MANDATORY,
)
def async_repositories(project: Project) -> Verdict:
    """Every public method of a repository class is ``async def``."""
    modules = _layer(project, "repositories")
    if not modules:
        return not_applicable("no repositories/")
    findings = [
        project.finding(path, node, f"{cls.name}.{node.name} is not async")
        for path, module in modules
        for cls in class_defs(module)
        for node in cls.body
        if isinstance(node, ast.FunctionDef)
        and not node.name.startswith("_")
        and not any(
            dotted_name(d) in {"property", "staticmethod", "classmethod"}
            for d in node.decorator_list
        )
    ]
    return verdict_of(findings, ok="repository methods are async", broken="sync repository methods")


@STANDARD.rule(
    "FLB-LAYER-012",
    "Implement generic base repository for common operations",
    section=REPOSITORIES,
    level=MANDATORY,
)
@needs_database
@_needs_package
def generic_base_repository(project: Project) -> Verdict:
    """repositories/base.py defines a generic class (type parameters or ``Generic[...]``)."""
    relative = package_where(project, "repositories", "base.py")
    for _, module in _layer(project, "repositories/base.py"):
        for cls in class_defs(module):
            if cls.type_params or "Generic" in base_names(cls):
                return passed(f"generic {cls.name} in repositories/base.py")
    return failed(
        "no generic base repository", [Finding("no generic base repository class", relative)]
    )


STANDARD.team(
    "FLB-LAYER-013",
    "One repository per model/aggregate",
    section=REPOSITORIES,
    level=MANDATORY,
    reason="Which models form one aggregate is a decision about the team's business domain.",
)


@STANDARD.rule(
    "FLB-LAYER-014",
    "Return domain models, not ORM objects",
    section=REPOSITORIES,
    level=MANDATORY,
)
def repositories_return_domain_models(project: Project) -> Verdict:
    """No public repository method is annotated to return a class with a ``__tablename__``."""
    modules = _layer(project, "repositories")
    orm = {cls.name for _, cls in _orm_classes(project)}
    if not modules or not orm:
        return not_applicable("no repositories/ or no ORM models")
    findings = [
        project.finding(path, node, f"{node.name} returns ORM objects ({', '.join(sorted(names))})")
        for path, module in modules
        for node in function_defs(module)
        if not node.name.startswith("_")
        and node.returns is not None
        and (names := {n.id for n in ast.walk(node.returns) if isinstance(n, ast.Name)} & orm)
    ]
    return verdict_of(
        findings, ok="repositories return domain models", broken="repositories return ORM objects"
    )


# ----------------------------------------------------------- Schema Validation


@STANDARD.rule(
    "FLB-SCHEMA-001",
    "Create Pydantic schemas for every request and response; NEVER trust unvalidated data",
    section=SCHEMAS,
    level=MANDATORY,
)
@_when_routes
def schemas_at_the_boundary(project: Project, routes: list[Route]) -> Verdict:
    """Endpoints declare their response type and read no raw body."""
    findings: list[Finding] = []
    for route in routes:
        handler = route.function
        if handler.returns is None and kwarg(route.decorator, "response_model") is None:
            findings.append(
                project.finding(route.path, handler, f"{handler.name} declares no response schema")
            )
        elif handler.returns is not None and re.fullmatch(
            r"(dict|Any|list\[dict.*\]|dict\[.*\])", ast.unparse(handler.returns)
        ):
            findings.append(
                project.finding(route.path, handler, f"{handler.name} returns an untyped dict")
            )
        findings += [
            project.finding(route.path, call, f"{handler.name} reads the raw body ({name}())")
            for call, name in calls_in(handler)
            if re.fullmatch(r"request\.(json|body|form)", name)
        ]
        findings += [
            project.finding(route.path, arg, f"{handler.name} takes an untyped body {arg.arg}")
            for arg in handler.args.args
            if arg.annotation is not None
            and re.fullmatch(r"(dict|Any|dict\[.*\])", ast.unparse(arg.annotation))
        ]
    return verdict_of(findings, ok="schemas on every endpoint", broken="endpoints without schemas")


@STANDARD.rule(
    "FLB-SCHEMA-002",
    "Define separate schemas for: Create, Update, Response, and internal models",
    section=SCHEMAS,
    level=MANDATORY,
)
def separate_schemas(project: Project) -> Verdict:
    """schemas/ has Create, Update and Read/Response schemas."""
    classes = _model_classes(project, "schemas")
    if not classes:
        return not_applicable("no schemas/")
    names = [cls.name for _, cls in classes]
    missing = [
        kind
        for kind, pattern in (
            ("Create", r"Create$"),
            ("Update", r"Update$"),
            ("Response", RESPONSE_SCHEMA_NAME.pattern),
        )
        if not any(re.search(pattern, name) for name in names)
    ]
    findings = [
        Finding(f"no *{kind} schema", package_where(project, "schemas")) for kind in missing
    ]
    return verdict_of(
        findings, ok="Create, Update and Response schemas", broken="schemas not separated"
    )


STANDARD.undecidable(
    "FLB-SCHEMA-003",
    "Use field validators for complex validation logic",
    section=SCHEMAS,
    level=MANDATORY,
    reason="Which validation is complex enough for a validator is a reviewer's judgment.",
)


@STANDARD.rule(
    "FLB-SCHEMA-004",
    "Use `model_config` with `from_attributes=True` for ORM models",
    section=SCHEMAS,
    level=MANDATORY,
)
def from_attributes(project: Project) -> Verdict:
    """With ORM models, some schema sets from_attributes=True, none uses orm_mode."""
    schemas = _model_classes(project)
    if not _orm_classes(project) or not schemas:
        return not_applicable("no ORM models or no schemas")
    findings = project.grep(r"\borm_mode\b", [p for p, _ in schemas], "Pydantic v1 orm_mode")
    if not project.grep(r"from_attributes\s*=\s*True", sorted({p for p, _ in schemas}), ""):
        findings.append(
            Finding("no schema sets from_attributes=True", package_where(project, "schemas"))
        )
    return verdict_of(
        findings, ok="schemas read ORM objects by attribute", broken="no from_attributes"
    )


PYDANTIC_V1 = re.compile(r"^(validator|root_validator|parse_obj_as)$")


@STANDARD.rule(
    "FLB-SCHEMA-005",
    "Use Pydantic V2 features (computed fields, field validators)",
    section=SCHEMAS,
    level=MANDATORY,
)
@_needs_package
def pydantic_v2_api(project: Project) -> Verdict:
    """No Pydantic v1 API: validator, root_validator, class Config, pydantic.v1."""
    findings: list[Finding] = []
    for path, module in project.modules():
        for node in ast.walk(module):
            if (
                isinstance(node, ast.ImportFrom)
                and node.module
                and node.module.startswith("pydantic")
            ):
                if node.module.startswith("pydantic.v1"):
                    findings.append(project.finding(path, node, "imports pydantic.v1"))
                findings += [
                    project.finding(path, node, f"imports v1 {alias.name}")
                    for alias in node.names
                    if PYDANTIC_V1.match(alias.name)
                ]
    for path, cls in _model_classes(project):
        findings += [
            project.finding(path, node, f"{cls.name} has a v1 class Config")
            for node in cls.body
            if isinstance(node, ast.ClassDef) and node.name == "Config"
        ]
    return verdict_of(findings, ok="Pydantic v2 API only", broken="Pydantic v1 API")


@STANDARD.rule(
    "FLB-SCHEMA-006",
    "Define schema inheritance hierarchy to reduce duplication",
    section=SCHEMAS,
    level=MANDATORY,
)
def schema_hierarchy(project: Project) -> Verdict:
    """Two schemas of one module that share two or more fields derive from a common base."""
    classes = _model_classes(project, "schemas")
    if not classes:
        return not_applicable("no schemas/")
    findings: list[Finding] = []
    by_file: dict[Path, list[ast.ClassDef]] = {}
    for path, cls in classes:
        by_file.setdefault(path, []).append(cls)
    for path, group in by_file.items():
        for index, first in enumerate(group):
            for second in group[index + 1 :]:
                shared = {field_name(f) for f in annotated_fields(first)} & {
                    field_name(f) for f in annotated_fields(second)
                }
                related = (
                    first.name in base_names(second)
                    or second.name in base_names(first)
                    or (set(base_names(first)) & set(base_names(second)) - {"BaseModel"})
                )
                if len(shared) >= 2 and not related:
                    message = f"{first.name} and {second.name} repeat {', '.join(sorted(shared))}"
                    findings.append(project.finding(path, second, message))
    return verdict_of(findings, ok="shared fields come from a base", broken="schemas repeat fields")


# ------------------------------------------------------------ Database Standards


@STANDARD.rule(
    "FLB-DB-001",
    "Use declarative base with mapped_column for all models",
    section=DATABASE,
    level=MANDATORY,
)
@needs_sqlalchemy
def mapped_columns(project: Project) -> Verdict:
    """No legacy Column() or declarative_base() in the package."""
    findings = [
        project.finding(path, call, f"legacy {name}()")
        for path, module in project.modules()
        for call, name in calls_in(module)
        if name.rsplit(".", 1)[-1] in {"Column", "declarative_base"}
    ]
    return verdict_of(findings, ok="declarative models with mapped_column", broken="legacy mapping")


@STANDARD.rule(
    "FLB-DB-002", "Define models in `models/` directory", section=DATABASE, level=MANDATORY
)
def models_in_models(project: Project) -> Verdict:
    """Every class with a ``__tablename__`` lives under models/."""
    tables = _orm_classes(project)
    if not tables:
        return not_applicable("no ORM models")
    findings = [
        project.finding(path, cls, f"model {cls.name} outside models/")
        for path, cls in tables
        if _layer_of(project, path) != "models"
    ]
    return verdict_of(findings, ok="models live in models/", broken="models outside models/")


STANDARD.undecidable(
    "FLB-DB-003",
    "One model per file for complex models",
    section=DATABASE,
    level=MANDATORY,
    reason="Which models count as complex is a reviewer's judgment.",
)


@STANDARD.rule(
    "FLB-DB-004", "Use Alembic for all database migrations", section=DATABASE, level=MANDATORY
)
@needs_database
def alembic_migrations(project: Project) -> Verdict:
    """Alembic is a dependency, alembic.ini exists, the package never calls create_all()."""
    findings: list[Finding] = []
    if not project.depends_on("alembic"):
        findings.append(Finding("no dependency on alembic", "pyproject.toml"))
    if not project.exists("alembic.ini"):
        findings.append(Finding("missing", "alembic.ini"))
    findings += [
        project.finding(path, call, "create_all() builds the schema outside the migrations")
        for path, module in project.modules()
        for call, name in calls_in(module)
        if name.endswith(".create_all")
    ]
    return verdict_of(findings, ok="the schema comes from Alembic migrations", broken="not Alembic")


STANDARD.undecidable(
    "FLB-DB-005",
    "NEVER modify migrations after they're committed",
    section=DATABASE,
    level=NEVER,
    reason="A change to a committed migration shows in the history, not in one tree.",
)


@STANDARD.rule(
    "FLB-DB-006",
    "Use async session management with context managers",
    section=DATABASE,
    level=MANDATORY,
)
@needs_sqlalchemy
def async_sessions(project: Project) -> Verdict:
    """async_sessionmaker opened with ``async with``; no sync engine or Session."""
    findings: list[Finding] = []
    factory = False
    for path, module in project.modules():
        for call, name in calls_in(module):
            last = name.rsplit(".", 1)[-1]
            if last in {"create_engine", "sessionmaker", "Session"}:
                findings.append(project.finding(path, call, f"synchronous {name}()"))
            factory = factory or last == "async_sessionmaker"
    if not factory:
        findings.append(Finding("no async_sessionmaker()", package_where(project)))
    if not any(
        isinstance(node, ast.AsyncWith) for _, m in project.modules() for node in ast.walk(m)
    ):
        findings.append(Finding("no session opened with async with", package_where(project)))
    return verdict_of(
        findings, ok="async sessions in context managers", broken="sessions not managed"
    )


@STANDARD.rule(
    "FLB-DB-007",
    "Implement proper connection pooling (sized pool)",
    section=DATABASE,
    level=MANDATORY,
)
@needs_sqlalchemy
def sized_pool(project: Project) -> Verdict:
    """create_async_engine() sets pool_size and max_overflow and uses no NullPool."""
    findings: list[Finding] = []
    engines = 0
    for path, module in project.modules():
        for call, name in calls_in(module):
            if name.rsplit(".", 1)[-1] in {"create_async_engine", "create_engine"}:
                engines += 1
                missing = [k for k in ("pool_size", "max_overflow") if kwarg(call, k) is None]
                if missing:
                    findings.append(
                        project.finding(path, call, f"engine without {', '.join(missing)}")
                    )
            if name.endswith("NullPool"):
                findings.append(project.finding(path, call, "NullPool: no pooling"))
    if not engines:
        return not_applicable("no engine created in the package")
    return verdict_of(findings, ok="a sized connection pool", broken="the pool is not sized")


def _foreign_keys(project: Project) -> list[tuple[Path, ast.Call, ast.Call]]:
    """Each ``ForeignKey(...)`` of the models, with the column call that holds it."""
    found: list[tuple[Path, ast.Call, ast.Call]] = []
    for path, module in project.modules():
        for call, name in calls_in(module):
            if name.rsplit(".", 1)[-1] in {"mapped_column", "Column"}:
                for inner, inner_name in calls_in(call):
                    if inner_name.rsplit(".", 1)[-1] == "ForeignKey":
                        found.append((path, call, inner))
    return found


@STANDARD.rule(
    "FLB-DB-008",
    "Use relationship() for model relationships",
    section=DATABASE,
    level=MANDATORY,
)
@needs_sqlalchemy
def relationships(project: Project) -> Verdict:
    """Models with a foreign key declare a relationship()."""
    keys = _foreign_keys(project)
    if not keys:
        return not_applicable("no foreign keys")
    declared = {
        path
        for path, module in project.modules()
        for _, name in calls_in(module)
        if name.endswith("relationship")
    }
    findings = [
        project.finding(path, column, "a foreign key without relationship()")
        for path, column, _ in keys
        if path not in declared
    ]
    return verdict_of(
        findings, ok="relationships declared", broken="foreign keys without relationship()"
    )


@STANDARD.rule(
    "FLB-DB-009",
    "Add indexes for frequently queried columns (and on foreign keys)",
    section=DATABASE,
    level=MANDATORY,
)
@needs_sqlalchemy
def indexed_foreign_keys(project: Project) -> Verdict:
    """Every foreign-key column has index=True (or is a primary key or unique)."""
    keys = _foreign_keys(project)
    if not keys:
        return not_applicable("no foreign keys")
    findings = [
        project.finding(path, column, "foreign key without an index")
        for path, column, _ in keys
        if not any(is_constant(kwarg(column, k), True) for k in ("index", "primary_key", "unique"))
    ]
    return verdict_of(findings, ok="foreign keys are indexed", broken="unindexed foreign keys")


NAIVE_NOW = re.compile(r"^datetime(\.datetime)?\.(utcnow|now|today)$")


@STANDARD.rule("FLB-DB-010", "Use UTC for all timestamps", section=DATABASE, level=MANDATORY)
@_needs_package
def utc_timestamps(project: Project) -> Verdict:
    """DateTime columns are timezone-aware; no naive now()/utcnow()."""
    findings: list[Finding] = []
    for path, module in project.modules():
        for call, name in calls_in(module):
            if name.rsplit(".", 1)[-1] == "DateTime":
                timezone = kwarg(call, "timezone")
                if not is_constant(timezone, True):
                    findings.append(project.finding(path, call, "DateTime without timezone=True"))
            elif NAIVE_NOW.match(name) and (
                name.endswith("utcnow")
                or name.endswith("today")
                or not (call.args or call.keywords)
            ):
                findings.append(project.finding(path, call, f"naive {name}()"))
    return verdict_of(findings, ok="timestamps are UTC-aware", broken="naive timestamps")


@STANDARD.rule(
    "FLB-DB-011", "Define __repr__ methods for debugging", section=DATABASE, level=MANDATORY
)
def model_repr(project: Project) -> Verdict:
    """Each model defines __repr__, or a class of the package it derives from does."""
    tables = _orm_classes(project)
    if not tables:
        return not_applicable("no ORM models")
    with_repr = {
        cls.name
        for _, module in project.modules()
        for cls in class_defs(module)
        if any(isinstance(n, ast.FunctionDef) and n.name == "__repr__" for n in cls.body)
    }
    findings = [
        project.finding(path, cls, f"{cls.name} has no __repr__")
        for path, cls in tables
        if cls.name not in with_repr and not set(base_names(cls)) & with_repr
    ]
    return verdict_of(findings, ok="models define __repr__", broken="models without __repr__")


@STANDARD.rule(
    "FLB-DB-012",
    "Use select() with options() for eager loading; avoid N+1 queries (use joinedload or "
    "selectinload)",
    section=REPOSITORY_PATTERN,
    level=MANDATORY,
)
@needs_sqlalchemy
def eager_loading(project: Project) -> Verdict:
    """With relationships, the repositories load them with selectinload/joinedload."""
    related = [
        (path, call)
        for path, module in project.modules()
        for call, name in calls_in(module)
        if name.endswith("relationship")
    ]
    if not related:
        return not_applicable("no relationships")
    loaders = {"selectinload", "joinedload", "subqueryload", "immediateload"}
    if any(
        name.rsplit(".", 1)[-1] in loaders for _, m in project.modules() for _, name in calls_in(m)
    ):
        return passed("relationships are loaded eagerly")
    path, call = related[0]
    return failed(
        "relationships but no eager loading", [project.finding(path, call, "lazy loading: N+1")]
    )


# -------------------------------------------------------------------- Migrations


def _migrations(project: Project) -> list[tuple[Path, ast.Module]]:
    """The migration scripts under alembic/versions/ or migrations/versions/."""
    return list(modules_in(project, "alembic/versions", "migrations/versions"))


_when_migrations = _given(_migrations, lambda _: not_applicable("no migration scripts"))


@STANDARD.rule(
    "FLB-MIG-001",
    'Generate migrations with: `alembic revision --autogenerate -m "description"`',
    section=MIGRATIONS,
    level=MANDATORY,
)
def autogenerate(project: Project) -> Verdict:
    """The Alembic env.py sets target_metadata to the models' metadata (not None)."""
    env = next((p for p in ("alembic/env.py", "migrations/env.py") if project.exists(p)), None)
    if env is None:
        return not_applicable("no Alembic env.py")
    module = project.tree(project.path(env))
    for node in ast.walk(module) if module else ():
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "target_metadata" for t in node.targets)
            and not (isinstance(node.value, ast.Constant) and node.value.value is None)
        ):
            return passed(f"{env} gives autogenerate the metadata")
    return failed("autogenerate has no metadata", [Finding("target_metadata unset or None", env)])


STANDARD.undecidable(
    "FLB-MIG-002",
    "Review ALL auto-generated migrations before committing",
    section=MIGRATIONS,
    level=MANDATORY,
    reason="A review is a step of the team's process that leaves no trace in the files.",
)
STANDARD.undecidable(
    "FLB-MIG-003",
    "Test migrations on copy of production data",
    section=MIGRATIONS,
    level=MANDATORY,
    reason="Production data lives outside the repository; where migrations ran is not in a file.",
)


@STANDARD.rule(
    "FLB-MIG-004",
    "Provide both upgrade and downgrade paths; keep migrations atomic and reversible",
    section=MIGRATIONS,
    level=MANDATORY,
)
@_when_migrations
def reversible_migrations(project: Project, scripts: list[tuple[Path, ast.Module]]) -> Verdict:
    """Each script defines upgrade() and a downgrade() that does something."""
    findings: list[Finding] = []
    for path, module in scripts:
        functions = {n.name: n for n in module.body if isinstance(n, ast.FunctionDef)}
        for name in ("upgrade", "downgrade"):
            function = functions.get(name)
            if function is None:
                findings.append(project.finding(path, None, f"no {name}()"))
            elif all(
                isinstance(s, ast.Pass)
                or (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))
                for s in function.body
            ):
                findings.append(project.finding(path, function, f"{name}() does nothing"))
    return verdict_of(
        findings, ok="every migration is reversible", broken="irreversible migrations"
    )


def _revision(module: ast.Module, name: str) -> object:
    """The module-level ``revision`` or ``down_revision`` value."""
    return (
        _constants(module).get(name) if name in _constants(module) else _assigned_none(module, name)
    )


def _assigned_none(module: ast.Module, name: str) -> object:
    """``"missing"`` unless ``name`` is assigned at module level (then its None value)."""
    for node in module.body:
        target = (
            node.target
            if isinstance(node, ast.AnnAssign)
            else (node.targets[0] if isinstance(node, ast.Assign) else None)
        )
        if isinstance(target, ast.Name) and target.id == name:
            return None
    return "missing"


@STANDARD.rule("FLB-MIG-005", "Never delete old migrations", section=MIGRATIONS, level=NEVER)
@_when_migrations
def unbroken_history(project: Project, scripts: list[tuple[Path, ast.Module]]) -> Verdict:
    """Every down_revision names a migration that is still there; one root."""
    revisions = {_revision(module, "revision") for _, module in scripts}
    findings: list[Finding] = []
    roots = 0
    for path, module in scripts:
        down = _revision(module, "down_revision")
        parents = cast("tuple[object, ...]", down) if isinstance(down, tuple) else (down,)
        for parent in parents:
            if parent is None:
                roots += 1
            elif parent not in revisions:
                findings.append(project.finding(path, None, f"down_revision {parent!r} is gone"))
    if roots != 1:
        findings.append(
            Finding(
                f"{roots} root migrations (down_revision = None)", project.rel(scripts[0][0].parent)
            )
        )
    return verdict_of(
        findings, ok="the migration history is complete", broken="migrations were deleted"
    )


STANDARD.undecidable(
    "FLB-MIG-006",
    "Use batch operations for large table modifications",
    section=MIGRATIONS,
    level=MANDATORY,
    reason="Which tables are large is a fact of the production data, not of the files.",
)

DATA_OPERATIONS = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
SCHEMA_OPERATIONS = frozenset(
    {
        "create_table",
        "drop_table",
        "add_column",
        "drop_column",
        "alter_column",
        "create_index",
        "drop_index",
        "create_foreign_key",
        "create_unique_constraint",
        "drop_constraint",
        "rename_table",
    }
)


@STANDARD.rule(
    "FLB-MIG-007",
    "Add data migrations separately from schema migrations",
    section=MIGRATIONS,
    level=MANDATORY,
)
@_when_migrations
def data_apart_from_schema(project: Project, scripts: list[tuple[Path, ast.Module]]) -> Verdict:
    """No script both changes the schema and inserts, updates or deletes rows."""
    findings: list[Finding] = []
    for path, module in scripts:
        schema = data = False
        for call, name in calls_in(module):
            last = name.rsplit(".", 1)[-1]
            schema = schema or (name.startswith("op.") and last in SCHEMA_OPERATIONS)
            statement = call.args[0] if call.args else None
            data = (
                data
                or name == "op.bulk_insert"
                or (
                    name == "op.execute"
                    and isinstance(statement, ast.Constant)
                    and isinstance(statement.value, str)
                    and bool(DATA_OPERATIONS.match(statement.value))
                )
            )
        if schema and data:
            findings.append(project.finding(path, None, "changes the schema and the data"))
    return verdict_of(findings, ok="data and schema migrations apart", broken="mixed migrations")


# ------------------------------------------------------- Configuration Management


@STANDARD.rule(
    "FLB-CONFIG-001",
    "ALL configuration must use PydanticSettings: a single `Settings` class in `core/config.py`",
    section=CONFIGURATION,
    level=MANDATORY,
)
@_needs_package
def single_settings(project: Project) -> Verdict:
    """pydantic-settings is a dependency; one BaseSettings subclass, Settings, in core/config.py."""
    findings: list[Finding] = []
    if not project.depends_on("pydantic-settings"):
        findings.append(Finding("no dependency on pydantic-settings", "pyproject.toml"))
    classes = settings_classes(project, exact=True)
    expected = package_where(project, "core", "config.py")
    if not classes:
        findings.append(Finding("no BaseSettings class", expected))
    findings += [
        project.finding(
            path, cls, f"{cls.name}: settings belong in one Settings class in core/config.py"
        )
        for path, cls in classes
        if cls.name != "Settings" or project.rel(path) != expected or len(classes) > 1
    ]
    return verdict_of(
        findings, ok="one Settings class in core/config.py", broken="settings scattered"
    )


def _settings(project: Project) -> tuple[Path, ast.ClassDef] | None:
    """The Settings class (the first BaseSettings subclass)."""
    classes = settings_classes(project, exact=True)
    return classes[0] if classes else None


def _when_settings(check: Callable[[Project, Path, ast.ClassDef], Verdict]) -> Check:
    """A check over the Settings class; fails when there is none."""

    def guarded(project: Project) -> Verdict:
        found = _settings(project)
        if found is None:
            return failed(
                "no BaseSettings class", [Finding("no Settings class", package_where(project))]
            )
        return check(project, *found)

    guarded.__doc__ = check.__doc__
    return guarded


@STANDARD.rule(
    "FLB-CONFIG-002",
    "Load from `.env` files; store ALL environment-specific configuration in `.env`",
    section=CONFIGURATION,
    level=MANDATORY,
)
@_when_settings
def loads_dotenv(project: Project, path: Path, cls: ast.ClassDef) -> Verdict:
    """The Settings' model_config names an env_file."""
    for node in cls.body:
        if (
            isinstance(node, ast.Assign | ast.AnnAssign)
            and isinstance(node.value, ast.Call)
            and kwarg(node.value, "env_file") is not None
        ):
            return passed("Settings reads .env")
    return failed(
        "Settings reads no .env file", [project.finding(path, cls, "no env_file in model_config")]
    )


@STANDARD.rule(
    "FLB-CONFIG-003", "Use type hints for all settings", section=CONFIGURATION, level=MANDATORY
)
@_when_settings
def typed_settings(project: Project, path: Path, cls: ast.ClassDef) -> Verdict:
    """Every attribute of Settings is annotated."""
    findings = [
        project.finding(path, node, f"setting {target.id} has no type hint")
        for node in cls.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name) and target.id != "model_config"
    ]
    return verdict_of(findings, ok="every setting is typed", broken="untyped settings")


STANDARD.undecidable(
    "FLB-CONFIG-004",
    "Provide sensible defaults where appropriate",
    section=CONFIGURATION,
    level=MANDATORY,
    reason="Whether a default is sensible, and where one is appropriate, is a reviewer's judgment.",
)

URL_LITERAL = re.compile(r"^[a-z][a-z0-9+.-]*://[^\s/]", re.IGNORECASE)


@STANDARD.rule(
    "FLB-CONFIG-005", "NEVER hardcode configuration values", section=CONFIGURATION, level=NEVER
)
@_needs_package
def no_hardcoded_configuration(project: Project) -> Verdict:
    """No os.environ/os.getenv outside Settings, no service URL literal outside core/config.py."""
    config = package_where(project, "core", "config.py")
    findings: list[Finding] = []
    for path, module in project.modules():
        if project.rel(path) == config:
            continue
        for node in ast.walk(module):
            name = (
                dotted_name(node.func)
                if isinstance(node, ast.Call)
                else dotted_name(node)
                if isinstance(node, ast.Subscript)
                else ""
            )
            if isinstance(node, ast.Subscript):
                name = dotted_name(node.value)
            if name in {"os.getenv", "os.environ", "os.environ.get", "environ.get", "getenv"}:
                findings.append(project.finding(path, node, f"reads {name} outside Settings"))
        findings += [
            project.finding(path, constant, f"hardcoded address {constant.value!r}")
            for constant in string_constants(module, docstrings=False)
            if URL_LITERAL.match(cast("str", constant.value))
        ]
    return verdict_of(
        findings, ok="configuration comes from Settings", broken="hardcoded configuration"
    )


def _settings_variables(cls: ast.ClassDef) -> list[tuple[str, ast.AnnAssign]]:
    """Each setting's environment variable name (upper-case field name) and field."""
    return [(field_name(field).upper(), field) for field in annotated_fields(cls)]


@STANDARD.rule(
    "FLB-CONFIG-006",
    "ALWAYS provide `.env.example`, committed, with example values",
    section=CONFIGURATION,
    level=MANDATORY,
)
def env_example(project: Project) -> Verdict:
    """.env.example exists, is not ignored, and gives each active variable a value."""
    if not project.exists(".env.example"):
        return failed("no .env.example", [Finding("missing", ".env.example")])
    findings: list[Finding] = []
    if ".env.example" in gitignore_patterns(project) or ".env*" in gitignore_patterns(project):
        findings.append(Finding(".gitignore ignores .env.example", ".gitignore"))
    findings += [
        Finding(f"{name} has no example value", ".env.example", line)
        for name, (line, value) in _env_example(project).items()
        if value == ""
    ]
    return verdict_of(
        findings, ok=".env.example with example values", broken=".env.example incomplete"
    )


@STANDARD.rule(
    "FLB-CONFIG-007",
    "Document every environment variable",
    section=CONFIGURATION,
    level=MANDATORY,
)
@_when_settings
def every_variable_documented(project: Project, path: Path, cls: ast.ClassDef) -> Verdict:
    """Each setting appears in .env.example (set or commented out)."""
    listed = _env_example(project)
    findings = [
        project.finding(path, field, f"{name} is not in .env.example")
        for name, field in _settings_variables(cls)
        if name not in listed
    ]
    return verdict_of(
        findings, ok="every variable is in .env.example", broken="undocumented variables"
    )


ENVIRONMENT_NAMES = (("development", "dev"), ("staging",), ("production", "prod"))


@STANDARD.rule(
    "FLB-CONFIG-008",
    "Implement environment-specific settings (dev, staging, prod)",
    section=CONFIGURATION,
    level=MANDATORY,
)
@_when_settings
def environment_setting(project: Project, path: Path, cls: ast.ClassDef) -> Verdict:
    """Settings has an environment field whose values name development, staging, production."""
    module = project.tree(path)
    aliases = {
        target.id: ast.unparse(node)
        for node in (module.body if module else [])
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    for field in annotated_fields(cls):
        if "env" not in field_name(field).lower():
            continue
        names = {n.id for n in ast.walk(field.annotation) if isinstance(n, ast.Name)}
        text = " ".join([ast.unparse(field), *(aliases.get(name, "") for name in names)])
        values = set(re.findall(r"['\"](\w+)['\"]", text))
        missing = [words[0] for words in ENVIRONMENT_NAMES if not set(words) & values]
        if not missing:
            return passed(f"Settings.{field_name(field)} tells the environments apart")
        return failed(
            "environments missing", [project.finding(path, field, f"no {', '.join(missing)}")]
        )
    return failed("no environment setting", [project.finding(path, cls, "no environment field")])


@STANDARD.rule(
    "FLB-CONFIG-009",
    "Use nested settings models for grouped configuration",
    section=CONFIGURATION,
    level=MANDATORY,
)
@_when_settings
def nested_settings(project: Project, path: Path, cls: ast.ClassDef) -> Verdict:
    """Some Settings field is typed with a Pydantic model of the package."""
    models = {c.name for _, c in _model_classes(project)} | {
        c.name for _, c in settings_classes(project, exact=True)
    }
    models.discard(cls.name)
    for field in annotated_fields(cls):
        if {n.id for n in ast.walk(field.annotation) if isinstance(n, ast.Name)} & models:
            return passed(f"Settings.{field_name(field)} groups settings")
    return failed("flat settings", [project.finding(path, cls, "no nested settings model")])


@STANDARD.rule(
    "FLB-CONFIG-010",
    "Use UPPER_CASE for environment variable names",
    section=ENV_FILE,
    level=MANDATORY,
)
def upper_case_variables(project: Project) -> Verdict:
    """Every variable of .env.example is UPPER_CASE."""
    if not project.exists(".env.example"):
        return not_applicable("no .env.example")
    findings = [
        Finding(f"{name} is not UPPER_CASE", ".env.example", line)
        for name, (line, _) in _env_example(project).items()
        if name != name.upper()
    ]
    return verdict_of(findings, ok="variables are UPPER_CASE", broken="lower-case variables")


STANDARD.undecidable(
    "FLB-CONFIG-011",
    "Group related variables with comments",
    section=ENV_FILE,
    level=MANDATORY,
    reason="Which variables are related, and whether the comments group them, is a reader's "
    "judgment.",
)

# ------------------------------------------------------------------- Logging


@STANDARD.rule(
    "FLB-LOG-001",
    "Use Python's builtin logging module",
    section=LOGGING,
    level=MANDATORY,
)
@_needs_package
def builtin_logging(project: Project) -> Verdict:
    """No other logging library is a dependency or imported."""
    findings = dependency_findings(project, OTHER_LOGGING_LIBRARIES, runtime_only=True)
    for name in OTHER_LOGGING_LIBRARIES:
        findings += imports_of(project, name)
    if not imports_of(project, "logging"):
        findings.append(Finding("the package never imports logging", package_where(project)))
    return verdict_of(findings, ok="standard-library logging", broken="another logging library")


def _logging_config(project: Project) -> list[Path]:
    """core/logging.py and logging_config.yaml, those that exist."""
    relative = package_where(project, "core", "logging.py")
    candidates = [relative] if relative else []
    candidates.append("logging_config.yaml")
    return [project.path(c) for c in candidates if project.exists(c)]


def _when_logging_config(check: Callable[[Project, list[Path], str], Verdict]) -> Check:
    """A check over the logging configuration; fails when there is none."""

    def guarded(project: Project) -> Verdict:
        files = _logging_config(project)
        if not files:
            return failed(
                "no logging configuration", [Finding("no core/logging.py or logging_config.yaml")]
            )
        return check(project, files, "\n".join(p.read_text(errors="replace") for p in files))

    guarded.__doc__ = check.__doc__
    return guarded


@STANDARD.rule(
    "FLB-LOG-002",
    "Configure logging in `core/logging.py` or `logging_config.yaml`",
    section=LOGGING,
    level=MANDATORY,
)
@_when_logging_config
def logging_configured(project: Project, files: list[Path], text: str) -> Verdict:
    """The configuration file exists and sets handlers up."""
    if re.search(r"handlers|addHandler|dictConfig|basicConfig", text):
        return passed(f"logging configured in {project.rel(files[0])}")
    return failed("no handler configured", [Finding("no handlers", project.rel(files[0]))])


@STANDARD.rule(
    "FLB-LOG-003",
    "Create separate formatters for: console, file, and JSON",
    section=LOGGING,
    level=MANDATORY,
)
@_when_logging_config
def three_formatters(project: Project, files: list[Path], text: str) -> Verdict:
    """Formatters named for console, file and JSON are defined."""
    names = re.findall(
        r"class\s+(\w*Formatter)\b|^\s{2,}(\w+):\s*$|(\w+)_formatter\b", text, re.MULTILINE
    )
    found = " ".join(part for match in names for part in match).lower()
    missing = [kind for kind in ("console", "file", "json") if kind not in found]
    findings = [Finding(f"no {kind} formatter", project.rel(files[0])) for kind in missing]
    return verdict_of(findings, ok="console, file and JSON formatters", broken="formatters missing")


def _rotating_handlers(project: Project) -> Iterator[tuple[Path, ast.Call, dict[str, object]]]:
    """Each RotatingFileHandler() call of the package with its module's constants."""
    for path, module in project.modules():
        constants = _constants(module)
        for call, name in calls_in(module):
            if name.endswith("RotatingFileHandler"):
                yield path, call, constants


@STANDARD.rule(
    "FLB-LOG-004",
    "Implement rotating file handlers (max 10MB, 5 backups)",
    section=LOGGING,
    level=MANDATORY,
)
@_needs_package
def rotating_files(project: Project) -> Verdict:
    """RotatingFileHandler with maxBytes 10 MB and backupCount 5 (or the YAML's)."""
    findings: list[Finding] = []
    handlers = 0
    for path, call, constants in _rotating_handlers(project):
        handlers += 1
        size = _evaluate(kwarg(call, "maxBytes"), constants)
        backups = _evaluate(kwarg(call, "backupCount"), constants)
        if size != LOG_FILE_BYTES or backups != LOG_FILE_BACKUPS:
            findings.append(project.finding(path, call, f"maxBytes={size}, backupCount={backups}"))
    yaml = project.text("logging_config.yaml") or ""
    if "RotatingFileHandler" in yaml:
        handlers += 1
        if not re.search(rf"maxBytes:\s*{LOG_FILE_BYTES}\b", yaml) or not re.search(
            rf"backupCount:\s*{LOG_FILE_BACKUPS}\b", yaml
        ):
            findings.append(Finding("not 10 MB x 5", "logging_config.yaml"))
    if not handlers:
        return failed(
            "no rotating file handler", [Finding("no RotatingFileHandler", package_where(project))]
        )
    return verdict_of(findings, ok="rotating files of 10 MB x 5", broken="rotation not 10 MB x 5")


@STANDARD.rule(
    "FLB-LOG-005",
    "Create separate log files for: app.log (all logs) and error.log (errors only)",
    section=LOGGING,
    level=MANDATORY,
)
@_when_logging_config
def app_and_error_logs(project: Project, files: list[Path], text: str) -> Verdict:
    """The configuration names app.log and error.log."""
    findings = [
        Finding(f"no {name}", project.rel(files[0]))
        for name in ("app.log", "error.log")
        if name not in text
    ]
    return verdict_of(findings, ok="app.log and error.log", broken="log files missing")


STANDARD.undecidable(
    "FLB-LOG-006",
    "Log levels: DEBUG for development, INFO for production",
    section=LOGGING,
    level=MANDATORY,
    reason="Each deployment sets its level in its own environment, which no file of the tree "
    "holds.",
)


@STANDARD.rule(
    "FLB-LOG-007",
    "Use structured logging; include timestamp, logger name, level, function name, and line "
    "number in logs",
    section=LOGGING,
    level=MANDATORY,
)
@_when_logging_config
def record_fields(project: Project, files: list[Path], text: str) -> Verdict:
    """The formatters write each of the five record fields."""
    findings = [
        Finding(f"logs carry no {what}", project.rel(files[0]))
        for what, names in LOG_RECORD_FIELDS.items()
        if not any(re.search(rf"\b{name}\b", text) for name in names)
    ]
    return verdict_of(findings, ok="every record field is logged", broken="record fields missing")


LOG_METHODS = LOG_LEVELS | {"log"}


LOGGER = re.compile(r"(^|\.|_)(logger|log|logging)$")


def _names_a_logger(receiver: ast.expr) -> bool:
    """Whether a method's receiver is named like a logger (``logger``, ``self._log``)."""
    return LOGGER.search(dotted_name(receiver)) is not None


def _logger_calls(node: ast.AST) -> Iterator[tuple[ast.Call, str]]:
    """Calls of ``<logger>.<level>(...)`` (``logger``, ``log``, ``logging``, ``self._logger``)."""
    return logger_calls(ast.walk(node), LOG_METHODS, _names_a_logger)


@STANDARD.rule(
    "FLB-LOG-008",
    "NEVER log sensitive information (passwords, tokens, PII)",
    section=LOGGING,
    level=NEVER,
)
@_needs_package
def no_secrets_in_logs(project: Project) -> Verdict:
    """No logging call passes a name that holds a password, token, secret or key."""
    findings: list[Finding] = []
    for path, module in project.modules():
        for call, _ in _logger_calls(module):
            for node in ast.walk(call):
                name = (
                    node.id
                    if isinstance(node, ast.Name)
                    else node.attr
                    if isinstance(node, ast.Attribute)
                    else ""
                )
                if name and SENSITIVE_NAME.search(name) and name != "exc_info":
                    findings.append(project.finding(path, call, f"logs {name}"))
                    break
    return verdict_of(findings, ok="no sensitive value is logged", broken="sensitive values logged")


@STANDARD.rule(
    "FLB-LOG-009",
    "Import logger: `logger = logging.getLogger(__name__)`",
    section=LOGGER_USAGE,
    level=MANDATORY,
)
@_needs_package
def module_loggers(project: Project) -> Verdict:
    """Module-level loggers are named ``__name__``; nothing logs through the root logger."""
    findings: list[Finding] = []
    for path, module in project.modules():
        for node in module.body:
            if (
                isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Call)
                and dotted_name(node.value.func).endswith("getLogger")
            ):
                args = node.value.args
                if not (args and isinstance(args[0], ast.Name) and args[0].id == "__name__"):
                    findings.append(
                        project.finding(
                            path,
                            node,
                            f"getLogger({ast.unparse(args[0]) if args else ''}), not __name__",
                        )
                    )
        findings += [
            project.finding(path, call, f"logging.{method}() logs through the root logger")
            for call, name in calls_in(module)
            if (method := name.removeprefix("logging.")) in LOG_METHODS
            and name.startswith("logging.")
        ]
    return verdict_of(
        findings, ok="module loggers named __name__", broken="loggers not named __name__"
    )


STANDARD.undecidable(
    "FLB-LOG-010",
    "Use appropriate log levels: DEBUG, INFO, WARNING, ERROR, CRITICAL",
    section=LOGGER_USAGE,
    level=MANDATORY,
    reason="Whether a level fits an event is a reviewer's judgment of the event.",
)


@STANDARD.rule(
    "FLB-LOG-011",
    "Log all exceptions with `exc_info=True` (full traceback)",
    section=LOGGER_USAGE,
    level=MANDATORY,
)
@_needs_package
def exceptions_with_traceback(project: Project) -> Verdict:
    """Error-level logging in an ``except`` block passes exc_info (or uses exception())."""
    findings: list[Finding] = []
    for path, module in project.modules():
        for handler in ast.walk(module):
            if not isinstance(handler, ast.ExceptHandler):
                continue
            for call, method in _logger_calls(handler):
                if method in {"error", "critical"} and kwarg(call, "exc_info") is None:
                    findings.append(project.finding(path, call, f"{method}() without exc_info"))
    return verdict_of(
        findings, ok="exceptions are logged with tracebacks", broken="tracebacks dropped"
    )


STANDARD.team(
    "FLB-LOG-012",
    "Log important business events at INFO level",
    section=LOGGER_USAGE,
    level=MANDATORY,
    reason="Which events are important is a decision about the team's business domain.",
)
STANDARD.undecidable(
    "FLB-LOG-013",
    "Log all external API calls with request/response summary",
    section=LOGGER_USAGE,
    level=MANDATORY,
    reason="Which calls leave the service, and what summary each logs, shows at run time, not "
    "in a static read of the call sites.",
)


@STANDARD.rule(
    "FLB-LOG-014",
    "Log all database operations at DEBUG level",
    section=LOGGER_USAGE,
    level=MANDATORY,
)
@needs_database
def database_debug_logs(project: Project) -> Verdict:
    """Each repository module logs at DEBUG, or the sqlalchemy.engine logger is configured."""
    modules = [(p, m) for p, m in _layer(project, "repositories") if p.name != "__init__.py"]
    if not modules:
        return not_applicable("no repository modules")
    if any(
        re.search(r"sqlalchemy\.engine", p.read_text(errors="replace"))
        for p in _logging_config(project)
    ):
        return passed("the logging configuration logs sqlalchemy.engine")
    findings = [
        project.finding(path, None, "no logger.debug() for its database operations")
        for path, module in modules
        if not any(method == "debug" for _, method in _logger_calls(module))
    ]
    return verdict_of(
        findings, ok="database operations logged at DEBUG", broken="database operations unlogged"
    )


@STANDARD.rule(
    "FLB-LOG-015",
    "Include correlation IDs in all logs; add contextual information (user_id, request_id)",
    section=LOGGER_USAGE,
    level=MANDATORY,
)
@_needs_package
def correlation_in_logs(project: Project) -> Verdict:
    """A logging.Filter (or record factory, or adapter) adds a request or correlation ID."""
    context = re.compile(r"request_id|correlation_id", re.IGNORECASE)
    for path, module in project.modules():
        text = path.read_text(errors="replace")
        adds = any("Filter" in base_names(c) for c in class_defs(module)) or re.search(
            r"setLogRecordFactory|LoggerAdapter|contextvars", text
        )
        if adds and context.search(text):
            return passed(f"{project.rel(path)} puts the correlation ID on every record")
    uses_filter = any(
        "Filter" in base_names(c) for _, m in project.modules() for c in class_defs(m)
    ) and _package_source_matches(project, r"request_id|correlation_id")
    if uses_filter:
        return passed("a logging filter adds the request ID bound by the middleware")
    if _package_source_matches(project, r"bind_contextvars|merge_contextvars") and (
        _package_source_matches(project, r"request_id|correlation_id")
    ):
        return passed("structlog's context variables carry the request ID")
    return failed(
        "no correlation ID in the logs",
        [Finding("no filter adds a request ID", package_where(project))],
    )


# ---------------------------------------------------------------- Error Handling


def _exception_classes(project: Project) -> list[tuple[Path, ast.ClassDef]]:
    """The package's exception classes (deriving from Exception or from one of them)."""
    names = _descendants(project, {"Exception", "BaseException"})
    return [
        (path, cls)
        for path, module in project.modules()
        for cls in class_defs(module)
        if cls.name in names
    ]


@STANDARD.rule(
    "FLB-ERR-001",
    "Create custom exception classes in `exceptions.py`, inheriting from a base exception class",
    section=EXCEPTIONS,
    level=MANDATORY,
)
@_needs_package
def exceptions_module(project: Project) -> Verdict:
    """exceptions.py defines a base exception with subclasses; none are defined elsewhere."""
    expected = package_where(project, "exceptions.py")
    classes = _exception_classes(project)
    findings: list[Finding] = []
    if not _in_package(project, "exceptions.py"):
        findings.append(Finding("missing", expected))
    findings += [
        project.finding(path, cls, f"{cls.name} is defined outside exceptions.py")
        for path, cls in classes
        if project.rel(path) != expected
    ]
    in_module = [cls for path, cls in classes if project.rel(path) == expected]
    if in_module and not any(set(base_names(c)) & {x.name for x in in_module} for c in in_module):
        findings.append(Finding("no hierarchy under one base exception", expected))
    return verdict_of(
        findings, ok="a custom hierarchy in exceptions.py", broken="no exceptions.py hierarchy"
    )


def _class_status(cls: ast.ClassDef) -> object:
    """The ``status``/``status_code`` class attribute of an exception."""
    for node in cls.body:
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(
                isinstance(t, ast.Name) and t.id in {"status", "status_code", "http_status"}
                for t in targets
            ):
                return _evaluate(node.value, {})
    return None


@STANDARD.rule(
    "FLB-ERR-002",
    "Define exceptions for: NotFound, Unauthorized, Forbidden, BadRequest, ValidationError",
    section=EXCEPTIONS,
    level=MANDATORY,
)
@_needs_package
def exception_kinds(project: Project) -> Verdict:
    """An exception class per kind, by its name or its HTTP status."""
    classes = [cls for _, cls in _exception_classes(project)]
    missing = [
        kind
        for kind, (words, status) in EXCEPTION_KINDS.items()
        if not any(
            any(word in cls.name.lower() for word in words) or _class_status(cls) == status
            for cls in classes
        )
    ]
    findings = [Finding(f"no {kind} exception", package_where(project)) for kind in missing]
    return verdict_of(
        findings, ok="every exception kind is defined", broken="exception kinds missing"
    )


@STANDARD.rule(
    "FLB-ERR-003",
    "Include error codes and user-friendly messages",
    section=EXCEPTIONS,
    level=MANDATORY,
)
@_needs_package
def error_codes(project: Project) -> Verdict:
    """The base exception class defines a code attribute."""
    classes = _exception_classes(project)
    bases = [(p, c) for p, c in classes if set(base_names(c)) & {"Exception", "BaseException"}]
    if not bases:
        return failed(
            "no custom exceptions", [Finding("no exception class", package_where(project))]
        )
    for _, cls in bases:
        if re.search(r"\b(error_)?code\b", ast.unparse(cls)):
            return passed(f"{cls.name} carries an error code")
    path, cls = bases[0]
    return failed(
        "exceptions carry no error code", [project.finding(path, cls, f"{cls.name} has no code")]
    )


def _handled_exceptions(project: Project) -> list[str]:
    """Names of the exception classes the app registers handlers for."""
    handled: list[str] = []
    for _, module in project.modules():
        for node in ast.walk(module):
            if isinstance(node, ast.Dict):
                handled += [
                    dotted_name(k).rsplit(".", 1)[-1]
                    for k in node.keys
                    if k is not None and dotted_name(k)
                ]
            elif (
                isinstance(node, ast.Call)
                and dotted_name(node.func).rsplit(".", 1)[-1]
                in {
                    "add_exception_handler",
                    "exception_handler",
                }
                and node.args
            ):
                handled.append(dotted_name(node.args[0]).rsplit(".", 1)[-1])
    return handled


@STANDARD.rule(
    "FLB-ERR-004",
    "Use FastAPI exception handlers to convert to HTTP responses",
    section=EXCEPTIONS,
    level=MANDATORY,
)
@_needs_package
def exception_handlers(project: Project) -> Verdict:
    """A handler is registered for one of the package's exception classes."""
    own = {cls.name for _, cls in _exception_classes(project)}
    handled = set(_handled_exceptions(project)) & own
    if handled:
        return passed(f"handlers for {', '.join(sorted(handled))}")
    return failed(
        "no handler for the app's exceptions",
        [Finding("no exception handler", package_where(project))],
    )


@STANDARD.rule(
    "FLB-ERR-005",
    "Implement global exception handler for unexpected errors",
    section=EXCEPTIONS,
    level=MANDATORY,
)
@_needs_package
def global_handler(project: Project) -> Verdict:
    """A handler is registered for Exception."""
    if "Exception" in _handled_exceptions(project):
        return passed("a handler for Exception")
    return failed(
        "no global handler", [Finding("no handler for Exception", package_where(project))]
    )


STANDARD.undecidable(
    "FLB-ERR-006",
    "Use try-except blocks for all external calls (database, APIs, file operations)",
    section=EXCEPTION_HANDLING,
    level=MANDATORY,
    reason="Whether a call is external depends on what the objects it goes through are at run "
    "time; a global handler may catch what a block does not.",
)

DETAIL_LEAKS = frozenset({"str", "repr", "format_exc", "format_exception", "format_tb"})


@STANDARD.rule(
    "FLB-ERR-007",
    "NEVER expose internal error details to clients; sanitize error messages in production",
    section=EXCEPTION_HANDLING,
    level=NEVER,
)
@_needs_package
def no_leaked_details(project: Project) -> Verdict:
    """Handlers of bare Exception put no str/repr/traceback of it in the response."""
    findings: list[Finding] = []
    for path, module in project.modules():
        for call, name in calls_in(module):
            if name in {"traceback.format_exc", "traceback.format_exception"}:
                findings.append(project.finding(path, call, f"{name}() may reach a client"))
        for function in function_defs(module):
            caught = {
                arg.arg
                for arg in function.args.args
                if arg.annotation is not None
                and dotted_name(arg.annotation) in {"Exception", "BaseException"}
            }
            logged = {id(node) for call, _ in _logger_calls(function) for node in ast.walk(call)}
            for call, name in calls_in(function):
                if id(call) in logged or name not in DETAIL_LEAKS:
                    continue
                if any(isinstance(a, ast.Name) and a.id in caught for a in call.args):
                    findings.append(project.finding(path, call, f"{name}() of an unexpected error"))
    return verdict_of(
        findings, ok="internal errors stay internal", broken="internal details exposed"
    )


@STANDARD.rule(
    "FLB-ERR-008",
    "Return consistent error response format with: error code, message, details",
    section=EXCEPTION_HANDLING,
    level=MANDATORY,
)
@_needs_package
def error_format(project: Project) -> Verdict:
    """An error body with a code and a message (or detail) is built somewhere."""
    for _, module in project.modules():
        for node in ast.walk(module):
            keys: set[str] = set()
            if isinstance(node, ast.Dict):
                keys = {
                    k.value
                    for k in node.keys
                    if isinstance(k, ast.Constant) and isinstance(k.value, str)
                }
            if "code" in keys and keys & {"message", "detail"}:
                return passed("error bodies carry code and message")
    for _, cls in _model_classes(project):
        names = {field_name(f) for f in annotated_fields(cls)}
        if "code" in names and names & {"message", "detail"}:
            return passed(f"{cls.name} is the error body")
    return failed(
        "no error body with a code and a message",
        [Finding("no error format", package_where(project))],
    )


@STANDARD.rule(
    "FLB-ERR-009",
    "Handle validation errors from Pydantic",
    section=EXCEPTION_HANDLING,
    level=MANDATORY,
)
@_needs_package
def validation_handler(project: Project) -> Verdict:
    """A handler is registered for RequestValidationError (or ValidationError)."""
    if {"RequestValidationError", "ValidationError"} & set(_handled_exceptions(project)):
        return passed("a handler for validation errors")
    return failed(
        "validation errors keep FastAPI's default body",
        [Finding("no RequestValidationError handler", package_where(project))],
    )


# Some handler or except clause names a database exception.
STANDARD.rule(
    "FLB-ERR-010",
    "Catch and handle database-specific exceptions",
    section=EXCEPTION_HANDLING,
    level=MANDATORY,
)(
    needs_database(
        _source_has(
            r"\b(" + "|".join(DATABASE_ERRORS) + r"|asyncpg\.\w+Error|PostgresError)\b",
            ok="database errors are handled",
            broken="database errors are not handled",
            missing="no database exception handled",
        )
    )
)


STANDARD.undecidable(
    "FLB-ERR-011",
    "Provide helpful error messages for debugging in development",
    section=EXCEPTION_HANDLING,
    level=MANDATORY,
    reason="Whether a message helps is a reader's judgment of the message.",
)

# ----------------------------------------------------------------- Security


@STANDARD.rule(
    "FLB-SEC-001",
    "Use OAuth2 with JWT tokens for authentication (python-jose or PyJWT)",
    section=AUTH,
    level=MANDATORY,
)
@needs_auth
def oauth2_jwt(project: Project) -> Verdict:
    """PyJWT or python-jose is a dependency and an OAuth2 scheme is used."""
    findings: list[Finding] = []
    if not any(project.depends_on(name) for name in JWT_LIBRARIES):
        findings.append(Finding("no dependency on pyjwt or python-jose", "pyproject.toml"))
    if not _package_source_matches(project, r"\bOAuth2\w*"):
        findings.append(Finding("no OAuth2 scheme or form", package_where(project)))
    return verdict_of(findings, ok="OAuth2 with JWT", broken="not OAuth2 with JWT")


@STANDARD.rule(
    "FLB-SEC-002",
    "Use passlib with bcrypt for password hashing",
    section=AUTH,
    level=MANDATORY,
)
@needs_auth
def passlib_bcrypt(project: Project) -> Verdict:
    """passlib (with bcrypt) hashes passwords."""
    if project.depends_on("passlib") and (
        project.depends_on("bcrypt") or "bcrypt" in project.dependencies.get("passlib", "")
    ):
        return passed("passlib with bcrypt")
    others = [
        name for name in ("argon2-cffi", "bcrypt", "pwdlib", "passlib") if project.depends_on(name)
    ]
    return failed(
        "passwords are not hashed with passlib and bcrypt",
        [Finding(f"hashes with {', '.join(others) or 'nothing declared'}", "pyproject.toml")],
    )


@STANDARD.rule("FLB-SEC-003", "NEVER store passwords in plain text", section=AUTH, level=NEVER)
def no_plain_passwords(project: Project) -> Verdict:
    """No model column is a bare ``password``; a model with a password hash has a hasher."""
    tables = _orm_classes(project)
    if not tables:
        return not_applicable("no ORM models")
    findings = [
        project.finding(path, field, f"{cls.name}.{field_name(field)} stores a password as given")
        for path, cls in tables
        for field in annotated_fields(cls)
        if re.fullmatch(r"(plain_)?(password|passwd|pwd)", field_name(field))
    ]
    return verdict_of(findings, ok="passwords are stored hashed", broken="plain-text passwords")


@STANDARD.rule("FLB-SEC-004", "Implement token refresh mechanism", section=AUTH, level=MANDATORY)
@needs_auth
def token_refresh(project: Project) -> Verdict:
    """An endpoint whose path says refresh."""
    routes = _routes(project)
    if any("refresh" in route.url for route in routes):
        return passed("a refresh endpoint")
    return failed("no token refresh", [Finding("no /refresh endpoint", package_where(project))])


@STANDARD.rule(
    "FLB-SEC-005",
    "Token expiry: 30 minutes (access), 7 days (refresh)",
    section=AUTH,
    level=MANDATORY,
)
@needs_auth
def token_lifetimes(project: Project) -> Verdict:
    """Access and refresh lifetimes default to 30 minutes and 7 days (.env.example too)."""
    found = _settings(project)
    if found is None:
        return failed("no Settings", [Finding("no Settings class", package_where(project))])
    path, cls = found
    wanted = {
        "access": (r"access.*minutes", ACCESS_TOKEN_MINUTES),
        "refresh": (r"refresh.*days", REFRESH_TOKEN_DAYS),
    }
    findings: list[Finding] = []
    example = _env_example(project)
    for kind, (pattern, value) in wanted.items():
        fields = [f for f in annotated_fields(cls) if re.search(pattern, field_name(f))]
        if not fields:
            findings.append(project.finding(path, cls, f"no {kind} token lifetime setting"))
            continue
        field = fields[0]
        default = _evaluate(field_default(field), {})
        if default != value:
            findings.append(
                project.finding(
                    path, field, f"{field_name(field)} defaults to {default}, not {value}"
                )
            )
        line, given = example.get(field_name(field).upper(), (0, None))
        if given and given != str(value):
            findings.append(
                Finding(f"{field_name(field).upper()}={given}, not {value}", ".env.example", line)
            )
    return verdict_of(
        findings, ok="30-minute access, 7-day refresh tokens", broken="other token lifetimes"
    )


@STANDARD.rule(
    "FLB-SEC-006",
    "Use FastAPI Depends() for authentication dependencies",
    section=AUTH,
    level=MANDATORY,
)
@needs_auth
def auth_through_depends(project: Project) -> Verdict:
    """A Depends() of the package resolves the caller (principal, user, token)."""
    for _, module in project.modules():
        for call, name in calls_in(module):
            if (
                name.endswith("Depends")
                and call.args
                and re.search(
                    r"principal|user|token|auth|roles|scheme",
                    ast.unparse(call.args[0]),
                    re.IGNORECASE,
                )
            ):
                return passed("authentication is a Depends() dependency")
    return failed(
        "authentication outside Depends()", [Finding("no auth dependency", package_where(project))]
    )


STANDARD.team(
    "FLB-SEC-007",
    "Implement role-based access control (RBAC) when needed",
    section=AUTH,
    level=MANDATORY,
    reason="Whether the service's users need roles is a decision about the team's domain.",
)


@STANDARD.rule(
    "FLB-SEC-008",
    "Store refresh tokens securely (database, not JWT)",
    section=AUTH,
    level=MANDATORY,
)
@needs_auth
def refresh_tokens_stored(project: Project) -> Verdict:
    """A model (table) holds the refresh tokens."""
    for path, cls in _orm_classes(project):
        table = " ".join(
            ast.unparse(node.value)
            for node in cls.body
            if isinstance(node, ast.Assign) and "__tablename__" in ast.unparse(node.targets[0])
        )
        if re.search(r"refresh|token", f"{cls.name} {table}", re.IGNORECASE):
            return passed(f"refresh tokens stored in {cls.name} ({project.rel(path)})")
    return failed(
        "refresh tokens live only in the JWT",
        [
            Finding(
                "no refresh-token table: tokens cannot be revoked", package_where(project, "models")
            )
        ],
    )


@STANDARD.rule(
    "FLB-SEC-009",
    "If using Bearer token authentication, implement a security scheme configuration "
    "(HTTPBearer, OAuth2PasswordBearer)",
    section=AUTH,
    level=MANDATORY,
)
@needs_auth
def bearer_scheme(project: Project) -> Verdict:
    """A FastAPI security scheme object is created."""
    for path, module in project.modules():
        for _, name in calls_in(module):
            if name.rsplit(".", 1)[-1] in BEARER_SCHEMES:
                return passed(f"{name} in {project.rel(path)}")
    return failed(
        "no security scheme",
        [Finding("no HTTPBearer or OAuth2PasswordBearer", package_where(project))],
    )


@STANDARD.rule(
    "FLB-SEC-010",
    'Enable CORS with explicit allowed origins (NO "*" in production)',
    section=SECURITY,
    level=MANDATORY,
)
@_needs_package
def explicit_cors(project: Project) -> Verdict:
    """CORSMiddleware is added; no literal "*" origin in the code or .env.example."""
    findings: list[Finding] = []
    added = False
    for path, module in project.modules():
        for call, _ in calls_in(module):
            if any(dotted_name(a).endswith("CORSMiddleware") for a in call.args):
                added = True
                for key in ("allow_origins", "allow_origin_regex"):
                    value = kwarg(call, key)
                    if value is not None and re.search(r"['\"](\*|\.\*)['\"]", ast.unparse(value)):
                        findings.append(project.finding(path, call, f'{key} allows "*"'))
    findings += grep_file(
        project, ".env.example", r"^\s*CORS_\w*ORIGINS?\s*=\s*['\"]?\*", 'CORS origins "*"'
    )
    if not added:
        findings.append(Finding("CORSMiddleware is never added", package_where(project)))
    return verdict_of(findings, ok="CORS with explicit origins", broken="CORS missing or open")


# HSTS (Strict-Transport-Security) or HTTPSRedirectMiddleware.
STANDARD.rule("FLB-SEC-011", "Use HTTPS only in production", section=SECURITY, level=MANDATORY)(
    _source_has(
        r"Strict-Transport-Security|HTTPSRedirectMiddleware",
        ok="HTTPS enforced (HSTS or redirect)",
        broken="nothing enforces HTTPS",
        missing="no HSTS header or HTTPS redirect",
    )
)


STANDARD.rule(
    "FLB-SEC-012",
    "Implement rate limiting (slowapi or fastapi-limiter)",
    section=SECURITY,
    level=MANDATORY,
)(requires_dependency("slowapi", "fastapi-limiter"))


STANDARD.undecidable(
    "FLB-SEC-013",
    "Sanitize all user inputs",
    section=SECURITY,
    level=MANDATORY,
    reason="What sanitizing an input means depends on where it goes (HTML, SQL, a shell); "
    "FLB-SCHEMA-001 and FLB-SEC-014 check the parts files show.",
)

RAW_SQL = frozenset({"text", "execute", "exec_driver_sql", "fetch", "fetchrow", "fetchval"})


@STANDARD.rule(
    "FLB-SEC-014",
    "Use parameterized queries (SQLAlchemy handles this)",
    section=SECURITY,
    level=MANDATORY,
)
@needs_database
@_needs_package
def parameterized_queries(project: Project) -> Verdict:
    """No SQL string built with an f-string, % or .format() and passed to text()/execute()."""
    findings = [
        project.finding(path, call, f"{name}() of a formatted string")
        for path, module in project.modules()
        for call, name in calls_in(module)
        if name.rsplit(".", 1)[-1] in RAW_SQL
        and call.args
        and (
            isinstance(call.args[0], ast.JoinedStr)
            or (
                isinstance(call.args[0], ast.BinOp)
                and isinstance(call.args[0].op, ast.Mod | ast.Add)
            )
            or (
                isinstance(call.args[0], ast.Call)
                and dotted_name(call.args[0].func).endswith(".format")
            )
        )
    ]
    return verdict_of(findings, ok="queries are parameterized", broken="SQL built from strings")


# Something limits the request body (a setting or middleware named so).
STANDARD.rule("FLB-SEC-015", "Implement request size limits", section=SECURITY, level=MANDATORY)(
    _source_has(
        r"max_(request_)?body|body_?(size_?)?limit|max_content_length",
        ok="request bodies are limited",
        broken="no request size limit",
        missing="no body size limit",
    )
)


@STANDARD.rule(
    "FLB-SEC-016",
    "Add security headers (Content-Security-Policy, X-Frame-Options, etc.)",
    section=SECURITY,
    level=MANDATORY,
)
@_needs_package
def security_headers(project: Project) -> Verdict:
    """Content-Security-Policy and X-Frame-Options are set."""
    findings = [
        Finding(f"no {header}", package_where(project))
        for header in ("Content-Security-Policy", "X-Frame-Options")
        if not _mentions(project, re.escape(header))
    ]
    return verdict_of(findings, ok="security headers set", broken="security headers missing")


@STANDARD.rule(
    "FLB-SEC-017",
    "Validate file uploads (type, size, content)",
    section=SECURITY,
    level=MANDATORY,
)
@_needs_package
def upload_validation(project: Project) -> Verdict:
    """Modules taking UploadFile check its content_type and size."""
    findings: list[Finding] = []
    uploads = 0
    for path in project.python_files():
        text = path.read_text(errors="replace")
        if "UploadFile" not in text:
            continue
        uploads += 1
        findings += [
            project.finding(path, None, f"uploads without a {what} check")
            for what, pattern in (
                ("type", r"content_type"),
                ("size", r"\.size\b|max_.*bytes|len\("),
            )
            if not re.search(pattern, text)
        ]
    if not uploads:
        return not_applicable("no file upload")
    return verdict_of(findings, ok="uploads are validated", broken="uploads not validated")


@STANDARD.rule(
    "FLB-SEC-018", "Use environment variables for secrets", section=SECURITY, level=MANDATORY
)
@_when_settings
def secrets_from_environment(project: Project, path: Path, cls: ast.ClassDef) -> Verdict:
    """Secret settings (keys, passwords, secrets) are SecretStr, read from the environment."""
    findings = [
        project.finding(path, field, f"{field_name(field)} is not a SecretStr")
        for field in annotated_fields(cls)
        if SECRET_NAME.search(field_name(field)) and "Secret" not in ast.unparse(field.annotation)
    ]
    return verdict_of(
        findings, ok="secrets are SecretStr settings", broken="secrets in plain settings"
    )


STANDARD.undecidable(
    "FLB-SEC-019",
    "Rotate secrets regularly",
    section=SECURITY,
    level=MANDATORY,
    reason="Rotation happens in the secret store of each deployment, outside the repository.",
)


def _cookies_set(project: Project) -> list[tuple[Path, ast.Call]]:
    """Each set_cookie() call and session middleware of the package."""
    return [
        (path, call)
        for path, module in project.modules()
        for call, name in calls_in(module)
        if name.endswith("set_cookie")
        or any(dotted_name(a).endswith("SessionMiddleware") for a in call.args)
    ]


@STANDARD.rule(
    "FLB-SEC-020",
    "Implement CSRF protection for state-changing operations",
    section=SECURITY,
    level=MANDATORY,
)
def csrf(project: Project) -> Verdict:
    """With cookies, something guards against CSRF; bearer tokens alone need nothing."""
    cookies = _cookies_set(project)
    if not cookies:
        return not_applicable("no cookie is set: browsers send no credential by themselves")
    if (
        _package_source_matches(project, r"csrf|xsrf")
        or project.uses("starlette-csrf")
        or project.uses("fastapi-csrf-protect")
    ):
        return passed("CSRF protection present")
    path, call = cookies[0]
    return failed(
        "cookies without CSRF protection",
        [project.finding(path, call, "cookie set, no CSRF check")],
    )


@STANDARD.rule(
    "FLB-SEC-021",
    "Use secure session cookies (httpOnly, secure, sameSite)",
    section=SECURITY,
    level=MANDATORY,
)
def secure_cookies(project: Project) -> Verdict:
    """Every set_cookie() sets httponly, secure and samesite; sessions are https_only."""
    cookies = _cookies_set(project)
    if not cookies:
        return not_applicable("no cookie is set")
    findings: list[Finding] = []
    for path, call in cookies:
        wanted = (
            ("httponly", "secure", "samesite")
            if dotted_name(call.func).endswith("set_cookie")
            else ("https_only", "same_site")
        )
        missing = [
            k
            for k in wanted
            if kwarg(call, k) is None
            or ast.unparse(cast("ast.expr", kwarg(call, k))) in {"False", "None", "'none'"}
        ]
        if missing:
            findings.append(project.finding(path, call, f"cookie without {', '.join(missing)}"))
    return verdict_of(findings, ok="cookies are secure", broken="insecure cookies")


# A secret scanner (detect-secrets, gitleaks, trufflehog) runs in pre-commit or CI.
STANDARD.rule(
    "FLB-SEC-022",
    "NEVER commit secrets to version control",
    section=SENSITIVE,
    level=NEVER,
)(
    _hook_or_ci(
        r"detect-secrets|gitleaks|trufflehog|ggshield",
        ok="a secret scanner guards commits",
        broken="no secret scanning",
        missing="no detect-secrets/gitleaks hook or CI job",
    )
)


STANDARD.undecidable(
    "FLB-SEC-023",
    "Use encryption for sensitive data at rest",
    section=SENSITIVE,
    level=MANDATORY,
    reason="Encryption at rest is set on the database and disks of each deployment, which no file "
    "of the tree shows.",
)


@STANDARD.rule(
    "FLB-SEC-024",
    "Mask sensitive data in logs and responses",
    section=SENSITIVE,
    level=MANDATORY,
)
def masked_responses(project: Project) -> Verdict:
    """No response schema has a password or secret field (logs: FLB-LOG-008)."""
    schemas = [(p, c) for p, c in _model_classes(project) if RESPONSE_SCHEMA_NAME.search(c.name)]
    if not schemas:
        return not_applicable("no response schemas")
    findings = [
        project.finding(path, field, f"{cls.name}.{field_name(field)} reaches the client")
        for path, cls in schemas
        for field in annotated_fields(cls)
        if re.search(r"password|secret|hash", field_name(field))
    ]
    return verdict_of(findings, ok="responses carry no secrets", broken="secrets in responses")


STANDARD.team(
    "FLB-SEC-025",
    "Implement audit logging for sensitive operations",
    section=SENSITIVE,
    level=MANDATORY,
    reason="Which operations are sensitive, and who reads the audit trail, is the team's domain "
    "and compliance decision.",
)


@STANDARD.rule(
    "FLB-SEC-026",
    "Follow principle of least privilege",
    section=SENSITIVE,
    level=MANDATORY,
)
@when_dockerfile
def non_root_container(project: Project) -> Verdict:
    """The container's final stage runs as a user other than root."""
    user = dockerfile_user(dockerfile(project) or "")
    if user is None or user.split(":")[0] in {"root", "0"}:
        return failed(
            "the container runs as root", [Finding(f"USER {user or '(none)'}", "Dockerfile")]
        )
    return passed(f"the container runs as {user}")


# --------------------------------------------------------------- API Design

STANDARD.undecidable(
    "FLB-API-001",
    "Use HTTP methods correctly: GET, POST, PUT, PATCH, DELETE",
    section=REST,
    level=MANDATORY,
    reason="Whether a method fits an operation depends on what the operation does, a reading of "
    "its code.",
)


def _resource_segment(url: str) -> str | None:
    """The first path segment after an ``/api/vN`` prefix (None for a parameter)."""
    segments = [s for s in url.split("/") if s]
    if len(segments) >= 2 and segments[0] == "api" and re.fullmatch(r"v\d+", segments[1]):
        segments = segments[2:]
    if not segments or segments[0].startswith("{"):
        return None
    return segments[0]


@STANDARD.rule(
    "FLB-API-002",
    "Use plural nouns for resources: `/users`, `/posts`",
    section=REST,
    level=MANDATORY,
)
@_when_routes
def plural_resources(project: Project, routes: list[Route]) -> Verdict:
    """Each resource path's first segment is plural (ends with s)."""
    findings = [
        project.finding(route.path, route.function, f"/{segment} is not a plural noun")
        for route in routes
        if (segment := _resource_segment(route.url)) is not None
        and segment not in NON_RESOURCE_SEGMENTS
        and not segment.endswith("s")
    ]
    return verdict_of(findings, ok="resources are plural", broken="singular resource paths")


STANDARD.team(
    "FLB-API-003",
    "Use nested routes for relationships: `/users/{id}/posts`",
    section=REST,
    level=MANDATORY,
    reason="Which resources relate is the team's business domain.",
)
STANDARD.team(
    "FLB-API-004",
    "Use query parameters for filtering, sorting, pagination",
    section=REST,
    level=MANDATORY,
    reason="Which filters and orders a resource offers is the team's domain; pagination is "
    "checked by FLB-PERF-003.",
)


@STANDARD.rule(
    "FLB-API-005",
    "Return appropriate status codes: 201 Created (POST), 204 No Content (DELETE)",
    section=REST,
    level=MANDATORY,
)
@_when_routes
def status_codes(project: Project, routes: list[Route]) -> Verdict:
    """DELETE endpoints answer 204; creating POST endpoints (create_*) answer 201."""
    findings: list[Finding] = []
    for route in routes:
        status = _status_code(route)
        if route.method == "delete" and status != 204:
            findings.append(
                project.finding(route.path, route.function, f"DELETE answers {status or 200}")
            )
        if route.method == "post" and route.function.name.startswith("create") and status != 201:
            findings.append(
                project.finding(route.path, route.function, f"POST create answers {status or 200}")
            )
    return verdict_of(findings, ok="201 for creates, 204 for deletes", broken="wrong status codes")


STANDARD.undecidable(
    "FLB-API-006",
    "Use consistent response structure across all endpoints",
    section=RESPONSES,
    level=MANDATORY,
    reason="Consistency across endpoints is a reviewer's comparison of their shapes.",
)


@STANDARD.rule(
    "FLB-API-007",
    "Return paginated lists with metadata: data, total, page, per_page, total_pages",
    section=RESPONSES,
    level=MANDATORY,
)
@_when_routes
def page_metadata(project: Project, routes: list[Route]) -> Verdict:
    """A page schema has the five fields; no endpoint returns a bare list."""
    findings = [
        project.finding(route.path, route.function, f"{route.function.name} returns a bare list")
        for route in routes
        if route.function.returns is not None
        and ast.unparse(route.function.returns).startswith(("list[", "List[", "Sequence["))
    ]
    pages = [
        c
        for _, c in _model_classes(project)
        if set(PAGE_FIELDS) <= {field_name(f) for f in annotated_fields(c)}
    ]
    lists = [r for r in routes if r.method == "get" and not r.url.rstrip("/").endswith("}")]
    if not pages and lists:
        findings.append(
            Finding(f"no schema with {', '.join(PAGE_FIELDS)}", package_where(project, "schemas"))
        )
    return verdict_of(
        findings, ok="lists are paginated with metadata", broken="lists without metadata"
    )


@STANDARD.rule(
    "FLB-API-008", "Use ISO 8601 for dates (UTC timezone)", section=RESPONSES, level=MANDATORY
)
@_needs_package
def iso_dates(project: Project) -> Verdict:
    """No hand-made date format (strftime, json_encoders) in the package."""
    findings = [
        project.finding(path, call, f"{name}() formats a date by hand")
        for path, module in project.modules()
        for call, name in calls_in(module)
        if name.endswith(".strftime")
    ]
    findings += project.grep(r"\bjson_encoders\b", project.python_files(), "custom JSON encoders")
    return verdict_of(
        findings, ok="dates are rendered ISO 8601 by Pydantic", broken="hand-made date formats"
    )


@STANDARD.rule("FLB-API-009", "Use snake_case for JSON keys", section=RESPONSES, level=MANDATORY)
def snake_case_keys(project: Project) -> Verdict:
    """Schema fields are snake_case; no camelCase alias generator."""
    classes = _model_classes(project)
    if not classes:
        return not_applicable("no Pydantic models")
    findings = [
        project.finding(path, field, f"{cls.name}.{field_name(field)} is not snake_case")
        for path, cls in classes
        for field in annotated_fields(cls)
        if not re.fullmatch(r"_?[a-z][a-z0-9_]*", field_name(field))
    ]
    findings += project.grep(
        r"alias_generator\s*=\s*\w*camel", sorted({p for p, _ in classes}), "camelCase aliases"
    )
    return verdict_of(findings, ok="JSON keys are snake_case", broken="keys not snake_case")


STANDARD.team(
    "FLB-API-010",
    "Include resource links when appropriate (HATEOAS principle)",
    section=RESPONSES,
    level=MANDATORY,
    reason="When links are appropriate is the team's design decision about its clients.",
)


@STANDARD.rule(
    "FLB-API-011", "Return created resource in POST responses", section=RESPONSES, level=MANDATORY
)
@_when_routes
def post_returns_resource(project: Project, routes: list[Route]) -> Verdict:
    """Endpoints answering 201 return a schema, not None."""
    findings = [
        project.finding(route.path, route.function, f"{route.function.name} returns nothing")
        for route in routes
        if route.method == "post"
        and _status_code(route) == 201
        and (route.function.returns is None or ast.unparse(route.function.returns) == "None")
        and kwarg(route.decorator, "response_model") is None
    ]
    return verdict_of(findings, ok="creates return the resource", broken="creates return nothing")


@STANDARD.rule(
    "FLB-API-012", "Use partial responses for PATCH operations", section=RESPONSES, level=MANDATORY
)
@_when_routes
def partial_patch(project: Project, routes: list[Route]) -> Verdict:
    """The body schema of each PATCH endpoint has a default for every field (partial update)."""
    models = {cls.name: (path, cls) for path, cls in _model_classes(project)}
    findings: list[Finding] = []
    for route in routes:
        if route.method != "patch":
            continue
        for arg in route.function.args.args:
            name = ast.unparse(arg.annotation) if arg.annotation is not None else ""
            if name in models:
                path, cls = models[name]
                findings += [
                    project.finding(
                        path, field, f"{cls.name}.{field_name(field)} is required in a PATCH"
                    )
                    for field in annotated_fields(cls)
                    if field.value is None
                ]
    return verdict_of(findings, ok="PATCH bodies are partial", broken="PATCH bodies require fields")


API_VERSION = re.compile(r"^/api/v(\d+)\b")


@STANDARD.rule(
    "FLB-API-013",
    "Version API via URL path: `/api/v1/users`",
    section=API_VERSIONS,
    level=MANDATORY,
)
@_when_routes
def versioned_paths(project: Project, routes: list[Route]) -> Verdict:
    """The package mounts its routers under ``/api/v<N>``."""
    if any(API_VERSION.match(text) for _, _, text in string_literals(project, docstrings=False)):
        return passed("the API is versioned in its path")
    route = routes[0]
    return failed(
        "no /api/v<N> prefix", [project.finding(route.path, route.function, "unversioned path")]
    )


STANDARD.undecidable(
    "FLB-API-014",
    "Maintain backward compatibility within major versions",
    section=API_VERSIONS,
    level=MANDATORY,
    reason="Compatibility is a relation between releases, which one tree does not hold.",
)
STANDARD.team(
    "FLB-API-015",
    "Deprecate old versions gracefully (minimum 6 months notice)",
    section=API_VERSIONS,
    level=MANDATORY,
    reason="Deprecation dates are the owning team's release decision.",
)


@STANDARD.rule(
    "FLB-API-016",
    "Use deprecation headers to warn clients",
    section=API_VERSIONS,
    level=MANDATORY,
)
@_needs_package
def deprecation_headers(project: Project) -> Verdict:
    """With more than one API version, a Deprecation or Sunset header is sent."""
    versions = {
        m.group(1)
        for _, _, text in string_literals(project, docstrings=False)
        if (m := API_VERSION.match(text))
    }
    if len(versions) < 2:
        return not_applicable("a single API version: nothing is deprecated")
    if _mentions(project, r"^(Deprecation|Sunset)$"):
        return passed("old versions send Deprecation headers")
    return failed(
        "no deprecation header",
        [Finding(f"versions {sorted(versions)} but no Deprecation header", package_where(project))],
    )


STANDARD.team(
    "FLB-API-017",
    "Support multiple versions simultaneously during transition",
    section=API_VERSIONS,
    level=MANDATORY,
    reason="When a new major version ships, and so a transition starts, is the team's release "
    "decision.",
)
STANDARD.undecidable(
    "FLB-API-018",
    "Use background tasks for long-running (non-critical) operations (Celery or FastAPI "
    "BackgroundTasks)",
    section=HANDLING,
    level=MANDATORY,
    reason="Which operations run long is a fact of run time, not of the source.",
)


@STANDARD.rule(
    "FLB-API-019",
    "Implement idempotency for non-GET requests",
    section=HANDLING,
    level=MANDATORY,
)
@_when_routes
def idempotent_creates(project: Project, routes: list[Route]) -> Verdict:
    """Endpoints that create (POST answering 201) take an Idempotency-Key."""
    findings = [
        project.finding(
            route.path, route.function, f"{route.function.name} takes no Idempotency-Key"
        )
        for route in routes
        if route.method == "post"
        and _status_code(route) == 201
        and not re.search(r"idempotency", ast.unparse(route.function.args), re.IGNORECASE)
    ]
    return verdict_of(findings, ok="creates are idempotent", broken="creates are not idempotent")


STANDARD.undecidable(
    "FLB-API-020",
    "Support content negotiation (JSON primary, others optional)",
    section=HANDLING,
    level=MANDATORY,
    reason="FastAPI answers JSON by default; which other types a client gets is negotiated at run "
    "time.",
)


# GZipMiddleware is added.
STANDARD.rule(
    "FLB-API-021",
    "Compress large responses (gzip middleware)",
    section=HANDLING,
    level=MANDATORY,
)(
    _source_has(
        r"\bGZipMiddleware\b",
        ok="responses are compressed",
        broken="no gzip middleware",
        missing="no GZipMiddleware",
    )
)


STANDARD.team(
    "FLB-API-022",
    "Implement ETag for caching when appropriate",
    section=HANDLING,
    level=MANDATORY,
    reason="Which resources are cacheable by clients is the team's decision about its domain.",
)

# ------------------------------------------------------------------ Testing


def _test_modules(project: Project) -> list[tuple[Path, ast.Module]]:
    """The parsed Python files under tests/."""
    return list(modules_in(project, "tests"))


_when_tests = _given(
    _test_modules, lambda _: failed("no tests", [Finding("no tests/ directory", "tests")])
)


@STANDARD.rule("FLB-TEST-001", "Use pytest exclusively", section=TEST_TOOLS, level=MANDATORY)
@_when_tests
def pytest_only(project: Project, modules: list[tuple[Path, ast.Module]]) -> Verdict:
    """pytest is a dev dependency; no unittest.TestCase and no nose."""
    findings: list[Finding] = []
    if not project.uses("pytest"):
        findings.append(Finding("no dependency on pytest", "pyproject.toml"))
    findings += dependency_findings(project, ("nose", "nose2"))
    findings += [
        project.finding(path, cls, f"{cls.name} is a unittest.TestCase")
        for path, module in modules
        for cls in class_defs(module)
        if "TestCase" in base_names(cls)
    ]
    return verdict_of(findings, ok="pytest only", broken="not pytest only")


@STANDARD.rule(
    "FLB-TEST-002", "Use pytest-asyncio for async tests", section=TEST_TOOLS, level=MANDATORY
)
@_when_tests
def pytest_asyncio(project: Project, modules: list[tuple[Path, ast.Module]]) -> Verdict:
    """With async tests, pytest-asyncio is a dev dependency."""
    if not any(
        isinstance(f, ast.AsyncFunctionDef) and f.name.startswith("test")
        for _, m in modules
        for f in function_defs(m)
    ):
        return not_applicable("no async test")
    return requires_dependency("pytest-asyncio", dev=True)(project)


def _coverage_floor(project: Project) -> float | None:
    """The coverage gate: [tool.coverage.report] fail_under or --cov-fail-under."""
    floor = project.tool("coverage.report").get("fail_under")
    if isinstance(floor, int | float):
        return float(floor)
    addopts = project.tool("pytest.ini_options").get("addopts", "")
    text = " ".join(cast("list[str]", addopts)) if isinstance(addopts, list) else str(addopts)
    found = re.search(r"--cov-fail-under[= ](\d+)", text + "\n" + pipeline_text(project))
    return float(found.group(1)) if found else None


@STANDARD.rule(
    "FLB-TEST-003",
    "Use pytest-cov for coverage reports; minimum 80% code coverage for services and repositories",
    section=TEST_TOOLS,
    level=MANDATORY,
)
def coverage_gate(project: Project) -> Verdict:
    """pytest-cov is a dev dependency and the coverage gate is at least 80%."""
    findings: list[Finding] = []
    if not project.uses("pytest-cov"):
        findings.append(Finding("no dependency on pytest-cov", "pyproject.toml"))
    floor = _coverage_floor(project)
    if floor is None or floor < MIN_COVERAGE:
        findings.append(Finding(f"coverage gate {floor or 'unset'}, not 80", "pyproject.toml"))
    return verdict_of(findings, ok="coverage gated at 80%", broken="no 80% coverage gate")


def _fixtures(module: ast.Module) -> list[Function]:
    """The pytest fixtures a module defines."""
    return [
        function
        for function in function_defs(module)
        if any("fixture" in name for name in decorator_names(function))
    ]


@STANDARD.rule(
    "FLB-TEST-004",
    "Use fixtures for common test data; create conftest.py for shared fixtures",
    section=TEST_TOOLS,
    level=MANDATORY,
)
def conftest_fixtures(project: Project) -> Verdict:
    """tests/conftest.py defines at least one fixture."""
    path = project.path("tests/conftest.py")
    module = project.tree(path) if path.is_file() else None
    if module is None:
        return failed("no tests/conftest.py", [Finding("missing", "tests/conftest.py")])
    if _fixtures(module):
        return passed("shared fixtures in tests/conftest.py")
    return failed("conftest.py defines no fixture", [Finding("no fixture", "tests/conftest.py")])


STANDARD.undecidable(
    "FLB-TEST-005",
    "Mock external dependencies (APIs, databases in unit tests)",
    section=TEST_TOOLS,
    level=MANDATORY,
    reason="Whether a unit test reaches a real dependency shows when it runs, not in its source.",
)


@STANDARD.rule(
    "FLB-TEST-006", "Use TestClient from FastAPI for API tests", section=TEST_TOOLS, level=MANDATORY
)
@_when_tests
def test_client(project: Project, modules: list[tuple[Path, ast.Module]]) -> Verdict:
    """The tests import FastAPI's (Starlette's) TestClient."""
    for _, module in modules:
        if {"fastapi.testclient", "starlette.testclient"} & {
            n.module for n in ast.walk(module) if isinstance(n, ast.ImportFrom) and n.module
        }:
            return passed("API tests use TestClient")
    clients = [
        f
        for path, _ in modules
        for f in project.grep(r"AsyncClient|ASGITransport", [path], "another client")
    ]
    return failed("no TestClient", clients[:1] or [Finding("no TestClient import", "tests")])


STANDARD.rule(
    "FLB-TEST-007",
    "Use factories (factory_boy) for test data generation",
    section=TEST_TOOLS,
    level=MANDATORY,
)(requires_dependency("factory-boy", dev=True))


STANDARD.rule(
    "FLB-TEST-008",
    "Organize tests in: unit/, integration/, e2e/ directories",
    section=TEST_STRUCTURE,
    level=MANDATORY,
)(
    requires_files(
        "tests/unit",
        "tests/integration",
        "tests/e2e",
        ok="unit, integration and e2e tests",
        broken="test directories missing",
    )
)


STANDARD.undecidable(
    "FLB-TEST-009",
    "Mirror application structure in test directories; keep test files close to code they test "
    "conceptually",
    section=TEST_STRUCTURE,
    level=MANDATORY,
    reason="Which code a test exercises, and so where it belongs, is a reading of the test; "
    "a behaviour often spans modules.",
)


@STANDARD.rule(
    "FLB-TEST-010", "Name test files: `test_<module>.py`", section=TEST_STRUCTURE, level=MANDATORY
)
@_when_tests
def test_file_names(project: Project, modules: list[tuple[Path, ast.Module]]) -> Verdict:
    """Every file that defines test functions is named test_*.py."""
    findings = [
        project.finding(path, None, "defines tests but is not named test_*.py")
        for path, module in modules
        if not path.name.startswith("test_")
        and any(
            f.name.startswith("test_")
            for f in module.body
            if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)
        )
    ]
    return verdict_of(findings, ok="test files are test_*.py", broken="misnamed test files")


@STANDARD.rule(
    "FLB-TEST-011",
    "Name test functions: `test_<function>_<scenario>_<expected_outcome>`",
    section=TEST_STRUCTURE,
    level=MANDATORY,
)
@_when_tests
def test_function_names(project: Project, modules: list[tuple[Path, ast.Module]]) -> Verdict:
    """Each test function's name has at least three words after ``test_``."""
    findings = [
        project.finding(
            path, function, f"{function.name}: not test_<function>_<scenario>_<outcome>"
        )
        for path, module in modules
        for function in function_defs(module)
        if function.name.startswith("test_")
        and len([w for w in function.name.removeprefix("test_").split("_") if w])
        < MIN_TEST_NAME_PARTS
    ]
    return verdict_of(
        findings, ok="test names say function, scenario and outcome", broken="short test names"
    )


STANDARD.undecidable(
    "FLB-TEST-012",
    "Follow Arrange-Act-Assert (AAA) pattern; one logical assertion per test",
    section=TEST_PRACTICES,
    level=MANDATORY,
    reason="Which statements arrange, act or assert, and which assertions are one logical "
    "check, is a reader's judgment.",
)
STANDARD.undecidable(
    "FLB-TEST-013",
    "Test happy path AND error cases; test edge cases and boundary conditions",
    section=TEST_PRACTICES,
    level=MANDATORY,
    reason="Which cases are the edges of a behaviour is a reviewer's reading of that behaviour.",
)
STANDARD.undecidable(
    "FLB-TEST-014",
    "NEVER test framework code (FastAPI, SQLAlchemy)",
    section=TEST_PRACTICES,
    level=NEVER,
    reason="Whether a test checks the framework or the service's use of it is a reviewer's "
    "reading.",
)
STANDARD.undecidable(
    "FLB-TEST-015",
    "Use parametrize for testing multiple inputs",
    section=TEST_PRACTICES,
    level=MANDATORY,
    reason="Which tests repeat one behaviour over several inputs is a reviewer's reading.",
)
STANDARD.undecidable(
    "FLB-TEST-016",
    "Clean up test data after each test",
    section=TEST_PRACTICES,
    level=MANDATORY,
    reason="What a test leaves behind shows when the suite runs.",
)


@STANDARD.rule(
    "FLB-TEST-017",
    "Use database transactions and rollback in integration tests",
    section=TEST_PRACTICES,
    level=MANDATORY,
)
@needs_database
@_when_tests
def rollback_in_tests(project: Project, modules: list[tuple[Path, ast.Module]]) -> Verdict:
    """A test fixture rolls back (rollback, begin_nested, savepoints)."""
    pattern = r"\.rollback\(|begin_nested|SAVEPOINT|join_transaction_mode"
    if any(re.search(pattern, path.read_text(errors="replace")) for path, _ in modules):
        return passed("tests roll their transactions back")
    return failed(
        "tests do not roll back", [Finding("no rollback in the test fixtures", "tests/conftest.py")]
    )


STANDARD.undecidable(
    "FLB-TEST-018",
    "Mock time-dependent code for deterministic tests",
    section=TEST_PRACTICES,
    level=MANDATORY,
    reason="Which code depends on the clock, and whether a test controls it, shows at run time.",
)

# ---------------------------------------------------- Performance Optimization

STANDARD.team(
    "FLB-PERF-001",
    "Use database-level constraints for data integrity",
    section=DB_PERFORMANCE,
    level=MANDATORY,
    reason="Which integrity rules the data obeys is the team's business domain.",
)


@STANDARD.rule(
    "FLB-PERF-002",
    "Implement query result caching for expensive queries and response caching for read-heavy "
    "endpoints (Redis)",
    section=DB_PERFORMANCE,
    level=MANDATORY,
)
@_needs_package
def redis_cache(project: Project) -> Verdict:
    """redis is a dependency and the package uses its asyncio client."""
    findings: list[Finding] = []
    if not project.depends_on("redis"):
        findings.append(Finding("no dependency on redis", "pyproject.toml"))
    elif not imports_of(project, "redis.asyncio") and not _package_source_matches(
        project, r"redis\.asyncio"
    ):
        findings.append(Finding("the package never uses redis.asyncio", package_where(project)))
    return verdict_of(findings, ok="a Redis cache", broken="no Redis cache")


@STANDARD.rule(
    "FLB-PERF-003",
    "Implement pagination for all list endpoints (default 20 items, max 100)",
    section=API_PERFORMANCE,
    level=MANDATORY,
)
@_when_routes
def page_size(project: Project, routes: list[Route]) -> Verdict:
    """Page-size query parameters default to 20 with le=100."""
    findings: list[Finding] = []
    sized = 0
    for path, module in project.modules():
        constants = _constants(module)
        for function in function_defs(module):
            arguments = (
                function.args.args[-len(function.args.defaults) :] if function.args.defaults else []
            )
            for arg, default in zip(arguments, function.args.defaults, strict=True):
                if arg.arg not in PAGE_SIZE_PARAMETERS or arg.annotation is None:
                    continue
                queries = [c for c, n in calls_in(arg.annotation) if n.endswith("Query")]
                if not queries:
                    continue
                sized += 1
                most = _evaluate(kwarg(queries[0], "le"), constants)
                given = _evaluate(default, constants)
                if most != PAGE_SIZE_MAX or given != PAGE_SIZE_DEFAULT:
                    findings.append(
                        project.finding(path, arg, f"{arg.arg}: default {given}, max {most}")
                    )
    if not sized:
        lists = [r for r in routes if r.method == "get" and not r.url.rstrip("/").endswith("}")]
        if not lists:
            return not_applicable("no list endpoint")
        findings.append(Finding("no page-size query parameter", package_where(project)))
    return verdict_of(findings, ok="pages of 20, at most 100", broken="pagination not 20/100")


@STANDARD.rule(
    "FLB-PERF-004",
    "Implement request timeout (30 seconds default)",
    section=API_PERFORMANCE,
    level=MANDATORY,
)
@_needs_package
def request_timeout(project: Project) -> Verdict:
    """A request timeout setting or constant of 30 seconds."""
    for path, module in project.modules():
        constants = _constants(module)
        for node in ast.walk(module):
            if isinstance(node, ast.AnnAssign | ast.Assign):
                targets = [node.target] if isinstance(node, ast.AnnAssign) else node.targets
                names = [t.id for t in targets if isinstance(t, ast.Name)]
                if any(re.search(r"request_timeout", n, re.IGNORECASE) for n in names):
                    value = _evaluate(
                        field_default(node) if isinstance(node, ast.AnnAssign) else node.value,
                        constants,
                    )
                    if value == REQUEST_TIMEOUT_SECONDS:
                        return passed(f"a 30-second request timeout in {project.rel(path)}")
                    return failed(
                        "request timeout is not 30 s",
                        [project.finding(path, node, f"timeout {value}")],
                    )
    return failed(
        "no request timeout",
        [Finding("no request_timeout setting or middleware", package_where(project))],
    )


STANDARD.undecidable(
    "FLB-PERF-005",
    "Monitor slow queries and optimize with EXPLAIN",
    section=DB_PERFORMANCE,
    level=MANDATORY,
    reason="Slow queries show in the running database, not in the files.",
)
STANDARD.team(
    "FLB-PERF-006",
    "Use database-specific features (PostgreSQL JSONB, full-text search)",
    section=DB_PERFORMANCE,
    level=MANDATORY,
    reason="Whether the data calls for JSONB or full-text search is the team's domain.",
)


@STANDARD.rule(
    "FLB-PERF-007",
    "Use bulk operations for multiple inserts/updates",
    section=DB_PERFORMANCE,
    level=MANDATORY,
)
@needs_database
@_needs_package
def bulk_operations(project: Project) -> Verdict:
    """No session.add()/execute() inside a loop."""
    findings: list[Finding] = []
    for path, module in project.modules():
        for loop in ast.walk(module):
            if isinstance(loop, ast.For | ast.AsyncFor | ast.While):
                findings += [
                    project.finding(path, call, f"{name}() once per loop iteration")
                    for statement in loop.body
                    for call, name in calls_in(statement)
                    if "." in name
                    and name.rsplit(".", 1)[-1] in {"add", "execute", "merge"}
                    and re.search(r"session|conn|db", name, re.IGNORECASE)
                ]
    return verdict_of(findings, ok="no statement per loop iteration", broken="row-by-row writes")


STANDARD.undecidable(
    "FLB-PERF-008",
    "Stream large responses when possible",
    section=API_PERFORMANCE,
    level=MANDATORY,
    reason="Which responses are large is a fact of the data at run time.",
)


def _http_clients(project: Project) -> list[tuple[Path, ast.Call, str]]:
    """Calls into httpx or aiohttp in the package."""
    return [
        (path, call, name)
        for path, module in project.modules()
        for call, name in calls_in(module)
        if name.split(".", 1)[0] in HTTP_CLIENT_MODULES
    ]


@STANDARD.rule(
    "FLB-PERF-009",
    "Use connection pooling for external HTTP clients",
    section=API_PERFORMANCE,
    level=MANDATORY,
)
@_needs_package
def pooled_http_clients(project: Project) -> Verdict:
    """No one-shot httpx.get()/post(), no client created per call inside a function."""
    calls = _http_clients(project)
    if not calls:
        return not_applicable("no external HTTP client")
    findings = [
        project.finding(path, call, f"{name}() opens a connection per request")
        for path, call, name in calls
        if name.rsplit(".", 1)[-1] in HTTP_METHODS | {"request", "stream"}
    ]
    for path, module in project.modules():
        for function in function_defs(module):
            for node in own_body(function):
                if isinstance(node, ast.AsyncWith | ast.With):
                    findings += [
                        project.finding(path, item.context_expr, "a client per call: no pooling")
                        for item in node.items
                        if re.search(
                            r"(AsyncClient|ClientSession|Client)\(", ast.unparse(item.context_expr)
                        )
                        and function.name not in {"lifespan"}
                    ]
    return verdict_of(findings, ok="HTTP clients are shared", broken="HTTP clients are not pooled")


@STANDARD.rule(
    "FLB-PERF-010",
    "Implement circuit breakers for external service calls",
    section=API_PERFORMANCE,
    level=MANDATORY,
)
@_needs_package
def circuit_breakers(project: Project) -> Verdict:
    """With an external HTTP client, a circuit breaker guards it."""
    if not _http_clients(project):
        return not_applicable("no external HTTP client")
    if any(
        project.depends_on(n) for n in ("pybreaker", "aiobreaker", "purgatory", "circuitbreaker")
    ) or _package_source_matches(project, r"circuit.?breaker"):
        return passed("a circuit breaker guards external calls")
    path, call, _ = _http_clients(project)[0]
    return failed("no circuit breaker", [project.finding(path, call, "unguarded external call")])


STANDARD.undecidable(
    "FLB-PERF-011",
    "Profile code to identify bottlenecks (cProfile, py-spy)",
    section=API_PERFORMANCE,
    level=MANDATORY,
    reason="Profiling is a practice of the team; its runs leave no file behind.",
)

# ------------------------------------------------------------ Async Best Practices


@STANDARD.rule(
    "FLB-ASYNC-001",
    "NEVER use blocking operations in async functions; avoid mixing sync and async code (use "
    "asyncio.to_thread() when necessary)",
    section=ASYNC,
    level=NEVER,
)
@_needs_package
def no_blocking_calls(project: Project) -> Verdict:
    """Blocking calls made directly in an ``async def`` of the package."""
    return verdict_of(
        calls_in_async(project, BLOCKING_CALLS),
        ok="no blocking call in any async def",
        broken="blocking calls run on the event loop",
    )


STANDARD.undecidable(
    "FLB-ASYNC-002",
    "Use asyncio.gather() for parallel async operations",
    section=ASYNC,
    level=MANDATORY,
    reason="Which awaits are independent of each other is a reading of the data they pass.",
)
STANDARD.undecidable(
    "FLB-ASYNC-003",
    "Use async context managers for resource management",
    section=ASYNC,
    level=MANDATORY,
    reason="Which objects hold resources is a fact about their types at run time; FLB-DB-006 "
    "checks the database sessions.",
)
STANDARD.undecidable(
    "FLB-ASYNC-004",
    "Use async generators for streaming data",
    section=ASYNC,
    level=MANDATORY,
    reason="Which data is streamed is decided at run time by its size.",
)
STANDARD.undecidable(
    "FLB-ASYNC-005",
    "Use asyncio.create_task() for fire-and-forget operations",
    section=ASYNC,
    level=MANDATORY,
    reason="Whether an awaited call could be fire-and-forget is a reading of its purpose.",
)
STANDARD.undecidable(
    "FLB-ASYNC-006",
    "Handle async timeouts with asyncio.wait_for()",
    section=ASYNC,
    level=MANDATORY,
    reason="Which awaits need a timeout depends on what they wait for at run time.",
)


@STANDARD.rule(
    "FLB-ASYNC-007", "Use async locks for shared resource access", section=ASYNC, level=MANDATORY
)
@_needs_package
def async_locks(project: Project) -> Verdict:
    """No threading lock in a module with async code."""
    findings = [
        project.finding(path, call, f"{name}() blocks the event loop; use asyncio.Lock")
        for path, module in project.modules()
        if any(isinstance(n, ast.AsyncFunctionDef) for n in ast.walk(module))
        for call, name in calls_in(module)
        if name in THREAD_LOCKS
    ]
    return verdict_of(
        findings, ok="no thread lock in async code", broken="thread locks in async code"
    )


# ------------------------------------------------------------------ Code Style


def _ruff_selected(project: Project, code: str) -> bool:
    """Whether ruff's configuration selects rule ``code`` (by a prefix of it) and does not
    ignore it globally."""
    lint = project.tool("ruff.lint") or project.tool("ruff")
    selected = [str(s) for s in lint.get("select", []) + lint.get("extend-select", [])]
    ignored = [str(s) for s in lint.get("ignore", [])]
    chosen = any(s == "ALL" or code.startswith(s) for s in selected)
    return chosen and not any(code.startswith(i) for i in ignored)


@STANDARD.rule(
    "FLB-STYLE-001",
    "Use Black for code formatting (line length 100)",
    section=STYLE,
    level=MANDATORY,
)
def black_100(project: Project) -> Verdict:
    """Black is a dev dependency or hook, with line-length 100."""
    findings: list[Finding] = []
    hooks = project.text(".pre-commit-config.yaml") or ""
    if not project.uses("black") and not re.search(r"\bblack\b", hooks):
        findings.append(Finding("Black is not used (no dependency, no hook)", "pyproject.toml"))
    length = project.tool("black").get("line-length") or project.tool("ruff").get("line-length")
    if length != BLACK_LINE_LENGTH:
        findings.append(Finding(f"line length {length or 88}, not 100", "pyproject.toml"))
    return verdict_of(findings, ok="Black at 100 columns", broken="not Black at 100 columns")


@STANDARD.rule(
    "FLB-STYLE-002",
    "Use Ruff for linting (replaces flake8, isort, etc.)",
    section=STYLE,
    level=MANDATORY,
)
def ruff_linting(project: Project) -> Verdict:
    """Ruff is a dev dependency with a configuration; flake8, isort, pylint are not."""
    findings = dependency_findings(project, ("flake8", "isort", "pylint", "pyflakes"))
    if not project.uses("ruff"):
        findings.append(Finding("no dependency on ruff", "pyproject.toml"))
    if not project.tool("ruff") and not project.exists("ruff.toml"):
        findings.append(Finding("no [tool.ruff] configuration", "pyproject.toml"))
    return verdict_of(findings, ok="Ruff lints", broken="not Ruff")


@STANDARD.rule(
    "FLB-STYLE-003",
    "Use MyPy for type checking with strict mode",
    section=STYLE,
    level=MANDATORY,
)
def mypy_strict(project: Project) -> Verdict:
    """mypy is a dev dependency and [tool.mypy] sets strict = true."""
    findings: list[Finding] = []
    if not project.uses("mypy"):
        findings.append(Finding("no dependency on mypy", "pyproject.toml"))
    strict = project.tool("mypy").get("strict") is True or re.search(
        r"^strict\s*=\s*(True|true)", project.text("mypy.ini") or "", re.MULTILINE
    )
    if not strict:
        findings.append(Finding("mypy is not in strict mode", "pyproject.toml"))
    return verdict_of(findings, ok="mypy --strict", broken="not mypy strict")


STANDARD.undecidable(
    "FLB-STYLE-004",
    "ALWAYS prefer classes to single functions",
    section=STYLE,
    level=MANDATORY,
    reason="When a class is preferable to a function is a design judgment; FLB-LAYER-004 checks "
    "the services.",
)


@STANDARD.rule(
    "FLB-STYLE-005",
    "Type hint ALL function signatures (args and return types)",
    section=STYLE,
    level=MANDATORY,
)
@_needs_package
def typed_signatures(project: Project) -> Verdict:
    """Every function of the package annotates its parameters and return."""
    findings: list[Finding] = []
    for path, module in project.modules():
        for function in function_defs(module):
            missing = unannotated(function)
            if function.returns is None and function.name != "__init__":
                missing.append("return")
            if missing:
                findings.append(
                    project.finding(
                        path, function, f"{function.name}: no type for {', '.join(missing)}"
                    )
                )
    return verdict_of(findings, ok="every signature is typed", broken="untyped signatures")


@STANDARD.rule(
    "FLB-STYLE-006",
    "Use descriptive variable names (no single letters except in loops)",
    section=STYLE,
    level=MANDATORY,
)
@_needs_package
def descriptive_names(project: Project) -> Verdict:
    """No single-letter parameter or assigned name outside loop and comprehension targets."""
    findings: list[Finding] = []
    for path, module in project.modules():
        loop_targets = {
            id(n)
            for node in ast.walk(module)
            if isinstance(node, ast.For | ast.AsyncFor | ast.comprehension)
            for n in ast.walk(node.target)
        }
        for node in ast.walk(module):
            if (
                isinstance(node, ast.Name)
                and isinstance(node.ctx, ast.Store)
                and len(node.id) == 1
                and node.id != "_"
                and id(node) not in loop_targets
            ):
                findings.append(project.finding(path, node, f"variable {node.id}"))
            elif isinstance(node, ast.arg) and len(node.arg) == 1 and node.arg != "_":
                findings.append(project.finding(path, node, f"parameter {node.arg}"))
    return verdict_of(findings, ok="names are descriptive", broken="single-letter names")


@STANDARD.rule("FLB-STYLE-007", "Maximum function length: 50 lines", section=STYLE, level=MANDATORY)
@_needs_package
def short_functions(project: Project) -> Verdict:
    """No function of the package spans more than 50 lines."""
    findings = [
        project.finding(path, function, f"{function.name} has {length} lines")
        for path, module in project.modules()
        for function in function_defs(module)
        if (length := (function.end_lineno or function.lineno) - function.lineno + 1)
        > MAX_FUNCTION_LINES
    ]
    return verdict_of(findings, ok="functions of 50 lines at most", broken="long functions")


@STANDARD.rule("FLB-STYLE-008", "Maximum file length: 500 lines", section=STYLE, level=MANDATORY)
def short_files(project: Project) -> Verdict:
    """No Python file under src/ or tests/ has more than 500 lines."""
    files = [p for d in ("src", "tests") if project.exists(d) for p in project.python_files(d)]
    if not files:
        return not_applicable("no Python files under src/ or tests/")
    findings = [
        Finding(f"{count} lines", project.rel(path))
        for path in files
        if (count := len(path.read_text(errors="replace").splitlines())) > MAX_FILE_LINES
    ]
    return verdict_of(findings, ok="files of 500 lines at most", broken="long files")


@STANDARD.rule(
    "FLB-STYLE-009",
    "Use docstrings (Google style) for all public functions and classes",
    section=STYLE,
    level=MANDATORY,
)
@_needs_package
def docstrings(project: Project) -> Verdict:
    """Public functions, classes and methods have docstrings; pydocstyle is set to google."""
    findings = [
        project.finding(path, node, f"{node.name} has no docstring")
        for path, module in project.modules()
        for node in _public_definitions(module.body)
        if ast.get_docstring(node) is None
    ]
    if project.tool("ruff.lint.pydocstyle").get("convention") != "google":
        findings.append(
            Finding("[tool.ruff.lint.pydocstyle] convention is not google", "pyproject.toml")
        )
    return verdict_of(findings, ok="Google-style docstrings", broken="missing docstrings")


def _public_definitions(
    body: list[ast.stmt],
) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef]:
    """The public functions and classes of ``body``, and the public methods of its public
    classes (nested functions are not public)."""
    for node in body:
        if isinstance(
            node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
        ) and not node.name.startswith("_"):
            yield node
            if isinstance(node, ast.ClassDef):
                yield from _public_definitions(node.body)


@STANDARD.rule("FLB-STYLE-010", "Follow PEP 8 naming conventions", section=STYLE, level=MANDATORY)
@_needs_package
def pep8_names(project: Project) -> Verdict:
    """Classes are CapWords, functions snake_case."""
    findings: list[Finding] = []
    for path, module in project.modules():
        for node in ast.walk(module):
            if isinstance(node, ast.ClassDef) and not re.fullmatch(
                r"_*[A-Z][A-Za-z0-9]*", node.name
            ):
                findings.append(project.finding(path, node, f"class {node.name} is not CapWords"))
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and not re.fullmatch(
                r"_*[a-z][a-z0-9_]*_*", node.name
            ):
                findings.append(
                    project.finding(path, node, f"function {node.name} is not snake_case")
                )
    return verdict_of(findings, ok="PEP 8 names", broken="names break PEP 8")


STANDARD.undecidable(
    "FLB-STYLE-011",
    "Use type aliases for complex type hints",
    section=STYLE,
    level=MANDATORY,
    reason="Which type hints are complex enough for an alias is a reviewer's judgment.",
)


def _nesting(
    function: ast.AST, depth: int = 1
) -> Iterator[tuple[ast.FunctionDef | ast.AsyncFunctionDef, int]]:
    """Each function nested in ``function``, with its depth (the outer one is 1)."""
    for node in own_body(function):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node, depth + 1
            yield from _nesting(node, depth + 1)


@STANDARD.rule(
    "FLB-STYLE-012",
    "Avoid nested functions deeper than 2 levels",
    section=STYLE,
    level=MANDATORY,
)
@_needs_package
def shallow_nesting(project: Project) -> Verdict:
    """No function is defined inside a function inside a function."""
    findings = [
        project.finding(path, inner, f"{inner.name} is nested {depth} levels deep")
        for path, module in project.modules()
        for node in module.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        for top in (
            [node]
            if not isinstance(node, ast.ClassDef)
            else [m for m in node.body if isinstance(m, ast.FunctionDef | ast.AsyncFunctionDef)]
        )
        for inner, depth in _nesting(top)
        if depth > MAX_FUNCTION_NESTING
    ]
    return verdict_of(
        findings, ok="functions nest 2 levels at most", broken="deeply nested functions"
    )


@STANDARD.rule(
    "FLB-STYLE-013", "Extract magic numbers into named constants", section=STYLE, level=MANDATORY
)
def magic_numbers(project: Project) -> Verdict:
    """Ruff's magic-number rule (PLR2004) is selected and not ignored."""
    if not project.tool("ruff"):
        return failed("no ruff configuration", [Finding("no [tool.ruff]", "pyproject.toml")])
    if _ruff_selected(project, "PLR2004"):
        return passed("ruff refuses magic numbers (PLR2004)")
    return failed("magic numbers are allowed", [Finding("PLR2004 not selected", "pyproject.toml")])


@STANDARD.rule(
    "FLB-TYPE-001", "Use Optional[T] for nullable values", section=TYPE_HINTS, level=MANDATORY
)
@_needs_package
def optional_for_nullable(project: Project) -> Verdict:
    """Nullable annotations are Optional[T], not ``T | None``."""
    findings: list[Finding] = []
    for path, module in project.modules():
        annotations = [
            a.annotation
            for a in ast.walk(module)
            if isinstance(a, ast.arg) and a.annotation is not None
        ]
        annotations += [n.returns for n in function_defs(module) if n.returns is not None]
        annotations += [n.annotation for n in ast.walk(module) if isinstance(n, ast.AnnAssign)]
        for annotation in annotations:
            for node in ast.walk(annotation):
                if (
                    isinstance(node, ast.BinOp)
                    and isinstance(node.op, ast.BitOr)
                    and any(
                        isinstance(side, ast.Constant) and side.value is None
                        for side in (node.left, node.right)
                    )
                ):
                    findings.append(
                        project.finding(path, node, f"{ast.unparse(node)}: use Optional[...]")
                    )
    return verdict_of(
        findings, ok="nullable values are Optional[T]", broken="T | None instead of Optional[T]"
    )


STANDARD.undecidable(
    "FLB-TYPE-002",
    "Use Union types or | for multiple types, generics (TypeVar) for reusable code, Protocol for "
    "structural typing and Literal for fixed value sets",
    section=TYPE_HINTS,
    level=MANDATORY,
    reason="Where each construct fits is a reviewer's reading of the code; mypy strict "
    "(FLB-STYLE-003) checks that the hints hold.",
)
STANDARD.undecidable(
    "FLB-TYPE-003",
    "Avoid using Any unless absolutely necessary",
    section=TYPE_HINTS,
    level=MANDATORY,
    reason="When Any is absolutely necessary is a reviewer's judgment.",
)

# ---------------------------------------------------------------- Documentation

STANDARD.undecidable(
    "FLB-DOC-001",
    "Document complex business logic with inline comments; document WHY not WHAT",
    section=CODE_DOCS,
    level=MANDATORY,
    reason="Whether a comment explains why, and which logic is complex, is a reader's judgment.",
)


@STANDARD.rule(
    "FLB-DOC-002",
    "Keep README.md updated with: description, setup, environment variables, API overview, "
    "development workflow, deployment, troubleshooting",
    section=CODE_DOCS,
    level=MANDATORY,
)
def readme_topics(project: Project) -> Verdict:
    """README.md has a heading for each topic."""
    text = project.text("README.md")
    if text is None:
        return failed("no README.md", [Finding("missing", "README.md")])
    headings = "\n".join(line for line in text.splitlines() if line.startswith("#"))
    findings = [
        Finding(f"no {topic} section", "README.md")
        for topic, pattern in README_TOPICS.items()
        if not re.search(pattern, headings, re.IGNORECASE)
    ]
    return verdict_of(
        findings, ok="README.md covers every topic", broken="README.md topics missing"
    )


@STANDARD.rule(
    "FLB-DOC-003",
    "Add descriptions to all endpoints using docstrings",
    section=API_DOCS,
    level=MANDATORY,
)
@_when_routes
def endpoint_docstrings(project: Project, routes: list[Route]) -> Verdict:
    """Each endpoint has a docstring or a description=."""
    findings = [
        project.finding(route.path, route.function, f"{route.function.name} has no description")
        for route in routes
        if ast.get_docstring(route.function) is None
        and kwarg(route.decorator, "description") is None
    ]
    return verdict_of(findings, ok="every endpoint is described", broken="undescribed endpoints")


@STANDARD.rule(
    "FLB-DOC-004",
    "Add examples to Pydantic schemas using Field(examples=[...])",
    section=API_DOCS,
    level=MANDATORY,
)
def schema_examples(project: Project) -> Verdict:
    """Each schema of schemas/ gives an example (Field examples or json_schema_extra)."""
    classes = _model_classes(project, "schemas")
    if not classes:
        return not_applicable("no schemas/")
    findings = [
        project.finding(path, cls, f"{cls.name} has no example")
        for path, cls in classes
        if not re.search(r"examples\s*=|json_schema_extra", ast.unparse(cls))
    ]
    return verdict_of(findings, ok="schemas carry examples", broken="schemas without examples")


@STANDARD.rule("FLB-DOC-005", "Document all error responses", section=API_DOCS, level=MANDATORY)
@_when_routes
def error_responses_documented(project: Project, routes: list[Route]) -> Verdict:
    """Each endpoint in the schema declares responses= (on itself or its router)."""
    documented_routers: set[Path] = set()
    for path, module in project.modules():
        for node in module.body:
            if (
                isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Call)
                and kwarg(node.value, "responses") is not None
            ):
                documented_routers.add(path)
    findings = [
        project.finding(
            route.path, route.function, f"{route.function.name} documents no error response"
        )
        for route in routes
        if kwarg(route.decorator, "responses") is None
        and route.path not in documented_routers
        and route.url.rstrip("/") not in ALWAYS_200
        and route.documented
    ]
    return verdict_of(
        findings, ok="error responses documented", broken="undocumented error responses"
    )


@STANDARD.rule(
    "FLB-DOC-006", "Include authentication requirements", section=API_DOCS, level=MANDATORY
)
@needs_auth
def auth_documented(project: Project) -> Verdict:
    """The security scheme is used through Depends(), so OpenAPI shows it."""
    schemes = {
        target.id
        for _, module in project.modules()
        for node in module.body
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Call)
        and dotted_name(node.value.func).rsplit(".", 1)[-1] in BEARER_SCHEMES
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    for _, module in project.modules():
        for call, name in calls_in(module):
            if (
                name.endswith("Depends")
                and call.args
                and isinstance(call.args[0], ast.Name)
                and call.args[0].id in schemes
            ):
                return passed("the OpenAPI document shows the security scheme")
    return failed(
        "authentication is not in the OpenAPI document",
        [Finding("no Depends(<security scheme>)", package_where(project))],
    )


@STANDARD.rule(
    "FLB-DOC-007", "Document rate limits and pagination", section=API_DOCS, level=MANDATORY
)
def rate_limits_documented(project: Project) -> Verdict:
    """README.md or docs/ mention rate limits and pagination."""
    findings = [
        Finding(f"{what} undocumented", "README.md")
        for what, pattern in (
            ("rate limits", r"rate.?limit"),
            ("pagination", r"paginat|per_page|page="),
        )
        if not _docs_match(project, pattern)
    ]
    return verdict_of(findings, ok="rate limits and pagination documented", broken="undocumented")


STANDARD.undecidable(
    "FLB-DOC-008",
    "Version documentation with API versions",
    section=API_DOCS,
    level=MANDATORY,
    reason="Which documentation belongs to which API version is seen across releases, not in one "
    "tree.",
)


@STANDARD.rule(
    "FLB-DOC-009",
    "Document architectural decisions in `docs/` directory (ADR format)",
    section=ARCHITECTURE_DOCS,
    level=MANDATORY,
)
def adrs(project: Project) -> Verdict:
    """docs/ holds numbered decision records."""
    records = [p for p in project.files("docs/**/*.md") if re.match(r"\d{3,4}-", p.name)]
    if records:
        return passed(f"{len(records)} decision record(s) in docs/")
    return failed("no ADRs", [Finding("no docs/**/NNNN-*.md decision record", "docs")])


STANDARD.rule(
    "FLB-DOC-010",
    "Create sequence diagrams for complex flows",
    section=ARCHITECTURE_DOCS,
    level=MANDATORY,
)(_documents(r"sequenceDiagram|@startuml", "sequence diagram"))


@STANDARD.rule(
    "FLB-DOC-011",
    "Document database schema with ER diagrams",
    section=ARCHITECTURE_DOCS,
    level=MANDATORY,
)
@needs_database
def er_diagram(project: Project) -> Verdict:
    """README.md or docs/ hold an ER diagram (Mermaid erDiagram or PlantUML entities)."""
    return _documents(r"erDiagram|@startuml[\s\S]*entity", "ER diagram")(project)


STANDARD.undecidable(
    "FLB-DOC-012",
    "Keep deployment documentation updated; document environment setup for different platforms",
    section=ARCHITECTURE_DOCS,
    level=MANDATORY,
    reason="Whether documentation matches the deployments and platforms in use needs those, "
    "which the tree does not hold; FLB-DOC-002 checks README.md has a deployment section.",
)
STANDARD.rule(
    "FLB-DOC-013",
    "Create runbooks for common operations",
    section=ARCHITECTURE_DOCS,
    level=MANDATORY,
)(_documents(r"^#+.*runbook", "runbook"))
STANDARD.rule(
    "FLB-DOC-014",
    "Document monitoring and alerting setup",
    section=ARCHITECTURE_DOCS,
    level=MANDATORY,
)(_documents(r"^#+.*(alert)", "alerting section"))

# ----------------------------------------------------- Monitoring & Observability


def _health_routes(routes: list[Route]) -> list[Route]:
    """The endpoints under /health."""
    return [r for r in routes if r.url.rstrip("/").startswith("/health")]


@STANDARD.rule(
    "FLB-OBS-001",
    "Implement `/health` endpoint (always returns 200)",
    section=HEALTH,
    level=MANDATORY,
)
@_when_routes
def health_endpoint(project: Project, routes: list[Route]) -> Verdict:
    """GET /health exists."""
    if any(r.method == "get" and r.url.rstrip("/") == "/health" for r in routes):
        return passed("GET /health")
    return failed("no /health", [Finding("no GET /health endpoint", package_where(project))])


@STANDARD.rule(
    "FLB-OBS-002",
    "Implement `/health/ready` endpoint (checks database, cache, external services)",
    section=HEALTH,
    level=MANDATORY,
)
@_when_routes
def ready_endpoint(project: Project, routes: list[Route]) -> Verdict:
    """GET /health/ready exists and, with a database, checks it."""
    ready = [r for r in routes if r.method == "get" and r.url.rstrip("/") == "/health/ready"]
    if not ready:
        return failed(
            "no /health/ready", [Finding("no GET /health/ready endpoint", package_where(project))]
        )
    route = ready[0]
    if _has_database(project) and not re.search(
        r"database|db|session|engine", _with_callees(project, route), re.IGNORECASE
    ):
        return failed(
            "readiness skips the database",
            [project.finding(route.path, route.function, "no database check")],
        )
    return passed("GET /health/ready checks the dependencies")


def _health_text(project: Project, routes: list[Route]) -> str:
    """The source of the health endpoints' modules, of the package modules they
    import from (where a router's work is often done), and of the schemas they return.
    """
    files = {r.path for r in _health_routes(routes)}
    files |= {imported for path in set(files) for imported in _package_imports(project, path)}
    texts = [path.read_text(errors="replace") for path in sorted(files)]
    returned = {
        ast.unparse(r.function.returns)
        for r in _health_routes(routes)
        if r.function.returns is not None
    }
    texts += [ast.unparse(cls) for _, cls in _model_classes(project) if cls.name in returned]
    return "\n".join(texts)


def _package_imports(project: Project, path: Path) -> set[Path]:
    """The project's own modules that ``path`` imports names from."""
    package, tree = project.package, project.tree(path)
    if package is None or tree is None:
        return set()
    found: set[Path] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            parts = node.module.split(".")
            if parts[0] != package.name:
                continue
            base = package.parent.joinpath(*parts)
            found |= {f for f in (base.with_suffix(".py"), base / "__init__.py") if f.is_file()}
    return found


def _with_callees(project: Project, route: Route) -> str:
    """The source of a route's function and of the package functions it calls by name."""
    called = {
        node.func.id
        for node in ast.walk(route.function)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    texts = [ast.unparse(route.function)]
    for path in sorted(_package_imports(project, route.path)):
        tree = project.tree(path)
        texts += [
            ast.unparse(node)
            for node in (tree.body if tree is not None else [])
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name in called
        ]
    return "\n".join(texts)


def _health_includes(pattern: str, what: str) -> Check:
    """A check that the health endpoints' code or response schema has ``what``."""

    @_when_routes
    def check(project: Project, routes: list[Route]) -> Verdict:
        if not _health_routes(routes):
            return failed(
                "no health endpoint", [Finding("no /health endpoint", package_where(project))]
            )
        if re.search(pattern, _health_text(project, routes), re.IGNORECASE):
            return passed(f"the health response has {what}")
        route = _health_routes(routes)[0]
        return failed(
            f"the health response has no {what}",
            [project.finding(route.path, route.function, f"no {what}")],
        )

    return check


STANDARD.rule(
    "FLB-OBS-003",
    "Include version information in health response",
    section=HEALTH,
    level=MANDATORY,
)(_health_includes(r"\bversion\b", "version"))


@STANDARD.rule(
    "FLB-OBS-004",
    "Include build timestamp and commit hash",
    section=HEALTH,
    level=MANDATORY,
)
def build_information(project: Project) -> Verdict:
    """The health response carries a build time and a commit hash."""
    findings: list[Finding] = []
    for what, pattern in (
        ("build timestamp", r"build_?(time|date|timestamp)|built_at"),
        ("commit hash", r"commit|git_?sha|revision"),
    ):
        verdict = _health_includes(pattern, what)(project)
        if verdict.passed is None:
            return verdict
        findings += verdict.findings
    return verdict_of(
        findings, ok="build time and commit in the health response", broken="no build information"
    )


STANDARD.rule(
    "FLB-OBS-005",
    "Return degraded state if non-critical services are down",
    section=HEALTH,
    level=MANDATORY,
)(_health_includes(r"degraded", "degraded state"))


STANDARD.rule(
    "FLB-OBS-006",
    "Use prometheus_client for metrics collection",
    section=METRICS,
    level=MANDATORY,
)(requires_dependency("prometheus-client"))


METRIC_FACTORIES = ("Counter", "Histogram", "Summary")


@STANDARD.rule(
    "FLB-OBS-007",
    "Track request count, response time, error rate by endpoint, labelled by endpoint, method "
    "and status",
    section=METRICS,
    level=MANDATORY,
)
@_needs_package
def request_metrics(project: Project) -> Verdict:
    """A Counter labelled by endpoint, method and status, and a latency Histogram."""
    counters: list[str] = []
    timers = 0
    for _, module in project.modules():
        for call, name in calls_in(module):
            last = name.rsplit(".", 1)[-1]
            if last == "Counter" and len(call.args) >= 3:
                counters.append(ast.unparse(call.args[2]))
            elif last == "Counter":
                labels = kwarg(call, "labelnames")
                counters.append(ast.unparse(labels) if labels is not None else "")
            elif last in {"Histogram", "Summary"}:
                timers += 1
    findings: list[Finding] = []
    labelled = [
        c
        for c in counters
        if re.search(r"route|endpoint|path|handler", c) and "method" in c and "status" in c
    ]
    if not labelled:
        findings.append(
            Finding("no request Counter labelled endpoint, method, status", package_where(project))
        )
    if not timers:
        findings.append(Finding("no Histogram of response times", package_where(project)))
    return verdict_of(
        findings,
        ok="request count, latency and errors by endpoint",
        broken="request metrics missing",
    )


# A metric reports the connection pool (a collector or gauge of the pool).
STANDARD.rule(
    "FLB-OBS-008",
    "Monitor database connection pool usage",
    section=METRICS,
    level=MANDATORY,
)(
    needs_database(
        _source_has(
            r"(Gauge|Collector|GaugeMetricFamily)[\s\S]{0,2000}\bpool\b"
            r"|\bpool\b[\s\S]{0,2000}(Gauge|Collector)",
            ok="the connection pool is measured",
            broken="the pool is not measured",
            missing="no pool metric",
        )
    )
)


STANDARD.team(
    "FLB-OBS-009",
    "Track business metrics (signups, transactions, etc.)",
    section=METRICS,
    level=MANDATORY,
    reason="Which events the business counts is the team's domain.",
)


@STANDARD.rule(
    "FLB-OBS-010", "Expose metrics endpoint: `/metrics`", section=METRICS, level=MANDATORY
)
@_needs_package
def metrics_endpoint(project: Project) -> Verdict:
    """GET /metrics is routed, or prometheus' ASGI app is mounted there."""
    if any(r.url.rstrip("/") == "/metrics" for r in _routes(project)) or _mentions(
        project, r"^/metrics$"
    ):
        return passed("/metrics is exposed")
    return failed("no /metrics", [Finding("no /metrics endpoint", package_where(project))])


@STANDARD.rule(
    "FLB-OBS-011",
    "Monitor memory usage and garbage collection",
    section=METRICS,
    level=MANDATORY,
)
@_needs_package
def process_metrics(project: Project) -> Verdict:
    """The default registry (process and GC collectors) is used, or an own registry adds them."""
    own_registry = _package_source_matches(project, r"CollectorRegistry\(")
    if not own_registry:
        return passed("the default registry exports process and GC metrics")
    findings = [
        Finding(f"own registry without {collector}", package_where(project))
        for collector in ("ProcessCollector", "GCCollector")
        if not _package_source_matches(project, rf"\b{collector}\(")
    ]
    return verdict_of(
        findings, ok="memory and GC are measured", broken="memory and GC not measured"
    )


@STANDARD.rule(
    "FLB-OBS-012",
    "Add correlation IDs to all requests (generate at entry point)",
    section=TRACING,
    level=MANDATORY,
)
@_needs_package
def correlation_ids(project: Project) -> Verdict:
    """A middleware reads or generates X-Request-ID (or X-Correlation-ID) with uuid."""
    if _mentions(project, r"x-(request|correlation)-id") and _package_source_matches(
        project, r"uuid"
    ):
        return passed("requests get a correlation ID")
    return failed(
        "no correlation ID", [Finding("no X-Request-ID middleware", package_where(project))]
    )


@STANDARD.rule(
    "FLB-OBS-013",
    "Pass correlation IDs to external services in headers",
    section=TRACING,
    level=MANDATORY,
)
@_needs_package
def correlation_forwarded(project: Project) -> Verdict:
    """With an external HTTP client, the correlation header (or trace propagation) is sent."""
    calls = _http_clients(project)
    if not calls:
        return not_applicable("no external HTTP client")
    if (
        _mentions(project, r"x-(request|correlation)-id")
        and _package_source_matches(project, r"headers")
    ) or _package_source_matches(
        project, r"HTTPXClientInstrumentor|AioHttpClientInstrumentor|propagate\.inject"
    ):
        return passed("outgoing calls carry the correlation ID")
    path, call, _ = calls[0]
    return failed(
        "correlation IDs stop at the service",
        [project.finding(path, call, "no correlation header")],
    )


STANDARD.rule(
    "FLB-OBS-014",
    "Use OpenTelemetry for distributed tracing (recommended)",
    section=TRACING,
    level="RECOMMENDED",
)(requires_dependency("opentelemetry-sdk", "opentelemetry-api"))


@STANDARD.rule(
    "FLB-OBS-015",
    "Instrument database queries and external API calls",
    section=TRACING,
    level=MANDATORY,
)
@_needs_package
def instrumented_calls(project: Project) -> Verdict:
    """Database and HTTP-client calls produce spans (instrumentor or own spans)."""
    findings: list[Finding] = []
    if _has_database(project) and not (
        any(
            project.depends_on(f"opentelemetry-instrumentation-{n}")
            for n in ("sqlalchemy", "asyncpg", "psycopg")
        )
        or _package_source_matches(
            project, r"(SQLAlchemyInstrumentor|AsyncPGInstrumentor|before_cursor_execute)"
        )
    ):
        findings.append(Finding("database queries produce no span", package_where(project)))
    if _http_clients(project) and not (
        any(
            project.depends_on(f"opentelemetry-instrumentation-{n}")
            for n in ("httpx", "aiohttp-client")
        )
    ):
        findings.append(Finding("external HTTP calls produce no span", package_where(project)))
    return verdict_of(findings, ok="queries and external calls are traced", broken="calls untraced")


@STANDARD.rule(
    "FLB-OBS-016",
    "Add custom spans for important business operations",
    section=TRACING,
    level=MANDATORY,
)
def business_spans(project: Project) -> Verdict:
    """The services open spans (start_as_current_span/start_span)."""
    modules = _layer(project, "services")
    if not modules:
        return not_applicable("no services/")
    if any(
        name.endswith(("start_as_current_span", "start_span"))
        for _, m in modules
        for _, name in calls_in(m)
    ):
        return passed("services open spans")
    return failed(
        "no business spans",
        [Finding("no span opened in services/", package_where(project, "services"))],
    )


STANDARD.undecidable(
    "FLB-OBS-017",
    "Set up alerts for: high error rates, slow responses, service unavailability, and security "
    "events (failed auth attempts, rate limit hits)",
    section=ALERTING,
    level=MANDATORY,
    reason="Alert rules live in the monitoring system of the deployment, not in the service's "
    "repository.",
)
STANDARD.undecidable(
    "FLB-OBS-018",
    "Configure different alert levels (warning, critical) with runbook links and thresholds "
    "that avoid alert fatigue",
    section=ALERTING,
    level=MANDATORY,
    reason="Alert levels and thresholds are set in the monitoring system of the deployment.",
)

# ---------------------------------------------------------- Development Workflow

STANDARD.rule("FLB-HOOK-001", "Use pre-commit framework", section=HOOKS, level=MANDATORY)(
    _hook(r"^repos:", "configured")
)
STANDARD.rule("FLB-HOOK-002", "Run Black for formatting", section=HOOKS, level=MANDATORY)(
    _hook(r"(id|entry):.*\bblack\b", "runs Black")
)
STANDARD.rule("FLB-HOOK-003", "Run Ruff for linting", section=HOOKS, level=MANDATORY)(
    _hook(r"(id|entry):.*\bruff(-check)?\b(?!-format)(?! format)", "runs Ruff")
)
STANDARD.rule("FLB-HOOK-004", "Run MyPy for type checking", section=HOOKS, level=MANDATORY)(
    _hook(r"(id|entry):.*\bmypy\b", "runs MyPy")
)
STANDARD.rule(
    "FLB-HOOK-005", "Check for secrets in commits (detect-secrets)", section=HOOKS, level=MANDATORY
)(_hook(r"(id|entry):.*detect-secrets", "runs detect-secrets"))
STANDARD.rule("FLB-HOOK-006", "Run quick tests on commit", section=HOOKS, level=MANDATORY)(
    _hook(r"(id|entry):.*\bpytest\b", "runs tests")
)
STANDARD.rule("FLB-HOOK-007", "Validate commit message format", section=HOOKS, level=MANDATORY)(
    _hook(r"commit-msg", "checks commit messages")
)
STANDARD.rule("FLB-HOOK-008", "Check for merge conflicts", section=HOOKS, level=MANDATORY)(
    _hook(r"check-merge-conflict", "checks for merge conflicts")
)


# A conventional-commit linter runs (hook or CI).
STANDARD.rule(
    "FLB-GIT-001",
    "Use conventional commits (feat:, fix:, docs:, refactor:, test:, chore:, perf:, ci:)",
    section=GIT,
    level=MANDATORY,
)(
    _hook_or_ci(
        r"conventional-pre-commit|commitizen|commitlint|gitlint",
        ok="commit messages are checked for the conventional format",
        broken="nothing checks conventional commits",
        missing="no conventional-commit linter",
    )
)


STANDARD.undecidable(
    "FLB-GIT-002",
    "Branch naming: feature/description, bugfix/description, hotfix/description",
    section=GIT,
    level=MANDATORY,
    reason="Branch names live in the hosting service, not in the tree.",
)
STANDARD.undecidable(
    "FLB-GIT-003",
    "Squash commits before merging to main; rebase feature branches on main regularly",
    section=GIT,
    level=MANDATORY,
    reason="How branches are merged is a setting of the hosting service and a habit of the team.",
)
STANDARD.undecidable(
    "FLB-GIT-004",
    "Write meaningful commit messages (what and why); keep commits atomic and focused on single "
    "change",
    section=GIT,
    level=MANDATORY,
    reason="Commits are in the history, not in one tree, and their focus is a reader's judgment.",
)


@STANDARD.rule(
    "FLB-GIT-005",
    "NEVER commit .env, logs/, __pycache__/, or .pytest_cache/",
    section=GIT,
    level=NEVER,
)
def never_committed(project: Project) -> Verdict:
    """.gitignore ignores each of them."""
    ignored = gitignore_patterns(project)
    findings = [
        Finding(f"{entry} not ignored", ".gitignore")
        for entry in GITIGNORE_NEVER_COMMIT
        if not _ignores(ignored, entry)
    ]
    return verdict_of(findings, ok=".gitignore keeps them out", broken=".gitignore lets them in")


@STANDARD.rule("FLB-GIT-006", "Use .gitignore comprehensively", section=GIT, level=MANDATORY)
def comprehensive_gitignore(project: Project) -> Verdict:
    """.gitignore covers virtualenvs, bytecode, tool caches, coverage and builds."""
    if not project.exists(".gitignore"):
        return failed("no .gitignore", [Finding("missing", ".gitignore")])
    ignored = gitignore_patterns(project)
    findings = [
        Finding(f"{entry} not ignored", ".gitignore")
        for entry in GITIGNORE_COMPREHENSIVE
        if not _ignores(ignored, entry)
    ]
    return verdict_of(findings, ok=".gitignore is comprehensive", broken=".gitignore has gaps")


STANDARD.undecidable(
    "FLB-REVIEW-001",
    "All code must be reviewed before merging",
    section=REVIEW,
    level=MANDATORY,
    reason="Required reviews are a branch-protection setting of the hosting service.",
)
STANDARD.undecidable(
    "FLB-REVIEW-002",
    "Review checks logic, security, test coverage, documentation, performance, error handling, "
    "logging and migrations; review tests alongside implementation",
    section=REVIEW,
    level=MANDATORY,
    reason="What a reviewer looked at leaves no trace in the files.",
)
STANDARD.undecidable(
    "FLB-REVIEW-003",
    "No merge with failing tests or linting errors",
    section=REVIEW,
    level=MANDATORY,
    reason="Required status checks are a branch-protection setting of the hosting service; "
    "FLB-CI-001 and FLB-CI-002 check that CI runs them.",
)


@STANDARD.rule(
    "FLB-CI-001",
    "Run linting (Ruff, Black, MyPy) on every commit",
    section=PIPELINE,
    level=MANDATORY,
)
def ci_linting(project: Project) -> Verdict:
    """CI (or a recipe it runs) runs Ruff, Black and MyPy."""
    files = ci_files(project)
    if not files:
        return failed("no CI pipeline", [Finding("no .github/workflows or .gitlab-ci.yml")])
    text = pipeline_text(project)
    findings = [
        Finding(f"CI does not run {tool}", project.rel(files[0]))
        for tool in ("ruff", "black", "mypy")
        if not re.search(rf"\b{tool}\b", text)
    ]
    return verdict_of(findings, ok="CI runs Ruff, Black and MyPy", broken="CI skips linters")


STANDARD.rule(
    "FLB-CI-002",
    "Run full test suite with coverage report (in CI/CD)",
    section=PIPELINE,
    level=MANDATORY,
)(_ci(r"pytest[^\n]*--cov", "run the tests with coverage"))


@STANDARD.rule(
    "FLB-CI-003",
    "Build Docker image and push to registry",
    section=PIPELINE,
    level=MANDATORY,
)
@when_dockerfile
def image_pushed(project: Project) -> Verdict:
    """CI builds the image and pushes it."""
    findings: list[Finding] = []
    for what, pattern in (
        ("build", r"docker build|buildx build|build-push-action|kaniko"),
        ("push", r"docker push|push:\s*true|--push\b"),
    ):
        if not re.search(pattern, pipeline_text(project)):
            findings.append(
                Finding(
                    f"CI does not {what} the image",
                    project.rel(ci_files(project)[0]) if ci_files(project) else None,
                )
            )
    return verdict_of(findings, ok="CI builds and pushes the image", broken="image not published")


STANDARD.rule(
    "FLB-CI-004",
    "Run security scanning (Bandit, Safety)",
    section=PIPELINE,
    level=MANDATORY,
)(
    _ci(
        r"(?=[\s\S]*\bbandit\b)(?=[\s\S]*\b(safety|pip-audit)\b)",
        "run Bandit and Safety (or pip-audit)",
    )
)
STANDARD.rule(
    "FLB-CI-005",
    "Deploy to staging automatically on merge to main",
    section=PIPELINE,
    level=MANDATORY,
)(
    _ci(
        r"environment:\s*(name:\s*)?staging|deploy[\w-]*staging|staging[\w-]*deploy",
        "deploy to staging",
    )
)
STANDARD.rule(
    "FLB-CI-006",
    "Require manual approval for production deployments",
    section=PIPELINE,
    level=MANDATORY,
)(_ci(r"environment:\s*(name:\s*)?production|when:\s*manual", "gate production behind an approval"))


@STANDARD.rule(
    "FLB-CI-007",
    "Run database migrations automatically",
    section=PIPELINE,
    level=MANDATORY,
)
@needs_database
def migrations_run(project: Project) -> Verdict:
    """CI, compose or the image runs ``alembic upgrade`` on deploy."""
    text = (
        pipeline_text(project)
        + (project.text("compose.yaml") or "")
        + (project.text("docker-compose.yml") or "")
        + (dockerfile(project) or "")
    )
    if re.search(r"alembic[\"',\s]+upgrade", text):
        return passed("migrations run on deploy")
    return failed(
        "migrations are run by hand",
        [Finding("no alembic upgrade in CI, compose or image", "compose.yaml")],
    )


STANDARD.rule(
    "FLB-CI-008",
    "Perform smoke tests after deployment",
    section=PIPELINE,
    level=MANDATORY,
)(_ci(r"smoke", "smoke-test the deployment"))

# ------------------------------------------------------------ Dependency Security

STANDARD.undecidable(
    "FLB-DEPSEC-001",
    "Review dependency licenses before adding",
    section=DEPENDENCY_SECURITY,
    level=MANDATORY,
    reason="A license review is a step of the team's process that leaves no trace in the files.",
)


@STANDARD.rule(
    "FLB-DEPSEC-002",
    "Use `pip-audit` or `safety` to check for vulnerabilities; avoid dependencies with known "
    "security issues",
    section=DEPENDENCY_SECURITY,
    level=MANDATORY,
)
def vulnerability_scan(project: Project) -> Verdict:
    """pip-audit or safety is a dev dependency and CI runs it."""
    findings: list[Finding] = []
    if not (project.uses("pip-audit") or project.uses("safety")):
        findings.append(Finding("no dependency on pip-audit or safety", "pyproject.toml"))
    if not re.search(r"\b(pip-audit|safety)\b", pipeline_text(project)):
        findings.append(Finding("CI runs no vulnerability scan", ".github/workflows"))
    return verdict_of(findings, ok="dependencies are scanned", broken="no vulnerability scan")


STANDARD.undecidable(
    "FLB-DEPSEC-003",
    "Review dependency tree for unexpected packages",
    section=DEPENDENCY_SECURITY,
    level=MANDATORY,
    reason="A review is a step of the team's process; which packages are unexpected is its "
    "judgment.",
)


@STANDARD.rule(
    "FLB-DEPSEC-004",
    "Use dependabot or similar for automated security updates",
    section=DEPENDENCY_SECURITY,
    level=MANDATORY,
)
def automated_updates(project: Project) -> Verdict:
    """Dependabot updates the Python dependencies, or Renovate is configured."""
    dependabot = project.text(".github/dependabot.yml") or project.text(".github/dependabot.yaml")
    if dependabot is not None:
        if re.search(r"package-ecosystem:\s*[\"']?(uv|pip)\b", dependabot):
            return passed("Dependabot updates the Python dependencies")
        return failed(
            "Dependabot skips Python", [Finding("no uv or pip ecosystem", ".github/dependabot.yml")]
        )
    if any(
        project.exists(n)
        for n in ("renovate.json", "renovate.json5", ".renovaterc", ".github/renovate.json")
    ):
        return passed("Renovate updates the dependencies")
    return failed(
        "no automated updates", [Finding("no Dependabot or Renovate configuration", ".github")]
    )


# ------------------------------------------------------------ Environment Management


@STANDARD.rule(
    "FLB-ENV-001",
    "Use environment-specific `.env` files (`.env.dev`, `.env.staging`, `.env.prod`)",
    section=ENVIRONMENTS,
    level=MANDATORY,
)
def environment_files(project: Project) -> Verdict:
    """Each environment has its .env file or its committed .example."""
    findings = [
        Finding(f"no {name} (or {name}.example)", name)
        for name in ENVIRONMENT_FILES
        if not (project.exists(name) or project.exists(f"{name}.example"))
    ]
    return verdict_of(
        findings, ok="an .env file per environment", broken="environment files missing"
    )


STANDARD.undecidable(
    "FLB-ENV-002",
    "NEVER use production credentials in development",
    section=ENVIRONMENTS,
    level=NEVER,
    reason="Credentials are set in each deployment's environment, which no file of the tree holds.",
)
STANDARD.undecidable(
    "FLB-ENV-003",
    "Use different databases for each environment",
    section=ENVIRONMENTS,
    level=MANDATORY,
    reason="Which database each deployment uses is set in its environment, outside the tree.",
)
STANDARD.undecidable(
    "FLB-ENV-004",
    "Test migrations in staging before production",
    section=ENVIRONMENTS,
    level=MANDATORY,
    reason="Where migrations ran first is a fact of the deployments, not of the files.",
)
STANDARD.team(
    "FLB-ENV-005",
    "Use feature flags for gradual rollouts",
    section=ENVIRONMENTS,
    level=MANDATORY,
    reason="Which changes roll out gradually, and through which flag service, is the team's "
    "release decision.",
)
STANDARD.undecidable(
    "FLB-ENV-006",
    "Implement blue-green or canary deployments",
    section=ENVIRONMENTS,
    level=MANDATORY,
    reason="The deployment strategy is a property of the platform the service runs on, which the "
    "tree does not describe.",
)
