"""Paging, sorting and filtering of a list a console table shows, from the page's query parameters (pure).

A table works without JavaScript: its sort headers, filter form and pager are links and GET forms, and
this module turns their parameters (`q`, `sort`, `dir`, `page`) into the rows of one page. Unknown sort
keys and out-of-range pages fall back to the defaults rather than fail.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

Row = TypeVar("Row")
PER_PAGE = 25


@dataclass(frozen=True)
class ListQuery:
    """What the reader asked for: filter text, sort key and direction, page number (from 1)."""

    q: str = ""
    sort: str = ""
    descending: bool = False
    page: int = 1

    @classmethod
    def from_params(cls, params: Mapping[str, str], sortable: Iterable[str], default_sort: str = "",
                    default_descending: bool = False) -> ListQuery:
        """The query of a request's parameters; a sort key not in `sortable` means the default."""
        sort = params.get("sort", "")
        if sort not in set(sortable):
            return cls(params.get("q", "").strip()[:200], default_sort, default_descending, _page(params))
        return cls(params.get("q", "").strip()[:200], sort, params.get("dir") == "desc", _page(params))


@dataclass(frozen=True)
class Listing(Generic[Row]):
    """One page of a filtered, sorted list, and what its pager and headers need to link onwards."""

    rows: tuple[Row, ...]
    query: ListQuery
    total: int
    per_page: int = PER_PAGE
    keep: tuple[tuple[str, str], ...] = field(default=())  # other parameters every link carries
    path: str = ""  # the page every link goes to; empty: the page shown (wrong when a POST answered it)

    @property
    def pages(self) -> int:
        """How many pages the filtered list fills (at least one)."""
        return max(1, -(-self.total // self.per_page))

    @property
    def first_shown(self) -> int:
        """The position (from 1) of the page's first row; 0 when the list is empty."""
        return 0 if not self.total else (self.query.page - 1) * self.per_page + 1

    @property
    def last_shown(self) -> int:
        """The position of the page's last row."""
        return self.first_shown + len(self.rows) - 1 if self.rows else 0

    def link(self, **changes: Any) -> str:
        """The query string of this listing with `changes` (page, sort, dir, q) applied."""
        values = {"q": self.query.q, "sort": self.query.sort, "dir": "desc" if self.query.descending else "",
                  "page": str(self.query.page), **{k: str(v) for k, v in changes.items()}}
        if values["page"] == "1":
            values["page"] = ""
        pairs = list(self.keep) + [(k, v) for k, v in values.items() if v]
        return self.path + "?" + urlencode(pairs)

    def sort_link(self, key: str) -> str:
        """The link of a column header: sort by `key`, flipping the direction when already sorted by it."""
        descending = not self.query.descending if self.query.sort == key else False
        return self.link(sort=key, dir="desc" if descending else "", page=1)

    def sort_state(self, key: str) -> str:
        """The header's aria-sort value: ascending, descending or none."""
        if self.query.sort != key:
            return "none"
        return "descending" if self.query.descending else "ascending"


def list_page(rows: Sequence[Row], query: ListQuery, *, text: Callable[[Row], str],
              keys: Mapping[str, Callable[[Row], Any]], per_page: int = PER_PAGE,
              keep: Iterable[tuple[str, str]] = (), path: str = "") -> Listing[Row]:
    """Filter `rows` by `query.q` (case-insensitive, every word in `text(row)`), sort by `keys[query.sort]`
    and cut the page asked for (the last page when the number is beyond it)."""
    words = query.q.lower().split()
    kept = [row for row in rows if all(word in text(row).lower() for word in words)]
    if query.sort in keys:
        kept = _sorted(kept, keys[query.sort], query.descending)
    pages = max(1, -(-len(kept) // per_page))
    page = min(query.page, pages)
    start = (page - 1) * per_page
    return Listing(tuple(kept[start:start + per_page]), _with_page(query, page), len(kept), per_page,
                   tuple(keep), path)


def _sorted(rows: list[Row], key: Callable[[Row], Any], descending: bool) -> list[Row]:
    # Rows without a value go last whichever the direction; text sorts without regard to case.
    present = [row for row in rows if key(row) not in (None, "")]
    missing = [row for row in rows if key(row) in (None, "")]
    present.sort(key=lambda row: key(row).lower() if isinstance(key(row), str) else key(row), reverse=descending)
    return present + missing


def _page(params: Mapping[str, str]) -> int:
    raw = params.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 1_000_000 else 1


def _with_page(query: ListQuery, page: int) -> ListQuery:
    return ListQuery(query.q, query.sort, query.descending, page)
