"""Checks: the reconciliation engine (``reconcile``) and its checks of the tables, of a
document's text against its tables (``text``), and of a commune table against the published
figures (``communes``).

The engine imports no check: this package is the registry. Each check module registers its
checks, with their scope, when it is imported, and importing the package (as importing any of
its modules does) imports them all, so ``reconcile`` runs every check of the scopes it is given.
"""
from . import communes, reconcile, tables, text

__all__ = ["communes", "reconcile", "tables", "text"]
