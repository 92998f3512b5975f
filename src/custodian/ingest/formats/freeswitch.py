"""FreeSWITCH `mod_cdr_csv` default template: headerless, every field double-quoted.

Columns: caller_id_name, caller_id_number, destination_number, context, start_stamp,
answer_stamp, end_stamp, duration, billsec, hangup_cause, uuid, bleg_uuid, accountcode
[, read_codec, write_codec]. Times are "YYYY-MM-DD HH:MM:SS" in the switch's local zone
(`--timezone`); an empty answer_stamp is an unanswered call.
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

COLUMNS = ("caller_id_name", "caller_id_number", "destination_number", "context", "start_stamp",
           "answer_stamp", "end_stamp", "duration", "billsec", "hangup_cause", "uuid", "bleg_uuid",
           "accountcode", "read_codec", "write_codec")
MAX_DISPOSITION = 32


def parse(fields: list[str], options: ParseOptions) -> CallRow:
    """Parse one cdr_csv record."""
    if not 13 <= len(fields) <= 15:
        raise RowRejected(f"expected 13 to 15 fields, found {len(fields)}")
    zone, region = options.zone, options.region
    started_at, started_text, answered_text, ended_text = switch_times(
        fields[4], fields[5], fields[6], zone, ("start_stamp", "answer_stamp", "end_stamp"))
    cause = fields[9].strip().upper()
    if not cause:
        raise RowRejected("hangup_cause: required")
    if len(cause) > MAX_DISPOSITION:
        raise RowRejected(f"hangup_cause: longer than {MAX_DISPOSITION} characters")
    src, dst = fields[1].strip(), fields[2].strip()
    if not src and not dst:
        raise RowRejected("caller_id_number and destination_number: both empty")
    return CallRow(
        key=record_key(options.record_secret, "freeswitch", *fields),
        source_format="freeswitch",
        account_ref=fields[12].strip(),
        src=number_or_raw(src, region),
        dst=number_or_raw(dst, region),
        started_at=started_at,
        started_text=started_text,
        answered_text=answered_text,
        ended_text=ended_text,
        duration_s=seconds(fields[7], "duration"),
        billsec_s=seconds(fields[8], "billsec"),
        disposition=cause,
        extra=(fields[0], fields[3], "", "", "", "", fields[10], ""),  # records.payload.CALL_EXTRA_FIELDS
    )
