"""The fides taxonomy keys the policy checker accepts are the pinned fideslang's own."""

from __future__ import annotations

import importlib.metadata

from fideslang.default_taxonomy import DEFAULT_TAXONOMY

from custodian.policy import vocabulary


def test_the_snapshot_of_fides_keys_matches_the_installed_fideslang() -> None:
    keys = vocabulary._fides_keys()
    assert keys["fideslang"] == importlib.metadata.version("fideslang")
    assert vocabulary.fides_data_categories() == {item.fides_key for item in DEFAULT_TAXONOMY.data_category}
    assert vocabulary.fides_data_uses() == {item.fides_key for item in DEFAULT_TAXONOMY.data_use}
