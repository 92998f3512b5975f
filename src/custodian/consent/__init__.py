"""Consent and preferences: the consent ledger, the decisions over it, and telling customers of policy changes."""
