"""Console pages of support staff: my tickets, look-up, the ticket view, CPNI verification, break-glass.

Every page that shows subscriber data reads it through access.reading, so through `decide`.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from custodian.access import customer_secrets, reading
from custodian.access import service as access
from custodian.access import store as access_store
from custodian.access.secret_rules import IDENTITY_DOCUMENTS, MAX_SECRET_FAILURES
from custodian.access.service import AccessError, NotFound
from custodian.access.types import CHANNELS, PRIVACY_OFFICER, Context
from custodian.consent.preferences import MEDIUM_LABELS
from custodian.db.engine import transaction
from custodian.policy import store as policy_store
from custodian.runtime import Runtime
from custodian.web.console.guard import ConsoleForbidden, StaffContext, require_staff
from custodian.web.console.record_window import WindowForm, window_form
from custodian.web.listing import ListQuery, list_page
from custodian.web.rendering import format_label, render_page

router = APIRouter(prefix="/console", include_in_schema=False)
staff_only = require_staff()


# Where each role lands after sign-in and at /console/; every other role lands on its tickets.
HOMES = {PRIVACY_OFFICER: "/console/officer/", "legal_desk": "/console/legal/",
         "dsr_agent": "/console/privacy-requests/"}
TICKET_SORTS = {"ticket": lambda t: t.grant.ticket_id, "account": lambda t: t.account_ref,
                "topic": lambda t: t.grant.topic, "opened": lambda t: t.opened_at}


@router.get("/", response_class=HTMLResponse)
def home(request: Request, staff: StaffContext = Depends(staff_only)) -> Response:
    """The member's home: the officer's overview, the legal queue, or their tickets."""
    if staff.member.role in HOMES:
        return RedirectResponse(HOMES[staff.member.role], status_code=303)
    return _home(request, staff, problem="")


@router.get("/tickets", response_class=HTMLResponse)
def my_tickets(request: Request, staff: StaffContext = Depends(staff_only)) -> Response:
    """The staff member's tickets (filtered, sorted, paged) and the form to open one."""
    return _home(request, staff, problem="")


def _home(request: Request, staff: StaffContext, *, problem: str, status: int = 200) -> Response:
    runtime: Runtime = request.app.state.runtime
    with runtime.engine.connect() as conn:
        tickets = access_store.tickets_of(conn, staff.member.id, limit=2000)
    query = ListQuery.from_params(request.query_params, TICKET_SORTS, "ticket", default_descending=True)
    listing = list_page(tickets, query, keys=TICKET_SORTS, text=lambda t: " ".join(
        (str(t.grant.ticket_id), t.account_ref, format_label(t.grant.topic), format_label(t.grant.channel), t.summary)))
    topics = staff.rules.topics_of_role.get(staff.member.role, ()) if staff.rules else ()
    return render_page(request, "console/home.html", status=status, staff=staff, tickets=listing, topics=topics,
                       channels=CHANNELS, problem=problem, now=staff.now, identity_documents=IDENTITY_DOCUMENTS)


@router.get("/lookup", response_class=HTMLResponse)
def lookup(request: Request, q: str = "", staff: StaffContext = Depends(staff_only)) -> Response:
    """Accounts by reference, number or e-mail: directory information only."""
    runtime: Runtime = request.app.state.runtime
    entries: list[reading.DirectoryEntry] = []
    if staff.rules is not None and q.strip():
        with transaction(runtime.engine) as conn:
            entries = reading.look_up(conn, runtime.keyring(), staff.actor, q, Context(staff.now, staff.rules))
    topics = staff.rules.topics_of_role.get(staff.member.role, ()) if staff.rules else ()
    return render_page(request, "console/lookup.html", staff=staff, query=q, entries=entries, topics=topics,
                       channels=CHANNELS, identity_documents=IDENTITY_DOCUMENTS)


@router.post("/tickets")
def open_ticket(request: Request, account_ref: str = Form(""), topic: str = Form(""), channel: str = Form(""),
                summary: str = Form(""), identity_document: str = Form(""),
                staff: StaffContext = Depends(staff_only)) -> Response:
    """Open a ticket and go to it (in person, with the type of government photo ID checked)."""
    runtime: Runtime = request.app.state.runtime
    if staff.rules is None:
        return _home(request, staff, problem="policy: no policy is in force", status=422)
    try:
        with transaction(runtime.engine) as conn:
            ticket_id = access.open_ticket(conn, staff.rules, staff.actor, account_ref=account_ref, topic=topic,
                                           channel=channel, summary=summary, now=staff.now,
                                           identity_document=identity_document)
    except AccessError as exc:
        return _home(request, staff, problem=str(exc), status=422)
    return RedirectResponse(f"/console/tickets/{ticket_id}", status_code=303)


