"""An audit event's detail as labelled fields a person reads (web/console/audit_view.py)."""

from __future__ import annotations

from custodian.web.console.audit_view import detail_pairs


def test_an_access_events_detail_reads_as_labelled_fields_with_record_classes_named() -> None:
    pairs = detail_pairs({"ticket": 7, "purpose": "customer_support", "mask": "masked_counterpart",
                          "action": "read", "break_glass": False, "policy": "ab12cd34",
                          "record_classes": ["cpni.call_log", "location.e911_address"]})
    assert pairs == [("Ticket", "7"), ("Purpose", "customer support"), ("Masked", "masked counterpart"),
                     ("Request", "read"), ("Policy version", "ab12cd34"),
                     ("Record classes", "Call detail records, E911 locations")]


def test_empty_values_are_left_out_and_nested_details_are_worded() -> None:
    detail = {"note": "", "reason": None, "deleted": {"cpni.sms_log": 3}}
    assert detail_pairs(detail) == [("Deleted", "Text message detail records: 3")]
    assert detail_pairs(None) == []
