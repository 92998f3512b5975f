"""SMS keywords (CTIA conventions): what a whole inbound message means, what STOP covers, what START restores."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from custodian.consent.purposes import contact_purposes
from custodian.consent.sms_keywords import (
    PastChoice,
    help_text,
    keyword_of,
    restored_by_start,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_every_ctia_opt_out_word_is_a_stop_whatever_its_case_and_spacing() -> None:
    for word in ("STOP", "stop", " Stop ", "STOPALL", "unsubscribe", "Cancel", "END", "quit", "S T O P", "\tstop\n"):
        assert keyword_of(word) == "stop", word


def test_start_unstop_and_help_are_keywords_too() -> None:
    assert keyword_of("start") == "start"
    assert keyword_of("UNSTOP ") == "start"
    assert keyword_of("Help") == "help"


def test_a_keyword_inside_a_sentence_is_not_a_keyword() -> None:
    for message in ("please stop", "STOP it", "don't stop", "", "   ", "STOP!", "helpme please"):
        assert keyword_of(message) is None, message


@given(st.text(max_size=40))
def test_only_a_message_that_is_a_whole_keyword_is_one(message: str) -> None:
    word = "".join(message.split()).upper()
    expected = {"STOP": "stop", "STOPALL": "stop", "UNSUBSCRIBE": "stop", "CANCEL": "stop", "END": "stop",
                "QUIT": "stop", "START": "start", "UNSTOP": "start", "HELP": "help"}.get(word)
    assert keyword_of(message) == expected


def test_stop_covers_the_choosable_marketing_communications_and_nothing_else() -> None:
    """Seed 004: "Customers may opt out of receiving notices of new or upgraded products ... However, customers
    may not opt out of receiving information ... that is essential for maintaining or updating customers'
    accounts or system information." """
    data_use = {"product_marketing": "marketing.communications", "partner_offers": "marketing.communications.sms",
                "service_notices": "essential.service.notifications",
                "web_promotion": "marketing.advertising.third_party",
                "marketing_mail_but_essential": "marketing.communications"}
    choice = {"product_marketing": "opt_out", "partner_offers": "opt_in", "service_notices": "none",
              "web_promotion": "opt_out", "marketing_mail_but_essential": "none"}
    assert contact_purposes(data_use, choice) == ("partner_offers", "product_marketing")


def _entry(purpose: str, choice: str, minutes: int, channel: str = "portal", medium: str = "any") -> PastChoice:
    return PastChoice(purpose, medium, choice, channel, T0 + timedelta(minutes=minutes))


def test_start_restores_what_the_last_stop_turned_off_and_no_more() -> None:
    history = [
        _entry("news", "denied", 0, medium="email"),  # an e-mail opt-out: not about SMS
        _entry("offers", "granted", 1),  # an opt-in given before the STOP
        _entry("partner", "denied", 2, medium="sms"),  # an SMS opt-out made in the portal before the STOP
        *(_entry(p, "denied", 10, "sms_keyword", "sms") for p in ("news", "offers", "partner", "never_chosen_in")),
    ]
    choice = {"news": "opt_out", "offers": "opt_in", "partner": "opt_out", "never_chosen_in": "opt_in"}
    assert restored_by_start(history, choice) == ("news", "offers")


def test_start_without_an_earlier_stop_restores_nothing() -> None:
    assert restored_by_start([_entry("news", "denied", 0)], {"news": "opt_out"}) == ()


def test_a_choice_made_after_the_stop_stands_against_start() -> None:
    history = [_entry("news", "denied", 0, "sms_keyword", "sms"), _entry("news", "denied", 5, "portal", "sms")]
    assert restored_by_start(history, {"news": "opt_out"}) == ()


def test_help_names_the_provider_the_contact_and_how_to_stop() -> None:
    text = help_text("SpectrumVoIP, Inc.", "support@spectrumvoip.com")
    assert text.startswith("SpectrumVoIP, Inc.:")
    assert "support@spectrumvoip.com" in text
    assert text.endswith("Reply STOP to opt out.")
