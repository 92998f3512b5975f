"""Hash chain rules for the audit trail (tamper evidence; DESIGN.md "audit/").

Each event's hash covers its own fields and the previous event's hash, so editing, deleting or
reordering any event breaks every hash after it. Verification walks events in sequence order
and reports the first one that does not fit. The hash covers the fields exactly as stored (a JSON
array of canonical texts), so verification hashes raw rows without rebuilding objects, and each
event's own hash can be checked independently of the others.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from json.encoder import encode_basestring
from typing import Any, NamedTuple

from custodian.kernel.timeparse import utc_text

GENESIS_HASH = "0" * 64
EDITED = "event content does not match its hash (edited)"


@dataclass(frozen=True)
class AuditEvent:
    """One thing that happened: who did what, to which account's which record classes, and why."""

    seq: int
    occurred_at: datetime
    actor: str
    action: str
    account_id: int | None
    record_classes: tuple[str, ...]
    reason: str
    detail: Mapping[str, Any] = field(default_factory=dict)
    prev_hash: str = GENESIS_HASH
    hash: str = ""


class StoredEvent(NamedTuple):
    """An event's chain fields exactly as stored: the form the hash covers."""

    seq: int
    occurred_at: str  # canonical UTC text, YYYY-MM-DD HH:MM:SS.ffffff
    actor: str
    action: str
    account_id: int | None
    record_classes: str  # sorted, comma-joined
    reason: str
    detail: str  # canonical JSON (canonical_detail)
    prev_hash: str
    hash: str


_encode_fields = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_esc: Callable[[str], str] = encode_basestring
_sha256 = hashlib.sha256


