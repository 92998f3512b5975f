"""Breach notification clocks: worked examples of each shipped rule set, holidays included (issue 18 §2)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from custodian.compliance.clocks import MissingDate, UnknownRuleSet, applicable_rule_sets, days_left, deadlines
from custodian.legal.calendar import is_business_day
from custodian.policy.document_compliance import Breach, BreachApplies, BreachDeadline, default_rule_sets

DAYS = st.dates(min_value=date(2001, 1, 1), max_value=date(2080, 12, 31))
BUSINESS_DAY_KEYS = {"fcc_2007": ("law_enforcement_due",), "fcc_2023": ("law_enforcement_due", "regulator_due")}


def test_fcc_2007_law_enforcement_is_due_seven_business_days_after_determination_skipping_thanksgiving() -> None:
    """47 CFR 64.2011(b) (2007): "As soon as practicable, and in no event later than seven (7) business days,
    after reasonable determination of the breach, the telecommunications carrier shall electronically notify
    the United States Secret Service (USSS) and the Federal Bureau of Investigation (FBI)"."""
    # Determined Friday 2026-11-20: 23, 24, 25, (26 Thanksgiving), 27, 30 November, 1, 2 December.
    clocks = deadlines("fcc_2007", date(2026, 11, 20), le_notified=date(2026, 11, 23))
    assert clocks["law_enforcement_due"] == date(2026, 12, 2)


def test_fcc_2007_customers_are_told_only_once_seven_full_business_days_have_passed_over_christmas() -> None:
    """47 CFR 64.2011(b)(1) (2007): the carrier "shall not notify customers or disclose the breach to the public
    until 7 full business days have passed after notification to the USSS and the FBI"."""
    # Law enforcement told Tuesday 2026-12-22: 23, 24, (25 Christmas), 28, 29, 30, 31, (1 January New Year's
    # Day), 4 January is the seventh full business day; customers may be told from Tuesday 5 January 2027.
    clocks = deadlines("fcc_2007", date(2026, 12, 18), le_notified=date(2026, 12, 22))
    assert clocks == {"law_enforcement_due": date(2026, 12, 30), "customer_notice_earliest": date(2027, 1, 5)}


def test_fcc_2007_earliest_customer_notice_is_the_day_after_the_seventh_business_day_even_a_saturday() -> None:
    """47 CFR 64.2011(b)(1) (2007): "until 7 full business days have passed" - the seventh ends on Friday."""
    clocks = deadlines("fcc_2007", date(2026, 11, 30), le_notified=date(2026, 12, 2))
    assert clocks["customer_notice_earliest"] == date(2026, 12, 12)


def test_fcc_2007_before_law_enforcement_is_told_the_earliest_counts_from_its_last_day() -> None:
    """47 CFR 64.2011(b)(1) (2007), counted from the last day (b) allows for telling the USSS and FBI."""
    clocks = deadlines("fcc_2007", date(2026, 11, 20))
    assert clocks["customer_notice_earliest"] == date(2026, 12, 12)  # 7 full business days after 2 December


def test_fcc_2007_a_law_enforcement_delay_holds_customer_notice_until_it_ends() -> None:
    """47 CFR 64.2011(b)(3) (2007): an agency "may direct the carrier not to so disclose or notify for an
    initial period of up to 30 days"."""
    clocks = deadlines("fcc_2007", date(2026, 11, 20), le_notified=date(2026, 11, 23),
                       le_delay_until=date(2026, 12, 23))
    assert clocks["customer_notice_earliest"] == date(2026, 12, 24)


def test_fcc_2023_commission_and_law_enforcement_within_seven_business_days_customers_within_thirty_days() -> None:
    """47 CFR 64.2011(a) (2024): "no later than seven business days, after reasonable determination of a breach,
    ... notify the Commission, the United States Secret Service, and the Federal Bureau of Investigation";
    (b): customers "without unreasonable delay after notification to the Commission and law enforcement ...
    and no later than 30 days after reasonable determination of a breach"."""
    clocks = deadlines("fcc_2023", date(2026, 12, 18), le_notified=date(2026, 12, 21))
    assert clocks == {"law_enforcement_due": date(2026, 12, 30), "customer_notice_earliest": date(2026, 12, 21),
                      "customer_notice_due": date(2027, 1, 17), "regulator_due": date(2026, 12, 30)}


def test_fcc_2023_no_customer_notice_where_harm_is_unlikely() -> None:
    """47 CFR 64.2011(b) (2024): customer notification "is not required where a carrier can reasonably determine
    that no harm to customers is reasonably likely to occur"."""
    clocks = deadlines("fcc_2023", date(2026, 11, 20), affected=900, harm_likely=False)
    assert clocks == {"law_enforcement_due": date(2026, 12, 2), "regulator_due": date(2026, 12, 2)}


def test_fcc_2023_a_small_harmless_breach_goes_in_the_annual_summary_due_february_first() -> None:
    """47 CFR 64.2011(a)(3) (2024), FCC 23-111: breaches of fewer than 500 customers where no harm is
    reasonably likely are reported in an annual summary no later than February 1 for the previous year."""
    clocks = deadlines("fcc_2023", date(2026, 12, 31), affected=499, harm_likely=False)
    assert clocks == {"annual_summary_due": date(2027, 2, 1)}


