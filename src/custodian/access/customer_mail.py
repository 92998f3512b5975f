"""Mail to a customer at the contact of record (pure).

A change notice (47 CFR 64.2010(f)): when the password, back-up authentication, online account or
address of record changes, sent at once to the contact of record as it was before the change,
never revealing the changed information. Call detail sent to the address of record (64.2010(b)):
the alternative when the caller cannot give the CPNI password."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

WHAT_CHANGED = {
    "address_of_record": "the e-mail address of record",
    "password": "the account password",
    "secret_question": "the secret question or its answer",
    "online_account": "the online account",
}


@dataclass(frozen=True)
class CustomerNotice:
    """One e-mail to the contact of record."""

    to: str
    subject: str
    body: str
    account_id: int | None = None  # whose notice: the audit event of its sending names the account


@dataclass(frozen=True)
class CallLine:
    """One call as the customer's own statement lists it."""

    started: str
    direction: str
    counterpart: str
    seconds: int


def call_detail_mail(provider: str, account_ref: str, to: str, calls: list[CallLine], *,
                     account_id: int | None = None) -> CustomerNotice:
    """The account's recent call detail, mailed to the e-mail address of record."""
    lines = [f"{c.started}  {c.direction:<4} {c.counterpart:<18} {c.seconds:>6} s" for c in calls]
    body = (f"As you asked when you contacted {provider}, here is the recent call detail of account "
            f"{account_ref}.\n\n" + ("\n".join(lines) if lines else "No calls are on record.") +
            f"\n\nIf you did not ask for this, contact {provider} customer service.\n")
    return CustomerNotice(to=to, subject=f"{provider}: call detail of your account", body=body, account_id=account_id)


def change_notice(provider: str, account_ref: str, change: str, old_contact: str, at: datetime, *,
                  account_id: int | None = None) -> CustomerNotice:
    """The notice of `change` on account `account_ref`, addressed to the contact of record before the change
    (the address of record as it was 30 days ago: never "the new account information")."""
    what = WHAT_CHANGED[change]
    body = (f"This is a notice from {provider} about account {account_ref}.\n\n"
            f"On {at:%Y-%m-%d at %H:%M} UTC {what} of your account was changed. For your security this "
            "message does not show the new information.\n\n"
            f"If you made or asked for this change, you need do nothing. If you did not, contact {provider} "
            "customer service at once.\n")
    return CustomerNotice(to=old_contact, subject=f"{provider}: {what} of your account was changed", body=body,
                          account_id=account_id)
