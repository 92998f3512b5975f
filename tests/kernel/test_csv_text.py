"""CSV formula injection (OWASP "CSV Injection"): every CSV Custodian writes neutralises cells beginning with
`=`, `+`, `-`, `@`, tab or carriage return by prefixing `'`."""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from custodian.kernel.csv_text import FORMULA_STARTS, csv_bytes, neutralise_cell


def _read(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def test_a_formula_cell_is_written_as_text_with_a_leading_quote() -> None:
    rows = _read(csv_bytes(("a", "b", "c", "d", "e", "f"),
                           [("=HYPERLINK(\"http://x\")", "+15125550100", "-2+3", "@SUM(A1)", "\tx", "\rx")]))
    assert rows[1] == ["'=HYPERLINK(\"http://x\")", "'+15125550100", "'-2+3", "'@SUM(A1)", "'\tx", "'\rx"]


def test_ordinary_text_and_numbers_are_written_unchanged() -> None:
    assert _read(csv_bytes(("n", "text", "amount"), [(3, "Ada Lovelace", -500)]))[1] == ["3", "Ada Lovelace", "-500"]


def test_a_cell_holding_a_line_break_stays_one_cell() -> None:
    assert _read(csv_bytes(("a", "b"), [("x\ry", "p\nq")]))[1] == ["x\ry", "p\nq"]


def test_a_header_is_neutralised_too() -> None:
    assert _read(csv_bytes(("=cmd",), []))[0] == ["'=cmd"]


@given(st.text(max_size=12))
def test_no_written_cell_starts_a_formula_and_the_prefix_is_the_only_change(value: str) -> None:
    [cell] = _read(csv_bytes(("v",), [(value,)]))[1]
    assert not cell.startswith(FORMULA_STARTS)
    assert neutralise_cell(value) == (("'" + value) if value.startswith(FORMULA_STARTS) else value)
