"""The annual CPNI certificate and its accompanying statement (47 CFR 64.2009(e)), drawn from figures counted
from the records (compliance/cpni_certification.py counts them). Pure: the figures, officer and day come in;
plain paragraphs come out, laid out the same way as text and as PDF."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

DOCKET = "EB Docket No. 06-36"
RULE = "47 C.F.R. § 64.2009(e)"
COMPLAINT_CATEGORIES = {
    "employee_access": "Improper access by employees",
    "unauthorized_disclosure": "Improper disclosure to unauthorized individuals",
    "online_access": "Improper online access by unauthorized individuals",
    "other": "Other",
}


@dataclass(frozen=True)
class CertificationFigures:
    """What the records say about one calendar year of CPNI protection (counts and references only)."""

    year: int
    counted_to: date  # the last day counted: December 31, or today while the year runs
    draft: bool  # the year has not ended: figures to now, and the certificate may not be filed
    staff_trained: dict[str, int]  # policy version -> staff members who acknowledged it that year
    staff_active: int
    cpni_authentications: dict[str, int]  # method -> callers authenticated on a ticket
    portal_sign_ins: int
    failed_authentications: int
    lockouts: int
    break_glass_uses: int
    break_glass_reviews: dict[str, int]  # justified, unjustified, pending
    access_denies: int
    address_change_notices: int
    address_change_notices_failed: int
    cpni_approval_notices: dict[str, int]  # medium -> notices sent
    breaches: tuple[dict[str, object], ...]  # reference, determined, notifications sent by kind
    data_broker_actions: tuple[dict[str, str], ...]  # reference, detected, action, detail
    complaints: dict[str, int] = field(default_factory=dict)  # category -> complaints received


@dataclass(frozen=True)
class Document:
    """A titled document of paragraphs (a paragraph starting with "- " is a list item)."""

    title: str
    heading: tuple[str, ...]
    paragraphs: tuple[str, ...]
    signature: tuple[str, ...]


def _draft_line(fig: CertificationFigures) -> tuple[str, ...]:
    return (f"DRAFT: the year has not ended; figures to {_long(fig.counted_to)}. Do not file.",) \
        if fig.draft else ()


def filing_due(year: int) -> date:
    """The certificate for calendar year `year` is filed on or before March 1 of the next year."""
    return date(year + 1, 3, 1)


def certificate(fig: CertificationFigures, provider: str, officer: str, signed_on: date) -> Document:
    """The officer's certificate of personal knowledge."""
    return Document(
        f"Annual {RULE} CPNI Certification for {fig.year}",
        (DOCKET, f"Covering calendar year {fig.year}; filed on or before {_long(filing_due(fig.year))}.",
         f"Name of company covered by this certification: {provider}", f"Date filed: {_long(signed_on)}",
         f"Name of signatory: {officer}", "Title of signatory: Privacy officer", *_draft_line(fig)),
        (f"I, {officer}, certify that I am an officer of {provider}, and acting as an agent of the company, that I "
         "have personal knowledge that the company has established operating procedures that are adequate to "
         "ensure compliance with the Commission's CPNI rules. See 47 C.F.R. § 64.2001 et seq.",
         "Attached to this certification is an accompanying statement explaining how the company's procedures "
         "ensure that the company is in compliance with the requirements (including those mandating the adoption "
         "of CPNI procedures, training, recordkeeping, and supervisory review) set forth in section 64.2001 et "
         "seq. of the Commission's rules.",
         _broker_sentence(fig, in_statement=False), _complaint_sentence(fig, in_statement=False),
         "The company represents and warrants that the above certification is consistent with 47 C.F.R. § 1.17, "
         "which requires truthful and accurate statements to the Commission. The company also acknowledges that "
         "false statements and misrepresentations to the Commission are punishable under Title 18 of the U.S. "
         "Code and may subject it to enforcement action."),
        ("Signed: ______________________________", officer, "Privacy officer", provider))


