"""`custodian audit verify` and `custodian audit head` against a real data directory."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import Result
from sqlalchemy import Engine, text

from custodian.audit import store as audit
from custodian.db.engine import make_engine, transaction

Cli = Callable[..., Result]


@pytest.fixture
def store_engine(initialised: Path) -> Iterator[Engine]:
    """The data directory's own SQLite database, with five events on its chain (init is event 1)."""
    engine = make_engine(f"sqlite:///{initialised / 'custodian.db'}")
    for index in range(4):
        with transaction(engine) as conn:
            audit.append(conn, actor="cli:test", action="system.check", reason=f"check {index}")
    yield engine
    engine.dispose()


def _tamper(engine: Engine, statement: str) -> None:
    with transaction(engine) as conn:
        conn.execute(text(statement))


def test_verify_exits_zero_on_an_intact_chain(cli: Cli, store_engine: Engine) -> None:
    result = cli("audit", "verify")
    assert result.exit_code == 0, result.output
    assert "intact: 5 events" in result.stdout


def test_verify_exits_zero_right_after_init(cli: Cli, initialised: Path) -> None:
    result = cli("audit", "verify")
    assert result.exit_code == 0, result.output
    assert "intact: 1 events" in result.stdout


@pytest.mark.parametrize(("statement", "first_bad"), [
    ("UPDATE audit_event SET reason = 'nothing' WHERE seq = 3", 3),
    ("UPDATE audit_event SET actor = 'cli:innocent' WHERE seq = 4", 4),
    ("DELETE FROM audit_event WHERE seq = 2", 2),
    ("DELETE FROM audit_event WHERE seq = 5", 5),
])
def test_verify_exits_one_naming_the_first_bad_event_after_tampering(
        cli: Cli, store_engine: Engine, statement: str, first_bad: int) -> None:
    _tamper(store_engine, statement)
    result = cli("audit", "verify")
    assert result.exit_code == 1
    assert f"broken at event {first_bad}:" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_verify_exits_one_when_two_events_were_swapped(cli: Cli, store_engine: Engine) -> None:
    _tamper(store_engine, "UPDATE audit_event SET seq = -2 WHERE seq = 2")
    _tamper(store_engine, "UPDATE audit_event SET seq = 2 WHERE seq = 3")
    _tamper(store_engine, "UPDATE audit_event SET seq = 3 WHERE seq = -2")
    result = cli("audit", "verify")
    assert result.exit_code == 1
    assert "broken at event 2:" in result.output


def test_verify_json_names_the_first_bad_event(cli: Cli, store_engine: Engine) -> None:
    _tamper(store_engine, """UPDATE audit_event SET detail = '{"keys": 0}' WHERE seq = 4""")
    result = cli("audit", "verify", "--json")
    assert result.exit_code == 1
    answer = json.loads(result.stdout)
    assert answer["intact"] is False
    assert answer["first_bad"]["seq"] == 4
    assert answer["head"]["seq"] == 5


def test_head_json_prints_the_sequence_number_and_hash(cli: Cli, store_engine: Engine) -> None:
    result = cli("audit", "head", "--json")
    assert result.exit_code == 0, result.output
    with store_engine.connect() as conn:
        seq, digest = audit.head(conn)
    assert json.loads(result.stdout) == {"seq": seq, "hash": digest}
    assert seq == 5 and len(digest) == 64


def test_head_prints_sequence_and_hash_on_one_line(cli: Cli, store_engine: Engine) -> None:
    result = cli("audit", "head")
    with store_engine.connect() as conn:
        seq, digest = audit.head(conn)
    assert result.stdout == f"{seq} {digest}\n"


@pytest.mark.parametrize("command", ["verify", "head"])
def test_audit_commands_before_init_fail_with_a_one_line_reason_and_create_nothing(
        cli: Cli, data_dir: Path, command: str) -> None:
    result = cli("audit", command)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: no database") and "custodian init" in lines[0]
    assert not data_dir.exists()


def test_verify_needs_no_master_key(cli: Cli, store_engine: Engine, initialised: Path) -> None:
    (initialised / "master.key").unlink()
    result = cli("audit", "verify")
    assert result.exit_code == 0, result.output
    assert "intact: 5 events" in result.stdout


def test_verify_records_its_outcome_in_the_chain_unless_told_not_to(cli: Cli, store_engine: Engine) -> None:
    assert cli("audit", "verify", "--no-record").exit_code == 0
    with store_engine.connect() as conn:
        assert audit.head(conn)[0] == 5
    assert cli("audit", "verify").exit_code == 0
    _tamper(store_engine, "UPDATE audit_event SET reason = 'nothing' WHERE seq = 3")
    assert cli("audit", "verify").exit_code == 1
    with store_engine.connect() as conn:
        intact, broken = (audit.search(conn, action=action) for action in ("audit.verified",
                                                                           "audit.verification_failed"))
    assert [e.detail["through_seq"] for e in intact] == [5] and intact[0].actor.startswith("cli:")
    assert [(e.detail["through_seq"], e.detail["break_seq"]) for e in broken] == [(6, 3)]
