"""The policy's `abuse:` settings: optional, defaulting to the 99th percentile, and checked."""

from __future__ import annotations

from custodian.policy.check import check_text
from tests.builders.abuse import spectrumvoip_text


def problems(abuse: str) -> list[str]:
    result = check_text(spectrumvoip_text(abuse))
    return [problem.message for problem in result.problems]


def test_without_an_abuse_section_the_threshold_is_the_99th_percentile_over_30_days() -> None:
    result = check_text(spectrumvoip_text("abuse: {}\n"))
    assert result.document is not None
    settings = result.document.abuse
    assert (settings.threshold_percentile, settings.window_days, settings.topic, settings.blocks_reversible,
            settings.campaign_max_numbers) == (99, 30, "abuse", True, 49)


def test_a_threshold_outside_50_to_100_is_refused() -> None:
    assert problems("abuse:\n  threshold_percentile: 100\n")
    assert problems("abuse:\n  threshold_percentile: 40\n")
    assert problems("abuse:\n  threshold_percentile: 95\n") == []


def test_more_than_49_numbers_per_campaign_is_refused() -> None:
    assert problems("abuse:\n  campaign_max_numbers: 50\n")


def test_the_desks_topic_must_be_a_staff_topic() -> None:
    assert any("topic 'fraud' is not in staff.topics" in p for p in problems("abuse:\n  topic: fraud\n"))
