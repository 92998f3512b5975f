"""The staff console: login, tickets, look-up, break-glass and the privacy officer's pages."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI


def console_routers() -> tuple[APIRouter, ...]:
    """Every router of the console (the no-leak test walks each of their routes)."""
    from custodian.web import figures_page  # store counts, not subscriber records: outside the console package
    from custodian.web.console import (
        abuse_pages,
        admin_pages,
        auth_pages,
        compliance_pages,
        cpni_register_pages,
        disclosure_pages,
        ledger_pages,
        legal_actions,
        legal_entry,
        legal_files,
        legal_pages,
        officer_home,
        officer_pages,
        privacy_request_pages,
        retention_pages,
        ticket_actions,
        ticket_pages,
        vendor_pages,
    )

    return (auth_pages.router, ticket_pages.router, ticket_actions.router, officer_pages.router, admin_pages.router,
            legal_pages.router, legal_entry.router, legal_files.router, legal_actions.router, retention_pages.router,
            ledger_pages.router, figures_page.router, officer_home.router, privacy_request_pages.router,
            compliance_pages.router, disclosure_pages.router, vendor_pages.router, abuse_pages.router,
            cpni_register_pages.router)


def mount_console(app: FastAPI) -> None:
    """Add the console's routes and the guard's redirect and 403 handlers to `app`."""
    from custodian.web.console.guard import install_guard

    install_guard(app)
    for router in console_routers():
        app.include_router(router)
