"""The deletion log: an append-only, hash-chained JSON Lines file of every deletion, kept outside backups.

Each line is one JSON object with `n` (its line number from 1), `prev` (the previous line's hash) and
`hash` (SHA-256 of `prev` and the line's canonical JSON without `hash`), like the audit chain. Lines hold
account ids, table names, record keys (keyed hashes of source records), random file names, digests and times —
never personal data.

An entry is written `pending` *before* its transaction commits (and fsync'd, so a deletion that commits is
always in the log); a second line then settles it `committed` or `abandoned` (rolled back). A restore
re-applies every entry that is not abandoned: one left pending by a crash between the write and the commit
is carried out, because it was asked for and may have happened — re-applying it never brings data back.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import secrets
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

GENESIS = "0" * 64
PENDING, COMMITTED, ABANDONED = "pending", "committed", "abandoned"


class DeletionLogBroken(RuntimeError):
    """A line of the log does not fit the chain (edited, removed or reordered)."""


@dataclass(frozen=True)
class Head:
    """Where the log ends: its last line's number and hash (0 and the genesis hash when empty)."""

    lines: int
    hash: str


@dataclass(frozen=True)
class Entry:
    """One deletion as written, and how its transaction ended (pending = never settled)."""

    n: int
    id: str
    kind: str
    data: Mapping[str, Any]
    state: str
    settled_at_line: int | None


def canonical(fields: Mapping[str, Any]) -> str:
    """A line's canonical JSON (sorted keys, no spaces, ASCII): what its hash covers."""
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def line_hash(prev: str, fields: Mapping[str, Any]) -> str:
    """The hash of a line: SHA-256 over the previous hash and the line's canonical JSON (without `hash`)."""
    return _digest(prev, canonical(fields))


def _digest(prev: str, body: str) -> str:
    return hashlib.sha256((prev + body).encode()).hexdigest()


class DeletionLog:
    """One log file; appends are serialised across processes by an exclusive `flock` on the file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def write_pending(self, kind: str, data: Mapping[str, Any], at: str) -> str:
        """Append a pending entry (fsync'd before returning); return its id."""
        entry_id = secrets.token_hex(8)
        self._append({"at": at, "id": entry_id, "kind": kind, "data": data, "state": PENDING})
        return entry_id

    def settle(self, entry_id: str, committed: bool, at: str) -> None:
        """Record how the entry's transaction ended."""
        self._append({"at": at, "id": entry_id, "state": COMMITTED if committed else ABANDONED})

    def head(self) -> Head:
        """The last line's number and hash."""
        if not self.path.exists():
            return Head(0, GENESIS)
        with self.path.open("rb") as handle:
            return _last_head(handle)

    def lines(self) -> Iterator[dict[str, Any]]:
        """Every complete line, checked against the chain (DeletionLogBroken at the first misfit)."""
        if not self.path.exists():
            return
        prev, expected = GENESIS, 1
        with self.path.open("rb") as handle:
            for raw in handle:
                if not raw.endswith(b"\n"):
                    return  # a torn last line: its write never finished, so its transaction never committed
                line = json.loads(raw)
                stated = line.pop("hash")
                if line.get("n") != expected or line.get("prev") != prev or line_hash(prev, line) != stated:
                    raise DeletionLogBroken(f"deletion log line {expected} does not fit the chain")
                line["hash"] = stated
                yield line
                prev, expected = stated, expected + 1

    def entries(self) -> list[Entry]:
        """Every entry with its outcome, in the order written."""
        found: dict[str, Entry] = {}
        for line in self.lines():
            if line["state"] == PENDING:
                found[line["id"]] = Entry(line["n"], line["id"], line["kind"], line["data"], PENDING, None)
            elif line["id"] in found:
                old = found[line["id"]]
                found[line["id"]] = Entry(old.n, old.id, old.kind, old.data, line["state"], line["n"])
        return list(found.values())

    def after(self, head: Head) -> list[Entry]:
        """What a restore of a backup taken at `head` must re-apply: entries written after it, and entries
        that were still pending at it (their transactions may have committed after the copy was taken)."""
        self.check_head(head)
        return [e for e in self.entries() if e.state != ABANDONED
                and (e.n > head.lines or e.settled_at_line is None or e.settled_at_line > head.lines)]

    def check_head(self, head: Head) -> None:
        """Raise DeletionLogBroken unless line `head.lines` of this log has `head.hash` (the same log)."""
        if head.lines == 0:
            return
        for line in self.lines():
            if line["n"] == head.lines:
                if line["hash"] != head.hash:
                    raise DeletionLogBroken(f"deletion log line {head.lines} is not the one the backup recorded")
                return
        raise DeletionLogBroken(f"the deletion log ends before line {head.lines}, which the backup recorded")

    def _append(self, fields: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "r+b") as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            head = _last_head(handle, repair=True)
            body = canonical({**fields, "n": head.lines + 1, "prev": head.hash})
            line = f'{body[:-1]},"hash":"{_digest(head.hash, body)}"}}\n'  # the hash last; serialised once
            handle.write(line.encode())
            handle.flush()
            os.fsync(handle.fileno())


def _last_head(handle: Any, repair: bool = False) -> Head:
    """Read the last complete line from the end of the file. A torn last line never counted (its write did not
    finish, so its transaction never committed): an appender (`repair`) cuts it off, a reader skips it."""
    end = handle.seek(0, os.SEEK_END)
    chunk, pos = b"", end
    while pos > 0:
        step = min(65536, pos)
        pos -= step
        handle.seek(pos)
        chunk = handle.read(step) + chunk
        if chunk.count(b"\n") >= 2:
            break
    complete = chunk[:chunk.rfind(b"\n") + 1]
    if repair and len(complete) < len(chunk):
        handle.truncate(pos + len(complete))
    if not complete:
        return Head(0, GENESIS)
    line = json.loads(complete[complete.rfind(b"\n", 0, len(complete) - 1) + 1:])
    return Head(int(line["n"]), str(line["hash"]))
