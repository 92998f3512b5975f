"""Backups that keep deletions deleted: the deletion log, backup archives, restore."""
