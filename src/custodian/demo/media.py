"""Real, small content payloads for the demo: WAV audio (8 kHz mono 16-bit) and PDF fax pages."""

from __future__ import annotations

import io
import math
import wave
from array import array
from datetime import UTC, datetime
from functools import lru_cache

from fpdf import FPDF

SAMPLE_RATE = 8000
DTMF_ROWS = (697, 770, 852, 941)
DTMF_COLUMNS = (1209, 1336, 1477)
WAV_VARIANTS = 24
FAX_EPOCH = datetime(2024, 1, 1, tzinfo=UTC)  # fixed PDF creation date: same seed, same bytes


@lru_cache(maxsize=WAV_VARIANTS)
def wav_bytes(variant: int) -> bytes:
    """A 1-3 s WAV of DTMF-like tone bursts; `variant` (0..23) picks the length and the tones."""
    variant %= WAV_VARIANTS
    bursts = 4 + variant % 9  # 0.25 s each: 1 s to 3 s in total
    samples = array("h")
    for burst in range(bursts):
        low = DTMF_ROWS[(variant + burst) % len(DTMF_ROWS)]
        high = DTMF_COLUMNS[(variant * 7 + burst) % len(DTMF_COLUMNS)]
        samples.extend(_tone(low, high, 0.18))
        samples.extend(array("h", bytes(2 * int(SAMPLE_RATE * 0.07))))  # a short gap of silence
    if not _little_endian():  # WAV samples are little-endian
        samples.byteswap()
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(samples.tobytes())
    return buffer.getvalue()


def _tone(low_hz: int, high_hz: int, seconds: float) -> array:  # type: ignore[type-arg]
    count = int(SAMPLE_RATE * seconds)
    step_low, step_high = 2 * math.pi * low_hz / SAMPLE_RATE, 2 * math.pi * high_hz / SAMPLE_RATE
    return array(
        "h", (int(6000 * (math.sin(step_low * i) + math.sin(step_high * i))) for i in range(count))
    )


def _little_endian() -> bool:
    return array("h", [1]).tobytes()[0] == 1


def fax_pdf(
    sender: str,
    sender_number: str,
    recipient: str,
    recipient_number: str,
    sent_on: str,
    message: str,
    pages: int,
) -> bytes:
    """A one- or two-page fax: a cover sheet and, for two pages, a short body page."""
    pdf = FPDF(format="Letter")
    pdf.set_creation_date(FAX_EPOCH)
    pdf.set_title("Fax (synthetic demo data)")
    pdf.set_auto_page_break(auto=False)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 28)
    pdf.cell(0, 18, "FAX", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 12)
    for label, value in (
        ("To", recipient),
        ("Fax", recipient_number),
        ("From", sender),
        ("Fax", sender_number),
        ("Date", sent_on),
        ("Pages", str(pages)),
    ):
        pdf.cell(30, 9, f"{label}:")
        pdf.cell(0, 9, value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    pdf.multi_cell(0, 7, message)
    pdf.ln(8)
    pdf.set_font("Helvetica", "I", 9)
    pdf.multi_cell(0, 5, "SYNTHETIC DEMO DATA - every name and number on this page is fictitious.")
    if pages > 1:
        pdf.add_page()
        pdf.set_font("Helvetica", "", 11)
        pdf.multi_cell(0, 6, "Attachment: page 2 of 2.\n\n" + (message + "\n") * 6)
    return bytes(pdf.output())


def chat_transcript(lines: list[tuple[str, str]], started_at: str) -> bytes:
    """A plain-text support chat transcript."""
    body = [f"Chat transcript - started {started_at} (synthetic demo data)", ""]
    body.extend(f"{speaker}: {text}" for speaker, text in lines)
    return ("\n".join(body) + "\n").encode("utf-8")
