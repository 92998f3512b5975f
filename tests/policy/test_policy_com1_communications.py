"""Com 1 Communications' policy (examples/policies/004-com1-communications.yaml) keeps what its Privacy Policy promises.

Each test quotes the promises of the seed document (004_4c059e7cfb068a7d.txt, last revised June 2008) it
proves and reads the answer from the compiled policy, as the features that enforce it will.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from custodian.policy.check import check_file
from custodian.policy.compiled import CompiledPolicy, compile_policy
from custodian.policy.diff import diff_policies
from custodian.policy.document import PolicyDocument
from tests.builders.policy import assert_no_class_below_the_legal_floor, notice_text, problems_of

POLICY = Path(__file__).resolve().parents[2] / "examples" / "policies" / "004-com1-communications.yaml"


@pytest.fixture(scope="module")
def policy() -> CompiledPolicy:
    result = check_file(POLICY)
    assert result.valid and result.document is not None, [p.render(str(POLICY)) for p in result.problems]
    return compile_policy(result.document, POLICY.read_text(encoding="utf-8"))


def test_every_kind_of_information_the_seed_describes_is_a_declared_record_class_with_a_purpose(
        policy: CompiledPolicy) -> None:
    """'In the course of serving its customers, Com 1 Communications acquires, stores and transmits customer
    communications and information that customers may regard as private or sensitive.'"""
    assert {"subscriber.basic", "billing.payment_instrument", "support.comment_log", "cpni.call_log",
            "content.email", "web.cookie", "web.visit_log", "marketing.lead"} == policy.collected
    assert set(policy.purposes_of_class) == policy.collected
    assert {name for data_set in policy.document.data_sets for name in data_set.classes} == policy.collected


def test_establishing_and_providing_service_are_essential_and_customer_logs_of_calls_need_cpni_authentication(
        policy: CompiledPolicy) -> None:
    """'Some of this information - such as the customer's name, address, telephone number, and credit card data
    - is provided to Com 1 Communications by its customers in order to establish service.'
    'Other information - such as the customer's account status, choice of services, and customer logs - is
    created and maintained by Com 1 Communications in the normal course of providing service.'"""
    categories = set(policy.document.record_classes["subscriber.basic"].categories)
    assert {"user.name", "user.contact.address", "user.contact.phone_number", "user.account.settings"} <= categories
    assert policy.document.purposes["establish_service"].classes == ["subscriber.basic", "billing.payment_instrument"]
    assert policy.choice_of_purpose["establish_service"] == policy.choice_of_purpose["provide_service"] == "none"
    assert {"support.comment_log", "cpni.call_log"} <= set(policy.document.purposes["provide_service"].classes)
    assert policy.cpni_protected == frozenset({"cpni.call_log"})


def test_order_form_information_from_landing_page_cookies_stays_inside_com1(policy: CompiledPolicy) -> None:
    """'Com 1 Communications also uses cookies, which are small pieces of information that a web site can store
    in a designated file on a user's computer for various reasons.'
    'For example, Com 1 Communications uses cookies on the landing pages of products sold online which record
    the customer information that is required on the order form.'
    'This information is then forwarded to an internal sales tracking database within Com 1 Communications.'"""
    assert policy.purposes_of_class["web.cookie"] == frozenset({"order_processing"})
    assert policy.purposes_of_class["marketing.lead"] == frozenset({"order_processing"})
    assert "web.cookie" not in policy.recipients_of_class
    assert "marketing.lead" not in policy.recipients_of_class
    sales = policy.grant("sales_representative", "sales")
    assert sales is not None and sales.classes == {"marketing.lead"}


def test_selected_partners_receive_only_contact_details_and_only_for_offers_customers_can_opt_out_of(
        policy: CompiledPolicy) -> None:
    """'Com 1 Communications may share customer information with selected partners, for example, to provide
    customers with information about products which might be of interest to the customer or to enable the
    customer to take advantage of special partner programs.'"""
    partners = policy.document.recipients["selected_partners"]
    assert (partners.kind, partners.classes, partners.purposes) == ("partner", ["subscriber.basic"], ["partner_offers"])
    assert policy.choice_of_purpose["partner_offers"] == "opt_out"
    assert "billing.payment_instrument" not in policy.recipients_of_class
    assert "cpni.call_log" not in policy.recipients_of_class


