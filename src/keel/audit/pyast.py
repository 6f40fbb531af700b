"""Reading parsed Python: names, calls, definitions, strings and imports the catalogues share."""

from __future__ import annotations

import ast
from collections.abc import Callable, Collection, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from keel.audit.project import Project

type Function = ast.FunctionDef | ast.AsyncFunctionDef
type Modules = Iterable[tuple[Path, ast.Module]]

# The logging methods every logger has; catalogues add ``log``, ``warn``, ``fatal``...
LOG_LEVELS = frozenset({"debug", "info", "warning", "error", "exception", "critical"})

# ------------------------------------------------------------------------ names


def dotted_name(node: ast.AST) -> str:
    """``time.sleep`` for ``time.sleep(...)``'s func; ``""`` when it is not a plain name."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        owner = dotted_name(node.value)
        return f"{owner}.{node.attr}" if owner else ""
    return ""


def last_name(node: ast.AST) -> str:
    """``open`` for ``Database.open``; ``""`` when it is not a plain name."""
    return dotted_name(node).rsplit(".", 1)[-1]


def name_matches(name: str, targets: Iterable[str]) -> bool:
    """Whether the dotted ``name`` is one of ``targets`` (a ``.suffix`` target ends it)."""
    return bool(name) and any(
        name == target or (target.startswith(".") and name.endswith(target)) for target in targets
    )


def within(name: str, *prefixes: str) -> bool:
    """Whether the dotted ``name`` is one of ``prefixes`` or inside one (``a.b`` is in ``a``)."""
    return any(name == prefix or name.startswith(f"{prefix}.") for prefix in prefixes)


def is_constant(node: ast.AST | None, value: object) -> bool:
    """Whether ``node`` is the literal ``value`` (``True`` is not ``1``)."""
    return (
        isinstance(node, ast.Constant) and node.value == value and type(node.value) is type(value)
    )


def kwarg(call: ast.Call, name: str) -> ast.expr | None:
    """The value of ``call``'s keyword argument ``name``, or None."""
    return next((keyword.value for keyword in call.keywords if keyword.arg == name), None)


# ------------------------------------------------------------------------ calls


def calls_among(nodes: Iterable[ast.AST]) -> Iterator[tuple[ast.Call, str]]:
    """Each call among ``nodes`` with its dotted name (``""`` when it has none)."""
    for node in nodes:
        if isinstance(node, ast.Call):
            yield node, dotted_name(node.func)


def calls_in(node: ast.AST) -> Iterator[tuple[ast.Call, str]]:
    """Every call under ``node`` with its dotted name (``""`` when it has none)."""
    return calls_among(ast.walk(node))


def module_calls(modules: Modules) -> Iterator[tuple[Path, ast.Call, str]]:
    """Every call of ``modules`` with its file and its dotted name."""
    for path, module in modules:
        for call, name in calls_in(module):
            yield path, call, name


def calls_of(
    project: Project, names: Iterable[str], under: str | None = None
) -> Iterator[tuple[Path, ast.Call]]:
    """Calls of any of ``names`` (dotted, or a ``.suffix``) in the package (or ``under``)."""
    wanted = tuple(names)
    for path, call, name in module_calls(project.modules(under)):
        if name_matches(name, wanted):
            yield path, call


def own_body(function: ast.AST) -> Iterator[ast.AST]:
    """The nodes of ``function``'s body, without those of functions nested in it."""
    pending = list(ast.iter_child_nodes(function))
    while pending:
        node = pending.pop()
        yield node
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            pending.extend(ast.iter_child_nodes(node))


def logger_calls(
    nodes: Iterable[ast.AST], methods: Collection[str], is_logger: Callable[[ast.expr], object]
) -> Iterator[tuple[ast.Call, str]]:
    """``(call, method)`` for each ``<receiver>.<method>(...)`` that ``is_logger`` accepts."""
    for node in nodes:
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in methods
            and is_logger(node.func.value)
        ):
            yield node, node.func.attr


# ------------------------------------------------------------------ definitions


