"""Failure rehearsal and the contingency pack (issue 21, docs/contingency.md)."""
