"""Every seed provider's legal process, driven through the desk's review rule (`reach_problem`) with that
provider's own policy file: what a record class needs is decided at run time from the policy in force.

18 U.S.C. 2702(a): a provider "shall not knowingly divulge to any person or entity the contents of a
communication while in electronic storage"; 2703(a)-(b): the government reaches content with a warrant.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from custodian.legal.validate import reach_problem
from custodian.policy.check import check_text
from custodian.policy.compiled import CompiledPolicy, compile_policy
from custodian.policy.vocabulary import CONTENT_CLASSES
from tests.builders.legal import CIVIL, a_request

POLICIES = sorted((Path(__file__).resolve().parents[2] / "examples" / "policies").glob("*.yaml"))


@lru_cache(maxsize=8)
def _compiled(path: Path) -> CompiledPolicy:
    text = path.read_text(encoding="utf-8")
    document = check_text(text).document
    assert document is not None
    return compile_policy(document, text)


def _content_classes(policy: CompiledPolicy) -> list[str]:
    return sorted(name for name in policy.document.record_classes if name in CONTENT_CLASSES)


@pytest.mark.parametrize("path", POLICIES, ids=lambda p: p.stem)
def test_no_seed_releases_content_to_a_private_party_or_on_a_subpoena(path: Path) -> None:
    """Seed 000: "We will release specific information about your account only to comply with a valid legal
    process"; seed 004: "Com 1 Communications also will not ... disclose to third parties the contents"."""
    policy = _compiled(path)
    civil = a_request(CIVIL)
    subpoena = a_request(instrument__type="subpoena")
    for name in _content_classes(policy):
        assert reach_problem(civil, policy, name) is not None, name
        assert reach_problem(subpoena, policy, name) is not None, name


@pytest.mark.parametrize("path", POLICIES, ids=lambda p: p.stem)
def test_every_seed_reaches_subscriber_information_with_a_subpoena_and_content_only_with_a_warrant(
        path: Path) -> None:
    """Quality Communications: disclosure where "the law requires" it; 18 U.S.C. 2703(c)(2) and 2703(a)."""
    policy = _compiled(path)
    assert reach_problem(a_request(instrument__type="subpoena"), policy, "subscriber.basic") is None
    warrant = a_request(instrument__type="search_warrant")
    for name in _content_classes(policy):
        needed = policy.process_needed("law_enforcement", name)
        assert (reach_problem(warrant, policy, name) is None) == (needed != "never"), name


def test_red_spectrum_accepts_no_emergency_so_an_emergency_form_reaches_nothing() -> None:
    """Seed 000 releases account information "only to comply with a valid legal process": its policy accepts
    no emergency request, so an emergency form reaches no class."""
    policy = _compiled(next(path for path in POLICIES if path.name.startswith("000-")))
    assert not policy.document.legal.emergency.accepted
    emergency = a_request(kind="emergency", instrument__type="emergency_form",
                          emergency={"basis": "a kidnapping in progress", "imminent_harm_attested": True})
    assert all(reach_problem(emergency, policy, name) is not None for name in policy.document.record_classes)
