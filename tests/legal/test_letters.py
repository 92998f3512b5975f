"""The deficiency letter is a real letter: dated, addressed to the requester at the mailing address, plain
reasons with human field names, no internal codes, the desk's signature block; as text and as PDF."""

from __future__ import annotations

import zlib
from datetime import date

from custodian.legal.documents import letter_pdf
from custodian.legal.letters import deficiency_letter, letter_text
from custodian.legal.validate import validate_request
from custodian.policy.document import Contact
from tests.builders.legal import CIVIL, a_request, spectrumvoip

DESK = Contact(role="legal_requests", email="support@spectrumvoip.com",
               address="SpectrumVoIP, Inc., P.O. Box 250588, Plano, TX 75025")


def _letter(document_base: dict[str, object] | None = None, **changes: object) -> str:
    document = a_request(document_base, **changes) if document_base else a_request(**changes)
    problems = validate_request(document, spectrumvoip())
    letter = deficiency_letter("SpectrumVoIP, Inc.", "LR-2026-ABCD1234", date(2026, 3, 2), problems, document, DESK,
                               date(2026, 3, 4))
    return letter_text(letter)


def test_the_letter_is_dated_addressed_and_signed_with_plain_reasons() -> None:
    """DRG V: 'SpectrumVoIP cannot reasonably consider a Data Request unless it includes at least the following
    information' - the letter says which, in the words of the form."""
    text = _letter(requester__mailing_address__street="", requester__badge_number="")
    assert "March 4, 2026" in text and "We received your request on March 2, 2026" in text
    assert "Det. Ana Ruiz\nPlano Police Department\nPlano, TX 75074" in text
    assert "Dear Det. Ana Ruiz," in text and "LR-2026-ABCD1234" in text
    assert "1. Badge / identification number is missing." in text
    assert "2. Mailing address: street is missing." in text
    assert text.rstrip().endswith("Legal Requests\nSpectrumVoIP, Inc.\nSpectrumVoIP, Inc., P.O. Box 250588, Plano, "
                                  "TX 75025\nsupport@spectrumvoip.com")
    for internal in ("missing_field", "requester.", "mailing_address", "[", "_"):
        assert internal not in text.replace("support@spectrumvoip.com", ""), internal


def test_a_civil_letter_goes_to_counsel_for_the_party() -> None:
    text = _letter(CIVIL, requester__counsel_bar_number="")
    assert "Jo Lee\nCounsel for Acme Corp\n100 Main St Ste 4\nDallas, TX 75201" in text
    assert "Counsel's bar number is missing." in text


def test_the_letter_is_also_a_pdf() -> None:
    document = a_request(requester__badge_number="")
    letter = deficiency_letter("SpectrumVoIP, Inc.", "LR-2026-ABCD1234", date(2026, 3, 2),
                               validate_request(document, spectrumvoip()), document, DESK, date(2026, 3, 4))
    pdf = letter_pdf(letter)
    assert pdf.startswith(b"%PDF-")
    text = b"".join(zlib.decompress(part.split(b"stream\n", 1)[1].split(b"\nendstream")[0])
                    for part in pdf.split(b"/FlateDecode")[1:] if b"stream\n" in part)
    assert b"Badge / identification number is missing." in text and b"March 4, 2026" in text
