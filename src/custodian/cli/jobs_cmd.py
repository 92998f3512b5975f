"""`custodian jobs`: run an idempotent maintenance job (from cron)."""

from __future__ import annotations

import typer

from custodian.cli.context import failures, holding_job_lock, out, writing_runtime
from custodian.jobs.registry import JOBS
from custodian.kernel.clock import utcnow

app = typer.Typer(help="Scheduled jobs (run them from cron).", no_args_is_help=True)


@app.command("run")
def run(name: str = typer.Argument(..., help="Job name: " + ", ".join(sorted(JOBS)) + ".")) -> None:
    """Run job NAME once, holding its lock (exit 75 when it is already running)."""
    with failures():
        job = JOBS.get(name)
        if job is None:
            raise ValueError(f"unknown job {name!r}; known: {', '.join(sorted(JOBS))}")
        rt = writing_runtime()
        with holding_job_lock(rt, name):
            out.print(f"{name}: {job(rt, utcnow())}")


@app.command("list")
def list_jobs() -> None:
    """List the jobs."""
    for name, job in sorted(JOBS.items()):
        out.print(f"{name}\t{(job.__doc__ or '').strip()}")
