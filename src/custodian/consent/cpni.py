"""CPNI opt-out notices and outbound campaign approvals (issue 16 §2; 47 CFR 64.2007-64.2009).

- Opt-out approval is inferred only after a notice (64.2008(d)(1)); the notice is renewed every two years
  (64.2008(d)(2)), so an account is due when it never had one, or when its last one is 30 days short of
  two years old (the new notice's waiting period then ends as the old notice lapses).
- The notice says what 64.2008(c) requires: the right and the duty to protect CPNI ((c)(1)); what CPNI is,
  who receives it and why, and the right to refuse or withdraw at any time ((c)(2)); the precise steps to
  opt out, and that refusing does not affect any service ((c)(3)); that a choice lasts until the customer
  changes it ((c)(9)); and the waiting period before approval is assumed (64.2008(d)(1)).
- Sent by e-mail to the e-mail address of record, or, with none, written as a postal letter into a
  letters directory; each notice sent is recorded (cpni_notice) and audited, and never deleted: records of
  notification are kept at least one year (64.2008(a)(2), 64.2007(a)(3)).
- A campaign that uses CPNI for outbound marketing is recorded with its supervisor's approval (64.2009(d)).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

from sqlalchemy import Connection, Engine, func, insert, select

from custodian.audit import store as audit
from custodian.consent.purposes import PurposeRule
from custodian.consent.rules import NOTICE_WAIT, two_years_after
from custodian.consent.tables import cpni_campaign, cpni_notice
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.mail.smtp import MailNotSent
from custodian.policy.compiled import CompiledPolicy
from custodian.records import store as records
from custodian.records.tables import account
from custodian.records.types import AccountView

SUBJECT = "Your telephone records (CPNI): your choice about their use for offers"  # 64.2008(d)(3)(iv)


class Mailer(Protocol):
    """Anything that sends a plain-text e-mail."""

    def send(self, to: str, subject: str, body: str) -> None: ...


@dataclass(frozen=True)
class NoticeTerms:
    """What a notice names: the provider, its purposes that use CPNI on opt-out, how to opt out."""

    provider: str
    purposes: tuple[str, ...]  # the purposes' descriptions
    recipients: tuple[str, ...]  # agents and affiliates that receive CPNI for them
    portal_url: str
    contact: str  # e-mail or telephone of the privacy contact


def opt_out_purposes(rules: Mapping[str, PurposeRule]) -> list[PurposeRule]:
    """The purposes that use CPNI on opt-out approval: the ones that need the notice."""
    return [rule for name, rule in sorted(rules.items()) if rule.uses_cpni and rule.choice == "opt_out"]


def notice_due(last_sent: datetime | None, now: datetime) -> bool:
    """Never notified, or the last notice is within 30 days of two years old (64.2008(d)(2))."""
    return last_sent is None or now >= two_years_after(last_sent) - NOTICE_WAIT


def notice_text(terms: NoticeTerms, account_ref: str, sent_on: str) -> str:
    """The notice of the customer's CPNI rights and of the opt-out (64.2008(c), (d)(1))."""
    uses = "\n".join(f"  - {purpose}" for purpose in terms.purposes)
    who = ", ".join(terms.recipients) if terms.recipients else f"{terms.provider} only"
    return (
        f"{terms.provider} - notice of your rights about your telephone records (CPNI), account {account_ref}, "
        f"{sent_on}\n\n"
        "You have a right, and we have a duty under federal law, to protect the confidentiality of your Customer "
        "Proprietary Network Information (CPNI).\n\n"
        "CPNI is information about the telecommunications services you buy from us: the type, amount, "
        "destination, location and technical configuration of your service and how you use it, such as the "
        "numbers you call and the time, date and length of your calls, and the related information on your "
        "bills. It does not include your name, address or listed telephone number.\n\n"
        f"We would like to use your CPNI for:\n{uses}\nIt is received by: {who}.\n\n"
        "You may refuse these uses, and you may deny or withdraw our access to your CPNI at any time. Refusing "
        "will not affect the provision of any service you subscribe to.\n\n"
        f"To refuse, sign in at {terms.portal_url} and choose \"No\" for these uses, or contact us at "
        f"{terms.contact}. If you do not refuse within 30 days of this notice, we will assume your approval to "
        "use your CPNI for the uses above.\n\n"
        "Your approval or refusal remains valid until you revoke or limit it. We will send you this notice "
        "again every two years.\n"
    )


def accounts_due(conn: Connection, now: datetime) -> list[tuple[int, datetime | None]]:
    """Active and suspended accounts whose CPNI notice is due at `now`, with their last notice's time."""
    last = (select(cpni_notice.c.account_id, func.max(cpni_notice.c.sent_at).label("sent_at"))
            .group_by(cpni_notice.c.account_id).subquery())
    rows = conn.execute(select(account.c.id, last.c.sent_at).outerjoin(last, last.c.account_id == account.c.id)
                        .where(account.c.status != "closed").order_by(account.c.id)).all()
    due: list[tuple[int, datetime | None]] = []
    for account_id, sent_at in rows:
        if notice_due(sent_at, now):
            due.append((int(account_id), sent_at))
    return due


