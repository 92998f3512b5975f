"""The privacy notice as HTML (the structure is built by custodian.policy.notice)."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from custodian.policy.notice import Notice

_TEMPLATES = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                         autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)


def render_notice_html(notice: Notice) -> str:
    """A complete, self-contained HTML document of the notice (for publishing elsewhere)."""
    return _TEMPLATES.get_template("notice/standalone.html").render(notice=notice)
