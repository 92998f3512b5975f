"""What `custodian demo` prints at the end: what it staged, then a short "try this" guide (the addresses,
each role's sign-in, three things to do). The facts the guide names are kept in `<data>/demo/showcase.json`,
so a later run (which imports nothing) prints the same guide."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from custodian.cli.demo_staff import DemoAccess, demo_username
from custodian.cli.terminal import out
from custodian.demo.showcase import DEMO_CPNI_PASSWORD, Showcase
from custodian.policy.vocabulary import class_name

FACTS_FILE = "showcase.json"


def showcase_facts(showcase: Showcase) -> dict[str, Any]:
    """The facts of a showcase the guide needs, as JSON."""
    return {"cpni_accounts": list(showcase.cpni_accounts),
            "requests": [{"key": r.key, "label": r.label, "tracking_number": r.tracking_number, "state": r.state}
                         for r in showcase.desk.requests]}


def save_facts(folder: Path, facts: dict[str, Any]) -> None:
    """Keep the facts beside the demo files."""
    (folder / FACTS_FILE).write_text(json.dumps(facts, indent=2) + "\n", encoding="utf-8")


def load_facts(folder: Path) -> dict[str, Any] | None:
    """The facts an earlier run kept, or None."""
    try:
        return dict(json.loads((folder / FACTS_FILE).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return None


def report_showcase(showcase: Showcase) -> None:
    """Say what the retention run deleted and which legal requests were filed."""
    deleted = showcase.retention.deleted
    say(f"Retention schedule run: {showcase.retention.accounts_purged} closed accounts purged, "
        f"{sum(deleted.values()):,} records deleted"
        + (": " + ", ".join(f"{class_name(name)} {count:,}" for name, count in deleted.items()) if deleted else ""))
    say(f"CPNI password {DEMO_CPNI_PASSWORD} on accounts {', '.join(showcase.cpni_accounts)}")
    for filed in showcase.desk.requests:
        say(f"legal request {filed.tracking_number} ({filed.state.replace('_', ' ')}): {filed.label}")
    sent = showcase.desk.notices
    say(f"customer notices: {sent.get('sent', 0)} sent to the demo outbox, {sent.get('failed', 0)} failed")
    say(f"consent ledger: {showcase.consent_choices} choices recorded (custodian consent history --account REF)")


def print_guide(base_url: str, access: DemoAccess, facts: dict[str, Any] | None) -> None:
    """The "try this" guide: addresses, sign-ins, three things to do."""
    say("")
    say("Try this")
    say(f"  Privacy centre: {base_url}/    Legal request intake: {base_url}/legal")
    say(f"  Staff console:  {base_url}/console/login  (the Outbox there shows every e-mail the demo sent)")
    _sign_ins(access)
    if facts is None:
        return
    requests = {r["key"]: r["tracking_number"] for r in facts["requests"]}
    account = facts["cpni_accounts"][0]
    rep, desk, officer = (demo_username(r) for r in ("support_representative", "legal_desk", "privacy_officer"))
    say("  Three things to do:")
    say(f"  1. As {rep}: open a ticket for account {account}, topic Technical, channel Inbound call; on the "
        f"ticket check the CPNI password {DEMO_CPNI_PASSWORD}; the call detail records appear.")
    say(f"  2. As {desk}: open the Legal desk; the emergency {requests.get('emergency', '')} heads the queue. "
        f"Open {requests.get('needs_information', '')} to see what it lacks and its deficiency letter.")
    say(f"  3. As {officer}: open Outbox and read the notice sent for {requests.get('approved', '')}; "
        "Retention shows the demo's run and what it deleted.")


def _sign_ins(access: DemoAccess) -> None:
    issued = {c.username: c for c in access.issued}
    say("  Sign in (first the one-time password, then a code from an authenticator app given the TOTP secret; "
        "you then choose your own password):")
    for role, username in access.staff.items():
        made = issued.get(username)
        how = (f"one-time password {made.password}  TOTP secret {made.totp_secret}" if made
               else f"shown when it was created (`custodian staff reset {username}` issues new ones)")
        say(f"    {role.replace('_', ' '):<24} {username:<22} {how}")
    if access.issued:
        say("  These credentials are shown once.")


def say(text: str) -> None:
    """One line on standard output, printed as is (no markup, no highlighting)."""
    out.print(text, markup=False, highlight=False)
