"""Checks: the reconciliation engine and its checks of the tables, of a document's text against its
tables, and of a commune table against the published figures."""
