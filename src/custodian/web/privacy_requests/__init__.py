"""The public data-subject request pages: /privacy/requests."""
