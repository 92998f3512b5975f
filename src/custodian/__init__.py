"""Custodian: the privacy program of a communications provider, enforced in code."""

__version__ = "0.1.0"
