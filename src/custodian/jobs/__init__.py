"""Idempotent jobs run from cron via `custodian jobs run NAME`."""
