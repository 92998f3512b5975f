"""SpectrumVoIP's policy file keeps the promises its ledger marks enforced, read through the compiled policy.

Each test quotes, in its docstring, the seed-document promise it proves
(examples/policies/002-spectrumvoip.yaml; inventory docs/seed-promises/002_9098c538d5e390c3.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from custodian.policy.check import check_file
from custodian.policy.compiled import CompiledPolicy, compile_policy
from custodian.policy.document import KeepFor, RetentionRule
from tests.builders.policy import notice_text, problems_of

POLICY = Path(__file__).resolve().parents[2] / "examples" / "policies" / "002-spectrumvoip.yaml"
CONTENT = ("content.voice_message", "content.call_recording", "content.fax_incoming", "content.fax_outgoing",
           "content.fax_sent", "content.sms_body", "content.chat")
CIVIL_CLASSES = ("subscriber.basic", "billing.transactions", "numbers.assignments", "support.comment_log")


@pytest.fixture(scope="module")
def policy() -> CompiledPolicy:
    result = check_file(POLICY)
    assert result.valid and result.document is not None, [p.render(str(POLICY)) for p in result.problems]
    return compile_policy(result.document, POLICY.read_text(encoding="utf-8"))


def _only_rule(policy: CompiledPolicy, record_class: str, profile: str) -> RetentionRule:
    rules = policy.retention[(record_class, profile)]
    assert len(rules) == 1, rules
    return rules[0]


def _limit(policy: CompiledPolicy, record_class: str, profile: str) -> KeepFor:
    keep = _only_rule(policy, record_class, profile).keep
    assert isinstance(keep, KeepFor), keep
    return keep


# --- Choices and recipients -------------------------------------------------------------------------------


def test_phone_contacts_and_gravatar_are_used_only_after_the_user_opts_in(policy: CompiledPolicy) -> None:
    """'only when enabled via system permission ... SpectrumVoIP shows personal contacts' and Gravatar is used
    'only when enabled via Settings and UIConfigs'."""
    assert policy.purposes_of_class["app.phone_contact"] - {"legal_obligation"} == {"app_contacts"}
    assert policy.purposes_of_class["app.avatar_hash"] - {"legal_obligation"} == {"gravatar_avatars"}
    assert policy.choice_of_purpose["app_contacts"] == "opt_in"
    assert policy.choice_of_purpose["gravatar_avatars"] == "opt_in"


def test_phone_contact_numbers_go_to_no_advertiser_or_third_party(policy: CompiledPolicy) -> None:
    """'SpectrumVoIP does not share this data with any advertisers or third parties under any circumstances.'"""
    assert "app.phone_contact" not in policy.recipients_of_class
    assert policy.process_needed("civil", "app.phone_contact") == "never"


def test_gravatar_receives_only_the_md5_hash_never_the_email_address(policy: CompiledPolicy) -> None:
    """'we only send the MD5 hash to Gravatar, never the email address in plain text.'"""
    assert policy.recipients_of_class["app.avatar_hash"] == frozenset({"gravatar"})
    gravatar = policy.document.recipients["gravatar"]
    assert gravatar.classes == ["app.avatar_hash"]
    assert "gravatar" not in policy.recipients_of_class["subscriber.basic"]


def test_card_information_is_used_only_to_bill_and_goes_only_to_the_payment_processor(
        policy: CompiledPolicy) -> None:
    """'SpectrumVoIP only collects credit card information to bill for purchased or subscribed to Products and
    Services.' Processing agents are used 'solely for the purpose of processing payments'."""
    assert policy.purposes_of_class["billing.payment_instrument"] - {"legal_obligation"} == {"billing"}
    assert policy.recipients_of_class["billing.payment_instrument"] == frozenset({"payment_processor"})
    assert policy.document.recipients["payment_processor"].purposes == ["billing"]
    assert policy.document.recipients["payment_processor"].kind == "processor"


