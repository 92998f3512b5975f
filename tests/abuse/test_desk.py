"""The abuse desk on the database: the scan fills the queue with figures (never content), a contact comes before any
action, blocks are audited and reversible where the policy says so, deletions respect legal holds."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import Engine, select

from custodian.abuse import store
from custodian.abuse.desk import (
    DeskRefused,
    abuse_ticket,
    block_number,
    blocked_numbers,
    delete_communication,
    is_blocked,
    lift_block,
    record_contact,
    scan,
)
from custodian.audit.tables import audit_event
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.records.tables import content_item
from custodian.retention import hold_service
from tests.builders.abuse import NOW, an_abuse_ticket, an_account_with_usage, number_of, spectrumvoip
from tests.builders.records import CANARY_SMS_BODY
from tests.builders.retention import add_content

TEN_PERCENT = "abuse:\n  threshold_percentile: 90\n  min_peer_group: 5\n"


def actions(engine: Engine, prefix: str = "abuse.") -> list[str]:
    with transaction(engine) as conn:
        return [row.action for row in conn.execute(select(audit_event.c.action)
                                                   .where(audit_event.c.action.like(prefix + "%"))
                                                   .order_by(audit_event.c.seq))]


@pytest.fixture
def town(engine: Engine, keyring: Keyring) -> dict[str, int]:
    """Ten households with ordinary usage, one that sends far more, and a business too big to be their peer."""
    ids = {f"HOME-{i}": an_account_with_usage(engine, keyring, f"HOME-{i}", calls=3, messages=5) for i in range(9)}
    ids["HOME-SPAM"] = an_account_with_usage(engine, keyring, "HOME-SPAM", calls=3, messages=4000)
    ids["HOME-QUIET"] = an_account_with_usage(engine, keyring, "HOME-QUIET", calls=900, direction="in")
    ids["BIZ"] = an_account_with_usage(engine, keyring, "BIZ", kind="business", numbers=30, calls=5000)
    return ids


def test_the_scan_queues_the_account_far_above_its_peers_with_its_figures_and_no_content(
        engine: Engine, keyring: Keyring, town: dict[str, int]) -> None:
    """002 P104: "SpectrumVoIP evaluates Customer usage in comparison to typical levels of permissible usage engaged
    in by SpectrumVoIP ‘s customers." Incoming calls are not the account's usage; the business has no peers."""
    with transaction(engine) as conn:
        result = scan(conn, spectrumvoip(TEN_PERCENT), actor="cli:ana", now=NOW)
        queue = store.cases(conn)
    assert result.as_json() == {"compared": 11, "uncompared": 1, "opened": 1, "refreshed": 0}
    [case] = queue
    assert (case.account_ref, case.peer_kind, case.peer_band, case.peers) == ("HOME-SPAM", "residential",
                                                                              "1 number", 11)
    messages = {f.metric: f for f in case.figures}["messages"]
    assert (round(messages.per_day, 2), round(messages.threshold, 2), messages.above) == (133.33, 0.17, True)
    assert actions(engine) == ["abuse.scan"]


def test_a_second_scan_refreshes_the_open_case_rather_than_queueing_it_twice(
        engine: Engine, keyring: Keyring, town: dict[str, int]) -> None:
    with transaction(engine) as conn:
        scan(conn, spectrumvoip(TEN_PERCENT), actor="cli:ana", now=NOW)
        again = scan(conn, spectrumvoip(TEN_PERCENT), actor="cli:ana", now=NOW + timedelta(hours=1))
        assert (again.opened, again.refreshed, len(store.cases(conn))) == (0, 1, 1)


def test_at_the_policys_default_99th_percentile_a_small_provider_queues_no_one(
        engine: Engine, keyring: Keyring, town: dict[str, int]) -> None:
    with transaction(engine) as conn:
        assert scan(conn, spectrumvoip(), actor="cli:ana", now=NOW).opened == 0


