"""The full schema (every domain's tables) and Alembic-driven migration of a database to it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

import custodian.abuse.tables
import custodian.access.tables
import custodian.audit.tables
import custodian.compliance.tables
import custodian.consent.keyword_tables
import custodian.consent.tables
import custodian.crypto.tables
import custodian.disclosures.tables
import custodian.dsr.tables
import custodian.ingest.tables
import custodian.legal.tables
import custodian.policy.tables
import custodian.portal.tables
import custodian.records.tables
import custodian.retention.tables
import custodian.staff.tables  # noqa: F401  (registers tables on the metadata)
from custodian.db.metadata import metadata
from custodian.db.partitions import PARTITIONED

MIGRATIONS_DIR = Path(__file__).parent / "migrations"

__all__ = ["alembic_config", "current_revision", "downgrade", "head_revision", "metadata", "upgrade"]


_MONTH_PARTITION = re.compile(rf"^({'|'.join(PARTITIONED)})_y\d{{4}}m\d{{2}}$")


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """For autogenerate: leave out the monthly partitions, which are created at run time, not by migrations."""
    return not (type_ == "table" and reflected and name is not None and _MONTH_PARTITION.match(name))


def alembic_config(engine: Engine) -> Config:
    """An Alembic config bound to `engine` (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the database up to `revision`."""
    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Migrate the database down to `revision` ('base' empties it)."""
    command.downgrade(alembic_config(engine), revision)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None when it has no schema yet."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision(engine: Engine) -> str | None:
    """The newest revision this code knows."""
    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
