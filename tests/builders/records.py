"""Builders for subscriber records: small, readable, overridable."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine

from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.kernel.clock import utcnow
from custodian.records import store
from custodian.records.types import NewAccount, PostalAddress

CANARY_NAME = "Zephyrine"
CANARY_SURNAME = "Quillfeather"
CANARY_EMAIL = "zephyrine.quillfeather@canary.example"
CANARY_STREET = "8841 Canarywood Crescent"


ADDRESS_OF_RECORD_DAYS_AGO = 60  # settled: call detail may go to it (47 CFR 64.2003(b): "at least 30 days")


def a_new_account(**overrides: Any) -> NewAccount:
    """A residential account whose personal values are unmistakable canaries, its addresses of record on it
    for 60 days (override `address_since` for a newer one)."""
    account = NewAccount(
        ref="ACC-0001", kind="residential", profile="standard", status="active",
        first_name=CANARY_NAME, last_name=CANARY_SURNAME, email=CANARY_EMAIL,
        contact_phone="+15125550100",
        address=PostalAddress(street=CANARY_STREET, city="Austin", state="TX", postal_code="78701"),
        address_since=utcnow() - timedelta(days=ADDRESS_OF_RECORD_DAYS_AGO),
    )
    return replace(account, **overrides)


def an_account(engine: Engine, keyring: Keyring, **overrides: Any) -> int:
    """Create an account in its own transaction; return its id."""
    with transaction(engine) as conn:
        return store.create_account(conn, keyring, a_new_account(**overrides))

# Canaries in the records an account accumulates: the other party of its calls and messages,
# written as a switch logs it and as stored, a message body and a support note.
CANARY_COUNTERPART = "+14155550142"
CANARY_COUNTERPART_DIALLED = "(415) 555-0142"
CANARY_SMS_BODY = "Heron canary: meet by the Quillwater boathouse at dusk"
CANARY_COMMENT = "Canary note: caller disputes the Featherstone porting fee"

# Every planted personal value, in each form it could leak in (E.164, as dialled, national digits).
CANARY_VALUES = (CANARY_NAME, CANARY_SURNAME, CANARY_EMAIL, CANARY_STREET, CANARY_COUNTERPART,
                 CANARY_COUNTERPART_DIALLED, CANARY_COUNTERPART.removeprefix("+1"), CANARY_SMS_BODY,
                 CANARY_COMMENT)
