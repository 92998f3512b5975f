"""A pytest plugin for the ledger check: while a test's own body runs (not its fixtures), coverage records
under the test's node id (parameters dropped), so each cited test maps to the lines it drove."""

from __future__ import annotations

from collections.abc import Iterator

import coverage
import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """Switch coverage's context to the test's node id for the call phase only."""
    current = coverage.Coverage.current()
    if current is not None:
        current.switch_context(item.nodeid.split("[")[0])
    yield
    if current is not None:
        current.switch_context("")
