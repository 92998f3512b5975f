"""Staff identities: argon2id passwords, TOTP second factor, sessions and lockout."""
