"""The privacy officer's breach register and data map (issue 18 §2, §3): the incidents with their running clocks,
an incident's page (clocks, affected accounts, delays, notifications) with forms to record each, and the data
map of the policy in force. Officer only, checked on every route; forms carry the session's CSRF token."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from custodian.access.types import PRIVACY_OFFICER
from custodian.compliance import breach_notify
from custodian.compliance import breach_service as service
from custodian.compliance import breach_store as store
from custodian.compliance.breach_service import BreachError, NewIncident
from custodian.compliance.datamap import data_map, data_map_svg
from custodian.db.engine import transaction
from custodian.policy.document import PolicyDocument
from custodian.runtime import Runtime
from custodian.web.console.guard import ConsoleForbidden, StaffContext, policy_in_force, require_staff
from custodian.web.rendering import render_page

router = APIRouter(prefix="/console/officer", include_in_schema=False)
officer_only = require_staff(roles=(PRIVACY_OFFICER,))
CLOCK_LABELS = {
    "law_enforcement_due": "Tell law enforcement (Secret Service, FBI) by",
    "customer_notice_earliest": "Customers may be told from", "customer_notice_due": "Tell customers by",
    "regulator_due": "Tell the FCC by", "covered_entity_due": "Tell the covered entity by",
    "attorney_general_due": "Tell the attorney general by", "annual_summary_due": "Report in the annual summary by"}
KIND_LABELS = {"law_enforcement": "Law enforcement (Secret Service, FBI)", "customer": "Customers (by e-mail)",
               "regulator": "FCC", "covered_entity": "Covered entity (HIPAA)", "attorney_general": "Attorney general",
               "annual_summary": "Annual summary (FCC)"}


def _policy(request: Request, staff: StaffContext) -> PolicyDocument:
    return policy_in_force(request, staff, "the breach rules")


@router.get("/breaches", response_class=HTMLResponse)
def breaches(request: Request, staff: StaffContext = Depends(officer_only)) -> Response:
    """The register: every incident with its next running clock, and the form to record one."""
    suggested = service.suggested_rule_sets(_policy(request, staff))
    return _register_page(request, staff, problem="", status=200, form={"rules": suggested})


def _register_page(request: Request, staff: StaffContext, *, problem: str, status: int,
                   form: dict[str, Any]) -> Response:
    policy = _policy(request, staff)
    runtime: Runtime = request.app.state.runtime
    today = staff.now.date()
    with runtime.engine.connect() as conn:
        rows = []
        for incident in store.incidents(conn):
            clocks = service.incident_clocks(conn, incident, policy.breach.rule_sets, today)
            running = sorted((c for c in clocks if not c.done), key=lambda c: c.clock.on)
            rows.append((incident, running[0] if running and incident.state == "open" else None,
                         len(store.affected(conn, incident.id))))
    return render_page(request, "console/officer/breaches.html", status=status, staff=staff, rows=rows,
                       labels=CLOCK_LABELS, rule_sets=policy.breach.rule_sets, classes=sorted(policy.record_classes),
                       problem=problem, today=today, form=form)


@router.post("/breaches")
def record(request: Request, discovered: str = Form(""), determined: str = Form(""), description: str = Form(""),
           method: str = Form(""), classes: list[str] = Form([]), rules: list[str] = Form([]),
           harm: str = Form("likely"), affected: str = Form(""),
           staff: StaffContext = Depends(officer_only)) -> Response:
    """Record an incident, then open its page."""
    policy = _policy(request, staff)
    runtime: Runtime = request.app.state.runtime
    try:
        new = NewIncident(_moment(discovered, "discovery"), _moment(determined, "determination"), description,
                          tuple(classes), harm != "unlikely", tuple(rules), method=method,
                          affected_estimate=_count(affected))
        with transaction(runtime.engine) as conn:
            incident = service.record_incident(conn, _who(staff), new, list(policy.breach.rule_sets),
                                               staff.now, known_classes=list(policy.record_classes))
    except BreachError as exc:
        typed = {"discovered": discovered, "determined": determined, "description": description, "method": method,
                 "classes": classes, "rules": rules, "harm": harm, "affected": affected}
        return _register_page(request, staff, problem=str(exc), status=422, form=typed)
    return RedirectResponse(f"/console/officer/breaches/{incident.reference}", status_code=303)


@router.get("/breaches/{reference}", response_class=HTMLResponse)
def incident_page(request: Request, reference: str, staff: StaffContext = Depends(officer_only)) -> Response:
    """One incident: its clocks with days left, affected accounts, delays and notifications."""
    return _incident_page(request, staff, reference, problem="", status=200)


def _incident_page(request: Request, staff: StaffContext, reference: str, *, problem: str, status: int) -> Response:
    policy = _policy(request, staff)
    runtime: Runtime = request.app.state.runtime
    with runtime.engine.connect() as conn:
        incident = _find(conn, reference)
        context: dict[str, Any] = {
            "incident": incident, "clocks": service.incident_clocks(conn, incident, policy.breach.rule_sets,
                                                                      staff.now.date()),
            "affected": store.affected(conn, incident.id), "delays": store.delays(conn, incident.id),
            "notifications": store.notifications(conn, incident.id),
            "missing": [{"name": name, "title": policy.breach.rule_sets[name].title}
                        for name in service.rule_sets_missing(conn, policy, incident)]}
    return render_page(request, "console/officer/breach.html", status=status, staff=staff, labels=CLOCK_LABELS,
                       kinds=KIND_LABELS, rule_sets=policy.breach.rule_sets, problem=problem, **context)


@router.post("/breaches/{reference}/affected")
def find_affected(request: Request, reference: str, reader: str = Form(""), start: str = Form(""),
                  end: str = Form(""), staff: StaffContext = Depends(officer_only)) -> Response:
    """List as affected every account `reader` read in the window (whole days), from the audit trail."""
    runtime: Runtime = request.app.state.runtime
    try:
        first, last = _moment(start, "window start"), _moment(end, "window end") + timedelta(days=1)
        if not reader.strip():
            raise BreachError("name whose reads to search (a staff username)")
        with transaction(runtime.engine) as conn:
            service.add_affected_from_audit(conn, _who(staff), _find(conn, reference), reader.strip(), first,
                                            last, staff.now)
    except BreachError as exc:
        return _incident_page(request, staff, reference, problem=str(exc), status=422)
    return RedirectResponse(f"/console/officer/breaches/{reference}#affected", status_code=303)


@router.post("/breaches/{reference}/rules")
def add_rules(request: Request, reference: str, rules: list[str] = Form([]),
              staff: StaffContext = Depends(officer_only)) -> Response:
    """Let more rule sets' clocks run for the incident."""
    policy = _policy(request, staff)
    runtime: Runtime = request.app.state.runtime
    try:
        with transaction(runtime.engine) as conn:
            service.add_rule_sets(conn, _who(staff), _find(conn, reference), rules, list(policy.breach.rule_sets),
                                  staff.now)
    except BreachError as exc:
        return _incident_page(request, staff, reference, problem=str(exc), status=422)
    return RedirectResponse(f"/console/officer/breaches/{reference}", status_code=303)