def test_website_cookies_follow_their_categories_analytics_registration_and_advertising(
        policy: CompiledPolicy) -> None:
    """'software provided by another organization (such as Google Analytics) generates an ‘anonymous analytics
    cookie’'; registration cookies 'determine which account you are signed in with'; advertising cookies 'help
    us direct targeted advertising'."""
    assert policy.document.recipients["google_analytics"].purposes == ["site_analytics"]
    assert policy.choice_of_purpose["site_analytics"] == "opt_out"
    assert policy.choice_of_purpose["authentication"] == "none"
    assert "web.cookie" in policy.document.purposes["authentication"].classes
    assert policy.choice_of_purpose["targeted_advertising"] == "opt_out"
    assert policy.recipients_of_class["marketing.profile"] == frozenset({"advertising_networks"})


def test_marketing_email_is_opt_out_and_service_notices_cannot_be_opted_out_of(policy: CompiledPolicy) -> None:
    """'You may request to no longer receive SpectrumVoIP marketing communications by following the
    “unsubscribe” instructions'; 'You hereby authorize us to communicate with you through electronic means'."""
    assert policy.choice_of_purpose["marketing"] == "opt_out"
    assert policy.choice_of_purpose["service_notices"] == "none"
    assert "marketing" in policy.purposes_of_class["marketing.lead"]


def test_e911_locations_go_only_to_911_routing_and_cannot_be_opted_out_of(policy: CompiledPolicy) -> None:
    """'We rely on third parties to assist us in routing 911 Dialing calls to local emergency response centers
    and to a national emergency calling center.'"""
    assert policy.recipients_of_class["location.e911_address"] == frozenset({"e911_routing"})
    assert policy.document.recipients["e911_routing"].purposes == ["emergency_routing"]
    assert policy.choice_of_purpose["emergency_routing"] == "none"


def test_vendors_named_in_the_terms_receive_only_what_their_function_needs(policy: CompiledPolicy) -> None:
    """'SpectrumVoIP outsources the transcription service to a third party company'; 'SpectrumVoIP reserves the
    right to perform a credit check'; numbers are disclosed to 'notify your local telephone company' on a port."""
    recipients = policy.document.recipients
    assert recipients["transcription_vendor"].classes == ["content.voice_message"]
    assert policy.choice_of_purpose["voicemail_transcription"] == "opt_in"
    assert recipients["credit_bureau"].classes == ["subscriber.basic"]
    assert recipients["credit_bureau"].purposes == ["credit_check"]
    assert set(recipients["porting_carriers"].classes) == {"numbers.assignments", "subscriber.basic"}
    assert recipients["porting_carriers"].purposes == ["number_porting"]
    # No vendor receives any content except the transcription vendor's voice messages.
    for record_class in CONTENT:
        expected = {"transcription_vendor"} if record_class == "content.voice_message" else set()
        assert policy.recipients_of_class.get(record_class, frozenset()) == expected, record_class


# --- Retention -----------------------------------------------------------------------------------------------


def test_account_records_and_call_and_fax_logs_are_kept_while_needed_for_every_account(
        policy: CompiledPolicy) -> None:
    """'Basic Subscriber InformationFor as long as needed to provide services to the customer and as necessary
    to comply with our legal obligations, resolve disputes, and enforce our agreements.' (shared by Billing
    History, Additional Numbers, Comment Log and Call/Fax Log Records)."""
    for record_class in ("subscriber.basic", "billing.transactions", "numbers.assignments", "support.comment_log",
                         "cpni.call_log", "cpni.fax_log"):
        for profile in ("standard", "hipaa"):
            assert _only_rule(policy, record_class, profile).keep == "while_needed", (record_class, profile)


def test_standard_accounts_keep_200_incoming_faxes_and_voice_messages_in_total(policy: CompiledPolicy) -> None:
    """'Incoming Faxes and Voice Messages200 Total, then begin deleting oldest Message'."""
    fax = _only_rule(policy, "content.fax_incoming", "standard")
    voice = _only_rule(policy, "content.voice_message", "standard")
    assert fax is voice, "one pool across both classes, not 200 of each"
    assert set(fax.classes) == {"content.fax_incoming", "content.voice_message"}
    assert fax.keep == KeepFor(newest=200)


