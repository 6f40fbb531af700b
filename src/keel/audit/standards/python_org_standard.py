"""The rule catalogue of python-org-standard.md.

The standard states most of its practices with "should"; its hard words are
**mandatory** (§2.1's tools, §4.2's directories, §4.4's files, §13.7's
``.dockerignore``, §27.1's JSON logs), "must", "required", "never", "always"
(recorded as MUST: the engine has no ALWAYS level) and "prohibited" (§2.2's
legacy tools, §3.18's password hashes: recorded as NEVER). Every one of those is
a rule here; the "should" practices are rules where a file can show them cheaply.
"""

from __future__ import annotations

import ast
import re
import tomllib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from keel.audit.checks import (
    calls_in_async,
    dependency_findings,
    gitignored,
    imports_of,
    items,
    lock_root,
    mapping,
    missing_files,
    only_if,
    package_where,
    requires_dependency,
    requires_file,
    requires_files,
)
from keel.audit.docker import (
    dockerfile,
    dockerfile_user,
    final_stage,
    instructions,
    when_dockerfile,
)
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
from keel.audit.pipeline import (
    ci_commands,
    ci_files,
    ci_text,
    justfile,
    pre_commit_text,
    recipes,
    triggers,
    workflows,
    yaml_data,
)
from keel.audit.project import Project, normalize, requirement_name
from keel.audit.pyast import (
    LOG_LEVELS,
    decorator_names,
    dotted_name,
    field_default,
    imported_modules,
    is_constant,
    kwarg,
    logger_calls,
    module_calls,
    modules_in,
    name_matches,
    own_body,
    settings_classes,
    string_values,
    within,
)

STANDARD = Standard(
    name="python-org-standard",
    title="Python Development Standards",
    prefix="ORG",
)

# ---------------------------------------------------------------- vocabulary

# Web frameworks (§18.1: FastAPI is the standard one) and ASGI servers (§3.4).
WEB_FRAMEWORKS = (
    "fastapi",
    "starlette",
    "litestar",
    "flask",
    "django",
    "quart",
    "sanic",
    "tornado",
    "falcon",
    "bottle",
    "pyramid",
)
OTHER_ASGI_SERVERS = ("uvicorn", "hypercorn", "gunicorn", "daphne")

# Tools that belong in a development group, never in [project] dependencies (§5.1).
DEV_TOOLS = (
    "pytest",
    "pytest-cov",
    "pytest-asyncio",
    "pytest-xdist",
    "pytest-mock",
    "coverage",
    "pytest-benchmark",
    "hypothesis",
    "faker",
    "factory-boy",
    "testcontainers",
    "nox",
    "tox",
    "ruff",
    "pyright",
    "mypy",
    "black",
    "isort",
    "flake8",
    "pylint",
    "pre-commit",
    "rust-just",
    "bandit",
    "pip-audit",
    "safety",
    "detect-secrets",
)

# §2.2: the legacy tools each mandatory tool replaces.
LINT_LEGACY = ("flake8", "black", "isort", "autopep8", "yapf", "pylint")
LINT_LEGACY_FILES = (".flake8", ".pylintrc", "pylintrc", ".isort.cfg")
PACKAGING_LEGACY_FILES = ("poetry.lock", "Pipfile", "Pipfile.lock")
PACKAGING_LEGACY_COMMAND = re.compile(
    r"(?<!uv )(?<![\w-])(pip3? install|pip-compile|pip-sync|pipenv |poetry |pyenv )"
)
MYPY_COMMAND = re.compile(r"(?<![\w./-])mypy(?![\w.-])")
TOX_COMMAND = re.compile(r"(?<![\w./-])tox(?![\w.-])")

# §6.1: the Ruff rule categories to enable.
RUFF_CATEGORIES = (
    "F",
    "E",
    "W",
    "I",
    "N",
    "D",
    "UP",
    "B",
    "SIM",
    "C4",
    "DTZ",
    "T20",
    "S",
    "A",
    "ANN",
    "ASYNC",
    "PT",
    "RET",
    "PTH",
    "PL",
    "TRY",
    "PERF",
    "RUF",
)

# §11.4: the hooks to run before each commit: name -> a regex over "id :: entry".
PRE_COMMIT_HOOKS = {
    "ruff check": r"^(ruff|ruff-check) ::|ruff check",
    "ruff format": r"^ruff-format ::|ruff format",
    "pyright": r"pyright",
    "conventional-pre-commit": r"conventional-pre-commit",
    "trailing-whitespace": r"trailing-whitespace",
    "end-of-file-fixer": r"end-of-file-fixer",
    "check-yaml": r"check-yaml",
    "check-toml": r"check-toml",
    "detect-secrets": r"detect-secrets|gitleaks",
    "no-commit-to-branch": r"no-commit-to-branch",
}

# §13.4: the Python variables the image sets to 1.
PYTHON_ENV = ("PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED", "PYTHONFAULTHANDLER")

# §13.7: what .dockerignore excludes, by category: any one pattern shows the category.
DOCKERIGNORE_CATEGORIES = {
    "Git": (".git",),
    "Python": ("__pycache__", "*.pyc", "*.py[cod]", "**/__pycache__"),
    "virtualenvs": (".venv", "venv"),
    "Testing": (".pytest_cache", ".coverage", "htmlcov"),
    "IDEs": (".idea", ".vscode"),
    "Cache": (".ruff_cache", ".mypy_cache"),
    "Docs": ("docs", "*.md"),
    "CI/CD": (".github", ".gitlab-ci.yml"),
    "Development": (".env", ".env.*", ".env.local", ".env.development"),
    "Secrets": ("*.pem", "*.key", "secrets"),
}

# §13.5: HTTP security headers every API sends (§18.13).
SECURITY_HEADERS = (
    "Strict-Transport-Security",
    "X-Content-Type-Options",
    "X-Frame-Options",
    "X-XSS-Protection",
    "Content-Security-Policy",
    "Referrer-Policy",
)

# §24.2: the Justfile's recipes (those for Docker and docs only where they apply).
JUST_RECIPES = (
    "install",
    "dev",
    "lint",
    "fix",
    "typecheck",
    "test",
    "test-cov",
    "security",
    "check",
)
JUST_DOCKER_RECIPES = ("build", "up", "down")

# Calls that block the event loop (§16.5): file, process and network IO, sleeping.
BLOCKING_CALLS = (
    "time.sleep",
    "open",
    "input",
    "os.system",
    "socket.create_connection",
    ".read_text",
    ".write_text",
    ".read_bytes",
    ".write_bytes",
    "subprocess.run",
    "subprocess.call",
    "subprocess.check_call",
    "subprocess.check_output",
    "urllib.request.urlopen",
    "urlopen",
    "requests.get",
    "requests.post",
    "requests.put",
    "requests.patch",
    "requests.delete",
    "requests.request",
    "psycopg2.connect",
    "sqlite3.connect",
)

# §16.4: client calls that wait without limit unless given one: call -> the keyword.
HTTP_VERBS = ("get", "post", "put", "patch", "delete", "head", "options", "request", "stream")
TIMEOUT_KEYWORDS: dict[str, tuple[str, ...]] = {
    **{f"requests.{verb}": ("timeout",) for verb in HTTP_VERBS},
    **{f"httpx.{verb}": ("timeout",) for verb in HTTP_VERBS},
    "httpx.Client": ("timeout",),
    "httpx.AsyncClient": ("timeout",),
    "urllib.request.urlopen": ("timeout",),
    "urlopen": ("timeout",),
    "aiohttp.ClientSession": ("timeout",),
    "redis.Redis": ("socket_timeout", "connection_pool"),
    "redis.asyncio.Redis": ("socket_timeout", "connection_pool"),
    "redis.from_url": ("socket_timeout",),
    "redis.asyncio.from_url": ("socket_timeout",),
    "Redis.from_url": ("socket_timeout",),
    "Redis": ("socket_timeout", "connection_pool"),
    "ConnectionPool.from_url": ("socket_timeout",),
    "BlockingConnectionPool.from_url": ("socket_timeout",),
    "asyncpg.connect": ("command_timeout",),
    "asyncpg.create_pool": ("command_timeout",),
}
ENGINE_CALLS = ("create_engine", "create_async_engine")
STATEMENT_TIMEOUTS = ("statement_timeout", "command_timeout", "query_timeout")
POOL_SETTINGS = ("pool_size", "max_overflow", "pool_pre_ping", "pool_recycle")

# §3.18: digests prohibited for passwords.
WEAK_HASHES = ("hashlib.md5", "hashlib.sha1", "hashlib.sha256", "md5", "sha1", "sha256")

# §7.3: typing's aliases that native generics and ``X | None`` replace.
LEGACY_TYPING = frozenset(
    {"List", "Dict", "Set", "FrozenSet", "Tuple", "Type", "Optional", "Union", "DefaultDict"}
)

# §14.2: names that hold a secret, and a URL carrying a password.
SECRET_NAME = re.compile(
    r"(?i)(^|_)(password|passwd|pwd|secret|token|api_?key|secret_?key|private_?key|access_?key)$"
)
CREDENTIAL_URL = re.compile(r"\w+://[\w.%+-]+:[^\s/@\[\]{}<>]+@")
PRIVATE_KEY = re.compile(r"-----BEGIN (RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----")
ALLOWLISTED = "pragma: allowlist secret"

# Evidence that the service deploys to Google Cloud (§15.4).
GCP_FILES = ("cloudbuild.yaml", "cloudbuild.yml", "app.yaml", "service.yaml", "clouddeploy.yaml")
GCP_CI = re.compile(r"gcloud run deploy|deploy-cloudrun|run\.googleapis\.com")

# The sections' headings, as the standard numbers them.
S_PRINCIPLES = "§1.1 Fundamental Principles"
S_LAYOUT = "§4.1 Directory Layout: src-layout"
S_DEPS = "§5.1 Principles"
S_LOCK = "§5.4 Lock File (uv.lock)"
S_SECURE = "§9.6 Secure Coding Practices"
S_ERRORS = "§16.1 Error Handling"


# ------------------------------------------------------------ building blocks


def _line_of(project: Project, relative: str, needle: str) -> int | None:
    """The first line of ``relative`` that contains ``needle``."""
    text = project.text(relative) or ""
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return number
    return None


def _at(project: Project, relative: str, needle: str, message: str) -> Finding:
    """A finding on the first line of ``relative`` that holds ``needle``."""
    return Finding(message, relative, _line_of(project, relative, needle))


def _runtime_requirements(project: Project) -> list[str]:
    """``[project] dependencies`` as written (extras are optional groups, not these)."""
    return [
        str(item) for item in items(mapping(project.pyproject.get("project")).get("dependencies"))
    ]


def _normalized_spec(written: str) -> str:
    """``" >= 2.0, <3"`` -> ``"<3,>=2.0"``: the clauses without spaces, sorted."""
    return ",".join(sorted(part.replace(" ", "") for part in written.split(",") if part.strip()))


def _spec(requirement: str) -> str:
    """``"sqlalchemy[asyncio] >= 2.0, <3 ; python_version<'4'"`` -> ``"<3,>=2.0"``."""
    found = re.match(r"\s*[A-Za-z0-9][A-Za-z0-9._-]*\s*(\[[^\]]*\])?\s*([^;]*)", requirement)
    return _normalized_spec(found.group(2) if found else "")


def _package_text(project: Project) -> str:
    """The package's Python source, joined."""
    return "\n".join(path.read_text(errors="replace") for path in project.python_files())


def _web_app(project: Project) -> bool:
    """Whether the project serves HTTP with a web framework."""
    return any(project.depends_on(name) for name in WEB_FRAMEWORKS)


def _ci_where(project: Project) -> str:
    """Where a CI finding points: the first CI file, or the workflows directory."""
    files = ci_files(project)
    return project.rel(files[0]) if files else ".github/workflows"


def _package_where(project: Project) -> str:
    """Where a package-wide finding points: the package, or src."""
    return package_where(project) or "src"


def _is_public(name: str) -> bool:
    return not name.startswith("_")


# ``check``, or n/a when the project has no CI definition.
_needs_ci = only_if(lambda project: bool(ci_files(project)), "no CI definition")


# ``check``, or n/a when there is no CI definition with any text.
_has_ci_text = only_if(lambda project: bool(ci_text(project)), "no CI definition")


def _ci_runs(
    pattern: str,
    ok: str,
    broken: str,
    missing: str,
    source: Callable[[Project], str] = ci_commands,
) -> Check:
    """A check that what CI runs (by default its files and the Justfile recipes they call)
    matches ``pattern``."""

    def check(project: Project) -> Verdict:
        if re.search(pattern, source(project)):
            return passed(ok)
        return failed(broken, [Finding(missing, _ci_where(project))])

    return check


# ------------------------------------------------------------------ §1 principles

STANDARD.undecidable(
    "ORG-PRIN-001",
    "Security considerations are not optional and must be integrated from the start",
    section=S_PRINCIPLES,
    level="MUST",
    reason="When security work began is project history no file records; its checkable "
    "parts are the §9 and §14 rules.",
)


