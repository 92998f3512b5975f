"""The shared skeleton and the three audience layouts later pages build on."""

from __future__ import annotations

import pytest

from custodian import __version__
from custodian.web.rendering import TEMPLATE_DIR, templates

AUDIENCES = [
    ("portal/base.html", "audience-portal", "Customer portal"),
    ("console/base.html", "audience-console", "Staff console"),
    ("intake/base.html", "audience-intake", "Legal request intake"),
]
PLACEHOLDER_WORDS = ("coming soon", "lorem ipsum", "todo", "tbd", "under construction")


def _page_on(layout: str) -> str:
    child = templates.env.from_string(
        f'{{% extends "{layout}" %}}{{% block title %}}Sample{{% endblock %}}'
        '{% block nav %}<li><a href="/x">X</a></li>{% endblock %}'
        "{% block main %}<h1>Sample heading</h1>{% endblock %}")
    return child.render()


@pytest.mark.parametrize(("layout", "body_class", "area"), AUDIENCES)
def test_each_audience_layout_extends_the_skeleton_with_its_own_identity(
        layout: str, body_class: str, area: str) -> None:
    html = _page_on(layout)
    assert f'<body class="{body_class}">' in html
    assert f'<span class="brand__area">{area}</span>' in html
    assert f'aria-label="{area}"' in html
    assert "<title>Sample · Custodian</title>" in html and "<h1>Sample heading</h1>" in html
    assert f"Custodian {__version__}" in html


def test_a_layout_without_navigation_renders_no_empty_nav() -> None:
    html = templates.env.from_string(
        '{% extends "console/base.html" %}{% block title %}T{% endblock %}').render()
    assert "<nav" not in html


def test_no_template_or_stylesheet_holds_placeholder_text() -> None:
    files = [*TEMPLATE_DIR.rglob("*.html"), *TEMPLATE_DIR.parent.joinpath("static").glob("*")]
    for path in files:
        text = path.read_text(encoding="utf-8").lower()
        for word in PLACEHOLDER_WORDS:
            assert word not in text, f"{path.name} contains {word!r}"