def test_standard_accounts_keep_the_newest_5000_sms_messages(policy: CompiledPolicy) -> None:
    """'SMS Messages5,000 Messages, then begin deleting oldest SMS Message'."""
    assert _limit(policy, "content.sms_body", "standard") == KeepFor(newest=5000)


def test_standard_accounts_keep_faxes_30_days_and_recordings_90_days(policy: CompiledPolicy) -> None:
    """'Outgoing Faxes30 Days', 'Sent Faxes30 Days', 'Call Recordings90 Days'."""
    assert _limit(policy, "content.fax_outgoing", "standard").days == 30
    assert _limit(policy, "content.fax_sent", "standard").days == 30
    assert _limit(policy, "content.call_recording", "standard").days == 90


def test_standard_glip_retention_is_set_by_the_customer_from_24_hours_up(policy: CompiledPolicy) -> None:
    """'Glip DataSet by individual customers at any interval between twenty-four (24) hours and up.'"""
    assert _limit(policy, "content.chat", "standard") == KeepFor(customer_set_min_hours=24)


def test_hipaa_accounts_keep_every_content_type_30_days(policy: CompiledPolicy) -> None:
    """'Incoming Faxes and Voice Messages30 Days', 'Outgoing Faxes30 Days', 'Sent Faxes30 Days',
    'Call Recordings30 Days', 'Glip Data30 Days' (HIPAA accounts)."""
    for record_class in CONTENT:
        if record_class != "content.sms_body":
            assert _limit(policy, record_class, "hipaa") == KeepFor(days=30), record_class


def test_hipaa_accounts_have_no_sms(policy: CompiledPolicy) -> None:
    """'SMS MessagesNot Available' (HIPAA accounts) is about the messages; SMS logs are billing records kept as
    'Call/Fax Log Records' are, on every account."""
    assert _only_rule(policy, "content.sms_body", "hipaa").keep == "not_available"
    for profile in ("standard", "hipaa"):
        assert _only_rule(policy, "cpni.sms_log", profile).keep == _only_rule(policy, "cpni.call_log", profile).keep


def test_records_without_a_schedule_are_kept_only_while_needed(policy: CompiledPolicy) -> None:
    """'Personal information collected by SpectrumVoIP will be retained for as long as necessary and legally
    permitted for the purposes for which it was collected'."""
    for record_class in policy.collected:
        for profile in ("standard", "hipaa"):
            assert policy.retention.get((record_class, profile)), f"{record_class} has no rule for {profile}"
    for record_class in ("subscriber.credentials", "network.session_log", "web.visit_log", "marketing.lead",
                         "app.phone_contact"):
        assert _only_rule(policy, record_class, "standard").keep == "while_needed"


def test_a_closed_account_is_purged_from_day_30_and_by_day_45(policy: CompiledPolicy) -> None:
    """'SpectrumVoIP normally deletes or de-identifies all data from a customer’s account within 30-45 days of
    account closure.'"""
    closure = policy.document.retention.on_closure
    assert closure is not None
    assert (closure.purge_after_days, closure.deadline_days) == (30, 45)


# --- Legal requests --------------------------------------------------------------------------------------------


def test_civil_requesters_get_subscriber_billing_numbers_and_comment_logs_only(policy: CompiledPolicy) -> None:
    """'SpectrumVoIP typically may provide Basic Subscriber Information, Billing History Information, Additional
    Number or Extensions and Comment Log Data (not Call/Fax Logs, SMS Message Records, or Media)'."""
    for record_class in CIVIL_CLASSES:
        assert policy.process_needed("civil", record_class) == "subpoena", record_class
    for record_class in policy.collected - set(CIVIL_CLASSES) - {"billing.payment_instrument"}:
        assert policy.process_needed("civil", record_class) == "never", record_class
    for record_class in ("cpni.call_log", "cpni.fax_log", "cpni.sms_log", *CONTENT):
        assert policy.process_needed("civil", record_class) == "never", record_class


