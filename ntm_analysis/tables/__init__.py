"""Tables: the tidy tables declared once, validated, and the tables of several sources and provinces
together."""
