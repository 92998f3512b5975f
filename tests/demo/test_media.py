"""Demo payloads are real files: WAV audio the stdlib can read, PDF faxes."""

from __future__ import annotations

import io
import re
import wave

from custodian.demo.media import WAV_VARIANTS, chat_transcript, fax_pdf, wav_bytes

PAGE = re.compile(rb"/Type\s*/Page(?!s)")


def test_every_wav_variant_is_8khz_mono_16bit_of_one_to_three_seconds() -> None:
    for variant in range(WAV_VARIANTS):
        with wave.open(io.BytesIO(wav_bytes(variant))) as audio:
            shape = (audio.getnchannels(), audio.getsampwidth(), audio.getframerate())
            assert shape == (1, 2, 8000)
            assert 1.0 <= audio.getnframes() / 8000 <= 3.0
            assert any(audio.readframes(audio.getnframes()))


def test_fax_is_a_pdf_with_the_requested_pages_and_the_same_bytes_each_time() -> None:
    args = ("Riverside Family Clinic", "+15125551234", "Ada Okafor", "+15125556789", "2025-01-02",
            "Referral attached.")
    one, two = fax_pdf(*args, pages=1), fax_pdf(*args, pages=2)
    assert one.startswith(b"%PDF") and two.startswith(b"%PDF")
    assert (len(PAGE.findall(one)), len(PAGE.findall(two))) == (1, 2)
    assert fax_pdf(*args, pages=2) == two


def test_chat_transcript_is_utf8_text_marked_synthetic() -> None:
    lines = [("customer", "Hi"), ("agent", "Hello")]
    text = chat_transcript(lines, "2025-01-02T10:00:00Z").decode()
    assert "synthetic" in text and "customer: Hi" in text
