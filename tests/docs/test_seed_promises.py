"""The seed-promise inventories quote their seed documents verbatim (the groundwork of the policy ledger).

Runs when CUSTODIAN_SEEDS_DIR points at the seed documents (CI sets it to ../shared/seeds).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

INVENTORY = Path(__file__).resolve().parents[2] / "docs" / "seed-promises"
SEEDS = Path(os.environ.get("CUSTODIAN_SEEDS_DIR", "")) if os.environ.get("CUSTODIAN_SEEDS_DIR") else None
_CODE_SPAN = re.compile(r"`([^`]+)`")


def _quotes(text: str) -> list[str]:
    """Block quotes, and the code spans of a "Part 2" facts section (which quotes its facts that way)."""
    quotes, in_facts = [], False
    for line in text.splitlines():
        if line.startswith("#"):
            in_facts = line.startswith("# Part 2") or (in_facts and not line.startswith("## Ambiguities"))
        if line.startswith("> "):
            quotes.append(line[2:])
        elif in_facts:
            quotes.extend(_CODE_SPAN.findall(line))
    return quotes


@pytest.mark.parametrize("inventory", sorted(INVENTORY.glob("*.md")), ids=lambda path: path.stem)
def test_every_quote_in_the_inventory_appears_verbatim_in_its_seed(inventory: Path) -> None:
    if SEEDS is None:
        pytest.skip("CUSTODIAN_SEEDS_DIR is not set")
    seed = (SEEDS / f"{inventory.stem}.txt").read_text(encoding="utf-8")
    quotes = _quotes(inventory.read_text(encoding="utf-8"))
    assert quotes, "an inventory without quotes proves nothing"
    missing = [quote for quote in quotes if quote not in seed]
    assert missing == []
