"""Records of processing activities (GDPR Art. 30) from the policy in force (issue 18 §3).

Pure. One record per data set of the policy: a controller data set gives the Art. 30(1) record (controller and
DPO, purposes, categories of data subjects and of personal data, recipients, transfers to third countries and
their safeguards, time limits for erasure, security measures per Art. 32(1)); a processor data set gives the
Art. 30(2) record (processor, the controllers it acts for, the categories of processing carried out for them,
transfers, security measures). Rendered as JSON, CSV or a standalone HTML page.
"""

from __future__ import annotations

import csv
import html
import io
import json
from dataclasses import asdict, dataclass

from custodian.policy.document import DataSet, PolicyDocument, RetentionRule
from custodian.policy.vocabulary import class_name

# Who the data of a class is about (Art. 30(1)(c) "categories of data subjects"), by class prefix or name.
SUBJECTS = {
    "subscriber.": "Customers (account holders and their users)", "billing.": "Customers (account holders and "
    "their users)", "numbers.": "Customers (account holders and their users)", "support.": "Customers (account "
    "holders and their users)", "cpni.": "Customers and the people they call or message", "content.": "Customers "
    "and the people they call or message", "network.": "Customers (account holders and their users)",
    "location.": "Customers (account holders and their users)", "web.": "Website visitors",
    "marketing.profile": "Customers (account holders and their users)", "marketing.lead": "Prospective customers",
    "app.": "Customers' contacts (people in their address books)", "biometric.": "Customers (account holders and "
    "their users)",
}
PROCESSOR_SUBJECTS = "End users of the business clients, and the people they call or message"
SECURITY = {
    "encryption_at_rest": "Personal fields and stored content are encrypted at rest (AES-256-GCM)",
    "per_account_keys": "Each account's data has its own encryption key, wrapped by a master key",
    "crypto_shredding": "Destroying an account's key makes every copy of its data unreadable, backups included",
    "card_numbers_never_stored": "Payment card numbers are never stored (processor token, brand and last four)",
    "tamper_evident_audit": "Every access and change is written to a hash-chained, verifiable audit trail",
    "blind_index_lookup": "Look-ups use keyed hashes, never plaintext personal data",
}
ALWAYS = ("Staff see only what a ticket's topic needs (need-to-know decisions, audited)",)
GENERIC = {"private", "public", "other", "id"}
FIELDS = ("data_set", "role", "article", "controller", "processor", "contact", "data_protection_officer",
          "purposes", "data_subjects", "data_categories", "recipients", "transfers", "retention", "security")


@dataclass(frozen=True)
class ProcessingRecord:
    """One record of processing activities (Art. 30(1) or 30(2))."""

    data_set: str
    role: str
    article: str
    controller: str
    processor: str
    contact: str
    data_protection_officer: str
    purposes: tuple[str, ...]
    data_subjects: tuple[str, ...]
    data_categories: tuple[str, ...]
    recipients: tuple[str, ...]
    transfers: tuple[str, ...]
    retention: tuple[str, ...]
    security: tuple[str, ...]


def records_of_processing(policy: PolicyDocument) -> list[ProcessingRecord]:
    """One record per data set, in the policy's order."""
    return [_record(policy, data_set) for data_set in policy.data_sets]


def _record(policy: PolicyDocument, data_set: DataSet) -> ProcessingRecord:
    provider = policy.provider.name
    classes = set(data_set.classes)
    controller = data_set.role == "controller"
    purposes = [key for key, p in policy.purposes.items() if set(p.classes) & classes] if controller \
        else list(data_set.purposes)
    return ProcessingRecord(
        data_set=data_set.id, role=data_set.role, article="GDPR Art. 30(1)" if controller else "GDPR Art. 30(2)",
        controller=provider if controller else "Each business client (the controller of its end users' data)",
        processor="" if controller else provider, contact=_contact(policy, ("privacy", "customer_service")),
        data_protection_officer=_contact(policy, ("data_protection_officer",)) or "None designated",
        purposes=tuple(_purpose(policy, key) for key in purposes if key in policy.purposes),
        data_subjects=_subjects(data_set),
        data_categories=tuple(sorted({_category(c) for cls in data_set.classes if cls in policy.record_classes
                                      for c in policy.record_classes[cls].categories})),
        recipients=tuple(f"{r.name} ({r.kind}{', ' + r.country if r.country else ''})"
                         for r in policy.recipients.values() if set(r.classes) & classes) if controller else (),
        transfers=_transfers(policy, classes),
        retention=tuple(_retention(rule) for rule in policy.retention.rules if set(rule.classes) & classes)
        + _closure(policy) if controller else (),
        security=tuple(SECURITY[c] for c in policy.security.controls) + ALWAYS)


