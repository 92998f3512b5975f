"""The pure planner: properties every plan keeps, whatever the records and holds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from custodian.retention.holds import Hold, is_held
from custodian.retention.plan import RecordRef, plan_records
from custodian.retention.rules import COUNT, NOT_AVAILABLE, TIME, Sweep, purge_sweep

NOW = datetime(2026, 6, 1, tzinfo=UTC)
CLASSES = ("content.voice_message", "content.fax_incoming", "content.sms_body")

records = st.lists(
    st.builds(RecordRef, st.sampled_from(CLASSES),
              st.integers(min_value=0, max_value=400).map(lambda h: NOW - timedelta(hours=h)),
              st.binary(min_size=16, max_size=16)),
    max_size=60, unique_by=lambda r: r.key)
holds = st.lists(st.builds(
    Hold, id=st.integers(1, 9), account_id=st.just(1),
    classes=st.frozensets(st.sampled_from(CLASSES), max_size=2),
    window_start=st.none() | st.integers(0, 400).map(lambda h: NOW - timedelta(hours=h)),
    window_end=st.none() | st.integers(0, 400).map(lambda h: NOW - timedelta(hours=h)),
    until=st.just(NOW + timedelta(days=1)), reason=st.just("r"), source=st.just("cli"), placed_by=st.just("t"),
    placed_at=st.just(NOW - timedelta(days=1))), max_size=3)
sweeps = st.lists(st.one_of(
    st.builds(Sweep, st.just(TIME), st.frozensets(st.sampled_from(CLASSES), min_size=1),
              cutoff=st.integers(0, 400).map(lambda h: NOW - timedelta(hours=h))),
    st.builds(Sweep, st.just(COUNT), st.frozensets(st.sampled_from(CLASSES), min_size=1),
              keep_newest=st.integers(1, 40)),
    st.builds(Sweep, st.just(NOT_AVAILABLE), st.frozensets(st.sampled_from(CLASSES), min_size=1))), max_size=3)


@given(records, sweeps, holds)
def test_a_plan_never_deletes_a_held_record(found: list[RecordRef], chosen: list[Sweep], kept: list[Hold]) -> None:
    plan = plan_records(1, chosen, found, kept, NOW)
    assert not any(is_held(kept, 1, r.record_class, r.occurred_at, NOW) for r in plan.deleted)
    assert all(is_held(kept, 1, r.record_class, r.occurred_at, NOW) for r in plan.held)
    assert not set(plan.deleted) & set(plan.held)


@given(records, st.integers(1, 80), st.frozensets(st.sampled_from(CLASSES), min_size=1))
def test_a_count_cap_leaves_exactly_min_n_count_of_its_classes(found: list[RecordRef], newest: int,
                                                               classes: frozenset[str]) -> None:
    plan = plan_records(1, [Sweep(COUNT, classes, keep_newest=newest)], found, [], NOW)
    mine = [r for r in found if r.record_class in classes]
    left = [r for r in mine if r not in set(plan.deleted)]
    assert len(left) == min(newest, len(mine))
    assert all(r.record_class in classes for r in plan.deleted)
    if plan.deleted and left:  # every survivor is newer than every deleted record (time, then id)
        assert min((r.occurred_at, r.key) for r in left) > max((r.occurred_at, r.key) for r in plan.deleted)


def test_count_cap_ties_in_time_are_broken_by_the_higher_id_kept() -> None:
    same = NOW - timedelta(days=1)
    low, high = RecordRef(CLASSES[0], same, b"\x01" * 16), RecordRef(CLASSES[0], same, b"\x02" * 16)
    plan = plan_records(1, [Sweep(COUNT, frozenset({CLASSES[0]}), keep_newest=1)], [low, high], [], NOW)
    assert plan.deleted == [low]


@given(records, st.integers(0, 400))
def test_a_time_limit_deletes_exactly_what_occurred_before_the_cutoff(found: list[RecordRef], hours: int) -> None:
    cutoff = NOW - timedelta(hours=hours)
    plan = plan_records(1, [Sweep(TIME, frozenset(CLASSES), cutoff=cutoff)], found, [], NOW)
    assert set(plan.deleted) == {r for r in found if r.occurred_at is not None and r.occurred_at < cutoff}


@given(records)
def test_a_closure_purge_deletes_everything_not_held(found: list[RecordRef]) -> None:
    assert sorted(plan_records(1, [purge_sweep()], found, [], NOW).deleted) == sorted(found)
