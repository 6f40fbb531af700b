"""The answer space read from copier.yml, covering arrays and shards."""

from __future__ import annotations

import json
import math
from itertools import combinations as subsets
from itertools import product
from pathlib import Path

import pytest
from typer.testing import CliRunner

from keel import matrix, space
from keel.checkrun import check_one, share_venv, tree_digest
from keel.cli import app
from keel.errors import KeelError
from keel.render import render

TEMPLATE = space.load()
SPACE = space.current()


def test_the_space_is_the_product_of_the_choices_each_profile_allows() -> None:
    """Each profile's product, where a service without a database is not asked how
    it reaches one (db_access), less the pairs copier.yml's combination_rules refuse
    (feature slices only on Litestar over asyncpg, JWT users only in PostgreSQL)."""
    rules = TEMPLATE.questions["profile_rules"].default
    together = TEMPLATE.questions["combination_rules"].default

    def allowed(profile: str, name: str) -> list[object]:
        restricted = rules.get(profile, {}).get(name)
        return restricted["allowed"] if restricted else TEMPLATE.choices(name)

    def refused(answers: dict[str, object]) -> bool:
        for rule in together:
            ((key, value),) = rule["if"].items()
            ((needed, values),) = rule["needs"].items()
            if answers.get(key) == value and answers.get(needed) not in (*values, None):
                return True
        return False

    branching = ["framework", "architecture", "database", "db_access", "auth"]
    expected = 0
    for profile in TEMPLATE.choices("profile"):
        others = [n for n in SPACE.names if n not in branching and n != "profile"]
        rest = math.prod(len(allowed(profile, n)) for n in others)
        for values in product(*(allowed(profile, name) for name in branching)):
            answers = dict(zip(branching, values, strict=True))
            if answers["database"] == "none":
                if answers["db_access"] != allowed(profile, "db_access")[0]:
                    continue  # not asked: one combination, whatever its default
                answers["db_access"] = None
            expected += rest * (not refused(answers))

    assert len(SPACE.combinations) == expected
    refusing = {
        name
        for profile_rules in rules.values()
        for name, rule in profile_rules.items()
        if name in SPACE.names and set(TEMPLATE.choices(name)) - set(rule["allowed"])
    }
    assert {rule.question for rule in SPACE.rules} == {"db_access", "auth"} | refusing


def test_ids_and_labels_are_unique_and_stable() -> None:
    again = space.enumerate_space(TEMPLATE)

    assert len({c.id for c in SPACE.combinations}) == len(SPACE.combinations)
    assert len({c.label for c in SPACE.combinations}) == len(SPACE.combinations)
    assert [c.id for c in again.combinations] == [c.id for c in SPACE.combinations]


def test_every_answer_is_an_allowed_value() -> None:
    for combination in SPACE.combinations:
        for name in SPACE.names:
            assert combination.answers[name] in TEMPLATE.choices(name)
        assert "profile_presets" not in combination.answers


def _with(text: str, question: str, line: str) -> space.Template:
    """copier.yml with `line` (``key: value``) set under `question`, replacing that key."""
    head, rest = text.split(f"\n{question}:\n", 1)
    block, sep, tail = rest.partition("\n\n")
    key = line.split(":", 1)[0]
    kept = [row for row in block.splitlines() if not row.startswith(f"  {key}:")]
    return space.parse("\n".join([f"{head}\n{question}:", f"  {line}", *kept]) + sep + tail)


def test_a_validator_prunes_the_values_it_refuses() -> None:
    text = space.COPIER_YML.read_text()
    existing = TEMPLATE.questions["server"].validator
    refused = "{% if python_version == '3.13' and server == 'granian' %}no{% endif %}"
    pruned = space.enumerate_space(_with(text, "server", f'validator: "{refused}{existing}"'))

    removed = len(SPACE.combinations) - len(pruned.combinations)
    assert removed == sum(
        c.answers["python_version"] == "3.13" and c.answers["server"] == "granian"
        for c in SPACE.combinations
    )
    assert removed > 0
    assert not any(
        c.answers["python_version"] == "3.13" and c.answers["server"] == "granian"
        for c in pruned.combinations
    )
    before = {(rule.question, rule.kind, rule.condition): rule.pruned for rule in SPACE.rules}
    grown = {
        (r.question, r.kind, r.condition)
        for r in pruned.rules
        if r.pruned > before.get((r.question, r.kind, r.condition), 0)
    }
    assert grown == {("server", "validator", "server='granian'")}


