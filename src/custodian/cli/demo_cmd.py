"""`custodian demo`: build a synthetic provider through the real importers, then serve it."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from custodian.cli.context import actor, failures, runtime, settings
from custodian.cli.demo_guide import load_facts, print_guide, report_showcase, save_facts, showcase_facts
from custodian.cli.demo_staff import prepare_demo_access
from custodian.cli.progress import PhaseProgress
from custodian.cli.serve_cmd import serve_app
from custodian.cli.terminal import console, out
from custodian.demo.build import GENERATING, DemoOutcome, DemoSize, build_demo
from custodian.kernel.clock import utcnow
from custodian.mail.catcher import mail_catcher
from custodian.runtime import Runtime


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
    """Build a synthetic provider (fictitious data) in the data directory, then serve it. Its mail goes to a
    local catcher kept in <data dir>/outbox and shown in the console's Outbox."""
    outbox = settings().data_dir / "outbox"
    with failures(), mail_catcher(outbox) as smtp_port:
        mail = demo_mail_settings(smtp_port)
        rt = runtime(settings().model_copy(update=mail))
        folder = settings().data_dir / "demo"
        outcome = _build(rt, folder, DemoSize(accounts=accounts, calls=calls, seed=seed), rebuild)
        access = prepare_demo_access(rt.engine, rt.master_key, actor())
        if outcome.plan is not None:
            _stage(rt, outcome, folder)
        print_guide(f"http://{host}:{port}", access, load_facts(folder))
        if not no_serve:
            serve_app(host, port, mail, outbox)


def demo_mail_settings(smtp_port: int) -> dict[str, object]:
    """The settings that send this run's mail to the demo's catcher (and nowhere else)."""
    return {"smtp_host": "127.0.0.1", "smtp_port": smtp_port, "smtp_starttls": False, "smtp_username": None,
            "smtp_password": None}


def _build(rt: Runtime, folder: Path, size: DemoSize, rebuild: bool) -> DemoOutcome:
    with PhaseProgress(console, label=_phase_label) as tracker:
        outcome = build_demo(rt.engine, rt.keyring(), rt.blobs, folder, size,
                             utcnow().replace(second=0, microsecond=0), rebuild=rebuild,
                             actor=actor(), progress=tracker)
    _report(outcome, tracker.seconds)
    return outcome


def _stage(rt: Runtime, outcome: DemoOutcome, folder: Path) -> None:
    """Run retention, set CPNI passwords and file the legal desk's requests (see demo/showcase.py)."""
    from custodian.demo.showcase import already_staged, stage
    from custodian.retention.service import policy_in_force

    assert outcome.plan is not None
    if already_staged(rt.engine):
        return
    now = utcnow()
    with rt.engine.connect() as conn:
        policy = policy_in_force(conn, now)
    showcase = stage(rt.engine, rt.keyring(), rt.blobs, policy, outcome.plan, rt.mailer, actor=actor(), now=now)
    report_showcase(showcase)
    save_facts(folder, showcase_facts(showcase))


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
