"""Every CSV Custodian writes, through one writer that neutralises spreadsheet formulas.

OWASP "CSV Injection": a cell beginning with `=`, `+`, `-`, `@`, a tab or a carriage return may be run as a
formula by a spreadsheet that opens the file, so such a cell is written with a leading `'`. A phone number in
E.164 ("+15125550100") begins with `+` and is therefore written `'+15125550100`; legal production packages
keep the raw values in a JSON file beside each CSV, so nothing is lost.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any, TextIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: Any) -> Any:
    """The value a spreadsheet reads as text: text starting a formula gets a leading `'`; numbers pass as is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(handle: TextIO, header: Iterable[str], rows: Iterable[Iterable[Any]]) -> None:
    """Write a header line and rows to `handle` (RFC 4180, CRLF), every cell neutralised."""
    writer = csv.writer(handle, lineterminator="\r\n")  # RFC 4180 line breaks; a cell holding CR or LF is quoted
    writer.writerow([neutralise_cell(name) for name in header])
    writer.writerows([neutralise_cell(cell) for cell in row] for row in rows)


def csv_bytes(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> bytes:
    """A UTF-8 CSV with a header line, every cell neutralised."""
    buffer = io.StringIO()
    write_csv(buffer, header, rows)
    return buffer.getvalue().encode("utf-8")
