"""What legal process reaches which record class, for whom (18 U.S.C. 2702, 2703, 2709, 2711(4), 3512, 2523).

One set of rules for validation (legal/validate.py) and review (`reach_problem`, used when the desk approves
classes), so review can never approve what validation forbids:

- Only a "governmental entity" (2711(4): "a department or agency of the United States or any State or
  political subdivision thereof", the law_enforcement requester type) receives emergency disclosure
  (2702(b)(8), (c)(4)), asks for preservation (2703(f): "upon the request of a governmental entity"),
  issues a civil investigative demand or serves government-only process.
- An emergency always needs the stated basis: with it, any class the policy does not forbid; without it
  an attached order or warrant reaches only what that instrument itself reaches.
- A subpoena of any kind reaches 2703(c)(2) records, a 2703(d) order other non-content, a warrant content;
  a national security letter only subscriber information and toll billing records (2709(a)); a FISA
  business records order (50 U.S.C. 1861) non-content like a 2703(d) order, never content; pen register
  (3123) and wiretap (2518) orders are prospective and reach no stored record.
- A foreign government receives data only through a U.S. instrument obtained under 3512 or an order under
  a CLOUD Act executive agreement (2523) with a country the policy lists; an MLAT request is a channel.
"""

from __future__ import annotations

from dataclasses import dataclass

from custodian.legal.types import LegalRequest
from custodian.policy.compiled import CompiledPolicy
from custodian.policy.document_legal import RequesterRules
from custodian.policy.sca import NEVER, process_rank
from custodian.policy.vocabulary import CONTENT_CLASSES, RECORD_CLASSES

GOVERNMENT = "law_enforcement"  # the requester type that is a governmental entity (2711(4))
COURT_ORDERS = frozenset({"court_order", "court_order_2703d", "pen_register_order", "wiretap_order", "fisa_order"})
JUDICIAL = COURT_ORDERS | {"search_warrant"}  # a judge issued it: issuing court, date and case number
PROSPECTIVE = frozenset({"pen_register_order", "wiretap_order"})
# 2709(a): "subscriber information and toll billing records information, or electronic communication
# transactional records".
NSL_CLASSES = frozenset({"subscriber.basic", "numbers.assignments", "billing.transactions", "cpni.call_log"})
# Process a private party cannot hold (a civil investigative demand has its own code).
GOVERNMENT_ONLY = frozenset({"grand_jury_subpoena", "administrative_subpoena", "national_security_letter",
                             "fisa_order", "pen_register_order", "wiretap_order", "search_warrant",
                             "court_order_2703d"})
# Instruments whose reach is that of a ranked instrument.
RANKS_AS = {"grand_jury_subpoena": "subpoena", "administrative_subpoena": "subpoena",
            "national_security_letter": "subpoena", "fisa_order": "court_order_2703d"}
# What 3512 lets a U.S. court issue for a foreign authority (and what a CLOUD Act order is read as).
FOREIGN_ROUTE_INSTRUMENTS = frozenset({"subpoena", "court_order_2703d", "court_order", "search_warrant"})
CUSTOMER_ROUTE = "customer_requests"


@dataclass(frozen=True)
class Problem:
    """One defect of a request: a stable code, the field's path and a sentence for the requester."""

    code: str
    field: str
    message: str


def customer_route(request: LegalRequest) -> str | None:
    """"customer_requests" for a customer's own written request for their CPNI (47 U.S.C. 222(c)(2)):
    another process answers it and the legal desk never produces it."""
    return CUSTOMER_ROUTE if request.requester.type == "customer" and request.kind != "emergency" else None


def emergency_stated(request: LegalRequest, policy: CompiledPolicy) -> bool:
    """The good-faith basis is stated (always required) and attested where the policy asks."""
    rules = policy.document.legal.emergency
    basis = request.emergency
    return (rules.accepted and basis is not None and bool(basis.basis)
            and (basis.imminent_harm_attested or not rules.requires_imminent_harm_attestation))


def gate_problems(request: LegalRequest, policy: CompiledPolicy) -> list[Problem]:
    """Whether this requester may ask for this kind of thing with this process at all."""
    requester_type = request.requester.type
    instrument = request.instrument.type
    if requester_type is None:
        return [Problem("missing_field", "requester.type", "the requester type is required")]
    rules = policy.document.legal.requesters.get(requester_type, RequesterRules())
    if not rules.accepted:
        return [Problem("requester_type_not_accepted", "requester.type",
                        f"requests from {requester_type.replace('_', ' ')} requesters are not accepted")]
    if request.kind == "emergency" and requester_type != GOVERNMENT:
        return [Problem("emergency_requester_not_government", "requester.type",
                        "emergency disclosure is made only to a U.S. federal, state or local governmental entity "
                        "(18 U.S.C. 2702(b)(8)); a foreign government should ask through a U.S. agency")]
    if requester_type == "civil":
        return _civil_gates(request.kind, instrument)
    if instrument == "national_security_letter" and requester_type != GOVERNMENT:
        return [_government_only(instrument)]
    if requester_type == "foreign_government" and request.kind == "data":
        return _foreign_gates(request, policy)
    if request.kind == "emergency":
        return _emergency_gates(request, policy)
    return []


def _civil_gates(kind: str | None, instrument: str | None) -> list[Problem]:
    if kind == "preservation":
        return [Problem("preservation_requires_government", "kind",
                        "preservation is made 'upon the request of a governmental entity' (18 U.S.C. 2703(f))")]
    if instrument == "civil_investigative_demand":
        return [Problem("cid_requires_government", "instrument.type",
                        "only a government agency issues a civil investigative demand")]
    if instrument in GOVERNMENT_ONLY:
        return [_government_only(instrument)]
    return []


