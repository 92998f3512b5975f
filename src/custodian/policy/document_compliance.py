"""The policy file's breach section (schema version 1, continued from document.py): notification rule sets.

Breach notification rules change (the FCC rewrote 47 CFR 64.2011 in 2023), so the clocks are data: each rule
set lists its deadlines, what each counts from, in which unit, and when it applies. The four shipped rule sets
are the defaults, so a policy without the section still has them (docs/compliance.md gives worked examples):
- `fcc_2007`: 47 CFR 64.2011 as codified in 2007 (FCC 07-22);
- `fcc_2023`: 47 CFR 64.2011 as amended by FCC 23-111 (Data Breach Reporting Requirements, 2024);
- `hipaa_business_associate`: 45 CFR 164.410(b), for accounts of the HIPAA profile;
- `texas`: Tex. Bus. & Com. Code 521.053(b), (i).
`apply` chooses which rule sets an incident gets, by account profile and jurisdiction.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from custodian.policy.document_requests import Jurisdiction, Period
from custodian.policy.strict import NonEmpty, Strict

ClockKey = Literal["law_enforcement_due", "customer_notice_earliest", "customer_notice_due", "regulator_due",
                   "covered_entity_due", "attorney_general_due", "annual_summary_due"]
CLOCK_KEYS: tuple[ClockKey, ...] = ("law_enforcement_due", "customer_notice_earliest", "customer_notice_due",
                                    "regulator_due", "covered_entity_due", "attorney_general_due",
                                    "annual_summary_due")
# What a deadline counts from: the reasonable determination of the breach, its discovery, or the day law
# enforcement was notified (until it is, the last day law enforcement may be notified).
Anchor = Literal["determined", "discovered", "law_enforcement_notified"]
Harm = Literal["any", "likely", "unlikely"]
Profile = Literal["standard", "hipaa"]


class BreachDeadline(Strict):
    """One deadline (or earliest day) of a rule set, counted from `after`, and when it applies.

    `period` counts forward from the anchor day (none: the anchor day itself); `full_days` makes it an
    earliest day: the day after the period's last day, once that many full (business) days have passed.
    `annual_on` ("MM-DD") is instead a fixed day of the year after the anchor's. A deadline applies when the
    harm assessment matches `harm` and the count of affected customers is within `affected_at_least` /
    `affected_below` (an unknown count is the stricter case: a minimum applies, an exemption below a maximum
    does not). `replaced_by` drops it when that other deadline applies; `law_enforcement_may_delay` moves it
    past the last day of a law-enforcement delay.
    """

    key: ClockKey
    after: Anchor = "determined"
    period: Period | None = None
    annual_on: str | None = Field(default=None, pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")
    full_days: bool = False
    harm: Harm = "any"
    affected_at_least: int | None = Field(default=None, gt=0)
    affected_below: int | None = Field(default=None, gt=0)
    replaced_by: ClockKey | None = None
    law_enforcement_may_delay: bool = False
    citation: NonEmpty

    @model_validator(mode="after")
    def _period_or_annual(self) -> BreachDeadline:
        if self.period is not None and self.annual_on is not None:
            raise ValueError("a breach deadline has a period or annual_on, not both")
        return self


class BreachRuleSet(Strict):
    """A body of breach-notification law: its deadlines, and how long the incident record is kept."""

    title: NonEmpty
    citation: NonEmpty
    deadlines: list[BreachDeadline] = Field(min_length=1)
    keep_record_years: int | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _keys_once(self) -> BreachRuleSet:
        keys = [deadline.key for deadline in self.deadlines]
        if len(keys) != len(set(keys)):
            raise ValueError("each deadline key appears once in a rule set")
        if any(d.replaced_by is not None and d.replaced_by not in keys for d in self.deadlines):
            raise ValueError("replaced_by names a deadline of the same rule set")
        return self


def _all_profiles() -> list[Profile]:
    return ["standard", "hipaa"]


class BreachApplies(Strict):
    """A rule set applying to incidents touching accounts of `profiles` in `jurisdictions` ("US" or "US-TX")."""

    rules: NonEmpty
    profiles: list[Profile] = Field(default_factory=_all_profiles, min_length=1)
    jurisdictions: list[Jurisdiction] = Field(min_length=1)


def _bd(count: int) -> Period:
    return Period(business_days=count)


def _days(count: int) -> Period:
    return Period(days=count)


def _fcc_2007() -> BreachRuleSet:
    return BreachRuleSet(
        title="CPNI breach notification (FCC, 2007 rule)", citation="47 CFR 64.2011 (2007), FCC 07-22",
        keep_record_years=2, deadlines=[
            BreachDeadline(key="law_enforcement_due", period=_bd(7), citation="47 CFR 64.2011(b) (2007)"),
            BreachDeadline(key="customer_notice_earliest", after="law_enforcement_notified", period=_bd(7),
                           full_days=True, law_enforcement_may_delay=True,
                           citation="47 CFR 64.2011(b)(1), (b)(3) (2007)"),
        ])


def _fcc_2023() -> BreachRuleSet:
    return BreachRuleSet(
        title="CPNI breach notification (FCC, 2023 rule)", citation="47 CFR 64.2011 as amended by FCC 23-111",
        keep_record_years=2, deadlines=[
            BreachDeadline(key="regulator_due", period=_bd(7), replaced_by="annual_summary_due",
                           citation="47 CFR 64.2011(a) (2024); FCC 23-111"),
            BreachDeadline(key="law_enforcement_due", period=_bd(7), replaced_by="annual_summary_due",
                           citation="47 CFR 64.2011(a) (2024); FCC 23-111"),
            BreachDeadline(key="customer_notice_earliest", after="law_enforcement_notified", harm="likely",
                           law_enforcement_may_delay=True,
                           citation="47 CFR 64.2011(b) (2024): after notifying the Commission and law enforcement"),
            BreachDeadline(key="customer_notice_due", period=_days(30), harm="likely",
                           law_enforcement_may_delay=True, citation="47 CFR 64.2011(b) (2024)"),
            BreachDeadline(key="annual_summary_due", annual_on="02-01", harm="unlikely", affected_below=500,
                           citation="47 CFR 64.2011(a)(3) (2024); FCC 23-111"),
        ])


def _hipaa() -> BreachRuleSet:
    return BreachRuleSet(
        title="HIPAA business associate notice to the covered entity", citation="45 CFR 164.410",
        deadlines=[BreachDeadline(key="covered_entity_due", after="discovered", period=_days(60),
                                  law_enforcement_may_delay=True, citation="45 CFR 164.410(b); 164.412")])


def _texas() -> BreachRuleSet:
    return BreachRuleSet(
        title="Texas breach notification", citation="Tex. Bus. & Com. Code 521.053",
        deadlines=[
            BreachDeadline(key="customer_notice_due", period=_days(60), law_enforcement_may_delay=True,
                           citation="Tex. Bus. & Com. Code 521.053(b), (d)"),
            BreachDeadline(key="attorney_general_due", period=_days(30), affected_at_least=250,
                           citation="Tex. Bus. & Com. Code 521.053(i)"),
        ])


def default_rule_sets() -> dict[str, BreachRuleSet]:
    """The four shipped rule sets."""
    return {"fcc_2007": _fcc_2007(), "fcc_2023": _fcc_2023(), "hipaa_business_associate": _hipaa(),
            "texas": _texas()}


def _default_applies() -> list[BreachApplies]:
    return [BreachApplies(rules="fcc_2023", jurisdictions=["US"]),
            BreachApplies(rules="hipaa_business_associate", profiles=["hipaa"], jurisdictions=["US"]),
            BreachApplies(rules="texas", jurisdictions=["US-TX"])]


class Breach(Strict):
    """Breach notification: the rule sets (the four shipped ones unless the policy lists its own) and which apply."""

    rule_sets: dict[str, BreachRuleSet] = Field(default_factory=default_rule_sets, min_length=1)
    apply: list[BreachApplies] = Field(default_factory=_default_applies)

    @model_validator(mode="after")
    def _applies_known_rules(self) -> Breach:
        unknown = sorted({a.rules for a in self.apply} - set(self.rule_sets))
        if unknown:
            raise ValueError(f"apply names rule sets the section does not define: {', '.join(unknown)}")
        return self
