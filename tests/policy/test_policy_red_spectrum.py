"""Red Spectrum Communications' privacy policy (000-red-spectrum.yaml), proved through the compiled policy."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from custodian.policy.check import check_file
from custodian.policy.compiled import CompiledPolicy, compile_policy
from custodian.policy.sca import NEVER
from custodian.policy.vocabulary import CONTENT_CLASSES
from tests.builders.policy import notice_text, problems_of

POLICY = Path(__file__).resolve().parents[2] / "examples" / "policies" / "000-red-spectrum.yaml"
ESSENTIAL_PREFIX = "essential"
PROTECTED = ("subscriber.basic", "subscriber.credentials", "billing.transactions", "billing.payment_instrument")
SHARING_PURPOSES = frozenset({"deliver_ordered_service", "authorized_payment_disclosure"})


@cache
def _policy() -> CompiledPolicy:
    result = check_file(POLICY)
    assert result.valid and result.document is not None, [p.render(str(POLICY)) for p in result.problems]
    return compile_policy(result.document, POLICY.read_text(encoding="utf-8"))


def test_sign_up_collects_name_address_telephone_and_the_card_or_bank_account_that_pays() -> None:
    """P05: "When you join Red Spectrum Communications, we ask you for your name, address, telephone number, and
    billing information- including the credit card, checking account, or debit card used to pay for your account." """
    policy = _policy()
    classes = policy.document.record_classes
    assert {"user.name", "user.contact.address", "user.contact.phone_number"} <= set(
        classes["subscriber.basic"].categories)
    assert {"user.financial.credit_card", "user.financial.bank_account"} <= set(
        classes["billing.payment_instrument"].categories)
    assert "provide_service" in policy.purposes_of_class["subscriber.basic"]
    assert "payment_processing" in policy.purposes_of_class["billing.payment_instrument"]
    assert policy.choice_of_purpose["provide_service"] == policy.choice_of_purpose["payment_processing"] == "none"


def test_personal_contact_billing_information_and_usernames_go_only_to_the_stated_exceptions() -> None:
    """P04: "We do not give out your personal, contact and billing information or usernames." """
    policy = _policy()
    assert policy.recipients_of_class.get("billing.transactions", frozenset()) == frozenset()
    assert policy.recipients_of_class["subscriber.basic"] == frozenset({"contracted_agents"})
    assert policy.recipients_of_class["subscriber.credentials"] == frozenset({"contracted_agents"})
    assert policy.recipients_of_class["billing.payment_instrument"] == frozenset({"customer_authorized_merchant"})
    for name in set().union(*(policy.recipients_of_class.get(c, frozenset()) for c in PROTECTED)):
        assert set(policy.document.recipients[name].purposes) <= SHARING_PURPOSES


def test_telephone_numbers_and_usernames_go_out_only_to_deliver_an_ordered_service() -> None:
    """P06: "Red Spectrum Communications will not give out your telephone number or usernames (e-mail addresses),
    except where needed to deliver a product or service you ordered." """
    policy = _policy()
    for record_class in ("numbers.assignments", "subscriber.credentials", "subscriber.basic"):
        for name in policy.recipients_of_class[record_class]:
            assert policy.document.recipients[name].purposes == ["deliver_ordered_service"]


def test_card_and_checking_account_details_go_out_only_with_the_customers_opt_in() -> None:
    """P07: "We will not give out your credit or debit card number or checking account information unless you
    authorize it, for example, during an online purchase." """
    policy = _policy()
    for name in policy.recipients_of_class["billing.payment_instrument"]:
        assert {policy.choice_of_purpose[p] for p in policy.document.recipients[name].purposes} == {"opt_in"}


def test_service_call_notes_are_kept_for_internal_support_and_given_to_no_one() -> None:
    """P08: "For example, we keep notes in your account to document service calls." """
    policy = _policy()
    assert "support.comment_log" in policy.collected
    assert policy.purposes_of_class["support.comment_log"] == frozenset({"customer_support"})
    assert "support.comment_log" not in policy.recipients_of_class


def test_only_the_sharing_exceptions_have_recipients_every_other_purpose_is_internal() -> None:
    """P09: "We also collect and use other information for internal purposes." """
    policy = _policy()
    shared = {p for recipient in policy.document.recipients.values() for p in recipient.purposes}
    assert shared == SHARING_PURPOSES
    assert "cpni.call_log" not in policy.recipients_of_class


def test_every_purpose_states_its_choice_and_only_essential_ones_offer_none() -> None:
    """P01: "We want you to know how we protect customer information and what choices you have about its use." """
    policy = _policy()
    for name, purpose in policy.document.purposes.items():
        assert policy.choice_of_purpose[name] in ("none", "opt_out", "opt_in")
        if policy.choice_of_purpose[name] == "none":
            assert purpose.data_use.startswith(ESSENTIAL_PREFIX)


def test_every_collected_class_has_a_purpose_that_explains_its_use() -> None:
    """P22: "A key part of Red Spectrum Communications’ commitment to protecting your privacy is explaining to you
    how we may use your personal information." """
    policy = _policy()
    assert set(policy.purposes_of_class) == set(policy.collected)
    assert all(purpose.description for purpose in policy.document.purposes.values())


