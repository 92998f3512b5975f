"""Reporting reads may go to a streaming replica; writes never do, and a lost replica falls back to the primary
(issue 19 §3, second bullet).

`Runtime.reading_engine()` serves the officer's store figures (page and `GET /api/v1/figures`). The standby test
starts a real hot standby of the PostgreSQL test server with pg_basebackup; where the server refuses
replication connections it skips, naming the server's refusal.
"""

from __future__ import annotations

import logging
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, make_url, text

from custodian.app import create_app
from custodian.crypto.blobs import LocalBlobStore
from custodian.db.engine import make_engine, normalise_url
from custodian.runtime import Runtime
from tests.conftest import PG_URL

TOKEN = "k" * 32


def _figures(runtime: Runtime) -> int:
    with TestClient(create_app(runtime, api_token=TOKEN)) as http:
        response = http.get("/api/v1/figures", headers={"Authorization": "Bearer " + TOKEN})
    assert response.status_code == 200
    return int(response.json()["accounts"]["total"])


def _counting(engine: Engine) -> list[str]:
    seen: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda _c, _cur, sql, *_a: seen.append(sql))
    return seen


def test_the_figures_read_goes_to_the_replica_engine_not_the_primary(
        engine: Engine, database_url: str, master_key: bytes, blobs: LocalBlobStore) -> None:
    """A second engine on the same database stands in for the replica (the standby test below uses a real one)."""
    stand_in = make_engine(database_url)
    runtime = Runtime(engine=engine, master_key=master_key, blobs=blobs, replica=stand_in)
    on_replica, on_primary = _counting(stand_in), _counting(engine)
    _figures(runtime)
    assert any("FROM account" in sql for sql in on_replica)
    assert not any("FROM account" in sql for sql in on_primary)
    stand_in.dispose()


def test_an_unreachable_replica_falls_back_to_the_primary_and_is_logged_once(
        engine: Engine, master_key: bytes, blobs: LocalBlobStore, caplog: pytest.LogCaptureFixture) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nothing listens here once the probe closes
    runtime = Runtime(engine=engine, master_key=master_key, blobs=blobs,
                      replica=make_engine(f"postgresql://nobody@127.0.0.1:{port}/none", connect_timeout=2))
    with caplog.at_level(logging.WARNING, logger="custodian.runtime"):
        assert _figures(runtime) == 0
        assert _figures(runtime) == 0
    assert runtime.reading_engine() is engine
    assert [r.getMessage() for r in caplog.records if r.name == "custodian.runtime"] == [
        "read replica unreachable: reporting reads go to the primary database"]
    assert "127.0.0.1" not in caplog.text


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_server_user(args: list[str]) -> list[str]:
    """pg_ctl refuses root: run it as the postgres user then."""
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@dataclass
class Standby:
    """A running hot standby: its URL, and how to stop it."""

    url: str
    primary_url: str
    data: Path

    def stop(self) -> None:
        """Stop it at once (`pg_ctl -w` returns when it is down)."""
        from custodian.backup.archive import program

        subprocess.run(_as_server_user([program("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"]),
                       capture_output=True, check=False)


_MATCHED = ("max_connections", "max_worker_processes", "max_wal_senders", "max_prepared_transactions",
            "max_locks_per_transaction")


def _give_configuration(data: Path, primary_url: str) -> None:
    """Debian keeps postgresql.conf and pg_hba.conf in /etc, outside the data directory the base backup copied:
    write the standby its own, with the settings a hot standby must not set lower than its primary."""
    if (data / "postgresql.conf").exists():
        return
    engine = make_engine(primary_url)
    with engine.connect() as conn:
        settings = dict(conn.execute(text("SELECT name, setting FROM pg_settings WHERE name = ANY(:names)"),
                                     {"names": list(_MATCHED)}).tuples().all())
    engine.dispose()
    (data / "postgresql.conf").write_text("".join(f"{name} = {value}\n" for name, value in settings.items())
                                          + "listen_addresses = '127.0.0.1'\nhot_standby = on\n")
    (data / "pg_hba.conf").write_text("local all all trust\nhost all all 127.0.0.1/32 trust\n")
    (data / "pg_ident.conf").write_text("")


@pytest.fixture
def standby(request: pytest.FixtureRequest) -> Iterator[Standby]:
    """A hot standby of the test server (with this session's migrated database) on a second port, in a temporary
    directory; stopped afterwards."""
    if not PG_URL:
        pytest.skip("the standby test needs CUSTODIAN_TEST_DATABASE_URL (PostgreSQL)")
    from custodian.backup.archive import program

    url = make_url(normalise_url(request.getfixturevalue("postgres_url")))
    work = Path(tempfile.mkdtemp(prefix="custodian-standby-"))
    data = work / "data"
    taken = subprocess.run([program("pg_basebackup"), "-h", url.host or "127.0.0.1", "-p", str(url.port or 5432),
                            "-U", url.username or "postgres", "-D", str(data), "-R", "-X", "stream",
                            "--checkpoint=fast"],
                           capture_output=True, text=True, check=False)
    if taken.returncode != 0:
        shutil.rmtree(work, ignore_errors=True)
        pytest.skip("the test server refuses replication: " + taken.stderr.strip().splitlines()[-1])
    _give_configuration(data, url.render_as_string(hide_password=False))
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        for path in (work, *work.rglob("*")):
            os.chown(path, owner.pw_uid, owner.pw_gid)
    port = _free_port()
    subprocess.run(_as_server_user([program("pg_ctl"), "-D", str(data), "-o", f"-p {port} -k {work}", "-w", "-l",
                                    str(work / "log"), "start"]), check=True, capture_output=True)
    running = Standby(url.set(port=port).render_as_string(hide_password=False),
                      url.render_as_string(hide_password=False), data)
    try:
        yield running
    finally:
        running.stop()
        shutil.rmtree(work, ignore_errors=True)


def test_a_dashboard_read_is_served_by_a_real_standby_and_survives_its_loss(
        standby: Standby, master_key: bytes, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """PostgreSQL only: a real standby answers the figures read; once it stops, the primary does."""
    primary = make_engine(standby.primary_url)
    replica = make_engine(standby.url, connect_timeout=2)
    runtime = Runtime(engine=primary, master_key=master_key, blobs=LocalBlobStore(tmp_path / "blobs"), replica=replica)
    with runtime.reading_engine().connect() as conn:
        assert conn.execute(text("SELECT pg_is_in_recovery()")).scalar_one() is True
    with primary.connect() as conn:
        assert conn.execute(text("SELECT pg_is_in_recovery()")).scalar_one() is False
    reads = _counting(replica)
    _figures(runtime)
    assert any("FROM account" in sql for sql in reads)
    standby.stop()
    with caplog.at_level(logging.WARNING, logger="custodian.runtime"):
        _figures(runtime)
        _figures(runtime)
    assert runtime.reading_engine() is primary
    assert [r.getMessage() for r in caplog.records if r.name == "custodian.runtime"] == [
        "read replica unreachable: reporting reads go to the primary database"]
    replica.dispose()
    primary.dispose()