@STANDARD.rule(
    "ORG-PRIN-002",
    "Development, testing, and production environments must be deterministically reproducible",
    section=S_PRINCIPLES,
    level="MUST",
)
def reproducible_environments(project: Project) -> Verdict:
    """A lock file, and every ``uv sync`` of the Dockerfile and Justfile installs it as locked.

    (CI's installs are ORG-DEPS-007's.) ``UV_LOCKED``/``UV_FROZEN`` set in the file count.
    """
    found: list[Finding] = []
    if not project.exists("uv.lock"):
        found.append(Finding("no uv.lock: nothing pins the environments", "uv.lock"))
    for relative in ("Dockerfile", "Justfile", "justfile"):
        text = project.text(relative)
        if text is None or re.search(r"UV_(LOCKED|FROZEN)", text):
            continue
        for number, line in enumerate(text.splitlines(), 1):
            if re.search(r"\buv sync\b", line) and not re.search(r"--(locked|frozen)\b", line):
                found.append(Finding("uv sync without --locked/--frozen", relative, number))
            if PACKAGING_LEGACY_COMMAND.search(line) and "pip" in line:
                found.append(Finding("pip install: not from the lock file", relative, number))
    return verdict_of(
        found,
        ok="uv.lock present; the image and the Justfile install it --locked",
        broken="an environment is installed without the lock file",
    )


# ---------------------------------------------------------- §2.1 mandatory tools


@STANDARD.rule(
    "ORG-STACK-001",
    "Runtime: Python 3.12+ (minimum required Python interpreter version)",
    section="§2.1.1 Runtime: Python 3.12+",
    level="MANDATORY",
)
def python_312(project: Project) -> Verdict:
    """``requires-python`` and ``.python-version`` allow no Python older than 3.12."""
    found: list[Finding] = []
    requires = str(mapping(project.pyproject.get("project")).get("requires-python", ""))
    floor = re.search(r"(>=|~=|==)\s*3\.(\d+)", requires)
    if not floor or int(floor.group(2)) < 12:
        found.append(
            _at(project, "pyproject.toml", "requires-python", f"requires-python is {requires!r}")
        )
    pinned = (project.text(".python-version") or "").strip().splitlines()
    version = re.match(r"(?:cpython-)?3\.(\d+)", pinned[0]) if pinned else None
    if pinned and (not version or int(version.group(1)) < 12):
        found.append(Finding(f".python-version is {pinned[0]!r}", ".python-version", 1))
    return verdict_of(
        found, ok=f"requires-python {requires}", broken="Python older than 3.12 allowed"
    )


@STANDARD.rule(
    "ORG-STACK-002",
    "Dependency and environment management: uv",
    section="§2.1.2 Dependency and Environment Management: uv",
    level="MANDATORY",
)
def uses_uv(project: Project) -> Verdict:
    """uv's lock file ``uv.lock`` is there: uv manages the dependencies."""
    if project.exists("uv.lock"):
        return passed("uv.lock present")
    return failed(
        "no uv.lock: uv does not manage the dependencies", [Finding("missing", "uv.lock")]
    )


@STANDARD.rule(
    "ORG-STACK-003",
    "Linting and formatting: Ruff",
    section="§2.1.3 Linting and Formatting: Ruff",
    level="MANDATORY",
)
def uses_ruff(project: Project) -> Verdict:
    """Ruff is a development dependency or a pre-commit hook."""
    if project.uses("ruff") or re.search(r"\bruff\b", pre_commit_text(project)):
        return passed("ruff is a development dependency")
    return failed("ruff is neither a dependency nor a hook", [Finding("no ruff", "pyproject.toml")])


@STANDARD.rule(
    "ORG-STACK-004",
    "Type checking: Pyright (mypy only when specific technical reasons exist)",
    section="§2.1.4 Type Checking: Pyright",
    level="MANDATORY",
)
def uses_pyright(project: Project) -> Verdict:
    """Pyright is a dependency, configured, or a pre-commit hook (mypy needs a deviation)."""
    if (
        project.uses("pyright")
        or project.tool("pyright")
        or project.exists("pyrightconfig.json")
        or "pyright" in pre_commit_text(project)
    ):
        return passed("pyright is used")
    return failed(
        "no pyright", [Finding("no pyright dependency or configuration", "pyproject.toml")]
    )


STANDARD.rule(
    "ORG-STACK-005",
    "Testing: pytest",
    section="§2.1.5 Testing: pytest",
    level="MANDATORY",
)(requires_dependency("pytest", dev=True))


@STANDARD.rule(
    "ORG-STACK-006",
    "Task runner: just",
    section="§2.1.6 Task Runner: just",
    level="MANDATORY",
)
def uses_just(project: Project) -> Verdict:
    """A Justfile defines the project's commands."""
    if justfile(project) is not None:
        return passed("Justfile present")
    return failed("no Justfile", [Finding("missing", "Justfile")])


STANDARD.rule(
    "ORG-STACK-007",
    "Git hooks: pre-commit",
    section="§2.1.7 Git Hooks: pre-commit",
    level="MANDATORY",
)(requires_files(".pre-commit-config.yaml"))


@STANDARD.rule(
    "ORG-STACK-008",
    "Validation and serialization: Pydantic v2 (pydantic and pydantic-settings)",
    section="§2.1.8 Validation and Serialization: Pydantic v2",
    level="MANDATORY",
)
def uses_pydantic_v2(project: Project) -> Verdict:
    """pydantic (not held below 2) and pydantic-settings are runtime dependencies."""
    found: list[Finding] = []
    for name in ("pydantic", "pydantic-settings"):
        if not project.depends_on(name):
            found.append(Finding(f"{name} is not a runtime dependency", "pyproject.toml"))
    requirement = project.dependencies.get("pydantic", "")
    if re.search(r"(==|~=|<=?)\s*1\.|<\s*2(\.0)*(\s|,|$)", requirement):
        found.append(_at(project, "pyproject.toml", requirement, f"{requirement}: Pydantic 1"))
    return verdict_of(found, ok="pydantic 2 and pydantic-settings", broken="Pydantic v2 missing")


STANDARD.rule(
    "ORG-STACK-009",
    "Matrix testing: nox",
    section="§2.1.9 Matrix Testing: nox",
    level="MANDATORY",
)(requires_files("noxfile.py"))


# ------------------------------------------------------------ §2.2 legacy tools

S_LEGACY = "§2.2 Legacy Tools (Prohibited in New Projects)"


def _command_files(project: Project) -> list[Path]:
    """Files that run commands: Dockerfile, CI, Justfile, Makefile, shell scripts."""
    named = [project.path(name) for name in ("Dockerfile", "Justfile", "justfile", "Makefile")]
    return [p for p in named if p.is_file()] + ci_files(project) + project.files("scripts/*.sh")


@STANDARD.rule(
    "ORG-LEGACY-001",
    "pip, poetry, pipenv, pip-tools and pyenv are prohibited: uv replaces them",
    section=S_LEGACY,
    level="NEVER",
)
def no_legacy_packaging(project: Project) -> Verdict:
    """No poetry/pipenv files or tables, no pip/pip-tools/poetry/pyenv commands or deps."""
    found = [
        Finding("legacy lock or manifest", name)
        for name in PACKAGING_LEGACY_FILES
        if project.exists(name)
    ]
    found += [Finding("pip-tools input", project.rel(p)) for p in project.files("requirements*.in")]
    if project.tool("poetry"):
        found.append(_at(project, "pyproject.toml", "[tool.poetry", "[tool.poetry] configuration"))
    found += dependency_findings(project, ("poetry", "pipenv", "pip-tools"))
    found += project.grep(
        PACKAGING_LEGACY_COMMAND.pattern, _command_files(project), "runs a legacy packaging tool"
    )
    return verdict_of(
        found, ok="uv alone manages packages and Pythons", broken="a legacy packaging tool is used"
    )


@STANDARD.rule(
    "ORG-LEGACY-002",
    "Flake8, Black, isort, autopep8, yapf and pylint are prohibited: Ruff replaces them",
    section=S_LEGACY,
    level="NEVER",
)
def no_legacy_linters(project: Project) -> Verdict:
    """No dependency on, configuration of or pre-commit hook for a legacy linter/formatter."""
    found = dependency_findings(project, LINT_LEGACY)
    found += [
        _at(project, "pyproject.toml", f"[tool.{n}", f"[tool.{n}] configuration")
        for n in ("black", "isort", "pylint", "flake8", "autopep8", "yapf")
        if project.tool(n)
    ]
    found += [
        Finding("legacy linter configuration", n) for n in LINT_LEGACY_FILES if project.exists(n)
    ]
    for repo in (
        items(mapping(yaml_data(project.path(".pre-commit-config.yaml"))).get("repos"))
        if project.exists(".pre-commit-config.yaml")
        else []
    ):
        for hook in items(mapping(repo).get("hooks")):
            hook_id = str(mapping(hook).get("id", ""))
            if hook_id in LINT_LEGACY:
                found.append(_at(project, ".pre-commit-config.yaml", hook_id, f"{hook_id} hook"))
    return verdict_of(found, ok="Ruff alone lints and formats", broken="a legacy linter is used")


@STANDARD.rule(
    "ORG-LEGACY-003",
    "mypy is prohibited in new projects: Pyright replaces it",
    section=S_LEGACY,
    level="NEVER",
)
def no_mypy(project: Project) -> Verdict:
    """No mypy dependency, configuration, hook or CI command (its reasons go in a deviation)."""
    found = [Finding("depends on mypy", "pyproject.toml")] if project.uses("mypy") else []
    if project.tool("mypy"):
        found.append(_at(project, "pyproject.toml", "[tool.mypy", "[tool.mypy] configuration"))
    found += [
        Finding("mypy configuration", n) for n in ("mypy.ini", ".mypy.ini") if project.exists(n)
    ]
    hooks = (
        [project.path(".pre-commit-config.yaml")]
        if project.exists(".pre-commit-config.yaml")
        else []
    )
    found += project.grep(MYPY_COMMAND.pattern, hooks + _command_files(project), "runs mypy")
    return verdict_of(found, ok="no mypy", broken="mypy is used")


@STANDARD.rule(
    "ORG-LEGACY-004",
    "Makefile is prohibited: just replaces it",
    section=S_LEGACY,
    level="NEVER",
)
def no_makefile(project: Project) -> Verdict:
    """No Makefile at the root."""
    found = [
        Finding("Makefile", n) for n in ("Makefile", "makefile", "GNUmakefile") if project.exists(n)
    ]
    return verdict_of(found, ok="no Makefile", broken="a Makefile defines commands")


@STANDARD.rule(
    "ORG-LEGACY-005",
    "argparse is prohibited: Typer replaces it",
    section=S_LEGACY,
    level="NEVER",
)
def no_argparse(project: Project) -> Verdict:
    """Neither the package nor scripts/ imports argparse."""
    found = imports_of(project, "argparse")
    if project.exists("scripts"):
        found += imports_of(project, "argparse", "scripts")
    return verdict_of(found, ok="no argparse", broken="a CLI is built with argparse")


@STANDARD.rule(
    "ORG-LEGACY-006",
    "tox is prohibited: nox replaces it",
    section=S_LEGACY,
    level="NEVER",
)
def no_tox(project: Project) -> Verdict:
    """No tox.ini, [tool.tox], tox dependency or tox command."""
    found = [Finding("tox configuration", "tox.ini")] if project.exists("tox.ini") else []
    if project.tool("tox"):
        found.append(_at(project, "pyproject.toml", "[tool.tox", "[tool.tox] configuration"))
    if project.uses("tox"):
        found.append(Finding("depends on tox", "pyproject.toml"))
    found += project.grep(TOX_COMMAND.pattern, _command_files(project), "runs tox")
    return verdict_of(found, ok="no tox", broken="tox is used")


# ------------------------------------------------------------ §3 tools by domain


@STANDARD.rule(
    "ORG-API-001",
    "New Cloud Run projects: use Granian by default (Uvicorn only as a fallback)",
    section="§3.4 APIs and Web Services",
    level="DEFAULT",
)
def granian_by_default(project: Project) -> Verdict:
    """A web service depends on Granian rather than another ASGI server."""
    if not _web_app(project):
        return not_applicable("no web framework")
    if project.depends_on("granian"):
        return passed("served by Granian")
    others = [n for n in OTHER_ASGI_SERVERS if project.depends_on(n)]
    return failed(
        f"served by {', '.join(others) or 'no declared server'}, not Granian",
        [Finding(f"depends on {n}", "pyproject.toml") for n in others]
        or [Finding("no granian", "pyproject.toml")],
    )


def _mentions_password(node: ast.AST) -> bool:
    """Whether ``node`` refers to a name, attribute or string about a password."""
    for child in ast.walk(node):
        name = ""
        if isinstance(child, ast.Name):
            name = child.id
        elif isinstance(child, ast.Attribute):
            name = child.attr
        if re.search(r"(?i)passw|passwd|pwd", name):
            return True
    return False


