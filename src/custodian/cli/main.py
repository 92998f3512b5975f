"""The `custodian` command: one Typer group per concern, each imported only when it runs.

`custodian --help` lists the commands from `COMMANDS` below without importing them, so it never loads
FastAPI, SQLAlchemy or fpdf; a command's module (and its dependencies) loads when that command runs.
"""

from __future__ import annotations

from custodian.cli.lazy import LazyCommand, LazyGroup, lazy_app

COMMANDS: tuple[LazyCommand, ...] = (
    LazyCommand("init", "custodian.cli.setup_cmd:init",
                "Create the data directory, key and schema."),
    LazyCommand("db", "custodian.cli.db_cmd:app", "Database schema and partitions."),
    LazyCommand("keys", "custodian.cli.keys_cmd:app", "Encryption keys."),
    LazyCommand("audit", "custodian.cli.audit_cmd:app", "The tamper-evident audit trail."),
    LazyCommand("jobs", "custodian.cli.jobs_cmd:app", "Scheduled jobs (run them from cron)."),
    LazyCommand("policy", "custodian.cli.policy_cmd:app", "The privacy policy file."),
    LazyCommand("legal", "custodian.cli.legal_cmd:app", "The legal data request desk."),
    LazyCommand("staff", "custodian.cli.staff_cmd:app", "Staff identities of the console."),
    LazyCommand("import", "custodian.cli.import_cmd:import_file",
                "Import a provider export (CSV)."),
    LazyCommand("serve", "custodian.cli.serve_cmd:serve", "Serve the web pages and the JSON API."),
    LazyCommand("demo", "custodian.cli.demo_cmd:demo",
                "Build a fictitious provider, then serve it."),
    LazyCommand("hold", "custodian.cli.hold_cmd:app", "Legal holds: records kept from deletion."),
    LazyCommand("retention", "custodian.cli.retention_cmd:app", "The retention schedule: plan, run, receipts."),
    LazyCommand("disclose", "custodian.cli.disclose_cmd:app",
                "Release data through the disclosure gate; aggregate reports."),
    LazyCommand("dsr", "custodian.cli.dsr_cmd:app", "Privacy requests: deadlines, queue, export."),
    LazyCommand("consent", "custodian.cli.consent_cmd:app", "Consent ledger, receipts and CPNI approvals."),
    LazyCommand("backup", "custodian.cli.backup_cmd:app", "Backups that keep deletions deleted."),
    LazyCommand("breach", "custodian.cli.breach_cmd:app", "Breach register and notification clocks."),
    LazyCommand("compliance", "custodian.cli.compliance_cmd:app",
                "Records of processing and the CPNI certificate."),
    LazyCommand("abuse", "custodian.cli.abuse_cmd:app", "The abuse desk: usage against peers, blocks, campaigns."),
)

app = lazy_app(LazyGroup.of(COMMANDS), name="custodian", help="Privacy operations for communications providers.")

if __name__ == "__main__":
    app()
