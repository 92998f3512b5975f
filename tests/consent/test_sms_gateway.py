"""The SMS gateway's signature (Twilio convention) and the TwiML reply."""

from __future__ import annotations

from custodian.consent.sms_gateway import signature, signature_valid, twiml


def test_the_signature_matches_twilios_published_example() -> None:
    """Twilio's published example (TwilioDevEd/api-snippets, security/signature_validation): token 12345."""
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    params = [("CallSid", "CA1234567890ABCDE"), ("Caller", "+14158675310"), ("Digits", "1234"),
              ("From", "+14158675310"), ("To", "+18005551212")]
    assert signature("12345", url, params) == "GvWf1cFY/Q7PnoempGyD5oXAezc="


def test_a_changed_parameter_url_or_secret_breaks_the_signature() -> None:
    params = [("From", "+15551234567"), ("To", "+15557654321"), ("Body", "STOP")]
    good = signature("secret", "https://c.example/api/v1/sms/inbound", params)
    assert signature_valid("secret", "https://c.example/api/v1/sms/inbound", params, good)
    assert not signature_valid("other", "https://c.example/api/v1/sms/inbound", params, good)
    assert not signature_valid("secret", "https://c.example/api/v1/sms/inbound?x=1", params, good)
    assert not signature_valid("secret", "https://c.example/api/v1/sms/inbound",
                               [*params[:2], ("Body", "START")], good)
    assert not signature_valid("secret", "https://c.example/api/v1/sms/inbound", params, "")
    assert not signature_valid("secret", "https://c.example/api/v1/sms/inbound", params, "é")


def test_the_reply_is_twiml_with_the_text_escaped() -> None:
    assert twiml("A & B <c>") == ('<?xml version="1.0" encoding="UTF-8"?>'
                                 "<Response><Message>A &amp; B &lt;c&gt;</Message></Response>")
    assert twiml(None).endswith("<Response></Response>")
