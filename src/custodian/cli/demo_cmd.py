"""`custodian demo`: build a synthetic provider through the real importers, then serve it."""

from __future__ import annotations

import typer
from rich.table import Table

from custodian.cli.context import actor, failures, runtime, settings
from custodian.cli.demo_staff import prepare_demo_access
from custodian.cli.progress import PhaseProgress
from custodian.cli.serve_cmd import serve_app
from custodian.cli.terminal import console, out
from custodian.demo.build import GENERATING, DemoOutcome, DemoSize, build_demo
from custodian.kernel.clock import utcnow


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
        with PhaseProgress(console, label=_phase_label) as tracker:
            outcome = build_demo(rt.engine, rt.keyring(), rt.blobs, folder,
                                 DemoSize(accounts=accounts, calls=calls, seed=seed),
                                 utcnow().replace(second=0, microsecond=0), rebuild=rebuild,
                                 actor=actor(), progress=tracker)
        _report(outcome, tracker.seconds)
        prepare_demo_access(rt.engine, rt.master_key, actor())
    if not no_serve:
        with failures():
            serve_app(host, port)


def _phase_label(phase: str) -> str:
    return "generating files" if phase == GENERATING else f"importing {phase}"


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
