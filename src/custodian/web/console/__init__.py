"""The staff console: login, tickets, look-up, break-glass and the privacy officer's pages."""

from __future__ import annotations

from fastapi import FastAPI


def mount_console(app: FastAPI) -> None:
    """Add the console's routes and the guard's redirect and 403 handlers to `app`."""
    from custodian.web.console import auth_pages, officer_pages, ticket_pages
    from custodian.web.console.guard import install_guard

    install_guard(app)
    app.include_router(auth_pages.router)
    app.include_router(ticket_pages.router)
    app.include_router(officer_pages.router)
