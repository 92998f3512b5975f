"""The published privacy notice, built from the rules (issue 3, item 4).

Structure and tables come from the compiled policy, wording from the file's `notice` section, so
the notice cannot say something the rules do not do.
"""

from __future__ import annotations

from dataclasses import dataclass

from custodian.policy.compiled import CompiledPolicy
from custodian.policy.diff import describe_retention, retention_measure
from custodian.policy.document_legal import Notification
from custodian.policy.notice_sharing import (
    FORM_TEXT,
    business_transfer_paragraphs,
    contract_paragraphs,
    describe_class,
    recipient_form_text,
    security_paragraphs,
    transfer_paragraphs,
    voluntary_paragraphs,
)
from custodian.policy.vocabulary import CLASS_LABELS, PROFILES

CHOICE_TEXT = {"none": "Needed to provide the service", "opt_out": "Yes: you may opt out",
               "opt_in": "Only with your consent"}
PROCESS_TEXT = {"subpoena": "a subpoena", "civil_investigative_demand": "a civil investigative demand",
                "court_order_2703d": "a court order (18 U.S.C. 2703(d))", "court_order": "a court order",
                "search_warrant": "a search warrant", "mlat": "a request through a mutual legal assistance treaty",
                "never": "never disclosed"}
REQUESTER_TEXT = {"law_enforcement": "Law enforcement", "civil": "Parties to civil cases",
                  "foreign_government": "Foreign governments"}


