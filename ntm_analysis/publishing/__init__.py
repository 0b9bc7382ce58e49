"""Publishing: the build and what it writes (tables, workbooks, figures, the deck, templates),
incrementally and atomically."""
