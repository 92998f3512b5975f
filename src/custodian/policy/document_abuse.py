"""The abuse desk's settings (issue 17 §6): when usage is far enough above its peers' to reach the analyst's queue,
the ticket topic the desk works on, and which of its actions may be undone."""

from __future__ import annotations

from pydantic import Field

from custodian.policy.strict import Strict


class AbuseDesk(Strict):
    """`abuse:` in the policy; every field optional (002 P104: usage "in comparison to typical levels")."""

    threshold_percentile: float = Field(default=99, gt=50, lt=100)  # above this percentile of the peer group
    window_days: int = Field(default=30, ge=1, le=366)  # the usage profile's window, ending now
    min_peer_group: int = Field(default=10, ge=2, le=10000)  # a smaller peer group is not compared
    topic: str = "abuse"  # the ticket topic the desk works on (one of staff.topics)
    blocks_reversible: bool = True  # a number block may be lifted
    campaign_max_numbers: int = Field(default=49, ge=1, le=49)  # 10DLC: at most 49 numbers per campaign
