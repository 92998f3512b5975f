"""The time window and pages of the record lists on a ticket or break-glass page, from the page's query
(`from`, `to` as dates in the staff member's zone, both days included; `page-<record class>`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from urllib.parse import urlencode

from custodian.access.sections import RowWindow
from custodian.kernel.timeparse import zone

PAGE_PREFIX = "page-"


@dataclass(frozen=True)
class WindowForm:
    """The window asked for, the dates as typed, and what was wrong with them."""

    window: RowWindow
    start_text: str
    end_text: str
    problem: str
    params: tuple[tuple[str, str], ...]

    def page_link(self, record_class: str, page: int) -> str:
        """The query string showing `page` of one class's list, keeping the window and the other pages."""
        kept = [(k, v) for k, v in self.params if k != PAGE_PREFIX + record_class]
        return "?" + urlencode(kept + ([(PAGE_PREFIX + record_class, str(page))] if page > 1 else []))


def window_form(params: Mapping[str, str], zone_name: str) -> WindowForm:
    """Read the window from a page's parameters; a bad date is reported and left out of the window."""
    where = zone(zone_name or "UTC")
    start_text, end_text = params.get("from", "").strip()[:10], params.get("to", "").strip()[:10]
    problems: list[str] = []
    start = _day_start(start_text, where, problems, "from")
    end_day = _day_start(end_text, where, problems, "to")
    end = end_day + timedelta(days=1) if end_day else None
    if start and end and start >= end:
        problems.append("to: the window ends before it starts")
        start = end = None
    pages = {k[len(PAGE_PREFIX):]: int(v) for k, v in params.items()
             if k.startswith(PAGE_PREFIX) and v.isdigit() and 0 < int(v) < 100_000}
    kept = tuple((k, v) for k, v in (("from", start_text), ("to", end_text)) if v) + tuple(
        (PAGE_PREFIX + name, str(page)) for name, page in sorted(pages.items()))
    return WindowForm(RowWindow(start, end, pages), start_text, end_text, "; ".join(problems), kept)


def _day_start(text: str, where: tzinfo, problems: list[str], name: str) -> datetime | None:
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
        return datetime.combine(day, time(0, 0), tzinfo=where)
    except ValueError:
        problems.append(f"{name}: not a date (YYYY-MM-DD)")
        return None
