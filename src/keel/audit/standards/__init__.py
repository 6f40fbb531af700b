"""The catalogues: one module per standard in ../shared/standards/, named after its file."""

from __future__ import annotations

from keel import space
from keel.audit.model import Standard
from keel.audit.standards import (
    fastapi_layered_backend,
    fastapi_modular_domains,
    fastapi_routes_services,
    litestar_vertical_slice,
    python_org_standard,
)
from keel.errors import KeelError

STANDARDS: dict[str, Standard] = {
    module.STANDARD.name: module.STANDARD
    for module in (
        python_org_standard,
        litestar_vertical_slice,
        fastapi_layered_backend,
        fastapi_routes_services,
        fastapi_modular_domains,
    )
}


def resolve(name: str) -> Standard:
    """The standard named by its file stem or by the profile that follows it."""
    profiles = space.load().profile_standards
    stem = profiles.get(name, name.removesuffix(".md"))
    if stem not in STANDARDS:
        names = ", ".join([*STANDARDS, *profiles])
        msg = f"no standard or profile named {name!r}: choose one of {names}"
        raise KeelError(msg)
    return STANDARDS[stem]