def _contact(policy: PolicyDocument, roles: tuple[str, ...]) -> str:
    for role in roles:
        for c in policy.provider.contacts:
            if c.role == role:
                return "; ".join(part for part in (c.name, c.email, c.phone, c.address) if part)
    return ""


def _purpose(policy: PolicyDocument, key: str) -> str:
    return f"{key.replace('_', ' ').capitalize()}: {policy.purposes[key].description}"


def _subjects(data_set: DataSet) -> tuple[str, ...]:
    if data_set.role == "processor":
        return (PROCESSOR_SUBJECTS,)
    found = {next((who for prefix, who in SUBJECTS.items() if cls.startswith(prefix)), "Customers")
             for cls in data_set.classes}
    return tuple(sorted(found))


def _category(key: str) -> str:
    """A fides data category for people: 'user.contact.phone_number' -> 'Contact: phone number'."""
    parts = [p for p in key.split(".") if p != "user"]
    last = parts[-1].replace("_", " ")
    if len(parts) == 1:
        return last.capitalize()
    head = parts[-2].replace("_", " ").capitalize()
    return f"{head} ({last})" if last in GENERIC else f"{head}: {last}"


def _transfers(policy: PolicyDocument, classes: set[str]) -> tuple[str, ...]:
    found = [f"From {', '.join(t.origins)} to {t.destination}: {t.mechanism.replace('_', ' ')}"
             for t in policy.provider.international_transfers]
    found += [f"To {r.name} in {r.country}: {(r.transfer_mechanism or 'no mechanism stated').replace('_', ' ')}"
              for r in policy.recipients.values() if r.country and set(r.classes) & classes]
    return tuple(found) or ("None",)


def _retention(rule: RetentionRule) -> str:
    names = ", ".join(class_name(c) for c in rule.classes)
    keep = rule.keep
    if keep == "while_needed":
        limit = "as long as needed for the purposes above"
    elif keep == "not_available":
        limit = "not kept (service not available)"
    elif keep.days is not None:
        limit = f"{keep.days} days"
    elif keep.newest is not None:
        limit = f"the newest {keep.newest:,}"
    else:
        limit = f"as the customer sets (at least {keep.customer_set_min_hours} hours)"
    profiles = "" if set(rule.profiles) == {"standard", "hipaa"} else f" ({', '.join(rule.profiles)} accounts)"
    return f"{names}: {limit}{profiles}"


def _closure(policy: PolicyDocument) -> tuple[str, ...]:
    closure = policy.retention.on_closure
    if closure is None:
        return ()
    return (f"After an account closes: deleted after {closure.purge_after_days} days, "
            f"at the latest {closure.deadline_days} days",)


def ropa_json(records: list[ProcessingRecord]) -> str:
    """The records as JSON (one object per record, lists as arrays)."""
    return json.dumps({"records_of_processing": [asdict(r) for r in records]}, indent=2) + "\n"


def ropa_csv(records: list[ProcessingRecord]) -> str:
    """The records as CSV, one row per record, lists joined by '; '."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FIELDS)
    for record in records:
        values = asdict(record)
        writer.writerow(["; ".join(v) if isinstance(v, list | tuple) else v for v in (values[f] for f in FIELDS)])
    return out.getvalue()


def ropa_html(provider: str, records: list[ProcessingRecord]) -> str:
    """The records as one standalone HTML page (no scripts, no external resources)."""
    parts = [f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Records of processing "
             f"activities, {html.escape(provider)}</title><style>body{{font-family:sans-serif;max-width:60rem;"
             "margin:2rem auto}th{text-align:left;vertical-align:top;width:14rem}td,th{padding:.3rem;"
             "border-bottom:1px solid #ccc}</style></head><body>",
             f"<h1>Records of processing activities</h1><p>{html.escape(provider)}</p>"]
    for record in records:
        parts.append(f"<section><h2>{html.escape(record.data_set)} ({html.escape(record.role)}, "
                     f"{html.escape(record.article)})</h2><table>")
        values = asdict(record)
        for field in FIELDS[3:]:
            value = values[field]
            if isinstance(value, list | tuple):
                cell = "<ul>" + "".join(f"<li>{html.escape(v)}</li>" for v in value) + "</ul>" if value else ""
            else:
                cell = html.escape(value)
            if cell:
                parts.append(f"<tr><th scope=\"row\">{field.replace('_', ' ').capitalize()}</th><td>{cell}</td></tr>")
        parts.append("</table></section>")
    parts.append("</body></html>\n")
    return "".join(parts)
