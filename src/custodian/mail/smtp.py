"""Sending one e-mail over SMTP (optionally STARTTLS and login). Never logs addresses or bodies."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage


class MailNotSent(RuntimeError):
    """The SMTP server could not be reached or refused the message."""


@dataclass(frozen=True)
class Mailer:
    """Where and as whom mail is sent."""

    host: str
    port: int
    sender: str
    starttls: bool = False
    username: str | None = None
    password: str | None = None
    timeout_s: float = 10.0

    def send(self, to: str, subject: str, body: str) -> None:
        """Send a plain-text message to one recipient; raise MailNotSent on failure."""
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.sender, to, subject
        message.set_content(body)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout_s) as smtp:
                if self.starttls:
                    smtp.starttls()
                if self.username:
                    smtp.login(self.username, self.password or "")
                smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as exc:
            raise MailNotSent(f"mail not sent ({type(exc).__name__})") from exc
