"""FastAPI path operations: functions a ``@<router>.<method>(path)`` decorator routes."""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

from keel.audit.pyast import Function, Modules, dotted_name, function_defs, is_constant, kwarg


@dataclass(frozen=True)
class Route:
    """One path operation: the function and the ``@<owner>.<method>(...)`` that routes it."""

    path: Path  # the module's file
    module: ast.Module
    function: Function
    decorator: ast.Call
    method: str  # get, post, ..., websocket, api_route
    owner: str  # the router's (or app's) dotted name, ``""`` when it has none
    url: str  # the path it answers (``""`` when the decorator's is not a literal)

    @property
    def documented(self) -> bool:
        """Whether the route is in the OpenAPI document (no ``include_in_schema=False``)."""
        return not is_constant(kwarg(self.decorator, "include_in_schema"), False)


def route_path(decorator: ast.Call) -> str | None:
    """The literal path of a route decorator (None when it is not a constant string)."""
    first = decorator.args[0] if decorator.args else kwarg(decorator, "path")
    return first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None


def decorated_routes(modules: Modules, methods: Collection[str]) -> Iterator[Route]:
    """A route for each ``@<owner>.<method>(...)`` of ``modules``, ``method`` one of ``methods``."""
    for path, module in modules:
        for function in function_defs(module):
            for decorator in function.decorator_list:
                if (
                    isinstance(decorator, ast.Call)
                    and isinstance(decorator.func, ast.Attribute)
                    and decorator.func.attr in methods
                ):
                    yield Route(
                        path,
                        module,
                        function,
                        decorator,
                        decorator.func.attr,
                        dotted_name(decorator.func.value),
                        route_path(decorator) or "",
                    )
