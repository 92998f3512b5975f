"""`custodian compliance`: records of processing activities (GDPR Art. 30) from the policy (issue 18 §3)."""

from __future__ import annotations

from pathlib import Path

import typer

from custodian.cli.context import failures

app = typer.Typer(no_args_is_help=True)  # its help line is in cli/main.py


@app.callback()
def compliance() -> None:
    """Records of processing activities and the annual CPNI certification."""


@app.command("ropa")
def ropa(
    output_format: str = typer.Option("html", "--format", help="html, csv or json."),
    out: Path | None = typer.Option(None, "--out", help="Write to FILE instead of standard output."),
    policy_file: Path | None = typer.Option(None, "--policy", help="Policy YAML (default: the version in force)."),
) -> None:
    """GDPR Art. 30 records: one per data set of the policy (controller 30(1), processor 30(2))."""
    from custodian.cli.legal_shared import policy_for
    from custodian.compliance.ropa import records_of_processing, ropa_csv, ropa_html, ropa_json

    with failures():
        if output_format not in ("html", "csv", "json"):
            raise ValueError(f"--format {output_format!r}: choose html, csv or json")
        document = policy_for(policy_file).document
        records = records_of_processing(document)
        text = {"json": lambda: ropa_json(records), "csv": lambda: ropa_csv(records),
                "html": lambda: ropa_html(document.provider.name, records)}[output_format]()
        if out is None:
            typer.echo(text, nl=False)
        else:
            out.write_text(text, encoding="utf-8")
            typer.echo(str(out))


@app.command("cpni-certification")
def cpni_certification(
    year: int = typer.Option(..., "--year", help="The calendar year certified (filed by March 1 of the next)."),
    officer: str = typer.Option(..., "--officer", help="The name of the officer who signs."),
    out: Path = typer.Option(..., "--out", help="Directory for the certificate and statement (text and PDF)."),
    as_json: bool = typer.Option(False, "--json", help="Also print the figures as JSON."),
) -> None:
    """The annual CPNI certificate and statement (47 CFR 64.2009(e), EB Docket No. 06-36) from the records."""
    from custodian.cli.context import actor, writing_runtime
    from custodian.cli.legal_shared import emit
    from custodian.compliance.cpni_certification import figures_json, generate
    from custodian.db.engine import transaction
    from custodian.kernel.clock import utcnow
    from custodian.policy import store as policy_store

    with failures():
        rt = writing_runtime()
        now = utcnow()
        with transaction(rt.engine) as conn:
            version = policy_store.in_force(conn, now)
            if version is None:
                raise ValueError("no policy is in force: the certificate names the provider from it")
            fig, written = generate(conn, year=year, officer=officer, provider=version.provider_name, out=out,
                                    actor=actor(), now=now)
    if as_json:
        emit(figures_json(fig))
        return
    for path in written:
        typer.echo(str(path))
