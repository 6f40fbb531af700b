"""Covering arrays and shards over the answer space: plain functions, no I/O."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations as subsets
from typing import Any

from keel.errors import KeelError
from keel.space import Combination

Tuple = tuple[tuple[str, Any], ...]


def _tuples(combination: Combination, names: Sequence[str], strength: int) -> set[Tuple]:
    pairs = [(name, combination.answers[name]) for name in names]
    return set(subsets(pairs, strength))


def covering_array(
    combinations: Sequence[Combination],
    names: Sequence[str],
    *,
    strength: int,
    always: str = "profile",
) -> list[Combination]:
    """Pick combinations until every ``strength``-tuple of answer values is covered.

    Only tuples that occur in some valid combination count (a pruned pair is not
    owed). Every value of ``always`` (the profile) is covered too, first. The
    choice is greedy (the combination covering most uncovered tuples next, ties
    to the earliest), so the result is deterministic.

    Args:
        combinations: The valid combinations, in a stable order.
        names: The questions whose values vary.
        strength: 2 for pairs, 3 for triples.
        always: A question each of whose values must be in the result.

    Raises:
        KeelError: ``strength`` is not between 1 and the number of questions.
    """
    if not 1 <= strength <= len(names):
        msg = f"strength must be between 1 and {len(names)}, not {strength}"
        raise KeelError(msg)
    tuples = [_tuples(combination, names, strength) for combination in combinations]
    uncovered: set[Tuple] = set().union(*tuples)
    chosen: list[int] = []
    for value in dict.fromkeys(combination.answers[always] for combination in combinations):
        index = max(
            (i for i, c in enumerate(combinations) if c.answers[always] == value),
            key=lambda i: (len(tuples[i] & uncovered), -i),
        )
        chosen.append(index)
        uncovered -= tuples[index]
    while uncovered:
        index = max(range(len(combinations)), key=lambda i: (len(tuples[i] & uncovered), -i))
        chosen.append(index)
        uncovered -= tuples[index]
    return [combinations[index] for index in chosen]


def shard(combinations: Sequence[Combination], spec: str) -> list[Combination]:
    """The ``I/N`` shard (1-based) of the combinations, ordered by ID.

    Every combination is in exactly one of the N shards, and the shards differ
    in size by at most one.

    Raises:
        KeelError: ``spec`` is not ``I/N`` with ``1 <= I <= N``.
    """
    try:
        index, count = (int(part) for part in spec.split("/"))
    except ValueError:
        msg = f"--shard takes I/N, e.g. 3/20, not {spec!r}"
        raise KeelError(msg) from None
    if not 1 <= index <= count:
        msg = f"--shard {spec}: I must be between 1 and N"
        raise KeelError(msg)
    ordered = sorted(combinations, key=lambda combination: combination.id)
    return ordered[index - 1 :: count]


def github_matrix(combinations: Sequence[Combination]) -> dict[str, list[dict[str, Any]]]:
    """A GitHub Actions ``strategy.matrix`` with one ``include`` entry per combination."""
    return {
        "include": [
            {"id": combination.id, "label": combination.label, "answers": combination.data}
            for combination in combinations
        ]
    }
