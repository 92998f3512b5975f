"""The console's Outbox: in demo mode only, for signed-in staff, every caught message listed and opened."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from custodian.app import create_app
from custodian.mail.catcher import mail_catcher
from custodian.mail.outbox import list_messages
from custodian.mail.smtp import Mailer
from custodian.runtime import Runtime
from tests.builders.staff import Staff, sign_in


@pytest.fixture
def demo_client(runtime: Runtime, tmp_path: Path) -> Iterator[TestClient]:
    """A console client as `custodian demo` serves it: an outbox with two caught messages."""
    outbox = tmp_path / "outbox"
    with mail_catcher(outbox) as port:
        mailer = Mailer("127.0.0.1", port, "privacy@spectrumvoip.example")
        mailer.send("pat@example.com", "A legal request for your account ACC-0001", "Dear customer,\n<b>LR-1</b>")
        mailer.send("lee@example.net", "Your CPNI password was changed", "It was changed today.")
    with TestClient(create_app(runtime, outbox_dir=outbox)) as http:
        yield http


def test_staff_see_every_caught_message_newest_first(demo_client: TestClient, rep: Staff) -> None:
    sign_in(demo_client, rep)
    page = demo_client.get("/console/outbox")
    assert page.status_code == 200
    assert 'href="/console/outbox"' in page.text  # the navigation links it in demo mode
    assert page.text.index("lee@example.net") < page.text.index("pat@example.com")
    assert "A legal request for your account ACC-0001" in page.text


def test_a_message_opens_with_its_headers_and_its_text_escaped(demo_client: TestClient, rep: Staff,
                                                              tmp_path: Path) -> None:
    sign_in(demo_client, rep)
    oldest = list_messages(tmp_path / "outbox")[-1]
    page = demo_client.get(f"/console/outbox/{oldest.id}")
    assert page.status_code == 200
    assert "privacy@spectrumvoip.example" in page.text and "pat@example.com" in page.text
    assert "&lt;b&gt;LR-1&lt;/b&gt;" in page.text and "<b>LR-1</b>" not in page.text


def test_the_outbox_filter_keeps_messages_that_mention_the_words(demo_client: TestClient, rep: Staff) -> None:
    sign_in(demo_client, rep)
    page = demo_client.get("/console/outbox", params={"q": "ACC-0001"}).text
    assert "pat@example.com" in page and "lee@example.net" not in page


def test_an_unknown_or_malformed_message_is_not_found(demo_client: TestClient, rep: Staff) -> None:
    sign_in(demo_client, rep)
    for name in ("20260101T000000000000-0000000a", "..%2F..%2Fmaster.key", "nothing"):
        assert demo_client.get(f"/console/outbox/{name}").status_code == 404, name


def test_an_anonymous_visitor_is_sent_to_sign_in(demo_client: TestClient) -> None:
    answer = demo_client.get("/console/outbox", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/console/login"


def test_outside_the_demo_there_is_no_outbox(client: TestClient, rep: Staff) -> None:
    sign_in(client, rep)
    assert 'href="/console/outbox"' not in client.get("/console/").text
    assert client.get("/console/outbox").status_code == 404
