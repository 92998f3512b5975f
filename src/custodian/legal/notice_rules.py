"""When the customer named in a legal request is told, when production may start, and when delivery waits
for payment (SpectrumVoIP Data Request Guidelines VIII and IV; 18 U.S.C. 2702(b)(8), 2705(b), 2706, 2709(c)).

DRG VIII: "SpectrumVoIP's notifies its customers of Data Requests unless precluded from doing so by law or court
order. ... When a Data Request is accompanied by a nondisclosure order, SpectrumVoIP will notify the affected
customer(s) as soon as the order is overturned or expires."

Pure: no I/O; `today` is passed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

Occasion = Literal["accepted", "delivered", "order_ended"]
OPEN_OUTCOMES = ("pending", "failed")


def notified_on_acceptance(kind: str) -> bool:
    """A data request names its customers when the desk accepts it for review; they are told then.

    An emergency disclosure (18 U.S.C. 2702(b)(8)) is made before anyone could be told, and the statute gives
    the customer no prior notice: its customers are told after delivery. A preservation letter (2703(f))
    discloses nothing; the customer is told of the data request that follows it.
    """
    return kind == "data"


def notified_after_delivery(kind: str) -> bool:
    """Emergencies are notified after the disclosure, as 2702(b)(8) allows."""
    return kind == "emergency"


def gag_in_force(gagged_today: bool, lifted_on: date | None, today: date) -> bool:
    """A nondisclosure order (2705(b)) or NSL gag (2709(c)) binds until it expires or is lifted/overturned.

    `gagged_today` comes from LegalRequest.gagged_on (which knows the order's expiry and the instrument's own
    gag); `lifted_on` is the day the desk recorded the order lifted or overturned ("as soon as the order is
    overturned or expires").
    """
    return gagged_today and not (lifted_on is not None and lifted_on <= today)


def waits_for_objection(requester_type: str) -> bool:
    """Only civil process waits the objection period after the customer notice.

    A civil subpoena is answered only after the customer had time to move to quash it (the customer is the real
    party in interest and no statute compels the provider to produce before a court rules). Governmental
    compulsory process does not wait: the SCA puts any notice duty on the governmental entity (2703(b)(1)(B),
    2705), 2703(c)(3) says the entity "is not required to provide notice to a subscriber or customer", and the
    customer's challenge runs against the government (2704(b)), not against the provider's compliance.
    """
    return requester_type == "civil"


@dataclass(frozen=True)
class NoticeState:
    """One customer's notice of a request: its outcome and the day the mail server accepted it."""

    outcome: str
    sent_on: date | None


def production_starts_on(notices: list[NoticeState], objection_days: int) -> date | None:
    """The first day a civil production may start: `objection_days` after the last notice was sent.

    None when no customer is told (withheld by the policy or an order): there is no objection period to wait.
    """
    sent = [n.sent_on for n in notices if n.outcome == "sent" and n.sent_on is not None]
    return max(sent) + timedelta(days=objection_days) if sent else None


def production_blocker(requester_type: str, notices: list[NoticeState], objection_days: int,
                       today: date) -> str | None:
    """Why a production may not start yet (civil requests only), or None."""
    if not waits_for_objection(requester_type):
        return None
    if any(n.outcome in OPEN_OUTCOMES for n in notices):
        return (f"the customer notice has not been sent yet; civil production waits {objection_days} days after it "
                "so the customer can move to quash")
    start = production_starts_on(notices, objection_days)
    if start is not None and today < start:
        return (f"the customer's objection period runs {objection_days} days after the notice: production may "
                f"start on {start.isoformat()}")
    return None


def withholds_delivery_until_paid(policy_withholds: bool, kind: str, requester_type: str) -> bool:
    """DRG IV ("to withhold delivery of information until payment is received") binds civil requests only.

    18 U.S.C. 2706 makes a governmental entity's fee a claim for reimbursement ("a governmental entity obtaining
    the contents of communications, records, or other information ... shall pay to the person or entity
    assembling or providing such information a fee for reimbursement"); it gives no right to withhold compelled
    records, and an emergency disclosure (2702(b)(8)) cannot wait for a check. Those are delivered, then invoiced.
    """
    return policy_withholds and kind == "data" and requester_type == "civil"


def notice_text(provider: str, tracking: str, account_ref: str, instrument: str, requester_type: str, *,
                occasion: Occasion, order_end: str = "", objection_until: date | None = None) -> str:
    """The customer notice: who asked (by kind), under what process, for which account, and what happens next."""
    asked = (f"a {requester_type.replace('_', ' ')} requester under a {instrument.replace('_', ' ')} for records of "
             f"your account {account_ref}")
    if occasion == "delivered":
        opening = (f"{provider} answered an emergency request ({tracking}) from {asked}. The law (18 U.S.C. "
                   "2702(b)(8)) allows such a disclosure when there is a danger of death or serious physical injury "
                   "and gives no notice before it; we are telling you now that it has been made.\n\n")
    else:
        opening = f"{provider} received a legal request ({tracking}) from {asked}.\n\n"
    if occasion == "order_ended":
        opening += (f"A nondisclosure order prevented us from telling you earlier; that order {order_end}, so we "
                    "are telling you now.\n\n")
    wait = (f"We will not produce any records before {objection_until.isoformat()}, so that you have time to seek "
            "legal advice and, if you wish, move to quash or object to the request.\n\n") if objection_until else ""
    return (opening + wait + "We are telling you so that you may seek legal advice or object to the request if you "
            "wish. Please quote the request number in any correspondence.\n")
