"""Covering arrays and shards over the answer space: plain functions, no I/O."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations as subsets
from typing import Any

import numpy as np
from numpy.typing import NDArray

from keel.errors import KeelError
from keel.space import Combination


def _answer_indexes(combinations: Sequence[Combination], names: Sequence[str]) -> NDArray[np.int64]:
    """Each combination's answers as small integers: row per combination, column per name."""
    columns: list[list[int]] = []
    for name in names:
        index: dict[Any, int] = {}
        columns.append([index.setdefault(c.answers[name], len(index)) for c in combinations])
    return np.array(columns, dtype=np.int64).T.reshape(len(combinations), len(names))


def _tuple_ids(
    combinations: Sequence[Combination], names: Sequence[str], strength: int
) -> NDArray[np.intp]:
    """Each combination's ``strength``-tuples of answer values, as dense integer IDs.

    Row ``i`` holds one ID per subset of ``strength`` questions, naming the values
    combination ``i`` gives those questions; equal tuples share an ID, and IDs run
    from 0 to the number of distinct tuples that occur in some combination.
    """
    values = _answer_indexes(combinations, names)
    width = int(values.max()) + 1
    chosen_names = np.array(list(subsets(range(len(names)), strength)), dtype=np.intp)
    codes = np.arange(len(chosen_names), dtype=np.int64)[np.newaxis, :].repeat(len(values), 0)
    for position in range(strength):
        codes = codes * width + values[:, chosen_names[:, position]]
    _distinct, ids = np.unique(codes, return_inverse=True)
    return ids.reshape(codes.shape)


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
    to the earliest), so the result is deterministic. Tuples are integer IDs in
    a numpy array, so each greedy step counts every combination's new tuples at once.

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
    ids = _tuple_ids(combinations, names, strength)
    uncovered = np.ones(int(ids.max()) + 1, dtype=bool)
    chosen: list[int] = []

    def take(candidates: NDArray[np.intp]) -> None:
        gains = uncovered[ids[candidates]].sum(axis=1)
        index = int(candidates[int(np.argmax(gains))])  # argmax: the earliest of the best
        chosen.append(index)
        uncovered[ids[index]] = False

    grouping = np.array([c.answers[always] for c in combinations], dtype=object)
    for value in dict.fromkeys(grouping):
        take(np.flatnonzero(grouping == value))
    everything = np.arange(len(combinations))
    while uncovered.any():
        take(everything)
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
