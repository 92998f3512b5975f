"""Asterisk `cdr_csv` Master.csv: headerless, 16 columns plus optional uniqueid and userfield.

Columns: accountcode, src, dst, dcontext, clid, channel, dstchannel, lastapp, lastdata, start,
answer, end, duration, billsec, disposition, amaflags[, uniqueid[, userfield]]. Times are
"YYYY-MM-DD HH:MM:SS" in the switch's local zone (`--timezone`).
"""

from __future__ import annotations

from custodian.ingest.parse import (
    ParseOptions,
    RowRejected,
    number_or_raw,
    record_key,
    seconds,
    switch_times,
)
from custodian.ingest.records import CallRow

COLUMNS = ("accountcode", "src", "dst", "dcontext", "clid", "channel", "dstchannel", "lastapp",
           "lastdata", "start", "answer", "end", "duration", "billsec", "disposition", "amaflags",
           "uniqueid", "userfield")
DISPOSITIONS = frozenset({"ANSWERED", "NO ANSWER", "BUSY", "FAILED", "CONGESTION"})


def parse(fields: list[str], options: ParseOptions) -> CallRow:
    """Parse one Master.csv record.

    This runs once per CDR on the largest imports: second counts are checked inline, and
    switch_times takes the fast path for canonical UTC times.
    """
    if not 16 <= len(fields) <= 18:
        raise RowRejected(f"expected 16 to 18 fields, found {len(fields)}")
    zone, region = options.zone, options.region
    started_at, started_text, answered_text, ended_text = switch_times(
        fields[9], fields[10], fields[11], zone, ("start", "answer", "end"))
    duration, billsec = fields[12], fields[13]
    if not (duration.isdigit() and billsec.isdigit()):
        seconds(duration, "duration"), seconds(billsec, "billsec")  # raises, naming the field
    disposition = fields[14].strip().upper()
    if disposition not in DISPOSITIONS:
        raise RowRejected("disposition: must be one of " + ", ".join(sorted(DISPOSITIONS)))
    src, dst = fields[1].strip(), fields[2].strip()
    if not src and not dst:
        raise RowRejected("src and dst: both empty")
    return CallRow(
        key=record_key(options.record_secret, "asterisk", *fields),
        source_format="asterisk",
        account_ref=fields[0].strip(),
        src=number_or_raw(src, region),
        dst=number_or_raw(dst, region),
        started_at=started_at,
        started_text=started_text,
        answered_text=answered_text,
        ended_text=ended_text,
        duration_s=int(duration),
        billsec_s=int(billsec),
        disposition=disposition,
        extra=(fields[4], fields[3], fields[5], fields[6], fields[7], fields[8],  # CALL_EXTRA_FIELDS
               fields[16] if len(fields) > 16 else "", fields[17] if len(fields) > 17 else ""),
    )

