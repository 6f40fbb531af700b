"""Bad answers are refused with a message saying what is allowed; nothing is written."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml
from copier import run_recopy
from pytest_copier import CopierFixture

from keel import space


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"project_name": "9 lives"}, "project_name '9 lives' is not allowed"),
        ({"project_slug": "Not_Kebab"}, "project_slug 'Not_Kebab' is not allowed"),
        ({"package_name": "my-service"}, "use a lowercase Python identifier"),
        ({"package_name": "import"}, "package_name 'import' is a Python keyword"),
        ({"package_name": "logging"}, "package_name 'logging' is a standard-library module"),
        ({"package_name": "a" * 33}, "is longer than 32 characters"),
        ({"author_email": "nobody"}, "author_email 'nobody' is not an e-mail address"),
        ({"framework": "django"}, "Invalid choice for 'framework': 'django'"),
        ({"python_version": "3.10"}, "Invalid choice for 'python_version': '3.10'"),
        (
            {"profile": "custom", "database": "none", "auth": "jwt"},
            "auth='jwt' keeps its users in PostgreSQL: answer database='postgresql'",
        ),
        (
            {"profile": "custom", "framework": "fastapi", "architecture": "vertical-slice"},
            "architecture='vertical-slice' is built on Litestar",
        ),
        (
            {
                "profile": "custom",
                "framework": "litestar",
                "architecture": "vertical-slice",
                "database": "none",
            },
            "architecture='vertical-slice' runs each slice's SQL on PostgreSQL",
        ),
        (
            {
                "profile": "custom",
                "framework": "litestar",
                "architecture": "vertical-slice",
                "db_access": "sqlalchemy",
            },
            "keeps each slice's SQL in its queries.py and runs it over asyncpg",
        ),
        (
            {"profile": "custom", "framework": "litestar", "gzip_responses": True},
            "gzip_responses=True is FastAPI's GZipMiddleware: answer framework='fastapi'",
        ),
        (
            {"profile": "fastapi-layered", "log_to_files": True, "logging": "structlog"},
            "logging='structlog' is not allowed in the fastapi-layered profile",
        ),
        (
            {"profile": "custom", "logging": "structlog", "log_to_files": True},
            "log_to_files=True adds rotating file handlers to standard-library logging",
        ),
    ],
    ids=lambda value: "-".join(value) if isinstance(value, dict) else None,
)
def test_bad_answer_is_refused_and_nothing_written(
    copier: CopierFixture, tmp_path: Path, answers: dict[str, str], message: str
) -> None:
    destination = tmp_path / "service"

    with pytest.raises(ValueError, match=re.escape(message)):
        copier.copy(destination, **answers)

    assert not destination.exists() or not any(destination.iterdir())


TEMPLATE = space.load()
LONGEST_NAME = "Inventory Management and Fulfilment Service for Warehouses in EU"


@pytest.mark.parametrize("profile", list(TEMPLATE.profile_presets))
def test_the_longest_names_allowed_render_a_lint_clean_service(
    copier: CopierFixture, tmp_path: Path, profile: str
) -> None:
    """The longest names the validators let through still fit the service's lines."""
    package = "inventory_management_fulfilment_"
    assert (len(LONGEST_NAME), len(package)) == (64, 32)

    project = copier.copy(
        tmp_path / "service", profile=profile, project_name=LONGEST_NAME, package_name=package
    ).path

    for command in (
        ["ruff", "check", "--output-format", "concise", "."],
        ["ruff", "format", "--check", "."],
        ["yamllint", "--strict", "."],
    ):
        checked = subprocess.run(command, cwd=project, capture_output=True, text=True, check=False)
        assert checked.returncode == 0, f"{' '.join(command)}:\n{checked.stdout}{checked.stderr}"


FORBIDDEN = [
    (profile, question, value, rule["rule"])
    for profile, questions in TEMPLATE.questions["profile_rules"].default.items()
    for question, rule in questions.items()
    for value in TEMPLATE.choices(question)
    if value not in rule["allowed"]
]


@pytest.mark.parametrize(
    ("profile", "question", "value", "rule"),
    FORBIDDEN,
    ids=[f"{profile}-{question}-{value}" for profile, question, value, _ in FORBIDDEN],
)
def test_a_profile_refuses_what_its_standard_forbids(
    copier: CopierFixture, tmp_path: Path, profile: str, question: str, value: object, rule: str
) -> None:
    destination = tmp_path / "service"
    answers = {"profile": profile, question: value}

    with pytest.raises(
        ValueError, match=re.escape(f"not allowed in the {profile} profile: {rule}")
    ):
        copier.copy(destination, **answers)

    assert not destination.exists() or not any(destination.iterdir())


# The way out that refusal names: the same answer under profile=custom (one render
# per answer, however many profiles forbid it).
WAYS_OUT = sorted({(question, value) for _, question, value, _ in FORBIDDEN}, key=str)


@pytest.mark.parametrize(("question", "value"), WAYS_OUT, ids=[f"{q}-{v}" for q, v in WAYS_OUT])
def test_custom_renders_what_a_profile_forbids(
    copier: CopierFixture, tmp_path: Path, question: str, value: object
) -> None:
    # Feature slices also need Litestar over asyncpg.
    slices = {"framework": "litestar", "db_access": "asyncpg"} if value == "vertical-slice" else {}

    project = copier.copy(tmp_path / "custom", profile="custom", **{question: value, **slices})

    answers = yaml.safe_load((project.path / ".copier-answers.yml").read_text())
    assert answers[question] == value


def test_custom_reaches_what_a_profile_fine_tunes(copier: CopierFixture, tmp_path: Path) -> None:
    """A preset of fastapi-layered (flat pages of `per_page` items), chosen in `custom`."""
    project = copier.copy(
        tmp_path / "service", profile="custom", flat_pagination=True, default_page_size=25
    ).path

    pagination = project / "src" / "demo_service" / "schemas" / "pagination.py"
    assert "per_page" in pagination.read_text()
    assert "25" in pagination.read_text()
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert (answers["flat_pagination"], answers["default_page_size"]) == (True, 25)

    # Rendered again from its answers file alone (as `copier update` starts), it keeps them.
    pagination.unlink()
    run_recopy(project, defaults=True, overwrite=True, unsafe=True, skip_tasks=True, quiet=True)

    assert "per_page" in pagination.read_text()
    assert "25" in pagination.read_text()


def test_a_named_profile_records_none_of_its_presets(copier: CopierFixture, tmp_path: Path) -> None:
    """An update of a named profile's service brings its standard's current presets."""
    project = copier.copy(tmp_path / "service", profile="fastapi-services").path

    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())

    assert not {"flat_pagination", "default_page_size", "gzip_responses"} & answers.keys()