def test_no_block_or_deletion_before_a_contact_with_the_customer_is_recorded_on_the_ticket(
        engine: Engine, keyring: Keyring, master_key: bytes) -> None:
    """002 P105: "Prior to taking such action, SpectrumVoIP will attempt to contact the Customer to discuss the
    cause for the excessive or abusive use." """
    account_id = an_account_with_usage(engine, keyring, "SPAM", messages=10)
    ticket = an_abuse_ticket(engine, master_key, account_id)
    policy = spectrumvoip()
    with transaction(engine) as conn, pytest.raises(DeskRefused, match=r"^contact_first"):
        block_number(conn, keyring, ticket, number=number_of("SPAM", 0), reason="4,000 texts a day to strangers",
                     actor="staff:abuse-ana", now=NOW)
    with transaction(engine) as conn:
        key = add_content(conn, account_id, "content.sms_body", NOW - timedelta(days=1), keyring=keyring,
                          body=CANARY_SMS_BODY.encode())
    with transaction(engine) as conn, pytest.raises(DeskRefused, match=r"^contact_first"):
        delete_communication(conn, policy, ticket, record_key=key, reason="phishing link in the message",
                             actor="staff:abuse-ana", now=NOW)
    assert actions(engine) == []


def test_after_a_contact_a_number_is_blocked_audited_and_the_block_lifted(
        engine: Engine, keyring: Keyring, master_key: bytes) -> None:
    """004 P35: the abuse desk may "review, delete or block access to communications that may harm" others."""
    account_id = an_account_with_usage(engine, keyring, "SPAM", numbers=2, messages=10)
    ticket = an_abuse_ticket(engine, master_key, account_id)
    number = number_of("SPAM", 1)
    with transaction(engine) as conn:
        record_contact(conn, ticket, method="phone", outcome="no_answer", actor="staff:abuse-ana", now=NOW)
        block_id = block_number(conn, keyring, ticket, number=number, reason="4,000 texts a day to strangers",
                                actor="staff:abuse-ana", now=NOW)
        assert is_blocked(conn, keyring, number) and not is_blocked(conn, keyring, number_of("SPAM", 0))
        [(block, shown)] = blocked_numbers(conn, keyring, account_id)
        assert (shown, block.ticket_id, block.lifted_at) == (number, ticket.grant.ticket_id, None)
        with pytest.raises(DeskRefused, match="already blocked"):
            block_number(conn, keyring, ticket, number=number, reason="blocking it a second time",
                         actor="staff:abuse-ana", now=NOW)
        lift_block(conn, spectrumvoip(), ticket, block_id=block_id, reason="customer removed the compromised app",
                   actor="staff:abuse-ana", now=NOW + timedelta(minutes=5))
        assert not is_blocked(conn, keyring, number)
    assert actions(engine) == ["abuse.contact", "abuse.block", "abuse.unblock"]


def test_a_block_is_irreversible_when_the_policy_says_so(engine: Engine, keyring: Keyring,
                                                         master_key: bytes) -> None:
    account_id = an_account_with_usage(engine, keyring, "SPAM", messages=10)
    ticket = an_abuse_ticket(engine, master_key, account_id)
    policy = spectrumvoip("abuse:\n  blocks_reversible: false\n")
    with transaction(engine) as conn:
        record_contact(conn, ticket, method="email", outcome="sent", actor="staff:abuse-ana", now=NOW)
        block_id = block_number(conn, keyring, ticket, number=number_of("SPAM", 0),
                                reason="robocalls reported by carriers", actor="staff:abuse-ana", now=NOW)
        with pytest.raises(DeskRefused, match=r"^irreversible"):
            lift_block(conn, policy, ticket, block_id=block_id, reason="asked nicely to be unblocked",
                       actor="staff:abuse-ana", now=NOW)


