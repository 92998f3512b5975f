"""Hash-chain rules: any edit, deletion, reordering or truncation is found at the first bad event."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from custodian.audit.chain import GENESIS_HASH, AuditEvent, event_hash, first_break

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def _chain(count: int) -> list[AuditEvent]:
    """`count` correctly linked events."""
    events: list[AuditEvent] = []
    prev = GENESIS_HASH
    for seq in range(1, count + 1):
        event = AuditEvent(seq=seq, occurred_at=T0 + timedelta(minutes=seq), actor=f"cli:rep{seq % 3}",
                           action="import.calls", account_id=seq % 4 or None,
                           record_classes=("cpni.call_log",), reason=f"import lines {seq}",
                           detail={"run": seq, "imported": 10 * seq}, prev_hash=prev)
        event = replace(event, hash=event_hash(event))
        events.append(event)
        prev = event.hash
    return events


def _verify(events: list[AuditEvent], head: AuditEvent | None) -> tuple[int, str] | None:
    found = first_break(sorted(events, key=lambda e: e.seq), head.seq if head else 0,
                        head.hash if head else GENESIS_HASH)
    return None if found is None else (found.seq, found.problem)


def test_each_event_links_to_the_hash_of_the_one_before() -> None:
    events = _chain(4)
    assert events[0].prev_hash == GENESIS_HASH
    assert [e.prev_hash for e in events[1:]] == [e.hash for e in events[:-1]]
    assert len({e.hash for e in events}) == 4


def test_an_intact_chain_verifies() -> None:
    events = _chain(5)
    assert _verify(events, events[-1]) is None


def test_an_empty_chain_with_a_genesis_head_verifies() -> None:
    assert _verify([], None) is None


@pytest.mark.parametrize("change", [
    {"reason": "nothing to see here"},
    {"actor": "cli:someone-else"},
    {"action": "import.sms"},
    {"account_id": 99},
    {"record_classes": ("content.sms_body",)},
    {"detail": {"run": 3, "imported": 0}},
    {"occurred_at": T0},
])
def test_an_edited_event_is_caught_at_its_sequence_number(change: dict[str, object]) -> None:
    events = _chain(5)
    events[2] = replace(events[2], **change)
    found = _verify(events, events[-1])
    assert found is not None and found[0] == 3
    assert "edited" in found[1]


def test_an_edited_event_whose_hash_was_recomputed_breaks_the_next_link() -> None:
    events = _chain(5)
    forged = replace(events[2], reason="nothing to see here")
    events[2] = replace(forged, hash=event_hash(forged))
    assert _verify(events, events[-1]) == (4, "previous-hash link does not match the event before it")


def test_a_deleted_event_is_caught_where_it_is_missing() -> None:
    events = _chain(5)
    del events[1]
    found = _verify(events, events[-1])
    assert found is not None and found[0] == 2
    assert "missing" in found[1]


def test_swapping_two_events_is_caught_at_the_first_of_them() -> None:
    events = _chain(5)
    second, third = events[1], events[2]
    events[1], events[2] = replace(third, seq=2), replace(second, seq=3)
    found = _verify(events, events[-1])
    assert found is not None and found[0] == 2


def test_a_truncated_tail_is_caught_by_the_recorded_head() -> None:
    events = _chain(5)
    head = events[-1]
    found = _verify(events[:3], head)
    assert found is not None and found[0] == 4
    assert "head records event 5" in found[1]


def test_a_head_hash_that_does_not_match_the_last_event_is_caught() -> None:
    events = _chain(3)
    found = first_break(events, 3, "f" * 64)
    assert found is not None and found.seq == 3


def test_the_hash_covers_every_field_but_itself() -> None:
    event = _chain(1)[0]
    assert event_hash(replace(event, hash="x" * 64)) == event.hash
    assert event_hash(replace(event, prev_hash="1" * 64)) != event.hash


@given(count=st.integers(min_value=1, max_value=12), data=st.data())
def test_removing_any_one_event_is_always_caught_at_or_before_it(count: int, data: st.DataObject) -> None:
    events = _chain(count)
    victim = data.draw(st.integers(min_value=0, max_value=count - 1))
    remaining = events[:victim] + events[victim + 1:]
    found = first_break(remaining, events[-1].seq, events[-1].hash)
    assert found is not None and found.seq == victim + 1
