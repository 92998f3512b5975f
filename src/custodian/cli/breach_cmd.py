"""`custodian breach`: notification clocks and the breach register (issue 18 §2). `clock` needs only the policy
(or the shipped rule sets); the register's commands open the database when they run."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from custodian.cli.context import actor, failures
from custodian.cli.legal_shared import emit

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from custodian.compliance.breach_store import Incident
    from custodian.policy.document import PolicyDocument
    from custodian.policy.document_compliance import Breach
    from custodian.runtime import Runtime

app = typer.Typer(no_args_is_help=True)  # its help line is in cli/main.py
POLICY = typer.Option(None, "--policy", help="Policy YAML (default: the version in force, else the shipped rules).")
INCIDENT = typer.Option(..., "--incident", help="The incident's reference (BR-YYYY-NNNN).")


@app.callback()
def breach() -> None:
    """Breach notification clocks and the breach register."""


@app.command("clock")
def clock(
    rules: str = typer.Option(..., "--rules", help="fcc_2007, fcc_2023, hipaa_business_associate, texas (or the "
                                                   "policy's own)."),
    determined: str = typer.Option(..., "--determined", help="Day of reasonable determination (YYYY-MM-DD)."),
    discovered: str | None = typer.Option(None, "--discovered", help="Day of discovery (YYYY-MM-DD)."),
    le_notified: str | None = typer.Option(None, "--le-notified", help="Day law enforcement was notified."),
    affected: int | None = typer.Option(None, "--affected", min=0, help="Customers affected (unknown if absent)."),
    harm_unlikely: bool = typer.Option(False, "--harm-unlikely", help="Harm is reasonably determined unlikely."),
    le_delay_until: str | None = typer.Option(None, "--le-delay-until", help="Last day of a law-enforcement delay."),
    policy_file: Path | None = POLICY,
    as_json: bool = typer.Option(False, "--json", help="Print the days as JSON (YYYY-MM-DD)."),
) -> None:
    """Every deadline and earliest day of a rule set."""
    from custodian.compliance.clocks import UnknownRuleSet, deadlines

    with failures():
        try:
            found = deadlines(rules, _day(determined, "--determined"), _day(discovered, "--discovered"),
                              _day(le_notified, "--le-notified"), affected, not harm_unlikely,
                              _day(le_delay_until, "--le-delay-until"),
                              rule_sets=_breach_section(policy_file).rule_sets)
        except UnknownRuleSet as exc:
            raise ValueError(str(exc)) from None
    if as_json:
        emit({key: on.isoformat() for key, on in found.items()})
        return
    for key, on in found.items():
        typer.echo(f"{key.replace('_', ' ')}: {on.isoformat()}")


@app.command("record")
def record(
    discovered: str = typer.Option(..., "--discovered", help="When it was discovered (YYYY-MM-DD or ISO time)."),
    determined: str = typer.Option(..., "--determined", help="When it was reasonably determined a breach."),
    description: str = typer.Option(..., "--description", help="What happened, in words without personal data."),
    classes: str = typer.Option(..., "--classes", help="Record classes involved, comma-separated."),
    rules: str = typer.Option("", "--rules", help="Rule sets whose clocks apply, comma-separated (default: those "
                                                  "the policy applies in its jurisdictions; add HIPAA's if needed)."),
    harm_unlikely: bool = typer.Option(False, "--harm-unlikely", help="Harm is reasonably determined unlikely."),
    method: str = typer.Option("", "--method", help="The method of compromise."),
    affected: int | None = typer.Option(None, "--affected", min=0, help="Customers affected, when not listed."),
) -> None:
    """Add an incident to the register; prints its reference."""
    from custodian.compliance.breach_service import NewIncident, record_incident, suggested_rule_sets
    from custodian.db.engine import transaction
    from custodian.kernel.clock import utcnow

    with failures():
        rt, policy = _register()
        chosen = _list(rules) or tuple(suggested_rule_sets(policy))
        new = NewIncident(_moment(discovered, "--discovered"), _moment(determined, "--determined"), description,
                          _list(classes), not harm_unlikely, chosen, method=method, affected_estimate=affected)
        with transaction(rt.engine) as conn:
            incident = record_incident(conn, actor(), new, list(policy.breach.rule_sets), utcnow(),
                                       known_classes=list(policy.record_classes))
    typer.echo(incident.reference)


@app.command("affected")
def affected_cmd(
    incident: str = INCIDENT,
    reader: str = typer.Option(..., "--actor", help="Whose reads: a staff username, or an audit actor (api:NAME)."),
    start: str = typer.Option(..., "--from", help="Start of the window (YYYY-MM-DD or ISO time, inclusive)."),
    end: str = typer.Option(..., "--to", help="End of the window (YYYY-MM-DD: the whole day; or ISO time)."),
) -> None:
    """List as affected every account the actor read in the window (from the audit trail)."""
    from datetime import timedelta

    from custodian.compliance import breach_store as store
    from custodian.compliance.breach_service import add_affected_from_audit
    from custodian.db.engine import transaction
    from custodian.kernel.clock import utcnow

    with failures():
        until = _moment(end, "--to") + (timedelta(days=1) if len(end.strip()) == 10 else timedelta())
        rt, _ = _register()
        with transaction(rt.engine) as conn:
            found = _incident(conn, incident)
            added = add_affected_from_audit(conn, actor(), found, reader, _moment(start, "--from"), until, utcnow())
            total = len(store.affected(conn, found.id))
    typer.echo(f"{added} accounts added; {total} affected accounts listed for {found.reference}")


@app.command("delay")
def delay(incident: str = INCIDENT,
          until: str = typer.Option(..., "--until", help="Last day customers may not be told (YYYY-MM-DD)."),
          agency: str = typer.Option(..., "--agency", help="The agency that asked.")) -> None:
    """Record a law-enforcement request to delay customer notice."""
    from custodian.compliance.breach_service import add_delay
    from custodian.db.engine import transaction
    from custodian.kernel.clock import utcnow

    with failures():
        until_on = _day(until, "--until")
        assert until_on is not None
        rt, _ = _register()
        with transaction(rt.engine) as conn:
            add_delay(conn, actor(), _incident(conn, incident), until_on, agency, utcnow())
    typer.echo(f"delay recorded until {until_on.isoformat()}")


@app.command("list")
def list_cmd(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Every incident, with its running clocks."""
    from custodian.compliance import breach_store as store
    from custodian.compliance.breach_service import incident_clocks
    from custodian.kernel.clock import utcnow

    with failures():
        rt, policy = _register()
        today = utcnow().date()
        with rt.engine.connect() as conn:
            rows = [(i, incident_clocks(conn, i, policy.breach.rule_sets, today)) for i in store.incidents(conn)]
    if as_json:
        emit({"incidents": [{"reference": i.reference, "state": i.state, "rule_sets": list(i.rule_sets), "clocks": [
            {"rules": c.rules, "key": c.clock.key, "on": c.clock.on.isoformat(), "days_left": c.days_left,
             "done": c.done} for c in clocks]} for i, clocks in rows]})
        return
    for incident, clocks in rows:
        typer.echo(f"{incident.reference}  {incident.state}  {', '.join(incident.rule_sets)}")
        for c in clocks:
            state = "done" if c.done else f"{c.days_left} days left"
            typer.echo(f"    {c.rules} {c.clock.key.replace('_', ' ')}: {c.clock.on.isoformat()} ({state})")


