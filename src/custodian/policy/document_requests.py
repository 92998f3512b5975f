"""The policy file's data-subject request section (schema version 1, continued from document.py).

The deadline table answers "by when must a request of this type from this jurisdiction be answered";
its defaults are the statutes' (issue 15 §3), so a policy without the section needs no change:
- California, Virginia, Colorado, Connecticut, Texas: 45 days, extendable once by 45 with notice inside
  the first period (Cal. Civ. Code 1798.130(a)(2); Va. Code 59.1-578(B); C.R.S. 6-1-1306(2);
  Conn. Gen. Stat. 42-518(c); Tex. Bus. & Com. Code 541.052);
- opt-out of sale or sharing: 15 business days, no extension (Cal. Code Regs. tit. 11, 7026(f));
- EU members and the United Kingdom: one month from receipt, extendable by two further months (GDPR 12(3));
- Shine the Light: 30 days (Cal. Civ. Code 1798.83(b)); a copy of one's CPNI: 30 days (47 U.S.C. 222(c)(2)).
Portal corrections listed in `corrections_need_evidence` (default: a change of name) wait for staff review.
The verification table sets how many data points of the record store a requester must match per type:
more for specific pieces and deletion than for categories (Cal. Code Regs. tit. 11, 7062-7063).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from custodian.policy.strict import Strict

RequestType = Literal["access", "deletion", "correction", "opt_out", "limit_sensitive", "shine_the_light",
                      "cpni_copy", "minor_content_removal", "child_data_report"]
# ISO 3166-1 alpha-2 ("DE", or "US" for every state) or ISO 3166-2 ("US-CA").
Jurisdiction = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")]

US_STATES_45_DAYS: tuple[str, ...] = ("US-CA", "US-VA", "US-CO", "US-CT", "US-TX")
EU_AND_UK: tuple[str, ...] = ("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
                              "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "GB")
# The details a customer corrects in the portal that may be held for evidence (the e-mail of record is confirmed
# by a code sent to it instead).
EvidencedChange = Literal["name", "address", "phone"]
GDPR_RIGHTS: tuple[RequestType, ...] = ("access", "deletion", "correction", "opt_out", "limit_sensitive")


class Period(Strict):
    """A length of time: calendar days, business days (no weekends, no US federal holidays) or months."""

    days: int | None = Field(default=None, gt=0)
    business_days: int | None = Field(default=None, gt=0)
    months: int | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _exactly_one_unit(self) -> Period:
        if sum(value is not None for value in (self.days, self.business_days, self.months)) != 1:
            raise ValueError("a period is one of days, business_days or months")
        return self


class DeadlineRule(Strict):
    """How long requests of `types` from `jurisdictions` may take, and by how much once they may be extended."""

    jurisdictions: list[Jurisdiction] = Field(min_length=1)
    types: list[RequestType] = Field(min_length=1)
    period: Period
    extension: Period | None = None
    citation: str = ""

    @model_validator(mode="after")
    def _extension_in_the_same_unit(self) -> DeadlineRule:
        if self.extension is not None and _unit(self.extension) != _unit(self.period):
            raise ValueError("an extension is counted in the same unit as its period")
        return self


def _unit(period: Period) -> str:
    return "days" if period.days else "business_days" if period.business_days else "months"


def _default_deadlines() -> list[DeadlineRule]:
    states = list(US_STATES_45_DAYS)
    return [
        DeadlineRule(jurisdictions=states, types=["opt_out"], period=Period(business_days=15),
                     citation="Cal. Code Regs. tit. 11, 7026(f)"),
        DeadlineRule(jurisdictions=states, types=["access", "deletion", "correction", "limit_sensitive"],
                     period=Period(days=45), extension=Period(days=45), citation="Cal. Civ. Code 1798.130(a)(2)"),
        DeadlineRule(jurisdictions=list(EU_AND_UK), types=list(GDPR_RIGHTS), period=Period(months=1),
                     extension=Period(months=2), citation="GDPR Art. 12(3)"),
        DeadlineRule(jurisdictions=["US-CA"], types=["shine_the_light"], period=Period(days=30),
                     citation="Cal. Civ. Code 1798.83(b)"),
        DeadlineRule(jurisdictions=["US"], types=["cpni_copy"], period=Period(days=30),
                     citation="47 U.S.C. 222(c)(2)"),
    ]


def _default_matches() -> dict[RequestType, int]:
    return {"access": 2, "deletion": 3, "correction": 2, "opt_out": 1, "limit_sensitive": 1,
            "shine_the_light": 2, "cpni_copy": 3, "minor_content_removal": 2, "child_data_report": 2}


class Verification(Strict):
    """How many data points of the record store a verified requester must match (e-mail, phone, account, name+ZIP)."""

    link_valid_days: int = Field(default=7, gt=0)
    reminder_after_hours: int = Field(default=24, gt=0)
    matches_required: dict[RequestType, int] = Field(default_factory=_default_matches)
    # Access to specific pieces of information needs more than access to categories.
    specific_pieces_matches: int = Field(default=3, gt=0)


def _default_evidenced() -> list[EvidencedChange]:
    return ["name"]


class PrivacyRequests(Strict):
    """Data-subject requests: the deadline table and the verification it needs."""

    deadlines: list[DeadlineRule] = Field(default_factory=_default_deadlines, min_length=1)
    verification: Verification = Field(default_factory=Verification)
    # Portal corrections that are not applied at once but go to the staff queue as a correction request, the new
    # value sealed, until staff have seen evidence (issue 15 §2 "Correct"). Default: a change of name.
    corrections_need_evidence: list[EvidencedChange] = Field(default_factory=_default_evidenced)
    # Seed 002 P154: a customer's own data request is answered "only where required by law and after a showing
    # that such data cannot be obtained through the Admin Portal". When true, the request form asks whether the
    # portal could not give the data; an access or CPNI copy request of a customer with an online account that
    # makes no such showing is answered by pointing to the portal, unless a privacy law sets a deadline for it.
    portal_first: bool = False