def canonical_detail(detail: Mapping[str, Any]) -> str:
    """The one JSON text of an event's detail: sorted keys, no spaces, UTF-8 as is."""
    return json.dumps(dict(detail), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def stored_form(event: AuditEvent) -> StoredEvent:
    """An event as its chain fields are stored."""
    return StoredEvent(event.seq, utc_text(event.occurred_at), event.actor, event.action,
                       event.account_id, ",".join(event.record_classes), event.reason,
                       canonical_detail(event.detail), event.prev_hash, event.hash)


_FIELD_TYPES: tuple[tuple[type, ...], ...] = ((int,), (str,), (str,), (str,), (int, type(None)), (str,), (str,), (str,),
                                               (str,), (str,))


def retyped_field(stored: Sequence[Any]) -> str | None:
    """Name the first stored field whose value is not of its column's type (a BLOB, a number or NULL where
    text belongs), or None. The hash covers typed fields; a re-typed one is tampering, never a traceback."""
    for name, value, types in zip(StoredEvent._fields, stored, _FIELD_TYPES, strict=False):
        if not isinstance(value, types) or isinstance(value, bool):
            found = "NULL" if value is None else type(value).__name__
            return f"field {name} holds {found} where {'a number' if types[0] is int else 'text'} belongs"
    return None if len(stored) == len(_FIELD_TYPES) else f"{len(stored)} fields where 10 belong"


def reference_verdict(stored: Sequence[Any]) -> bool | str:
    """True when the reference rule accepts a stored event, else what is wrong with it."""
    problem = retyped_field(stored)
    if problem is not None:
        return problem
    return link_hash(stored) == stored[9] or EDITED


def link_hash(stored: Sequence[Any]) -> str:
    """SHA-256 over the JSON array of every stored field but the hash (unambiguous, C-encoded).

    The array is assembled from json's own C string escaper: byte for byte what
    `json.dumps(stored[:9], ensure_ascii=False, separators=(",", ":"))` gives, at about twice the speed.
    """
    seq, at, actor, action, account_id, classes, reason, detail, prev = stored[:9]
    account = "null" if account_id is None else int(account_id)
    text = (f"[{int(seq)},{_esc(at)},{_esc(actor)},{_esc(action)},{account},{_esc(classes)},{_esc(reason)},"
            f"{_esc(detail)},{_esc(prev)}]")
    return _sha256(text.encode("utf-8")).hexdigest()


def json_array_hash(stored: Sequence[Any]) -> str:
    """The reference definition of `link_hash` (kept to prove the fast form equal to it)."""
    return hashlib.sha256(_encode_fields(list(stored[:9])).encode("utf-8")).hexdigest()


def event_hash(event: AuditEvent) -> str:
    """The hash an event must carry."""
    return link_hash(stored_form(event))


@dataclass(frozen=True)
class ChainBreak:
    """Where verification failed: the sequence number and what was wrong there."""

    seq: int
    problem: str


def first_break(
    events: Iterable[AuditEvent | StoredEvent], head_seq: int, head_hash: str
) -> ChainBreak | None:
    """Return the first event that breaks the chain, or None if it is intact up to the recorded head."""
    expected_prev, expected_seq = GENESIS_HASH, 1
    for found in events:
        event = stored_form(found) if isinstance(found, AuditEvent) else found
        if event.seq != expected_seq:
            return _missing(expected_seq, event.seq)
        if event.prev_hash != expected_prev:
            return _unlinked(event.seq)
        if (verdict := reference_verdict(event)) is not True:
            return ChainBreak(event.seq, verdict or EDITED)
        expected_prev, expected_seq = event.hash, expected_seq + 1
    return _against_head(expected_seq - 1, expected_prev, head_seq, head_hash)


@dataclass(frozen=True)
class Segment:
    """What checking a run of consecutive stored events found: its ends, and its first break if any."""

    first_seq: int
    first_prev: str
    last_seq: int
    last_hash: str
    problem: ChainBreak | None


def check_segment(rows: Iterable[Sequence[Any]]) -> Segment | None:
    """Check a run of rows in StoredEvent order by the reference rule (`link_hash` over the stored fields)."""
    verdict: list[bool | str] = [True]  # the current row's (rows are checked one at a time, in order)

    def checked(row: Sequence[Any]) -> tuple[Any, Any, Any, bool]:
        verdict[0] = reference_verdict(row)
        return row[0], row[8], row[9], verdict[0] is True

    return check_checked_segment((checked(row) for row in rows), confirm=lambda _seq: verdict[0])


def check_checked_segment(rows: Iterable[Sequence[Any]], confirm: Callable[[int], bool | str]) -> Segment | None:
    """Check a run of rows (seq, prev_hash, hash, check) for gaps, links and hashes.

    `check` is either the event's canonical JSON array as UTF-8 bytes (the array `link_hash` hashes,
    built by the database) or a verdict already reached on the hash (True or False). A row whose
    check fails (or is None: the database could not build it from a re-typed field) counts as broken only
    if `confirm(seq)`, the reference rule applied to that event's stored fields, fails too (False, or a
    text saying what is wrong); so a canonical text built differently can slow verification down but
    never make it report a false break. Segments are checked independently (in parallel);
    `first_break_of_segments` joins them.
    """
    first: Sequence[Any] | None = None
    prev_seq, prev_hash = 0, ""
    for row in rows:
        seq, prev, digest, check = row
        if first is None:
            first = row
        elif seq != prev_seq + 1:
            return Segment(first[0], first[1], prev_seq, prev_hash, _missing(prev_seq + 1, seq))
        elif prev != prev_hash:
            return Segment(first[0], first[1], prev_seq, prev_hash, _unlinked(seq))
        intact = check if check.__class__ is bool else check.__class__ is bytes and _sha256(check).hexdigest() == digest
        if not intact and (verdict := confirm(seq)) is not True:
            return Segment(first[0], first[1], prev_seq, prev_hash, ChainBreak(seq, verdict or EDITED))
        prev_seq, prev_hash = seq, digest
    return None if first is None else Segment(first[0], first[1], prev_seq, prev_hash, None)


def first_break_of_segments(segments: Iterable[Segment | None], head_seq: int, head_hash: str,
                            after: tuple[int, str] = (0, GENESIS_HASH)) -> ChainBreak | None:
    """Join independently checked consecutive segments into the verdict `first_break` gives.

    `after` is the event (sequence number and hash) the segments continue from: the genesis for a
    whole chain, or an earlier verified checkpoint when only the events since it are checked.
    """
    expected_prev, expected_seq = after[1], after[0] + 1
    for segment in segments:
        if segment is None:
            continue
        if segment.first_seq != expected_seq:
            return _missing(expected_seq, segment.first_seq)
        if segment.first_prev != expected_prev:
            return _unlinked(segment.first_seq)
        if segment.problem is not None:
            return segment.problem
        expected_prev, expected_seq = segment.last_hash, segment.last_seq + 1
    return _against_head(expected_seq - 1, expected_prev, head_seq, head_hash)


def _missing(expected: int, found: int) -> ChainBreak:
    return ChainBreak(expected, f"event {expected} is missing or out of order (found {found})")


def _unlinked(seq: int) -> ChainBreak:
    return ChainBreak(seq, "previous-hash link does not match the event before it")


def _against_head(last: int, last_hash: str, head_seq: int, head_hash: str) -> ChainBreak | None:
    """The verdict at the end of a walk: it must stop exactly at the recorded head, with its hash."""
    if last != head_seq:
        return ChainBreak(last + 1, f"chain ends at event {last} but the head records event {head_seq}")
    if last and last_hash != head_hash:
        return ChainBreak(last, "last event's hash does not match the recorded head")
    return None
