"""The vendor list's rules: when a contract is next reviewed, and what needs the officer's attention. The missing
term is found by the same function the checker and the gate use (policy/sharing_rules.missing_contract_terms)."""

from __future__ import annotations

from datetime import date

from custodian.disclosures.vendors import Review, add_months, review_due, vendors
from custodian.policy.document import Contract, PolicyDocument
from tests.builders.disclosures import disclosing_policy

TODAY = date(2026, 3, 1)  # the small policy's card processor signed on 2025-06-01: due 2026-06-01


def _doc() -> PolicyDocument:
    return disclosing_policy().document


def test_twelve_months_on_keeps_the_day_or_takes_the_months_last() -> None:
    assert add_months(date(2025, 12, 5), 12) == date(2026, 12, 5)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)


def test_a_review_is_due_twelve_months_on_or_on_the_day_set_whichever_is_first() -> None:
    assert review_due(None, None) is None
    assert review_due(None, date(2025, 6, 1)) == date(2026, 6, 1)
    assert review_due(Review(date(2026, 1, 10), None, "staff:petra", ""), date(2020, 1, 1)) == date(2027, 1, 10)
    assert review_due(Review(date(2026, 1, 10), date(2026, 7, 1), "staff:petra", ""), None) == date(2026, 7, 1)
    assert review_due(Review(date(2026, 1, 10), date(2028, 1, 1), "staff:petra", ""), None) == date(2027, 1, 10)


def test_a_contract_without_a_required_term_is_flagged_as_the_gate_would_refuse_it() -> None:
    """Issue 17 §4: the officer "is warned when a recipient lacks a term the policy requires"."""
    doc = _doc()
    processor = doc.recipients["card_processor"]
    weak = processor.model_copy(update={"contract": Contract(signed_on=date(2026, 6, 1), terms=["confidentiality"])})
    changed = doc.model_copy(update={"recipients": {**doc.recipients, "card_processor": weak},
                                     "contract_requirements": {"processor": ["confidentiality", "purpose_limitation"]}})
    [card] = [v for v in vendors(changed, {}, {}, TODAY) if v.key == "card_processor"]
    assert card.warnings == ("The contract lacks purpose limitation, which the policy requires of every processor: "
                             "the disclosure gate refuses every release to it.",)
    [fine] = [v for v in vendors(doc, {}, {}, TODAY) if v.key == "card_processor"]
    assert fine.warnings == () and fine.due_on == date(2026, 6, 1)


def test_a_recipient_abroad_under_privacy_shield_is_flagged() -> None:
    doc = _doc()
    abroad = doc.recipients["card_processor"].model_copy(update={"country": "IE",
                                                                 "transfer_mechanism": "privacy_shield"})
    changed = doc.model_copy(update={"recipients": {**doc.recipients, "card_processor": abroad}})
    [card] = [v for v in vendors(changed, {}, {}, TODAY) if v.key == "card_processor"]
    assert card.abroad and len(card.warnings) == 1 and "Privacy Shield was invalidated" in card.warnings[0]
    sound = abroad.model_copy(update={"transfer_mechanism": "data_privacy_framework"})
    changed = doc.model_copy(update={"recipients": {**doc.recipients, "card_processor": sound}})
    assert next(v for v in vendors(changed, {}, {}, TODAY) if v.key == "card_processor").warnings == ()


def test_a_review_overdue_is_flagged_with_its_day() -> None:
    old = {"card_processor": Review(date(2025, 2, 1), None, "staff:petra", "")}
    [card] = [v for v in vendors(_doc(), old, {}, TODAY) if v.key == "card_processor"]
    assert card.warnings == ("The contract review is overdue: it was due on 2026-02-01.",)
