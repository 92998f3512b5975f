"""Writing import files for tests."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

ACCOUNTS_HEADER = ("account_ref,kind,profile,status,company,first_name,last_name,email,contact_phone,"
                   "street,city,state,postal_code,country,signup_on,closed_on,controller")
NUMBERS_HEADER = "number,account_ref,extension,assigned_from,assigned_to,carrier"


def write_lines(path: Path, lines: Iterable[str]) -> Path:
    """Write `lines` (no trailing newline needed) to `path`."""
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def csv_file(path: Path, header: str, rows: Sequence[str]) -> Path:
    """A CSV with `header` then `rows`."""
    return write_lines(path, [header, *rows])


def account_line(ref: str, *, kind: str = "residential", status: str = "active", closed_on: str = "",
                 first: str = "Ada", last: str = "Lovelace", email: str = "", company: str = "") -> str:
    """One `accounts` row with sensible defaults."""
    email = email or f"{ref.lower()}@example.com"
    return (f"{ref},{kind},standard,{status},{company},{first},{last},{email},+15125550100,"
            f"1 Main St,Austin,TX,78701,US,2024-01-01,{closed_on},")


def asterisk_line(src: str, dst: str, start: str, *, accountcode: str = "", disposition: str = "ANSWERED",
                  duration: int = 65, billsec: int = 60, uniqueid: str = "") -> str:
    """One Master.csv record (answer 5 s after start)."""
    answer = start[:-2] + f"{int(start[-2:]) + 5:02d}" if disposition == "ANSWERED" else ""
    tail = f',"{uniqueid}",""' if uniqueid else ""
    return (f'"{accountcode}","{src}","{dst}","from-internal","","SIP/a-1","SIP/b-2","Dial","",'
            f'"{start}","{answer}","{start}",{duration},{billsec},"{disposition}","DOCUMENTATION"{tail}')
