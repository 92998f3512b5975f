"""Activating policy versions and finding the one in force. Joins the caller's transaction.

Compiling a policy file costs most of a second of CPU, so each stored version is compiled once per
process and kept (keyed by its row id and content hash: a new activation is a new key, and
activating clears the cache), for every caller: intake, API, console, CLI and jobs.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, insert, select

from custodian.audit import store as audit
from custodian.policy.check import check_text
from custodian.policy.compiled import CompiledPolicy, compile_policy
from custodian.policy.tables import policy_version

_CACHE_SIZE = 8
_compiled: OrderedDict[tuple[int, str], CompiledPolicy] = OrderedDict()
_compiled_lock = threading.Lock()
_texts: OrderedDict[str, str] = OrderedDict()  # policy source texts by version hash, for `in_force`


@dataclass(frozen=True)
class PolicyVersion:
    """One activation of a policy file."""

    id: int
    version_hash: str
    provider_name: str
    source_text: str
    effective_at: datetime
    activated_at: datetime
    activated_by: str

    def compiled(self) -> CompiledPolicy:
        """The version's policy, compiled once per process (stored versions were valid when activated)."""
        key = (self.id, self.version_hash)
        with _compiled_lock:  # one compilation per version even when requests race for it
            found = _compiled.get(key)
            if found is None:
                found = _compiled[key] = self._compile()
                while len(_compiled) > _CACHE_SIZE:
                    _compiled.popitem(last=False)
            _compiled.move_to_end(key)
            return found

    def _compile(self) -> CompiledPolicy:
        result = check_text(self.source_text)
        if result.document is None:
            raise ValueError(f"stored policy version {self.version_hash[:12]} no longer parses")
        return compile_policy(result.document, self.source_text)


def forget_compiled() -> None:
    """Drop every compiled version (activation calls this; the next caller compiles what is in force)."""
    with _compiled_lock:
        _compiled.clear()


def activate(conn: Connection, text: str, *, actor: str, effective_at: datetime, now: datetime) -> PolicyVersion:
    """Store `text` as a new version in force from `effective_at`; raise ValueError if it is not valid."""
    result = check_text(text)
    if not result.valid or result.document is None:
        raise ValueError(f"the policy is not valid ({len(result.problems)} problems); run `custodian policy check`")
    policy = compile_policy(result.document, text)
    row_id = conn.execute(insert(policy_version).values(
        version_hash=policy.version_hash, provider_name=result.document.provider.name, source_text=text,
        effective_at=effective_at, activated_at=now, activated_by=actor,
    ).returning(policy_version.c.id)).scalar_one()
    audit.append(conn, actor=actor, action="policy.activate", reason="privacy policy version activated",
                 detail={"version": policy.version_hash, "effective_at": effective_at.isoformat()}, now=now)
    forget_compiled()
    return PolicyVersion(int(row_id), policy.version_hash, result.document.provider.name, text, effective_at, now,
                         actor)


def in_force(conn: Connection, now: datetime) -> PolicyVersion | None:
    """The version in force at `now`: the latest activation whose effective time has come.

    Most requests ask this: the query reads every column but the policy's source text, which is kept per
    process by its version hash (the hash of that text, so it never goes stale)."""
    columns = [c for c in policy_version.c if c.name != "source_text"]
    row = conn.execute(select(*columns).where(policy_version.c.effective_at <= now)
                       .order_by(policy_version.c.effective_at.desc(), policy_version.c.id.desc()).limit(1)).first()
    if row is None:
        return None
    with _compiled_lock:
        text = _texts.get(row.version_hash)
    if text is None:
        text = conn.execute(select(policy_version.c.source_text).where(policy_version.c.id == row.id)).scalar_one()
        with _compiled_lock:
            _texts[row.version_hash] = text
            while len(_texts) > _CACHE_SIZE:
                _texts.popitem(last=False)
    return PolicyVersion(row.id, row.version_hash, row.provider_name, text, row.effective_at, row.activated_at,
                         row.activated_by)


def history(conn: Connection) -> list[PolicyVersion]:
    """Every activation, newest first."""
    rows = conn.execute(select(policy_version).order_by(policy_version.c.effective_at.desc(),
                                                        policy_version.c.id.desc())).all()
    return [_version(row) for row in rows]


def by_hash(conn: Connection, version_hash: str) -> PolicyVersion | None:
    """The latest activation of the version with this hash."""
    row = conn.execute(select(policy_version).where(policy_version.c.version_hash == version_hash)
                       .order_by(policy_version.c.id.desc()).limit(1)).first()
    return _version(row) if row else None


def _version(row: object) -> PolicyVersion:
    return PolicyVersion(row.id, row.version_hash, row.provider_name, row.source_text,  # type: ignore[attr-defined]
                         row.effective_at, row.activated_at, row.activated_by)  # type: ignore[attr-defined]