def test_essential_account_and_system_information_cannot_be_opted_out_of_but_product_notices_can(
        policy: CompiledPolicy) -> None:
    """'Com 1 Communications may also use customer information to provide its customers with system information'
    'or information about new or upgraded products.'
    'However, customers may not opt out of receiving information from Com 1 Communications that is essential
    for maintaining or updating customers' accounts or system information.'"""
    assert policy.choice_of_purpose["service_notices"] == "none"
    assert policy.document.purposes["service_notices"].data_use.startswith("essential")
    assert policy.choice_of_purpose["product_marketing"] == "opt_out"
    assert {"service_notices", "product_marketing"} <= policy.purposes_of_class["subscriber.basic"]


def test_domain_registration_information_goes_to_the_public_registry_and_nothing_else_does(
        policy: CompiledPolicy) -> None:
    """'It is important to note that customer domain name registration information is made publicly available
    in the registry of domain names.'"""
    registry = policy.document.recipients["domain_name_registry"]
    assert (registry.classes, registry.purposes) == (["subscriber.basic"], ["domain_registration"])
    assert "confidentiality" not in registry.contract.terms  # public by design, and the notice says so
    assert policy.recipients_of_class["subscriber.basic"] == frozenset({"selected_partners", "domain_name_registry"})


def test_legal_process_follows_the_stored_communications_act(policy: CompiledPolicy) -> None:
    """'where Com 1 Communications has a good faith belief that the law requires such disclosure such as in
    response to legal process seeking disclosure of such information'"""
    assert policy.process_needed("law_enforcement", "subscriber.basic") == "subpoena"
    assert policy.process_needed("law_enforcement", "billing.payment_instrument") == "subpoena"
    assert policy.process_needed("law_enforcement", "cpni.call_log") == "subpoena"  # 2703(c)(2) connection records
    assert policy.process_needed("foreign_government", "subscriber.basic") == "mlat"
    assert_no_class_below_the_legal_floor(policy)
    assert policy.document.legal.notification.notify_customer


def test_no_third_party_receives_the_content_of_communications(policy: CompiledPolicy) -> None:
    """'Com 1 Communications also will not, except for reasons stated below, disclose to third parties the
    contents of any electronic mail or other electronic communications that Com 1 Communications stores or
    transmits for its customers.'"""
    content = {name for name in policy.collected if name.startswith("content.")}
    assert content == {"content.email"}
    assert not content & set(policy.recipients_of_class)


def test_content_reaches_government_only_on_a_search_warrant_and_private_litigants_never(
        policy: CompiledPolicy) -> None:
    """'it is required to cooperate with interception orders, warrants, or other legal process that Com 1
    Communications determines in its sole discretion to be valid and enforceable; and'"""
    assert policy.process_needed("law_enforcement", "content.email") == "search_warrant"
    assert policy.process_needed("civil", "content.email") == "never"
    assert policy.process_needed("foreign_government", "content.email") == "mlat"


def test_only_the_abuse_desk_sees_communications_and_only_on_an_abuse_ticket(policy: CompiledPolicy) -> None:
    """'Com 1 Communications disclaims any intention to censor, edit or engage in ongoing review or surveillance
    of communications stored on or transmitted through its facilities by customers or others.'
    (Encoded here; enforced at run time by need-to-know staff access, issue 5.)"""
    showing_content = {key for key, grant in policy.grants.items() if "content.email" in grant.classes}
    assert showing_content == {("abuse_desk", "abuse")}
    assert policy.purposes_of_class["content.email"] == frozenset({"message_delivery", "aup_enforcement"})


