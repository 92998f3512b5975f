"""Paging, sorting and filtering a console list from its query parameters (web/listing.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from custodian.web.listing import ListQuery, list_page

NAMES = [f"ACC-{n:04d}" for n in range(60)]
KEYS = {"ref": lambda name: name}


def test_a_list_beyond_one_page_shows_25_rows_and_links_to_the_next_page() -> None:
    listing = list_page(NAMES, ListQuery(sort="ref"), text=str, keys=KEYS)
    assert listing.rows[0] == "ACC-0000" and len(listing.rows) == 25 and listing.pages == 3
    assert (listing.first_shown, listing.last_shown) == (1, 25) and "page=2" in listing.link(page=2)


def test_a_page_beyond_the_last_shows_the_last_page() -> None:
    listing = list_page(NAMES, ListQuery(sort="ref", page=9), text=str, keys=KEYS)
    assert listing.query.page == 3 and listing.rows == tuple(NAMES[50:])


def test_the_filter_keeps_rows_holding_every_word_whatever_the_case() -> None:
    listing = list_page(["Billing ACC-1", "Technical ACC-1", "billing ACC-2"], ListQuery(q="BILLING acc-1"),
                        text=str, keys={})
    assert listing.rows == ("Billing ACC-1",) and listing.total == 1


def test_an_unknown_sort_key_falls_back_to_the_default_and_a_header_flips_the_direction() -> None:
    query = ListQuery.from_params({"sort": "password_hash", "dir": "desc"}, ("ref",), "ref")
    assert (query.sort, query.descending) == ("ref", False)
    listing = list_page(NAMES, ListQuery.from_params({"sort": "ref"}, ("ref",)), text=str, keys=KEYS)
    assert "dir=desc" in listing.sort_link("ref") and listing.sort_state("ref") == "ascending"


def test_rows_without_a_value_sort_last_in_either_direction() -> None:
    rows = [("a", 2), ("b", None), ("c", 1)]
    for descending in (False, True):
        listing = list_page(rows, ListQuery(sort="n", descending=descending), text=str, keys={"n": lambda r: r[1]})
        assert listing.rows[-1] == ("b", None)


def test_links_keep_the_pages_other_parameters() -> None:
    listing = list_page(NAMES, ListQuery(), text=str, keys=KEYS, keep=(("account", "ACC-1"),))
    assert listing.link(page=2).startswith("?account=ACC-1&")


def test_a_listing_answered_to_a_form_links_to_its_own_page_not_the_forms_address() -> None:
    listing = list_page(NAMES, ListQuery(), text=str, keys=KEYS, path="/console/admin/staff")
    assert listing.sort_link("ref").startswith("/console/admin/staff?sort=ref")


@given(st.lists(st.integers(), max_size=120), st.integers(min_value=1, max_value=10))
def test_the_pages_together_hold_every_row_once(rows: list[int], per_page: int) -> None:
    first = list_page(rows, ListQuery(), text=str, keys={}, per_page=per_page)
    seen = [row for page in range(1, first.pages + 1)
            for row in list_page(rows, ListQuery(page=page), text=str, keys={}, per_page=per_page).rows]
    assert seen == rows
