"""The tree an audit reads: files, pyproject, dependencies and parsed Python."""

from __future__ import annotations

import ast
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, cast

from keel.audit.model import Finding

# Directories no audit reads: tools' caches and virtualenvs.
SKIPPED_DIRS = frozenset(
    {
        ".git",
        ".venv",
        "node_modules",
        "__pycache__",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        "htmlcov",
        ".bench",
    }
)


def normalize(name: str) -> str:
    """A distribution name as PEP 503 compares them."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(requirement: str) -> str:
    """``"fastapi[standard]>=0.115"`` -> ``"fastapi"``."""
    found = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    return normalize(found.group(1)) if found else ""


@dataclass
class Project:
    """A project tree on disk, read lazily and at most once per file."""

    root: Path
    _trees: dict[Path, ast.Module | None] = field(default_factory=dict[Path, "ast.Module | None"])

    def rel(self, path: Path) -> str:
        """``path`` relative to the root, with forward slashes."""
        return path.relative_to(self.root).as_posix()

    def path(self, relative: str) -> Path:
        """The absolute path of ``relative``."""
        return self.root / relative

    def exists(self, relative: str) -> bool:
        """Whether ``relative`` (file or directory) exists."""
        return (self.root / relative).exists()

    def text(self, relative: str) -> str | None:
        """The text of ``relative``, or None when there is no such file."""
        path = self.root / relative
        return path.read_text(encoding="utf-8", errors="replace") if path.is_file() else None

    def files(self, pattern: str = "**/*") -> list[Path]:
        """Files matching the glob ``pattern``, skipping caches and virtualenvs, sorted."""
        return sorted(
            path
            for path in self.root.glob(pattern)
            if path.is_file() and not SKIPPED_DIRS.intersection(self.rel(path).split("/"))
        )

    # ---------------------------------------------------------------- pyproject

    @cached_property
    def pyproject(self) -> dict[str, Any]:
        """pyproject.toml as a mapping (empty when there is none)."""
        text = self.text("pyproject.toml")
        return tomllib.loads(text) if text else {}

    def tool(self, name: str) -> dict[str, Any]:
        """``[tool.<name>]`` of pyproject.toml (dotted names reach into tables)."""
        table: object = self.pyproject.get("tool", {})
        for part in name.split("."):
            table = (
                cast("dict[str, object]", table).get(part, {}) if isinstance(table, dict) else {}
            )
        return cast("dict[str, Any]", table) if isinstance(table, dict) else {}

    @cached_property
    def dependencies(self) -> dict[str, str]:
        """Runtime dependencies: normalized name -> the requirement as written."""
        project: dict[str, Any] = self.pyproject.get("project", {})
        written: list[str] = list(project.get("dependencies", []))
        for extra in cast(
            "dict[str, list[str]]", project.get("optional-dependencies", {})
        ).values():
            written.extend(extra)
        return {requirement_name(requirement): requirement for requirement in written}

    @cached_property
    def dev_dependencies(self) -> dict[str, str]:
        """Development dependencies (every ``[dependency-groups]`` group, uv's dev list)."""
        groups = cast("dict[str, list[Any]]", self.pyproject.get("dependency-groups", {}))
        written = [item for group in groups.values() for item in group if isinstance(item, str)]
        written.extend(self.tool("uv").get("dev-dependencies", []))
        return {requirement_name(requirement): requirement for requirement in written}

    def depends_on(self, name: str) -> bool:
        """Whether ``name`` is a runtime dependency."""
        return normalize(name) in self.dependencies

    def uses(self, name: str) -> bool:
        """Whether ``name`` is a runtime or a development dependency."""
        return normalize(name) in self.dependencies or normalize(name) in self.dev_dependencies

    # ------------------------------------------------------------------- python

    @cached_property
    def package(self) -> Path | None:
        """The importable package: ``src/<name>/`` with an ``__init__.py`` (src layout first)."""
        for parent in (self.root / "src", self.root):
            if parent.is_dir():
                for candidate in sorted(parent.iterdir()):
                    if (candidate / "__init__.py").is_file() and candidate.name != "tests":
                        return candidate
        return None

    def python_files(self, under: str | None = None) -> list[Path]:
        """Python files under ``under`` (default: the package), sorted."""
        if under is None:
            return [] if self.package is None else self._python_in(self.package)
        return self._python_in(self.root / under)

    def _python_in(self, directory: Path) -> list[Path]:
        return [
            path
            for path in sorted(directory.rglob("*.py"))
            if not SKIPPED_DIRS.intersection(path.relative_to(self.root).parts)
        ]

    def tree(self, path: Path) -> ast.Module | None:
        """The parsed module (None when it does not parse)."""
        if path not in self._trees:
            try:
                self._trees[path] = ast.parse(path.read_text(encoding="utf-8"), str(path))
            except (SyntaxError, UnicodeDecodeError):
                self._trees[path] = None
        return self._trees[path]

    def modules(self, under: str | None = None) -> Iterator[tuple[Path, ast.Module]]:
        """Each parsed Python file under ``under`` (default: the package)."""
        for path in self.python_files(under):
            module = self.tree(path)
            if module is not None:
                yield path, module

    def finding(self, path: Path, node: ast.AST | None, message: str) -> Finding:
        """A finding at ``node`` of ``path`` (its line), relative to the root."""
        line = getattr(node, "lineno", None) if node is not None else None
        return Finding(message=message, path=self.rel(path), line=line)

    def grep(self, pattern: str, files: list[Path], message: str) -> list[Finding]:
        """A finding for each line of ``files`` that matches the regex ``pattern``."""
        regex = re.compile(pattern)
        found: list[Finding] = []
        for path in files:
            for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
                if regex.search(line):
                    found.append(Finding(message=message, path=self.rel(path), line=number))
        return found

    # ------------------------------------------------------------------- config

    @property
    def declared_standard(self) -> str | None:
        """The standard the project says it follows (``[tool.keel.audit] standard``)."""
        standard = self.tool("keel.audit").get("standard")
        return standard if isinstance(standard, str) else None

    @property
    def deviations(self) -> dict[str, str]:
        """Documented deviations: rule ID -> the reason (``[tool.keel.audit.deviations]``)."""
        table = self.tool("keel.audit.deviations")
        return {str(rule_id): str(reason) for rule_id, reason in table.items()}
