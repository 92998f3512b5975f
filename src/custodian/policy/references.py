"""Cross-reference and contradiction rules of a policy document (issue "Privacy policy as code", item 2).

A policy may only speak of record classes in the vocabulary, and only use classes the provider
says it collects; every purpose, topic and class it names must be defined; a class cannot be both
"not available" and kept for a time for the same account profile.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from custodian.policy.document import PolicyDocument, RetentionRule
from custodian.policy.sca import default_process, process_rank
from custodian.policy.sharing_rules import sharing_problems
from custodian.policy.source import Path
from custodian.policy.vocabulary import (
    BILLING_LOG_CLASSES,
    DEIDENTIFIABLE_CLASSES,
    RECORD_CLASSES,
    REQUEST_FIELDS,
    fides_data_categories,
    fides_data_uses,
)

Finding = tuple[Path, str]


def reference_problems(doc: PolicyDocument) -> list[Finding]:
    """Every dangling reference and contradiction, with the path it stands at."""
    return [*_record_class_problems(doc), *_purpose_problems(doc), *_staff_problems(doc),
            *_recipient_problems(doc), *_retention_problems(doc), *_legal_problems(doc),
            *_disclosure_class_problems(doc), *sharing_problems(doc), *_ledger_problems(doc),
            *_abuse_problems(doc)]


def _disclosure_class_problems(doc: PolicyDocument) -> Iterator[Finding]:
    """Voluntary disclosures and a business transfer speak only of collected classes."""
    for name, rule in doc.legal.voluntary_disclosures.items():
        yield from _classes(doc, rule.classes, ("legal", "voluntary_disclosures", name, "classes"))
    if doc.business_transfer is not None:
        yield from _classes(doc, doc.business_transfer.classes, ("business_transfer", "classes"))


def _abuse_problems(doc: PolicyDocument) -> Iterator[Finding]:
    """The abuse desk, when the policy configures it, works on one of the staff topics."""
    if "abuse" in doc.model_fields_set and doc.abuse.topic not in doc.staff.topics:
        yield ("abuse", "topic"), f"topic {doc.abuse.topic!r} is not in staff.topics"


def _ledger_problems(doc: PolicyDocument) -> Iterator[Finding]:
    """Each promise id once; each rule a promise names must exist in this file."""
    data = doc.model_dump(mode="python")
    seen: set[str] = set()
    for index, promise in enumerate(doc.promises):
        if promise.id in seen:
            yield ("promises", index, "id"), f"promise {promise.id!r} appears twice"
        seen.add(promise.id)
        for rule_index, rule in enumerate(promise.enforced_by):
            if not _resolves(data, rule):
                yield ("promises", index, "enforced_by", rule_index), f"no rule at {rule!r} in this file"


def _resolves(data: object, dotted: str) -> bool:
    """True when `dotted` (e.g. "retention.rules.3" or "purposes.marketing_offers") names a value."""
    node = data
    for part in _split_rule_path(dotted, data):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return False
    return True


def _split_rule_path(dotted: str, data: object) -> list[str]:
    """Split on dots, but keep record-class keys (which contain a dot) whole where the data has them."""
    parts, pending = [], ""
    node = data
    for piece in dotted.split("."):
        candidate = f"{pending}.{piece}" if pending else piece
        if isinstance(node, dict) and candidate not in node and any(key.startswith(candidate + ".") for key in node):
            pending = candidate
            continue
        parts.append(candidate)
        pending = ""
        node = node.get(candidate) if isinstance(node, dict) else (
            node[int(candidate)] if isinstance(node, list) and candidate.isdigit() and int(candidate) < len(node)
            else None)
    if pending:
        parts.append(pending)
    return parts


def _classes(doc: PolicyDocument, names: Iterable[str], path: Path) -> Iterator[Finding]:
    """A class must be in the vocabulary and collected by this provider."""
    for index, name in enumerate(names):
        if name not in RECORD_CLASSES:
            yield (*path, index), f"unknown record class {name!r}"
        elif name not in doc.record_classes:
            yield (*path, index), f"record class {name!r} is not collected by this provider (record_classes)"


def _record_class_problems(doc: PolicyDocument) -> Iterator[Finding]:
    categories = fides_data_categories()
    for name, use in doc.record_classes.items():
        if name not in RECORD_CLASSES:
            yield ("record_classes", name), f"unknown record class {name!r}"
        for index, category in enumerate(use.categories):
            if category not in categories:
                yield ("record_classes", name, "categories", index), f"not a fides data category: {category!r}"
    for index, data_set in enumerate(doc.data_sets):
        yield from _classes(doc, data_set.classes, ("data_sets", index, "classes"))
    held = {name for data_set in doc.data_sets for name in data_set.classes}
    for name in doc.record_classes:
        if name not in held:
            yield ("record_classes", name), f"{name} is held in no data set (data_sets)"


def _purpose_problems(doc: PolicyDocument) -> Iterator[Finding]:
    uses = fides_data_uses()
    for name, purpose in doc.purposes.items():
        if purpose.data_use not in uses:
            yield ("purposes", name, "data_use"), f"not a fides data use: {purpose.data_use!r}"
        if purpose.choice == "none" and not purpose.data_use.startswith("essential"):
            yield ("purposes", name, "choice"), "choice none is only for essential data uses"
        yield from _classes(doc, purpose.classes, ("purposes", name, "classes"))


def _staff_problems(doc: PolicyDocument) -> Iterator[Finding]:
    staff = doc.staff
    for role_name, role in staff.roles.items():
        for topic, access in role.topics.items():
            path: Path = ("staff", "roles", role_name, "topics", topic)
            if topic not in staff.topics:
                yield path, f"topic {topic!r} is not in staff.topics"
            if access.purpose not in doc.purposes:
                yield (*path, "purpose"), f"no purpose {access.purpose!r}"
            elif not set(access.classes) <= set(doc.purposes[access.purpose].classes):
                extra = sorted(set(access.classes) - set(doc.purposes[access.purpose].classes))
                yield (*path, "classes"), f"purpose {access.purpose!r} does not cover {', '.join(extra)}"
            yield from _classes(doc, access.classes, (*path, "classes"))
            for masked in access.masks:
                if masked not in access.classes:
                    yield (*path, "masks", masked), f"masks {masked!r}, which this topic does not show"
            if access.changes and "subscriber.basic" not in access.classes:
                yield (*path, "changes"), "changes to the account need subscriber.basic among the topic's classes"
    yield from _classes(doc, staff.cpni_authentication.classes, ("staff", "cpni_authentication", "classes"))


def _recipient_problems(doc: PolicyDocument) -> Iterator[Finding]:
    for name, recipient in doc.recipients.items():
        yield from _classes(doc, recipient.classes, ("recipients", name, "classes"))
        for index, purpose in enumerate(recipient.purposes):
            if purpose not in doc.purposes:
                yield ("recipients", name, "purposes", index), f"no purpose {purpose!r}"


def _retention_problems(doc: PolicyDocument) -> Iterator[Finding]:
    kinds: dict[tuple[str, str], tuple[int, str]] = {}
    for index, rule in enumerate(doc.retention.rules):
        path: Path = ("retention", "rules", index)
        yield from _classes(doc, rule.classes, (*path, "classes"))
        kind = _kind(rule)
        for name in rule.classes:
            for profile in rule.profiles:
                earlier = kinds.get((name, profile))
                if earlier is not None and "not_available" in (earlier[1], kind) and earlier[1] != kind:
                    yield (*path, "keep"), (f"{name} for {profile} accounts is both not available and kept "
                                            f"(rule {earlier[0]})")
                kinds.setdefault((name, profile), (index, kind))
        if kind == "not_available":
            for position, name in enumerate(rule.classes):
                if name in BILLING_LOG_CLASSES:
                    yield (*path, "classes", position), (f"{name} is a billing record: it follows the call/fax "
                                                         "log rule; 'not available' is for content")
    yield from _closure_problems(doc)


def _closure_problems(doc: PolicyDocument) -> Iterator[Finding]:
    closure = doc.retention.on_closure
    if closure is None:
        return
    path: Path = ("retention", "on_closure", "deidentify")
    yield from _classes(doc, closure.deidentify, path)
    for index, name in enumerate(closure.deidentify):
        if name in RECORD_CLASSES and name not in DEIDENTIFIABLE_CLASSES:
            allowed = ", ".join(sorted(DEIDENTIFIABLE_CLASSES))
            yield (*path, index), f"{name} cannot be de-identified (only {allowed})"


def _kind(rule: RetentionRule) -> str:
    return rule.keep if isinstance(rule.keep, str) else "limited"


def _legal_problems(doc: PolicyDocument) -> Iterator[Finding]:
    legal = doc.legal
    for requester, rules in legal.requesters.items():
        for index, name in enumerate(rules.required_fields):
            if name not in REQUEST_FIELDS:
                yield ("legal", "requesters", requester, "required_fields", index), f"unknown request field {name!r}"
    for requester, needs in legal.process.items():
        for name, process in needs.items():
            path: Path = ("legal", "process", requester, name)
            if name not in RECORD_CLASSES:
                yield path, f"unknown record class {name!r}"
            elif requester in ("law_enforcement", "civil"):
                least = default_process(requester, name)
                if process_rank(process) < process_rank(least):
                    yield path, f"{process} is less than the law requires for {name} ({least})"
    yield from _fee_problems(doc)


def _fee_problems(doc: PolicyDocument) -> Iterator[Finding]:
    seen: set[str] = set()
    for index, fee in enumerate(doc.legal.fees):
        path: Path = ("legal", "fees", index)
        if fee.code in seen:
            yield (*path, "code"), f"fee code {fee.code!r} is used twice"
        seen.add(fee.code)
        grouped = [(("content_types", kind), name) for kind, names in fee.content_types.items() for name in names]
        for where, name in [(("classes",), name) for name in fee.classes] + grouped:
            if name not in RECORD_CLASSES:
                yield (*path, *where), f"unknown record class {name!r}"
