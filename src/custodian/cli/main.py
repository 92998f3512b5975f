"""The `custodian` command: one Typer group per concern."""

from __future__ import annotations

import typer

from custodian.cli import (
    audit_cmd,
    db_cmd,
    demo_cmd,
    hold_cmd,
    import_cmd,
    jobs_cmd,
    keys_cmd,
    legal_cmd,
    legal_desk_cmd,  # noqa: F401  (registers the staff desk commands on legal_cmd.app)
    policy_cmd,
    retention_cmd,
    serve_cmd,
    setup_cmd,
    staff_cmd,
)

app = typer.Typer(name="custodian", help="Privacy operations for communications providers.",
                  no_args_is_help=True, add_completion=False)
app.command("init")(setup_cmd.init)
app.add_typer(db_cmd.app, name="db")
app.add_typer(keys_cmd.app, name="keys")
app.add_typer(audit_cmd.app, name="audit")
app.add_typer(jobs_cmd.app, name="jobs")
app.add_typer(policy_cmd.app, name="policy")
app.add_typer(legal_cmd.app, name="legal")
app.add_typer(staff_cmd.app, name="staff")
app.command("import")(import_cmd.import_file)
app.command("serve")(serve_cmd.serve)
app.command("demo")(demo_cmd.demo)
app.add_typer(hold_cmd.app, name="hold")
app.add_typer(retention_cmd.app, name="retention")

if __name__ == "__main__":
    app()
