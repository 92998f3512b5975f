"""The fixed words a policy file speaks in (DESIGN.md "Policy as code" and "Legal process").

Record classes are Custodian's vocabulary for subscriber data; data categories and data uses come
from the fides taxonomy (fideslang), so the policy can be exported to other privacy tools.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

RECORD_CLASSES = frozenset({
    "subscriber.basic", "subscriber.credentials", "billing.transactions", "billing.payment_instrument",
    "numbers.assignments", "support.comment_log", "cpni.call_log", "cpni.fax_log", "cpni.sms_log",
    "content.voice_message", "content.call_recording", "content.fax_incoming", "content.fax_outgoing",
    "content.fax_sent", "content.sms_body", "content.chat", "network.session_log", "location.e911_address",
    "web.visit_log", "web.cookie", "marketing.profile", "marketing.lead", "app.phone_contact", "app.avatar_hash",
    # Beyond DESIGN.md's list: ISPs store customers' e-mail (seeds 003, 004) and seed 001 collects
    # voice prints; neither fits an existing class, and a policy must be able to name what it holds.
    "content.email", "biometric.voice_print",
})
CONTENT_CLASSES = frozenset(name for name in RECORD_CLASSES if name.startswith("content."))
# Call, fax and SMS logs are billing records (call detail): SpectrumVoIP keeps "Call/Fax Log Records" for
# every account, and its HIPAA table's "SMS Messages — Not Available" speaks of messages, not of their logs.
# A service that is "not available" has no content to keep; its billing records follow the log rule.
BILLING_LOG_CLASSES = frozenset({"cpni.call_log", "cpni.fax_log", "cpni.sms_log"})
# Classes a closure purge can keep de-identified ("deletes or de-identifies all data from a customer's account
# within 30-45 days of account closure", seed 002): what stays (amount, currency, date, method, state)
# identifies no one once the account's reference, instruments and keys are gone.
DEIDENTIFIABLE_CLASSES = frozenset({"billing.transactions"})

# A purpose's choice, weakest first: "none" means essential (cannot be opted out of).
CHOICES = ("none", "opt_out", "opt_in")
PROFILES = ("standard", "hipaa")
DATA_SET_ROLES = ("controller", "processor")
RECIPIENT_KINDS = ("processor", "partner", "advertiser", "auditor", "affiliate")
MASKS = ("last_four", "masked_counterpart", "counts_only")
# How identifiable the data a purpose uses or a recipient receives is, most protective first.
DATA_FORMS = ("aggregate", "de_identified", "identifiable")
CPNI_CHANNELS = ("inbound_call", "chat", "email", "in_person")
CPNI_ALTERNATIVES = ("send_to_address_of_record", "call_number_of_record", "in_person_with_photo_id")

REQUESTER_TYPES = ("law_enforcement", "civil", "customer", "foreign_government")
SERVICE_CHANNELS = ("email", "personal", "mail", "fax")
# Legal instruments, weakest first for government requesters (18 U.S.C. 2703). A civil investigative
# demand reaches what a subpoena reaches; emergency forms and MLAT requests are their own paths.
INSTRUMENTS = ("subpoena", "civil_investigative_demand", "court_order_2703d", "court_order", "search_warrant")
# Further process the desk receives (legal/reach.py says what each reaches): grand jury and administrative
# subpoenas rank as a subpoena (2703(c)(2)); a national security letter (18 U.S.C. 2709) and a FISA business
# records order (50 U.S.C. 1861) are national security process; pen register (18 U.S.C. 3123) and wiretap
# (18 U.S.C. 2518) orders are prospective and reach no stored record.
MORE_INSTRUMENTS = ("grand_jury_subpoena", "administrative_subpoena", "national_security_letter",
                    "pen_register_order", "wiretap_order", "fisa_order")
OTHER_INSTRUMENTS = ("emergency_form", "mlat", "none")
# Fields of a legal request document (issue "legal data request desk") a policy may require.
REQUEST_FIELDS = frozenset({
    "agency", "agent_name", "badge_number", "email", "phone", "phone_extension", "mailing_address",
    "party_name", "counsel_name", "counsel_bar_number", "counsel_bar_state", "local_counsel_name",
    "local_counsel_texas_bar_number", "requested_response_on",
})


FIDES_KEYS_FILE = Path(__file__).with_name("fides_keys.json")


@lru_cache(maxsize=1)
def _fides_keys() -> dict[str, list[str]]:
    # The default taxonomy's keys, read from a snapshot: building fideslang's models costs a tenth of a
    # second at every start. tests/policy/test_vocabulary.py keeps the snapshot equal to the pinned fideslang.
    keys: dict[str, list[str]] = json.loads(FIDES_KEYS_FILE.read_text(encoding="utf-8"))
    return keys


def fides_data_categories() -> frozenset[str]:
    """Every data category key of the fides default taxonomy."""
    return frozenset(_fides_keys()["data_category"])


def fides_data_uses() -> frozenset[str]:
    """Every data use key of the fides default taxonomy."""
    return frozenset(_fides_keys()["data_use"])

# How the published notice names each record class.
CLASS_LABELS = {
    "subscriber.basic": "Name, addresses and contact details",
    "subscriber.credentials": "Passwords, PINs and security questions (stored hashed)",
    "billing.transactions": "Billing and payment history",
    "billing.payment_instrument": "Payment card brand and last four digits",
    "numbers.assignments": "Telephone numbers assigned to you",
    "support.comment_log": "Notes from your contacts with our support staff",
    "cpni.call_log": "Call records: numbers called and calling, dates, times, durations",
    "cpni.fax_log": "Fax records",
    "cpni.sms_log": "Text message records (who, when; not the text)",
    "content.voice_message": "Voice messages",
    "content.call_recording": "Call recordings",
    "content.fax_incoming": "Faxes you receive",
    "content.fax_outgoing": "Faxes waiting to be sent",
    "content.fax_sent": "Faxes you sent",
    "content.sms_body": "Text message contents",
    "content.chat": "Chat messages",
    "network.session_log": "Network session records (connection times, IP addresses)",
    "location.e911_address": "Your registered 911 address",
    "web.visit_log": "Records of visits to our websites",
    "web.cookie": "Cookies and similar identifiers",
    "marketing.profile": "Marketing preferences and profile",
    "marketing.lead": "Sales enquiries",
    "app.phone_contact": "Phone contacts you share with our app",
    "app.avatar_hash": "Contact photos shown in our app",
    "content.email": "E-mail stored in your mailbox",
    "biometric.voice_print": "Voice prints",
}

# How staff pages name each record class (the notice above speaks to the customer; these name the records).
CLASS_NAMES = {
    "subscriber.basic": "Subscriber details",
    "subscriber.credentials": "Passwords and security questions",
    "billing.transactions": "Billing transactions",
    "billing.payment_instrument": "Payment cards",
    "numbers.assignments": "Telephone numbers",
    "support.comment_log": "Support comment log",
    "cpni.call_log": "Call detail records",
    "cpni.fax_log": "Fax detail records",
    "cpni.sms_log": "Text message detail records",
    "content.voice_message": "Voice messages",
    "content.call_recording": "Call recordings",
    "content.fax_incoming": "Incoming faxes",
    "content.fax_outgoing": "Outgoing faxes (queued)",
    "content.fax_sent": "Sent faxes",
    "content.sms_body": "Text message contents",
    "content.chat": "Chat transcripts",
    "network.session_log": "Network sessions",
    "location.e911_address": "E911 locations",
    "web.visit_log": "Website visits",
    "web.cookie": "Cookies",
    "marketing.profile": "Marketing profile",
    "marketing.lead": "Sales leads",
    "app.phone_contact": "App phone contacts",
    "app.avatar_hash": "App contact photos",
    "content.email": "Mailbox e-mail",
    "biometric.voice_print": "Voice prints",
}


def class_name(record_class: str) -> str:
    """A record class as staff read it: 'cpni.call_log' -> 'Call detail records'."""
    return CLASS_NAMES.get(record_class, record_class)
