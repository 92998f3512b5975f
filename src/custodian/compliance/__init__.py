"""Compliance: breach register and notification clocks, records of processing, the data map (issue 18)."""
