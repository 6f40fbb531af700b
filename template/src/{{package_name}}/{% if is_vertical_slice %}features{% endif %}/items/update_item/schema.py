"""The request body of ``PATCH /items/{item_id}``; the response is an ``Item``."""

import msgspec

from ..item import Description, Name, stripped_name


class UpdateItemRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Body of ``PATCH /items/{item_id}``; only the fields sent are changed."""

    name: Name | msgspec.UnsetType = msgspec.UNSET
    description: Description | msgspec.UnsetType | None = msgspec.UNSET

    def __post_init__(self) -> None:
        """Strip surrounding blanks, as a person typing a name means."""
        if isinstance(self.name, str):
            self.name = stripped_name(self.name)
        if isinstance(self.description, str):
            self.description = self.description.strip()
