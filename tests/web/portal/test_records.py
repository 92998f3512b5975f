"""What a signed-in customer sees and deletes of their own records.

Issue 15 §2: "See every record class the policy lets the customer see, rendered for a person (labels, not
class names) ... Every view is an audited self-access." Seed 002 (SpectrumVoIP): "customers have the
ability to delete numerous types of data for their accounts, such as voicemails, SMS's, and faxes";
"Records under a legal hold stay; the portal never reveals a specific hold".
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from custodian.audit import store as audit
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.policy.vocabulary import CLASS_LABELS
from custodian.records.tables import content_item
from custodian.records.types import PostalAddress
from custodian.retention import hold_service
from tests.builders.records import CANARY_COUNTERPART, CANARY_NAME, an_account
from tests.builders.retention import add_content
from tests.builders.smtp import Inbox
from tests.builders.staff import a_call, csrf_of
from tests.web.portal.conftest import REF, enrol

WHEN = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
VOICE = b"RIFF....WAVEfmt canary voice message"


def _voice(engine: Engine, keyring: Keyring, blobs: LocalBlobStore, account_id: int, at: datetime = WHEN) -> str:
    with transaction(engine) as conn:
        return add_content(conn, account_id, "content.voice_message", at, keyring=keyring, blobs=blobs,
                           body=VOICE).hex()


def test_the_account_page_shows_details_and_labels_each_class_as_the_notice_does(
        portal: tuple[TestClient, Inbox], engine: Engine, account_id: int) -> None:
    client, inbox = portal
    enrol(client, inbox)
    page = client.get("/portal/account").text
    assert CANARY_NAME in page
    assert CLASS_LABELS["cpni.call_log"] in page and "cpni.call_log</a>" not in page
    assert "Passwords, PINs and security questions" in page and "one-way hash" in page  # withheld, with the reason
    assert "Kept elsewhere" in page and CLASS_LABELS["network.session_log"] in page  # listed, not stored here
    assert "may be kept where the law requires" in page
    with engine.connect() as conn:
        events = audit.search(conn, action="access.permit", actor="customer")
    assert len(events) == 2  # one read per page shown (after enrolment, and now)
    assert {(e.account_id, e.reason, e.detail["channel"], tuple(e.record_classes)) for e in events} == {
        (account_id, "customer reads own account", "portal", ("subscriber.basic",))}


def test_call_detail_is_listed_and_the_read_audited(portal: tuple[TestClient, Inbox], engine: Engine,
                                                    account_id: int) -> None:
    client, inbox = portal
    enrol(client, inbox)
    page = client.get("/portal/records/cpni.call_log")
    assert page.status_code == 200 and "(415) 555-0142" in page.text  # CANARY_COUNTERPART, written as in the US
    assert CANARY_COUNTERPART not in page.text and "Outgoing" in page.text and "Answered" in page.text
    with engine.connect() as conn:
        events = audit.search(conn, action="access.permit", actor="customer")
    assert ("cpni.call_log",) in [tuple(e.record_classes) for e in events]


def test_the_date_filter_and_pages_of_twenty_five(portal: tuple[TestClient, Inbox], engine: Engine,
                                                  keyring: Keyring, blobs: LocalBlobStore, account_id: int) -> None:
    client, inbox = portal
    for day in range(30):
        _voice(engine, keyring, blobs, account_id, WHEN + timedelta(days=day))
    enrol(client, inbox)
    first = client.get("/portal/records/content.voice_message").text
    assert first.count("Download</a>") == 25 and "Page 1 of 2" in first
    assert client.get("/portal/records/content.voice_message?page-content.voice_message=2").text \
        .count("Download</a>") == 5
    window = client.get("/portal/records/content.voice_message?from=2026-03-01&to=2026-03-03").text
    assert window.count("Download</a>") == 3


def test_a_voice_message_downloads_in_its_original_format(portal: tuple[TestClient, Inbox], engine: Engine,
                                                          keyring: Keyring, blobs: LocalBlobStore,
                                                          account_id: int) -> None:
    client, inbox = portal
    key = _voice(engine, keyring, blobs, account_id)
    enrol(client, inbox)
    answer = client.get(f"/portal/records/content.voice_message/{key}")
    assert answer.status_code == 200 and answer.content == VOICE
    assert "attachment" in answer.headers["content-disposition"] and answer.headers["cache-control"] == "no-store"


def test_another_accounts_records_are_never_shown_or_deleted(portal: tuple[TestClient, Inbox], engine: Engine,
                                                             keyring: Keyring, blobs: LocalBlobStore,
                                                             account_id: int) -> None:
    client, inbox = portal
    other = an_account(engine, keyring, ref="ACC-0002")
    a_call(engine, keyring, other, counterpart="+14155550199")
    theirs = _voice(engine, keyring, blobs, other)
    enrol(client, inbox)
    calls = client.get("/portal/records/cpni.call_log").text
    assert "+14155550199" not in calls and "555-0199" not in calls
    assert client.get(f"/portal/records/content.voice_message/{theirs}").status_code == 404
    csrf = csrf_of(client.get("/portal/account").text)
    answer = client.post(f"/portal/records/content.voice_message/{theirs}/delete",
                         data={"confirm": "yes", "csrf_token": csrf})
    assert answer.status_code == 404
    with engine.connect() as conn:
        assert conn.execute(select(content_item.c.account_id)).scalars().all() == [other]


def test_deleting_a_voice_message_is_immediate_and_final(portal: tuple[TestClient, Inbox], engine: Engine,
                                                         keyring: Keyring, blobs: LocalBlobStore,
                                                         account_id: int) -> None:
    client, inbox = portal
    key = _voice(engine, keyring, blobs, account_id)
    enrol(client, inbox)
    csrf = csrf_of(client.get("/portal/account").text)
    answer = client.post(f"/portal/records/content.voice_message/{key}/delete",
                         data={"confirm": "yes", "csrf_token": csrf})
    assert answer.status_code == 200 and "Deleted" in answer.text and key not in answer.text
    with engine.connect() as conn:
        assert conn.execute(select(content_item)).first() is None
        [event] = audit.search(conn, action="record.delete")
    assert event.reason == "deleted by the customer" and list(blobs.stored()) == []


def test_a_held_message_disappears_from_the_list_and_the_page_never_mentions_the_hold(
        portal: tuple[TestClient, Inbox], engine: Engine, keyring: Keyring, blobs: LocalBlobStore,
        account_id: int) -> None:
    client, inbox = portal
    key = _voice(engine, keyring, blobs, account_id)
    with transaction(engine) as conn:
        hold_service.place_hold(conn, account_id=account_id, until=datetime.now(UTC) + timedelta(days=90),
                                reason="preservation letter 2703(f)", source="cli", actor="t",
                                now=datetime.now(UTC) - timedelta(hours=1))
    enrol(client, inbox)
    csrf = csrf_of(client.get("/portal/account").text)
    answer = client.post(f"/portal/records/content.voice_message/{key}/delete",
                         data={"confirm": "yes", "csrf_token": csrf})
    assert answer.status_code == 200 and "Deleted" in answer.text and key not in answer.text
    assert "hold" not in answer.text.lower() and "2703" not in answer.text
    with engine.connect() as conn:
        assert conn.execute(select(content_item)).first() is not None  # kept while the law requires it


def test_a_file_of_a_type_a_browser_would_render_only_downloads_as_bytes(
        portal: tuple[TestClient, Inbox], engine: Engine, keyring: Keyring, blobs: LocalBlobStore,
        account_id: int) -> None:
    client, inbox = portal
    key = _voice(engine, keyring, blobs, account_id)
    with transaction(engine) as conn:
        conn.execute(content_item.update().values(media_type="text/html"))
    enrol(client, inbox)
    answer = client.get(f"/portal/records/content.voice_message/{key}")
    assert answer.headers["content-type"] == "application/octet-stream"
    with transaction(engine) as conn:
        conn.execute(content_item.update().values(media_type="audio/wav"))
    assert client.get(f"/portal/records/content.voice_message/{key}").headers["content-type"] == "audio/wav"


def test_the_account_page_shows_labels_and_numbers_as_written_in_the_accounts_country(
        portal: tuple[TestClient, Inbox], engine: Engine, keyring: Keyring, rules: object) -> None:
    account_id = an_account(engine, keyring, ref=REF, kind="business", company="Canary Ltd",
                            contact_phone="+442079460018",
                            address=PostalAddress(street="1 Canary Wharf", city="London", state="",
                                                  postal_code="E14 5AB", country="GB"))
    a_call(engine, keyring, account_id)
    client, inbox = portal
    enrol(client, inbox)
    page = client.get("/portal/account").text
    assert "Business" in page and "Active" in page and "020 7946 0018" in page
    assert "business" not in page.replace("Business", "") and "+442079460018" not in page
    calls = client.get("/portal/records/cpni.call_log").text
    assert "+1 415-555-0142" in calls and "Outgoing" in calls and CANARY_COUNTERPART not in calls
