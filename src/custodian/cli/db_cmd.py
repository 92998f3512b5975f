"""`custodian db`: schema migrations and partition upkeep."""

from __future__ import annotations

import typer

from custodian.cli.context import failures, out, runtime
from custodian.db import schema
from custodian.db.engine import transaction
from custodian.db.partitions import ensure_ahead
from custodian.kernel.clock import utcnow

app = typer.Typer(help="Database schema and partitions.", no_args_is_help=True)


@app.command("upgrade")
def upgrade(revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Migrate the database to the newest schema (or REVISION)."""
    with failures():
        rt = runtime()
        before = schema.current_revision(rt.engine)
        schema.upgrade(rt.engine, revision)
        with transaction(rt.engine) as conn:
            ensure_ahead(conn, utcnow())
        out.print(f"schema: {before or 'empty'} -> {schema.current_revision(rt.engine)}")


@app.command("status")
def status() -> None:
    """Show the schema revision the database is at and the newest one known."""
    with failures():
        rt = runtime()
        current = schema.current_revision(rt.engine) or "empty"
        out.print(f"database: {current}; newest: {schema.head_revision(rt.engine)}")
