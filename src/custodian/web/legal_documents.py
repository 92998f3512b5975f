"""Legal desk documents rendered as HTML: the invoice (its PDF twin is legal/documents.invoice_pdf)."""

from __future__ import annotations

from typing import Any

from custodian.legal.fees import dollars
from custodian.legal.invoices import Invoice
from custodian.policy.compiled import CompiledPolicy
from custodian.web.rendering import templates

PAYMENT_NOTE = ("Please indicate the invoice number on your payment. Delivery of the records may be withheld "
                "until payment is received.")


def invoice_rows(invoice: Invoice, policy: CompiledPolicy) -> list[tuple[str, str, str, str]]:
    """(description, quantity, unit price, amount) per line, described from the fee schedule."""
    items = {fee.code: fee.item for fee in policy.document.legal.fees}
    rows = []
    for line in invoice.lines:
        code, _, kind = line.code.partition(".")
        label = items.get(code, code) + (f" ({kind.replace('_', ' ')})" if kind else "")
        rows.append((label, str(line.quantity), dollars(line.unit_cents), dollars(line.amount_cents)))
    return rows


def invoice_context(invoice: Invoice, policy: CompiledPolicy, tracking_number: str) -> dict[str, Any]:
    """What the invoice template shows (standalone or inside the console)."""
    return {"invoice": invoice, "provider": policy.document.provider.name, "tracking_number": tracking_number,
            "lines": invoice_rows(invoice, policy), "total": dollars(invoice.total_cents),
            "paid": dollars(invoice.paid_cents), "note": PAYMENT_NOTE}


def render_invoice_html(invoice: Invoice, policy: CompiledPolicy, tracking_number: str) -> str:
    """The invoice as a standalone HTML document."""
    return templates.env.get_template("legal/invoice.html").render(invoice_context(invoice, policy, tracking_number))


def bar_chart_svg(counts: dict[str, int], title: str) -> str:
    """A horizontal bar chart as inline SVG (no script, no CDN): one labelled bar per key."""
    from html import escape

    width, bar_height, label_width = 520, 22, 150
    peak = max(counts.values(), default=0) or 1
    height = bar_height * max(len(counts), 1) + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
             f'width="{width}" height="{height}" viewBox="0 0 {width} {height}"><title>{escape(title)}</title>']
    for index, (name, count) in enumerate(counts.items()):
        y = 5 + index * bar_height
        length = round((width - label_width - 50) * count / peak)
        parts.append(f'<text x="0" y="{y + 15}">{escape(name.replace("_", " "))}</text>'
                     f'<rect x="{label_width}" y="{y + 3}" width="{length}" height="{bar_height - 6}" fill="#2f7cc4"/>'
                     f'<text x="{label_width + length + 6}" y="{y + 15}">{count}</text>')
    parts.append("</svg>")
    return "".join(parts)


def transparency_context(report: dict[str, object]) -> dict[str, Any]:
    """What the transparency report template shows (standalone or inside the console)."""
    by_type = report["by_requester_type"]
    assert isinstance(by_type, dict)
    figures = ("accounts_specified", "accounts_produced", "content_requests", "non_content_requests",
               "preservation_requests", "emergency_requests", "nondisclosure_orders", "customer_notices_sent")
    sections = (("Requests by legal process", "by_instrument"), ("Outcomes", "outcomes"),
                ("National security process (in bands, 50 U.S.C. 1874(a))", "national_security"))
    return {"r": report, "chart": bar_chart_svg(by_type, "Requests by requester type"), "sections": sections,
            "figures": figures}


def render_transparency_html(report: dict[str, object]) -> str:
    """The transparency report as a standalone HTML page with an inline SVG chart."""
    return templates.env.get_template("legal/transparency.html").render(transparency_context(report))
