"""Material changes to the sharing terms (issue 3, item 6, continued from diff.py).

Material, because customers would see less protection: a class no longer sensitive, no longer
limited to its fields, or now stored; data used or shared in a more identifying form, or in
smaller aggregate groups; a recipient in a new country, signing fewer contract terms, or given
quasi-identifiers its feeds left out; fewer terms required of a kind of recipient; a new international
transfer or mechanism; a new or wider voluntary disclosure, or one no longer reviewed; a business
transfer introduced, widened or with weaker notice; a security control dropped; a processor data set
used for more purposes.
"""

from __future__ import annotations

from collections.abc import Iterator

from custodian.policy.change import Change, Kind
from custodian.policy.document import PolicyDocument
from custodian.policy.vocabulary import DATA_FORMS

NOTICE_STRENGTH = ("never", "attempt_after_transfer", "after_transfer", "before_transfer")
COVERED = ("business_transfer", "contract_requirements", "legal.voluntary_disclosures",
           "provider.international_transfers", "security")


def sharing_changes(old: PolicyDocument, new: PolicyDocument) -> Iterator[Change]:
    """The material changes among sensitivity, data forms, transfers, contracts and voluntary disclosure."""
    yield from _class_changes(old, new)
    yield from _purpose_changes(old, new)
    yield from _recipient_changes(old, new)
    yield from _requirement_changes(old, new)
    yield from _transfer_changes(old, new)
    yield from _voluntary_changes(old, new)
    yield from _business_transfer_changes(old, new)
    yield from _security_changes(old, new)
    yield from _data_set_changes(old, new)


def _change(path: str, material: bool, reason: str, kind: Kind = "changed") -> Change:
    return Change(path, kind, material, reason)


def _class_changes(old: PolicyDocument, new: PolicyDocument) -> Iterator[Change]:
    for name in sorted(set(old.record_classes) & set(new.record_classes)):
        before, after = old.record_classes[name], new.record_classes[name]
        path = f"record_classes.{name}"
        if before.sensitive != after.sensitive:
            yield _change(f"{path}.sensitive", before.sensitive,
                          "no longer treated as sensitive" if before.sensitive else "now treated as sensitive")
        widened = (bool(before.fields) and not after.fields) or bool(set(after.fields) - set(before.fields)
                                                                   if before.fields else False)
        if before.fields != after.fields:
            yield _change(f"{path}.fields", widened, "holds more than before" if widened else "holds less")
        if before.stored != after.stored:
            yield _change(f"{path}.stored", after.stored, "now stored" if after.stored else "no longer stored")


def _more_identifying(before: str, after: str) -> bool:
    return DATA_FORMS.index(after) > DATA_FORMS.index(before)


def _purpose_changes(old: PolicyDocument, new: PolicyDocument) -> Iterator[Change]:
    for name in sorted(set(old.purposes) & set(new.purposes)):
        before, after = old.purposes[name], new.purposes[name]
        if before.data_form != after.data_form:
            yield _change(f"purposes.{name}.data_form", _more_identifying(before.data_form, after.data_form),
                          f"uses {after.data_form} data, was {before.data_form}")
        if before.sensitive_exception != after.sensitive_exception:
            yield _change(f"purposes.{name}.sensitive_exception", after.sensitive_exception is not None,
                          "sensitive data now used without opt-in" if after.sensitive_exception
                          else "sensitive data back under opt-in")


def _recipient_changes(old: PolicyDocument, new: PolicyDocument) -> Iterator[Change]:
    for name in sorted(set(old.recipients) & set(new.recipients)):
        before, after = old.recipients[name], new.recipients[name]
        path = f"recipients.{name}"
        if before.data_form != after.data_form:
            yield _change(f"{path}.data_form", _more_identifying(before.data_form, after.data_form),
                          f"receives {after.data_form} data, was {before.data_form}")
        if before.min_group_size != after.min_group_size:
            smaller = (after.min_group_size or 0) < (before.min_group_size or 0)
            yield _change(f"{path}.min_group_size", smaller, "smaller aggregate groups" if smaller
                          else "larger aggregate groups")
        if (before.country, before.transfer_mechanism) != (after.country, after.transfer_mechanism):
            abroad = after.country is not None and after.transfer_mechanism is not None
            yield _change(f"{path}.country", abroad,
                          f"processed in {after.country} under {after.transfer_mechanism}" if abroad
                          else "processed in the home country")
        dropped = sorted(set(before.contract.terms) - set(after.contract.terms))
        if dropped:
            yield _change(f"{path}.contract.terms", True, f"signs fewer terms: {', '.join(dropped)} dropped")
        kept = sorted(set(before.quasi_identifiers) - set(after.quasi_identifiers))
        if set(before.quasi_identifiers) != set(after.quasi_identifiers):
            yield _change(f"{path}.quasi_identifiers", bool(kept),
                          f"no longer left out of its feeds: {', '.join(kept)}" if kept
                          else "more fields left out of its feeds")


