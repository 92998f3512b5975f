"""Audit events as a person reads them (pure): an event's detail as labelled fields, not JSON, with record
classes by their names and internal keys worded."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from custodian.policy.vocabulary import CLASS_NAMES, class_name

# Detail keys whose stored name says too little on a page.
KEY_LABELS = {"policy": "Policy version", "mask": "Masked", "break_glass": "Break-glass",
              "break_glass_reason": "Break-glass reason", "ticket": "Ticket", "purpose": "Purpose",
              "action": "Request", "through_seq": "Verified through event", "break_seq": "Broken at event",
              "record_class": "Record class", "record_classes": "Record classes", "classes": "Record classes"}
CLASS_KEYS = frozenset({"record_class", "record_classes", "classes"})


def key_label(key: str) -> str:
    """A detail key as a label: 'break_glass_reason' -> 'Break-glass reason', 'cpni.call_log' -> its name."""
    if key in CLASS_NAMES:
        return CLASS_NAMES[key]
    return KEY_LABELS.get(key, key.replace("_", " ").replace(".", " ").capitalize())


def value_text(key: str, value: Any) -> str:
    """A detail value as text: yes/no, lists joined, record classes named, nested fields as 'label: value'."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Mapping):
        return "; ".join(f"{key_label(str(k))}: {value_text(str(k), v)}" for k, v in value.items()
                         if v not in (None, "", [], {}))
    if isinstance(value, (list, tuple)):
        return ", ".join(value_text(key, item) for item in value)
    if key in CLASS_KEYS and isinstance(value, str):
        return class_name(value)
    if isinstance(value, str):
        return value.replace("_", " ") if key in ("purpose", "mask", "action") else value
    return str(value)


def detail_pairs(detail: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """The fields of an event's detail worth showing, in stored order (empty values left out)."""
    return [(key_label(key), value_text(key, value)) for key, value in (detail or {}).items()
            if value not in (None, "", [], {}) and value is not False]