@STANDARD.rule(
    "ORG-AUTH-001",
    "MD5, SHA1, SHA256 are prohibited for passwords",
    section="§3.18 Authentication and Web Security",
    level="NEVER",
)
def no_weak_password_hash(project: Project) -> Verdict:
    """No md5/sha1/sha256 digest (hashlib or ``hashlib.new``) of a password."""
    found: list[Finding] = []
    for path, call, name in module_calls(project.modules()):
        weak = name in WEAK_HASHES or (
            name == "hashlib.new"
            and any(
                s.lower().replace("-", "") in ("md5", "sha1", "sha256")
                for s in string_values(call.args[0])
            )
            if call.args
            else False
        )
        if weak and any(
            _mentions_password(arg) for arg in [*call.args, *(k.value for k in call.keywords)]
        ):
            found.append(project.finding(path, call, f"{name}() hashes a password"))
    if found:
        return failed("a password is hashed with a fast digest", found)
    if not re.search(r"(?i)passw", _package_text(project)):
        return not_applicable("the package handles no password")
    return passed("no password is hashed with MD5/SHA1/SHA256")


@STANDARD.rule(
    "ORG-AUTH-002",
    "JWT: always verify iss, aud, exp",
    section="§3.18 Authentication and Web Security",
    level="MUST",
)
def jwt_claims_verified(project: Project) -> Verdict:
    """Every ``jwt.decode`` passes ``audience`` and ``issuer`` and keeps exp/signature checks on."""
    decodes = [(p, c) for p, c, n in module_calls(project.modules()) if n.endswith("jwt.decode")]
    if not decodes:
        return not_applicable("no JWT is decoded")
    found: list[Finding] = []
    for path, call in decodes:
        missing = [k for k in ("audience", "issuer") if kwarg(call, k) is None]
        if missing:
            found.append(project.finding(path, call, f"jwt.decode without {' and '.join(missing)}"))
        options = kwarg(call, "options")
        if isinstance(options, ast.Dict):
            for key, value in zip(options.keys, options.values, strict=True):
                if (
                    isinstance(key, ast.Constant)
                    and str(key.value).startswith("verify_")
                    and isinstance(value, ast.Constant)
                    and value.value is False
                ):
                    found.append(project.finding(path, call, f"jwt.decode turns off {key.value}"))
    return verdict_of(
        found, ok="every JWT's iss, aud and exp are verified", broken="JWT claims unverified"
    )


# -------------------------------------------------------------- §4 structure


@STANDARD.rule("ORG-LAYOUT-001", "All projects must use src-layout", section=S_LAYOUT, level="MUST")
def src_layout(project: Project) -> Verdict:
    """The importable package lives in ``src/<package>/``."""
    package = project.package
    if package is None:
        return failed(
            "no package with an __init__.py", [Finding("no package", _package_where(project))]
        )
    if package.parent.name != "src":
        return failed(
            "the package is not under src/", [Finding("flat layout", project.rel(package))]
        )
    return passed(f"package at {project.rel(package)}")


@STANDARD.rule(
    "ORG-LAYOUT-002",
    "Mandatory directories: src/<package_name>/, tests/, .github/workflows/",
    section="§4.2 Mandatory Directories",
    level="MANDATORY",
)
def mandatory_directories(project: Project) -> Verdict:
    """The three directories exist."""
    found = (
        []
        if project.package is not None and project.package.parent.name == "src"
        else [Finding("missing", "src/<package>")]
    )
    found += [
        Finding("missing", d)
        for d in ("tests", ".github/workflows")
        if not project.path(d).is_dir()
    ]
    return verdict_of(
        found, ok="src/<package>/, tests/, .github/workflows/ present", broken="directories missing"
    )


MANDATORY_FILES = (
    "pyproject.toml",
    "uv.lock",
    ".python-version",
    ".pre-commit-config.yaml",
    ".gitignore",
    "README.md",
)


@STANDARD.rule(
    "ORG-LAYOUT-003",
    "Mandatory files: pyproject.toml, uv.lock, .python-version, .pre-commit-config.yaml, "
    ".gitignore, README.md, src/<package>/py.typed, Justfile",
    section="§4.4 Mandatory Files",
    level="MANDATORY",
)
def mandatory_files(project: Project) -> Verdict:
    """Each mandatory file exists."""
    found = missing_files(project, MANDATORY_FILES)
    if justfile(project) is None:
        found.append(Finding("missing", "Justfile"))
    if project.package is None or not (project.package / "py.typed").is_file():
        where = project.rel(project.package) if project.package else "src/<package>"
        found.append(Finding("missing", f"{where}/py.typed"))
    return verdict_of(found, ok="every mandatory file present", broken="mandatory files missing")


STANDARD.rule(
    "ORG-LAYOUT-004",
    "Always recommended: .editorconfig and .github/dependabot.yml",
    section="§4.5 Recommended Files",
    level="RECOMMENDED",
)(requires_files(".editorconfig", ".github/dependabot.yml"))


# ---------------------------------------------------------------- §5 dependencies


@STANDARD.rule(
    "ORG-DEPS-001",
    "All dependencies must be specified in pyproject.toml",
    section=S_DEPS,
    level="MUST",
)
def dependencies_in_pyproject(project: Project) -> Verdict:
    """A pyproject.toml with a [project] table, and no requirements files, setup.py or Pipfile."""
    found = (
        []
        if project.pyproject.get("project")
        else [Finding("no [project] table", "pyproject.toml")]
    )
    found += [
        Finding("dependencies outside pyproject.toml", project.rel(p))
        for p in project.files("requirements*.txt")
    ]
    found += [
        Finding("dependencies outside pyproject.toml", project.rel(p))
        for p in project.files("requirements/*.txt")
    ]
    found += [
        Finding("dependencies outside pyproject.toml", n)
        for n in ("setup.py", "Pipfile")
        if project.exists(n)
    ]
    if "install_requires" in (project.text("setup.cfg") or ""):
        found.append(_at(project, "setup.cfg", "install_requires", "install_requires in setup.cfg"))
    return verdict_of(
        found,
        ok="pyproject.toml holds every dependency",
        broken="dependencies outside pyproject.toml",
    )


@STANDARD.rule(
    "ORG-DEPS-002",
    "The uv.lock file must be versioned in Git (never in .gitignore; always commit it)",
    section=S_DEPS,
    level="MUST",
)
def lock_versioned(project: Project) -> Verdict:
    """uv.lock is in the tree and no .gitignore pattern ignores it."""
    found = [] if project.exists("uv.lock") else [Finding("missing", "uv.lock")]
    line = gitignored(project, "uv.lock")
    if line is not None:
        found.append(Finding(".gitignore ignores uv.lock", ".gitignore", line))
    return verdict_of(
        found, ok="uv.lock present and not ignored", broken="uv.lock is not versioned"
    )


@STANDARD.rule(
    "ORG-DEPS-003",
    "Development dependencies must be separated from production ones",
    section=S_DEPS,
    level="MUST",
)
def dev_separated(project: Project) -> Verdict:
    """No test, lint, type-check or scan tool in ``[project] dependencies``."""
    found = [
        _at(
            project,
            "pyproject.toml",
            f'"{requirement}',
            f"{requirement_name(requirement)} is a runtime dependency",
        )
        for requirement in _runtime_requirements(project)
        if requirement_name(requirement) in DEV_TOOLS
    ]
    return verdict_of(
        found,
        ok="development tools are in their own group",
        broken="development tools ship in production",
    )


@STANDARD.rule(
    "ORG-DEPS-004",
    "Specify minimum versions, not exact versions (avoid ==X.Y.Z and no version)",
    section="§5.2 Version Specification",
    level="SHOULD",
)
def minimum_versions(project: Project) -> Verdict:
    """Every runtime and development requirement has a ``>=`` floor and no ``==`` pin."""
    written = _runtime_requirements(project) + list(project.dev_dependencies.values())
    found = [
        _at(
            project,
            "pyproject.toml",
            f'"{r}',
            f"{r}: " + ("exact version" if "==" in r else "no minimum version"),
        )
        for r in written
        if "==" in r or (">=" not in r and "~=" not in r)
    ]
    return verdict_of(
        found,
        ok="every requirement states a minimum version",
        broken="requirements without a minimum",
    )


STANDARD.undecidable(
    "ORG-DEPS-005",
    "Never edit uv.lock manually",
    section=S_LOCK,
    level="NEVER",
    reason="A hand edit leaves no mark a file shows; a lock out of step with pyproject.toml is "
    "ORG-DEPS-006's finding.",
)


def _locked_requirements(
    project: Project,
) -> tuple[set[tuple[str, str]], set[tuple[str, str]]] | None:
    """uv.lock's record of the project's requirements: (runtime, development) name/spec pairs."""
    root = lock_root(project)
    if root is None:
        return None
    metadata = mapping(root.get("metadata"))

    def pairs(entries: list[Any]) -> set[tuple[str, str]]:
        return {
            (
                normalize(str(mapping(i).get("name", ""))),
                _normalized_spec(str(mapping(i).get("specifier", ""))),
            )
            for i in entries
        }

    runtime = pairs(items(metadata.get("requires-dist")))
    dev = {
        p for group in mapping(metadata.get("requires-dev")).values() for p in pairs(items(group))
    }
    return runtime, dev


@STANDARD.rule(
    "ORG-DEPS-006",
    "Regenerate uv.lock with `uv lock` when dependencies change",
    section=S_LOCK,
    level="MUST",
)
def lock_current(project: Project) -> Verdict:
    """uv.lock records exactly the requirements pyproject.toml states (names and specifiers)."""
    locked = _locked_requirements(project)
    if locked is None:
        return not_applicable("no uv.lock recording the project (ORG-DEPS-002)")
    project_table = mapping(project.pyproject.get("project"))
    runtime_written = _runtime_requirements(project) + [
        str(r)
        for extra in mapping(project_table.get("optional-dependencies")).values()
        for r in items(extra)
    ]
    groups = mapping(project.pyproject.get("dependency-groups"))
    dev_written = [str(r) for g in groups.values() for r in items(g) if isinstance(r, str)]
    dev_written += [str(r) for r in items(project.tool("uv").get("dev-dependencies"))]
    found: list[Finding] = []
    for written, recorded, kind in (
        (runtime_written, locked[0], "runtime"),
        (dev_written, locked[1], "development"),
    ):
        wanted = {(requirement_name(r), _spec(r)) for r in written}
        for name, spec in sorted(wanted - recorded):
            found.append(
                _at(
                    project,
                    "pyproject.toml",
                    name,
                    f"{kind} {name}{spec} is not in uv.lock as written",
                )
            )
        for name, spec in sorted(recorded - wanted):
            found.append(
                _at(
                    project,
                    "uv.lock",
                    f'name = "{name}"',
                    f"uv.lock records {kind} {name}{spec}, pyproject.toml does not",
                )
            )
    return verdict_of(
        found, ok="uv.lock matches pyproject.toml", broken="uv.lock is out of date: run uv lock"
    )


@STANDARD.rule(
    "ORG-DEPS-007",
    "In CI/CD use `uv sync --frozen` to fail if the lock file is outdated",
    section=S_LOCK,
    level="MUST",
)
def ci_frozen(project: Project) -> Verdict:
    """Every ``uv sync`` in CI carries --frozen/--locked (or CI sets UV_FROZEN/UV_LOCKED)."""
    files = ci_files(project)
    if not files:
        return not_applicable("no CI definition")
    found: list[Finding] = []
    syncs = 0
    for path in files:
        text = path.read_text(errors="replace")
        for number, line in enumerate(text.splitlines(), 1):
            if re.search(r"\buv sync\b", line):
                syncs += 1
                if not re.search(r"--(locked|frozen)\b", line) and not re.search(
                    r"UV_(LOCKED|FROZEN)", text
                ):
                    found.append(
                        Finding("uv sync may rewrite an outdated lock", project.rel(path), number)
                    )
    if not syncs:
        return not_applicable("CI runs no uv sync")
    return verdict_of(
        found, ok="CI installs the lock as it is", broken="CI may install an outdated lock"
    )


# -------------------------------------------------------------- §6 code quality


def _ruff(project: Project) -> dict[str, Any]:
    """Ruff's configuration: ``[tool.ruff]``, or ruff.toml/.ruff.toml."""
    for name in ("ruff.toml", ".ruff.toml"):
        text = project.text(name)
        if text is not None:
            try:
                return tomllib.loads(text)
            except tomllib.TOMLDecodeError:
                return {}
    return project.tool("ruff")


@STANDARD.rule(
    "ORG-CODE-001",
    "Ruff enables F, E, W, I, N, D, UP, B, SIM, C4, DTZ, T20, S, A, ANN, ASYNC, PT, RET, PTH, "
    "PL, TRY, PERF, RUF",
    section="§6.1 Linting with Ruff",
    level="SHOULD",
)
def ruff_categories(project: Project) -> Verdict:
    """Every category is selected (or extend-selected, or ``ALL``)."""
    config = _ruff(project)
    lint = mapping(config.get("lint"))
    selected = [
        str(c)
        for key in ("select", "extend-select")
        for table in (lint, config)
        for c in items(table.get(key))
    ]
    if not selected:
        return failed(
            "no Ruff rules selected", [Finding("no [tool.ruff.lint] select", "pyproject.toml")]
        )
    missing = [
        c for c in RUFF_CATEGORIES if not any(c.startswith(s) or s == "ALL" for s in selected)
    ]
    if missing:
        return failed(
            f"not selected: {', '.join(missing)}",
            [_at(project, "pyproject.toml", "select", "categories missing")],
        )
    return passed("every category selected")


