"""The messages a requester receives: the verification link, its reminder, an extension notice and a denial.

Pure text. None says whether an account was found (issue 15 §3: answers never reveal whether an account
exists), and a denial for a legal obligation never names the obligation.
"""

from __future__ import annotations

from datetime import date

from custodian.dsr.types import DENY_REASONS, TYPE_LABELS


def verification_mail(provider: str, reference: str, link: str, valid_days: int, *,
                      reminder: bool = False) -> tuple[str, str]:
    """(subject, body) of the e-mail that asks the requester to confirm the request."""
    subject = f"{'Reminder: c' if reminder else 'C'}onfirm your privacy request {reference}"
    body = (f"We received a privacy request ({reference}) giving this e-mail address.\n\n"
            f"To confirm that you made it, open this link within {valid_days} days of the request:\n{link}\n\n"
            "If you did not make this request, ignore this message: nothing happens until it is confirmed.\n\n"
            f"{provider}\n")
    return subject, body


def extension_notice(provider: str, reference: str, request_type: str, first_due: date, new_due: date,
                     reason: str) -> tuple[str, str]:
    """(subject, body) of the notice that the answer will take longer (sent inside the first period)."""
    subject = f"Your privacy request {reference} needs more time"
    body = (f"Your request \"{TYPE_LABELS.get(request_type, request_type)}\" ({reference}) was due by "
            f"{first_due.isoformat()}. We need more time to answer it completely, and will answer by "
            f"{new_due.isoformat()}.\n\nWhy: {reason}\n\n{provider}\n")
    return subject, body


def denial_notice(provider: str, reference: str, request_type: str, reason_code: str) -> tuple[str, str]:
    """(subject, body) of the answer that a request is denied, with the reason from the fixed list."""
    subject = f"Your privacy request {reference}"
    body = (f"We cannot act on your request \"{TYPE_LABELS.get(request_type, request_type)}\" ({reference}).\n\n"
            f"Why: {DENY_REASONS[reason_code]}\n\n"
            "Records may be kept where the law requires. You may submit a new request at any time.\n\n"
            f"{provider}\n")
    return subject, body


def final_response(provider: str, reference: str, request_type: str, done: list[str],
                   kept: list[tuple[str, str]]) -> tuple[str, str]:
    """(subject, body) of the answer to a fulfilled request: what was given or deleted, what was kept and why
    (in general terms: a kept record is never tied to a named hold or legal request)."""
    subject = f"Your privacy request {reference} is answered"
    lines = [f"We have answered your request \"{TYPE_LABELS.get(request_type, request_type)}\" ({reference}).", ""]
    lines += ["What we did:", *(f"* {item}" for item in done)] if done else ["We found nothing to act on."]
    if kept:
        lines += ["", "What we kept, and why:", *(f"* {what}: {why}" for what, why in kept)]
    lines += ["", f"{provider}"]
    return subject, "\n".join(lines) + "\n"
