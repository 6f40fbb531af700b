"""Building blocks that several standards' checks share: AST walks, files, dependencies."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from pathlib import Path

from keel.audit.model import Check, Finding, Verdict, failed, not_applicable, passed, verdict_of
from keel.audit.project import Project


def dotted_name(node: ast.AST) -> str:
    """``time.sleep`` for ``time.sleep(...)``'s func; ``""`` when it is not a plain name."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        owner = dotted_name(node.value)
        return f"{owner}.{node.attr}" if owner else ""
    return ""


def own_body(function: ast.AST) -> Iterator[ast.AST]:
    """The nodes of ``function``'s body, without those of functions nested in it."""
    pending = list(ast.iter_child_nodes(function))
    while pending:
        node = pending.pop()
        yield node
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            pending.extend(ast.iter_child_nodes(node))


def async_functions(
    project: Project, under: str | None = None
) -> Iterator[tuple[Path, ast.AsyncFunctionDef]]:
    """Every ``async def`` of the package (or of ``under``)."""
    for path, module in project.modules(under):
        for node in ast.walk(module):
            if isinstance(node, ast.AsyncFunctionDef):
                yield path, node


def calls_in_async(
    project: Project, names: Iterable[str], under: str | None = None
) -> list[Finding]:
    """Calls of any of ``names`` (dotted, or a suffix like ``.read_text``) made
    directly in an ``async def``: on the event loop, not in a thread."""
    wanted = tuple(names)
    found: list[Finding] = []
    for path, function in async_functions(project, under):
        for node in own_body(function):
            if isinstance(node, ast.Call):
                name = dotted_name(node.func)
                if name and any(
                    name == target or (target.startswith(".") and name.endswith(target))
                    for target in wanted
                ):
                    message = f"{name}() blocks the event loop in async def {function.name}"
                    found.append(project.finding(path, node, message))
    return found


def imported_modules(module: ast.Module) -> set[str]:
    """Every module ``module`` imports (``from a.b import c`` gives ``a.b``)."""
    names: set[str] = set()
    for node in ast.walk(module):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def imports_of(project: Project, prefix: str, under: str | None = None) -> list[Finding]:
    """Where the package imports ``prefix`` or a submodule of it."""
    found: list[Finding] = []
    for path, module in project.modules(under):
        for node in ast.walk(module):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                if name == prefix or name.startswith(f"{prefix}."):
                    found.append(project.finding(path, node, f"imports {name}"))
    return found


def dockerfile(project: Project) -> str | None:
    """The Dockerfile's text, or None."""
    return project.text("Dockerfile")


def dockerfile_user(text: str) -> str | None:
    """The user of the final stage (its last ``USER``), or None when it sets none."""
    user: str | None = None
    for line in text.splitlines():
        words = line.strip().split()
        if not words:
            continue
        if words[0].upper() == "FROM":
            user = None
        elif words[0].upper() == "USER" and len(words) > 1:
            user = words[1]
    return user


def ci_files(project: Project) -> list[Path]:
    """The CI definitions: GitHub workflows and GitLab's pipeline."""
    found = project.files(".github/workflows/*.yml") + project.files(".github/workflows/*.yaml")
    return found + project.files(".gitlab-ci.yml")


def ci_text(project: Project) -> str:
    """Every CI definition's text, joined."""
    return "\n".join(path.read_text(errors="replace") for path in ci_files(project))


# ------------------------------------------------------------- check factories


def requires_dependency(*names: str, dev: bool = False) -> Check:
    """A check that one of ``names`` is a (development, with ``dev``) dependency."""

    def check(project: Project) -> Verdict:
        have = project.uses if dev else project.depends_on
        present = [name for name in names if have(name)]
        if present:
            return passed(f"pyproject.toml depends on {present[0]}")
        return failed(
            f"pyproject.toml does not depend on {' or '.join(names)}",
            [Finding("dependency missing", "pyproject.toml")],
        )

    return check


def forbids_dependency(*names: str) -> Check:
    """A check that none of ``names`` is a dependency of any kind."""

    def check(project: Project) -> Verdict:
        found = [
            Finding(f"depends on {name}", "pyproject.toml") for name in names if project.uses(name)
        ]
        return verdict_of(
            found, ok=f"no dependency on {', '.join(names)}", broken="a forbidden dependency"
        )

    return check


def requires_files(*relatives: str) -> Check:
    """A check that every one of ``relatives`` exists."""

    def check(project: Project) -> Verdict:
        missing = [
            Finding("missing", relative) for relative in relatives if not project.exists(relative)
        ]
        return verdict_of(missing, ok=f"{', '.join(relatives)} present", broken="files missing")

    return check


def when_dockerfile(check: Check) -> Check:
    """``check``, or n/a when the project has no Dockerfile."""

    def guarded(project: Project) -> Verdict:
        if dockerfile(project) is None:
            return not_applicable("no Dockerfile")
        return check(project)

    return guarded
