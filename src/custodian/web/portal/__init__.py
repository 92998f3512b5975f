"""The customer portal: enrolment, sign-in and the customer's own records, details and settings."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI


def portal_routers() -> tuple[APIRouter, ...]:
    """Every router of the portal."""
    from custodian.web.portal import (
        account_pages,
        auth_pages,
        details_pages,
        disclosure_pages,
        export_pages,
        preference_pages,
        settings_pages,
    )

    return (auth_pages.router, account_pages.router, details_pages.router, settings_pages.router,
            export_pages.router, preference_pages.router, disclosure_pages.router)


def mount_portal(app: FastAPI) -> None:
    """Add the portal's routes and its guard's redirect and 403 handlers to `app`."""
    from custodian.web.portal.guard import install_guard

    install_guard(app)
    for router in portal_routers():
        app.include_router(router)
