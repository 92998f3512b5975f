"""The fulfillers of issue 15 §3 "fulfil", one per request type, and the flow that answers a request: fulfil it
through the seam (dsr/fulfilment.py), then write the final response to the requester (sent after commit).

access, cpni_copy: the export ZIP, stored for 7 days, its link in the answer. deletion: erasure through the
retention engine, crypto-shredding when the whole account goes; held records are kept and the answer says so
in general terms. correction: recorded for staff to apply; the answer says what is being corrected.
shine_the_light: dsr/shine_the_light.py, the direct-marketing recipients of the previous calendar year. opt_out,
limit_sensitive: choices recorded in the consent ledger (dsr/choices.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection

from custodian.access.self_access_rules import label
from custodian.audit import store as audit
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.dsr import choices, fulfilment, letters, store
from custodian.dsr.desk_key import dsr_cipher
from custodian.dsr.erasure import erase_account
from custodian.dsr.export_links import LINK_DAYS, download_link, revoke_exports, store_export
from custodian.dsr.fulfilment import Fulfiller, Outcome
from custodian.dsr.minors import purge_child_data, remove_minor_content
from custodian.dsr.portal_first import points_to_portal
from custodian.dsr.service import Mail
from custodian.dsr.shine_the_light import fulfil_shine_the_light
from custodian.dsr.types import PrivacyRequest
from custodian.policy.compiled import CompiledPolicy
from custodian.retention.rules import closure_kept, compile_schedule

KEPT_BY_LAW = "kept where the law requires us to keep it"


@dataclass(frozen=True)
class Desk:
    """What the fulfillers need beyond the request: the blob store, the policy in force, the public base URL."""

    blobs: LocalBlobStore
    policy: CompiledPolicy
    link_base: str
    chosen: tuple[str, ...] = ()  # minor content removal: the content items the agent picked (hex record keys)


@dataclass(frozen=True)
class Answered:
    """The outcome and the final response to send once the transaction has committed."""

    outcome: Outcome
    mail: Mail


def fulfillers_for(desk: Desk) -> dict[str, Fulfiller]:
    """The fulfiller of each request type this module answers, bound to `desk`."""

    def export(conn: Connection, keyring: Keyring, request: PrivacyRequest, actor: str, now: datetime) -> Outcome:
        assert request.account_id is not None  # fulfil() only passes verified, matched requests
        if points_to_portal(portal_first=desk.policy.document.privacy_requests.portal_first,
                            request_type=request.request_type, showing=request.portal_showing,
                            online_account=store.has_online_account(conn, request.account_id), due_on=request.due_on):
            return _to_the_portal(desk)
        stored = store_export(conn, keyring, desk.blobs, desk.policy.document, request.account_id,
                              request_id=request.id, actor=actor, now=now)
        link = download_link(desk.link_base, stored.token)
        return Outcome(f"export of {stored.bytes:,} bytes stored; download link e-mailed (valid {LINK_DAYS} days)",
                       done=[f"A copy of your information (a ZIP file) is ready. Download it within {LINK_DAYS} "
                             f"days, until {stored.expires_at:%Y-%m-%d %H:%M} UTC; after that it is deleted:\n"
                             f"  {link}"])

    def deletion(conn: Connection, keyring: Keyring, request: PrivacyRequest, actor: str, now: datetime) -> Outcome:
        assert request.account_id is not None
        kept_classes = closure_kept(compile_schedule(desk.policy.document.retention))
        erased = erase_account(conn, keyring, request.account_id, kept_classes=kept_classes, actor=actor, now=now)
        revoke_exports(conn, desk.blobs, request.account_id, now=now)  # a copy of what is deleted goes too
        done = [f"{label(name)}: {count:,} record{'' if count == 1 else 's'} deleted"
                for name, count in sorted(erased.deleted.items())]
        if erased.shredded:
            done.append("The key that protected your information is destroyed: no copy of it can be read again")
        kept = [(label(name), KEPT_BY_LAW) for name in sorted(erased.kept)]
        summary = (f"{sum(erased.deleted.values())} records deleted, {sum(erased.kept.values())} kept"
                   + ("; account key shredded" if erased.shredded else ""))
        return Outcome(summary, done=done, kept=kept)

    def correction(conn: Connection, keyring: Keyring, request: PrivacyRequest, actor: str,
                   now: datetime) -> Outcome:
        assert request.account_id is not None
        store.add_event(conn, request.id, actor=actor, action="correction_recorded", now=now,
                        note="correction recorded for staff to apply to the account")
        audit.append(conn, actor=actor, action="dsr.correction_recorded", account_id=request.account_id, now=now,
                     reason=f"privacy request {request.reference}: correction to apply")
        asked = request.details.details or "the information you described"
        return Outcome("correction recorded for staff to apply",
                       done=[f"We are correcting your information as you asked: {asked}"])

    def minor_content(conn: Connection, keyring: Keyring, request: PrivacyRequest, actor: str,
                      now: datetime) -> Outcome:
        return remove_minor_content(conn, request, desk.chosen, actor=actor, now=now)

    def child_data(conn: Connection, keyring: Keyring, request: PrivacyRequest, actor: str, now: datetime) -> Outcome:
        assert request.account_id is not None
        kept_classes = closure_kept(compile_schedule(desk.policy.document.retention))
        outcome = purge_child_data(conn, keyring, request, kept_classes=kept_classes, actor=actor, now=now)
        revoke_exports(conn, desk.blobs, request.account_id, now=now)
        return outcome

    def opt_out(conn: Connection, keyring: Keyring, request: PrivacyRequest, actor: str, now: datetime) -> Outcome:
        return choices.opt_out(conn, desk.policy, request, actor=actor, now=now)

    def limit_sensitive(conn: Connection, keyring: Keyring, request: PrivacyRequest, actor: str,
                        now: datetime) -> Outcome:
        return choices.limit_sensitive(conn, desk.policy, request, actor=actor, now=now)

    return {"access": export, "cpni_copy": export, "deletion": deletion, "correction": correction,
            "shine_the_light": fulfil_shine_the_light, "minor_content_removal": minor_content,
            "child_data_report": child_data, "opt_out": opt_out, "limit_sensitive": limit_sensitive}


def _to_the_portal(desk: Desk) -> Outcome:
    """Seed 002 P154: no showing that the portal cannot give the data, and no privacy law requires a copy."""
    portal = desk.link_base.rstrip("/") + "/portal/"
    return Outcome("pointed to the customer portal: no showing that the portal cannot give it, no law requires it",
                   done=[f"You can see all of this information yourself, and download it as one file, in your "
                         f"customer portal: sign in at {portal} and choose \"Download everything\"",
                         "If the portal cannot give you the information you asked for, make a new request and say "
                         "so on the form: we will then send you a copy"])


def answer(conn: Connection, keyring: Keyring, desk: Desk, reference: str, *, actor: str,
           now: datetime) -> Answered:
    """Fulfil a verified request and write the final response (send it after the commit)."""
    outcome = fulfilment.fulfil(conn, keyring, reference, actor=actor, now=now, fulfillers=fulfillers_for(desk))
    request = store.read(conn, dsr_cipher(conn, keyring), store.id_of(conn, reference))
    subject, body = letters.final_response(desk.policy.document.provider.name, request.reference,
                                           request.request_type, outcome.done, outcome.kept)
    return Answered(outcome, Mail(request.details.email, subject, body))