def test_account_records_are_released_only_under_a_valid_legal_instrument() -> None:
    """P10: "We will release specific information about your account only to comply with a valid legal process
    such as a search warrant, subpoena or court order." """
    policy = _policy()
    assert policy.process_needed("law_enforcement", "subscriber.basic") == "subpoena"
    assert policy.process_needed("law_enforcement", "cpni.call_log") == "subpoena"  # 2703(c)(2) connection records
    assert policy.process_needed("law_enforcement", "support.comment_log") == "court_order_2703d"
    assert policy.process_needed("civil", "billing.transactions") == "subpoena"
    for record_class in policy.collected:
        for requester in ("law_enforcement", "civil"):
            assert policy.process_needed(requester, record_class) in (
                "subpoena", "civil_investigative_demand", "court_order_2703d", "court_order", "search_warrant", NEVER)
        if record_class in CONTENT_CLASSES:
            assert policy.process_needed("civil", record_class) == NEVER


def test_there_is_no_voluntary_emergency_release_without_legal_process() -> None:
    """P10: "We will release specific information about your account only to comply with a valid legal process
    such as a search warrant, subpoena or court order." """
    legal = _policy().document.legal
    assert legal.emergency.accepted is False
    assert legal.notification.notify_customer and legal.notification.unless_nondisclosure_order


def test_a_representative_sees_only_what_the_concern_needs() -> None:
    """P16: "For example, if you call us with a concern or complaint, the representative is allowed to access only
    the personal information that he or she needs to address your concern." """
    policy = _policy()
    billing = policy.grant("customer_service_representative", "billing")
    technical = policy.grant("customer_service_representative", "technical")
    assert billing is not None and technical is not None
    assert "cpni.call_log" not in billing.classes
    assert billing.masks == {"billing.payment_instrument": "last_four"}
    assert "billing.payment_instrument" not in technical.classes
    assert technical.masks == {"cpni.call_log": "masked_counterpart"}
    assert policy.grant("customer_service_representative", "marketing") is None


def test_no_staff_role_sees_credentials_and_call_detail_needs_the_cpni_password() -> None:
    """P15: "Only authorized Red Spectrum Communications employees are permitted to have access to your personal
    information and such access is limited by need." """
    policy = _policy()
    assert all("subscriber.credentials" not in grant.classes for grant in policy.grants.values())
    assert all(grant.classes < policy.collected for grant in policy.grants.values())
    assert policy.cpni_protected == frozenset({"cpni.call_log"})


def test_every_company_that_receives_customer_information_is_bound_to_confidentiality() -> None:
    """P17: "In addition, any company with which Red Spectrum Communications contracts to be our agent in
    conducting our business is required to adhere to confidentiality agreements to ensure that your information
    remains safe and secure." """
    document = _policy().document
    assert document.recipients
    assert document.contract_requirements["processor"] == ["confidentiality", "purpose_limitation"]
    assert all("confidentiality" in recipient.contract.terms for recipient in document.recipients.values())
    unbound = POLICY.read_text(encoding="utf-8").replace(
        "      terms: [confidentiality, purpose_limitation]\n      description: Adhere", "      description: Adhere", 1)
    assert "recipients.contracted_agents.contract.terms: every processor signs confidentiality, purpose_limitation " \
           "(contract_requirements)" in problems_of(unbound)


def test_staff_must_acknowledge_the_policy() -> None:
    """P18: "All Red Spectrum Communications employees are required to acknowledge that they understand and will
    comply with this privacy policy." """
    assert _policy().document.staff.acknowledgement_required is True


def test_the_notice_explains_how_information_is_protected_used_and_what_choices_there_are() -> None:
    """P01: "We want you to know how we protect customer information and what choices you have about its use."
    P02: "We summarize and clarify that commitment: how we safeguard your privacy, how we treat personal
    information, and what choices you have." """
    policy = _policy()
    security, use, choices = (notice_text(policy, s) for s in ("security", "use", "choices"))
    assert "encrypted at rest" in security and "tamper-evident" in security
    for purpose in policy.document.purposes.values():
        assert purpose.description in use
        if purpose.choice != "none":
            assert purpose.description.rstrip(".") in choices


def test_the_notice_explains_every_use_of_personal_information() -> None:
    """P22: "A key part of Red Spectrum Communications' commitment to protecting your privacy is explaining to you
    how we may use your personal information." """
    policy = _policy()
    use = notice_text(policy, "use")
    for name in policy.collected:
        assert policy.purposes_of_class[name], f"{name} has no stated use"
    assert all(purpose.description in use for purpose in policy.document.purposes.values())


def test_billing_and_account_information_is_protected_by_controls_the_software_enforces() -> None:
    """P12: "We use state-of-the-art technology to keep your personal information- including your billing and
    account information- as secure as possible." """
    controls = set(_policy().document.security.controls)
    assert {"encryption_at_rest", "per_account_keys", "card_numbers_never_stored"} <= controls
