"""`custodian policy`: the provider's privacy program as a checked file."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

import typer
import yaml
from rich.table import Table
from rich.text import Text

from custodian.cli.context import actor, database, failures, runtime
from custodian.cli.terminal import console, out
from custodian.db.engine import transaction
from custodian.kernel.clock import utcnow
from custodian.kernel.timeparse import parse_instant
from custodian.policy import store as policy_store
from custodian.policy.check import check_file
from custodian.policy.compiled import compile_policy
from custodian.policy.diff import diff_policies
from custodian.policy.document import PolicyDocument
from custodian.policy.fides_export import export_fideslang
from custodian.policy.ledger import LABELS, STATUSES, summarise
from custodian.policy.notice import build_notice, render_markdown
from custodian.web.notice_html import render_notice_html

app = typer.Typer(no_args_is_help=True)  # its help line is in cli/main.py


def _valid_document(file: Path) -> PolicyDocument:
    """The checked document of FILE, or a one-line reason to run `custodian policy check`."""
    result = check_file(file)
    if not result.valid or result.document is None:
        raise ValueError(f"{file} is not a valid policy; run `custodian policy check {file}`")
    return result.document


@app.command("check")
def check(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True, help="The policy YAML file."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON result."),
) -> None:
    """Validate FILE; print every problem as FILE:LINE: field.path: message and exit 1 if any."""
    with failures():
        result = check_file(file)
        if as_json:
            sys.stdout.write(json.dumps({"valid": result.valid, "problems": [
                {"line": p.line, "path": p.path, "message": p.message} for p in result.problems], "warnings": [
                {"line": w.line, "path": w.path, "message": w.message} for w in result.warnings]}) + "\n")
        elif result.valid and result.document is not None:
            doc = result.document
            out.print(f"{file}: valid — {doc.provider.name}: {len(doc.record_classes)} record classes, "
                      f"{len(doc.purposes)} purposes, {len(doc.staff.roles)} staff roles, "
                      f"{len(doc.recipients)} recipients, {len(doc.retention.rules)} retention rules",
                      highlight=False)
        else:
            for problem in result.problems:
                console.print(problem.render(str(file)), highlight=False, markup=False)
        if not as_json:
            for warning in result.warnings:
                console.print("warning: " + warning.render(str(file)), highlight=False, markup=False)
        if not result.valid:
            sys.exit(1)


@app.command("promises")
def promises(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True, help="The policy YAML file."),
    grade: str = typer.Option("", "--grade", help="Only promises of this grade: enforced, declared, process, "
                                                  "not_yet_enforced."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON result."),
) -> None:
    """Print the promise ledger of FILE: the four counts first, then each promise and what keeps it."""
    with failures():
        if grade and grade not in STATUSES:
            raise typer.BadParameter(f"--grade must be one of {', '.join(STATUSES)}")
        document = _valid_document(file)
        summary = summarise(document)
        shown = [promise for promise in document.promises if not grade or promise.status == grade]
        if as_json:
            sys.stdout.write(json.dumps({**asdict(summary), "promises": [
                promise.model_dump(mode="json") for promise in shown]}) + "\n")
            return
        out.print(summary.sentence(), highlight=False, markup=False)
        table = Table("id", "grade", "promise", "kept by", box=None, show_header=True)
        for promise in shown:
            kept_by = ", ".join(promise.tests or promise.enforced_by) if promise.status == "enforced" else (
                promise.explanation or promise.pending_feature)
            table.add_row(promise.id, LABELS[promise.status], Text(promise.quote), Text(kept_by))
        out.print(table)


@app.command("diff")
def diff(
    old: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True, help="The policy in force."),
    new: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True, help="The proposed policy."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON result."),
) -> None:
    """List what changes from OLD to NEW and which changes are material (customers must be told)."""
    with failures():
        documents = []
        for file in (old, new):
            document = _valid_document(file)
            documents.append(document)
        changes = diff_policies(documents[0], documents[1])
        material = any(change.material for change in changes)
        if as_json:
            sys.stdout.write(json.dumps({"material": material, "changes": [asdict(c) for c in changes]}) + "\n")
            return
        for change in changes:
            mark = "MATERIAL" if change.material else "        "
            out.print(f"{mark} {change.kind:<8} {change.path}: {change.reason}", highlight=False, markup=False)
        out.print(f"{len(changes)} changes; {'material — customers must be notified' if material else 'none material'}",
                  highlight=False)


@app.command("export")
def export(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True, help="The policy YAML file."),
    fmt: str = typer.Option("fideslang", "--format", help="Export format (fideslang)."),
    output: Path = typer.Option(None, "--output", "-o", help="Write here instead of standard output."),
) -> None:
    """Write FILE's record classes, purposes and recipients as fideslang dataset and system declarations."""
    with failures():
        if fmt != "fideslang":
            raise ValueError(f"unknown export format {fmt!r}; known: fideslang")
        document = _valid_document(file)
        text = yaml.safe_dump(export_fideslang(document), sort_keys=False, allow_unicode=True)
        if output is None:
            sys.stdout.write(text)
        else:
            output.write_text(text, encoding="utf-8")
            out.print(f"wrote {output}")


