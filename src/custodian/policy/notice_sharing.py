"""Notice wording for the sharing terms: data forms, contracts, transfers, voluntary disclosure, security.

Each sentence is derived from a rule in the policy file (document_sharing.py), so the notice says
exactly what the checked rules allow and nothing more.
"""

from __future__ import annotations

from custodian.policy.document import PolicyDocument, Recipient, RecordClassUse
from custodian.policy.vocabulary import CLASS_LABELS

FORM_TEXT = {"identifiable": "", "de_identified": " (de-identified data only)",
             "aggregate": " (aggregate data only)"}
TERM_TEXT = {
    "confidentiality": "keep it confidential",
    "acts_only_on_instructions": "act only on our instructions",
    "security_measures": "protect it with appropriate technical and organisational measures",
    "purpose_limitation": "use it only for the limited, specified purposes",
    "no_own_marketing": "never use it for their own marketing",
    "same_protection_level": "protect it as well as this notice promises",
    "notifies_if_unable_to_protect": "tell us if they can no longer protect it",
    "ceases_processing_on_notice": "stop processing it once they have told us so",
    "assists_with_rights_requests": "help us answer your requests about it",
    "deletes_or_returns_at_end": "delete or return it when their service ends",
    "pci_dss": "handle card data under the PCI Data Security Standard",
}
KIND_TEXT = {"processor": "Service providers", "partner": "Partners", "advertiser": "Advertisers",
             "auditor": "Auditors", "affiliate": "Affiliates"}
MECHANISM_TEXT = {
    "adequacy_decision": "an adequacy decision", "standard_contractual_clauses": "standard contractual clauses",
    "binding_corporate_rules": "binding corporate rules", "data_privacy_framework": "the Data Privacy Framework",
    "privacy_shield": "the Privacy Shield Framework", "consent": "your consent",
}
BASIS_TEXT = {
    "provide_service": "when it is necessary to provide the service to you",
    "protect_rights_or_property": "to protect our rights or property",
    "fraud_prevention": "to protect against fraudulent, abusive or unlawful use of our services",
    "protect_safety": "in an emergency involving danger of death or serious physical injury",
    "inadvertent_crime_evidence": ("to law enforcement, when we came upon it by accident and it appears "
                                   "to pertain to the commission of a crime"),
    "customer_consent": "with your consent",
    "legal_claims": "to establish or defend legal claims",
}
AUDIENCE_TEXT = {"law_enforcement": "law enforcement", "government": "government agencies",
                 "private_parties": "private parties"}
NOTIFY_TEXT = {
    "before_transfer": "We will tell you before your information is transferred.",
    "after_transfer": "We will tell you after your information has been transferred.",
    "attempt_after_transfer": "We will try to tell you that your information has been transferred.",
    "never": "We will not tell you separately about such a transfer.",
}
CONTROL_TEXT = {
    "encryption_at_rest": "Personal information and stored files are encrypted at rest (AES-256-GCM).",
    "per_account_keys": "Each account's information is encrypted with a key of its own.",
    "crypto_shredding": "Deleting an account destroys its key, so no copy of its information can be read again.",
    "card_numbers_never_stored": "We never store full card numbers: only the card brand and last four digits.",
    "tamper_evident_audit": "Every access to and change of your information is recorded in a tamper-evident log.",
    "blind_index_lookup": "Look-ups by e-mail address or telephone number use keyed hashes, never plain values.",
}


def describe_class(use: RecordClassUse) -> str:
    """A record class's description, with its field limits, pass-through and sensitivity stated."""
    text = use.description.rstrip()
    if use.fields:
        text += f" Holds only: {', '.join(use.fields)}."
    if not use.stored:
        text += " Passed through to deliver the service, never stored."
    if use.sensitive:
        text += " Sensitive: used beyond providing the service, or shared with third parties, only with your consent."
    return text


def recipient_form_text(recipient: Recipient) -> str:
    """How identifiable the recipient's data is, and where it is processed."""
    text = FORM_TEXT[recipient.data_form]
    if recipient.min_group_size is not None:
        text = f" (aggregate data only, groups of at least {recipient.min_group_size})"
    if recipient.country is not None and recipient.transfer_mechanism is not None:
        text += f"; processed in {recipient.country} under {MECHANISM_TEXT[recipient.transfer_mechanism]}"
    return text


def contract_paragraphs(doc: PolicyDocument) -> tuple[str, ...]:
    """One sentence per recipient kind with required contract terms."""
    return tuple(f"{KIND_TEXT[kind]} must sign a contract to {_join([TERM_TEXT[t] for t in terms])}."
                 for kind, terms in doc.contract_requirements.items() if terms)


def business_transfer_paragraphs(doc: PolicyDocument) -> tuple[str, ...]:
    """What happens to customer information in a merger or sale of assets."""
    transfer = doc.business_transfer
    if transfer is None:
        return ()
    bound = " The successor is bound by this notice." if transfer.successor_bound_by_policy else ""
    return (f"{transfer.description.rstrip('.')}.{bound} {NOTIFY_TEXT[transfer.notify_customers]}",)


def transfer_paragraphs(doc: PolicyDocument) -> tuple[str, ...]:
    """International transfers and the mechanism each relies on."""
    lines = tuple(f"Personal information from {', '.join(t.origins)} is transferred to {t.destination} under "
                  f"{MECHANISM_TEXT[t.mechanism]}." + (f" {t.description}" if t.description else "")
                  for t in doc.provider.international_transfers)
    return lines or ("We do not transfer personal information to other countries.",)


def voluntary_paragraphs(doc: PolicyDocument) -> tuple[str, ...]:
    """The disclosures the law permits without legal process, and to whom."""
    rules = doc.legal.voluntary_disclosures.values()
    if not rules:
        return ("We disclose personal information to no one without valid legal process.",)
    return tuple(f"{BASIS_TEXT[r.basis][0].upper()}{BASIS_TEXT[r.basis][1:]}, we may disclose "
                 f"{_join([CLASS_LABELS.get(c, c).lower() for c in r.classes])} to "
                 f"{_join([AUDIENCE_TEXT[a] for a in r.audiences])}"
                 + (f" ({r.statute})" if r.statute else "")
                 + (", each time reviewed by our legal team." if r.requires_review else ".") for r in rules)


def security_paragraphs(doc: PolicyDocument) -> tuple[str, ...]:
    """One sentence per declared security control."""
    return tuple(CONTROL_TEXT[control] for control in doc.security.controls)


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
