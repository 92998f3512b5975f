"""Backup archives: the database copy, the blob files and a manifest of SHA-256s — never the master key.

SQLite is copied with its online backup API; PostgreSQL with `pg_dump -Fc` inside an exported snapshot,
so the manifest's audit head and schema revision are exactly the dump's. The deletion log's head is read
*before* the copy starts: any deletion committed after that point lies after the head (or was still
pending at it) and is re-applied by a restore.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, make_url, text

from custodian.audit import store as audit
from custodian.backup.deletion_log import DeletionLog
from custodian.db.engine import make_engine, normalise_url
from custodian.kernel.clock import utcnow

MANIFEST = "manifest.json"
SQLITE_FILE, PG_FILE, BLOBS = "database.sqlite", "database.dump", "blobs"


class BackupError(RuntimeError):
    """A backup cannot be made, checked or restored (the message says why)."""


def create(url: str, blob_dir: Path, deletion_log: DeletionLog, out: Path) -> dict[str, Any]:
    """Write a backup of the database and blobs into the empty directory `out`; return its manifest."""
    if out.exists() and any(out.iterdir()):
        raise BackupError(f"{out} is not empty")
    out.mkdir(parents=True, exist_ok=True, mode=0o700)
    log_head = deletion_log.head()
    engine = make_engine(url)
    try:
        if engine.dialect.name == "sqlite":
            _sqlite_copy(engine, out / SQLITE_FILE)
            state = _state_of(make_engine(f"sqlite:///{out / SQLITE_FILE}"))
        else:
            state = _pg_dump(engine, url, out / PG_FILE)
    finally:
        engine.dispose()
    if blob_dir.exists():
        shutil.copytree(blob_dir, out / BLOBS, ignore=shutil.ignore_patterns("*.part"))
    manifest = {"format": 1, "created_at": utcnow().isoformat(), "dialect": engine.dialect.name, **state,
                "deletion_log_head": asdict(log_head), "files": _hashes(out)}
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def read_manifest(backup: Path) -> dict[str, Any]:
    """The manifest, after checking every file against its SHA-256 (BackupError names the first misfit)."""
    try:
        manifest: dict[str, Any] = json.loads((backup / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"{backup / MANIFEST}: cannot be read") from exc
    found = _hashes(backup)
    for name, digest in manifest["files"].items():
        if found.get(name) != digest:
            raise BackupError(f"{name}: {'missing' if name not in found else 'does not match its SHA-256'}")
    extra = sorted(set(found) - set(manifest["files"]))
    if extra:
        raise BackupError(f"{extra[0]}: not in the manifest")
    return manifest


@contextmanager
def restored_copy(backup: Path, manifest: dict[str, Any], server_url: str | None, scratch: Path) -> Iterator[str]:
    """Restore the backup's database into a scratch database (a file under `scratch`, or a database created
    on `server_url`'s server and dropped afterwards); yield its URL."""
    if manifest["dialect"] == "sqlite":
        target = scratch / "restored.sqlite"
        shutil.copyfile(backup / SQLITE_FILE, target)
        yield f"sqlite:///{target}"
        return
    if not server_url or not server_url.startswith(("postgresql", "postgres")):
        raise BackupError("a PostgreSQL backup is restored on a PostgreSQL server: set CUSTODIAN_DATABASE_URL")
    name = f"custodian_scratch_{os.urandom(5).hex()}"
    admin = make_engine(server_url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(normalise_url(server_url)).set(database=name).render_as_string(hide_password=False)
    try:
        pg_restore(url, backup / PG_FILE)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.engine.dispose()


def check(url: str, manifest: dict[str, Any]) -> dict[str, Any]:
    """Verify the restored copy's audit chain against the manifest's head; count its rows per table."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            broken = audit.verify(conn)
            seq, digest = audit.head(conn)
            counts = _row_counts(conn)
    finally:
        engine.dispose()
    recorded = manifest["audit_head"]
    return {"audit_chain": "intact" if broken is None else f"broken at event {broken.seq}: {broken.problem}",
            "audit_head": {"seq": seq, "hash": digest},
            "audit_head_matches": [seq, digest] == [recorded["seq"], recorded["hash"]], "rows": counts}


def pg_restore(url: str, dump: Path) -> None:
    """Load a `pg_dump -Fc` file into the (empty) database at `url`."""
    _run("pg_restore", ["--no-owner", "--exit-on-error", "--single-transaction", "-d", _libpq(url)[0],
                        str(dump)], _libpq(url)[1])


def program(name: str) -> str:
    """`name` on PATH, else the newest /usr/lib/postgresql/*/bin copy; BackupError when neither exists."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    if not candidates:
        raise BackupError(f"{name} was not found on PATH or in /usr/lib/postgresql/*/bin: install the PostgreSQL "
                          "client programs (Debian: postgresql-client)")
    return candidates[-1]


def _sqlite_copy(engine: Engine, target: Path) -> None:
    source = sqlite3.connect(engine.url.database or "")
    try:
        copy = sqlite3.connect(target)
        with copy:
            source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        copy.close()
    finally:
        source.close()
    target.chmod(0o600)


def _pg_dump(engine: Engine, url: str, target: Path) -> dict[str, Any]:
    """Dump inside an exported snapshot held open by a repeatable-read transaction that also reads the state."""
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn, conn.begin():
        snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
        state = _state(conn)
        address, env = _libpq(url)
        _run("pg_dump", ["-Fc", "--no-owner", f"--snapshot={snapshot}", "-f", str(target), address], env)
    target.chmod(0o600)
    return state


def _state_of(engine: Engine) -> dict[str, Any]:
    try:
        with engine.connect() as conn:
            return _state(conn)
    finally:
        engine.dispose()


def _state(conn: Connection) -> dict[str, Any]:
    revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    seq, digest = audit.head(conn)
    return {"schema_revision": revision, "audit_head": {"seq": seq, "hash": digest}}


def _row_counts(conn: Connection) -> dict[str, int]:
    from custodian.db.metadata import metadata

    return {table.name: int(conn.execute(text(f'SELECT count(*) FROM "{table.name}"')).scalar_one())
            for table in metadata.sorted_tables}


def _hashes(root: Path) -> dict[str, str]:
    found = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.name != MANIFEST:
            digest = hashlib.sha256()
            with path.open("rb") as handle:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(chunk)
            found[path.relative_to(root).as_posix()] = digest.hexdigest()
    return found


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """A libpq address without the password (which goes in PGPASSWORD, never on a command line)."""
    parsed = make_url(normalise_url(url))
    env = {**os.environ}
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    return parsed.set(drivername="postgresql", password=None).render_as_string(hide_password=False), env


def _run(name: str, args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run([program(name), *args], env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["failed"])[-1]
        raise BackupError(f"{name} failed: {last}")