@dataclass(frozen=True)
class Table:
    """A table of the notice."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Section:
    """One section: a heading, paragraphs and tables."""

    id: str
    heading: str
    paragraphs: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()


@dataclass(frozen=True)
class Notice:
    """The whole notice, ready to render as Markdown or HTML."""

    title: str
    provider: str
    effective_on: str
    version_hash: str
    sections: tuple[Section, ...]


def build_notice(policy: CompiledPolicy) -> Notice:
    """Every section of the notice, derived from the compiled policy."""
    doc = policy.document
    sections = (_introduction(policy), _collection(policy), _use(policy), _choices(policy), _sharing(policy),
                _transfers(policy), _retention(policy), _security(policy), _legal(policy), _voluntary(policy),
                _rights(policy), _contact(policy), _changes(policy))
    return Notice(title=f"{doc.provider.name} privacy notice", provider=doc.provider.name,
                  effective_on=doc.provider.effective_on.isoformat(), version_hash=policy.version_hash,
                  sections=sections)


def _label(record_class: str) -> str:
    return CLASS_LABELS.get(record_class, record_class)


def _introduction(policy: CompiledPolicy) -> Section:
    doc = policy.document
    text = doc.notice.introduction or (f"This notice explains what personal information {doc.provider.name} "
                                       "collects, how it is used and shared, how long it is kept, and your choices.")
    return Section("introduction", "About this notice", (text,))


def _collection(policy: CompiledPolicy) -> Section:
    rows = tuple((_label(name), describe_class(use)) for name, use in policy.document.record_classes.items())
    return Section("collection", "What we collect", (), (Table(("Information", "What it is"), rows),))


def _use(policy: CompiledPolicy) -> Section:
    rows = tuple((purpose.description + FORM_TEXT[purpose.data_form], ", ".join(_label(c) for c in purpose.classes),
                  CHOICE_TEXT[purpose.choice]) for purpose in policy.document.purposes.values())
    return Section("use", "How we use it", (), (Table(("Why", "Information used", "Your choice"), rows),))


def _choices(policy: CompiledPolicy) -> Section:
    optional = [p for p in policy.document.purposes.values() if p.choice != "none"]
    if not optional:
        return Section("choices", "Your choices", ("Every use listed above is needed to provide the service.",))
    phrase = {"opt_out": "you may opt out at any time", "opt_in": "only if you agree"}
    lines = tuple(f"{p.description.rstrip('.')}: {phrase[p.choice]}." for p in optional)
    return Section("choices", "Your choices", lines)


def _sharing(policy: CompiledPolicy) -> Section:
    doc = policy.document
    if not doc.recipients:
        return Section("sharing", "Who we share it with",
                       ("We share personal information with no one, except as the law requires (see Legal requests).",))
    rows = tuple((r.name, r.kind, ", ".join(_label(c) for c in r.classes) + recipient_form_text(r),
                  ", ".join(doc.purposes[p].description for p in r.purposes)) for r in doc.recipients.values())
    paragraphs = ("Each recipient receives only the information listed, only for the purposes listed.",
                  *contract_paragraphs(doc), *business_transfer_paragraphs(doc))
    return Section("sharing", "Who we share it with", paragraphs,
                   (Table(("Recipient", "Kind", "Information", "For"), rows),))


def _retention(policy: CompiledPolicy) -> Section:
    rows = []
    for name in policy.document.record_classes:
        cells = [_kept(policy, name, profile) for profile in PROFILES]
        rows.append((_label(name), *cells))
    closure = policy.document.retention.on_closure
    paragraphs: tuple[str, ...] = (f"When an account closes, its information is deleted {closure.purge_after_days} "
                                   f"days later, and no later than {closure.deadline_days} days.",) if closure else ()
    if closure and closure.deidentify:
        kept = ", ".join(_label(name).lower() for name in closure.deidentify)
        paragraphs += (f"We keep {kept} for tax, accounting and dispute purposes, de-identified: amounts, "
                       "currencies, dates and states stay, and nothing links them to you any more.",)
    return Section("retention", "How long we keep it", paragraphs,
                   (Table(("Information", "Standard accounts", "HIPAA accounts"), tuple(rows)),))


def _kept(policy: CompiledPolicy, record_class: str, profile: str) -> str:
    rules = policy.retention.get((record_class, profile))
    if not rules:
        return "while needed"
    rule = rules[0]
    text = describe_retention(retention_measure(rule))
    others = [_label(name).lower() for name in rule.classes if name != record_class]
    if others and retention_measure(rule)[0] == "newest":
        text += f", counted together with {', '.join(others)}"  # one cap over several classes
    return text


def _security(policy: CompiledPolicy) -> Section:
    doc = policy.document
    text = doc.notice.security or ("Personal information is encrypted at rest with a key of its own "
                                   "for each account, and staff see only what their task needs.")
    return Section("security", "How we protect it", (text, *security_paragraphs(doc)))


def _transfers(policy: CompiledPolicy) -> Section:
    return Section("transfers", "Transfers between countries", transfer_paragraphs(policy.document))


def _voluntary(policy: CompiledPolicy) -> Section:
    return Section("disclosures", "Disclosures without legal process", voluntary_paragraphs(policy.document))


def _legal(policy: CompiledPolicy) -> Section:
    legal = policy.document.legal
    rows = tuple((REQUESTER_TEXT[requester], _label(name), PROCESS_TEXT.get(policy.process_needed(requester, name),
                                                                             policy.process_needed(requester, name)))
                 for requester in REQUESTER_TEXT for name in policy.document.record_classes)
    preservation = (f"We preserve existing records for {legal.preservation.days} days on a valid preservation "
                    "request; preservation is not disclosure.")
    paragraphs = (_notification_text(legal.notification), preservation)
    return Section("legal", "Legal requests", paragraphs, (Table(("Requester", "Information", "Requires"), rows),))


def _notification_text(notification: Notification) -> str:
    if not notification.notify_customer:
        return "We do not tell customers about requests for their information."
    if notification.unless_nondisclosure_order:
        return ("We tell you about a request for your information, unless a court orders us not to; "
                "then we tell you once the order ends.")
    return "We tell you about every request for your information."


def _rights(policy: CompiledPolicy) -> Section:
    text = policy.document.notice.rights or "You may ask to see, correct or delete the information we hold about you."
    return Section("rights", "Your rights", (text,))


def _contact(policy: CompiledPolicy) -> Section:
    lines = tuple(" · ".join(part for part in (c.role.replace("_", " ").capitalize(), c.name, c.email, c.phone,
                                               c.address, c.url) if part)
                  for c in policy.document.provider.contacts)
    return Section("contact", "How to reach us", lines)


def _changes(policy: CompiledPolicy) -> Section:
    text = policy.document.notice.changes or "We will tell you before a material change to this notice takes effect."
    return Section("changes", "Changes to this notice", (text,))


def render_markdown(notice: Notice) -> str:
    """The notice as Markdown."""
    lines = [f"# {notice.title}", "", f"Effective {notice.effective_on} · version {notice.version_hash[:12]}", ""]
    for section in notice.sections:
        lines += [f"## {section.heading}", ""]
        for paragraph in section.paragraphs:
            lines += [paragraph, ""]
        for table in section.tables:
            lines.append("| " + " | ".join(table.headers) + " |")
            lines.append("|" + "---|" * len(table.headers))
            lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in table.rows]
            lines.append("")
    return "\n".join(lines)
