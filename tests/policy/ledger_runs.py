"""Which cited tests drive runtime code: the check behind the ledger's `enforced` grade.

A promise is `enforced` only when a cited test executes at least one line inside a function of a runtime
module: anything under src/custodian/ except the policy file's loading, checking, compiling and notice
(`policy/`), stdlib value types (`kernel/`), the demo builder and the plumbing every request or test passes
through (database set-up, the application factory, page rendering, security headers, the notice pages).
Module-level lines run on import and never count; neither does code run by fixtures: the plugin in
ledger_context.py records under a test's node id only while the test's own body runs.

All cited tests run once, in one pytest process under coverage, on SQLite only.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "src" / "custodian"
POLICIES = sorted((ROOT / "examples" / "policies").glob("*.yaml"))

NOT_RUNTIME_PACKAGES = frozenset({"policy", "kernel", "demo", "db"})
NOT_RUNTIME_MODULES = frozenset({
    "app.py", "runtime.py", "settings.py", "web/rendering.py", "web/security.py",
    "web/api_docs.py", "web/pages.py", "cli/main.py", "cli/context.py", "cli/policy_cmd.py",
})


@dataclass(frozen=True)
class Entry:
    """One `enforced` ledger entry and the tests it cites."""

    policy: str
    id: str
    tests: tuple[str, ...]


def is_runtime(path: Path) -> bool:
    """True for a module whose functions can make a promise true at run time."""
    relative = path.relative_to(SOURCE).as_posix()
    return relative.split("/")[0] not in NOT_RUNTIME_PACKAGES and relative not in NOT_RUNTIME_MODULES


def function_lines(source: str) -> frozenset[int]:
    """The lines of statements inside function bodies (what runs when the function is called)."""
    lines: set[int] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for statement in node.body:
                for inner in ast.walk(statement):
                    if isinstance(inner, ast.stmt):
                        lines.add(inner.lineno)
    return frozenset(lines)


def runtime_function_lines() -> dict[str, frozenset[int]]:
    """Every runtime module's function-body lines, by absolute path."""
    return {str(path): function_lines(path.read_text("utf-8"))
            for path in SOURCE.rglob("*.py") if is_runtime(path)}


def enforced_entries(policies: Iterable[Path] = POLICIES) -> list[Entry]:
    """The `enforced` entries of every example policy's ledger."""
    found = []
    for file in policies:
        for promise in yaml.safe_load(file.read_text("utf-8")).get("promises", []):
            if promise["status"] == "enforced":
                found.append(Entry(file.name, promise["id"], tuple(promise.get("tests", ()))))
    return found


def runtime_contexts(node_ids: Iterable[str]) -> tuple[set[str], str]:
    """Run the tests once under coverage; the contexts (tests) that executed a runtime function line, and
    pytest's closing line."""
    import coverage  # imported here: only this check needs it

    ids = sorted(set(node_ids))
    wanted = runtime_function_lines()
    with tempfile.TemporaryDirectory() as work:
        data = Path(work) / "coverage.data"
        rc = Path(work) / "coveragerc"
        rc.write_text(f"[run]\ndata_file = {data}\nsource = {SOURCE}\n")
        env = {key: value for key, value in os.environ.items() if key != "CUSTODIAN_TEST_DATABASE_URL"}
        done = subprocess.run([sys.executable, "-m", "coverage", "run", f"--rcfile={rc}", "-m", "pytest",
                               "-q", "-p", "no:cacheprovider", "-p", "tests.policy.ledger_context", "-m", "not browser",
                               *ids],
                              cwd=ROOT, env=env, capture_output=True, text=True, check=False)
        summary = (done.stdout.strip().splitlines() or [""])[-1]
        stored = coverage.CoverageData(basename=str(data))
        stored.read()
        driving: set[str] = set()
        for file in stored.measured_files():
            lines = wanted.get(file)
            if not lines:
                continue
            for line, contexts in (stored.contexts_by_lineno(file) or {}).items():
                if line in lines:
                    driving.update(context for context in contexts if context)
    return driving, summary


def unproven(entries: list[Entry], driving: set[str]) -> list[Entry]:
    """Entries none of whose cited tests executed runtime code."""
    return [entry for entry in entries if not any(test in driving for test in entry.tests)]
