"""Every seed provider's need-to-know rule, driven through the decision point with that provider's own policy
file: on a ticket, a role sees exactly the classes its topic lists, and nothing without a ticket.

Seed 000: "the representative is allowed to access only the personal information that he or she needs";
seed 001: access "is authorized only for those who have a business need for such access".
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from custodian.access.decide import decide
from custodian.access.rules import AccessRules, compile_access
from custodian.access.types import Actor, Context, TicketGrant
from custodian.policy.check import check_text
from custodian.policy.compiled import compile_policy
from custodian.policy.document import PolicyDocument
from custodian.policy.vocabulary import RECORD_CLASSES

POLICIES = sorted((Path(__file__).resolve().parents[2] / "examples" / "policies").glob("*.yaml"))
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def _load(path: Path) -> tuple[PolicyDocument, AccessRules]:
    text = path.read_text(encoding="utf-8")
    document = check_text(text).document
    assert document is not None
    return document, compile_access(compile_policy(document, text))


@pytest.mark.parametrize("path", POLICIES, ids=lambda p: p.stem)
def test_each_role_sees_on_a_ticket_exactly_the_classes_its_topic_lists(path: Path) -> None:
    document, rules = _load(path)
    for role, grants in document.staff.roles.items():
        actor = Actor(7, "sam", role, rules.version)
        for topic, access in grants.topics.items():
            ticket = TicketGrant(ticket_id=1, staff_id=7, account_id=42, topic=topic, channel="outbound_call",
                                 expires_at=NOW + timedelta(hours=1), cpni_verified=True)
            seen = {name for name in RECORD_CLASSES
                    if decide(actor, "read", 42, name, Context(NOW, rules, ticket)).permit}
            assert seen == set(access.classes), (role, topic)


@pytest.mark.parametrize("path", POLICIES, ids=lambda p: p.stem)
def test_without_a_ticket_no_role_sees_anything(path: Path) -> None:
    document, rules = _load(path)
    for role in document.staff.roles:
        actor = Actor(7, "sam", role, rules.version)
        assert not any(decide(actor, "read", 42, name, Context(NOW, rules, None)).permit for name in RECORD_CLASSES)
