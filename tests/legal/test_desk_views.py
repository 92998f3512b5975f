"""What the desk's console pages read: the filtered queue, verification records, review offers, history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.legal import desk_views, service, submission
from tests.builders.legal import CIVIL, LAW_ENFORCEMENT, a_request, spectrumvoip

NOW = datetime(2026, 3, 2, 15, tzinfo=UTC)


def _submit(engine: Engine, keyring: Keyring, base: dict[str, object], at: datetime, **changes: object) -> int:
    with transaction(engine) as conn:
        return submission.submit(conn, keyring, spectrumvoip(), a_request(base, **changes), channel="api",  # type: ignore[arg-type]
                              actor="requester:api", now=at).request_id


def test_the_queue_puts_law_enforcement_first_then_order_received_and_filters(engine: Engine,
                                                                               keyring: Keyring) -> None:
    """DRG X: 'handled in the order received, subject to other pending expedited requests, with law
    enforcement requests given priority'."""
    civil = _submit(engine, keyring, CIVIL, NOW)
    police_late = _submit(engine, keyring, LAW_ENFORCEMENT, NOW + timedelta(hours=2))
    police_early = _submit(engine, keyring, LAW_ENFORCEMENT, NOW + timedelta(hours=1))
    with transaction(engine) as conn:
        service.transition(conn, police_late, keyring, "rejected", actor="staff", reason="overbroad", now=NOW)
        assert [r.id for r in desk_views.queue(conn, desk_views.QueueFilter())] == [police_early, civil]
        everything = desk_views.queue(conn, desk_views.QueueFilter(finished=True))
        assert [r.id for r in everything] == [police_early, police_late, civil]
        assert [r.id for r in desk_views.queue(conn, desk_views.QueueFilter(state="rejected"))] == [police_late]
        assert [r.id for r in desk_views.queue(conn, desk_views.QueueFilter(requester_type="civil"))] == [civil]
        assert desk_views.queue(conn, desk_views.QueueFilter(expedite_only=True)) == []


def test_verifications_show_the_email_check_and_the_call_back_opened(engine: Engine, keyring: Keyring) -> None:
    request_id = _submit(engine, keyring, LAW_ENFORCEMENT, NOW)
    with transaction(engine) as conn:
        service.record_callback(conn, keyring, request_id, who="Sgt. Lee", number="+1 972 555 0100",
                                called_at=NOW, passed=True, actor="staff:lena", now=NOW)
        found = desk_views.verifications(conn, keyring, request_id)
    assert [(v.method, v.passed) for v in found] == [("email_domain", True), ("callback", True)]
    assert (found[1].who, found[1].number, found[1].called_at) == ("Sgt. Lee", "+1 972 555 0100", NOW)


def test_review_offers_mark_each_class_the_instrument_does_not_reach(engine: Engine, keyring: Keyring) -> None:
    request_id = _submit(engine, keyring, LAW_ENFORCEMENT, NOW, record_classes=["cpni.call_log", "content.sms_body"])
    with transaction(engine) as conn:
        found = service.get(conn, keyring, request_id)
    offers = {o.record_class: o.refused for o in desk_views.offers(found, spectrumvoip())}
    assert offers["cpni.call_log"] == "" and "search_warrant" in offers["content.sms_body"]


def test_the_history_lists_only_the_requests_own_events_oldest_first(engine: Engine, keyring: Keyring) -> None:
    mine = _submit(engine, keyring, LAW_ENFORCEMENT, NOW)
    _submit(engine, keyring, CIVIL, NOW)
    with transaction(engine) as conn:
        service.transition(conn, mine, keyring, "withdrawn", actor="staff:lena", reason="withdrawn", now=NOW)
        found = service.get(conn, keyring, mine)
        events = desk_views.history(conn, found)
        assert desk_views.request_id_for(conn, found.tracking_number.lower()) == mine
        assert desk_views.request_id_for(conn, str(mine)) == mine
    # accepted for review, the request is scoped at once so its customers can be told (DRG VIII)
    assert [e.action for e in events] == ["legal.request.received", "legal.request.in_review",
                                          "legal.request.scoped", "legal.request.withdrawn"]
    assert all(e.detail["request"] == found.tracking_number for e in events)
