"""Quality Communications' privacy statement (003-quality-communications.yaml), proved through the compiled policy."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from custodian.policy.check import check_file
from custodian.policy.compiled import CompiledPolicy, compile_policy
from custodian.policy.sca import NEVER
from tests.builders.policy import notice_text, problems_of

POLICY = Path(__file__).resolve().parents[2] / "examples" / "policies" / "003-quality-communications.yaml"
VISITOR_CLASSES = frozenset({"web.visit_log", "web.cookie"})
CONTENT = ("content.voice_message", "content.fax_incoming", "content.fax_outgoing", "content.sms_body", "content.chat")
CUSTOMER_PURPOSES = frozenset({"establish_service", "payment_processing", "provide_service", "message_delivery",
                               "system_information", "product_news", "partner_offers", "protect_rights"})


@cache
def _policy() -> CompiledPolicy:
    result = check_file(POLICY)
    assert result.valid and result.document is not None, [p.render(str(POLICY)) for p in result.problems]
    return compile_policy(result.document, POLICY.read_text(encoding="utf-8"))


def _customer_classes(policy: CompiledPolicy) -> set[str]:
    return {name for data_set in policy.document.data_sets if data_set.id == "customers" for name in data_set.classes}


def test_visitor_records_hold_no_name_or_contact_details() -> None:
    """P01: "the web without identifying yourself or revealing any personal"; P06: "collect your e-mail address or
    aggregate information on what other" """
    policy = _policy()
    for record_class in VISITOR_CLASSES:
        categories = policy.document.record_classes[record_class].categories
        assert not [c for c in categories if c.startswith(("user.name", "user.contact", "user.account"))]


def test_visit_information_is_used_only_for_traffic_analysis_and_the_aggregate_profile() -> None:
    """P07: "information collected is used to help us analyze web traffic and to"; P10: "disclose to third parties
    aggregate information on our web site's" """
    policy = _policy()
    assert policy.purposes_of_class["web.visit_log"] == frozenset({"site_analytics", "traffic_profile_sharing"})
    assert policy.recipients_of_class["web.visit_log"] == frozenset({"internet_advertising_companies"})
    advertiser = policy.document.recipients["internet_advertising_companies"]
    assert advertiser.kind == "advertiser" and advertiser.classes == ["web.visit_log"]


def test_cookies_remember_preferences_and_carry_the_order_form_to_internal_sales_tracking_only() -> None:
    """P09: "and then forward this information to our internal sales tracking"; also P04, P05 and P08 on cookies."""
    policy = _policy()
    assert "user.device.cookie" in policy.document.record_classes["web.cookie"].categories
    assert policy.purposes_of_class["web.cookie"] == frozenset({"web_preferences", "order_form"})
    assert policy.purposes_of_class["marketing.lead"] == frozenset({"order_form"})
    assert "marketing.lead" not in policy.recipients_of_class
    assert "web.cookie" not in policy.recipients_of_class
    sales = policy.grant("sales_representative", "sales")
    assert sales is not None and sales.classes == frozenset({"marketing.lead"})


def test_sign_up_collects_contact_and_credit_card_information() -> None:
    """P11: "name, address, and phone number."; P12: "includes your credit card number."; P16: "information you
    provide us to establish our service for you." """
    policy = _policy()
    classes = policy.document.record_classes
    assert {"user.name", "user.contact.address", "user.contact.phone_number"} <= set(
        classes["subscriber.basic"].categories)
    assert classes["billing.payment_instrument"].categories == ["user.financial.credit_card"]
    assert "establish_service" in policy.purposes_of_class["subscriber.basic"]
    assert policy.choice_of_purpose["establish_service"] == "none"


def test_payment_information_is_used_for_payment_processing_only() -> None:
    """P17: "payment information for payment processing purposes only." """
    policy = _policy()
    assert policy.purposes_of_class["billing.payment_instrument"] == frozenset({"payment_processing"})
    assert "billing.payment_instrument" not in policy.recipients_of_class
    for grant in policy.grants.values():
        if "billing.payment_instrument" in grant.classes:
            assert grant.purpose == "payment_processing"
            assert grant.masks["billing.payment_instrument"] == "last_four"


def test_account_status_services_and_customer_logs_serve_only_providing_service() -> None:
    """P13: "account status, choice of services, and customer logs."; P18: "choice of services, and customer logs in
    the normal course of" """
    policy = _policy()
    assert "user.account.settings" in policy.document.record_classes["subscriber.basic"].categories
    assert policy.purposes_of_class["cpni.call_log"] == frozenset({"provide_service"})
    assert policy.purposes_of_class["support.comment_log"] == frozenset({"provide_service", "protect_rights"})
    assert policy.cpni_protected == frozenset({"cpni.call_log"})
    assert "cpni.call_log" not in policy.recipients_of_class