@STANDARD.rule(
    "ORG-CODE-002",
    "Ruff format: line length 88, double quotes, 4-space indentation, trailing commas preserved",
    section="§6.2 Formatting with Ruff Format",
    level="SHOULD",
)
def ruff_format_style(project: Project) -> Verdict:
    """The formatter's settings keep those defaults."""
    config = _ruff(project)
    fmt = mapping(config.get("format"))
    found: list[Finding] = []
    if config.get("line-length", 88) != 88:
        found.append(
            _at(
                project, "pyproject.toml", "line-length", f"line-length {config.get('line-length')}"
            )
        )
    if fmt.get("quote-style", "double") != "double":
        found.append(_at(project, "pyproject.toml", "quote-style", "quotes are not double"))
    if fmt.get("indent-style", "space") != "space" or config.get("indent-width", 4) != 4:
        found.append(_at(project, "pyproject.toml", "indent", "indentation is not 4 spaces"))
    if fmt.get("skip-magic-trailing-comma") is True:
        found.append(
            _at(project, "pyproject.toml", "skip-magic-trailing-comma", "trailing commas dropped")
        )
    return verdict_of(
        found, ok="88 columns, double quotes, 4 spaces", broken="the format style differs"
    )


# --------------------------------------------------------------- §7 type checking


@STANDARD.rule(
    "ORG-TYPE-001",
    "Pyright should be configured in strict mode",
    section="§7.1 Strictness Level",
    level="SHOULD",
)
def pyright_strict(project: Project) -> Verdict:
    """``typeCheckingMode = "strict"`` in [tool.pyright] or pyrightconfig.json."""
    mode = project.tool("pyright").get("typeCheckingMode")
    text = project.text("pyrightconfig.json") or ""
    if mode == "strict" or re.search(r'"typeCheckingMode"\s*:\s*"strict"', text):
        return passed("pyright runs in strict mode")
    return failed(
        f"typeCheckingMode is {mode or 'not set'}",
        [_at(project, "pyproject.toml", "[tool.pyright]", "not strict")],
    )


@STANDARD.rule(
    "ORG-TYPE-002",
    "All packages must include the py.typed file in their root directory",
    section="§7.2 PEP 561 Marker",
    level="MUST",
)
def py_typed(project: Project) -> Verdict:
    """``<package>/py.typed`` exists."""
    if project.package is None:
        return not_applicable("no package")
    if (project.package / "py.typed").is_file():
        return passed("py.typed present")
    return failed("no py.typed", [Finding("missing", f"{project.rel(project.package)}/py.typed")])


@STANDARD.rule(
    "ORG-TYPE-003",
    "Use native generic types (list[str]) and union with pipe (str | None)",
    section="§7.3 Typing Practices",
    level="SHOULD",
)
def native_generics(project: Project) -> Verdict:
    """The package uses no ``typing.List``/``Dict``/``Optional``/``Union``... alias."""
    found: list[Finding] = []
    for path, module in project.modules():
        for node in ast.walk(module):
            if isinstance(node, ast.ImportFrom) and node.module == "typing":
                old = sorted(a.name for a in node.names if a.name in LEGACY_TYPING)
                if old:
                    found.append(project.finding(path, node, f"imports typing.{', '.join(old)}"))
            elif isinstance(node, ast.Attribute) and dotted_name(node) in {
                f"typing.{n}" for n in LEGACY_TYPING
            }:
                found.append(project.finding(path, node, f"uses {dotted_name(node)}"))
    return verdict_of(found, ok="native generics and | unions only", broken="typing aliases in use")


# ---------------------------------------------------------------------- §8 tests

TIER_MARKERS = ("unit", "integration", "e2e", "slow")


STANDARD.rule(
    "ORG-TEST-001",
    "tests/conftest.py contains the fixtures shared among all tests",
    section="§8.2 conftest.py File",
    level="SHOULD",
)(requires_files("tests/conftest.py"))


def _marked(node: ast.AST) -> bool:
    """Whether ``node`` (an assignment value or decorator) names a tier marker."""
    return any(
        dotted_name(n).endswith(tuple(f"mark.{m}" for m in TIER_MARKERS)) for n in ast.walk(node)
    )


@STANDARD.rule(
    "ORG-TEST-002",
    "All tests should be marked: unit, integration, e2e, slow",
    section="§8.3 Markers",
    level="SHOULD",
)
def tests_marked(project: Project) -> Verdict:
    """The markers are registered, and each test module (or each of its tests) carries one."""
    modules = list(modules_in(project, "tests"))
    tests = [
        (p, m) for p, m in modules if p.name.startswith("test_") or p.name.endswith("_test.py")
    ]
    if not tests:
        return not_applicable("no test modules")
    found: list[Finding] = []
    registered = " ".join(str(m) for m in items(project.tool("pytest.ini_options").get("markers")))
    missing = [m for m in TIER_MARKERS if not re.search(rf"(^|\s){m}\b", registered)]
    if missing:
        found.append(
            _at(
                project,
                "pyproject.toml",
                "[tool.pytest",
                f"markers not registered: {', '.join(missing)}",
            )
        )
    if any("add_marker" in ast.dump(m) for p, m in modules if p.name == "conftest.py"):
        tests = []  # a conftest hook marks the collected tests
    for path, module in tests:
        if any(
            isinstance(n, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "pytestmark" for t in n.targets)
            and _marked(n.value)
            for n in module.body
        ):
            continue
        for node in module.body:
            if (
                isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
                and node.name.startswith(("test", "Test"))
                and not any(_marked(d) for d in node.decorator_list)
            ):
                found.append(project.finding(path, node, f"{node.name} carries no tier marker"))
    return verdict_of(found, ok="every test carries a tier marker", broken="unmarked tests")


def _coverage(project: Project) -> dict[str, Any]:
    return project.tool("coverage")


@STANDARD.rule(
    "ORG-TEST-003",
    "Coverage: 80% line and 80% branch coverage minimum required",
    section="§8.4 Coverage",
    level="REQUIRED",
)
def coverage_gate(project: Project) -> Verdict:
    """Coverage measures branches and fails under 80% (coverage config or --cov-fail-under)."""
    config = _coverage(project)
    written: object = project.tool("pytest.ini_options").get("addopts", "")
    addopts = written if isinstance(written, str) else " ".join(str(a) for a in items(written))
    gate = mapping(config.get("report")).get("fail_under")
    flag = re.search(r"--cov-fail-under[= ](\d+)", addopts)
    floor = float(gate) if isinstance(gate, int | float) else float(flag.group(1)) if flag else 0.0
    found: list[Finding] = []
    if floor < 80:
        found.append(
            _at(project, "pyproject.toml", "[tool.coverage", f"fail_under is {floor:g}, not 80")
        )
    if mapping(config.get("run")).get("branch") is not True and "--cov-branch" not in addopts:
        found.append(_at(project, "pyproject.toml", "[tool.coverage", "branch coverage is off"))
    return verdict_of(
        found, ok=f"branch coverage, fail under {floor:g}%", broken="no 80% coverage gate"
    )


@STANDARD.rule(
    "ORG-TEST-004",
    "Coverage is measured only on src/, excluding __init__.py",
    section="§8.4 Coverage",
    level="SHOULD",
)
def coverage_scope(project: Project) -> Verdict:
    """[tool.coverage.run] source is under src/ (or the package) and omit lists __init__.py."""
    run = mapping(_coverage(project).get("run"))
    sources = [str(s) for key in ("source", "source_pkgs") for s in items(run.get(key))]
    package = project.package.name if project.package else ""
    found: list[Finding] = []
    if not sources or not all(s.startswith("src") or s == package for s in sources):
        found.append(
            _at(project, "pyproject.toml", "[tool.coverage.run]", f"source is {sources or 'unset'}")
        )
    if not any("__init__.py" in str(o) for o in items(run.get("omit"))):
        found.append(
            _at(project, "pyproject.toml", "[tool.coverage.run]", "__init__.py is not omitted")
        )
    return verdict_of(
        found, ok="coverage of src/ without __init__.py", broken="coverage measures other files"
    )


STANDARD.team(
    "ORG-TEST-005",
    "Hypothesis is recommended for property-based testing of complex business logic",
    section="§8.5 Property-Based Testing",
    level="RECOMMENDED",
    reason="Whether the service's business logic is complex enough for property-based tests "
    "is the owning team's call.",
)


# ------------------------------------------------------------------- §9 security


STANDARD.rule(
    "ORG-SEC-001",
    "Bandit should run on every PR and in CI/CD",
    section="§9.1 Static Security Analysis",
    level="SHOULD",
)(_ci_runs(r"\bbandit\b", "CI runs bandit", "CI does not run bandit", "no bandit"))
STANDARD.rule(
    "ORG-SEC-002",
    "pip-audit or Safety should run in the CI/CD pipeline",
    section="§9.2 Dependency Scanning",
    level="SHOULD",
)(
    _ci_runs(
        r"\bpip-audit\b|\bsafety (check|scan)\b",
        "CI scans the dependencies",
        "CI runs neither pip-audit nor Safety",
        "no dependency scan",
    )
)


@STANDARD.rule(
    "ORG-SEC-003",
    "gitleaks or detect-secrets should be configured to prevent commits of secrets",
    section="§9.3 Secret Detection",
    level="SHOULD",
)
def secret_detection(project: Project) -> Verdict:
    """A pre-commit hook or CI runs gitleaks or detect-secrets."""
    if re.search(r"gitleaks|detect-secrets", pre_commit_text(project) + ci_commands(project)):
        return passed("secrets are scanned before commit or in CI")
    return failed(
        "neither gitleaks nor detect-secrets runs",
        [Finding("no secret scan", ".pre-commit-config.yaml")],
    )


STANDARD.rule(
    "ORG-SEC-004",
    "For containerized projects, Trivy should scan the Docker images",
    section="§9.4 Container Scanning",
    level="SHOULD",
)(
    when_dockerfile(
        _ci_runs(
            r"(?i)trivy",
            "CI scans the image with Trivy",
            "CI does not scan the image with Trivy",
            "no trivy",
        )
    )
)


@STANDARD.rule(
    "ORG-SEC-005",
    "Dependabot or Renovate updates Python deps, GitHub Actions and Docker base images weekly, "
    "grouping development updates",
    section="§9.5 Automatic Updates",
    level="SHOULD",
)
def automatic_updates(project: Project) -> Verdict:
    """dependabot.yml updates uv/pip, github-actions and docker weekly, with groups."""
    if any(
        project.exists(n)
        for n in ("renovate.json", "renovate.json5", ".github/renovate.json", ".renovaterc")
    ):
        return passed("Renovate is configured")
    if not project.exists(".github/dependabot.yml"):
        return failed(
            "no Dependabot or Renovate configuration",
            [Finding("missing", ".github/dependabot.yml")],
        )
    updates = [
        mapping(u)
        for u in items(mapping(yaml_data(project.path(".github/dependabot.yml"))).get("updates"))
    ]
    weekly = {
        str(u.get("package-ecosystem"))
        for u in updates
        if mapping(u.get("schedule")).get("interval") in ("daily", "weekly")
    }
    wanted = [("Python", ("uv", "pip", "poetry")), ("GitHub Actions", ("github-actions",))]
    if dockerfile(project) is not None:
        wanted.append(("Docker", ("docker",)))
    found = [
        Finding(f"{label} is not updated weekly", ".github/dependabot.yml")
        for label, ecosystems in wanted
        if not weekly.intersection(ecosystems)
    ]
    if not any(u.get("groups") for u in updates):
        found.append(Finding("development updates are not grouped", ".github/dependabot.yml"))
    return verdict_of(
        found, ok="weekly updates of dependencies, Actions and images", broken="updates incomplete"
    )


@STANDARD.rule(
    "ORG-SEC-006",
    "Don't use eval/exec: never execute dynamic code from external input",
    section=S_SECURE,
    level="NEVER",
)
def no_eval(project: Project) -> Verdict:
    """The package calls neither ``eval`` nor ``exec``."""
    found = [
        project.finding(path, call, f"{name}() runs dynamic code")
        for path, call, name in module_calls(project.modules())
        if name in ("eval", "exec", "builtins.eval", "builtins.exec")
    ]
    return verdict_of(found, ok="no eval/exec", broken="dynamic code execution")


SQL_CALLS = (
    ".execute",
    ".executemany",
    ".exec_driver_sql",
    ".fetch",
    ".fetchrow",
    ".fetchval",
    "text",
    "sqlalchemy.text",
    "sa.text",
)


def _built_string(node: ast.expr) -> bool:
    """Whether ``node`` builds a string: an f-string with fields, ``+``, ``%``, ``.format``."""
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.FormattedValue) for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
        return any(
            isinstance(s, ast.Constant) and isinstance(s.value, str)
            for s in (node.left, node.right)
        ) or _built_string(node.left)
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
    )


@STANDARD.rule(
    "ORG-SEC-007",
    "Parameterized queries: never concatenate strings for SQL",
    section=S_SECURE,
    level="NEVER",
)
def parameterized_queries(project: Project) -> Verdict:
    """No SQL call (``text``, ``execute``, asyncpg's ``fetch``...) gets a built string."""
    found: list[Finding] = []
    saw_sql = False
    for path, call, name in module_calls(modules_in(project, None, "migrations", "scripts")):
        if name_matches(name, SQL_CALLS) and call.args:
            saw_sql = True
            if _built_string(call.args[0]):
                found.append(project.finding(path, call, f"{name}() gets SQL built from strings"))
    if not saw_sql:
        return not_applicable("no SQL is run")
    return verdict_of(
        found,
        ok="every SQL statement is a constant with parameters",
        broken="SQL built from strings",
    )


