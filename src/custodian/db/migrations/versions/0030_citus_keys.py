"""Citus keys: account_id in every key of comment_log, billing_transaction and number_assignment

Revision ID: 0030_citus_keys
Revises: 0029_compliance_registers
Create Date: 2026-12-05 14:30:00

Issue 19 §5 (docs/operations.md "Beyond one server"): Citus needs the distribution column in each primary key and
unique constraint of a distributed table. The primary keys become (account_id, id); number_assignment's unique
(number_bidx, assigned_from) becomes (account_id, number_bidx, assigned_from), "one holder at a time" being checked
by the importer; billing_transaction's instrument is referenced by (account_id, instrument_id), so a card is always
the same account's. None of the three is partitioned. On PostgreSQL `id` keeps its BIGSERIAL sequence; on SQLite it
stops being the rowid, and the code gives one more than the largest (db/metadata.py NextId), which an index on
`id` keeps to one seek per row.
"""

from __future__ import annotations

from alembic import op

revision = "0030_citus_keys"
down_revision = "0029_compliance_registers"
branch_labels = None
depends_on = None

_TABLES = ("comment_log", "billing_transaction", "number_assignment")
_INSTRUMENT_FK = "fk_billing_transaction_instrument_id_payment_instrument"
_ACCOUNT_INSTRUMENT_FK = "fk_billing_transaction_instrument_payment_instrument"


def upgrade() -> None:
    with op.batch_alter_table("payment_instrument") as batch_op:
        batch_op.create_unique_constraint("uq_payment_instrument_account_id_id", ["account_id", "id"])
    with op.batch_alter_table("billing_transaction") as batch_op:
        batch_op.drop_constraint(_INSTRUMENT_FK, type_="foreignkey")
        batch_op.drop_constraint("pk_billing_transaction", type_="primary")
        batch_op.create_primary_key("pk_billing_transaction", ["account_id", "id"])
        batch_op.create_foreign_key(_ACCOUNT_INSTRUMENT_FK, "payment_instrument", ["account_id", "instrument_id"],
                                    ["account_id", "id"])
    with op.batch_alter_table("comment_log") as batch_op:
        batch_op.drop_constraint("pk_comment_log", type_="primary")
        batch_op.create_primary_key("pk_comment_log", ["account_id", "id"])
    with op.batch_alter_table("number_assignment") as batch_op:
        batch_op.drop_constraint("uq_number_assignment_number_bidx_assigned_from", type_="unique")
        batch_op.drop_constraint("pk_number_assignment", type_="primary")
        batch_op.create_primary_key("pk_number_assignment", ["account_id", "id"])
        batch_op.create_unique_constraint("uq_number_assignment_account_id_number_bidx_assigned_from",
                                          ["account_id", "number_bidx", "assigned_from"])
    for table in _TABLES:  # SQLite's next id is max(id) + 1: one index seek per row, not a scan
        op.create_index(f"ix_{table}_id", table, ["id"])


def downgrade() -> None:
    for table in _TABLES:
        op.drop_index(f"ix_{table}_id", table_name=table)
    with op.batch_alter_table("number_assignment") as batch_op:
        batch_op.drop_constraint("uq_number_assignment_account_id_number_bidx_assigned_from", type_="unique")
        batch_op.drop_constraint("pk_number_assignment", type_="primary")
        batch_op.create_primary_key("pk_number_assignment", ["id"])
        batch_op.create_unique_constraint("uq_number_assignment_number_bidx_assigned_from",
                                          ["number_bidx", "assigned_from"])
    with op.batch_alter_table("comment_log") as batch_op:
        batch_op.drop_constraint("pk_comment_log", type_="primary")
        batch_op.create_primary_key("pk_comment_log", ["id"])
    with op.batch_alter_table("billing_transaction") as batch_op:
        batch_op.drop_constraint(_ACCOUNT_INSTRUMENT_FK, type_="foreignkey")
        batch_op.drop_constraint("pk_billing_transaction", type_="primary")
        batch_op.create_primary_key("pk_billing_transaction", ["id"])
        batch_op.create_foreign_key(_INSTRUMENT_FK, "payment_instrument", ["instrument_id"], ["id"])
    with op.batch_alter_table("payment_instrument") as batch_op:
        batch_op.drop_constraint("uq_payment_instrument_account_id_id", type_="unique")
