"""The demo provider's monthly billing and support comment logs, streamed per account (pure).

Cards appear only as brand and last four digits (DESIGN.md "Payment cards are never stored").
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from custodian.demo import vocabulary as words
from custodian.demo.activity import iso_stamp, window_start
from custodian.demo.population import DemoAccount, DemoPlan

CARD_BRANDS = ("visa", "visa", "mastercard", "amex", "discover")
HOME_PRICES = (2499, 3499, 4499)


def billing_rows(plan: DemoPlan, seed: int) -> Iterator[list[str | int]]:
    """Rows of the Custodian `billing` CSV: an invoice and its payment per account and month."""
    rng = random.Random(f"{seed}:billing")
    lines_held = Counter(holding.account_ref for holding in plan.holdings)
    first_day = window_start(plan.now).date()
    for acc in plan.accounts:
        price = (
            1500 + 1999 * lines_held[acc.ref] if acc.kind == "business" else rng.choice(HOME_PRICES)
        )
        pays_by = rng.choices(("card", "ach", "check"), weights=(7, 2, 1))[0]
        card = (
            (rng.choice(CARD_BRANDS), f"{rng.randrange(10_000):04d}")
            if pays_by == "card"
            else ("", "")
        )
        for month in _billed_months(acc, first_day, plan.now.date()):
            yield from _month_rows(rng, acc, month, price, pays_by, card, plan.now)


def _billed_months(acc: DemoAccount, first_day: date, today: date) -> Iterator[date]:
    """The invoice dates: the signup day of the month (capped at 28), while the account is open."""
    billing_day = min(acc.signup_on.day, 28)
    last = min(acc.closed_on or today, today)
    year, month = acc.signup_on.year, acc.signup_on.month
    while (invoice_on := date(year, month, billing_day)) <= last:
        if invoice_on >= max(first_day, acc.signup_on):
            yield invoice_on
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _month_rows(rng: random.Random, acc: DemoAccount, invoice_on: date, price: int, pays_by: str,
                card: tuple[str, str], now: datetime) -> Iterator[list[str | int]]:
    # letters between digit groups: "100033-202312-1" would pass as a card number on import
    period = invoice_on.strftime("%Y%m")
    invoiced = datetime.combine(invoice_on, time(6), now.tzinfo)
    yield [acc.ref, iso_stamp(int(invoiced.timestamp())), f"INV-{period}-{acc.ref}", price, "USD",
           "invoice", "", "", "issued"]
    paid = invoiced + timedelta(days=rng.randint(1, 12), minutes=rng.randint(0, 600))
    brand, last4 = card if pays_by == "card" else ("", "")
    if paid < now and pays_by == "card" and rng.random() < 0.04:
        yield [acc.ref, iso_stamp(int(paid.timestamp())), f"PAY-{period}-{acc.ref}-D", -price,
               "USD", "card", brand, last4, "declined"]
        paid += timedelta(days=3)
    if paid < now:
        yield [acc.ref, iso_stamp(int(paid.timestamp())), f"PAY-{period}-{acc.ref}", -price, "USD",
               pays_by, brand, last4, "settled"]


def comment_rows(plan: DemoPlan, seed: int) -> Iterator[list[str]]:
    """Rows of the Custodian `comments` CSV: a few support notes per account."""
    rng = random.Random(f"{seed}:comments")
    for acc in plan.accounts:
        opened = datetime.combine(acc.signup_on, time(14), plan.now.tzinfo)
        until = (
            datetime.combine(acc.closed_on, time(12), plan.now.tzinfo)
            if acc.closed_on
            else plan.now
        )
        span_s = max(int((until - opened).total_seconds()), 1)
        notes = sorted(
            opened + timedelta(seconds=rng.randrange(span_s)) for _ in range(rng.randint(0, 5))
        )
        for written in notes:
            yield [
                acc.ref,
                iso_stamp(int(written.timestamp())),
                rng.choice(words.SUPPORT_AGENTS),
                rng.choice(words.COMMENT_TEXTS[:-1]),
            ]
        if acc.closed_on:
            closing = until - timedelta(days=rng.randint(1, 20))
            yield [
                acc.ref,
                iso_stamp(int(max(closing, opened).timestamp())),
                rng.choice(words.SUPPORT_AGENTS),
                words.COMMENT_TEXTS[-1],
            ]
