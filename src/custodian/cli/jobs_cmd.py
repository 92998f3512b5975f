"""`custodian jobs`: run an idempotent maintenance job (from cron)."""

from __future__ import annotations

import typer

from custodian.cli.context import failures, holding_job_lock, writing_runtime
from custodian.cli.terminal import out
from custodian.jobs.registry import JOBS
from custodian.kernel.clock import utcnow

app = typer.Typer(no_args_is_help=True)  # its help line is in cli/main.py


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