def _government_only(instrument: str) -> Problem:
    return Problem("instrument_requires_government", "instrument.type",
                   f"a {instrument.replace('_', ' ')} is served only by a U.S. governmental entity")


def _foreign_gates(request: LegalRequest, policy: CompiledPolicy) -> list[Problem]:
    instrument = request.instrument
    if instrument.foreign_basis is None or instrument.type not in FOREIGN_ROUTE_INSTRUMENTS:
        return [Problem("foreign_requires_us_instrument", "instrument.foreign_basis",
                        "a foreign government receives data only through a U.S. instrument obtained under "
                        "18 U.S.C. 3512 or an order under a CLOUD Act executive agreement (18 U.S.C. 2523); "
                        "an MLAT request alone is not legal process")]
    listed = {code.upper() for code in policy.document.legal.cloud_act_countries}
    if instrument.foreign_basis == "cloud_act" and (instrument.country or "").upper() not in listed:
        return [Problem("cloud_act_country_not_listed", "instrument.country",
                        f"{instrument.country or 'the country'} has no CLOUD Act executive agreement the policy "
                        "recognises; ask through a U.S. instrument under 18 U.S.C. 3512")]
    return []


def _emergency_gates(request: LegalRequest, policy: CompiledPolicy) -> list[Problem]:
    instrument = request.instrument.type
    if instrument in JUDICIAL or (instrument == "emergency_form" and emergency_stated(request, policy)):
        return []  # an order without a basis still reaches what the order reaches (class_problem)
    return [Problem("emergency_not_qualified", "emergency",
                    "an emergency request needs the emergency form (or a court order or warrant) and a stated "
                    "basis attesting imminent danger of death or serious physical injury")]


def class_problem(request: LegalRequest, policy: CompiledPolicy, record_class: str,
                  field: str = "record_classes") -> Problem | None:
    """Why the request's process cannot reach `record_class` once the gates passed, or None."""
    if record_class not in RECORD_CLASSES:
        return Problem("record_class_unknown", field, f"unknown record class {record_class!r}")
    if request.kind == "preservation":
        return None  # preserving is not disclosing
    foreign = request.requester.type == "foreign_government"
    column = GOVERNMENT if foreign else (request.requester.type or GOVERNMENT)
    if foreign and policy.process_needed("foreign_government", record_class) == NEVER:
        return _not_available(record_class, "foreign_government", field)
    if request.kind == "emergency" and emergency_stated(request, policy):
        if policy.process_needed(column, record_class) == NEVER:
            return _not_available(record_class, column, field)
        return None  # 2702(c)(4): the emergency reaches any record the policy does not withhold
    return _instrument_problem(request.instrument.type, column, record_class, policy, field)


def _instrument_problem(instrument: str | None, requester_type: str, record_class: str, policy: CompiledPolicy,
                        field: str) -> Problem | None:
    if instrument is None or instrument == "none":
        return Problem("missing_field", "instrument.type", "a data request needs formal legal process")
    if instrument in PROSPECTIVE:
        return Problem("prospective_order", field, f"a {instrument.replace('_', ' ')} is prospective: it reaches "
                       "no stored record, and the provider holds no real-time interception capability")
    needed = policy.process_needed(requester_type, record_class)
    if needed == NEVER:
        return _not_available(record_class, requester_type, field)
    if instrument == "national_security_letter" and record_class not in NSL_CLASSES:
        return Problem("instrument_insufficient", field, f"a national security letter reaches only subscriber "
                       f"information and toll billing records (18 U.S.C. 2709), not {record_class}")
    if instrument == "fisa_order" and record_class in CONTENT_CLASSES:
        return Problem("instrument_insufficient", field, f"a FISA business records order never reaches content "
                       f"({record_class}): content needs a search warrant")
    if process_rank(RANKS_AS.get(instrument, instrument)) < process_rank(needed):
        return Problem("instrument_insufficient", field, f"{record_class} needs at least a {needed}, not a "
                       f"{instrument}")
    return None


def _not_available(record_class: str, requester_type: str, field: str) -> Problem:
    return Problem("record_class_not_available", field,
                   f"{record_class} is never disclosed to {requester_type} requesters")


def reach_problem(request: LegalRequest, policy: CompiledPolicy, record_class: str) -> Problem | None:
    """Why the request cannot receive `record_class`, or None when it can (review uses this)."""
    if customer_route(request) is not None:
        return Problem("customer_requests", "requester.type",
                       "a customer's own request goes to the customer data-request process, never the legal desk")
    gates = gate_problems(request, policy)
    return gates[0] if gates else class_problem(request, policy, record_class)


def prospective_answer(instrument: str | None, provider: str) -> str | None:
    """The desk's answer to a pen register or wiretap order (18 U.S.C. 3123, 2518), or None for other process."""
    if instrument not in PROSPECTIVE:
        return None
    what = ("a pen register or trap and trace device (18 U.S.C. 3123)" if instrument == "pen_register_order"
            else "an interception of communications (18 U.S.C. 2518)")
    return (f"{provider} has recorded the order. {provider} holds no real-time interception capability and "
            f"cannot install {what}; the order is prospective and reaches no stored record, so nothing is "
            "produced under it. Any cost is billed at actual cost under the fee schedule.")
