"""Page-based pagination: ``?page=2&limit=20`` -> ``{data, meta, links}``."""

from typing import Annotated

from fastapi import Query
from pydantic import BaseModel

MAX_LIMIT = 100


class PageParams(BaseModel):
    """Which page to return, from the query string."""

    page: int
    limit: int

    @property
    def offset(self) -> int:
        """Number of rows before the first row of this page."""
        return (self.page - 1) * self.limit


def page_params(
    page: Annotated[int, Query(ge=1, description="1-based page number")] = 1,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page")] = 20,
) -> PageParams:
    """Read and bound the pagination query parameters."""
    return PageParams(page=page, limit=limit)


class PageMeta(BaseModel):
    """Position of a page in the whole collection."""

    total: int
    page: int
    limit: int


class PageLinks(BaseModel):
    """URLs of the neighbouring pages, when they exist."""

    next: str | None
    prev: str | None


class Page[T](BaseModel):
    """One page of a collection."""

    data: list[T]
    meta: PageMeta
    links: PageLinks
