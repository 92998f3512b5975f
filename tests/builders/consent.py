"""A policy with a choice of each kind (CPNI opt-out, opt-in, plain opt-out), activated, and ways to record."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine

from custodian.consent import service
from custodian.consent.snapshot import ConsentSnapshot
from custodian.consent.types import Entry
from custodian.db.engine import transaction
from custodian.policy import store as policy_store
from custodian.policy.compiled import CompiledPolicy
from tests.builders.policy import policy_with

MARKETING_TEXT = "    description: Tell customers about new plans.\n"
CPNI_OFFERS_TEXT = "Suggest calling plans from how the customer uses the service."
CONSENT_POLICY = policy_with(MARKETING_TEXT, MARKETING_TEXT + f"""\
  calling_plan_offers:
    data_use: marketing.communications
    choice: opt_out
    classes: [subscriber.basic, cpni.call_log]
    description: {CPNI_OFFERS_TEXT}
  recording_transcripts:
    data_use: functional.service
    choice: opt_in
    classes: [content.call_recording]
    description: Transcribe call recordings so the customer can search them.
""")
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def activate(engine: Engine, text: str = CONSENT_POLICY, at: datetime = T0 - timedelta(days=400)) -> CompiledPolicy:
    """Activate `text`, in force from `at`; return it compiled."""
    with transaction(engine) as conn:
        version = policy_store.activate(conn, text, actor="test", effective_at=at, now=at)
    return version.compiled()


def record(engine: Engine, policy: CompiledPolicy, account_id: int, purpose: str, choice: str, made_at: datetime,
           **extra: Any) -> Entry:
    """Record one choice through the service, in its own transaction."""
    fields: dict[str, Any] = {"channel": "portal", "actor": "customer", "now": made_at, **extra}
    with transaction(engine) as conn:
        return service.record(conn, policy, account_id=account_id, purpose=purpose, choice=choice,
                              made_at=made_at, **fields)


def snapshot(engine: Engine, policy: CompiledPolicy, now: datetime) -> ConsentSnapshot:
    """The snapshot as of `now`."""
    with engine.connect() as conn:
        return service.load_snapshot(conn, policy, now)
