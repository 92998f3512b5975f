"""The cookie banner's edge in the domain: the banner of the policy in force, and recording a visitor's
answer (or a signed-in customer's Global Privacy Control signal) in the consent ledger. Joins the caller's
transaction."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import Connection

from custodian.consent import service
from custodian.consent.purposes import compile_rules
from custodian.consent.web_banner import Banner, banner_of, check_consent_id, entries_of_answer
from custodian.policy.compiled import CompiledPolicy

WEB_ACTOR = "web-banner"


def gpc_purposes(policy: CompiledPolicy) -> frozenset[str]:
    """The purposes a GPC signal opts out of: those the consent rules mark as sale or sharing."""
    return frozenset(name for name, rule in compile_rules(policy).items() if rule.sale_or_sharing)


def banner_for(policy: CompiledPolicy) -> Banner:
    """The banner of a policy: its cookie purposes, the essential ones always on."""
    rules = compile_rules(policy)
    purposes = {name: (tuple(p.classes), rules[name].choice, p.description)
                for name, p in policy.document.purposes.items()}
    return banner_of(purposes, gpc_purposes(policy))


def record_answer(conn: Connection, policy: CompiledPolicy, *, consent_id: str, choices: Mapping[str, str],
                  gpc: bool, now: datetime) -> int:
    """Record a visitor's answer under their anonymous consent id (BannerAnswerInvalid naming the field);
    return how many ledger entries it made."""
    subject = check_consent_id(consent_id)
    entries = entries_of_answer(banner_for(policy), choices, gpc)
    for purpose, choice, channel in entries:
        service.record(conn, policy, subject=subject, purpose=purpose, choice=choice, channel=channel,
                       medium="any", made_at=now, actor=WEB_ACTOR, now=now)
    return len(entries)


def record_customer_gpc(conn: Connection, policy: CompiledPolicy, account_id: int, *, now: datetime) -> int:
    """A signed-in customer's request carried a GPC signal: opt the account out of every purpose that sells or
    shares, once (a purpose whose latest choice is already a denial is left alone). The lead calls this from
    the portal; return how many entries it made."""
    latest: dict[str, str] = {}
    for entry in service.history(conn, account_id):  # newest first
        if entry.medium == "any":
            latest.setdefault(entry.purpose, entry.choice)
    count = 0
    for purpose in sorted(gpc_purposes(policy)):
        if policy.choice_of_purpose.get(purpose, "none") == "none" or latest.get(purpose) == "denied":
            continue
        service.record(conn, policy, account_id=account_id, purpose=purpose, choice="denied",
                       channel="gpc", medium="any", made_at=now, actor="customer", now=now)
        count += 1
    return count
