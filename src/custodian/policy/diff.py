"""What changed between two policy versions, and which changes are material (issue 3, item 6).

Material (drives customer notification and renewed choice): a new purpose for a class already
collected; a purpose's choice weakened (opt-in -> opt-out -> none); a new recipient, or a recipient
receiving a new class or purpose; retention lengthened or made indefinite; a newly collected class;
less legal process needed for a class; customer notification weakened. Not material: wording,
shorter retention, a removed recipient, stricter rules, contact details.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from custodian.policy.change import Change, Kind
from custodian.policy.compiled import compile_policy
from custodian.policy.diff_sharing import COVERED, sharing_changes
from custodian.policy.document import KeepFor, PolicyDocument, RetentionRule
from custodian.policy.sca import process_rank
from custodian.policy.vocabulary import CHOICES

__all__ = ["Change", "Kind", "diff_policies"]


def diff_policies(old: PolicyDocument, new: PolicyDocument) -> list[Change]:
    """Every change from `old` to `new`, the material ones marked with why."""
    changes = [*_record_classes(old, new), *_purposes(old, new), *_recipients(old, new),
               *_retention(old, new), *_closure(old, new), *_legal_process(old, new), *_notification(old, new),
               *sharing_changes(old, new)]
    covered = ("record_classes", "purposes", "recipients", "retention", "legal.process", "legal.notification",
               "promises", *COVERED)
    specific = tuple(change.path for change in changes)
    changes += [change for change in _leaf_changes(old.model_dump(mode="json"), new.model_dump(mode="json"), "")
                if not change.path.startswith(covered) and not change.path.startswith(specific)]
    return sorted(changes)


def _record_classes(old: PolicyDocument, new: PolicyDocument) -> Iterator[Change]:
    for name in sorted(set(new.record_classes) - set(old.record_classes)):
        yield Change(f"record_classes.{name}", "added", True, "a newly collected class")
    for name in sorted(set(old.record_classes) - set(new.record_classes)):
        yield Change(f"record_classes.{name}", "removed", False, "a class no longer collected")
    for name in sorted(set(old.record_classes) & set(new.record_classes)):
        added = set(new.record_classes[name].categories) - set(old.record_classes[name].categories)
        if added:
            yield Change(f"record_classes.{name}.categories", "changed", True,
                         f"collects new kinds of data: {', '.join(sorted(added))}")
        elif _unlimited(old.record_classes[name]) != _unlimited(new.record_classes[name]):
            yield Change(f"record_classes.{name}", "changed", False, "wording or fewer categories")


def _purposes(old: PolicyDocument, new: PolicyDocument) -> Iterator[Change]:
    collected = set(old.record_classes)
    for name in sorted(set(new.purposes) - set(old.purposes)):
        reused = sorted(set(new.purposes[name].classes) & collected)
        yield Change(f"purposes.{name}", "added", bool(reused),
                     f"a new purpose for classes already collected: {', '.join(reused)}" if reused
                     else "a new purpose for newly collected classes only")
    for name in sorted(set(old.purposes) - set(new.purposes)):
        yield Change(f"purposes.{name}", "removed", False, "a purpose dropped")
    for name in sorted(set(old.purposes) & set(new.purposes)):
        yield from _purpose_change(name, old.purposes[name], new.purposes[name], collected)


def _purpose_change(name: str, before: Any, after: Any, collected: set[str]) -> Iterator[Change]:
    path = f"purposes.{name}"
    if CHOICES.index(after.choice) < CHOICES.index(before.choice):
        yield Change(f"{path}.choice", "changed", True, f"choice weakened from {before.choice} to {after.choice}")
    elif after.choice != before.choice:
        yield Change(f"{path}.choice", "changed", False, f"choice strengthened from {before.choice} to {after.choice}")
    reused = sorted((set(after.classes) - set(before.classes)) & collected)
    if reused:
        yield Change(f"{path}.classes", "changed", True, f"a purpose now uses classes already collected: "
                                                         f"{', '.join(reused)}")
    if after.data_use != before.data_use:
        yield Change(f"{path}.data_use", "changed", True,
                     f"data use changed from {before.data_use} to {after.data_use}")
    if after.description != before.description:
        yield Change(f"{path}.description", "changed", False, "wording")


def _unlimited(use: Any) -> Any:
    """A class's description and categories; sensitivity, fields and storage are diffed in diff_sharing."""
    return use.model_dump(exclude={"sensitive", "fields", "stored"})


def _recipients(old: PolicyDocument, new: PolicyDocument) -> Iterator[Change]:
    for name in sorted(set(new.recipients) - set(old.recipients)):
        yield Change(f"recipients.{name}", "added", True, "a new recipient")
    for name in sorted(set(old.recipients) - set(new.recipients)):
        yield Change(f"recipients.{name}", "removed", False, "a recipient removed")
    for name in sorted(set(old.recipients) & set(new.recipients)):
        before, after = old.recipients[name], new.recipients[name]
        for field in ("classes", "purposes"):
            gained = sorted(set(getattr(after, field)) - set(getattr(before, field)))
            if gained:
                yield Change(f"recipients.{name}.{field}", "changed", True,
                             f"a recipient receives new {field}: {', '.join(gained)}")
        shared = {"classes", "purposes", "data_form", "min_group_size", "country", "transfer_mechanism",
                  "quasi_identifiers"}
        if after.model_dump(exclude=shared) != before.model_dump(exclude=shared) and \
                not set(before.contract.terms) - set(after.contract.terms):
            yield Change(f"recipients.{name}", "changed", False, "contract terms added or wording")


