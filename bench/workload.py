"""Deterministic benchmark input: a provider's accounts, number history and Asterisk Master.csv."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

ACCOUNTS_HEADER = ("account_ref,kind,profile,status,company,first_name,last_name,email,contact_phone,"
                   "street,city,state,postal_code,country,signup_on,closed_on,controller")


def own_number(index: int) -> str:
    """The (fictional) number held by benchmark account `index`."""
    return f"+1737{2000000 + index:07d}"


def write_accounts(folder: Path, accounts: int) -> tuple[Path, Path]:
    """Accounts and one number each, held since 2024."""
    acc, num = folder / "accounts.csv", folder / "numbers.csv"
    with open(acc, "w") as a, open(num, "w") as n:
        a.write(ACCOUNTS_HEADER + "\n")
        n.write("number,account_ref,extension,assigned_from,assigned_to,carrier\n")
        for i in range(accounts):
            a.write(f"B{i:05d},residential,standard,active,,Bench,User{i},b{i}@example.com,,,,,,US,2024-01-01,,\n")
            n.write(f"{own_number(i)},B{i:05d},,2024-01-01,,Bench\n")
    return acc, num


def write_cdrs(path: Path, rows: int, accounts: int, seed: int = 1) -> Path:
    """`rows` Master.csv records over 2026, outbound from account numbers to random counterparts."""
    rng = random.Random(seed)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    span = 365 * 86400
    with open(path, "w") as out:
        for i in range(rows):
            acct = rng.randrange(accounts)
            src = own_number(acct)[2:]
            dst = f"1512{rng.randrange(2000000, 9999999)}"
            t0 = start + timedelta(seconds=rng.randrange(span))
            billsec = rng.randrange(0, 900)
            answered = billsec > 0
            t1 = t0 + timedelta(seconds=4)
            t2 = t1 + timedelta(seconds=billsec)
            fmt = "%Y-%m-%d %H:%M:%S"
            out.write(
                f'"","{src}","{dst}","from-internal","""User {acct}"" <{src}>","SIP/{acct}-{i:08x}",'
                f'"SIP/trunk-{i:08x}","Dial","SIP/trunk/{dst},60","{t0.strftime(fmt)}",'
                f'"{t1.strftime(fmt) if answered else ""}","{t2.strftime(fmt)}",{billsec + 4},{billsec},'
                f'"{"ANSWERED" if answered else "NO ANSWER"}","DOCUMENTATION","{1767225600 + i}.{i}",""\n'
            )
    return path