@router.post("/breaches/{reference}/delays")
def delay(request: Request, reference: str, until: str = Form(""), agency: str = Form(""),
          staff: StaffContext = Depends(officer_only)) -> Response:
    """Record law enforcement's request to delay customer notice."""
    runtime: Runtime = request.app.state.runtime
    try:
        with transaction(runtime.engine) as conn:
            service.add_delay(conn, _who(staff), _find(conn, reference), _moment(until, "delay end").date(),
                              agency, staff.now)
    except BreachError as exc:
        return _incident_page(request, staff, reference, problem=str(exc), status=422)
    return RedirectResponse(f"/console/officer/breaches/{reference}#delays", status_code=303)


@router.post("/breaches/{reference}/notifications")
def notify(request: Request, reference: str, kind: str = Form(""), sent_on: str = Form(""),
           staff: StaffContext = Depends(officer_only)) -> Response:
    """Send the customer notice by e-mail, or record a notice filed outside Custodian."""
    policy = _policy(request, staff)
    runtime: Runtime = request.app.state.runtime
    try:
        if kind == "customer":
            from custodian.consent.policy_change import sender

            if runtime.mailer is None:
                raise BreachError("no mail server is configured, so customers cannot be e-mailed")
            breach_notify.send_to_customers(runtime.engine, runtime.keyring(), sender(runtime.mailer),
                                            _who(staff), reference, policy, staff.now)
        else:
            with transaction(runtime.engine) as conn:
                filed = _moment(sent_on, "filing") if sent_on.strip() else None
                breach_notify.record_filed(conn, _who(staff), _find(conn, reference), kind, staff.now, filed)
    except BreachError as exc:
        return _incident_page(request, staff, reference, problem=str(exc), status=422)
    return RedirectResponse(f"/console/officer/breaches/{reference}#notifications", status_code=303)


@router.get("/data-map", response_class=HTMLResponse)
def data_map_page(request: Request, staff: StaffContext = Depends(officer_only)) -> Response:
    """The data map of the policy in force, and the same map as text (its rules) beside it."""
    policy = _policy(request, staff)
    return render_page(request, "console/officer/data_map.html", staff=staff, svg=data_map_svg(policy),
                       found=data_map(policy), policy=policy)


def _who(staff: StaffContext) -> str:
    return f"staff:{staff.member.username}"


def _find(conn: Any, reference: str) -> store.Incident:
    try:
        return store.incident_by_reference(conn, reference)
    except store.IncidentNotFound as exc:
        raise ConsoleForbidden(str(exc)) from exc


def _moment(text: str, what: str) -> datetime:
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise BreachError(f"give the {what} day (YYYY-MM-DD)") from None
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _count(text: str) -> int | None:
    if not text.strip():
        return None
    if not text.strip().isdigit():
        raise BreachError("the number of customers affected is a whole number")
    return int(text.strip())
