"""The demo provider's subscribers and their number history, built from a seeded RNG (pure).

The number history honours the rule the record store enforces (records/rules.py): a number belongs
to at most one account at any instant. Numbers of closed accounts, and numbers a business drops,
age in a quarantine and are then reassigned to later accounts — the case legal requests hinge on.
All data is fictitious: own numbers use the 555 exchange of real area codes, e-mail domains are
the reserved example.com/.net/.org (RFC 2606).
"""

from __future__ import annotations

import heapq
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from custodian.demo import vocabulary as words

OWN_LINES = 5000  # lines 1000-5999 of each city's 555 exchange are the provider's own numbers
LINE_STRIDE = 2677  # coprime with OWN_LINES: walks every line once in a scattered order
DIRECTORY_LINE = 1212  # 555-1212 is directory assistance, never handed out
HISTORY_YEARS = 6


@dataclass(frozen=True)
class DemoAccount:
    """One subscriber account, as the accounts export describes it."""

    ref: str
    kind: str
    profile: str
    status: str
    company: str
    first_name: str
    last_name: str
    email: str
    contact_phone: str
    street: str
    city: str
    state: str
    postal_code: str
    signup_on: date
    closed_on: date | None
    controller: str


@dataclass(frozen=True)
class NumberHolding:
    """A number held by an account from `assigned_from` until `assigned_to` (None = still held)."""

    number: str
    account_ref: str
    extension: str
    assigned_from: datetime
    assigned_to: datetime | None
    carrier: str


@dataclass(frozen=True)
class DemoPlan:
    """Accounts (in signup order) and the whole number history, as of `now`."""

    accounts: tuple[DemoAccount, ...]
    holdings: tuple[NumberHolding, ...]
    now: datetime


class _NumberPool:
    """Hands out never-used numbers per area code, and numbers back from quarantine."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: dict[str, int] = {}
        self.quarantine: list[tuple[datetime, str]] = []
        self.free: dict[str, list[str]] = {}

    def release(self, number: str, available_at: datetime) -> None:
        """Put `number` in quarantine until `available_at`."""
        heapq.heappush(self.quarantine, (available_at, number))

    def take(self, area: str, moment: datetime) -> str:
        """A number for `area` at `moment`: often one back from quarantine, else a fresh one."""
        while self.quarantine and self.quarantine[0][0] <= moment:
            _, number = heapq.heappop(self.quarantine)
            self.free.setdefault(number[2:5], []).append(number)
        aged = self.free.get(area)
        if aged and self.rng.random() < 0.7:
            return aged.pop(self.rng.randrange(len(aged)))
        return self._fresh(area)

    def _fresh(self, area: str) -> str:
        areas = [area] + [city[2] for city in words.CITIES if city[2] != area]
        for code in areas:
            while self.used.get(code, 0) < OWN_LINES:
                step = self.used[code] = self.used.get(code, 0) + 1
                line = 1000 + (step * LINE_STRIDE) % OWN_LINES
                if line != DIRECTORY_LINE:
                    return f"+1{code}555{line:04d}"
        raise ValueError("demo: the fictitious number ranges are exhausted; ask for fewer accounts")


def build_plan(seed: int, account_count: int, now: datetime) -> DemoPlan:
    """The accounts and number history of a provider with `account_count` accounts."""
    rng = random.Random(f"{seed}:population")
    accounts = sorted(
        (_account(rng, index, now) for index in range(account_count)),
        key=lambda acc: (acc.signup_on, acc.ref),
    )
    pool = _NumberPool(rng)
    holdings: list[NumberHolding] = []
    for acc in accounts:
        holdings.extend(_holdings_of(rng, pool, acc, now))
    return DemoPlan(accounts=tuple(accounts), holdings=tuple(holdings), now=now)


def _account(rng: random.Random, index: int, now: datetime) -> DemoAccount:
    business = rng.random() < 0.25
    medical = business and rng.random() < 0.3
    city, state, _, zip_prefix = rng.choice(words.CITIES)
    first, last = rng.choice(words.FIRST_NAMES), rng.choice(words.LAST_NAMES)
    company = words.company_name(rng, last, city, medical=medical) if business else ""
    signup_on = (now - timedelta(days=rng.randint(30, 365 * HISTORY_YEARS))).date()
    status, closed_on = _status(rng, signup_on, now)
    return DemoAccount(
        ref=f"DEMO{100001 + index}",
        kind="business" if business else "residential",
        profile="hipaa" if medical else "standard",
        status=status,
        company=company,
        first_name=first,
        last_name=last,
        email=words.email(rng, first, last, company),
        contact_phone=words.counterpart_number(rng),
        street=words.street(rng),
        city=city,
        state=state,
        postal_code=f"{zip_prefix}{rng.randint(0, 99):02d}",
        signup_on=signup_on,
        closed_on=closed_on,
        controller=rng.choice(words.RESELLERS)
        if business and not medical and rng.random() < 0.08
        else "",
    )


def _status(rng: random.Random, signup_on: date, now: datetime) -> tuple[str, date | None]:
    roll = rng.random()
    latest_close = now.date() - timedelta(days=10)
    if roll < 0.14 and (latest_close - signup_on).days > 90:
        earliest = max(signup_on + timedelta(days=60), latest_close - timedelta(days=3 * 365))
        return "closed", earliest + timedelta(days=rng.randint(0, (latest_close - earliest).days))
    return ("suspended" if roll > 0.98 else "active"), None


def _holdings_of(
    rng: random.Random, pool: _NumberPool, acc: DemoAccount, now: datetime
) -> list[NumberHolding]:
    start = datetime.combine(acc.signup_on, time(15), now.tzinfo) + timedelta(
        minutes=rng.randint(0, 240)
    )
    end = datetime.combine(acc.closed_on, time(17), now.tzinfo) if acc.closed_on else None
    area = next(city[2] for city in words.CITIES if city[0] == acc.city)
    if acc.kind == "business":
        count = min(2 + int(rng.expovariate(0.35)), 14)
    else:
        count = 2 if rng.random() < 0.15 else 1
    holdings = []
    for position in range(count):
        number = pool.take(area, start)
        until = end
        if position > 0 and end is None and rng.random() < 0.12 and (now - start).days > 120:
            until = start + timedelta(days=rng.randint(60, (now - start).days - 30))  # line dropped
        if until is not None:
            pool.release(number, until + timedelta(days=rng.randint(45, 120)))
        extension = str(100 + position) if acc.kind == "business" and position > 0 else ""
        holdings.append(
            NumberHolding(
                number=number,
                account_ref=acc.ref,
                extension=extension,
                assigned_from=start,
                assigned_to=until,
                carrier=rng.choice(words.CARRIERS),
            )
        )
    return holdings
