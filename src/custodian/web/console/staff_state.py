"""A staff member's state as the console shows it: one word and the tone of its badge (pure)."""

from __future__ import annotations

from datetime import datetime

from custodian.staff.store import StaffMember

TONES = {"Disabled": "bad", "Awaiting approval": "warning", "Locked": "bad", "Not yet signed in": "info",
         "Active": "good"}


def member_state(member: StaffMember, now: datetime) -> str:
    """Disabled, awaiting approval (of one-time credentials), locked, not yet signed in, or active."""
    if member.disabled_at:
        return "Disabled"
    if member.credentials_pending:
        return "Awaiting approval"
    if member.locked_until and member.locked_until > now:
        return "Locked"
    return "Not yet signed in" if not member.totp_enrolled else "Active"


def state_tone(state: str) -> str:
    """The badge tone of a state of `member_state`."""
    return TONES.get(state, "neutral")
