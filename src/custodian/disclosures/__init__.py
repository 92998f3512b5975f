"""The disclosure gate: the one way subscriber data leaves Custodian outside legal process (issue 17)."""
