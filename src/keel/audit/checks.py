"""Checks and facts several standards' catalogues share: check factories, the package's calls
and imports, .gitignore, versions and uv.lock."""

from __future__ import annotations

import ast
import fnmatch
import re
import tomllib
from collections.abc import Callable, Container, Iterable
from typing import Any, cast

from keel.audit.model import Check, Finding, Verdict, failed, not_applicable, passed, verdict_of
from keel.audit.project import Project
from keel.audit.pyast import (
    absolute_imports,
    async_functions,
    dotted_name,
    name_matches,
    own_body,
    within,
)

# ------------------------------------------------------------- check factories


def only_if(applies: Callable[[Project], bool], reason: str) -> Callable[[Check], Check]:
    """A decorator: the check, or n/a with ``reason`` when ``applies`` is false."""

    def guard(check: Check) -> Check:
        def guarded(project: Project) -> Verdict:
            return check(project) if applies(project) else not_applicable(reason)

        guarded.__doc__ = check.__doc__
        return guarded

    return guard


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


def dependency_findings(
    project: Project, names: Iterable[str], *, runtime_only: bool = False
) -> list[Finding]:
    """A ``depends on <name>`` finding for each of ``names`` the project depends on.

    Development dependencies count too, unless ``runtime_only``.
    """
    has = project.depends_on if runtime_only else project.uses
    return [Finding(f"depends on {name}", "pyproject.toml") for name in names if has(name)]


def missing_files(project: Project, relatives: Iterable[str]) -> list[Finding]:
    """A ``missing`` finding for each of ``relatives`` (files or directories) that is not there."""
    return [Finding("missing", relative) for relative in relatives if not project.exists(relative)]


def requires_files(*relatives: str, ok: str | None = None, broken: str = "files missing") -> Check:
    """A check that every one of ``relatives`` exists (``ok`` says so, naming them by default)."""
    passing = f"{', '.join(relatives)} present" if ok is None else ok

    def check(project: Project) -> Verdict:
        return verdict_of(missing_files(project, relatives), ok=passing, broken=broken)

    return check


def requires_file(relative: str) -> Check:
    """A check that ``relative`` exists (``no <relative>`` when it does not)."""

    def check(project: Project) -> Verdict:
        if project.exists(relative):
            return passed(f"{relative} present")
        return failed(f"no {relative}", [Finding("missing", relative)])

    return check


# ------------------------------------------------------------ the package's code


def calls_in_async(
    project: Project, names: Iterable[str], under: str | None = None
) -> list[Finding]:
    """Calls of ``names`` (or ``.suffix``es) made right in an ``async def``: on the event loop."""
    wanted = tuple(names)
    found: list[Finding] = []
    for path, function in async_functions(project, under):
        for node in own_body(function):
            if isinstance(node, ast.Call):
                name = dotted_name(node.func)
                if name_matches(name, wanted):
                    message = f"{name}() blocks the event loop in async def {function.name}"
                    found.append(project.finding(path, node, message))
    return found


def imports_of(project: Project, prefix: str, under: str | None = None) -> list[Finding]:
    """Where the package imports ``prefix`` or a submodule of it."""
    return [
        project.finding(path, node, f"imports {name}")
        for path, module in project.modules(under)
        for node, name in absolute_imports(module)
        if within(name, prefix)
    ]


def package_where(project: Project, *parts: str) -> str | None:
    """The root-relative path of the package (or of ``parts`` inside it); None without one."""
    if project.package is None:
        return None
    return project.rel(project.package.joinpath(*parts))


def uses_sqlalchemy(project: Project) -> bool:
    """Whether the service depends on SQLAlchemy (or SQLModel, built on it)."""
    return project.depends_on("sqlalchemy") or project.depends_on("sqlmodel")


# ------------------------------------------------------------------------ files


def grep_file(project: Project, relative: str, pattern: str, message: str) -> list[Finding]:
    """A finding for each line of the file ``relative`` matching ``pattern`` (none without it)."""
    path = project.path(relative)
    return project.grep(pattern, [path], message) if path.is_file() else []


def gitignored(project: Project, name: str) -> int | None:
    """The .gitignore line that ignores the top-level file ``name`` (globs, ``!``), or None."""
    ignored: int | None = None
    for number, raw in enumerate((project.text(".gitignore") or "").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        pattern = line.lstrip("!").lstrip("/").rstrip("/")
        if fnmatch.fnmatch(name, pattern) or fnmatch.fnmatch(name, pattern.removeprefix("**/")):
            ignored = None if negated else number
    return ignored


def gitignore_patterns(project: Project) -> set[str]:
    """The patterns of .gitignore as written, without a leading slash."""
    text = project.text(".gitignore") or ""
    return {
        line.strip().lstrip("/")
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    }


# -------------------------------------------------------------------------- data


def mapping(value: object) -> dict[str, Any]:
    """``value`` when it is a mapping (of parsed TOML or YAML), else an empty one."""
    return cast("dict[str, Any]", value) if isinstance(value, dict) else {}


def items(value: object) -> list[Any]:
    """``value`` when it is a list (of parsed TOML or YAML), else an empty one."""
    return cast("list[Any]", value) if isinstance(value, list) else []


def reachable(
    roots: Iterable[str], known: Container[str], follow: Callable[[str], Iterable[str]]
) -> list[str]:
    """The names of ``known`` that ``roots`` lead to through ``follow``, in depth-first order."""
    found: list[str] = []
    seen: set[str] = set()
    pending = list(roots)
    while pending:
        name = pending.pop()
        if name in seen or name not in known:
            continue
        seen.add(name)
        found.append(name)
        pending.extend(follow(name))
    return found


# ------------------------------------------------------------ versions and uv.lock


def version_tuple(text: str) -> tuple[int, ...] | None:
    """``"2.10.3"`` -> ``(2, 10, 3)``; None when it does not start with a number."""
    found = re.match(r"\d+(\.\d+)*", text)
    return tuple(int(part) for part in found.group(0).split(".")) if found else None


def lower_bound(requirement: str, *, above: bool = False) -> tuple[int, ...] | None:
    """A requirement's ``>=`` (``==``, ``~=``; ``above``: ``>``) version as numbers, or None."""
    operators = r"(?:>=|~=|==|>)" if above else r"(?:>=|==|~=)"
    found = re.search(operators + r"\s*([0-9][0-9.]*)", requirement)
    return version_tuple(found.group(1)) if found else None


def uv_lock(project: Project) -> dict[str, Any] | None:
    """uv.lock, parsed (None when there is none or it does not parse)."""
    text = project.text("uv.lock")
    if text is None:
        return None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None


def lock_root(project: Project) -> dict[str, Any] | None:
    """The project's own entry of uv.lock (its source is ``.``); None without one."""
    for package in items(mapping(uv_lock(project)).get("package")):
        entry = mapping(package)
        source = mapping(entry.get("source"))
        if source.get("editable") == "." or source.get("virtual") == ".":
            return entry
    return None
