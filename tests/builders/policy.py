"""A small, complete, valid policy file for tests, and ways to bend it."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from custodian.policy.check import check_file, check_text
from custodian.policy.compiled import CompiledPolicy, compile_policy
from custodian.policy.notice import build_notice
from custodian.policy.sca import default_process, process_rank

SMALL_POLICY = """\
custodian_policy: 1
provider:
  name: Example Telecom, Inc.
  website: https://telecom.example
  jurisdictions: [US, US-TX]
  effective_on: 2026-01-01
  contacts:
    - role: privacy
      email: privacy@telecom.example
    - role: legal_requests
      email: legal@telecom.example
data_sets:
  - id: subscribers
    role: controller
    classes: [subscriber.basic, billing.payment_instrument, cpni.call_log, content.call_recording]
record_classes:
  subscriber.basic:
    categories: [user.name, user.contact.address, user.contact.email]
    description: Name, service address and e-mail of the account holder.
  billing.payment_instrument:
    categories: [user.financial.credit_card]
    description: Card brand and last four digits.
  cpni.call_log:
    categories: [user.behavior, user.contact.phone_number]
    description: Who called whom, when, for how long.
  content.call_recording:
    categories: [user.content.private]
    description: Recordings of calls the customer chose to record.
purposes:
  provide_service:
    data_use: essential.service
    choice: none
    classes: [subscriber.basic, billing.payment_instrument, cpni.call_log, content.call_recording]
    description: Connect calls, bill for them and keep the service running.
  marketing_offers:
    data_use: marketing.communications.email
    choice: opt_out
    classes: [subscriber.basic]
    description: Tell customers about new plans.
staff:
  topics: [billing, technical]
  roles:
    support_representative:
      description: Answers customers on the phone and by e-mail.
      topics:
        billing:
          purpose: provide_service
          classes: [subscriber.basic, billing.payment_instrument]
          masks: {billing.payment_instrument: last_four}
        technical:
          purpose: provide_service
          classes: [subscriber.basic, cpni.call_log]
          masks: {cpni.call_log: masked_counterpart}
  cpni_authentication:
    classes: [cpni.call_log]
    channels: [inbound_call]
    alternatives: [send_to_address_of_record, call_number_of_record]
recipients:
  card_processor:
    name: Example Payments LLC
    kind: processor
    contract:
      signed_on: 2025-06-01
      terms: [confidentiality, purpose_limitation]
      description: Use only to process payments.
    classes: [subscriber.basic, billing.payment_instrument]
    purposes: [provide_service]
retention:
  rules:
    - classes: [content.call_recording]
      profiles: [standard]
      keep: {days: 90}
    - classes: [content.call_recording]
      profiles: [hipaa]
      keep: {days: 30}
    - classes: [subscriber.basic, billing.payment_instrument, cpni.call_log]
      keep: while_needed
  on_closure: {purge_after_days: 30, deadline_days: 45}
legal:
  requesters:
    law_enforcement:
      required_fields: [agency, agent_name, badge_number, email, phone, mailing_address, requested_response_on]
      min_response_days: 14
      government_email_only: true
    civil:
      required_fields: [party_name, counsel_name, counsel_bar_number, counsel_bar_state, email]
      min_response_days: 28
  service_channels: [email, mail]
  max_date_range_months: 2
  process:
    civil: {cpni.call_log: never, content.call_recording: never}
  preservation: {days: 90, renewals: 1, renewal_days: 90}
  notification: {notify_customer: true}
  fees:
    - {code: basic, item: Subscriber information, basis: per_account, amount_cents: 5000, classes: [subscriber.basic]}
"""


def policy_with(old: str, new: str) -> str:
    """SMALL_POLICY with one exact piece of text replaced (the piece must be there)."""
    assert old in SMALL_POLICY, old
    return SMALL_POLICY.replace(old, new, 1)


def line_of(text: str, fragment: str) -> int:
    """The 1-based line on which `fragment` first appears in `text`."""
    return text[: text.index(fragment)].count("\n") + 1


def assert_no_class_below_the_legal_floor(policy: CompiledPolicy) -> None:
    """No class is released to a government or civil requester on less process than the law requires."""
    for requester in ("law_enforcement", "civil"):
        for name in policy.collected:
            needed = policy.process_needed(requester, name)
            assert process_rank(needed) >= process_rank(default_process(requester, name)), (requester, name)


EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "policies"


@cache
def example_policy(file_name: str) -> CompiledPolicy:
    """One of the seed providers' policies under examples/policies/, checked and compiled."""
    path = EXAMPLES / file_name
    result = check_file(path)
    assert result.valid and result.document is not None, [p.render(str(path)) for p in result.problems]
    return compile_policy(result.document, path.read_text(encoding="utf-8"))


def notice_text(policy: CompiledPolicy, section_id: str) -> str:
    """The words of one section of the policy's published notice: paragraphs and table cells."""
    section = next(s for s in build_notice(policy).sections if s.id == section_id)
    cells = [cell for table in section.tables for row in table.rows for cell in row]
    return "\n".join([*section.paragraphs, *cells])


def problems_of(text: str) -> list[str]:
    """The checker's messages for a policy text, as `path: message`."""
    return [f"{p.path}: {p.message}" for p in check_text(text).problems]
