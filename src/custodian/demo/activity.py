"""What the demo subscribers do: call-detail records and SMS, streamed in time order (pure).

Every event falls inside a period when the account held the number it uses, so the importers
place it on that account by number history alone (records/rules.py `holder_at`). Rows are
generated one day at a time, so memory stays flat whatever the total.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from custodian.demo import vocabulary as words
from custodian.demo.population import DemoAccount, DemoPlan, NumberHolding

WINDOW_DAYS = 548  # the last 18 months
DAY_S = 86_400
BUSINESS_HOURS = tuple(range(8, 18))
HOME_HOURS = (8, 9, 11, 12, 13, 15, 17, 18, 18, 19, 19, 20, 20, 21)


@dataclass(frozen=True)
class Rates:
    """Relative events per held number per day."""

    business_weekday: float
    business_weekend: float
    residential_weekday: float
    residential_weekend: float

    def of(self, business: bool, weekend: bool) -> float:
        """The rate for one kind of account on one kind of day."""
        if business:
            return self.business_weekend if weekend else self.business_weekday
        return self.residential_weekend if weekend else self.residential_weekday


CALL_RATES = Rates(6.0, 1.0, 1.0, 1.4)
SMS_RATES = Rates(0.5, 0.1, 1.0, 1.3)


@dataclass(eq=False)
class ActiveLine:
    """A held number inside the activity window, with its account and that account's contacts."""

    holding: NumberHolding
    account: DemoAccount
    start_s: int
    end_s: int
    shift_h: int
    contacts: list[str] = field(default_factory=list)
    business: bool = False


def window_start(now: datetime) -> datetime:
    """The first instant of the activity window."""
    return now - timedelta(days=WINDOW_DAYS)


def active_lines(plan: DemoPlan, seed: int) -> list[ActiveLine]:
    """Every holding that overlaps the activity window, clipped to it."""
    accounts = {acc.ref: acc for acc in plan.accounts}
    first_s, now_s = int(window_start(plan.now).timestamp()), int(plan.now.timestamp())
    contacts: dict[str, list[str]] = {}
    lines = []
    for holding in plan.holdings:
        start_s = max(first_s, int(holding.assigned_from.timestamp()))
        end_s = min(now_s, int(holding.assigned_to.timestamp()) if holding.assigned_to else now_s)
        if end_s <= start_s:
            continue
        if holding.account_ref not in contacts:
            rng = random.Random(f"{seed}:contacts:{holding.account_ref}")
            contacts[holding.account_ref] = [
                words.counterpart_number(rng) for _ in range(rng.randint(4, 40))
            ]
        acc = accounts[holding.account_ref]
        lines.append(
            ActiveLine(
                holding,
                acc,
                start_s,
                end_s,
                words.UTC_SHIFT[holding.number[2:5]],
                contacts[holding.account_ref],
                acc.kind == "business",
            )
        )
    return lines


def _is_weekend(day: int) -> bool:
    return (day + 3) % 7 >= 5  # 1970-01-01 (day 0) was a Thursday


def _scale(lines: list[ActiveLine], total: int, rates: Rates) -> float:
    """Events per unit of rate so that the expected sum over all line-days is `total`."""
    weight = 0.0
    for line in lines:
        first, last = line.start_s // DAY_S, (line.end_s - 1) // DAY_S
        weeks, rest = divmod(last - first + 1, 7)
        weekend = 2 * weeks + sum(_is_weekend(day) for day in range(last - rest + 1, last + 1))
        weight += weekend * rates.of(line.business, True) + (last - first + 1 - weekend) * rates.of(
            line.business, False
        )
    return total / weight if weight else 0.0


