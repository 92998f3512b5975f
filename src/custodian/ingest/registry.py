"""Every import kind and format Custodian accepts, in one table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from custodian.ingest.formats import accounts, asterisk, numbers
from custodian.ingest.writers.accounts import AccountWriter
from custodian.ingest.writers.calls import CallWriter
from custodian.ingest.writers.numbers import NumberWriter


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
        raise UnknownFormat(f"unknown import {kind!r} {name!r}; known: {', '.join(names)}") from None


def kinds() -> list[str]:
    """The import kinds, for help text."""
    return sorted({kind for kind, _ in FORMATS})


register(ImportFormat("accounts", "csv", accounts.HEADER, accounts.parse, AccountWriter), default=True)
register(ImportFormat("numbers", "csv", numbers.HEADER, numbers.parse, NumberWriter), default=True)
register(ImportFormat("calls", "asterisk", None, asterisk.parse, CallWriter), default=True)
