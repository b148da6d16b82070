"""Statistical disclosure control on cells tied by additive relations (pure).

A cell is one published number. A relation is a set of cells of which one is the sum of the
others (a total and its parts, in any order): if exactly one cell of a relation is hidden, the
published others give it away. Primary suppression hides the small counts; secondary
suppression then hides, in every relation with a single hidden cell, the least informative other
cell (the smallest non-zero one) until no relation has a single hidden cell. This is the
"singleton" heuristic that statistical offices apply per table (CBS, tau-argus's hypercube
method in its simplest form), here across every table of the document set at once.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

SHOWN, SMALL, SECONDARY = "getoond", "klein", "secundair"
STATUSES = (SHOWN, SMALL, SECONDARY)


def small(values: np.ndarray, smallest: int) -> np.ndarray:
    """Counts from 1 up to (not including) `smallest`; 0 may be published."""
    values = np.asarray(values, dtype="float64")
    return (values >= 1) & (values < smallest)


def membership(relations: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(relation number, cell number) for every member of every relation."""
    if not relations:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    sizes = np.array([len(r) for r in relations])
    return np.repeat(np.arange(len(relations)), sizes), np.concatenate(relations).astype(np.int64)


def exposed(hidden: np.ndarray, relations: Sequence[np.ndarray]) -> np.ndarray:
    """The numbers of the relations with exactly one hidden cell: that cell can be recomputed
    from the others."""
    rel, cell = membership(relations)
    counts = np.bincount(rel, weights=hidden[cell].astype(float), minlength=len(relations))
    return np.flatnonzero(counts == 1)


def suppress(values: np.ndarray, primary: np.ndarray, suppressible: np.ndarray,
             relations: Sequence[np.ndarray]) -> np.ndarray:
    """The status of every cell (SHOWN, SMALL, SECONDARY) after primary and secondary
    suppression. `suppressible` says which cells may be hidden to protect another (a setting of
    the model, for instance, may not); a relation whose only candidates are not suppressible
    fails loudly, because its hidden cell cannot be protected."""
    values = np.abs(np.asarray(values, dtype="float64"))
    hidden = np.asarray(primary, dtype=bool).copy()
    secondary = np.zeros_like(hidden)
    relations = [np.asarray(r, dtype=np.int64) for r in relations if len(r) > 1]
    # Zeros last: hiding a zero beside one small count tells a reader the two add up to it.
    cost = np.where(values == 0, np.inf, values)
    while True:
        todo = exposed(hidden, relations)
        if not len(todo):
            break
        for number in todo:
            members = relations[number]
            if hidden[members].sum() != 1:  # settled by an earlier choice in this round
                continue
            candidates = members[~hidden[members] & suppressible[members]]
            if not len(candidates):
                raise ValueError(f"cel {int(members[hidden[members]][0])} is niet te beschermen: "
                                 "geen andere cel in de optelling mag worden afgeschermd")
            order = np.lexsort((candidates, values[candidates], cost[candidates]))
            chosen = candidates[order[0]]
            hidden[chosen] = secondary[chosen] = True
    status = np.full(len(values), SHOWN, dtype=object)
    status[hidden] = SMALL
    status[secondary] = SECONDARY
    return status
