"""Inbound text messages from the provider's SMS gateway: `POST /api/v1/sms/inbound` (form fields `From`, `To`,
`Body`, the Twilio convention), answered in TwiML.

Only the gateway may call it: the `X-Twilio-Signature` header must be the HMAC-SHA1 of the full URL and the
sorted parameters under the shared secret `CUSTODIAN_SMS_GATEWAY_SECRET` (403 otherwise). Without a configured
secret the endpoint is closed (503) and records nothing. The URL signed is the one this server saw: behind a
TLS-terminating proxy, forward the original scheme and host (uvicorn `--proxy-headers`). Rate-limited per
client address like the other public doors.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from custodian.api.client import client_address
from custodian.api.errors import ApiError
from custodian.api.legal import policy_in_force
from custodian.consent.sms_gateway import signature_valid, twiml
from custodian.consent.sms_inbound import answer_inbound
from custodian.db.engine import transaction
from custodian.kernel.clock import utcnow
from custodian.runtime import Runtime
from custodian.staff import throttle

router = APIRouter(prefix="/api/v1/sms", tags=["consent"])
SIGNATURE_HEADER = "x-twilio-signature"


@router.post("/inbound", response_class=Response, responses={
    200: {"description": "TwiML: the keyword's answer, or an empty Response", "content": {"application/xml": {}}},
    403: {"description": "the gateway signature is missing or wrong"},
    429: {"description": "too many requests from this address; see Retry-After"},
    503: {"description": "no gateway secret is configured (CUSTODIAN_SMS_GATEWAY_SECRET)"}})
async def inbound_sms(request: Request) -> Response:
    """STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT opt out of marketing texts; START, UNSTOP opt back in;
    HELP answers with the program's help text. Every keyword is recorded in the consent ledger."""
    form = await request.form()
    params = [(name, value) for name, value in form.multi_items() if isinstance(value, str)]
    return await run_in_threadpool(answer, request, params)  # the database work blocks: off the event loop


def answer(request: Request, params: list[tuple[str, str]]) -> Response:
    """Check the caller, then act on the message."""
    runtime: Runtime = request.app.state.runtime
    secret: str | None = getattr(request.app.state, "sms_gateway_secret", None)
    if not secret:
        raise ApiError(503, "sms_gateway_not_configured", "no SMS gateway secret is configured")
    throttle.admit(runtime.engine, runtime.bucket_secret(),
                   [("sms_inbound.address", client_address(request), runtime.throttle.gateway_per_address)],
                   actor="sms-gateway", action="consent.sms_throttled", now=utcnow())
    if not signature_valid(secret, str(request.url), params, request.headers.get(SIGNATURE_HEADER, "")):
        raise ApiError(403, "bad_signature", "the SMS gateway signature is missing or wrong")
    fields = dict(params)
    body = fields.get("Body", "")
    sender = fields.get("From", "").strip()
    if not sender:
        raise ApiError(422, "invalid_field", "From: the sender's number is missing", (("From", "missing"),))
    policy = policy_in_force(runtime)
    with transaction(runtime.engine) as conn:
        result = answer_inbound(conn, runtime.keyring(), policy, sender=sender, body=body, now=utcnow())
    return Response(twiml(result.reply), media_type="application/xml")
