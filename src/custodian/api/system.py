"""System endpoints: liveness with a database check (public), and the store's live figures (staff only:
a privacy officer's console session or the API token, see api/auth.py)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from custodian.api.auth import require_staff_or_token
from custodian.api.errors import ApiError
from custodian.records.figures import StoreFigures, store_figures
from custodian.runtime import Runtime

router = APIRouter(tags=["system"])


class Health(BaseModel):
    """The service is up and its database answers."""

    status: str = Field(examples=["ok"])


class AccountCounts(BaseModel):
    """Accounts by status, kind and profile."""

    total: int
    by_status: dict[str, int] = Field(description="active, suspended, closed")
    by_kind: dict[str, int] = Field(description="residential, business")
    by_profile: dict[str, int] = Field(description="standard, hipaa")
    hipaa: int = Field(description="accounts on the HIPAA retention profile")
    controlled_by_business_client: int = Field(
        description="accounts whose data a business client controls (the provider is processor)")


class LastImportOut(BaseModel):
    """The newest completed import run."""

    kind: str
    finished_at: datetime
    imported: int


class AuditChainOut(BaseModel):
    """The head of the hash-chained audit log; `custodian audit verify` checks every link."""

    events: int
    head_hash: str


class FiguresOut(BaseModel):
    """What the record store holds right now. Counts only: no personal data."""

    accounts: AccountCounts
    numbers_assigned_now: int = Field(description="numbers with an open assignment")
    number_assignments: int = Field(description="assignments ever recorded, closed ones included")
    e911_registrations: int = Field(description="E911 registered addresses, earlier ones included")
    call_records: int
    newest_call_at: datetime | None
    sms_records: int
    fax_records: int
    content_items: int
    content_by_kind: dict[str, int]
    comment_entries: int
    billing_transactions: int
    last_import: LastImportOut | None
    audit_chain: AuditChainOut


@router.head("/healthz", include_in_schema=False)  # uptime monitors probe with HEAD
@router.get("/healthz", response_model=Health, summary="Liveness and database check",
            responses={503: {"description": "The database is unreachable"}})
def healthz(request: Request) -> Health:
    """200 when the database answers a trivial query, else 503 `database_unavailable`."""
    runtime: Runtime = request.app.state.runtime
    try:
        with runtime.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        raise ApiError(503, "database_unavailable", "the database is unreachable") from exc
    return Health(status="ok")


@router.get("/api/v1/figures", response_model=FiguresOut, summary="Live figures of the store",
            responses={401: {"description": "No API token and no privacy officer's console session"},
                       403: {"description": "A signed-in staff member who is not the privacy officer"}})
def figures(request: Request, _caller: str = Depends(require_staff_or_token)) -> FiguresOut:
    """Counts of accounts, numbers, records, imports and the audit chain head (`Authorization: Bearer TOKEN`)."""
    runtime: Runtime = request.app.state.runtime
    with runtime.reading_engine().connect() as conn:
        return figures_out(store_figures(conn))


def figures_out(figures: StoreFigures) -> FiguresOut:
    """The API shape of a figures snapshot."""
    accounts = figures.accounts
    last = figures.last_import
    last_import = LastImportOut(kind=last.kind, finished_at=last.finished_at,
                                imported=last.imported) if last else None
    return FiguresOut(
        accounts=AccountCounts(
            total=accounts.total, by_status=accounts.by_status, by_kind=accounts.by_kind,
            by_profile=accounts.by_profile, hipaa=accounts.hipaa,
            controlled_by_business_client=accounts.controlled_by_business_client),
        numbers_assigned_now=figures.numbers_assigned_now,
        number_assignments=figures.number_assignments,
        e911_registrations=figures.e911_registrations,
        call_records=figures.call_records,
        newest_call_at=figures.newest_call_at,
        sms_records=figures.sms_records,
        fax_records=figures.fax_records,
        content_items=figures.content_items,
        content_by_kind=figures.content_by_kind,
        comment_entries=figures.comment_entries,
        billing_transactions=figures.billing_transactions,
        last_import=last_import,
        audit_chain=AuditChainOut(events=figures.audit_events, head_hash=figures.audit_head_hash),
    )
