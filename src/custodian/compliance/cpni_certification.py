"""The annual CPNI certification (47 CFR 64.2009(e)): its figures counted from the records of one calendar year,
the certificate and statement written as text and PDF, and each generation recorded (cpni_certification) and
audited, so the officer's home knows whether this year's is done. Counts and references only."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import asdict
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, insert, select

from custodian.access.secret_rules import MAX_SECRET_FAILURES
from custodian.access.tables import break_glass
from custodian.audit import store as audit
from custodian.audit.tables import audit_event
from custodian.compliance import registers
from custodian.compliance.certificate import (
    COMPLAINT_CATEGORIES,
    CertificationFigures,
    Document,
    certificate,
    document_text,
    statement,
)
from custodian.compliance.tables import breach_incident, breach_notification, cpni_certification
from custodian.consent.tables import cpni_notice
from custodian.staff.tables import policy_acknowledgement, staff_member

COUNTED = ("ticket.cpni_verified", "cpni.verification_failed", "portal.login", "portal.login_failed",
           "access.deny", "notice.sent", "notice.failed")


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """The first moment of `year` and of the next, in UTC."""
    return datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)


def figures_for_year(conn: Connection, year: int, now: datetime) -> CertificationFigures:
    """Count the year's records (to `now` while it runs: a draft): acknowledgements, authentications, reviews,
    notices, breaches and the registers."""
    if year > now.year:
        raise ValueError(f"--year {year}: the year has not begun")
    start, end = year_bounds(year)
    draft = end > now
    end = min(end, now)
    last = now.date() if draft else date(year, 12, 31)
    events = conn.execute(select(audit_event.c.action, audit_event.c.reason, audit_event.c.detail)
                          .where(audit_event.c.action.in_(COUNTED), audit_event.c.occurred_at >= start,
                                 audit_event.c.occurred_at < end)).all()
    actions: Counter[str] = Counter()
    methods: Counter[str] = Counter()
    lockouts = 0
    for action, reason, detail_text in events:
        detail = json.loads(detail_text or "{}")
        if action in ("notice.sent", "notice.failed") and detail.get("kind") != "account_change":
            continue
        actions[action] += 1
        if action == "ticket.cpni_verified":
            methods[str(detail.get("method", "other"))] += 1
        lockouts += (action == "cpni.verification_failed" and int(detail.get("failures", 0)) >= MAX_SECRET_FAILURES) \
            or (action == "portal.login_failed" and reason.endswith("; locked out"))
    trained = conn.execute(select(policy_acknowledgement.c.version_hash, func.count())
                           .where(policy_acknowledgement.c.acknowledged_at >= start,
                                  policy_acknowledgement.c.acknowledged_at < end)
                           .group_by(policy_acknowledgement.c.version_hash)).all()
    active = conn.execute(select(func.count()).select_from(staff_member).where(
        staff_member.c.created_at < end,
        (staff_member.c.disabled_at.is_(None)) | (staff_member.c.disabled_at >= start))).scalar_one()
    glass = conn.execute(select(break_glass.c.reviewed, break_glass.c.outcome)
                         .where(break_glass.c.opened_at >= start, break_glass.c.opened_at < end)).all()
    reviews = Counter("pending" if not reviewed else str(outcome) for reviewed, outcome in glass)
    notices = conn.execute(select(cpni_notice.c.medium, func.count())
                           .where(cpni_notice.c.sent_at >= start, cpni_notice.c.sent_at < end)
                           .group_by(cpni_notice.c.medium)).all()
    complaints = Counter(c.category for c in registers.complaints(conn, date(year, 1, 1), last))
    brokers = tuple({"reference": a.reference, "detected": a.detected_on.isoformat(), "action_key": a.action,
                     "action": registers.BROKER_ACTIONS[a.action], "detail": a.action_detail}
                    for a in reversed(registers.broker_actions(conn, date(year, 1, 1), last)))
    return CertificationFigures(
        year=year, counted_to=last, draft=draft, staff_trained={h[:12]: int(n) for h, n in trained},
        staff_active=int(active),
        cpni_authentications=dict(sorted(methods.items())), portal_sign_ins=actions["portal.login"],
        failed_authentications=actions["cpni.verification_failed"] + actions["portal.login_failed"],
        lockouts=int(lockouts), break_glass_uses=len(glass),
        break_glass_reviews={k: reviews.get(k, 0) for k in ("justified", "unjustified", "pending")},
        access_denies=actions["access.deny"], address_change_notices=actions["notice.sent"],
        address_change_notices_failed=actions["notice.failed"],
        cpni_approval_notices={medium: int(n) for medium, n in sorted(notices)},
        breaches=_breaches(conn, start, end), data_broker_actions=brokers,
        complaints={key: complaints.get(key, 0) for key in COMPLAINT_CATEGORIES})


def _breaches(conn: Connection, start: datetime, end: datetime) -> tuple[dict[str, object], ...]:
    rows = conn.execute(select(breach_incident.c.id, breach_incident.c.reference, breach_incident.c.determined_at)
                        .where(breach_incident.c.determined_at >= start, breach_incident.c.determined_at < end)
                        .order_by(breach_incident.c.determined_at, breach_incident.c.id)).all()
    found = []
    for incident_id, reference, determined_at in rows:
        sent = conn.execute(select(breach_notification.c.kind, func.count())
                            .where(breach_notification.c.incident_id == incident_id,
                                   breach_notification.c.sent_at.is_not(None))
                            .group_by(breach_notification.c.kind)).all()
        found.append({"reference": reference, "determined": determined_at.date().isoformat(),
                      "notified": {kind: int(n) for kind, n in sorted(sent)}})
    return tuple(found)


def figures_json(fig: CertificationFigures) -> dict[str, Any]:
    """The figures as JSON-ready data (what `--json` prints)."""
    return {**asdict(fig), "counted_to": fig.counted_to.isoformat(), "breaches": list(fig.breaches),
            "data_broker_actions": list(fig.data_broker_actions)}


def generate(conn: Connection, *, year: int, officer: str, provider: str, out: Path, actor: str,
             now: datetime) -> tuple[CertificationFigures, list[Path]]:
    """Write the certificate and statement (text and PDF) into `out`; record and audit the generation."""
    if not officer.strip():
        raise ValueError("--officer: the name of the officer who signs")
    fig = figures_for_year(conn, year, now)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, doc in (("certificate", certificate(fig, provider, officer, now.date())),
                      ("statement", statement(fig, provider, officer, now.date()))):
        stem = out / f"cpni-{year}-{name}"
        stem.with_suffix(".txt").write_text(document_text(doc), encoding="utf-8")
        stem.with_suffix(".pdf").write_bytes(document_pdf(doc))
        written += [stem.with_suffix(".txt"), stem.with_suffix(".pdf")]
    digest = hashlib.sha256(json.dumps(figures_json(fig), sort_keys=True).encode()).hexdigest()
    if not fig.draft:  # a draft of a running year is not the year's certificate
        conn.execute(insert(cpni_certification).values(year=year, officer=officer.strip(), generated_at=now,
                                                       figures_sha256=digest))
    audit.append(conn, actor=actor, action="cpni_certification.generate",
                 reason="draft CPNI certificate generated" if fig.draft else "annual CPNI certificate generated",
                 detail={"year": year, "figures_sha256": digest, "draft": fig.draft}, now=now)
    return fig, written


def generated(conn: Connection, year: int) -> datetime | None:
    """When the latest certificate for `year` was generated, or None."""
    return conn.execute(select(func.max(cpni_certification.c.generated_at))
                        .where(cpni_certification.c.year == year)).scalar()


def document_pdf(doc: Document) -> bytes:
    """The document on Letter pages."""
    from fpdf import FPDF  # loads only when a PDF is drawn

    pdf = FPDF(format="Letter")
    pdf.set_margins(25, 25, 25)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.multi_cell(0, 8, _latin(doc.title), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("Helvetica", "", 10)
    for line in doc.heading:
        pdf.multi_cell(0, 5, _latin(line), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    for paragraph in doc.paragraphs:
        if paragraph.startswith("- "):
            pdf.set_x(pdf.l_margin + 6)
        else:
            pdf.ln(4)
        pdf.multi_cell(0, 6, _latin(paragraph), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(12)
    for line in doc.signature:
        pdf.multi_cell(0, 6, _latin(line), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _latin(text: str) -> str:
    return text.encode("latin-1", "replace").decode("latin-1")
