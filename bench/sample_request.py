"""One valid law-enforcement data request under the SpectrumVoIP policy, shared by the benchmarks that submit or
validate it (bench/cli_startup.py, bench/web_load.py)."""

from __future__ import annotations

from typing import Any


def law_enforcement_request(**changes: Any) -> dict[str, Any]:
    """A court order (2703(d)) for one number's subscriber details and call log over two months."""
    request: dict[str, Any] = {
        "kind": "data",
        "requester": {"type": "law_enforcement", "agency": "Plano Police Department", "agent_name": "Det. Ana Ruiz",
                      "badge_number": "4471", "email": "aruiz@plano.gov", "phone": "+1 972 555 0142",
                      "phone_extension": "12",
                      "mailing_address": {"street": "909 E 14th St", "city": "Plano", "state": "TX",
                                          "postal_code": "75074", "country": "US"}},
        "instrument": {"type": "court_order_2703d", "jurisdiction": "US-TX", "case_number": "26-0042",
                       "issued_by": "Collin County District Court", "issued_on": "2026-02-27"},
        "service": {"channel": "email", "requires_testimony": False},
        "targets": [{"phone_number": "+1 512 555 0100"}],
        "date_range": {"from": "2026-01-01", "to": "2026-02-28"},
        "record_classes": ["subscriber.basic", "cpni.call_log"],
    }
    request.update(changes)
    return request