@STANDARD.rule(
    "ORG-SEC-008",
    "Don't use assert for validation (assert is disabled with python -O)",
    section=S_SECURE,
    level="SHOULD",
)
def no_assert(project: Project) -> Verdict:
    """The package has no ``assert`` statement."""
    found = [
        project.finding(path, node, "assert vanishes under python -O")
        for path, module in project.modules()
        for node in ast.walk(module)
        if isinstance(node, ast.Assert)
    ]
    return verdict_of(found, ok="no assert in the package", broken="assert used in the package")


@STANDARD.rule(
    "ORG-SEC-009",
    "Don't use pickle with external data",
    section=S_SECURE,
    level="SHOULD",
)
def no_pickle(project: Project) -> Verdict:
    """The package unpickles nothing (pickle/dill/marshal ``load``/``loads``)."""
    found = [
        project.finding(path, call, f"{name}() can run arbitrary code")
        for path, call, name in module_calls(project.modules())
        if re.fullmatch(r"(c?pickle|dill|marshal)\.(loads?|Unpickler)", name)
    ]
    return verdict_of(found, ok="nothing is unpickled", broken="pickle loads data")


# ---------------------------------------------------------------------- §10 docs


@STANDARD.rule(
    "ORG-DOC-001",
    "All projects should use Google-style docstrings",
    section="§10.1 Docstring Style: Google Style",
    level="SHOULD",
)
def google_docstrings(project: Project) -> Verdict:
    """Ruff's pydocstyle convention is ``google``."""
    config = _ruff(project)
    convention = mapping(mapping(config.get("lint")).get("pydocstyle")).get(
        "convention"
    ) or mapping(config.get("pydocstyle")).get("convention")
    if convention == "google":
        return passed("pydocstyle convention google")
    return failed(
        f"pydocstyle convention is {convention or 'unset'}",
        [_at(project, "pyproject.toml", "[tool.ruff", "not google")],
    )


def _undocumented(
    project: Project, path: Path, body: list[ast.stmt], owner: str
) -> Iterator[Finding]:
    """Public classes, functions and methods of ``body`` without a docstring."""
    for node in body:
        if isinstance(node, ast.ClassDef) and _is_public(node.name):
            if ast.get_docstring(node) is None:
                yield project.finding(path, node, f"class {owner}{node.name} has no docstring")
            yield from _undocumented(project, path, node.body, f"{owner}{node.name}.")
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and _is_public(node.name):
            skip = {"overload", "typing.overload", "override", "typing.override"}
            decorators = set(decorator_names(node))
            if decorators & skip or any(d.endswith((".setter", ".deleter")) for d in decorators):
                continue
            if ast.get_docstring(node) is None:
                yield project.finding(path, node, f"{owner}{node.name}() has no docstring")


@STANDARD.rule(
    "ORG-DOC-002",
    "Modules, public classes and public functions/methods require docstrings",
    section="§10.2 What to Document",
    level="REQUIRED",
)
def docstrings_present(project: Project) -> Verdict:
    """Each non-empty module of the package, and its public classes and functions, is documented."""
    found: list[Finding] = []
    for path, module in project.modules():
        if module.body and ast.get_docstring(module) is None:
            found.append(Finding("module has no docstring", project.rel(path), 1))
        found += _undocumented(project, path, module.body, "")
    return verdict_of(
        found, ok="every module and public definition is documented", broken="docstrings missing"
    )


# ----------------------------------------------------------------------- §11 git


@STANDARD.rule(
    "ORG-GIT-001",
    "Pre-commit hooks: ruff check, ruff format, pyright, conventional-pre-commit, "
    "trailing-whitespace, end-of-file-fixer, check-yaml, check-toml, detect-secrets, "
    "no-commit-to-branch",
    section="§11.4 Pre-commit Hooks",
    level="SHOULD",
)
def pre_commit_hooks(project: Project) -> Verdict:
    """.pre-commit-config.yaml has a hook for each (by id or by the command it runs)."""
    if not project.exists(".pre-commit-config.yaml"):
        return not_applicable("no .pre-commit-config.yaml (ORG-STACK-007)")
    hooks = [
        f"{mapping(h).get('id', '')} :: {mapping(h).get('entry', '')}"
        for repo in items(mapping(yaml_data(project.path(".pre-commit-config.yaml"))).get("repos"))
        for h in items(mapping(repo).get("hooks"))
    ]
    missing = [
        name
        for name, pattern in PRE_COMMIT_HOOKS.items()
        if not any(re.search(pattern, h) for h in hooks)
    ]
    if missing:
        return failed(
            f"hooks missing: {', '.join(missing)}",
            [Finding("hooks missing", ".pre-commit-config.yaml")],
        )
    return passed("every listed hook runs before a commit")


STANDARD.undecidable(
    "ORG-GIT-002",
    "Pull Requests required for merge to main",
    section="§11.3 Branching Strategy",
    level="REQUIRED",
    reason="Branch protection is a setting of the repository host, not a file of the tree "
    "(the no-commit-to-branch hook only guards local commits).",
)

STANDARD.undecidable(
    "ORG-GIT-003",
    "main should always be in deployable state",
    section="§11.3 Branching Strategy",
    level="SHOULD",
    reason="Whether main deploys at every commit is a fact about its history and the pipeline's "
    "runs, not about one tree.",
)


@STANDARD.rule(
    "ORG-GIT-004",
    "All projects should follow SemVer: MAJOR.MINOR.PATCH",
    section="§11.2 Semantic Versioning (SemVer)",
    level="SHOULD",
)
def semver(project: Project) -> Verdict:
    """``[project] version`` is MAJOR.MINOR.PATCH (with an alpha/beta/rc pre-release)."""
    table = mapping(project.pyproject.get("project"))
    if "version" in items(table.get("dynamic")) or "version" not in table:
        return not_applicable("the version is dynamic")
    version = str(table["version"])
    if re.fullmatch(r"\d+\.\d+\.\d+((a|b|rc)\d+|-(alpha|beta|rc)\.\d+)?", version):
        return passed(f"version {version}")
    return failed(
        f"version {version} is not MAJOR.MINOR.PATCH",
        [_at(project, "pyproject.toml", "version", version)],
    )


# --------------------------------------------------------------------- §12 CI/CD

S_PIPELINES = "§12.1 Required Pipelines"


@STANDARD.rule(
    "ORG-CI-001",
    "CI workflow on push to main and PRs: lint, typecheck, test, security",
    section=S_PIPELINES,
    level="REQUIRED",
)
def ci_workflow(project: Project) -> Verdict:
    """A workflow runs on PRs and pushes to main; CI runs ruff, pyright, pytest and a scan."""
    if not ci_files(project):
        return failed("no CI definition", [Finding("missing", ".github/workflows/ci.yml")])
    found: list[Finding] = []
    parsed = workflows(project)
    if parsed:
        on_pr = any("pull_request" in triggers(w) for _, w in parsed)
        on_main = False
        for _, w in parsed:
            if "push" in triggers(w):
                branches = [str(b) for b in items(mapping(triggers(w)["push"]).get("branches"))]
                on_main = on_main or not branches or "main" in branches
        if not (on_pr and on_main):
            found.append(
                Finding(
                    "no workflow runs on both pull requests and pushes to main", _ci_where(project)
                )
            )
    commands = ci_commands(project)
    for job, pattern in (
        ("lint", r"ruff check"),
        ("typecheck", r"pyright|mypy"),
        ("test", r"pytest"),
        ("security", r"bandit|pip-audit|gitleaks|safety|trivy"),
    ):
        if not re.search(pattern, commands):
            found.append(Finding(f"CI has no {job} step", _ci_where(project)))
    return verdict_of(
        found, ok="CI lints, type-checks, tests and scans every PR and main", broken="CI incomplete"
    )


@STANDARD.rule(
    "ORG-CI-002",
    "Release workflow on tags v*: build, publish",
    section=S_PIPELINES,
    level="REQUIRED",
)
def release_workflow(project: Project) -> Verdict:
    """A workflow runs on pushed tags ``v*`` (GitLab: a job on ``$CI_COMMIT_TAG``)."""
    for _, workflow in workflows(project):
        tags = [str(t) for t in items(mapping(triggers(workflow).get("push")).get("tags"))]
        if any(t.startswith("v") for t in tags):
            return passed("a workflow releases on v* tags")
    if "CI_COMMIT_TAG" in (project.text(".gitlab-ci.yml") or ""):
        return passed("a GitLab job runs on tags")
    return failed(
        "no workflow runs on v* tags", [Finding("missing", ".github/workflows/release.yml")]
    )


@STANDARD.rule(
    "ORG-CI-003",
    "Security workflow on a weekly schedule: vulnerability scan",
    section=S_PIPELINES,
    level="REQUIRED",
)
def scheduled_security_workflow(project: Project) -> Verdict:
    """A scheduled workflow runs pip-audit, Safety, Trivy or osv-scanner."""
    scan = re.compile(r"pip-audit|safety|trivy|osv-scanner|grype|\bjust (audit|security)\b")
    for path, workflow in workflows(project):
        if "schedule" in triggers(workflow) and scan.search(path.read_text(errors="replace")):
            return passed(f"{project.rel(path)} scans on a schedule")
    gitlab = project.text(".gitlab-ci.yml") or ""
    if '"schedule"' in gitlab and scan.search(gitlab):
        return passed("a scheduled GitLab job scans")
    return failed(
        "no scheduled vulnerability scan", [Finding("missing", ".github/workflows/security.yml")]
    )


@STANDARD.rule(
    "ORG-CI-004",
    "Lint job: ruff check with GitHub format for annotations, ruff format --check",
    section="§12.2 Job: Lint",
    level="SHOULD",
)
@_needs_ci
def lint_job(project: Project) -> Verdict:
    """CI runs ``ruff check`` (GitHub output on GitHub Actions) and ``ruff format --check``."""
    commands = ci_commands(project)
    found: list[Finding] = []
    if "ruff check" not in commands:
        found.append(Finding("CI does not run ruff check", _ci_where(project)))
    elif workflows(project) and not re.search(
        r"output-format[= ]github|RUFF_OUTPUT_FORMAT:?\s*=?\s*\"?github", commands
    ):
        found.append(
            Finding(
                "ruff check does not write GitHub annotations (--output-format=github)",
                _ci_where(project),
            )
        )
    if not re.search(r"ruff format (.* )?--check|ruff format --diff", commands):
        found.append(Finding("CI does not run ruff format --check", _ci_where(project)))
    return verdict_of(
        found, ok="CI lints with annotations and checks the format", broken="lint job incomplete"
    )


STANDARD.rule(
    "ORG-CI-005",
    "Type check job: run pyright in strict mode",
    section="§12.3 Job: Type Check",
    level="SHOULD",
)(_needs_ci(_ci_runs(r"\bpyright\b", "CI runs pyright", "CI does not run pyright", "no pyright")))


@STANDARD.rule(
    "ORG-CI-006",
    "Test job: pytest, coverage report, coverage uploaded to Codecov or similar",
    section="§12.4 Job: Test",
    level="SHOULD",
)
@_needs_ci
def test_job(project: Project) -> Verdict:
    """CI runs pytest with coverage and uploads the report."""
    commands = ci_commands(project)
    found: list[Finding] = []
    if not re.search(r"pytest.*--cov|coverage run", commands):
        found.append(Finding("CI does not measure coverage", _ci_where(project)))
    if not re.search(
        r"(?i)codecov|coveralls|upload-artifact[\s\S]*coverage|coverage[\s\S]*upload-artifact",
        commands,
    ):
        found.append(Finding("CI does not upload the coverage report", _ci_where(project)))
    return verdict_of(
        found, ok="CI tests with coverage and uploads it", broken="test job incomplete"
    )


# setup-uv's ``enable-cache``, or a cache of uv's directory.
STANDARD.rule(
    "ORG-CI-007",
    "Dependency caching: cache the uv directory between runs",
    section="§12.6 CI/CD Practices",
    level="SHOULD",
)(
    _has_ci_text(
        _ci_runs(
            r"enable-cache:\s*true|UV_CACHE_DIR|actions/cache[\s\S]*\buv\b",
            "CI caches uv's directory",
            "CI does not cache uv's directory",
            "no cache",
            source=ci_text,
        )
    )
)


# The CI workflow cancels superseded runs (GitLab: interruptible jobs).
STANDARD.rule(
    "ORG-CI-008",
    "Concurrency groups: cancel previous runs of the same PR",
    section="§12.6 CI/CD Practices",
    level="SHOULD",
)(
    _has_ci_text(
        _ci_runs(
            r"cancel-in-progress:\s*true|interruptible:\s*true",
            "superseded runs are cancelled",
            "superseded runs keep running",
            "no concurrency group",
            source=ci_text,
        )
    )
)


# ------------------------------------------------------------------- §13 Docker