def _retention(old: PolicyDocument, new: PolicyDocument) -> Iterator[Change]:
    before, after = _retention_table(old), _retention_table(new)
    for key in sorted(set(before) | set(after)):
        path = f"retention.{key[0]}.{key[1]}"
        was, now = before.get(key), after.get(key)
        if was == now:
            continue
        longer = _retention_rank(now) > _retention_rank(was)
        yield Change(path, "added" if was is None else "removed" if now is None else "changed", longer,
                     f"retention {'lengthened' if longer else 'shortened or unchanged in effect'}: "
                     f"{describe_retention(was)} -> {describe_retention(now)}")


def _closure(old: PolicyDocument, new: PolicyDocument) -> Iterator[Change]:
    """Later purges, or classes now kept (de-identified) after closure, are material; the reverse is not."""
    before, after = old.retention.on_closure, new.retention.on_closure
    if before == after:
        return
    if before is None or after is None:
        # no closure purge means closed accounts are kept indefinitely: removing it is material
        yield Change("retention.on_closure", "added" if before is None else "removed", after is None,
                     "closure purge " + ("added" if before is None else "removed"))
        return
    for field in ("purge_after_days", "deadline_days"):
        was, now = getattr(before, field), getattr(after, field)
        if was != now:
            yield Change(f"retention.on_closure.{field}", "changed", now > was, f"closure {field}: {was} -> {now}")
    for name in sorted(set(after.deidentify) - set(before.deidentify)):
        yield Change(f"retention.on_closure.deidentify.{name}", "added", True,
                     "kept de-identified after closure instead of deleted")
    for name in sorted(set(before.deidentify) - set(after.deidentify)):
        yield Change(f"retention.on_closure.deidentify.{name}", "removed", False, "deleted at closure again")


def _retention_table(document: PolicyDocument) -> dict[tuple[str, str], tuple[str, int]]:
    table: dict[tuple[str, str], tuple[str, int]] = {}
    for rule in document.retention.rules:
        for record_class in rule.classes:
            for profile in rule.profiles:
                table.setdefault((record_class, profile), retention_measure(rule))
    return table


def retention_measure(rule: RetentionRule) -> tuple[str, int]:
    """A rule's limit as (measure, amount): ("days", 90), ("newest", 200), ("while_needed", 0), …"""
    keep = rule.keep
    if isinstance(keep, KeepFor):
        if keep.days is not None:
            return ("days", keep.days)
        if keep.newest is not None:
            return ("newest", keep.newest)
        return ("customer_set_min_hours", keep.customer_set_min_hours or 0)
    return (keep, 0)


_INDEFINITE = 10**12


def _retention_rank(measure: tuple[str, int] | None) -> float:
    """Longer keeping ranks higher; no rule means kept while needed (indefinite)."""
    if measure is None or measure[0] == "while_needed":
        return _INDEFINITE
    if measure[0] == "not_available":
        return -1
    if measure[0] == "customer_set_min_hours":
        return measure[1] / 24
    return measure[1]


def describe_retention(measure: tuple[str, int] | None) -> str:
    """Retention in words, as the notice and the diff say it."""
    if measure is None:
        return "no rule (kept while needed)"
    kind, amount = measure
    return {"days": f"{amount} days", "newest": f"newest {amount}",
            "customer_set_min_hours": f"customer-set, at least {amount} hours"}.get(kind, kind.replace("_", " "))


def _legal_process(old: PolicyDocument, new: PolicyDocument) -> Iterator[Change]:
    before = compile_policy(old, "").legal_process
    after = compile_policy(new, "").legal_process
    for key in sorted(set(before) & set(after)):
        if before[key] == after[key]:
            continue
        weaker = process_rank(after[key]) < process_rank(before[key])
        yield Change(f"legal.process.{key[0]}.{key[1]}", "changed", weaker,
                     f"{'less' if weaker else 'more'} legal process needed: {before[key]} -> {after[key]}")


def _notification(old: PolicyDocument, new: PolicyDocument) -> Iterator[Change]:
    before, after = old.legal.notification, new.legal.notification
    protective = {"notify_customer": True, "unless_nondisclosure_order": False, "after_order_expires": True}
    for field, good in protective.items():
        was, now = getattr(before, field), getattr(after, field)
        if was != now:
            weakened = was == good
            yield Change(f"legal.notification.{field}", "changed", weakened,
                         f"customer notification {'weakened' if weakened else 'strengthened'}")


def _leaf_changes(before: Any, after: Any, path: str) -> Iterator[Change]:
    """Changes elsewhere (contacts, wording, staff, fees): listed, never material by themselves."""
    if isinstance(before, dict) and isinstance(after, dict):
        for key in sorted(set(before) | set(after), key=str):
            child = f"{path}.{key}" if path else str(key)
            if key not in before:
                yield Change(child, "added", False, "not a material change")
            elif key not in after:
                yield Change(child, "removed", False, "not a material change")
            else:
                yield from _leaf_changes(before[key], after[key], child)
    elif isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        for index, (was, now) in enumerate(zip(before, after, strict=True)):
            yield from _leaf_changes(was, now, f"{path}.{index}")
    elif before != after:
        yield Change(path, "changed", False, "not a material change")
