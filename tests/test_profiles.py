"""Each named profile renders, with its defaults only, a service that passes its gate.

The gate is the one every rendered service must pass: ``uv sync --locked``,
``just check`` against the PostgreSQL server, migrations down and up, and the
production server booted and exercised over HTTP. Each profile's smaller rules
that show in the code (docs/profiles.md) are checked on the same render.
(org-standard is the default service: tests/test_default_project.py.)
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from keel import space
from keel.audit import audit, failed_musts, resolve
from keel.audit.profiles import rules_markdown, summary_row
from keel.docs import embedded
from keel.own import run_gate
from tests.conftest import RenderOnce, gate_timings

pytestmark = pytest.mark.full

TEMPLATE = space.load()
PROFILES = [p for p in TEMPLATE.choices("profile") if p not in {"org-standard", "custom"}]


@pytest.mark.parametrize("profile", PROFILES)
def test_a_profile_renders_a_service_that_passes_its_gate(
    profile: str,
    render_committed: RenderOnce,
    server_database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    record_property: Callable[[str, object], None],
) -> None:
    monkeypatch.setenv("DATABASE_URL", server_database_url)
    project = render_committed(profile=profile)

    result = run_gate(project)
    record_property("timings", gate_timings(result))

    failed = [step for step in result.steps if not step.ok]
    assert not failed, f"{failed[0].name}: {failed[0].command}\n{failed[0].first_error}"
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    presets = TEMPLATE.profile_presets[profile]
    asked = {question.name for question in TEMPLATE.asked}
    stack = {key: value for key, value in presets.items() if key in asked}
    assert {key: answers[key] for key in stack} == stack
    # What a standard fine-tunes follows the profile, not a recorded answer.
    assert not set(presets) - asked & set(answers)
    assert "created and read back item" in result.step("boot").summary


def _settings_source(project: Path) -> str:
    return next(project.glob("src/*/core/config.py")).read_text()


@pytest.mark.xdist_group("profile-fastapi-layered")
def test_fastapi_layered_shows_its_standards_smaller_rules(
    render_committed: RenderOnce,
) -> None:
    project = render_committed(profile="fastapi-layered")

    settings = _settings_source(project)
    main = next(project.glob("src/*/main.py")).read_text()
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert 'docs_url="/docs" if settings.debug else None' in main
    assert "access_token_minutes: int = Field(default=30" in settings
    assert "log_dir: Path | None" in settings
    assert "logs/" in (project / ".gitignore").read_text().splitlines()
    assert pyproject["project"]["requires-python"] == ">=3.13"
    service = next(project.glob("src/*/services/items.py")).read_text()
    assert "logger = logging.getLogger(__name__)" in service
    assert 'extra={"item_id": str(item.id)}' in service
    pagination = next(project.glob("src/*/schemas/pagination.py")).read_text()
    assert "total_pages: int" in pagination
    assert 'alias="per_page"' in pagination
    middleware = next(project.glob("src/*/middleware.py")).read_text()
    assert "GZipMiddleware" in middleware
    base = next(project.glob("src/*/repositories/base.py")).read_text()
    assert "class Repository[ModelT: Base]:" in base


@pytest.mark.xdist_group("profile-fastapi-services")
def test_fastapi_services_logs_with_stdlib_extra_and_caches_per_worker(
    render_committed: RenderOnce,
) -> None:
    project = render_committed(profile="fastapi-services")

    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    service = next(project.glob("src/*/services/items.py")).read_text()
    assert answers["cache"] == "memory"
    assert "logger = logging.getLogger(__name__)" in service
    assert 'logger.info("item.created", extra={"item_id": str(item.id)})' in service
    assert "structlog" not in (project / "pyproject.toml").read_text()


@pytest.mark.xdist_group("profile-fastapi-modular")
def test_fastapi_modular_has_one_package_per_domain_and_its_probe_paths(
    render_committed: RenderOnce,
) -> None:
    project = render_committed(profile="fastapi-modular")

    package = next(project.glob("src/*/main.py")).parent
    for module in ("router", "schemas", "models", "repository", "service"):
        assert (package / "items" / f"{module}.py").is_file()
        assert (package / "auth" / f"{module}.py").is_file()
    for module in ("dependencies", "constants", "exceptions"):
        assert (package / "items" / f"{module}.py").is_file()
    assert (package / "infra" / "db" / "base.py").is_file()
    assert (package / "infra" / "db" / "repository.py").is_file()
    assert (package / "core" / "middleware.py").is_file()
    assert (package / "infra" / "cache.py").is_file()
    for layered_package in ("api", "services", "repositories", "schemas", "models"):
        assert not (package / layered_package).exists()
    health = (package / "health" / "router.py").read_text()
    assert '@probe_aliases.get(\n    "/healthz",' in health
    assert '"/readyz",' in health
    main = (package / "main.py").read_text()
    assert 'docs_url="/docs" if settings.debug else None' in main
    assert "DEFAULT_LIMIT = 50" in (package / "core" / "pagination.py").read_text()
    assert "ItemNotFoundError" in (package / "items" / "service.py").read_text()


SLICES = ("create_item", "get_item", "list_items", "update_item", "delete_item")


@pytest.mark.xdist_group("profile-litestar-slices")
def test_litestar_slices_has_a_package_per_action_and_no_pydantic(
    render_committed: RenderOnce,
) -> None:
    project = render_committed(profile="litestar-slices")

    package = next(project.glob("src/*/main.py")).parent
    items = package / "features" / "items"
    for action in SLICES:
        for module in ("router", "command", "handler", "queries"):
            assert (items / action / f"{module}.py").is_file(), f"{action}/{module}.py"
        # Handlers are business logic: no Litestar, no HTTP.
        assert "litestar" not in (items / action / "handler.py").read_text()
    for layered_package in ("api", "services", "repositories", "schemas", "models", "items"):
        assert not (package / layered_package).exists()
    sources = "\n".join(path.read_text() for path in package.rglob("*.py"))
    assert "sqlalchemy" not in sources  # asyncpg direct; SQLAlchemy only runs Alembic
    assert "pydantic" not in sources
    assert 'name = "pydantic"' not in (project / "uv.lock").read_text()
    assert "uuid7()" in (items / "create_item" / "handler.py").read_text()
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert pyproject["project"]["requires-python"] == ">=3.13"
    dockerfile = (project / "Dockerfile").read_text()
    assert dockerfile.count("FROM python:3.13-slim") == 2  # staged and slim


@pytest.mark.parametrize("profile", TEMPLATE.named_profiles)
def test_a_profile_follows_its_standard_as_docs_profiles_md_says(
    profile: str, render_committed: RenderOnce
) -> None:
    project = render_committed(profile=profile)

    results = audit(project, resolve(profile))

    broken = sorted(f"{r.rule.id}: {r.reason}" for r in failed_musts(results))
    assert not broken, f"MUST rules of its own standard that {profile} breaks: {broken}"
    stale_deviations = [r.rule.id for r in results if "deviation can go" in r.reason]
    assert not stale_deviations, f"documented deviations that pass: {stale_deviations}"
    page = space.TEMPLATE_ROOT / "docs" / "profiles.md"
    stale = "docs/profiles.md is stale: run `uv run just docs`"
    assert embedded(page, f"audit-{profile}") == rules_markdown(results), stale
    assert summary_row(profile, results) in embedded(page, "audit-summary"), stale


@pytest.mark.xdist_group("profile-org-standard")
def test_another_standard_refuses_a_profiles_render(render_committed: RenderOnce) -> None:
    project = render_committed(profile="org-standard")

    broken = {result.rule.id for result in failed_musts(audit(project, resolve("litestar-slices")))}

    # A FastAPI service on Pydantic and SQLAlchemy, grouped by layer.
    assert {"LS-STACK-003", "LS-STACK-004", "LS-SER-001", "LS-ARCH-001"} <= broken
