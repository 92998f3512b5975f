"""The privacy officer's dashboard, pure (issue 18 §4): every deadline in one list, the retention alarm, the
last twelve months, and charts drawn as inline SVG (no scripts, no external resources), each with its figures
as a table for assistive technology. Counts, references and dates only: no subscriber data."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from html import escape

RUN_EVERY = timedelta(days=1)  # the retention schedule runs at least daily (cron)
PALETTE = ("#2563eb", "#d97706", "#059669", "#dc2626", "#7c3aed", "#0891b2", "#65a30d", "#db2777")


@dataclass(frozen=True)
class Deadline:
    """One deadline of any desk: what is due, by when, and where to act on it."""

    kind: str  # people-facing: "Privacy request", "Legal request", "Breach clock", ...
    reference: str
    due: date
    what: str
    href: str
    done: bool = False

    def days_left(self, today: date) -> int:
        """Days from `today` to the day due (negative: overdue)."""
        return (self.due - today).days


def in_order(deadlines: Iterable[Deadline]) -> list[Deadline]:
    """Open deadlines soonest first, then the done ones."""
    return sorted(deadlines, key=lambda d: (d.done, d.due, d.kind, d.reference))


def certification_deadline(today: date, generated_at: datetime | None) -> Deadline:
    """The CPNI certificate for last year is due March 1 (47 CFR 64.2009(e)); done once it is generated."""
    year = today.year - 1
    return Deadline("CPNI certification", f"Calendar year {year}", date(year + 1, 3, 1),
                    f"generated {generated_at.date().isoformat()}" if generated_at else
                    f"file with the FCC in EB Docket No. 06-36: custodian compliance cpni-certification --year {year}",
                    "/console/officer/cpni-registers", done=generated_at is not None)


def retention_alarm(last_finished: datetime | None, overdue_accounts: int, now: datetime) -> list[str]:
    """Why retention is overdue, in words (empty: it is not): closed accounts past their purge deadline, or
    the schedule not run in the last day."""
    found = []
    if overdue_accounts:
        found.append(f"{overdue_accounts} closed account{'s are' if overdue_accounts != 1 else ' is'} past the "
                     "purge deadline")
    if last_finished is None:
        found.append("the retention schedule has never run")
    elif now - last_finished > RUN_EVERY:
        found.append(f"the retention schedule last ran {last_finished.date().isoformat()}, more than a day ago")
    return found


def last_months(today: date, count: int = 12) -> list[str]:
    """The last `count` months as YYYY-MM, oldest first, ending with this month."""
    months, year, month = [], today.year, today.month
    for _ in range(count):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def first_of_window(today: date, count: int = 12) -> date:
    """The first day of the oldest month of the window."""
    first = last_months(today, count)[0]
    return date(int(first[:4]), int(first[5:]), 1)


@dataclass(frozen=True)
class Chart:
    """A stacked bar chart: one bar per category, one colour per series."""

    id: str
    title: str
    categories: tuple[str, ...]
    series: Mapping[str, Sequence[int]]  # series label -> value per category
    unit: str = ""

    @property
    def empty(self) -> bool:
        """True when every value is zero."""
        return not any(v for values in self.series.values() for v in values)


def chart_svg(chart: Chart, width: int = 560, height: int = 220) -> str:
    """The chart as inline SVG, labelled by its title; the figures are in `chart_table`."""
    left, bottom, top = 40, 36, 10
    totals = [sum(values[i] for values in chart.series.values()) for i in range(len(chart.categories))]
    peak = max(totals, default=0) or 1
    plot_h = height - bottom - top
    step = (width - left - 8) / max(len(chart.categories), 1)
    bar = min(max(step * 0.7, 2), 48)
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
             f'aria-labelledby="{chart.id}-title" focusable="false" xmlns="http://www.w3.org/2000/svg">',
             f'<title id="{chart.id}-title">{escape(chart.title)}</title>',
             f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 4}" y2="{top + plot_h}" class="chart__axis" '
             'stroke="currentColor" stroke-opacity="0.4"/>',
             f'<text x="{left - 6}" y="{top + 10}" text-anchor="end" font-size="11" fill="currentColor">{peak}</text>',
             f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end" font-size="11" fill="currentColor">0</text>']
    for i, category in enumerate(chart.categories):
        x, y = left + i * step + (step - bar) / 2, float(top + plot_h)
        for n, (label, values) in enumerate(chart.series.items()):
            if values[i]:
                h = values[i] / peak * plot_h
                y -= h
                parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                             f'fill="{PALETTE[n % len(PALETTE)]}"><title>{escape(category)}, {escape(label)}: '
                             f'{values[i]}{escape(chart.unit)}</title></rect>')
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{height - bottom + 14}" text-anchor="middle" font-size="10" '
                     f'fill="currentColor">{escape(_short(category))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def legend(chart: Chart) -> list[tuple[str, str]]:
    """(colour, series label) for the chart's legend."""
    return [(PALETTE[n % len(PALETTE)], label) for n, label in enumerate(chart.series)]


def _short(category: str) -> str:
    if len(category) == 7 and category[4] == "-":  # YYYY-MM: the month's abbreviation
        return date(int(category[:4]), int(category[5:]), 1).strftime("%b")
    return category if len(category) <= 14 else category[:13] + "…"
