"""The compiled policy: immutable lookup tables, so every decision is a dictionary read.

Access (issue "need-to-know staff access"), the legal desk and retention read their rules from
here, never from the document.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TypeVar

from custodian.policy.document import PolicyDocument, RetentionRule
from custodian.policy.sca import default_matrix


@dataclass(frozen=True)
class TopicGrant:
    """What one role sees on a ticket of one topic."""

    purpose: str
    classes: frozenset[str]
    masks: Mapping[str, str]


@dataclass(frozen=True)
class CompiledPolicy:
    """A checked policy, ready for microsecond decisions."""

    document: PolicyDocument
    version_hash: str
    collected: frozenset[str]
    choice_of_purpose: Mapping[str, str]
    purposes_of_class: Mapping[str, frozenset[str]]
    grants: Mapping[tuple[str, str], TopicGrant]
    cpni_protected: frozenset[str]
    recipients_of_class: Mapping[str, frozenset[str]]
    retention: Mapping[tuple[str, str], tuple[RetentionRule, ...]]
    legal_process: Mapping[tuple[str, str], str]
    sensitive: frozenset[str]
    voluntary: Mapping[tuple[str, str, str], str]  # (class, basis, audience) -> the voluntary-disclosure rule

    def grant(self, role: str, topic: str) -> TopicGrant | None:
        """What `role` may see on a `topic` ticket; None when the policy gives it nothing."""
        return self.grants.get((role, topic))

    def process_needed(self, requester_type: str, record_class: str) -> str:
        """The least legal process (an instrument, "mlat" or "never") for a requester to receive a class."""
        return self.legal_process.get((requester_type, record_class), "never")

    def voluntary_rule(self, record_class: str, basis: str, audience: str) -> str | None:
        """The rule that lets `record_class` go to `audience` without legal process on `basis`, if any."""
        return self.voluntary.get((record_class, basis, audience))


def compile_policy(document: PolicyDocument, source_text: str) -> CompiledPolicy:
    """Build the lookup tables of a checked document; `source_text` fixes its version hash."""
    purposes_of_class: dict[str, set[str]] = {}
    for name, purpose in document.purposes.items():
        for record_class in purpose.classes:
            purposes_of_class.setdefault(record_class, set()).add(name)
    recipients_of_class: dict[str, set[str]] = {}
    for name, recipient in document.recipients.items():
        for record_class in recipient.classes:
            recipients_of_class.setdefault(record_class, set()).add(name)
    retention: dict[tuple[str, str], list[RetentionRule]] = {}
    for rule in document.retention.rules:
        for record_class in rule.classes:
            for profile in rule.profiles:
                retention.setdefault((record_class, profile), []).append(rule)
    return CompiledPolicy(
        document=document,
        version_hash=hashlib.sha256(source_text.encode("utf-8")).hexdigest(),
        collected=frozenset(document.record_classes),
        choice_of_purpose=_frozen({name: purpose.choice for name, purpose in document.purposes.items()}),
        purposes_of_class=_frozen({name: frozenset(found) for name, found in purposes_of_class.items()}),
        grants=_frozen(_grants(document)),
        cpni_protected=frozenset(document.staff.cpni_authentication.classes),
        recipients_of_class=_frozen({name: frozenset(found) for name, found in recipients_of_class.items()}),
        retention=_frozen({key: tuple(rules) for key, rules in retention.items()}),
        legal_process=_frozen(_legal_process(document)),
        sensitive=frozenset(name for name, use in document.record_classes.items() if use.sensitive),
        voluntary=_frozen({(record_class, rule.basis, audience): name
                           for name, rule in document.legal.voluntary_disclosures.items()
                           for record_class in rule.classes for audience in rule.audiences}),
    )


def _grants(document: PolicyDocument) -> dict[tuple[str, str], TopicGrant]:
    return {
        (role_name, topic): TopicGrant(access.purpose, frozenset(access.classes), _frozen(dict(access.masks)))
        for role_name, role in document.staff.roles.items()
        for topic, access in role.topics.items()
    }


def _legal_process(document: PolicyDocument) -> dict[tuple[str, str], str]:
    matrix = {key: value for key, value in default_matrix().items() if key[1] in document.record_classes}
    for requester, needs in document.legal.process.items():
        for record_class, process in needs.items():
            matrix[(requester, record_class)] = process
    return matrix


K = TypeVar("K")
V = TypeVar("V")


def _frozen(mapping: dict[K, V]) -> Mapping[K, V]:
    return MappingProxyType(mapping)