def test_government_requesters_reach_every_listed_class_with_the_process_the_law_requires(
        policy: CompiledPolicy) -> None:
    """Government requesters may receive 'Basic Subscriber Information, Billing History Information, Additional
    Number or Extensions, Call Log Data, Fax Log Data, SMS Log Data, Comment Log Data, and Content of
    Communications' when 'supported by sufficient legal process'."""
    assert policy.process_needed("law_enforcement", "subscriber.basic") == "subpoena"
    assert policy.process_needed("law_enforcement", "numbers.assignments") == "subpoena"
    for record_class in ("cpni.call_log", "cpni.fax_log", "cpni.sms_log"):  # 2703(c)(2) connection records
        assert policy.process_needed("law_enforcement", record_class) == "subpoena", record_class
    assert policy.process_needed("law_enforcement", "support.comment_log") == "court_order_2703d"
    for record_class in CONTENT:
        assert policy.process_needed("law_enforcement", record_class) == "search_warrant", record_class


def test_foreign_requests_need_an_mlat(policy: CompiledPolicy) -> None:
    """'a Mutual Legal Assistance Treaty (MLAT) Request or letter interrogatory is typically required for
    disclosure of Data in connection with a non-United States Data Request.'"""
    for record_class in ("subscriber.basic", "cpni.call_log", "content.sms_body"):
        assert policy.process_needed("foreign_government", record_class) == "mlat"


def test_a_request_names_a_date_range_of_at_most_two_months_and_every_requester_field(
        policy: CompiledPolicy) -> None:
    """'A specific date or a narrowly tailored date range (generally up to 2 months).' Law enforcement gives
    agency, agent, badge, employer-issued e-mail, phone with extension, mailing address (no P.O. boxes) and a
    response date at least 2 weeks out; civil parties give party, counsel and Texas local counsel with bar
    numbers, phone, e-mail, mailing address and a response date at least 4 weeks out."""
    legal = policy.document.legal
    assert legal.max_date_range_months == 2
    assert legal.po_box_accepted is False
    law_enforcement, civil = legal.requesters["law_enforcement"], legal.requesters["civil"]
    assert set(law_enforcement.required_fields) == {
        "agency", "agent_name", "badge_number", "email", "phone", "phone_extension", "mailing_address",
        "requested_response_on"}
    assert (law_enforcement.min_response_days, law_enforcement.government_email_only) == (14, True)
    assert set(civil.required_fields) == {
        "party_name", "counsel_name", "counsel_bar_number", "counsel_bar_state", "local_counsel_name",
        "local_counsel_texas_bar_number", "phone", "email", "mailing_address", "requested_response_on"}
    assert (civil.min_response_days, civil.government_email_only) == (28, False)
    assert "fax" not in legal.service_channels


def test_preservation_holds_a_snapshot_for_ninety_days(policy: CompiledPolicy) -> None:
    """'SpectrumVoIP will generally agree to preserve a one-time snapshot of the then-existing account data that
    the Preservation Request specifies for ninety (90) days'."""
    preservation = policy.document.legal.preservation
    assert preservation.days == 90
    assert (preservation.renewals, preservation.renewal_days) == (1, 90)  # 18 U.S.C. 2703(f), not the DRG


def test_emergency_requests_need_a_basis_and_imminent_harm(policy: CompiledPolicy) -> None:
    """'Emergency Requests (if made without a Court Order) are only appropriate in cases involving the risk of
    serious bodily harm or death'."""
    emergency = policy.document.legal.emergency
    assert emergency.accepted and emergency.requires_basis and emergency.requires_imminent_harm_attestation