def test_a_number_the_account_does_not_hold_cannot_be_blocked_on_its_ticket(engine: Engine, keyring: Keyring,
                                                                            master_key: bytes) -> None:
    account_id = an_account_with_usage(engine, keyring, "SPAM", messages=10)
    an_account_with_usage(engine, keyring, "OTHER", messages=1)
    ticket = an_abuse_ticket(engine, master_key, account_id)
    with transaction(engine) as conn:
        record_contact(conn, ticket, method="phone", outcome="reached", actor="staff:abuse-ana", now=NOW)
        with pytest.raises(DeskRefused, match="not a number this account holds"):
            block_number(conn, keyring, ticket, number=number_of("OTHER", 0), reason="the wrong customer's line",
                         actor="staff:abuse-ana", now=NOW)


def test_a_harmful_message_is_deleted_and_a_held_one_kept_until_the_hold_ends(engine: Engine, keyring: Keyring,
                                                                              master_key: bytes) -> None:
    account_id = an_account_with_usage(engine, keyring, "SPAM", messages=10)
    ticket = an_abuse_ticket(engine, master_key, account_id)
    with transaction(engine) as conn:
        harmful = add_content(conn, account_id, "content.sms_body", NOW - timedelta(days=1), keyring=keyring,
                              body=b"phishing")
        record_contact(conn, ticket, method="phone", outcome="reached", actor="staff:abuse-ana", now=NOW)
        done = delete_communication(conn, spectrumvoip(), ticket, record_key=harmful,
                                    reason="phishing link sent to 3,000 strangers", actor="staff:abuse-ana", now=NOW)
        assert done.outcome == "deleted"
        assert conn.execute(select(content_item.c.record_key)).first() is None
        held = add_content(conn, account_id, "content.sms_body", NOW - timedelta(days=2), keyring=keyring,
                           body=b"evidence")
        hold_service.place_hold(conn, account_id=account_id, until=NOW + timedelta(days=90), reason="2703(f)",
                                source="cli", actor="t", now=NOW - timedelta(hours=1))
        assert delete_communication(conn, spectrumvoip(), ticket, record_key=held,
                                    reason="the same phishing campaign", actor="staff:abuse-ana",
                                    now=NOW).outcome == "held"
        assert conn.execute(select(content_item.c.record_key)).scalar() == held
    assert [a for a in actions(engine, "") if a.startswith(("abuse.", "record.delete"))] == [
        "abuse.contact", "record.delete", "abuse.delete", "record.delete_deferred", "abuse.delete"]


def test_actions_need_an_open_abuse_ticket_of_the_analyst(engine: Engine, keyring: Keyring,
                                                          master_key: bytes) -> None:
    account_id = an_account_with_usage(engine, keyring, "SPAM", messages=10)
    billing = an_abuse_ticket(engine, master_key, account_id, topic="billing")
    own = an_abuse_ticket(engine, master_key, account_id)
    with transaction(engine) as conn:
        with pytest.raises(DeskRefused, match="not an abuse ticket"):
            abuse_ticket(conn, spectrumvoip(), billing.grant.ticket_id, NOW)
        with pytest.raises(DeskRefused, match="no such ticket of yours"):
            abuse_ticket(conn, spectrumvoip(), own.grant.ticket_id, NOW, staff_id=own.grant.staff_id + 1000)
        with pytest.raises(DeskRefused, match="closed or expired"):
            abuse_ticket(conn, spectrumvoip(), own.grant.ticket_id, NOW + timedelta(days=1))
        assert abuse_ticket(conn, spectrumvoip(), own.grant.ticket_id, NOW,
                            staff_id=own.grant.staff_id).grant.account_id == account_id


def test_the_queue_figures_carry_only_numbers(engine: Engine, keyring: Keyring, town: dict[str, int]) -> None:
    with transaction(engine) as conn:
        scan(conn, spectrumvoip(TEN_PERCENT), actor="cli:ana", now=NOW)
        stored = conn.execute(select(store.abuse_case.c.figures)).scalar_one()
    assert {key for figure in json.loads(stored) for key in figure} == {"metric", "per_day", "threshold", "median"}
