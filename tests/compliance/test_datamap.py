"""The data map drawn from the policy: every class, purpose and recipient a node; the edges exactly the rules'
pairs; every node and edge a link to its rule (issue 18 §3)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from custodian.compliance.datamap import data_map, data_map_svg
from tests.builders.policy import example_policy

SVG = "{http://www.w3.org/2000/svg}"
POLICIES = ["000-red-spectrum.yaml", "002-spectrumvoip.yaml", "004-com1-communications.yaml"]


@pytest.mark.parametrize("file_name", POLICIES)
def test_every_class_purpose_and_recipient_is_a_node_and_the_edges_are_the_policys_pairs(file_name: str) -> None:
    policy = example_policy(file_name).document
    found = data_map(policy)
    assert {n.key for n in found.classes} == set(policy.record_classes)
    assert [n.key for n in found.purposes] == list(policy.purposes)
    assert [n.key for n in found.recipients] == list(policy.recipients)
    pairs = {(e.source.kind, e.source.key, e.target.kind, e.target.key) for e in found.edges}
    assert pairs == {("class", c, "purpose", p) for p, rule in policy.purposes.items() for c in rule.classes} | {
        ("purpose", p, "recipient", r) for r, rule in policy.recipients.items() for p in rule.purposes}


def test_the_svg_is_self_contained_accessible_and_links_each_node_and_edge_to_its_rule() -> None:
    policy = example_policy("002-spectrumvoip.yaml").document
    found = data_map(policy)
    svg = data_map_svg(policy, rule_page="/console/officer/data-map")
    root = ET.fromstring(svg)
    assert root.get("role") == "group" and root.get("aria-labelledby") == "data-map-title data-map-desc"
    assert root.find(f"{SVG}title") is not None and root.find(f"{SVG}desc") is not None
    links = [a.get("href") for a in root.iter(f"{SVG}a")]
    assert len(links) == len(found.classes) + len(found.purposes) + len(found.recipients) + len(found.edges)
    assert "/console/officer/data-map#recipient-payment_processor" in links
    assert "/console/officer/data-map#purpose-billing" in links
    assert "<script" not in svg and not re.search(r'(src|href)="https?:', svg)
