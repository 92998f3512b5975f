"""The access rules compiled from the policy's `staff` section into flat lookup tables.

Seed 000: "the representative is allowed to access only the personal information that he or she
needs to address your concern"; 47 CFR 64.2010(b): call detail on a customer-initiated call only
after the customer gives the password. Every answer a decision can give is built here once, so a
decision is a few dictionary reads.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from custodian.access.self_access_rules import SelfAccess, self_access
from custodian.access.types import PRIVACY_OFFICER, Decision
from custodian.policy.compiled import CompiledPolicy

# When break-glass crosses topics that mask a class differently, the strictest mask applies.
MASK_STRICTNESS = {"counts_only": 3, "masked_counterpart": 2, "last_four": 1}


@dataclass(frozen=True)
class AccessRules:
    """One policy version's access rules as lookup tables of ready-made decisions."""

    version: str
    provider: str
    acknowledgement_required: bool
    ticket_hours: int
    roles: frozenset[str]
    topics: tuple[str, ...]
    collected: frozenset[str]
    on_ticket: Mapping[tuple[str, str, str], Decision]  # (role, topic, class) -> permit
    break_glass: Mapping[tuple[str, str], Decision]  # (role, class) -> permit
    changes: Mapping[tuple[str, str, str], Decision]  # (role, topic, change) -> permit
    topics_of_role: Mapping[str, tuple[str, ...]]
    classes_on_topic: Mapping[tuple[str, str], tuple[str, ...]]
    cpni_classes: frozenset[str]
    cpni_channels: frozenset[str]
    cpni_alternatives: tuple[str, ...]
    own: SelfAccess  # what the customer sees of their own account (portal pages and export alike)
    credentials_admin: str | None = None  # the officer whose console-issued credentials need no second approval

    def staff_roles(self) -> tuple[str, ...]:
        """Every role a staff member may hold: the policy's roles and the privacy officer."""
        return (*sorted(self.roles), PRIVACY_OFFICER)


def compile_access(policy: CompiledPolicy) -> AccessRules:
    """Build the access tables of a compiled policy."""
    staff = policy.document.staff
    on_ticket: dict[tuple[str, str, str], Decision] = {}
    strictest: dict[tuple[str, str], tuple[str | None, str]] = {}
    for (role, topic), grant in policy.grants.items():
        for record_class in sorted(grant.classes):
            mask = grant.masks.get(record_class)
            on_ticket[(role, topic, record_class)] = Decision(
                True, record_class, f"needed for a {topic} ticket ({role})", grant.purpose, mask)
            held = strictest.get((role, record_class))
            if held is None or MASK_STRICTNESS.get(mask or "", 0) > MASK_STRICTNESS.get(held[0] or "", 0):
                strictest[(role, record_class)] = (mask, grant.purpose)
    break_glass = {
        (role, record_class): Decision(True, record_class, "break-glass: access outside a ticket", purpose, mask,
                                       break_glass=True)
        for (role, record_class), (mask, purpose) in strictest.items()
    }
    changes: dict[tuple[str, str, str], Decision] = {
        (role_name, topic, change): Decision(True, "subscriber.basic", f"{change} may change on a {topic} ticket",
                                             access.purpose)
        for role_name, role in staff.roles.items() for topic, access in role.topics.items()
        for change in access.changes
    }
    topics_of_role = {name: tuple(role.topics) for name, role in staff.roles.items()}
    classes_on_topic = {key: tuple(sorted(grant.classes)) for key, grant in policy.grants.items()}
    return AccessRules(
        version=policy.version_hash,
        provider=policy.document.provider.name,
        acknowledgement_required=staff.acknowledgement_required,
        ticket_hours=staff.ticket_hours,
        roles=frozenset(staff.roles),
        topics=tuple(staff.topics),
        collected=policy.collected,
        on_ticket=MappingProxyType(on_ticket),
        break_glass=MappingProxyType(break_glass),
        changes=MappingProxyType(changes),
        topics_of_role=MappingProxyType(topics_of_role),
        classes_on_topic=MappingProxyType(classes_on_topic),
        cpni_classes=policy.cpni_protected,
        cpni_channels=frozenset(staff.cpni_authentication.channels),
        cpni_alternatives=tuple(staff.cpni_authentication.alternatives),
        own=self_access(policy.document),
        credentials_admin=staff.credentials_admin,
    )
