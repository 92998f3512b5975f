"""The officer's chart of disclosures (issue 17 §3): one bar per month, the accounts disclosed that month by every
recipient together, drawn as inline SVG (no script, no CDN). The table beside it is its text alternative and holds
the figures per recipient and purpose. Pure."""

from __future__ import annotations

from html import escape

from custodian.disclosures.accounting import MonthlyTotals

WIDTH = 720
HEIGHT = 240
LEFT = 48
BOTTOM = 40
TOP = 20


def month_label(month: str) -> str:
    """ "2026-03" as "Mar 2026"."""
    names = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    return f"{names[int(month[5:]) - 1]} {month[:4]}"


def totals_svg(totals: MonthlyTotals, table_id: str) -> str:
    """The bar chart; `aria-describedby` points at the table that states the same figures."""
    values = totals.accounts_per_month()
    top = max(values, default=0) or 1
    slot = (WIDTH - LEFT - 10) / max(len(values), 1)
    plot = HEIGHT - TOP - BOTTOM
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="totals-chart" role="img" viewBox="0 0 {WIDTH} '
             f'{HEIGHT}" width="100%" aria-labelledby="totals-title" aria-describedby="{escape(table_id)}">',
             '<title id="totals-title">Accounts disclosed per month, last twelve months, every recipient together'
             '</title>',
             f'<line class="totals-chart__axis" x1="{LEFT}" y1="{TOP + plot}" x2="{WIDTH - 10}" y2="{TOP + plot}"/>',
             f'<text class="totals-chart__scale" x="{LEFT - 6}" y="{TOP + 4}" text-anchor="end">{top}</text>',
             f'<text class="totals-chart__scale" x="{LEFT - 6}" y="{TOP + plot}" text-anchor="end">0</text>']
    for i, (month, value) in enumerate(zip(totals.months, values, strict=True)):
        height = round(plot * value / top)
        x = LEFT + i * slot + slot * 0.15
        label = month_label(month)
        parts.append(f'<g><title>{label}: {value} accounts</title><rect class="totals-chart__bar" x="{x:.1f}" '
                     f'y="{TOP + plot - height}" width="{slot * 0.7:.1f}" height="{height}"/>'
                     f'<text x="{x + slot * 0.35:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">'
                     f'{label[:3]}</text><text x="{x + slot * 0.35:.1f}" y="{HEIGHT - BOTTOM + 30}" '
                     f'text-anchor="middle" class="totals-chart__scale">{label[4:]}</text></g>')
    parts.append("</svg>")
    return "".join(parts)
