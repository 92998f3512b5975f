"""Rules for a customer's CPNI password and back-up secret question (47 CFR 64.2010(b), (e)); pure.

A carrier must authenticate a caller for call detail "without the use of readily available
biographical information, or account information" (64.2010(e)): so a password may not be made of
the account's own reference or telephone numbers, and a back-up question may not ask for
biographical facts (a mother's maiden name, a date of birth, a social security number, an address)
or account information (an account or telephone number, the amount of a bill).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta

SECRET_KINDS = {"password": "cpni_password", "secret_question": "secret_question"}  # change -> stored kind
MIN_PASSWORD_LENGTH = 6
MIN_ANSWER_LENGTH = 3
MAX_SECRET_FAILURES = 3  # wrong passwords or answers per customer in FAILURE_WINDOW; then only the alternatives
FAILURE_WINDOW = timedelta(hours=24)  # rolling, so the count does not restart at midnight
# 64.2010(d): in-store disclosure to a customer who "first presents ... a valid photo ID matching the
# customer's account information"; the type of document checked is recorded on the ticket.
IDENTITY_DOCUMENTS = {
    "drivers_license": "driver's license", "passport": "passport", "state_id": "state ID card",
    "military_id": "military ID", "permanent_resident_card": "permanent resident card",
}
BIOGRAPHICAL_PROMPTS = (
    "maiden", "birth", "born", "social security", "ssn", "address", "zip", "postal code", "street",
    "account number", "phone number", "telephone number", "last four", "bill", "amount", "license",
)


def normalise_answer(answer: str) -> str:
    """An answer as it is hashed and compared: case folded, spaces trimmed and collapsed."""
    return " ".join(answer.casefold().split())


def password_problem(password: str, *, account_ref: str, numbers: Iterable[str]) -> str | None:
    """Why `password` may not be a CPNI password of this account, or None when it may."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"password: at least {MIN_PASSWORD_LENGTH} characters"
    if password != password.strip():
        return "password: no spaces at either end"
    folded = password.casefold()
    if account_ref and account_ref.casefold() in folded:
        return "password: must not contain the account reference (account information)"
    digits = re.sub(r"\D", "", password)
    for number in numbers:
        tail = re.sub(r"\D", "", number)[-4:]
        if len(tail) == 4 and tail in digits:
            return "password: must not contain digits of the account's telephone numbers (account information)"
    return None


def question_problem(question: str) -> str | None:
    """Why `question` may not be a back-up question, or None when it may."""
    text = " ".join(question.split())
    if len(text) < 10:
        return "question: write the whole question (at least 10 characters)"
    if len(text) > 200:
        return "question: at most 200 characters"
    folded = text.casefold()
    for prompt in BIOGRAPHICAL_PROMPTS:
        if prompt in folded:
            return (f"question: must not ask for biographical or account information (it mentions {prompt!r}); "
                    "ask for something only the customer knows")
    return None


def answer_problem(answer: str) -> str | None:
    """Why `answer` may not be the answer to a back-up question, or None when it may."""
    if len(normalise_answer(answer)) < MIN_ANSWER_LENGTH:
        return f"answer: at least {MIN_ANSWER_LENGTH} characters"
    return None


def locked_until(failures: Iterable[datetime], now: datetime) -> datetime | None:
    """When the customer may next give a password or answer, if MAX_SECRET_FAILURES wrong ones were given in
    the rolling FAILURE_WINDOW before `now` (on any ticket); None when they may now."""
    recent = sorted(at for at in failures if now - FAILURE_WINDOW < at <= now)
    if len(recent) < MAX_SECRET_FAILURES:
        return None
    return recent[-MAX_SECRET_FAILURES] + FAILURE_WINDOW


def attempts_left(failures: Iterable[datetime], now: datetime) -> int:
    """How many wrong passwords or answers the customer may still give in the window ending `now`."""
    recent = [at for at in failures if now - FAILURE_WINDOW < at <= now]
    return max(0, MAX_SECRET_FAILURES - len(recent))
