"""The dashboard's pure parts (issue 18 §4): the retention alarm, the twelve months, the certificate's deadline
and the charts drawn as inline SVG."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from custodian.compliance.dashboard import (
    Chart,
    Deadline,
    certification_deadline,
    chart_svg,
    in_order,
    last_months,
    retention_alarm,
)

NOW = datetime(2026, 12, 5, 9, tzinfo=UTC)


def test_retention_is_overdue_for_closed_accounts_past_their_purge_deadline() -> None:
    assert retention_alarm(NOW - timedelta(hours=2), 3, NOW) == ["3 closed accounts are past the purge deadline"]
    assert retention_alarm(NOW - timedelta(hours=2), 1, NOW) == ["1 closed account is past the purge deadline"]


def test_retention_is_overdue_when_the_schedule_has_not_run_in_the_last_day() -> None:
    assert retention_alarm(NOW - timedelta(hours=23), 0, NOW) == []
    assert retention_alarm(NOW - timedelta(hours=25), 0, NOW) == [
        "the retention schedule last ran 2026-12-04, more than a day ago"]
    assert retention_alarm(None, 0, NOW) == ["the retention schedule has never run"]


def test_the_window_is_the_last_twelve_months_across_the_new_year() -> None:
    months = last_months(date(2026, 3, 15))
    assert (months[0], months[-1], len(months)) == ("2025-04", "2026-03", 12)
    assert "2026-01" in months and "2025-12" in months


def test_the_certificate_is_due_march_first_for_last_year_and_done_once_generated() -> None:
    """47 CFR 64.2009(e): "filed ... on or before March 1 in EB Docket No. 06-36, for data pertaining to the
    previous calendar year"."""
    due = certification_deadline(date(2027, 1, 10), None)
    assert (due.reference, due.due, due.done) == ("Calendar year 2026", date(2027, 3, 1), False)
    done = certification_deadline(date(2027, 2, 10), datetime(2027, 2, 9, tzinfo=UTC))
    assert done.done and done.what == "generated 2027-02-09"


def test_open_deadlines_come_soonest_first_and_done_ones_last() -> None:
    late, soon, done = (Deadline("Legal request", "LR-1", date(2026, 12, 20), "answer", "/l"),
                        Deadline("Breach clock", "BR-1", date(2026, 12, 7), "tell", "/b"),
                        Deadline("CPNI certification", "2025", date(2026, 3, 1), "", "", done=True))
    assert in_order([done, late, soon]) == [soon, late, done]
    assert soon.days_left(date(2026, 12, 5)) == 2 and late.days_left(date(2026, 12, 21)) == -1


def test_a_chart_is_inline_svg_with_a_title_and_its_labels_escaped() -> None:
    chart = Chart("chart-x", "Requests <by kind>", ("2026-11", "2026-12"), {"A & B": [2, 0], "C": [1, 3]})
    svg = chart_svg(chart)
    assert svg.startswith('<svg class="chart"') and 'role="img"' in svg and 'aria-labelledby="chart-x-title"' in svg
    assert "<title id=\"chart-x-title\">Requests &lt;by kind&gt;</title>" in svg
    assert "2026-12, C: 3" in svg and "A &amp; B: 2" in svg and "<script" not in svg
    assert svg.count("<rect") == 3  # zero values draw nothing
    assert ">Nov<" in svg and ">Dec<" in svg
    assert Chart("e", "Empty", ("a",), {"x": [0]}).empty
