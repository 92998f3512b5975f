"""Shine the Light, Cal. Civ. Code 1798.83(a): a business that "has disclosed personal information ... to third
parties, and knows or reasonably should know that the third parties used the personal information for the third
parties' direct marketing purposes" shall, on a customer's request, disclose "in writing ... the names and
addresses of all of the third parties that received personal information from the business during the
immediately preceding calendar year and, if the nature of the third parties' business cannot reasonably be
determined from the third parties' names, examples of the products or services marketed", and "the categories
of personal information that were disclosed"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from custodian.audit import store as audit
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.disclosures.store import Release, record_release
from custodian.dsr import service
from custodian.dsr.fulfillers import Desk, answer
from custodian.dsr.shine_the_light import (
    LEDGER_SOURCE,
    SOURCE,
    fallback_source,
    fulfil_shine_the_light,
    marketing_recipients,
    previous_year,
    versions_in,
)
from custodian.policy import store as policy_store
from custodian.policy.document import PolicyDocument, Recipient
from custodian.policy.vocabulary import CLASS_LABELS
from tests.builders.disclosures import DISCLOSING_POLICY
from tests.builders.dsr import RECEIVED_AT, a_request
from tests.builders.legal import SPECTRUMVOIP, spectrumvoip
from tests.builders.policy import EXAMPLES, example_policy
from tests.builders.records import an_account


@pytest.fixture
def desk(blobs: LocalBlobStore) -> Desk:
    return Desk(blobs, spectrumvoip(), "https://privacy.example")


def _broker(document: PolicyDocument, **changes: object) -> PolicyDocument:
    """`document` with a list broker that buys subscriber details for its own marketing e-mails."""
    purpose = next(name for name, p in document.purposes.items() if p.data_use.startswith("marketing."))
    broker = Recipient.model_validate({"name": "Acme Lists", "kind": "partner", "address": "1 Market St, SF CA",
                                       "classes": ["subscriber.basic"], "purposes": [purpose], **changes})
    return document.model_copy(update={"recipients": {**document.recipients, "acme": broker}})


def test_the_previous_calendar_year_is_the_whole_year_before_the_request() -> None:
    assert previous_year(datetime(2026, 1, 1, 0, 30, tzinfo=UTC)) == (datetime(2025, 1, 1, tzinfo=UTC),
                                                                      datetime(2026, 1, 1, tzinfo=UTC))


def test_a_recipient_that_markets_with_identifiable_data_is_listed_with_name_address_and_categories() -> None:
    found = marketing_recipients([_broker(spectrumvoip().document)])
    broker = next(r for r in found if r.name == "Acme Lists")
    assert broker.address == "1 Market St, SF CA" and broker.categories == (CLASS_LABELS["subscriber.basic"],)


def test_processors_de_identified_data_and_a_no_own_marketing_contract_are_not_direct_marketing() -> None:
    document = spectrumvoip().document
    assert not any(r.name == "Acme Lists" for r in marketing_recipients([_broker(document, kind="processor")]))
    assert not any(r.name == "Acme Lists" for r in marketing_recipients([_broker(document, data_form="de_identified")]))
    assert not any(r.name == "Acme Lists" for r in marketing_recipients(
        [_broker(document, contract={"terms": ["no_own_marketing"]})]))
    names = {r.name for r in marketing_recipients([document])}
    assert "Third-party credit card payment processing agents" not in names and "Gravatar" not in names


def test_quality_communications_lists_the_partners_it_gives_contact_details_to_offer_their_products() -> None:
    """Its advertisers receive only aggregate traffic profiles; its selected partners get names and addresses."""
    found = marketing_recipients([example_policy("003-quality-communications.yaml").document])
    assert [(r.name, r.categories) for r in found] == [
        ("Selected partners/third parties", (CLASS_LABELS["subscriber.basic"],))]
    assert "no address published" in found[0].line()


def test_a_provider_whose_recipients_signed_no_own_marketing_names_none() -> None:
    assert marketing_recipients([example_policy("001-unnamed-provider.yaml").document]) == []


def _verified_shine_the_light(engine: Engine, keyring: Keyring, blobs: LocalBlobStore, policy_text: str) -> str:
    an_account(engine, keyring)
    with transaction(engine) as conn:
        policy_store.activate(conn, policy_text, actor="test", effective_at=datetime(2020, 1, 1, tzinfo=UTC),
                              now=RECEIVED_AT)
    receipt, token = a_request(engine, keyring, blobs, request_type="shine_the_light")
    with transaction(engine) as conn:
        service.verify(conn, keyring, spectrumvoip(), token, now=RECEIVED_AT + timedelta(hours=1))
    return receipt.reference


def test_a_verified_request_is_answered_from_the_published_recipients_and_closed(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, desk: Desk) -> None:
    reference = _verified_shine_the_light(engine, keyring, blobs, SPECTRUMVOIP.read_text(encoding="utf-8"))
    with transaction(engine) as conn:
        answered = answer(conn, keyring, desk, reference, actor="staff:dana", now=RECEIVED_AT + timedelta(days=1))
        outcome = answered.outcome
        request = service.read(conn, keyring, reference, actor="staff:dana", now=RECEIVED_AT)
    assert outcome.done[0].startswith("In 2025 these third parties") and SOURCE in outcome.done[0]
    assert any(line.startswith("Advertising and third-party cookie providers, ") for line in outcome.done[1:])
    assert request.state == "fulfilled"
    assert "Advertising and third-party cookie providers" in answered.mail.body  # the final response lists it


def test_when_the_policy_names_no_marketing_recipient_the_answer_says_none_were_disclosed(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, desk: Desk) -> None:
    text = (EXAMPLES / "001-unnamed-provider.yaml").read_text(encoding="utf-8")
    reference = _verified_shine_the_light(engine, keyring, blobs, text)
    with transaction(engine) as conn:
        answered = answer(conn, keyring, desk, reference, actor="staff:dana", now=RECEIVED_AT + timedelta(days=1))
    outcome = answered.outcome
    assert outcome.done == [f"In 2025 we disclosed none of your personal information to third parties for "
                            f"their own direct marketing ({fallback_source(RECEIVED_AT)})."]
    assert "as that year began before we recorded each disclosure" in outcome.done[0]
    assert "we disclosed none of your personal information" in answered.mail.body  # what the requester reads


def test_the_answer_covers_every_policy_version_in_force_during_the_year_and_none_after_it(engine: Engine) -> None:
    """A recipient named in the version in force on 1 January counts; one named only from next year does not."""
    quality = (EXAMPLES / "003-quality-communications.yaml").read_text(encoding="utf-8")
    with transaction(engine) as conn:
        for text, since in ((quality, datetime(2020, 1, 1, tzinfo=UTC)),
                            ((EXAMPLES / "001-unnamed-provider.yaml").read_text(encoding="utf-8"),
                             datetime(2025, 6, 1, tzinfo=UTC)),
                            (SPECTRUMVOIP.read_text(encoding="utf-8"), datetime(2026, 1, 1, tzinfo=UTC))):
            policy_store.activate(conn, text, actor="test", effective_at=since, now=RECEIVED_AT)
        start, end = previous_year(RECEIVED_AT)
        names = [r.name for r in marketing_recipients(versions_in(conn, start, end))]
    assert names == ["Selected partners/third parties"]


def test_when_custodian_held_no_policy_last_year_the_list_published_now_answers(engine: Engine) -> None:
    with transaction(engine) as conn:
        policy_store.activate(conn, SPECTRUMVOIP.read_text(encoding="utf-8"), actor="test",
                              effective_at=datetime(2026, 2, 1, tzinfo=UTC), now=RECEIVED_AT)
        outcome = fulfil_shine_the_light(conn, None, None, "staff:dana", RECEIVED_AT)  # type: ignore[arg-type]
    assert any(line.startswith("Advertising and third-party cookie providers, ") for line in outcome.done)


def _release(conn: object, account_id: int, recipient: str, purpose: str, classes: tuple[str, ...], at: datetime,
             form: str = "identifiable") -> None:
    record_release(conn, Release(recipient, purpose, classes, form, 0, "0" * 64, "csv"),  # type: ignore[arg-type]
                   [account_id], actor="staff:officer", now=at)


def test_a_year_the_ledger_covers_is_answered_from_the_disclosures_of_the_customers_own_account(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, desk: Desk) -> None:
    """1798.83(a): "the names and addresses of all of the third parties that received personal information from
    the business during the immediately preceding calendar year" and "the categories of personal information that
    were disclosed" -- the ones that did receive this customer's, with what they received."""
    with transaction(engine) as conn:  # Custodian's records start in 2024: its ledger covers all of 2025
        audit.append(conn, actor="system", action="custodian.init", reason="records start",
                     now=datetime(2024, 6, 1, tzinfo=UTC))
    reference = _verified_shine_the_light(engine, keyring, blobs, DISCLOSING_POLICY)
    other = an_account(engine, keyring, ref="ACC-OTHER", email="other@example.com")
    with transaction(engine) as conn:
        own = service.read(conn, keyring, reference, actor="staff:dana", now=RECEIVED_AT).account_id
        assert own is not None
        in_2025 = datetime(2025, 5, 1, tzinfo=UTC)
        _release(conn, own, "offers_partner", "partner_offers", ("subscriber.basic",), in_2025)
        _release(conn, own, "ad_partner", "partner_offers", ("subscriber.basic",), in_2025, "de_identified")
        _release(conn, own, "offers_partner", "partner_offers", ("cpni.call_log",), datetime(2026, 1, 2, tzinfo=UTC))
        _release(conn, other, "offers_partner", "partner_offers", ("cpni.call_log",), in_2025)
        outcome = answer(conn, keyring, desk, reference, actor="staff:dana", now=RECEIVED_AT).outcome
    assert outcome.done == [
        f"In 2025 these third parties received personal information for their own direct marketing, {LEDGER_SOURCE} "
        "(name, address: categories of information):",
        f"Example Offers Co., 1 Partner Way, Dallas, TX 75201: {CLASS_LABELS['subscriber.basic']}"]


def test_a_year_the_ledger_covers_with_no_disclosure_of_the_account_says_none_from_the_ledger(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, desk: Desk) -> None:
    with transaction(engine) as conn:
        audit.append(conn, actor="system", action="custodian.init", reason="records start",
                     now=datetime(2024, 6, 1, tzinfo=UTC))
    reference = _verified_shine_the_light(engine, keyring, blobs, DISCLOSING_POLICY)
    with transaction(engine) as conn:
        outcome = answer(conn, keyring, desk, reference, actor="staff:dana", now=RECEIVED_AT).outcome
    assert outcome.done == [f"In 2025 we disclosed none of your personal information to third parties for their own "
                            f"direct marketing ({LEDGER_SOURCE})."]  # the policy lists Example Offers Co.: not used
