"""`custodian compliance cpni-certification` over the demo provider's year: the figures it prints agree with
the records counted another way, and the files are written (47 CFR 64.2009(e), issue 18 §1)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from custodian.access import store as access_store
from custodian.audit import store as audit
from custodian.cli.main import app
from custodian.compliance import registers
from custodian.kernel.clock import utcnow
from custodian.staff import store as staff_store
from tests.builders.demo import BuiltDemo, built_demo

YEAR = utcnow().year


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltDemo]:
    with built_demo(tmp_path_factory.mktemp("demo")) as demo:
        yield demo


def _events(built: BuiltDemo, action: str) -> list[audit.AuditEvent]:
    with built.runtime.engine.connect() as conn:
        return [e for e in audit.search(conn, action=action, limit=1_000_000) if e.occurred_at.year == YEAR]


def test_the_demo_years_figures_agree_with_its_records(built: BuiltDemo, tmp_path: Path) -> None:
    with built.runtime.engine.connect() as conn:
        registers_before = len(registers.complaints(conn))
    result = CliRunner().invoke(app, ["compliance", "cpni-certification", "--year", str(YEAR), "--officer",
                                      "Olivia Officer", "--out", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    with built.runtime.engine.connect() as conn:
        glass = [g for g in access_store.break_glasses(conn, limit=100_000) if g.opened_at.year == YEAR]
        staff = staff_store.all_staff(conn)
    assert printed["year"] == YEAR and printed["draft"] is True
    assert printed["access_denies"] == len(_events(built, "access.deny"))
    assert sum(printed["cpni_authentications"].values()) == len(_events(built, "ticket.cpni_verified"))
    assert printed["break_glass_uses"] == len(glass)
    assert printed["break_glass_reviews"]["pending"] == sum(not g.reviewed for g in glass)
    assert sum(printed["staff_trained"].values()) == len(_events(built, "staff.acknowledge"))
    assert sum(printed["cpni_approval_notices"].values()) == len(_events(built, "consent.cpni_notice_sent")) > 0
    assert printed["staff_active"] == len(staff) > 0
    assert sum(printed["complaints"].values()) == registers_before
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        f"cpni-{YEAR}-certificate.pdf", f"cpni-{YEAR}-certificate.txt",
        f"cpni-{YEAR}-statement.pdf", f"cpni-{YEAR}-statement.txt"]


def test_a_year_not_begun_is_refused(built: BuiltDemo, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["compliance", "cpni-certification", "--year", str(YEAR + 1), "--officer",
                                      "Olivia Officer", "--out", str(tmp_path)])
    assert result.exit_code == 1 and "has not begun" in result.stderr
