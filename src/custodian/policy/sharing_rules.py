"""Rules tying a policy's sharing terms together (issue "Privacy policy as code", item 2).

- Sensitive classes need opt-in for any use beyond the essential one and for any disclosure to a
  third party, unless a Privacy Shield exception applies (seed 002: "affirmative express consent
  ... must be obtained if such information is to be (i) disclosed to a third party or (ii)
  processed for a purpose other than those for which it was originally collected").
- CPNI disclosed to a third party needs opt-in: 47 CFR 64.2007(b) makes opt-in approval the rule, and
  64.2007(b)(1) allows opt-out only for marketing communications-related services by the carrier, its agents
  and its communications-related affiliates (a processor is an agent; any other recipient is a third party).
  Essential uses (choice none: billing, fraud, what the law requires) need no approval (47 U.S.C. 222(d), 64.2005).
- A recipient gets data no more identifiable than its purposes allow; aggregate data names the
  smallest group it reports.
- A recipient abroad needs a transfer mechanism; each recipient signs the terms its kind requires.
- A processor data set is used only for the purposes its controller authorises.
- Privacy Shield is history: a warning (never an error, so a policy may say what a published document says)
  suggests the EU-U.S. Data Privacy Framework or standard contractual clauses (sharing_warnings).
- Voluntary disclosure stays inside 18 U.S.C. 2702: content only under 2702(b), non-content to a
  governmental entity only under 2702(c); evidence of a crime found by accident goes to law
  enforcement only (2702(b)(7)); every voluntary disclosure to anyone but the service itself is reviewed.
"""

from __future__ import annotations

from collections.abc import Iterator

from custodian.policy.document import PolicyDocument, Recipient
from custodian.policy.source import Path
from custodian.policy.vocabulary import CONTENT_CLASSES, DATA_FORMS

Finding = tuple[Path, str]

# 2702(b): the bases on which content may be divulged without legal process.
CONTENT_BASES = frozenset({"provide_service", "protect_rights_or_property", "fraud_prevention", "protect_safety",
                           "inadvertent_crime_evidence", "customer_consent"})
# 2702(c): the bases on which non-content records may go to a governmental entity.
GOVERNMENT_BASES = frozenset({"provide_service", "protect_rights_or_property", "fraud_prevention",
                              "protect_safety", "customer_consent"})
GOVERNMENT_AUDIENCES = frozenset({"law_enforcement", "government"})


def sharing_problems(doc: PolicyDocument) -> Iterator[Finding]:
    """Every contradiction among sensitive data, data forms, transfers, contracts and voluntary disclosure."""
    yield from _sensitive_problems(doc)
    yield from _cpni_problems(doc)
    yield from _recipient_form_problems(doc)
    yield from _transfer_problems(doc)
    yield from _contract_problems(doc)
    yield from _data_set_purpose_problems(doc)
    yield from _voluntary_problems(doc)
    yield from _pass_through_problems(doc)


PRIVACY_SHIELD_WARNING = (
    "Privacy Shield is no longer a transfer mechanism: the Court of Justice of the EU invalidated it on "
    "16 July 2020 (C-311/18, Schrems II). Rely on the EU-U.S. Data Privacy Framework (the Commission's adequacy "
    "decision of 10 July 2023; data_privacy_framework) or standard contractual clauses "
    "(standard_contractual_clauses)")


def sharing_warnings(doc: PolicyDocument) -> Iterator[Finding]:
    """What a valid policy cites that no longer holds: Privacy Shield, on a recipient or an international
    transfer. Warnings, not problems: the disclosure gate already refuses to rely on it (disclosures/rules.py)."""
    for index, transfer in enumerate(doc.provider.international_transfers):
        if transfer.mechanism == "privacy_shield":
            yield ("provider", "international_transfers", index, "mechanism"), PRIVACY_SHIELD_WARNING
    for name, recipient in doc.recipients.items():
        if recipient.transfer_mechanism == "privacy_shield":
            yield ("recipients", name, "transfer_mechanism"), PRIVACY_SHIELD_WARNING


