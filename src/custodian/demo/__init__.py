"""A synthetic provider for `custodian demo`: export files loaded through the real importers.

Every name, number, address and message in it is fictitious (DEMO data, seeded and reproducible).
"""
