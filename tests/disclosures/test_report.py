"""Aggregate releases from the record store: counts per group, small groups withheld, k stated, the release
recorded without disclosing any account."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Engine, select

from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.disclosures.report import AggregateAsk, release_aggregate
from custodian.disclosures.tables import disclosure, disclosure_release
from tests.builders.disclosures import NOW, accounts_with_calls, choose, disclosing_policy, snapshot

STATES = {"ACC-1": "TX", "ACC-2": "TX", "ACC-3": "TX", "ACC-4": "TX", "ACC-5": "CA", "ACC-6": "CA", "ACC-7": "CA",
          "ACC-8": "NY"}


def counts_by_state(engine: Engine, keyring: Keyring, out: Path, recipient: str = "report_partner",
                    by: tuple[str, ...] = ("state",)) -> dict[str, object]:
    ask = AggregateAsk(recipient, "usage_statistics", "calls", by, None, None, "staff:officer")
    return release_aggregate(engine, keyring, disclosing_policy(), snapshot(engine), ask, out, NOW).as_json()


def test_an_aggregate_report_withholds_small_groups_and_their_complement(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    """003 P10: "disclose to third parties aggregate information on our web site's" traffic. With k = 3: New York's
    one account is withheld, and California (the smaller of the rest) with it, so the total does not give New York
    away; ACC-4 never opted in and is not counted."""
    ids = accounts_with_calls(engine, keyring, blobs, tmp_path, STATES)
    for ref, account_id in ids.items():
        if ref != "ACC-4":
            choose(engine, account_id, "usage_statistics", "granted")
    out = tmp_path / "report.json"
    answer = counts_by_state(engine, keyring, out)
    assert answer == {"k": 3, "cells": 1, "suppressed_cells": 2, "accounts_counted": 7, "excluded_by_choice": 1,
                      "refused": None}
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["cells"] == [{"state": "TX", "value": 6}]
    assert report["withheld"] == [{"state": "CA"}, {"state": "NY"}]
    assert (report["k"], report["total"], report["suppressed_cells"]) == (3, 14, 2)
    with transaction(engine) as conn:
        [made] = conn.execute(select(disclosure_release)).all()
        assert conn.execute(select(disclosure)).first() is None  # an aggregate discloses no account
    assert (made.form, made.accounts_disclosed, made.excluded_by_choice, made.feed_format) == ("aggregate", 0, 1,
                                                                                              "json")


def test_two_groupings_make_rows_and_columns_with_their_totals(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    """By state and month: New York (1 account) is withheld, so California (3) goes too, else January's total
    would give New York away; California's row total would be its one withheld cell, so it is withheld as well."""
    ids = accounts_with_calls(engine, keyring, blobs, tmp_path, STATES)
    for account_id in ids.values():
        choose(engine, account_id, "usage_statistics", "granted")
    out = tmp_path / "report.json"
    counts_by_state(engine, keyring, out, by=("state", "month"))
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["cells"] == [{"state": "TX", "month": "2026-01", "value": 8}]
    assert report["withheld"] == [{"state": "CA", "month": "2026-01"}, {"state": "NY", "month": "2026-01"}]
    assert report["row_totals"] == {"TX": 8}
    assert report["column_totals"] == {"2026-01": 16} and report["total"] == 16


def test_an_aggregate_report_to_a_recipient_not_listed_for_it_is_refused(
        engine: Engine, keyring: Keyring, tmp_path: Path) -> None:
    """002 P15: "will not share or disclose personal information for purposes other than as described herein"."""
    out = tmp_path / "report.json"
    answer = counts_by_state(engine, keyring, out, recipient="offers_partner")
    assert str(answer["refused"]).startswith("recipient_not_listed_for_purpose")
    assert not out.exists()