def test_customers_are_notified_unless_a_nondisclosure_order_forbids_it_then_after_it_expires(
        policy: CompiledPolicy) -> None:
    """'SpectrumVoIP’s notifies its customers of Data Requests unless precluded from doing so by law or court
    order.' and 'will notify the affected customer(s) as soon as the order is overturned or expires.'"""
    notification = policy.document.legal.notification
    assert notification.notify_customer
    assert notification.unless_nondisclosure_order
    assert notification.after_order_expires


def test_every_fee_line_of_the_schedule_is_encoded_in_cents(policy: CompiledPolicy) -> None:
    """'SpectrumVoIP requires payment of the following fees, to the extent allowable by law, for all Data
    Requests, regardless of format or requesting party.'"""
    fees = [(fee.code, fee.basis, fee.amount_cents) for fee in policy.document.legal.fees]
    assert fees == [
        ("basic_records", "per_account", 5000),             # subscriber, billing, numbers, comment logs
        ("preservation", "per_account", 10000),             # preservation and/or expedited handling
        ("expedite", "per_account", 10000),
        ("call_fax_logs", "per_account_month", 4000),       # call/fax log records
        ("sms_logs", "per_account_month", 4000),            # SMS log records
        ("content", "per_content_type_month", 8000),        # content of communications
        ("chat_data", "hourly", 25000),                     # Glip data
        ("pages", "per_page", 25),                          # photocopies beyond ten pages
        ("notary_travel", "per_document", 6000),            # affidavit: travel
        ("notary_signature", "per_signature", 1000),        # affidavit: signature
        ("paralegal_time", "hourly", 19000),
        ("engineer_time", "hourly", 25000),
        ("attorney_time", "hourly", 45000),
        ("pen_register", "actual_cost", None),              # SpectrumVoIP's actual cost
        ("wiretap", "actual_cost", None),
        ("returned_check", "per_returned_check", 4500),
    ]


OPT_IN_RECORDING = "    choice: opt_in\n    classes: [content.call_recording]"
PROCESSOR_ONLY = frozenset({"content.voice_message", "content.call_recording", "content.fax_incoming",
                            "content.fax_outgoing", "content.fax_sent", "content.sms_body", "content.chat",
                            "app.phone_contact", "app.avatar_hash"})


def test_client_end_user_data_is_processed_only_for_the_purposes_the_client_authorises(
        policy: CompiledPolicy) -> None:
    """P02: "... and process the information only as authorized by the data controller or the data subject."
    P03: "... relies on the guidance and direction of the Client (as the data controller), who determines the
    purposes of processing such personal information."
    P05: "SpectrumVoIP only processes such personal information to provide and invoice for purchased and/or
    subscribed Products and Services."
    P07, P23: "SpectrumVoIP acts as a data processor with regard to indirect end-user personal information and our
    Clients act as the data controller of such data." """
    own, client, _cpni = policy.document.data_sets
    assert (own.role, client.role) == ("controller", "processor")
    for name in PROCESSOR_ONLY:
        assert policy.purposes_of_class[name] <= set(client.purposes), name
    assert "product_analytics" not in client.purposes and "marketing" not in client.purposes
    analytics_on_content = POLICY.read_text(encoding="utf-8").replace(
        "    classes: [network.session_log, cpni.call_log]\n    description: Data analytics",
        "    classes: [network.session_log, cpni.call_log, content.sms_body]\n    description: Data analytics", 1)
    assert any("content.sms_body is held only as processor, and no controller authorised 'product_analytics'"
               in problem for problem in problems_of(analytics_on_content))


def test_own_business_data_is_held_as_controller_under_this_policy(policy: CompiledPolicy) -> None:
    """P04: "In some cases, SpectrumVoIP may collect and process personal information for our own business
    purposes and shall comply with the applicable privacy laws concerning SpectrumVoIP processing." """
    own = policy.document.data_sets[0]
    assert own.role == "controller" and not own.purposes
    assert {"subscriber.basic", "marketing.lead", "web.visit_log"} <= set(own.classes)