def _sensitive_problems(doc: PolicyDocument) -> Iterator[Finding]:
    sensitive = {name for name, use in doc.record_classes.items() if use.sensitive}
    for name, purpose in doc.purposes.items():
        used = sorted(sensitive & set(purpose.classes))
        if used and purpose.choice == "opt_out" and purpose.sensitive_exception is None:
            yield ("purposes", name, "choice"), (f"uses sensitive {', '.join(used)}: needs opt_in "
                                                 "(or a sensitive_exception)")
        if not used and purpose.sensitive_exception is not None:
            yield ("purposes", name, "sensitive_exception"), "names an exception but uses no sensitive class"
    for name, recipient in doc.recipients.items():
        if recipient.kind == "processor":
            continue  # an agent acting on instructions is not a third party
        for index, record_class in enumerate(recipient.classes):
            if record_class not in sensitive:
                continue
            for purpose_name in recipient.purposes:
                use = doc.purposes.get(purpose_name)
                if use and use.choice != "opt_in" and use.sensitive_exception is None:
                    yield ("recipients", name, "classes", index), (
                        f"third party receives sensitive {record_class} for {purpose_name!r}, "
                        "which is not opt_in")


def third_party_purposes(doc: PolicyDocument) -> frozenset[str]:
    """Purposes whose data goes to a recipient that is not the provider's agent (a processor), or whose data
    use is third-party sharing."""
    named = {purpose for recipient in doc.recipients.values() if recipient.kind != "processor"
             for purpose in recipient.purposes}
    return frozenset(name for name, purpose in doc.purposes.items()
                     if name in named or "third_party" in purpose.data_use)


def _cpni_problems(doc: PolicyDocument) -> Iterator[Finding]:
    for name in sorted(third_party_purposes(doc)):
        purpose = doc.purposes[name]
        cpni = sorted(c for c in purpose.classes if c.startswith("cpni."))
        if cpni and purpose.choice == "opt_out":  # essential uses are 47 U.S.C. 222(d) / 64.2005 exceptions
            yield ("purposes", name, "choice"), (f"discloses CPNI ({', '.join(cpni)}) to a third party: needs opt_in "
                                                 "(47 CFR 64.2007(b))")


def _recipient_form_problems(doc: PolicyDocument) -> Iterator[Finding]:
    for name, recipient in doc.recipients.items():
        path: Path = ("recipients", name)
        if recipient.data_form == "aggregate" and recipient.min_group_size is None:
            yield (*path, "min_group_size"), "aggregate data names the smallest group it reports (min_group_size)"
        if recipient.data_form != "aggregate" and recipient.min_group_size is not None:
            yield (*path, "min_group_size"), "only aggregate data has a minimum group size"
        if recipient.data_form != "de_identified" and recipient.quasi_identifiers:
            yield (*path, "quasi_identifiers"), "only de-identified data drops quasi-identifiers"
        for purpose_name in recipient.purposes:
            purpose = doc.purposes.get(purpose_name)
            if purpose and DATA_FORMS.index(recipient.data_form) > DATA_FORMS.index(purpose.data_form):
                yield (*path, "data_form"), (f"{recipient.data_form} data for {purpose_name!r}, "
                                             f"which allows only {purpose.data_form} data")


def home_country(doc: PolicyDocument) -> str:
    """The provider's own country: the country part of its first jurisdiction ("US-TX" -> "US")."""
    return doc.provider.jurisdictions[0].split("-")[0].upper()


def _transfer_problems(doc: PolicyDocument) -> Iterator[Finding]:
    home = home_country(doc)
    for name, recipient in doc.recipients.items():
        abroad = recipient.country is not None and recipient.country != home
        if abroad and recipient.transfer_mechanism is None:
            yield ("recipients", name, "transfer_mechanism"), (
                f"a recipient in {recipient.country} needs a transfer mechanism")
        if not abroad and recipient.transfer_mechanism is not None:
            yield ("recipients", name, "transfer_mechanism"), "a transfer mechanism is only for a recipient abroad"


