"""Custodian `billing` CSV: billing transactions; a card only ever as brand and last four digits.

Payment cards are never stored (DESIGN.md "Payment cards are never stored"; PCI DSS 3.3/3.4):
a row holding a full card number in any field is rejected whole, and the reason never repeats it.
Times are ISO 8601; a time without an offset (or a bare date, meaning 00:00) is UTC.
"""

from __future__ import annotations

import re
from datetime import UTC

from custodian.ingest.parse import (
    ParseOptions,
    RowRejected,
    bounded,
    instant,
    optional,
    record_key,
    required,
)
from custodian.ingest.records import BillingRow
from custodian.kernel.money import InvalidAmount, parse_cents
from custodian.records.rules import contains_card_number

HEADER = ("account_ref", "occurred_at", "reference", "amount_cents", "currency", "method",
          "card_brand", "card_last4", "state")
FULL_CARD_REASON = "full card numbers are not accepted"
MAX_CENTS = 2**31 - 1  # the amount column is a 32-bit integer
_TOKEN = re.compile(r"[a-z][a-z0-9_]{0,23}")


def parse(row: dict[str, str], options: ParseOptions) -> BillingRow:
    """Validate one transaction row; method `card` needs card_brand and card_last4."""
    if any(contains_card_number(value) for value in row.values()):
        raise RowRejected(FULL_CARD_REASON)
    occurred_at = instant(row, "occurred_at", UTC)
    assert occurred_at is not None
    method = _token(row, "method")
    brand, last4 = _card(row, method)
    values = {
        "account_ref": required(row, "account_ref"),
        "reference": bounded(row, "reference", 80),
        "currency": _currency(row),
        "state": _token(row, "state"),
    }
    amount = _cents(row)
    return BillingRow(
        key=record_key(options.record_secret, "billing", *values.values(), occurred_at.isoformat(), str(amount), method,
                       brand, last4),
        occurred_at=occurred_at, amount_cents=amount, method=method, card_brand=brand,
        card_last4=last4, **values,
    )


def _card(row: dict[str, str], method: str) -> tuple[str, str]:
    brand = optional(row, "card_brand").lower()
    last4 = optional(row, "card_last4")
    if last4 and not (len(last4) == 4 and last4.isdigit()):
        raise RowRejected("card_last4: must be exactly 4 digits")
    if brand and not _TOKEN.fullmatch(brand):
        raise RowRejected("card_brand: must be a short name such as visa")
    if method == "card":
        if not brand:
            raise RowRejected("card_brand: required for method card")
        if not last4:
            raise RowRejected("card_last4: required for method card")
    elif brand or last4:
        raise RowRejected("card_brand/card_last4: only for method card")
    return brand, last4


def _cents(row: dict[str, str]) -> int:
    try:
        amount = parse_cents(required(row, "amount_cents"))
    except InvalidAmount as exc:
        raise RowRejected(f"amount_cents: {exc}") from exc
    if abs(amount) > MAX_CENTS:
        raise RowRejected("amount_cents: too large")
    return amount


def _currency(row: dict[str, str]) -> str:
    currency = required(row, "currency").upper()
    if len(currency) != 3 or not currency.isascii() or not currency.isalpha():
        raise RowRejected("currency: must be a three-letter ISO 4217 code")
    return currency


def _token(row: dict[str, str], name: str) -> str:
    value = required(row, name).lower()
    if not _TOKEN.fullmatch(value):
        raise RowRejected(f"{name}: must be one lower-case word (a-z, 0-9, _), at most 24 long")
    return value
