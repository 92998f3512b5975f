"""The deletion log: hash-chained lines, a torn last line never counts, an edit is found."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from custodian.backup.deletion_log import DeletionLog, DeletionLogBroken, Head


def _log(tmp_path: Path) -> DeletionLog:
    return DeletionLog(tmp_path / "deletion-log" / "deletions.jsonl")


def test_entries_are_chained_and_settled(tmp_path: Path) -> None:
    log = _log(tmp_path)
    first = log.write_pending("shred", {"account": 1}, "2026-06-01 12:00:00.000000")
    log.settle(first, True, "2026-06-01 12:00:01.000000")
    second = log.write_pending("shred", {"account": 2}, "2026-06-01 12:00:02.000000")
    assert log.head().lines == 3
    assert [(e.id, e.state) for e in log.entries()] == [(first, "committed"), (second, "pending")]
    assert (log.path.stat().st_mode & 0o777) == 0o600


def test_a_restore_reapplies_what_was_written_after_the_head_or_still_pending_at_it(tmp_path: Path) -> None:
    log = _log(tmp_path)
    early = log.write_pending("shred", {"account": 1}, "t")
    done = log.write_pending("shred", {"account": 2}, "t")
    log.settle(done, True, "t")
    head = log.head()  # the backup's copy starts here; `early` may still commit after it
    late = log.write_pending("shred", {"account": 3}, "t")
    log.settle(early, True, "t")
    log.settle(late, True, "t")
    assert [e.id for e in log.after(head)] == [early, late]


def test_a_torn_last_line_is_cut_off_by_the_next_append(tmp_path: Path) -> None:
    log = _log(tmp_path)
    log.write_pending("shred", {"account": 1}, "t")
    with log.path.open("ab") as handle:
        handle.write(b'{"n":2,"kind":"sh')  # the process died while writing
    assert log.head().lines == 1
    log.write_pending("shred", {"account": 2}, "t")
    assert [e.data["account"] for e in log.entries()] == [1, 2]


def test_an_edited_line_breaks_the_chain_and_a_foreign_head_is_refused(tmp_path: Path) -> None:
    log = _log(tmp_path)
    log.write_pending("shred", {"account": 1}, "t")
    log.write_pending("shred", {"account": 2}, "t")
    with pytest.raises(DeletionLogBroken):
        log.after(Head(2, "f" * 64))
    lines = log.path.read_text().splitlines()
    edited = json.loads(lines[0])
    edited["data"]["account"] = 9
    log.path.write_text("\n".join([json.dumps(edited), lines[1]]) + "\n")
    with pytest.raises(DeletionLogBroken, match="line 1"):
        log.entries()
