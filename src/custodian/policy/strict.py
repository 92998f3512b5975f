"""The base every policy-schema model shares: unknown keys are errors, documents are immutable."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, StringConstraints

NonEmpty = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]


class Strict(BaseModel):
    """Unknown keys are errors; documents are immutable once read."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# Pydantic inspects a default factory's signature; for a builtin such as `list` that first costs 30 ms of
# tokenizer set-up at every start of the CLI. These plain functions answer at once.
def empty_list() -> list[Any]:
    """A new empty list (a field's default)."""
    return []


def empty_dict() -> dict[Any, Any]:
    """A new empty dict (a field's default)."""
    return {}
