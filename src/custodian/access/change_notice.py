"""The notice a customer receives when the password, back-up authentication, online account or
address of record changes (47 CFR 64.2010(f)): sent at once to the contact of record as it was
before the change, and never revealing the changed information. Pure."""

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
class ChangeNotice:
    """One e-mail to the contact of record."""

    to: str
    subject: str
    body: str


def change_notice(provider: str, account_ref: str, change: str, old_contact: str, at: datetime) -> ChangeNotice:
    """The notice of `change` on account `account_ref`, addressed to the contact of record before the change."""
    what = WHAT_CHANGED[change]
    body = (f"This is a notice from {provider} about account {account_ref}.\n\n"
            f"On {at:%Y-%m-%d at %H:%M} UTC {what} of your account was changed. For your security this "
            "message does not show the new information.\n\n"
            f"If you made or asked for this change, you need do nothing. If you did not, contact {provider} "
            "customer service at once.\n")
    return ChangeNotice(to=old_contact, subject=f"{provider}: {what} of your account was changed", body=body)
