"""Sending one e-mail over SMTP (optionally STARTTLS and login). Never logs addresses or bodies.

This is the one module that talks to the mail server and the one place its errors are caught: a
refused recipient or message, a connection that fails or times out, or an address a header cannot
carry (a CR or LF, see kernel.email) all become `MailNotSent`, and `deliver` turns that into an outcome
the caller audits. A message counts as sent only when the server accepted it.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

from custodian.kernel.email import email_problem


class MailNotSent(RuntimeError):
    """The SMTP server could not be reached or refused the message."""


@dataclass(frozen=True)
class Delivery:
    """What became of one message: accepted by the server, or not and why (no address, no body)."""

    sent: bool
    reason: str = ""


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
        """Send a plain-text message to one recipient; raise MailNotSent unless the server accepted it."""
        problem = email_problem(to)
        if problem:
            raise MailNotSent(f"mail not sent (the recipient is not an e-mail address: {problem})")
        try:
            message = EmailMessage()
            message["From"], message["To"], message["Subject"] = self.sender, to, subject
            message.set_content(body)
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout_s) as smtp:
                if self.starttls:
                    smtp.starttls()
                if self.username:
                    smtp.login(self.username, self.password or "")
                refused = smtp.send_message(message)
        except (OSError, smtplib.SMTPException, ValueError) as exc:  # OSError covers timeouts and refusals
            raise MailNotSent(f"mail not sent ({_why(exc)})") from exc
        if refused:
            raise MailNotSent("mail not sent (the server refused the recipient)")


def deliver(mailer: Mailer | None, to: str, subject: str, body: str) -> Delivery:
    """Send one message if there is a mail server and an address; never raises for a failed send."""
    if mailer is None:
        return Delivery(False, "no mail server is configured")
    if not to:
        return Delivery(False, "there is no e-mail address to send to")
    try:
        mailer.send(to, subject, body)
    except MailNotSent as exc:
        return Delivery(False, str(exc))
    return Delivery(True)


def _why(exc: BaseException) -> str:
    """The kind of failure, never the server's text (it may quote the address)."""
    if isinstance(exc, TimeoutError) or isinstance(exc.__context__, TimeoutError):  # smtplib re-raises it
        return "the mail server did not answer in time"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "the server refused the recipient"
    if isinstance(exc, (ConnectionError, smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError)):
        return "the mail server could not be reached"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"the server refused the message, code {exc.smtp_code}"
    return type(exc).__name__
