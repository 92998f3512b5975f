"""Usage profiles against their peers (pure): 002 P104, "SpectrumVoIP evaluates Customer usage in comparison to
typical levels of permissible usage engaged in by SpectrumVoIP's customers".

An account's profile is its calls, minutes and messages per day over the window. Its peers are the accounts of the
same kind (residential, business) and size band (how many numbers it holds). The typical level of a metric is the
policy's percentile of the peer group, by the nearest-rank method: at most (100 - p)% of a group can be above it,
so a group of fewer than 100 / (100 - p) accounts flags no one. A group smaller than `min_peer_group` is not
compared at all. Only counts: no content, no counterpart.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

METRICS = ("calls", "minutes", "messages")
SIZE_BANDS = ((1, "1 number"), (5, "2-5 numbers"), (20, "6-20 numbers"), (100, "21-100 numbers"))
LARGEST_BAND = "over 100 numbers"


@dataclass(frozen=True)
class Usage:
    """One account's totals over the window, as the store aggregates them."""

    account_id: int
    kind: str
    numbers: int
    calls: int
    seconds: int
    messages: int

    def per_day(self, window_days: int) -> dict[str, float]:
        """Calls, minutes and messages per day."""
        return {"calls": self.calls / window_days, "minutes": self.seconds / 60 / window_days,
                "messages": self.messages / window_days}


@dataclass(frozen=True)
class Figure:
    """One metric of a flagged account: its level, its peers' typical level (the threshold) and their median."""

    metric: str
    per_day: float
    threshold: float
    median: float

    @property
    def above(self) -> bool:
        """Above the typical level of its peers."""
        return self.per_day > self.threshold


@dataclass(frozen=True)
class Finding:
    """An account above its peers on at least one metric, with every figure (above or not)."""

    account_id: int
    kind: str
    band: str
    peers: int
    figures: tuple[Figure, ...]

    @property
    def metrics_above(self) -> tuple[str, ...]:
        """The metrics on which it is above its peers."""
        return tuple(figure.metric for figure in self.figures if figure.above)


def size_band(numbers: int) -> str:
    """The size band of an account holding `numbers` numbers (none counts as one)."""
    for most, label in SIZE_BANDS:
        if numbers <= most:
            return label
    return LARGEST_BAND


def nearest_rank(values: Sequence[float], percentile: float) -> float:
    """The p-th percentile of `values` by the nearest-rank method (the smallest value with at least p% at or below
    it)."""
    if not values or not 0 < percentile <= 100:
        raise ValueError("a percentile of no values, or outside (0, 100]")
    ordered = sorted(values)
    return ordered[max(1, math.ceil(percentile / 100 * len(ordered))) - 1]


def find_outliers(usages: Iterable[Usage], *, percentile: float, window_days: int,
                  min_peer_group: int) -> tuple[list[Finding], int]:
    """The accounts above their peer group's typical level on some metric, and how many accounts were in groups too
    small to compare."""
    groups: dict[tuple[str, str], list[Usage]] = {}
    for usage in usages:
        groups.setdefault((usage.kind, size_band(usage.numbers)), []).append(usage)
    findings: list[Finding] = []
    uncompared = 0
    for (kind, band), members in sorted(groups.items()):
        if len(members) < min_peer_group:
            uncompared += len(members)
            continue
        levels = [member.per_day(window_days) for member in members]
        typical = {metric: (nearest_rank([level[metric] for level in levels], percentile),
                            nearest_rank([level[metric] for level in levels], 50)) for metric in METRICS}
        for member, level in zip(members, levels, strict=True):
            figures = tuple(Figure(metric, level[metric], *typical[metric]) for metric in METRICS)
            if any(figure.above for figure in figures):
                findings.append(Finding(member.account_id, kind, band, len(members), figures))
    return sorted(findings, key=lambda finding: finding.account_id), uncompared
