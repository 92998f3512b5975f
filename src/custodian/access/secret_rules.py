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

SECRET_KINDS = {"password": "cpni_password", "secret_question": "secret_question"}  # change -> stored kind
MIN_PASSWORD_LENGTH = 6
MIN_ANSWER_LENGTH = 3
MAX_SECRET_FAILURES = 3  # wrong passwords or answers on one ticket before only the alternatives remain
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