def test_a_phone_contact_is_kept_with_its_metadata_only(policy: CompiledPolicy) -> None:
    """P09: "SpectrumVoIP does not store this number with any other PII, ... SpectrumVoIP stores only the phone
    number and pertinent metadata to be compliant with all applicable state and federal laws" """
    contact = policy.document.record_classes["app.phone_contact"]
    assert contact.fields == ["phone number", "call or message metadata required by state and federal law"]
    assert "Holds only: phone number" in notice_text(policy, "collection")
    assert policy.purposes_of_class["app.phone_contact"] == frozenset({"app_contacts", "legal_obligation"})


def test_the_notice_lists_what_is_collected_and_why(policy: CompiledPolicy) -> None:
    """P16: "Such information may include but is not limited to account information, first/last name, company
    name, title, and responsibilities, work email address, work mailing address, telephone numbers, login
    information, device identifiers, ..."
    P17, P24, P60: the purposes of providing Products and Services, support, data analytics, fraud prevention,
    notices and marketing.
    P27, P28, P30: cookies, information provided directly and about use of the Products and Services, IP addresses
    and log files, web beacons.
    P70: "We may also provide your information to third-party companies to perform services on our behalf" """
    collection, use, sharing = (notice_text(policy, s) for s in ("collection", "use", "sharing"))
    for name in ("subscriber.basic", "subscriber.credentials", "network.session_log", "web.cookie", "web.visit_log",
                 "marketing.lead"):
        assert policy.document.record_classes[name].description.rstrip() in collection
    for name in ("provide_service", "support", "product_analytics", "fraud_prevention", "service_notices",
                 "marketing", "service_assurance", "site_analytics"):
        assert policy.document.purposes[name].description in use
    assert all(recipient.name in sharing for recipient in policy.document.recipients.values())


def test_analytics_use_only_de_identified_data(policy: CompiledPolicy) -> None:
    """P26: "SpectrumVoIP may use anonymized, non-identifying data collected from use of our Stratus and Enswitch
    Portal and other SpectrumVoIP Products and Services." """
    purposes = policy.document.purposes
    assert purposes["product_analytics"].data_form == purposes["site_analytics"].data_form == "de_identified"
    assert policy.document.recipients["google_analytics"].data_form == "de_identified"
    assert "(de-identified data only)" in notice_text(policy, "use")


def test_personal_information_leaves_the_eea_uk_and_switzerland_only_under_a_stated_mechanism(
        policy: CompiledPolicy) -> None:
    """P46: "... we may transfer and access such personal information from around the world ..."
    P47: "Whenever SpectrumVoIP shares personal information originating in the European Economic Area (the “EEA”)
    with an entity outside the EEA, SpectrumVoIP will rely on lawful measures such as the Privacy Shield Framework"
    P48, P77: "... we transfer the data, including personal information, to the United States and process it there."
    P58, P76: "No transfer of your personal information will take place to an organization or a country unless
    there are adequate controls in place ..." """
    transfer, = policy.document.provider.international_transfers
    assert (transfer.origins, transfer.destination, transfer.mechanism) == (["EEA", "GB", "CH"], "US",
                                                                              "privacy_shield")
    assert "transferred to US under the Privacy Shield Framework" in notice_text(policy, "transfers")
    abroad = POLICY.read_text(encoding="utf-8").replace(
        "    name: Voicemail transcription provider\n",
        "    name: Voicemail transcription provider\n    country: IN\n", 1)
    assert "recipients.transcription_vendor.transfer_mechanism: a recipient in IN needs a transfer mechanism" in \
        problems_of(abroad)