def test_stored_email_is_content_kept_only_as_long_as_its_delivery_needs(policy: CompiledPolicy) -> None:
    """P07: "In addition, Com 1 Communications may store customers' electronic mail and other communications as a
    necessary incident to the transmission and delivery of those communications." """
    assert policy.purposes_of_class["content.email"] == frozenset({"message_delivery", "aup_enforcement"})
    rule, = policy.retention[("content.email", "standard")]
    assert rule.keep == "while_needed" and "necessary incident to the transmission and delivery" in rule.note


def test_website_usage_goes_to_third_parties_only_de_identified(policy: CompiledPolicy) -> None:
    """P17: "In addition, Com 1 Communications may collect and share non personally identifiable information (such
    as website usage information) from visitors to its web sites with third-party companies for various purposes
    such as statistical analysis, performance optimization and promotional uses." """
    analytics = policy.document.recipients["web_analytics_companies"]
    assert analytics.data_form == "de_identified"
    assert all(policy.document.purposes[name].data_form == "de_identified" for name in analytics.purposes)


def test_customer_information_may_pass_to_a_successor_and_customers_are_then_told(policy: CompiledPolicy) -> None:
    """P18: "In the case of a business transaction, including but not limited to, a merger or sale of a portion of
    Com 1 Communications assets, customer information will likely be part of the assets transferred."
    P19: "In this event, will attempt to notify impacted customers that their information has been
    transferred." """
    transfer = policy.document.business_transfer
    assert transfer is not None and transfer.notify_customers == "attempt_after_transfer"
    assert "We will try to tell you that your information has been transferred." in notice_text(policy, "sharing")
    weaker = POLICY.read_text(encoding="utf-8").replace("notify_customers: attempt_after_transfer",
                                                        "notify_customers: never", 1)
    changes = diff_policies(policy.document, _document(weaker))
    assert any(change.path == "business_transfer.notify_customers" and change.material for change in changes)


def test_account_information_goes_out_without_process_only_to_protect_rights_or_property(
        policy: CompiledPolicy) -> None:
    """P26: "Com 1 Communications will not otherwise disclose its customers' personal and account information
    unless Com 1 Communications has reason to believe that disclosing such information is necessary to identify"
    P27: "necessary to identify, make contact with, or bring legal action against someone who may be causing harm
    or interfering with the rights or property of Com 1 Communications or its customers, or others" """
    bases = {(rule.basis, tuple(rule.classes)) for rule in policy.document.legal.voluntary_disclosures.values()}
    assert ("protect_rights_or_property", ("subscriber.basic", "support.comment_log", "cpni.call_log")) in bases
    assert policy.voluntary_rule("billing.payment_instrument", "protect_rights_or_property", "private_parties") is None


@pytest.mark.parametrize(("basis", "audience"), [("provide_service", "private_parties"),
                                                 ("protect_rights_or_property", "law_enforcement"),
                                                 ("inadvertent_crime_evidence", "law_enforcement")])
def test_stored_email_is_disclosed_without_process_only_on_the_four_stated_grounds(
        policy: CompiledPolicy, basis: str, audience: str) -> None:
    """P30: "it is necessary in order to provide service to the customer;"
    P31: "it is necessary to protect the legitimate interests of Com 1 Communications and its customers;"
    P33: "it is necessary to provide to a law enforcement agency when the contents are inadvertently obtained by Com 1
    Communications and appear to pertain to the commission of a crime." """
    assert policy.voluntary_rule("content.email", basis, audience) is not None
    assert policy.voluntary_rule("content.email", "inadvertent_crime_evidence", "private_parties") is None
    broader = POLICY.read_text(encoding="utf-8").replace(
        "      basis: provide_service\n", "      basis: legal_claims\n", 1)
    assert any("18 U.S.C. 2702(b) permits no disclosure of content for legal_claims" in problem
               for problem in problems_of(broader))


def _document(text: str) -> PolicyDocument:
    from custodian.policy.check import check_text

    result = check_text(text)
    assert result.document is not None
    return result.document
