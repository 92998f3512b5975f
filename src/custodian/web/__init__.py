"""The HTML edge: pages for customers (portal), staff (console), requesters (intake)."""
