"""The access rules of the policy version in force, compiled once per version."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from sqlalchemy import Connection

from custodian.access.rules import AccessRules, compile_access
from custodian.policy import store as policy_store
from custodian.policy.notice import Notice, build_notice
from custodian.policy.store import PolicyVersion


def rules_in_force(conn: Connection, now: datetime) -> AccessRules | None:
    """The access rules at `now`, or None when no policy version is active (then nothing is permitted)."""
    version = policy_store.in_force(conn, now)
    return _compiled(version)[0] if version is not None else None


def notice_in_force(conn: Connection, now: datetime) -> Notice | None:
    """The notice a staff member acknowledges."""
    version = policy_store.in_force(conn, now)
    return _compiled(version)[1] if version is not None else None


@lru_cache(maxsize=8)
def _compiled(version: PolicyVersion) -> tuple[AccessRules, Notice]:
    policy = version.compiled()
    return compile_access(policy), build_notice(policy)
