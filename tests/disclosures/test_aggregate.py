"""Small-cell suppression of aggregate reports: the properties docs/disclosures.md states, over any table."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from custodian.disclosures.aggregate import TOTAL, Cell, Suppressed, suppress

ROWS = st.sampled_from(["TX", "CA", "NY", "WA"])
COLUMNS = st.sampled_from(["2026-01", "2026-02", "2026-03", ""])
TABLES = st.dictionaries(st.tuples(ROWS, COLUMNS), st.integers(min_value=1, max_value=60), max_size=16)
KS = st.integers(min_value=2, max_value=25)


def published(table: Suppressed) -> dict[Cell, int]:
    """Every published figure: cells, and the margins keyed (row, TOTAL), (TOTAL, column), (TOTAL, TOTAL)."""
    figures = dict(table.cells)
    figures.update({(row, TOTAL): value for row, value in table.row_totals.items()})
    figures.update({(TOTAL, column): value for column, value in table.column_totals.items()})
    if table.total is not None:
        figures[(TOTAL, TOTAL)] = table.total
    return figures


def margin_lines(counts: dict[Cell, int]) -> tuple[dict[Cell, int], list[tuple[Cell, list[Cell]]]]:
    """The true figures of the table with its margins, and every line (its total, its parts) that sums."""
    figures = dict(counts)
    found: list[tuple[Cell, list[Cell]]] = []
    rows = sorted({row for row, _ in counts})
    columns = sorted({column for _, column in counts})
    for row in rows:
        found.append(((row, TOTAL), [cell for cell in counts if cell[0] == row]))
    for column in columns:
        found.append(((TOTAL, column), [cell for cell in counts if cell[1] == column]))
    for total, parts in found:
        figures[total] = sum(counts[part] for part in parts)
    if counts:
        figures[(TOTAL, TOTAL)] = sum(counts.values())
        found.append(((TOTAL, TOTAL), [(row, TOTAL) for row in rows]))
        found.append(((TOTAL, TOTAL), [(TOTAL, column) for column in columns]))
    return figures, found


@given(TABLES, KS)
def test_no_published_figure_is_below_k_and_every_cell_below_k_is_withheld(counts: dict[Cell, int], k: int) -> None:
    """003 P10: only "aggregate information" is disclosed: no group smaller than k is published, cell or total."""
    table = suppress(counts, k)
    assert all(value >= k for value in published(table).values())
    assert {cell for cell, value in counts.items() if value < k} <= table.withheld
    assert set(table.cells) | table.withheld == set(counts) and not set(table.cells) & table.withheld
    assert table.suppressed_count == len(table.withheld)


@given(TABLES, KS)
def test_no_withheld_figure_follows_from_a_row_or_column_total(counts: dict[Cell, int], k: int) -> None:
    """In every line that sums to a total the withheld entries (the total included) are none or at least two, and
    under a published total the withheld parts add up to a group of at least k: subtracting the published parts
    from the total gives neither one withheld value nor the figure of a group below k."""
    table = suppress(counts, k)
    shown = published(table)
    figures, found = margin_lines(counts)
    for total, parts in found:
        hidden = [part for part in parts if part not in shown]
        withheld_entries = len(hidden) + (total not in shown)
        assert withheld_entries == 0 or withheld_entries >= 2, (total, parts)
        if total in shown and hidden:
            assert sum(figures[part] for part in hidden) >= k


@given(TABLES, KS)
def test_published_totals_are_the_true_sums_withheld_cells_included(counts: dict[Cell, int], k: int) -> None:
    """Totals are the true figures (withheld cells counted), never the sum of the published cells only."""
    figures, _ = margin_lines(counts)
    for entry, value in published(suppress(counts, k)).items():
        assert value == figures[entry]


def test_a_lone_small_cell_takes_the_smallest_cell_of_its_row_and_column_with_it() -> None:
    """Texas in January has 3 accounts: withheld; then Texas February (20) so Texas's total hides two cells, then
    California's January and February so those columns do too."""
    counts = {("TX", "01"): 3, ("TX", "02"): 20, ("TX", "03"): 30, ("CA", "01"): 40, ("CA", "02"): 50,
              ("CA", "03"): 60}
    table = suppress(counts, 11)
    assert table.withheld == {("TX", "01"), ("TX", "02"), ("CA", "01"), ("CA", "02")}
    assert table.cells == {("TX", "03"): 30, ("CA", "03"): 60}
    assert table.suppressed_count == 4 and table.total == 203


def test_group_size_counts_distinct_accounts_not_calls() -> None:
    """A cell of 500 calls made by 2 accounts is a group of 2: withheld, whatever its value."""
    values = {("TX", ""): 500, ("CA", ""): 900, ("NY", ""): 800}
    members = {("TX", ""): frozenset({1, 2}), ("CA", ""): frozenset(range(10, 30)),
               ("NY", ""): frozenset(range(30, 60))}
    table = suppress(values, 11, members)
    assert table.withheld == {("TX", ""), ("NY", "")}  # with the smaller of the others, whatever their groups
    assert table.cells == {("CA", ""): 900} and table.total == 2200


def test_k_below_two_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 2"):
        suppress({("TX", ""): 5}, 1)