def test_stored_communications_serve_only_their_delivery() -> None:
    """P15: "a necessary incident to the transmission and delivery of those"; P14: "we may store customers'
    electronic mail and other communications as" """
    policy = _policy()
    for record_class in CONTENT:
        assert policy.purposes_of_class[record_class] == frozenset({"message_delivery"})
        assert record_class not in policy.recipients_of_class
        assert all(record_class not in grant.classes for grant in policy.grants.values())
        rule, = policy.retention[(record_class, "standard")]
        assert rule.keep == "while_needed" and "necessary incident" in rule.note


def test_selected_partners_receive_contact_information_only_for_offers_the_customer_can_refuse() -> None:
    """P19: "may share customer information with selected partners/third parties," """
    policy = _policy()
    partners = policy.document.recipients["selected_partners"]
    assert partners.classes == ["subscriber.basic"] and partners.purposes == ["partner_offers"]
    assert policy.choice_of_purpose["partner_offers"] == "opt_out"
    assert "confidentiality" in partners.contract.terms


def test_system_information_is_essential_and_product_news_can_be_refused() -> None:
    """P20: "customer information to provide customers with system information or"; P21: "information about new or
    upgraded products." """
    policy = _policy()
    assert policy.choice_of_purpose["system_information"] == "none"
    assert policy.document.purposes["system_information"].data_use.startswith("essential.")
    assert policy.choice_of_purpose["product_news"] == "opt_out"


def test_customer_information_serves_only_customer_purposes_and_never_reaches_advertisers() -> None:
    """P02: "it will only be used to support your customer relationship with"; P22: "disclose customer personal and
    account information unless we have" """
    policy = _policy()
    customer_classes = _customer_classes(policy)
    for record_class in customer_classes:
        assert policy.purposes_of_class[record_class] <= CUSTOMER_PURPOSES
        assert policy.recipients_of_class.get(record_class, frozenset()) <= {"selected_partners"}
    assert set(policy.document.recipients) == {"internet_advertising_companies", "selected_partners"}


def test_legal_disclosure_follows_the_stored_communications_act() -> None:
    """P24: "Quality Communications has a good faith belief that the law requires" """
    policy = _policy()
    assert policy.process_needed("law_enforcement", "subscriber.basic") == "subpoena"
    assert policy.process_needed("law_enforcement", "cpni.call_log") == "subpoena"  # 2703(c)(2) connection records
    assert policy.process_needed("law_enforcement", "content.voice_message") == "search_warrant"
    assert all(policy.process_needed("civil", name) == NEVER for name in CONTENT)
    assert policy.process_needed("foreign_government", "subscriber.basic") == "mlat"
    legal = policy.document.legal
    assert legal.notification.notify_customer and legal.notification.unless_nondisclosure_order
    assert legal.preservation.days == 90


def test_visit_records_hold_only_the_isp_domain_the_time_and_pages_on_this_site() -> None:
    """P03: "includes your ISP's domain, the time you accessed our web site, and" the pages within it.
    P06: "collect your e-mail address or aggregate information on what other" pages on the Web you visited."""
    policy = _policy()
    assert policy.document.record_classes["web.visit_log"].fields == [
        "ISP's domain", "time of the visit", "pages visited within this web site"]
    assert "Holds only: ISP's domain, time of the visit, pages visited within this web site." in notice_text(
        policy, "collection")


def test_advertisers_receive_only_aggregates_of_the_traffic_profile() -> None:
    """P10: "disclose to third parties aggregate information on our web site's" traffic profile."""
    policy = _policy()
    advertisers = policy.document.recipients["internet_advertising_companies"]
    assert (advertisers.data_form, advertisers.min_group_size) == ("aggregate", 10)
    assert policy.document.purposes["traffic_profile_sharing"].data_form == "aggregate"
    assert "groups of at least 10" in notice_text(policy, "sharing")
    ungrouped = POLICY.read_text(encoding="utf-8").replace("    min_group_size: 10", "", 1)
    assert any(problem.startswith("recipients.internet_advertising_companies.min_group_size: aggregate data names")
               for problem in problems_of(ungrouped))


def test_stored_email_is_content_kept_only_for_its_delivery() -> None:
    """P14: "we may store customers' electronic mail and other communications as" a necessary incident to their
    transmission and delivery."""
    policy = _policy()
    assert policy.purposes_of_class["content.email"] == frozenset({"message_delivery"})
    assert policy.process_needed("law_enforcement", "content.email") == "search_warrant"
    assert policy.process_needed("civil", "content.email") == NEVER


def test_account_information_goes_out_without_process_only_to_protect_rights_or_property() -> None:
    """P23: "identify, make contact with, or bring legal action against someone" who may be causing harm or
    interfering with the rights or property of Quality Communications, its customers, or others."""
    policy = _policy()
    rule, = policy.document.legal.voluntary_disclosures.values()
    assert (rule.basis, rule.requires_review) == ("protect_rights_or_property", True)
    assert policy.voluntary_rule("subscriber.basic", "protect_rights_or_property", "private_parties")
    assert all(policy.voluntary_rule(name, "protect_rights_or_property", "law_enforcement") is None
               for name in CONTENT)