def missing_contract_terms(doc: PolicyDocument, recipient: Recipient) -> list[str]:
    """The terms `contract_requirements` demands of the recipient's kind that its contract lacks, in the policy's
    order: the one rule the checker, the disclosure gate and the console's vendor list apply."""
    required = doc.contract_requirements.get(recipient.kind, [])
    return [term for term in required if term not in recipient.contract.terms]


def _contract_problems(doc: PolicyDocument) -> Iterator[Finding]:
    for name, recipient in doc.recipients.items():
        missing = missing_contract_terms(doc, recipient)
        if missing:
            yield ("recipients", name, "contract", "terms"), (
                f"every {recipient.kind} signs {', '.join(missing)} (contract_requirements)")


def _data_set_purpose_problems(doc: PolicyDocument) -> Iterator[Finding]:
    for index, data_set in enumerate(doc.data_sets):
        path: Path = ("data_sets", index, "purposes")
        if data_set.role == "controller" and data_set.purposes:
            yield path, "a controller decides its own purposes; only processor data sets list them"
        if data_set.role == "processor" and not data_set.purposes:
            yield path, "a processor data set lists the purposes its controller authorises"
        for position, purpose_name in enumerate(data_set.purposes):
            if purpose_name not in doc.purposes:
                yield (*path, position), f"no purpose {purpose_name!r}"
    authorised = _authorised_purposes(doc)
    for name, purpose in doc.purposes.items():
        for index, record_class in enumerate(purpose.classes):
            if name not in authorised.get(record_class, {name}):
                yield ("purposes", name, "classes", index), (
                    f"{record_class} is held only as processor, and no controller authorised {name!r}")


def _authorised_purposes(doc: PolicyDocument) -> dict[str, set[str]]:
    """For each class held only as processor: the purposes its controllers authorise."""
    controlled = {name for data_set in doc.data_sets if data_set.role == "controller" for name in data_set.classes}
    authorised: dict[str, set[str]] = {}
    for data_set in doc.data_sets:
        if data_set.role == "processor":
            for record_class in set(data_set.classes) - controlled:
                authorised.setdefault(record_class, set()).update(data_set.purposes)
    return authorised


def _voluntary_problems(doc: PolicyDocument) -> Iterator[Finding]:
    for name, rule in doc.legal.voluntary_disclosures.items():
        path: Path = ("legal", "voluntary_disclosures", name)
        content = sorted(set(rule.classes) & CONTENT_CLASSES)
        non_content = sorted(set(rule.classes) - CONTENT_CLASSES)
        if content and rule.basis not in CONTENT_BASES:
            yield (*path, "classes"), f"18 U.S.C. 2702(b) permits no disclosure of content for {rule.basis}"
        if rule.basis == "inadvertent_crime_evidence":
            if rule.audiences != ["law_enforcement"] or non_content:
                yield path, "2702(b)(7) covers only content, and only to law enforcement"
        elif non_content and GOVERNMENT_AUDIENCES & set(rule.audiences) and rule.basis not in GOVERNMENT_BASES:
            yield (*path, "audiences"), (f"18 U.S.C. 2702(c) permits no disclosure to a governmental entity "
                                         f"for {rule.basis}")
        if not rule.requires_review and rule.basis != "provide_service":
            yield (*path, "requires_review"), "only disclosure needed to provide the service may skip review"


def _pass_through_problems(doc: PolicyDocument) -> Iterator[Finding]:
    passing = {name for name, use in doc.record_classes.items() if not use.stored}
    for index, rule in enumerate(doc.retention.rules):
        for position, record_class in enumerate(rule.classes):
            if record_class in passing:
                yield ("retention", "rules", index, "classes", position), (
                    f"{record_class} is not stored, so nothing of it is retained")
