"""Database engine, schema metadata, partitions and migrations."""
