"""The demo's mail catcher keeps every message as a file, and the outbox reads them back."""

from __future__ import annotations

from pathlib import Path

from custodian.mail.catcher import mail_catcher
from custodian.mail.outbox import list_messages, read_message
from custodian.mail.smtp import Mailer, deliver


def test_a_message_sent_to_the_catcher_is_kept_as_an_eml_file_in_the_outbox(tmp_path: Path) -> None:
    outbox = tmp_path / "outbox"
    with mail_catcher(outbox) as port:
        mailer = Mailer("127.0.0.1", port, "privacy@provider.example")
        assert deliver(mailer, "pat@example.com", "A legal request for your account ACC-7", "Dear customer").sent
        assert deliver(mailer, "lee@example.net", "Your CPNI password was changed", "It was changed").sent
    files = sorted(outbox.glob("*.eml"))
    assert len(files) == 2 and not list(outbox.glob(".*"))  # no partial file left behind
    messages = list_messages(outbox)
    assert [m.to for m in messages] == ["lee@example.net", "pat@example.com"]  # newest first
    first = read_message(outbox, messages[1].id)
    assert first is not None
    assert (first.sender, first.subject) == ("privacy@provider.example", "A legal request for your account ACC-7")
    assert first.body.strip() == "Dear customer"


def test_the_outbox_filters_by_what_a_message_mentions(tmp_path: Path) -> None:
    with mail_catcher(tmp_path) as port:
        mailer = Mailer("127.0.0.1", port, "privacy@provider.example")
        deliver(mailer, "pat@example.com", "Notice", "Tracking number LR-2026-ABCD1234")
        deliver(mailer, "lee@example.net", "Other", "nothing to see")
    assert [m.to for m in list_messages(tmp_path, "lr-2026-abcd")] == ["pat@example.com"]
    assert [m.to for m in list_messages(tmp_path, "LEE@")] == ["lee@example.net"]
    assert len(list_messages(tmp_path, "  ")) == 2


def test_a_name_the_catcher_never_writes_opens_nothing(tmp_path: Path) -> None:
    (tmp_path / "secret.eml").write_text("To: x\n\nhidden")
    for name in ("secret", "../secret", "20260101T000000000000-zzzzzzzz", "20260101T000000000000-0000000a"):
        assert read_message(tmp_path, name) is None, name
    assert list_messages(tmp_path) == [] and list_messages(tmp_path / "missing") == []
