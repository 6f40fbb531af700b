"""python-org-standard.md's rules, each on a tree it passes and one it fails."""

from keel.audit.standards.python_org_standard import STANDARD
from tests.audit.cases import PACKAGE, Case, case_tests


def pyproject(deps: str = "", dev: str = "", rest: str = "") -> str:
    """A pyproject.toml: ``deps`` and ``dev`` are comma-separated quoted requirements."""
    return (
        '[project]\nname = "svc"\nversion = "1.0.0"\nrequires-python = ">=3.12"\n'
        f"dependencies = [{deps}]\n\n[dependency-groups]\ndev = [{dev}]\n{rest}"
    )


# A tree with nothing the rule looks for.
BARE = {"README.md": ""}
DOCKERFILE = "FROM python:3.12-slim-bookworm\n"
FASTAPI = pyproject('"fastapi>=0.115"')
CI = ".github/workflows/ci.yml"
DEPENDABOT = ".github/dependabot.yml"
SQLA = "from sqlalchemy.ext.asyncio import create_async_engine\n"
FULL_CI = (
    "on:\n  push:\n    branches: [main]\n  pull_request:\n"
    "jobs:\n  all:\n    steps:\n"
    "      - run: uv run ruff check .\n      - run: uv run pyright\n"
    "      - run: uv run pytest\n      - run: uv run bandit -r src\n"
)
HOOKS = "".join(
    f"      - id: {hook}\n"
    for hook in (
        "ruff",
        "ruff-format",
        "pyright",
        "conventional-pre-commit",
        "trailing-whitespace",
        "end-of-file-fixer",
        "check-yaml",
        "check-toml",
        "detect-secrets",
        "no-commit-to-branch",
    )
)
DOCKERIGNORE = (
    ".git/\n__pycache__/\n.venv/\n.pytest_cache/\n.idea/\n.ruff_cache/\n"
    "docs/\n.github/\n.env.*\n*.pem\n"
)
LOCK = (
    'version = 1\n\n[[package]]\nname = "svc"\nversion = "1.0.0"\n'
    'source = {{ editable = "." }}\n\n[package.metadata]\n'
    'requires-dist = [{{ name = "fastapi", specifier = "{spec}" }}]\n'
)
JUST_ALL = "".join(
    f"{recipe}:\n    echo {recipe}\n\n"
    for recipe in (
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
)

CASES: dict[str, Case] = {
    "ORG-PRIN-002": Case(
        passing={"uv.lock": "", "Dockerfile": "RUN uv sync --locked --no-dev\n"},
        failing={"uv.lock": "", "Dockerfile": "RUN uv sync --no-dev\n"},
    ),
    "ORG-STACK-001": Case(
        passing={"pyproject.toml": pyproject(), ".python-version": "3.12\n"},
        failing={"pyproject.toml": pyproject().replace(">=3.12", ">=3.10")},
    ),
    "ORG-STACK-002": Case(passing={"uv.lock": ""}, failing=BARE),
    "ORG-STACK-003": Case(
        passing={"pyproject.toml": pyproject(dev='"ruff>=0.9"')},
        failing={"pyproject.toml": pyproject()},
    ),
    "ORG-STACK-004": Case(
        passing={"pyproject.toml": pyproject(rest="[tool.pyright]\nstrict = []\n")},
        failing={"pyproject.toml": pyproject()},
    ),
    "ORG-STACK-005": Case(
        passing={"pyproject.toml": pyproject(dev='"pytest>=8"')},
        failing={"pyproject.toml": pyproject()},
    ),
    "ORG-STACK-006": Case(passing={"Justfile": "default:\n    just --list\n"}, failing=BARE),
    "ORG-STACK-007": Case(passing={".pre-commit-config.yaml": "repos: []\n"}, failing=BARE),
    "ORG-STACK-008": Case(
        passing={"pyproject.toml": pyproject('"pydantic>=2.10", "pydantic-settings>=2.7"')},
        failing={"pyproject.toml": pyproject('"pydantic>=1.10,<2", "pydantic-settings>=2.7"')},
    ),
    "ORG-STACK-009": Case(passing={"noxfile.py": "import nox\n"}, failing=BARE),
    "ORG-LEGACY-001": Case(
        passing={"Dockerfile": "RUN uv pip install --system svc\n"},
        failing={"Dockerfile": "RUN pip install -r requirements.txt\n"},
    ),
    "ORG-LEGACY-002": Case(
        passing={"pyproject.toml": pyproject(rest="[tool.ruff]\nline-length = 88\n")},
        failing={"pyproject.toml": pyproject(rest="[tool.black]\nline-length = 88\n")},
    ),
    "ORG-LEGACY-003": Case(
        passing={CI: "run: uv run pyright\n"},
        failing={CI: "run: uv run mypy src\n"},
    ),
    "ORG-LEGACY-004": Case(
        passing={"Justfile": "lint:\n    ruff check .\n"},
        failing={"Makefile": "lint:\n\truff check .\n"},
    ),
    "ORG-LEGACY-005": Case(
        passing={PACKAGE: "", "src/svc/cli.py": "import typer\n"},
        failing={PACKAGE: "", "src/svc/cli.py": "import argparse\n"},
    ),
    "ORG-LEGACY-006": Case(passing={"noxfile.py": ""}, failing={"tox.ini": "[tox]\n"}),
    "ORG-API-001": Case(
        passing={"pyproject.toml": pyproject('"fastapi>=0.115", "granian>=2.2"')},
        failing={"pyproject.toml": pyproject('"fastapi>=0.115", "uvicorn>=0.32"')},
    ),
    "ORG-AUTH-001": Case(
        passing={
            PACKAGE: "",
            "src/svc/auth.py": "def store(hasher, password):\n    return hasher.hash(password)\n",
        },
        failing={
            PACKAGE: "",
            "src/svc/auth.py": (
                "import hashlib\n\n"
                "def store(password):\n"
                "    return hashlib.sha256(password.encode()).hexdigest()\n"
            ),
        },
    ),
    "ORG-AUTH-002": Case(
        passing={
            PACKAGE: "",
            "src/svc/auth.py": (
                "import jwt\n\ndef claims(token, key):\n"
                '    return jwt.decode(token, key, algorithms=["RS256"], audience="svc", '
                'issuer="idp")\n'
            ),
        },
        failing={
            PACKAGE: "",
            "src/svc/auth.py": (
                "import jwt\n\ndef claims(token, key):\n"
                '    return jwt.decode(token, key, algorithms=["RS256"])\n'
            ),
        },
    ),
    "ORG-LAYOUT-001": Case(passing={PACKAGE: ""}, failing={"svc/__init__.py": ""}),
    "ORG-LAYOUT-002": Case(
        passing={PACKAGE: "", "tests/__init__.py": "", CI: ""},
        failing={PACKAGE: "", "tests/__init__.py": ""},
    ),
    "ORG-LAYOUT-003": Case(
        passing=dict.fromkeys(
            (
                "pyproject.toml",
                "uv.lock",
                ".python-version",
                ".pre-commit-config.yaml",
                ".gitignore",
                "README.md",
                "Justfile",
                PACKAGE,
                "src/svc/py.typed",
            ),
            "",
        ),
        failing={"pyproject.toml": "", "uv.lock": "", PACKAGE: ""},
    ),
    "ORG-LAYOUT-004": Case(
        passing={".editorconfig": "", DEPENDABOT: ""}, failing={".editorconfig": ""}
    ),
    "ORG-DEPS-001": Case(
        passing={"pyproject.toml": pyproject('"fastapi>=0.115"')},
        failing={"pyproject.toml": pyproject(), "requirements.txt": "fastapi\n"},
    ),
    "ORG-DEPS-002": Case(
        passing={"uv.lock": "", ".gitignore": ".venv/\n"},
        failing={"uv.lock": "", ".gitignore": "uv.lock\n"},
    ),
    "ORG-DEPS-003": Case(
        passing={"pyproject.toml": pyproject('"fastapi>=0.115"', '"pytest>=8"')},
        failing={"pyproject.toml": pyproject('"fastapi>=0.115", "pytest>=8"')},
    ),
    "ORG-DEPS-004": Case(
        passing={"pyproject.toml": pyproject('"fastapi>=0.115"')},
        failing={"pyproject.toml": pyproject('"fastapi==0.115.0"')},
    ),
    "ORG-DEPS-006": Case(
        passing={"pyproject.toml": FASTAPI, "uv.lock": LOCK.format(spec=">=0.115")},
        failing={"pyproject.toml": FASTAPI, "uv.lock": LOCK.format(spec=">=0.100")},
    ),
    "ORG-DEPS-007": Case(passing={CI: "run: uv sync --locked\n"}, failing={CI: "run: uv sync\n"}),
    "ORG-CODE-001": Case(
        passing={"pyproject.toml": '[tool.ruff.lint]\nselect = ["ALL"]\n'},
        failing={"pyproject.toml": '[tool.ruff.lint]\nselect = ["E", "F"]\n'},
    ),
    "ORG-CODE-002": Case(
        passing={"pyproject.toml": "[tool.ruff]\nline-length = 88\n"},
        failing={"pyproject.toml": "[tool.ruff]\nline-length = 120\n"},
    ),
    "ORG-TYPE-001": Case(
        passing={"pyproject.toml": '[tool.pyright]\ntypeCheckingMode = "strict"\n'},
        failing={"pyproject.toml": '[tool.pyright]\ntypeCheckingMode = "basic"\n'},
    ),
    "ORG-TYPE-002": Case(passing={PACKAGE: "", "src/svc/py.typed": ""}, failing={PACKAGE: ""}),
    "ORG-TYPE-003": Case(
        passing={PACKAGE: "", "src/svc/a.py": "def f(x: list[str]) -> str | None: ...\n"},
        failing={PACKAGE: "", "src/svc/a.py": "from typing import Optional\n"},
    ),
    "ORG-TEST-001": Case(passing={"tests/conftest.py": ""}, failing=BARE),
    "ORG-TEST-002": Case(
        passing={
            "pyproject.toml": (
                '[tool.pytest.ini_options]\nmarkers = ["unit: fast", "integration: db", '
                '"e2e: server", "slow: slow"]\n'
            ),
            "tests/test_a.py": (
                "import pytest\n\npytestmark = pytest.mark.unit\n\ndef test_a(): ...\n"
            ),
        },
        failing={"tests/test_a.py": "def test_a(): ...\n"},
    ),
    "ORG-TEST-003": Case(
        passing={
            "pyproject.toml": (
                "[tool.coverage.run]\nbranch = true\n[tool.coverage.report]\nfail_under = 80\n"
            )
        },
        failing={
            "pyproject.toml": (
                "[tool.coverage.run]\nbranch = true\n[tool.coverage.report]\nfail_under = 60\n"
            )
        },
    ),
    "ORG-TEST-004": Case(
        passing={
            "pyproject.toml": '[tool.coverage.run]\nsource = ["src/svc"]\n'
            'omit = ["*/__init__.py"]\n'
        },
        failing={"pyproject.toml": '[tool.coverage.run]\nsource = ["."]\n'},
    ),
    "ORG-SEC-001": Case(
        passing={
            CI: "run: uv run just security\n",
            "Justfile": "security: bandit\n\nbandit:\n    uv run bandit -r src\n",
        },
        failing={CI: "run: uv run just security\n", "Justfile": "security:\n    echo\n"},
    ),
    "ORG-SEC-002": Case(
        passing={CI: "run: uv run pip-audit\n"}, failing={CI: "run: uv run pytest\n"}
    ),
    "ORG-SEC-003": Case(
        passing={".pre-commit-config.yaml": "repos:\n  - hooks:\n      - id: detect-secrets\n"},
        failing={".pre-commit-config.yaml": "repos:\n  - hooks:\n      - id: ruff\n"},
    ),
    "ORG-SEC-004": Case(
        passing={"Dockerfile": DOCKERFILE, CI: "uses: aquasecurity/trivy-action@v0\n"},
        failing={"Dockerfile": DOCKERFILE, CI: "run: docker build .\n"},
    ),
    "ORG-SEC-005": Case(
        passing={
            DEPENDABOT: (
                "updates:\n"
                "  - package-ecosystem: uv\n    schedule: {interval: weekly}\n"
                "    groups: {dev: {dependency-type: development}}\n"
                "  - package-ecosystem: github-actions\n    schedule: {interval: weekly}\n"
            )
        },
        failing={
            DEPENDABOT: "updates:\n  - package-ecosystem: pip\n    schedule: {interval: monthly}\n"
        },
    ),
    "ORG-SEC-006": Case(
        passing={PACKAGE: "", "src/svc/a.py": "import json\nvalue = json.loads('1')\n"},
        failing={PACKAGE: "", "src/svc/a.py": "def run(code):\n    return eval(code)\n"},
    ),
    "ORG-SEC-007": Case(
        passing={
            PACKAGE: "",
            "src/svc/a.py": (
                "from sqlalchemy import text\n\n"
                "QUERY = text('SELECT name FROM item WHERE id = :id')\n"
            ),
        },
        failing={
            PACKAGE: "",
            "src/svc/a.py": (
                "from sqlalchemy import text\n\n"
                "def query(item_id):\n"
                "    return text(f'SELECT name FROM item WHERE id = {item_id}')\n"
            ),
        },
    ),
    "ORG-SEC-008": Case(
        passing={
            PACKAGE: "",
            "src/svc/a.py": "def f(x):\n    if x < 0:\n        raise ValueError\n",
        },
        failing={PACKAGE: "", "src/svc/a.py": "def f(x):\n    assert x >= 0\n"},
    ),
    "ORG-SEC-009": Case(
        passing={
            PACKAGE: "",
            "src/svc/a.py": "import json\n\ndef f(b):\n    return json.loads(b)\n",
        },
        failing={
            PACKAGE: "",
            "src/svc/a.py": "import pickle\n\ndef f(b):\n    return pickle.loads(b)\n",
        },
    ),
    "ORG-DOC-001": Case(
        passing={"pyproject.toml": '[tool.ruff.lint.pydocstyle]\nconvention = "google"\n'},
        failing={"pyproject.toml": '[tool.ruff.lint.pydocstyle]\nconvention = "numpy"\n'},
    ),
    "ORG-DOC-002": Case(
        passing={
            PACKAGE: "",
            "src/svc/a.py": (
                '"""Items."""\n\n\ndef get():\n    """Return one."""\n\n\ndef _private(): ...\n'
            ),
        },
        failing={PACKAGE: "", "src/svc/a.py": '"""Items."""\n\n\ndef get(): ...\n'},
    ),
    "ORG-GIT-001": Case(
        passing={".pre-commit-config.yaml": f"repos:\n  - repo: local\n    hooks:\n{HOOKS}"},
        failing={
            ".pre-commit-config.yaml": "repos:\n  - repo: local\n    hooks:\n      - id: ruff\n"
        },
    ),
    "ORG-GIT-004": Case(
        passing={"pyproject.toml": pyproject()},
        failing={"pyproject.toml": pyproject().replace('"1.0.0"', '"1.0"')},
    ),
    "ORG-CI-001": Case(
        passing={CI: FULL_CI},
        failing={
            CI: "on:\n  push:\n    branches: [main]\njobs:\n  t:\n    steps:\n      - run: pytest\n"
        },
    ),
    "ORG-CI-002": Case(
        passing={".github/workflows/release.yml": "on:\n  push:\n    tags: ['v*']\n"},
        failing={CI: FULL_CI},
    ),
    "ORG-CI-003": Case(
        passing={
            ".github/workflows/security.yml": (
                "on:\n  schedule:\n    - cron: '0 6 * * 1'\n"
                "jobs:\n  scan:\n    steps:\n      - run: uv run pip-audit\n"
            )
        },
        failing={CI: FULL_CI},
    ),
    "ORG-CI-004": Case(
        passing={
            CI: "run: uv run ruff check --output-format=github .\n"
            "run: uv run ruff format --check .\n"
        },
        failing={CI: "run: uv run ruff check .\n"},
    ),
    "ORG-CI-005": Case(passing={CI: "run: uv run pyright\n"}, failing={CI: "run: uv run pytest\n"}),
    "ORG-CI-006": Case(
        passing={CI: "run: uv run pytest --cov\nuses: codecov/codecov-action@v5\n"},
        failing={CI: "run: uv run pytest --cov\n"},
    ),
    "ORG-CI-007": Case(
        passing={CI: "uses: astral-sh/setup-uv@v5\nwith:\n  enable-cache: true\n"},
        failing={CI: "uses: astral-sh/setup-uv@v5\n"},
    ),
    "ORG-CI-008": Case(
        passing={CI: "concurrency:\n  group: ci\n  cancel-in-progress: true\n"},
        failing={CI: "name: CI\n"},
    ),
    "ORG-DOCKER-001": Case(
        passing={"Dockerfile": DOCKERFILE}, failing={"Dockerfile": "FROM python:3.12\n"}
    ),
    "ORG-DOCKER-002": Case(
        passing={
            "Dockerfile": f"{DOCKERFILE.strip()} AS builder\nFROM python:3.12-slim-bookworm\n"
        },
        failing={"Dockerfile": DOCKERFILE},
    ),
    "ORG-DOCKER-003": Case(
        passing={"Dockerfile": f"{DOCKERFILE}USER appuser\n"}, failing={"Dockerfile": DOCKERFILE}
    ),
    "ORG-DOCKER-004": Case(
        passing={
            "Dockerfile": (
                f"{DOCKERFILE}ENV PYTHONDONTWRITEBYTECODE=1 \\\n"
                "    PYTHONUNBUFFERED=1 \\\n    PYTHONFAULTHANDLER=1\n"
            )
        },
        failing={"Dockerfile": f"{DOCKERFILE}ENV PYTHONUNBUFFERED=1\n"},
    ),
    "ORG-DOCKER-005": Case(
        passing={"Dockerfile": f"{DOCKERFILE}HEALTHCHECK CMD python -c 'print(1)'\n"},
        failing={"Dockerfile": DOCKERFILE},
    ),
    "ORG-DOCKER-006": Case(
        passing={
            "Dockerfile": DOCKERFILE,
            "compose.yaml": (
                "services:\n  app:\n    build: .\n"
                "    healthcheck:\n      test: [CMD, 'true']\n"
                "    deploy:\n      resources:\n        limits:\n          memory: 512M\n"
            ),
        },
        failing={
            "Dockerfile": DOCKERFILE,
            "docker-compose.yml": "version: '3'\nservices:\n  app:\n    build: .\n",
        },
    ),
    "ORG-DOCKER-007": Case(
        passing={"Dockerfile": DOCKERFILE, ".dockerignore": ".git\n"},
        failing={"Dockerfile": DOCKERFILE},
    ),
    "ORG-DOCKER-008": Case(
        passing={"Dockerfile": DOCKERFILE, ".dockerignore": DOCKERIGNORE},
        failing={"Dockerfile": DOCKERFILE, ".dockerignore": ".git\n"},
    ),
    "ORG-DOCKER-009": Case(
        passing={"Dockerfile": f'{DOCKERFILE}CMD ["python", "-m", "svc"]\n'},
        failing={"Dockerfile": f"{DOCKERFILE}CMD python -m svc\n"},
    ),
    "ORG-DOCKER-010": Case(
        passing={
            PACKAGE: "",
            "src/svc/jobs.py": (
                "import asyncio\n\nasync def run(work):\n"
                "    task = asyncio.create_task(work())\n    yield\n    task.cancel()\n"
            ),
        },
        failing={
            PACKAGE: "",
            "src/svc/jobs.py": (
                "import asyncio\n\nasync def run(work):\n    asyncio.create_task(work())\n"
            ),
        },
    ),
    "ORG-CONFIG-001": Case(
        passing={
            PACKAGE: "",
            "src/svc/config.py": (
                "from pydantic_settings import BaseSettings\n\n"
                "class Settings(BaseSettings):\n    url: str\n"
            ),
        },
        failing={PACKAGE: "", "src/svc/config.py": "import os\n\nURL = os.getenv('URL')\n"},
    ),
    "ORG-CONFIG-002": Case(
        passing={PACKAGE: "", "src/svc/a.py": "def key(settings):\n    return settings.api_key\n"},
        failing={PACKAGE: "", "src/svc/a.py": "API_KEY = 'sk_live_0123456789abcdef'\n"},
    ),
    "ORG-CONFIG-003": Case(passing={".gitignore": ".env\n"}, failing={".gitignore": ".venv/\n"}),
    "ORG-CONFIG-004": Case(
        passing={
            PACKAGE: "",
            "src/svc/config.py": "from pydantic_settings import BaseSettings\n\n"
            "class Settings(BaseSettings): ...\n",
            ".env.example": "URL=\n",
        },
        failing={
            PACKAGE: "",
            "src/svc/config.py": "from pydantic_settings import BaseSettings\n\n"
            "class Settings(BaseSettings): ...\n",
        },
    ),
    "ORG-LOG-001": Case(
        passing={"pyproject.toml": pyproject('"structlog>=25.1"')},
        failing={"pyproject.toml": pyproject()},
    ),
    "ORG-LOG-002": Case(
        passing={
            "Dockerfile": DOCKERFILE,
            PACKAGE: "",
            "src/svc/log.py": "import structlog\n\nRENDER = structlog.processors.JSONRenderer()\n",
        },
        failing={
            "Dockerfile": DOCKERFILE,
            PACKAGE: "",
            "src/svc/log.py": "import structlog\n\nRENDER = structlog.dev.ConsoleRenderer()\n",
        },
    ),
    "ORG-LOG-003": Case(
        passing={
            "cloudbuild.yaml": "steps: []\n",
            PACKAGE: "",
            "src/svc/log.py": (
                "FIELDS = ('severity', 'logging.googleapis.com/trace', "
                "'logging.googleapis.com/spanId')\n"
            ),
        },
        failing={"cloudbuild.yaml": "steps: []\n", PACKAGE: "", "src/svc/log.py": "LEVEL = 1\n"},
    ),
    "ORG-LOG-004": Case(
        passing={"pyproject.toml": FASTAPI, PACKAGE: "", "src/svc/a.py": "H = 'X-Request-ID'\n"},
        failing={"pyproject.toml": FASTAPI, PACKAGE: ""},
    ),
    "ORG-LOG-005": Case(
        passing={"pyproject.toml": pyproject('"fastapi>=0.115", "prometheus-client>=0.21"')},
        failing={"pyproject.toml": FASTAPI},
    ),
    "ORG-ERR-001": Case(
        passing={
            PACKAGE: "",
            "src/svc/a.py": "def f(x):\n    try:\n        return int(x)\n"
            "    except ValueError:\n        return None\n",
        },
        failing={
            PACKAGE: "",
            "src/svc/a.py": "def f(x):\n    try:\n        return int(x)\n"
            "    except:\n        pass\n",
        },
    ),
    "ORG-ERR-002": Case(
        passing={
            PACKAGE: "",
            "src/svc/a.py": "def f(log, x):\n    try:\n        return int(x)\n"
            "    except ValueError:\n        log.exception('bad', x=x)\n        raise\n",
        },
        failing={
            PACKAGE: "",
            "src/svc/a.py": "def f(x):\n    try:\n        return int(x)\n"
            "    except ValueError:\n        raise\n",
        },
    ),
    "ORG-RES-001": Case(
        passing={
            PACKAGE: "",
            "src/svc/a.py": "import httpx\n\nCLIENT = httpx.AsyncClient(timeout=10)\n",
        },
        failing={
            PACKAGE: "",
            "src/svc/a.py": "import requests\n\ndef f(url):\n    return requests.get(url)\n",
        },
    ),
    "ORG-RES-002": Case(
        passing={
            PACKAGE: "",
            "src/svc/a.py": "import asyncio\n\nasync def f():\n    await asyncio.sleep(1)\n",
        },
        failing={
            PACKAGE: "",
            "src/svc/a.py": "import time\n\nasync def f():\n    time.sleep(1)\n",
        },
    ),
    "ORG-DB-001": Case(
        passing={
            PACKAGE: "",
            "src/svc/db.py": SQLA + "from sqlalchemy.orm import Mapped, mapped_column\n\n"
            "ENGINE = create_async_engine('postgresql+asyncpg://db/app')\n",
        },
        failing={
            PACKAGE: "",
            "src/svc/db.py": "from sqlalchemy import Column, Integer, create_engine\n\n"
            "ID = Column(Integer)\nENGINE = create_engine('postgresql://db/app')\n",
        },
    ),
    "ORG-DB-002": Case(
        passing={PACKAGE: "", "src/svc/repositories.py": SQLA},
        failing={PACKAGE: "", "src/svc/db.py": SQLA},
    ),
    "ORG-DB-003": Case(
        passing={
            "pyproject.toml": pyproject('"alembic>=1.14"'),
            "alembic.ini": "",
            "migrations/versions/0001_start.py": "revision = '0001'\n",
            PACKAGE: "",
            "src/svc/db.py": SQLA,
        },
        failing={PACKAGE: "", "src/svc/db.py": SQLA},
    ),
    "ORG-DB-005": Case(
        passing={
            PACKAGE: "",
            "src/svc/db.py": SQLA + "ENGINE = create_async_engine('postgresql+asyncpg://db/a', "
            "pool_size=5, max_overflow=10, pool_pre_ping=True, pool_recycle=1800)\n",
        },
        failing={
            PACKAGE: "",
            "src/svc/db.py": SQLA + "ENGINE = create_async_engine('postgresql+asyncpg://db/a')\n",
        },
    ),
    "ORG-DB-006": Case(
        passing={
            PACKAGE: "",
            "src/svc/a.py": "from datetime import UTC, datetime\n\nNOW = datetime.now(UTC)\n",
        },
        failing={
            PACKAGE: "",
            "src/svc/a.py": "from datetime import datetime\n\nNOW = datetime.utcnow()\n",
        },
    ),
    "ORG-DB-007": Case(
        passing={
            PACKAGE: "",
            "src/svc/models.py": "from sqlalchemy import ForeignKey\n"
            "from sqlalchemy.orm import Mapped, mapped_column\n\n\nclass Line:\n"
            "    order_id: Mapped[int] = mapped_column(ForeignKey('order.id'), index=True)\n",
        },
        failing={
            PACKAGE: "",
            "src/svc/models.py": "from sqlalchemy import ForeignKey\n"
            "from sqlalchemy.orm import Mapped, mapped_column\n\n\nclass Line:\n"
            "    order_id: Mapped[int] = mapped_column(ForeignKey('order.id'))\n",
        },
    ),
    "ORG-API-002": Case(
        passing={"pyproject.toml": FASTAPI},
        failing={"pyproject.toml": pyproject('"flask>=3.0"')},
    ),
    "ORG-API-003": Case(
        passing={"pyproject.toml": FASTAPI, PACKAGE: "", "src/svc/a.py": "PREFIX = '/api/v1'\n"},
        failing={
            "pyproject.toml": FASTAPI,
            PACKAGE: "",
            "src/svc/a.py": "from fastapi import APIRouter\n\nR = APIRouter(prefix='/items')\n",
        },
    ),
    "ORG-API-004": Case(
        passing={"pyproject.toml": pyproject('"httpx>=0.28"')},
        failing={"pyproject.toml": pyproject('"requests>=2.32"')},
    ),
    "ORG-API-005": Case(
        passing={
            "pyproject.toml": FASTAPI,
            PACKAGE: "",
            "src/svc/a.py": "MEDIA = 'application/problem+json'\n",
        },
        failing={"pyproject.toml": FASTAPI, PACKAGE: ""},
    ),
    "ORG-API-006": Case(
        passing={
            PACKAGE: "",
            "src/svc/a.py": "@router.post('/items')\n"
            "async def create(idempotency_key: str | None = None): ...\n",
        },
        failing={PACKAGE: "", "src/svc/a.py": "@router.post('/items')\nasync def create(): ...\n"},
    ),
    "ORG-API-007": Case(
        passing={
            PACKAGE: "",
            "src/svc/a.py": "app.add_middleware(CORSMiddleware, "
            "allow_origins=['https://app.example'], allow_credentials=True)\n",
        },
        failing={
            PACKAGE: "",
            "src/svc/a.py": "app.add_middleware(CORSMiddleware, allow_origins=['*'], "
            "allow_credentials=True)\n",
        },
    ),
    "ORG-API-009": Case(
        passing={
            "pyproject.toml": FASTAPI,
            PACKAGE: "",
            "src/svc/a.py": "HEADERS = ('Strict-Transport-Security', 'X-Content-Type-Options', "
            "'X-Frame-Options', 'X-XSS-Protection', 'Content-Security-Policy', "
            "'Referrer-Policy')\n",
        },
        failing={
            "pyproject.toml": FASTAPI,
            PACKAGE: "",
            "src/svc/a.py": "HEADERS = ('X-Frame-Options',)\n",
        },
    ),
    "ORG-DATA-001": Case(
        passing={"pyproject.toml": pyproject('"polars>=1.0"')},
        failing={"pyproject.toml": pyproject('"pandas>=2.2"')},
    ),
    "ORG-DATA-002": Case(
        passing={PACKAGE: "", "src/svc/a.py": "from pathlib import Path\n\nP = Path('a') / 'b'\n"},
        failing={PACKAGE: "", "src/svc/a.py": "import os\n\nP = os.path.join('a', 'b')\n"},
    ),
    "ORG-CLI-001": Case(
        passing={
            "pyproject.toml": pyproject(rest='\n[project.scripts]\nsvc = "svc.cli:app"\n'),
            PACKAGE: "",
            "src/svc/cli.py": "import typer\n",
        },
        failing={"pyproject.toml": pyproject(), PACKAGE: "", "src/svc/cli.py": "import typer\n"},
    ),
    "ORG-DEV-001": Case(
        passing={"Justfile": JUST_ALL}, failing={"Justfile": "lint:\n    ruff check .\n"}
    ),
    "ORG-GRPC-001": Case(
        passing={
            PACKAGE: "",
            "src/svc/a.py": "import grpc\n\ndef f(stub, req, ctx):\n"
            "    return stub.GetUser(req, timeout=ctx.time_remaining())\n",
        },
        failing={
            PACKAGE: "",
            "src/svc/a.py": "import grpc\n\ndef f(stub, req):\n    return stub.GetUser(req)\n",
        },
    ),
}


test_every_decidable_rule_has_a_case, test_the_rule_passes_and_fails_its_trees = case_tests(
    STANDARD, CASES
)
