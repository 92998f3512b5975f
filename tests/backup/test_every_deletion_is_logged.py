"""Issue 19 §4: "Custodian keeps a deletion log outside the database backups ... and restore re-applies it before the
store opens" — which holds only if every deletion of personal data writes to the log.

This test reads every source module's syntax tree for the ways Custodian deletes: SQLAlchemy `delete(table)` and
`table.delete()`, a blob store's `.delete(key)`, a file's `.unlink()` (and `os.remove`, `shutil.rmtree`), and SQL
text with DELETE FROM, DROP TABLE or TRUNCATE. Each site found must be listed below: either as logged (with the
module that writes the deletion log for it, which must import a `record_*` of `custodian.backup.deletions`) or as
left out, with the reason (docs/operations.md, "Deletions the log leaves out"). Limits: it sees these spellings
only — not an UPDATE that blanks a column (the closure purge's de-identification is logged by the executor) nor a
deletion spelt another way; reviewing these lists is what keeps it honest."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "custodian"
SQL = re.compile(r"\b(DELETE\s+FROM|DROP\s+TABLE|TRUNCATE\s)", re.IGNORECASE)

# (module, site) -> the module whose `record_*` call puts that deletion in the log.
LOGGED = {
    ("dsr/erasure.py", "DELETE content_item"): "dsr/erasure.py",
    ("dsr/erasure.py", "DELETE source.table"): "dsr/erasure.py",
    ("retention/customer_deletion.py", "DELETE content_item"): "retention/customer_deletion.py",
    ("retention/executor.py", "DELETE table"): "retention/executor.py",
    ("retention/cell_sweep.py", "DELETE table"): "retention/executor.py",  # its batches run in executor.drain
    ("retention/executor.py", "blobs.delete"): "retention/executor.py",  # files of rows logged by drain
    ("db/partitions.py", "SQL DROP"): "retention/partition_drop.py",  # the only caller of drop_partition
    ("portal/closing.py", "DELETE portal_account"): "portal/closing.py",
    ("portal/closing.py", "DELETE portal_session"): "portal/closing.py",
    ("portal/closing.py", "DELETE portal_device"): "portal/closing.py",
    ("legal/preservation.py", "blobs.delete"): "legal/preservation.py",
    ("dsr/export_links.py", "unlink"): "dsr/export_links.py",
}

# (module, site) -> why the deletion log leaves it out.
NOT_LOGGED = {
    ("portal/store.py", "DELETE portal_session"): "sign-in state: hashes of cookie values, no data about the person",
    ("portal/store.py", "DELETE portal_device"): "remembered-browser hashes, forgotten or expired",
    ("portal/codes.py", "DELETE portal_code"): "expired one-time codes (a pending e-mail address sealed under the "
                                               "account's key), swept again by the next code issued",
    ("staff/store.py", "DELETE staff_session"): "staff sign-in state, no subscriber data",
    ("staff/throttle.py", "DELETE rate_bucket"): "rate-limit counters keyed by hashes",
    ("legal/store.py", "DELETE legal_match"): "a legal request's working scope, replaced when it is recomputed",
    ("retention/run_store.py", "DELETE blob_deletion"): "the queue of blob keys whose files are gone",
    ("records/content.py", "blobs.delete"): "orphan blobs no row references; the sweep removes them again",
    ("crypto/blobs.py", "unlink"): "the blob store's own delete, and its unfinished *.part files",
    ("dsr/export/service.py", "unlink"): "an unfinished export's *.part file, never in a backup",
    ("dsr/export_jobs.py", "unlink"): "a crashed or superseded build's *.part file, never handed out",
    ("disclosures/report.py", "unlink"): "an unfinished report's *.part file",
    ("disclosures/feed.py", "unlink"): "an unfinished feed's *.part file",
    ("db/bulk.py", "SQL TRUNCATE"): "an import's staging table, emptied before each batch",
    ("demo/build.py", "unlink"): "the demo's synthetic files",
    ("backup/restore.py", "SQL DROP"): "a restore replacing the schema, then re-applying the log",
    ("backup/restore.py", "blobs.delete"): "a restore unlinking the files of deletions it re-applied",
    ("backup/restore.py", "unlink"): "a restore's stale -wal/-shm files, files not in the backup, re-deleted ZIPs",
    ("backup/reapply.py", "DELETE table"): "the re-application of the log itself",
}


def _sites(tree: ast.AST) -> Iterator[str]:
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id == "delete" and node.args:
            yield f"DELETE {ast.unparse(node.args[0])}"
        elif isinstance(func, ast.Attribute) and func.attr == "delete":
            yield f"{ast.unparse(func.value)}.delete" if node.args else f"DELETE {ast.unparse(func.value)}"
        elif isinstance(func, ast.Attribute) and (func.attr in ("unlink", "rmtree")
                                                  or (func.attr == "remove" and ast.unparse(func.value) == "os")):
            yield "unlink"
        elif node.args and isinstance(node.args[0], ast.Constant | ast.JoinedStr):
            found = SQL.search(ast.unparse(node.args[0]))
            if found:
                yield "SQL " + found.group(1).split()[0].upper()


@cache
def deletion_sites() -> frozenset[tuple[str, str]]:
    """Every (module, site) under src/custodian that deletes rows or files (migrations excepted)."""
    found: set[tuple[str, str]] = set()
    for path in sorted(SRC.rglob("*.py")):
        name = path.relative_to(SRC).as_posix()
        if not name.startswith("db/migrations/"):
            found |= {(name, site) for site in _sites(ast.parse(path.read_text(encoding="utf-8")))}
    return frozenset(found)


def _records_in_the_log(module: str) -> bool:
    tree = ast.parse((SRC / module).read_text(encoding="utf-8"))
    return any(isinstance(node, ast.ImportFrom) and node.module == "custodian.backup.deletions"
               and any(alias.name.startswith("record") for alias in node.names) for node in ast.walk(tree))


def test_every_deletion_is_either_logged_or_listed_with_why_it_is_not() -> None:
    unknown = sorted(deletion_sites() - LOGGED.keys() - NOT_LOGGED.keys())
    assert unknown == [], ("record these deletions in the deletion log (backup/deletions.record_*) and re-apply "
                           "them in backup/reapply.py, or list why they hold no personal data a backup brings back")


def test_the_modules_named_as_logging_do_write_the_deletion_log() -> None:
    assert sorted({m for m in LOGGED.values() if not _records_in_the_log(m)}) == []


def test_the_lists_name_only_deletions_that_still_exist() -> None:
    """A stale entry would let a new deletion hide behind an old reason."""
    sites = deletion_sites()
    assert sorted((LOGGED.keys() | NOT_LOGGED.keys()) - sites) == []


def test_the_grep_is_alive() -> None:
    """It finds the deletions it must: the retention batch, the portal closure, a preserved snapshot's file."""
    assert {("retention/cell_sweep.py", "DELETE table"), ("portal/closing.py", "DELETE portal_account"),
            ("legal/preservation.py", "blobs.delete")} <= deletion_sites()
