"""Importers: streaming, line-numbered, idempotent loads of provider exports."""
