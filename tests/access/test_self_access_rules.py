"""Which classes the customer's own copy holds under a policy, and the reason given for each one left out."""

from __future__ import annotations

from custodian.access.self_access_rules import EXPORTED, self_access
from custodian.policy.document import PolicyDocument
from tests.builders.legal import spectrumvoip


def _with_customer_process(rules: dict[str, str]) -> PolicyDocument:
    document = spectrumvoip().document
    process = {**document.legal.process, "customer": rules}
    return document.model_copy(update={"legal": document.legal.model_copy(update={"process": process})})


def test_spectrumvoip_customers_get_every_stored_class_but_their_hashed_secrets() -> None:
    """Seed 002: customers 'download that data through their Admin Portal'."""
    access = self_access(spectrumvoip().document)
    assert "support.comment_log" in access.included and "cpni.call_log" in access.included
    assert list(access.withheld) == ["subscriber.credentials"]
    assert "one-way hashes" in access.withheld["subscriber.credentials"]
    assert list(access.included) == [name for name in EXPORTED if name in access.included]


def test_a_class_the_policy_never_releases_to_customers_is_withheld_with_the_purposes_that_keep_it() -> None:
    access = self_access(_with_customer_process({"support.comment_log": "never"}))
    assert "support.comment_log" not in access.included
    reason = access.withheld["support.comment_log"]
    assert reason.startswith("Our privacy policy does not release these records to account holders.")
    assert "We keep them for:" in reason


def test_a_class_that_needs_legal_process_even_for_the_customer_says_which() -> None:
    access = self_access(_with_customer_process({"content.chat": "court_order"}))
    assert "content.chat" not in access.included
    assert "only under legal process (court order)" in access.withheld["content.chat"]


def test_classes_custodian_does_not_store_are_listed_as_kept_elsewhere_not_withheld() -> None:
    access = self_access(spectrumvoip().document)
    assert "network.session_log" in access.elsewhere and "network.session_log" not in access.withheld
    assert not set(access.elsewhere) & set(access.included)
