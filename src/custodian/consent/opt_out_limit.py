"""Opt-outs honoured within the policy's limit (issue 16 §3; policy `consent.opt_out_business_days`, default
10 business days as CAN-SPAM sets for e-mail, 15 U.S.C. 7704(a)(4)(A)).

Pure. An opt-out is in every suppression list from the moment it is recorded; what software can still check
is that the marketing tools fetched a list carrying it in time. An opt-out is overdue when, past its due day
(the limit counted in business days: no weekends, no US federal holidays), no suppression list of its
purpose and channel was pulled after it was recorded. An opt-out for every medium (`any`) needs a fresh list
for each channel that purpose's lists were ever pulled for; when none ever was, it is overdue as `any`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from custodian.legal.calendar import add_business_days

CHANNELS = ("email", "sms", "phone", "post")


@dataclass(frozen=True)
class OptOut:
    """One recorded opt-out (a denial or withdrawal) of the ledger."""

    receipt_id: str
    purpose: str
    medium: str
    recorded_at: datetime


@dataclass(frozen=True)
class Overdue:
    """An opt-out no suppression list of `channel` has carried to the marketing tools by its due day."""

    receipt_id: str
    purpose: str
    channel: str
    recorded_at: datetime
    due_on: date

    def as_json(self) -> dict[str, str]:
        """The JSON shape (`overdue_opt_outs` of `custodian consent suppression --json`); no personal data."""
        return {"receipt_id": self.receipt_id, "purpose": self.purpose, "channel": self.channel,
                "recorded_at": self.recorded_at.isoformat(), "due_on": self.due_on.isoformat()}


def due_on(recorded_at: datetime, business_days: int) -> date:
    """The last day a list carrying an opt-out recorded at `recorded_at` may be pulled."""
    return add_business_days(recorded_at.date(), business_days)


def overdue_opt_outs(opt_outs: Iterable[OptOut], pulls: Mapping[tuple[str, str], datetime], *,
                     business_days: int, now: datetime) -> list[Overdue]:
    """The opt-outs past their due day with no list of their purpose and channel pulled since; `pulls` maps
    (purpose, channel) to the newest pull. Sorted by due day, purpose, channel."""
    found: list[Overdue] = []
    today = now.date()
    for opt_out in opt_outs:
        due = due_on(opt_out.recorded_at, business_days)
        if today <= due:
            continue
        for channel in channels_of(opt_out, pulls):
            pulled = pulls.get((opt_out.purpose, channel))
            if pulled is None or pulled < opt_out.recorded_at:
                found.append(Overdue(opt_out.receipt_id, opt_out.purpose, channel, opt_out.recorded_at, due))
    return sorted(found, key=lambda o: (o.due_on, o.purpose, o.channel, o.receipt_id))


def channels_of(opt_out: OptOut, pulls: Mapping[tuple[str, str], datetime]) -> tuple[str, ...]:
    """The channels whose lists must carry an opt-out."""
    if opt_out.medium != "any":
        return (opt_out.medium,)
    used = tuple(channel for channel in CHANNELS if (opt_out.purpose, channel) in pulls)
    return used or ("any",)