@app.command("notify")
def notify(incident: str = INCIDENT,
           kind: str = typer.Option(..., "--kind", help="law_enforcement, customer, regulator, covered_entity, "
                                                        "attorney_general or annual_summary."),
           send: bool = typer.Option(False, "--send", help="Customers: e-mail each affected account. Others: record "
                                                           "that the notice was filed outside Custodian."),
           out: Path | None = typer.Option(None, "--out", help="Write the notice (text and PDF) into DIR."),
           sent_on: str | None = typer.Option(None, "--sent-on", help="With --send, a notice filed outside Custodian: "
                                                                       "the day it was filed (default: now).")) -> None:
    """Draft a notification into a directory, or send (and record) it."""
    from custodian.compliance import breach_notify
    from custodian.consent.policy_change import sender
    from custodian.db.engine import transaction
    from custodian.kernel.clock import utcnow

    with failures():
        if send == (out is not None):
            raise ValueError("give exactly one of --send and --out DIR")
        rt, policy = _register()
        now = utcnow()
        if out is not None:
            with transaction(rt.engine) as conn:
                paths = breach_notify.export(conn, actor(), _incident(conn, incident), kind, policy, out, now)
            typer.echo("\n".join(str(p) for p in paths))
        elif kind == "customer":
            sent = breach_notify.send_to_customers(rt.engine, rt.keyring(), sender(rt.mailer) if rt.mailer else
                                                   _no_mailer, actor(), incident, policy, now)
            typer.echo(f"{sent.sent} sent, {sent.failed} failed, {sent.no_address} without an e-mail of record")
        else:
            with transaction(rt.engine) as conn:
                filed = _moment(sent_on, "--sent-on") if sent_on else None
                breach_notify.record_filed(conn, actor(), _incident(conn, incident), kind, now, filed)
            typer.echo(f"{kind} notification recorded as sent")


def _no_mailer(_: object) -> str:
    return "no mail server is configured"


def _register() -> tuple[Runtime, PolicyDocument]:
    from custodian.cli.context import writing_runtime
    from custodian.cli.legal_shared import policy_for

    rt = writing_runtime()
    return rt, policy_for(None).document


def _incident(conn: Connection, reference: str) -> Incident:
    from custodian.compliance import breach_store as store

    try:
        return store.incident_by_reference(conn, reference)
    except store.IncidentNotFound as exc:
        raise ValueError(str(exc)) from None


def _breach_section(policy_file: Path | None) -> Breach:
    """The breach section of --policy FILE, else of the version in force, else the shipped rule sets."""
    from custodian.policy.document_compliance import Breach

    if policy_file is not None:
        from custodian.cli.legal_shared import policy_for

        return policy_for(policy_file).document.breach
    from custodian.cli.context import database

    try:
        engine = database()
    except FileNotFoundError:
        return Breach()
    from custodian.kernel.clock import utcnow
    from custodian.policy import store as policy_store

    with engine.connect() as conn:
        version = policy_store.in_force(conn, utcnow())
    return version.compiled().document.breach if version is not None else Breach()


def _day(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{option} {text!r} is not a date (YYYY-MM-DD)") from None


def _moment(text: str, option: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{option} {text!r} is not a date or time (YYYY-MM-DD or ISO 8601)") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _list(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())
