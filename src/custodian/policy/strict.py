"""The base every policy-schema model shares: unknown keys are errors, documents are immutable."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

NonEmpty = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]


class Strict(BaseModel):
    """Unknown keys are errors; documents are immutable once read."""

    model_config = ConfigDict(extra="forbid", frozen=True)
