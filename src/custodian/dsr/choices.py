"""Requests that are choices (issue 15 §3): opt-out of sale or sharing (Cal. Civ. Code 1798.120, .135) and
limiting the use of sensitive personal information (1798.121). Each is recorded in the consent ledger (channel
`privacy_request`), so every later use and disclosure that asks `consent.allowed` obeys it; the answer lists
the uses that stopped, in the policy's words."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection

from custodian.consent import service as consent
from custodian.dsr.fulfilment import Outcome
from custodian.dsr.types import PrivacyRequest
from custodian.policy.compiled import CompiledPolicy

CHANNEL = "privacy_request"


def sale_or_sharing(conn: Connection, policy: CompiledPolicy, now: datetime) -> list[str]:
    """The purposes an opt-out of sale or sharing stops: those the consent rules mark as selling or sharing."""
    rules = consent.purpose_rules(conn, policy, now)
    return [name for name, rule in rules.items() if rule.sale_or_sharing and rule.choice != "none"]


SERVICE_USES = ("essential", "functional")  # fides data uses that perform the service the customer asked for


def sensitive_uses(policy: CompiledPolicy) -> list[str]:
    """The purposes a limit on sensitive information stops: optional purposes using a sensitive class for more
    than performing the service the customer asked for. 1798.121(a) leaves "use ... necessary to perform the
    services ... reasonably expected" (a call recording the customer turned on is such a service), and the
    policy's exceptions to the opt-in (vital interests, legal claims: 002 P52) stay."""
    document = policy.document
    return [name for name, purpose in document.purposes.items()
            if purpose.choice != "none" and purpose.sensitive_exception is None
            and not purpose.data_use.startswith(SERVICE_USES)
            and any(document.record_classes[c].sensitive for c in purpose.classes if c in document.record_classes)]


def stop_uses(conn: Connection, policy: CompiledPolicy, request: PrivacyRequest, purposes: list[str], *,
              actor: str, now: datetime, nothing: str) -> Outcome:
    """Record, for the request's account, a refusal of each purpose (withdrawn for an opt-in, denied for an
    opt-out) and answer with the uses stopped; `nothing` is the answer when no use needed stopping."""
    assert request.account_id is not None
    stopped = []
    for name in purposes:
        choice = "withdrawn" if policy.document.purposes[name].choice == "opt_in" else "denied"
        consent.record(conn, policy, account_id=request.account_id, purpose=name, choice=choice, channel=CHANNEL,
                       medium="any", made_at=now, actor=actor, now=now)
        stopped.append(policy.document.purposes[name].description.rstrip("."))
    if not stopped:
        return Outcome("no use to stop", done=[nothing])
    return Outcome(f"{len(stopped)} uses stopped in the consent ledger",
                   done=[f"We no longer use your information for: {what}" for what in stopped]
                   + ["You can see these choices, and change them, in the customer portal under \"Your choices\""])


def opt_out(conn: Connection, policy: CompiledPolicy, request: PrivacyRequest, *, actor: str,
            now: datetime) -> Outcome:
    """Do not sell or share my personal information."""
    return stop_uses(conn, policy, request, sale_or_sharing(conn, policy, now), actor=actor, now=now,
                     nothing="We do not sell or share your personal information: there was nothing to stop")


def limit_sensitive(conn: Connection, policy: CompiledPolicy, request: PrivacyRequest, *, actor: str,
                    now: datetime) -> Outcome:
    """Limit the use of my sensitive personal information to what the service needs."""
    return stop_uses(conn, policy, request, sensitive_uses(policy), actor=actor, now=now,
                     nothing="We use your sensitive personal information only to provide the service: there was "
                             "nothing to limit")