def test_fcc_2023_an_unknown_count_never_earns_the_small_breach_exemption() -> None:
    """47 CFR 64.2011(a)(3) (2024): the exemption needs "fewer than 500 customers" to be known."""
    clocks = deadlines("fcc_2023", date(2026, 12, 31), harm_likely=False)
    assert "annual_summary_due" not in clocks
    assert clocks["regulator_due"] == date(2027, 1, 12)  # (1 January) 4, 5, 6, 7, 8, 11, 12 January


def test_fcc_2023_a_law_enforcement_delay_moves_the_customer_deadline() -> None:
    """47 CFR 64.2011(a)(2), (b) (2024): "unless ... law enforcement requests that the carrier delay"."""
    clocks = deadlines("fcc_2023", date(2026, 11, 2), le_notified=date(2026, 11, 3), le_delay_until=date(2026, 12, 20))
    assert clocks["customer_notice_due"] == date(2026, 12, 21)


def test_hipaa_business_associate_tells_the_covered_entity_within_sixty_calendar_days_of_discovery() -> None:
    """45 CFR 164.410(b): "without unreasonable delay and in no case later than 60 calendar days after discovery
    of a breach"."""
    clocks = deadlines("hipaa_business_associate", date(2026, 11, 20), discovered=date(2026, 11, 2))
    assert clocks == {"covered_entity_due": date(2027, 1, 1)}  # calendar days: New Year's Day counts


def test_hipaa_clock_needs_the_discovery_day() -> None:
    """45 CFR 164.410(a)(2): the clock starts on discovery, which the officer must give."""
    with pytest.raises(MissingDate):
        deadlines("hipaa_business_associate", date(2026, 11, 20))


def test_texas_individuals_within_sixty_days_and_the_attorney_general_within_thirty_from_250_residents() -> None:
    """Tex. Bus. & Com. Code 521.053(b): "not later than the 60th day after the date on which the person determines
    that the breach occurred"; (i): the attorney general "not later than the 30th day after" when "the breach
    involves at least 250 residents of this state"."""
    assert deadlines("texas", date(2026, 11, 26), affected=250) == {
        "customer_notice_due": date(2027, 1, 25), "attorney_general_due": date(2026, 12, 26)}
    assert deadlines("texas", date(2026, 11, 26), affected=249) == {"customer_notice_due": date(2027, 1, 25)}


def test_an_unknown_rule_set_is_refused_by_name() -> None:
    with pytest.raises(UnknownRuleSet, match="fcc_2099"):
        deadlines("fcc_2099", date(2026, 1, 5))


def test_discovery_after_determination_is_refused() -> None:
    with pytest.raises(MissingDate):
        deadlines("texas", date(2026, 1, 5), discovered=date(2026, 1, 6))


def test_a_policy_may_change_a_rule_set_and_the_clock_follows() -> None:
    """Rules change, so the rule sets are data: a policy that shortens Texas's window gets the shorter clock."""
    sets = default_rule_sets()
    texas = sets["texas"].model_copy(update={"deadlines": [BreachDeadline(
        key="customer_notice_due", period={"days": 45}, citation="Tex. Bus. & Com. Code 521.053(b) (changed)")]})
    assert deadlines("texas", date(2026, 3, 2), rule_sets={**sets, "texas": texas}) == {
        "customer_notice_due": date(2026, 4, 16)}


def test_a_policy_cannot_apply_a_rule_set_it_does_not_define() -> None:
    with pytest.raises(ValidationError, match="fcc_1999"):
        Breach(apply=[BreachApplies(rules="fcc_1999", jurisdictions=["US"])])


def test_the_policy_applies_rule_sets_by_profile_and_jurisdiction() -> None:
    """By default: the FCC's 2023 rule for every U.S. account, HIPAA's for hipaa accounts, Texas's in Texas."""
    breach = Breach()
    assert applicable_rule_sets(breach, ["standard"], ["US"]) == ["fcc_2023"]
    assert applicable_rule_sets(breach, ["standard"], ["US", "US-TX"]) == ["fcc_2023", "texas"]
    assert applicable_rule_sets(breach, ["hipaa"], ["US-TX"]) == ["fcc_2023", "hipaa_business_associate", "texas"]
    assert applicable_rule_sets(breach, ["standard"], ["DE"]) == []


def test_days_left_counts_calendar_days() -> None:
    assert days_left(date(2026, 12, 2), date(2026, 11, 30)) == 2
    assert days_left(date(2026, 12, 2), date(2026, 12, 3)) == -1


@given(DAYS, st.sampled_from(sorted(BUSINESS_DAY_KEYS)))
def test_no_business_day_deadline_falls_on_a_weekend_or_federal_holiday(determined: date, rules: str) -> None:
    clocks = deadlines(rules, determined)
    for key in BUSINESS_DAY_KEYS[rules]:
        assert is_business_day(clocks[key])


@given(DAYS, st.integers(min_value=1, max_value=400), st.sampled_from(sorted(default_rule_sets())),
       st.integers(min_value=1, max_value=2000), st.booleans())
def test_deadlines_never_move_earlier_when_the_breach_is_determined_later(
        determined: date, later_by: int, rules: str, affected: int, harm: bool) -> None:
    discovered = determined - timedelta(days=3)
    first = deadlines(rules, determined, discovered=discovered, affected=affected, harm_likely=harm)
    later = deadlines(rules, determined + timedelta(days=later_by), discovered=discovered, affected=affected,
                      harm_likely=harm)
    assert first.keys() == later.keys()
    assert all(later[key] >= first[key] for key in first)
