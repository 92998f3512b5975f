"""Retention: schedules from the policy, the planner, the executor, legal holds and receipts."""
