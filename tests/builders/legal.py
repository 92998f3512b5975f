"""Builders for legal requests: valid documents under the SpectrumVoIP policy, changed one field at a time."""

from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path
from typing import Any

from custodian.legal.types import LegalRequest
from custodian.policy.check import check_file
from custodian.policy.compiled import CompiledPolicy, compile_policy

SPECTRUMVOIP = Path(__file__).resolve().parents[2] / "examples" / "policies" / "002-spectrumvoip.yaml"

LAW_ENFORCEMENT: dict[str, Any] = {
    "kind": "data",
    "received_on": "2026-03-02",
    "requester": {
        "type": "law_enforcement", "agency": "Plano Police Department", "agent_name": "Det. Ana Ruiz",
        "badge_number": "4471", "email": "aruiz@plano.gov", "phone": "+1 972 555 0142", "phone_extension": "12",
        "mailing_address": {"street": "909 E 14th St", "city": "Plano", "state": "TX", "postal_code": "75074",
                            "country": "US"},
    },
    "instrument": {"type": "court_order_2703d", "jurisdiction": "US-TX", "case_number": "26-0042",
                   "issued_by": "Collin County District Court", "issued_on": "2026-02-27"},
    "service": {"channel": "email", "requires_testimony": False},
    "targets": [{"phone_number": "+1 512 555 0100"}],
    "date_range": {"from": "2026-01-01", "to": "2026-02-28"},
    "record_classes": ["subscriber.basic", "cpni.call_log"],
    "requested_response_on": "2026-03-20",
    "expedite": False,
}

CIVIL: dict[str, Any] = {
    "kind": "data",
    "received_on": "2026-03-02",
    "requester": {
        "type": "civil", "party_name": "Acme Corp", "counsel_name": "Jo Lee", "counsel_bar_number": "NY-5521",
        "counsel_bar_state": "NY", "local_counsel_name": "Sam Ortiz", "local_counsel_texas_bar_number": "24012345",
        "phone": "+1 214 555 0199", "email": "jlee@leelaw.com",
        "mailing_address": {"street": "100 Main St Ste 4", "city": "Dallas", "state": "TX", "postal_code": "75201"},
    },
    "instrument": {"type": "subpoena", "jurisdiction": "US-TX", "case_number": "DC-26-1"},
    "service": {"channel": "personal"},
    "targets": [{"account_ref": "ACC-1"}],
    "date_range": {"from": "2026-01-10", "to": "2026-02-10"},
    "record_classes": ["subscriber.basic", "billing.transactions"],
    "requested_response_on": "2026-04-01",
}


def a_request(base: dict[str, Any] = LAW_ENFORCEMENT, **changes: Any) -> LegalRequest:
    """`base` with dotted-path changes applied (`requester.email="x"`; None deletes the key)."""
    data = copy.deepcopy(base)
    for dotted, value in changes.items():
        *parents, last = dotted.split("__")
        node = data
        for part in parents:
            node = node.setdefault(part, {})
        if value is None:
            node.pop(last, None)
        else:
            node[last] = value
    return LegalRequest.model_validate(data)


@lru_cache(maxsize=1)
def spectrumvoip_with_privacy_requests(lines: str) -> str:
    """The SpectrumVoIP policy text with `lines` (YAML indented two spaces) added to its privacy_requests section."""
    text = SPECTRUMVOIP.read_text(encoding="utf-8")
    assert "\nprivacy_requests:\n" in text
    return text.replace("\nprivacy_requests:\n", "\nprivacy_requests:\n" + lines, 1)


def spectrumvoip() -> CompiledPolicy:
    """The SpectrumVoIP example policy, compiled."""
    result = check_file(SPECTRUMVOIP)
    assert result.document is not None
    return compile_policy(result.document, SPECTRUMVOIP.read_text(encoding="utf-8"))


def activate_spectrumvoip(conn: object, now: object) -> None:
    """Put the SpectrumVoIP policy in force on `conn`."""
    from datetime import UTC, datetime

    from custodian.policy import store as policy_store

    policy_store.activate(conn, SPECTRUMVOIP.read_text(encoding="utf-8"), actor="test",  # type: ignore[arg-type]
                          effective_at=datetime(2020, 1, 1, tzinfo=UTC), now=now)  # type: ignore[arg-type]
