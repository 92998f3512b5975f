"""The published privacy notice: the version in force at /privacy, earlier versions beside it."""

from __future__ import annotations

import threading
from collections import OrderedDict

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from custodian.kernel.clock import utcnow
from custodian.policy import store as policy_store
from custodian.policy.notice import build_notice
from custodian.policy.store import PolicyVersion
from custodian.runtime import Runtime
from custodian.web.rendering import render_page

router = APIRouter(include_in_schema=False)


_PAGES = 8
_pages: OrderedDict[tuple[int, str, bool], bytes] = OrderedDict()
_pages_lock = threading.Lock()


def notice_page(request: Request, version: PolicyVersion, current: bool) -> HTMLResponse:
    """The notice page of `version`, rendered once per process: it depends on the stored version alone (no
    session, form or time on it), and the public notice is the most read page of the site."""
    key = (version.id, version.version_hash, current)
    with _pages_lock:
        body = _pages.get(key)
    if body is None:
        body = bytes(render_page(request, "privacy/notice.html", notice=build_notice(version.compiled()),
                                 current=current).body)
        with _pages_lock:
            _pages[key] = body
            while len(_pages) > _PAGES:
                _pages.popitem(last=False)
    return HTMLResponse(body)


@router.get("/privacy", response_class=HTMLResponse)
def privacy(request: Request) -> HTMLResponse:
    """The notice of the policy in force now."""
    runtime: Runtime = request.app.state.runtime
    with runtime.engine.connect() as conn:
        version = policy_store.in_force(conn, utcnow())
    if version is None:
        return render_page(request, "privacy/none.html", status=404, missing_version=False)
    return notice_page(request, version, current=True)


@router.get("/privacy/versions", response_class=HTMLResponse)
def versions(request: Request) -> HTMLResponse:
    """Every version ever activated, newest first."""
    runtime: Runtime = request.app.state.runtime
    with runtime.engine.connect() as conn:
        history = policy_store.history(conn)
        current = policy_store.in_force(conn, utcnow())
    return render_page(request, "privacy/versions.html", history=history, current=current)


@router.get("/privacy/versions/{version_hash}", response_class=HTMLResponse)
def version(request: Request, version_hash: str) -> HTMLResponse:
    """The notice of one earlier (or later) version."""
    runtime: Runtime = request.app.state.runtime
    with runtime.engine.connect() as conn:
        found = policy_store.by_hash(conn, version_hash) if len(version_hash) == 64 else None
        current = policy_store.in_force(conn, utcnow())
    if found is None:
        return render_page(request, "privacy/none.html", status=404, missing_version=True)
    return notice_page(request, found, current=current is not None and current.id == found.id)
