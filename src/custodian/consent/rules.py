"""Whether one purpose may use an account's data now, and why (issue 16 §1-§2). Pure: `at` is passed in.

- `none` purposes are essential: no choice applies ("no choice: essential").
- opt-in purposes need a grant under wording the person saw (an accepted text hash); a grant given under
  wording since changed materially must be renewed (001 P49, 002 P64). Denied and withdrawn say so.
- opt-out purposes are allowed until the person opts out; an opt-out is honoured whatever wording it was
  given under. For a purpose using CPNI, opt-out approval is inferred only 30 days after the opt-out
  notice (47 CFR 64.2008(d)(1)) and lapses when the last notice is two years old (64.2008(d)(2)).
- A one-time oral approval on a call (`valid_until` set) lasts for that call only (64.2008(f)).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from custodian.consent.purposes import PurposeRule

NOTICE_WAIT = timedelta(days=30)  # 64.2008(d)(1): "a 30-day minimum period of time after giving customers notice"
NOTICE_YEARS = 2  # 64.2008(d)(2): "provide notices to their customers every two years"


@dataclass(frozen=True, slots=True)
class Choice:
    """A recorded choice as the decision needs it."""

    choice: str  # granted, denied or withdrawn
    made_at: datetime
    text_sha256: str
    valid_until: datetime | None = None  # set only for a one-time oral approval


@dataclass(frozen=True)
class Decision:
    """The answer and the basis it rests on (exact strings, shown to staff and printed by the CLI)."""

    allowed: bool
    basis: str


ESSENTIAL = Decision(True, "no choice: essential")


def two_years_after(at: datetime) -> datetime:
    """The same calendar moment two years later (29 February becomes 28 February)."""
    try:
        return at.replace(year=at.year + NOTICE_YEARS)
    except ValueError:
        return at.replace(year=at.year + NOTICE_YEARS, day=28)


def decide(rule: PurposeRule, latest_choice: Choice | None, cpni_notice: Sequence[datetime], at: datetime,
           oral: Choice | None = None) -> Decision:
    """May `rule`'s purpose use the data at `at`, given the latest lasting choice, the CPNI opt-out notices
    sent (newest first; the last two suffice) and the latest one-time oral approval, if any."""
    if rule.choice == "none":
        return ESSENTIAL
    if oral is not None and oral.choice == "granted" and (latest_choice is None
                                                          or oral.made_at >= latest_choice.made_at):
        assert oral.valid_until is not None
        if oral.made_at <= at < oral.valid_until:
            return Decision(True, "one-time oral approval for this call")
        lasting = _lasting(rule, latest_choice, cpni_notice, at)
        return lasting if lasting.allowed else Decision(False, "oral approval ended with the call")
    return _lasting(rule, latest_choice, cpni_notice, at)


def _lasting(rule: PurposeRule, latest: Choice | None, cpni_notice: Sequence[datetime], at: datetime) -> Decision:
    if latest is not None and latest.made_at > at:
        latest = None  # not yet made at `at`
    if rule.choice == "opt_in":
        if latest is None:
            return Decision(False, "opt_in not given")
        if latest.choice != "granted":
            return Decision(False, latest.choice)
        if latest.text_sha256 not in rule.accepted_text_hashes:
            return Decision(False, "consent given under earlier wording: renew")
        return Decision(True, "opt_in granted")
    if latest is not None and latest.choice != "granted":
        return Decision(False, "opted out")
    if latest is not None and latest.text_sha256 in rule.accepted_text_hashes:
        return Decision(True, "opt_in granted")  # an express approval needs no notice period
    return _cpni_opt_out(cpni_notice, at) if rule.uses_cpni else Decision(True, "opt_out not exercised")


def _cpni_opt_out(notices: Sequence[datetime], at: datetime) -> Decision:
    sent = [notice for notice in notices if notice <= at]
    if not sent:
        return Decision(False, "cpni opt-out notice not sent")
    if any(notice + NOTICE_WAIT <= at < two_years_after(notice) for notice in sent):
        return Decision(True, "cpni opt-out approval inferred")
    if at < max(sent) + NOTICE_WAIT:
        return Decision(False, "cpni opt-out notice period running")
    return Decision(False, "cpni opt-out notice older than two years: renew")
