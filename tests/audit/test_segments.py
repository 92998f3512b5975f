"""The fast hash equals the JSON-array definition, and segments checked apart give the verdict of one walk."""

from __future__ import annotations

import itertools
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from custodian.audit.chain import (
    GENESIS_HASH,
    AuditEvent,
    ChainBreak,
    StoredEvent,
    check_checked_segment,
    check_segment,
    event_hash,
    first_break,
    first_break_of_segments,
    json_array_hash,
    link_hash,
    retyped_field,
    stored_form,
)

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
texts = st.text(alphabet=st.characters(codec="utf-8"), max_size=40)


@given(seq=st.integers(1, 2**62), account=st.none() | st.integers(0, 2**62), fields=st.lists(texts, min_size=7,
                                                                                              max_size=7))
def test_the_fast_hash_is_the_json_array_hash_for_any_text(seq: int, account: int | None, fields: list[str]) -> None:
    row = (seq, fields[0], fields[1], fields[2], account, fields[3], fields[4], fields[5], fields[6], "")
    assert link_hash(row) == json_array_hash(row)


def _stored(count: int) -> list[StoredEvent]:
    events, prev = [], GENESIS_HASH
    for seq in range(1, count + 1):
        event = AuditEvent(seq=seq, occurred_at=T0 + timedelta(seconds=seq), actor="staff:rita", action="access.deny",
                           account_id=seq % 3 or None, record_classes=("cpni.call_log",), reason=f"r{seq}",
                           detail={"ticket": seq}, prev_hash=prev)
        event = replace(event, hash=event_hash(event))
        events.append(stored_form(event))
        prev = event.hash
    return events


@given(count=st.integers(0, 30), cuts=st.lists(st.integers(1, 29), max_size=4),
       damage=st.sampled_from(["none", "edit", "drop", "swap", "relink"]), where=st.integers(0, 29))
def test_segments_checked_apart_agree_with_one_sequential_walk(count: int, cuts: list[int], damage: str,
                                                              where: int) -> None:
    rows = _stored(count)
    head_seq, head_hash = (count, rows[-1].hash) if rows else (0, GENESIS_HASH)
    if rows and damage != "none":
        i = where % len(rows)
        if damage == "edit":
            rows[i] = rows[i]._replace(reason="edited")
        elif damage == "drop":
            del rows[i]
        elif damage == "swap" and i + 1 < len(rows):
            rows[i], rows[i + 1] = rows[i + 1], rows[i]
        elif damage == "relink":
            rows[i] = rows[i]._replace(prev_hash="f" * 64)
    bounds = sorted({0, len(rows), *[c for c in cuts if c < len(rows)]})
    segments = [check_segment(rows[a:b]) for a, b in itertools.pairwise(bounds)]
    assert first_break_of_segments(segments, head_seq, head_hash) == first_break(rows, head_seq, head_hash)


def test_a_failed_fast_check_is_a_break_only_when_the_reference_rule_fails_too() -> None:
    rows = [(r.seq, r.prev_hash, r.hash, r.seq != 2) for r in _stored(3)]  # the fast check rejects event 2
    assert check_checked_segment(rows, confirm=lambda seq: True) == check_segment(_stored(3))
    found = check_checked_segment(rows, confirm=lambda seq: False)
    assert found is not None and found.problem is not None and found.problem.seq == 2


def test_the_fast_check_hashes_the_canonical_bytes_it_is_given() -> None:
    stored = _stored(2)
    canonical = [json.dumps(list(r[:9]), ensure_ascii=False, separators=(",", ":")).encode() for r in stored]
    rows = [(r.seq, r.prev_hash, r.hash, body) for r, body in zip(stored, canonical, strict=True)]
    assert check_checked_segment(rows, confirm=lambda seq: False) == check_segment(stored)
    rows[1] = (*rows[1][:3], canonical[1].replace(b"r2", b"r9"))
    found = check_checked_segment(rows, confirm=lambda seq: False)
    assert found is not None and found.problem is not None and found.problem.seq == 2


ODD_VALUES = [None, b"\x00\xff", 42, 4.5, ["list"], "text"]
FIELD_NAMES = StoredEvent._fields


@given(field=st.integers(0, 9), odd=st.sampled_from(ODD_VALUES), where=st.integers(0, 4))
def test_a_retyped_stored_field_is_a_break_at_its_event_never_a_traceback(field: int, odd: object,
                                                                          where: int) -> None:
    """Issue: a BLOB, a number or NULL where text belongs is reported as a broken event, with its number."""
    rows = [list(r) for r in _stored(5)]
    original = rows[where][field]
    rows[where][field] = odd
    head = (5, rows[-1][9])
    found = first_break_of_segments([check_segment(rows)], *head)
    if odd == original or (field == 4 and odd is None and original is None):
        return  # the same value (account_id may be NULL): nothing to find
    assert found is not None and found.seq <= where + 1
    assert isinstance(found.seq, int) and found.problem


@pytest.mark.parametrize("odd", [None, b"reason", 7])
def test_the_reference_check_names_the_retyped_field(odd: object) -> None:
    row = list(_stored(1)[0])
    row[6] = odd
    problem = retyped_field(row)
    assert problem is not None and "reason" in problem
    assert retyped_field(_stored(1)[0]) is None


def test_a_check_the_database_could_not_build_falls_back_to_the_reference_rule() -> None:
    """PostgreSQL gives NULL for the hash verdict of an event with a NULL field; SQLite for a BLOB."""
    rows = [(r.seq, r.prev_hash, r.hash, None if r.seq == 2 else True) for r in _stored(3)]
    found = check_checked_segment(rows, confirm=lambda seq: "field reason holds NULL where text belongs")
    assert found is not None and found.problem == ChainBreak(2, "field reason holds NULL where text belongs")