def notify(engine: Engine, keyring: Keyring, mailer: Mailer | None, *, letters_dir: Path | None,
           public_base_url: str, actor: str, now: datetime) -> dict[str, int]:
    """Send the CPNI opt-out notices due under the policy in force (none in force: nothing)."""
    from custodian.consent.service import purpose_rules
    from custodian.policy import store as policy_store

    with engine.connect() as conn:
        version = policy_store.in_force(conn, now)
        if version is None:
            return {"email": 0, "post": 0, "not_sent": 0}
        policy = version.compiled()
        rules = purpose_rules(conn, policy, now)
    return send_due(engine, keyring, policy, rules, notice_terms(policy, rules, public_base_url), mailer,
                    letters_dir=letters_dir, actor=actor, now=now)


def send_due(engine: Engine, keyring: Keyring, policy: CompiledPolicy, rules: Mapping[str, PurposeRule],
             terms: NoticeTerms, mailer: Mailer | None, *, letters_dir: Path | None, actor: str,
             now: datetime, only: Collection[int] | None = None) -> dict[str, int]:
    """Send every notice due (to the accounts of `only`, if given), by e-mail or as a letter into
    `letters_dir`; return counts. Run twice, sends once."""
    counts = {"email": 0, "post": 0, "not_sent": 0}
    if not opt_out_purposes(rules):
        return counts
    with engine.connect() as conn:
        due = [account_id for account_id, _ in accounts_due(conn, now) if only is None or account_id in only]
    for account_id in due:
        with transaction(engine) as conn:
            view = records.read_account(conn, keyring, account_id)
            medium = _deliver(view, terms, mailer, letters_dir, now)
            if medium is None:
                counts["not_sent"] += 1
                continue
            event = audit.append(conn, actor=actor, action="consent.cpni_notice_sent", account_id=account_id,
                                 reason="CPNI opt-out notice (47 CFR 64.2008(d))", now=now,
                                 detail={"medium": medium, "policy_version": policy.version_hash})
            conn.execute(insert(cpni_notice).values(account_id=account_id, medium=medium, sent_at=now,
                                                    policy_version=policy.version_hash, audit_seq=event.seq))
            counts[medium] += 1
    return counts


def _deliver(view: AccountView, terms: NoticeTerms, mailer: Mailer | None, letters_dir: Path | None,
             now: datetime) -> str | None:
    body = notice_text(terms, view.ref, now.date().isoformat())
    if view.email:
        if mailer is None:
            return None
        try:
            mailer.send(view.email, SUBJECT, body)
        except MailNotSent:
            return None
        return "email"
    if letters_dir is None or view.address is None:
        return None
    letters_dir.mkdir(parents=True, exist_ok=True)
    name = " ".join(part for part in (view.first_name, view.last_name) if part) or view.company
    lines = [name, view.address.street, f"{view.address.city}, {view.address.state} {view.address.postal_code}"]
    path = letters_dir / f"cpni-notice-{view.ref}-{now:%Y%m%d}.txt"
    path.write_text("\n".join(lines) + "\n\n" + body, encoding="utf-8")
    path.chmod(0o600)
    return "post"


def approve_campaign(conn: Connection, rules: Mapping[str, PurposeRule], *, name: str, purpose: str,
                     description: str, supervisor: str, actor: str, now: datetime) -> int:
    """Record a supervisor's approval of an outbound marketing campaign that uses CPNI (64.2009(d))."""
    rule = rules.get(purpose)
    if rule is None:
        raise ValueError(f"purpose: the policy has no purpose {purpose!r}")
    if not rule.uses_cpni:
        raise ValueError(f"purpose: {purpose!r} uses no CPNI, so its campaigns need no supervisor's approval")
    if not name.strip() or not description.strip():
        raise ValueError("name: a campaign needs a name and a description")
    if not supervisor.strip():
        raise ValueError("supervisor: name the approving supervisor")
    event = audit.append(conn, actor=actor, action="consent.cpni_campaign_approved", now=now,
                         reason="outbound marketing campaign using CPNI approved (47 CFR 64.2009(d))",
                         detail={"name": name, "purpose": purpose, "supervisor": supervisor})
    return int(conn.execute(insert(cpni_campaign).values(
        name=name, purpose=purpose, description=description, supervisor=supervisor, approved_at=now,
        audit_seq=event.seq).returning(cpni_campaign.c.id)).scalar_one())


def notice_terms(policy: CompiledPolicy, rules: Mapping[str, PurposeRule], public_base_url: str) -> NoticeTerms:
    """The notice's terms from the policy: its CPNI opt-out purposes, their recipients, the privacy contact."""
    document = policy.document
    names = {rule.name for rule in opt_out_purposes(rules)}
    privacy = next((c for c in document.provider.contacts if c.role == "privacy"), document.provider.contacts[0])
    recipients = sorted({r.name for r in document.recipients.values() if names & set(r.purposes)})
    return NoticeTerms(document.provider.name, tuple(document.purposes[name].description for name in sorted(names)),
                       tuple(recipients), public_base_url.rstrip("/") + "/portal",
                       privacy.email or privacy.phone or privacy.url)


__all__ = ["SUBJECT", "NoticeTerms", "accounts_due", "approve_campaign", "notice_due", "notice_terms",
           "notice_text", "notify", "opt_out_purposes", "send_due"]
