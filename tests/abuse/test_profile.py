"""Usage against its peers (pure): 002 P104, "SpectrumVoIP evaluates Customer usage in comparison to typical levels
of permissible usage engaged in by SpectrumVoIP ‘s customers"."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from custodian.abuse.profile import Usage, find_outliers, nearest_rank, size_band


def usage(account_id: int, calls: int, *, kind: str = "residential", numbers: int = 1, messages: int = 0) -> Usage:
    return Usage(account_id, kind, numbers, calls, calls * 60, messages)


def test_the_typical_level_is_the_nearest_rank_percentile() -> None:
    values = [float(v) for v in range(1, 11)]
    assert nearest_rank(values, 90) == 9.0
    assert nearest_rank(values, 50) == 5.0
    assert nearest_rank(values, 99) == 10.0
    with pytest.raises(ValueError):
        nearest_rank([], 99)


def test_the_size_band_comes_from_the_numbers_an_account_holds() -> None:
    assert [size_band(n) for n in (0, 1, 2, 5, 6, 20, 21, 100, 101)] == [
        "1 number", "1 number", "2-5 numbers", "2-5 numbers", "6-20 numbers", "6-20 numbers", "21-100 numbers",
        "21-100 numbers", "over 100 numbers"]


def test_an_account_far_above_its_peers_is_found_with_every_figure() -> None:
    peers = [usage(i, 10) for i in range(1, 10)] + [usage(10, 900)]
    [finding], uncompared = find_outliers(peers, percentile=90, window_days=30, min_peer_group=5)
    assert (finding.account_id, finding.kind, finding.band, finding.peers, uncompared) == (
        10, "residential", "1 number", 10, 0)
    assert finding.metrics_above == ("calls", "minutes")
    calls = finding.figures[0]
    assert (calls.metric, calls.per_day, calls.threshold, calls.median) == ("calls", 30.0, 10 / 30, 10 / 30)


def test_peers_are_the_same_kind_and_size_so_a_big_business_is_not_compared_with_households() -> None:
    households = [usage(i, 10) for i in range(1, 11)]
    businesses = [usage(100 + i, 900, kind="business", numbers=30) for i in range(10)]
    findings, _ = find_outliers(households + businesses, percentile=90, window_days=30, min_peer_group=5)
    assert findings == []


def test_a_peer_group_too_small_to_compare_flags_no_one_and_is_counted() -> None:
    findings, uncompared = find_outliers([usage(1, 1), usage(2, 5000)], percentile=90, window_days=30,
                                         min_peer_group=5)
    assert (findings, uncompared) == ([], 2)


def test_at_the_default_99th_percentile_a_group_of_fewer_than_100_flags_no_one() -> None:
    """Nearest rank: at most 1% of a group can be above its 99th percentile."""
    peers = [usage(i, 10) for i in range(1, 50)] + [usage(50, 10_000)]
    assert find_outliers(peers, percentile=99, window_days=30, min_peer_group=10)[0] == []
    peers = [usage(i, 10) for i in range(1, 100)] + [usage(100, 10_000)]
    assert [f.account_id for f in find_outliers(peers, percentile=99, window_days=30, min_peer_group=10)[0]] == [100]


@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=2, max_size=300),
       st.sampled_from([90.0, 95.0, 99.0]))
def test_no_metric_has_more_accounts_above_its_threshold_than_the_percentile_allows(calls: list[int],
                                                                                   percentile: float) -> None:
    findings, _ = find_outliers([usage(i, c) for i, c in enumerate(calls)], percentile=percentile, window_days=30,
                                min_peer_group=2)
    above_on_calls = sum(1 for finding in findings if "calls" in finding.metrics_above)
    assert above_on_calls <= math.floor((100 - percentile) / 100 * len(calls) + 1e-9)
