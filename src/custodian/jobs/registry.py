"""The jobs cron can run: each takes the runtime and `now`, and running it twice changes nothing more."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from custodian.audit import store as audit
from custodian.db.engine import transaction
from custodian.db.partitions import ensure_ahead
from custodian.dsr.store import referenced_blob_keys as dsr_blob_keys
from custodian.legal.store import referenced_blob_keys
from custodian.records.content import sweep_orphan_blobs
from custodian.runtime import Runtime


def create_partitions_ahead(runtime: Runtime, now: datetime) -> str:
    """Create this month's and the next three months' partitions of every partitioned table."""
    with transaction(runtime.engine) as conn:
        created = ensure_ahead(conn, now, months_ahead=3)
    if runtime.engine.dialect.name != "postgresql":
        return "SQLite does not partition tables: nothing to do"
    return f"{created} month partitions present (this month and 3 ahead)"


def sweep_blobs(runtime: Runtime, now: datetime) -> str:
    """Delete blob files that no content item references and stale partial files (older than an hour)."""
    with transaction(runtime.engine) as conn:
        kept = referenced_blob_keys(conn) | dsr_blob_keys(conn)
        result = sweep_orphan_blobs(conn, runtime.blobs, now=now, also_referenced=kept)
        if result.orphans or result.partial_files:
            audit.append(conn, actor="job:blob-sweep", action="blobs.sweep", now=now,
                         reason="unreferenced blob files removed",
                         detail={"orphans": result.orphans, "partial_files": result.partial_files})
    return f"removed {result.orphans} unreferenced blobs and {result.partial_files} partial files"


def send_customer_notices(runtime: Runtime, now: datetime) -> str:
    """Send the customer notices legal requests owe: those queued at acceptance or delivery, those whose
    nondisclosure order expired or was lifted (each once), and failed ones again (up to five attempts)."""
    from custodian.legal.notices import send_due
    from custodian.policy import store as policy_store

    mailer = runtime.mailer
    if mailer is None:
        return "no mail server configured (CUSTODIAN_SMTP_HOST): nothing sent"
    with runtime.engine.connect() as conn:
        version = policy_store.in_force(conn, now)
    if version is None:
        return "no policy in force: nothing sent"
    counts = send_due(runtime.engine, runtime.keyring(), version.compiled(), mailer, actor="job:legal-notices",
                      now=now, retry_failed=True)
    return (f"{counts['sent']} customer notices sent, {counts['failed']} failed; {counts['released']} released "
            "by an ended nondisclosure order")


def expire_preservations(runtime: Runtime, now: datetime) -> str:
    """Delete preserved snapshots on day 91 (unless a linked data request is still open), with receipts."""
    from custodian.legal.preservation import expire

    with transaction(runtime.engine) as conn:
        receipts = expire(conn, runtime.blobs, actor="job:legal-preservation-expiry", now=now)
    return f"{len(receipts)} preserved snapshots deleted with receipts"
def retention(runtime: Runtime, now: datetime) -> str:
    """Run the retention schedule of the policy in force (finishing an interrupted run first)."""
    from custodian.retention.executor import run_retention
    from custodian.retention.planner import schedule_of
    from custodian.retention.service import policy_in_force
    with runtime.engine.connect() as conn:
        policy = policy_in_force(conn, now)
    result = run_retention(runtime.engine, runtime.keyring(), runtime.blobs, schedule_of(policy),
                           policy_hash=policy.version_hash, now=now, actor="job:retention")
    return f"run {result.run_id}: deleted {result.deleted} records; receipt is audit event {result.audit_seq}"


def dsr_verification(runtime: Runtime, now: datetime) -> str:
    """Remind, once, the privacy requesters who have not confirmed after 24 hours; expire unconfirmed requests."""
    from custodian.dsr.reminders import remind_and_expire
    from custodian.dsr.service import send_all
    from custodian.policy import store as policy_store
    from custodian.settings import Settings

    with runtime.engine.connect() as conn:
        version = policy_store.in_force(conn, now)
    if version is None:
        return "no policy in force: nothing to do"
    with transaction(runtime.engine) as conn:
        swept = remind_and_expire(conn, runtime.keyring(), version.compiled(), link_base=Settings().public_base_url,
                                  now=now)
    sent = send_all(runtime.mailer, swept.mail)
    return f"{swept.reminded} privacy requests reminded ({sent} mails sent), {swept.expired} expired"


def dsr_deadlines(runtime: Runtime, now: datetime) -> str:
    """E-mail the privacy contact, once per request, the open privacy requests due within 5 days."""
    from custodian.dsr.deadline_reminders import remind_of_deadlines
    from custodian.dsr.service import send_all
    from custodian.policy import store as policy_store

    with runtime.engine.connect() as conn:
        version = policy_store.in_force(conn, now)
    if version is None:
        return "no policy in force: nothing to do"
    with transaction(runtime.engine) as conn:
        mail = remind_of_deadlines(conn, version.compiled(), now=now)
    if mail is None:
        return "no privacy request newly due within 5 days (or no privacy contact in the policy)"
    sent = send_all(runtime.mailer, [mail])
    return f"{mail.subject}: reminder {'sent' if sent else 'NOT sent'} to the privacy contact"


def export_expiry(runtime: Runtime, now: datetime) -> str:
    """Delete the export ZIPs whose 7-day download link ran out, and mark them deleted."""
    from custodian.dsr.export_links import expire_exports

    with transaction(runtime.engine) as conn:
        deleted = expire_exports(conn, runtime.blobs, now=now)
    return f"{deleted} expired export files deleted"


def policy_change_notices(runtime: Runtime, now: datetime) -> str:
    """E-mail customers the material changes of the policy version in force (each once; failed ones again)."""
    from custodian.consent.policy_change import material_change, sender, tell_customers
    from custodian.kernel.progress import SilentProgress
    from custodian.settings import Settings

    with runtime.engine.connect() as conn:
        change = material_change(conn, now)
    if change is None:
        return "the policy in force has no material change from the one before: nobody to tell"
    if runtime.mailer is None:
        return "no mail server configured (CUSTODIAN_SMTP_HOST): nothing sent"
    told = tell_customers(runtime.engine, runtime.keyring(), sender(runtime.mailer), change,
                          link_base=Settings().public_base_url, progress=SilentProgress(), now=now)
    return (f"{told.sent} customers told of the policy change, {told.failed} failed, {told.no_address} without "
            f"an e-mail address of record, {told.already} told before")


def consent_cpni_notices(runtime: Runtime, now: datetime) -> str:
    """Send the CPNI opt-out notices due (47 CFR 64.2008(d)): never sent, or the last one nearly two years old."""
    from custodian.consent.cpni import notify
    from custodian.settings import Settings

    configured = Settings()
    counts = notify(runtime.engine, runtime.keyring(), runtime.mailer, letters_dir=configured.data_dir / "letters",
                    public_base_url=configured.public_base_url, actor="job:consent-cpni-notices", now=now)
    return f"{counts['email']} CPNI notices e-mailed, {counts['post']} letters written, {counts['not_sent']} not sent"


def export_builds(runtime: Runtime, now: datetime) -> str:
    """Rebuild the portal downloads a stopped process left queued or running (silent for 10 minutes)."""
    from custodian.dsr.export_jobs import resume_stalled
    from custodian.policy import store as policy_store

    with runtime.engine.connect() as conn:
        version = policy_store.in_force(conn, now)
    if version is None:
        return "no policy in force: nothing to do"
    counts = resume_stalled(runtime.engine, runtime.keyring(), runtime.blobs, version.compiled().document, now=now)
    return (f"{counts['done']} interrupted downloads rebuilt, {counts['failed']} failed, "
            f"{counts['skipped']} taken by another worker")


def abuse_scan(runtime: Runtime, now: datetime) -> str:
    """Compare usage with peer groups and queue the accounts above the policy's threshold (refreshing open cases)."""
    from custodian.abuse.desk import scan
    from custodian.retention.service import policy_in_force
    with transaction(runtime.engine) as conn:
        result = scan(conn, policy_in_force(conn, now), actor="job:abuse-scan", now=now)
    return f"{result.compared} accounts compared; {result.opened} new in the abuse queue, {result.refreshed} refreshed"


JOBS: dict[str, Callable[[Runtime, datetime], str]] = {
    "partitions": create_partitions_ahead,
    "blob-sweep": sweep_blobs,
    "legal-notices": send_customer_notices,
    "legal-preservation-expiry": expire_preservations,
    "retention": retention,
    "dsr-verification": dsr_verification,
    "dsr-deadlines": dsr_deadlines,
    "export-expiry": export_expiry,
    "policy-change-notices": policy_change_notices,
    "consent-cpni-notices": consent_cpni_notices,
    "export-builds": export_builds,
    "abuse-scan": abuse_scan,
}