@STANDARD.rule(
    "ORG-DOCKER-001",
    "Use python:3.12-slim-bookworm as base image",
    section="§13.1 Base Image",
    level="SHOULD",
)
@when_dockerfile
def base_image(project: Project) -> Verdict:
    """Every Python stage starts from ``python:3.X-slim-bookworm`` (X >= 12)."""
    text = dockerfile(project) or ""
    stages: set[str] = set()
    found: list[Finding] = []
    for line, word, args in instructions(text):
        if word != "FROM":
            continue
        words = [w for w in args.split() if not w.startswith("--")]
        image = words[0] if words else ""
        if image not in stages and not re.fullmatch(
            r"(docker\.io/(library/)?)?python:3\.(1[2-9]|[2-9]\d)(\.\d+)?-slim-bookworm(@sha256:\w+)?",
            image,
        ):
            found.append(Finding(f"FROM {image}", "Dockerfile", line))
        if len(words) > 2 and words[1].upper() == "AS":
            stages.add(words[2])
    return verdict_of(found, ok="python:3.12+-slim-bookworm stages", broken="another base image")


@STANDARD.rule(
    "ORG-DOCKER-002",
    "All Dockerfiles should use multi-stage builds",
    section="§13.2 Multi-stage Builds",
    level="SHOULD",
)
@when_dockerfile
def multi_stage(project: Project) -> Verdict:
    """The Dockerfile has a builder stage and a runtime stage."""
    froms = [i for i in instructions(dockerfile(project) or "") if i[1] == "FROM"]
    if len(froms) >= 2:
        return passed(f"{len(froms)} stages")
    return failed(
        "a single stage", [Finding("one FROM", "Dockerfile", froms[0][0] if froms else None)]
    )


@STANDARD.rule(
    "ORG-DOCKER-003",
    "Applications should run as non-root user (USER appuser before CMD)",
    section="§13.3 Non-Root User",
    level="SHOULD",
)
@when_dockerfile
def non_root(project: Project) -> Verdict:
    """The final stage sets a USER that is not root."""
    user = dockerfile_user(dockerfile(project) or "")
    if user and user.split(":")[0] not in ("root", "0"):
        return passed(f"runs as {user}")
    return failed(f"runs as {user or 'root'}", [Finding("no non-root USER", "Dockerfile")])


@STANDARD.rule(
    "ORG-DOCKER-004",
    "Set PYTHONDONTWRITEBYTECODE, PYTHONUNBUFFERED and PYTHONFAULTHANDLER to 1",
    section="§13.4 Python Environment Variables",
    level="SHOULD",
)
@when_dockerfile
def python_env(project: Project) -> Verdict:
    """The final stage's ENV sets the three variables to 1."""
    env = " ".join(
        args for _, word, args in final_stage(dockerfile(project) or "") if word == "ENV"
    )
    missing = [v for v in PYTHON_ENV if not re.search(rf"\b{v}(=|\s+)\"?1\b", env)]
    if missing:
        return failed(f"not set to 1: {', '.join(missing)}", [Finding("ENV missing", "Dockerfile")])
    return passed("the three variables are 1")


@STANDARD.rule(
    "ORG-DOCKER-005",
    "Every image should include HEALTHCHECK",
    section="§13.5 Health Checks",
    level="SHOULD",
)
@when_dockerfile
def healthcheck(project: Project) -> Verdict:
    """The final stage has a HEALTHCHECK that is not NONE."""
    checks = [
        (line, args)
        for line, word, args in final_stage(dockerfile(project) or "")
        if word == "HEALTHCHECK"
    ]
    if checks and checks[-1][1].split()[:1] != ["NONE"]:
        return passed("HEALTHCHECK present")
    return failed("no HEALTHCHECK", [Finding("no HEALTHCHECK", "Dockerfile")])


def _compose_file(project: Project) -> str | None:
    for name in ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"):
        if project.exists(name):
            return name
    return None


@STANDARD.rule(
    "ORG-DOCKER-006",
    "For local development, use compose.yaml (v2 format): services, healthchecks, volumes, "
    "resource limits",
    section="§13.6 Docker Compose",
    level="SHOULD",
)
def compose_file(project: Project) -> Verdict:
    """compose.yaml (not docker-compose.yml, no ``version:``) builds the app, with a healthcheck,
    limits, and a database service on a volume when the app uses one."""
    name = _compose_file(project)
    if dockerfile(project) is None and name is None:
        return not_applicable("no Dockerfile")
    if name is None:
        return failed("no compose.yaml", [Finding("missing", "compose.yaml")])
    found: list[Finding] = []
    if name.startswith("docker-compose"):
        found.append(Finding("v1 file name: use compose.yaml", name))
    data = mapping(yaml_data(project.path(name)))
    if "version" in data:
        found.append(_at(project, name, "version", "version: is v1 syntax"))
    services = {str(k): mapping(v) for k, v in mapping(data.get("services")).items()}
    if not any("build" in s for s in services.values()):
        found.append(Finding("no service builds the app's image", name))
    if not any("healthcheck" in s for s in services.values()):
        found.append(Finding("no service has a healthcheck", name))
    if not any(
        mapping(mapping(s.get("deploy")).get("resources")).get("limits") or "mem_limit" in s
        for s in services.values()
    ):
        found.append(Finding("no service limits CPU or memory", name))
    if any(project.depends_on(d) for d in ("asyncpg", "psycopg", "psycopg2", "psycopg2-binary")):
        databases = [
            s
            for s in services.values()
            if str(s.get("image", "")).startswith(("postgres", "docker.io/postgres"))
        ]
        if not databases:
            found.append(Finding("the app uses PostgreSQL; no postgres service", name))
        elif not any(s.get("volumes") for s in databases):
            found.append(Finding("the database keeps no volume", name))
    return verdict_of(
        found,
        ok=f"{name}: services, healthchecks, limits, volumes",
        broken="compose file incomplete",
    )


STANDARD.rule(
    "ORG-DOCKER-007",
    ".dockerignore is mandatory in every containerized project",
    section="§13.7 .dockerignore File",
    level="MANDATORY",
)(when_dockerfile(requires_file(".dockerignore")))


@STANDARD.rule(
    "ORG-DOCKER-008",
    ".dockerignore should exclude Git, Python caches, virtualenvs, test output, IDEs, caches, "
    "docs, CI, local env files and secrets",
    section="§13.7 .dockerignore File",
    level="SHOULD",
)
@when_dockerfile
def dockerignore_contents(project: Project) -> Verdict:
    """Each category has at least one of its patterns in .dockerignore."""
    text = project.text(".dockerignore")
    if text is None:
        return not_applicable("no .dockerignore (ORG-DOCKER-007)")
    patterns = {line.strip().lstrip("/").rstrip("/") for line in text.splitlines() if line.strip()}
    missing = [
        c for c, options in DOCKERIGNORE_CATEGORIES.items() if not patterns.intersection(options)
    ]
    if missing:
        return failed(
            f"not excluded: {', '.join(missing)}", [Finding("categories missing", ".dockerignore")]
        )
    return passed("every category excluded")


@STANDARD.rule(
    "ORG-DOCKER-009",
    "Applications should handle termination signals (SIGTERM starts a graceful shutdown)",
    section="§13.8 Graceful Shutdown",
    level="SHOULD",
)
@when_dockerfile
def exec_form_command(project: Project) -> Verdict:
    """The image's command is in exec form, so the app is PID 1 and receives SIGTERM."""
    commands = [
        (line, word, args)
        for line, word, args in final_stage(dockerfile(project) or "")
        if word in ("CMD", "ENTRYPOINT")
    ]
    if not commands:
        return failed("no CMD or ENTRYPOINT", [Finding("no command", "Dockerfile")])
    entry = [c for c in commands if c[1] == "ENTRYPOINT"]
    line, word, args = entry[-1] if entry else commands[-1]
    if args.startswith("["):
        return passed(f"{word} in exec form")
    return failed(
        f"{word} in shell form: /bin/sh gets SIGTERM, not the app",
        [Finding("shell form", "Dockerfile", line)],
    )


TASK_CALLS = (
    "asyncio.create_task",
    "asyncio.ensure_future",
    ".create_task",
    "threading.Thread",
    "threading.Timer",
)
SHUTDOWN_CALLS = (".cancel", ".add_signal_handler", "signal.signal", ".on_shutdown")


def _task_groups(modules: Iterable[tuple[Path, ast.Module]]) -> set[str]:
    """Names bound by ``async with asyncio.TaskGroup() as <name>`` (structured, not background)."""
    return {
        item.optional_vars.id
        for _, module in modules
        for node in ast.walk(module)
        if isinstance(node, ast.AsyncWith)
        for item in node.items
        if isinstance(item.optional_vars, ast.Name)
        and isinstance(item.context_expr, ast.Call)
        and dotted_name(item.context_expr.func).endswith("TaskGroup")
    }


@STANDARD.rule(
    "ORG-DOCKER-010",
    "Custom tasks must implement explicit handling of termination signals",
    section="§13.8 Graceful Shutdown",
    level="MUST",
)
def custom_tasks_shutdown(project: Project) -> Verdict:
    """A package that starts background tasks or threads cancels/joins them or handles signals."""
    calls = list(module_calls(project.modules()))
    groups = _task_groups(project.modules())
    tasks = [
        (p, c, n)
        for p, c, n in calls
        if name_matches(n, TASK_CALLS) and n.rpartition(".")[0] not in groups
    ]
    if not tasks:
        return not_applicable("the package starts no background task")
    if any(
        name_matches(n, SHUTDOWN_CALLS) or (n.endswith(".join") and not c.args) for _, c, n in calls
    ):
        return passed("background tasks are cancelled or joined at shutdown")
    return failed(
        "background tasks are never cancelled, joined or signalled",
        [project.finding(p, c, f"{n}() has no shutdown handling") for p, c, n in tasks],
    )


# ------------------------------------------------------------ §14 configuration


@STANDARD.rule(
    "ORG-CONFIG-001",
    "Configuration loaded exclusively from environment variables, using pydantic-settings",
    section="§14.1 Configuration Source",
    level="SHOULD",
)
def settings_from_env(project: Project) -> Verdict:
    """A BaseSettings class exists, and no other module reads os.environ/os.getenv."""
    if project.package is None:
        return not_applicable("no package")
    classes = settings_classes(project)
    if not classes:
        return failed(
            "no pydantic-settings BaseSettings class",
            [Finding("no settings", project.rel(project.package))],
        )
    home = {path for path, _ in classes}
    found = [
        project.finding(path, node, f"reads {dotted_name(node)} outside the settings")
        for path, module in project.modules()
        if path not in home
        for node in ast.walk(module)
        if isinstance(node, ast.Attribute) and dotted_name(node) in ("os.environ", "os.getenv")
    ]
    return verdict_of(
        found,
        ok="settings come from BaseSettings alone",
        broken="configuration read around the settings",
    )


def _secret_literal(node: ast.expr | None) -> bool:
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and len(node.value) >= 4
        and " " not in node.value
    )


def _hardcoded(project: Project, path: Path, module: ast.Module) -> Iterator[Finding]:
    """Secret-named names given a literal, and URLs with a password, in ``module``."""
    for node in ast.walk(module):
        pairs: list[tuple[str, ast.expr | None]] = []
        if isinstance(node, ast.Assign):
            pairs = [
                (t.id if isinstance(t, ast.Name) else t.attr, node.value)
                for t in node.targets
                if isinstance(t, ast.Name | ast.Attribute)
            ]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            pairs = [(node.target.id, field_default(node))]
        elif isinstance(node, ast.keyword) and node.arg:
            pairs = [(node.arg, node.value)]
        elif isinstance(node, ast.Dict):
            pairs = [
                (str(k.value), v)
                for k, v in zip(node.keys, node.values, strict=True)
                if isinstance(k, ast.Constant)
            ]
        for name, value in pairs:
            if SECRET_NAME.search(name) and _secret_literal(value):
                yield project.finding(path, value, f"{name} is a literal secret")
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and CREDENTIAL_URL.search(node.value)
        ):
            yield project.finding(path, node, "a URL with a password")


@STANDARD.rule(
    "ORG-CONFIG-002",
    "Separate secrets: never in code or versioned files",
    section="§14.2 Principles",
    level="NEVER",
)
def no_hardcoded_secrets(project: Project) -> Verdict:
    """No literal secret or credentialed URL in the package, no private key anywhere in the tree.

    A line marked ``pragma: allowlist secret`` (detect-secrets' mark) is a reviewed exception.
    """
    found: list[Finding] = []
    for path, module in project.modules():
        lines = path.read_text(errors="replace").splitlines()
        for finding in _hardcoded(project, path, module):
            if not (finding.line and ALLOWLISTED in lines[finding.line - 1]):
                found.append(finding)
    for path in project.files():
        if path.stat().st_size < 1_000_000 and path.suffix not in (".lock",):
            text = path.read_text(errors="replace")
            if PRIVATE_KEY.search(text):
                found.append(Finding("a private key", project.rel(path)))
    return verdict_of(found, ok="no secret in code or files", broken="secrets in the tree")


