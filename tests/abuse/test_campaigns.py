"""10DLC campaign rules (pure): 002 P111, "Per 10DLC regulations, SpectrumVoIP cannot provide SMS / MMS functionality
to businesses with the legal entity type of Sole Proprietorship without EINs. All businesses must provide an EIN to
SpectrumVoIP at setup."""

from __future__ import annotations

import pytest

from custodian.abuse.campaigns import CampaignAsk, CampaignRefused, check_campaign

NUMBERS = tuple(f"+1512555{i:04d}" for i in range(50))


def ask(entity_type: str = "llc", ein: str = "12-3456789", numbers: tuple[str, ...] = NUMBERS[:3]) -> CampaignAsk:
    return CampaignAsk(entity_type, ein, "appointment reminders", numbers)


def test_a_sole_proprietor_without_an_ein_is_refused() -> None:
    with pytest.raises(CampaignRefused, match=r"^ein_required: no SMS for a sole proprietorship without an EIN"):
        check_campaign(ask("sole_proprietor", ""), account_kind="business", max_numbers=49)


def test_every_business_gives_an_ein_and_a_sole_proprietor_with_one_may_register() -> None:
    with pytest.raises(CampaignRefused, match=r"^ein_required: every business"):
        check_campaign(ask("corporation", " "), account_kind="business", max_numbers=49)
    assert check_campaign(ask("sole_proprietor", "123456789"), account_kind="business", max_numbers=49) == \
        "12-3456789"


def test_an_ein_is_nine_digits_with_a_prefix_the_irs_assigns() -> None:
    for bad in ("12-345678", "AB-3456789", "00-3456789"):
        with pytest.raises(CampaignRefused, match=r"^ein:"):
            check_campaign(ask(ein=bad), account_kind="business", max_numbers=49)


def test_a_campaign_holds_at_most_49_numbers() -> None:
    assert check_campaign(ask(numbers=NUMBERS[:49]), account_kind="business", max_numbers=49) == "12-3456789"
    with pytest.raises(CampaignRefused, match=r"^too_many_numbers: at most 49 numbers per campaign, 50 asked"):
        check_campaign(ask(numbers=NUMBERS), account_kind="business", max_numbers=49)


def test_only_business_accounts_register_campaigns() -> None:
    with pytest.raises(CampaignRefused, match=r"^business_only"):
        check_campaign(ask(), account_kind="residential", max_numbers=49)
