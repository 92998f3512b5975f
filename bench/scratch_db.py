"""Throw-away PostgreSQL databases created beside the one a benchmark is pointed at, dropped afterwards
(shared by bench/legal_production.py and bench/retention.py)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine, make_url, text

from custodian.db.engine import normalise_url


class ScratchServer:
    """Creates databases on the server of one URL and remembers them, so that all can be dropped."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.admin: Engine = create_engine(normalise_url(url), isolation_level="AUTOCOMMIT")
        self.created: list[str] = []

    def create(self, prefix: str, *, template: str | None = None) -> str:
        """A new empty database (`custodian_bench_1a2b3c4d`), or a copy of `template` (a URL this server made);
        returns its URL."""
        name = f"{prefix}_{uuid.uuid4().hex[:8]}"
        copy = f' TEMPLATE "{make_url(template).database}"' if template else ""
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"{copy}'))
        self.created.append(name)
        return make_url(normalise_url(self.url)).set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        """Drop every database this server created (connections to them are ended)."""
        with self.admin.connect() as conn:
            for name in self.created:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.created.clear()
        self.admin.dispose()


@contextmanager
def scratch_server(url: str) -> Iterator[ScratchServer]:
    """A ScratchServer whose databases are dropped on the way out, even after a failure."""
    server = ScratchServer(url)
    try:
        yield server
    finally:
        server.drop_all()
