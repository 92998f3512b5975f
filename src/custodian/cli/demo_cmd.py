"""`custodian demo`: build a synthetic provider through the real importers, then serve it."""

from __future__ import annotations

import time

import typer
from rich.progress import (
    BarColumn,
    Progress,
    TaskID,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from custodian.cli.context import actor, console, failures, out, runtime, settings
from custodian.cli.demo_staff import prepare_demo_access
from custodian.cli.serve_cmd import serve_app
from custodian.demo.build import GENERATING, DemoOutcome, DemoSize, build_demo
from custodian.kernel.clock import utcnow


class RichDemoProgress:
    """One Rich progress task per phase; remembers how long each phase took."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.tasks: dict[str, TaskID] = {}
        self.seconds: dict[str, float] = {}
        self._current: tuple[str, float] | None = None

    def begin(self, phase: str, total: int) -> None:
        """Close the running phase and start a task for `phase`."""
        self.finish()
        label = "generating files" if phase == GENERATING else f"importing {phase}"
        self.tasks[phase] = self.progress.add_task(label, total=max(total, 1))
        self._current = (phase, time.perf_counter())

    def advance(self, phase: str, amount: int) -> None:
        """Move `phase` on by `amount` rows or bytes."""
        self.progress.advance(self.tasks[phase], amount)

    def finish(self) -> None:
        """Mark the running phase complete and record its duration."""
        if self._current is None:
            return
        phase, started = self._current
        self.seconds[phase] = time.perf_counter() - started
        task = self.tasks[phase]
        self.progress.update(task, completed=self.progress.tasks[task].total)
        self._current = None


def demo(
    accounts: int = typer.Option(2_000, min=1, help="Subscriber accounts to create."),
    calls: int = typer.Option(1_000_000, min=0, help="Call-detail records (about)."),
    seed: int = typer.Option(7, help="Random seed: the same seed builds the same provider."),
    rebuild: bool = typer.Option(False, "--rebuild", help="Write and import the files again even "
                                 "if the store already has accounts (present rows are skipped)."),
    no_serve: bool = typer.Option(False, "--no-serve", help="Build only; do not start the server."),
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, help="TCP port."),
) -> None:
    """Build a synthetic provider (fictitious data) in the data directory, then serve it."""
    with failures():
        rt = runtime()
        folder = settings().data_dir / "demo"
        bars = Progress(TextColumn("{task.description:<20}"), BarColumn(), TaskProgressColumn(),
                        TimeElapsedColumn(), console=console, disable=not console.is_terminal)
        tracker = RichDemoProgress(bars)
        with bars:
            outcome = build_demo(rt.engine, rt.keyring(), rt.blobs, folder,
                                 DemoSize(accounts=accounts, calls=calls, seed=seed),
                                 utcnow().replace(second=0, microsecond=0), rebuild=rebuild,
                                 actor=actor(), progress=tracker)
            tracker.finish()
        _report(outcome, tracker.seconds)
        prepare_demo_access(rt.engine, rt.master_key, actor())
    if not no_serve:
        with failures():
            serve_app(host, port)


def _report(outcome: DemoOutcome, seconds: dict[str, float]) -> None:
    if outcome.skipped:
        out.print("demo data already present: nothing imported (use --rebuild to import again)")
        return
    table = Table(title=f"Demo provider (synthetic data) from {outcome.folder}")
    for column in ("kind", "imported", "duplicates", "rejected", "seconds"):
        table.add_column(column, justify="left" if column == "kind" else "right")
    if GENERATING in seconds:
        table.add_row("(generating files)", "", "", "", f"{seconds[GENERATING]:.1f}")
    for kind, summary in outcome.summaries.items():
        table.add_row(kind, f"{summary.imported:,}", f"{summary.duplicates:,}",
                      f"{summary.rejected:,}", f"{seconds.get(kind, 0.0):.1f}")
    out.print(table)
    rejected = sum(summary.rejected for summary in outcome.summaries.values())
    if rejected:
        out.print(f"[yellow]warning:[/yellow] {rejected} rows were rejected; "
                  f"`custodian import KIND FILE` on a file in {outcome.folder} lists them")
