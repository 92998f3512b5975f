"""Loading and creating the master key: from the environment, or a 0600 file in the data dir."""

from __future__ import annotations

import os
from pathlib import Path

from custodian.crypto.envelope import decode_key, encode_key, new_key


class MasterKeyMissing(RuntimeError):
    """No master key is configured and none was generated: run `custodian init`."""


def load_master_key(env_value: str | None, path: Path) -> bytes:
    """Return the master key from `env_value` if given, else from the key file at `path`."""
    if env_value:
        return decode_key(env_value)
    if not path.exists():
        raise MasterKeyMissing(f"no master key at {path}; run `custodian init` or set CUSTODIAN_MASTER_KEY")
    return decode_key(path.read_text())


def write_key_file(path: Path, key: bytes) -> None:
    """Write `key` to `path` readable by the owner only (mode 0600), atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(encode_key(key) + "\n")
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def ensure_master_key_file(path: Path) -> bool:
    """Generate a master key file if none exists; return True when one was created."""
    if path.exists():
        return False
    write_key_file(path, new_key())
    return True
