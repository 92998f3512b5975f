"""Every import kind and format Custodian accepts, in one table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from custodian.ingest.formats import (
    accounts,
    asterisk,
    billing,
    comments,
    content,
    custodian_calls,
    e911,
    freeswitch,
    numbers,
    sms,
)
from custodian.ingest.writers.accounts import AccountWriter
from custodian.ingest.writers.billing import BillingWriter
from custodian.ingest.writers.calls import CallWriter
from custodian.ingest.writers.comments import CommentWriter
from custodian.ingest.writers.content import ContentWriter
from custodian.ingest.writers.e911 import E911Writer
from custodian.ingest.writers.numbers import NumberWriter
from custodian.ingest.writers.sms import SmsWriter


class UnknownFormat(ValueError):
    """No importer for that kind and format."""


@dataclass(frozen=True)
class ImportFormat:
    """How one kind of file is read (header, row parser) and written (writer class)."""

    kind: str
    name: str
    header: tuple[str, ...] | None
    parse: Callable[[Any, Any], Any]
    writer: Callable[..., Any]
    optional: tuple[str, ...] = ()  # columns a header may add to `header`


FORMATS: dict[tuple[str, str], ImportFormat] = {}


def register(fmt: ImportFormat, *, default: bool = False) -> None:
    """Add a format (the default one of its kind is also reachable without --format)."""
    FORMATS[(fmt.kind, fmt.name)] = fmt
    if default:
        FORMATS[(fmt.kind, "")] = fmt


def lookup(kind: str, name: str = "") -> ImportFormat:
    """The format for `kind` and `name` ('' = the kind's default)."""
    try:
        return FORMATS[(kind, name)]
    except KeyError:
        names = sorted({f"{k} --format {n}" if n else k for (k, n) in FORMATS})
        known = ", ".join(names)
        raise UnknownFormat(f"unknown import {kind!r} {name!r}; known: {known}") from None


def kinds() -> list[str]:
    """The import kinds, for help text."""
    return sorted({kind for kind, _ in FORMATS})


register(ImportFormat("accounts", "csv", accounts.HEADER, accounts.parse, AccountWriter),
         default=True)
register(ImportFormat("numbers", "csv", numbers.HEADER, numbers.parse, NumberWriter), default=True)
register(ImportFormat("calls", "asterisk", None, asterisk.parse, CallWriter), default=True)
register(ImportFormat("calls", "freeswitch", None, freeswitch.parse, CallWriter))
register(ImportFormat("calls", "custodian", custodian_calls.HEADER, custodian_calls.parse,
                      CallWriter))
register(ImportFormat("sms", "csv", sms.HEADER, sms.parse, SmsWriter), default=True)
register(ImportFormat("billing", "csv", billing.HEADER, billing.parse, BillingWriter), default=True)
register(ImportFormat("comments", "csv", comments.HEADER, comments.parse, CommentWriter),
         default=True)
register(ImportFormat("content", "csv", content.HEADER, content.parse, ContentWriter, content.OPTIONAL), default=True)
register(ImportFormat("e911", "csv", e911.HEADER, e911.parse, E911Writer), default=True)
