"""Whether the policy lets data go to a recipient: the gate's refusal rules, checked in a fixed order (issue 17 §1).

- The recipient, purpose and classes must be ones the policy lists together: seed 002 P15, "SpectrumVoIP will not
  share or disclose personal information for purposes other than as described herein."
- The data may be no more identifying than the recipient's and the purpose's `data_form` allow
  (aggregate < de_identified < identifiable); seed 003 shares "aggregate information" with advertisers only.
- The recipient's contract holds every term the policy requires of its kind (`contract_requirements`): the
  onward-transfer terms of seed 002 P53, P54, P57 and P59.
- A sensitive class goes to a third party only for an opt-in purpose or under a named exception (seed 002 P52);
  a processor acting on instructions is not a third party (as policy/sharing_rules.py checks the file).
- A recipient abroad needs a transfer mechanism (seed 002 P58). Privacy Shield counts as none: the Court of Justice
  of the EU invalidated it on 16 July 2020 (C-311/18, "Schrems II").

Pure: no I/O; the first rule that fails is the answer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from custodian.policy.compiled import CompiledPolicy
from custodian.policy.document import Purpose, Recipient
from custodian.policy.sharing_rules import home_country, missing_contract_terms
from custodian.policy.vocabulary import DATA_FORMS

INVALID_MECHANISMS = frozenset({"privacy_shield"})  # CJEU C-311/18 (Schrems II), 16 July 2020


@dataclass(frozen=True)
class Refusal:
    """Why a release may not happen: the rule's name and the words that explain it."""

    rule: str
    words: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.words}"


@dataclass(frozen=True)
class _Ask:
    policy: CompiledPolicy
    name: str
    recipient: Recipient
    purpose_name: str
    purpose: Purpose
    classes: tuple[str, ...]
    form: str


def refusal(policy: CompiledPolicy, recipient: str, purpose: str, classes: Sequence[str],
            form: str) -> Refusal | None:
    """The first rule a release of `classes` to `recipient` for `purpose` in `form` breaks; None when it may go."""
    doc = policy.document
    if recipient not in doc.recipients:
        return Refusal("unknown_recipient", f"the policy lists no recipient {recipient!r}")
    if purpose not in doc.purposes:
        return Refusal("unknown_purpose", f"the policy lists no purpose {purpose!r}")
    if form not in DATA_FORMS:
        raise ValueError(f"form: one of {', '.join(DATA_FORMS)}")
    ask = _Ask(policy, recipient, doc.recipients[recipient], purpose, doc.purposes[purpose], tuple(classes), form)
    for rule in RULES:
        found = rule(ask)
        if found is not None:
            return found
    return None


def _not_for_purpose(ask: _Ask) -> Refusal | None:
    if ask.purpose_name in ask.recipient.purposes:
        return None
    return Refusal("recipient_not_listed_for_purpose",
                   f"{ask.name} is not listed to receive data for {ask.purpose_name}")


def _not_for_class(ask: _Ask) -> Refusal | None:
    missing = [name for name in ask.classes if name not in ask.recipient.classes or name not in ask.purpose.classes]
    if not missing:
        return None
    return Refusal("recipient_not_listed_for_class",
                   f"{ask.name} is not listed to receive {', '.join(missing)} for {ask.purpose_name}")


def _too_identifying(ask: _Ask) -> Refusal | None:
    allowed = min(DATA_FORMS.index(ask.recipient.data_form), DATA_FORMS.index(ask.purpose.data_form))
    if DATA_FORMS.index(ask.form) <= allowed:
        return None
    return Refusal("form_too_identifying",
                   f"{ask.form} data asked, but {ask.name} for {ask.purpose_name} may receive only "
                   f"{DATA_FORMS[allowed]} data")


def _contract_terms(ask: _Ask) -> Refusal | None:
    missing = missing_contract_terms(ask.policy.document, ask.recipient)
    if not missing:
        return None
    return Refusal("contract_term_missing",
                   f"{ask.name}'s contract lacks {', '.join(missing)}, which every {ask.recipient.kind} must sign")


def _sensitive(ask: _Ask) -> Refusal | None:
    if ask.form == "aggregate" or ask.recipient.kind == "processor":
        return None
    if ask.purpose.choice == "opt_in" or ask.purpose.sensitive_exception is not None:
        return None
    sensitive = [name for name in ask.classes if name in ask.policy.sensitive]
    if not sensitive:
        return None
    return Refusal("sensitive_needs_opt_in",
                   f"{', '.join(sensitive)} is sensitive, and {ask.purpose_name} is not an opt-in purpose")


def _transfer(ask: _Ask) -> Refusal | None:
    country = ask.recipient.country
    if country is None or country == home_country(ask.policy.document):
        return None
    mechanism = ask.recipient.transfer_mechanism
    if mechanism is None:
        return Refusal("transfer_mechanism_missing", f"{ask.name} is in {country} and no transfer mechanism is named")
    if mechanism in INVALID_MECHANISMS:
        return Refusal("transfer_mechanism_missing",
                       f"{ask.name} is in {country} under Privacy Shield, which the Court of Justice of the EU "
                       "invalidated on 16 July 2020 (C-311/18, Schrems II)")
    return None


RULES: tuple[Callable[[_Ask], Refusal | None], ...] = (
    _not_for_purpose, _not_for_class, _too_identifying, _contract_terms, _sensitive, _transfer)
"""The rules after unknown_recipient and unknown_purpose, in the order they are checked."""
