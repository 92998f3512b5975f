"""The disclosure gate end to end: refusals write nothing but an audit event; a release leaves out the accounts whose
choice does not allow the purpose, writes only the permitted fields, and records each account in the append-only
ledger, chained into the audit trail."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from custodian.audit.tables import audit_event
from custodian.audit.verify import verify_fast
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.disclosures.gate import ALL, Ask, release
from custodian.disclosures.tables import disclosure, disclosure_release
from tests.builders.disclosures import NOW, accounts_with_calls, choose, disclosing_policy, snapshot
from tests.builders.records import CANARY_NAME, CANARY_STREET

STATES = {"ACC-1": "TX", "ACC-2": "TX", "ACC-3": "CA"}


def ask(recipient: str = "offers_partner", classes: tuple[str, ...] = ("subscriber.basic", "cpni.call_log"),
        form: str = "identifiable", purpose: str = "partner_offers") -> Ask:
    return Ask(recipient, purpose, classes, form, "staff:officer")


def audit_actions(engine: Engine) -> list[tuple[str, str]]:
    with transaction(engine) as conn:
        return [(row.action, row.detail) for row in conn.execute(
            select(audit_event.c.action, audit_event.c.detail).where(audit_event.c.action.like("disclosure.%"))
            .order_by(audit_event.c.seq))]


@pytest.fixture
def loaded(engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> dict[str, int]:
    """Three accounts; ACC-1 and ACC-3 opted in to partner offers, ACC-2 made no choice."""
    ids = accounts_with_calls(engine, keyring, blobs, tmp_path, STATES)
    choose(engine, ids["ACC-1"], "partner_offers", "granted")
    choose(engine, ids["ACC-3"], "partner_offers", "granted")
    return ids


def test_a_refused_release_writes_nothing_and_audits_the_rule(engine: Engine, keyring: Keyring,
                                                              loaded: dict[str, int], tmp_path: Path) -> None:
    """002 P15: "SpectrumVoIP will not share or disclose personal information for purposes other than as described
    herein." The offers partner is not listed for card details: no file, no ledger row, one refusal event."""
    out = tmp_path / "feed.csv"
    outcome = release(engine, keyring, disclosing_policy(), snapshot(engine),
                      ask(classes=("billing.payment_instrument",)), ALL, out, "csv", NOW)
    assert outcome.refused is not None and outcome.refused.startswith("recipient_not_listed_for_class")
    assert (outcome.disclosed, outcome.excluded_by_choice) == (0, 0)
    assert not out.exists() and not (tmp_path / "feed.csv.part").exists()
    with transaction(engine) as conn:
        assert conn.execute(select(disclosure_release)).first() is None
    [(action, detail)] = audit_actions(engine)
    assert action == "disclosure.refused" and json.loads(detail)["rule"] == "recipient_not_listed_for_class"


def test_accounts_whose_choice_does_not_allow_the_purpose_are_left_out_and_counted(
        engine: Engine, keyring: Keyring, loaded: dict[str, int], tmp_path: Path) -> None:
    """002 P51: "affirmative or explicit (opt-in) choices on whether their sensitive personal information is to be
    disclosed to a third party" — partner offers are opt-in; ACC-2 never opted in, so it is not disclosed."""
    out = tmp_path / "feed.csv"
    outcome = release(engine, keyring, disclosing_policy(), snapshot(engine), ask(), ALL, out, "csv", NOW)
    assert outcome.as_json() == {"disclosed": 2, "excluded_by_choice": 1, "refused": None}
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert {row["account"] for row in rows} == {"ACC-1", "ACC-3"}
    assert sorted(row["record_class"] for row in rows) == ["cpni.call_log"] * 4 + ["subscriber.basic"] * 2
    assert outcome.feed_sha256 == hashlib.sha256(out.read_bytes()).hexdigest()