@STANDARD.rule(
    "ORG-CONFIG-003",
    ".env should never be versioned (in .gitignore)",
    section="§14.4 .env File",
    level="NEVER",
)
def env_ignored(project: Project) -> Verdict:
    """.gitignore ignores ``.env``."""
    if gitignored(project, ".env") is not None:
        return passed(".gitignore ignores .env")
    return failed(".env is not ignored", [Finding(".env missing from .gitignore", ".gitignore")])


# A project with settings ships .env.example.
STANDARD.rule(
    "ORG-CONFIG-004",
    ".env.example should be versioned with example values",
    section="§14.4 .env File",
    level="SHOULD",
)(
    only_if(lambda project: bool(settings_classes(project)), "no settings class")(
        requires_file(".env.example")
    )
)


# ------------------------------------------------------------------ §15 logging


STANDARD.rule(
    "ORG-LOG-001",
    "Use structlog for structured logging",
    section="§15.1 Structured Logging",
    level="SHOULD",
)(requires_dependency("structlog"))


@STANDARD.rule(
    "ORG-LOG-002",
    "Logging: JSON format mandatory (Cloud Run, for Cloud Logging)",
    section="§27.1 Case 1: Python App in Docker for Cloud Run",
    level="MANDATORY",
)
@when_dockerfile
def json_logs(project: Project) -> Verdict:
    """The containerized package renders logs as JSON (structlog's JSONRenderer, a formatter)."""
    if re.search(
        r"JSONRenderer|JsonFormatter|jsonlogger|google\.cloud\.logging", _package_text(project)
    ):
        return passed("logs are rendered as JSON")
    where = _package_where(project)
    return failed("no JSON log rendering", [Finding("no JSON renderer", where)])


def _on_gcp(project: Project) -> bool:
    """Whether the tree shows a Google Cloud deployment."""
    return (
        any(project.exists(n) for n in GCP_FILES)
        or bool(GCP_CI.search(ci_text(project)))
        or any(n.startswith("google-cloud-") for n in project.dependencies)
    )


@STANDARD.rule(
    "ORG-LOG-003",
    "When deploying to GCP, logs carry severity, message, logging.googleapis.com/trace and spanId",
    section="§15.4 Format for Cloud Logging (GCP)",
    level="SHOULD",
)
def gcp_log_fields(project: Project) -> Verdict:
    """On GCP, the package's log processors write Cloud Logging's field names."""
    if not _on_gcp(project):
        return not_applicable("nothing shows a Google Cloud deployment")
    text = _package_text(project)
    missing = [
        f
        for f in ("severity", "logging.googleapis.com/trace", "logging.googleapis.com/spanId")
        if f not in text
    ]
    if missing:
        return failed(
            f"log fields missing: {', '.join(missing)}",
            [Finding("no Cloud Logging fields", _package_where(project))],
        )
    return passed("Cloud Logging fields written")


@STANDARD.rule(
    "ORG-LOG-004",
    "Every request should have a unique ID for log correlation (X-Request-ID)",
    section="§15.6 Correlation IDs (Request Tracing)",
    level="SHOULD",
)
def correlation_ids(project: Project) -> Verdict:
    """A web service reads/writes X-Request-ID, X-Correlation-ID or traceparent."""
    if not _web_app(project):
        return not_applicable("no web framework")
    if project.depends_on("asgi-correlation-id") or re.search(
        r"(?i)x-request-id|x-correlation-id|traceparent", _package_text(project)
    ):
        return passed("requests carry a correlation ID")
    return failed(
        "no request ID header handled", [Finding("no correlation ID", _package_where(project))]
    )


@STANDARD.rule(
    "ORG-LOG-005",
    "Expose application metrics using prometheus-client",
    section="§15.7 Metrics",
    level="SHOULD",
)
def prometheus_metrics(project: Project) -> Verdict:
    """A web service depends on prometheus-client (or an exporter built on it)."""
    if not _web_app(project):
        return not_applicable("no web framework")
    return requires_dependency("prometheus-client", "prometheus-fastapi-instrumentator")(project)


# ------------------------------------------------------------ §16 error handling


@STANDARD.rule(
    "ORG-ERR-001",
    "Don't silence errors: never use `except: pass`",
    section=S_ERRORS,
    level="NEVER",
)
def no_silenced_errors(project: Project) -> Verdict:
    """No except clause of the package whose body is only ``pass`` (or ``...``)."""
    found = [
        project.finding(path, node, "an exception is silenced")
        for path, module in project.modules()
        for node in ast.walk(module)
        if isinstance(node, ast.ExceptHandler)
        and all(
            isinstance(s, ast.Pass)
            or (
                isinstance(s, ast.Expr)
                and isinstance(s.value, ast.Constant)
                and s.value.value is Ellipsis
            )
            for s in node.body
        )
    ]
    return verdict_of(found, ok="no silenced exception", broken="exceptions silenced")


LOG_METHODS = LOG_LEVELS | {"warn", "log", "msg"}


def _logs(statements: Iterable[ast.AST]) -> bool:
    """Whether any of ``statements`` calls a logger method (on anything named like a logger,
    or on an expression: ``get_logger().info``)."""
    return any(
        any(logger_calls(ast.walk(statement), LOG_METHODS, _names_a_logger))
        for statement in statements
    )


def _names_a_logger(receiver: ast.expr) -> bool:
    """Whether a method's receiver may be a logger: named ``*log*``, or not a plain name."""
    return re.search(r"(?i)log", dotted_name(receiver) or "log") is not None


def _reraises(handler: ast.ExceptHandler) -> Iterator[ast.Raise]:
    """The ``raise`` statements of ``handler`` that raise what it caught again.

    A bare ``raise`` (or ``raise <name it caught>``), outside nested handlers and functions.
    """
    for node in own_body(handler):
        nested = any(
            isinstance(outer, ast.ExceptHandler) and node in list(ast.walk(outer))
            for outer in own_body(handler)
        )
        caught = isinstance(node, ast.Raise) and (
            node.exc is None or (isinstance(node.exc, ast.Name) and node.exc.id == handler.name)
        )
        if caught and not nested and isinstance(node, ast.Raise):
            yield node


@STANDARD.rule(
    "ORG-ERR-002",
    "Logging on errors: always log with context before re-raise",
    section=S_ERRORS,
    level="MUST",
)
def log_before_reraise(project: Project) -> Verdict:
    """Each except clause that re-raises what it caught (bare ``raise``) logs before it.

    Raising another exception ``from`` the caught one is a translation, not a re-raise.
    """
    found: list[Finding] = []
    for path, module in project.modules():
        for handler in ast.walk(module):
            if not isinstance(handler, ast.ExceptHandler):
                continue
            for node in _reraises(handler):
                if not _logs(s for s in handler.body if s.lineno < node.lineno):
                    found.append(project.finding(path, node, "re-raised without a log line"))
    return verdict_of(
        found, ok="every re-raise is logged first", broken="errors re-raised unlogged"
    )


def _engine_timeouts(call: ast.Call) -> bool:
    """Whether an engine call sets a statement timeout (in connect_args or options)."""
    return any(k.arg in STATEMENT_TIMEOUTS for k in call.keywords) or any(
        any(t in s for t in STATEMENT_TIMEOUTS) for s in string_values(call)
    )


@STANDARD.rule(
    "ORG-RES-001",
    "Always define timeout: never leave external operations without limit",
    section="§16.4 Standard Timeouts",
    level="MUST",
)
def external_timeouts(project: Project) -> Verdict:
    """HTTP, Redis and database clients of the package are given a timeout.

    (§16.5's "always set timeout on async operations" is the same requirement.)
    """
    found: list[Finding] = []
    checked = 0
    for path, call, name in module_calls(project.modules()):
        if name in TIMEOUT_KEYWORDS:
            checked += 1
            if not any(kwarg(call, k) is not None for k in TIMEOUT_KEYWORDS[name]):
                found.append(
                    project.finding(path, call, f"{name}() without {TIMEOUT_KEYWORDS[name][0]}")
                )
        elif name.split(".")[-1] in ENGINE_CALLS:
            checked += 1
            if not _engine_timeouts(call):
                found.append(project.finding(path, call, f"{name}() sets no statement timeout"))
    if not checked:
        return not_applicable("the package makes no external call it could bound")
    return verdict_of(
        found, ok="every external client has a timeout", broken="external calls without limit"
    )


@STANDARD.rule(
    "ORG-RES-002",
    "Don't block: never use blocking code in async context",
    section="§16.5 Async Best Practices",
    level="NEVER",
)
def no_blocking_in_async(project: Project) -> Verdict:
    """Blocking calls made directly in an ``async def`` of the package."""
    return verdict_of(
        calls_in_async(project, BLOCKING_CALLS),
        ok="no blocking call in any async def of the package",
        broken="blocking calls run on the event loop",
    )


# ---------------------------------------------------------------- §17 databases


def _imports_sqlalchemy(project: Project) -> bool:
    return any(
        within(name, "sqlalchemy") for _, m in project.modules() for name in imported_modules(m)
    )


@STANDARD.rule(
    "ORG-DB-001",
    "SQLAlchemy 2.0 modern declarative style: mapped columns with types, async sessions",
    section="§17.1 ORM: SQLAlchemy 2.0",
    level="SHOULD",
)
def sqlalchemy_2(project: Project) -> Verdict:
    """No ``Column``/``declarative_base`` of 1.x style, and an async engine or session."""
    if not _imports_sqlalchemy(project):
        return not_applicable("no SQLAlchemy")
    calls = list(module_calls(project.modules()))
    found = [
        project.finding(p, c, f"{n}(): 1.x style, use mapped_column/DeclarativeBase")
        for p, c, n in calls
        if n.split(".")[-1] in ("Column", "declarative_base")
    ]
    if not any(
        n.split(".")[-1] in ("create_async_engine", "AsyncSession", "async_sessionmaker")
        for _, _, n in calls
    ):
        found.append(
            Finding(
                "no async engine or session",
                _package_where(project),
            )
        )
    return verdict_of(
        found, ok="typed mapped columns, async sessions", broken="SQLAlchemy 1.x style"
    )


@STANDARD.rule(
    "ORG-DB-002",
    "Repository pattern: encapsulate data access in repositories",
    section="§17.2 Repository Pattern",
    level="SHOULD",
)
def repositories(project: Project) -> Verdict:
    """A package that uses SQLAlchemy has a repository module or package."""
    if not _imports_sqlalchemy(project):
        return not_applicable("no SQLAlchemy")
    if any("repositor" in project.rel(p) for p in project.python_files()):
        return passed("data access lives in repositories")
    return failed(
        "no repository module",
        [Finding("no repositories", _package_where(project))],
    )


@STANDARD.rule(
    "ORG-DB-003",
    "Use Alembic for migrations, versioned in Git",
    section="§17.3 Migrations",
    level="SHOULD",
)
def alembic_migrations(project: Project) -> Verdict:
    """Alembic is a dependency, configured, and has a versions directory with a revision."""
    if not _imports_sqlalchemy(project):
        return not_applicable("no SQLAlchemy")
    found = [] if project.uses("alembic") else [Finding("no alembic dependency", "pyproject.toml")]
    if not (project.exists("alembic.ini") or project.tool("alembic")):
        found.append(Finding("no Alembic configuration", "alembic.ini"))
    if not [
        p for p in project.files("**/versions/*.py") if "revision" in p.read_text(errors="replace")
    ]:
        found.append(Finding("no migration revision", "migrations/versions"))
    return verdict_of(found, ok="Alembic revisions are versioned", broken="no Alembic migrations")


STANDARD.undecidable(
    "ORG-DB-004",
    "Always review auto-generated migrations before applying",
    section="§17.3 Migrations",
    level="MUST",
    reason="A review is a habit of the team; no file records that a migration was read "
    "before it ran.",
)


@STANDARD.rule(
    "ORG-DB-005",
    "Configure the connection pool: pool_size, max_overflow, pool_pre_ping, pool_recycle",
    section="§17.4 Connection Pooling",
    level="SHOULD",
)
def pool_configured(project: Project) -> Verdict:
    """Each engine is created with the four pool settings."""
    engines = [
        (p, c) for p, c, n in module_calls(project.modules()) if n.split(".")[-1] in ENGINE_CALLS
    ]
    if not engines:
        return not_applicable("no engine is created")
    found = [
        project.finding(p, c, f"pool settings missing: {', '.join(missing)}")
        for p, c in engines
        if (missing := [k for k in POOL_SETTINGS if kwarg(c, k) is None])
    ]
    return verdict_of(found, ok="the pool is configured", broken="pool left at defaults")


def _naive_datetime(call: ast.Call, name: str) -> str | None:
    """Why ``call`` makes a naive datetime or column, or None."""
    owner, _, attr = name.rpartition(".")
    if owner.endswith("datetime"):
        if attr in ("utcnow", "utcfromtimestamp"):
            return f"{name}() is naive"
        if attr == "now" and not call.args and kwarg(call, "tz") is None:
            return f"{name}() without tz is naive"
        if attr == "today":
            return f"{name}() is naive"
        if attr == "fromtimestamp" and len(call.args) < 2 and kwarg(call, "tz") is None:
            return f"{name}() without tz is naive"
    if attr in ("DateTime", "TIMESTAMP") or name in ("DateTime", "TIMESTAMP"):
        timezone = kwarg(call, "timezone") or (call.args[0] if call.args else None)
        if not is_constant(timezone, True):
            return f"{name}() column without timezone=True"
    return None


