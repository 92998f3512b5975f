"""The policy's consent section: how many business days an opt-out may take to reach every marketing tool."""

from __future__ import annotations

from custodian.policy.check import check_text
from tests.builders.policy import SMALL_POLICY, line_of


def test_without_the_section_an_opt_out_has_ten_business_days() -> None:
    result = check_text(SMALL_POLICY)
    assert result.document is not None and result.document.consent.opt_out_business_days == 10


def test_a_stricter_provider_sets_fewer_days() -> None:
    result = check_text(SMALL_POLICY + "consent:\n  opt_out_business_days: 3\n")
    assert result.document is not None and result.document.consent.opt_out_business_days == 3


def test_a_limit_of_zero_or_a_misspelt_key_is_reported_at_its_line() -> None:
    zero = SMALL_POLICY + "consent:\n  opt_out_business_days: 0\n"
    [problem] = check_text(zero).problems
    assert (problem.line, problem.path) == (line_of(zero, "opt_out_business_days"), "consent.opt_out_business_days")
    typo = SMALL_POLICY + "consent:\n  opt_out_days: 5\n"
    [problem] = check_text(typo).problems
    assert (problem.path, problem.message) == ("consent.opt_out_days", "unknown key")
