""""Download everything" in the portal: the signed-in customer's own export ZIP, built in the background when
asked, its progress shown on the page, then behind a 7-day link.

Seed 002 (SpectrumVoIP): customers may "download that data through their Admin Portal". Issue 15 §2: "a
ZIP with one JSON and one CSV file per record class, content files in their original format, a
`manifest.json` with SHA-256 of every file, and a README"; "a background export job (the page shows progress)".
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select, update

from custodian.audit import store as audit
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.dsr import export_jobs
from custodian.dsr.export.service import EXPORT_ACTION
from custodian.dsr.tables import dsr_export_job
from tests.builders.records import CANARY_COUNTERPART, an_account
from tests.builders.retention import add_content
from tests.builders.smtp import Inbox
from tests.builders.staff import csrf_of
from tests.web.portal.conftest import enrol

VOICE = b"RIFF....WAVEfmt the customer's own voice message"


def test_the_account_page_offers_the_download_and_it_is_the_customers_whole_export(
        portal: tuple[TestClient, Inbox], engine: Engine, keyring: Keyring, blobs: LocalBlobStore,
        account_id: int) -> None:
    with transaction(engine) as conn:
        add_content(conn, account_id, "content.voice_message", datetime(2026, 3, 1, 9, tzinfo=UTC),
                    keyring=keyring, blobs=blobs, body=VOICE)
    client, inbox = portal
    enrol(client, inbox)
    assert 'id="download-everything"' in client.get("/portal/account").text
    offer = client.get("/portal/export")
    assert offer.status_code == 200 and 'id="prepare-export"' in offer.text
    ready = client.post("/portal/export", data={"csrf_token": csrf_of(offer.text)})  # built after the answer
    assert ready.status_code == 200 and str(ready.url).endswith("/portal/export")
    assert 'id="export-expires"' in ready.text
    link = re.search(r'href="(/privacy/requests/download/[^"]+)" id="export-link"', ready.text)
    assert link and link.group(1), ready.text
    client.cookies.clear()  # the link is the credential: it works without the session, for 7 days
    answer = client.get(link.group(1))
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/zip"
    assert "attachment" in answer.headers["content-disposition"]
    archive = zipfile.ZipFile(io.BytesIO(answer.content))
    names = set(archive.namelist())
    assert {"manifest.json", "README.txt"} <= names
    calls = next(n for n in names if n.endswith("call_log.csv"))
    assert CANARY_COUNTERPART in archive.read(calls).decode("utf-8")
    assert VOICE in [archive.read(n) for n in names]
    manifest = json.loads(archive.read("manifest.json"))
    listed = {entry["path"]: entry["sha256"] for entry in manifest["files"]}
    assert listed[calls] == hashlib.sha256(archive.read(calls)).hexdigest()
    with engine.connect() as conn:
        exports = audit.search(conn, action=EXPORT_ACTION)
        downloads = audit.search(conn, action="dsr.export_downloaded")
    assert [(e.actor, e.account_id) for e in exports] == [("customer", account_id)]
    assert [e.account_id for e in downloads] == [account_id]


def test_without_signing_in_there_is_no_export(portal: tuple[TestClient, Inbox], engine: Engine) -> None:
    client, _ = portal
    answer = client.get("/portal/export", follow_redirects=False)
    assert answer.status_code in (302, 303, 401)
    assert client.post("/portal/export", follow_redirects=False).status_code in (302, 303, 401, 403)
    with engine.connect() as conn:
        assert audit.search(conn, action=EXPORT_ACTION) == []


def test_while_the_build_runs_the_page_shows_its_progress_and_a_second_click_starts_no_other(
        portal: tuple[TestClient, Inbox], engine: Engine, keyring: Keyring, account_id: int) -> None:
    client, inbox = portal
    csrf = enrol(client, inbox)
    with transaction(engine) as conn:  # a build under way: 4 of 12 record classes written
        job_id = export_jobs.start(conn, account_id, now=datetime.now(UTC))
        conn.execute(update(dsr_export_job).where(dsr_export_job.c.id == job_id).values(
            state="running", attempts=1, phase="record classes", done=4, total=12, updated_at=datetime.now(UTC)))
    page = client.post("/portal/export", data={"csrf_token": csrf})
    assert 'id="export-bar" max="100" value="33"' in page.text and 'http-equiv="refresh"' in page.text
    assert "/static/portal-export.js" in page.text and 'id="prepare-export"' not in page.text
    status = client.get(f"/portal/export/jobs/{job_id}")
    assert status.headers["cache-control"] == "no-store"
    assert {k: status.json()[k] for k in ("state", "done", "total", "percent", "link")} == {
        "state": "running", "done": 4, "total": 12, "percent": 33, "link": None}
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(dsr_export_job)).scalar() == 1
        assert audit.search(conn, action=EXPORT_ACTION) == []


def test_the_status_of_another_customers_build_is_not_found(
        portal: tuple[TestClient, Inbox], engine: Engine, keyring: Keyring, account_id: int) -> None:
    other = an_account(engine, keyring, ref="ACC-0002")
    with transaction(engine) as conn:
        theirs = export_jobs.start(conn, other, now=datetime.now(UTC))
    client, inbox = portal
    enrol(client, inbox)
    assert client.get(f"/portal/export/jobs/{theirs}").status_code == 404
    client.cookies.clear()
    assert client.get(f"/portal/export/jobs/{theirs}", follow_redirects=False).status_code == 303