def test_a_question_that_is_not_asked_does_not_branch() -> None:
    text = space.COPIER_YML.read_text()
    gated = space.enumerate_space(_with(text, "metrics", """when: "{{ cache != 'none' }}\""""))
    presets = TEMPLATE.profile_presets

    without_cache = [c for c in gated.combinations if c.answers["cache"] == "none"]
    assert without_cache
    for combination in without_cache:  # the profile's default, never branching
        assert combination.answers["metrics"] == presets[combination.answers["profile"]]["metrics"]
    assert len(gated.combinations) < len(SPACE.combinations)
    assert ("metrics", "when") in {(rule.question, rule.kind) for rule in gated.rules}


@pytest.mark.parametrize("strength", [2, 3])
def test_the_covering_array_covers_every_tuple_and_every_profile(strength: int) -> None:
    chosen = matrix.covering_array(SPACE.combinations, SPACE.names, strength=strength)

    def tuples(combinations: list[space.Combination]) -> dict[tuple[str, ...], set[tuple]]:
        """The value tuples that occur, for each subset of `strength` questions."""
        return {
            names: set(zip(*([c.answers[n] for c in combinations] for n in names), strict=True))
            for names in subsets(SPACE.names, strength)
        }

    assert tuples(chosen) == tuples(SPACE.combinations)
    assert {c.answers["profile"] for c in chosen} == set(TEMPLATE.choices("profile"))
    assert len(chosen) < len(SPACE.combinations) / 20


def test_shards_partition_every_combination() -> None:
    shards = [matrix.shard(SPACE.combinations, f"{i}/7") for i in range(1, 8)]

    ids = [c.id for part in shards for c in part]
    assert sorted(ids) == sorted(c.id for c in SPACE.combinations)
    assert max(map(len, shards)) - min(map(len, shards)) <= 1


@pytest.mark.parametrize("spec", ["0/3", "4/3", "x", "1-3"])
def test_a_bad_shard_is_refused(spec: str) -> None:
    with pytest.raises(KeelError, match="shard"):
        matrix.shard(SPACE.combinations, spec)


def test_the_cli_lists_and_emits_a_github_matrix() -> None:
    runner = CliRunner()

    listed = json.loads(runner.invoke(app, ["combos", "--list", "--format", "json"]).output)
    emitted = json.loads(runner.invoke(app, ["matrix", "--format", "github"]).output)
    sharded = json.loads(
        runner.invoke(app, ["matrix", "--shard", "2/50", "--format", "github"]).output
    )

    assert listed["count"] == len(listed["combinations"]) == len(SPACE.combinations)
    assert {entry["id"] for entry in emitted["include"]} <= {c.id for c in SPACE.combinations}
    assert len(sharded["include"]) in {
        len(SPACE.combinations) // 50,
        len(SPACE.combinations) // 50 + 1,
    }


def test_check_refuses_an_unknown_combination(tmp_path: Path) -> None:
    outcome = CliRunner().invoke(app, ["check", "nope", "--dest", str(tmp_path)])

    assert outcome.exit_code == 1
    assert "no valid combination has the ID 'nope'" in outcome.output


def test_a_tree_that_passed_before_is_not_checked_again(scratch: Path) -> None:
    combination = SPACE.combinations[0]
    cache = scratch / "check-cache"
    first = scratch / "cached" / "first"
    render(combination.data, first)
    cache.mkdir()
    (cache / f"{tree_digest(first)}.json").write_text("{}")

    outcome = check_one(
        combination.id, combination.data, scratch / "cached" / "again", cache=cache, venvs=None
    )

    assert outcome.cached
    assert outcome.ok
    assert outcome.gate is None
    assert outcome.tree == tree_digest(first)


def test_projects_with_one_lock_file_share_one_virtualenv(tmp_path: Path) -> None:
    venvs = tmp_path / "venvs"
    projects = [tmp_path / name for name in ("a", "b", "c")]
    for project, lock in zip(projects, ["same", "same", "other"], strict=True):
        project.mkdir()
        (project / "uv.lock").write_text(lock)

    shared = [share_venv(project, venvs) for project in projects]

    assert shared[0] == shared[1] != shared[2]
    assert (projects[1] / ".venv").resolve() == shared[0]
    assert sorted(path.name for path in venvs.iterdir()) == sorted({s.name for s in shared})
