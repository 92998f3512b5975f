"""The default legal process per record class: the US Stored Communications Act (DESIGN.md "Legal process").

- A subpoena (trial, grand jury or administrative, or a government civil investigative demand) reaches
  "name; address; local and long distance telephone connection records, or records of session times and
  durations; length of service (including start date) and types of service utilized; telephone or
  instrument number or other subscriber number or identity, including any temporarily assigned network
  address; and means and source of payment": 18 U.S.C. 2703(c)(2). Call, fax and SMS logs are
  connection records.
- A 2703(d) court order reaches all other non-content records: 18 U.S.C. 2703(d).
- A search warrant reaches content: 18 U.S.C. 2703(a), (b).
- Private litigants never receive content (18 U.S.C. 2702(a)); a civil subpoena reaches the rest.
- Foreign governments go through a mutual legal assistance treaty request.

A provider's policy may ask for more process than this, never less.
"""

from __future__ import annotations

from custodian.policy.vocabulary import CONTENT_CLASSES, INSTRUMENTS, RECORD_CLASSES

NEVER = "never"
MLAT = "mlat"

# 2703(c)(2): name, address, "local and long distance telephone connection records", session records,
# service periods, numbers, means of payment.
SUBPOENA_CLASSES = frozenset({
    "subscriber.basic", "billing.transactions", "billing.payment_instrument", "numbers.assignments",
    "network.session_log", "cpni.call_log", "cpni.fax_log", "cpni.sms_log",
})
# Process that ranks as a subpoena: 2703(c)(2) names "a Federal or State grand jury or trial subpoena" and
# "an administrative subpoena authorized by a Federal or State statute".
SUBPOENA_LIKE = frozenset({"subpoena", "grand_jury_subpoena", "administrative_subpoena",
                           "civil_investigative_demand"})


def default_process(requester_type: str, record_class: str) -> str:
    """The least legal process that reaches `record_class` for `requester_type` by default."""
    if requester_type == "foreign_government":
        return MLAT
    content = record_class in CONTENT_CLASSES
    if requester_type == "civil":
        return NEVER if content else "subpoena"
    if content:
        return "search_warrant"
    return "subpoena" if record_class in SUBPOENA_CLASSES else "court_order_2703d"


def process_rank(process: str) -> int:
    """Orders process by strength: subpoena < ... < search_warrant < never; MLAT is its own path."""
    if process == NEVER:
        return len(INSTRUMENTS)
    if process in SUBPOENA_LIKE:
        return INSTRUMENTS.index("subpoena")
    return INSTRUMENTS.index(process) if process in INSTRUMENTS else -1


def default_matrix() -> dict[tuple[str, str], str]:
    """The default for every government or civil requester type and every record class."""
    return {(requester, name): default_process(requester, name)
            for requester in ("law_enforcement", "civil", "foreign_government") for name in RECORD_CLASSES}
