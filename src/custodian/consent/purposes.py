"""Each purpose's consent rule, compiled from the policy (issue 16 §1-§2, §5).

- The choice a purpose needs is the policy's, except that CPNI disclosed to a third party always needs
  opt-in: 47 CFR 64.2007(b) makes opt-in the rule and 64.2007(b)(1) allows opt-out only for marketing
  communications-related services by the carrier, its agents and its communications-related affiliates.
  A processor is an agent; every other recipient kind (an affiliate included, since the policy does not
  say whether it provides communications-related services) counts as a third party. Essential purposes
  (choice none) stay essential: 47 U.S.C. 222(d) and 64.2005 need no approval for them.
- An opt-in counts only under wording the person saw: `accepted_text_hashes` holds the purpose text's
  hashes across policy versions since the purpose's last material change (policy/diff.py); a new purpose
  or a material change at `purposes.<name>` starts afresh (001 P49, 002 P64). A change of wording alone
  is not material, so a consent given under the earlier wording still counts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from custodian.policy.compiled import CompiledPolicy
from custodian.policy.diff import diff_policies
from custodian.policy.document import PolicyDocument
from custodian.policy.sharing_rules import third_party_purposes

CPNI_PREFIX = "cpni."
CONTACT_DATA_USE = "marketing.communications"  # purposes that contact the person (e-mail, SMS, phone, post)


@dataclass(frozen=True)
class PurposeRule:
    """What one purpose needs before it may use or disclose an account's data."""

    name: str
    choice: str  # effective: none, opt_out or opt_in
    declared_choice: str  # as the policy file states it
    uses_cpni: bool
    third_party: bool
    sale_or_sharing: bool  # what a Global Privacy Control signal opts out of
    text_sha256: str  # the purpose text in force
    accepted_text_hashes: frozenset[str]


def text_hash(description: str) -> str:
    """SHA-256 (hex) of a purpose's text as shown, UTF-8."""
    return hashlib.sha256(description.encode("utf-8")).hexdigest()


def compile_rules(policy: CompiledPolicy, earlier: Sequence[PolicyDocument] = ()) -> Mapping[str, PurposeRule]:
    """One rule per purpose of `policy`; `earlier` are the versions before it, oldest first."""
    document = policy.document
    third = third_party_purposes(document)
    accepted = _accepted_hashes(document, earlier)
    rules: dict[str, PurposeRule] = {}
    for name, purpose in document.purposes.items():
        uses_cpni = any(record_class.startswith(CPNI_PREFIX) for record_class in purpose.classes)
        third_party = name in third
        rules[name] = PurposeRule(
            name=name,
            choice="opt_in" if uses_cpni and third_party and purpose.choice == "opt_out" else purpose.choice,
            declared_choice=purpose.choice,
            uses_cpni=uses_cpni,
            third_party=third_party,
            sale_or_sharing=purpose.data_use.startswith("marketing.advertising") or "third_party" in purpose.data_use,
            text_sha256=text_hash(purpose.description),
            accepted_text_hashes=accepted[name],
        )
    return rules


def _accepted_hashes(current: PolicyDocument, earlier: Sequence[PolicyDocument]) -> dict[str, frozenset[str]]:
    accepted = {name: {text_hash(purpose.description)} for name, purpose in current.purposes.items()}
    open_names = set(accepted)
    newer = current
    for older in reversed(earlier):
        if not open_names:
            break
        changes = diff_policies(older, newer)
        for name in sorted(open_names):
            prefix = f"purposes.{name}"
            reset = name not in older.purposes or any(
                change.material and (change.path == prefix or change.path.startswith(prefix + "."))
                for change in changes)
            if reset:
                open_names.discard(name)
            else:
                accepted[name].add(text_hash(older.purposes[name].description))
        newer = older
    return {name: frozenset(hashes) for name, hashes in accepted.items()}


def contact_purposes(data_use_of: Mapping[str, str], choice_of: Mapping[str, str]) -> tuple[str, ...]:
    """The purposes an SMS STOP covers: those the customer may choose (choice other than none) whose data use
    is a marketing communication, sorted by name."""
    return tuple(sorted(
        name for name, use in data_use_of.items()
        if choice_of.get(name, "none") != "none"
        and (use == CONTACT_DATA_USE or use.startswith(CONTACT_DATA_USE + "."))))
