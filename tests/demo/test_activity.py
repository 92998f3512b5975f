"""Demo activity: every call and SMS uses a number its account held at that moment."""

from __future__ import annotations

from datetime import UTC, datetime

from custodian.demo.activity import call_records, sms_messages, window_start
from custodian.demo.population import DemoPlan, build_plan
from custodian.kernel.phone import to_e164
from custodian.records.rules import Assignment, holder_at

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


def holder_of(plan: DemoPlan):  # type: ignore[no-untyped-def]
    index = {acc.ref: position for position, acc in enumerate(plan.accounts)}
    history: dict[str, list[Assignment]] = {}
    for holding in plan.holdings:
        history.setdefault(holding.number, []).append(
            Assignment(index[holding.account_ref], holding.assigned_from, holding.assigned_to))

    def holder(number: str, moment: datetime) -> str | None:
        found = holder_at(history.get(number, []), moment)
        return None if found is None else plan.accounts[found].ref

    return holder


def test_every_call_is_placed_on_the_account_holding_its_own_number() -> None:
    plan = build_plan(3, 80, NOW)
    holder = holder_of(plan)
    rows = list(call_records(plan, 8_000, 3))
    assert 7_200 <= len(rows) <= 8_800
    for row in rows:
        started = datetime.fromisoformat(str(row[9])).replace(tzinfo=UTC)
        assert window_start(NOW) <= started < NOW
        own, other = (row[1], row[2]) if row[3] == "from-internal" else (row[2], row[1])
        owner = holder(to_e164(str(own)), started)
        assert owner is not None
        assert holder(to_e164(str(other)), started) is None
        if row[0]:
            assert row[0] == owner


def test_calls_come_in_time_order_with_every_disposition_and_both_directions() -> None:
    plan = build_plan(3, 40, NOW)
    rows = list(call_records(plan, 3_000, 3))
    starts = [str(row[9]) for row in rows]
    assert starts == sorted(starts)
    assert {row[14] for row in rows} == {"ANSWERED", "NO ANSWER", "BUSY", "FAILED"}
    assert {row[3] for row in rows} == {"from-internal", "from-trunk"}
    assert any(row[0] for row in rows) and any(not row[0] for row in rows)


def test_every_sms_uses_a_number_its_account_held_then() -> None:
    plan = build_plan(5, 60, NOW)
    holder = holder_of(plan)
    rows = list(sms_messages(plan, 2_000, 5))
    assert rows
    for ref, direction, sender, receiver, sent_at, segments, body in rows:
        own = sender if direction == "out" else receiver
        moment = datetime.fromisoformat(str(sent_at))
        assert holder(str(own), moment) == ref
        assert int(segments) >= 1 and body


def test_activity_is_reproducible_for_a_seed() -> None:
    plan = build_plan(9, 30, NOW)
    assert list(call_records(plan, 1_000, 9)) == list(call_records(plan, 1_000, 9))
    assert list(sms_messages(plan, 300, 9)) == list(sms_messages(plan, 300, 9))
