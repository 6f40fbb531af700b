"""template/ mirrors the service it renders (docs/template-layout.md)."""

from __future__ import annotations

import pytest

from keel import layout, space
from keel.fastrender import renderer

TEMPLATE = space.load()
SPACE = space.current()


def _profile_combination(profile: str) -> space.Combination:
    """The combination `copier copy --data profile=<profile> --defaults` renders."""
    presets = TEMPLATE.profile_presets[profile]
    for combination in SPACE.combinations:
        answers = combination.answers
        if answers["profile"] == profile and all(
            answers.get(key, value) == value for key, value in presets.items()
        ):
            return combination
    raise AssertionError(f"no combination of the space has the {profile} presets")


def test_no_template_path_is_computed() -> None:
    computed = {
        path: names for path in layout.template_files() if (names := layout.computed_names(path))
    }

    assert not computed, f"paths must be literal (conditions are fine): {computed}"


@pytest.mark.parametrize("profile", list(TEMPLATE.profile_presets))
def test_every_rendered_file_comes_from_a_template_file_at_its_path(profile: str) -> None:
    combination = _profile_combination(profile)
    package = combination.answers["package_name"]
    with renderer(combination) as rendering:
        placements = rendering.placements(combination)

    assert len(placements) > 60
    misplaced = {}
    for rendered, source in placements.items():
        expected = layout.literal_path(source).replace("{{package_name}}", package)
        expected = expected.replace("{{_copier_conf.answers_file}}", ".copier-answers.yml")
        if rendered != expected:
            misplaced[rendered] = source
    assert not misplaced, misplaced


def test_each_shared_text_is_included_by_more_than_one_template_file() -> None:
    bodies = layout.shared_bodies()
    on_disk = {f"includes/{path.name}" for path in layout.INCLUDES_DIR.glob("*.jinja")}

    assert set(bodies) == on_disk, "an include no template file uses, or one that is missing"
    single = {body: paths for body, paths in bodies.items() if len(paths) < 2}
    assert not single, f"a text one template file uses belongs in that file: {single}"


# The share of Jinja lines in templated Python when this test was last tightened
# (docs/template-layout.md); lower it as the template gets lighter, never raise it.
JINJA_SHARE_CEILING = 0.092


def test_the_templated_python_gets_no_heavier() -> None:
    shares = layout.jinja_shares()
    jinja = sum(share.jinja_lines for share in shares)
    lines = sum(share.lines for share in shares)

    assert jinja / lines <= JINJA_SHARE_CEILING, f"{jinja / lines:.1%} of the lines are Jinja"


def test_no_file_is_heavy_but_for_imports_of_the_service_s_own_package() -> None:
    """A file may pass 35% only by lines like ``from {{ package_name }}.core import x``.

    The wiring files (``main.py``, ``api/dependencies.py``) import much of the
    package and do little else; their branches stay as light as any file's.
    """
    heavy = {
        share.path: f"{share.share_besides_imports:.0%}"
        for share in layout.jinja_shares()
        if share.share_besides_imports > layout.HEAVY
    }

    assert not heavy, f"Jinja besides first-party imports above {layout.HEAVY:.0%}: {heavy}"
