"""Pure row parsers, one module per input format (documented in docs/formats.md)."""
