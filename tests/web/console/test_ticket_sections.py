"""A ticket shows each class it grants as a person reads it, its lists 25 rows a page inside a date window."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from tests.builders.console import a_customer_with_records, comment_text
from tests.builders.staff import Staff, sign_in


def _ticket(client: TestClient, csrf: str, topic: str) -> str:
    answer = client.post("/console/tickets", data={"account_ref": "ACC-0001", "topic": topic, "channel": "email",
                                                   "csrf_token": csrf})
    assert answer.status_code == 200, answer.text
    return str(answer.url)


def _section(page: str, record_class: str) -> str:
    start = page.index(f'data-class="{record_class}"')
    return page[start:page.index("</section>", start)]


def test_an_e911_ticket_shows_the_numbers_with_their_periods_and_the_registered_location(
        client: TestClient, engine: Engine, keyring: Keyring, blobs: LocalBlobStore, rep: Staff, account_id: int,
        tmp_path: Path) -> None:
    a_customer_with_records(engine, keyring, blobs, tmp_path)
    page = client.get(_ticket(client, sign_in(client, rep), "e911")).text
    numbers = _section(page, "numbers.assignments")
    assert "Telephone numbers" in numbers and "+15125550100" in numbers and "still assigned" in numbers
    assert "+15125550199" in numbers and 'datetime="2024-12-31T00:00:00Z"' in numbers
    location = _section(page, "location.e911_address")
    assert "E911 locations" in location and "1 Main St, Austin, TX, 78701, US" in location
    assert "location.e911_address</" not in page and "numbers.assignments</" not in page


def test_the_comment_log_pages_beyond_25_rows_and_filters_by_date(
        client: TestClient, engine: Engine, keyring: Keyring, blobs: LocalBlobStore, rep: Staff, account_id: int,
        tmp_path: Path) -> None:
    a_customer_with_records(engine, keyring, blobs, tmp_path)
    url = _ticket(client, sign_in(client, rep), "technical")
    first = _section(client.get(url).text, "support.comment_log")
    assert "Support comment log" in first and "1–25 of 30" in first and comment_text(29) in first
    assert comment_text(4) not in first and "page-support.comment_log=2" in first
    second = _section(client.get(url + "?page-support.comment_log=2").text, "support.comment_log")
    assert "26–30 of 30" in second and comment_text(4) in second and comment_text(5) not in second
    window = _section(client.get(url + "?from=2026-01-03&to=2026-01-05").text, "support.comment_log")
    assert "1–3 of 3 in these dates (30 in all)" in window
    assert all(comment_text(i) in window for i in (2, 3, 4)) and comment_text(5) not in window


def test_a_date_that_is_not_a_date_is_reported_and_the_lists_show_every_date(
        client: TestClient, engine: Engine, keyring: Keyring, blobs: LocalBlobStore, rep: Staff, account_id: int,
        tmp_path: Path) -> None:
    a_customer_with_records(engine, keyring, blobs, tmp_path)
    page = client.get(_ticket(client, sign_in(client, rep), "technical") + "?from=yesterday").text
    assert "From: not a date (YYYY-MM-DD)" in page and "1–25 of 30" in page


def test_a_class_custodian_does_not_store_says_so_instead_of_showing_nothing(
        client: TestClient, rep: Staff, account_id: int) -> None:
    page = client.get(_ticket(client, sign_in(client, rep), "technical")).text
    assert "Network sessions" in _section(page, "network.session_log")
    assert "keeps no records of this kind" in _section(page, "network.session_log")
