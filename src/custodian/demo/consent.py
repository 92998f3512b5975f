"""The demo's consent ledger: a handful of realistic choices and CPNI opt-out notices, so the consent pages
and `custodian consent` have something to show. Everything goes through consent.service and consent.cpni,
as a customer's or a representative's choice would."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, select

from custodian.consent import cpni, service
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.demo.population import DemoPlan
from custodian.legal.notices import Mailer
from custodian.policy.compiled import CompiledPolicy
from custodian.records.tables import account

CONSENT_ACCOUNTS = 4


@dataclass(frozen=True)
class DemoChoice:
    """One choice the demo records: which account (by position), what, how, and how long ago."""

    position: int
    purpose: str
    choice: str
    channel: str
    days_ago: int
    medium: str = "any"
    call_minutes: int = 0  # a one-time oral approval lasting this long (47 CFR 64.2008(f))


CHOICES = (
    DemoChoice(0, "marketing", "denied", "representative", 40, medium="email"),
    DemoChoice(0, "call_recording", "granted", "portal", 90),
    DemoChoice(1, "gravatar_avatars", "granted", "portal", 200),
    DemoChoice(1, "gravatar_avatars", "withdrawn", "portal", 12),
    DemoChoice(2, "product_analytics", "denied", "written_form", 60),
    DemoChoice(3, "product_analytics", "granted", "oral_call", 2, call_minutes=15),
    DemoChoice(3, "voicemail_transcription", "granted", "phone_ivr", 30),
)


def consent_accounts(plan: DemoPlan) -> tuple[str, ...]:
    """The active residential accounts whose choices the demo records."""
    return tuple(acc.ref for acc in plan.accounts
                 if acc.status == "active" and acc.kind == "residential")[:CONSENT_ACCOUNTS]


def record_choices(engine: Engine, keyring: Keyring, policy: CompiledPolicy, plan: DemoPlan, mailer: Mailer | None,
                   *, letters_dir: Path, actor: str, now: datetime) -> int:
    """Record the demo's choices the policy offers, and send the CPNI notices of the first accounts; return the
    number of choices recorded."""
    refs = consent_accounts(plan)
    recorded = 0
    with transaction(engine) as conn:
        ids = {row.ref: row.id for row in conn.execute(select(account.c.ref, account.c.id)
                                                       .where(account.c.ref.in_(refs)))}
        for item in CHOICES:
            offered = policy.document.purposes.get(item.purpose)
            if item.position >= len(refs) or offered is None or offered.choice == "none":
                continue  # another provider's policy: only what it offers
            made_at = now - timedelta(days=item.days_ago)
            until = made_at + timedelta(minutes=item.call_minutes) if item.call_minutes else None
            service.record(conn, policy, account_id=ids[refs[item.position]], purpose=item.purpose,
                           choice=item.choice, channel=item.channel, medium=item.medium, made_at=made_at,
                           actor="customer" if item.channel == "portal" else actor, valid_until=until, now=now)
            recorded += 1
        rules = service.purpose_rules(conn, policy, now)
    cpni.send_due(engine, keyring, policy, rules, cpni.notice_terms(policy, rules, "http://127.0.0.1:8000"), mailer,
                  letters_dir=letters_dir, actor=actor, now=now, only=set(ids.values()))
    return recorded
