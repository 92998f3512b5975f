"""Quoting a request from the policy's fee schedule (SpectrumVoIP DRG XI "Cost Reimbursement").

"$40.00/Month Call/Fax Log Records per account": a month is a calendar month touched by the date
range. "Requests requiring more than 0.5 hours will be billed at a one- (1-) hour minimum": hours at
or under the threshold are not billed, hours over it are billed at no less than the minimum.
Lines billed at "actual cost" have no amount and are added to an invoice by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from custodian.legal.calendar import months_touched
from custodian.legal.types import QuoteRequest
from custodian.policy.document_legal import Fee

HOURS_OF = {"engineer": "engineer_hours", "paralegal": "paralegal_hours", "attorney": "attorney_hours",
            "chat_engineer": "chat_engineer_hours"}


@dataclass(frozen=True)
class QuoteLine:
    """One billed line: a fee code, how many units, the unit price and the amount, in cents."""

    code: str
    quantity: float | int
    unit_cents: int
    amount_cents: int


@dataclass(frozen=True)
class Quote:
    """Every billed line and the total."""

    lines: tuple[QuoteLine, ...]

    @property
    def total_cents(self) -> int:
        """The sum of every line."""
        return sum(line.amount_cents for line in self.lines)


def quote(request: QuoteRequest, fees: list[Fee]) -> Quote:
    """The lines `fees` charge for `request`, in schedule order; lines with nothing to bill are left out."""
    lines = [line for fee in fees for line in _lines_of(fee, request) if line.quantity]
    return Quote(tuple(lines))


def actual_cost_fees(instrument: str | None, fees: list[Fee]) -> list[Fee]:
    """The schedule's actual-cost lines billing a prospective order ("Pen Register/Trap and Trace",
    "Wiretap": "SpectrumVoIP's actual cost"), entered on the invoice by hand."""
    return [fee for fee in fees if fee.basis == "actual_cost" and instrument in fee.instruments]


def billed_months(request: QuoteRequest) -> int:
    """Calendar months touched by the request's date range (0 without one)."""
    window = request.date_range
    if window is None or window.from_on is None or window.to_on is None:
        return 0
    return months_touched(window.from_on, window.to_on)


def billable_hours(hours: float, fee: Fee) -> Decimal:
    """Hours actually billed: nothing up to the threshold, then at least the minimum."""
    worked = Decimal(str(hours))
    if worked <= Decimal(str(fee.threshold_hours)):
        return Decimal(0)
    return max(worked, Decimal(str(fee.minimum_hours)))


def _lines_of(fee: Fee, request: QuoteRequest) -> list[QuoteLine]:
    if fee.amount_cents is None:
        return []  # actual cost: entered on the invoice, never guessed
    unit = fee.amount_cents
    asked = set(request.record_classes)
    if fee.basis == "per_account":
        triggered = {"records": bool(asked & set(fee.classes)), "preservation": request.preservation,
                     "expedite": request.expedite}[fee.applies_to]
        return [_line(fee.code, request.accounts if triggered else 0, unit)]
    if fee.basis == "per_account_month":
        count = request.accounts * billed_months(request) if asked & set(fee.classes) else 0
        return [_line(fee.code, count, unit)]
    if fee.basis == "per_content_type_month":
        per_type = request.accounts * billed_months(request)
        return [_line(f"{fee.code}.{kind}", per_type, unit)
                for kind, classes in fee.content_types.items() if asked & set(classes)]
    if fee.basis == "hourly" and fee.hours is not None:
        hours = billable_hours(getattr(request, HOURS_OF[fee.hours]), fee)
        amount = int((hours * unit).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        return [QuoteLine(fee.code, _plain(hours), unit, amount)]
    counts = {"per_page": max(0, request.pages - fee.free_pages), "per_document": request.notarized_documents,
              "per_signature": request.signatures}
    return [_line(fee.code, counts[fee.basis], unit)] if fee.basis in counts else []


def _line(code: str, quantity: int, unit: int) -> QuoteLine:
    return QuoteLine(code, quantity, unit, quantity * unit)


def _plain(hours: Decimal) -> float | int:
    return int(hours) if hours == hours.to_integral_value() else float(hours)


def dollars(cents: int) -> str:
    """Cents as a dollar amount for people: 1234567 -> "$12,345.67"."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}${whole:,}.{part:02d}"
