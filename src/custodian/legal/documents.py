"""PDF documents of the desk: the basic subscriber information report, the custodian of records
certification (a business-records declaration, Fed. R. Evid. 902(11)), the invoice and the deficiency letter."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from fpdf import FPDF

from custodian.legal.letters import Letter
from custodian.records.types import AccountView


def _latin(text: str) -> str:
    """Core PDF fonts speak Latin-1: other characters become '?' rather than failing the production."""
    return text.encode("latin-1", "replace").decode("latin-1")


def _pdf(title: str) -> FPDF:
    pdf = FPDF(format="Letter")
    pdf.set_creation_date(datetime(2000, 1, 1))  # reproducible bytes: the manifest hashes them
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.multi_cell(0, 8, _latin(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    pdf.ln(2)
    return pdf


def _rows(pdf: FPDF, rows: Sequence[tuple[str, str]]) -> None:
    for label, value in rows:
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(60, 6, _latin(label))
        pdf.set_font("Helvetica", "", 10)
        pdf.multi_cell(0, 6, _latin(value or "-"), new_x="LMARGIN", new_y="NEXT")


def subscriber_rows(account: AccountView) -> list[tuple[str, str]]:
    """The DRG VI.B fields: name, contact number, company, address, e-mail, signup and deactivation."""
    address = account.address
    where = ", ".join(p for p in (address.street, address.city, address.state, address.postal_code,
                                  address.country) if p) if address else ""
    return [("Account", account.ref), ("First name", account.first_name), ("Last name", account.last_name),
            ("Contact telephone", account.contact_phone), ("Company", account.company), ("Address", where),
            ("E-mail", account.email), ("Signed up", account.signup_on.isoformat() if account.signup_on else ""),
            ("Deactivated", account.closed_on.isoformat() if account.closed_on else ""), ("Status", account.status)]


def subscriber_pdf(provider: str, tracking_number: str, account: AccountView) -> bytes:
    """The basic subscriber information report of one account."""
    pdf = _pdf(f"{provider} - Basic Subscriber Information")
    _rows(pdf, [("Request", tracking_number), *subscriber_rows(account)])
    pdf.ln(4)
    pdf.multi_cell(0, 5, _latin("Customers register through an online portal; these details are as the customer "
                                "entered them and are not verified by the provider."))
    return bytes(pdf.output())


def certification_pdf(provider: str, tracking_number: str, account_ref: str, custodian_name: str,
                      files: Sequence[tuple[str, str]], signed_at: datetime) -> bytes:
    """The custodian of records declaration covering every file produced for one account."""
    pdf = _pdf(f"{provider} - Certificate of Authenticity of Business Records")
    text = (f"I, {custodian_name}, declare that I am a custodian of records of {provider}, or am otherwise "
            "qualified by my position to make this declaration. The records produced with this declaration for "
            f"account {account_ref} in response to request {tracking_number} were made at or near the time of "
            "the occurrence of the matters set forth by, or from information transmitted by, a person with "
            "knowledge of those matters; were kept in the course of regularly conducted business activity; and "
            "were made by the regularly conducted activity as a regular practice. The files are listed below "
            "with their SHA-256 digests. I declare under penalty of perjury that the foregoing is true and correct.")
    pdf.multi_cell(0, 5, _latin(text), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("Courier", "", 7)
    for name, digest in files:
        pdf.multi_cell(0, 4, _latin(f"{digest}  {name}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    pdf.ln(4)
    _rows(pdf, [("Executed on", signed_at.date().isoformat()), ("Custodian of records", custodian_name),
                ("Signature", "______________________________")])
    return bytes(pdf.output())


def invoice_pdf(provider: str, number: str, tracking_number: str, issued_at: datetime,
                lines: Sequence[tuple[str, str, str, str]], total: str, note: str) -> bytes:
    """An invoice: one row per fee line (description, quantity, unit price, amount) and the total."""
    pdf = _pdf(f"{provider} - Invoice {number}")
    _rows(pdf, [("Request", tracking_number), ("Issued", issued_at.date().isoformat())])
    pdf.ln(3)
    widths = (90, 25, 35, 35)
    pdf.set_font("Helvetica", "B", 10)
    for width, head in zip(widths, ("Fee", "Quantity", "Unit", "Amount"), strict=True):
        pdf.cell(width, 7, head, border="B")
    pdf.ln()
    pdf.set_font("Helvetica", "", 10)
    for line in lines:
        for width, cell in zip(widths, line, strict=True):
            pdf.cell(width, 6, _latin(cell))
        pdf.ln()
    pdf.set_font("Helvetica", "B", 10)
    pdf.cell(sum(widths[:3]), 8, "Total")
    pdf.cell(widths[3], 8, _latin(total))
    pdf.ln(10)
    pdf.set_font("Helvetica", "", 9)
    pdf.multi_cell(0, 5, _latin(note))
    return bytes(pdf.output())


def letter_pdf(letter: Letter) -> bytes:
    """The deficiency letter on one or more Letter pages: letterhead, date, addressee, reasons, signature."""
    pdf = _pdf(letter.provider)
    pdf.set_font("Helvetica", "", 11)
    blocks = [[_long_date(letter)], list(letter.addressee), [letter.reference], [letter.salutation],
              [letter.opening]]
    for block in blocks:
        for line in block:
            pdf.multi_cell(0, 6, _latin(line), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
    for index, reason in enumerate(letter.reasons, start=1):
        pdf.set_x(pdf.l_margin + 6)
        pdf.multi_cell(0, 6, _latin(f"{index}. {reason}."), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for block in ([letter.closing], ["Sincerely,"], list(letter.signature)):
        for line in block:
            pdf.multi_cell(0, 6, _latin(line), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
    return bytes(pdf.output())


def _long_date(letter: Letter) -> str:
    day = letter.dated
    return f"{day:%B} {day.day}, {day.year}"
