"""How the portal shows the customer's records to a person (issue 15 §2: "rendered for a person (labels, not
class names)"): stored vocabulary words as labels ("residential" → "Residential", "out" → "Outgoing") and
telephone numbers in the national format of the account's country (E.164 stays in the export and the database).
Pure: the pages pass each field or cell through here."""

from __future__ import annotations

import re
from datetime import datetime

from custodian.kernel.phone import national_format

Cell = str | int | datetime | None
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")

# Stored words of a column (or a labelled field) and what a person reads instead.
WORDS: dict[str, dict[str, str]] = {
    "kind": {"residential": "Residential", "business": "Business"},
    "status": {"active": "Active", "suspended": "Suspended", "closed": "Closed"},
    "direction": {"in": "Incoming", "out": "Outgoing", "inbound": "Incoming", "outbound": "Outgoing"},
    "brand": {"visa": "Visa", "mastercard": "Mastercard", "amex": "American Express", "discover": "Discover"},
}
FIELD_COLUMNS = {"Kind": "kind", "Status": "status"}
# Columns whose stored words only need reading as words ("no_answer" → "No answer").
WORDED = frozenset({"outcome", "method", "state", "status", "kind", "direction", "brand"})
MEDIA_NAMES = {"audio": "Audio", "image": "Image", "video": "Video", "application/pdf": "PDF document"}


def shown_cell(column: str, value: Cell, region: str) -> Cell:
    """A cell of a list as the customer reads it; times and counts are left to the page."""
    if not isinstance(value, str) or not value:
        return value
    if _E164.match(value):
        return national_format(value, region)
    if column in WORDED:
        return WORDS.get(column, {}).get(value.lower()) or _words(value)
    return value


def shown_field(name: str, value: str, region: str) -> str:
    """A labelled field ("Kind", "Status", "Contact phone", ...) as the customer reads it."""
    column = FIELD_COLUMNS.get(name, "")
    return str(shown_cell(column, value, region) or "")


def media_name(media_type: str) -> str:
    """A stored media type for people: 'audio/wav' → 'Audio (WAV)', 'application/pdf' → 'PDF document'."""
    if not media_type:
        return "File"
    if media_type in MEDIA_NAMES:
        return MEDIA_NAMES[media_type]
    main, _, sub = media_type.partition("/")
    sub = sub.removeprefix("x-").split(";")[0].split("+")[0].upper()
    return f"{MEDIA_NAMES.get(main, 'File')} ({sub})" if sub else MEDIA_NAMES.get(main, "File")


def _words(value: str) -> str:
    text = value.replace("_", " ").replace("-", " ").strip()
    return text[:1].upper() + text[1:]


def shown_fields(fields: tuple[tuple[str, str], ...], region: str) -> tuple[tuple[str, str], ...]:
    """Labelled fields as the customer reads them."""
    return tuple((name, shown_field(name, value, region) if value else value) for name, value in fields)


def shown_rows(rows: tuple[dict[str, Cell], ...], region: str) -> tuple[dict[str, Cell], ...]:
    """List rows as the customer reads them."""
    return tuple({column: shown_cell(column, value, region) for column, value in row.items()} for row in rows)
