"""The request body of ``POST /items``; the response is the feature's ``Item``."""

import hashlib

import msgspec

from ..item import Description, Name, stripped_name


class CreateItemRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Body of ``POST /items``."""

    name: Name
    description: Description | None = None

    def __post_init__(self) -> None:
        """Strip surrounding blanks, as a person typing a name means."""
        self.name = stripped_name(self.name)
        if self.description is not None:
            self.description = self.description.strip()


def fingerprint(request: CreateItemRequest) -> str:
    """A digest of the body: the same body gives the same digest."""
    return hashlib.sha256(msgspec.json.encode(request)).hexdigest()
