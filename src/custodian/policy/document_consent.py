"""The policy file's consent section (schema version 1, continued from document.py).

`opt_out_business_days` is how long the provider gives itself to honour an opt-out in every marketing tool
(issue 16 §3, "opt-outs are honoured within the policy's limit"). The default, 10 business days, is the
CAN-SPAM Act's limit for e-mail (15 U.S.C. 7704(a)(4)(A)); a stricter provider sets fewer. Custodian puts an
opt-out in every suppression list from the moment it is recorded; the limit says by when each marketing tool
must have pulled a list that carries it.
"""

from __future__ import annotations

from pydantic import Field

from custodian.policy.strict import Strict

DEFAULT_OPT_OUT_BUSINESS_DAYS = 10


class ConsentSettings(Strict):
    """How the provider honours choices."""

    opt_out_business_days: int = Field(default=DEFAULT_OPT_OUT_BUSINESS_DAYS, ge=1, le=30)
