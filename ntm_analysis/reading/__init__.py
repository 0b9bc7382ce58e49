"""Reading: raw files (workbooks, documents, their sidecars) -> located tables -> rows, and the commune
criteria table."""
