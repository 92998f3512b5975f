"""Requester e-mail domains (DRG V.A): "SpectrumVoIP will not respond to an individual's private email address
or any e-mail address in a domain unassociated with the Requesting Agency" (seed 002_9098c538d5e390c3.txt)."""

from __future__ import annotations

import pytest

from custodian.legal.email_domains import agency_email_problem
from custodian.legal.validate import validate_request
from custodian.policy.check import check_text
from custodian.policy.compiled import compile_policy
from custodian.policy.document_legal import AgencyDomains
from tests.builders.legal import a_request
from tests.builders.policy import policy_with

LISTED = [AgencyDomains(agency="Dallas Police Department", domains=["dpd.ci.dallas.tx.us", "dallaspolice.net"]),
          AgencyDomains(agency="Federal Bureau of Investigation", domains=["fbi.gov"])]


@pytest.mark.parametrize("email", ["det@dallaspolice.net", "det@records.dallaspolice.net", "det@dpd.ci.dallas.tx.us"])
def test_a_listed_agency_writes_from_one_of_its_own_domains(email: str) -> None:
    assert agency_email_problem(email, "Dallas  police department", LISTED, []) is None


@pytest.mark.parametrize("email", ["det@plano.gov", "det@gmail.com", "det@dallaspolice.net.example.com"])
def test_a_listed_agency_writing_from_another_domain_is_refused(email: str) -> None:
    """Even a .gov address is 'a domain unassociated with the Requesting Agency' when the agency's domains are
    known and it is not one of them."""
    assert agency_email_problem(email, "Dallas Police Department", LISTED, []) == "email_not_agency_domain"


def test_an_unlisted_agency_keeps_the_government_domain_rule() -> None:
    assert agency_email_problem("a@plano.gov", "Plano Police Department", LISTED, []) is None
    assert agency_email_problem("a@plano.com", "Plano Police Department", LISTED, []) == \
        "email_not_government_domain"


def test_a_government_address_of_a_different_listed_agency_is_flagged() -> None:
    assert agency_email_problem("agent@fbi.gov", "Plano Police Department", LISTED, []) == \
        "email_domain_other_agency"
    assert agency_email_problem("agent@la.fbi.gov", None, LISTED, []) == "email_domain_other_agency"


def test_validation_reads_the_agency_domains_from_the_policy() -> None:
    text = policy_with("  max_date_range_months: 2",
                       "  max_date_range_months: 2\n  agency_email_domains:\n"
                       "    - {agency: Plano Police Department, domains: [plano.gov, planopd.org]}\n"
                       "    - {agency: Federal Bureau of Investigation, domains: [fbi.gov]}")
    result = check_text(text)
    assert result.valid and result.document is not None, result.problems
    policy = compile_policy(result.document, text)
    classes = {"record_classes": ["subscriber.basic"]}
    assert validate_request(a_request(requester__email="aruiz@planopd.org", **classes), policy) == []
    found = validate_request(a_request(requester__email="aruiz@fbi.gov", **classes), policy)
    assert [(p.code, p.field) for p in found] == [("email_not_agency_domain", "requester.email")]
    other = a_request(requester__agency="Frisco Police Department", requester__email="x@fbi.gov", **classes)
    assert [p.code for p in validate_request(other, policy)] == ["email_domain_other_agency"]