def test_each_account_disclosed_is_one_ledger_row_of_one_release_chained_into_the_audit_trail(
        engine: Engine, keyring: Keyring, loaded: dict[str, int], tmp_path: Path) -> None:
    """Issue 17 §1: "records one disclosure per account in an append-only disclosure ledger (recipient, purpose,
    classes, form, time, actor, feed SHA-256), linked into the audit chain"."""
    outcome = release(engine, keyring, disclosing_policy(), snapshot(engine), ask(),
                      [loaded["ACC-1"], loaded["ACC-2"]], tmp_path / "feed.jsonl", "jsonl", NOW)
    with transaction(engine) as conn:
        [made] = conn.execute(select(disclosure_release)).all()
        accounts = conn.execute(select(disclosure.c.account_id, disclosure.c.release_id)).all()
        event = conn.execute(select(audit_event).where(audit_event.c.seq == made.audit_seq)).one()
        assert verify_fast(conn) is None
    assert (made.recipient, made.purpose, json.loads(made.classes), made.form) == (
        "offers_partner", "partner_offers", ["subscriber.basic", "cpni.call_log"], "identifiable")
    assert (made.accounts_disclosed, made.excluded_by_choice, made.actor) == (1, 1, "staff:officer")
    assert made.feed_sha256 == outcome.feed_sha256 and made.made_at == NOW
    assert accounts == [(loaded["ACC-1"], made.id)]
    assert event.action == "disclosure.release"
    detail = json.loads(event.detail)
    assert detail["disclosed"] == 1 and detail["feed_sha256"] == outcome.feed_sha256
    assert CANARY_NAME not in event.detail and "ACC-1" not in event.detail  # no personal data in the trail


def test_the_ledger_refuses_updates_and_deletes(engine: Engine, keyring: Keyring, loaded: dict[str, int],
                                                tmp_path: Path) -> None:
    """Append-only: the database itself refuses to change or remove a disclosure."""
    release(engine, keyring, disclosing_policy(), snapshot(engine), ask(), ALL, tmp_path / "f.csv", "csv", NOW)
    for statement in ("UPDATE disclosure SET account_id = 0", "DELETE FROM disclosure",
                      "UPDATE disclosure_release SET recipient = 'x'", "DELETE FROM disclosure_release"):
        with pytest.raises((DBAPIError, IntegrityError)), transaction(engine) as conn:
            conn.execute(text(statement))
    with transaction(engine) as conn:
        assert len(conn.execute(select(disclosure)).all()) == 2


def test_a_feed_holds_only_the_classes_fields(engine: Engine, keyring: Keyring, loaded: dict[str, int],
                                              tmp_path: Path) -> None:
    """A class's `fields` in the policy limit the feed to the columns they name."""
    policy = disclosing_policy()
    doc = policy.document
    uses = {**doc.record_classes, "subscriber.basic": doc.record_classes["subscriber.basic"].model_copy(
        update={"fields": ["email", "state"]})}
    from custodian.policy.compiled import compile_policy

    limited = compile_policy(doc.model_copy(update={"record_classes": uses}), "fields limited")
    out = tmp_path / "feed.jsonl"
    release(engine, keyring, limited, snapshot(engine), ask(classes=("subscriber.basic",)), [loaded["ACC-1"]], out,
            "jsonl", NOW)
    [row] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert row == {"account": "ACC-1", "record_class": "subscriber.basic", "email": "acc-1@example.com",
                   "state": "TX"}


def test_a_de_identified_feed_has_pseudonyms_and_no_names_streets_or_quasi_identifiers(
        engine: Engine, keyring: Keyring, loaded: dict[str, int], tmp_path: Path) -> None:
    """Issue 17 §2: "De-identified feeds replace identifiers with keyed pseudonyms that differ per recipient and drop
    quasi-identifiers the policy lists"."""
    out = tmp_path / "feed.csv"
    outcome = release(engine, keyring, disclosing_policy(), snapshot(engine), ask("ad_partner", form="de_identified"),
                      ALL, out, "csv", NOW)
    assert outcome.refused is None
    body = out.read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(body)))
    header = set(rows[0])
    assert not header & {"first_name", "last_name", "street", "postal_code", "city", "signed_up_on"}
    for value in ("ACC-1", "ACC-3", "acc-1@example.com", CANARY_NAME, CANARY_STREET, "+15125550100", "+14155550142"):
        assert value not in body
    assert all(len(row["account"]) == 32 for row in rows)
    calls = [row for row in rows if row["record_class"] == "cpni.call_log"]
    assert len({row["own_number"] for row in calls}) == 1  # one number, one pseudonym, joinable inside the feed


