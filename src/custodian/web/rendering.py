"""The Jinja2 environment every page renders through, with the filters the templates use."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import StrictUndefined

from custodian import __version__
from custodian.api.errors import ErrorBody

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


# Vocabulary words whose display form is not just "capitalised, underscores as spaces".
LABELS = {"hipaa": "HIPAA", "sms": "SMS", "sms_body": "SMS body", "e911": "E911"}


def format_label(word: str) -> str:
    """A stored vocabulary word for display: 'voice_message' -> 'Voice message'."""
    return LABELS.get(word, word.replace("_", " ").capitalize())


def format_sentence(text: str) -> str:
    """An API-style message as a sentence: first letter upper-cased, closing full stop."""
    text = text.strip()
    if not text:
        return text
    return text[0].upper() + text[1:] + ("" if text.endswith((".", "!", "?")) else ".")


def format_share(part: int, whole: int) -> str:
    """`part` as a whole-number percentage of `whole` ('0%' when `whole` is 0)."""
    return f"{round(100 * part / whole) if whole else 0}%"


def build_templates() -> Jinja2Templates:
    """Templates with autoescaping, strict undefined variables and the shared filters."""
    templates = Jinja2Templates(directory=TEMPLATE_DIR)
    env = templates.env
    env.undefined = StrictUndefined
    env.filters.update(count=format_count, utc=format_utc, share=format_share, label=format_label,
                       sentence=format_sentence)
    env.globals.update(version=__version__)
    return templates


templates = build_templates()


def render_page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Render template `name` for `request`."""
    return templates.TemplateResponse(request, name, context, status_code=status)


def render_error_page(request: Request, body: ErrorBody) -> HTMLResponse:
    """An error as a page in the base layout, keeping its status and code."""
    return render_page(request, "error.html", status=body.status, error=body)