def test_sensitive_content_needs_opt_in_for_any_use_beyond_the_service_or_any_third_party(
        policy: CompiledPolicy) -> None:
    """P51: "... individuals will be offered a similar choice mechanism to give affirmative or explicit (opt-in)
    choices on whether their sensitive personal information is to be disclosed to a third party or used for a
    purpose other than the purposes for which it was originally collected ..."
    P61: "... affirmative express consent from individuals is required and must be obtained if such information is
    to be (i) disclosed to a third party or (ii) processed for a purpose other than those for which it was
    originally collected ..." """
    assert {"content.voice_message", "content.call_recording", "content.sms_body"} <= policy.sensitive
    for name in policy.sensitive:
        for purpose in policy.purposes_of_class[name]:
            assert policy.choice_of_purpose[purpose] in ("none", "opt_in"), (name, purpose)
    opt_out = POLICY.read_text(encoding="utf-8").replace(
        OPT_IN_RECORDING, OPT_IN_RECORDING.replace("opt_in", "opt_out"), 1)
    assert "purposes.call_recording.choice: uses sensitive content.call_recording: needs opt_in " \
           "(or a sensitive_exception)" in problems_of(opt_out)


def test_the_sensitive_data_opt_in_yields_only_to_the_listed_exceptions(policy: CompiledPolicy) -> None:
    """P52: "However, the explicit (opt-in) choice is not required when the disclosure of sensitive personal
    information is (1) in the vital interests of the individual or another person; (2) necessary for the
    establishment of legal claims or defenses; (3) required to provide medical care or diagnosis; (4) necessary to
    carry out the organization’s obligations in the field of employment law, or (5) related to personal
    information that is manifestly made public by the individual." """
    text = POLICY.read_text(encoding="utf-8").replace(
        OPT_IN_RECORDING, OPT_IN_RECORDING.replace("opt_in", "opt_out"), 1)
    excepted = text.replace("    description: Record calls, only where the account or extension elected to record.",
                            "    description: Record calls, only where the account or extension elected to record.\n"
                            "    sensitive_exception: vital_interests", 1)
    assert not any("needs opt_in" in problem for problem in problems_of(excepted))
    invented = excepted.replace("sensitive_exception: vital_interests", "sensitive_exception: convenience", 1)
    assert any(problem.startswith("purposes.call_recording.sensitive_exception") for problem in problems_of(invented))


@pytest.mark.parametrize(("kind", "terms"), [
    ("processor", {"acts_only_on_instructions", "security_measures", "assists_with_rights_requests"}),
    ("partner", {"purpose_limitation", "same_protection_level", "notifies_if_unable_to_protect",
                 "ceases_processing_on_notice"}),
    ("advertiser", {"purpose_limitation", "same_protection_level", "notifies_if_unable_to_protect",
                    "ceases_processing_on_notice"})])
def test_every_recipient_signs_the_terms_its_kind_requires(policy: CompiledPolicy, kind: str, terms: set[str]) -> None:
    """P53: "enter into a contract with the processor to ensure that the processor (1) acts only on instructions of
    SpectrumVoIP; (2) provides appropriate technical and organizational measures ...; and (3) assists SpectrumVoIP
    in responding to individuals exercising their rights ..."
    P54: "... enter into a contract with the third-party controller that provides that (1) such personal
    information may be processed only for limited and specified purposes ...; (2) ... the same level of protection
    ...; (3) ... notify ...; and (4) ... cease processing ..."
    P57, P59: "... limit processing of personal information ..."; "data processing and further transfer are limited
    and to specified purposes;" """
    assert set(policy.document.contract_requirements[kind]) == terms
    recipients = [r for r in policy.document.recipients.values() if r.kind == kind]
    assert recipients and all(terms <= set(r.contract.terms) for r in recipients)


def test_privacy_questions_and_requests_reach_the_privacy_department(policy: CompiledPolicy) -> None:
    """P55: "Inquiries or complaints regarding transfers of personal data ... should be directed to:"
    P82: "Individuals who wish to access or update their personal information not accessible via a portal should
    direct such communications to SpectrumVoIP Privacy department at:"
    P89: "If you are a California resident and would like to make such a request, email or contact us at:
    privacy@spectrumvoip.com"
    P91: "... please send an email to privacy@spectrumvoip.com or write to SpectrumVoIP at the following address:" """
    contact = notice_text(policy, "contact")
    assert "Privacy · SpectrumVoIP Privacy department · privacy@spectrumvoip.com" in contact
    assert "P.O. Box 250588, Plano, TX 75025" in contact
