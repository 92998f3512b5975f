"""The suppression list reads only what its purpose and channel need, yet it is the list `consent.allowed` gives:
over random ledgers (choices of every kind and medium, one-time oral approvals, CPNI notices) the pulled list
equals one built by asking `allowed`, over a snapshot of the whole ledger, about every account. Loading a snapshot
leaves the caller's connection fit for writing in the same transaction (PostgreSQL streamed with a server-side
cursor, and the option used to stick to the connection)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, insert, select

from custodian.audit.tables import audit_event
from custodian.consent import allowed, service
from custodian.consent.suppression import pull
from custodian.consent.tables import cpni_notice
from custodian.consent.types import CHOICES, MEDIA
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.records.types import PostalAddress
from tests.builders.consent import activate
from tests.builders.records import an_account

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
PURPOSES = ("marketing_offers", "calling_plan_offers", "recording_transcripts")  # opt-out, CPNI opt-out, opt-in
HOUSEHOLDS = 3  # accounts 1-3 and 4-6 share an e-mail: a shared point is suppressed, never permitted


def points(n: int) -> dict[str, str]:
    """The contact point of account n by channel, as the list writes it."""
    return {"email": f"person{(n - 1) % HOUSEHOLDS + 1}@example.net", "sms": f"+1512555{n:04d}",
            "post": f"{n} Elm Street, Austin, TX 78701, US"}


choice_rows = st.tuples(st.integers(0, 5), st.sampled_from(PURPOSES), st.sampled_from(MEDIA),
                        st.sampled_from(CHOICES), st.integers(-90 * 24, 24), st.booleans())


def test_the_fast_list_is_the_list_allowed_gives_for_every_account(engine: Engine, keyring: Keyring) -> None:
    """Issue 16 §1: "Every later disclosure and marketing export calls it; nothing re-implements it"."""
    policy = activate(engine)
    ids = [an_account(engine, keyring, ref=f"ACC-{n:04d}", email=f"Person{(n - 1) % HOUSEHOLDS + 1}@Example.net",
                      contact_phone=f"+1512555{n:04d}",
                      address=PostalAddress(f"{n} Elm Street", "Austin", "TX", "78701")) for n in range(1, 7)]

    @settings(max_examples=60)
    @given(ledger=st.lists(choice_rows, max_size=14), notices=st.lists(st.tuples(st.integers(0, 5),
                                                                                 st.integers(1, 900)), max_size=4),
           purpose=st.sampled_from(PURPOSES), channel=st.sampled_from(("email", "sms", "post")),
           permitted=st.booleans())
    def check(ledger: list[tuple[int, str, str, str, int, bool]], notices: list[tuple[int, int]], purpose: str,
              channel: str, permitted: bool) -> None:
        with engine.connect() as conn:
            outer = conn.begin()
            try:
                for index, chosen, medium, choice, hours, oral in ledger:
                    made_at = NOW + timedelta(hours=hours)
                    one_call = oral and choice == "granted"
                    service.record(conn, policy, account_id=ids[index], purpose=chosen, choice=choice,
                                   channel="oral_call" if one_call else "portal", medium=medium, made_at=made_at,
                                   valid_until=made_at + timedelta(minutes=30) if one_call else None,
                                   actor="test", now=made_at)
                for index, days in notices:
                    conn.execute(insert(cpni_notice).values(account_id=ids[index], medium="email", audit_seq=0,
                                                            sent_at=NOW - timedelta(days=days),
                                                            policy_version=policy.version_hash))
                whole = service.load_snapshot(conn, policy, NOW)
                answers = {n: allowed(whole, account_id, purpose, NOW, channel).allowed
                           for n, account_id in enumerate(ids, start=1)}
                refused = {points(n)[channel] for n, answer in answers.items() if not answer}
                expected = sorted({points(n)[channel] for n, a in answers.items() if a} - refused) if permitted \
                    else sorted(refused)
                found = pull(conn, keyring, policy, purpose=purpose, channel=channel, actor="test", now=NOW,
                             permitted=permitted)
                assert list(found.contacts) == expected
            finally:
                outer.rollback()

    check()


def test_a_narrowed_snapshot_answers_only_its_purpose_and_medium(engine: Engine, keyring: Keyring) -> None:
    policy = activate(engine)
    with engine.connect() as conn:
        narrowed = service.load_snapshot(conn, policy, NOW, purposes=["marketing_offers"], medium="email")
    assert allowed(narrowed, 1, "marketing_offers", NOW, "email").allowed
    for purpose, medium in (("recording_transcripts", "email"), ("marketing_offers", "sms")):
        try:
            allowed(narrowed, 1, purpose, NOW, medium)
        except KeyError:
            continue
        raise AssertionError(f"a snapshot of marketing by e-mail answered {purpose} by {medium}")


def test_the_connection_takes_writes_in_the_same_transaction_after_a_snapshot_is_loaded(
        engine: Engine, keyring: Keyring) -> None:
    """On PostgreSQL the snapshot streams through a server-side cursor: the INSERT after it must still work."""
    policy = activate(engine)
    account_id = an_account(engine, keyring, ref="ACC-0001", email="person1@example.net")
    with transaction(engine) as conn:
        service.record(conn, policy, account_id=account_id, purpose="marketing_offers", choice="denied",
                       channel="portal", made_at=NOW - timedelta(hours=1), actor="customer",
                       now=NOW - timedelta(hours=1))
        snapshot = service.load_snapshot(conn, policy, NOW)
        service.record(conn, policy, account_id=account_id, purpose="marketing_offers", choice="granted",
                       channel="portal", made_at=NOW, actor="customer", now=NOW)
        assert not allowed(snapshot, account_id, "marketing_offers", NOW).allowed
        assert conn.get_execution_options().get("stream_results") is not True
    with engine.connect() as conn:
        actions = list(conn.execute(select(audit_event.c.action).order_by(audit_event.c.seq)).scalars())
    assert actions[-2:] == ["consent.recorded", "consent.recorded"]
