"""Value types shared by every domain; no framework imports."""
