"""Rules of the online account (47 CFR 64.2010); pure.

64.2010(c): online access to CPNI needs a password "established ... without the use of readily available
biographical information, or account information". So the CPNI password rules of `access.secret_rules`
apply (no account reference, no digits of the account's numbers), and the customer's own name, street
and city (biographical answers) may not be part of it either.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from custodian.access.secret_rules import password_problem

MIN_ONLINE_PASSWORD = 12
DEVICE_REMEMBERED = timedelta(days=30)
MIN_PERSONAL_WORD = 3  # shorter parts of a name or address are too common to refuse


def online_password_problem(password: str, *, account_ref: str, numbers: Iterable[str],
                            personal: Iterable[str]) -> str | None:
    """Why `password` may not be the online password of this account, or None when it may."""
    if len(password) < MIN_ONLINE_PASSWORD:
        return f"password: at least {MIN_ONLINE_PASSWORD} characters"
    problem = password_problem(password, account_ref=account_ref, numbers=numbers)
    if problem:
        return problem
    folded = password.casefold()
    for value in personal:
        for word in value.casefold().replace(",", " ").split():
            if len(word) >= MIN_PERSONAL_WORD and not word.isdigit() and word in folded:
                return "password: must not contain your name or address (biographical information)"
    return None