def timed_events(
    lines: list[ActiveLine], total: int, rates: Rates, rng: random.Random
) -> Iterator[list[tuple[int, ActiveLine]]]:
    """About `total` (epoch second, line) events, one time-sorted list per day."""
    scale = _scale(lines, total, rates)
    if not lines or not scale:
        return
    by_first_day: dict[int, list[ActiveLine]] = {}
    for line in lines:
        by_first_day.setdefault(line.start_s // DAY_S, []).append(line)
    active: list[ActiveLine] = []
    for day in range(min(by_first_day), max(line.end_s - 1 for line in lines) // DAY_S + 1):
        day_s = day * DAY_S
        active = [line for line in active if line.end_s > day_s] + by_first_day.get(day, [])
        weekend = _is_weekend(day)
        business, home = scale * rates.of(True, weekend), scale * rates.of(False, weekend)
        events = []
        for line in active:
            expected = business if line.business else home
            count = int(expected) + (rng.random() < expected % 1)
            for _ in range(count):
                events.append((_moment(rng, line, day_s), line))
        events.sort(key=lambda event: event[0])
        yield events


def _moment(rng: random.Random, line: ActiveLine, day_s: int) -> int:
    hours = BUSINESS_HOURS if line.business else HOME_HOURS
    moment = day_s + ((rng.choice(hours) + line.shift_h) % 24) * 3600 + rng.randrange(3600)
    low, high = max(day_s, line.start_s), min(day_s + DAY_S, line.end_s)
    if not low <= moment < high:
        moment = low + int(rng.random() * (high - low))
    return moment


@lru_cache(maxsize=4096)
def _date_text(day: int) -> str:
    return datetime.fromtimestamp(day * DAY_S, UTC).strftime("%Y-%m-%d")


def switch_stamp(epoch_s: int) -> str:
    """An Asterisk Master.csv time (UTC): YYYY-MM-DD HH:MM:SS."""
    day, second = divmod(epoch_s, DAY_S)
    minutes, second = divmod(second, 60)
    return f"{_date_text(day)} {minutes // 60:02d}:{minutes % 60:02d}:{second:02d}"


def iso_stamp(epoch_s: int) -> str:
    """An ISO 8601 UTC time for the Custodian CSV formats."""
    return datetime.fromtimestamp(epoch_s, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def call_records(plan: DemoPlan, total: int, seed: int) -> Iterator[list[str | int]]:
    """About `total` Asterisk Master.csv records, in start-time order."""
    rng = random.Random(f"{seed}:calls")
    sequence = 0
    for events in timed_events(active_lines(plan, seed), total, CALL_RATES, rng):
        for moment, line in events:
            sequence += 2
            yield _call(rng, moment, line, sequence)


def _call(rng: random.Random, start: int, line: ActiveLine, sequence: int) -> list[str | int]:
    own = line.holding.number[2:]
    other = line.contacts[int(len(line.contacts) * rng.random() ** 2)][2:]
    outbound = rng.random() < (0.55 if line.business else 0.5)
    disposition = _disposition(rng, outbound)
    ring = rng.randint(2, 9) if disposition in ("BUSY", "FAILED") else rng.randint(3, 28)
    talk = min(int(rng.lognormvariate(4.2, 1.1)) + 1, 7200) if disposition == "ANSWERED" else 0
    answer = switch_stamp(start + ring) if talk else ""
    code = line.account.ref if rng.random() < (0.35 if line.business else 0.04) else ""
    name = line.account.company or f"{line.account.first_name} {line.account.last_name}"
    if outbound:
        route = [own, "1" + other, "from-internal", f'"{name}" <{own}>',
                 f"PJSIP/{own}-{sequence:08x}", f"PJSIP/demo-trunk-{sequence + 1:08x}", "Dial",
                 f"PJSIP/1{other}@demo-trunk,60"]
    else:
        route = [other, own, "from-trunk", f'"{other}" <{other}>',
                 f"PJSIP/demo-trunk-{sequence:08x}", f"PJSIP/{own}-{sequence + 1:08x}", "Dial",
                 f"PJSIP/{own},30"]
    times = [switch_stamp(start), answer, switch_stamp(start + ring + talk), ring + talk, talk]
    return [code, *route, *times, disposition, "DOCUMENTATION", f"{start}.{sequence}", ""]


def _disposition(rng: random.Random, outbound: bool) -> str:
    roll = rng.random()
    if roll < (0.7 if outbound else 0.76):
        return "ANSWERED"
    if roll < 0.9:
        return "NO ANSWER"
    return "BUSY" if roll < 0.96 else "FAILED"


def sms_messages(plan: DemoPlan, total: int, seed: int) -> Iterator[list[str | int]]:
    """About `total` rows of the Custodian `sms` CSV, in time order."""
    rng = random.Random(f"{seed}:sms")
    for events in timed_events(active_lines(plan, seed), total, SMS_RATES, rng):
        for moment, line in events:
            other = line.contacts[int(len(line.contacts) * rng.random() ** 2)]
            outbound = rng.random() < 0.5
            body = rng.choice(words.SMS_BODIES)
            if rng.random() < 0.1:
                body = f"{body} {rng.choice(words.SMS_BODIES)} {rng.choice(words.SMS_BODIES)}"
            parties = [line.holding.number, other] if outbound else [other, line.holding.number]
            yield [
                line.account.ref,
                "out" if outbound else "in",
                *parties,
                iso_stamp(moment),
                1 + len(body) // 161,
                body,
            ]