@STANDARD.rule(
    "ORG-DB-006",
    "Timezone-aware timestamps: always use timezone-aware datetimes (UTC)",
    section="§17.5 Data Practices",
    level="MUST",
)
def aware_datetimes(project: Project) -> Verdict:
    """No naive ``datetime.now()``/``utcnow()``..., no ``DateTime`` column without timezone, and no
    ``Mapped[datetime]`` left to SQLAlchemy's naive default."""
    modules = list(modules_in(project, None, "migrations"))
    if not any("datetime" in imported_modules(m) or "DateTime" in ast.dump(m) for _, m in modules):
        return not_applicable("no datetime is used")
    found = [
        project.finding(path, call, why)
        for path, call, name in module_calls(modules)
        if (why := _naive_datetime(call, name))
    ]
    mapped = any("type_annotation_map" in ast.dump(m) for _, m in modules)
    for path, module in modules:
        for node in ast.walk(module):
            if (
                not mapped
                and isinstance(node, ast.AnnAssign)
                and "Mapped[datetime"
                in ast.unparse(node.annotation).replace("datetime.datetime", "datetime")
                and isinstance(node.value, ast.Call)
                and not any(
                    isinstance(a, ast.Call)
                    and dotted_name(a.func).endswith(("DateTime", "TIMESTAMP"))
                    for a in node.value.args
                )
            ):
                found.append(
                    project.finding(
                        path, node, "Mapped[datetime] without DateTime(timezone=True) is naive"
                    )
                )
    return verdict_of(found, ok="every datetime is timezone-aware", broken="naive datetimes")


def _indexed_names(module: ast.Module) -> set[str]:
    """Column names an Index/create_index/unique or primary-key constraint of ``module`` covers."""
    names: set[str] = set()
    for _, call, name in module_calls([(Path(), module)]):
        if name.split(".")[-1] in (
            "Index",
            "create_index",
            "UniqueConstraint",
            "PrimaryKeyConstraint",
        ):
            names.update(string_values(call))
            names.update(n.attr for n in ast.walk(call) if isinstance(n, ast.Attribute))
            names.update(n.id for n in ast.walk(call) if isinstance(n, ast.Name))
    return names


@STANDARD.rule(
    "ORG-DB-007",
    "Indexes on FKs: always index foreign keys",
    section="§17.6 Indexes and Optimization",
    level="MUST",
)
def foreign_keys_indexed(project: Project) -> Verdict:
    """Each column with a ForeignKey is index=True, unique, a primary key, or in an Index."""
    found: list[Finding] = []
    seen = False
    for path, module in modules_in(project, None, "migrations"):
        covered = _indexed_names(module)
        for node in ast.walk(module):
            target = ""
            value: ast.expr | None = None
            if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                target, value = node.target.id, node.value
            elif (
                isinstance(node, ast.Assign)
                and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
            ):
                target, value = node.targets[0].id, node.value
            elif (
                isinstance(node, ast.Call)
                and dotted_name(node.func).split(".")[-1] == "Column"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                target, value = str(node.args[0].value), node
            if not isinstance(value, ast.Call) or dotted_name(value.func).split(".")[-1] not in (
                "Column",
                "mapped_column",
            ):
                continue
            if not any(
                isinstance(a, ast.Call) and dotted_name(a.func).split(".")[-1] == "ForeignKey"
                for a in value.args
            ):
                continue
            seen = True
            if not (
                any(is_constant(kwarg(value, k), True) for k in ("index", "unique", "primary_key"))
                or target in covered
            ):
                found.append(project.finding(path, value, f"foreign key {target} has no index"))
    if not seen:
        return not_applicable("no foreign key")
    return verdict_of(found, ok="every foreign key is indexed", broken="foreign keys without index")


# ----------------------------------------------------------------------- §18 APIs


@STANDARD.rule(
    "ORG-API-002",
    "FastAPI is the standard framework for REST APIs",
    section="§18.1 Framework: FastAPI",
    level="SHOULD",
)
def fastapi_framework(project: Project) -> Verdict:
    """A web service's framework is FastAPI."""
    others = [
        n for n in WEB_FRAMEWORKS if n not in ("fastapi", "starlette") and project.depends_on(n)
    ]
    if others:
        return failed(
            f"built on {', '.join(others)}",
            [Finding(f"depends on {n}", "pyproject.toml") for n in others],
        )
    if project.depends_on("fastapi"):
        return passed("built on FastAPI")
    return not_applicable("no web framework")


@STANDARD.rule(
    "ORG-API-003",
    "API versioning: include version in path, /api/v1/...",
    section="§18.3 API Versioning",
    level="SHOULD",
)
def versioned_paths(project: Project) -> Verdict:
    """A router prefix or path constant starts with ``/api/vN`` (or a ``prefix=`` holds ``/vN``)."""
    if not _web_app(project):
        return not_applicable("no web framework")
    for _, module in project.modules():
        for node in ast.walk(module):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and re.match(r"/api/v\d+", node.value)
            ):
                return passed(f"versioned path {node.value}")
            if (
                isinstance(node, ast.keyword)
                and node.arg == "prefix"
                and any(re.search(r"/v\d+", s) for s in string_values(node.value))
            ):
                return passed("versioned router prefix")
    return failed(
        "no /api/vN path",
        [Finding("unversioned API", _package_where(project))],
    )


@STANDARD.rule(
    "ORG-API-004",
    "HTTP client: use httpx to consume external APIs",
    section="§18.5 HTTP Client: httpx",
    level="SHOULD",
)
def httpx_client(project: Project) -> Verdict:
    """No requests/aiohttp/urllib3 runtime dependency."""
    others = [n for n in ("requests", "aiohttp", "urllib3") if project.depends_on(n)]
    if others:
        return failed(
            f"HTTP client {', '.join(others)}",
            [Finding(f"depends on {n}", "pyproject.toml") for n in others],
        )
    if project.depends_on("httpx"):
        return passed("httpx")
    return not_applicable("no HTTP client dependency")


@STANDARD.rule(
    "ORG-API-005",
    "Error format: use Problem Details (RFC 7807)",
    section="§18.8 Error Format (RFC 7807)",
    level="SHOULD",
)
def problem_details(project: Project) -> Verdict:
    """The web service answers errors as ``application/problem+json``."""
    if not _web_app(project):
        return not_applicable("no web framework")
    if "application/problem+json" in _package_text(project):
        return passed("errors are problem details")
    return failed(
        "errors are not RFC 7807 problems",
        [Finding("no application/problem+json", _package_where(project))],
    )


@STANDARD.rule(
    "ORG-API-006",
    "Support Idempotency-Key for operations that mutate state (POST, PUT)",
    section="§18.9 Idempotency Keys",
    level="SHOULD",
)
def idempotency_keys(project: Project) -> Verdict:
    """A service with POST/PUT routes reads the Idempotency-Key header."""
    routes = [
        (p, n)
        for p, module in project.modules()
        for n in ast.walk(module)
        if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
        and any(d.split(".")[-1] in ("post", "put") for d in decorator_names(n))
    ]
    if not routes:
        return not_applicable("no POST or PUT route")
    if re.search(r"(?i)idempotency[-_]key", _package_text(project)):
        return passed("Idempotency-Key supported")
    return failed(
        "POST/PUT without Idempotency-Key",
        [project.finding(p, n, "no Idempotency-Key") for p, n in routes],
    )


@STANDARD.rule(
    "ORG-API-007",
    "CORS: never use * as allowed origin with credentials",
    section="§18.12 CORS (Cross-Origin Resource Sharing)",
    level="NEVER",
)
def cors_no_wildcard(project: Project) -> Verdict:
    """No CORSMiddleware with a literal ``*`` origin unless credentials are literally off."""
    uses = [
        (p, c)
        for p, c, _ in module_calls(project.modules())
        if any(dotted_name(a).endswith("CORSMiddleware") for a in c.args)
        or dotted_name(c.func).endswith("CORSMiddleware")
    ]
    if not uses:
        return not_applicable("no CORS middleware")
    found: list[Finding] = []
    for path, call in uses:
        origins = kwarg(call, "allow_origins")
        regex = kwarg(call, "allow_origin_regex")
        wildcard = (origins is not None and "*" in string_values(origins)) or (
            regex is not None and ".*" in string_values(regex)
        )
        credentials = kwarg(call, "allow_credentials")
        if (
            wildcard
            and not (isinstance(credentials, ast.Constant) and credentials.value is False)
            and credentials is not None
        ):
            found.append(project.finding(path, call, "allow_origins '*' with credentials"))
    return verdict_of(
        found,
        ok="no wildcard origin with credentials",
        broken="CORS allows any origin with credentials",
    )


STANDARD.undecidable(
    "ORG-API-008",
    "Preflight: OPTIONS must respond correctly",
    section="§18.12 CORS (Cross-Origin Resource Sharing)",
    level="MUST",
    reason="Whether preflight requests get the right answer is runtime behaviour of the deployed "
    "app and its proxies, not something a file shows.",
)


@STANDARD.rule(
    "ORG-API-009",
    "HTTP security headers every API should include: HSTS, X-Content-Type-Options, "
    "X-Frame-Options, X-XSS-Protection, Content-Security-Policy, Referrer-Policy",
    section="§18.13 HTTP Security Headers",
    level="SHOULD",
)
def security_headers(project: Project) -> Verdict:
    """The web service's code names each header."""
    if not _web_app(project):
        return not_applicable("no web framework")
    text = _package_text(project).lower()
    missing = [h for h in SECURITY_HEADERS if h.lower() not in text]
    if missing:
        return failed(
            f"not sent: {', '.join(missing)}", [Finding("headers missing", _package_where(project))]
        )
    return passed("every security header is sent")


# ----------------------------------------------------------- §21, §23, §24, §27


@STANDARD.rule(
    "ORG-DATA-001",
    "Prefer Polars over Pandas for DataFrames",
    section="§21.1 DataFrames: Polars",
    level="SHOULD",
)
def polars(project: Project) -> Verdict:
    """No pandas runtime dependency."""
    if project.depends_on("pandas"):
        return failed("depends on pandas", [_at(project, "pyproject.toml", "pandas", "pandas")])
    if project.depends_on("polars"):
        return passed("polars")
    return not_applicable("no DataFrame library")


@STANDARD.rule(
    "ORG-DATA-002",
    "Paths: use pathlib.Path, avoid os.path",
    section="§21.4 File Handling",
    level="SHOULD",
)
def pathlib_paths(project: Project) -> Verdict:
    """The package calls no ``os.path`` function."""
    found = [
        project.finding(p, c, f"{n}()")
        for p, c, n in module_calls(project.modules())
        if n.startswith("os.path.")
    ]
    return verdict_of(found, ok="pathlib only", broken="os.path used")


@STANDARD.rule(
    "ORG-CLI-001",
    "Define CLI entry points in pyproject.toml",
    section="§23.3 Entry Points",
    level="SHOULD",
)
def cli_entry_points(project: Project) -> Verdict:
    """A package with a Typer/Click CLI declares ``[project.scripts]``."""
    if not (imports_of(project, "typer") or imports_of(project, "click")):
        return not_applicable("the package has no CLI")
    if mapping(project.pyproject.get("project")).get("scripts"):
        return passed("[project.scripts] declared")
    return failed("no [project.scripts]", [Finding("no entry point", "pyproject.toml")])


@STANDARD.rule(
    "ORG-DEV-001",
    "Define common commands in Justfile: install, dev, lint, fix, typecheck, test, test-cov, "
    "security, check, build, up/down, docs",
    section="§24.2 Justfile",
    level="SHOULD",
)
def just_recipes(project: Project) -> Verdict:
    """The Justfile has each recipe (Docker's with a Dockerfile, docs with mkdocs.yml)."""
    text = justfile(project)
    if text is None:
        return not_applicable("no Justfile (ORG-STACK-006)")
    wanted: list[str] = list(JUST_RECIPES)
    if dockerfile(project) is not None:
        wanted.extend(JUST_DOCKER_RECIPES)
    if project.exists("mkdocs.yml"):
        wanted.append("docs")
    missing = [r for r in wanted if r not in recipes(text)]
    if missing:
        return failed(
            f"recipes missing: {', '.join(missing)}", [Finding("recipes missing", "Justfile")]
        )
    return passed("every standard recipe defined")


@STANDARD.rule(
    "ORG-GRPC-001",
    "gRPC: always propagate deadlines",
    section="§27.8 Case 8: Microservices with gRPC",
    level="MUST",
)
def grpc_deadlines(project: Project) -> Verdict:
    """Every call on a gRPC stub passes ``timeout=``."""
    if not imports_of(project, "grpc"):
        return not_applicable("no gRPC")
    calls = [
        (p, c, n)
        for p, c, n in module_calls(project.modules())
        if isinstance(c.func, ast.Attribute) and dotted_name(c.func.value).lower().endswith("stub")
    ]
    if not calls:
        return not_applicable("no gRPC stub call")
    found = [
        project.finding(p, c, f"{n}() without timeout")
        for p, c, n in calls
        if kwarg(c, "timeout") is None
    ]
    return verdict_of(
        found, ok="every stub call carries a deadline", broken="gRPC calls without deadline"
    )
