"""The portal's "Download everything" as a background build (issue 15 §2: "a background export job (the page
shows progress) builds a ZIP ... The link works for 7 days"): one build at a time per account, progress written
to the job's row without one write per row, and a build a crashed process left running is rebuilt from scratch
by the `export-builds` job, giving one link, never two."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime, timedelta
from itertools import count

from sqlalchemy import Engine, func, select, update

from custodian.audit import store as audit
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.dsr import export_jobs
from custodian.dsr.export.service import EXPORT_ACTION
from custodian.dsr.export_links import DOWNLOAD_PATH, exports_dir, open_download
from custodian.dsr.tables import dsr_export, dsr_export_job
from custodian.jobs.registry import JOBS
from custodian.kernel.clock import utcnow
from custodian.runtime import Runtime
from tests.builders.legal import spectrumvoip
from tests.builders.records import CANARY_COUNTERPART, an_account
from tests.builders.staff import a_call, policy_in_force

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def started(engine: Engine, account_id: int, now: datetime = NOW) -> int:
    with transaction(engine) as conn:
        return export_jobs.start(conn, account_id, now=now)


def test_a_build_ends_done_with_a_7_day_link_to_the_whole_export_and_is_audited(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore) -> None:
    account_id = an_account(engine, keyring)
    a_call(engine, keyring, account_id)
    job_id = started(engine, account_id)
    state = export_jobs.run(engine, keyring, blobs, spectrumvoip().document, job_id, now=lambda: NOW)
    with transaction(engine) as conn:
        job = export_jobs.latest(conn, keyring, account_id, now=NOW + timedelta(days=6))
        assert state == "done" and job is not None and job.state == "done" and job.percent == 100
        assert job.link and job.link.startswith(DOWNLOAD_PATH) and job.expires_at == NOW + timedelta(days=7)
        path = open_download(conn, blobs, job.link.removeprefix(DOWNLOAD_PATH), now=NOW)
        assert path is not None
        calls = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
        assert any(CANARY_COUNTERPART in calls.read(n).decode() for n in calls.namelist() if n.endswith(".csv"))
        assert [(e.actor, e.account_id) for e in audit.search(conn, action=EXPORT_ACTION)] == [("customer", account_id)]
    with engine.connect() as conn:
        later = export_jobs.latest(conn, keyring, account_id, now=NOW + timedelta(days=7))
    assert later is not None and later.link is None  # after 7 days the page shows no link


def test_an_account_has_one_build_at_a_time_and_a_second_click_finds_the_running_one(
        engine: Engine, keyring: Keyring) -> None:
    account_id = an_account(engine, keyring)
    first = started(engine, account_id)
    assert started(engine, account_id, NOW + timedelta(seconds=5)) == first
    other = an_account(engine, keyring, ref="ACC-0002")
    assert started(engine, other) != first
    with engine.connect() as conn:
        assert export_jobs.latest(conn, keyring, other, now=NOW, job_id=first) is None  # never another's build


def test_a_queued_build_is_run_once_even_when_two_workers_are_handed_it(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore) -> None:
    account_id = an_account(engine, keyring)
    job_id = started(engine, account_id)
    document = spectrumvoip().document
    assert export_jobs.run(engine, keyring, blobs, document, job_id, now=lambda: NOW) == "done"
    assert export_jobs.run(engine, keyring, blobs, document, job_id, now=lambda: NOW) == "skipped"
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(dsr_export)).scalar() == 1


def test_progress_is_written_to_the_row_at_most_once_a_second_and_when_a_phase_completes(
        engine: Engine, keyring: Keyring) -> None:
    job_id = started(engine, an_account(engine, keyring))
    ticks = count()
    progress = export_jobs.JobProgress(engine, job_id, clock=lambda: next(ticks) * 0.1, now=lambda: NOW)
    progress.begin("record classes", 100)
    for _ in range(99):
        progress.advance("record classes", 1)
    with engine.connect() as conn:
        job = export_jobs.latest(conn, keyring, _account_of(engine, job_id), now=NOW)
    assert progress.writes <= 12 and job is not None and job.phase == "record classes" and 80 <= job.done < 100
    progress.advance("record classes", 1)
    with engine.connect() as conn:
        job = export_jobs.latest(conn, keyring, _account_of(engine, job_id), now=NOW)
    assert job is not None and (job.done, job.total, job.percent) == (100, 100, 99)  # 100% only once stored


def _account_of(engine: Engine, job_id: int) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(dsr_export_job.c.account_id).where(dsr_export_job.c.id == job_id)).scalar_one())


def test_a_build_a_crashed_process_left_running_is_rebuilt_by_the_export_builds_job_with_one_link(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, master_key: bytes) -> None:
    policy_in_force(engine)  # in force since yesterday
    now = utcnow()
    account_id = an_account(engine, keyring)
    crashed = started(engine, account_id)
    with transaction(engine) as conn:  # the process died mid-build: running, a half-written file, no progress since
        conn.execute(update(dsr_export_job).where(dsr_export_job.c.id == crashed).values(
            state="running", attempts=1, file_name="abandoned.zip", updated_at=now - timedelta(minutes=30)))
    exports_dir(blobs).mkdir(parents=True, exist_ok=True)
    (exports_dir(blobs) / "abandoned.zip.part").write_bytes(b"PK half a zip")
    other = an_account(engine, keyring, ref="ACC-0002")
    fresh = started(engine, other)
    with transaction(engine) as conn:  # another build, running and reporting: not orphaned
        conn.execute(update(dsr_export_job).where(dsr_export_job.c.id == fresh).values(
            state="running", attempts=1, updated_at=now - timedelta(minutes=1)))
    runtime = Runtime(engine=engine, master_key=master_key, blobs=blobs)
    assert JOBS["export-builds"](runtime, now).startswith("1 interrupted downloads rebuilt, 0 failed")
    assert JOBS["export-builds"](runtime, now + timedelta(minutes=1)).startswith("0 interrupted")
    with engine.connect() as conn:
        job = export_jobs.latest(conn, keyring, account_id, now=now)
        untouched = export_jobs.latest(conn, keyring, other, now=now)
        links = conn.execute(select(dsr_export.c.account_id)).scalars().all()
    assert job is not None and job.state == "done" and job.link
    assert untouched is not None and untouched.state == "running"
    assert links == [account_id]
    assert sorted(p.suffix for p in exports_dir(blobs).iterdir()) == [".zip"]  # the half-written file is gone


def test_a_build_that_cannot_read_the_account_fails_in_words_without_a_link(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore) -> None:
    account_id = an_account(engine, keyring)
    job_id = started(engine, account_id)
    with transaction(engine) as conn:
        keyring.shred(conn, account_id)
    state = export_jobs.run(engine, Keyring(keyring.master_key), blobs, spectrumvoip().document, job_id,
                            now=lambda: NOW)
    with engine.connect() as conn:
        row = conn.execute(select(dsr_export_job).where(dsr_export_job.c.id == job_id)).one()
        assert conn.execute(select(func.count()).select_from(dsr_export)).scalar() == 0
    assert state == "failed" and row.state == "failed" and row.error == "your records are no longer available to export"
    assert row.link_enc is None and not any(exports_dir(blobs).iterdir())
