"""Runtime configuration from the environment (prefix `CUSTODIAN_`); read only by app, cli and jobs."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything an operator can configure, with safe embedded defaults."""

    model_config = SettingsConfigDict(env_prefix="CUSTODIAN_", env_file=".env", extra="ignore")

    data_dir: Path = Path(".custodian")
    database_url: str | None = None
    replica_database_url: str | None = Field(None, description="a streaming replica that reporting pages and "
                                             "exports read from (writes never go there)")
    master_key: SecretStr | None = None
    blob_dir: Path | None = None
    public_base_url: str = "http://127.0.0.1:8000"
    api_token: SecretStr | None = Field(None, min_length=32, description="bearer token of staff-only API routes")
    sms_gateway_secret: SecretStr | None = Field(None, description="shared secret the SMS gateway signs inbound "
                                                 "messages with (X-Twilio-Signature); unset: the endpoint is closed")
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str = "privacy@localhost"
    smtp_starttls: bool = False
    log_level: str = "INFO"
    max_upload_mb: int = Field(20, ge=1, le=1024, description="largest uploaded file (signed legal process PDF)")
    staff_max_failed_logins: int = Field(5, ge=1, le=100, description="failed sign-in steps before lockout")
    staff_lockout_minutes: int = Field(15, ge=1, le=1440, description="how long a locked-out member waits")
    staff_idle_minutes: int = Field(15, ge=1, le=480, description="a console session ends after this idle time")
    staff_session_hours: int = Field(12, ge=1, le=24, description="and in any case this long after sign-in")
    sign_in_per_address_per_minute: int = Field(10, ge=1, le=1000,
                                                 description="console sign-in attempts per client address")
    sign_in_per_username_per_minute: int = Field(5, ge=1, le=1000, description="console sign-in attempts per username")
    intake_per_address_per_hour: int = Field(20, ge=1, le=1_000_000,
                                             description="legal requests submitted per client address (portal and API)")
    password_hash_slots: int = Field(default_factory=lambda: os.cpu_count() or 1, ge=1, le=64,
                                     description="argon2 computations running at once in one process")
    max_request_bytes: int = Field(32 * 1024 * 1024, ge=1024, description="largest request body (413 above)")
    max_field_chars: int = Field(20_000, ge=100, description="longest text field of a form or JSON body (422)")
    max_request_targets: int = Field(100, ge=1, description="most targets one legal request may name (422)")
    staff_time_zone: str = Field("UTC", description="IANA zone the console shows times in, unless a member chose one")
    web_threads: int = Field(8, ge=1, le=200, description="threads per web worker process that run requests' "
                             "database work (more queue in the event loop)")

    @model_validator(mode="after")
    def _known_time_zone(self) -> Settings:
        from custodian.kernel.timeparse import InvalidTime, zone

        try:
            zone(self.staff_time_zone)
        except InvalidTime as exc:
            raise ValueError(f"staff_time_zone: {exc}") from exc
        return self

    @model_validator(mode="after")
    def _idle_within_session(self) -> Settings:
        if self.staff_idle_minutes > self.staff_session_hours * 60:
            raise ValueError("staff_idle_minutes: longer than staff_session_hours; the session would end first")
        return self

    def staff_limits(self) -> tuple[int, timedelta, timedelta, timedelta]:
        """Sign-in limits: failures before lockout, lockout, idle timeout, session lifetime."""
        return (self.staff_max_failed_logins, timedelta(minutes=self.staff_lockout_minutes),
                timedelta(minutes=self.staff_idle_minutes), timedelta(hours=self.staff_session_hours))

    def throttle_rates(self) -> tuple[tuple[int, timedelta], tuple[int, timedelta], tuple[int, timedelta]]:
        """Token-bucket rates: sign-in per address, sign-in per username, legal intake per address."""
        return ((self.sign_in_per_address_per_minute, timedelta(minutes=1)),
                (self.sign_in_per_username_per_minute, timedelta(minutes=1)),
                (self.intake_per_address_per_hour, timedelta(hours=1)))

    def resolved_database_url(self) -> str:
        """The configured database, or the embedded SQLite file in the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'custodian.db').resolve()}"

    @property
    def deletion_log_path(self) -> Path:
        """The deletion log (kept outside database backups; docs/operations.md "Backups")."""
        return self.data_dir / "deletion-log" / "deletions.jsonl"

    def resolved_blob_dir(self) -> Path:
        """Where encrypted payloads live (a local directory by default)."""
        return self.blob_dir or self.data_dir / "blobs"

    @property
    def master_key_path(self) -> Path:
        """The generated master key file (mode 0600) when no key is given in the environment."""
        return self.data_dir / "master.key"