def statement(fig: CertificationFigures, provider: str, officer: str, signed_on: date) -> Document:
    """The accompanying statement: how the procedures ensure compliance, with the year's figures."""
    auth = sum(fig.cpni_authentications.values())
    reviews = fig.break_glass_reviews
    paragraphs = [
        f"This statement accompanies the {fig.year} CPNI certification of {provider}. Every figure below is "
        "counted from the company's records (Custodian): the audit trail, the staff policy acknowledgements, "
        "the consent ledger, the breach register and the complaint and data-broker registers.",
        "Training and discipline. Staff may not open a customer record until they have acknowledged the "
        f"privacy policy in force. In {fig.year}: "
        + (", ".join(f"{n} staff acknowledged policy version {v}" for v, n in sorted(fig.staff_trained.items()))
           or "no policy acknowledgements were recorded")
        + f"; {fig.staff_active} staff members hold active accounts.",
        "Authentication before call detail is disclosed (64.2010). Staff open a ticket for every contact; call "
        "detail is released on a customer-initiated call only after authentication. "
        f"{auth} callers were authenticated"
        + (f" ({_pairs(fig.cpni_authentications)})" if auth else "")
        + f"; {fig.portal_sign_ins} online sign-ins with password and second factor; "
        f"{fig.failed_authentications} authentication attempts failed, and {fig.lockouts} led to a lockout.",
        "Supervisory review of access. Every access is decided by the access rules and audited. "
        f"{fig.access_denies} accesses were refused. {fig.break_glass_uses} emergency (break-glass) accesses "
        f"were opened; reviewed by the privacy officer: {reviews.get('justified', 0)} justified, "
        f"{reviews.get('unjustified', 0)} unjustified, {reviews.get('pending', 0)} awaiting review.",
        "Notice of account changes (64.2010(f)). "
        f"{_n(fig.address_change_notices, 'notice')} of a change to an account (address of record, password) sent"
        + (f"; {fig.address_change_notices_failed} could not be e-mailed, and staff were told to send them by post"
           if fig.address_change_notices_failed else "") + ".",
        "Customer approval (64.2007-64.2008). "
        + (f"{sum(fig.cpni_approval_notices.values())} CPNI approval notices were sent "
           f"({_pairs(fig.cpni_approval_notices)})" if fig.cpni_approval_notices
           else "No CPNI approval notices were sent") + "; every choice is kept in the consent ledger.",
        "Breaches (64.2011). " + (
            f"{_n(len(fig.breaches), 'breach')} determined: " + "; ".join(
                f"{b['reference']} determined {b['determined']}, notifications sent: "
                f"{_pairs(b['notified']) or 'none'}" for b in fig.breaches)  # type: ignore[arg-type]
            if fig.breaches else "No breach was determined") + ". Records are kept at least two years.",
        _broker_sentence(fig),
        *(f"- {a['reference']} (detected {a['detected']}): {a['action']}. {a['detail']}".rstrip()
          for a in fig.data_broker_actions),
        _complaint_sentence(fig),
        *(f"- {label}: {fig.complaints.get(key, 0)}" for key, label in COMPLAINT_CATEGORIES.items()),
    ]
    return Document(f"Accompanying statement: CPNI compliance of {provider}, {fig.year}",
                    (DOCKET, f"{RULE} certification for calendar year {fig.year}", f"Dated {_long(signed_on)}",
                     *_draft_line(fig)),
                    tuple(paragraphs), (officer, "Privacy officer", provider))


def document_text(doc: Document) -> str:
    """The document as plain text."""
    lines = [doc.title, "=" * len(doc.title), "", *doc.heading, ""]
    for paragraph in doc.paragraphs:
        lines += [paragraph] if paragraph.startswith("- ") else ["", paragraph]
    return "\n".join([*lines, "", "", *doc.signature, ""])


def _broker_sentence(fig: CertificationFigures, *, in_statement: bool = True) -> str:
    taken = [a for a in fig.data_broker_actions if a["action_key"] != "none"]
    if not fig.data_broker_actions:
        return (f"The company has not taken any actions against data brokers in {fig.year}, and detected no "
                "pretexting attempts.")
    return (f"The company detected {_n(len(fig.data_broker_actions), 'pretexting attempt')} in {fig.year} and took "
            f"action against data brokers in {len(taken)} of them, "
            + ("as follows." if in_statement else "as explained in the accompanying statement."))


def _complaint_sentence(fig: CertificationFigures, *, in_statement: bool = True) -> str:
    total = sum(fig.complaints.values())
    if not total:
        return f"The company has not received any customer complaints in {fig.year} concerning the unauthorized " \
               "release of CPNI."
    return (f"The company received {_n(total, 'customer complaint')} in {fig.year} concerning the unauthorized "
            "release of CPNI, " + ("by category:" if in_statement else "summarised by category in the accompanying "
                                   "statement."))


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}{'es' if noun.endswith('ch') else 's'}"


def _pairs(counts: dict[str, int]) -> str:
    return ", ".join(f"{key.replace('_', ' ')}: {n}" for key, n in sorted(counts.items()))


def _long(day: date) -> str:
    return f"{day:%B} {day.day}, {day.year}"
