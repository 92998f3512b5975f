"""Letters the desk sends: the deficiency letter listing what a request lacks (DRG V: "SpectrumVoIP
cannot reasonably consider a Data Request unless it includes at least the following information")."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from custodian.legal.validate import Problem


def deficiency_letter(provider: str, tracking_number: str, received_on: date, problems: Sequence[Problem]) -> str:
    """A plain-text letter listing every problem with its field, for the requester to correct."""
    lines = [
        f"{provider} — Legal request {tracking_number}",
        "",
        f"We received your request on {received_on.isoformat()}. We cannot consider it until the following",
        "is corrected. Please resubmit the request with these points addressed:",
        "",
    ]
    lines += [f"  {index}. {problem.field}: {problem.message} [{problem.code}]"
              for index, problem in enumerate(problems, start=1)]
    lines += ["", "Your tracking number stays the same; quote it in any correspondence.", ""]
    return "\n".join(lines)
