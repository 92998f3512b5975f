""""Download everything": the signed-in customer's own export ZIP (dsr/export), built by a background job
(dsr/export_jobs) while the page shows its progress, then kept behind a link that works for 7 days
(dsr/export_links; the `export-expiry` job deletes the file then). Seed 002: customers "download that data
through their Admin Portal". The build is an audited self-access (`dsr.export`), as is each download."""

from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from custodian.db.engine import transaction
from custodian.dsr import export_jobs
from custodian.policy import store as policy_store
from custodian.runtime import Runtime
from custodian.web.portal.guard import Customer, require_customer
from custodian.web.rendering import render_page

router = APIRouter(prefix="/portal", tags=["Customer portal"])
signed_in = require_customer()
REFRESH_SECONDS = 2  # the page without JavaScript reloads itself this often while the build runs


@router.get("/export", response_class=HTMLResponse)
def export_page(request: Request, customer: Customer = Depends(signed_in)) -> Response:
    """What the download holds; the newest build's progress, or its link once done; the button that starts one."""
    runtime: Runtime = request.app.state.runtime
    with runtime.engine.connect() as conn:
        job = export_jobs.latest(conn, runtime.keyring(), customer.account_id, now=customer.now)
    return render_page(request, "portal/export.html", customer=customer, job=job, refresh=REFRESH_SECONDS)


@router.post("/export")
def start_export(request: Request, background: BackgroundTasks, customer: Customer = Depends(signed_in)) -> Response:
    """Queue the build (or find the one already running) and run it after the answer; show its progress."""
    runtime: Runtime = request.app.state.runtime
    with transaction(runtime.engine) as conn:
        version = policy_store.in_force(conn, customer.now)
        if version is None:
            return render_page(request, "portal/problem.html", status=503,
                               message="Your records cannot be exported right now; please try again later.")
        job_id = export_jobs.start(conn, customer.account_id, now=customer.now)
    # The worker claims a queued job only once: a second click on a running build starts nothing new.
    background.add_task(export_jobs.run, runtime.engine, runtime.keyring(), runtime.blobs,
                        version.compiled().document, job_id)
    return RedirectResponse("/portal/export", status_code=303)


@router.get("/export/jobs/{job_id}")
def export_status(job_id: int, request: Request, customer: Customer = Depends(signed_in)) -> Response:
    """The build's state and progress as JSON (what the page polls): only the signed-in customer's own build."""
    runtime: Runtime = request.app.state.runtime
    with runtime.engine.connect() as conn:
        job = export_jobs.latest(conn, runtime.keyring(), customer.account_id, now=customer.now, job_id=job_id)
    if job is None:
        return JSONResponse({"code": "not_found", "message": "no such download"}, status_code=404,
                            headers={"Cache-Control": "no-store"})
    return JSONResponse(job.as_json(), headers={"Cache-Control": "no-store"})
