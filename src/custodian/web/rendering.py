"""The Jinja2 environment every page renders through, with the filters the templates use."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import StrictUndefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from custodian import __version__
from custodian.api.errors import ErrorBody
from custodian.kernel.phone import national_format
from custodian.kernel.timeparse import InvalidTime, zone
from custodian.policy.vocabulary import class_name
from custodian.portal.display import media_name

WEB_DIR = Path(__file__).parent
TEMPLATE_DIR = WEB_DIR / "templates"
STATIC_DIR = WEB_DIR / "static"


def format_count(value: int) -> str:
    """A count with thousands separators: 1234567 -> '1,234,567'."""
    return f"{value:,}"


def format_utc(value: datetime | None) -> str:
    """A timestamp as minutes in UTC, or an em dash when there is none."""
    if value is None:
        return "—"
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def local_time(value: datetime, zone_name: str) -> tuple[str, str, str]:
    """(ISO 8601 in UTC, minutes in `zone_name` with its abbreviation, minutes in UTC) of a timestamp."""
    try:
        local = value.astimezone(zone(zone_name))
    except InvalidTime:
        local = value.astimezone(UTC)
    utc = value.astimezone(UTC)
    return (utc.strftime("%Y-%m-%dT%H:%M:%SZ"), local.strftime("%Y-%m-%d %H:%M %Z"), format_utc(utc))


@pass_context
def format_when(context: Context, value: datetime | None) -> Markup:
    """A timestamp as a <time> element in the reader's zone (the staff member's, else UTC), UTC on hover."""
    if value is None:
        return Markup("—")
    staff = context.get("staff")
    zone_name = getattr(staff, "time_zone", None) or context.get("time_zone") or "UTC"
    iso, local, utc = local_time(value, zone_name)
    return Markup('<time datetime="{}" title="{}">{}</time>').format(iso, utc, local)


# Vocabulary words whose display form is not just "capitalised, underscores as spaces".
LABELS = {"hipaa": "HIPAA", "sms": "SMS", "sms_body": "SMS body", "e911": "E911"}


def format_label(word: str) -> str:
    """A stored vocabulary word for display: 'voice_message' -> 'Voice message'."""
    return LABELS.get(word, word.replace("_", " ").capitalize())


def label_options(words: Iterable[str]) -> list[tuple[str, str]]:
    """Stored words as (value, display) choices of a select."""
    return [(word, format_label(word)) for word in words]


def format_sentence(text: str) -> str:
    """An API-style message as a sentence: first letter upper-cased, closing full stop."""
    text = text.strip()
    if not text:
        return text
    return text[0].upper() + text[1:] + ("" if text.endswith((".", "!", "?")) else ".")


def format_share(part: int, whole: int) -> str:
    """`part` as a whole-number percentage of `whole` ('0%' when `whole` is 0)."""
    return f"{round(100 * part / whole) if whole else 0}%"


def format_size(count: int | None) -> str:
    """A file size for people: '17 bytes', '402 kB', '3.1 MB'."""
    count = count or 0
    if count < 1000:
        return f"{count} bytes"
    return f"{count / 1_000_000:.1f} MB" if count >= 1_000_000 else f"{count // 1000} kB"


def build_templates() -> Jinja2Templates:
    """Templates with autoescaping, strict undefined variables and the shared filters."""
    templates = Jinja2Templates(directory=TEMPLATE_DIR)
    env = templates.env
    env.undefined = StrictUndefined
    env.filters.update(count=format_count, utc=format_utc, share=format_share, label=format_label,
                       sentence=format_sentence, when=format_when, class_name=class_name,
                       options=label_options, filesize=format_size,
                       phone=national_format, media_name=media_name)
    env.globals.update(version=__version__)
    return templates


templates = build_templates()


def render_page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Render template `name` for `request`."""
    return templates.TemplateResponse(request, name, context, status_code=status)


def render_error_page(request: Request, body: ErrorBody) -> HTMLResponse:
    """An error as a page in the base layout, keeping its status and code."""
    return render_page(request, "error.html", status=body.status, error=body)
