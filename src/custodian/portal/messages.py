"""The e-mails of the online account (pure): a one-time code, and where change notices go."""

from __future__ import annotations

from custodian.access.customer_mail import CustomerNotice

WHY = {
    "enrol": "to create the online account of",
    "sign_in": "to sign in on a new device to the online account of",
    "new_email": "to make this address the e-mail of record of",
}


def code_mail(provider: str, account_ref: str, to: str, purpose: str, code: str, *,
              account_id: int | None = None) -> CustomerNotice:
    """The one-time code for `purpose`, good for 10 minutes."""
    body = (f"Your {provider} code is {code}\n\n"
            f"Someone asked for this code {WHY[purpose]} account {account_ref}. It works once, for 10 minutes, "
            "in the browser that asked for it.\n\n"
            f"If that was not you, do not share the code with anyone; you may tell {provider} customer service.\n")
    return CustomerNotice(to=to, subject=f"{provider}: your one-time code", body=body, account_id=account_id)
