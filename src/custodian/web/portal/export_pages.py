""""Download everything": the signed-in customer's own export ZIP (dsr/export), built when asked and sent at
once. Seed 002: customers "download that data through their Admin Portal"; the build is an audited
self-access (`dsr.export` in the audit chain). The file is written to a temporary file, streamed, then removed;
nothing of it stays on the server."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, Response
from starlette.background import BackgroundTask

from custodian.access.self_access import SELF_ACTOR
from custodian.db.engine import transaction
from custodian.dsr.export.service import export_account
from custodian.policy import store as policy_store
from custodian.runtime import Runtime
from custodian.web.portal.guard import Customer, require_customer
from custodian.web.rendering import render_page

router = APIRouter(prefix="/portal", include_in_schema=False)
signed_in = require_customer()


@router.get("/export")
def download_everything(request: Request, customer: Customer = Depends(signed_in)) -> Response:
    """The customer's export ZIP: a CSV and a JSON per record class, their files, a manifest and a README."""
    runtime: Runtime = request.app.state.runtime
    handle, name = tempfile.mkstemp(prefix="custodian-export-", suffix=".zip")
    os.close(handle)
    out = Path(name)
    with transaction(runtime.engine) as conn:
        version = policy_store.in_force(conn, customer.now)
        if version is None:
            out.unlink(missing_ok=True)
            return render_page(request, "portal/problem.html", status=503,
                               message="Your records cannot be exported right now; please try again later.")
        export_account(conn, runtime.keyring(), runtime.blobs, version.compiled().document, customer.account_id,
                       out, actor=SELF_ACTOR, now=customer.now)
    filename = f"{customer.account_ref}-{customer.now:%Y-%m-%d}.zip"
    return FileResponse(out, media_type="application/zip", filename=filename,
                        background=BackgroundTask(out.unlink, missing_ok=True))
