"""The SMS gateway's side of the conversation, Twilio-style: the request signature and the TwiML reply.

Pure. A gateway signs each inbound message with a shared secret: `X-Twilio-Signature` is the base64 of the
HMAC-SHA1 of the full URL it called followed by each POST parameter's name and value, sorted by name. The
reply is a TwiML document holding at most one message.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable
from xml.sax.saxutils import escape


def signature(secret: str, url: str, params: Iterable[tuple[str, str]]) -> str:
    """The signature a gateway holding `secret` puts on a POST of `params` to `url`."""
    payload = url + "".join(name + value for name, value in sorted(params))
    digest = hmac.new(secret.encode("utf-8"), payload.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def signature_valid(secret: str, url: str, params: Iterable[tuple[str, str]], given: str) -> bool:
    """Whether `given` is the signature of this request (compared in constant time); an empty one never is."""
    if not given:
        return False
    return hmac.compare_digest(signature(secret, url, params).encode("ascii"), given.strip().encode("ascii",
                                                                                                    "replace"))


def twiml(message: str | None) -> str:
    """The TwiML answer: one `<Message>` with the text XML-escaped, or an empty `<Response/>` (no reply)."""
    head = '<?xml version="1.0" encoding="UTF-8"?>'
    if message is None:
        return f"{head}<Response></Response>"
    return f"{head}<Response><Message>{escape(message)}</Message></Response>"
