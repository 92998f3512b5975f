"""The preference centre's view and the choices a form makes (issue 16 §3).

Seed 004: customers may ask not to receive product notices ("No Solicitation"); seed 002 P50: "an opt-out
mechanism" for new uses and disclosures; P52: opt-in ("affirmative or explicit") for sensitive information.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine

from custodian.consent.preferences import Change, changes_from, preference_view
from custodian.crypto.keyring import Keyring
from tests.builders.consent import T0, activate, record, snapshot
from tests.builders.records import an_account


def view_of(engine: Engine, keyring: Keyring, *choices: tuple[str, str, str]):  # type: ignore[no-untyped-def]
    policy = activate(engine)
    account_id = an_account(engine, keyring)
    for purpose, medium, choice in choices:
        record(engine, policy, account_id, purpose, choice, T0 - timedelta(days=1), medium=medium)
    return preference_view(snapshot(engine, policy, T0), policy, account_id, T0)


def test_every_purpose_with_a_choice_is_offered_in_the_policys_words_per_contact_medium(
        engine: Engine, keyring: Keyring) -> None:
    view = {purpose.purpose: purpose for purpose in view_of(engine, keyring)}
    assert set(view) == {"marketing_offers", "calling_plan_offers", "recording_transcripts"}  # provide_service: none
    assert [item.medium for item in view["marketing_offers"].items] == ["email", "sms", "phone", "post"]
    assert [item.medium for item in view["recording_transcripts"].items] == ["any"]
    assert view["marketing_offers"].description == "Tell customers about new plans"
    assert view["recording_transcripts"].opt_in and not view["marketing_offers"].opt_in


def test_where_each_choice_stands_is_said_in_a_persons_words(engine: Engine, keyring: Keyring) -> None:
    view = {p.purpose: p for p in view_of(engine, keyring, ("marketing_offers", "sms", "denied"))}
    by_medium = {item.medium: item for item in view["marketing_offers"].items}
    assert (by_medium["email"].allowed, by_medium["email"].status) == (True, "Yes, until you say no")
    assert (by_medium["sms"].allowed, by_medium["sms"].status) == (False, "No — you opted out")
    assert view["recording_transcripts"].items[0].status == "No — only if you agree"
    assert view["calling_plan_offers"].items[0].status.startswith("No — not until we have sent you our notice")


def test_a_form_records_only_what_it_changes(engine: Engine, keyring: Keyring) -> None:
    view = view_of(engine, keyring)
    answers = {"marketing_offers.email": "no", "marketing_offers.sms": "yes", "recording_transcripts.any": "yes"}
    assert changes_from(view, answers) == [Change("marketing_offers", "email", "denied"),
                                           Change("recording_transcripts", "any", "granted")]


def test_saying_no_to_an_opt_in_given_earlier_withdraws_it(engine: Engine, keyring: Keyring) -> None:
    view = view_of(engine, keyring, ("recording_transcripts", "any", "granted"))
    assert changes_from(view, {"recording_transcripts.any": "no"}) == [
        Change("recording_transcripts", "any", "withdrawn")]


@pytest.mark.parametrize(("answers", "field"), [
    ({"provide_service.any": "no"}, "provide_service.any"),
    ({"marketing_offers.fax": "no"}, "marketing_offers.fax"),
    ({"marketing_offers.email": "maybe"}, "marketing_offers.email"),
])
def test_an_answer_the_page_did_not_offer_is_refused_naming_the_field(
        engine: Engine, keyring: Keyring, answers: dict[str, str], field: str) -> None:
    with pytest.raises(ValueError, match=f"^{field}: "):
        changes_from(view_of(engine, keyring), answers)
