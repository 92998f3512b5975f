"""Runtime configuration from the environment (prefix `CUSTODIAN_`); read only by app, cli and jobs."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything an operator can configure, with safe embedded defaults."""

    model_config = SettingsConfigDict(env_prefix="CUSTODIAN_", env_file=".env", extra="ignore")

    data_dir: Path = Path(".custodian")
    database_url: str | None = None
    master_key: SecretStr | None = None
    blob_dir: Path | None = None
    public_base_url: str = "http://127.0.0.1:8000"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str = "privacy@localhost"
    smtp_starttls: bool = False
    log_level: str = "INFO"
    staff_max_failed_logins: int = Field(5, ge=1, le=100, description="failed sign-in steps before lockout")
    staff_lockout_minutes: int = Field(15, ge=1, le=1440, description="how long a locked-out member waits")
    staff_idle_minutes: int = Field(15, ge=1, le=480, description="a console session ends after this idle time")
    staff_session_hours: int = Field(12, ge=1, le=24, description="and in any case this long after sign-in")

    @model_validator(mode="after")
    def _idle_within_session(self) -> Settings:
        if self.staff_idle_minutes > self.staff_session_hours * 60:
            raise ValueError("staff_idle_minutes: longer than staff_session_hours; the session would end first")
        return self

    def staff_limits(self) -> tuple[int, timedelta, timedelta, timedelta]:
        """Sign-in limits: failures before lockout, lockout, idle timeout, session lifetime."""
        return (self.staff_max_failed_logins, timedelta(minutes=self.staff_lockout_minutes),
                timedelta(minutes=self.staff_idle_minutes), timedelta(hours=self.staff_session_hours))

    def resolved_database_url(self) -> str:
        """The configured database, or the embedded SQLite file in the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'custodian.db').resolve()}"

    def resolved_blob_dir(self) -> Path:
        """Where encrypted payloads live (a local directory by default)."""
        return self.blob_dir or self.data_dir / "blobs"

    @property
    def master_key_path(self) -> Path:
        """The generated master key file (mode 0600) when no key is given in the environment."""
        return self.data_dir / "master.key"