@router.get("/tickets/{ticket_id}", response_class=HTMLResponse)
def ticket_view(request: Request, ticket_id: int, staff: StaffContext = Depends(staff_only)) -> Response:
    """The ticket, and the account's data this ticket permits, masked as decided (lists paged, in a window)."""
    runtime: Runtime = request.app.state.runtime
    shown = window_form(request.query_params, staff.time_zone)
    with runtime.engine.connect() as conn:  # read and decrypt without holding a write lock
        found = own_or_403(conn, staff, ticket_id)
        unaudited = None
        if staff.rules is not None:
            classes = staff.rules.classes_on_topic.get((staff.member.role, found.grant.topic), ())
            context = Context(staff.now, staff.rules, ticket=found.grant)
            unaudited = reading.prepare_account_page(conn, runtime.keyring(), staff.actor, found.grant.account_id,
                                                     classes, context, ticket_id=ticket_id, window=shown.window)
        failures = len(customer_secrets.recent_failures(conn, found.grant.account_id, staff.now))
    with transaction(runtime.engine) as conn:  # the audit events; the page is shown only once they commit
        page = unaudited.audited(conn) if unaudited is not None else None
        pending = (page is not None and any(d.alternatives for d in page.decisions)) or any(
            (staff.member.role, found.grant.topic, change) in staff.rules.changes
            for change in ("address_of_record", "password", "secret_question")) if staff.rules else False
        offered = (customer_secrets.authentication_on_file(conn, runtime.keyring(), staff.actor, found, staff.now)
                   if pending else {})
    return ticket_page(request, staff, found, page, problem="", offered=offered, failures=failures, shown=shown)


def ticket_page(request: Request, staff: StaffContext, found: access_store.Ticket, page: reading.AccountPage | None,
                *, problem: str, status: int = 200, sent: str = "", offered: dict[str, str] | None = None,
                failures: int = 0, shown: WindowForm | None = None) -> Response:
    """The ticket page; `page` holds the account's decided data (None after an action: reload to see it).

    `offered` names the credentials on file the caller may be asked for (with the secret question);
    `failures` counts the customer's wrong answers in the last 24 hours, on any ticket."""
    open_now = found.grant.closed_at is None and found.grant.expires_at > staff.now
    changes = {change for change in ("address_of_record", "password", "secret_question")
               if staff.rules and (staff.member.role, found.grant.topic, change) in staff.rules.changes}
    runtime: Runtime = request.app.state.runtime
    with runtime.engine.connect() as conn:
        version = policy_store.in_force(conn, staff.now)
    optional = [(name, p.description.rstrip(".")) for name, p in version.compiled().document.purposes.items()
                if p.choice != "none"] if version else []
    return render_page(request, "console/ticket.html", status=status, staff=staff, ticket=found, page=page,
                       choice_purposes=optional, choice_media=list(MEDIUM_LABELS.items()),
                       open_now=open_now, changes=changes, problem=problem, sent=sent, offered=offered or {},
                       max_failures=MAX_SECRET_FAILURES, failures=failures, identity_documents=IDENTITY_DOCUMENTS,
                       shown=shown or window_form({}, staff.time_zone))


def own_or_403(conn: object, staff: StaffContext, ticket_id: int) -> access_store.Ticket:
    """The staff member's own ticket, or the 403 page (the same whether another's or none)."""
    try:
        return access.own_ticket(conn, staff.actor, ticket_id)  # type: ignore[arg-type]
    except NotFound as exc:
        raise ConsoleForbidden("no such ticket of yours") from exc


@router.get("/break-glass", response_class=HTMLResponse)
def break_glass_page(request: Request, account: str = "", staff: StaffContext = Depends(staff_only)) -> Response:
    """The break-glass form: an account and a mandatory reason."""
    return render_page(request, "console/break_glass_form.html", staff=staff, account=account, problem="")


@router.post("/break-glass")
def break_glass(request: Request, account_ref: str = Form(""), reason: str = Form(""),
                staff: StaffContext = Depends(staff_only)) -> Response:
    """Open a break-glass access (reviewed later by the privacy officer)."""
    runtime: Runtime = request.app.state.runtime
    try:
        if staff.rules is None:
            raise AccessError("policy: no policy is in force")
        with transaction(runtime.engine) as conn:
            access_id = access.open_break_glass(conn, staff.rules, staff.actor, account_ref=account_ref,
                                                reason=reason, now=staff.now)
    except AccessError as exc:
        return render_page(request, "console/break_glass_form.html", status=422, staff=staff, account=account_ref,
                           problem=str(exc))
    return RedirectResponse(f"/console/break-glass/{access_id}", status_code=303)


@router.get("/break-glass/{access_id}", response_class=HTMLResponse)
def break_glass_view(request: Request, access_id: int, staff: StaffContext = Depends(staff_only)) -> Response:
    """The account under break-glass, with the reason in red above it."""
    runtime: Runtime = request.app.state.runtime
    if staff.rules is None:
        raise ConsoleForbidden("no policy is in force")
    with transaction(runtime.engine) as conn:
        try:
            found = access.own_break_glass(conn, staff.actor, access_id, staff.now)
        except NotFound as exc:
            raise ConsoleForbidden("no such break-glass access of yours, or it has ended") from exc
        classes = sorted({name for (role, name) in staff.rules.break_glass if role == staff.member.role})
        context = Context(staff.now, staff.rules, break_glass_reason=found.reason)
        shown = window_form(request.query_params, staff.time_zone)
        page = reading.read_account_page(conn, runtime.keyring(), staff.actor, found.account_id, classes, context,
                                         window=shown.window)
    return render_page(request, "console/break_glass.html", staff=staff, access=found, page=page, shown=shown)
