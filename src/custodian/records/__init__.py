"""The subscriber record store: accounts, people, numbers, logs, content, comments, billing."""
