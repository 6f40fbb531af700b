"""The fast renderer refuses a Copier whose private API it was not checked against."""

from __future__ import annotations

import importlib
import sys
import tomllib
from importlib import metadata

import pytest

import keel
from keel import fastrender
from keel.errors import KeelError
from keel.space import TEMPLATE_ROOT


def _import_with_copier(monkeypatch: pytest.MonkeyPatch, version: str) -> None:
    """Import keel.fastrender afresh while `version` of copier seems installed."""
    real = metadata.version
    monkeypatch.setattr(
        metadata, "version", lambda name: version if name == "copier" else real(name)
    )
    # Both put back after the test: later tests see the module imported before.
    monkeypatch.delitem(sys.modules, "keel.fastrender")
    monkeypatch.setattr(keel, "fastrender", fastrender)
    importlib.import_module("keel.fastrender")


@pytest.mark.parametrize("version", ["9.20.0", "10.0.0", "9.18.3", "9.2.0", "unknown"])
def test_the_import_fails_loudly_on_an_unchecked_copier(
    monkeypatch: pytest.MonkeyPatch, version: str
) -> None:
    with pytest.raises(KeelError) as refused:
        _import_with_copier(monkeypatch, version)

    message = str(refused.value)
    assert f"copier {version} is installed" in message
    assert "copier>=9.19,<9.20" in message
    assert fastrender.FAITHFULNESS_TEST in message
    assert "widen the copier pin in pyproject.toml" in message


@pytest.mark.parametrize("version", ["9.19.0", "9.19.1", "9.19.7.post1.dev3+g1234"])
def test_the_import_accepts_a_checked_copier(monkeypatch: pytest.MonkeyPatch, version: str) -> None:
    _import_with_copier(monkeypatch, version)

    assert sys.modules["keel.fastrender"].COPIER_CHECKED == fastrender.COPIER_CHECKED


def test_the_checked_range_is_the_pin_and_holds_the_locked_copier() -> None:
    (low_major, low_minor), (high_major, high_minor) = fastrender.COPIER_CHECKED
    pyproject = tomllib.loads((TEMPLATE_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    lock = tomllib.loads((TEMPLATE_ROOT / "uv.lock").read_text(encoding="utf-8"))
    locked = next(package for package in lock["package"] if package["name"] == "copier")

    pin = f"copier>={low_major}.{low_minor},<{high_major}.{high_minor}"
    assert pin in pyproject["project"]["dependencies"]
    fastrender.check_copier_version(locked["version"])
    fastrender.check_copier_version(metadata.version("copier"))


def test_answers_dumped_item_by_item_read_as_the_filter_writes_them() -> None:
    """The sweep's answers-file shortcut writes PyYAML's text for awkward scalars too."""
    from jinja2_ansible_filters.core_filters import to_nice_yaml

    answers = {
        "project_name": "Ünïcode Service: with 'quotes' and # hash",
        "description": "a long line " * 12,
        "python_version": "3.12",
        "version": "0.1.0",
        "looks_boolean": "yes",
        "empty": "",
        "docker": True,
        "workers": 0,
        "ratio": 1.5,
        "nothing": None,
        "_commit": "v1.2.3-4-gabcdef",
        "multi": "first line\nsecond line",
    }
    dump = fastrender._ItemwiseYaml(to_nice_yaml)  # pyright: ignore[reportPrivateUsage]

    assert dump(answers) == to_nice_yaml(answers)
    assert dump(answers) == to_nice_yaml(answers)  # from the cached items
    assert dump({"nested": {"a": 1}}) == to_nice_yaml({"nested": {"a": 1}})
    assert dump({}) == to_nice_yaml({})
