"""No coroutine blocks the event loop on the database.

Each `custodian serve` worker runs one event loop for all its requests: an `async def` route or dependency that
opens a transaction or a connection itself stalls every other request of that worker until the database answers
(under load, SQLite's write lock or a PostgreSQL row lock can take hundreds of milliseconds). Coroutines read the
request (form, upload) and hand the database work to the thread pool (`run_in_threadpool`), as FastAPI does for
plain `def` routes. This test reads the source: a call named below, made directly in the body of an `async def`,
fails it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import custodian

BLOCKING_CALLS = {"transaction", "connect", "begin", "execute"}
SOURCE = Path(custodian.__file__).parent


def _blocking_calls(function: ast.AsyncFunctionDef) -> list[str]:
    found: list[str] = []

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                continue  # a nested function runs wherever it is handed to
            if isinstance(child, ast.Call):
                name = child.func.attr if isinstance(child.func, ast.Attribute) else getattr(child.func, "id", "")
                if name in BLOCKING_CALLS:
                    found.append(f"{name}() at line {child.lineno}")
            visit(child)

    visit(function)
    return found


def test_no_coroutine_opens_a_database_transaction_or_connection_itself() -> None:
    offenders = []
    for path in sorted(SOURCE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.AsyncFunctionDef) and (calls := _blocking_calls(node)):
                offenders.append(f"{path.relative_to(SOURCE)}: async def {node.name}: {', '.join(calls)}")
    assert offenders == []


def test_the_check_sees_a_coroutine_that_would_block() -> None:
    tree = ast.parse("async def route(request):\n    with transaction(engine) as conn:\n        pass\n")
    function = tree.body[0]
    assert isinstance(function, ast.AsyncFunctionDef)
    assert _blocking_calls(function) == ["transaction() at line 2"]
