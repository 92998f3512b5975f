"""Writing import files for tests."""

from __future__ import annotations

import errno
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pytest

from custodian.crypto import blobs as blobs_module

ACCOUNTS_HEADER = ("account_ref,kind,profile,status,company,first_name,last_name,email,"
                   "contact_phone,street,city,state,postal_code,country,signup_on,closed_on,"
                   "controller")
NUMBERS_HEADER = "number,account_ref,extension,assigned_from,assigned_to,carrier"


def write_lines(path: Path, lines: Iterable[str]) -> Path:
    """Write `lines` (no trailing newline needed) to `path`."""
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def csv_file(path: Path, header: str, rows: Sequence[str]) -> Path:
    """A CSV with `header` then `rows`."""
    return write_lines(path, [header, *rows])


def account_line(ref: str, *, kind: str = "residential", status: str = "active",
                 closed_on: str = "", first: str = "Ada", last: str = "Lovelace", email: str = "",
                 company: str = "") -> str:
    """One `accounts` row with sensible defaults."""
    email = email or f"{ref.lower()}@example.com"
    return (f"{ref},{kind},standard,{status},{company},{first},{last},{email},+15125550100,"
            f"1 Main St,Austin,TX,78701,US,2024-01-01,{closed_on},")


def asterisk_line(src: str, dst: str, start: str, *, accountcode: str = "",
                  disposition: str = "ANSWERED", duration: int = 65, billsec: int = 60,
                  uniqueid: str = "") -> str:
    """One Master.csv record (answer 5 s after start)."""
    answer = start[:-2] + f"{int(start[-2:]) + 5:02d}" if disposition == "ANSWERED" else ""
    tail = f',"{uniqueid}",""' if uniqueid else ""
    return (f'"{accountcode}","{src}","{dst}","from-internal","","SIP/a-1","SIP/b-2","Dial","",'
            f'"{start}","{answer}","{start}",{duration},{billsec},"{disposition}","DOCUMENTATION"{tail}')


CALLS_HEADER = ("account_ref,direction,own_number,counterpart_number,started_at,answered_at,"
                "ended_at,duration_s,billsec_s,disposition")
SMS_HEADER = "account_ref,direction,from_number,to_number,sent_at,segments,body"
BILLING_HEADER = ("account_ref,occurred_at,reference,amount_cents,currency,method,card_brand,"
                  "card_last4,state")
COMMENTS_HEADER = "account_ref,written_at,author,text"
CONTENT_HEADER = "account_ref,kind,occurred_at,direction,counterpart_number,path,media_type"


def number_line(number: str, ref: str, start: str, end: str = "", *, extension: str = "") -> str:
    """One `numbers` row."""
    return f"{number},{ref},{extension},{start},{end},ExampleTel"


def freeswitch_line(caller: str, destination: str, start: str, *, answer: str | None = None,
                    end: str = "", accountcode: str = "", cause: str = "NORMAL_CLEARING",
                    uuid: str = "a1b2c3d4-0000-4000-8000-000000000001",
                    codecs: bool = True) -> str:
    """One mod_cdr_csv record, all fields quoted; `answer` defaults to `start`, '' = unanswered."""
    answer = start if answer is None else answer
    fields = ["Ada Lovelace", caller, destination, "default", start, answer, end or start,
              "65", "60" if answer else "0", cause, uuid, "", accountcode]
    if codecs:
        fields += ["PCMU", "PCMU"]
    return ",".join(f'"{field}"' for field in fields)


def custodian_call_line(ref: str, direction: str, own: str, counterpart: str, started_at: str,
                        *, answered_at: str = "", ended_at: str = "", duration: str = "65",
                        billsec: str = "60", disposition: str = "ANSWERED") -> str:
    """One Custodian `calls` row."""
    return (f"{ref},{direction},{own},{counterpart},{started_at},{answered_at},{ended_at},"
            f"{duration},{billsec},{disposition}")


def sms_line(ref: str, direction: str, from_number: str, to_number: str, sent_at: str, *,
             segments: str = "1", body: str = "See you at noon") -> str:
    """One `sms` row; the body is quoted."""
    quoted = body.replace('"', '""')
    return f'{ref},{direction},{from_number},{to_number},{sent_at},{segments},"{quoted}"'


def billing_line(ref: str, occurred_at: str, reference: str, *, amount: str = "2999",
                 currency: str = "USD", method: str = "card", brand: str = "visa",
                 last4: str = "4242", state: str = "settled") -> str:
    """One `billing` row (a card payment unless told otherwise)."""
    return (f"{ref},{occurred_at},{reference},{amount},{currency},{method},{brand},{last4},"
            f"{state}")


def comment_line(ref: str, written_at: str, text: str, *, author: str = "rep.jones") -> str:
    """One `comments` row; the text is quoted."""
    quoted = text.replace('"', '""')
    return f'{ref},{written_at},{author},"{quoted}"'


def content_line(ref: str, kind: str, occurred_at: str, path: str, *, direction: str = "in",
                 counterpart: str = "+15125550199", media_type: str = "") -> str:
    """One `content` manifest row."""
    return f"{ref},{kind},{occurred_at},{direction},{counterpart},{path},{media_type}"


def pdf_bytes(pages: int) -> bytes:
    """A small PDF whose page tree holds `pages` page objects."""
    kids = " ".join(f"{3 + index} 0 R" for index in range(pages))
    objects = [b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n",
               f"2 0 obj\n<< /Type /Pages /Kids [{kids}] /Count {pages} >>\nendobj\n".encode()]
    objects += [f"{3 + index} 0 obj\n<< /Type /Page /Parent 2 0 R >>\nendobj\n".encode()
                for index in range(pages)]
    return b"%PDF-1.4\n" + b"".join(objects) + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"


class _FullDisk(io.BytesIO):
    """A file on a disk with room for `room` bytes."""

    def __init__(self, room: int) -> None:
        super().__init__()
        self.room = room

    def write(self, data: Any) -> int:
        if self.tell() + len(data) > self.room:
            raise OSError(errno.ENOSPC, "No space left on device")
        return super().write(data)


def full_disk(monkeypatch: pytest.MonkeyPatch, room: int = 10) -> None:
    """Every file the blob store opens for writing fills up after `room` bytes (ENOSPC)."""
    real_open = open

    def opening(path: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        return _FullDisk(room) if "w" in mode else real_open(path, mode, *args, **kwargs)

    monkeypatch.setattr(blobs_module, "open", opening, raising=False)
