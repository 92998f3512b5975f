"""The one mail module: a message counts as sent only when the server accepted it; every failure (a refused
recipient, a server that cannot be reached or does not answer, an address a header cannot carry) is an
outcome with its reason, never an exception and never the address itself."""

from __future__ import annotations

from custodian.mail.smtp import Mailer, deliver
from tests.builders.smtp import free_port, silent_server, smtp_server

TO = "zephyrine.quillfeather@canary.example"


def test_a_message_the_server_accepts_is_sent() -> None:
    with smtp_server() as (inbox, port):
        outcome = deliver(Mailer("127.0.0.1", port, "privacy@provider.example"), TO, "Subject", "Body")
    assert outcome.sent and len(inbox.messages) == 1 and inbox.messages[0]["To"] == TO


def test_a_refused_recipient_is_not_sent_and_the_reason_does_not_quote_the_address() -> None:
    with smtp_server(refuse_recipients=True) as (inbox, port):
        outcome = deliver(Mailer("127.0.0.1", port, "privacy@provider.example"), TO, "Subject", "Body")
    assert not outcome.sent and "refused the recipient" in outcome.reason and TO not in outcome.reason
    assert inbox.messages == []


def test_a_mail_server_that_cannot_be_reached_is_a_failed_send() -> None:
    outcome = deliver(Mailer("127.0.0.1", free_port(), "privacy@provider.example"), TO, "Subject", "Body")
    assert not outcome.sent and "could not be reached" in outcome.reason


def test_a_mail_server_that_does_not_answer_in_time_is_a_failed_send() -> None:
    with silent_server() as port:
        outcome = deliver(Mailer("127.0.0.1", port, "privacy@provider.example", timeout_s=0.3), TO, "S", "B")
    assert not outcome.sent and "did not answer in time" in outcome.reason


def test_an_address_with_a_line_break_is_never_handed_to_the_server() -> None:
    with smtp_server() as (inbox, port):
        outcome = deliver(Mailer("127.0.0.1", port, "privacy@provider.example"),
                          TO + "\r\nBcc: thief@evil.example", "Subject", "Body")
    assert not outcome.sent and "control character" in outcome.reason and inbox.messages == []


def test_without_a_mail_server_or_an_address_nothing_is_sent() -> None:
    assert deliver(None, TO, "S", "B").reason == "no mail server is configured"
    with smtp_server() as (inbox, port):
        assert not deliver(Mailer("127.0.0.1", port, "privacy@provider.example"), "", "S", "B").sent
    assert inbox.messages == []
