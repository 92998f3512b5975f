"""The decision point: may this staff member read this record class of this account, now, and masked how?

Deny by default: a permit exists only as an entry the policy's `staff` section put in the
compiled tables (seed 000: "access is limited by need"); everything else is a deny with its
reason. Call detail on a customer-initiated contact needs the CPNI password first
(47 CFR 64.2010(b)); otherwise the alternatives of record are offered. A change of the address of
record, the CPNI password or the back-up question needs the caller authenticated on the ticket first.
"""

from __future__ import annotations

from custodian.access.types import Action, Actor, Context, Decision


def decide(actor: Actor, action: Action, account_id: int, record_class: str, context: Context) -> Decision:
    """Permit or deny `actor` doing `action` on `record_class` of account `account_id`."""
    rules = context.rules
    if record_class not in rules.collected:
        return Decision(False, record_class, "the policy does not collect this record class")
    if rules.acknowledgement_required and actor.acknowledged_version != rules.version:
        return Decision(False, record_class, "the policy in force has not been acknowledged")
    if action == "look_up":
        return _look_up(actor, record_class, context)
    if action == "change":
        if not context.change:
            return Decision(False, record_class, "a change must say what it changes")
        return _on_ticket(actor, account_id, record_class, context, change=context.change)
    if action != "read":
        return Decision(False, record_class, f"unknown action {action!r}")
    if context.break_glass_reason.strip():
        found = rules.break_glass.get((actor.role, record_class))
        if found is None:
            return Decision(False, record_class, "break-glass reaches only classes the role may see on some ticket",
                            break_glass=True)
        return found
    return _on_ticket(actor, account_id, record_class, context)


def _look_up(actor: Actor, record_class: str, context: Context) -> Decision:
    # Directory information (reference, kind, status) lets staff find an account before a ticket.
    if record_class != "subscriber.basic" or actor.role not in context.rules.roles:
        return Decision(False, record_class, "look-up shows directory information only, to staff with a role")
    return Decision(True, record_class, "directory look-up", "support", "directory_only")


def _on_ticket(actor: Actor, account_id: int, record_class: str, context: Context, change: str = "") -> Decision:
    ticket = context.ticket
    if ticket is None:
        return Decision(False, record_class, "no open ticket for this account")
    if ticket.staff_id != actor.staff_id or ticket.account_id != account_id:
        return Decision(False, record_class, "the ticket is not this staff member's ticket for this account")
    if ticket.closed_at is not None and ticket.closed_at <= context.now:
        return Decision(False, record_class, "the ticket is closed")
    if ticket.expires_at <= context.now:
        return Decision(False, record_class, "the ticket has expired")
    rules = context.rules
    if change:
        allowed = rules.changes.get((actor.role, ticket.topic, change))
        if allowed is None:
            return Decision(False, record_class, f"{change} may not be changed on a {ticket.topic} ticket")
        # 64.2010(f) notice is not enough: a caller who has not proved who they are changes nothing.
        if not ticket.cpni_verified:
            return Decision(False, record_class, f"{change} changes only after the caller is authenticated on this "
                            "ticket (CPNI password, back-up answer, call-back to the number of record, or "
                            "government photo ID in person)")
        return allowed
    found = rules.on_ticket.get((actor.role, ticket.topic, record_class))
    if found is None:
        return Decision(False, record_class, f"not needed for a {ticket.topic} ticket ({actor.role})")
    if (record_class in rules.cpni_classes and ticket.channel in rules.cpni_channels
            and not ticket.cpni_verified):
        return Decision(False, record_class, "call detail needs the CPNI password on a customer-initiated contact",
                        found.purpose, alternatives=rules.cpni_alternatives)
    return found
