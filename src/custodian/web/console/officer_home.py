"""The privacy officer's home (issue 18 §4): every deadline of every desk in one list, the retention alarm with
"Run now", the tiles of what waits for review, the store figures, and charts of the last twelve months. Counts,
references and dates only: no subscriber data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from custodian.access import store as access_store
from custodian.access.types import PRIVACY_OFFICER
from custodian.audit import checkpoints
from custodian.audit import store as audit
from custodian.compliance import dashboard, dashboard_data
from custodian.db.engine import transaction
from custodian.jobs.lock import JobAlreadyRunning, job_lock
from custodian.legal import desk_views
from custodian.policy.document_compliance import default_rule_sets
from custodian.retention.planner import PlanSummary, schedule_of
from custodian.retention.service import NoPolicyInForce, policy_in_force, retention_view
from custodian.runtime import Runtime
from custodian.staff import store as staff_store
from custodian.web.console.guard import StaffContext, require_staff
from custodian.web.rendering import render_page

router = APIRouter(prefix="/console/officer", include_in_schema=False)
officer_only = require_staff(roles=(PRIVACY_OFFICER,))
DUE_SOON_DAYS = 7
SHOWN_DUE = 5
ANSWERED = frozenset({"delivered", "closed", "rejected", "withdrawn"})


@dataclass(frozen=True)
class LegalDeadlines:
    """Open legal requests by deadline: overdue, due within a week, and the next few to answer."""

    open: int
    overdue: int
    due_soon: int
    next_due: tuple[Any, ...]


def legal_deadlines(rows: list[Any], today: date) -> LegalDeadlines:
    """The deadlines of the desk's open requests as of `today` (delivered ones owe no answer)."""
    waiting = sorted((r for r in rows if r.state not in ANSWERED and r.due_on is not None), key=lambda r: r.due_on)
    soon = today + timedelta(days=DUE_SOON_DAYS)
    return LegalDeadlines(len(waiting), sum(r.due_on < today for r in waiting),
                          sum(today <= r.due_on <= soon for r in waiting), tuple(waiting[:SHOWN_DUE]))


@router.get("/", response_class=HTMLResponse)
def overview(request: Request, staff: StaffContext = Depends(officer_only)) -> Response:
    """The officer's home."""
    return _overview(request, staff, problem="", done="")


def _overview(request: Request, staff: StaffContext, *, problem: str, done: str, status: int = 200) -> Response:
    runtime: Runtime = request.app.state.runtime
    today = staff.now.date()
    with runtime.engine.connect() as conn:
        legal = legal_deadlines(desk_views.queue(conn, desk_views.QueueFilter()), today)
        reviews = len(access_store.break_glasses(conn, reviewed=False))
        approvals = sum(issue.state == "pending" for issue in staff_store.issues(conn))
        chain = checkpoints.status(conn)
        retention: PlanSummary | None = None
        holds = 0
        rule_sets = default_rule_sets()
        try:
            policy = policy_in_force(conn, staff.now)
            rule_sets = dict(policy.document.breach.rule_sets)
            view = retention_view(conn, policy, staff.now)
            retention, holds = view.next_run, len(view.holds)
        except NoPolicyInForce:
            pass
        deadlines = dashboard_data.deadlines(conn, rule_sets, staff.now)
        status_now = dashboard_data.retention_status(conn, retention.accounts_purged if retention else 0)
        charts = dashboard_data.charts(conn, staff.now)
    with runtime.reading_engine().connect() as conn:
        figures = dashboard_data.store_counts(conn)
    alarm = dashboard.retention_alarm(status_now.last_finished, status_now.overdue_accounts, staff.now) \
        if retention is not None else []
    return render_page(request, "console/officer/overview.html", status=status, staff=staff, legal=legal,
                       reviews=reviews, approvals=approvals, chain=chain, retention=retention, holds=holds,
                       today=today, deadlines=deadlines, alarm=alarm, last_run=status_now.last_finished,
                       charts=charts, svg=dashboard.chart_svg, legend=dashboard.legend, figures=figures,
                       problem=problem, done=done)


@router.get("/retention/run-now", response_class=HTMLResponse)
def confirm_run(request: Request, staff: StaffContext = Depends(officer_only)) -> Response:
    """Ask before running the retention schedule now: what it will delete."""
    runtime: Runtime = request.app.state.runtime
    with runtime.engine.connect() as conn:
        try:
            plan: PlanSummary | None = retention_view(conn, policy_in_force(conn, staff.now), staff.now).next_run
        except NoPolicyInForce:
            plan = None
    return render_page(request, "console/officer/run_retention.html", staff=staff, plan=plan)


@router.post("/retention/run-now", response_class=HTMLResponse)
def run_now(request: Request, confirm: str = Form(""), staff: StaffContext = Depends(officer_only)) -> Response:
    """Run the retention job now under its job lock (as cron would), audited as the officer's request."""
    if confirm != "yes":
        return RedirectResponse("/console/officer/retention/run-now", status_code=303)
    runtime: Runtime = request.app.state.runtime
    actor = f"staff:{staff.member.username}"
    try:
        with job_lock(runtime.engine, "retention", lock_dir(runtime)):
            with transaction(runtime.engine) as conn:
                audit.append(conn, actor=actor, action="retention.run_now", reason="privacy officer ran retention "
                             "from the dashboard", now=staff.now)
            summary = _run_retention(runtime, staff)
    except JobAlreadyRunning:
        return _overview(request, staff, problem="retention is running already; look again when it has finished",
                         done="", status=409)
    except NoPolicyInForce as exc:
        return _overview(request, staff, problem=str(exc), done="", status=409)
    return _overview(request, staff, problem="", done=f"Retention ran: {summary}")


def _run_retention(runtime: Runtime, staff: StaffContext) -> str:
    """What the retention job (jobs/registry.py) does: run the schedule of the policy in force."""
    from custodian.retention.executor import run_retention

    with runtime.engine.connect() as conn:
        policy = policy_in_force(conn, staff.now)
    result = run_retention(runtime.engine, runtime.keyring(), runtime.blobs, schedule_of(policy),
                           policy_hash=policy.version_hash, now=staff.now, actor="job:retention")
    return f"run {result.run_id}: deleted {result.deleted} records; receipt is audit event {result.audit_seq}"


def lock_dir(runtime: Runtime) -> Path:
    """Where the SQLite job lock lives: the data directory holding the embedded database (the CLI's
    CUSTODIAN_DATA_DIR); PostgreSQL's advisory lock needs no directory."""
    database = runtime.engine.url.database
    if runtime.engine.dialect.name == "sqlite" and database:
        return Path(database).parent
    return runtime.blobs.root.parent