def test_two_recipients_de_identified_feeds_cannot_be_joined(engine: Engine, keyring: Keyring,
                                                             loaded: dict[str, int], tmp_path: Path) -> None:
    """Issue 17 §2: "a test shows two recipients cannot join their feeds": no pseudonym is shared."""
    tokens = []
    for name in ("ad_partner", "other_ad_partner"):
        out = tmp_path / f"{name}.csv"
        release(engine, keyring, disclosing_policy(), snapshot(engine), ask(name, form="de_identified"), ALL, out,
                "csv", NOW)
        rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
        tokens.append({row[column] for row in rows for column in ("account", "own_number", "other_number", "email")
                       if row.get(column)})
    assert tokens[0] and tokens[1] and not tokens[0] & tokens[1]


def test_an_identifiable_release_to_a_de_identified_recipient_is_refused(
        engine: Engine, keyring: Keyring, loaded: dict[str, int], tmp_path: Path) -> None:
    outcome = release(engine, keyring, disclosing_policy(), snapshot(engine), ask("ad_partner"), ALL,
                      tmp_path / "f.csv", "csv", NOW)
    assert outcome.refused is not None and outcome.refused.startswith("form_too_identifying")


def test_csv_cells_that_look_like_formulas_are_neutralised(engine: Engine, keyring: Keyring,
                                                           loaded: dict[str, int], tmp_path: Path) -> None:
    """OWASP CSV injection: E.164 numbers start with '+', so the CSV carries them as text."""
    out = tmp_path / "feed.csv"
    release(engine, keyring, disclosing_policy(), snapshot(engine), ask(classes=("cpni.call_log",)),
            [loaded["ACC-1"]], out, "csv", NOW)
    assert "'+14155550142" in out.read_text(encoding="utf-8")


def test_all_accounts_skips_a_crypto_shredded_account(engine: Engine, keyring: Keyring, loaded: dict[str, int],
                                                      tmp_path: Path) -> None:
    """A shredded account has nothing left to give: --all never reaches it (and never fails on it)."""
    with transaction(engine) as conn:
        keyring.shred(conn, loaded["ACC-1"])
    outcome = release(engine, keyring, disclosing_policy(), snapshot(engine), ask(), ALL, tmp_path / "f.csv", "csv",
                      NOW)
    assert outcome.as_json() == {"disclosed": 1, "excluded_by_choice": 1, "refused": None}


def test_a_release_whose_ledger_cannot_be_written_leaves_no_feed(engine: Engine, keyring: Keyring,
                                                                 loaded: dict[str, int], tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """No data leaves unrecorded: the feed appears under its name only once the ledger rows committed."""
    from custodian.disclosures import gate

    def broken(*args: object, **kwargs: object) -> int:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(gate, "record_release", broken)
    out = tmp_path / "feed.csv"
    with pytest.raises(RuntimeError):
        release(engine, keyring, disclosing_policy(), snapshot(engine), ask(), ALL, out, "csv", NOW)
    assert not out.exists() and not (tmp_path / "feed.csv.part").exists()


def test_a_class_the_record_store_does_not_hold_or_whose_fields_name_no_column_cannot_be_released() -> None:
    """The gate writes only what it can read and the policy permits: web visits are not in the record store, and
    `fields` that name no column of a class leave nothing to send (rule no_feed_for_class)."""
    from custodian.disclosures.gate import check
    from custodian.policy.compiled import compile_policy
    from tests.builders.policy import example_policy

    analytics = Ask("google_analytics", "site_analytics", ("web.visit_log",), "de_identified", "staff:officer")
    found = check(example_policy("002-spectrumvoip.yaml"), analytics)
    assert found is not None and found.rule == "no_feed_for_class" and "web.visit_log" in found.words
    doc = disclosing_policy().document
    uses = {**doc.record_classes, "subscriber.basic": doc.record_classes["subscriber.basic"].model_copy(
        update={"fields": ["favourite colour"]})}
    odd = compile_policy(doc.model_copy(update={"record_classes": uses}), "fields naming nothing")
    found = check(odd, ask(classes=("subscriber.basic",)))
    assert found is not None and found.rule == "no_feed_for_class" and "name none of its columns" in found.words