@app.command("notice")
def notice(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True, help="The policy YAML file."),
    fmt: str = typer.Option("md", "--format", help="md or html."),
    output: Path = typer.Option(None, "--output", "-o", help="Write here instead of standard output."),
) -> None:
    """Render the privacy notice of FILE: structure and tables from the rules, wording from the file."""
    with failures():
        if fmt not in ("md", "html"):
            raise ValueError(f"unknown notice format {fmt!r}; known: md, html")
        text = file.read_text(encoding="utf-8")
        document = _valid_document(file)
        built = build_notice(compile_policy(document, text))
        rendered = render_markdown(built) if fmt == "md" else render_notice_html(built)
        if output is None:
            sys.stdout.write(rendered)
        else:
            output.write_text(rendered, encoding="utf-8")
            out.print(f"wrote {output}")


@app.command("activate")
def activate(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True, help="The policy YAML file."),
    effective: str = typer.Option("", help="When it takes effect (ISO 8601; default now)."),
) -> None:
    """Store FILE as a new policy version (its hash, effective time, who activated it); history is kept."""
    with failures():
        now = utcnow()
        effective_at = parse_instant(effective) if effective else now
        rt = runtime()
        with transaction(rt.engine) as conn:
            version = policy_store.activate(conn, file.read_text(encoding="utf-8"), actor=actor(),
                                            effective_at=effective_at, now=now)
        out.print(f"activated {version.provider_name} policy version {version.version_hash[:12]}, "
                  f"effective {version.effective_at.isoformat()}", highlight=False)


@app.command("history")
def history(as_json: bool = typer.Option(False, "--json", help="Print a JSON result.")) -> None:
    """List every activated policy version, newest first."""
    with failures():
        with database().connect() as conn:
            versions = policy_store.history(conn)
        if as_json:
            sys.stdout.write(json.dumps([{"version": v.version_hash, "provider": v.provider_name,
                                          "effective_at": v.effective_at.isoformat(),
                                          "activated_at": v.activated_at.isoformat(),
                                          "activated_by": v.activated_by} for v in versions]) + "\n")
            return
        for v in versions:
            out.print(f"{v.version_hash[:12]}  effective {v.effective_at.isoformat()}  {v.provider_name}  "
                      f"(activated by {v.activated_by} at {v.activated_at.isoformat()})", highlight=False)


@app.command("notify-change")
def notify_change(
    batch: int = typer.Option(200, min=1, max=10_000, help="Customers read per batch."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON result."),
) -> None:
    """E-mail every customer the material changes of the version in force (each once; safe to re-run)."""
    from custodian.cli.progress import PhaseProgress
    from custodian.consent.policy_change import material_change, sender, tell_customers
    from custodian.settings import Settings

    with failures():
        now = utcnow()
        rt = runtime()
        with rt.engine.connect() as conn:
            change = material_change(conn, now)
        if change is None:
            result = {"version": None, "sent": 0, "failed": 0, "no_address": 0, "already": 0}
        else:
            if rt.mailer is None:
                raise ValueError("no mail server is configured (CUSTODIAN_SMTP_HOST): nothing sent")

            with PhaseProgress(console, transient=True, quiet=as_json) as progress:
                told = tell_customers(rt.engine, rt.keyring(), sender(rt.mailer), change,
                                      link_base=Settings().public_base_url, progress=progress, now=now, batch=batch)
            result = {"version": change.current.version_hash, "sent": told.sent, "failed": told.failed,
                      "no_address": told.no_address, "already": told.already}
        if as_json:
            sys.stdout.write(json.dumps(result) + "\n")
        elif result["version"] is None:
            out.print("the policy in force has no material change from the one before: nobody to tell")
        else:
            out.print(f"told {result['sent']} customers of the changes in {str(result['version'])[:12]}; "
                      f"{result['failed']} failed (retried next run), {result['no_address']} have no e-mail "
                      f"address of record, {result['already']} told before", highlight=False)
