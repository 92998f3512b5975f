"""The fideslang export: valid fides declarations that say what the policy says."""

from __future__ import annotations

from pathlib import Path

import yaml
from fideslang.default_taxonomy import DEFAULT_TAXONOMY
from fideslang.models import Taxonomy

from custodian.policy.check import check_text
from custodian.policy.fides_export import export_fideslang
from tests.builders.policy import SMALL_POLICY
from tests.cli.conftest import run_cli


def _exported() -> Taxonomy:
    result = check_text(SMALL_POLICY)
    assert result.document is not None
    return Taxonomy.model_validate(export_fideslang(result.document))


def test_the_export_is_a_valid_fides_taxonomy_using_only_default_keys() -> None:
    taxonomy = _exported()
    categories = {item.fides_key for item in DEFAULT_TAXONOMY.data_category}
    uses = {item.fides_key for item in DEFAULT_TAXONOMY.data_use}
    declarations = [d for system in taxonomy.system for d in system.privacy_declarations]
    assert {c for d in declarations for c in d.data_categories} <= categories
    assert {d.data_use for d in declarations} <= uses


def test_each_collected_class_is_a_collection_and_each_purpose_a_declaration_of_the_provider() -> None:
    taxonomy = _exported()
    dataset, = taxonomy.dataset
    assert [c.name for c in dataset.collections] == [
        "billing_payment_instrument", "content_call_recording", "cpni_call_log", "subscriber_basic"]
    provider = taxonomy.system[0]
    assert provider.name == "Example Telecom, Inc."
    marketing = next(d for d in provider.privacy_declarations if d.name == "marketing_offers")
    assert (marketing.data_use, marketing.data_categories) == (
        "marketing.communications.email", ["user.contact.address", "user.contact.email", "user.name"])


def test_a_recipient_is_a_third_party_system_declaring_only_what_it_receives() -> None:
    recipient = _exported().system[1]
    assert (recipient.name, recipient.system_type) == ("Example Payments LLC", "Third party")
    declaration, = recipient.privacy_declarations
    assert declaration.data_use == "essential.service"
    assert "user.behavior" not in declaration.data_categories  # it never receives call detail


def test_the_cli_writes_the_export_as_yaml(tmp_path: Path) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text(SMALL_POLICY)
    result = run_cli("policy", "export", str(policy), "--format", "fideslang")
    assert result.exit_code == 0, result.output
    Taxonomy.model_validate(yaml.safe_load(result.stdout))
