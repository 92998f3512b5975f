"""Aggregate reports with small-cell suppression (issue 17 §2; seed 003: advertisers receive "aggregate information"
on traffic only).

A report is a table of counts: rows are the values of the first grouping, columns of the second (one column "" with
a single grouping). Only groups that occur are cells; an absent group is zero and is not a cell.

A cell's group size is the number of accounts it counts (for calls, minutes and messages: the distinct accounts
behind them); k applies to group sizes, never to minutes or calls.

1. Primary suppression: every cell whose group is smaller than k is withheld. k is the recipient's
   `min_group_size`, else DEFAULT_MIN_GROUP_SIZE (11, set here: the U.S. CMS cell-size suppression policy withholds
   cells of 10 or fewer).
2. Complementary suppression, repeated until nothing changes: in every row and every column whose total is
   published, the withheld cells are none, or at least two whose groups together reach k; otherwise the smallest
   published cell of that line is withheld too (the group of several cells counts each account once).
3. Totals (per row, per column, overall) are the true sums of all their cells, withheld ones included, and are
   published only when their group is at least k; a smaller total is withheld as well.

Properties (tests/disclosures/test_aggregate.py, Hypothesis): no published cell's group is below k; every cell whose
group is below k is withheld; every published total equals the sum of its line's cells and its group is at least k;
in a line with a published total, the withheld cells are none, or at least two whose groups together reach k, so
the total minus the published cells never gives one withheld cell's value, nor the figure of a group below k.
Limit: a cell's range can still be narrowed by solving several lines together (no linear-programming audit is
made); the default k errs high for that reason.

Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_MIN_GROUP_SIZE = 11
Cell = tuple[str, str]


@dataclass(frozen=True)
class Suppressed:
    """A table after suppression: published cells and totals (withheld ones absent), and what was withheld."""

    k: int
    cells: dict[Cell, int]
    withheld: frozenset[Cell]
    row_totals: dict[str, int]
    column_totals: dict[str, int]
    total: int | None

    @property
    def suppressed_count(self) -> int:
        """How many cells were withheld (primary and complementary)."""
        return len(self.withheld)


def suppress(values: Mapping[Cell, int], k: int, members: Mapping[Cell, frozenset[int]] | None = None) -> Suppressed:
    """Withhold every group below k and enough others that no withheld cell follows from a row or column total.

    A cell's group is its `members` (the accounts counted in it) when given, else its value is its size (a count of
    accounts); the size of several cells is the number of distinct members among them.
    """
    if k < 2:
        raise ValueError("k (min_group_size) must be at least 2")
    size = _Sizes(values, members)
    withheld = {cell for cell in values if size.of([cell]) < k}
    changed = True
    while changed:
        changed = False
        for line in _lines(values):
            extra = _complement(values, size, line, withheld, k)
            if extra is not None:
                withheld.add(extra)
                changed = True
    rows, columns = _lines_of(values, 0), _lines_of(values, 1)
    return Suppressed(
        k=k,
        cells={cell: value for cell, value in values.items() if cell not in withheld},
        withheld=frozenset(withheld),
        row_totals={key: sum(values[c] for c in line) for key, line in rows.items() if size.of(line) >= k},
        column_totals={key: sum(values[c] for c in line) for key, line in columns.items() if size.of(line) >= k},
        total=sum(values.values()) if values and size.of(list(values)) >= k else None,
    )


class _Sizes:
    """How many people a set of cells counts: distinct members, or the sum of values when there are none."""

    def __init__(self, values: Mapping[Cell, int], members: Mapping[Cell, frozenset[int]] | None) -> None:
        self.values, self.members = values, members

    def of(self, cells: list[Cell]) -> int:
        if self.members is None:
            return sum(self.values[cell] for cell in cells)
        return len(frozenset().union(*(self.members.get(cell, frozenset()) for cell in cells)))


def _lines(values: Mapping[Cell, int]) -> list[list[Cell]]:
    """Every row and every column, as their cells in a fixed order."""
    return [*_lines_of(values, 0).values(), *_lines_of(values, 1).values()]


def _lines_of(values: Mapping[Cell, int], axis: int) -> dict[str, list[Cell]]:
    lines: dict[str, list[Cell]] = {}
    for cell in sorted(values):
        lines.setdefault(cell[axis], []).append(cell)
    return lines


def _complement(values: Mapping[Cell, int], size: _Sizes, line: list[Cell], withheld: set[Cell],
                k: int) -> Cell | None:
    """The next cell to withhold in `line`, or None when the line is safe."""
    hidden = [cell for cell in line if cell in withheld]
    if not hidden or size.of(line) < k:
        return None  # nothing withheld here, or the line's total is itself withheld
    if len(hidden) >= 2 and size.of(hidden) >= k:
        return None
    shown = [cell for cell in line if cell not in withheld]
    if not shown:
        return None  # every cell withheld: the total reveals only their sum, a group of at least k
    return min(shown, key=lambda cell: (values[cell], cell))
