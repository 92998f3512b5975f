"""The files of a customer's export and what each column means, in plain words (the README is built from this).

Each record class gives `<stem>.csv` and `<stem>.json` with the same rows; content classes add their files in
their original format under `<stem>/`. Pure."""

from __future__ import annotations

from dataclasses import dataclass

WHEN = "date and time, in UTC (ISO 8601; the Z means UTC)"
DIRECTION = "'in' when it came to you, 'out' when you sent or placed it"
OTHER = "the other party's telephone number"
OWN = "your telephone number that was used"


@dataclass(frozen=True)
class FileSpec:
    """One record class's files: their stem, what they hold, and each column with its meaning."""

    stem: str
    about: str
    columns: tuple[tuple[str, str], ...]

    @property
    def header(self) -> tuple[str, ...]:
        """The column names, in order."""
        return tuple(name for name, _ in self.columns)


def _media(stem: str, about: str) -> FileSpec:
    return FileSpec(stem, about + f" Each one is a file in the folder {stem}/, in the format we received it.", (
        ("occurred_at", WHEN), ("direction", DIRECTION), ("other_number", OTHER),
        ("file", f"the file in the folder {stem}/ holding it"), ("media_type", "the file's format"),
        ("size_bytes", "the file's size in bytes")))


SPECS: dict[str, FileSpec] = {
    "subscriber.basic": FileSpec("subscriber", "Your account and the details we hold about you, in one row.", (
        ("account", "your account reference"), ("kind", "residential or business"),
        ("status", "active, suspended or closed"), ("company", "the company name on a business account"),
        ("first_name", "your first name"), ("last_name", "your last name"), ("email", "your e-mail of record"),
        ("contact_phone", "the telephone number we contact you on"), ("street", "your postal address: street"),
        ("city", "city"), ("state", "state or region"), ("postal_code", "postal code"), ("country", "country code"),
        ("signed_up_on", "the day the account was opened"),
        ("closed_on", "the day the account was closed, if it was"))),
    "numbers.assignments": FileSpec("numbers", "The telephone numbers you hold or held, each for the period it was "
                                    "yours only (never a period when someone else held it).", (
        ("number", "the telephone number"), ("extension", "the extension, if any"),
        ("added_at", "when it became yours (UTC)"),
        ("removed_at", "when it stopped being yours; empty while you hold it"),
        ("carrier", "the carrier a ported number came from or went to"))),
    "location.e911_address": FileSpec("e911_locations", "The 911 locations registered for your numbers; every "
                                      "registration is kept, the newest is in force.", (
        ("number", "the telephone number the location is registered for"), ("street", "street"), ("city", "city"),
        ("state", "state"), ("postal_code", "postal code"), ("country", "country code"),
        ("registered_at", "when it was registered (UTC)"))),
    "cpni.call_log": FileSpec("call_log", "Your calls: who, when and how long (not what was said).", (
        ("started_at", WHEN), ("direction", DIRECTION), ("own_number", OWN), ("other_number", OTHER),
        ("answered_at", "when the call was answered; empty if it was not"), ("ended_at", "when the call ended"),
        ("duration_s", "seconds from start to end"), ("billsec_s", "seconds billed (from answer to end)"),
        ("disposition", "how the call ended: ANSWERED, NO ANSWER, BUSY or FAILED"))),
    "cpni.fax_log": FileSpec("fax_log", "Your faxes: who, when and how many pages (the faxes themselves are in the "
                             "fax folders).", (
        ("occurred_at", WHEN), ("direction", DIRECTION), ("own_number", OWN), ("other_number", OTHER),
        ("pages", "number of pages"), ("status", "whether it went through"))),
    "cpni.sms_log": FileSpec("sms_log", "Your text messages: who and when (the texts are in sms_bodies).", (
        ("sent_at", WHEN), ("direction", DIRECTION), ("own_number", OWN), ("other_number", OTHER),
        ("segments", "how many message parts it was sent in"))),
    "content.voice_message": _media("voice_messages", "Your voice messages."),
    "content.call_recording": _media("call_recordings", "Recordings of your calls you chose to make."),
    "content.fax_incoming": _media("faxes_received", "Faxes you received."),
    "content.fax_outgoing": _media("faxes_waiting", "Faxes waiting to be sent."),
    "content.fax_sent": _media("faxes_sent", "Faxes you sent."),
    "content.sms_body": FileSpec("sms_bodies", "The text of your text messages.", (
        ("sent_at", WHEN), ("direction", DIRECTION), ("other_number", OTHER), ("body", "the message text"))),
    "content.chat": FileSpec("chat", "Your chat messages.", (
        ("at", WHEN), ("direction", DIRECTION), ("other_number", "the other party"), ("text", "the message text"))),
    "billing.transactions": FileSpec("billing", "Your charges and payments.", (
        ("occurred_at", "when it happened (UTC)"), ("reference", "our reference for it"),
        ("amount_cents", "the amount in cents (1999 is 19.99)"), ("currency", "the currency"),
        ("method", "how it was paid"), ("card", "the card used: brand and last four digits only"),
        ("state", "whether it went through, failed or was refunded"))),
    "billing.payment_instrument": FileSpec("payment_cards", "The payment cards on your account. We never keep a "
                                           "card number: only the brand and the last four digits.", (
        ("brand", "the card brand"), ("card", "the last four digits, the rest masked"),
        ("added_at", "when the card was added (UTC)"))),
    "support.comment_log": FileSpec("support_notes", "Notes our support staff wrote when you contacted us.", (
        ("written_at", "when it was written (UTC)"), ("author", "who wrote it"), ("text", "the note"))),
}
MEDIA_KINDS = {"content.voice_message": "voice_message", "content.call_recording": "call_recording",
               "content.fax_incoming": "fax_incoming", "content.fax_outgoing": "fax_outgoing",
               "content.fax_sent": "fax_sent"}