def _requirement_changes(old: PolicyDocument, new: PolicyDocument) -> Iterator[Change]:
    for kind in sorted(set(old.contract_requirements) | set(new.contract_requirements)):
        was = set(old.contract_requirements.get(kind, []))
        now = set(new.contract_requirements.get(kind, []))
        if was - now:
            yield _change(f"contract_requirements.{kind}", True,
                          f"no longer required of every {kind}: {', '.join(sorted(was - now))}")
        elif now - was:
            yield _change(f"contract_requirements.{kind}", False, "more terms required")


def _transfer_changes(old: PolicyDocument, new: PolicyDocument) -> Iterator[Change]:
    def flows(doc: PolicyDocument) -> set[tuple[str, str, str]]:
        return {(origin, t.destination, t.mechanism) for t in doc.provider.international_transfers
                for origin in t.origins}

    for origin, destination, mechanism in sorted(flows(new) - flows(old)):
        yield _change(f"provider.international_transfers.{origin}.{destination}", True,
                      f"personal information from {origin} to {destination} under {mechanism}", "added")
    for origin, destination, _ in sorted(flows(old) - flows(new)):
        if not any(f[:2] == (origin, destination) for f in flows(new)):
            yield _change(f"provider.international_transfers.{origin}.{destination}", False,
                          "a transfer stopped", "removed")


def _voluntary_changes(old: PolicyDocument, new: PolicyDocument) -> Iterator[Change]:
    before, after = old.legal.voluntary_disclosures, new.legal.voluntary_disclosures
    for name in sorted(set(after) - set(before)):
        yield _change(f"legal.voluntary_disclosures.{name}", True, "a new disclosure without legal process", "added")
    for name in sorted(set(before) - set(after)):
        yield _change(f"legal.voluntary_disclosures.{name}", False, "a disclosure basis dropped", "removed")
    for name in sorted(set(before) & set(after)):
        was, now = before[name], after[name]
        gained = sorted((set(now.classes) - set(was.classes)) | (set(now.audiences) - set(was.audiences)))
        unreviewed = was.requires_review and not now.requires_review
        if gained or unreviewed or was.basis != now.basis:
            yield _change(f"legal.voluntary_disclosures.{name}", True,
                          f"wider: {', '.join(gained)}" if gained else "no longer reviewed" if unreviewed
                          else f"basis changed to {now.basis}")
        elif was != now:
            yield _change(f"legal.voluntary_disclosures.{name}", False, "narrower or reworded")


def _business_transfer_changes(old: PolicyDocument, new: PolicyDocument) -> Iterator[Change]:
    was, now = old.business_transfer, new.business_transfer
    if now is None:
        if was is not None:
            yield _change("business_transfer", False, "no business transfer foreseen", "removed")
        return
    if was is None:
        yield _change("business_transfer", True, "customer information may pass to a successor", "added")
        return
    if NOTICE_STRENGTH.index(now.notify_customers) < NOTICE_STRENGTH.index(was.notify_customers):
        yield _change("business_transfer.notify_customers", True,
                      f"customer notice weakened from {was.notify_customers} to {now.notify_customers}")
    gained = sorted(set(now.classes) - set(was.classes))
    if gained or (was.successor_bound_by_policy and not now.successor_bound_by_policy):
        yield _change("business_transfer.classes", True,
                      f"more classes transferred: {', '.join(gained)}" if gained
                      else "the successor is no longer bound by this policy")


def _security_changes(old: PolicyDocument, new: PolicyDocument) -> Iterator[Change]:
    dropped = sorted(set(old.security.controls) - set(new.security.controls))
    if dropped:
        yield _change("security.controls", True, f"security controls dropped: {', '.join(dropped)}")
    elif set(new.security.controls) - set(old.security.controls):
        yield _change("security.controls", False, "security controls added")


def _data_set_changes(old: PolicyDocument, new: PolicyDocument) -> Iterator[Change]:
    before = {data_set.id: set(data_set.purposes) for data_set in old.data_sets}
    for data_set in new.data_sets:
        gained = sorted(set(data_set.purposes) - before.get(data_set.id, set(data_set.purposes)))
        if gained:
            yield _change(f"data_sets.{data_set.id}.purposes", True,
                          f"client data used for more purposes: {', '.join(gained)}")
