"""What the abuse desk sends out, always through the disclosure gate: reports to the fraud exchange (002 P67, the
recipient `fraud_exchange` for the purpose `fraud_prevention`) and 10DLC campaign registrations to the campaign
registry (002 P111, the recipient `campaign_registry`). The gate checks the policy, writes the feed and records each
disclosure; a campaign is recorded only when the gate released it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, select

from custodian.abuse import store
from custodian.abuse.campaigns import CampaignAsk, CampaignRefused, check_campaign
from custodian.abuse.desk import abuse_ticket
from custodian.audit import store as audit
from custodian.consent.snapshot import ConsentSnapshot
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.disclosures.gate import Ask, Released, release
from custodian.disclosures.tables import disclosure_release
from custodian.kernel.phone import to_e164
from custodian.policy.compiled import CompiledPolicy
from custodian.records import payload
from custodian.records.tables import account

FRAUD_EXCHANGE, FRAUD_PURPOSE = "fraud_exchange", "fraud_prevention"
CAMPAIGN_REGISTRY = "campaign_registry"


@dataclass(frozen=True)
class Outbound:
    """Where a release goes: the gate's inputs the desk does not choose itself."""

    keyring: Keyring
    policy: CompiledPolicy
    snapshot: ConsentSnapshot
    out: Path
    fmt: str = "csv"
    blobs: LocalBlobStore | None = None


def report_to_fraud_exchange(engine: Engine, to: Outbound, *, ticket_id: int, classes: Sequence[str], actor: str,
                             now: datetime, staff_id: int | None = None) -> Released:
    """Report the account of an open abuse ticket to the fraud exchange through the gate."""
    with transaction(engine) as conn:
        ticket = abuse_ticket(conn, to.policy, ticket_id, now, staff_id)
    ask = Ask(FRAUD_EXCHANGE, FRAUD_PURPOSE, tuple(classes), "identifiable", actor)
    outcome = release(engine, to.keyring, to.policy, to.snapshot, ask, [ticket.grant.account_id], to.out, to.fmt,
                      now, to.blobs)
    with transaction(engine) as conn:
        audit.append(conn, actor=actor, action="abuse.report", account_id=ticket.grant.account_id,
                     record_classes=list(classes), now=now, reason=outcome.refused or "reported to the fraud exchange",
                     detail={"ticket": ticket_id, **outcome.as_json()})
    return outcome


def register_campaign(engine: Engine, to: Outbound, *, account_id: int, ask: CampaignAsk, actor: str,
                      now: datetime) -> tuple[int, Released]:
    """Check a 10DLC campaign, send the registration to the campaign registry through the gate and record it;
    CampaignRefused naming the rule (the gate's included) otherwise."""
    policy = to.policy
    with transaction(engine) as conn:
        kind = conn.execute(select(account.c.kind).where(account.c.id == account_id)).scalar()
        if kind is None:
            raise CampaignRefused(f"account: no account with id {account_id}")
        ein = check_campaign(ask, account_kind=kind, max_numbers=policy.document.abuse.campaign_max_numbers)
        bidxs = [to.keyring.blind_index(conn, "number", to_e164(number)) for number in ask.numbers]
        if not all(store.holds_number(conn, account_id, bidx, now) for bidx in bidxs):
            raise CampaignRefused("numbers: a campaign sends only from numbers the account holds")
        if any(store.active_block(conn, bidx) is not None for bidx in bidxs):
            raise CampaignRefused("blocked_number: a number of the campaign is blocked from sending")
        if store.numbers_in_campaigns(conn, bidxs):
            raise CampaignRefused("numbers: a number already sends for another campaign")
    purposes = policy.document.recipients[CAMPAIGN_REGISTRY].purposes if CAMPAIGN_REGISTRY in \
        policy.document.recipients else ["provide_service"]
    gate_ask = Ask(CAMPAIGN_REGISTRY, purposes[0], ("subscriber.basic",), "identifiable", actor)
    outcome = release(engine, to.keyring, policy, to.snapshot, gate_ask, [account_id], to.out, to.fmt, now, to.blobs)
    if outcome.refused is not None:
        raise CampaignRefused(f"gate: {outcome.refused}")
    if outcome.disclosed == 0:
        raise CampaignRefused("gate: the account's choices do not allow the registry's purpose")
    with transaction(engine) as conn:
        release_id = conn.execute(select(disclosure_release.c.id).where(
            disclosure_release.c.recipient == CAMPAIGN_REGISTRY,
            disclosure_release.c.feed_sha256 == outcome.feed_sha256, disclosure_release.c.made_at == now)
            .order_by(disclosure_release.c.id.desc()).limit(1)).scalar()
        sealed = to.keyring.cipher(conn, account_id).seal(ein, payload.aad("sms_campaign", "ein", account_id))
        campaign_id = store.insert_campaign(conn, account_id=account_id, bidxs=bidxs, entity_type=ask.entity_type,
                                            ein_enc=sealed, use_case=ask.use_case.strip(), registered_at=now,
                                            registered_by=actor, release_id=release_id)
        audit.append(conn, actor=actor, action="abuse.campaign_registered", account_id=account_id,
                     record_classes=["subscriber.basic"], now=now, reason="10DLC campaign registered",
                     detail={"campaign": campaign_id, "numbers": len(bidxs), "entity_type": ask.entity_type,
                             "release": release_id})
    return campaign_id, outcome
