import json
from pathlib import Path

import pytest

from scripts.openapi import openapi_document, write_openapi

pytestmark = pytest.mark.unit


def test_the_document_is_written_as_json_without_a_database(tmp_path: Path) -> None:
    target = write_openapi(tmp_path / "openapi.json")

    document = json.loads(target.read_text(encoding="utf-8"))
    assert document == openapi_document()
    assert document["openapi"].startswith("3.")
    assert document["paths"]
