"""Breach notification clocks: the deadlines of a rule set for one incident (issue 18 §2).

Pure: every date is passed in. The rule sets are data in the policy's `breach:` section
(policy/document_compliance.py: 47 CFR 64.2011 (2007 and 2024), 45 CFR 164.410(b), Tex. Bus. & Com. Code
521.053). Counting:
- "no later than N business days after" a day: the Nth business day after it (weekends and U.S. federal
  holidays skipped; legal/calendar.py), e.g. 7 business days after Friday 2026-11-20 is Wednesday 2026-12-02
  because Thanksgiving (2026-11-26) does not count;
- "not until N full business days have passed after" a day (`full_days`): the day after the Nth business day
  after it, the first day on which all N have passed in full;
- "no later than N days after": N calendar days after (45 CFR 164.410(b) "60 calendar days");
- "February 1 for the previous calendar year" (`annual_on`): that day of the year after the incident's.
A law-enforcement delay (47 CFR 64.2011(b)(3) (2007), (a)(2) (2024); 45 CFR 164.412; Tex. 521.053(d)) moves a
delayable day to the day after the delay's last day, when the day would otherwise fall inside the delay.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from custodian.legal.calendar import add_business_days, add_months
from custodian.policy.document_compliance import (
    CLOCK_KEYS,
    Breach,
    BreachDeadline,
    BreachRuleSet,
    ClockKey,
    default_rule_sets,
)


class UnknownRuleSet(LookupError):
    """The policy has no breach rule set of that name."""


class MissingDate(ValueError):
    """A deadline of the rule set counts from a day the incident does not give."""


@dataclass(frozen=True)
class Facts:
    """What the clocks of one incident count from."""

    determined: date
    discovered: date | None = None
    le_notified: date | None = None
    affected: int | None = None
    harm_likely: bool = True
    le_delay_until: date | None = None


@dataclass(frozen=True)
class Clock:
    """One day of a rule set for one incident: a due day, or (`earliest`) the first day something is allowed."""

    key: ClockKey
    on: date
    citation: str

    @property
    def earliest(self) -> bool:
        """True for a day before which notice is forbidden, rather than a day by which it is due."""
        return self.key.endswith("_earliest")


def rule_set(name: str, rule_sets: Mapping[str, BreachRuleSet] | None = None) -> BreachRuleSet:
    """The rule set called `name` (among the shipped ones when no policy section is given)."""
    known = default_rule_sets() if rule_sets is None else rule_sets
    if name not in known:
        raise UnknownRuleSet(f"no breach rule set {name!r}; known: {', '.join(sorted(known))}")
    return known[name]


def applicable_rule_sets(breach: Breach, profiles: Iterable[str], jurisdictions: Iterable[str]) -> list[str]:
    """The rule sets the policy applies to accounts of `profiles` in `jurisdictions`: a rule for "US" covers
    "US-TX" too, a rule for "US-TX" only Texas. In the policy's order, each once."""
    wanted_profiles = set(profiles)
    places = {code.strip().upper() for code in jurisdictions}
    found: list[str] = []
    for applies in breach.apply:
        covered = any(place == j or place.startswith(j + "-") for j in applies.jurisdictions for place in places)
        if covered and wanted_profiles & set(applies.profiles) and applies.rules not in found:
            found.append(applies.rules)
    return found


def deadlines(rules_name: str, determined: date, discovered: date | None = None, le_notified: date | None = None,
              affected: int | None = None, harm_likely: bool = True, le_delay_until: date | None = None, *,
              rule_sets: Mapping[str, BreachRuleSet] | None = None) -> dict[str, date]:
    """Every deadline and earliest day of the rule set for these facts, by the issue's key names."""
    facts = Facts(determined, discovered, le_notified, affected, harm_likely, le_delay_until)
    return {clock.key: clock.on for clock in clocks_for(rule_set(rules_name, rule_sets), facts)}


def clocks_for(rules: BreachRuleSet, facts: Facts) -> list[Clock]:
    """The clocks of `rules` that apply to `facts`, in the order of CLOCK_KEYS."""
    if facts.discovered is not None and facts.discovered > facts.determined:
        raise MissingDate("a breach is discovered on or before the day it is determined")
    applying = [d for d in rules.deadlines if _applies(d, facts)]
    keys = {d.key for d in applying}
    applying = [d for d in applying if d.replaced_by not in keys]
    found: dict[ClockKey, Clock] = {}
    # Days counted from law enforcement's notification need law enforcement's due day first.
    for deadline in sorted(applying, key=lambda d: d.after == "law_enforcement_notified"):
        found[deadline.key] = Clock(deadline.key, _day(deadline, facts, found), deadline.citation)
    return [found[key] for key in CLOCK_KEYS if key in found]


def _applies(deadline: BreachDeadline, facts: Facts) -> bool:
    if deadline.harm == "likely" and not facts.harm_likely:
        return False
    if deadline.harm == "unlikely" and facts.harm_likely:
        return False
    if deadline.affected_at_least is not None and facts.affected is not None \
            and facts.affected < deadline.affected_at_least:
        return False
    # An exemption for small breaches needs the count: unknown, the breach is treated as large.
    return deadline.affected_below is None or (facts.affected is not None and facts.affected < deadline.affected_below)


def _day(deadline: BreachDeadline, facts: Facts, found: Mapping[ClockKey, Clock]) -> date:
    start = _anchor(deadline, facts, found)
    if deadline.annual_on is not None:
        month, day = (int(part) for part in deadline.annual_on.split("-"))
        on = date(start.year + 1, month, day)
    else:
        on = start if deadline.period is None else _add(start, deadline)
        if deadline.full_days:
            on += timedelta(days=1)  # the Nth day has passed in full only when the next one begins
    if deadline.law_enforcement_may_delay and facts.le_delay_until is not None and on <= facts.le_delay_until:
        on = facts.le_delay_until + timedelta(days=1)
    return on


def _anchor(deadline: BreachDeadline, facts: Facts, found: Mapping[ClockKey, Clock]) -> date:
    if deadline.after == "determined":
        return facts.determined
    if deadline.after == "discovered":
        if facts.discovered is None:
            raise MissingDate(f"{deadline.key} counts from the day the breach was discovered: give that day")
        return facts.discovered
    if facts.le_notified is not None:
        return facts.le_notified
    # Not yet notified: count from the last day law enforcement may be notified, a day that is safe whichever
    # day inside its window the notice goes.
    told_by = found.get("law_enforcement_due")
    return told_by.on if told_by is not None else facts.determined


def _add(start: date, deadline: BreachDeadline) -> date:
    period = deadline.period
    assert period is not None
    if period.business_days is not None:
        return add_business_days(start, period.business_days)
    if period.days is not None:
        return start + timedelta(days=period.days)
    assert period.months is not None  # the schema requires exactly one unit
    return add_months(start, period.months)


def days_left(on: date, today: date) -> int:
    """Calendar days from `today` to `on` (negative once it has passed)."""
    return (on - today).days
