"""Aggregate reports with small-cell suppression (issue 17 §2; seed 003: advertisers receive "aggregate information"
on traffic only).

A report is a table of counts: rows are the values of the first grouping, columns of the second (one column "" with
a single grouping). Only groups that occur are cells; an absent group is zero and is not a cell.

A cell's group size is the number of accounts it counts (for calls, minutes and messages: the distinct accounts
behind them); k applies to group sizes, never to minutes or calls.

1. Primary suppression: every cell whose group is smaller than k is withheld. k is the recipient's
   `min_group_size`, else DEFAULT_MIN_GROUP_SIZE (11, set here: the U.S. CMS cell-size suppression policy withholds
   cells of 10 or fewer).
2. The table carries its margins: each row's total, each column's total and the grand total, the true sums of all
   their cells (withheld ones included). A margin is published only when its group is at least k, like a cell.
3. Complementary suppression, repeated until nothing changes, over every line that sums to a margin (each row with
   its total, each column with its total, the row totals with the grand total, the column totals with it): a line
   withholds none of its entries, or at least two; and where its total is published, the withheld parts are a
   group of at least k (each account counted once). Otherwise the smallest published part is withheld too, or the
   total when no part is left.

Properties (tests/disclosures/test_aggregate.py, Hypothesis): no published cell or total is a group below k; every
cell below k is withheld; a published total is the true sum of its line; in every line the withheld entries are none
or at least two, and under a published total the withheld parts are a group of at least k, so no line's equation
gives one withheld figure, nor the figure of a group below k. Limit: a withheld cell's range can still be narrowed
by solving several lines together (no linear-programming audit is made); the default k errs high for that reason.

Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_MIN_GROUP_SIZE = 11
TOTAL = "\u03a3"  # the margin's key: (row, TOTAL) is a row's total, (TOTAL, TOTAL) the grand total
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
    """Withhold every group below k and enough others that no withheld figure follows from a published one.

    A cell's group is its `members` (the accounts counted in it) when given, else its value is its size (a count of
    accounts); the group of several cells counts each member once.
    """
    if k < 2:
        raise ValueError("k (min_group_size) must be at least 2")
    table = _Table(values, members)
    hidden = {entry for entry in table.values if table.size([entry]) < k}
    changed = True
    while changed:
        changed = False
        for total, parts in table.lines:
            extra = _complement(table, total, parts, hidden, k)
            if extra is not None:
                hidden.add(extra)
                changed = True
    shown = {entry: value for entry, value in table.values.items() if entry not in hidden}
    return Suppressed(
        k=k,
        cells={cell: value for cell, value in shown.items() if TOTAL not in cell},
        withheld=frozenset(cell for cell in hidden if TOTAL not in cell),
        row_totals={row: value for (row, column), value in shown.items() if column == TOTAL and row != TOTAL},
        column_totals={column: value for (row, column), value in shown.items() if row == TOTAL and column != TOTAL},
        total=shown.get((TOTAL, TOTAL)),
    )


class _Table:
    """The cells with their margins (row totals, column totals, the grand total) and every line that sums to one."""

    def __init__(self, values: Mapping[Cell, int], members: Mapping[Cell, frozenset[int]] | None) -> None:
        self.values: dict[Cell, int] = dict(values)
        self.members: dict[Cell, frozenset[int]] | None = None if members is None else {
            cell: members.get(cell, frozenset()) for cell in values}
        self.lines: list[tuple[Cell, list[Cell]]] = []
        if not values:
            return
        rows = _group(values, 0)
        columns = _group(values, 1)
        for row, cells in rows.items():
            self._margin((row, TOTAL), cells)
        for column, cells in columns.items():
            self._margin((TOTAL, column), cells)
        self._margin((TOTAL, TOTAL), [(row, TOTAL) for row in rows])
        self.lines.append(((TOTAL, TOTAL), [(TOTAL, column) for column in columns]))

    def _margin(self, total: Cell, parts: list[Cell]) -> None:
        self.values[total] = sum(self.values[part] for part in parts)
        if self.members is not None:
            self.members[total] = frozenset().union(*(self.members[part] for part in parts))
        self.lines.append((total, parts))

    def size(self, entries: list[Cell]) -> int:
        """How many people the entries count together."""
        if self.members is None:
            return sum(self.values[entry] for entry in entries)
        return len(frozenset().union(*(self.members[entry] for entry in entries)))


def _group(values: Mapping[Cell, int], axis: int) -> dict[str, list[Cell]]:
    lines: dict[str, list[Cell]] = {}
    for cell in sorted(values):
        lines.setdefault(cell[axis], []).append(cell)
    return lines


def _complement(table: _Table, total: Cell, parts: list[Cell], hidden: set[Cell], k: int) -> Cell | None:
    """The next entry to withhold in the line `parts` summing to `total`, or None when the line gives nothing away:
    its withheld entries (the total included) are none or at least two, and when its total is published the
    withheld parts are a group of at least k."""
    hid = [part for part in parts if part in hidden]
    shown = [part for part in parts if part not in hidden]
    if total in hidden:
        if hid or not shown:
            return None
        return _smallest(table, shown)  # a withheld total must not be the sum of published parts
    if not hid or (len(hid) >= 2 and table.size(hid) >= k):
        return None
    return _smallest(table, shown) if shown else total


def _smallest(table: _Table, entries: list[Cell]) -> Cell:
    return min(entries, key=lambda entry: (table.values[entry], entry))
