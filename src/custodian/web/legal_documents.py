"""Legal desk documents rendered as HTML: the invoice (its PDF twin is legal/documents.invoice_pdf)."""

from __future__ import annotations

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


def render_invoice_html(invoice: Invoice, policy: CompiledPolicy, tracking_number: str) -> str:
    """The invoice as a standalone HTML document."""
    return templates.env.get_template("legal/invoice.html").render(
        invoice=invoice, provider=policy.document.provider.name, tracking_number=tracking_number,
        lines=invoice_rows(invoice, policy), total=dollars(invoice.total_cents), paid=dollars(invoice.paid_cents),
        note=PAYMENT_NOTE)