def function_defs(node: ast.AST) -> Iterator[Function]:
    """Every ``def`` and ``async def`` under ``node``, nested ones included."""
    for child in ast.walk(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            yield child


def class_defs(node: ast.AST) -> Iterator[ast.ClassDef]:
    """Every class defined under ``node``, nested ones included."""
    for child in ast.walk(node):
        if isinstance(child, ast.ClassDef):
            yield child


def package_functions(
    project: Project, under: str | None = None
) -> Iterator[tuple[Path, Function]]:
    """Every ``def`` and ``async def`` of the package (or of ``under``), with its file."""
    for path, module in project.modules(under):
        for function in function_defs(module):
            yield path, function


def async_functions(
    project: Project, under: str | None = None
) -> Iterator[tuple[Path, ast.AsyncFunctionDef]]:
    """Every ``async def`` of the package (or of ``under``), with its file."""
    for path, function in package_functions(project, under):
        if isinstance(function, ast.AsyncFunctionDef):
            yield path, function


def decorator_names(node: Function | ast.ClassDef) -> list[str]:
    """The dotted name of each decorator of ``node`` (a call's function for a call)."""
    return [
        dotted_name(decorator.func if isinstance(decorator, ast.Call) else decorator)
        for decorator in node.decorator_list
    ]


def parameters_of(function: Function) -> list[ast.arg]:
    """The named parameters of ``function``: positional-only, positional, keyword-only."""
    arguments = function.args
    return [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]


def unannotated(function: Function) -> list[str]:
    """The parameters of ``function`` without a type (``*args`` too; self and cls need none)."""
    arguments = parameters_of(function)
    arguments += [a for a in (function.args.vararg, function.args.kwarg) if a is not None]
    return [a.arg for a in arguments if a.annotation is None and a.arg not in {"self", "cls"}]


# ---------------------------------------------------------------------- classes


def dotted_bases(cls: ast.ClassDef) -> list[str]:
    """The dotted name of each base of ``cls`` (``""`` for a subscripted one)."""
    return [dotted_name(base) for base in cls.bases]


def base_names(cls: ast.ClassDef) -> list[str]:
    """The last part of each base's name, read through subscripts (``Generic[T]``: ``Generic``)."""
    return [
        last_name(base.value if isinstance(base, ast.Subscript) else base) for base in cls.bases
    ]


def annotated_fields(cls: ast.ClassDef) -> list[ast.AnnAssign]:
    """The ``name: type`` attributes of ``cls``'s body (Pydantic's ``model_config`` left out)."""
    return [
        node
        for node in cls.body
        if isinstance(node, ast.AnnAssign)
        and isinstance(node.target, ast.Name)
        and node.target.id != "model_config"
    ]


def field_name(field: ast.AnnAssign) -> str:
    """The name an annotated attribute binds."""
    return field.target.id if isinstance(field.target, ast.Name) else ""


def field_default(field: ast.AnnAssign) -> ast.expr | None:
    """A field's default: its value, or ``Field(default=...)``'s (or its first argument)."""
    value = field.value
    if isinstance(value, ast.Call) and dotted_name(value.func).endswith("Field"):
        return kwarg(value, "default") or (value.args[0] if value.args else None)
    return value


def settings_classes(project: Project, *, exact: bool = False) -> list[tuple[Path, ast.ClassDef]]:
    """Classes with a base named ``*BaseSettings`` (``exact``: named ``BaseSettings`` itself)."""
    return [
        (path, cls)
        for path, module in project.modules()
        for cls in class_defs(module)
        if (
            "BaseSettings" in base_names(cls)
            if exact
            else any(base.endswith("BaseSettings") for base in dotted_bases(cls))
        )
    ]


# ---------------------------------------------------------------------- strings

# The nodes whose first statement, a string, is their docstring.
DOCUMENTED = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)


def string_constants(node: ast.AST, *, docstrings: bool = True) -> Iterator[ast.Constant]:
    """The string literals under ``node`` (without docstrings unless ``docstrings``)."""
    skipped: set[int] = set()
    if not docstrings:
        for child in ast.walk(node):
            if isinstance(child, DOCUMENTED) and child.body:
                first = child.body[0]
                if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                    skipped.add(id(first.value))
    for child in ast.walk(node):
        if (
            isinstance(child, ast.Constant)
            and isinstance(child.value, str)
            and id(child) not in skipped
        ):
            yield child


def string_values(node: ast.AST) -> Iterator[str]:
    """Every string constant under ``node``, as text."""
    for constant in string_constants(node):
        yield str(constant.value)


def string_literals(
    project: Project, under: str | None = None, *, docstrings: bool = True
) -> Iterator[tuple[Path, ast.Constant, str]]:
    """Every string literal of the package (or ``under``): file, node and text."""
    for path, module in project.modules(under):
        for constant in string_constants(module, docstrings=docstrings):
            yield path, constant, str(constant.value)


# ---------------------------------------------------------------------- imports


def absolute_imports(module: ast.AST) -> Iterator[tuple[ast.Import | ast.ImportFrom, str]]:
    """Each absolute import of ``module`` and its statement (``from a.b import c``: ``a.b``)."""
    for node in ast.walk(module):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node, node.module


def imported_modules(module: ast.Module) -> set[str]:
    """Every module ``module`` imports (``from a.b import c`` gives ``a.b``)."""
    return {name for _, name in absolute_imports(module)}


# ---------------------------------------------------------------------- modules


def modules_in(project: Project, *directories: str | None) -> Iterator[tuple[Path, ast.Module]]:
    """The parsed modules of each of ``directories`` that exists (None: the package)."""
    for directory in directories:
        if directory is None or project.exists(directory):
            yield from project.modules(directory)
