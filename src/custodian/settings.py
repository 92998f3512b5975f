"""Runtime configuration from the environment (prefix `CUSTODIAN_`); read only by app, cli and jobs."""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr
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
