"""The cookie banner's rules: categories from the policy, their version, what an answer records, GPC."""

from __future__ import annotations

from datetime import date

import pytest

from custodian.consent.web_banner import (
    BannerAnswerInvalid,
    banner_of,
    check_consent_id,
    entries_of_answer,
    gpc_declaration,
)

PURPOSES = {
    "authentication": (("subscriber.credentials", "web.cookie"), "none", "Keep you signed in."),
    "site_analytics": (("web.cookie", "web.visit_log"), "opt_out", "Count visits."),
    "targeted_advertising": (("web.cookie", "marketing.profile"), "opt_out", "Direct targeted advertising."),
    "marketing": (("marketing.lead",), "opt_out", "Send offers."),
}
GPC = frozenset({"targeted_advertising", "marketing"})


def test_the_categories_are_the_cookie_purposes_with_essential_ones_always_on() -> None:
    """Seed 002: "These cookies allow SpectrumVoIP to know whether you've seen a specific ad ... We also utilize
    cookies to help us direct targeted advertising." """
    banner = banner_of(PURPOSES, GPC)
    assert [(c.purpose, c.label, c.essential, c.gpc) for c in banner.categories] == [
        ("authentication", "Authentication", True, False),
        ("site_analytics", "Site analytics", False, False),
        ("targeted_advertising", "Targeted advertising", False, True),
    ]


def test_the_version_changes_when_a_cookie_category_changes_and_only_then() -> None:
    before = banner_of(PURPOSES, GPC).version
    assert banner_of({**PURPOSES, "marketing": (("marketing.lead",), "opt_in", "Other words.")}, GPC).version == before
    reworded = {**PURPOSES, "site_analytics": (("web.cookie",), "opt_out", "Count visits and clicks.")}
    assert banner_of(reworded, GPC).version != before


def test_an_answer_records_each_choice_through_the_banner() -> None:
    banner = banner_of(PURPOSES, GPC)
    assert entries_of_answer(banner, {"site_analytics": "granted", "targeted_advertising": "denied"}, False) == [
        ("site_analytics", "granted", "web_banner"), ("targeted_advertising", "denied", "web_banner")]


def test_with_gpc_sale_and_sharing_is_denied_by_the_signal_whatever_the_answer_says() -> None:
    """Cal. Civ. Code §1798.135(b)(1), CCPA Regulations §7025(c)(1): the signal is a valid opt-out request."""
    banner = banner_of(PURPOSES, GPC)
    assert entries_of_answer(banner, {"site_analytics": "granted", "targeted_advertising": "granted"}, True) == [
        ("site_analytics", "granted", "web_banner"), ("targeted_advertising", "denied", "gpc")]
    assert entries_of_answer(banner, {}, True) == [("targeted_advertising", "denied", "gpc")]


def test_an_answer_about_an_essential_or_unknown_purpose_or_with_another_choice_is_refused() -> None:
    banner = banner_of(PURPOSES, GPC)
    for choices, field in (({"authentication": "denied"}, "choices.authentication"),
                           ({"marketing": "granted"}, "choices.marketing"),
                           ({"site_analytics": "withdrawn"}, "choices.site_analytics")):
        with pytest.raises(BannerAnswerInvalid) as refused:
            entries_of_answer(banner, choices, False)
        assert refused.value.field == field


def test_a_consent_id_is_random_looking_text_of_16_to_64_characters() -> None:
    assert check_consent_id("0b7c1e2a-7d8f-4f1e-9a55-2f4c3b1d9e00")
    for bad in ("short", "x" * 65, "has space in it 12345", "<script>alert(1)</script>"):
        with pytest.raises(BannerAnswerInvalid):
            check_consent_id(bad)


def test_the_gpc_declaration_carries_the_policy_date() -> None:
    assert gpc_declaration(date(2020, 3, 3)) == {"gpc": True, "lastUpdate": "2020-03-03"}
