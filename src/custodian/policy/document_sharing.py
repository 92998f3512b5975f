"""The policy file's sharing terms (schema version 1, continued from document.py).

Who may receive data beyond the named recipients, and on what terms: the voluntary-disclosure
bases of the Stored Communications Act (18 U.S.C. 2702(b), (c)), international transfers and their
legal mechanism, the contract terms each kind of recipient must sign, a business transfer to a
successor, and the security controls the provider declares. Structure only; the rules that tie
these to each other live in sharing_rules.py.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from custodian.policy.strict import NonEmpty, Strict, empty_list

Country = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
Region = Annotated[str, StringConstraints(pattern=r"^([A-Z]{2}|EEA)$")]
DataForm = Literal["aggregate", "de_identified", "identifiable"]
RecipientKind = Literal["processor", "partner", "advertiser", "auditor", "affiliate"]

TransferMechanism = Literal[
    "adequacy_decision", "standard_contractual_clauses", "binding_corporate_rules", "data_privacy_framework",
    "privacy_shield", "consent",
]
ContractTerm = Literal[
    "confidentiality",                # keeps the information confidential
    "acts_only_on_instructions",      # processes only on the provider's documented instructions
    "security_measures",              # appropriate technical and organisational protection
    "purpose_limitation",             # uses the data only for the limited, specified purposes
    "no_own_marketing",               # never for the recipient's own marketing
    "same_protection_level",          # gives the same level of protection as this policy
    "notifies_if_unable_to_protect",  # tells the provider when it can no longer protect the data
    "ceases_processing_on_notice",    # stops processing (or remediates) once it has so told
    "assists_with_rights_requests",   # helps answer the individual's requests
    "deletes_or_returns_at_end",      # deletes or returns the data when the service ends
    "pci_dss",                        # handles card data under PCI DSS
]
VoluntaryBasis = Literal[
    "provide_service",                # 2702(b)(5): necessarily incident to rendering the service
    "protect_rights_or_property",     # 2702(b)(5), (c)(3): protect the provider's rights or property
    "fraud_prevention",               # 2702(b)(5), (c)(3): protection against fraudulent or unlawful use
    "protect_safety",                 # 2702(b)(8), (c)(4): emergency involving danger of death or injury
    "inadvertent_crime_evidence",     # 2702(b)(7): content inadvertently obtained, pertaining to a crime
    "customer_consent",               # 2702(b)(3), (c)(2): with the customer's lawful consent
    "legal_claims",                   # establish or defend legal claims (non-content, private parties)
]
DisclosureAudience = Literal["law_enforcement", "government", "private_parties"]
SecurityControl = Literal[
    "encryption_at_rest",             # personal fields and blobs sealed with AES-256-GCM
    "per_account_keys",               # one data key per account, wrapped by the master key
    "crypto_shredding",               # destroying an account's key makes every copy unreadable
    "card_numbers_never_stored",      # processor token, brand and last four only
    "tamper_evident_audit",           # hash-chained audit trail, verifiable
    "blind_index_lookup",             # look-ups by keyed hash, never by plaintext
]


class InternationalTransfer(Strict):
    """Personal information leaving `origins` for `destination`, and the legal mechanism relied on."""

    origins: list[Region] = Field(min_length=1)
    destination: Country
    mechanism: TransferMechanism
    description: str = ""


class VoluntaryDisclosure(Strict):
    """A disclosure the law permits without legal process, limited to these classes and audiences."""

    basis: VoluntaryBasis
    statute: str = ""
    classes: list[str] = Field(min_length=1)
    audiences: list[DisclosureAudience] = Field(min_length=1)
    description: NonEmpty
    requires_review: bool = True  # the legal desk approves each one; never automatic


class BusinessTransfer(Strict):
    """Customer information passing to a successor in a merger, acquisition or sale of assets."""

    classes: list[str] = Field(min_length=1)
    successor_bound_by_policy: bool = True
    notify_customers: Literal["before_transfer", "after_transfer", "attempt_after_transfer", "never"]
    description: NonEmpty


class Security(Strict):
    """The security controls the provider declares; each is one Custodian actually enforces."""

    controls: list[SecurityControl] = Field(default_factory=empty_list)
